//! `cargo bench --bench scaling`: the scaling targets, each measured as a
//! ratio within one run (absolute times are noisy). Size with
//! `AKOCTL_BENCH_N` (default 1000; the targets in BENCHMARKS.md use 10000):
//! N LoadBalancer Services + N Ingresses (2 hosts x 2 paths, 30% TLS).
//!
//! - compile / parse: parse+compile of the text over parsing it alone;
//! - 10x input: time and peak memory of N*10 over N (parse+compile);
//! - peak memory of compile over the size of the YAML text.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use akoctl::compile::compile;
use akoctl::input::{Source, decode};
use akoctl::settings::{CloudFacts, Settings};
use akoctl::synth::{GenSpec, generate};

/// Counts live and peak heap bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static A: Counting = Counting;

fn settings() -> Settings {
    Settings {
        cluster_name: "bench".into(),
        cloud: CloudFacts {
            dns_subdomains: vec!["example.com".into()],
            ..CloudFacts::default()
        },
        ..Settings::default()
    }
}

/// CPU time this thread has used (Linux: `/proc/thread-self/schedstat`,
/// nanoseconds). On a machine shared with other work, wall time counts the
/// time other processes held the cores; CPU time does not.
fn cpu_now() -> Option<Duration> {
    let t = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    t.split_whitespace()
        .next()?
        .parse::<u64>()
        .ok()
        .map(Duration::from_nanos)
}

/// Best of `runs` times (CPU time of this thread where the system reports
/// it, wall time otherwise), and the peak heap above the baseline seen
/// during the runs.
///
/// What `f` returns is dropped after the clock stops: `akoctl compile` does
/// not free its snapshot and output before it exits (see `cli::leak`), so
/// the time to a result is what a user waits for.
fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    for _ in 0..runs {
        let t = Instant::now();
        let c = cpu_now();
        let kept = f();
        let took = match (c, cpu_now()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => t.elapsed(),
        };
        drop(kept);
        best = best.min(took);
    }
    (best, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // special: keep that run tiny.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("AKOCTL_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 20 } else { 1000 });
    let runs = if quick { 1 } else { 3 };
    let s = settings();
    let spec = |n| GenSpec {
        services: n,
        ingresses: n,
        ..GenSpec::default()
    };

    let text = generate(&spec(n));
    let src = vec![Source {
        name: "synthetic.yaml".into(),
        text,
    }];
    let (parse, _) = measure(runs, || decode(&src, "default").expect("decodes"));
    let (full, peak) = measure(runs, || {
        let (snap, _) = decode(&src, "default").expect("decodes");
        let out = compile(&snap, &s);
        (snap, out)
    });
    let yaml = src[0].text.len();

    // Where the peak comes from: decoding alone (peak, and what the snapshot
    // keeps), then compiling a decoded snapshot (peak above it, and what the
    // output keeps).
    let (_, decode_peak) = measure(1, || {
        let _ = decode(&src, "default").expect("decodes");
    });
    let before = LIVE.load(Ordering::Relaxed);
    let (snap, _) = decode(&src, "default").expect("decodes");
    let snapshot = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    let (_, compile_peak) = measure(1, || {
        let _ = compile(&snap, &s);
    });
    let before = LIVE.load(Ordering::Relaxed);
    let out = compile(&snap, &s);
    let output = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    let output_json: usize = out
        .objects
        .objects
        .iter()
        .map(|o| serde_json::to_string(&o.body).map_or(0, |t| t.len()))
        .sum();
    let objects = out.objects.objects.len();
    drop(out);
    drop(snap);

    let text10 = generate(&spec(n * 10));
    let src10 = vec![Source {
        name: "synthetic.yaml".into(),
        text: text10,
    }];
    let (parse10, _) = measure(runs.min(2), || decode(&src10, "default").expect("decodes"));
    let (full10, peak10) = measure(runs.min(2), || {
        let (snap, _) = decode(&src10, "default").expect("decodes");
        let out = compile(&snap, &s);
        (snap, out)
    });

    println!("input: {n} LoadBalancer Services + {n} Ingresses, {yaml} bytes of YAML");
    println!(
        "times: {}",
        if cpu_now().is_some() {
            "CPU time of the benchmark thread"
        } else {
            "wall time"
        }
    );
    println!(
        "parse only           {:>10.1} ms",
        parse.as_secs_f64() * 1e3
    );
    println!("parse + compile      {:>10.1} ms", full.as_secs_f64() * 1e3);
    println!(
        "parse + compile x10  {:>10.1} ms",
        full10.as_secs_f64() * 1e3
    );
    println!(
        "compile / parse              {:>6.2}  (target <= 1.5)",
        ratio(full, parse)
    );
    println!(
        "compile / parse at 10x       {:>6.2}  (target <= 1.5; {} Services + {} Ingresses)",
        ratio(full10, parse10),
        n * 10,
        n * 10
    );
    println!(
        "time(10x) / time(1x)         {:>6.2}  (target <= 11)",
        ratio(full10, full)
    );
    println!(
        "  of which parse only          {:>6.2}",
        ratio(parse10, parse)
    );
    println!(
        "memory(10x) / memory(1x)     {:>6.2}  (target <= 11)",
        peak10 as f64 / peak.max(1) as f64
    );
    println!(
        "peak memory / YAML size      {:>6.2}  (target <= 4)",
        peak as f64 / yaml.max(1) as f64
    );
    let x = |b: usize| b as f64 / yaml.max(1) as f64;
    println!(
        "  peak of parse + compile     {:>10} bytes {:>6.2}x",
        peak,
        x(peak)
    );
    println!(
        "  peak of decode alone        {:>10} bytes {:>6.2}x",
        decode_peak,
        x(decode_peak)
    );
    println!(
        "  snapshot kept by decode     {:>10} bytes {:>6.2}x",
        snapshot,
        x(snapshot)
    );
    println!(
        "  peak of compile alone       {:>10} bytes {:>6.2}x (above the snapshot)",
        compile_peak,
        x(compile_peak)
    );
    println!(
        "  output kept ({objects} objects) {:>10} bytes {:>6.2}x",
        output,
        x(output)
    );
    println!(
        "  output as compact JSON      {:>10} bytes {:>6.2}x",
        output_json,
        x(output_json)
    );
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}
