//! Gateway API names (translation-extended.md §5.2). AKO:
//! `ako-gateway-api/lib/lib.go` (`GetGatewayParentName`, `GetChildName`,
//! `GetPoolName`, `GetPoolGroupName`, `GetTLSKeyCertNodeName`,
//! `GetDefaultHTTPPSName`, `GetHttpPolicySetName`, `GetDedicatedPoolName`),
//! `internal/lib/lib.go` `EncodeWithPrefix`; the match hash input from
//! `ako-gateway-api/nodes/route_model.go` `ParseRouteConfig` and
//! `pkg/utils/utils.go` `Stringify` / `Hash`.

use super::route::{Backend, Rule};
use crate::compile::Out;
use crate::compile::common::fnv1a32;
use crate::names::{Formula, Hashed, format, table};

/// A hashed name of the gateway container: `ako-gw-<cluster>--sha1(...)`.
fn hashed(cluster: &str, f: &Formula, parts: &[(&str, &str)]) -> String {
    let mut all = vec![("cluster", cluster)];
    all.extend_from_slice(parts);
    format(f, &all, true)
}

/// [`hashed`], recording what was hashed in `out` (for `explain-name`).
fn recorded(out: &mut Out, cluster: &str, f: &'static Formula, parts: &[(&str, &str)]) -> String {
    let mut all = vec![("cluster", cluster)];
    all.extend_from_slice(parts);
    let name = format(f, &all, true);
    out.record_hash(&name, crate::names::hashed(f, &all, true));
    name
}

/// Parent VS (and its vsvip) of a Gateway: [`table::GW_PARENT_VS`], or
/// [`table::GW_DEDICATED_VS`] in dedicated gateway mode
/// (`GetGatewayParentName`, `lib.DedicatedSuffix`).
pub fn parent_vs(cluster: &str, ns: &str, gw: &str, dedicated: bool) -> String {
    let f = if dedicated {
        &table::GW_DEDICATED_VS
    } else {
        &table::GW_PARENT_VS
    };
    format(
        f,
        &[("cluster", cluster), ("namespace", ns), ("gateway", gw)],
        false,
    )
}

/// The route a name is made for: `gwNs-gwName-routeNs-routeName`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base {
    pub gw_ns: String,
    pub gw: String,
    pub rt_ns: String,
    pub rt: String,
}

impl Base {
    /// The parts of the route, under the formulas' keys.
    pub fn parts(&self) -> [(&'static str, &str); 4] {
        [
            ("gateway-namespace", &self.gw_ns),
            ("gateway", &self.gw),
            ("route-namespace", &self.rt_ns),
            ("route", &self.rt),
        ]
    }
}

/// The route of a Gateway's names.
pub fn base(gw_ns: &str, gw: &str, rt_ns: &str, rt: &str) -> Base {
    Base {
        gw_ns: gw_ns.into(),
        gw: gw.into(),
        rt_ns: rt_ns.into(),
        rt: rt.into(),
    }
}

/// `Stringify(Hash(matchName))`: the decimal FNV-1a of the rule name, or of
/// the Go JSON of the sorted matches for unnamed rules.
pub fn suffix(match_name: &str) -> String {
    fnv1a32(match_name).to_string()
}

/// The parts of a rule's names: the route and the rule hash.
fn rule_parts<'a>(base: &'a Base, rule: &'a str) -> Vec<(&'static str, &'a str)> {
    let mut v = base.parts().to_vec();
    v.push(("rule", rule));
    v
}

/// Child VS and its pool group: [`table::GW_CHILD`] (`GetChildName`,
/// `GetPoolGroupName`).
pub fn child_vs(cluster: &str, base: &Base, match_name: &str) -> String {
    let rule = suffix(match_name);
    hashed(cluster, &table::GW_CHILD, &rule_parts(base, &rule))
}

