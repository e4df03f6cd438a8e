//! Diagnostic levels on the command line: `--strict`, `--deny CODE`,
//! `--allow CODE`, `-q`, and the repository's `.akoctl.yaml`.
//!
//! `.akoctl.yaml` is found in the current folder or the nearest parent
//! (the search stops at a folder holding `.git`), or named with `--config`.
//! Its top-level keys are the sections of [`RepoConfig`]; a new setting is
//! one field there (and one line in README's example).

use std::path::{Path, PathBuf};

use clap::Args;
use miette::{IntoDiagnostic, Result, WrapErr, miette};
use serde::Deserialize;

use crate::diagnostics::{self, Outcome, Policy};
use crate::model::Diagnostic;

/// The repository configuration file's name.
pub const CONFIG_FILE: &str = ".akoctl.yaml";

#[derive(Args, Debug, Clone, Default)]
pub struct GateArgs {
    /// Fail (exit 1) on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,
    /// Report this diagnostic code (`AKO022`, or its name
    /// `missing-backend-service`) as an error. Repeatable.
    #[arg(long, value_name = "CODE")]
    pub deny: Vec<String>,
    /// Hide this diagnostic code and never fail on it (an error AKO would
    /// refuse stays an error). Repeatable.
    #[arg(long, value_name = "CODE")]
    pub allow: Vec<String>,
    /// Print errors only (warnings are counted in one line).
    #[arg(short = 'q', long, conflicts_with = "strict")]
    pub quiet: bool,
    /// Repository settings [default: .akoctl.yaml in this folder or the
    /// nearest parent up to the repository root].
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub config: Option<PathBuf>,
}

/// `.akoctl.yaml`. Every section is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepoConfig {
    #[serde(default)]
    pub diagnostics: DiagnosticsConfig,
    /// `ako-version:` the AKO release to model, as `--ako-version` takes it
    /// (the flag wins).
    #[serde(default, rename = "ako-version")]
    pub ako_version: Option<String>,
}

impl RepoConfig {
    /// The release `ako-version:` names, if any; an unknown one is an error
    /// listing the modelled releases, as the flag's is.
    pub fn release(&self) -> Result<Option<crate::release::Release>> {
        self.ako_version
            .as_deref()
            .map(|v| {
                crate::release::Release::parse(v)
                    .map_err(|e| miette!("{CONFIG_FILE}: ako-version: {e}"))
            })
            .transpose()
    }
}

/// `diagnostics:` in `.akoctl.yaml`: the same as `--strict`, `--deny`,
/// `--allow` (command-line flags win over the file).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosticsConfig {
    #[serde(default)]
    pub strict: bool,
    #[serde(default)]
    pub deny: Vec<String>,
    #[serde(default)]
    pub allow: Vec<String>,
}

/// The configuration file that applies in `dir`, if any.
fn find_config(dir: &Path) -> Option<PathBuf> {
    let mut d = Some(dir);
    while let Some(here) = d {
        let f = here.join(CONFIG_FILE);
        if f.is_file() {
            return Some(f);
        }
        if here.join(".git").exists() {
            return None;
        }
        d = here.parent();
    }
    None
}

/// Parse a configuration file's text.
pub fn parse_config(name: &str, text: &str) -> Result<RepoConfig> {
    if text.trim().is_empty() {
        return Ok(RepoConfig::default());
    }
    serde_saphyr::from_str(text).map_err(|e| miette!("{name:?}: {e}"))
}

impl GateArgs {
    /// The policy of these flags over the configuration file's.
    pub fn policy(&self, verbose: u8) -> Result<Policy> {
        Ok(self.merge(&self.repo_config()?, verbose))
    }

    /// The configuration file these flags name or that applies here
    /// (empty when there is none).
    pub fn repo_config(&self) -> Result<RepoConfig> {
        let file = match &self.config {
            Some(p) => Some(p.clone()),
            None => std::env::current_dir().ok().and_then(|d| find_config(&d)),
        };
        let cfg = match &file {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .into_diagnostic()
                    .wrap_err_with(|| format!("reading {:?}", p.display().to_string()))?;
                parse_config(&p.display().to_string(), &text)?
            }
            None => RepoConfig::default(),
        };
        Ok(cfg)
    }

    /// Flags over the file: a code named by a flag leaves the file's other list.
    pub fn merge(&self, cfg: &RepoConfig, verbose: u8) -> Policy {
        let c = &cfg.diagnostics;
        let same = |a: &str, b: &str| diagnostics_key(a) == diagnostics_key(b);
        let mut deny: Vec<String> = c
            .deny
            .iter()
            .filter(|d| !self.allow.iter().any(|a| same(a, d)))
            .cloned()
            .collect();
        deny.extend(self.deny.iter().cloned());
        let mut allow: Vec<String> = c
            .allow
            .iter()
            .filter(|a| !self.deny.iter().any(|d| same(a, d)))
            .cloned()
            .collect();
        allow.extend(self.allow.iter().cloned());
        let verbosity = if self.quiet {
            -1
        } else {
            verbose.min(100) as i8
        };
        Policy::new(
            (self.strict || c.strict) && !self.quiet,
            &deny,
            &allow,
            verbosity,
        )
    }
}

