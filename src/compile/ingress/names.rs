//! L7 name formulas of translation-core.md §2.2 (SNI mode, `enableEVH: false`).
//!
//! `infra` is the infra prefix `X` (name of a cluster-scoped AviInfraSetting
//! reaching the Ingress through its IngressClass); empty when none applies.
//! AKO: `internal/lib/lib.go` name helpers, `internal/nodes/dequeue_ingestion.go`
//! `GetShardVSName`.

use crate::compile::Out;
use crate::compile::common::{
    name_of as name, plain_name_of as plain, recorded_name_of as recorded,
};
use crate::names::{Formula, table};
use crate::settings::Settings;

/// Secret name AKO uses for `ako.vmware.com/enable-tls` (`internal/lib/constants.go`
/// `DefaultRouteCert`).
pub const DEFAULT_SECRET: &str = "router-certs-default";

/// Suffix of Dedicated-mode names (`internal/lib/constants.go` `DedicatedSuffix`).
pub const DEDICATED_SUFFIX: &str = "-L7-dedicated";

/// AKO-ID prefix `I` (`internal/lib/lib.go` `GetAKOIDPrefix`): the AKO
/// namespace of a non-primary instance, the `[<ako-ns>-]` of the shard names.
pub fn ako_ns(s: &Settings) -> &str {
    if s.primary_instance {
        ""
    } else {
        &s.ako_namespace
    }
}

/// Shard VS (and its vsvip, poolgroup, datascript, redirect policy):
/// [`table::SHARD_VS`] (`dequeue_ingestion.go` `GetShardVSName`).
pub fn shard_vs(s: &Settings, infra: &str, n: u32) -> String {
    let n = n.to_string();
    plain(
        s,
        &table::SHARD_VS,
        &[
            ("ako-namespace", ako_ns(s)),
            ("infrasetting", infra),
            ("shard", &n),
        ],
    )
}

/// Dedicated VS and its vsvip: [`table::DEDICATED_VS`] (`GetShardVSName`
/// with shard size 0).
pub fn dedicated_vs(s: &Settings, infra: &str, host: &str) -> String {
    plain(
        s,
        &table::DEDICATED_VS,
        &[("infrasetting", infra), ("host", host)],
    )
}

/// Insecure shard pool: [`table::INSECURE_POOL`] (`internal/lib/lib.go`
/// `GetL7PoolName`); `label` is host and path.
pub fn insecure_pool(s: &Settings, infra: &str, label: &str, ns: &str, ing: &str) -> String {
    let (host, path) = label.find('/').map_or((label, ""), |i| label.split_at(i));
    plain(
        s,
        &table::INSECURE_POOL,
        &[
            ("infrasetting", infra),
            ("host", host),
            ("path", path),
            ("namespace", ns),
            ("ingress", ing),
        ],
    )
}

/// SNI child VS: [`table::SNI_VS`] (`GetSniNodeName`).
pub fn sni_vs(s: &Settings, infra: &str, host: &str) -> String {
    plain(
        s,
        &table::SNI_VS,
        &[("infrasetting", infra), ("host", host)],
    )
}

fn sni_pool_parts<'a>(
    infra: &'a str,
    ns: &'a str,
    host: &'a str,
    path: &'a str,
    ing: &'a str,
) -> [(&'static str, &'a str); 5] {
    [
        ("infrasetting", infra),
        ("namespace", ns),
        ("host", host),
        ("path", path),
        ("ingress", ing),
    ]
}

fn sni_pool_formula(dedicated: bool) -> &'static Formula {
    if dedicated {
        &table::DEDICATED_POOL
    } else {
        &table::SNI_POOL
    }
}

/// The pool the HTTP policy selects itself with `noPGForSNI`:
/// [`table::SNI_POOL_NO_PG`], [`table::DEDICATED_POOL_NO_PG`] (the
/// `GetSniPoolName` name, `--` and `lib.PoolNameSuffixForHttpPolToPool`).
fn no_pg_formula(dedicated: bool) -> &'static Formula {
    if dedicated {
        &table::DEDICATED_POOL_NO_PG
    } else {
        &table::SNI_POOL_NO_PG
    }
}

