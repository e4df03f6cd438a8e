//! Automatic FQDNs of LoadBalancer Services (translation-core.md §4.2 "FQDN
//! list"): `<svc>.<ns>.<sub-domain>` (`autoFQDN: default`) or
//! `<svc>-<ns>.<sub-domain>` (`flat`), with RFC 1035 label corrections.

use crate::settings::{AutoFqdn, Settings};

/// DNS label limit (`internal/lib/constants.go` `DNS_LABEL_LENGTH`).
const DNS_LABEL_LENGTH: usize = 63;

/// `^[a-z]([-a-z0-9]*[a-z0-9])?$` and at most 63 bytes. AKO:
/// `internal/lib/utils.go` `CheckRFC1035`, `CheckConstraintsForRFC`.
pub fn is_rfc1035_label(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > DNS_LABEL_LENGTH {
        return false;
    }
    let first_ok = b[0].is_ascii_lowercase();
    let last_ok = b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit();
    let middle_ok = b
        .iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-');
    first_ok && last_ok && middle_ok
}

/// Prepend `prefix` only when that makes the label valid; otherwise keep it.
/// AKO: `internal/lib/utils.go` `CorrectLabelToSatisfyRFC1035`.
pub fn correct_label(label: &str, prefix: &str) -> String {
    if is_rfc1035_label(label) {
        return label.to_string();
    }
    let candidate = format!("{prefix}{label}");
    if is_rfc1035_label(&candidate) {
        candidate
    } else {
        label.to_string()
    }
}

/// First `n` bytes, backed off to a character boundary.
fn cut(s: &str, n: usize) -> &str {
    let mut n = n.min(s.len());
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    &s[..n]
}

/// Shorten name and namespace so that `name-namespace` fits one DNS label.
/// AKO: `internal/lib/utils.go` `CheckAndShortenLabelToFollowRFC1035`.
pub fn shorten_flat(svc: &str, ns: &str) -> (String, String) {
    let (mut svc, mut ns) = (svc.to_string(), ns.to_string());
    if svc.len() + ns.len() < DNS_LABEL_LENGTH {
        return (svc, ns);
    }
    let mut room_for_name = DNS_LABEL_LENGTH as i64 - ns.len() as i64 - 1;
    if room_for_name <= 0 {
        let room_for_ns = DNS_LABEL_LENGTH as i64 - svc.len() as i64 - 1;
        ns = if room_for_ns <= 0 {
            cut(&ns, 48).to_string()
        } else {
            cut(&ns, room_for_ns as usize).to_string()
        };
        while ns.ends_with('-') {
            ns.pop();
        }
        room_for_name = DNS_LABEL_LENGTH as i64 - ns.len() as i64 - 1;
    }
    if svc.len() as i64 > room_for_name {
        svc = cut(&svc, room_for_name.max(0) as usize).to_string();
    }
    (svc, ns)
}

/// The sub-domain auto FQDNs end with: `defaultDomain` when it is one of the
/// cloud's sub-domains, else the first of the sorted list, one leading `.`
/// removed. AKO: `internal/nodes/avi_model_l4_translator.go`
/// `getAutoFQDNForService`, `GetDefaultSubDomain`.
pub fn subdomain(settings: &Settings) -> Option<String> {
    let d = settings.fqdn_subdomain()?;
    Some(d.strip_prefix('.').unwrap_or(d).to_string())
}

/// Auto FQDN of a Service, `None` when `autoFQDN` is disabled or the cloud has
/// no DNS sub-domain. AKO: `internal/nodes/avi_model_l4_translator.go`
/// `getAutoFQDNForService`.
pub fn auto_fqdn(settings: &Settings, ns: &str, svc: &str) -> Option<String> {
    if settings.auto_fqdn == AutoFqdn::Disabled {
        return None;
    }
    let sub = subdomain(settings)?;
    let svc = correct_label(svc, "s");
    let ns = correct_label(ns, "n");
    Some(match settings.auto_fqdn {
        AutoFqdn::Flat => {
            let (svc, ns) = shorten_flat(&svc, &ns);
            format!("{svc}-{ns}.{sub}")
        }
        _ => format!("{svc}.{ns}.{sub}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(fmt: AutoFqdn, subs: &[&str], default_domain: &str) -> Settings {
        let mut s = Settings {
            auto_fqdn: fmt,
            default_domain: default_domain.into(),
            ..Settings::default()
        };
        s.cloud.dns_subdomains = subs.iter().map(|x| x.to_string()).collect();
        s
    }

    #[test]
    fn default_and_flat_formats() {
        let d = s(AutoFqdn::Default, &["avi.internal"], "");
        assert_eq!(
            auto_fqdn(&d, "red", "avisvc-lb").as_deref(),
            Some("avisvc-lb.red.avi.internal")
        );
        let f = s(AutoFqdn::Flat, &["avi.internal"], "");
        assert_eq!(
            auto_fqdn(&f, "red", "avisvc-lb").as_deref(),
            Some("avisvc-lb-red.avi.internal")
        );
    }

    #[test]
    fn sorted_subdomain_leading_dot_and_default_domain() {
        let d = s(AutoFqdn::Default, &["avi.internal", ".com"], "");
        assert_eq!(auto_fqdn(&d, "red", "web").as_deref(), Some("web.red.com"));
        let d = s(AutoFqdn::Default, &["avi.internal", ".com"], "avi.internal");
        assert_eq!(
            auto_fqdn(&d, "red", "web").as_deref(),
            Some("web.red.avi.internal")
        );
        let d = s(AutoFqdn::Default, &["avi.internal", ".com"], "other.org");
        assert_eq!(auto_fqdn(&d, "red", "web").as_deref(), Some("web.red.com"));
    }

    #[test]
    fn disabled_or_no_subdomain_gives_none() {
        assert_eq!(
            auto_fqdn(&s(AutoFqdn::Disabled, &["a.com"], ""), "n", "s"),
            None
        );
        assert_eq!(auto_fqdn(&s(AutoFqdn::Default, &[], ""), "n", "s"), None);
    }

    #[test]
    fn rfc1035_corrections() {
        let d = s(AutoFqdn::Default, &["avi.internal"], "");
        assert_eq!(
            auto_fqdn(&d, "2ns", "1svc").as_deref(),
            Some("s1svc.n2ns.avi.internal")
        );
        // A trailing dash cannot be fixed by a prefix: kept as is.
        assert_eq!(correct_label("bad-", "s"), "bad-");
        assert!(is_rfc1035_label("a-1"));
        assert!(!is_rfc1035_label("A"));
        assert!(!is_rfc1035_label(&"a".repeat(64)));
    }

    #[test]
    fn flat_shortening_matches_ako_test() {
        let f = s(AutoFqdn::Flat, &["avi.internal", ".com"], "");
        let svc = "service-0123456789012345678901234567890123456789012345678901234";
        let ns = "red-ns-012345678901234567890123456789012345-----01234567890123";
        assert_eq!(
            auto_fqdn(&f, ns, svc).as_deref(),
            Some("service-01234567890-red-ns-012345678901234567890123456789012345.com")
        );
    }

    #[test]
    fn flat_shortening_cuts_only_the_name_when_namespace_is_short() {
        let (svc, ns) = shorten_flat(&"a".repeat(70), "red");
        assert_eq!(ns, "red");
        assert_eq!(svc.len(), 59);
        let (svc, ns) = shorten_flat(&"a".repeat(63), &"b".repeat(63));
        assert_eq!(ns.len(), 48);
        assert_eq!(svc.len(), 14);
    }
}
