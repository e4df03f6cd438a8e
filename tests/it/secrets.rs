//! No secret in any output: the real binary runs over TLS inputs (a Secret
//! with a private key) and a controller with a password, and every output
//! is scanned: compile in every format, plan text and JSON, the saved plan
//! file, the state file of `pull`, apply's output, the request log at its
//! most verbose level (`-vv`), and error messages (a wrong password, a
//! broken manifest next to the key, a refused stale plan). The private key
//! (its PEM armour, its base64 body, the Secret's base64 data) and the
//! password must appear nowhere.
//!
//! Also: TLS verification is on by default, and `--insecure` warns on every
//! run.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use akoctl::devctl::serve::{self, ServeOptions};
use akoctl::devctl::{Config, FakeController, Store};
use serde_json::json;

const PASSWORD: &str = "Tr0ub4dor-and-3-horses";

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn config() -> Config {
    Config {
        users: vec![("admin".into(), PASSWORD.into())],
        ..Config::default()
    }
}

fn seed(s: &mut Store) {
    for n in ["vip-net", "node-net"] {
        s.insert(
            "network",
            "admin",
            json!({"name": n, "cloud_ref": "/api/cloud/?name=Default-Cloud"}),
        );
    }
}

/// The in-memory controller on its own thread, plain HTTP on loopback.
fn controller() -> FakeController {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let ctl = FakeController::start(config()).await.expect("start");
            ctl.with(seed);
            tx.send(ctl).expect("send");
            std::future::pending::<()>().await
        });
    });
    rx.recv().expect("controller")
}

/// The in-memory controller over HTTPS with a generated certificate: its
/// URL and the certificate (PEM).
fn tls_controller() -> (String, String) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
                .await
                .expect("bind");
            let addr = listener.local_addr().expect("addr");
            let (acceptor, pem) =
                serve::self_signed(&["localhost".into(), "127.0.0.1".into()]).expect("cert");
            let mut store = Store::new(config());
            seed(&mut store);
            let store = std::sync::Arc::new(std::sync::Mutex::new(store));
            tx.send((format!("https://127.0.0.1:{}", addr.port()), pem))
                .expect("send");
            serve::serve(
                listener,
                store,
                ServeOptions {
                    data: None,
                    tls: Some(acceptor),
                },
            )
            .await;
        });
    });
    rx.recv().expect("controller")
}

/// Standard base64, for the test's own decoding of the Secret.
fn b64decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter_map(val) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// What must never be printed: the password, the PEM armour, pieces of the
/// key's base64 body from several lines, and a piece of the Secret's data.
fn secrets() -> Vec<String> {
    let text = std::fs::read_to_string(repo("testdata/examples/quickstart/manifests/web.yaml"))
        .expect("quickstart");
    let data = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("tls.key: "))
        .expect("tls.key")
        .to_string();
    let pem = String::from_utf8(b64decode(&data)).expect("PEM");
    assert!(pem.contains("PRIVATE KEY"), "the quickstart holds a key");
    let mut out = vec![PASSWORD.to_string(), "PRIVATE KEY".to_string()];
    out.push(data[30..70].to_string());
    for line in pem.lines().filter(|l| !l.starts_with("-----")) {
        // 24 characters from the middle of each body line.
        if line.len() >= 40 {
            out.push(line[8..32].to_string());
        }
    }
    assert!(out.len() >= 5, "{out:?}");
    out
}

struct Run {
    what: String,
    code: Option<i32>,
    text: String,
}

fn akoctl(password: &str) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_akoctl"));
    c.env("AVI_PASSWORD", password)
        .env_remove("AVI_AUTH_TOKEN")
        .env_remove("AVI_USERNAME")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null());
    c
}