/// SNI pool, poolgroup and hppmap name (all the same string for an Ingress):
/// [`table::SNI_POOL`], [`table::DEDICATED_POOL`] (`GetSniPoolName`,
/// `GetSniPGName`, `GetSniHppMapName`); with `no_pg`, the pool the policy
/// selects itself under `noPGForSNI`.
#[allow(clippy::too_many_arguments)]
pub fn sni_pool(
    s: &Settings,
    infra: &str,
    ns: &str,
    host: &str,
    path: &str,
    ing: &str,
    dedicated: bool,
    no_pg: bool,
) -> String {
    let f = if no_pg {
        no_pg_formula(dedicated)
    } else {
        sni_pool_formula(dedicated)
    };
    plain(s, f, &sni_pool_parts(infra, ns, host, path, ing))
}

/// SNI httppolicyset: [`table::SNI_HTTPPS`] (`GetSniHttpPolName`).
pub fn sni_httpps(s: &Settings, infra: &str, ns: &str, host: &str) -> String {
    plain(
        s,
        &table::SNI_HTTPPS,
        &[("infrasetting", infra), ("namespace", ns), ("host", host)],
    )
}

/// Certificate name (`GetTLSKeyCertNodeName`): the default secret (and its
/// `-alt`) gives [`table::DEFAULT_CERT`]; otherwise [`table::SNI_VS`], or
/// [`table::ALT_CERT`] when the secret name given ends with `-alt` (AKO
/// passes `secret + "-alt"` for the alternate certificate, so a Secret
/// itself named `…-alt` also lands there). Hashed in EVH mode.
pub fn tls_cert(s: &Settings, infra: &str, host: &str, secret: &str) -> String {
    let (f, parts) = cert_formula(infra, host, secret);
    name(s, f, &parts)
}

/// [`tls_cert`] of an EVH host, recording what the name hashed in `out`.
pub fn evh_tls_cert(out: &mut Out, s: &Settings, infra: &str, host: &str, secret: &str) -> String {
    let (f, parts) = cert_formula(infra, host, secret);
    recorded(out, s, f, &parts)
}

/// The formula and parts of [`tls_cert`].
fn cert_formula<'a>(
    infra: &'a str,
    host: &'a str,
    secret: &'a str,
) -> (&'static Formula, Vec<(&'static str, &'a str)>) {
    if secret == DEFAULT_SECRET || secret == format!("{DEFAULT_SECRET}-alt") {
        return (&table::DEFAULT_CERT, vec![("secret", secret)]);
    }
    let f = if secret.ends_with("-alt") {
        &table::ALT_CERT
    } else {
        &table::SNI_VS
    };
    (f, vec![("infrasetting", infra), ("host", host)])
}

/// CA certificate of a Route's `tls.caCertificate`: [`table::CA_CERT`]
/// (`internal/lib/lib.go` `GetCACertNodeName`).
pub fn ca_cert(s: &Settings, infra: &str, host: &str) -> String {
    name(
        s,
        &table::CA_CERT,
        &[("infrasetting", infra), ("host", host)],
    )
}

/// [`ca_cert`] of an EVH host, recording what the name hashed in `out`.
pub fn evh_ca_cert(out: &mut Out, s: &Settings, infra: &str, host: &str) -> String {
    recorded(
        out,
        s,
        &table::CA_CERT,
        &[("infrasetting", infra), ("host", host)],
    )
}

/// EVH parent VS (and its vsvip): [`table::EVH_SHARD_VS`]
/// (`internal/nodes/avi_model_evh_nodes.go` `DeriveShardVSForEvh`).
pub fn evh_shard_vs(s: &Settings, infra: &str, n: u32) -> String {
    let n = n.to_string();
    plain(
        s,
        &table::EVH_SHARD_VS,
        &[
            ("ako-namespace", ako_ns(s)),
            ("infrasetting", infra),
            ("shard", &n),
        ],
    )
}

/// EVH parent VS with `vipPerNamespace`: [`table::EVH_NAMESPACE_VS`]
/// (`DeriveShardVSForEvh`).
pub fn evh_namespace_vs(s: &Settings, infra: &str, ns: &str) -> String {
    plain(
        s,
        &table::EVH_NAMESPACE_VS,
        &[
            ("ako-namespace", ako_ns(s)),
            ("infrasetting", infra),
            ("namespace", ns),
        ],
    )
}

