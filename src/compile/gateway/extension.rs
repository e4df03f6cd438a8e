//! The ako-crd-operator objects an HTTPRoute names in ExtensionRef filters
//! (translation-extended.md §2.8, §5.4): an `ApplicationProfile` on a rule
//! (the child VS's application profile) and, on a backendRef, `HealthMonitor`s
//! and a `RouteBackendExtension` (pool fields). AKO reads them through its
//! dynamic client (`ako-gateway-api/lib/dynamic_client.go`) and only once the
//! operator has programmed them; the operator's informers exist only with
//! `ako-crd-operator.enabled` (`NewDynamicInformers`).

use serde_json::{Map, Value, json};

use super::Gw;
use crate::compile::common::api_ref;
use crate::compile::{describe, source};
use crate::kube::crd::healthmonitor::HealthMonitorStatus;
use crate::kube::crd::routebackendextension::RouteBackendExtension;
use crate::model::find_named;

/// `RouteBackendExtensionKind` / `HealthMonitorKind` (`ako-gateway-api/lib/constants.go`).
pub const HEALTH_MONITOR: &str = "HealthMonitor";
pub const ROUTE_BACKEND_EXTENSION: &str = "RouteBackendExtension";
/// `AKOCRDController`: the `status.controller` the operator writes.
const AKO_CRD_CONTROLLER: &str = "AKOCRDController";
/// `lib.DefaultPoolSSLProfile`.
const POOL_SSL_PROFILE: &str = "System-Standard";
/// The only hash with a header (`lib.LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_HEADER`).
const CUSTOM_HEADER: &str = "LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_HEADER";

fn operator_off(kind: &str, ns: &str, name: &str) -> String {
    format!(
        "{kind} {ns}/{name}: ako-crd-operator.enabled is false, so AKO's gateway container does not watch the operator's objects"
    )
}

/// `IsApplicationProfileValid` and `IsApplicationProfileProcessed`
/// (`ako-gateway-api/lib/dynamic_client.go`), called from
/// `route_model.go` `validateFilterExtensionRef`: the profile must exist in
/// the route's namespace and carry the namespace's tenant, a
/// `backendObjectName` and a `Programmed=True` condition. Then
/// `avi_model_l7_translator.go` `ApplyRuleExtensionRefs` /
/// `getApplicationProfileUUID` refers to it by the UUID of its status:
/// `/api/applicationprofile/<uuid>`. `Err` is the message of the route's
/// `ResolvedRefs=False` condition (the filter is then dropped).
pub fn application_profile(gw: &Gw, ns: &str, name: &str) -> Result<(String, String), String> {
    if !gw.s.ako_crd_operator_enabled {
        return Err(operator_off("ApplicationProfile", ns, name));
    }
    let Some(ap) = find_named(&gw.ctx.snapshot.application_profiles, ns, name) else {
        return Err(format!(
            "ApplicationProfile Ref {name} is invalid (ResolvedRefs=False BackendNotFound: not found in {ns})"
        ));
    };
    let processed = ap.status.as_ref().is_some_and(|st| {
        st.processed_for(&gw.ctx.tenant_of(ns))
            && !st.backend_object_name.is_empty()
            && st.programmed()
    });
    if !processed {
        return Err(format!(
            "ApplicationProfile Ref {name} is not ready (ResolvedRefs=False Pending)"
        ));
    }
    let uuid = ap
        .status
        .as_ref()
        .map(|s| s.uuid.clone())
        .unwrap_or_default();
    if uuid.is_empty() {
        return Err(format!(
            "ApplicationProfile {ns}/{name} uuid not found: the child VS keeps its application profile"
        ));
    }
    Ok((
        format!("/api/applicationprofile/{uuid}"),
        source("ApplicationProfile", ns, name),
    ))
}

/// `lib.IsHealthMonitorProcessedWithOptions` with `checkDeleted`
/// (`internal/lib/lib.go`): `Ok(status)` when ready.
fn health_monitor_ready<'a>(
    gw: &'a Gw,
    ns: &str,
    name: &str,
) -> Result<&'a HealthMonitorStatus, String> {
    if !gw.s.ako_crd_operator_enabled {
        return Err(operator_off("HealthMonitor", ns, name));
    }
    let Some(hm) = find_named(&gw.ctx.snapshot.health_monitors, ns, name) else {
        return Err(format!("healthMonitor {ns}/{name} not found"));
    };
    let not_processed =
        || format!("healthMonitor {ns}/{name} is not processed by AKO CRD Operator");
    let Some(st) = &hm.status else {
        return Err("HealthMonitor is not ready".into());
    };
    if !st.processed_for(&gw.ctx.tenant_of(ns)) {
        return Err(not_processed());
    }
    if st.being_deleted() {
        return Err(format!("healthMonitor {ns}/{name} is being deleted"));
    }
    if st.programmed() {
        Ok(st)
    } else {
        Err("HealthMonitor is not ready".into())
    }
}

