//! Diagnostic codes and levels. Pure: no IO.
//!
//! Every [`Diagnostic`] gets a stable code (`AKO0xx`), one per kind of
//! finding. The code is derived at one choke point, [`assign_codes`], from
//! the object kind and the message, unless the emitting site set one with
//! [`Diagnostic::with_code`]. A diagnostic no rule recognises gets
//! [`UNCODED`]; a test runs every `testdata/` case and fails on it, so a new
//! kind of finding cannot ship without a code.
//!
//! [`Policy`] turns the severity a diagnostic was emitted with into the level
//! it is reported at: `--allow CODE` lowers a warning or an info to a hidden
//! note, `--deny CODE` and `--strict` raise it to an error (errors stay
//! errors: they stand for inputs AKO itself refuses). Infos are hidden unless
//! `-v`; `-q` also hides warnings.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Value, json};

use crate::model::{Diagnostic, Severity};

/// Version of the JSON documents `compile -o json` and `plan -o json` print.
/// Raised when a field is removed or changes meaning; new fields are added
/// without a change.
pub const FORMAT_VERSION: &str = "1";

/// The code of a diagnostic that no rule of [`CODES`] recognises.
pub const UNCODED: &str = "AKO000";

/// One kind of finding.
pub struct CodeInfo {
    pub code: &'static str,
    /// A short name, kebab case.
    pub name: &'static str,
    /// What it means and what to do, for `akoctl explain-code`.
    pub explanation: &'static str,
    /// Regular expression on `Kind` of the diagnostic's object (empty: any).
    object: &'static str,
    /// Regular expression on the message (empty: any).
    message: &'static str,
}

const fn code(
    code: &'static str,
    name: &'static str,
    object: &'static str,
    message: &'static str,
    explanation: &'static str,
) -> CodeInfo {
    CodeInfo {
        code,
        name,
        explanation,
        object,
        message,
    }
}

