//! L7 name formulas of translation-core.md §2.2 (SNI mode, `enableEVH: false`).
//!
//! `infra` is the infra prefix `X` (name of a cluster-scoped AviInfraSetting
//! reaching the Ingress through its IngressClass); empty when none applies.
//! AKO: `internal/lib/lib.go` name helpers, `internal/nodes/dequeue_ingestion.go`
//! `GetShardVSName`.

use crate::compile::common::encode;
use crate::settings::Settings;

/// Secret name AKO uses for `ako.vmware.com/enable-tls` (`internal/lib/constants.go`
/// `DefaultRouteCert`).
pub const DEFAULT_SECRET: &str = "router-certs-default";

/// Suffix of Dedicated-mode names (`internal/lib/constants.go` `DedicatedSuffix`).
pub const DEDICATED_SUFFIX: &str = "-L7-dedicated";

/// Suffix of SNI pools selected directly by the policy with `noPGForSNI`
/// (`internal/lib/constants.go` `PoolNameSuffixForHttpPolToPool`).
pub const POLICY_TO_POOL_SUFFIX: &str = "--policy-to-pool";

fn x(infra: &str) -> String {
    if infra.is_empty() {
        String::new()
    } else {
        format!("{infra}-")
    }
}

/// `/` → `_` as the name helpers do (`strings.ReplaceAll(path, "/", "_")`).
pub fn underscore(s: &str) -> String {
    s.replace('/', "_")
}

/// AKO-ID prefix `I` (`internal/lib/lib.go` `GetAKOIDPrefix`).
pub fn ako_id_prefix(s: &Settings) -> String {
    if s.primary_instance {
        String::new()
    } else {
        format!("{}-", s.ako_namespace)
    }
}

/// Shard VS (and its vsvip, poolgroup, datascript, redirect policy):
/// `P + I + "Shared-L7-" + [X-] + n` (`dequeue_ingestion.go` `GetShardVSName`).
pub fn shard_vs(s: &Settings, infra: &str, n: u32) -> String {
    format!(
        "{}{}Shared-L7-{}{n}",
        s.prefix(),
        ako_id_prefix(s),
        x(infra)
    )
}

/// Dedicated VS and its vsvip: `P + [X-] + host + "-L7-dedicated"`
/// (`GetShardVSName` with shard size 0).
pub fn dedicated_vs(s: &Settings, infra: &str, host: &str) -> String {
    format!("{}{}{host}{DEDICATED_SUFFIX}", s.prefix(), x(infra))
}

/// Insecure shard pool: `P + [X-] + replace(label, "/", "_") + "-" + ns + "-" + ing`
/// (`internal/lib/lib.go` `GetL7PoolName`).
pub fn insecure_pool(s: &Settings, infra: &str, label: &str, ns: &str, ing: &str) -> String {
    format!("{}{}{}-{ns}-{ing}", s.prefix(), x(infra), underscore(label))
}

/// SNI child VS: `P + [X-] + host` (`GetSniNodeName`).
pub fn sni_vs(s: &Settings, infra: &str, host: &str) -> String {
    format!("{}{}{host}", s.prefix(), x(infra))
}

/// SNI pool, poolgroup and hppmap name (all the same string for an Ingress):
/// `P + [X-] + ns + "-" + host + path_ + "-" + ing` (+ `-L7-dedicated`)
/// (`GetSniPoolName`, `GetSniPGName`, `GetSniHppMapName`).
pub fn sni_pool(
    s: &Settings,
    infra: &str,
    ns: &str,
    host: &str,
    path: &str,
    ing: &str,
    dedicated: bool,
) -> String {
    let suffix = if dedicated { DEDICATED_SUFFIX } else { "" };
    format!(
        "{}{}{ns}-{host}{}-{ing}{suffix}",
        s.prefix(),
        x(infra),
        underscore(path)
    )
}

/// SNI httppolicyset: `P + [X-] + ns + "-" + host` (`GetSniHttpPolName`).
pub fn sni_httpps(s: &Settings, infra: &str, ns: &str, host: &str) -> String {
    format!("{}{}{ns}-{host}", s.prefix(), x(infra))
}

/// Certificate name (`GetTLSKeyCertNodeName`): the default secret (and its
/// `-alt`) gives `P + secret`; otherwise `P + [X-] + host`, plus `-alt` when the
/// secret name given ends with `-alt` (AKO passes `secret + "-alt"` for the
/// alternate certificate, so a Secret itself named `…-alt` also lands there).
///
/// In EVH mode the name is hashed (`enc`, translation-extended.md §3.2).
pub fn tls_cert(s: &Settings, infra: &str, host: &str, secret: &str) -> String {
    if secret == DEFAULT_SECRET || secret == format!("{DEFAULT_SECRET}-alt") {
        return encode(s, &format!("{}{secret}", s.prefix()));
    }
    let alt = if secret.ends_with("-alt") { "-alt" } else { "" };
    encode(s, &format!("{}{}{host}{alt}", s.prefix(), x(infra)))
}

/// CA certificate of a Route's `tls.caCertificate`: `enc(P + [X-] + host +
/// "-cacert")` (`internal/lib/lib.go` `GetCACertNodeName`).
pub fn ca_cert(s: &Settings, infra: &str, host: &str) -> String {
    encode(s, &format!("{}{}{host}-cacert", s.prefix(), x(infra)))
}

