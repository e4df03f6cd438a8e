//! Errors that name what asked for a missing controller object: a tenant,
//! cloud, network, SE group or VRF context that the controller lacks is
//! traced back to the setting (with its values line, `--set` or cluster
//! origin) or the Namespace / AviInfraSetting that named it, with the
//! `akoctl dev-controller` flag that would create it
//! ([`crate::client::advice`]).

use miette::{Report, miette};

use crate::client::advice::{self, Given, Lacking};
use crate::client::read::MissingRef;
use crate::model::Snapshot;
use crate::settings::Settings;
use crate::settings::origin::Row;

/// What a plan or apply run was given.
pub(crate) struct Ctx<'a> {
    pub settings: Settings,
    pub origins: Vec<Row>,
    pub values: Option<String>,
    pub files: &'a [String],
    pub namespace: Option<&'a str>,
}

impl Ctx<'_> {
    /// The inputs, read again (only on the error path): the `-f` files.
    fn inputs(&self) -> Option<Snapshot> {
        if self.files.is_empty() {
            return None;
        }
        let sources = crate::input::read_sources(self.files).ok()?;
        crate::input::decode(&sources, self.namespace.unwrap_or("default"))
            .ok()
            .map(|(s, _)| s)
    }

    fn hint(&self, l: &Lacking) -> String {
        let inputs = self.inputs();
        advice::hint(
            l,
            &self.settings,
            &self.origins,
            inputs.as_ref(),
            &Given {
                values: self.values.as_deref(),
                files: self.files,
            },
        )
    }

    /// `e` with a hint when its text says the controller lacks a tenant or
    /// the cloud; unchanged otherwise.
    pub(crate) fn error(&self, e: Report) -> Report {
        let mut text = e.to_string();
        for cause in e.chain().skip(1) {
            text.push_str(&format!(": {cause}"));
        }
        match advice::lacking_in(&text) {
            Some(l) => miette!(help = self.hint(&l), "{text}"),
            None => e,
        }
    }

    /// The hint line for a ref to an object the controller lacks.
    pub(crate) fn missing(&self, m: &MissingRef) -> String {
        self.hint(&Lacking {
            kind: m.kind.clone(),
            name: m.name.clone(),
        })
    }
}
