//! The checks the Kubernetes API server makes on the fields translation
//! reads, so that a manifest `kubectl apply` would refuse is refused here too,
//! with the position of the field, instead of producing objects no cluster
//! could hold.
//!
//! - Service ports: `port` 1–65535, `nodePort` 0 (unset) or 1–65535, a
//!   numeric `targetPort` 0 (defaults to `port`) or 1–65535 (Kubernetes:
//!   `pkg/apis/core/validation` `validateServicePort`).
//! - Ingress hosts: `spec.rules[].host` and `spec.tls[].hosts[]` are DNS-1123
//!   subdomains, optionally with a leading `*.`, lower case, at most 253
//!   characters, and a rule host is not an IP address; a backend port number
//!   is 1–65535 (`pkg/apis/networking/validation` `validateIngressRules`,
//!   `validateIngressTLS`, `validateIngressBackend`).
//! - Secrets: a data value that holds PEM armour (`-----BEGIN `) must have
//!   well-formed armour: every block ends with the matching `-----END` line
//!   and is not empty (the body itself is not decoded: placeholders in
//!   examples stay readable). The API server does not check this, but the
//!   Avi controller refuses a cut-off certificate or key, so the plan could
//!   never be applied.
//!
//! Pure: each problem comes back with the field path, which the caller turns
//! into a line and column.

use k8s_openapi::api::core::v1::{Secret, Service};
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::located::Seg;
use super::registry::Decoded;

/// One refused field: where it is in the object, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: Vec<Seg>,
    pub message: String,
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// Every problem of one object, in field order.
pub fn check(obj: &Decoded) -> Vec<Problem> {
    let mut out = Vec::new();
    match obj {
        Decoded::Service(s) => service(s, &mut out),
        Decoded::Ingress(i) => ingress(i, &mut out),
        Decoded::Secret(s) => secret(s, &mut out),
        _ => {}
    }
    out
}

fn port_ok(p: i32) -> bool {
    (1..=65535).contains(&p)
}

fn service(s: &Service, out: &mut Vec<Problem>) {
    let Some(spec) = &s.spec else { return };
    for (i, p) in spec.ports.iter().flatten().enumerate() {
        let at = |field: &str| vec![key("spec"), key("ports"), Seg::Index(i), key(field)];
        if !port_ok(p.port) {
            out.push(Problem {
                path: at("port"),
                message: format!("port {} is not a valid port (1-65535)", p.port),
            });
        }
        if let Some(n) = p.node_port.filter(|&n| n != 0 && !port_ok(n)) {
            out.push(Problem {
                path: at("nodePort"),
                message: format!("nodePort {n} is not a valid port (1-65535)"),
            });
        }
        if let Some(IntOrString::Int(t)) = p.target_port
            && t != 0
            && !port_ok(t)
        {
            out.push(Problem {
                path: at("targetPort"),
                message: format!("targetPort {t} is not a valid port (1-65535)"),
            });
        }
    }
}

fn ingress(ing: &Ingress, out: &mut Vec<Problem>) {
    let Some(spec) = &ing.spec else { return };
    if let Some(b) = &spec.default_backend {
        backend_port(b, vec![key("spec"), key("defaultBackend")], out);
    }
    for (i, rule) in spec.rules.iter().flatten().enumerate() {
        let at = vec![key("spec"), key("rules"), Seg::Index(i)];
        if let Some(host) = rule.host.as_deref().filter(|h| !h.is_empty()) {
            let mut path = at.clone();
            path.push(key("host"));
            if let Some(why) = host_problem(host, true) {
                out.push(Problem {
                    path,
                    message: format!("host {host:?} {why}"),
                });
            }
        }
        let paths = rule
            .http
            .as_ref()
            .map(|h| h.paths.as_slice())
            .unwrap_or(&[]);
        for (j, p) in paths.iter().enumerate() {
            let mut path = at.clone();
            path.extend([key("http"), key("paths"), Seg::Index(j), key("backend")]);
            backend_port(&p.backend, path, out);
        }
    }
    for (i, tls) in spec.tls.iter().flatten().enumerate() {
        for (j, host) in tls.hosts.iter().flatten().enumerate() {
            if let Some(why) = host_problem(host, false) {
                out.push(Problem {
                    path: vec![
                        key("spec"),
                        key("tls"),
                        Seg::Index(i),
                        key("hosts"),
                        Seg::Index(j),
                    ],
                    message: format!("TLS host {host:?} {why}"),
                });
            }
        }
    }
}

fn backend_port(
    b: &k8s_openapi::api::networking::v1::IngressBackend,
    mut path: Vec<Seg>,
    out: &mut Vec<Problem>,
) {
    let Some(n) = b
        .service
        .as_ref()
        .and_then(|s| s.port.as_ref())
        .and_then(|p| p.number)
    else {
        return;
    };
    if n != 0 && !port_ok(n) {
        path.extend([key("service"), key("port"), key("number")]);
        out.push(Problem {
            path,
            message: format!("backend port {n} is not a valid port (1-65535)"),
        });
    }
}

