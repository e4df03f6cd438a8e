//! `explain-name`: from an Avi object name to the Kubernetes objects and the
//! naming rule that produced it, and back.
//!
//! Pure: works on a name, the settings and (optionally) a compiled object set.
//! Without a compiled set only the formulas can be matched ([`decompose`]);
//! with one, the answer is exact: the objects of that name, their sources, and
//! for shared VSes the hash that put each host on the shard.

mod decompose;
mod encoded;

pub use decompose::{Decomposition, Reading, decompose};

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::compile::common::{bucket, fnv1a32};
use crate::model::{AviObject, AviType, ObjectSet};
use crate::names::{Hashed, table};
use crate::settings::Settings;

/// The answer for one name.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    pub name: String,
    /// Formula readings of the name (all of them when nothing was compiled).
    pub decomposition: Decomposition,
    /// Whether inputs were compiled (then `matches` is exact).
    pub compiled: bool,
    pub matches: Vec<Match>,
    /// Closest compiled names when nothing matched.
    pub suggestions: Vec<String>,
}

/// One compiled object with the asked name.
#[derive(Clone, Debug, Serialize)]
pub struct Match {
    #[serde(rename = "type")]
    pub kind: AviType,
    pub tenant: String,
    pub sources: Vec<String>,
    /// The readings that fit this object's type and sources.
    pub readings: Vec<Reading>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// For an encoded (SHA-1) name: the text that was hashed, found by
    /// hashing what the formulas give for this object's markers and sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoded_from: Option<String>,
}

/// Why hosts landed on a shared VS (`pkg/utils/utils.go` `Bkt`).
#[derive(Clone, Debug, Serialize)]
pub struct Shard {
    pub number: u32,
    pub shard_count: u32,
    pub hosts: Vec<HostHash>,
}

#[derive(Clone, Debug, Serialize)]
pub struct HostHash {
    pub host: String,
    pub fnv1a32: String,
    pub bucket: u32,
}

/// Explain `name`; `objects` is the compiled set when inputs were given.
pub fn explain_name(name: &str, settings: &Settings, objects: Option<&ObjectSet>) -> Explanation {
    explain_name_with(name, settings, objects, &BTreeMap::new())
}

/// [`explain_name`] with what compile recorded of its hashed names
/// ([`crate::compile::Compiled::hashed`]): a recorded name is explained
/// from the record, with its hashed text split into the formula's parts.
pub fn explain_name_with(
    name: &str,
    settings: &Settings,
    objects: Option<&ObjectSet>,
    hashed: &BTreeMap<String, Hashed>,
) -> Explanation {
    let cluster = Some(settings.cluster_name.as_str()).filter(|c| !c.is_empty());
    let decomposition = decompose(name, cluster).with_fallback(name);
    let mut e = Explanation {
        name: name.to_string(),
        decomposition,
        compiled: objects.is_some(),
        matches: Vec::new(),
        suggestions: Vec::new(),
    };
    let Some(objects) = objects else { return e };
    for o in objects.objects.iter().filter(|o| o.name == name) {
        e.matches.push(match_for(
            o,
            &e.decomposition,
            settings,
            objects,
            hashed.get(name),
        ));
    }
    if e.matches.is_empty() {
        e.suggestions = closest(name, objects, 5);
    }
    e
}

impl Decomposition {
    /// When the settings' cluster name does not prefix the name, read it with
    /// the cluster name guessed from the name itself.
    fn with_fallback(self, name: &str) -> Decomposition {
        if self.readings.is_empty() && self.cluster.is_none() {
            decompose(name, None)
        } else {
            self
        }
    }
}

