//! Offline validation of AKO CRDs that carry no `status` (translation-extended.md
//! §2.2.2, §2.3, §2.4, §2.6, §2.7; AKO: `internal/k8s/validator.go`).
//!
//! Each check returns `Err(reason)` with the text AKO writes into
//! `status.error`, or `Ok(assumed)`: the controller objects the CRD names, which
//! AKO checks on the controller (`checkRefsOnController`) and akoctl can only
//! assume to exist (spec §8 item 13).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::compile::Context;
use crate::kube::crd::hostrule::{CERT_REF, CERT_SECRET, FqdnType};
use crate::kube::crd::{AviInfraSetting, Crd, HostRule, HttpRule, L4Rule, L7Rule, SsoRule};

/// `internal/lib/constants.go` `IPRegex` (not anchored, as in AKO).
static IP_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(([01]?[0-9][0-9]?|2[0-4][0-9]|25[0-5])(\.|$)){4}(?-u:\b)").ok()
});
/// `IPCIDRRegex`.
static CIDR_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^((?-u:\b)([01]?[0-9][0-9]?|2[0-4][0-9]|25[0-5])\.){3}([01]?[0-9][0-9]?|2[0-4][0-9]|25[0-5])/(([0-9]|[1-2][0-9]|3[0-2]))?$",
    )
    .ok()
});
/// `IPV6CIDRRegex`.
static CIDR6_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(((?:[0-9A-Fa-f]{1,4}))*((?::[0-9A-Fa-f]{1,4}))*::((?:[0-9A-Fa-f]{1,4}))*((?::[0-9A-Fa-f]{1,4}))*|((?:[0-9A-Fa-f]{1,4}))((?::[0-9A-Fa-f]{1,4})){7})(/([1-9]|[1-9][0-9]|1[0-1][0-9]|12[0-8])){0,1}$",
    )
    .ok()
});

fn matches(re: &LazyLock<Option<Regex>>, s: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(s))
}

/// `ShardVSSubstring`: a HostRule fqdn naming shared virtual services.
pub const SHARD_VS_SUBSTRING: &str = "Shared-";

/// The HostRules accepted so far, for the first-come checks.
#[derive(Default)]
pub struct HostRuleState {
    /// fqdn -> `ns/name` of the owner.
    fqdns: BTreeMap<String, String>,
    /// fqdn -> its aliases.
    aliases: BTreeMap<String, Vec<String>>,
}

impl HostRuleState {
    pub fn register(&mut self, hr: &HostRule) {
        let vh = &hr.spec.virtualhost;
        self.fqdns
            .entry(vh.fqdn.clone())
            .or_insert_with(|| hr.ns_name());
        if let Some(a) = &vh.aliases {
            self.aliases.insert(vh.fqdn.clone(), a.clone());
        }
    }
}

/// Secrets outside AKO's namespace are refused on OpenShift with
/// `AKOSettings.useDefaultSecretsOnly` (AKO: `internal/k8s/validator.go`
/// `validateSecretReferenceInHostrule`, `validateSecretReferenceInSSORule`;
/// `pkg/utils/utils.go` `IsSecretsHandlingRestrictedToAKONS`). OpenShift is
/// AKO's Route informer; akoctl takes Routes in the input as that sign, as
/// the Route translation does.
fn secret_restricted(ctx: &Context, ns: &str) -> Option<String> {
    let s = ctx.settings;
    (!ctx.snapshot.routes.is_empty() && s.use_default_secrets_only && ns != s.ako_namespace).then(
        || {
            format!(
                "secret handling is restricted to {} namespace only",
                s.ako_namespace
            )
        },
    )
}

fn secret_exists(ctx: &Context, ns: &str, name: &str) -> bool {
    ctx.secrets
        .contains_key(&(ns.to_string(), name.to_string()))
}

/// Secret data key as a string (`data` is what the API server stores;
/// `stringData` is merged into it on write).
fn secret_value(ctx: &Context, ns: &str, name: &str, key: &str) -> Option<Option<String>> {
    let s = ctx.secrets.get(&(ns.to_string(), name.to_string()))?;
    let from_data = s
        .obj
        .data
        .as_ref()
        .and_then(|d| d.get(key))
        .map(|b| String::from_utf8_lossy(&b.0).into_owned());
    let from_string = s.obj.string_data.as_ref().and_then(|d| d.get(key)).cloned();
    Some(from_string.or(from_data))
}

