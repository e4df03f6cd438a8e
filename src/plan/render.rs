//! Plans for people (terraform-style text) and programs (JSON). Pure: returns
//! strings; the caller decides about colour (only on a terminal).
//!
//! Secrets never appear: the plan holds none ([`super::normalize::SECRET_FIELDS`]
//! are removed before diffing), and a secret field the desired object sets is
//! printed as `(sensitive value)`.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};
use similar::{ChangeTag, TextDiff};

use super::{Action, Change, FieldDiff, Plan, PlanSettings, StateOrigin};

/// Text rendering options.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    /// ANSI colours (the caller sets this only for a terminal).
    pub color: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn green(&self, s: &str) -> String {
        self.wrap("32", s)
    }
    fn red(&self, s: &str) -> String {
        self.wrap("31", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.wrap("33", s)
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("90", s)
    }
    fn symbol(&self, a: Action) -> String {
        match a {
            Action::Create => self.green("+"),
            Action::Update => self.yellow("~"),
            Action::Destroy => self.red("-"),
            Action::NoOp => " ".into(),
        }
    }
}

const SENSITIVE: &str = "(sensitive value)";

/// Replace terminal control characters (other than newline and tab) in text
/// that came from Kubernetes or the controller.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// Describe where the current state came from.
pub fn origin_text(o: &StateOrigin) -> String {
    match o {
        StateOrigin::Empty => "empty state (no --state or --controller given)".into(),
        StateOrigin::File { path } => format!("state file {}", sanitize(path)),
        StateOrigin::Controller { url, version } => {
            format!(
                "controller {} (version {})",
                sanitize(url),
                sanitize(version)
            )
        }
    }
}

/// The human plan.
pub fn text(
    plan: &Plan,
    origin: &StateOrigin,
    settings: &PlanSettings,
    opts: TextOptions,
) -> String {
    let p = Paint { on: opts.color };
    let mut out = String::new();
    let shown: Vec<&Change> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .collect();
    if !shown.is_empty() {
        let _ = writeln!(
            out,
            "akoctl compared the configuration of cluster {:?} with the {}.",
            sanitize(&settings.cluster_name),
            origin_text(origin)
        );
        let _ = writeln!(
            out,
            "Resource actions are indicated with the following symbols:"
        );
        for a in [Action::Create, Action::Update, Action::Destroy] {
            if shown.iter().any(|c| c.action == a) {
                let label = match a {
                    Action::Create => "create",
                    Action::Update => "update in-place",
                    _ => "destroy",
                };
                let _ = writeln!(out, "  {} {label}", p.symbol(a));
            }
        }
        let _ = writeln!(out, "\nakoctl apply would perform the following actions:");
        for c in &shown {
            out.push('\n');
            change(&mut out, c, &p);
        }
        out.push('\n');
    }
    if !plan.conflicts.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            p.red(&p.bold("Conflicts: objects with desired names that this AKO does not own"))
        );
        for c in &plan.conflicts {
            let _ = writeln!(out, "  {} {}", p.red("!"), sanitize(&c.message));
        }
        let _ = writeln!(
            out,
            "\nPlanning failed: {} conflict(s). Rename or remove the other objects, or check clusterName.",
            plan.conflicts.len()
        );
        return out;
    }
    if shown.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            p.green(&p.bold("No changes. The current state matches the configuration."))
        );
        let _ = writeln!(
            out,
            "\nakoctl compared the configuration of cluster {:?} with the {} and found no differences, so no changes are needed.",
            sanitize(&settings.cluster_name),
            origin_text(origin)
        );
        return out;
    }
    let s = plan.summary();
    let _ = writeln!(
        out,
        "{} {} to add, {} to change, {} to destroy.",
        p.bold("Plan:"),
        s.add,
        s.change,
        s.destroy
    );
    out
}