/// What a rule's hashed name was made from: its parts, and for the `<rule>`
/// part (itself a hash) the rule's index and the text hashed.
fn rule_hashed(
    cluster: &str,
    f: &'static Formula,
    parts: &[(&str, &str)],
    rule: &Rule,
) -> Option<Hashed> {
    let mut all = vec![("cluster", cluster)];
    all.extend_from_slice(parts);
    let mut h = crate::names::hashed(f, &all, true)?;
    h.detail = vec![
        ("rule index", rule.index.to_string()),
        (
            if rule.name.is_empty() {
                "rule matches"
            } else {
                "rule name"
            },
            rule.match_name.clone(),
        ),
    ];
    Some(h)
}

/// What [`child_vs`] hashed, for `explain-name`.
pub fn child_hashed(cluster: &str, base: &Base, rule: &Rule) -> Option<Hashed> {
    let r = suffix(&rule.match_name);
    rule_hashed(cluster, &table::GW_CHILD, &rule_parts(base, &r), rule)
}

fn pool_parts<'a>(
    base: &'a Base,
    rule: &'a str,
    backend_ns: &'a str,
    backend: &'a str,
    port: &'a str,
) -> Vec<(&'static str, &'a str)> {
    let mut parts = rule_parts(base, rule);
    parts.extend([
        ("backend-namespace", backend_ns),
        ("backend", backend),
        ("port", port),
    ]);
    parts
}

/// Pool of one backendRef: [`table::GW_POOL`] (`GetPoolName`; port `0`
/// when unset).
pub fn pool(
    cluster: &str,
    base: &Base,
    match_name: &str,
    backend_ns: &str,
    backend: &str,
    port: i32,
) -> String {
    let rule = suffix(match_name);
    let port = port.to_string();
    let parts = pool_parts(base, &rule, backend_ns, backend, &port);
    hashed(cluster, &table::GW_POOL, &parts)
}

/// What [`pool`] hashed, for `explain-name`.
pub fn pool_hashed(cluster: &str, base: &Base, rule: &Rule, b: &Backend) -> Option<Hashed> {
    let r = suffix(&rule.match_name);
    let port = b.port.to_string();
    let parts = pool_parts(base, &r, &b.ns, &b.name, &port);
    rule_hashed(cluster, &table::GW_POOL, &parts, rule)
}

/// Cookie persistence profile of a rule: [`table::GW_PERSISTENCE`]
/// (`GetPersistenceProfileName`).
pub fn persistence(cluster: &str, base: &Base, match_name: &str) -> String {
    let rule = suffix(match_name);
    hashed(cluster, &table::GW_PERSISTENCE, &rule_parts(base, &rule))
}

/// What [`persistence`] hashed, for `explain-name`.
pub fn persistence_hashed(cluster: &str, base: &Base, rule: &Rule) -> Option<Hashed> {
    let r = suffix(&rule.match_name);
    rule_hashed(cluster, &table::GW_PERSISTENCE, &rule_parts(base, &r), rule)
}

/// Listener certificate: [`table::GW_CERT`] (`GetTLSKeyCertNodeName`),
/// recorded in `out`.
pub fn tls_cert(
    out: &mut Out,
    cluster: &str,
    gw_ns: &str,
    gw: &str,
    secret_ns: &str,
    secret: &str,
) -> String {
    recorded(
        out,
        cluster,
        &table::GW_CERT,
        &[
            ("gateway-namespace", gw_ns),
            ("gateway", gw),
            ("secret-namespace", secret_ns),
            ("secret", secret),
        ],
    )
}

/// The default-backend policy set shared by every Gateway of a tenant:
/// [`table::GW_DEFAULT_BACKEND`] (`GetDefaultHTTPPSName`).
pub fn default_backend(cluster: &str) -> String {
    format(&table::GW_DEFAULT_BACKEND, &[("cluster", cluster)], false)
}

/// Dedicated mode: the one policy set of the route:
/// [`table::GW_DEDICATED_POLICY`] (`GetHttpPolicySetName`), recorded in
/// `out`.
pub fn dedicated_policy(out: &mut Out, cluster: &str, base: &Base) -> String {
    recorded(out, cluster, &table::GW_DEDICATED_POLICY, &base.parts())
}