fn not_found(kind: &str, name: &str) -> String {
    format!("{kind} \"{name}\" not found")
}

/// Collects controller references in first-seen order.
#[derive(Default)]
struct Refs(Vec<String>, BTreeSet<String>);

impl Refs {
    fn add(&mut self, kind: &str, name: &str) {
        if name.is_empty() {
            return;
        }
        let r = format!("{kind} {name}");
        if self.1.insert(r.clone()) {
            self.0.push(r);
        }
    }
}

/// `ValidateHostRuleObj`.
pub fn host_rule(
    hr: &HostRule,
    state: &HostRuleState,
    ctx: &Context,
    l7_rules: &[(String, String)],
) -> Result<Vec<String>, String> {
    let vh = &hr.spec.virtualhost;
    let fqdn = &vh.fqdn;
    if fqdn.is_empty() {
        return Err("spec.virtualhost.fqdn is required".into());
    }
    if let Some(owner) = state.fqdns.get(fqdn)
        && *owner != hr.ns_name()
    {
        return Err(format!("duplicate fqdn {fqdn} found in {owner}"));
    }
    if let Some(tcp) = &vh.tcp_settings
        && !tcp.load_balancer_ip.is_empty()
        && !matches(&IP_RE, &tcp.load_balancer_ip)
    {
        return Err(format!(
            "loadBalancerIP {} is not a valid IP",
            tcp.load_balancer_ip
        ));
    }
    if !vh.gslb.fqdn.is_empty() && vh.gslb.fqdn == *fqdn {
        return Err("GSLB FQDN and local FQDN are same".into());
    }
    if let Some(tcp) = &vh.tcp_settings
        && !tcp.listeners.is_empty()
        && !tcp.listeners.iter().any(|l| l.enable_ssl)
    {
        return Err("Hosting parent virtualservice must have SSL enabled".into());
    }
    if let Some(aliases) = &vh.aliases {
        if vh.fqdn_type != FqdnType::Exact {
            return Err("Aliases is supported only when FQDN type is set as Exact".into());
        }
        if aliases.contains(fqdn) {
            return Err(
                "Duplicate entry found. Aliases field has same entry as the FQDN field".into(),
            );
        }
        let uniq: BTreeSet<&String> = aliases.iter().collect();
        if uniq.len() != aliases.len() {
            return Err("Aliases must be unique".into());
        }
        if !vh.gslb.fqdn.is_empty() && aliases.contains(&vh.gslb.fqdn) {
            return Err("Aliases must not contain GSLB FQDN".into());
        }
        for (other, used) in &state.aliases {
            if other == fqdn {
                continue;
            }
            if let Some(a) = aliases.iter().find(|a| used.contains(a)) {
                return Err(format!("{a} is already in use by hostrule {other}"));
            }
        }
    }
    let mut refs = Refs::default();
    refs.add("wafpolicy", &vh.waf_policy);
    refs.add("applicationprofile", &vh.application_profile);
    refs.add("sslprofile", &vh.tls.ssl_profile);
    refs.add("analyticsprofile", &vh.analytics_profile);
    refs.add("errorpageprofile", &vh.error_page_profile);
    let cert = &vh.tls.ssl_key_certificate;
    for (kind, name) in [
        (cert.kind.as_str(), cert.name.as_str()),
        (
            cert.alternate_certificate.kind.as_str(),
            cert.alternate_certificate.name.as_str(),
        ),
    ] {
        if kind == CERT_REF {
            refs.add("sslkeyandcertificate", name);
        } else if kind == CERT_SECRET {
            if let Some(e) = secret_restricted(ctx, hr.namespace()) {
                return Err(e);
            }
            if !secret_exists(ctx, hr.namespace(), name) {
                return Err(not_found("secret", name));
            }
        }
    }
    if vh.icap_profile.len() > 1 {
        return Err("Can only have 1 ICAP profile associated with VS".into());
    }
    for i in &vh.icap_profile {
        refs.add("icapprofile", i);
    }
    for p in &vh.http_policy.policy_sets {
        refs.add("httppolicyset", p);
    }
    for d in &vh.datascripts {
        refs.add("vsdatascriptset", d);
    }
    refs.add("networksecuritypolicy", &vh.network_security_policy);
    if !vh.l7_rule.is_empty()
        && !l7_rules
            .iter()
            .any(|(ns, n)| ns == hr.namespace() && *n == vh.l7_rule)
    {
        return Err(not_found("l7rule.ako.vmware.com", &vh.l7_rule));
    }
    if fqdn.contains(SHARD_VS_SUBSTRING) && vh.use_regex {
        return Err(format!(
            "hostrule useRegex with fqdn {fqdn} cannot be applied to shared virtualservices"
        ));
    }
    if fqdn.contains(SHARD_VS_SUBSTRING) && !vh.application_root_path.is_empty() {
        return Err(format!(
            "hostrule applicationRootPath with fqdn {fqdn} cannot be applied to shared virtualservices"
        ));
    }
    Ok(refs.0)
}

