//! The AKO releases akoctl models, and every difference between them in one
//! table.
//!
//! Translation follows AKO 2.2.1 (master ba495be). An older release builds
//! fewer fields or behaves differently in a few places; each such place is a
//! [`Feature`], introduced by one release ([`FEATURES`]), and translation asks
//! `settings.release.has(Feature::X)` instead of comparing versions. A row of
//! the table names the AKO change it comes from, so that a new release is one
//! more column of facts, not a search through `compile/`.

use std::fmt;

use serde::Serialize;

use crate::kube::crd::Crd;
use crate::model::{Diagnostic, Severity, Snapshot};

/// An AKO release line akoctl models. Patch releases of a line build the same
/// objects, so only `major.minor` matters. Ordered oldest first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Release {
    /// AKO 1.12.x (branch `release-1.12.3`).
    #[serde(rename = "1.12")]
    V1_12,
    /// AKO 1.13.x (branch `release-1.13.4`).
    #[serde(rename = "1.13")]
    V1_13,
    /// AKO 2.1.x (branch `release-2.1.1`).
    #[serde(rename = "2.1")]
    V2_1,
    /// AKO 2.2.x (master ba495be), the default.
    #[default]
    #[serde(rename = "2.2")]
    V2_2,
}

/// Every release, newest first (the order of help texts and errors).
pub const RELEASES: [Release; 4] = [Release::V2_2, Release::V2_1, Release::V1_13, Release::V1_12];

/// A field or behaviour that not every modelled release has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feature {
    /// `service_metadata.httproute_rule_name` (`lib.ServiceMetadataObj`
    /// `HTTPRouteRuleName`).
    MetadataHttpRouteRuleName,
    /// `pool.graceful_disable_timeout: 1` (`internal/rest/avi_obj_pool.go`
    /// `AviPoolBuild`).
    PoolGracefulDisableTimeout,
    /// `virtualservice.traffic_enabled` on L4 virtual services
    /// (`internal/nodes/avi_model_l4_translator.go` `BuildL4LBGraph`).
    L4TrafficEnabled,
    /// `virtualservice.min_pools_up: 1` on EVH children and dedicated EVH
    /// virtual services (`internal/rest/avi_evh_obj.go` `AviVsEvhSniBuild`,
    /// `AviVsEvhBuild`).
    EvhMinPoolsUp,
    /// `service_metadata.httproute`, `fqdn_reuse_policy` and
    /// `host_namespace_ingress_name` (`lib.ServiceMetadataObj`).
    MetadataGatewayKeys,
    /// Endpoints come from `discovery.k8s.io/v1` EndpointSlices; without it
    /// from core/v1 Endpoints (`internal/nodes/avi_model_pool_utils.go`
    /// `PopulateServers`).
    EndpointSlices,
    /// The global `nodeNetworkList` is read in NodePort mode too (pool
    /// `placement_networks`); without it AKO skips it there
    /// (`internal/cache/controller_obj_cache.go` `checkNodeNetwork`), while an
    /// AviInfraSetting's node networks still apply.
    NodePortNodeNetworks,
    /// The Namespace annotation `ako.vmware.com/tenant-name` picks the tenant
    /// of the namespace's objects (`internal/lib/utils.go`
    /// `GetTenantInNamespace`); without it every object goes to `tenantName`.
    NamespaceTenant,
    /// An AviInfraSetting named by the object's Namespace annotation is left
    /// out of L7 object names (`internal/lib/utils.go`
    /// `IsInfraSettingNSScoped`); without it the name is always inserted.
    NamespaceInfraNotInNames,
    /// L7Rule `analyticsProfile`, `applicationProfile`, `wafPolicy`,
    /// `icapProfile`, `errorPageProfile`, `httpPolicy`, `analyticsPolicy`;
    /// L4Rule `revokeVipRoute` and backend `healthMonitorCrdRefs`; HostRule
    /// `analyticsPolicy.fullClientLogs.duration`
    /// (`pkg/apis/ako/v1alpha2/l7rule.go`, `common.go`, `l4rule.go`,
    /// `pkg/apis/ako/v1beta1/hostrule.go`).
    CrdFields2_1,
    /// HostRule `useRegex`, `applicationRootPath`; HTTPRule path
    /// `enableHTTP2` (`pkg/apis/ako/v1beta1/hostrule.go`, `httprule.go`).
    CrdFields1_13,
    /// NodePort mode: a Service with `externalTrafficPolicy: Local` only
    /// gets the nodes running one of its endpoints
    /// (`internal/nodes/avi_model_l4_translator.go`
    /// `checkIfEndpointSliceExistsForNode`); without it every node is a
    /// server.
    NodePortLocalTrafficPolicy,
}