/// Dedicated mode pool: [`table::GW_DEDICATED_POOL`] (`GetDedicatedPoolName`),
/// hashed from the already hashed pool group name; recorded in `out`, with
/// the text the pool group name hashes when that was recorded.
pub fn dedicated_pool(
    out: &mut Out,
    cluster: &str,
    pg: &str,
    backend_ns: &str,
    backend: &str,
    port: i32,
) -> String {
    let port = port.to_string();
    let name = recorded(
        out,
        cluster,
        &table::GW_DEDICATED_POOL,
        &[
            ("pool-group", pg),
            ("backend-namespace", backend_ns),
            ("backend", backend),
            ("port", &port),
        ],
    );
    let pg_text = out.hashed.get(pg).map(|h| h.text.clone());
    if let (Some(text), Some(h)) = (pg_text, out.hashed.get_mut(&name)) {
        h.detail = vec![("pool-group hashes", text)];
    }
    name
}

/// Dedicated mode regex string group: [`table::GW_STRING_GROUP`]
/// (`lib.GetEncodedStringGroupName("", path)`: `AKOUser + "-" + sha1(path)`).
pub fn string_group(created_by: &str, path: &str) -> String {
    format(
        &table::GW_STRING_GROUP,
        &[("user", created_by), ("path", path)],
        false,
    )
}

/// What [`string_group`] hashed, for `explain-name`.
pub fn string_group_hashed(created_by: &str, path: &str) -> Option<Hashed> {
    crate::names::hashed(
        &table::GW_STRING_GROUP,
        &[("user", created_by), ("path", path)],
        false,
    )
}

/// One match as AKO models it (`route_model.go` `Match`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// `(path, type)`; `None` when the match has no path.
    pub path: Option<(String, String)>,
    /// `(type, name, value)` in spec order.
    pub headers: Vec<(String, String, String)>,
}

