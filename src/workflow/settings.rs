//! AKO's settings from a values file, `--set` and cloud facts.

use miette::Result;

use crate::model::Diagnostic;
use crate::release::Release;
use crate::settings::Settings;
use crate::settings::values::{self, SettingsInput};

/// The settings of `values_text` (name, text), `sets` and `facts_text` for
/// the chart and objects of AKO `release`, and their diagnostics.
pub fn from_values(
    values_text: &Option<(String, String)>,
    sets: &[String],
    facts_text: &Option<(String, String)>,
    release: Release,
) -> Result<(Settings, Vec<Diagnostic>)> {
    values::load_for(
        &SettingsInput {
            values: values_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
            sets,
            cloud_facts: facts_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        },
        release,
    )
}