/// One row: the feature, the first release that has it, and the AKO change.
pub struct Row {
    pub feature: Feature,
    pub since: Release,
    pub source: &'static str,
}

/// The table of differences between releases.
pub const FEATURES: &[Row] = &[
    Row {
        feature: Feature::MetadataHttpRouteRuleName,
        since: Release::V2_2,
        source: "2.2: `HTTPRouteRuleName` added to `lib.ServiceMetadataObj` (internal/lib/lib.go); \
                 absent from release-2.1.1",
    },
    Row {
        feature: Feature::PoolGracefulDisableTimeout,
        since: Release::V2_1,
        source: "2.1: `GracefulDisableTimeout: 1` set in `AviPoolBuild` (internal/rest/avi_obj_pool.go); \
                 absent from release-1.13.4",
    },
    Row {
        feature: Feature::L4TrafficEnabled,
        since: Release::V2_1,
        source: "2.1: `TrafficEnabled` on `AviVirtualServiceNode` set by `BuildL4LBGraph` \
                 (internal/nodes/avi_model_l4_translator.go); absent from release-1.13.4",
    },
    Row {
        feature: Feature::EvhMinPoolsUp,
        since: Release::V2_1,
        source: "2.1: `MinPoolsUp: 1` in `AviVsEvhSniBuild` and `AviVsEvhBuild` \
                 (internal/rest/avi_evh_obj.go); absent from release-1.13.4",
    },
    Row {
        feature: Feature::MetadataGatewayKeys,
        since: Release::V1_13,
        source: "1.13: `HTTPRoute`, `FQDNReusePolicy` and `HostToNamespaceIngressName` added to \
                 `lib.ServiceMetadataObj` (internal/lib/lib.go); absent from release-1.12.3",
    },
    Row {
        feature: Feature::EndpointSlices,
        since: Release::V1_13,
        source: "1.13: servers from EndpointSlices (`PopulateServers`, \
                 internal/nodes/avi_model_pool_utils.go); release-1.12.3 reads core/v1 Endpoints",
    },
    Row {
        feature: Feature::NodePortNodeNetworks,
        since: Release::V1_13,
        source: "1.13: `checkNodeNetwork` (internal/cache/controller_obj_cache.go) no longer returns \
                 early in NodePort mode; release-1.12.3 never sets the node network list there",
    },
    Row {
        feature: Feature::NamespaceTenant,
        since: Release::V1_13,
        source: "1.13: `GetTenantInNamespace` (internal/lib/utils.go) reads the Namespace \
                 annotation `ako.vmware.com/tenant-name`; release-1.12.3 has no such annotation",
    },
    Row {
        feature: Feature::NamespaceInfraNotInNames,
        since: Release::V1_13,
        source: "1.13: `IsInfraSettingNSScoped` (internal/lib/utils.go) keeps a namespace's \
                 AviInfraSetting out of names; absent from release-1.12.3",
    },
    Row {
        feature: Feature::CrdFields2_1,
        since: Release::V2_1,
        source: "2.1: fields added to the L7Rule, L4Rule and HostRule types \
                 (pkg/apis/ako/v1alpha2/l7rule.go, common.go, l4rule.go, v1beta1/hostrule.go); \
                 release-1.13.4's types do not declare them, so AKO never sees them",
    },
    Row {
        feature: Feature::NodePortLocalTrafficPolicy,
        since: Release::V2_1,
        source: "2.1: `PopulateServersForNodePort` checks `externalTrafficPolicy: Local` through \
                 `checkIfEndpointSliceExistsForNode` (internal/nodes/avi_model_l4_translator.go); \
                 absent from release-1.13.4",
    },
    Row {
        feature: Feature::CrdFields1_13,
        since: Release::V1_13,
        source: "1.13: HostRule `useRegex`, `applicationRootPath` and HTTPRule `enableHTTP2` \
                 (pkg/apis/ako/v1beta1/hostrule.go, httprule.go); absent from release-1.12.3",
    },
];