/// Dedicated EVH VS: [`table::DEDICATED_EVH_VS`] (`avi_model_evh_nodes.go`
/// `GetDedicatedVSName`).
pub fn dedicated_evh_vs(s: &Settings, infra: &str, host: &str) -> String {
    plain(
        s,
        &table::DEDICATED_EVH_VS,
        &[("infrasetting", infra), ("host", host)],
    )
}

/// EVH child VS (and its redirect policy): `Encode` of [`table::SNI_VS`]
/// (`internal/lib/lib.go` `GetEvhNodeName`).
pub fn evh_child(out: &mut Out, s: &Settings, infra: &str, host: &str) -> String {
    recorded(
        out,
        s,
        &table::SNI_VS,
        &[("infrasetting", infra), ("host", host)],
    )
}

/// EVH poolgroup: `Encode` of [`table::SNI_POOL`] / [`table::DEDICATED_POOL`]
/// (`GetEvhPGName`).
#[allow(clippy::too_many_arguments)]
pub fn evh_pg(
    out: &mut Out,
    s: &Settings,
    infra: &str,
    ns: &str,
    host: &str,
    path: &str,
    ing: &str,
    dedicated: bool,
) -> String {
    recorded(
        out,
        s,
        sni_pool_formula(dedicated),
        &sni_pool_parts(infra, ns, host, path, ing),
    )
}

/// EVH pool: [`table::EVH_POOL`], [`table::EVH_POOL_DEDICATED`]
/// (`GetEvhPoolName`, `GetEvhPoolNameNoEncoding`).
#[allow(clippy::too_many_arguments)]
pub fn evh_pool(
    out: &mut Out,
    s: &Settings,
    infra: &str,
    ns: &str,
    host: &str,
    path: &str,
    ing: &str,
    svc: &str,
    dedicated: bool,
) -> String {
    let f = if dedicated {
        &table::EVH_POOL_DEDICATED
    } else {
        &table::EVH_POOL
    };
    let mut parts = sni_pool_parts(infra, ns, host, path, ing).to_vec();
    parts.push(("service", svc));
    recorded(out, s, f, &parts)
}

