//! Every `akoctl` command of README.md's `sh` blocks, run as printed (one
//! bash script per block, in a scratch folder that sees the repository's
//! `testdata/`), so that none can rot. Lines that call cargo (install,
//! test, fuzz) are left to the build; the dev controller's port is swapped
//! for a free one, and a block that starts a background process waits for
//! it to listen and stops it at the end.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The `sh` blocks of a markdown text, as lists of lines.
fn sh_blocks(text: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut cur: Option<Vec<String>> = None;
    for line in text.lines() {
        match &mut cur {
            None if line.trim_start().starts_with("```sh") => cur = Some(Vec::new()),
            None => {}
            Some(_) if line.trim_start().starts_with("```") => {
                blocks.extend(cur.take());
            }
            Some(b) => b.push(line.to_string()),
        }
    }
    blocks
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[test]
fn every_readme_command_runs() {
    let text = std::fs::read_to_string(repo("README.md")).expect("README.md");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_akoctl"));
    let bin_dir = bin.parent().expect("bin dir").to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    let mut failures = Vec::new();
    for block in sh_blocks(&text) {
        let lines: Vec<&String> = block
            .iter()
            .filter(|l| !l.contains("cargo ") && !l.trim().is_empty())
            .collect();
        if !lines.iter().any(|l| l.contains("akoctl ")) {
            continue;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        std::os::unix::fs::symlink(repo("testdata"), dir.path().join("testdata")).expect("link");
        let port = free_port().to_string();
        let mut script = String::from("set -e\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n");
        for l in &lines {
            let mut l = l.replace("9443", &port);
            if l.contains("akoctl dev-controller") && !l.contains("--listen") {
                l = l.replace(
                    "akoctl dev-controller",
                    &format!("akoctl dev-controller --listen 127.0.0.1:{port}"),
                );
            }
            script.push_str(&l);
            script.push('\n');
            if l.trim_end().ends_with('&') {
                script.push_str(&format!(
                    "for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && break; sleep 0.1; done\n"
                ));
            }
        }
        let out = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("AVI_PASSWORD")
            .env_remove("AVI_AUTH_TOKEN")
            .env_remove("AVI_USERNAME")
            .env_remove("KUBECONFIG")
            .output()
            .expect("bash runs");
        ran += lines.iter().filter(|l| l.contains("akoctl ")).count();
        if !out.status.success() {
            failures.push(format!(
                "{script}\nexit {:?}\nstderr:\n{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(ran >= 8, "only {ran} commands found in README.md");
    assert!(failures.is_empty(), "{}", failures.join("\n----\n"));
}

/// Help examples are printed as written: no example line is longer than 80
/// columns, so a terminal never wraps one in the middle of a command; and
/// every command takes `--no-color`.
#[test]
fn help_examples_fit_80_columns_and_every_command_takes_no_color() {
    let commands = [
        "",
        "compile",
        "plan",
        "pull",
        "apply",
        "explain-name",
        "explain-code",
        "dev-controller",
        "snapshot",
        "completions",
    ];
    for c in commands {
        let out = Command::new(env!("CARGO_BIN_EXE_akoctl"))
            .args([c, "--help"].into_iter().filter(|a| !a.is_empty()))
            .env("COLUMNS", "300")
            .output()
            .expect("runs");
        let help = String::from_utf8_lossy(&out.stdout).into_owned();
        for l in help.lines() {
            let t = l.trim_start();
            let example = l.starts_with("  ")
                && ["akoctl ", "kubectl ", "AVI_PASSWORD", "export "]
                    .iter()
                    .any(|p| t.starts_with(p));
            assert!(
                !example || l.chars().count() <= 80,
                "`akoctl {c} --help`: {l:?}"
            );
        }
        if !c.is_empty() {
            assert!(
                help.contains("--no-color"),
                "`akoctl {c} --help` lacks --no-color"
            );
        }
    }
}