fn run(what: &str, c: &mut std::process::Command) -> Run {
    let out = c.output().expect("run akoctl");
    Run {
        what: what.to_string(),
        code: out.status.code(),
        text: format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

fn inputs(c: &mut std::process::Command) -> &mut std::process::Command {
    c.arg("-f")
        .arg(repo("testdata/examples/quickstart/manifests"))
        .arg("--values")
        .arg(repo("testdata/examples/quickstart/values.yaml"))
}

#[test]
fn no_output_holds_a_private_key_or_the_password() {
    let ctl = controller();
    let url = ctl.url();
    let dir = tempfile::tempdir().expect("tempdir");
    let planfile = dir.path().join("demo.plan");
    let statefile = dir.path().join("state.json");
    let facts = repo("testdata/examples/quickstart/cloud-facts.yaml");
    let mut runs = Vec::new();
    let mut files = Vec::new();

    for fmt in ["json", "yaml", "table"] {
        runs.push(run(
            &format!("compile -o {fmt}"),
            inputs(akoctl(PASSWORD).arg("compile"))
                .arg("--cloud-facts")
                .arg(&facts)
                .args(["-o", fmt, "--explain-rules"]),
        ));
    }
    runs.push(run(
        "plan offline",
        inputs(akoctl(PASSWORD).arg("plan"))
            .arg("--cloud-facts")
            .arg(&facts),
    ));
    runs.push(run(
        "plan -vv",
        inputs(akoctl(PASSWORD).arg("plan")).args(["--controller", &url, "-vv"]),
    ));
    runs.push(run(
        "plan -o json",
        inputs(akoctl(PASSWORD).arg("plan")).args(["--controller", &url, "-o", "json"]),
    ));
    runs.push(run(
        "plan --out",
        inputs(akoctl(PASSWORD).arg("plan"))
            .args(["--controller", &url, "-vv", "--out"])
            .arg(&planfile),
    ));
    files.push(planfile.clone());
    runs.push(run(
        "apply PLANFILE -vv",
        inputs(akoctl(PASSWORD).arg("apply").arg(&planfile)).args(["--controller", &url, "-vv"]),
    ));
    assert_eq!(
        runs.last().and_then(|r| r.code),
        Some(0),
        "{}",
        runs.last().map(|r| r.text.as_str()).unwrap_or("")
    );
    // The key did reach the controller.
    let sent = ctl.with(|s| {
        s.objects().iter().any(|o| {
            o.kind == "sslkeyandcertificate"
                && o.body
                    .get("key")
                    .and_then(|k| k.as_str())
                    .is_some_and(|k| k.contains("PRIVATE KEY"))
        })
    });
    assert!(sent, "apply sent the real key");
    runs.push(run(
        "apply stale PLANFILE",
        inputs(akoctl(PASSWORD).arg("apply").arg(&planfile)).args(["--controller", &url, "-vv"]),
    ));
    assert_eq!(runs.last().and_then(|r| r.code), Some(1));
    runs.push(run(
        "apply -vv (no changes)",
        inputs(akoctl(PASSWORD).arg("apply")).args(["--controller", &url, "-vv", "--auto-approve"]),
    ));
    runs.push(run(
        "apply -vv with changes",
        inputs(akoctl(PASSWORD).arg("apply")).args([
            "--controller",
            &url,
            "-vv",
            "--auto-approve",
            "--set",
            "NetworkSettings.enableRHI=true",
        ]),
    ));
    runs.push(run(
        "pull -vv",
        akoctl(PASSWORD)
            .arg("pull")
            .arg("--values")
            .arg(repo("testdata/examples/quickstart/values.yaml"))
            .args(["--controller", &url, "-vv", "-o"])
            .arg(&statefile),
    ));
    files.push(statefile.clone());
    runs.push(run(
        "plan --state",
        inputs(akoctl(PASSWORD).arg("plan"))
            .arg("--state")
            .arg(&statefile),
    ));
    // Errors.
    runs.push(run(
        "wrong password -vv",
        inputs(akoctl("not-the-password").arg("plan")).args(["--controller", &url, "-vv"]),
    ));
    assert_eq!(runs.last().and_then(|r| r.code), Some(1));
    let pwfile = dir.path().join("pw");
    std::fs::write(&pwfile, format!("{PASSWORD}\n")).expect("pw");
    runs.push(run(
        "unreachable controller -vv",
        inputs(akoctl(PASSWORD).arg("apply"))
            .args([
                "--controller",
                "http://127.0.0.1:9",
                "-vv",
                "--auto-approve",
            ])
            .arg("--password-file")
            .arg(&pwfile),
    ));
    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).expect("dir");
    let web = std::fs::read_to_string(repo("testdata/examples/quickstart/manifests/web.yaml"))
        .expect("web");
    // Errors whose quoted lines are next to the key: a YAML syntax error on
    // the line after it, a type error on the line before it, and one inside
    // a PEM written as stringData.
    let pem = String::from_utf8(b64decode(
        web.lines()
            .find_map(|l| l.trim().strip_prefix("tls.key: "))
            .expect("tls.key"),
    ))
    .expect("PEM");
    let indented: String = pem.lines().map(|l| format!("    {l}\n")).collect();
    let variants = [
        web.replacen("  tls.key:", "  tls.other: [1, 2\n  tls.key:", 1),
        {
            let mut lines: Vec<String> = web.lines().map(String::from).collect();
            let i = lines
                .iter()
                .position(|l| l.contains("tls.key"))
                .expect("key line");
            lines.insert(i + 1, "  tls.other: [1, 2".into());
            lines.join("\n")
        },
        web.replacen("  tls.crt:", "  tls.crt: [1, 2]\n  tls.xcrt:", 1),
        web.replacen(
            "data:\n",
            &format!("stringData:\n  tls.key: |\n{indented}  oops: [\ndata:\n"),
            1,
        ),
    ];
    for (n, bad) in variants.iter().enumerate() {
        assert_ne!(bad, &web);
        std::fs::write(broken.join("web.yaml"), bad).expect("write");
        runs.push(run(
            &format!("broken manifest next to the key ({n})"),
            akoctl(PASSWORD)
                .arg("compile")
                .arg("-v")
                .arg("-f")
                .arg(&broken)
                .arg("--values")
                .arg(repo("testdata/examples/quickstart/values.yaml")),
        ));
        let last = runs.last().expect("run");
        assert_eq!(last.code, Some(1), "{}", last.text);
        assert!(
            last.text.contains(" │ "),
            "a snippet is shown: {}",
            last.text
        );
    }
    // The dev controller warns about --password (and then fails on a
    // broken data file, so that it stops).
    let data = dir.path().join("data.json");
    std::fs::write(&data, "not json").expect("data");
    runs.push(run(
        "dev-controller --password",
        akoctl(PASSWORD)
            .env_remove("AVI_PASSWORD")
            .args([
                "dev-controller",
                "--listen",
                "127.0.0.1:0",
                "--password",
                PASSWORD,
                "--data",
            ])
            .arg(&data),
    ));
    assert_eq!(
        runs.last().and_then(|r| r.code),
        Some(1),
        "{}",
        runs.last().map(|r| r.text.as_str()).unwrap_or("")
    );
    assert!(
        runs.last()
            .is_some_and(|r| r.text.contains("--password is visible"))
    );

    // The request log is really there at -vv.
    let vv = runs
        .iter()
        .find(|r| r.what == "apply -vv with changes")
        .expect("run");
    assert!(vv.text.contains("debug: POST /login -> 200"), "{}", vv.text);
    assert!(
        vv.text.contains("debug: PUT /api/virtualservice/"),
        "{}",
        vv.text
    );
    assert!(vv.text.contains("body: {"), "bodies at -vv: {}", vv.text);
    let login = runs.iter().find(|r| r.what == "plan -vv").expect("run");
    assert!(
        login.text.contains("\"password\":\"<redacted>\""),
        "{}",
        login.text
    );

    for f in &files {
        runs.push(Run {
            what: format!("file {}", f.display()),
            code: None,
            text: std::fs::read_to_string(f).expect("output file"),
        });
    }
    for r in &runs {
        for s in secrets() {
            assert!(
                !r.text.contains(&s),
                "{}: printed secret material {s:?}:\n{}",
                r.what,
                r.text
            );
        }
    }
}

#[test]
fn tls_is_verified_and_insecure_always_warns() {
    let (url, pem) = tls_controller();
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, pem).expect("ca");
    let state = dir.path().join("state.json");
    let warning = "warning: --insecure: the controller's TLS certificate is not verified";

    // Default: the self-signed certificate is refused.
    let r = run(
        "plan, verified",
        inputs(akoctl(PASSWORD).arg("plan")).args(["--controller", &url]),
    );
    assert_eq!(r.code, Some(1), "{}", r.text);
    assert!(
        r.text.to_lowercase().contains("certificate"),
        "a TLS verification error: {}",
        r.text
    );
    // With its CA: accepted, no warning.
    let r = run(
        "plan --ca-cert",
        inputs(akoctl(PASSWORD).arg("plan"))
            .args(["--controller", &url, "--ca-cert"])
            .arg(&ca),
    );
    assert_eq!(r.code, Some(0), "{}", r.text);
    assert!(!r.text.contains("--insecure"), "{}", r.text);
    // --insecure: accepted, and every command warns.
    let mut runs = vec![
        run(
            "plan --insecure",
            inputs(akoctl(PASSWORD).arg("plan")).args(["--controller", &url, "--insecure"]),
        ),
        run(
            "apply --insecure",
            inputs(akoctl(PASSWORD).arg("apply")).args([
                "--controller",
                &url,
                "--insecure",
                "--auto-approve",
            ]),
        ),
        run(
            "pull --insecure",
            akoctl(PASSWORD)
                .arg("pull")
                .arg("--values")
                .arg(repo("testdata/examples/quickstart/values.yaml"))
                .args(["--controller", &url, "--insecure", "-o"])
                .arg(&state),
        ),
    ];
    runs.push(run(
        "apply --insecure again",
        inputs(akoctl(PASSWORD).arg("apply")).args([
            "--controller",
            &url,
            "--insecure",
            "--auto-approve",
        ]),
    ));
    for r in &runs {
        assert_eq!(r.code, Some(0), "{}: {}", r.what, r.text);
        assert_eq!(
            r.text.matches(warning).count(),
            1,
            "{}: one warning per run: {}",
            r.what,
            r.text
        );
    }
}