/// Every code, in matching order: the first rule whose object and message
/// patterns match gives the code. Codes never change meaning; a retired
/// code is not reused.
pub static CODES: &[CodeInfo] = &[
    code(
        "AKO001",
        "values-unknown-key",
        "",
        r"unknown key, ignored",
        "A key of values.yaml or --set that AKO's chart does not read (often a misspelling; the warning suggests the closest key). AKO runs as if the key were absent.",
    ),
    code(
        "AKO002",
        "values-fallback",
        "",
        r"is not a boolean|is not one of|is not Strict or|expected a list|list entries must be|AKO uses |AKO disables",
        "A setting's value that AKO's getter cannot parse: AKO falls back to the value named in the message (internal/lib, the getter of that setting).",
    ),
    code(
        "AKO003",
        "values-superseded",
        "",
        r"deprecated; use|takes precedence",
        "A deprecated setting, or one that another setting overrides; the message names the one AKO reads.",
    ),
    code(
        "AKO004",
        "values-not-modelled",
        "",
        r"not modelled by akoctl|AKO would delete the objects|must both be set",
        "A setting that changes what AKO does in a way akoctl does not model, or that AKO ignores as given; the output is computed as described in the message.",
    ),
    code(
        "AKO010",
        "unknown-field",
        "",
        r"unknown field|is not in the .* schema",
        "A field of a manifest that the object's API schema does not have (often a misspelling): the API server would drop or refuse it, and AKO never sees it.",
    ),
    code(
        "AKO011",
        "api-version-not-read",
        "",
        r"apiVersion .* is not read",
        "An object in an API version AKO does not watch; it is ignored.",
    ),
    code(
        "AKO012",
        "kind-not-used",
        "",
        r"is not used; object ignored|akoctl does not translate",
        "An object of a kind AKO does not read (ConfigMaps, Deployments, ...); ignored. An info.",
    ),
    code(
        "AKO013",
        "field-ignored",
        "",
        r"(is|are) ignored by AKO|is ignored because|has no effect in dedicated gateway mode|has no effect: AKO applies",
        "A field or annotation AKO ignores in this configuration.",
    ),
    code(
        "AKO014",
        "chart-object-assumed",
        "",
        r"is assumed: AKO's helm chart installs it",
        "An object AKO's helm chart installs (the IngressClass avi-lb; with featureGates.GatewayAPI the GatewayClass avi-lb) is assumed because the input does not define it. An info; define the object in the input to replace it.",
    ),
    code(
        "AKO070",
        "cluster-read",
        "",
        r"forbidden|does not serve|from the cluster|replace the cluster's|kubeconfig",
        "Reading a live cluster: objects that could not be read (RBAC, API not served) or were replaced by -f files.",
    ),
    code(
        "AKO020",
        "service-not-l4",
        "^Service$",
        r"not an L4 service",
        "A Service that is not of type LoadBalancer: AKO builds no L4 virtual service for it (it can still be an Ingress or Route backend). An info, one per such Service.",
    ),
    code(
        "AKO021",
        "not-handled",
        "",
        r"^not handled:|namespaceSelector|blockedNamespaceList|layer7Only|loadBalancerClass|servicesAPI is false|featureGates\.GatewayAPI is off|not AKO's|is not a Gateway AKO processes|OpenShift Routes|not supported by akoctl|does not attach it",
        "An object AKO does not handle: outside the namespace selection, of another ingress or load-balancer class, or of a feature that is off.",
    ),
    code(
        "AKO022",
        "missing-backend-service",
        "",
        r"Service not found|[Bb]ackend Service .* not found|not usable as an Ingress backend|served by \d+ Services|used by more than one backend",
        "A route or ingress backend names a Service that is missing or unusable: the pool AKO builds for it has no servers, or no pool is built.",
    ),
    code(
        "AKO023",
        "no-servers",
        "",
        r"EndpointSlice|Endpoints object|endpoint without addresses|has no node ports|NodePortLocal mapping|nodeportlocal\.antrea\.io|has no servers",
        "A pool without servers: no EndpointSlice, Endpoints, node port or NodePortLocal mapping matches the Service port.",
    ),
    code(
        "AKO024",
        "missing-secret",
        "",
        r"[Ss]ecret .*not found|Secret .* has no |[Ss]ecret .*does not exist",
        "A TLS Secret that is missing or incomplete: AKO builds no certificate, and for an Ingress or Route host no virtual service.",
    ),
    code(
        "AKO025",
        "infra-setting",
        "",
        r"AviInfraSetting .*(not found|is invalid)",
        "An AviInfraSetting that is missing or invalid where an object refers to it; the message says what AKO does instead.",
    ),
    code(
        "AKO030",
        "crd-rejected",
        "",
        r"AKO would reject it|status\.status is|is not Accepted|not found or not Accepted",
        "A CRD (HostRule, HTTPRule, L4Rule, L7Rule, SSORule, AviInfraSetting, ...) AKO rejects, with AKO's reason: it has no effect.",
    ),
    code(
        "AKO031",
        "crd-status-assumed",
        "",
        r"no status\.status",
        "A CRD without status: akoctl validated it offline as AKO would and treats it as Accepted; references to controller objects are assumed to exist.",
    ),
    code(
        "AKO032",
        "crd-partial",
        "",
        r"cannot be applied to the VS|cannot be used with Shared VIP|is sent as|without L4Rule|the child VS fields",
        "A CRD that applies only in part to an object; the message names what AKO leaves out.",
    ),
    code(
        "AKO040",
        "gateway-rejected",
        "^(Gateway|HTTPRoute|GatewayClass)$",
        r"Accepted=False|^rejected|rejected parentRef|no hostname of the route|no valid parent|GatewayClass .* not found|no listeners|admits the route",
        "A Gateway API object (Gateway, listener, HTTPRoute, parentRef) AKO's gateway container rejects, with the reason it writes in the object's status.",
    ),
    code(
        "AKO041",
        "gateway-extension",
        "^(Gateway|HTTPRoute)$",
        r"ResolvedRefs=False|ExtensionRef|RouteBackendExtension|HealthMonitor|ApplicationProfile|L7Rule",
        "An ExtensionRef or backend reference of an HTTPRoute that AKO cannot resolve, or whose ako-crd-operator object is not ready; the message says what AKO keeps.",
    ),
    code(
        "AKO042",
        "value-adjusted",
        "",
        r"clamped|is negative|not a Go duration|becomes \d+: AKO writes only",
        "A value AKO adjusts before sending it (clamped to Avi's limits, or replaced by a default).",
    ),
    code(
        "AKO050",
        "host-conflict",
        "",
        r"already claimed|duplicate host and path|duplicate secrets for host|already in use|duplicate fqdn",
        "Two objects claim the same host (and path): AKO keeps one by its rules (fqdnReusePolicy, processing order), or builds both and the controller decides.",
    ),
    code(
        "AKO051",
        "host-outside-domains",
        "",
        r"DNS sub-domains",
        "A host outside every DNS sub-domain of the cloud's IPAM/DNS profile.",
    ),
    code(
        "AKO052",
        "order-dependent",
        "",
        r"same certificate name|Go map order|processed last wins",
        "AKO's result depends on an order it does not fix (Go map iteration, event order); akoctl picks one outcome and says which.",
    ),
    code(
        "AKO053",
        "name-too-long",
        "",
        r"exceeds maximum length",
        "An Avi object name longer than 255 characters: AKO does not create the object.",
    ),
    code(
        "AKO054",
        "not-built",
        "",
        r"SCTP protocol|without ports|no L4 virtual service|no shared virtual service|AKO builds no|no virtual service|no L4 objects|does not process",
        "An object AKO builds nothing for, for the reason in the message.",
    ),
    code(
        "AKO060",
        "static-routes",
        "",
        r"static route|podCIDR|no node IP",
        "A Node for which AKO writes no static route (no pod CIDR, no node IP, a duplicate prefix).",
    ),
    code(
        "AKO080",
        "state-file",
        "",
        r"^state ",
        "An entry of a state file (--state) that akoctl skips.",
    ),
    code(
        "AKO090",
        "ingress-invalid",
        "^(Ingress|Route)$",
        r"",
        "An Ingress or Route (or part of one) that AKO does not translate, with AKO's reason.",
    ),
];