fn change(out: &mut String, c: &Change, p: &Paint) {
    let addr = sanitize(&c.address());
    let what = match c.action {
        Action::Create => "will be created",
        Action::Update => "will be updated in-place",
        Action::Destroy => "will be destroyed",
        Action::NoOp => "is unchanged",
    };
    let _ = writeln!(out, "  {}", p.bold(&format!("# {addr} {what}")));
    if !c.sources.is_empty() {
        let src: Vec<String> = c.sources.iter().map(|s| sanitize(s)).collect();
        let _ = writeln!(out, "  #   from {}", src.join(", "));
    }
    if let Some(r) = &c.reason {
        let _ = writeln!(out, "  #   ({})", sanitize(r));
    }
    let _ = writeln!(
        out,
        "  {} {} {:?} {{",
        p.symbol(c.action),
        c.kind,
        sanitize(&c.name)
    );
    match c.action {
        Action::Create | Action::Destroy => {
            let body = if c.action == Action::Create {
                &c.after
            } else {
                &c.before
            };
            let mut rows: Vec<(String, Option<&Value>)> = match body {
                Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), Some(v))).collect(),
                _ => Vec::new(),
            };
            let mut hidden = 0;
            if c.action == Action::Create {
                rows.extend(c.sensitive.iter().map(|k| (k.clone(), None)));
                rows.sort_by(|a, b| a.0.cmp(&b.0));
            } else {
                // A destroy shows the scalars that identify the object.
                let before = rows.len();
                rows.retain(|(_, v)| !matches!(v, Some(Value::Array(_) | Value::Object(_))));
                hidden = before - rows.len();
            }
            let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
            for (k, v) in rows {
                let val = match v {
                    Some(v) => value_text(v, 8),
                    None => SENSITIVE.to_string(),
                };
                let _ = writeln!(out, "      {} {k:<width$} = {val}", p.symbol(c.action));
            }
            if hidden > 0 {
                let _ = writeln!(
                    out,
                    "        {}",
                    p.dim(&format!("# ({hidden} structured attributes hidden)"))
                );
            }
        }
        Action::Update => {
            let width = c.fields.iter().map(|f| f.field.len()).max().unwrap_or(0);
            for f in &c.fields {
                field_diff(out, f, width, p);
            }
            let total = match &c.after {
                Some(Value::Object(m)) => m.len() + c.sensitive.len(),
                _ => 0,
            };
            let unchanged = total.saturating_sub(
                c.fields
                    .iter()
                    .filter(|f| f.after.is_some() || f.sensitive)
                    .count(),
            );
            if unchanged > 0 {
                let _ = writeln!(
                    out,
                    "        {}",
                    p.dim(&format!("# ({unchanged} unchanged attributes hidden)"))
                );
            }
        }
        Action::NoOp => {}
    }
    let _ = writeln!(out, "    }}");
}

fn field_diff(out: &mut String, f: &FieldDiff, width: usize, p: &Paint) {
    let k = &f.field;
    if f.sensitive {
        let _ = writeln!(out, "      {} {k:<width$} = {SENSITIVE}", p.yellow("~"));
        return;
    }
    match (&f.before, &f.after) {
        (None, Some(a)) => {
            let _ = writeln!(
                out,
                "      {} {k:<width$} = {}",
                p.green("+"),
                value_text(a, 8)
            );
        }
        (Some(b), None) => {
            let _ = writeln!(
                out,
                "      {} {k:<width$} = {} -> null",
                p.red("-"),
                value_text(b, 8)
            );
        }
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            // Nested objects: one row per differing member, dotted.
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            let rows: Vec<FieldDiff> = keys
                .into_iter()
                .filter(|x| b.get(*x) != a.get(*x))
                .map(|x| FieldDiff {
                    field: format!("{k}.{x}"),
                    before: b.get(x).cloned(),
                    after: a.get(x).cloned(),
                    sensitive: false,
                })
                .collect();
            let w = rows
                .iter()
                .map(|r| r.field.len())
                .max()
                .unwrap_or(0)
                .max(width);
            for r in &rows {
                field_diff(out, r, w, p);
            }
        }
        (Some(Value::String(b)), Some(Value::String(a)))
            if b.contains('\n') || a.contains('\n') =>
        {
            // Multi-line text (certificates, datascripts): a heredoc with a
            // line diff inside.
            let _ = writeln!(out, "      {} {k:<width$} = <<-EOT", p.yellow("~"));
            line_diff(out, &sanitize(b), &sanitize(a), p);
            let _ = writeln!(out, "        EOT");
        }
        (Some(b), Some(a)) => {
            let (bt, at) = (long_text(b), long_text(a));
            if bt.contains('\n') || at.contains('\n') || bt.len() + at.len() > 100 {
                let _ = writeln!(out, "      {} {k:<width$} = (changed)", p.yellow("~"));
                line_diff(out, &bt, &at, p);
            } else {
                let _ = writeln!(out, "      {} {k:<width$} = {bt} -> {at}", p.yellow("~"));
            }
        }
        (None, None) => {}
    }
}