/// EVH path httppolicyset: `Encode` of [`table::SNI_HTTPPS`] (`GetSniHttpPolName`).
pub fn evh_httpps(out: &mut Out, s: &Settings, infra: &str, ns: &str, host: &str) -> String {
    recorded(
        out,
        s,
        &table::SNI_HTTPPS,
        &[("infrasetting", infra), ("namespace", ns), ("host", host)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            cluster_name: "my-cluster".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn spec_examples() {
        let s = settings();
        assert_eq!(shard_vs(&s, "", 2), "my-cluster--Shared-L7-2");
        assert_eq!(
            shard_vs(&s, "myinfra", 0),
            "my-cluster--Shared-L7-myinfra-0"
        );
        assert_eq!(
            insecure_pool(
                &s,
                "",
                "myinsecurehost.avi.internal/foo",
                "default",
                "my-ingress"
            ),
            "my-cluster--myinsecurehost.avi.internal_foo-default-my-ingress"
        );
        assert_eq!(
            sni_vs(&s, "", "myhost.avi.internal"),
            "my-cluster--myhost.avi.internal"
        );
        assert_eq!(
            sni_pool(
                &s,
                "",
                "default",
                "myhost.avi.internal",
                "/foo",
                "my-secure",
                false,
                false
            ),
            "my-cluster--default-myhost.avi.internal_foo-my-secure"
        );
        assert_eq!(
            sni_pool(&s, "", "default", "h.com", "/", "ing", true, true),
            "my-cluster--default-h.com_-ing-L7-dedicated--policy-to-pool"
        );
        assert_eq!(
            sni_pool(&s, "", "default", "foo.com", "/foo", "ing", true, false),
            "my-cluster--default-foo.com_foo-ing-L7-dedicated"
        );
        assert_eq!(
            sni_httpps(&s, "", "default", "myhost.avi.internal"),
            "my-cluster--default-myhost.avi.internal"
        );
        assert_eq!(
            dedicated_vs(&s, "", "foo.com"),
            "my-cluster--foo.com-L7-dedicated"
        );
    }

    #[test]
    fn certificate_names() {
        let s = settings();
        assert_eq!(tls_cert(&s, "", "h.com", "tls-secret"), "my-cluster--h.com");
        assert_eq!(
            tls_cert(&s, "", "h.com", "tls-secret-alt"),
            "my-cluster--h.com-alt"
        );
        assert_eq!(tls_cert(&s, "inf", "h.com", "x"), "my-cluster--inf-h.com");
        assert_eq!(
            tls_cert(&s, "inf", "h.com", DEFAULT_SECRET),
            "my-cluster--router-certs-default"
        );
        assert_eq!(
            tls_cert(&s, "", "h.com", "router-certs-default-alt"),
            "my-cluster--router-certs-default-alt"
        );
    }

    /// translation-extended.md §3.2 worked examples (C=`cluster`, namespace
    /// `default`, Ingress `foo`, host `foo.com`, path `/foo`, service `avisvc`).
    #[test]
    fn evh_spec_examples() {
        let o = &mut Out::default();
        let s = Settings {
            cluster_name: "cluster".into(),
            enable_evh: true,
            ..Settings::default()
        };
        assert_eq!(evh_shard_vs(&s, "", 0), "cluster--Shared-L7-EVH-0");
        assert_eq!(
            evh_child(o, &s, "", "foo.com"),
            "cluster--532fd312059d5096118cb0bc3d1135a36cc4f826"
        );
        assert_eq!(
            evh_pg(o, &s, "", "default", "foo.com", "/foo", "foo", false),
            "cluster--657674d1a5559a542055ba2fcefd067c8acf5463"
        );
        assert_eq!(
            evh_pool(
                o, &s, "", "default", "foo.com", "/foo", "foo", "avisvc", false
            ),
            "cluster--ceccf1dca712a32f1e908577512ea12f182ae26b"
        );
        assert_eq!(
            evh_httpps(o, &s, "", "default", "foo.com"),
            "cluster--55aaae53d1d233409164e7b03b646f7284e86d88"
        );
        assert_eq!(
            tls_cert(&s, "", "foo.com", "tls-secret"),
            evh_child(o, &s, "", "foo.com")
        );
        assert_eq!(
            dedicated_evh_vs(&s, "", "foo.com"),
            "cluster--fc94484f7312a22cfb5bcc517b05649e256c24a8-EVH"
        );
        assert_eq!(
            evh_namespace_vs(&s, "", "red"),
            "cluster--Shared-L7-EVH-NS-red"
        );
        // Without EVH the same helpers give the plain strings.
        let plain = Settings {
            cluster_name: "cluster".into(),
            ..Settings::default()
        };
        assert_eq!(evh_child(o, &plain, "", "foo.com"), "cluster--foo.com");
        assert_eq!(
            evh_pool(
                o, &plain, "", "default", "foo.com", "/foo", "foo", "avisvc", true
            ),
            "cluster--default-foo.com_foo-foo-avisvc-L7-dedicated"
        );
    }

    #[test]
    fn non_primary_instance_prefixes_only_shards() {
        let s = Settings {
            cluster_name: "c".into(),
            primary_instance: false,
            ako_namespace: "ako-2".into(),
            ..Settings::default()
        };
        assert_eq!(shard_vs(&s, "", 5), "c--ako-2-Shared-L7-5");
        assert_eq!(sni_vs(&s, "", "a.com"), "c--a.com");
    }

    #[test]
    fn root_and_empty_paths() {
        let s = settings();
        assert_eq!(
            insecure_pool(&s, "", "foo.com/", "ns", "i"),
            "my-cluster--foo.com_-ns-i"
        );
        assert_eq!(
            insecure_pool(&s, "", "foo.com", "ns", "i"),
            "my-cluster--foo.com-ns-i"
        );
        assert_eq!(
            sni_pool(&s, "", "ns", "foo.com", "", "i", false, false),
            "my-cluster--ns-foo.com-i"
        );
    }
}
