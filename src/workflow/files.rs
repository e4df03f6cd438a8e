//! Reading the files a command names (values, cloud facts, compiled sets,
//! plan files, password files), with the path in the error.

use std::path::{Path, PathBuf};

use miette::{IntoDiagnostic, Result, WrapErr};

/// The text of `p`.
pub fn read_text(p: &Path) -> Result<String> {
    std::fs::read_to_string(p)
        .into_diagnostic()
        .wrap_err_with(|| format!("reading {}", p.display()))
}

/// The name and text of `p`, when one is given.
pub fn read_opt(p: &Option<PathBuf>) -> Result<Option<(String, String)>> {
    p.as_ref()
        .map(|p| Ok((p.display().to_string(), read_text(p)?)))
        .transpose()
}
