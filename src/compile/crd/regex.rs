//! HostRule `useRegex` and `applicationRootPath` (translation-extended.md
//! §2.2.5; AKO: `internal/nodes/crd_translator.go` `BuildRegexAppRootForHostRule`,
//! `BuildOnlyRegexAppRoot`; REST `internal/rest/avi_obj_httpps.go`
//! `AviHttpPSBuild`, `internal/rest/avi_obj_string_group.go` `AviStringGroupBuild`).
//!
//! Runs after the other HostRule effects, on the final port list of each
//! virtual service (AKO re-applies these two fields once every listener is in
//! place), and rewrites the host's HTTP policy sets: path rules become regex
//! matches against one string group per path, the `/` rule moves to the
//! application root with one redirect per front-end port, and in SNI mode the
//! pools and pool groups behind the rules get hashed names.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::compile::common::{api_ref, cluster_markers, plain_name_of, tenant_ref};
use crate::compile::{Context, Out, describe, source};
use crate::kube::crd::Crd;
use crate::model::AviType;
use crate::names::table;
use crate::settings::Settings;

use super::FieldProvenance;
use super::pool::ref_name;
use super::vs::{Role, bind_host, role};

/// `lib.IsNameEncoded`: the name splits on `--` into exactly two parts and
/// the second is hex.
fn is_encoded(name: &str) -> bool {
    let parts: Vec<&str> = name.split("--").collect();
    parts.len() == 2
        && parts[1].len().is_multiple_of(2)
        && parts[1].bytes().all(|b| b.is_ascii_hexdigit())
}

/// `lib.GetEncodedSniPGPoolNameforRegex`: [`table::REGEX_RENAMED`].
fn regex_name(s: &Settings, name: &str) -> String {
    plain_name_of(s, &table::REGEX_RENAMED, &[("name", name)])
}

/// What [`regex_name`] hashed, for `explain-name`.
fn regex_hashed(s: &Settings, name: &str) -> Option<crate::names::Hashed> {
    crate::names::hashed(
        &table::REGEX_RENAMED,
        &[("cluster", s.cluster_name.as_str()), ("name", name)],
        false,
    )
}

/// `lib.GetEncodedStringGroupName`: [`table::STRING_GROUP`], the AKO user
/// `ako-<cluster>[-<namespace>]`, `-`, sha1 of host and path.
pub fn string_group_name(user: &str, host: &str, path: &str) -> String {
    let cluster = user.strip_prefix("ako-").unwrap_or(user);
    crate::names::format(
        &table::STRING_GROUP,
        &[("cluster", cluster), ("host", host), ("path", path)],
        false,
    )
}

/// What [`string_group_name`] hashed, for `explain-name`.
fn string_group_hashed(user: &str, host: &str, path: &str) -> Option<crate::names::Hashed> {
    let cluster = user.strip_prefix("ako-").unwrap_or(user);
    crate::names::hashed(
        &table::STRING_GROUP,
        &[("cluster", cluster), ("host", host), ("path", path)],
        false,
    )
}

struct Target {
    tenant: String,
    host: String,
    /// Front-end ports `(port, ssl)` in VS order: the parent's for children.
    ports: Vec<(i64, bool)>,
    policies: Vec<String>,
    hr_src: String,
    hr_source: String,
    use_regex: bool,
    app_root: String,
}

fn ports_of(body: &Value) -> Vec<(i64, bool)> {
    body.get("services")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let p = s.get("port").and_then(Value::as_i64)?;
            Some((
                p,
                s.get("enable_ssl").and_then(Value::as_bool) == Some(true),
            ))
        })
        .collect()
}

fn policy_names(body: &Value) -> Vec<String> {
    let mut v: Vec<(i64, String)> = body
        .get("http_policies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let r = p.get("http_policy_set_ref").and_then(Value::as_str)?;
            let i = p.get("index").and_then(Value::as_i64).unwrap_or(0);
            Some((i, ref_name(r)?.to_string()))
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, n)| n).collect()
}

