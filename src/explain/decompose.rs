//! Reading an Avi object name back into the parts AKO built it from.
//!
//! Names are not uniquely parseable: namespaces, object names and hosts all
//! contain `-`. [`decompose`] therefore returns every reading that fits a
//! formula of [`crate::names::table`] and whose parts are valid Kubernetes
//! names. The formulas are tried in [`STAGES`]: some names settle the
//! question once they fit (a shard VS is nothing else), others fit several
//! formulas at once.

use serde::Serialize;

use crate::names::{self, Formula, table};

/// One way to read a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reading {
    /// Short name of the rule, e.g. `L4 pool`.
    pub rule: &'static str,
    /// The formula, with placeholders.
    pub formula: String,
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

    /// The reading `f` gives with `parts`.
    pub fn of(f: &Formula, parts: Vec<(&'static str, String)>) -> Reading {
        Reading {
            rule: f.rule,
            formula: f.formula(),
            spec: f.spec,
            types: f.types.to_vec(),
            parts,
        }
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

/// When a stage's readings end the search.
#[derive(Clone, Copy)]
enum Stop {
    /// Never: later stages add their readings.
    Never,
    /// When the stage found a reading.
    IfAny,
    /// When the name ends with this text, found or not.
    IfEndsWith(&'static str),
    /// When the name contains this text, found or not.
    IfContains(&'static str),
    /// The stage is tried only when nothing was found before.
    OnlyIfNone,
}

/// Formulas tried together: their readings are ordered by where their
/// parts start, then by the order given here.
struct Stage(&'static [&'static Formula], Stop);

/// The Gateway API container's names (`ako-gw-...`).
const GATEWAY: Stage = Stage(
    &[
        &table::GW_STRING_GROUP,
        &table::GW_DEFAULT_BACKEND,
        &table::GW_ENCODED,
        &table::GW_DEDICATED_VS,
        &table::GW_PARENT_VS,
    ],
    Stop::IfAny,
);

/// String groups: `ako-<cluster>-<sha1>`, with or without a known cluster.
const STRING_GROUPS: Stage = Stage(&[&table::STRING_GROUP], Stop::IfAny);

/// The names that start with `<cluster>--`, in the order they are tried.
const STAGES: &[Stage] = &[
    Stage(&[&table::DEDICATED_EVH_VS], Stop::IfAny),
    Stage(&[&table::ENCODED], Stop::IfAny),
    // `--policy-to-pool` (noPGForSNI) and header rewrite policies contain `--`.
    Stage(
        &[&table::SNI_POOL_NO_PG, &table::DEDICATED_POOL_NO_PG],
        Stop::IfEndsWith("--policy-to-pool"),
    ),
    Stage(
        &[&table::HEADER_REWRITE],
        Stop::IfContains("--host-hdr-re-write--"),
    ),
    Stage(&[&table::POOL_PKI_PROFILE], Stop::IfEndsWith("-pkiprofile")),
    Stage(
        &[&table::EVH_NAMESPACE_VS, &table::EVH_SHARD_VS],
        Stop::IfAny,
    ),
    Stage(&[&table::SHARD_VS], Stop::IfAny),
    Stage(
        &[&table::PASSTHROUGH_VS, &table::PASSTHROUGH_INSECURE_VS],
        Stop::IfAny,
    ),
    Stage(&[&table::DEFAULT_CERT], Stop::IfAny),
    Stage(&[&table::CA_CERT], Stop::Never),
    Stage(&[&table::ALT_CERT], Stop::Never),
    Stage(&[&table::DEDICATED_VS], Stop::Never),
    Stage(&[&table::DEDICATED_POOL], Stop::Never),
    Stage(
        &[
            &table::L4_POOL,
            &table::SVCAPI_POOL,
            &table::SHARED_VIP_POOL,
        ],
        Stop::Never,
    ),
    Stage(&[&table::SNI_VS], Stop::Never),
    Stage(&[&table::PASSTHROUGH_PG], Stop::Never),
    Stage(&[&table::PASSTHROUGH_POOL], Stop::Never),
    Stage(&[&table::INSECURE_POOL], Stop::Never),
    Stage(&[&table::SNI_POOL], Stop::Never),
    Stage(&[&table::SNI_HTTPPS], Stop::Never),
    // L4 virtual service: `<ns>-<svc>` (also vsvip, l4policyset, shared VIP).
    Stage(
        &[&table::L4_VS, &table::SVCAPI_VS, &table::SHARED_VIP_VS],
        Stop::OnlyIfNone,
    ),
];

impl Stage {
    /// Adds the stage's readings of `name`; `true` when the search ends.
    fn run(&self, d: &mut Decomposition, name: &str, cluster: Option<&str>) -> bool {
        let Stage(formulas, stop) = self;
        if matches!(stop, Stop::OnlyIfNone) && !d.readings.is_empty() {
            return false;
        }
        let mut found: Vec<(Vec<usize>, usize, Reading, Option<String>)> = Vec::new();
        for (i, f) in formulas.iter().enumerate() {
            for p in names::parse(f, name, cluster) {
                found.push((p.key, i, Reading::of(f, p.parts), p.cluster));
            }
        }
        found.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let any = !found.is_empty();
        for (_, _, r, c) in found {
            d.encoded |= r.part("sha1").is_some();
            if c.is_some() && d.cluster.is_none() {
                d.cluster = c;
            }
            d.readings.push(r);
        }
        match stop {
            Stop::Never | Stop::OnlyIfNone => false,
            Stop::IfAny => any,
            Stop::IfEndsWith(t) => name.ends_with(t),
            Stop::IfContains(t) => name.contains(t),
        }
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
    if let Some(rest) = name.strip_prefix("ako-gw-") {
        d.cluster = match cluster {
            Some(k) => rest.strip_prefix(&format!("{k}--")).map(|_| k.to_string()),
            None => rest.split_once("--").map(|(c, _)| c.to_string()),
        };
        if GATEWAY.run(&mut d, name, cluster) {
            return d;
        }
    }
    if name.starts_with("ako-") {
        let before = d.cluster.take();
        if STRING_GROUPS.run(&mut d, name, cluster) {
            return d;
        }
        d.cluster = before;
    }
    let c = match cluster {
        Some(c) if name.starts_with(&format!("{c}--")) => c.to_string(),
        Some(_) => return d,
        None => match name.split_once("--") {
            Some((c, _)) => c.to_string(),
            None => return d,
        },
    };
    d.cluster = Some(c.clone());
    for stage in STAGES {
        if stage.run(&mut d, name, Some(&c)) {
            break;
        }
    }
    // A PKI profile of an encoded pool is encoded too.
    if let Some(pool) = d
        .readings
        .iter()
        .find(|r| r.rule == table::POOL_PKI_PROFILE.rule)
        .and_then(|r| r.part("pool"))
    {
        d.encoded |= decompose(pool, cluster).encoded;
    }
    d
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