/// `lib.HttpRulePkiAndDestCASetErr`.
pub const PKI_AND_DEST_CA: &str = "PKIProfile and DestinationCA fields are set in the HTTPRule. Only one of the field should be set.";

/// `ValidateHTTPRuleObj`.
pub fn http_rule(rr: &HttpRule) -> Result<Vec<String>, String> {
    if rr.spec.fqdn.is_empty() {
        return Err("spec.fqdn is required".into());
    }
    let mut refs = Refs::default();
    for p in &rr.spec.paths {
        if !p.tls.pki_profile.is_empty() && !p.tls.destination_ca.is_empty() {
            return Err(PKI_AND_DEST_CA.into());
        }
        refs.add("sslprofile", &p.tls.ssl_profile);
        refs.add("applicationpersistenceprofile", &p.application_persistence);
        refs.add("pkiprofile", &p.tls.pki_profile);
        for hm in &p.health_monitors {
            refs.add("healthmonitor", hm);
        }
    }
    Ok(refs.0)
}

/// `ValidateAviInfraSetting` (plus the schema enum of `l7Settings.shardSize`).
pub fn infra_setting(inf: &AviInfraSetting) -> Result<Vec<String>, String> {
    let net = &inf.spec.network;
    if net.enable_rhi != Some(true) && !net.bgp_peer_labels.is_empty() {
        return Err("BGPPeerLabels cannot be set if EnableRhi is false.".into());
    }
    let shard = inf.spec.l7_settings.shard_size.as_str();
    if !matches!(shard, "" | "LARGE" | "MEDIUM" | "SMALL" | "DEDICATED") {
        return Err(format!(
            "spec.l7Settings.shardSize: Unsupported value: \"{shard}\": supported values: \"SMALL\", \"MEDIUM\", \"LARGE\", \"DEDICATED\""
        ));
    }
    let mut refs = Refs::default();
    for v in &net.vip_networks {
        if !v.cidr.is_empty() && !matches(&CIDR_RE, &v.cidr) {
            return Err(format!(
                "invalid CIDR configuration {} detected for networkName {} in vipNetworkList",
                v.cidr, v.network_name
            ));
        }
        if !v.v6cidr.is_empty() && !matches(&CIDR6_RE, &v.v6cidr) {
            return Err(format!(
                "invalid IPv6 CIDR configuration {} detected for networkName {} in vipNetworkList",
                v.v6cidr, v.network_name
            ));
        }
        if !v.network_uuid.is_empty() {
            refs.add("network uuid", &v.network_uuid);
        } else {
            refs.add("network", &v.network_name);
        }
    }
    for n in &net.node_networks {
        if !n.network_uuid.is_empty() {
            refs.add("network uuid", &n.network_uuid);
        } else {
            refs.add("network", &n.network_name);
        }
    }
    refs.add("serviceenginegroup", &inf.spec.se_group.name);
    if !net.listeners.is_empty() && !net.listeners.iter().any(|l| l.enable_ssl == Some(true)) {
        return Err("One of the port in aviInfraSetting must have SSL enabled".into());
    }
    Ok(refs.0)
}

