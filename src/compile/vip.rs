//! Shared builders for the VIP side of every virtual service and for pool
//! placement: the `vsvip` body (translation-core.md §4.2 "vsvip body", §4.9),
//! pool `placement_networks` (§4.9), the VRF / tier-1 choice and the Istio
//! pool fields.
//!
//! Used by L4 (`l4.rs`) and by the Ingress shard / dedicated virtual services.
//!
//! API summary:
//! * [`vrf_name`], [`t1lr`]: where VIPs and pools live;
//! * [`VsvipSpec`] + [`vsvip_body`]: the whole `vsvip` REST body;
//! * [`vip_list`]: only its `vip` list;
//! * [`pool_placement_networks`]: `placement_networks` of any pool (or `None`);
//! * [`pool_vrf_fields`]: `vrf_ref` or `tier1_lr` of any pool;
//! * [`istio_pool_fields`]: the three refs every pool gets with `istioEnabled`.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde_json::{Map, Value, json};

use super::common::{api_ref, cluster_markers, plain_name_of, tenant_ref};
use super::crd::infra::Infra;
use crate::names::table;
use crate::settings::{NodeNetwork, Settings, VipNetwork};

/// The network side of one virtual service: the global settings, or the
/// values an AviInfraSetting replaces (translation-extended.md §2.4). AKO:
/// `internal/nodes/avi_model_l7_translator.go` `buildWithInfraSetting`,
/// `buildPoolWithInfraSetting`; `avi_model_l4_translator.go` `getL4InfraSetting`.
#[derive(Clone, Debug, Default)]
pub struct Net {
    pub vip_networks: Vec<VipNetwork>,
    pub node_networks: Vec<NodeNetwork>,
    pub enable_rhi: bool,
    /// `bgp_peer_labels` of the vsvip (only used with RHI on).
    pub bgp_peer_labels: Vec<String>,
    /// `network.enablePublicIP` (public clouds only).
    pub enable_public_ip: Option<bool>,
    /// Tier-1 logical router path, empty when none.
    pub t1lr: String,
    /// SE group of a parent, dedicated or L4 VS.
    pub se_group: String,
}

impl Net {
    /// The global values.
    pub fn global(s: &Settings) -> Net {
        Net {
            vip_networks: s.vip_networks.clone(),
            node_networks: if s.service_type == crate::settings::ServiceType::NodePort
                && !s.release.has(crate::release::Feature::NodePortNodeNetworks)
            {
                Vec::new()
            } else {
                s.node_networks.clone()
            },
            enable_rhi: s.enable_rhi,
            bgp_peer_labels: s.bgp_peer_labels.clone(),
            enable_public_ip: None,
            t1lr: s.nsxt_t1_lr.clone(),
            se_group: s.se_group_name.clone(),
        }
    }

    /// The global values with those of `infra` (if any) laid over them.
    pub fn with_infra(s: &Settings, infra: Option<&Infra>) -> Net {
        let mut n = Net::global(s);
        if let Some(i) = infra {
            if let Some(v) = i.vip_networks() {
                n.vip_networks = v;
            }
            if let Some(v) = i.node_networks() {
                n.node_networks = v;
            }
            n.enable_rhi = i.enable_rhi(s);
            n.bgp_peer_labels = i.bgp_peer_labels(s);
            n.enable_public_ip = i.enable_public_ip();
            if let Some(t) = i.t1lr() {
                n.t1lr = t.to_string();
            }
            n.se_group = i.se_group_or(s).to_string();
        }
        n
    }

    /// `t1lr` when set.
    pub fn t1lr(&self) -> Option<&str> {
        (!self.t1lr.is_empty()).then_some(self.t1lr.as_str())
    }
}

/// The VRF every `vrf_context_ref` / `vrf_ref` names and the vrfcontext that
/// holds static routes (translation-core.md §1.1). AKO: `internal/lib/lib.go`
/// `GetVrf` (empty means `global`).
pub fn vrf_name(settings: &Settings) -> String {
    if settings.cloud.vrf.is_empty() {
        "global".to_string()
    } else {
        settings.cloud.vrf.clone()
    }
}