/// `IsRouteBackendExtensionProcessed` then the `Accepted` check
/// (`ako-gateway-api/lib/dynamic_client.go`).
fn route_backend_extension<'a>(
    gw: &'a Gw,
    ns: &str,
    name: &str,
) -> Result<&'a RouteBackendExtension, String> {
    if !gw.s.ako_crd_operator_enabled {
        return Err(operator_off("RouteBackendExtension", ns, name));
    }
    let Some(r) = find_named(&gw.ctx.snapshot.route_backend_extensions, ns, name) else {
        return Err(format!(
            "RouteBackendExtension object {ns}/{name} not found"
        ));
    };
    let Some(st) = &r.status else {
        return Err(format!(
            "Status not found for RouteBackendExtension CR {ns}/{name}"
        ));
    };
    if st.status.is_empty() {
        return Err(format!(
            "RouteBackendExtension CR {ns}/{name} has an invalid status field"
        ));
    }
    if st.controller.is_empty() {
        return Err(format!(
            "RouteBackendExtension CR {ns}/{name} is not processed by AKO CRD Operator"
        ));
    }
    if st.controller != AKO_CRD_CONTROLLER {
        return Err(format!(
            "RouteBackendExtension CR {ns}/{name} is not handled by AKO CRD Operator"
        ));
    }
    if st.status != "Accepted" {
        return Err(format!(
            "RouteBackendExtension object {ns}/{name} is not in Accepted state"
        ));
    }
    Ok(&r.obj)
}

/// An ExtensionRef filter of a backendRef: (group, kind, name).
pub type ExtRef = (String, String, String);

/// `validatedBackendRefExtensions` (`ako-gateway-api/nodes/route_validator.go`),
/// run against the backend's namespace: the first problem becomes the
/// route's `ResolvedRefs=False` message. The backend is kept whatever the
/// verdict ("ExtensionRef is partially supported").
pub fn validate_backend(gw: &Gw, backend_ns: &str, exts: &[ExtRef]) -> Option<String> {
    let mut seen: Vec<&str> = Vec::new();
    for (group, kind, name) in exts {
        if group != super::AKO_GROUP {
            continue;
        }
        if kind != HEALTH_MONITOR && kind != ROUTE_BACKEND_EXTENSION {
            return Some(format!(
                "Unsupported kind {kind} defined on HTTPRoute-Rule-BackendRef"
            ));
        }
        if seen.contains(&kind.as_str()) && kind != HEALTH_MONITOR {
            return Some(
                "MultipleExtensionRef of same kind defined on HTTPRoute-Rule-BackendRef".into(),
            );
        }
        seen.push(kind);
        if name.is_empty() {
            return Some(format!("{kind} ExtensionRef has empty name"));
        }
        let r = if kind == HEALTH_MONITOR {
            health_monitor_ready(gw, backend_ns, name).map(|_| ())
        } else {
            route_backend_extension(gw, backend_ns, name).map(|_| ())
        };
        if let Err(e) = r {
            return Some(e);
        }
    }
    None
}

/// The pool fields a backend's ExtensionRefs set, with the sources.
#[derive(Default)]
pub struct PoolExt {
    /// Fields in the order AKO's REST builder writes them.
    pub fields: Map<String, Value>,
    pub sources: Vec<String>,
    /// (field, `Kind ns/name`) for `--explain-rules`.
    pub set_by: Vec<(String, String)>,
    /// Why an ExtensionRef had no effect.
    pub problems: Vec<String>,
}