/// Prefix of EVH shard VS names (`internal/lib/constants.go` `ShardEVHVSPrefix`).
pub const EVH_SHARD_PREFIX: &str = "Shared-L7-EVH-";

/// Suffix of Dedicated EVH VS names (`internal/lib/constants.go` `EVHSuffix`).
pub const EVH_SUFFIX: &str = "-EVH";

/// EVH parent VS (and its vsvip): `P + I + "Shared-L7-EVH-" + [X-] + n`
/// (`internal/nodes/avi_model_evh_nodes.go` `DeriveShardVSForEvh`).
pub fn evh_shard_vs(s: &Settings, infra: &str, n: u32) -> String {
    format!(
        "{}{}{EVH_SHARD_PREFIX}{}{n}",
        s.prefix(),
        ako_id_prefix(s),
        x(infra)
    )
}

/// EVH parent VS with `vipPerNamespace`: `P + I + "Shared-L7-EVH-" + [X-] + "NS-" + ns`
/// (`DeriveShardVSForEvh`).
pub fn evh_namespace_vs(s: &Settings, infra: &str, ns: &str) -> String {
    format!(
        "{}{}{EVH_SHARD_PREFIX}{}NS-{ns}",
        s.prefix(),
        ako_id_prefix(s),
        x(infra)
    )
}

/// Dedicated EVH VS: `enc(P + [X-] + host + "-L7-dedicated") + "-EVH"`
/// (`avi_model_evh_nodes.go` `GetDedicatedVSName`).
pub fn dedicated_evh_vs(s: &Settings, infra: &str, host: &str) -> String {
    format!("{}{EVH_SUFFIX}", encode(s, &dedicated_vs(s, infra, host)))
}

/// EVH child VS (and its redirect policy): `enc(P + [X-] + host)`
/// (`internal/lib/lib.go` `GetEvhNodeName`).
pub fn evh_child(s: &Settings, infra: &str, host: &str) -> String {
    encode(s, &sni_vs(s, infra, host))
}

/// EVH poolgroup: `enc(P + [X-] + ns + "-" + host + path_ + "-" + ing [+ "-L7-dedicated"])`
/// (`GetEvhPGName`).
pub fn evh_pg(
    s: &Settings,
    infra: &str,
    ns: &str,
    host: &str,
    path: &str,
    ing: &str,
    dedicated: bool,
) -> String {
    encode(s, &sni_pool(s, infra, ns, host, path, ing, dedicated))
}

/// EVH pool: `enc(P + [X-] + ns + "-" + host + path_ + "-" + ing + "-" + svc
/// [+ "-L7-dedicated"])` (`GetEvhPoolName`, `GetEvhPoolNameNoEncoding`).
#[allow(clippy::too_many_arguments)]
pub fn evh_pool(
    s: &Settings,
    infra: &str,
    ns: &str,
    host: &str,
    path: &str,
    ing: &str,
    svc: &str,
    dedicated: bool,
) -> String {
    let suffix = if dedicated { DEDICATED_SUFFIX } else { "" };
    let raw = format!(
        "{}{}{ns}-{host}{}-{ing}-{svc}{suffix}",
        s.prefix(),
        x(infra),
        underscore(path)
    );
    encode(s, &raw)
}

/// EVH path httppolicyset: `enc(P + [X-] + ns + "-" + host)` (`GetSniHttpPolName`).
pub fn evh_httpps(s: &Settings, infra: &str, ns: &str, host: &str) -> String {
    encode(s, &sni_httpps(s, infra, ns, host))
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
                false
            ),
            "my-cluster--default-myhost.avi.internal_foo-my-secure"
        );
        assert_eq!(
            sni_pool(&s, "", "default", "foo.com", "/foo", "ing", true),
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
        let s = Settings {
            cluster_name: "cluster".into(),
            enable_evh: true,
            ..Settings::default()
        };
        assert_eq!(evh_shard_vs(&s, "", 0), "cluster--Shared-L7-EVH-0");
        assert_eq!(
            evh_child(&s, "", "foo.com"),
            "cluster--532fd312059d5096118cb0bc3d1135a36cc4f826"
        );
        assert_eq!(
            evh_pg(&s, "", "default", "foo.com", "/foo", "foo", false),
            "cluster--657674d1a5559a542055ba2fcefd067c8acf5463"
        );
        assert_eq!(
            evh_pool(&s, "", "default", "foo.com", "/foo", "foo", "avisvc", false),
            "cluster--ceccf1dca712a32f1e908577512ea12f182ae26b"
        );
        assert_eq!(
            evh_httpps(&s, "", "default", "foo.com"),
            "cluster--55aaae53d1d233409164e7b03b646f7284e86d88"
        );
        assert_eq!(
            tls_cert(&s, "", "foo.com", "tls-secret"),
            evh_child(&s, "", "foo.com")
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
        assert_eq!(evh_child(&plain, "", "foo.com"), "cluster--foo.com");
        assert_eq!(
            evh_pool(
                &plain, "", "default", "foo.com", "/foo", "foo", "avisvc", true
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
            sni_pool(&s, "", "ns", "foo.com", "", "i", false),
            "my-cluster--ns-foo.com-i"
        );
    }
}