const LB_CONSISTENT_HASH: &str = "LB_ALGORITHM_CONSISTENT_HASH";
const LB_CUSTOM_HEADER: &str = "LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_HEADER";

/// `ValidateL4RuleObj`. The application-profile type checks need the
/// controller; akoctl knows the types of the System profiles only and assumes
/// any other profile is of the type the rule needs.
pub fn l4_rule(r: &L4Rule, ctx: &Context) -> Result<Vec<String>, String> {
    let s = &r.spec;
    if let Some(ip) = &s.load_balancer_ip
        && ip.parse::<std::net::IpAddr>().is_err()
    {
        return Err(format!("loadBalancerIP {ip} is not valid"));
    }
    let mut refs = Refs::default();
    if let Some(a) = &s.analytics_profile_ref {
        refs.add("analyticsprofile", a);
    }
    if let Some(app) = &s.application_profile_ref {
        let ssl_listener = s.services.iter().any(|l| l.enable_ssl == Some(true));
        let l4_ssl = app == "System-SSL-Application";
        if l4_ssl {
            if !ssl_listener {
                return Err(format!(
                    "SSL is not enabled in l4rule listener Spec but App Profile {app} is of type SSL"
                ));
            }
            if let Some(p) = &s.ssl_profile_ref {
                refs.add("sslprofile", p);
            }
            for c in &s.ssl_key_and_certificate_refs {
                refs.add("sslkeyandcertificate", c);
            }
        } else if app == "System-L4-Application" {
            if let Some(_p) = &s.ssl_profile_ref {
                return Err(format!(
                    "App Profile {app} is not of type SSL but SslProfileRef is set"
                ));
            }
            if !s.ssl_key_and_certificate_refs.is_empty() {
                return Err(format!(
                    "App Profile {app} is not of type SSL but SslKeyAndCertificateRefs are set"
                ));
            }
        } else {
            refs.add("applicationprofile", app);
            if let Some(p) = &s.ssl_profile_ref {
                refs.add("sslprofile", p);
            }
            for c in &s.ssl_key_and_certificate_refs {
                refs.add("sslkeyandcertificate", c);
            }
        }
    }
    if let Some(n) = &s.network_profile_ref {
        refs.add("networkprofile", n);
    }
    if let Some(n) = &s.network_security_policy_ref {
        refs.add("networksecuritypolicy", n);
    }
    if let Some(n) = &s.security_policy_ref {
        refs.add("securitypolicy", n);
    }
    for d in &s.vs_datascript_refs {
        refs.add("vsdatascriptset", d);
    }
    for b in &s.backend_properties {
        if let Some(p) = &b.application_persistence_profile_ref {
            refs.add("applicationpersistenceprofile", p);
        }
        for hm in &b.health_monitor_refs {
            refs.add("healthmonitor", hm);
        }
        if let Some(p) = &b.pki_profile_ref {
            refs.add("pkiprofile", p);
        }
        if let Some(p) = &b.ssl_key_and_certificate_ref {
            refs.add("sslkeyandcertificate", p);
        }
        if let Some(p) = &b.ssl_profile_ref {
            refs.add("sslprofile", p);
        }
        lb_algorithm(
            b.lb_algorithm.as_deref(),
            b.lb_algorithm_hash.as_deref(),
            b.lb_algorithm_consistent_hash_hdr.as_deref(),
        )?;
        for hm in &b.health_monitor_crd_refs {
            if hm.is_empty() {
                return Err("Empty HealthMonitor name in healthMonitorCrdRefs".into());
            }
            if !ctx.settings.ako_crd_operator_enabled {
                return Err(format!(
                    "HealthMonitor CRD {}/{hm} referenced but AKO CRD Operator is not enabled",
                    r.namespace()
                ));
            }
            health_monitor_crd(ctx, r.namespace(), hm, b.protocol.as_deref().unwrap_or(""))?;
        }
    }
    if ctx.settings.cloud.cloud_type != "CLOUD_NSXT" && s.revoke_vip_route == Some(true) {
        return Err("RevokeVipRoute is only supported in NSX-T Cloud".into());
    }
    Ok(refs.0)
}

