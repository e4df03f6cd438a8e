//! Pieces every Avi body shares: references, markers, `service_metadata`,
//! name limits, hashing. AKO sources: `internal/lib/lib.go`,
//! `pkg/utils/types.go`, `internal/rest/*.go`.

use serde_json::{Value, json};

use crate::release::{Feature, Release};
use crate::settings::Settings;

/// A reference by name in the output contract: `/api/<type>/?name=<name>`.
pub fn api_ref(kind: &str, name: &str) -> String {
    format!("/api/{kind}/?name={name}")
}

/// `tenant_ref`: AKO query-escapes the tenant (`lib.GetEscapedValue`).
pub fn tenant_ref(tenant: &str) -> String {
    api_ref("tenant", &query_escape(tenant))
}

/// Go `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// AKO's object name limit (`internal/lib/constants.go` `AVI_OBJ_NAME_MAX_LENGTH`,
/// checked on bytes by `CheckObjectNameLength`).
pub const MAX_NAME_LEN: usize = 255;

pub fn name_too_long(name: &str) -> bool {
    name.len() > MAX_NAME_LEN
}

/// FNV-1a 32 (`pkg/utils/utils.go` `Hash`).
pub fn fnv1a32(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Shard number of a host (`pkg/utils/utils.go` `Bkt`): hash AND (count-1).
pub fn bucket(host: &str, count: u32) -> u32 {
    if count == 0 {
        0
    } else {
        fnv1a32(host) & (count - 1)
    }
}

pub use crate::names::{is_name_encoded, sha1_hex};

/// `internal/lib/lib.go` `Encode`: in EVH mode every name built through it
/// becomes `P + sha1(name)`; identity otherwise.
pub fn encode(settings: &Settings, name: &str) -> String {
    crate::names::encode(&settings.cluster_name, name, settings.enable_evh)
}

/// `parts` with the settings' cluster in front.
fn with_cluster<'a>(s: &'a Settings, parts: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("cluster", s.cluster_name.as_str())];
    all.extend_from_slice(parts);
    all
}

/// The name formula `f` gives for the settings' cluster and `parts`, with
/// `Encode` applied in EVH mode when the formula goes through it.
pub fn name_of(s: &Settings, f: &crate::names::Formula, parts: &[(&str, &str)]) -> String {
    crate::names::format(f, &with_cluster(s, parts), s.enable_evh)
}

/// [`name_of`], and when the name is hashed, what it was made from is
/// recorded in `out` for `explain-name`.
pub fn recorded_name_of(
    out: &mut super::Out,
    s: &Settings,
    f: &'static crate::names::Formula,
    parts: &[(&str, &str)],
) -> String {
    let all = with_cluster(s, parts);
    let name = crate::names::format(f, &all, s.enable_evh);
    out.record_hash(&name, crate::names::hashed(f, &all, s.enable_evh));
    name
}

/// The same as [`name_of`], never through `Encode` (the un-hashed name).
pub fn plain_name_of(s: &Settings, f: &crate::names::Formula, parts: &[(&str, &str)]) -> String {
    crate::names::format(f, &with_cluster(s, parts), false)
}

/// Markers of one object (`internal/lib/lib.go` `GetAllMarkers`; field order of
/// `pkg/utils/types.go` `AviObjectMarkers`).
#[derive(Clone, Debug, Default)]
pub struct Markers {
    pub namespace: String,
    pub host: Vec<String>,
    pub infrasetting_name: String,
    pub service_name: String,
    pub path: Vec<String>,
    pub port: String,
    pub protocol: String,
    pub ingress_name: Vec<String>,
    pub gateway_name: String,
    /// Gateway API markers (`ako-gateway-api/nodes`), after `GatewayName` in
    /// `AviObjectMarkers` declaration order.
    pub gateway_namespace: String,
    pub httproute_name: String,
    pub httproute_namespace: String,
    pub httproute_rule_name: String,
    pub backend_name: String,
    pub backend_ns: String,
}

impl Markers {
    pub fn to_json(&self, settings: &Settings) -> Value {
        let mut v = vec![json!({"key": "clustername", "values": [settings.cluster_name]})];
        let single = |k: &str, s: &str, v: &mut Vec<Value>| {
            if !s.is_empty() {
                v.push(json!({"key": k, "values": [s]}));
            }
        };
        single("Namespace", &self.namespace, &mut v);
        if !self.host.is_empty() {
            v.push(json!({"key": "Host", "values": self.host}));
        }
        single("InfrasettingName", &self.infrasetting_name, &mut v);
        single("ServiceName", &self.service_name, &mut v);
        if !self.path.is_empty() {
            v.push(json!({"key": "Path", "values": self.path}));
        }
        single("Port", &self.port, &mut v);
        single("Protocol", &self.protocol, &mut v);
        if !self.ingress_name.is_empty() {
            v.push(json!({"key": "IngressName", "values": self.ingress_name}));
        }
        single("GatewayName", &self.gateway_name, &mut v);
        single("GatewayNamespace", &self.gateway_namespace, &mut v);
        single("HTTPRouteName", &self.httproute_name, &mut v);
        single("HTTPRouteNamespace", &self.httproute_namespace, &mut v);
        single("HTTPRouteRuleName", &self.httproute_rule_name, &mut v);
        single("BackendName", &self.backend_name, &mut v);
        single("BackendNs", &self.backend_ns, &mut v);
        Value::Array(v)
    }
}