/// The NSX-T tier-1 logical router path when set (`NetworkSettings.nsxtT1LR`).
/// With it, vsvip and pools carry `tier1_lr` and lose their VRF reference.
/// AKO: `internal/lib/lib.go` `GetT1LRPath`.
pub fn t1lr(settings: &Settings) -> Option<&str> {
    let t = settings.nsxt_t1_lr.as_str();
    (!t.is_empty()).then_some(t)
}

/// Public clouds that get one VIP per network entry (GCP excluded).
/// AKO: `internal/lib/lib.go` `IsPublicCloud`; `internal/rest/avi_obj_vsvip.go` `AviVsVipBuild`.
fn is_multi_vip_public_cloud(settings: &Settings) -> bool {
    matches!(
        settings.cloud.cloud_type.as_str(),
        "CLOUD_AWS" | "CLOUD_AZURE" | "CLOUD_OPENSTACK"
    )
}

/// Clouds whose pools get node-network placement: vCenter, and NSX-T with a
/// VLAN transport zone (cloud fact `nsxtTransportZone`).
/// AKO: `internal/lib/lib.go` `IsNodeNetworkAllowedCloud`.
fn node_network_allowed_cloud(settings: &Settings) -> bool {
    settings.cloud.cloud_type == "CLOUD_VCENTER" || settings.cloud.is_nsxt_vlan()
}

/// What a vsvip is made of.
#[derive(Clone, Debug, Default)]
pub struct VsvipSpec {
    pub name: String,
    pub tenant: String,
    /// FQDNs for `dns_info`; sorted and deduplicated by [`vsvip_body`].
    pub fqdns: Vec<String>,
    /// Requested VIP address (`spec.loadBalancerIP` or annotation), if any.
    pub requested_ip: Option<String>,
}

/// `vsvip.vip` (translation-core.md §4.9). AKO: `internal/rest/avi_obj_vsvip.go`
/// `AviVsVipBuild` (POST branch), `networkNamesToVips`; `internal/lib/lib.go` `UpdateV6`.
pub fn vip_list(settings: &Settings, requested_ip: Option<&str>) -> Value {
    vip_list_net(settings, &Net::global(settings), requested_ip)
}

/// [`vip_list`] with the networks of `net`; `enable_public_ip` goes on every
/// VIP on public clouds (`AviVsVipBuild`).
pub fn vip_list_net(settings: &Settings, net: &Net, requested_ip: Option<&str>) -> Value {
    let mut v = vip_entries(settings, net, requested_ip);
    if let (Some(p), true) = (net.enable_public_ip, is_public_cloud(settings))
        && let Some(a) = v.as_array_mut()
    {
        for vip in a {
            vip["enable_public_ip"] = json!(p);
        }
    }
    v
}

/// `internal/lib/lib.go` `IsPublicCloud`.
fn is_public_cloud(settings: &Settings) -> bool {
    is_multi_vip_public_cloud(settings) || settings.cloud.cloud_type == "CLOUD_GCP"
}

fn vip_entries(settings: &Settings, net: &Net, requested_ip: Option<&str>) -> Value {
    let nets = &net.vip_networks;
    if is_multi_vip_public_cloud(settings) && !nets.is_empty() {
        // One VIP per network, subnet by name; the requested address is not used here.
        let vips: Vec<Value> = nets
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut v = json!({
                    "vip_id": (i + 1).to_string(),
                    "auto_allocate_ip": true,
                    "subnet_uuid": n.network_name,
                });
                if !n.v6cidr.is_empty() {
                    v["auto_allocate_ip_type"] = json!(v6_alloc_type(&n.cidr));
                }
                v
            })
            .collect();
        return Value::Array(vips);
    }
    let mut vip = json!({"vip_id": "0", "auto_allocate_ip": true});
    if let Some(ip) = requested_ip.filter(|ip| !ip.is_empty()) {
        if is_v4(ip) {
            vip["ip_address"] = json!({"addr": ip, "type": "V4"});
        } else {
            vip["ip6_address"] = json!({"addr": ip, "type": "V6"});
        }
    }
    if !is_multi_vip_public_cloud(settings)
        && let Some(n) = nets.first()
    {
        let network_ref = network_ref(&n.network_name, &n.network_uuid);
        let mut subnet = json!({"network_ref": network_ref});
        if let Some((addr, mask)) = split_cidr(&n.cidr) {
            subnet["subnet"] = json!({"ip_addr": {"addr": addr, "type": "V4"}, "mask": mask});
        }
        if let Some((addr, mask)) = split_cidr(&n.v6cidr) {
            subnet["subnet6"] = json!({"ip_addr": {"addr": addr, "type": "V6"}, "mask": mask});
        }
        vip["ipam_network_subnet"] = subnet;
        // NSX-T VLAN zone: the VIP network's IPv4 subnet (network address,
        // as `net.ParseCIDR` gives it) is also the VIP's placement network.
        // AKO: `internal/rest/avi_obj_vsvip.go` `setVipPlacementNetwork`.
        if settings.cloud.is_nsxt_vlan()
            && let Some((addr, mask, false)) = network_of(&n.cidr)
        {
            vip["placement_networks"] = json!([{
                "network_ref": network_ref,
                "subnet": {"ip_addr": {"addr": addr, "type": "V4"}, "mask": mask},
            }]);
        }
        if !n.v6cidr.is_empty() {
            vip["auto_allocate_ip_type"] = json!(v6_alloc_type(&n.cidr));
        }
    }
    json!([vip])
}