/// A helm value of AKO's chart (`helm/ako/values.yaml`, rendered by
/// `helm/ako/templates/configmap.yaml`) that not every modelled release's
/// chart has: `since` ..= `until` (`None`: still there).
pub struct ChartKey {
    pub path: &'static str,
    pub since: Release,
    pub until: Option<Release>,
    pub source: &'static str,
}

/// The chart keys that differ between releases.
pub const CHART_KEYS: &[ChartKey] = &[
    ChartKey {
        path: "NetworkSettings.defaultDomain",
        since: Release::V1_13,
        until: None,
        source: "1.13: configmap.yaml renders `NetworkSettings.defaultDomain` before \
                 `L4Settings.defaultDomain`; release-1.12.3 reads only the latter",
    },
    ChartKey {
        path: "L7Settings.fqdnReusePolicy",
        since: Release::V1_13,
        until: None,
        source: "1.13: configmap.yaml `fqdnReusePolicy`; absent from release-1.12.3",
    },
    ChartKey {
        path: "featureGates.EnableEndpointSlice",
        since: Release::V1_13,
        until: Some(Release::V1_13),
        source: "1.13 only: configmap.yaml `enableEndpointSlice` (chart default true) read by \
                 `GetEndpointSliceEnabled`; false makes `PopulateServers` read core/v1 Endpoints; \
                 removed in 2.1",
    },
];

impl Release {
    /// Whether this release's chart reads the helm value `path`
    /// (see [`CHART_KEYS`]).
    pub fn chart_has(self, path: &str) -> bool {
        CHART_KEYS
            .iter()
            .find(|k| k.path == path)
            .is_none_or(|k| self >= k.since && k.until.is_none_or(|u| self <= u))
    }

    /// Whether this release has `f` (see [`FEATURES`]).
    pub fn has(self, f: Feature) -> bool {
        FEATURES
            .iter()
            .find(|r| r.feature == f)
            .is_none_or(|r| self >= r.since)
    }