/// Apply `useRegex` / `applicationRootPath` of bound HostRules.
pub fn apply(ctx: &Context, out: &mut Out) {
    if !ctx.crds.any_host_rule() {
        return;
    }
    let s = ctx.settings;
    let evh = s.enable_evh;
    let mut targets = Vec::new();
    for o in out.iter_kind(AviType::Virtualservice) {
        let Some(r) = role(&o.name, &o.body) else {
            continue;
        };
        // Never on shared virtual services.
        if matches!(r, Role::Parent { .. }) {
            continue;
        }
        let secure = o
            .body
            .get("ssl_key_and_certificate_refs")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        // "Regex and App-root are not supported for insecure SNI virtual service".
        if !evh && matches!(r, Role::Dedicated { .. }) && !secure {
            continue;
        }
        let Some(host) = bind_host(out, &s.prefix(), &o.tenant, &o.name, r, &o.body) else {
            continue;
        };
        let Some(hr) = ctx
            .crds
            .host_rule(&host)
            .filter(|hr| ctx.tenant_of(hr.obj.namespace()) == o.tenant)
        else {
            continue;
        };
        let vh = &hr.obj.spec.virtualhost;
        if vh.http_policy.overwrite || (!vh.use_regex && vh.application_root_path.is_empty()) {
            continue;
        }
        // Children take the parent's ports (AKO copies the parent's port list).
        let ports = match r {
            Role::SniChild | Role::EvhChild => o
                .body
                .get("vh_parent_vs_ref")
                .and_then(Value::as_str)
                .and_then(ref_name)
                .and_then(|p| out.get(AviType::Virtualservice, &o.tenant, p))
                .map(|p| ports_of(&p.body))
                .unwrap_or_default(),
            _ => ports_of(&o.body),
        };
        targets.push(Target {
            tenant: o.tenant.clone(),
            host,
            ports,
            policies: policy_names(&o.body),
            hr_src: describe("HostRule", hr.obj.namespace(), hr.obj.name()),
            hr_source: source("HostRule", hr.obj.namespace(), hr.obj.name()),
            use_regex: vh.use_regex,
            app_root: vh.application_root_path.clone(),
        });
    }
    for t in targets {
        apply_one(ctx, out, &t);
    }
}