/// `UpdateV6`: both families when a v4 CIDR is also given.
fn v6_alloc_type(v4cidr: &str) -> &'static str {
    if v4cidr.is_empty() {
        "V6_ONLY"
    } else {
        "V4_V6"
    }
}

/// `/api/network/<uuid>` when a UUID is known, else by name.
fn network_ref(name: &str, uuid: &str) -> String {
    if uuid.is_empty() {
        api_ref("network", name)
    } else {
        format!("/api/network/{uuid}")
    }
}

/// `a.b.c.d/m` split as AKO does (address kept as written, mask parsed).
fn split_cidr(cidr: &str) -> Option<(String, i64)> {
    if cidr.is_empty() {
        return None;
    }
    let (addr, mask) = cidr.split_once('/')?;
    Some((addr.to_string(), mask.trim().parse().unwrap_or(0)))
}

/// Go `net.ParseIP(s).To4() != nil` (AKO `pkg/utils/utils.go` `IsV4`): IPv4,
/// including IPv4-mapped IPv6.
pub fn is_v4(s: &str) -> bool {
    match s.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => true,
        Ok(IpAddr::V6(a)) => a.to_ipv4_mapped().is_some(),
        Err(_) => false,
    }
}

/// k8s `net.IsIPv6String`: parses and is not IPv4.
pub fn is_v6(s: &str) -> bool {
    matches!(s.parse::<IpAddr>(), Ok(IpAddr::V6(a)) if a.to_ipv4_mapped().is_none())
}

/// The whole vsvip body (translation-core.md §4.2 "vsvip body"). AKO:
/// `internal/rest/avi_obj_vsvip.go` `AviVsVipBuild` (POST branch). No
/// `created_by`; markers are clustername only; `dns_info` sorted and
/// deduplicated (`AviVSVIPNode.CalculateCheckSum`); `bgp_peer_labels` sorted,
/// only with RHI on.
pub fn vsvip_body(settings: &Settings, spec: &VsvipSpec) -> Value {
    vsvip_body_net(settings, &Net::global(settings), spec)
}

/// [`vsvip_body`] with the networks, RHI labels and tier-1 of `net`.
pub fn vsvip_body_net(settings: &Settings, net: &Net, spec: &VsvipSpec) -> Value {
    let mut b = Map::new();
    b.insert("name".into(), json!(spec.name));
    b.insert("tenant_ref".into(), json!(tenant_ref(&spec.tenant)));
    b.insert(
        "cloud_ref".into(),
        json!(api_ref("cloud", &settings.cloud_name)),
    );
    b.insert("east_west_placement".into(), json!(false));
    let mut fqdns = spec.fqdns.clone();
    fqdns.sort();
    fqdns.dedup();
    if !fqdns.is_empty() {
        let dns: Vec<Value> = fqdns.iter().map(|f| json!({"fqdn": f})).collect();
        b.insert("dns_info".into(), Value::Array(dns));
    }
    b.insert(
        "vip".into(),
        vip_list_net(settings, net, spec.requested_ip.as_deref()),
    );
    match net.t1lr() {
        Some(t) => {
            b.insert("tier1_lr".into(), json!(t));
        }
        None => {
            b.insert(
                "vrf_context_ref".into(),
                json!(api_ref("vrfcontext", &vrf_name(settings))),
            );
        }
    }
    if net.enable_rhi && !net.bgp_peer_labels.is_empty() {
        let mut labels = net.bgp_peer_labels.clone();
        labels.sort();
        b.insert("bgp_peer_labels".into(), json!(labels));
    }
    b.insert("markers".into(), cluster_markers(settings));
    Value::Object(b)
}

