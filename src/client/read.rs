//! Reading the current state and the cloud facts from a controller
//! (controller-API notes §2.6, §2.7; translation-core §1.1).

use std::sync::Arc;

use serde_json::Value;
use tokio::task::JoinSet;

use super::{Client, ClientError};
use crate::model::AviType;
use crate::plan::normalize::canonical_ref;
use crate::plan::state::{CurrentObject, State, StateOrigin, tenant_of_body};
use crate::settings::{CloudFacts, Settings};

/// Progress of a state read, for a progress bar.
#[derive(Clone, Debug)]
pub enum ReadEvent {
    /// The number of collections to read.
    Started { collections: usize },
    /// One collection read completely.
    Collection { kind: AviType, objects: usize },
}

pub type Progress = Arc<dyn Fn(ReadEvent) + Send + Sync>;

/// One collection query.
struct Query {
    kind: AviType,
    params: Vec<(&'static str, String)>,
    tenant: String,
}

/// The queries that cover every object this AKO could own or collide with.
///
/// AKO filters its own reads by `created_by` (`internal/cache/controller_obj_cache.go`
/// `AviPopulateAllPools` and siblings); akoctl instead reads every object
/// whose name contains the cluster name (all AKO names do: `<cluster>--…`,
/// `ako-<cluster>-…`), so that a desired name held by someone else shows up
/// as a conflict. Ownership is then decided exactly, client-side
/// ([`crate::plan::owned`]). Cloud-scoped types are filtered by
/// `cloud_ref.name` as AKO does. The VRF is read by name in the AKO tenant
/// (`AviObjVrfCachePopulate`).
fn queries(s: &Settings) -> Vec<Query> {
    let all = "*".to_string();
    let contains = ("name.contains", s.cluster_name.clone());
    let cloud = ("cloud_ref.name", s.cloud_name.clone());
    let mut q = Vec::new();
    for kind in AviType::ALL {
        let params = match kind {
            AviType::Vrfcontext => continue,
            AviType::Virtualservice | AviType::Pool | AviType::Poolgroup | AviType::Vsvip => {
                vec![contains.clone(), cloud.clone()]
            }
            _ => vec![contains.clone()],
        };
        q.push(Query {
            kind,
            params,
            tenant: all.clone(),
        });
    }
    if s.static_routes_enabled() {
        q.push(Query {
            kind: AviType::Vrfcontext,
            params: vec![("name", s.cloud.vrf.clone()), cloud],
            tenant: s.tenant_name.clone(),
        });
    }
    q
}

/// Read the current state: every object that matters to this cluster, with
/// `include_name`, all collections and pages at once within the client's
/// `concurrency`.
pub async fn read_state(
    client: &Client,
    settings: &Settings,
    progress: Option<Progress>,
) -> Result<State, ClientError> {
    let qs = queries(settings);
    if let Some(p) = &progress {
        p(ReadEvent::Started {
            collections: qs.len(),
        });
    }
    // Every collection at once: the client bounds the GETs in flight.
    let mut set = JoinSet::new();
    for (idx, q) in qs.into_iter().enumerate() {
        let client = client.clone();
        let progress = progress.clone();
        set.spawn(async move {
            let params: Vec<(&str, &str)> =
                q.params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = client
                .list_with(q.kind.as_str(), &params, &q.tenant, name_facts)
                .await;
            if let (Ok(objs), Some(p)) = (&r, &progress) {
                p(ReadEvent::Collection {
                    kind: q.kind,
                    objects: objs.len(),
                });
            }
            (idx, q.kind, q.tenant, r)
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(r) => results.push(r),
            Err(e) => {
                return Err(ClientError::Transport {
                    method: "GET".into(),
                    path: "(read)".into(),
                    message: e.to_string(),
                });
            }
        }
    }
    // Deterministic whatever the completion order.
    results.sort_by_key(|r| r.0);
    let mut state = State {
        origin: StateOrigin::Controller {
            url: client.base().to_string(),
            version: client.controller_version().await,
        },
        ..State::default()
    };
    let mut objects = Vec::new();
    for (_, kind, tenant, r) in results {
        for (body, facts) in r? {
            // uuid -> name for every object read and every `#name` ref seen,
            // in the order `collect_names` would record them.
            facts.record(&mut state.ref_names);
            objects.push((kind, tenant.clone(), body));
        }
    }
    for (kind, query_tenant, body) in objects {
        let Some(name) = body.get("name").and_then(Value::as_str).map(String::from) else {
            continue;
        };
        // A VRF context is keyed where compile puts it
        // (`compile::vrf::vrf_tenant`): `global` in `admin`, where AKO's
        // PUT with its own tenant is refused and repeated (`internal/rest/
        // rest_operation.go` `AviRestOperate`); another VRF under AKO's
        // tenant, with which `AviVrfBuild` writes it.
        let own_tenant = (kind == AviType::Vrfcontext && query_tenant != "*" && name != "global")
            .then(|| query_tenant.clone());
        let tenant = own_tenant
            .or_else(|| tenant_of_body(&body, &state.ref_names))
            .unwrap_or_else(|| {
                if query_tenant == "*" {
                    "admin".to_string()
                } else {
                    query_tenant.clone()
                }
            });
        let uuid = body.get("uuid").and_then(Value::as_str).map(String::from);
        let last_modified = body
            .get("_last_modified")
            .and_then(Value::as_str)
            .map(String::from);
        let mut body = body;
        crate::plan::normalize::strip_secrets(&mut body);
        state.push(CurrentObject {
            kind,
            name,
            tenant,
            uuid,
            last_modified,
            body,
        });
    }
    Ok(state)
}

/// What [`collect_names`] would record of one object, gathered where its
/// page is parsed and recorded later in read order.
#[derive(Debug, Default)]
pub(crate) struct NameFacts(Vec<(String, String, bool)>);

impl NameFacts {
    /// An object's own `uuid`/`name` replace what is known; a ref's name
    /// only fills a gap.
    fn record(self, names: &mut crate::plan::normalize::RefNames) {
        for (uuid, name, own) in self.0 {
            if own || !names.contains_key(&uuid) {
                names.insert(uuid, name);
            }
        }
    }
}

fn name_facts(v: &Value) -> NameFacts {
    let mut facts = NameFacts::default();
    walk_names(v, &mut |uuid, name, own| {
        // Within one object a ref seen before adds nothing (an object holds
        // a few refs: a scan is cheaper than a map).
        if own || !facts.0.iter().any(|(u, _, _)| u == uuid) {
            facts.0.push((uuid.to_string(), name.to_string(), own));
        }
    });
    facts
}

/// Record `uuid -> name` from an object and from every `…/<uuid>#<name>` ref in it.
pub(crate) fn collect_names(v: &Value, names: &mut crate::plan::normalize::RefNames) {
    walk_names(v, &mut |uuid, name, own| {
        if own || !names.contains_key(uuid) {
            names.insert(uuid.to_string(), name.to_string());
        }
    });
}

/// Every `(uuid, name)` of an object, in order: `own` for a map's own
/// `uuid` and `name`, not for one taken from a `…/<uuid>#<name>` ref.
fn walk_names(v: &Value, f: &mut dyn FnMut(&str, &str, bool)) {
    match v {
        Value::Object(m) => {
            if let (Some(Value::String(u)), Some(Value::String(n))) = (m.get("uuid"), m.get("name"))
            {
                f(u, n, true);
            }
            for x in m.values() {
                walk_names(x, f);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk_names(x, f)),
        Value::String(s) if s.contains("/api/") && s.contains('#') => {
            if let Some((path, name)) = s.rsplit_once('#')
                && let Some(uuid) = path
                    .rsplit('/')
                    .next()
                    .filter(|u| !u.is_empty() && !u.contains('?'))
            {
                f(uuid, name, false);
            }
        }
        _ => {}
    }
}

/// The facts AKO reads from the controller at boot (translation-core §1.1):
///
/// - cloud type: `vtype` of `/api/cloud?name=<cloudName>`
///   (`internal/cache/controller_obj_cache.go` `checkAndSetCloudType`);
/// - DNS sub-domains: `/api/ipamdnsproviderprofiledomainlist?cloud_uuid=<uuid>`
///   `domains` (`AviDNSPropertyPopulate`; an error there means none);
/// - license tier: `/api/systemconfiguration` `default_license_tier`
///   (`internal/lib/control_config.go` `SetLicenseType`);
/// - VRF: [`resolve_vrf`];
/// - NSX-T transport zone: `nsxt_configuration.data_network_config.tz_type`
///   of the same cloud (`checkAndSetCloudType`, `AviCloudPropertiesPopulate`).
pub async fn read_cloud_facts(client: &Client, s: &Settings) -> Result<CloudFacts, ClientError> {
    let clouds = client
        .list("cloud", &[("name", s.cloud_name.as_str())], "admin")
        .await?;
    let Some(cloud) = clouds.first() else {
        return Err(ClientError::Decode {
            path: format!("/api/cloud?name={}", s.cloud_name),
            message: format!(
                "cloud {:?} does not exist on the controller (AKO would not start)",
                s.cloud_name
            ),
        });
    };
    let cloud_type = cloud
        .get("vtype")
        .and_then(Value::as_str)
        .unwrap_or("CLOUD_NONE")
        .to_string();
    let uuid = cloud
        .get("uuid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let dns_subdomains = match client
        .get(
            &format!(
                "/api/ipamdnsproviderprofiledomainlist?cloud_uuid={}",
                super::query_escape(&uuid)
            ),
            "admin",
        )
        .await
    {
        Ok(v) => v
            .get("domains")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let default_license_tier = match client.get("/api/systemconfiguration", "admin").await {
        Ok(v) => v
            .get("default_license_tier")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        Err(_) => String::new(),
    };
    let vrf = resolve_vrf(client, s, &cloud_type).await?;
    let nsxt_transport_zone = cloud
        .pointer("/nsxt_configuration/data_network_config/tz_type")
        .and_then(Value::as_str)
        .filter(|_| cloud_type == "CLOUD_NSXT")
        .unwrap_or("")
        .to_string();
    Ok(CloudFacts {
        cloud_type,
        dns_subdomains,
        default_license_tier,
        vrf,
        nsxt_transport_zone,
    })
}

/// The VRF AKO uses (`internal/cache/controller_obj_cache.go`
/// `checkAndSetVRFFromNetwork`): public clouds use `global`; NodePort mode and
/// a set `vrfName` use `vrfName` (or `global`); no VIP network means
/// `global`; otherwise the VRF of the first VIP network. (The NSX-T overlay
/// lookup by T1 path is not done here: such clouds fall back to the network's
/// VRF.)
pub async fn resolve_vrf(
    client: &Client,
    s: &Settings,
    cloud_type: &str,
) -> Result<String, ClientError> {
    let global = || "global".to_string();
    let named = || {
        if s.vrf_name.is_empty() {
            global()
        } else {
            s.vrf_name.clone()
        }
    };
    if matches!(
        cloud_type,
        "CLOUD_AWS" | "CLOUD_AZURE" | "CLOUD_GCP" | "CLOUD_OPENSTACK"
    ) {
        return Ok(global());
    }
    if s.service_type != crate::settings::ServiceType::ClusterIp || !s.vrf_name.is_empty() {
        return Ok(named());
    }
    let Some(net) = s.vip_networks.first() else {
        return Ok(global());
    };
    let found = if !net.network_uuid.is_empty() {
        match client
            .get(
                &format!(
                    "/api/network/{}?include_name=true",
                    super::query_escape(&net.network_uuid)
                ),
                "admin",
            )
            .await
        {
            Ok(v) => Some(v),
            Err(ClientError::Api { status: 404, .. }) => None,
            Err(e) => return Err(e),
        }
    } else {
        client
            .list(
                "network",
                &[
                    ("name", net.network_name.as_str()),
                    ("cloud_ref.name", s.cloud_name.as_str()),
                ],
                "admin",
            )
            .await?
            .into_iter()
            .next()
    };
    let vrf = found
        .as_ref()
        .and_then(|n| n.get("vrf_context_ref"))
        .and_then(Value::as_str)
        .map(|r| canonical_ref(r, &Default::default()))
        .and_then(|r| r.strip_prefix("/api/vrfcontext/?name=").map(String::from));
    Ok(vrf.unwrap_or_else(global))
}

/// A ref in a desired object to an object that must already exist on the
/// controller (cloud, SE group, VRF, profiles, health monitors, networks,
/// tenant) but does not: `apply` would fail with 400 "object not found".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingRef {
    /// `type/tenant/name` of the referring object.
    pub from: String,
    pub kind: String,
    pub name: String,
}

/// Check the pre-existing objects the desired set refers to (controller-API
/// notes §2.7 step 3). Refs to objects akoctl itself manages are not checked
/// (they are in the plan), except the VRF, which AKO never creates.
pub async fn missing_refs(
    client: &Client,
    desired: &crate::model::ObjectSet,
) -> Result<Vec<MissingRef>, ClientError> {
    let names = crate::plan::normalize::RefNames::new();
    let mut wanted: std::collections::BTreeMap<(String, String, String), String> =
        std::collections::BTreeMap::new();
    for o in &desired.objects {
        let mut refs = Vec::new();
        collect_refs(&o.body, &mut refs);
        for r in refs {
            let c = canonical_ref(&r, &names);
            let Some((kind, name)) = c
                .strip_prefix("/api/")
                .and_then(|x| x.split_once("/?name="))
            else {
                continue;
            };
            if AviType::parse(kind).is_some_and(|t| t != AviType::Vrfcontext) || name.is_empty() {
                continue;
            }
            let tenant = if kind == "tenant" {
                "admin".to_string()
            } else {
                o.tenant.clone()
            };
            wanted
                .entry((kind.to_string(), name.to_string(), tenant))
                .or_insert_with(|| format!("{}/{}/{}", o.kind, o.tenant, o.name));
        }
    }
    let mut missing = Vec::new();
    for ((kind, name, tenant), from) in wanted {
        let found = client
            .list(&kind, &[("name", name.as_str())], &tenant)
            .await?;
        if found.is_empty() {
            missing.push(MissingRef { from, kind, name });
        }
    }
    Ok(missing)
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match x {
                    Value::String(s) if k.ends_with("_ref") && !s.is_empty() => out.push(s.clone()),
                    Value::Array(a) if k.ends_with("_refs") => {
                        out.extend(a.iter().filter_map(|e| e.as_str().map(String::from)))
                    }
                    _ => collect_refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}