fn match_for(
    o: &AviObject,
    d: &Decomposition,
    settings: &Settings,
    all: &ObjectSet,
    recorded: Option<&Hashed>,
) -> Match {
    let typed: Vec<Reading> = d
        .readings
        .iter()
        .filter(|r| r.types.contains(&o.kind.as_str()))
        .cloned()
        .collect();
    let fitting: Vec<Reading> = typed
        .iter()
        .filter(|r| fits_sources(r, &o.sources))
        .cloned()
        .collect();
    let mut readings = if fitting.is_empty() { typed } else { fitting };
    let preimage = match recorded {
        Some(h) => Some((h.text.clone(), recorded_reading(h))),
        None => encoded::preimage(o, settings, all),
    };
    let encoded_from = preimage.map(|(text, r)| {
        if recorded.is_none()
            && !settings.enable_evh
            && matches!(o.kind, AviType::Pool | AviType::Poolgroup)
        {
            // Outside EVH mode only HostRule `useRegex` hashes pool and pool
            // group names (`GetEncodedSniPGPoolNameforRegex`).
            readings.retain(|r| r.part("sha1").is_none());
            readings.push(Reading::of(
                &table::REGEX_RENAMED,
                vec![("name", text.clone())],
            ));
        }
        readings.push(r);
        if recorded.is_some_and(|h| h.formula.rule == table::REGEX_RENAMED.rule) {
            // The hashed text is itself a name (`GetEncodedSniPGPoolNameforRegex`
            // hashes the SNI pool or pool group name): read it too.
            let cluster = Some(settings.cluster_name.as_str()).filter(|c| !c.is_empty());
            let inner = decompose(&text, cluster).readings;
            let typed = inner
                .into_iter()
                .filter(|r| r.types.contains(&o.kind.as_str()) && r.part("sha1").is_none());
            let (fit, other): (Vec<Reading>, Vec<Reading>) =
                typed.partition(|r| fits_sources(r, &o.sources));
            readings.extend(if fit.is_empty() { other } else { fit });
        }
        text
    });
    let shard = readings
        .iter()
        .find_map(|r| r.part("shard").and_then(|n| n.parse::<u32>().ok()))
        .map(|n| shard_of(o, n, settings, all));
    Match {
        kind: o.kind,
        tenant: o.tenant.clone(),
        sources: o.sources.iter().cloned().collect(),
        readings,
        shard,
        encoded_from,
    }
}

/// The reading of a recorded hashed name: the formula's parts of the
/// hashed text, then what those parts were made from.
fn recorded_reading(h: &Hashed) -> Reading {
    let f = h.formula;
    let mut parts = h.parts.clone();
    parts.extend(h.detail.iter().cloned());
    Reading {
        rule: f.rule,
        formula: f.hashed_formula(),
        spec: f.spec,
        types: f.types.to_vec(),
        parts,
    }
}

/// A reading fits when every namespace / ingress / service part it names is
/// among the object's sources.
fn fits_sources(r: &Reading, sources: &std::collections::BTreeSet<String>) -> bool {
    let ns = r.part("namespace");
    let in_ns = |kind: &str, name: &str| match ns {
        Some(ns) => sources.contains(&format!("{kind}/{ns}/{name}")),
        None => sources
            .iter()
            .any(|s| s.starts_with(&format!("{kind}/")) && s.ends_with(&format!("/{name}"))),
    };
    if let Some(ns) = ns
        && !sources.iter().any(|s| s.split('/').nth(1) == Some(ns))
    {
        return false;
    }
    if let Some(ing) = r.part("ingress")
        && !in_ns("Ingress", ing)
        && !in_ns("Route", ing)
    {
        return false;
    }
    if let Some(svc) = r.part("service")
        && !in_ns("Service", svc)
    {
        return false;
    }
    if let Some(gw) = r.part("gateway")
        && !in_ns("Gateway", gw)
    {
        return false;
    }
    // A shared-VIP L4 name is made from Services alone, never from a
    // services-API Gateway, whose L4 names have the same shape.
    if r.part("shared-vip").is_some() && sources.iter().any(|s| s.starts_with("Gateway/")) {
        return false;
    }
    true
}

fn shard_of(o: &AviObject, n: u32, settings: &Settings, all: &ObjectSet) -> Shard {
    let count = settings.shard_vs_size.count();
    let vsvip = all
        .objects
        .iter()
        .find(|v| v.kind == AviType::Vsvip && v.name == o.name && v.tenant == o.tenant);
    let mut hosts: Vec<HostHash> = vsvip
        .and_then(|v| v.body.get("dns_info"))
        .and_then(|d| d.as_array())
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("fqdn").and_then(|f| f.as_str()))
        .filter(|f| {
            !f.starts_with(&format!("{}.", o.name)) && !f.starts_with(&format!("{}-", o.name))
        })
        .map(|h| HostHash {
            host: h.to_string(),
            fnv1a32: format!("0x{:08x}", fnv1a32(h)),
            bucket: bucket(h, count),
        })
        .collect();
    hosts.sort_by(|a, b| a.host.cmp(&b.host));
    Shard {
        number: n,
        shard_count: count,
        hosts,
    }
}

