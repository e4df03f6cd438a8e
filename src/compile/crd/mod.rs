//! AKO CRDs in translation (translation-extended.md §2): which CRD objects are
//! in effect (validation, §2.1), what they bind to (§2.2.1, §2.3, §2.4, §2.7),
//! and the Avi fields they set.
//!
//! Field-level effects run as one pass over the objects the Ingress / Route / L4
//! translation emitted ([`apply`]): the pass finds the virtual services and
//! pools of a host by their markers and sets the fields. Effects that change
//! the object structure (which hosts are secure, names with an infrasetting,
//! shard size) are offered to the translation code as lookups on
//! [`Rules`] (`ctx.crds`).

pub mod dropped;
pub mod infra;
pub mod l4rule;
pub mod pool;
pub mod regex;
pub mod validate;
pub mod vs;

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::kube::crd::hostrule::FqdnType;
use crate::kube::crd::{AviInfraSetting, Crd, HostRule, HttpRule, L4Rule, L7Rule, SsoRule};
use crate::model::{AviType, Diagnostic, Obj, Severity};

use super::{Context, Out, describe};

/// One Avi field a CRD set: `virtualservice cluster--foo.com: waf_policy_ref <- HostRule default/hr-0`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FieldProvenance {
    #[serde(rename = "type")]
    pub kind: AviType,
    pub tenant: String,
    pub name: String,
    /// The Avi body field (top-level key).
    pub field: String,
    /// `Kind ns/name` of the CRD.
    pub source: String,
}

impl std::fmt::Display for FieldProvenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {} <- {}",
            self.kind, self.name, self.field, self.source
        )
    }
}

/// Whether a CRD object is in effect, and why (AKO status semantics, §2.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// `status.status: Accepted`, or no status and the offline checks passed.
    Accepted,
    /// `status.status: Rejected` (or another value), or an offline check failed:
    /// the reason AKO writes into `status.error`.
    Rejected(String),
}

impl Verdict {
    pub fn accepted(&self) -> bool {
        matches!(self, Verdict::Accepted)
    }
}

/// A CRD object with its verdict.
#[derive(Debug)]
pub struct Judged<'a, T> {
    pub obj: &'a Obj<T>,
    pub verdict: Verdict,
}

impl<T> Clone for Judged<'_, T> {
    fn clone(&self) -> Self {
        Judged {
            obj: self.obj,
            verdict: self.verdict.clone(),
        }
    }
}

/// Every AKO CRD of the snapshot, judged and indexed.
#[derive(Default)]
pub struct Rules<'a> {
    /// HostRules in processing order (oldest `creationTimestamp`, then `ns/name`).
    pub host_rules: Vec<Judged<'a, HostRule>>,
    pub http_rules: Vec<Judged<'a, HttpRule>>,
    pub infra_settings: BTreeMap<String, Judged<'a, AviInfraSetting>>,
    pub l4_rules: BTreeMap<(String, String), Judged<'a, L4Rule>>,
    pub l7_rules: BTreeMap<(String, String), Judged<'a, L7Rule>>,
    pub sso_rules: Vec<Judged<'a, SsoRule>>,
    /// Validation results, reported once by `compile`.
    pub diagnostics: Vec<Diagnostic>,
}

/// Processing order of first-come rules (spec §8 item 14): oldest
/// `creationTimestamp` first (missing = oldest), then `namespace/name`.
fn age_order<T: Crd>(a: &Obj<T>, b: &Obj<T>) -> Ordering {
    let ts = |o: &Obj<T>| o.obj.meta().creation_timestamp.as_ref().map(|t| t.0);
    ts(a)
        .cmp(&ts(b))
        .then_with(|| a.obj.ns_name().cmp(&b.obj.ns_name()))
}

fn sorted<T: Crd>(v: &[Obj<T>]) -> Vec<&Obj<T>> {
    let mut out: Vec<&Obj<T>> = v.iter().collect();
    out.sort_by(|a, b| age_order(a, b));
    out
}