/// `sort.Sort(Matches)` for the sizes Go sorts by insertion (≤ 12 elements:
/// `pdqsort` falls back to insertion sort), with AKO's `Less`: both paths
/// present and path_i < path_j. Larger lists use the same insertion sort
/// (Go's pdqsort may order ties differently there, spec §8 item 16).
pub fn sort_matches(m: &mut [Match]) {
    let less = |a: &Match, b: &Match| match (&a.path, &b.path) {
        (Some(x), Some(y)) => x.0 < y.0,
        _ => false,
    };
    for i in 1..m.len() {
        let mut j = i;
        while j > 0 && less(&m[j], &m[j - 1]) {
            m.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// Go `json.Marshal` of `[]*Match` (translation-extended.md §0.5): fields
/// in declaration order, no spaces, HTML-safe escaping.
pub fn matches_json(m: &[Match]) -> String {
    let mut s = String::from("[");
    for (i, x) in m.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str("{\"PathMatch\":");
        match &x.path {
            None => s.push_str("null"),
            Some((p, t)) => {
                s.push_str("{\"Path\":");
                s.push_str(&go_string(p));
                s.push_str(",\"Type\":");
                s.push_str(&go_string(t));
                s.push('}');
            }
        }
        s.push_str(",\"HeaderMatch\":[");
        for (k, (t, n, v)) in x.headers.iter().enumerate() {
            if k > 0 {
                s.push(',');
            }
            s.push_str(&format!(
                "{{\"Type\":{},\"Name\":{},\"Value\":{}}}",
                go_string(t),
                go_string(n),
                go_string(v)
            ));
        }
        s.push_str("]}");
    }
    s.push(']');
    s
}

/// A Go `encoding/json` string (Go 1.22+ escaping, HTML-safe).
pub fn go_string(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            '\u{8}' => s.push_str("\\b"),
            '\u{c}' => s.push_str("\\f"),
            '<' => s.push_str("\\u003c"),
            '>' => s.push_str("\\u003e"),
            '&' => s.push_str("\\u0026"),
            '\u{2028}' => s.push_str("\\u2028"),
            '\u{2029}' => s.push_str("\\u2029"),
            c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix_match(p: &str) -> Match {
        Match {
            path: Some((p.into(), "PathPrefix".into())),
            headers: vec![],
        }
    }

    #[test]
    fn spec_worked_example() {
        // translation-extended.md §5.2 (AKO test TestHTTPRouteWithRouteRuleName).
        let json = matches_json(&[prefix_match("/bar")]);
        assert_eq!(
            json,
            r#"[{"PathMatch":{"Path":"/bar","Type":"PathPrefix"},"HeaderMatch":[]}]"#
        );
        assert_eq!(suffix(&json), "291035045");
        assert_eq!(suffix("rulename-port-8080"), "2889619951");
        let b = base("default", "gateway-hr-31", "default", "httproute-31");
        assert_eq!(
            persistence("cluster", &b, "x"),
            crate::names::format(
                &table::GW_PERSISTENCE,
                &[
                    ("cluster", "cluster"),
                    ("gateway-namespace", "default"),
                    ("gateway", "gateway-hr-31"),
                    ("route-namespace", "default"),
                    ("route", "httproute-31"),
                    ("rule", &suffix("x")),
                ],
                true
            )
        );
        assert_eq!(
            child_vs("cluster", &b, "rulename-port-8080"),
            "ako-gw-cluster--79c80596b5e4aeb72b3ea5dcf831623412368b17"
        );
        assert_eq!(
            pool(
                "cluster",
                &b,
                "rulename-port-8080",
                "default",
                "avisvc-hr-31",
                8080
            ),
            "ako-gw-cluster--50036c244a7b7711b181d50d5ff1d7c8cc143d83"
        );
        assert_eq!(
            child_vs("cluster", &b, &json),
            "ako-gw-cluster--20175aa4f7283a01de44b8bd0a39f0f2df07d44a"
        );
        assert_eq!(
            pool("cluster", &b, &json, "default", "avisvc-hr-31", 8081),
            "ako-gw-cluster--21618dd778e3c4fccaa3ae45ae085ecd39c19c22"
        );
        assert_eq!(
            parent_vs("cluster", "default", "gw", false),
            "ako-gw-cluster--default-gw-EVH"
        );
        assert_eq!(
            parent_vs("cluster", "default", "gw", true),
            "ako-gw-cluster--default-gw-L7-dedicated-EVH"
        );
        assert_eq!(
            default_backend("cluster"),
            "ako-gw-cluster--default-backend"
        );
    }

    #[test]
    fn insertion_sort_keeps_pathless_matches_in_place() {
        let mut m = vec![
            prefix_match("/b"),
            Match {
                path: None,
                headers: vec![("Exact".into(), "x".into(), "1".into())],
            },
            prefix_match("/a"),
        ];
        sort_matches(&mut m);
        // "/a" cannot pass the path-less match: Less is false against it.
        assert_eq!(m[0], prefix_match("/b"));
        assert_eq!(m[2], prefix_match("/a"));
        let mut m = vec![prefix_match("/c"), prefix_match("/a"), prefix_match("/b")];
        sort_matches(&mut m);
        let paths: Vec<_> = m.iter().map(|x| x.path.clone().map(|p| p.0)).collect();
        assert_eq!(
            paths,
            vec![Some("/a".into()), Some("/b".into()), Some("/c".into())]
        );
    }

    #[test]
    fn go_escaping() {
        assert_eq!(
            go_string("a<b>&\"\\\u{1}"),
            r#""a\u003cb\u003e\u0026\"\\\u0001""#
        );
        assert_eq!(
            matches_json(&[Match {
                path: None,
                headers: vec![("Exact".into(), "h".into(), "v".into())]
            }]),
            r#"[{"PathMatch":null,"HeaderMatch":[{"Type":"Exact","Name":"h","Value":"v"}]}]"#
        );
    }
}