/// The entry of a code, if it exists.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    let code = code.trim();
    CODES
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code) || c.name.eq_ignore_ascii_case(code))
}

struct Compiled {
    object: Option<Regex>,
    message: Option<Regex>,
}

fn compiled() -> &'static [Compiled] {
    static C: OnceLock<Vec<Compiled>> = OnceLock::new();
    C.get_or_init(|| {
        CODES
            .iter()
            .map(|c| {
                let re = |p: &str| (!p.is_empty()).then(|| Regex::new(p).ok()).flatten();
                Compiled {
                    object: re(c.object),
                    message: re(c.message),
                }
            })
            .collect()
    })
}

/// The `Kind` of a diagnostic's object (`"Service red/web"` → `Service`).
fn object_kind(d: &Diagnostic) -> &str {
    d.object
        .as_deref()
        .and_then(|o| o.split_whitespace().next())
        .unwrap_or("")
}

/// The code a diagnostic is reported under.
pub fn code_of(d: &Diagnostic) -> &'static str {
    if let Some(c) = d.code {
        return c;
    }
    let kind = object_kind(d);
    for (info, c) in CODES.iter().zip(compiled()) {
        let object_ok = c.object.as_ref().is_none_or(|r| r.is_match(kind));
        let message_ok = c.message.as_ref().is_none_or(|r| r.is_match(&d.message));
        if object_ok && message_ok {
            return info.code;
        }
    }
    UNCODED
}

/// Give every diagnostic its code (the one chosen by its site, or derived).
pub fn assign_codes(diags: &mut [Diagnostic]) {
    for d in diags {
        d.code = Some(code_of(d));
    }
}

/// How diagnostics are reported: `--strict`, `--deny`, `--allow`, `-q`, `-v`.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Warnings fail the run.
    pub strict: bool,
    /// Codes reported as errors.
    pub deny: BTreeSet<String>,
    /// Codes reported as hidden notes (never errors, unless emitted as one).
    pub allow: BTreeSet<String>,
    /// -1: `-q` (errors only), 0: default (errors and warnings), 1+: `-v` (all).
    pub verbosity: i8,
}

/// A diagnostic with the level the policy gives it.
#[derive(Clone, Debug)]
pub struct Gated {
    pub level: Severity,
    pub diagnostic: Diagnostic,
    /// Printed (else counted as hidden).
    pub shown: bool,
}

/// The outcome of a policy over a run's diagnostics.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub items: Vec<Gated>,
    /// Hidden infos (notes).
    pub hidden_notes: usize,
    /// Hidden warnings (with `-q`).
    pub hidden_warnings: usize,
    /// An error was reported: the run fails.
    pub failed: bool,
}