impl<'a> Rules<'a> {
    /// Judge every CRD of the snapshot (AKO: `internal/k8s/validator.go`).
    pub fn new(ctx: &Context<'a>) -> Rules<'a> {
        let snap = ctx.snapshot;
        let mut rules = Rules::default();
        let mut diags = Vec::new();

        let l7_names: Vec<(String, String)> = snap
            .l7_rules
            .iter()
            .map(|r| (r.obj.namespace().to_string(), r.obj.name().to_string()))
            .collect();
        let mut hr_state = validate::HostRuleState::default();
        for hr in sorted(&snap.host_rules) {
            let verdict = judge(hr, &mut diags, || {
                validate::host_rule(&hr.obj, &hr_state, ctx, &l7_names)
            });
            if verdict.accepted() {
                hr_state.register(&hr.obj);
                alternate_overwrite(hr, &mut diags);
            }
            rules.host_rules.push(Judged { obj: hr, verdict });
        }
        for rr in sorted(&snap.http_rules) {
            let verdict = judge(rr, &mut diags, || validate::http_rule(&rr.obj));
            rules.http_rules.push(Judged { obj: rr, verdict });
        }
        for inf in sorted(&snap.infra_settings) {
            let verdict = judge(inf, &mut diags, || validate::infra_setting(&inf.obj));
            rules
                .infra_settings
                .insert(inf.obj.name().to_string(), Judged { obj: inf, verdict });
        }
        for r in sorted(&snap.l4_rules) {
            let verdict = judge(r, &mut diags, || validate::l4_rule(&r.obj, ctx));
            let k = (r.obj.namespace().to_string(), r.obj.name().to_string());
            rules.l4_rules.insert(k, Judged { obj: r, verdict });
        }
        for r in sorted(&snap.l7_rules) {
            let verdict = judge(r, &mut diags, || validate::l7_rule(&r.obj));
            if verdict.accepted()
                && let Some(b) = &r.obj.spec.bot_policy_ref
            {
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        Some(describe("L7Rule", r.obj.namespace(), r.obj.name())),
                        format!(
                            "botPolicyRef {b:?} is sent as /api/botpolicy?name={b}, as AKO writes it; \
                             the controller's type is botdetectionpolicy and may refuse that ref"
                        ),
                    )
                    .at(&r.origin),
                );
            }
            let k = (r.obj.namespace().to_string(), r.obj.name().to_string());
            rules.l7_rules.insert(k, Judged { obj: r, verdict });
        }
        let mut sso_fqdns: BTreeMap<String, String> = BTreeMap::new();
        for r in sorted(&snap.sso_rules) {
            let verdict = judge(r, &mut diags, || {
                validate::sso_rule(&r.obj, &sso_fqdns, ctx)
            });
            if verdict.accepted()
                && let Some(f) = &r.obj.spec.fqdn
            {
                sso_fqdns
                    .entry(f.clone())
                    .or_insert_with(|| r.obj.ns_name());
            }
            rules.sso_rules.push(Judged { obj: r, verdict });
        }
        rules.diagnostics = diags;
        rules
    }

    /// Whether any HostRule is Accepted: without one, [`Self::host_rule`]
    /// binds nothing, and the passes that start from a bound HostRule have
    /// nothing to do (they return before reading every virtual service).
    pub fn any_host_rule(&self) -> bool {
        self.host_rules.iter().any(|j| j.verdict.accepted())
    }

    /// The HostRule bound to a host string `h` (§2.2.1, `GetFQDNToHostruleMappingWithType`).
    /// Only Accepted rules bind. Overlaps are resolved deterministically:
    /// Exact, then Wildcard with the longest suffix, then Contains with the
    /// longest fqdn, then processing order.
    pub fn host_rule(&self, host: &str) -> Option<&'a Obj<HostRule>> {
        let mut best: Option<((u8, usize), &'a Obj<HostRule>)> = None;
        for j in self.host_rules.iter().filter(|j| j.verdict.accepted()) {
            let vh = &j.obj.obj.spec.virtualhost;
            let rank = match vh.fqdn_type {
                FqdnType::Exact if vh.fqdn == host => Some((0u8, 0usize)),
                FqdnType::Wildcard => vh
                    .fqdn
                    .split_once('*')
                    .filter(|(pre, suffix)| pre.is_empty() && host.ends_with(suffix))
                    .map(|(_, suffix)| (1u8, usize::MAX - suffix.len())),
                FqdnType::Contains if host.contains(vh.fqdn.as_str()) => {
                    Some((2u8, usize::MAX - vh.fqdn.len()))
                }
                _ => None,
            };
            if let Some(rank) = rank
                && best.as_ref().is_none_or(|(r, _)| rank < *r)
            {
                best = Some((rank, j.obj));
            }
        }
        best.map(|(_, o)| o)
    }

    /// Accepted HTTPRules whose `spec.fqdn` equals `host` (§2.3), in processing order.
    pub fn http_rules_for(&self, host: &str) -> Vec<&'a Obj<HttpRule>> {
        self.http_rules
            .iter()
            .filter(|j| j.verdict.accepted() && j.obj.obj.spec.fqdn == host)
            .map(|j| j.obj)
            .collect()
    }

    /// The L7Rule `ns/name` if Accepted (§2.5).
    pub fn l7_rule(&self, ns: &str, name: &str) -> Option<&'a Obj<L7Rule>> {
        self.l7_rules
            .get(&(ns.to_string(), name.to_string()))
            .filter(|j| j.verdict.accepted())
            .map(|j| j.obj)
    }

    /// The SSORule whose `spec.fqdn` equals `host` (§2.6), if Accepted.
    pub fn sso_rule(&self, host: &str) -> Option<&'a Obj<SsoRule>> {
        self.sso_rules
            .iter()
            .find(|j| j.verdict.accepted() && j.obj.obj.spec.fqdn.as_deref() == Some(host))
            .map(|j| j.obj)
    }
}