/// Pool `placement_networks` (translation-core.md §4.9), `None` when the field
/// is not sent. AKO: `internal/lib/lib.go` `GetNodeNetworkMapEnv` (entries keyed
/// by UUID when given, else by name; a later duplicate replaces an earlier one),
/// `internal/rest/avi_obj_pool.go` `AviPoolBuild` (networks in key order here,
/// AKO iterates a map; an unparsable CIDR ends that network's list).
pub fn pool_placement_networks(settings: &Settings) -> Option<Value> {
    pool_placement_networks_net(settings, &Net::global(settings))
}

/// [`pool_placement_networks`] from the node networks of `net`.
pub fn pool_placement_networks_net(settings: &Settings, net: &Net) -> Option<Value> {
    if !node_network_allowed_cloud(settings) {
        return None;
    }
    let mut by_key: BTreeMap<&str, (&str, &[String])> = BTreeMap::new();
    for n in &net.node_networks {
        if !n.network_uuid.is_empty() {
            by_key.insert(&n.network_uuid, (&n.network_uuid, &n.cidrs));
        } else if !n.network_name.is_empty() {
            by_key.insert(&n.network_name, ("", &n.cidrs));
        }
    }
    let mut out = Vec::new();
    for (key, (uuid, cidrs)) in by_key {
        let nref = if uuid.is_empty() {
            api_ref("network", key)
        } else {
            format!("/api/network/{uuid}")
        };
        for cidr in cidrs {
            let Some((net, mask, v6)) = network_of(cidr) else {
                break;
            };
            out.push(json!({
                "network_ref": nref,
                "subnet": {"ip_addr": {"addr": net, "type": if v6 { "V6" } else { "V4" }}, "mask": mask},
            }));
        }
    }
    (!out.is_empty()).then_some(Value::Array(out))
}

/// Network address, prefix length and family of a CIDR (Go `net.ParseCIDR`).
pub fn network_of(cidr: &str) -> Option<(String, u8, bool)> {
    let (addr, mask) = cidr.split_once('/')?;
    let mask: u8 = mask.parse().ok()?;
    match addr.parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => {
            if mask > 32 {
                return None;
            }
            let bits = u32::from(a)
                & if mask == 0 {
                    0
                } else {
                    u32::MAX << (32 - mask)
                };
            Some((std::net::Ipv4Addr::from(bits).to_string(), mask, false))
        }
        IpAddr::V6(a) => {
            if mask > 128 {
                return None;
            }
            let bits = u128::from(a)
                & if mask == 0 {
                    0
                } else {
                    u128::MAX << (128 - mask)
                };
            Some((std::net::Ipv6Addr::from(bits).to_string(), mask, true))
        }
    }
}

/// `vrf_ref` (or `tier1_lr` with a T1 path) of a pool. AKO:
/// `internal/rest/avi_obj_pool.go` `AviPoolBuild`.
pub fn pool_vrf_fields(settings: &Settings, body: &mut Map<String, Value>) {
    pool_vrf_fields_net(settings, &Net::global(settings), body)
}

/// [`pool_vrf_fields`] with the tier-1 of `net`.
pub fn pool_vrf_fields_net(settings: &Settings, net: &Net, body: &mut Map<String, Value>) {
    match net.t1lr() {
        Some(t) => {
            body.insert("tier1_lr".into(), json!(t));
        }
        None => {
            body.insert(
                "vrf_ref".into(),
                json!(api_ref("vrfcontext", &vrf_name(settings))),
            );
        }
    }
}