/// Multi-line text of a value for a line diff: strings raw, the rest pretty JSON.
fn long_text(v: &Value) -> String {
    match v {
        Value::String(s) if s.contains('\n') => sanitize(s),
        Value::Array(_) | Value::Object(_) => serde_json::to_string_pretty(v).unwrap_or_default(),
        _ => v.to_string(),
    }
}

/// A unified line diff (3 lines of context), indented under the field.
fn line_diff(out: &mut String, before: &str, after: &str, p: &Paint) {
    let diff = TextDiff::from_lines(before, after);
    // Short texts in full, long ones as hunks with 3 lines of context.
    let context = if before.lines().count().max(after.lines().count()) <= 40 {
        usize::MAX / 2
    } else {
        3
    };
    for (i, group) in diff.grouped_ops(context).iter().enumerate() {
        if i > 0 {
            let _ = writeln!(out, "          {}", p.dim("..."));
        }
        for op in group {
            for ch in diff.iter_changes(op) {
                let line = ch.value().trim_end_matches('\n');
                let row = match ch.tag() {
                    ChangeTag::Delete => p.red(&format!("- {line}")),
                    ChangeTag::Insert => p.green(&format!("+ {line}")),
                    ChangeTag::Equal => format!("  {line}"),
                };
                let _ = writeln!(out, "          {row}");
            }
        }
    }
}

/// A value for an attribute row: scalars inline, multi-line strings as a
/// heredoc, structures as indented JSON.
fn value_text(v: &Value, indent: usize) -> String {
    match v {
        Value::String(s) if s.contains('\n') => {
            let pad = " ".repeat(indent + 4);
            let mut t = String::from("<<-EOT\n");
            for l in sanitize(s).lines() {
                let _ = writeln!(t, "{pad}{l}");
            }
            t.push_str(&" ".repeat(indent));
            t.push_str("EOT");
            t
        }
        Value::Array(_) | Value::Object(_) => {
            // One style for every structure: inline only when empty or a
            // short list of scalars, else indented over several lines.
            let compact = v.to_string();
            let scalars = match v {
                Value::Array(a) => a.iter().all(|x| !x.is_array() && !x.is_object()),
                Value::Object(m) => m.is_empty(),
                _ => true,
            };
            if scalars && compact.len() <= 60 {
                return compact;
            }
            let pretty = serde_json::to_string_pretty(v).unwrap_or_default();
            let pad = " ".repeat(indent);
            let mut lines = pretty.lines();
            let mut t = lines.next().unwrap_or_default().to_string();
            for l in lines {
                t.push('\n');
                t.push_str(&pad);
                t.push_str(l);
            }
            t
        }
        _ => v.to_string(),
    }
}

