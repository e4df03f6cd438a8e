//! Connection and login failures through the binary: each says what went
//! wrong in plain words and what to do (`--ca-cert`/`--insecure`, the other
//! scheme, the user and where it came from), never the password.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};

/// A dev controller process, stopped on drop.
struct Dev {
    child: Child,
    url: String,
}

impl Dev {
    fn start(args: &[&str]) -> Dev {
        let mut child = Command::new(env!("CARGO_BIN_EXE_akoctl"))
            .args(["dev-controller", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("AVI_PASSWORD", "s3cret")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start akoctl dev-controller");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("url line");
        Dev {
            child,
            url: line.trim().to_string(),
        }
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `akoctl pull` against `url` with `password` in `AVI_PASSWORD`: exit
/// code and stderr, with the port replaced by `PORT`.
fn pull(url: &str, password: &str, extra: &[&str], envs: &[(&str, &str)]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_akoctl"))
        .args(["pull", "--controller", url, "-o", "-"])
        .args(extra)
        .env("AVI_PASSWORD", password)
        .env_remove("AVI_USERNAME")
        .env_remove("AVI_AUTH_TOKEN")
        .envs(envs.iter().copied())
        .stdout(Stdio::null())
        .output()
        .expect("run akoctl pull");
    let port = url.rsplit(':').next().unwrap_or_default();
    let err = String::from_utf8_lossy(&out.stderr).replace(&format!(":{port}"), ":PORT");
    (out.status.code().unwrap_or(-1), err)
}

#[test]
fn an_unknown_issuer_suggests_ca_cert_or_insecure() {
    let dev = Dev::start(&["--tls"]);
    let (code, err) = pull(&dev.url, "s3cret", &[], &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn https_to_a_plain_http_controller_says_so() {
    let dev = Dev::start(&[]);
    let url = dev.url.replace("http://", "https://");
    let (code, err) = pull(&url, "s3cret", &[], &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn http_to_a_tls_controller_says_so() {
    let dev = Dev::start(&["--tls"]);
    let url = dev.url.replace("https://", "http://");
    let (code, err) = pull(&url, "s3cret", &[], &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn https_to_a_listener_that_hangs_up() {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for c in l.incoming() {
            drop(c);
        }
    });
    let (code, err) = pull(&format!("https://127.0.0.1:{port}"), "x", &[], &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn nothing_listening() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let (code, err) = pull(&format!("https://127.0.0.1:{port}"), "x", &[], &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn a_refused_login_names_the_user_and_its_origin_never_the_password() {
    let dev = Dev::start(&[]);
    let (code, default_user) = pull(&dev.url, "wrong-pw", &[], &[]);
    assert_eq!(code, 1);
    let (_, from_env) = pull(&dev.url, "wrong-pw", &[], &[("AVI_USERNAME", "ops")]);
    let (_, from_flag) = pull(
        &dev.url,
        "wrong-pw",
        &["--username", "admin"],
        &[("AVI_USERNAME", "ops")],
    );
    for e in [&default_user, &from_env, &from_flag] {
        assert!(!e.contains("wrong-pw"), "{e}");
    }
    insta::assert_snapshot!(format!("{default_user}{from_env}{from_flag}"));
}

#[test]
fn the_right_ca_connects() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pem = dir.path().join("ctl.pem");
    let dev = Dev::start(&["--tls", "--cert-out", pem.to_str().expect("utf-8")]);
    let (code, err) = pull(
        &dev.url,
        "s3cret",
        &["--ca-cert", pem.to_str().expect("utf-8")],
        &[],
    );
    assert_eq!(code, 0, "{err}");
}