/// An ako-crd-operator HealthMonitor named by an L4Rule must exist in the
/// L4Rule's namespace, be programmed by the operator for the namespace's
/// tenant, ready, and of the type the backend protocol allows (translation-extended.md
/// §2.7, §2.8; AKO: `internal/k8s/validator.go` `validateHealthMonitorForL4Rule`,
/// `internal/lib/lib.go` `IsHealthMonitorProcessedWithOptions`).
fn health_monitor_crd(ctx: &Context, ns: &str, name: &str, protocol: &str) -> Result<(), String> {
    let nn = format!("{ns}/{name}");
    let Some(hm) = crate::model::find_named(&ctx.snapshot.health_monitors, ns, name) else {
        return Err(format!("HealthMonitor {nn} not found"));
    };
    let not_by_operator = || {
        format!(
            "HealthMonitor validation failed for {nn}: healthMonitor {nn} is not processed by AKO CRD Operator"
        )
    };
    let Some(st) = &hm.obj.status else {
        return Err(format!(
            "HealthMonitor {nn} is not processed by ako-crd-operator"
        ));
    };
    if !st.processed_for(&ctx.tenant_of(ns)) {
        return Err(not_by_operator());
    }
    let programmed = st.conditions.iter().find(|c| c.kind == "Programmed");
    if st.being_deleted() {
        return Err(format!(
            "HealthMonitor validation failed for {nn}: healthMonitor {nn} is being deleted"
        ));
    }
    match programmed {
        None => {
            return Err(format!(
                "HealthMonitor {nn} is not processed by ako-crd-operator"
            ));
        }
        Some(c) if c.status != "True" => {
            return Err(format!("HealthMonitor {nn} is not in ready state"));
        }
        Some(_) => {}
    }
    let Some(ty) = hm.obj.monitor_type() else {
        return Err(format!(
            "failed to get type from HealthMonitor {nn} spec: <nil>"
        ));
    };
    let proto = protocol.to_uppercase();
    let allowed = match proto.as_str() {
        "TCP" => "HEALTH_MONITOR_TCP",
        "UDP" => "HEALTH_MONITOR_UDP",
        "SCTP" => "HEALTH_MONITOR_SCTP",
        _ => {
            return Err(format!(
                "unknown backend protocol '{proto}' for HealthMonitor {nn} validation"
            ));
        }
    };
    if ty != allowed {
        return Err(format!(
            "HealthMonitor {nn} has type '{ty}' which is not compatible with {proto} protocol. Valid types: {allowed}"
        ));
    }
    Ok(())
}

/// `validateLBAlgorithm`.
pub fn lb_algorithm(
    alg: Option<&str>,
    hash: Option<&str>,
    hdr: Option<&str>,
) -> Result<(), String> {
    let Some(alg) = alg else { return Ok(()) };
    if alg == LB_CONSISTENT_HASH {
        match hash {
            None => {
                return Err(format!(
                    "lbAlgorithmHash must be specified when lbAlgorithm is \"{LB_CONSISTENT_HASH}\""
                ));
            }
            Some(h) if h == LB_CUSTOM_HEADER && hdr.is_none() => {
                return Err(format!(
                    "lbAlgorithmConsistentHashHdr must be specified when lbAlgorithmHash is \"{LB_CUSTOM_HEADER}\""
                ));
            }
            _ => {}
        }
    } else {
        if hash.is_some() {
            return Err(format!(
                "lbAlgorithmHash must not be specified when lbAlgorithm is \"{alg}\""
            ));
        }
        if hdr.is_some() {
            return Err(format!(
                "lbAlgorithmConsistentHashHdr must not be specified when lbAlgorithm is \"{alg}\""
            ));
        }
    }
    Ok(())
}