/// Why `host` is not a valid Ingress host, if it is not: a DNS-1123
/// subdomain, optionally `*.` and a subdomain. Rule hosts may not be IP
/// addresses (Kubernetes: `IsDNS1123Subdomain`, `IsWildcardDNS1123Subdomain`).
pub fn host_problem(host: &str, rule: bool) -> Option<String> {
    if rule && host.parse::<std::net::IpAddr>().is_ok() {
        return Some("must be a DNS name, not an IP address".into());
    }
    let name = host.strip_prefix("*.").unwrap_or(host);
    if host.len() > 253 {
        return Some(format!("is longer than 253 characters ({})", host.len()));
    }
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        match (b.first(), b.last()) {
            (Some(f), Some(e)) => {
                (f.is_ascii_lowercase() || f.is_ascii_digit())
                    && (e.is_ascii_lowercase() || e.is_ascii_digit())
                    && b.iter()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            }
            _ => false,
        }
    };
    if name.split('.').all(label_ok) {
        return None;
    }
    Some("is not a valid DNS name (RFC 1123: lower-case letters, digits, '-' and '.')".into())
}

fn secret(s: &Secret, out: &mut Vec<Problem>) {
    for (k, v) in s.data.iter().flatten() {
        if let Some(why) = pem_problem(&v.0) {
            out.push(Problem {
                path: vec![key("data"), key(k)],
                message: why,
            });
        }
    }
}

/// Why a value with PEM armour is not well-formed PEM, if it is not. Values
/// without any `-----BEGIN ` line are not PEM and not checked.
pub fn pem_problem(value: &[u8]) -> Option<String> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    if !value.windows(BEGIN.len()).any(|w| w == BEGIN) {
        return None;
    }
    let Ok(text) = std::str::from_utf8(value) else {
        return Some("PEM armour in a value that is not text".into());
    };
    // (label, body, headers still allowed)
    let mut open: Option<(&str, String, bool)> = None;
    let mut blocks = 0usize;
    for raw in text.lines() {
        let line = raw.trim();
        if let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        {
            if let Some((prev, _, _)) = &open {
                return Some(format!(
                    "broken PEM: block {prev} is not closed before BEGIN {label}"
                ));
            }
            open = Some((label, String::new(), true));
            continue;
        }
        if let Some(label) = line
            .strip_prefix("-----END ")
            .and_then(|l| l.strip_suffix("-----"))
        {
            let Some((begun, body, _)) = open.take() else {
                return Some(format!("broken PEM: END {label} without a BEGIN"));
            };
            if begun != label {
                return Some(format!(
                    "broken PEM: block BEGIN {begun} ends with END {label}"
                ));
            }
            if body.is_empty() {
                return Some(format!("broken PEM: block {label} is empty"));
            }
            blocks += 1;
            continue;
        }
        if line.starts_with("-----") {
            return Some(format!("broken PEM: malformed armour line {line:?}"));
        }
        if let Some((_, body, headers)) = &mut open {
            if line.is_empty() {
                continue;
            }
            // RFC 1421 headers (`Proc-Type:`, `DEK-Info:`) come first.
            if *headers && line.contains(':') {
                continue;
            }
            *headers = false;
            body.push_str(line);
        }
    }
    match open {
        Some((label, _, _)) => Some(format!(
            "broken PEM: block {label} has no `-----END {label}-----` line"
        )),
        None if blocks == 0 => Some("broken PEM: no complete block".into()),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        for ok in ["shop.example.com", "*.example.com", "a", "1-2.x9"] {
            assert_eq!(host_problem(ok, true), None, "{ok}");
        }
        for bad in [
            "Shop.example.com",
            "shop_.example.com",
            "a..b",
            "-a.b",
            "a-.b",
            "*",
            "a.*.b",
            "x.",
        ] {
            assert!(host_problem(bad, true).is_some(), "{bad}");
        }
        assert!(host_problem("10.0.0.1", true).is_some());
        assert_eq!(host_problem("10.0.0.1", false), None);
        assert!(host_problem(&"a".repeat(254), true).is_some());
    }

    #[test]
    fn pem() {
        let good = "-----BEGIN CERTIFICATE-----\nTUlJ\nQg==\n-----END CERTIFICATE-----\n";
        assert_eq!(pem_problem(good.as_bytes()), None);
        assert_eq!(pem_problem(b"not pem at all"), None);
        let placeholder = "-----BEGIN CERTIFICATE-----\n(example)\n-----END CERTIFICATE-----\n";
        assert_eq!(pem_problem(placeholder.as_bytes()), None);
        let enc = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nTUlJ\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(pem_problem(enc.as_bytes()), None);
        for bad in [
            "-----BEGIN CERTIFICATE-----\nTUlJ\n",
            "-----BEGIN CERTIFICATE-----\nTUlJ\n-----END PRIVATE KEY-----\n",
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
            "x -----BEGIN CERTIFICATE----- y",
        ] {
            assert!(pem_problem(bad.as_bytes()).is_some(), "{bad}");
        }
    }
}