/// `buildPoolWithBackendExtensionRefs` (`avi_model_l7_translator.go`) with
/// `ParseRouteBackendExtensionCR` (`ako-gateway-api/lib/dynamic_client.go`)
/// and the pool REST body (`internal/rest/avi_obj_pool.go` `AviPoolBuild`).
/// Both look the objects up in the **route's** namespace. Ready
/// HealthMonitors (several allowed) replace the health monitors by the UUID
/// in their status (AKO sends the bare UUIDs, sorted; written here as
/// `/api/healthmonitor/<uuid>`); the first RouteBackendExtension that parses
/// sets the LB algorithm, its persistence profile when the rule has no
/// `sessionPersistence` (`has_rule_persistence`), its AVIREF health monitors
/// by name unless a HealthMonitor ExtensionRef gave some, and with
/// `backendTLS` the pool SSL profile, host check, domain names and the
/// operator's PKIProfile (`getPKIProfileName`:
/// `ako-crd-operator-<cluster>--sha1(<ns>-<name>)`).
pub fn pool_fields(
    gw: &Gw,
    route_ns: &str,
    exts: &[ExtRef],
    has_rule_persistence: bool,
) -> PoolExt {
    let mut e = PoolExt::default();
    let mut uuids: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut rbe_done = false;
    let mut rbe_hms: Vec<String> = Vec::new();
    let mut hm_by: Vec<String> = Vec::new();
    for (_, kind, name) in exts {
        if kind == HEALTH_MONITOR {
            match health_monitor_ready(gw, route_ns, name) {
                Ok(st) if st.uuid.is_empty() => e.problems.push(format!(
                    "HealthMonitor {route_ns}/{name} is not used for the pool: its status has no uuid"
                )),
                Ok(st) => {
                    uuids.insert(st.uuid.clone());
                    e.sources.push(source("HealthMonitor", route_ns, name));
                    hm_by.push(describe("HealthMonitor", route_ns, name));
                }
                Err(msg) => e.problems.push(format!(
                    "HealthMonitor {route_ns}/{name} is not used for the pool: {msg}"
                )),
            }
        } else if kind == ROUTE_BACKEND_EXTENSION && !rbe_done {
            let rbe = match route_backend_extension(gw, route_ns, name) {
                Ok(r) => r,
                Err(msg) => {
                    e.problems.push(format!(
                        "RouteBackendExtension {route_ns}/{name} is not applied to the pool: {msg}"
                    ));
                    continue;
                }
            };
            rbe_done = true;
            e.sources
                .push(source("RouteBackendExtension", route_ns, name));
            let before: Vec<String> = e.fields.keys().cloned().collect();
            let sp = &rbe.spec;
            let f = &mut e.fields;
            if let Some(v) = &sp.lb_algorithm {
                f.insert("lb_algorithm".into(), json!(v));
            }
            if let Some(h) = &sp.lb_algorithm_hash {
                f.insert("lb_algorithm_hash".into(), json!(h));
                if h == CUSTOM_HEADER
                    && let Some(hdr) = &sp.lb_algorithm_consistent_hash_hdr
                {
                    f.insert("lb_algorithm_consistent_hash_hdr".into(), json!(hdr));
                }
            }
            if !has_rule_persistence && let Some(p) = &sp.persistence_profile {
                f.insert(
                    "application_persistence_profile_ref".into(),
                    json!(api_ref("applicationpersistenceprofile", p)),
                );
            }
            if uuids.is_empty() {
                rbe_hms = sp
                    .health_monitor
                    .iter()
                    .map(|h| api_ref("healthmonitor", &h.name))
                    .collect();
            }
            if let Some(tls) = &sp.backend_tls {
                f.insert(
                    "ssl_profile_ref".into(),
                    json!(api_ref("sslprofile", POOL_SSL_PROFILE)),
                );
                if let Some(h) = tls.host_check_enabled {
                    f.insert("host_check_enabled".into(), json!(h));
                }
                if !tls.domain_name.is_empty() {
                    f.insert("domain_name".into(), json!(tls.domain_name));
                }
                if let Some(p) = &tls.pki_profile
                    && p.kind == "CRD"
                {
                    f.insert(
                        "pki_profile_ref".into(),
                        json!(api_ref(
                            "pkiprofile",
                            &crd_operator_name(&gw.s.cluster_name, route_ns, &p.name)
                        )),
                    );
                }
            }
            let by = describe("RouteBackendExtension", route_ns, name);
            for k in e.fields.keys() {
                if !before.contains(k) {
                    e.set_by.push((k.clone(), by.clone()));
                }
            }
            if !rbe_hms.is_empty() {
                e.set_by.push(("health_monitor_refs".into(), by));
            }
        }
    }
    if !uuids.is_empty() {
        let refs: Vec<String> = uuids
            .iter()
            .map(|u| format!("/api/healthmonitor/{u}"))
            .collect();
        e.fields.insert("health_monitor_refs".into(), json!(refs));
        e.set_by.retain(|(k, _)| k != "health_monitor_refs");
        for by in hm_by {
            e.set_by.push(("health_monitor_refs".into(), by));
        }
    } else if !rbe_hms.is_empty() {
        e.fields
            .insert("health_monitor_refs".into(), json!(rbe_hms));
    }
    e
}

/// Name of an ako-crd-operator object (`ako-crd-operator/internal/lib/lib.go`
/// `GetObjectName`; `ako-gateway-api/lib/dynamic_client.go` `getPKIProfileName`).
pub fn crd_operator_name(cluster: &str, ns: &str, name: &str) -> String {
    crate::names::format(
        &crate::names::table::CRD_OPERATOR_OBJECT,
        &[("cluster", cluster), ("namespace", ns), ("name", name)],
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names_like_the_naming_doc() {
        // translation-extended.md §2.8 example.
        assert_eq!(
            crd_operator_name("cluster1", "app-ns", "my-health-check"),
            "ako-crd-operator-cluster1--0f10bce27de8131f458c31b46ea91e27358b3b22"
        );
    }
}