/// The clustername-only marker list.
pub fn cluster_markers(settings: &Settings) -> Value {
    Markers::default().to_json(settings)
}

/// `lib.ServiceMetadataObj` as AKO's Go `json.Marshal` writes it: all keys, in
/// declaration order, zero values included, compact.
#[derive(Clone, Debug, Default)]
pub struct ServiceMetadata {
    pub namespace_ingress_name: Option<Vec<String>>,
    pub ingress_name: String,
    pub namespace: String,
    pub hostnames: Option<Vec<String>>,
    pub namespace_svc_name: Option<Vec<String>>,
    pub pool_ratio: u32,
    pub passthrough_parent_ref: String,
    pub passthrough_child_ref: String,
    pub gateway: String,
    pub httproute: String,
    pub httproute_rule_name: String,
    pub insecureedgetermallow: bool,
    pub fqdn_reuse_policy: String,
    /// EVH only: host → `ns/name` of the Ingresses serving it (a Go map:
    /// keys sorted when marshalled).
    pub host_namespace_ingress_name: Option<std::collections::BTreeMap<String, Vec<String>>>,
}

impl ServiceMetadata {
    /// The JSON of AKO 2.2.
    pub fn render(&self) -> String {
        self.render_for(Release::V2_2)
    }

    /// The JSON of `lib.ServiceMetadataObj` of AKO `release`: keys the
    /// release's struct does not declare are left out
    /// ([`Feature::MetadataHttpRouteRuleName`],
    /// [`Feature::MetadataGatewayKeys`]).
    pub fn render_for(&self, release: Release) -> String {
        fn list(v: &Option<Vec<String>>) -> String {
            match v {
                None => "null".into(),
                Some(v) => serde_json::to_string(v).unwrap_or_else(|_| "null".into()),
            }
        }
        fn s(v: &str) -> String {
            serde_json::to_string(v).unwrap_or_default()
        }
        let mut hostnames = self.hostnames.clone();
        if let Some(h) = hostnames.as_mut() {
            h.sort();
        }
        let gw_keys = release.has(Feature::MetadataGatewayKeys);
        let mut out = format!(
            "{{\"namespace_ingress_name\":{},\"ingress_name\":{},\"namespace\":{},\"hostnames\":{},\"namespace_svc_name\":{},\"crd_status\":{{\"type\":\"\",\"value\":\"\",\"status\":\"\"}},\"pool_ratio\":{},\"passthrough_parent_ref\":{},\"passthrough_child_ref\":{},\"gateway\":{}",
            list(&self.namespace_ingress_name),
            s(&self.ingress_name),
            s(&self.namespace),
            list(&hostnames),
            list(&self.namespace_svc_name),
            self.pool_ratio,
            s(&self.passthrough_parent_ref),
            s(&self.passthrough_child_ref),
            s(&self.gateway),
        );
        if gw_keys {
            out.push_str(&format!(",\"httproute\":{}", s(&self.httproute)));
        }
        if release.has(Feature::MetadataHttpRouteRuleName) {
            out.push_str(&format!(
                ",\"httproute_rule_name\":{}",
                s(&self.httproute_rule_name)
            ));
        }
        out.push_str(&format!(
            ",\"insecureedgetermallow\":{},\"is_mci_ingress\":false",
            self.insecureedgetermallow
        ));
        if gw_keys {
            out.push_str(&format!(
                ",\"fqdn_reuse_policy\":{},\"host_namespace_ingress_name\":{}",
                s(&self.fqdn_reuse_policy),
                match &self.host_namespace_ingress_name {
                    None => "null".into(),
                    Some(m) => serde_json::to_string(m).unwrap_or_else(|_| "null".into()),
                }
            ));
        }
        out.push('}');
        out
    }
}

/// The Kubernetes objects a model part came from (`Kind ns/name`): a
/// sorted, duplicate-free list, built by inserting and read in order. A
/// model holds one per pool, poolgroup, policy and VS, mostly of one or two
/// entries, where a `BTreeSet` would allocate a node for eleven.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources(Vec<String>);

