//! Reading an encoded (SHA-1) name back with the help of a compiled set.
//!
//! AKO hashes names in EVH mode (`internal/lib/lib.go` `Encode`), for the
//! pools and pool groups of an SNI host with HostRule `useRegex`
//! (`GetEncodedSniPGPoolNameforRegex`), for string groups
//! (`GetEncodedStringGroupName`: `U + "-" + sha1(host + path)`). A hash
//! cannot be inverted, but the compiled object carries what the name was made
//! from (markers, sources), so the candidates the naming formulas of
//! [`crate::names::table`] give can be hashed and compared. Names whose hash
//! input compile records (Gateway API, L4) need no search
//! ([`crate::compile::Compiled::hashed`]).

use std::collections::BTreeSet;

use super::Reading;
use crate::compile::common::plain_name_of;
use crate::compile::common::sha1_hex;
use crate::model::{AviObject, AviType, ObjectSet};
use crate::names::{Formula, is_hex40, table};
use crate::settings::Settings;

/// The SHA-1 part of an encoded name: `ako-C-<sha1>`, `C--<sha1>` or
/// `C--<sha1>-EVH` (dedicated EVH VS).
fn hash_of<'a>(name: &'a str, settings: &Settings) -> Option<&'a str> {
    let c = &settings.cluster_name;
    if let Some(rest) = name.strip_prefix(&format!("ako-{c}-")) {
        return is_hex40(rest).then_some(rest);
    }
    let rest = name.strip_prefix(&format!("{c}--"))?;
    let h = rest.strip_suffix("-EVH").unwrap_or(rest);
    is_hex40(h).then_some(h)
}