/// A plan for a pull-request comment (GitHub / GitLab markdown): a summary
/// line, then one collapsible section per changed object holding its text
/// rendering as a `diff` block. Secrets are masked as in the text plan (the
/// plan holds none).
pub fn markdown(plan: &Plan, origin: &StateOrigin, settings: &PlanSettings) -> String {
    let p = Paint { on: false };
    let mut out = String::new();
    let cluster = md_code(&settings.cluster_name);
    let _ = writeln!(out, "### akoctl plan for cluster {cluster}\n");
    let _ = writeln!(
        out,
        "Compared with the {}.\n",
        md_text(&origin_text(origin))
    );
    if !plan.conflicts.is_empty() {
        let _ = writeln!(
            out,
            "**Planning failed: {} conflict(s)** (objects with desired names that this AKO does not own):\n",
            plan.conflicts.len()
        );
        for c in &plan.conflicts {
            let _ = writeln!(out, "- {}", md_text(&c.message));
        }
        return out;
    }
    let shown: Vec<&Change> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .collect();
    if shown.is_empty() {
        let _ = writeln!(
            out,
            "**No changes.** The current state matches the configuration."
        );
        return out;
    }
    let s = plan.summary();
    let _ = writeln!(
        out,
        "**Plan: {} to add, {} to change, {} to destroy.**\n",
        s.add, s.change, s.destroy
    );
    for c in shown {
        let what = match c.action {
            Action::Create => "create",
            Action::Update => "update",
            Action::Destroy => "destroy",
            Action::NoOp => "no-op",
        };
        let mut body = String::new();
        change(&mut body, c, &p);
        let _ = writeln!(
            out,
            "<details><summary>{} <code>{}</code> ({what})</summary>\n",
            p.symbol(c.action).trim().replace('~', "&#126;"),
            md_html(&c.address())
        );
        let _ = writeln!(out, "```diff");
        for line in body.lines() {
            let _ = writeln!(out, "{}", diff_line(line));
        }
        let _ = writeln!(out, "```\n</details>\n");
    }
    out
}

/// A text-plan line for a `diff` block: its action symbol moved to the
/// first column (`~` as `!`, which diff highlighters colour as a change).
fn diff_line(line: &str) -> String {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    let mut chars = t.chars();
    match chars.next() {
        Some(c @ ('+' | '-' | '~')) if t[1..].starts_with(' ') => {
            let sign = if c == '~' { '!' } else { c };
            format!("{sign}{}{}", " ".repeat(indent), chars.as_str())
        }
        _ => format!(" {}", line.replace("```", "` ` `")),
    }
}

/// Text inside inline code.
fn md_code(s: &str) -> String {
    format!("`{}`", sanitize(s).replace('`', "'"))
}

/// Text for HTML inside markdown.
fn md_html(s: &str) -> String {
    sanitize(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Plain text with markdown's active characters escaped.
fn md_text(s: &str) -> String {
    let mut o = String::new();
    for c in sanitize(s).chars() {
        if "\\`*_[]<>|#".contains(c) {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// The machine-readable plan (terraform's `show -json` names where they fit).
/// Secret fields appear as `null` with `true` in `after_sensitive`.
pub fn json(plan: &Plan, origin: &StateOrigin, settings: &PlanSettings) -> Value {
    let changes: Vec<Value> = plan
        .changes
        .iter()
        .map(|c| {
            let mut after = c.after.clone();
            let mut after_sensitive = Map::new();
            for s in &c.sensitive {
                after_sensitive.insert(s.clone(), Value::Bool(true));
                if let Some(Value::Object(m)) = &mut after {
                    m.insert(s.clone(), Value::Null);
                }
            }
            json!({
                "address": c.address(),
                "type": c.kind,
                "tenant": c.tenant,
                "name": c.name,
                "sources": c.sources,
                "uuid": c.uuid,
                "last_modified": c.last_modified,
                "action_reason": c.reason,
                "change": {
                    "actions": [c.action.as_str()],
                    "before": c.before,
                    "after": after,
                    "after_sensitive": after_sensitive,
                    "fields": c.fields.iter().map(|f| json!({
                        "field": f.field,
                        "before": if f.sensitive { Value::Null } else { f.before.clone().unwrap_or(Value::Null) },
                        "after": if f.sensitive { Value::Null } else { f.after.clone().unwrap_or(Value::Null) },
                        "sensitive": f.sensitive,
                    })).collect::<Vec<_>>(),
                },
            })
        })
        .collect();
    json!({
        "format_version": "1",
        "akoctl_version": env!("CARGO_PKG_VERSION"),
        "cluster_name": settings.cluster_name,
        "created_by": settings.created_by,
        "state": origin,
        "resource_changes": changes,
        "conflicts": plan.conflicts,
        "summary": plan.summary(),
        "has_changes": plan.has_changes(),
        "applyable": plan.applyable(),
        "errored": !plan.applyable(),
    })
}