impl Sources {
    /// Add `s` in order; false when it is there already.
    pub fn insert(&mut self, s: String) -> bool {
        match self.0.binary_search(&s) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, s);
                true
            }
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, String> {
        self.0.iter()
    }
}

impl<const N: usize> From<[String; N]> for Sources {
    fn from(items: [String; N]) -> Self {
        items.into_iter().collect()
    }
}

impl FromIterator<String> for Sources {
    fn from_iter<I: IntoIterator<Item = String>>(items: I) -> Self {
        let mut v: Vec<String> = items.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        Sources(v)
    }
}

impl IntoIterator for Sources {
    type Item = String;
    type IntoIter = std::vec::IntoIter<String>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_spec_table() {
        assert_eq!(fnv1a32("foo.com"), 1101858200);
        assert_eq!(bucket("foo.com", 8), 0);
        assert_eq!(bucket("bar.com", 8), 1);
        assert_eq!(bucket("xyz.com", 8), 3);
        assert_eq!(bucket("foo.avi.internal", 4), 2);
        assert_eq!(bucket("my-ingress.default.avi.internal", 8), 5);
        assert_eq!(bucket("*.foo.com", 8), 4);
        assert_eq!(bucket("anything", 1), 0);
    }

    #[test]
    fn encode_matches_spec_examples() {
        let s = Settings {
            cluster_name: "my-cluster".into(),
            enable_evh: true,
            ..Settings::default()
        };
        assert_eq!(
            encode(&s, "my-cluster--foo.com"),
            "my-cluster--525c15a3209396f3ae283ec9cbaec3e7838bc28b"
        );
        let plain = Settings {
            cluster_name: "my-cluster".into(),
            ..Settings::default()
        };
        assert_eq!(encode(&plain, "my-cluster--foo.com"), "my-cluster--foo.com");
    }

    #[test]
    fn zero_service_metadata_is_byte_exact() {
        assert_eq!(
            ServiceMetadata::default().render(),
            r#"{"namespace_ingress_name":null,"ingress_name":"","namespace":"","hostnames":null,"namespace_svc_name":null,"crd_status":{"type":"","value":"","status":""},"pool_ratio":0,"passthrough_parent_ref":"","passthrough_child_ref":"","gateway":"","httproute":"","httproute_rule_name":"","insecureedgetermallow":false,"is_mci_ingress":false,"fqdn_reuse_policy":"","host_namespace_ingress_name":null}"#
        );
    }

    #[test]
    fn older_service_metadata_lacks_newer_keys() {
        assert_eq!(
            ServiceMetadata::default().render_for(Release::V2_1),
            r#"{"namespace_ingress_name":null,"ingress_name":"","namespace":"","hostnames":null,"namespace_svc_name":null,"crd_status":{"type":"","value":"","status":""},"pool_ratio":0,"passthrough_parent_ref":"","passthrough_child_ref":"","gateway":"","httproute":"","insecureedgetermallow":false,"is_mci_ingress":false,"fqdn_reuse_policy":"","host_namespace_ingress_name":null}"#
        );
        assert_eq!(
            ServiceMetadata::default().render_for(Release::V1_12),
            r#"{"namespace_ingress_name":null,"ingress_name":"","namespace":"","hostnames":null,"namespace_svc_name":null,"crd_status":{"type":"","value":"","status":""},"pool_ratio":0,"passthrough_parent_ref":"","passthrough_child_ref":"","gateway":"","insecureedgetermallow":false,"is_mci_ingress":false}"#
        );
    }

    #[test]
    fn query_escape_like_go() {
        assert_eq!(query_escape("a b/c"), "a+b%2Fc");
        assert_eq!(query_escape("team-tenant"), "team-tenant");
    }

    proptest::proptest! {
        /// `Sources` holds, iterates and answers as the `BTreeSet` it
        /// replaces, whatever the order of inserts.
        #[test]
        fn sources_are_a_sorted_set(items in proptest::collection::vec("[a-c]{0,2}", 0..12)) {
            let mut set = std::collections::BTreeSet::new();
            let mut sources = Sources::default();
            for s in &items {
                proptest::prop_assert_eq!(sources.insert(s.clone()), set.insert(s.clone()));
            }
            proptest::prop_assert!(sources.iter().eq(set.iter()));
            proptest::prop_assert_eq!(sources.iter().count(), set.len());
            proptest::prop_assert!(set.iter().all(|s| sources.iter().any(|x| x == s)));
            proptest::prop_assert!(!sources.iter().any(|x| x == "d"));
            let collected: Sources = items.iter().cloned().collect();
            proptest::prop_assert_eq!(&collected, &sources);
            let mut extended = Sources::from(["b".to_string()]);
            for s in &items {
                extended.insert(s.clone());
            }
            set.insert("b".to_string());
            proptest::prop_assert!(extended.into_iter().eq(set.into_iter()));
        }
    }
}
