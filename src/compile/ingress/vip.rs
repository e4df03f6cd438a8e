//! vsvip bodies of L7 VSes and pool placement networks (translation-core.md
//! §4.2 "vsvip body", §4.9). AKO: `internal/rest/avi_obj_vsvip.go`
//! `AviVsVipBuild`, `internal/rest/avi_obj_pool.go` `AviPoolBuild`.

use std::net::IpAddr;

use serde_json::{Map, Value, json};

use crate::compile::common::{api_ref, cluster_markers, tenant_ref};
use crate::settings::Settings;

/// `vsvip` body: FQDNs deduplicated and sorted.
pub fn vsvip_body(s: &Settings, name: &str, tenant: &str, fqdns: &[String]) -> Value {
    let mut b = Map::new();
    b.insert("name".into(), json!(name));
    b.insert("tenant_ref".into(), json!(tenant_ref(tenant)));
    b.insert("cloud_ref".into(), json!(api_ref("cloud", &s.cloud_name)));
    b.insert("east_west_placement".into(), json!(false));
    let mut f: Vec<&String> = fqdns.iter().collect();
    f.sort();
    f.dedup();
    if !f.is_empty() {
        b.insert(
            "dns_info".into(),
            Value::Array(f.iter().map(|x| json!({"fqdn": x})).collect()),
        );
    }
    b.insert("vip".into(), Value::Array(vips(s)));
    if s.nsxt_t1_lr.is_empty() {
        b.insert(
            "vrf_context_ref".into(),
            json!(api_ref("vrfcontext", &s.cloud.vrf)),
        );
    } else {
        b.insert("tier1_lr".into(), json!(s.nsxt_t1_lr));
    }
    if s.enable_rhi && !s.bgp_peer_labels.is_empty() {
        let mut l = s.bgp_peer_labels.clone();
        l.sort();
        b.insert("bgp_peer_labels".into(), json!(l));
    }
    b.insert("markers".into(), cluster_markers(s));
    Value::Object(b)
}

fn network_ref(name: &str, uuid: &str) -> String {
    if uuid.is_empty() {
        api_ref("network", name)
    } else {
        format!("/api/network/{uuid}")
    }
}

/// `AviVsVipBuild` POST branch, without a requested address.
fn vips(s: &Settings) -> Vec<Value> {
    let public = matches!(
        s.cloud.cloud_type.as_str(),
        "CLOUD_AWS" | "CLOUD_AZURE" | "CLOUD_OPENSTACK"
    );
    let v6type = |cidr: &str| if cidr.is_empty() { "V6_ONLY" } else { "V4_V6" };
    if public && !s.vip_networks.is_empty() {
        return s
            .vip_networks
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut v = json!({"vip_id": (i + 1).to_string(), "auto_allocate_ip": true, "subnet_uuid": n.network_name});
                if !n.v6cidr.is_empty() {
                    v["auto_allocate_ip_type"] = json!(v6type(&n.cidr));
                }
                v
            })
            .collect();
    }
    let mut vip = json!({"vip_id": "0", "auto_allocate_ip": true});
    if let (false, Some(n)) = (public, s.vip_networks.first()) {
        let mut ipam = json!({"network_ref": network_ref(&n.network_name, &n.network_uuid)});
        let split = |c: &str| {
            let (a, m) = c.split_once('/').unwrap_or((c, "0"));
            (a.to_string(), m.parse::<i64>().unwrap_or(0))
        };
        if !n.cidr.is_empty() {
            let (a, m) = split(&n.cidr);
            ipam["subnet"] = json!({"ip_addr": {"addr": a, "type": "V4"}, "mask": m});
        }
        if !n.v6cidr.is_empty() {
            let (a, m) = split(&n.v6cidr);
            ipam["subnet6"] = json!({"ip_addr": {"addr": a, "type": "V6"}, "mask": m});
            vip["auto_allocate_ip_type"] = json!(v6type(&n.cidr));
        }
        vip["ipam_network_subnet"] = ipam;
    }
    vec![vip]
}

/// Network address and prefix length of a CIDR (Go `net.ParseCIDR`).
fn parse_cidr(cidr: &str) -> Option<(IpAddr, u8)> {
    let (a, m) = cidr.split_once('/')?;
    let ip: IpAddr = a.parse().ok()?;
    if m.is_empty() || !m.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let m: u8 = m.parse().ok()?;
    match ip {
        IpAddr::V4(v4) if m <= 32 => {
            let mask = if m == 0 { 0 } else { u32::MAX << (32 - m) };
            Some((IpAddr::V4((u32::from(v4) & mask).into()), m))
        }
        IpAddr::V6(v6) if m <= 128 => {
            let mask = if m == 0 { 0 } else { u128::MAX << (128 - m) };
            Some((IpAddr::V6((u128::from(v6) & mask).into()), m))
        }
        _ => None,
    }
}

/// Pool `placement_networks` (`AviPoolBuild`): vCenter clouds with a
/// `nodeNetworkList`; networks sorted by key, CIDRs in configured order, an
/// unparsable CIDR ends that network's list. `None` when there is nothing.
pub fn placement_networks(s: &Settings) -> Option<Value> {
    if s.cloud.cloud_type != "CLOUD_VCENTER" || s.node_networks.is_empty() {
        return None;
    }
    let mut nets: Vec<_> = s.node_networks.iter().collect();
    let key = |n: &crate::settings::NodeNetwork| {
        if n.network_name.is_empty() {
            n.network_uuid.clone()
        } else {
            n.network_name.clone()
        }
    };
    nets.sort_by_key(|n| key(n));
    let mut out = Vec::new();
    for n in nets {
        for c in &n.cidrs {
            let Some((addr, mask)) = parse_cidr(c) else {
                break;
            };
            let t = if addr.is_ipv6() { "V6" } else { "V4" };
            out.push(json!({
                "network_ref": network_ref(&key(n), &n.network_uuid),
                "subnet": {"ip_addr": {"addr": addr.to_string(), "type": t}, "mask": mask},
            }));
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(Value::Array(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_network_address() {
        assert_eq!(
            parse_cidr("10.79.170.5/22").map(|(a, m)| (a.to_string(), m)),
            Some(("10.79.168.0".into(), 22))
        );
        assert_eq!(
            parse_cidr("fd00::5/64").map(|(a, m)| (a.to_string(), m)),
            Some(("fd00::".into(), 64))
        );
        assert!(parse_cidr("10.0.0.0").is_none());
        assert!(parse_cidr("10.0.0.0/33").is_none());
    }
}