/// A switching rule of a policy set (one AKO host/path map entry).
fn rule_path(rule: &Value) -> Option<String> {
    rule.get("switching_action")?;
    rule.pointer("/match/path/match_str/0")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn apply_one(ctx: &Context, out: &mut Out, t: &Target) {
    let s = ctx.settings;
    let evh = s.enable_evh;
    let user = s.created_by();
    // `vsNode.GetPaths()`: does the host have a `/` rule at all?
    let has_root = t.policies.iter().any(|p| {
        out.get(AviType::Httppolicyset, &t.tenant, p)
            .as_deref()
            .and_then(|o| o.body.pointer("/http_request_policy/rules"))
            .and_then(Value::as_array)
            .is_some_and(|rs| rs.iter().any(|r| rule_path(r).as_deref() == Some("/")))
    });
    let mut groups: BTreeMap<String, Value> = BTreeMap::new();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let mut pg_renames: BTreeMap<String, String> = BTreeMap::new();
    // What each hashed name was made from, recorded once `out` is free.
    let mut hashes = Vec::new();
    let mut touched: Vec<String> = Vec::new();
    for pname in &t.policies {
        let Some(ps) = out.get_mut(AviType::Httppolicyset, &t.tenant, pname) else {
            continue;
        };
        let rules: Vec<Value> = ps
            .body
            .pointer("/http_request_policy/rules")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if !rules.iter().any(|r| r.get("switching_action").is_some()) {
            continue;
        }
        let first_index = rules
            .iter()
            .filter_map(|r| r.get("index").and_then(Value::as_i64))
            .min()
            .unwrap_or(0);
        let (mut switching, mut others): (Vec<Value>, Vec<Value>) = rules
            .into_iter()
            .partition(|r| r.get("switching_action").is_some());
        let mut redirects: Vec<Value> = Vec::new();
        let redirect = |p: i64, ssl: bool, path: &str| {
            json!({
                "enable": true,
                "match": {
                    "path": {"match_case": "SENSITIVE", "match_criteria": "EQUALS", "match_str": [path]},
                    "vs_port": {"match_criteria": "IS_IN", "ports": [p]},
                },
                "redirect_action": {
                    "path": {
                        "tokens": [{"str_value": t.app_root.get(1..).unwrap_or(""), "type": "URI_TOKEN_TYPE_STRING"}],
                        "type": "URI_PARAM_TYPE_TOKENIZED",
                    },
                    "port": p,
                    "protocol": if ssl { "HTTPS" } else { "HTTP" },
                    "status_code": "HTTP_REDIRECT_STATUS_CODE_302",
                },
            })
        };
        // The rules' model order (`HppMap`): the Path marker lists the paths
        // in that order (`AviHttpPSBuild`), and the rendered rules, sorted
        // stably by path length, keep it among equal paths.
        let mut marker_paths: Vec<Option<String>> = ps
            .body
            .get("markers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|m| m.get("key").and_then(Value::as_str) == Some("Path"))
            .filter_map(|m| m.get("values").and_then(Value::as_array))
            .flatten()
            .map(|v| v.as_str().map(str::to_string))
            .collect();
        let model_order: Vec<usize> = switching
            .iter()
            .map(|r| {
                let path = rule_path(r);
                marker_paths
                    .iter_mut()
                    .enumerate()
                    .find(|(_, m)| path.is_some() && **m == path)
                    .map_or(usize::MAX, |(i, m)| {
                        *m = None;
                        i
                    })
            })
            .collect();
        let mut paths_marker: Vec<(String, String)> = Vec::new();
        for r in switching.iter_mut() {
            let Some(mut path) = rule_path(r) else {
                continue;
            };
            let old = path.clone();
            if !t.app_root.is_empty() {
                if path == "/" {
                    for (p, ssl) in &t.ports {
                        redirects.push(redirect(*p, *ssl, "/"));
                    }
                    path = t.app_root.clone();
                } else if path == t.app_root && has_root {
                    for (p, ssl) in &t.ports {
                        redirects.push(redirect(*p, *ssl, "/"));
                    }
                }
                r["match"]["path"]["match_str"] = json!([path]);
            }
            paths_marker.push((old, path.clone()));
            if t.use_regex {
                let sg = string_group_name(&user, &t.host, &path);
                hashes.push((sg.clone(), string_group_hashed(&user, &t.host, &path)));
                groups.entry(sg.clone()).or_insert_with(|| {
                    json!({
                        "name": sg,
                        "tenant_ref": tenant_ref(&t.tenant),
                        "kv": [{"key": path}],
                        "type": "SG_TYPE_STRING",
                        "longest_match": true,
                        "markers": string_group_markers(ctx),
                    })
                });
                r["match"]["path"] = json!({
                    "match_criteria": "REGEX_MATCH",
                    "match_case": "INSENSITIVE",
                    "string_group_refs": [format!("/api/stringgroup?name={sg}")],
                });
                if !evh {
                    let sw = &mut r["switching_action"];
                    for (key, kind, map) in [
                        ("pool_group_ref", "poolgroup", &mut pg_renames),
                        ("pool_ref", "pool", &mut renames),
                    ] {
                        if let Some(n) = sw.get(key).and_then(Value::as_str).and_then(ref_name)
                            && !is_encoded(n)
                        {
                            let new = regex_name(s, n);
                            hashes.push((new.clone(), regex_hashed(s, n)));
                            map.insert(n.to_string(), new.clone());
                            sw[key] = json!(api_ref(kind, &new));
                        }
                    }
                }
            }
        }
        // AKO renders path rules longest path first.
        let len = |r: &Value| {
            r.pointer("/match/path/match_str/0")
                .and_then(Value::as_str)
                .or_else(|| {
                    // A regex rule keeps its path in the model: read it from the group.
                    r.pointer("/match/path/string_group_refs/0")
                        .and_then(Value::as_str)
                        .and_then(|g| g.split("name=").nth(1))
                        .and_then(|g| groups.get(g))
                        .and_then(|g| g.pointer("/kv/0/key"))
                        .and_then(Value::as_str)
                })
                .map(str::len)
        };
        // `AviHttpPSBuild` sorts the model's rules by path length with
        // `sort.Slice`, which keeps equal lengths in model order for the
        // short lists it sees (insertion sort up to 12 elements): after an
        // application root rewrite, `/` (now the root path) keeps its place.
        let mut keyed: Vec<(usize, Value)> = model_order.into_iter().zip(switching).collect();
        keyed.sort_by_key(|(i, r)| (std::cmp::Reverse(len(r)), *i));
        let switching: Vec<Value> = keyed.into_iter().map(|(_, r)| r).collect();
        if !redirects.is_empty() {
            // The app-root redirects replace the policy's redirect rules.
            others.retain(|r| r.get("redirect_action").is_none());
        }
        let mut all: Vec<Value> = switching;
        all.extend(redirects);
        all.extend(others);
        for (i, r) in all.iter_mut().enumerate() {
            let idx = first_index + i as i64;
            r["index"] = json!(idx);
            r["name"] = json!(format!("{pname}-{idx}"));
        }
        ps.body["http_request_policy"]["rules"] = Value::Array(all);
        if !t.app_root.is_empty()
            && let Some(markers) = ps.body.get_mut("markers").and_then(Value::as_array_mut)
        {
            for m in markers.iter_mut() {
                if m.get("key").and_then(Value::as_str) == Some("Path")
                    && let Some(vals) = m.get_mut("values").and_then(Value::as_array_mut)
                {
                    for v in vals.iter_mut() {
                        if let Some((_, new)) = paths_marker
                            .iter()
                            .find(|(o, _)| Some(o.as_str()) == v.as_str())
                        {
                            *v = json!(new);
                        }
                    }
                }
            }
        }
        touched.push(pname.clone());
    }
    for (name, body) in groups {
        out.emit(
            AviType::Stringgroup,
            &t.tenant,
            &name,
            [t.hr_source.clone()],
            body,
        );
        out.record(FieldProvenance {
            kind: AviType::Stringgroup,
            tenant: t.tenant.clone(),
            name,
            field: "kv".into(),
            source: t.hr_src.clone(),
        });
    }
    // SNI mode: pool groups (and their member pools) get hashed names.
    for (old, new) in &pg_renames {
        out.rename(AviType::Poolgroup, &t.tenant, old, new);
        let Some(pg) = out.get_mut(AviType::Poolgroup, &t.tenant, new) else {
            continue;
        };
        if let Some(members) = pg.body.get_mut("members").and_then(Value::as_array_mut) {
            for m in members.iter_mut() {
                if let Some(p) = m.get("pool_ref").and_then(Value::as_str).and_then(ref_name)
                    && !is_encoded(p)
                {
                    let np = regex_name(s, p);
                    hashes.push((np.clone(), regex_hashed(s, p)));
                    renames.insert(p.to_string(), np.clone());
                    m["pool_ref"] = json!(api_ref("pool", &np));
                }
            }
        }
        out.record(FieldProvenance {
            kind: AviType::Poolgroup,
            tenant: t.tenant.clone(),
            name: new.clone(),
            field: "name".into(),
            source: t.hr_src.clone(),
        });
    }
    for (name, h) in hashes {
        out.record_hash(&name, h);
    }
    for (old, new) in &renames {
        if !out.contains(AviType::Pool, &t.tenant, old) {
            continue;
        }
        out.rename(AviType::Pool, &t.tenant, old, new);
        out.record(FieldProvenance {
            kind: AviType::Pool,
            tenant: t.tenant.clone(),
            name: new.clone(),
            field: "name".into(),
            source: t.hr_src.clone(),
        });
    }
    for pname in touched {
        out.record(FieldProvenance {
            kind: AviType::Httppolicyset,
            tenant: t.tenant.clone(),
            name: pname,
            field: "http_request_policy".into(),
            source: t.hr_src.clone(),
        });
    }
}

/// `GetStringGroupMarkers`: the cluster marker and `created_by`.
fn string_group_markers(ctx: &Context) -> Value {
    let mut m = cluster_markers(ctx.settings);
    if let Some(a) = m.as_array_mut() {
        a.push(json!({"key": "created_by", "values": [ctx.settings.created_by()]}));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_names() {
        assert!(is_encoded(
            "cluster--0f10bce27de8131f458c31b46ea91e27358b3b22"
        ));
        assert!(!is_encoded("cluster--default-a.com_-ing"));
        assert!(!is_encoded("cluster--Shared-L7-0"));
        assert!(!is_encoded("a--b--0f"));
    }

    #[test]
    fn string_group_name_hashes_host_and_path() {
        assert_eq!(
            string_group_name("ako-cluster", "a.com", "/x"),
            format!("ako-cluster-{}", crate::names::sha1_hex("a.com/x"))
        );
    }
}
