//! L7 name formulas of translation-core.md §2.2 (SNI mode, `enableEVH: false`).
//!
//! `infra` is the infra prefix `X` (name of a cluster-scoped AviInfraSetting
//! reaching the Ingress through its IngressClass); empty when none applies.
//! AKO: `internal/lib/lib.go` name helpers, `internal/nodes/dequeue_ingestion.go`
//! `GetShardVSName`.

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
pub fn tls_cert(s: &Settings, infra: &str, host: &str, secret: &str) -> String {
    if secret == DEFAULT_SECRET || secret == format!("{DEFAULT_SECRET}-alt") {
        return format!("{}{secret}", s.prefix());
    }
    let alt = if secret.ends_with("-alt") { "-alt" } else { "" };
    format!("{}{}{host}{alt}", s.prefix(), x(infra))
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
