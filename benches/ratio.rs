//! `cargo bench --bench ratio`: the whole `akoctl compile -f cluster.yaml -o
//! json` process (read, parse, compile, print JSON) against PyYAML's C
//! loader just parsing the same file
//! (`yaml.load_all(f, Loader=yaml.CSafeLoader)`), in one run on the same
//! machine, at N and 10N LoadBalancer Services + as many Ingresses
//! (`akoctl::synth`; `AKOCTL_BENCH_N`, default 1000).
//!
//! Prints, per size, the best of `AKOCTL_BENCH_RUNS` (default 5) wall times
//! of both (their medians beside: on a shared machine a run can take a
//! third longer than the best, for either program, so a ratio from a single
//! run says more about the machine than about akoctl) and akoctl's peak
//! RSS; then the ratios the targets are about, from the best times:
//!
//! - akoctl / C loader (target <= 0.3);
//! - peak RSS / YAML size (target <= 20, at 10,000 + 10,000);
//! - 10N over N, wall time and peak RSS (target <= 11).
//!
//! The C loader comes from a `python3` that has PyYAML with libyaml; if the
//! system one has not, PyYAML is installed in a venv under the target
//! folder; if that fails too, the anchor is skipped with a message.
//! `cargo test --benches` runs a tiny size and checks only that it runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use akoctl::synth::{GenSpec, generate};

const AKOCTL: &str = env!("CARGO_BIN_EXE_akoctl");

/// PyYAML's C loader parsing a file, timed inside Python (interpreter start
/// and import not counted): prints the seconds.
const LOADER: &str = "import sys, time, yaml
t = time.perf_counter()
with open(sys.argv[1], 'rb') as f:
    docs = list(yaml.load_all(f, Loader=yaml.CSafeLoader))
print(time.perf_counter() - t)
";

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("AKOCTL_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 10 } else { 1000 });
    let runs: usize = std::env::var("AKOCTL_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 1 } else { 5 })
        .max(1);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ratio");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let facts = dir.join("cloud-facts.yaml");
    std::fs::write(&facts, "dnsSubdomains:\n- example.com\n").expect("cloud facts");
    let python = python(&dir);
    if python.is_none() {
        println!(
            "PyYAML with libyaml (yaml.CSafeLoader) not found and not installable: the C loader anchor is skipped"
        );
    }

    println!(
        "akoctl: {AKOCTL}; {} cores; load average {}",
        std::thread::available_parallelism().map_or(1, |c| c.get()),
        std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "unknown".into())
    );
    let mut rows = Vec::new();
    for size in [n, n * 10] {
        let file = dir.join(format!("cluster-{size}.yaml"));
        let text = generate(&GenSpec {
            services: size,
            ingresses: size,
            ..GenSpec::default()
        });
        std::fs::write(&file, &text).expect("write cluster");
        let yaml = text.len();
        drop(text);
        let out = dir.join(format!("out-{size}.json"));
        let (mut times, mut c_times, mut rss_best) = (Vec::new(), Vec::new(), u64::MAX);
        for _ in 0..runs {
            let (t, rss) = run_akoctl(&file, &facts, &out);
            times.push(t);
            rss_best = rss_best.min(rss);
            if let Some(py) = &python {
                c_times.push(c_loader(py, &file));
            }
        }
        let best = (best_of(&times), rss_best);
        let c_best = python.as_ref().map(|_| best_of(&c_times));
        let out_len = std::fs::metadata(&out).map_or(0, |m| m.len());
        let _ = std::fs::remove_file(&out);
        println!(
            "{size} Services + {size} Ingresses: {yaml} bytes of YAML, {out_len} bytes of JSON out"
        );
        println!(
            "  akoctl compile -o json  {:>9.1} ms wall (median {:.1}), peak RSS {:>7.1} MB",
            ms(best.0),
            ms(median(&times)),
            best.1 as f64 / 1e6
        );
        if let Some(c) = c_best {
            println!(
                "  PyYAML CSafeLoader      {:>9.1} ms wall (median {:.1}; parse only)",
                ms(c),
                ms(median(&c_times))
            );
            println!(
                "  akoctl / C loader       {:>9.3}  (target <= 0.3)",
                ratio(best.0, c)
            );
        }
        println!(
            "  peak RSS / YAML size    {:>9.2}  (target <= 20 at 10,000 + 10,000)",
            best.1 as f64 / yaml as f64
        );
        rows.push(best);
    }
    if let [(t1, m1), (t10, m10)] = rows[..] {
        println!(
            "10x input: time {:.2}x, peak RSS {:.2}x  (target <= 11)",
            ratio(t10, t1),
            m10 as f64 / m1.max(1) as f64
        );
    }
}

/// The shortest of some times.
fn best_of(times: &[Duration]) -> Duration {
    times.iter().copied().min().unwrap_or(Duration::MAX)
}

/// The middle of some times (the upper middle of an even count).
fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted
        .get(sorted.len() / 2)
        .copied()
        .unwrap_or(Duration::MAX)
}

/// Wall time and peak RSS (bytes) of one `akoctl compile -o json`, its
/// output written to `out`.
#[allow(clippy::zombie_processes, reason = "the child is reaped by wait4")]
fn run_akoctl(file: &Path, facts: &Path, out: &Path) -> (Duration, u64) {
    let stdout = std::fs::File::create(out).expect("output file");
    let start = Instant::now();
    let child = Command::new(AKOCTL)
        .arg("compile")
        .arg("-f")
        .arg(file)
        .args(["-o", "json", "--set", "AKOSettings.clusterName=bench"])
        .arg("--cloud-facts")
        .arg(facts)
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .expect("akoctl runs");
    let (status, rss) = wait_with_rss(child.id());
    let took = start.elapsed();
    assert!(status == 0, "akoctl compile failed (wait status {status})");
    (took, rss)
}

/// Wait for a child and return its wait status and peak RSS in bytes
/// (`wait4`'s `ru_maxrss`, kilobytes on Linux).
fn wait_with_rss(pid: u32) -> (i32, u64) {
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = libc::pid_t::try_from(pid).expect("pid fits");
    // SAFETY: waits for our own child; both pointers are to live locals.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert!(r == pid, "wait4 failed");
    (status, u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024)
}

/// Parse time of the C loader on `file`.
fn c_loader(python: &Path, file: &Path) -> Duration {
    let out = Command::new(python)
        .args(["-c", LOADER])
        .arg(file)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let secs: f64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("seconds");
    Duration::from_secs_f64(secs)
}

/// A Python with PyYAML's C loader: the system `python3`, or one in a venv
/// under `dir` with PyYAML installed by pip.
fn python(dir: &Path) -> Option<PathBuf> {
    let has_loader = |py: &Path| {
        Command::new(py)
            .args(["-c", "import yaml; yaml.CSafeLoader"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let system = PathBuf::from("python3");
    if has_loader(&system) {
        return Some(system);
    }
    let venv = dir.join("venv");
    let py = venv.join("bin").join("python3");
    if !py.exists() {
        println!("installing PyYAML in {}", venv.display());
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .is_ok_and(|s| s.success());
        let installed = made
            && Command::new(&py)
                .args(["-m", "pip", "install", "--quiet", "pyyaml"])
                .status()
                .is_ok_and(|s| s.success());
        if !installed {
            return None;
        }
    }
    has_loader(&py).then_some(py)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}