/// `ValidateL7RuleObj`: only controller references.
pub fn l7_rule(r: &L7Rule) -> Result<Vec<String>, String> {
    let s = &r.spec;
    let mut refs = Refs::default();
    if let Some(b) = &s.bot_policy_ref {
        refs.add("botdetectionpolicy", b);
    }
    if let Some(b) = &s.security_policy_ref {
        refs.add("securitypolicy", b);
    }
    if let Some(b) = &s.traffic_clone_profile_ref {
        refs.add("trafficcloneprofile", b);
    }
    for (kind, k) in [
        ("analyticsprofile", &s.analytics_profile),
        ("wafpolicy", &s.waf_policy),
        ("icapprofile", &s.icap_profile),
        ("errorpageprofile", &s.error_page_profile),
        ("applicationprofile", &s.application_profile),
    ] {
        if let Some(k) = k
            && k.kind == "AviRef"
        {
            refs.add(kind, &k.name);
        }
    }
    if let Some(h) = &s.http_policy {
        for p in &h.policy_sets {
            refs.add("httppolicyset", p);
        }
    }
    Ok(refs.0)
}

const JWT: &str = "ACCESS_TOKEN_TYPE_JWT";
const OPAQUE: &str = "ACCESS_TOKEN_TYPE_OPAQUE";

/// `ValidateSSORuleObj`.
pub fn sso_rule(
    r: &SsoRule,
    taken: &BTreeMap<String, String>,
    ctx: &Context,
) -> Result<Vec<String>, String> {
    let s = &r.spec;
    let Some(fqdn) = &s.fqdn else {
        return Err("spec.fqdn is required".into());
    };
    if let Some(owner) = taken.get(fqdn)
        && *owner != r.ns_name()
    {
        return Err(format!("duplicate fqdn {fqdn} found in {owner}"));
    }
    let Some(policy) = &s.sso_policy_ref else {
        return Err("SsoPolicyRef is not specified".into());
    };
    let mut refs = Refs::default();
    refs.add("ssopolicy", policy);
    let ns = r.namespace();
    if let Some(o) = &s.oauth_vs_config {
        for setting in &o.oauth_settings {
            refs.add(
                "authprofile",
                setting.auth_profile_ref.as_deref().unwrap_or(""),
            );
            if let Some(app) = &setting.app_settings {
                let name = app.client_secret.as_deref().unwrap_or("");
                if let Some(e) = secret_restricted(ctx, ns) {
                    return Err(format!("Got error while fetching {name} secret : {e}"));
                }
                match secret_value(ctx, ns, name, "clientSecret") {
                    None => {
                        return Err(format!(
                            "Got error while fetching {name} secret : {}",
                            not_found("secret", name)
                        ));
                    }
                    Some(v) if v.as_deref().unwrap_or("").is_empty() => {
                        return Err(format!("clientSecret field not found in {name} secret"));
                    }
                    Some(_) => {}
                }
            }
            if let Some(rs) = &setting.resource_server {
                let at = rs.access_type.as_deref().unwrap_or("");
                if at == JWT && rs.jwt_params.is_none() {
                    return Err(format!(
                        "Access Type is {at}, but Jwt Params have not been specified"
                    ));
                }
                if at == OPAQUE && rs.opaque_token_params.is_none() {
                    return Err(format!(
                        "Access Type is {at}, but Opaque Token Params have not been specified"
                    ));
                }
                if let Some(op) = &rs.opaque_token_params {
                    let name = op.server_secret.as_deref().unwrap_or("");
                    match secret_value(ctx, ns, name, "serverSecret") {
                        // AKO reads this Secret from the API server, not its
                        // lister: the NotFound text names the plural resource.
                        None => {
                            return Err(format!(
                                "Got error while fetching {name} secret : {}",
                                not_found("secrets", name)
                            ));
                        }
                        Some(v) if v.as_deref().unwrap_or("").is_empty() => {
                            return Err(format!("serverSecret field not found in {name} secret"));
                        }
                        Some(_) => {}
                    }
                }
            }
        }
    }
    if let Some(saml) = &s.saml_sp_config
        && let Some(c) = &saml.signing_ssl_key_and_certificate_ref
    {
        refs.add("sslkeyandcertificate", c);
    }
    Ok(refs.0)
}