    /// `major.minor` of the release line.
    pub fn line(self) -> &'static str {
        match self {
            Release::V1_12 => "1.12",
            Release::V1_13 => "1.13",
            Release::V2_1 => "2.1",
            Release::V2_2 => "2.2",
        }
    }

    /// The release whose source akoctl follows for this line.
    pub fn modelled(self) -> &'static str {
        match self {
            Release::V1_12 => "1.12.3",
            Release::V1_13 => "1.13.4",
            Release::V2_1 => "2.1.1",
            Release::V2_2 => "2.2.1",
        }
    }

    /// Reads `2.1.1`, `2.1`, `2.1.x`, with or without a leading `v`. The
    /// error lists the accepted releases.
    pub fn parse(s: &str) -> Result<Release, String> {
        parse_line(s).ok_or_else(|| {
            format!(
                "unknown AKO release `{s}`: akoctl models {}",
                RELEASES
                    .iter()
                    .map(|r| format!("{}.x", r.line()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }

    /// The release of an AKO container image (`.../ako:1.12.3`): the tag,
    /// without a digest.
    pub fn from_image(image: &str) -> Result<Release, String> {
        let no_digest = image.split('@').next().unwrap_or(image);
        let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
        let Some((_, tag)) = last.split_once(':') else {
            return Err(format!("the AKO image `{image}` has no tag"));
        };
        parse_line(tag).ok_or_else(|| {
            format!(
                "the AKO image tag `{tag}` is not a release akoctl models ({})",
                RELEASES
                    .iter()
                    .map(|r| format!("{}.x", r.line()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }
}

/// `major.minor[.patch|.x][-suffix]`, optionally after `v` or `release-`.
fn parse_line(s: &str) -> Option<Release> {
    let s = s.trim();
    let s = s.strip_prefix("release-").unwrap_or(s);
    let s = s.strip_prefix('v').unwrap_or(s);
    let core = s.split(['-', '+']).next().unwrap_or(s);
    let mut parts = core.split('.');
    let major = parts.next()?;
    let minor = parts.next()?;
    if let Some(patch) = parts.next()
        && patch != "x"
        && (patch.is_empty() || !patch.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if parts.next().is_some() {
        return None;
    }
    RELEASES
        .into_iter()
        .find(|r| r.line() == format!("{major}.{minor}"))
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.modelled())
    }
}

impl std::str::FromStr for Release {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Release::parse(s)
    }
}

/// Where the modelled release came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chosen {
    /// `--ako-version` (or the repository config).
    Given,
    /// The AKO image of the cluster's StatefulSet.
    Detected(String),
    /// Neither: the default release.
    Default,
}

/// The release to model: the flag, else the one detected from the live
/// cluster's AKO image, else the default (2.2). The message says which and
/// why (e.g. an image tag that names no modelled release).
pub fn select(given: Option<Release>, image: Option<&str>) -> (Release, Chosen, Option<String>) {
    if let Some(r) = given {
        return (r, Chosen::Given, None);
    }
    match image.map(Release::from_image) {
        Some(Ok(r)) => {
            let image = image.unwrap_or_default().to_string();
            let msg = format!(
                "modelling AKO {r}: detected from the AKO image `{image}` of the cluster (override with --ako-version)"
            );
            (r, Chosen::Detected(image), Some(msg))
        }
        Some(Err(e)) => {
            let r = Release::default();
            (
                r,
                Chosen::Default,
                Some(format!("{e}; modelling AKO {r} (set --ako-version)")),
            )
        }
        None => (Release::default(), Chosen::Default, None),
    }
}

/// The snapshot as an older release's informers decode it: CRD fields its Go
/// types do not declare ([`Feature::CrdFields2_1`], [`Feature::CrdFields1_13`])
/// are dropped, each with a warning naming the object. `None` when nothing
/// changes (the release has every field, or no object sets one).
pub fn crd_view(snapshot: &Snapshot, release: Release) -> (Option<Snapshot>, Vec<Diagnostic>) {
    let old_2_1 = !release.has(Feature::CrdFields2_1);
    let old_1_13 = !release.has(Feature::CrdFields1_13);
    if !old_2_1 && !old_1_13 {
        return (None, Vec::new());
    }
    let mut s = snapshot.clone();
    let mut diags = Vec::new();
    let mut changed = false;
    let mut note =
        |kind: &str, ns: &str, name: &str, fields: Vec<&str>, o: &crate::model::Origin| {
            if fields.is_empty() {
                return;
            }
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    Some(format!("{kind} {ns}/{name}")),
                    format!(
                        "{} not known to AKO {release}'s {kind} type: ignored",
                        fields.join(", ")
                    ),
                )
                .at(o),
            );
        };
    if old_2_1 {
        for r in &mut s.l7_rules {
            let sp = &mut r.obj.spec;
            let mut f = Vec::new();
            macro_rules! drop_field {
                ($field:ident, $name:literal) => {
                    if sp.$field.take().is_some() {
                        f.push($name);
                    }
                };
            }
            drop_field!(analytics_profile, "analyticsProfile");
            drop_field!(application_profile, "applicationProfile");
            drop_field!(waf_policy, "wafPolicy");
            drop_field!(icap_profile, "icapProfile");
            drop_field!(error_page_profile, "errorPageProfile");
            drop_field!(http_policy, "httpPolicy");
            drop_field!(analytics_policy, "analyticsPolicy");
            changed |= !f.is_empty();
            if !f.is_empty() {
                // A status written by a release that saw these fields says
                // nothing about this one: validated afresh.
                r.obj.status = Default::default();
            }
            note("L7Rule", r.obj.namespace(), r.obj.name(), f, &r.origin);
        }
        for r in &mut s.l4_rules {
            let sp = &mut r.obj.spec;
            let mut f = Vec::new();
            // The type has no field, so no schema default either.
            if sp.revoke_vip_route.take() == Some(true) {
                f.push("revokeVipRoute");
            }
            changed = true;
            for b in &mut sp.backend_properties {
                if !b.health_monitor_crd_refs.is_empty() {
                    b.health_monitor_crd_refs.clear();
                    if !f.contains(&"backendProperties.healthMonitorCrdRefs") {
                        f.push("backendProperties.healthMonitorCrdRefs");
                    }
                }
            }
            if !f.is_empty() {
                // A status written by a release that saw these fields says
                // nothing about this one: validated afresh.
                r.obj.status = Default::default();
            }
            note("L4Rule", r.obj.namespace(), r.obj.name(), f, &r.origin);
        }
        for r in &mut s.host_rules {
            let logs = r
                .obj
                .spec
                .virtualhost
                .analytics_policy
                .as_mut()
                .and_then(|a| a.full_client_logs.as_mut());
            if let Some(l) = logs
                && l.duration.take().is_some()
            {
                changed = true;
                note(
                    "HostRule",
                    r.obj.namespace(),
                    r.obj.name(),
                    vec!["analyticsPolicy.fullClientLogs.duration"],
                    &r.origin,
                );
            }
        }
    }
    if old_1_13 {
        for r in &mut s.host_rules {
            let vh = &mut r.obj.spec.virtualhost;
            let mut f = Vec::new();
            if std::mem::take(&mut vh.use_regex) {
                f.push("useRegex");
            }
            if !std::mem::take(&mut vh.application_root_path).is_empty() {
                f.push("applicationRootPath");
            }
            changed |= !f.is_empty();
            if !f.is_empty() {
                r.obj.status = Default::default();
            }
            note("HostRule", r.obj.namespace(), r.obj.name(), f, &r.origin);
        }
        for r in &mut s.http_rules {
            let mut any = false;
            for p in &mut r.obj.spec.paths {
                any |= p.enable_http2.take().is_some();
            }
            changed |= any;
            if any {
                note(
                    "HTTPRule",
                    r.obj.namespace(),
                    r.obj.name(),
                    vec!["paths.enableHTTP2"],
                    &r.origin,
                );
            }
        }
    }
    (changed.then_some(s), diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_rejects_others() {
        assert_eq!(Release::parse("2.1.1"), Ok(Release::V2_1));
        assert_eq!(Release::parse("1.13.x"), Ok(Release::V1_13));
        assert_eq!(Release::parse("v1.12.3"), Ok(Release::V1_12));
        assert_eq!(Release::parse("2.2"), Ok(Release::V2_2));
        let e = Release::parse("1.11.5").unwrap_err();
        assert!(e.contains("2.2.x, 2.1.x, 1.13.x, 1.12.x"), "{e}");
        assert!(Release::parse("2.1.a").is_err());
        assert!(Release::parse("2").is_err());
    }

    #[test]
    fn image_tags() {
        assert_eq!(
            Release::from_image("projects.registry.vmware.com/ako/ako:1.12.3"),
            Ok(Release::V1_12)
        );
        assert_eq!(
            Release::from_image("registry:5000/ako/ako:2.1.1@sha256:abcd"),
            Ok(Release::V2_1)
        );
        assert!(Release::from_image("registry:5000/ako/ako").is_err());
        assert!(Release::from_image("ako:latest").is_err());
    }

    #[test]
    fn selection_prefers_flag_then_image() {
        let (r, c, m) = select(Some(Release::V1_13), Some("x/ako:2.1.1"));
        assert_eq!((r, c, m), (Release::V1_13, Chosen::Given, None));
        let (r, c, m) = select(None, Some("x/ako:2.1.1"));
        assert_eq!(r, Release::V2_1);
        assert_eq!(c, Chosen::Detected("x/ako:2.1.1".into()));
        assert!(m.unwrap().contains("2.1.1"));
        let (r, c, m) = select(None, Some("x/ako:latest"));
        assert_eq!((r, c), (Release::V2_2, Chosen::Default));
        assert!(m.unwrap().contains("latest"));
        assert_eq!(select(None, None).0, Release::V2_2);
    }

    #[test]
    fn features_by_release() {
        assert!(Release::V2_2.has(Feature::MetadataHttpRouteRuleName));
        assert!(!Release::V2_1.has(Feature::MetadataHttpRouteRuleName));
        assert!(Release::V2_1.has(Feature::PoolGracefulDisableTimeout));
        assert!(!Release::V1_13.has(Feature::PoolGracefulDisableTimeout));
        assert!(Release::V1_13.has(Feature::EndpointSlices));
        assert!(!Release::V1_12.has(Feature::EndpointSlices));
        // every feature has exactly one row
        for r in FEATURES {
            assert_eq!(
                FEATURES.iter().filter(|x| x.feature == r.feature).count(),
                1
            );
        }
    }
}
