//! Rendering compiled objects for people and programs. Pure: returns strings.

use crate::model::ObjectSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Yaml,
    Table,
}

pub fn render(objects: &ObjectSet, format: Format) -> String {
    match format {
        Format::Json | Format::Yaml | Format::Table => {
            let mut s = serde_json::to_string_pretty(objects).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}
