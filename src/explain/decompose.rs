//! Reading an Avi object name back into the parts AKO built it from.
//!
//! Names are not uniquely parseable: namespaces, object names and hosts all
//! contain `-`. [`decompose`] therefore returns every reading that fits a
//! formula and whose parts are valid Kubernetes names. The formulas are the
//! ones of `internal/lib/lib.go` (`GetL4VSName`, `GetL4PoolName`,
//! `GetL7PoolName`, `GetSniNodeName`, `GetSniPoolName`, `GetSniHttpPolName`,
//! `GetTLSKeyCertNodeName`, `GetCACertNodeName`, `GetPoolPKIProfileName`,
//! `GetPassthroughShardVSName`, `GetEncodedStringGroupName`,
//! `GetSvcApiL4PoolName`; the services-API gateway VS `GetL4VSName` of
//! `gwNs + "-" + gwName`), `internal/nodes/dequeue_ingestion.go`
//! (`GetShardVSName`) and, for the Gateway API, `ako-gateway-api/lib/lib.go`
//! (`GetGatewayParentName`, `GetChildName`, `GetPoolName`,
//! `GetPoolGroupName`, `GetTLSKeyCertNodeName`, `GetDefaultHTTPPSName`).

use serde::Serialize;

/// One way to read a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reading {
    /// Short name of the rule, e.g. `L4 pool`.
    pub rule: &'static str,
    /// The formula, with placeholders.
    pub formula: &'static str,
    /// Where AKO writes the formula: its source file and function.
    pub spec: &'static str,
    /// Avi object types that use this formula.
    pub types: Vec<&'static str>,
    /// The parts, in formula order.
    #[serde(serialize_with = "parts_as_map")]
    pub parts: Vec<(&'static str, String)>,
}

