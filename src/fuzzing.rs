//! Entry points for the fuzz targets in `fuzz/` and for the regression tests
//! that replay what they found (`testdata/fuzz-regressions/<target>/`).
//!
//! Each takes arbitrary bytes, runs one pure stage on them the way the command
//! line would, and returns a short outcome (`Ok` with a count, or the error
//! text). A panic, an endless loop or unbounded memory is a bug; an error is
//! the expected answer to most inputs.

use crate::compile;
use crate::input;
use crate::model::ObjectSet;
use crate::plan::{self, PlanSettings, planfile, render, state};
use crate::settings::Settings;
use crate::settings::values::{self, SettingsInput};

/// Prefix of an outcome that is a bug although nothing panicked; the fuzz
/// targets turn it into a crash.
pub const INVARIANT: &str = "invariant broken";

/// Settings the compile target picks from by its first byte: the examples'
/// values and cloud facts (ClusterIP shards, EVH, OpenShift).
const SETTINGS: [(&str, &str); 3] = [
    (
        include_str!("../testdata/examples/quickstart/values.yaml"),
        include_str!("../testdata/examples/quickstart/cloud-facts.yaml"),
    ),
    (
        include_str!("../testdata/examples/evh/values.yaml"),
        include_str!("../testdata/examples/evh/cloud-facts.yaml"),
    ),
    (
        include_str!("../testdata/examples/openshift/values.yaml"),
        include_str!("../testdata/examples/openshift/cloud-facts.yaml"),
    ),
];

/// Bytes as one manifest file, as `-f FILE` reads it (UTF-8 check, byte order
/// mark), then decoded. `Ok` holds the number of diagnostics.
pub fn manifest(data: &[u8]) -> Result<usize, String> {
    let src = input::to_source("fuzz.yaml".into(), data.to_vec()).map_err(|e| e.to_string())?;
    let (_, diags) = input::decode(&[src], "default").map_err(|e| e.to_string())?;
    Ok(diags.len())
}

/// Bytes as a helm values file. `Ok` holds the number of diagnostics.
pub fn values(data: &[u8]) -> Result<usize, String> {
    let text = std::str::from_utf8(data).map_err(|e| e.to_string())?;
    let (_, diags) = values::load(&SettingsInput {
        values: Some(("values.yaml", text)),
        sets: &[],
        cloud_facts: None,
    })
    .map_err(|e| e.to_string())?;
    Ok(diags.len())
}

/// One of the fixed [`SETTINGS`].
pub fn settings(choice: u8) -> Result<Settings, String> {
    let (v, f) = SETTINGS[usize::from(choice) % SETTINGS.len()];
    values::load(&SettingsInput {
        values: Some(("values.yaml", v)),
        sets: &[],
        cloud_facts: Some(("cloud-facts.yaml", f)),
    })
    .map(|(s, _)| s)
    .map_err(|e| e.to_string())
}

/// First byte: which settings; the rest: a manifest, decoded and compiled,
/// then rendered as every output format. `Ok` holds the number of objects.
pub fn compile(data: &[u8]) -> Result<usize, String> {
    let Some((&choice, rest)) = data.split_first() else {
        return Err("empty".into());
    };
    let settings = settings(choice)?;
    let src = input::to_source("fuzz.yaml".into(), rest.to_vec()).map_err(|e| e.to_string())?;
    let (snap, _) = input::decode(&[src], "default").map_err(|e| e.to_string())?;
    let compiled = compile::compile(&snap, &settings);
    for format in [
        crate::render::Format::Json,
        crate::render::Format::Yaml,
        crate::render::Format::Table,
    ] {
        let _ = crate::render::render_with(&compiled.objects, format, false);
    }
    // Planning the result against itself must show no change.
    let current = state::State::from_json(
        &crate::render::render_with(&compiled.objects, crate::render::Format::Json, true),
        state::StateOrigin::Empty,
    )
    .map(|(s, _)| s)?;
    let p = plan::plan(
        &compiled.objects,
        &current,
        &PlanSettings::from_settings(&settings),
    );
    if p.has_changes() {
        return Err(format!(
            "{INVARIANT}: a compiled set planned against itself has changes"
        ));
    }
    Ok(compiled.objects.objects.len())
}

/// Bytes as a saved plan file, and as a state file: parsed, planned against
/// nothing and rendered. `Ok` holds the number of state objects.
pub fn planfile(data: &[u8]) -> Result<usize, String> {
    let text = std::str::from_utf8(data).map_err(|e| e.to_string())?;
    let _ = planfile::parse(text);
    let _ = state::desired_from_json(text);
    let (current, _) = state::State::from_json(
        text,
        state::StateOrigin::File {
            path: "state.json".into(),
        },
    )?;
    let settings = settings(0)?;
    let ps = PlanSettings::from_settings(&settings);
    let p = plan::plan(&ObjectSet::default(), &current, &ps);
    let _ = render::text(
        &p,
        &current.origin,
        &ps,
        render::TextOptions { color: false },
    );
    let _ = render::json(&p, &current.origin, &ps);
    let _ = planfile::state_fingerprint(&current);
    Ok(current.objects.len())
}

/// Controller answers. First byte: what the bytes after it are: a login
/// answer (first line the `Set-Cookie` values separated by `|`, then the
/// body), a collection page, an error body, a controller URL or two versions.
pub fn controller(data: &[u8]) -> Result<usize, String> {
    let Some((&what, rest)) = data.split_first() else {
        return Err("empty".into());
    };
    let text = std::str::from_utf8(rest).map_err(|e| e.to_string())?;
    match what % 5 {
        0 => {
            let (head, body) = text.split_once('\n').unwrap_or((text, ""));
            let cookies: Vec<(String, String)> = head
                .split('|')
                .filter_map(crate::client::cookie_pair)
                .collect();
            crate::client::parse_login(body, &cookies).map(|r| r.version.len())
        }
        1 => crate::client::parse_page(text).map(|p| p.results.len()),
        2 => Ok(crate::client::error_message(text).len()),
        3 => crate::client::base_url(text)
            .map(|u| u.len())
            .map_err(|e| e.to_string()),
        _ => {
            let (a, b) = text.split_once('\n').unwrap_or((text, ""));
            Ok(crate::client::version_cmp(a, b) as usize)
        }
    }
}