/// Warn when a HostRule's `alternateCertificate` Secret lands under the same
/// certificate name as its main Secret (translation-extended.md §2.2.3, §8):
/// AKO builds both under that name and keeps whichever it processes last, in
/// Go map order for Ingresses (`internal/nodes/validator.go`
/// `ParseHostPathForIngress`, `avi_model_l7_translator.go` `BuildTlsCertNode`)
/// and the alternate for Routes (`ParseHostPathForRoute`, in list order);
/// akoctl keeps the alternate for both (spec §8 item 21).
fn alternate_overwrite(hr: &Obj<HostRule>, diags: &mut Vec<Diagnostic>) {
    use crate::kube::crd::hostrule::CERT_SECRET;
    let cert = &hr.obj.spec.virtualhost.tls.ssl_key_certificate;
    let alt = &cert.alternate_certificate;
    if cert.kind != CERT_SECRET
        || alt.kind != CERT_SECRET
        || cert.name.is_empty()
        || alt.name.is_empty()
        || !crate::compile::ingress::parse::alternate_collides(&cert.name, &alt.name)
    {
        return;
    }
    diags.push(
        Diagnostic::new(
            Severity::Warning,
            Some(describe("HostRule", hr.obj.namespace(), hr.obj.name())),
            format!(
                "alternateCertificate Secret {} is built under the same certificate name as the main Secret {} \
                 (only a Secret whose name ends in -alt gets the -alt name), so one overwrites the other and \
                 the alternate is what remains (as AKO leaves it for Routes; for Ingresses its result follows map \
                 order). Rename the alternate Secret to end in -alt to keep both",
                alt.name, cert.name
            ),
        )
        .at(&hr.origin),
    );
}