fn diagnostics_key(code: &str) -> String {
    diagnostics::lookup(code)
        .map(|c| c.code.to_string())
        .unwrap_or_else(|| code.trim().to_ascii_uppercase())
}

/// Print an outcome on stderr: the shown diagnostics at their level, then
/// one line for the hidden ones. Unknown codes in the policy are an error.
pub fn print(policy: &Policy, outcome: &Outcome) -> Result<()> {
    let unknown = policy.unknown_codes();
    if !unknown.is_empty() {
        return Err(miette!(
            "unknown diagnostic code{} {}; `akoctl explain-code` lists them",
            if unknown.len() == 1 { "" } else { "s" },
            unknown.join(", ")
        ));
    }
    let style = super::Style::stderr();
    for g in outcome.items.iter().filter(|g| g.shown) {
        let d = Diagnostic {
            severity: g.level,
            ..g.diagnostic.clone()
        };
        style.print(&d);
    }
    if let Some(s) = outcome.hidden_summary() {
        eprintln!("{s}");
    }
    Ok(())
}

/// Apply the policy, print, and say whether the run failed.
pub fn report(policy: &Policy, diags: &[Diagnostic]) -> Result<Outcome> {
    let outcome = policy.apply(diags);
    print(policy, &outcome)?;
    Ok(outcome)
}

/// `{"objects": ...}` from `render` → `{"format_version", "objects", ...,
/// "diagnostics"}`: the two fields spliced into the text, so that a large
/// output is not parsed again.
pub fn with_diagnostics(json_text: &str, outcome: &Outcome) -> String {
    let body = json_text.trim_end();
    let Some(inner) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) else {
        return json_text.to_string();
    };
    let diags = serde_json::to_string_pretty(&outcome.to_json()).unwrap_or_else(|_| "[]".into());
    let diags = diags.replace('\n', "\n  ");
    let inner = inner.trim_end();
    let sep = if inner.trim().is_empty() { "" } else { "," };
    format!(
        "{{\n  \"format_version\": \"{}\",{inner}{sep}\n  \"diagnostics\": {diags}\n}}\n",
        diagnostics::FORMAT_VERSION
    )
}

/// `akoctl explain-code [CODE]`: the list of codes, or one code explained.
pub fn explain_code(code: Option<&str>) -> Result<String> {
    match code {
        None => Ok(diagnostics::list_text()),
        Some(c) => diagnostics::lookup(c)
            .map(diagnostics::explain_text)
            .ok_or_else(|| {
                miette!("unknown diagnostic code {c:?}; `akoctl explain-code` lists them")
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file() {
        let cfg = parse_config(
            ".akoctl.yaml",
            "diagnostics:\n  strict: true\n  deny: [AKO022]\n  allow: [service-not-l4]\n",
        )
        .expect("valid");
        let flags = GateArgs {
            allow: vec!["missing-backend-service".into()],
            ..GateArgs::default()
        };
        let p = flags.merge(&cfg, 0);
        assert!(p.strict);
        assert!(p.deny.is_empty(), "{p:?}");
        assert!(p.allow.contains("AKO022") && p.allow.contains("AKO020"));
        assert!(parse_config("x", "diagnostics:\n  stirct: true\n").is_err());
        assert!(parse_config("x", "").is_ok());
    }

    #[test]
    fn splices_version_and_diagnostics() {
        let o = Policy::default().apply(&[]);
        let out = with_diagnostics("{\n  \"objects\": []\n}\n", &o);
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        assert_eq!(v["format_version"], "1");
        assert_eq!(v["diagnostics"], serde_json::json!([]));
        assert!(
            out.starts_with("{\n  \"format_version\": \"1\",\n  \"objects\""),
            "{out}"
        );
    }
}