/// Values of a marker key in a body.
fn marker_values(body: &serde_json::Value, key: &str) -> Vec<String> {
    crate::compile::crd::marker(body, key)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// `Kind/ns/name` sources of a kind: (ns, name).
fn sources_of(o: &AviObject, kind: &str) -> Vec<(String, String)> {
    o.sources
        .iter()
        .filter_map(|s| {
            let mut it = s.splitn(3, '/');
            (it.next() == Some(kind)).then_some(())?;
            Some((it.next()?.to_string(), it.next()?.to_string()))
        })
        .collect()
}

/// Every host the compiled set names (markers, virtual hosts, VIP FQDNs).
fn all_hosts(all: &ObjectSet) -> BTreeSet<String> {
    let mut hosts = BTreeSet::new();
    for o in &all.objects {
        hosts.extend(marker_values(&o.body, "Host"));
        for v in ["vh_domain_name"] {
            if let Some(a) = o.body.get(v).and_then(|x| x.as_array()) {
                hosts.extend(a.iter().filter_map(|h| h.as_str()).map(str::to_string));
            }
        }
        if let Some(a) = o.body.get("dns_info").and_then(|x| x.as_array()) {
            hosts.extend(
                a.iter()
                    .filter_map(|e| e.get("fqdn").and_then(|f| f.as_str()))
                    .map(str::to_string),
            );
        }
    }
    hosts
}

/// One un-hashed name a formula gives, with its reading.
struct Candidate {
    text: String,
    reading: Reading,
}

/// The candidate `f` gives for `parts` (un-hashed), read as given.
fn cand(
    s: &Settings,
    f: &Formula,
    (rule, formula, spec): (&'static str, &'static str, &'static str),
    types: &[&'static str],
    parts: Vec<(&'static str, String)>,
) -> Candidate {
    let given: Vec<(&str, &str)> = parts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Candidate {
        text: plain_name_of(s, f, &given),
        reading: Reading {
            rule,
            formula: formula.into(),
            spec,
            types: types.to_vec(),
            parts,
        },
    }
}

fn with_infra(x: &str, mut parts: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    if !x.is_empty() {
        parts.insert(0, ("infrasetting", x.to_string()));
    }
    parts
}

const SPEC_L7: &str = "AKO internal/lib/lib.go GetSniPoolName, GetEvhPoolName, Encode";

/// The un-hashed names the formulas give for what `o` was made from
/// (`internal/lib/lib.go`):
/// SNI / EVH pools and pool groups `P [X-] ns-host<path_>-ing[-svc][-L7-dedicated]`
/// (`GetSniPoolName`, `GetEvhPoolNameNoEncoding`, `GetEvhPGName`), child VSes
/// `P [X-] host` (`GetEvhNodeName`), certificates `P [X-] host[-alt]`
/// (`GetTLSKeyCertNodeName`), HTTP policy sets `P [X-] ns-host`
/// (`GetSniHttpPolName`) and dedicated VSes `P [X-] host-L7-dedicated`.
fn candidates(o: &AviObject, settings: &Settings, all: &ObjectSet) -> Vec<Candidate> {
    let b = &o.body;
    let mut hosts: BTreeSet<String> = marker_values(b, "Host").into_iter().collect();
    if let Some(a) = b.get("vh_domain_name").and_then(|x| x.as_array()) {
        hosts.extend(a.iter().filter_map(|h| h.as_str()).map(str::to_string));
    }
    if hosts.is_empty() {
        hosts = all_hosts(all);
    }
    let mut nss: BTreeSet<String> = marker_values(b, "Namespace").into_iter().collect();
    let mut ings: BTreeSet<String> = marker_values(b, "IngressName").into_iter().collect();
    let mut svcs: BTreeSet<String> = marker_values(b, "ServiceName").into_iter().collect();
    for kind in ["Ingress", "Route"] {
        for (ns, n) in sources_of(o, kind) {
            nss.insert(ns);
            ings.insert(n);
        }
    }
    for (_, n) in sources_of(o, "Service") {
        svcs.insert(n);
    }
    let mut paths: BTreeSet<String> = marker_values(b, "Path").into_iter().collect();
    if paths.is_empty() {
        paths.insert(String::new());
    }
    let mut infras: BTreeSet<String> = marker_values(b, "InfrasettingName").into_iter().collect();
    infras.insert(String::new());

    let mut out = Vec::new();
    for x in &infras {
        for host in &hosts {
            let hp = |h: &str| with_infra(x, vec![("host", h.to_string())]);
            out.push(cand(
                settings,
                &table::SNI_VS,
                (
                    "SNI / EVH child virtual service, its certificate",
                    "<cluster>--[<infra>-]<host>",
                    SPEC_L7,
                ),
                &[
                    "virtualservice",
                    "vsvip",
                    "sslkeyandcertificate",
                    "httppolicyset",
                ],
                hp(host),
            ));
            out.push(cand(
                settings,
                &table::ALT_CERT,
                (
                    "alternate certificate",
                    "<cluster>--[<infra>-]<host>-alt",
                    SPEC_L7,
                ),
                &["sslkeyandcertificate"],
                hp(host),
            ));
            out.push(cand(
                settings,
                &table::DEDICATED_VS,
                (
                    "dedicated virtual service",
                    "<cluster>--[<infra>-]<host>-L7-dedicated",
                    "AKO internal/lib/lib.go GetSniNodeName (DedicatedSuffix)",
                ),
                &["virtualservice", "vsvip", "httppolicyset"],
                hp(host),
            ));
            for ns in &nss {
                out.push(cand(
                    settings,
                    &table::SNI_HTTPPS,
                    (
                        "HTTP policy set of a host (one per namespace)",
                        "<cluster>--[<infra>-]<namespace>-<host>",
                        SPEC_L7,
                    ),
                    &["httppolicyset"],
                    with_infra(x, vec![("namespace", ns.clone()), ("host", host.clone())]),
                ));
                for path in &paths {
                    for ing in &ings {
                        let parts = || {
                            with_infra(
                                x,
                                vec![
                                    ("namespace", ns.clone()),
                                    ("host", host.clone()),
                                    ("path", path.clone()),
                                    ("ingress", ing.clone()),
                                ],
                            )
                        };
                        for (pg, pool) in [
                            (&table::SNI_POOL, &table::EVH_POOL),
                            (&table::DEDICATED_POOL, &table::EVH_POOL_DEDICATED),
                        ] {
                            out.push(cand(
                                settings,
                                pg,
                                (
                                    "SNI pool / pool group, EVH pool group",
                                    "<cluster>--[<infra>-]<namespace>-<host><path_>-<ingress>[-L7-dedicated]",
                                    SPEC_L7,
                                ),
                                &["pool", "poolgroup"],
                                parts(),
                            ));
                            for svc in &svcs {
                                let mut ps = parts();
                                ps.push(("service", svc.clone()));
                                out.push(cand(
                                    settings,
                                    pool,
                                    (
                                        "EVH pool, Route pool",
                                        "<cluster>--[<infra>-]<namespace>-<host><path_>-<ingress>-<service>[-L7-dedicated]",
                                        SPEC_L7,
                                    ),
                                    &["pool", "poolgroup"],
                                    ps,
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// What the encoded `o.name` was made from, when a formula candidate hashes
/// to it: the hashed text and how to read it.
pub fn preimage(o: &AviObject, settings: &Settings, all: &ObjectSet) -> Option<(String, Reading)> {
    let hash = hash_of(&o.name, settings)?;
    if o.kind == AviType::Stringgroup {
        let paths: Vec<String> = o
            .body
            .get("kv")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
            .filter_map(|e| e.get("key").and_then(|k| k.as_str()))
            .map(str::to_string)
            .collect();
        for host in all_hosts(all) {
            for path in &paths {
                let text = format!("{host}{path}");
                if sha1_hex(&text) == hash {
                    return Some((
                        text,
                        Reading::of(
                            &table::STRING_GROUP,
                            vec![("host", host.clone()), ("path", path.clone())],
                        ),
                    ));
                }
            }
        }
        return None;
    }
    let p = settings.prefix();
    for c in candidates(o, settings, all) {
        if sha1_hex(&c.text) == hash {
            return Some((c.text, c.reading));
        }
        // PKI profiles: an HTTPRule's `enc(pool + "-pkiprofile")`
        // (`crd_translator.go` `BuildPoolHTTPRule`, translation-extended.md
        // §2.3); a Route's `enc(enc(pool) + "-pkiprofile")` (`GetPoolPKIProfileName`).
        if !c.reading.types.contains(&"pool") {
            continue;
        }
        for (text, rule, formula) in [
            (
                plain_name_of(settings, &table::POOL_PKI_PROFILE, &[("pool", &c.text)]),
                "PKI profile of an HTTPRule destination CA",
                "<cluster>--sha1(<un-hashed pool name>-pkiprofile)",
            ),
            (
                plain_name_of(
                    settings,
                    &table::POOL_PKI_PROFILE,
                    &[("pool", &format!("{p}{}", sha1_hex(&c.text)))],
                ),
                "PKI profile of a Route destination CA",
                "<cluster>--sha1(<cluster>--sha1(<un-hashed pool name>)-pkiprofile)",
            ),
        ] {
            if sha1_hex(&text) == hash {
                let mut parts = vec![("pool", c.text.clone())];
                parts.extend(c.reading.parts.clone());
                return Some((
                    text,
                    Reading {
                        rule,
                        formula: formula.into(),
                        spec: "AKO internal/lib/lib.go GetPoolPKIProfileName",
                        types: vec!["pkiprofile"],
                        parts,
                    },
                ));
            }
        }
    }
    None
}