/// The `limit` compiled names closest to `name` by edit distance.
fn closest(name: &str, objects: &ObjectSet, limit: usize) -> Vec<String> {
    let mut names: Vec<(usize, &str)> = objects
        .objects
        .iter()
        .map(|o| (strsim::levenshtein(name, &o.name), o.name.as_str()))
        .collect();
    names.sort();
    names.dedup_by(|a, b| a.1 == b.1);
    names
        .into_iter()
        .take(limit)
        .map(|(_, n)| n.to_string())
        .collect()
}

/// The reverse question: every Avi object a Kubernetes object produces.
#[derive(Clone, Debug, Serialize)]
pub struct SourceExplanation {
    /// Normalised `Kind/namespace/name`.
    pub source: String,
    pub objects: Vec<Produced>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Produced {
    #[serde(rename = "type")]
    pub kind: AviType,
    pub name: String,
    pub tenant: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
}

/// Kinds accepted by `--for`, lower case (singular, plural, short) to the
/// `Kind` written in `sources`.
pub fn source_kind(s: &str) -> Option<&'static str> {
    Some(match s.to_ascii_lowercase().as_str() {
        "ingress" | "ingresses" | "ing" => "Ingress",
        "service" | "services" | "svc" => "Service",
        "route" | "routes" => "Route",
        "secret" | "secrets" => "Secret",
        "endpointslice" | "endpointslices" => "EndpointSlice",
        "node" | "nodes" | "no" => "Node",
        "namespace" | "namespaces" | "ns" => "Namespace",
        "hostrule" | "hostrules" | "hr" => "HostRule",
        "httprule" | "httprules" => "HTTPRule",
        "aviinfrasetting" | "aviinfrasettings" => "AviInfraSetting",
        "l4rule" | "l4rules" => "L4Rule",
        "l7rule" | "l7rules" => "L7Rule",
        "ssorule" | "ssorules" => "SSORule",
        "gateway" | "gateways" => "Gateway",
        "httproute" | "httproutes" => "HTTPRoute",
        _ => return None,
    })
}

/// Parse `kind/ns/name` (or `kind/name`, namespace `default_ns`).
pub fn parse_source(s: &str, default_ns: &str) -> Result<String, String> {
    let parts: Vec<&str> = s.split('/').collect();
    let (kind, rest) = match parts.as_slice() {
        [k, ns, n] => (*k, format!("{ns}/{n}")),
        [k, n]
            if matches!(
                source_kind(k),
                Some("Node" | "Namespace" | "AviInfraSetting")
            ) =>
        {
            (*k, n.to_string())
        }
        [k, n] => (*k, format!("{default_ns}/{n}")),
        _ => {
            return Err(format!(
                "{s:?}: expected KIND/NAMESPACE/NAME, e.g. ingress/red/shop"
            ));
        }
    };
    let kind = source_kind(kind).ok_or_else(|| {
        format!("{s:?}: unknown kind {kind:?} (ingress, service, route, secret, node, namespace, hostrule, httprule, aviinfrasetting, l4rule, l7rule, ssorule, gateway, httproute)")
    })?;
    Ok(format!("{kind}/{rest}"))
}

/// Every object whose sources include `source`.
pub fn explain_source(source: &str, settings: &Settings, objects: &ObjectSet) -> SourceExplanation {
    let produced = objects
        .objects
        .iter()
        .filter(|o| o.sources.contains(source))
        .map(|o| {
            let d = decompose(&o.name, Some(&settings.cluster_name));
            let r = d
                .readings
                .iter()
                .filter(|r| r.types.contains(&o.kind.as_str()))
                .find(|r| fits_sources(r, &o.sources))
                .or_else(|| {
                    d.readings
                        .iter()
                        .find(|r| r.types.contains(&o.kind.as_str()))
                });
            Produced {
                kind: o.kind,
                name: o.name.clone(),
                tenant: o.tenant.clone(),
                rule: r.map(|r| r.rule),
                formula: r.map(|r| r.formula.clone()),
            }
        })
        .collect();
    SourceExplanation {
        source: source.to_string(),
        objects: produced,
    }
}

