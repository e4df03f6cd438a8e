//! Gateway API names (translation-extended.md §5.2). AKO:
//! `ako-gateway-api/lib/lib.go` (`GetGatewayParentName`, `GetChildName`,
//! `GetPoolName`, `GetPoolGroupName`, `GetTLSKeyCertNodeName`,
//! `GetDefaultHTTPPSName`, `GetHttpPolicySetName`, `GetDedicatedPoolName`),
//! `internal/lib/lib.go` `EncodeWithPrefix`; the match hash input from
//! `ako-gateway-api/nodes/route_model.go` `ParseRouteConfig` and
//! `pkg/utils/utils.go` `Stringify` / `Hash`.

use crate::compile::common::{fnv1a32, sha1_hex};

/// `GP`: the gateway container's name prefix `"ako-gw-" + C + "--"`
/// (`cmd/gateway-api/main.go` `SetNamePrefix(akogatewaylib.Prefix)`).
pub fn prefix(cluster: &str) -> String {
    format!("ako-gw-{cluster}--")
}

/// `EncodeWithPrefix(s)` with the gateway prefix: always hashed, and the
/// hashed input does not contain the prefix.
pub fn encp(cluster: &str, s: &str) -> String {
    format!("{}{}", prefix(cluster), sha1_hex(s))
}

/// Parent VS (and its vsvip) of a Gateway; `-L7-dedicated` is inserted in
/// dedicated gateway mode (`GetGatewayParentName`, `lib.DedicatedSuffix`).
pub fn parent_vs(cluster: &str, ns: &str, gw: &str, dedicated: bool) -> String {
    let mid = if dedicated { "-L7-dedicated" } else { "" };
    format!("{}{ns}-{gw}{mid}-EVH", prefix(cluster))
}

/// `gwNs-gwName-routeNs-routeName`.
pub fn base(gw_ns: &str, gw: &str, rt_ns: &str, rt: &str) -> String {
    format!("{gw_ns}-{gw}-{rt_ns}-{rt}")
}

/// `Stringify(Hash(matchName))`: the decimal FNV-1a of the rule name, or of
/// the Go JSON of the sorted matches for unnamed rules.
pub fn suffix(match_name: &str) -> String {
    fnv1a32(match_name).to_string()
}

/// Child VS and its pool group (`GetChildName`, `GetPoolGroupName`).
pub fn child_vs(cluster: &str, base: &str, match_name: &str) -> String {
    encp(cluster, &format!("{base}-{}", suffix(match_name)))
}

/// Pool of one backendRef (`GetPoolName`; port `0` when unset).
pub fn pool(
    cluster: &str,
    base: &str,
    match_name: &str,
    backend_ns: &str,
    backend: &str,
    port: i32,
) -> String {
    encp(
        cluster,
        &format!(
            "{base}-{}-{backend_ns}-{backend}-{port}",
            suffix(match_name)
        ),
    )
}

/// Listener certificate (`GetTLSKeyCertNodeName`).
pub fn tls_cert(cluster: &str, gw_ns: &str, gw: &str, secret_ns: &str, secret: &str) -> String {
    encp(cluster, &format!("{gw_ns}-{gw}-{secret_ns}-{secret}"))
}

/// The default-backend policy set shared by every Gateway of a tenant
/// (`GetDefaultHTTPPSName`: `Prefix + C + "--" + lib.DefaultPSName`).
pub fn default_backend(cluster: &str) -> String {
    format!("ako-gw-{cluster}--default-backend")
}

/// Dedicated mode: the one policy set of the route (`GetHttpPolicySetName`).
pub fn dedicated_policy(cluster: &str, base: &str) -> String {
    encp(cluster, &format!("{base}-httproute"))
}

/// Dedicated mode pool (`GetDedicatedPoolName`): hashed from the already
/// hashed pool group name.
pub fn dedicated_pool(
    cluster: &str,
    pg: &str,
    backend_ns: &str,
    backend: &str,
    port: i32,
) -> String {
    encp(cluster, &format!("{pg}-{backend_ns}-{backend}-{port}"))
}

/// Dedicated mode regex string group (`lib.GetEncodedStringGroupName("", path)`:
/// `AKOUser + "-" + sha1(path)`).
pub fn string_group(created_by: &str, path: &str) -> String {
    format!("{created_by}-{}", sha1_hex(path))
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
