//! The IO half of input: turning `-f` arguments into [`Source`] texts.

use std::io::Read;
use std::path::{Path, PathBuf};

use miette::{Result, miette};

use super::Source;

/// Largest manifest file read (and largest stdin). YAML positions are kept in
/// 32 bits, and nothing real comes close to this.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Name given to standard input in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// Read every `-f` argument: a file, a folder (recursively, `.yaml`, `.yml` and
/// `.json` files in sorted path order), or `-` for standard input.
pub fn read_sources(paths: &[String]) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    // A file named twice (directly, through a folder, or by another path
    // to it) is read once.
    let mut seen = std::collections::HashSet::new();
    let mut first_time = |path: &Path| {
        seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    };
    // Every argument is tried, so that one run reports every problem.
    let mut errors = Vec::new();
    for p in paths {
        if p == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| miette!("cannot read standard input: {e}"))?;
            out.push(to_source(STDIN_NAME.to_string(), bytes)?);
            continue;
        }
        let path = Path::new(p);
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                errors.push(format!("cannot read {p:?}: {e}"));
                continue;
            }
        };
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            if files.is_empty() {
                errors.push(format!("no .yaml, .yml or .json files in folder {p:?}"));
                continue;
            }
            files.sort();
            for f in files {
                if first_time(&f) {
                    match read_file(&f) {
                        Ok(s) => out.push(s),
                        Err(e) => errors.push(e.to_string()),
                    }
                }
            }
        } else if first_time(path) {
            match read_file(path) {
                Ok(s) => out.push(s),
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    if !errors.is_empty() {
        return Err(miette!("{}", errors.join("\n")));
    }
    Ok(out)
}

/// Collect manifest files below `dir`. Symbolic links to folders are not
/// followed (no loops); links to files are.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| miette!("cannot read folder {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| miette!("cannot read folder {}: {e}", dir.display()))?;
        let path = entry.path();
        let ty = entry
            .file_type()
            .map_err(|e| miette!("cannot read {}: {e}", path.display()))?;
        if ty.is_dir() {
            walk(&path, files)?;
        } else if is_manifest(&path) && (ty.is_file() || path.is_file()) {
            files.push(path);
        }
    }
    Ok(())
}

fn is_manifest(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["yaml", "yml", "json"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

fn read_file(path: &Path) -> Result<Source> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| miette!("cannot read {name:?}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| miette!("cannot read {name:?}: {e}"))?;
    to_source(name, bytes)
}

/// Check size and encoding; drop a UTF-8 byte order mark.
pub fn to_source(name: String, bytes: Vec<u8>) -> Result<Source> {
    to_source_limited(name, bytes, MAX_FILE_BYTES)
}

fn to_source_limited(name: String, bytes: Vec<u8>, max: u64) -> Result<Source> {
    if bytes.len() as u64 > max {
        return Err(miette!(
            "{name} is larger than {} MiB; split it into several files",
            max / (1024 * 1024)
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(Source { name, text })
        }
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            // Column in characters, like the YAML positions.
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            let hint = if e.as_bytes().starts_with(&[0xff, 0xfe])
                || e.as_bytes().starts_with(&[0xfe, 0xff])
            {
                " (it looks like UTF-16; convert it to UTF-8)"
            } else {
                ""
            };
            Err(miette!(
                "{name}:{line}:{column}: the file is not valid UTF-8{hint}"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = to_source("x.yaml".into(), b"a: 1\nb: \xff\n".to_vec())
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("x.yaml:2:4: the file is not valid UTF-8")
        );
    }

    #[test]
    fn utf16_gets_a_hint() {
        let err = to_source("x.yaml".into(), vec![0xff, 0xfe, b'a', 0])
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("UTF-16")));
    }

    #[test]
    fn too_large_is_an_error() {
        let err = to_source_limited(
            "big.yaml".into(),
            vec![b'a'; 2 * 1024 * 1024 + 1],
            2 * 1024 * 1024,
        )
        .err()
        .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("big.yaml is larger than 2 MiB; split it into several files")
        );
        assert!(to_source_limited("ok.yaml".into(), vec![b'a'; 16], 16).is_ok());
    }

    #[test]
    fn bom_is_dropped() {
        let s = to_source("x.yaml".into(), "\u{feff}a: 1\n".as_bytes().to_vec());
        assert_eq!(s.ok().map(|s| s.text).as_deref(), Some("a: 1\n"));
    }

    #[test]
    fn folder_is_walked_recursively_in_sorted_order() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| miette!("{e}"))?;
        let root = dir.path();
        let w = |rel: &str, text: &str| -> Result<()> {
            let p = root.join(rel);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).map_err(|e| miette!("{e}"))?;
            }
            std::fs::write(p, text).map_err(|e| miette!("{e}"))
        };
        w("b.yaml", "b")?;
        w("a/z.yml", "z")?;
        w("a/y.JSON", "y")?;
        w("a/notes.txt", "no")?;
        w("c.yaml.bak", "no")?;
        let sources = read_sources(&[root.display().to_string()])?;
        let texts: Vec<&str> = sources.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["y", "z", "b"]);
        Ok(())
    }

    #[test]
    fn empty_folder_is_an_error() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| miette!("{e}"))?;
        assert!(read_sources(&[dir.path().display().to_string()]).is_err());
        Ok(())
    }

    #[test]
    fn missing_file_is_an_error() {
        let err = read_sources(&["/nonexistent/x.yaml".into()])
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("/nonexistent/x.yaml")));
    }
}