fn push_reading(out: &mut String, indent: &str, r: &Reading) {
    let _ = writeln!(out, "{indent}rule:    {} ({})", r.rule, r.spec);
    let _ = writeln!(out, "{indent}formula: {}", r.formula);
    if !r.parts.is_empty() {
        let parts: Vec<String> = r.parts.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(out, "{indent}parts:   {}", parts.join(", "));
    }
}

/// Whether the answer found nothing: compiled inputs without an object of
/// that name, or a name that fits no formula (`explain-name` exits 1).
pub fn not_found(e: &Explanation) -> bool {
    if e.compiled {
        e.matches.is_empty()
    } else {
        e.decomposition.readings.is_empty()
    }
}

/// Human rendering of an [`Explanation`] as a small tree.
pub fn render_text(e: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", e.name);
    if e.compiled {
        if e.matches.is_empty() {
            let _ = writeln!(out, "└─ no object of this name in the compiled set");
            if !e.suggestions.is_empty() {
                let _ = writeln!(out, "   did you mean:");
                for s in &e.suggestions {
                    let _ = writeln!(out, "     {s}");
                }
            }
        }
        for (i, m) in e.matches.iter().enumerate() {
            // The last branch is drawn with └─ and its lines without │.
            let last = i + 1 == e.matches.len();
            let (branch, pad) = if last {
                ("└─", "   ")
            } else {
                ("├─", "│  ")
            };
            let _ = writeln!(out, "{branch} {} (tenant {})", m.kind, m.tenant);
            let _ = writeln!(out, "{pad}sources: {}", m.sources.join(", "));
            if let Some(t) = &m.encoded_from {
                let _ = writeln!(out, "{pad}encoded: sha1({t})");
            }
            for r in &m.readings {
                push_reading(&mut out, pad, r);
            }
            if let Some(s) = &m.shard {
                let _ = writeln!(
                    out,
                    "{pad}shard {} of {}: fnv1a32(host) & {} for each host",
                    s.number,
                    s.shard_count,
                    s.shard_count.saturating_sub(1)
                );
                for h in &s.hosts {
                    let _ = writeln!(out, "{pad}  {} -> {} -> {}", h.host, h.fnv1a32, h.bucket);
                }
            }
        }
        return out;
    }
    if e.decomposition.encoded {
        let _ = writeln!(
            out,
            "(an encoded (SHA-1) name: the inputs it was made from cannot be read back; \
             run again with -f MANIFESTS (and --values) to find the object it belongs to)"
        );
    }
    if e.decomposition.readings.is_empty() {
        let _ = writeln!(
            out,
            "└─ matches no AKO naming formula (is the cluster name right?)"
        );
    }
    for (i, r) in e.decomposition.readings.iter().enumerate() {
        let last = i + 1 == e.decomposition.readings.len();
        let _ = writeln!(
            out,
            "{} reading {}: {}",
            if last { "└─" } else { "├─" },
            i + 1,
            r.types.join(" / ")
        );
        push_reading(&mut out, if last { "     " } else { "│    " }, r);
    }
    if e.decomposition.readings.len() > 1 {
        let _ = writeln!(
            out,
            "(the name splits in {} ways; give -f MANIFESTS to know which is real)",
            e.decomposition.readings.len()
        );
    }
    out
}

