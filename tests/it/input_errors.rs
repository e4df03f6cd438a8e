//! Every input problem in one run, through the binary: all files' errors,
//! each once with the `error:` prefix, parser texts in plain words, and a
//! file named twice read once.

use std::path::Path;
use std::process::Command;

fn compile_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_akoctl"))
        .current_dir(dir)
        .arg("compile")
        .args(args)
        .output()
        .expect("run akoctl compile");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const BAD_SECRET: &str = "apiVersion: v1
kind: Secret
metadata: {name: s, namespace: default}
type: kubernetes.io/tls
data:
  tls.crt: \"abc>def\"
  tls.key: \"eHl6\"
";

const BAD_YAML: &str = "apiVersion: v1
kind: Service
metadata: {name: x
spec: [
";

const BAD_SERVICE: &str = "apiVersion: v1
kind: Service
metadata: {name: y, namespace: default}
spec:
  ports: \"x\"
";

const GOOD_SERVICE: &str = "apiVersion: v1
kind: Service
metadata: {name: y, namespace: default}
spec:
  ports: [{port: 80}]
";

#[test]
fn every_file_reports_its_error_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (n, t) in [
        ("a.yaml", BAD_SECRET),
        ("b.yaml", BAD_YAML),
        ("c.yaml", BAD_SERVICE),
    ] {
        std::fs::write(dir.path().join(n), t).expect("write");
    }
    let (code, out, err) = compile_in(
        dir.path(),
        &["-f", "a.yaml", "-f", "b.yaml", "-f", "c.yaml"],
    );
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(err.lines().all(|l| l.starts_with("error: ")), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn bad_base64_names_the_field_and_the_character() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("s.yaml"), BAD_SECRET).expect("write");
    let (code, _, err) = compile_in(dir.path(), &["-f", "s.yaml"]);
    assert_eq!(code, 1);
    assert!(!err.contains("Invalid symbol"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn missing_files_are_all_named_quoted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err) = compile_in(dir.path(), &["-f", "nope.yaml", "-f", "gone one.yaml"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read \"nope.yaml\""), "{err}");
    assert!(err.contains("cannot read \"gone one.yaml\""), "{err}");
}

#[test]
fn a_file_given_twice_is_read_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("m")).expect("mkdir");
    std::fs::write(dir.path().join("m/svc.yaml"), GOOD_SERVICE).expect("write");
    let (code, _, err) = compile_in(
        dir.path(),
        &[
            "-f",
            "m/svc.yaml",
            "-f",
            "./m/svc.yaml",
            "-f",
            "m",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("error"), "{err}");
}