/// Decide a CRD's verdict (§2.1): trust `status.status` when present, else run
/// the offline checks. Emits one diagnostic per CRD that is not plainly
/// Accepted by its status.
fn judge<T: Crd>(
    o: &Obj<T>,
    diags: &mut Vec<Diagnostic>,
    offline: impl FnOnce() -> Result<Vec<String>, String>,
) -> Verdict {
    let kind = <T as k8s_openapi::Resource>::KIND;
    let what = describe(kind, o.obj.namespace(), o.obj.name());
    let what = if o.obj.namespace().is_empty() {
        format!("{kind} {}", o.obj.name())
    } else {
        what
    };
    let st = o.obj.status();
    match st.status.as_str() {
        crate::kube::crd::ACCEPTED => Verdict::Accepted,
        "" => match offline() {
            Ok(assumed) => {
                let mut msg =
                    "no status.status: validated offline and treated as Accepted".to_string();
                if !assumed.is_empty() {
                    msg.push_str("; assumed to exist on the controller: ");
                    msg.push_str(&assumed.join(", "));
                }
                diags.push(Diagnostic::new(Severity::Info, Some(what), msg).at(&o.origin));
                Verdict::Accepted
            }
            Err(reason) => {
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        Some(what),
                        format!("AKO would reject it ({reason}); it has no effect"),
                    )
                    .at(&o.origin),
                );
                Verdict::Rejected(reason)
            }
        },
        other => {
            let reason = if st.error.is_empty() {
                format!("status.status is {other}")
            } else {
                st.error.clone()
            };
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    Some(what),
                    format!("status.status is {other} ({reason}); AKO does not apply it"),
                )
                .at(&o.origin),
            );
            Verdict::Rejected(reason)
        }
    }
}

/// Run every field-level CRD effect over the emitted objects (after the
/// Ingress / Route / L4 translation). Order as in AKO's graph build: pools
/// (HTTPRule) before virtual services (HostRule, L7Rule, SSORule); L4Rule on
/// L4 virtual services and pools.
pub fn apply(ctx: &Context, out: &mut Out) {
    pool::apply_http_rules(ctx, out);
    vs::apply_gslb_rewrites(ctx, out);
    vs::apply_host_rules(ctx, out);
    regex::apply(ctx, out);
    l4rule::apply(ctx, out);
    dropped::warn_sni_mode(ctx, out);
    dropped::warn_insecure_sni_hosts(ctx, out);
}

/// Replace the zero `crd_status` of a rendered `service_metadata` string
/// (`lib.CRDMetadata`): `{"type":..,"value":..,"status":..}`.
pub fn set_crd_status(body: &mut serde_json::Value, kind: &str, value: &str, status: &str) {
    let Some(sm) = body.get("service_metadata").and_then(|v| v.as_str()) else {
        return;
    };
    // String surgery keeps the key order of AKO's Go struct.
    let Some(start) = sm.find("\"crd_status\":{") else {
        return;
    };
    let Some(len) = sm[start..].find('}') else {
        return;
    };
    let q = |s: &str| serde_json::Value::String(s.into()).to_string();
    let rendered = format!(
        "{}\"crd_status\":{{\"type\":{},\"value\":{},\"status\":{}}}{}",
        &sm[..start],
        q(kind),
        q(value),
        q(status),
        &sm[start + len + 1..]
    );
    body["service_metadata"] = serde_json::Value::String(rendered);
}

/// Read the `crd_status` of a rendered `service_metadata`: (type, value, status).
pub fn crd_status(body: &serde_json::Value) -> Option<(String, String, String)> {
    let sm = body.get("service_metadata")?.as_str()?;
    let v: serde_json::Value = serde_json::from_str(sm).ok()?;
    let c = v.get("crd_status")?;
    let s = |k: &str| c.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    Some((s("type"), s("value"), s("status")))
}

/// Values of a marker key in a body's `markers`.
pub fn marker<'b>(body: &'b serde_json::Value, key: &str) -> Vec<&'b str> {
    body.get("markers")
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
        .filter(|m| m.get("key").and_then(|k| k.as_str()) == Some(key))
        .flat_map(|m| {
            m.get("values")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
        })
        .filter_map(|v| v.as_str())
        .collect()
}

#[cfg(test)]
mod tests;