/// Human rendering of a [`SourceExplanation`].
pub fn render_source_text(e: &SourceExplanation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", e.source);
    if e.objects.is_empty() {
        let _ = writeln!(
            out,
            "└─ produces no Avi object (see the diagnostics for why)"
        );
    }
    for (i, p) in e.objects.iter().enumerate() {
        let last = i + 1 == e.objects.len();
        let _ = writeln!(
            out,
            "{} {} {} (tenant {})",
            if last { "└─" } else { "├─" },
            p.kind,
            p.name,
            p.tenant
        );
        if let (Some(rule), Some(formula)) = (p.rule, &p.formula) {
            let pad = if last { "   " } else { "│  " };
            let _ = writeln!(out, "{pad}{rule}: {formula}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(kind: AviType, name: &str, sources: &[&str], body: serde_json::Value) -> AviObject {
        AviObject {
            kind,
            name: name.into(),
            tenant: "admin".into(),
            sources: sources.iter().map(|s| s.to_string()).collect(),
            body,
        }
    }

    fn settings() -> Settings {
        Settings {
            cluster_name: "cluster".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn shard_explanation_lists_hosts_and_hashes() {
        let set = ObjectSet {
            objects: vec![
                obj(
                    AviType::Virtualservice,
                    "cluster--Shared-L7-3",
                    &["Ingress/default/a"],
                    json!({}),
                ),
                obj(
                    AviType::Vsvip,
                    "cluster--Shared-L7-3",
                    &["Ingress/default/a"],
                    json!({"dns_info": [{"fqdn": "cluster--Shared-L7-3.admin.com"}, {"fqdn": "xyz.com"}, {"fqdn": "foobar.com"}]}),
                ),
            ],
        };
        let e = explain_name("cluster--Shared-L7-3", &settings(), Some(&set));
        assert_eq!(e.matches.len(), 2);
        let vs = e
            .matches
            .iter()
            .find(|m| m.kind == AviType::Virtualservice)
            .expect("vs");
        let shard = vs.shard.as_ref().expect("shard");
        assert_eq!(shard.shard_count, 8);
        let hosts: Vec<_> = shard
            .hosts
            .iter()
            .map(|h| (h.host.as_str(), h.bucket))
            .collect();
        assert_eq!(hosts, vec![("foobar.com", 3), ("xyz.com", 3)]);
        assert_eq!(shard.hosts[1].fnv1a32, "0xfa91f113");
        assert!(render_text(&e).contains("xyz.com -> 0xfa91f113 -> 3"));
    }

    #[test]
    fn sources_pick_the_real_split() {
        let set = ObjectSet {
            objects: vec![obj(
                AviType::Pool,
                "cluster--red-ns-web-TCP-80",
                &["Service/red-ns/web"],
                json!({}),
            )],
        };
        let e = explain_name("cluster--red-ns-web-TCP-80", &settings(), Some(&set));
        assert_eq!(e.matches[0].readings.len(), 1);
        assert_eq!(e.matches[0].readings[0].part("namespace"), Some("red-ns"));
    }

    #[test]
    fn no_match_suggests_closest() {
        let set = ObjectSet {
            objects: vec![
                obj(AviType::Virtualservice, "cluster--red-web", &[], json!({})),
                obj(AviType::Virtualservice, "cluster--blue-api", &[], json!({})),
            ],
        };
        let e = explain_name("cluster--red-wep", &settings(), Some(&set));
        assert!(e.matches.is_empty());
        assert_eq!(e.suggestions[0], "cluster--red-web");
        assert!(render_text(&e).contains("did you mean"));
    }

    #[test]
    fn encoded_without_inputs_says_what_resolves_it() {
        let e = explain_name(
            "cluster--532fd312059d5096118cb0bc3d1135a36cc4f826",
            &settings(),
            None,
        );
        assert!(e.decomposition.encoded);
        assert!(render_text(&e).contains("-f MANIFESTS"));
    }

    #[test]
    fn reverse_lookup() {
        let set = ObjectSet {
            objects: vec![
                obj(
                    AviType::Pool,
                    "cluster--red-web-TCP-80",
                    &["Service/red/web"],
                    json!({}),
                ),
                obj(
                    AviType::Virtualservice,
                    "cluster--red-web",
                    &["Service/red/web"],
                    json!({}),
                ),
                obj(
                    AviType::Virtualservice,
                    "cluster--red-other",
                    &["Service/red/other"],
                    json!({}),
                ),
            ],
        };
        let src = parse_source("svc/red/web", "default").expect("parse");
        assert_eq!(src, "Service/red/web");
        let e = explain_source(&src, &settings(), &set);
        assert_eq!(e.objects.len(), 2);
        assert_eq!(e.objects[0].rule, Some("L4 pool (one per Service port)"));
        assert!(parse_source("widget/x/y", "default").is_err());
        assert_eq!(
            parse_source("ingress/shop", "red").as_deref(),
            Ok("Ingress/red/shop")
        );
    }
}