impl Outcome {
    /// The one summary line for what is hidden, if anything is.
    pub fn hidden_summary(&self) -> Option<String> {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        match (self.hidden_warnings, self.hidden_notes) {
            (0, 0) => None,
            (0, n) => Some(format!("{} hidden; -v to show", plural(n, "note"))),
            (w, 0) => Some(format!("{} hidden; drop -q to show", plural(w, "warning"))),
            (w, n) => Some(format!(
                "{} and {} hidden; -v to show",
                plural(w, "warning"),
                plural(n, "note")
            )),
        }
    }

    /// The `diagnostics` array of the JSON formats: every diagnostic, hidden
    /// ones included, with the level the policy gave it.
    pub fn to_json(&self) -> Value {
        Value::Array(self.items.iter().map(json_entry).collect())
    }
}

fn normalize(code: &str) -> String {
    lookup(code)
        .map(|c| c.code.to_string())
        .unwrap_or_else(|| code.trim().to_ascii_uppercase())
}

impl Policy {
    pub fn new(strict: bool, deny: &[String], allow: &[String], verbosity: i8) -> Policy {
        Policy {
            strict,
            deny: deny.iter().map(|c| normalize(c)).collect(),
            allow: allow.iter().map(|c| normalize(c)).collect(),
            verbosity,
        }
    }

    /// Codes named in `--deny`/`--allow` that do not exist.
    pub fn unknown_codes(&self) -> Vec<String> {
        self.deny
            .iter()
            .chain(&self.allow)
            .filter(|c| lookup(c).is_none())
            .cloned()
            .collect()
    }

    /// The level `d` is reported at.
    pub fn level(&self, d: &Diagnostic) -> Severity {
        let code = code_of(d);
        match d.severity {
            Severity::Error => Severity::Error,
            _ if self.deny.contains(code) => Severity::Error,
            _ if self.allow.contains(code) => Severity::Info,
            Severity::Warning if self.strict => Severity::Error,
            s => s,
        }
    }

    /// Apply the policy to a run's diagnostics (codes assigned on the way).
    pub fn apply(&self, diags: &[Diagnostic]) -> Outcome {
        let mut out = Outcome::default();
        for d in diags {
            let mut d = d.clone();
            d.code = Some(code_of(&d));
            let level = self.level(&d);
            let shown = match level {
                Severity::Error => true,
                Severity::Warning => self.verbosity >= 0,
                Severity::Info => self.verbosity >= 1,
            };
            if !shown {
                match level {
                    Severity::Warning => out.hidden_warnings += 1,
                    _ => out.hidden_notes += 1,
                }
            }
            out.failed |= level == Severity::Error;
            out.items.push(Gated {
                level,
                diagnostic: d,
                shown,
            });
        }
        out
    }
}

/// `(column N)` in a message (unknown fields carry one).
fn column_of(message: &str) -> Option<usize> {
    let i = message.find("(column ")?;
    let rest = &message[i + "(column ".len()..];
    let end = rest.find(')')?;
    rest[..end].parse().ok()
}

/// One entry of the JSON `diagnostics` array: level, code, object, file,
/// line, column, message (absent values are `null`), and `severity` when the
/// policy changed the level.
pub fn json_entry(g: &Gated) -> Value {
    let d = &g.diagnostic;
    let mut v = json!({
        "level": g.level,
        "code": d.code.unwrap_or_else(|| code_of(d)),
        "object": d.object,
        "file": d.origin.as_ref().map(|o| o.file.to_string()),
        "line": d.origin.as_ref().map(|o| o.line),
        "column": column_of(&d.message),
        "message": d.message,
    });
    if g.level != d.severity
        && let Value::Object(m) = &mut v
    {
        m.insert("emitted_as".into(), json!(d.severity));
    }
    v
}

/// `akoctl explain-code` without a code: one line per code.
pub fn list_text() -> String {
    let mut s = String::new();
    for c in CODES {
        s.push_str(&format!("{}  {}\n", c.code, c.name));
    }
    s
}

