//! Shell completions and man pages, generated from the clap definition and
//! checked in under `completions/` and `man/`.
//!
//! Refresh them with `cargo run -- gen-docs` (or `AKOCTL_UPDATE_DOCS=1 cargo test`);
//! a test fails while the checked-in files differ from what this generates.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::{Generator, Shell};

use super::Cli;

/// What to run when the checked-in files are out of date.
pub const REFRESH_HINT: &str = "completions/ or man/ are out of date: run `cargo run -- gen-docs` \
     (or `AKOCTL_UPDATE_DOCS=1 cargo test`) and commit the result";

/// Shells completions are generated for.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// Every generated file: path relative to the repository root, and contents.
pub fn generate() -> std::io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for shell in SHELLS {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "akoctl", &mut buf);
        files.push((
            Path::new("completions").join(shell.file_name("akoctl")),
            buf,
        ));
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    man_pages(cmd, &mut files)?;
    files.sort();
    Ok(files)
}

/// One page for the command and one per visible subcommand (`akoctl-compile.1`).
fn man_pages(cmd: clap::Command, files: &mut Vec<(PathBuf, Vec<u8>)>) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        man_pages(sub.clone(), files)?;
    }
    let man = clap_mangen::Man::new(cmd);
    let mut buf = Vec::new();
    man.render(&mut buf)?;
    files.push((Path::new("man").join(man.get_filename()), buf));
    Ok(())
}

/// Generated files whose checked-in copy under `root` is missing or differs,
/// plus checked-in files that are no longer generated.
pub fn stale(root: &Path, files: &[(PathBuf, Vec<u8>)]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = files
        .iter()
        .filter(|(p, body)| std::fs::read(root.join(p)).ok().as_deref() != Some(body.as_slice()))
        .map(|(p, _)| p.clone())
        .collect();
    for dir in ["completions", "man"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let rel = Path::new(dir).join(e.file_name());
            if !files.iter().any(|(p, _)| *p == rel) {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

/// Write the files under `root`, removing generated folders' leftovers.
pub fn write(root: &Path, files: &[(PathBuf, Vec<u8>)]) -> std::io::Result<()> {
    for dir in ["completions", "man"] {
        std::fs::create_dir_all(root.join(dir))?;
        for e in std::fs::read_dir(root.join(dir))?.flatten() {
            let rel = Path::new(dir).join(e.file_name());
            if !files.iter().any(|(p, _)| *p == rel) {
                std::fs::remove_file(e.path())?;
            }
        }
    }
    for (p, body) in files {
        std::fs::write(root.join(p), body)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in completions/ and man/ match the clap definition.
    #[test]
    fn checked_in_docs_are_up_to_date() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let files = generate().expect("docs generate");
        if std::env::var_os("AKOCTL_UPDATE_DOCS").is_some_and(|v| v == "1") {
            write(root, &files).expect("docs written");
        }
        let stale = stale(root, &files);
        assert!(stale.is_empty(), "{REFRESH_HINT}\nstale: {stale:?}");
    }

    #[test]
    fn every_shell_and_subcommand_is_covered() {
        let files = generate().expect("docs generate");
        let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        for want in [
            "completions/akoctl.bash",
            "completions/_akoctl",
            "completions/akoctl.fish",
            "man/akoctl.1",
            "man/akoctl-compile.1",
            "man/akoctl-completions.1",
        ] {
            assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
        }
        for (p, body) in &files {
            assert!(
                !String::from_utf8_lossy(body).contains("gen-docs"),
                "the maintainer command leaks into {}",
                p.display()
            );
        }
        let bash = &files
            .iter()
            .find(|(p, _)| p.ends_with("akoctl.bash"))
            .expect("bash")
            .1;
        assert!(String::from_utf8_lossy(bash).contains("--cloud-facts"));
    }
}