fn parts_as_map<S: serde::Serializer>(
    parts: &[(&'static str, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(parts.len()))?;
    for (k, v) in parts {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

impl Reading {
    pub fn part(&self, key: &str) -> Option<&str> {
        self.parts
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// All readings of `name`. `cluster` is the cluster name when known; otherwise
/// it is taken as everything before the first `--`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decomposition {
    pub name: String,
    pub cluster: Option<String>,
    /// The name is a SHA-1 encoded name (EVH mode, regex paths, string groups):
    /// only compiling the inputs can resolve it.
    pub encoded: bool,
    pub readings: Vec<Reading>,
}

const SPEC_NAMES: &str = "AKO internal/lib/lib.go, the Get*Name functions";
const SPEC_SHARD: &str =
    "AKO internal/nodes/dequeue_ingestion.go GetShardVSName, pkg/utils/utils.go Bkt";
const SPEC_ENCODE: &str = "AKO internal/lib/lib.go Encode";
const SPEC_EVH: &str = "AKO internal/lib/lib.go GetEvhNodeName, GetEvhPoolName, GetEvhPGName";
const SPEC_PASSTHROUGH: &str =
    "AKO internal/lib/lib.go GetPassthroughShardVSName, GetPassthroughPGName";
const SPEC_GATEWAY: &str =
    "AKO ako-gateway-api/lib/lib.go GetGatewayParentName, GetChildName, GetPoolName";
const SPEC_SVCAPI: &str = "AKO internal/lib/lib.go GetL4VSName, GetSvcApiL4PoolName";

/// RFC 1123 label (namespaces): lower-case alphanumerics and `-`, alphanumeric
/// at both ends, at most 63 bytes.
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// RFC 1123 subdomain (most object names): labels joined by `.`.
pub fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// A host as AKO uses it: has a dot, host characters, may start with `*.`.
fn is_host(s: &str) -> bool {
    let h = s.strip_prefix("*.").unwrap_or(s);
    h.contains('.')
        && h.split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// `host + path` with `/` written as `_`: a host, then nothing or `_...`.
fn split_host_path(s: &str) -> Option<(String, String)> {
    let (host, path) = match s.find('_') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    is_host(host).then(|| (host.to_string(), path.replace('_', "/")))
}

fn is_hex40(s: &str) -> bool {
    s.len() == 40
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Every split of `s` at a `-` into two non-empty parts.
fn dash_splits(s: &str) -> impl Iterator<Item = (&str, &str)> {
    s.char_indices()
        .filter(|&(_, c)| c == '-')
        .map(move |(i, _)| (&s[..i], &s[i + 1..]))
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
}

fn reading(
    rule: &'static str,
    formula: &'static str,
    spec: &'static str,
    types: &[&'static str],
    parts: Vec<(&'static str, String)>,
) -> Reading {
    Reading {
        rule,
        formula,
        spec,
        types: types.to_vec(),
        parts,
    }
}

/// Decompose `name` by every formula it can match.
pub fn decompose(name: &str, cluster: Option<&str>) -> Decomposition {
    let mut d = Decomposition {
        name: name.to_string(),
        cluster: None,
        encoded: false,
        readings: Vec::new(),
    };
    if let Some(rest) = name.strip_prefix("ako-gw-")
        && gateway_readings(&mut d, rest, cluster)
    {
        return d;
    }
    // String groups: `ako-<cluster>-<sha1>` (`GetEncodedStringGroupName`).
    if let Some(rest) = name.strip_prefix("ako-")
        && let Some((c, hex)) = rest.rsplit_once('-')
        && is_hex40(hex)
        && cluster.is_none_or(|k| k == c || c.starts_with(&format!("{k}-")))
    {
        d.cluster = Some(c.to_string());
        d.encoded = true;
        d.readings.push(reading(
            "string group (HostRule useRegex)",
            "ako-<cluster>-sha1(<host><path>)",
            SPEC_NAMES,
            &["stringgroup"],
            vec![("cluster", c.to_string()), ("sha1", hex.to_string())],
        ));
        return d;
    }
    let (c, rest) = match cluster {
        Some(c) => match name.strip_prefix(&format!("{c}--")) {
            Some(r) => (c.to_string(), r),
            None => return d,
        },
        None => match name.split_once("--") {
            Some((c, r)) => (c.to_string(), r),
            None => return d,
        },
    };
    d.cluster = Some(c);
    let cp = |v: &str| v.to_string();

    // Encoded names (`Encode`, EVH mode; regex SNI pools).
    if let Some(hex) = rest.strip_suffix("-EVH")
        && is_hex40(hex)
    {
        d.encoded = true;
        d.readings.push(reading(
            "dedicated EVH virtual service",
            "<cluster>--sha1(<cluster>--[<infra>-]<host>-L7-dedicated)-EVH",
            SPEC_EVH,
            &["virtualservice", "vsvip"],
            vec![("sha1", cp(hex))],
        ));
        return d;
    }
    if is_hex40(rest) {
        d.encoded = true;
        d.readings.push(reading(
            "encoded name",
            "<cluster>--sha1(<full name>)",
            SPEC_ENCODE,
            &[
                "virtualservice",
                "vsvip",
                "pool",
                "poolgroup",
                "httppolicyset",
                "sslkeyandcertificate",
                "pkiprofile",
            ],
            vec![("sha1", cp(rest))],
        ));
        return d;
    }

    // `--policy-to-pool` (noPGForSNI) and header rewrite policies contain `--`.
    if let Some(base) = rest.strip_suffix("--policy-to-pool") {
        for mut r in sni_pool_readings(base) {
            r.rule = "SNI pool (noPGForSNI)";
            r.formula = "<cluster>--[<infra>-]<namespace>-<host><path_>-<ingress>--policy-to-pool";
            r.types = vec!["pool"];
            d.readings.push(r);
        }
        return d;
    }
    if let Some((shard, host)) = rest.split_once("--host-hdr-re-write--") {
        d.readings.push(reading(
            "header-rewrite HTTP policy set (HostRule gslb.fqdn of an insecure host)",
            "<shard VS>--host-hdr-re-write--<host>",
            "AKO internal/lib/lib.go GetHeaderRewritePolicy",
            &["httppolicyset"],
            vec![
                (
                    "vs",
                    format!("{}--{shard}", d.cluster.as_deref().unwrap_or("")),
                ),
                ("host", cp(host)),
            ],
        ));
        return d;
    }
    if let Some(pool) = rest.strip_suffix("-pkiprofile") {
        let inner = decompose(
            &format!("{}--{pool}", d.cluster.as_deref().unwrap_or("")),
            cluster,
        );
        d.readings.push(reading(
            "PKI profile of a pool (Route or HTTPRule destination CA)",
            "<pool name>-pkiprofile",
            "AKO internal/lib/lib.go GetPoolPKIProfileName",
            &["pkiprofile"],
            vec![(
                "pool",
                format!("{}--{pool}", d.cluster.as_deref().unwrap_or("")),
            )],
        ));
        d.encoded |= inner.encoded;
        return d;
    }

    // Shard VSes: `[AID]Shared-L7-[EVH-][X-]n` and passthrough shards.
    for (marker, evh) in [("Shared-L7-EVH-", true), ("Shared-L7-", false)] {
        if let Some(i) = rest.find(marker) {
            let aid = &rest[..i];
            let tail = &rest[i + marker.len()..];
            if let Some(r) = shard_reading(aid, tail, evh) {
                d.readings.push(r);
                return d;
            }
        }
    }
    if let Some(i) = rest.find("Shared-Passthrough-") {
        let aid = &rest[..i];
        let mut tail = &rest[i + "Shared-Passthrough-".len()..];
        let insecure = tail.ends_with("-insecure");
        tail = tail.strip_suffix("-insecure").unwrap_or(tail);
        let (infra, n) = match tail.rsplit_once('-') {
            Some((x, n)) => (x, n),
            None => ("", tail),
        };
        if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() {
            let mut parts = Vec::new();
            if !aid.is_empty() {
                parts.push(("ako-namespace", cp(aid.trim_end_matches('-'))));
            }
            if !infra.is_empty() {
                parts.push(("infrasetting", cp(infra)));
            }
            parts.push(("shard", cp(n)));
            d.readings.push(reading(
                if insecure {
                    "insecure companion of a passthrough shard VS"
                } else {
                    "passthrough shard VS"
                },
                if insecure {
                    "<cluster>--[<ako-ns>-]Shared-Passthrough-[<infra>-]<n>-insecure"
                } else {
                    "<cluster>--[<ako-ns>-]Shared-Passthrough-[<infra>-]<n>"
                },
                SPEC_PASSTHROUGH,
                &["virtualservice", "vsvip", "vsdatascriptset", "poolgroup"],
                parts,
            ));
            return d;
        }
    }

    // Certificates.
    if rest == "router-certs-default" || rest == "router-certs-default-alt" {
        d.readings.push(reading(
            "default certificate (ako.vmware.com/enable-tls)",
            "<cluster>--router-certs-default[-alt]",
            SPEC_NAMES,
            &["sslkeyandcertificate"],
            vec![("secret", "router-certs-default".into())],
        ));
        return d;
    }
    if let Some(h) = rest.strip_suffix("-cacert") {
        for (infra, host) in infra_host_splits(h) {
            d.readings.push(with_infra(
                reading(
                    "CA certificate",
                    "<cluster>--[<infra>-]<host>-cacert",
                    SPEC_NAMES,
                    &["sslkeyandcertificate"],
                    vec![("host", host)],
                ),
                infra,
            ));
        }
    }
    if let Some(h) = rest.strip_suffix("-alt") {
        for (infra, host) in infra_host_splits(h) {
            d.readings.push(with_infra(
                reading(
                    "alternate certificate (alt.crt/alt.key)",
                    "<cluster>--[<infra>-]<host>-alt",
                    SPEC_NAMES,
                    &["sslkeyandcertificate"],
                    vec![("host", host)],
                ),
                infra,
            ));
        }
    }
    if let Some(h) = rest.strip_suffix("-L7-dedicated") {
        for (infra, host) in infra_host_splits(h) {
            d.readings.push(with_infra(
                reading(
                    "dedicated virtual service",
                    "<cluster>--[<infra>-]<host>-L7-dedicated",
                    SPEC_NAMES,
                    &["virtualservice", "vsvip", "httppolicyset"],
                    vec![("host", host)],
                ),
                infra,
            ));
        }
        // Dedicated SNI pools end in -L7-dedicated too.
        for mut r in sni_pool_readings(h) {
            r.rule = "dedicated pool / pool group";
            r.formula = "<cluster>--[<infra>-]<namespace>-<host><path_>-<ingress>-L7-dedicated";
            d.readings.push(r);
        }
    }

    // L4 pools: `<ns>-<svc>-<PROTO>-<port>` and shared-VIP pools.
    for proto in ["TCP", "UDP", "SCTP"] {
        let sep = format!("-{proto}-");
        if let Some(i) = rest.rfind(&sep) {
            let port = &rest[i + sep.len()..];
            let head = &rest[..i];
            if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
                for (ns, svc) in dash_splits(head) {
                    if is_dns_label(ns) && is_dns_label(svc) {
                        d.readings.push(reading(
                            "L4 pool (one per Service port)",
                            "<cluster>--<namespace>-<service>-<PROTOCOL>-<port>",
                            SPEC_NAMES,
                            &["pool"],
                            vec![
                                ("namespace", cp(ns)),
                                ("service", cp(svc)),
                                ("protocol", cp(proto)),
                                ("port", cp(port)),
                            ],
                        ));
                    }
                    for (svc2, key) in dash_splits(svc) {
                        if is_dns_label(ns) && is_dns_label(svc2) && is_dns_subdomain(key) {
                            d.readings.push(reading(
                                "services-API gateway pool (one per listener)",
                                "<cluster>--<gateway namespace>-<service>-<gateway>-<PROTOCOL>-<port>",
                                SPEC_SVCAPI,
                                &["pool"],
                                vec![
                                    ("namespace", cp(ns)),
                                    ("service", cp(svc2)),
                                    ("gateway", cp(key)),
                                    ("protocol", cp(proto)),
                                    ("port", cp(port)),
                                ],
                            ));
                        }
                        if is_dns_label(ns) && is_dns_label(svc2) && !key.is_empty() {
                            d.readings.push(reading(
                                "shared-VIP L4 pool",
                                "<cluster>--<namespace>-<service>-<shared-vip key>-<PROTOCOL>-<port>",
                                SPEC_NAMES,
                                &["pool"],
                                vec![
                                    ("namespace", cp(ns)),
                                    ("service", cp(svc2)),
                                    ("shared-vip", cp(key)),
                                    ("protocol", cp(proto)),
                                    ("port", cp(port)),
                                ],
                            ));
                        }
                    }
                }
            }
        }
    }

    // Names with a host in them.
    for (infra, host) in infra_host_splits(rest) {
        d.readings.push(with_infra(
            reading(
                "SNI child virtual service / its certificate",
                "<cluster>--[<infra>-]<host>",
                SPEC_NAMES,
                &["virtualservice", "sslkeyandcertificate"],
                vec![("host", host)],
            ),
            infra,
        ));
    }
    d.readings.extend(insecure_pool_readings(rest));
    d.readings.extend(sni_pool_readings(rest));
    for (head, host) in dash_splits(rest) {
        if !is_host(host) {
            continue;
        }
        for (infra, ns) in infra_ns_splits(head) {
            d.readings.push(with_infra(
                reading(
                    "SNI HTTP policy set (one per namespace and host)",
                    "<cluster>--[<infra>-]<namespace>-<host>",
                    SPEC_NAMES,
                    &["httppolicyset"],
                    vec![("namespace", ns), ("host", cp(host))],
                ),
                infra,
            ));
        }
    }

    // L4 virtual service: `<ns>-<svc>` (also vsvip, l4policyset, shared VIP).
    if d.readings.is_empty() {
        for (ns, svc) in dash_splits(rest) {
            if is_dns_label(ns) && is_dns_subdomain(svc) {
                d.readings.push(reading(
                    "L4 virtual service (Service of type LoadBalancer)",
                    "<cluster>--<namespace>-<service>",
                    SPEC_NAMES,
                    &["virtualservice", "vsvip", "l4policyset"],
                    vec![("namespace", cp(ns)), ("service", cp(svc))],
                ));
                d.readings.push(reading(
                    "services-API gateway L4 virtual service",
                    "<cluster>--<namespace>-<gateway>",
                    SPEC_SVCAPI,
                    &["virtualservice", "vsvip", "l4policyset"],
                    vec![("namespace", cp(ns)), ("gateway", cp(svc))],
                ));
                d.readings.push(reading(
                    "shared-VIP L4 virtual service",
                    "<cluster>--<namespace>-<shared-vip key>",
                    SPEC_NAMES,
                    &["virtualservice", "vsvip", "l4policyset"],
                    vec![("namespace", cp(ns)), ("shared-vip", cp(svc))],
                ));
            }
        }
    }
    d
}

/// Names of AKO's Gateway API container (`ako-gw-<cluster>--…`); `false`
/// when `rest` (the name after `ako-gw-`) fits none of them.
fn gateway_readings(d: &mut Decomposition, rest: &str, cluster: Option<&str>) -> bool {
    let Some((c, tail)) = (match cluster {
        Some(k) => rest.strip_prefix(&format!("{k}--")).map(|t| (k, t)),
        None => rest.split_once("--"),
    }) else {
        // Dedicated-mode regex string group: `<AKO user>-sha1(<path>)`, the
        // AKO user being `ako-gw-<cluster>-<namespace>`.
        return match rest.rsplit_once('-') {
            Some((user, hex)) if is_hex40(hex) => {
                d.encoded = true;
                d.readings.push(reading(
                    "Gateway string group (dedicated mode regex path)",
                    "ako-gw-<cluster>-<AKO namespace>-sha1(<path>)",
                    SPEC_GATEWAY,
                    &["stringgroup"],
                    vec![
                        ("user", format!("ako-gw-{user}")),
                        ("sha1", hex.to_string()),
                    ],
                ));
                true
            }
            _ => false,
        };
    };
    d.cluster = Some(c.to_string());
    if tail == "default-backend" {
        d.readings.push(reading(
            "Gateway default-backend HTTP policy set",
            "ako-gw-<cluster>--default-backend",
            SPEC_GATEWAY,
            &["httppolicyset"],
            vec![("cluster", c.to_string())],
        ));
        return true;
    }
    if is_hex40(tail) {
        d.encoded = true;
        d.readings.push(reading(
            "Gateway API encoded name",
            "ako-gw-<cluster>--sha1(<gwNs>-<gateway>-<routeNs>-<route>-fnv(<rule>)[-<backendNs>-<service>-<port>]) or sha1(<gwNs>-<gateway>-<routeNs>-<route>-PERSISTENCE_TYPE_HTTP_COOKIE-fnv(<rule>)) or sha1(<gwNs>-<gateway>-<secretNs>-<secret>)",
            SPEC_GATEWAY,
            &[
                "virtualservice",
                "poolgroup",
                "pool",
                "httppolicyset",
                "applicationpersistenceprofile",
                "sslkeyandcertificate",
            ],
            vec![("sha1", tail.to_string())],
        ));
        return true;
    }
    let Some(body) = tail.strip_suffix("-EVH") else {
        return false;
    };
    let (body, rule, formula) = match body.strip_suffix("-L7-dedicated") {
        Some(b) => (
            b,
            "dedicated Gateway virtual service",
            "ako-gw-<cluster>--<namespace>-<gateway>-L7-dedicated-EVH",
        ),
        None => (
            body,
            "Gateway parent virtual service",
            "ako-gw-<cluster>--<namespace>-<gateway>-EVH",
        ),
    };
    let before = d.readings.len();
    for (ns, gw) in dash_splits(body) {
        if is_dns_label(ns) && is_dns_subdomain(gw) {
            d.readings.push(reading(
                rule,
                formula,
                SPEC_GATEWAY,
                &["virtualservice", "vsvip"],
                vec![("namespace", ns.to_string()), ("gateway", gw.to_string())],
            ));
        }
    }
    d.readings.len() > before
}

fn with_infra(mut r: Reading, infra: Option<String>) -> Reading {
    if let Some(x) = infra {
        r.parts.insert(0, ("infrasetting", x));
    }
    r
}

/// `[<infra>-]<host>`: the whole string as host, or an infra prefix (no dot)
/// followed by a host.
fn infra_host_splits(s: &str) -> Vec<(Option<String>, String)> {
    let mut v = Vec::new();
    if is_host(s) {
        v.push((None, s.to_string()));
    }
    for (x, h) in dash_splits(s) {
        if !x.contains('.') && is_dns_subdomain(x) && is_host(h) {
            v.push((Some(x.to_string()), h.to_string()));
        }
    }
    v
}

/// `[<infra>-]<namespace>`.
fn infra_ns_splits(s: &str) -> Vec<(Option<String>, String)> {
    let mut v = Vec::new();
    if is_dns_label(s) {
        v.push((None, s.to_string()));
    }
    for (x, ns) in dash_splits(s) {
        if is_dns_label(x) && is_dns_label(ns) {
            v.push((Some(x.to_string()), ns.to_string()));
        }
    }
    v
}

/// `<cluster>--[<infra>-]<host><path_>-<namespace>-<ingress>` (`GetL7PoolName`).
fn insecure_pool_readings(rest: &str) -> Vec<Reading> {
    let mut out = Vec::new();
    for (head, ing) in dash_splits(rest) {
        if !is_dns_subdomain(ing) {
            continue;
        }
        for (hp, ns) in dash_splits(head) {
            if !is_dns_label(ns) {
                continue;
            }
            let mut cands: Vec<(Option<String>, &str)> = vec![(None, hp)];
            cands.extend(
                dash_splits(hp)
                    .filter(|(x, _)| !x.contains('.'))
                    .map(|(x, h)| (Some(x.to_string()), h)),
            );
            for (infra, hp) in cands {
                if let Some((host, path)) = split_host_path(hp) {
                    out.push(with_infra(
                        reading(
                            "insecure Ingress pool (on the shard VS)",
                            "<cluster>--[<infra>-]<host><path_>-<namespace>-<ingress>",
                            SPEC_NAMES,
                            &["pool"],
                            vec![
                                ("host", host),
                                ("path", path),
                                ("namespace", ns.to_string()),
                                ("ingress", ing.to_string()),
                            ],
                        ),
                        infra,
                    ));
                }
            }
        }
    }
    out
}

/// `<cluster>--[<infra>-]<namespace>-<host><path_>-<ingress>` (`GetSniPoolName`).
fn sni_pool_readings(rest: &str) -> Vec<Reading> {
    let mut out = Vec::new();
    for (head, ing) in dash_splits(rest) {
        if !is_dns_subdomain(ing) {
            continue;
        }
        for (nshead, hp) in dash_splits(head) {
            let Some((host, path)) = split_host_path(hp) else {
                continue;
            };
            for (infra, ns) in infra_ns_splits(nshead) {
                out.push(with_infra(
                    reading(
                        "SNI pool / pool group (secure Ingress host)",
                        "<cluster>--[<infra>-]<namespace>-<host><path_>-<ingress>",
                        SPEC_NAMES,
                        &["pool", "poolgroup"],
                        vec![
                            ("namespace", ns),
                            ("host", host.clone()),
                            ("path", path.clone()),
                            ("ingress", ing.to_string()),
                        ],
                    ),
                    infra,
                ));
            }
        }
    }
    out
}

fn shard_reading(aid: &str, tail: &str, evh: bool) -> Option<Reading> {
    let mut parts = Vec::new();
    if !aid.is_empty() {
        parts.push(("ako-namespace", aid.trim_end_matches('-').to_string()));
    }
    if evh && let Some(ns) = tail.strip_prefix("NS-") {
        parts.push(("namespace", ns.to_string()));
        return Some(reading(
            "EVH parent VS per namespace (vipPerNamespace)",
            "<cluster>--[<ako-ns>-]Shared-L7-EVH-NS-<namespace>",
            SPEC_EVH,
            &["virtualservice", "vsvip"],
            parts,
        ));
    }
    let (infra, n) = match tail.rsplit_once('-') {
        Some((x, n)) => (x, n),
        None => ("", tail),
    };
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !infra.is_empty() {
        parts.push(("infrasetting", infra.to_string()));
    }
    parts.push(("shard", n.to_string()));
    Some(if evh {
        reading(
            "EVH parent VS (shard)",
            "<cluster>--[<ako-ns>-]Shared-L7-EVH-[<infra>-]<n>",
            SPEC_EVH,
            &["virtualservice", "vsvip"],
            parts,
        )
    } else {
        reading(
            "shared L7 parent VS (shard)",
            "<cluster>--[<ako-ns>-]Shared-L7-[<infra>-]<n>",
            SPEC_SHARD,
            &[
                "virtualservice",
                "vsvip",
                "poolgroup",
                "vsdatascriptset",
                "httppolicyset",
            ],
            parts,
        )
    })
}

#[cfg(test)]
mod gateway_tests {
    use super::*;

    #[test]
    fn gateway_names() {
        let d = decompose("ako-gw-cluster--my-ns-my-gw-EVH", Some("cluster"));
        let splits: Vec<(Option<&str>, Option<&str>)> = d
            .readings
            .iter()
            .map(|r| (r.part("namespace"), r.part("gateway")))
            .collect();
        assert_eq!(
            splits,
            vec![
                (Some("my"), Some("ns-my-gw")),
                (Some("my-ns"), Some("my-gw")),
                (Some("my-ns-my"), Some("gw")),
            ]
        );
        let d = decompose("ako-gw-cluster--default-gw-L7-dedicated-EVH", None);
        assert_eq!(d.readings[0].rule, "dedicated Gateway virtual service");
        assert_eq!(d.cluster.as_deref(), Some("cluster"));
        let d = decompose(
            "ako-gw-cluster--79c80596b5e4aeb72b3ea5dcf831623412368b17",
            Some("cluster"),
        );
        assert!(d.encoded);
        assert!(d.readings[0].types.contains(&"poolgroup"));
        let d = decompose("ako-gw-cluster--default-backend", Some("cluster"));
        assert_eq!(d.readings[0].types, vec!["httppolicyset"]);
        let d = decompose(
            "ako-gw-cluster-avi-system-3bb844e46e3598bcfc9a079e879b0cb12e5a6833",
            Some("cluster"),
        );
        assert_eq!(d.readings[0].types, vec!["stringgroup"]);
        assert_eq!(
            d.readings[0].part("user"),
            Some("ako-gw-cluster-avi-system")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(d: &Decomposition) -> Vec<&str> {
        d.readings.iter().map(|r| r.rule).collect()
    }

    #[test]
    fn shard_vs() {
        let d = decompose("cluster--Shared-L7-3", None);
        assert_eq!(d.cluster.as_deref(), Some("cluster"));
        assert_eq!(d.readings.len(), 1);
        assert_eq!(d.readings[0].part("shard"), Some("3"));
        let d = decompose("cluster--Shared-L7-myinfra-0", None);
        assert_eq!(d.readings[0].part("infrasetting"), Some("myinfra"));
        let d = decompose("cluster--avi-system-Shared-L7-1", None);
        assert_eq!(d.readings[0].part("ako-namespace"), Some("avi-system"));
        let d = decompose("cluster--Shared-L7-EVH-NS-red", None);
        assert_eq!(d.readings[0].part("namespace"), Some("red"));
    }

    #[test]
    fn l4_pool_is_ambiguous_over_dashes() {
        let d = decompose("cluster--red-ns-testsvc-TCP-8080", None);
        let l4: Vec<_> = d
            .readings
            .iter()
            .filter(|r| r.rule.starts_with("L4 pool"))
            .collect();
        assert_eq!(l4.len(), 2, "{:#?}", d.readings);
        assert!(
            l4.iter()
                .any(|r| r.part("namespace") == Some("red-ns")
                    && r.part("service") == Some("testsvc"))
        );
        assert!(
            l4.iter()
                .any(|r| r.part("namespace") == Some("red")
                    && r.part("service") == Some("ns-testsvc"))
        );
        assert!(l4.iter().all(|r| r.part("protocol") == Some("TCP")));
    }

    #[test]
    fn l4_vs_readings() {
        let d = decompose("cluster--red-web", None);
        assert!(rules(&d).contains(&"L4 virtual service (Service of type LoadBalancer)"));
        let r = &d.readings[0];
        assert_eq!(
            (r.part("namespace"), r.part("service")),
            (Some("red"), Some("web"))
        );
    }

    #[test]
    fn insecure_pool_and_sni_names() {
        let d = decompose(
            "my-cluster--myinsecurehost.avi.internal_foo-default-my-ingress",
            Some("my-cluster"),
        );
        let r = d
            .readings
            .iter()
            .find(|r| {
                r.rule.starts_with("insecure Ingress pool")
                    && r.part("namespace") == Some("default")
                    && r.part("ingress") == Some("my-ingress")
            })
            .expect("insecure pool reading");
        assert_eq!(r.part("host"), Some("myinsecurehost.avi.internal"));
        assert_eq!(r.part("path"), Some("/foo"));

        let d = decompose(
            "my-cluster--default-myhost.avi.internal_foo-my-secure",
            Some("my-cluster"),
        );
        assert!(d.readings.iter().any(|r| r.rule.starts_with("SNI pool")
            && r.part("namespace") == Some("default")
            && r.part("host") == Some("myhost.avi.internal")
            && r.part("ingress") == Some("my-secure")));

        let d = decompose("my-cluster--myhost.avi.internal", Some("my-cluster"));
        assert_eq!(
            d.readings[0].rule,
            "SNI child virtual service / its certificate"
        );

        let d = decompose(
            "my-cluster--default-myhost.avi.internal",
            Some("my-cluster"),
        );
        assert!(
            d.readings
                .iter()
                .any(|r| r.rule.starts_with("SNI HTTP policy set"))
        );
    }

    #[test]
    fn suffixes() {
        let d = decompose("cluster--foo.com-L7-dedicated", None);
        assert_eq!(d.readings[0].rule, "dedicated virtual service");
        assert_eq!(d.readings[0].part("host"), Some("foo.com"));
        let d = decompose("cluster--foo.com-alt", None);
        assert!(rules(&d).contains(&"alternate certificate (alt.crt/alt.key)"));
        let d = decompose("cluster--router-certs-default", None);
        assert_eq!(d.readings.len(), 1);
        let d = decompose("cluster--default-foo.com_foo-foo-pkiprofile", None);
        assert_eq!(
            d.readings[0].rule,
            "PKI profile of a pool (Route or HTTPRule destination CA)"
        );
        let d = decompose("cluster--Shared-Passthrough-0-insecure", None);
        assert!(d.readings[0].rule.starts_with("insecure companion"));
    }

    #[test]
    fn encoded_names() {
        let d = decompose("cluster--532fd312059d5096118cb0bc3d1135a36cc4f826", None);
        assert!(d.encoded);
        let d = decompose(
            "cluster--fc94484f7312a22cfb5bcc517b05649e256c24a8-EVH",
            None,
        );
        assert!(d.encoded);
        let d = decompose(
            "ako-my-cluster-bd85459aa50388c7784c236799e1f7a3726a400c",
            None,
        );
        assert!(d.encoded);
        assert_eq!(d.cluster.as_deref(), Some("my-cluster"));
    }

    #[test]
    fn foreign_names_have_no_reading() {
        assert!(decompose("web-frontend", None).readings.is_empty());
        assert!(
            decompose("other--Shared-L7-1", Some("cluster"))
                .readings
                .is_empty()
        );
    }
}