/// `akoctl explain-code CODE`.
pub fn explain_text(c: &CodeInfo) -> String {
    format!("{} ({})\n\n{}\n", c.code, c.name, c.explanation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn d(sev: Severity, object: Option<&str>, msg: &str) -> Diagnostic {
        Diagnostic::new(sev, object.map(str::to_string), msg)
    }

    #[test]
    fn codes_are_unique_and_patterns_compile() {
        let mut seen = BTreeSet::new();
        for (c, r) in CODES.iter().zip(compiled()) {
            assert!(seen.insert(c.code), "duplicate {}", c.code);
            assert!(seen.insert(c.name), "duplicate {}", c.name);
            assert_eq!(r.object.is_some(), !c.object.is_empty(), "{}", c.code);
            assert_eq!(r.message.is_some(), !c.message.is_empty(), "{}", c.code);
        }
    }

    #[test]
    fn codes_follow_the_finding() {
        let cases = [
            (
                d(
                    Severity::Info,
                    Some("Service red/web"),
                    "type ClusterIP, not an L4 service",
                ),
                "AKO020",
            ),
            (
                d(
                    Severity::Warning,
                    None,
                    "AKOSettings.enableEvh: unknown key, ignored (did you mean enableEVH?)",
                ),
                "AKO001",
            ),
            (
                d(
                    Severity::Warning,
                    Some("Ingress red/web"),
                    "backend Service red/web not found: pool x has no servers",
                ),
                "AKO022",
            ),
            (
                d(
                    Severity::Warning,
                    Some("HostRule red/hr"),
                    "AKO would reject it (duplicate fqdn c.com found in default/hr-c); it has no effect",
                ),
                "AKO030",
            ),
            (d(Severity::Warning, None, "something new"), UNCODED),
        ];
        for (diag, want) in cases {
            assert_eq!(code_of(&diag), want, "{diag}");
        }
        let explicit = d(Severity::Warning, None, "something new").with_code("AKO050");
        assert_eq!(code_of(&explicit), "AKO050");
    }

    #[test]
    fn policy_levels() {
        let info = d(
            Severity::Info,
            Some("Service a/b"),
            "type ClusterIP, not an L4 service",
        );
        let warn = d(
            Severity::Warning,
            None,
            "x: unknown key, ignored (did you mean y?)",
        );
        let diags = [info.clone(), warn.clone()];

        let o = Policy::default().apply(&diags);
        assert!(!o.failed);
        assert_eq!(o.hidden_notes, 1);
        assert_eq!(
            o.hidden_summary().as_deref(),
            Some("1 note hidden; -v to show")
        );
        assert!(o.items[1].shown);

        assert!(Policy::new(true, &[], &[], 0).apply(&diags).failed);
        let denied = Policy::new(false, &["ako020".into()], &[], 0).apply(&diags);
        assert!(denied.failed && denied.items[0].level == Severity::Error);
        let allowed = Policy::new(true, &[], &["values-unknown-key".into()], 0).apply(&diags);
        assert!(!allowed.failed, "allowed codes do not fail --strict");
        assert_eq!(allowed.hidden_notes, 2);

        let quiet = Policy::new(false, &[], &[], -1).apply(&diags);
        assert_eq!(
            quiet.hidden_summary().as_deref(),
            Some("1 warning and 1 note hidden; -v to show")
        );
        let verbose = Policy::new(false, &[], &[], 1).apply(&diags);
        assert!(verbose.items.iter().all(|g| g.shown));
        assert_eq!(verbose.hidden_summary(), None);

        let err = d(Severity::Error, None, "x");
        let o = Policy::new(false, &[], &[UNCODED.into()], 0).apply(&[err]);
        assert!(o.failed, "errors cannot be allowed");
        assert_eq!(
            Policy::new(false, &["AKO999".into()], &[], 0).unknown_codes(),
            vec!["AKO999".to_string()]
        );
    }

    #[test]
    fn json_entries_carry_the_place() {
        let diag = d(
            Severity::Warning,
            Some("Service red/web"),
            "unknown field `spec.tipe` (column 5) is ignored",
        )
        .at(&Origin {
            file: "in.yaml".into(),
            line: 7,
        });
        let o = Policy::new(true, &[], &[], 0).apply(&[diag]);
        assert_eq!(
            o.to_json(),
            json!([{
                "level": "error", "emitted_as": "warning", "code": "AKO010",
                "object": "Service red/web", "file": "in.yaml", "line": 7, "column": 5,
                "message": "unknown field `spec.tipe` (column 5) is ignored",
            }])
        );
    }
}