/// With `istioEnabled` every pool gets the Istio PKI profile, workload
/// certificate and `System-Standard` SSL profile. AKO:
/// `internal/nodes/avi_model_nodes.go` `UpdatePoolNodeForIstio`;
/// `internal/lib/lib.go` `GetIstioPKIProfileName`, `GetIstioWorkloadCertificateName`.
pub fn istio_pool_fields(settings: &Settings, body: &mut Map<String, Value>) {
    if !settings.istio_enabled {
        return;
    }
    let ns = [("ako-namespace", settings.ako_namespace.as_str())];
    let pki = plain_name_of(settings, &table::ISTIO_PKI_PROFILE, &ns);
    body.insert("pki_profile_ref".into(), json!(api_ref("pkiprofile", &pki)));
    let cert = plain_name_of(settings, &table::ISTIO_WORKLOAD_CERT, &ns);
    body.insert(
        "ssl_key_and_certificate_ref".into(),
        json!(api_ref("sslkeyandcertificate", &cert)),
    );
    body.insert(
        "ssl_profile_ref".into(),
        json!(api_ref("sslprofile", "System-Standard")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{NodeNetwork, VipNetwork};

    fn base() -> Settings {
        Settings {
            cluster_name: "c".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn vip_with_network_and_cidrs() {
        let mut s = base();
        s.vip_networks = vec![VipNetwork {
            network_name: "vip-net".into(),
            cidr: "10.10.10.0/24".into(),
            v6cidr: "2001:db8::/64".into(),
            ..VipNetwork::default()
        }];
        let v = vip_list(&s, None);
        assert_eq!(v[0]["vip_id"], "0");
        assert_eq!(
            v[0]["ipam_network_subnet"]["network_ref"],
            "/api/network/?name=vip-net"
        );
        assert_eq!(
            v[0]["ipam_network_subnet"]["subnet"]["ip_addr"]["addr"],
            "10.10.10.0"
        );
        assert_eq!(v[0]["ipam_network_subnet"]["subnet"]["mask"], 24);
        assert_eq!(
            v[0]["ipam_network_subnet"]["subnet6"]["ip_addr"]["type"],
            "V6"
        );
        assert_eq!(v[0]["auto_allocate_ip_type"], "V4_V6");
    }

    #[test]
    fn vip_v6_only_and_uuid_ref() {
        let mut s = base();
        s.vip_networks = vec![VipNetwork {
            network_name: "n".into(),
            network_uuid: "network-1".into(),
            v6cidr: "2001:db8::/64".into(),
            ..VipNetwork::default()
        }];
        let v = vip_list(&s, Some("2001:db8::5"));
        assert_eq!(
            v[0]["ipam_network_subnet"]["network_ref"],
            "/api/network/network-1"
        );
        assert!(v[0]["ipam_network_subnet"].get("subnet").is_none());
        assert_eq!(v[0]["auto_allocate_ip_type"], "V6_ONLY");
        assert_eq!(v[0]["ip6_address"]["addr"], "2001:db8::5");
    }

    #[test]
    fn vip_without_networks_is_base_plus_ip() {
        let s = base();
        let v = vip_list(&s, Some("80.80.80.80"));
        assert_eq!(
            v,
            json!([{"vip_id": "0", "auto_allocate_ip": true, "ip_address": {"addr": "80.80.80.80", "type": "V4"}}])
        );
    }

    #[test]
    fn public_cloud_one_vip_per_network() {
        let mut s = base();
        s.cloud.cloud_type = "CLOUD_AWS".into();
        s.vip_networks = vec![
            VipNetwork {
                network_name: "subnet-a".into(),
                ..VipNetwork::default()
            },
            VipNetwork {
                network_name: "subnet-b".into(),
                v6cidr: "2001:db8::/64".into(),
                ..VipNetwork::default()
            },
        ];
        let v = vip_list(&s, Some("1.2.3.4"));
        assert_eq!(v[0]["vip_id"], "1");
        assert_eq!(v[0]["subnet_uuid"], "subnet-a");
        assert!(v[0].get("ip_address").is_none());
        assert_eq!(v[1]["vip_id"], "2");
        assert_eq!(v[1]["auto_allocate_ip_type"], "V6_ONLY");
    }

    #[test]
    fn vsvip_body_fields() {
        let mut s = base();
        s.enable_rhi = true;
        s.bgp_peer_labels = vec!["b".into(), "a".into()];
        let b = vsvip_body(
            &s,
            &VsvipSpec {
                name: "c--ns-svc".into(),
                tenant: "admin".into(),
                fqdns: vec!["z.com".into(), "a.com".into(), "z.com".into()],
                requested_ip: None,
            },
        );
        assert_eq!(b["dns_info"], json!([{"fqdn": "a.com"}, {"fqdn": "z.com"}]));
        assert_eq!(b["bgp_peer_labels"], json!(["a", "b"]));
        assert_eq!(b["vrf_context_ref"], "/api/vrfcontext/?name=global");
        assert_eq!(b["east_west_placement"], false);
        assert!(b.get("created_by").is_none());
        let mut t = base();
        t.nsxt_t1_lr = "/infra/tier-1s/t1".into();
        let b = vsvip_body(&t, &VsvipSpec::default());
        assert_eq!(b["tier1_lr"], "/infra/tier-1s/t1");
        assert!(b.get("vrf_context_ref").is_none());
        assert!(b.get("dns_info").is_none());
    }

    #[test]
    fn placement_networks_network_address_and_order() {
        let mut s = base();
        s.node_networks = vec![
            NodeNetwork {
                network_name: "zeta".into(),
                cidrs: vec!["10.79.170.5/22".into()],
                ..NodeNetwork::default()
            },
            NodeNetwork {
                network_name: "alpha".into(),
                network_uuid: "dvportgroup-1".into(),
                cidrs: vec!["fd00::1/64".into(), "bad".into(), "10.0.0.0/8".into()],
            },
        ];
        let p = pool_placement_networks(&s).unwrap_or_default();
        assert_eq!(
            p,
            json!([
                {"network_ref": "/api/network/dvportgroup-1", "subnet": {"ip_addr": {"addr": "fd00::", "type": "V6"}, "mask": 64}},
                {"network_ref": "/api/network/?name=zeta", "subnet": {"ip_addr": {"addr": "10.79.168.0", "type": "V4"}, "mask": 22}},
            ])
        );
        s.cloud.cloud_type = "CLOUD_AWS".into();
        assert!(pool_placement_networks(&s).is_none());
    }

    #[test]
    fn net_overrides_reach_vsvip_and_placement() {
        let mut s = base();
        s.cloud.cloud_type = "CLOUD_VCENTER".into();
        s.vip_networks = vec![VipNetwork {
            network_name: "global-vip".into(),
            ..VipNetwork::default()
        }];
        let mut net = Net::global(&s);
        net.vip_networks[0].network_name = "infra-vip".into();
        net.node_networks = vec![NodeNetwork {
            network_name: "infra-node".into(),
            cidrs: vec!["10.0.0.9/16".into()],
            ..NodeNetwork::default()
        }];
        net.enable_rhi = true;
        net.bgp_peer_labels = vec!["p".into()];
        net.enable_public_ip = Some(true);
        let spec = VsvipSpec::default();
        let b = vsvip_body_net(&s, &net, &spec);
        assert_eq!(
            b["vip"][0]["ipam_network_subnet"]["network_ref"],
            "/api/network/?name=infra-vip"
        );
        assert_eq!(b["bgp_peer_labels"], json!(["p"]));
        // Public IP only on public clouds.
        assert!(b["vip"][0].get("enable_public_ip").is_none());
        let g = vsvip_body(&s, &spec);
        assert_eq!(
            g["vip"][0]["ipam_network_subnet"]["network_ref"],
            "/api/network/?name=global-vip"
        );
        assert!(g.get("bgp_peer_labels").is_none());
        let p = pool_placement_networks_net(&s, &net).unwrap_or_default();
        assert_eq!(p[0]["network_ref"], "/api/network/?name=infra-node");
        assert_eq!(p[0]["subnet"]["ip_addr"]["addr"], "10.0.0.0");
        s.cloud.cloud_type = "CLOUD_AWS".into();
        let b = vsvip_body_net(&s, &net, &spec);
        assert_eq!(b["vip"][0]["enable_public_ip"], true);
    }

    #[test]
    fn ip_family_predicates() {
        assert!(is_v4("1.1.1.1"));
        assert!(is_v4("::ffff:1.1.1.1"));
        assert!(!is_v4("fd00::1"));
        assert!(is_v6("fd00::1"));
        assert!(!is_v6("::ffff:1.1.1.1"));
        assert!(!is_v4("nope"));
    }
}
