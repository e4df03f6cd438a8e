//! AKO's settings (helm `values.yaml`, `--set` overrides) and the controller
//! facts AKO reads at boot, resolved to the values translation uses.
//!
//! Defaults follow AKO's `helm/ako/values.yaml`; where AKO's code falls back to
//! something else for an invalid value (`internal/lib/lib.go` getters), the
//! resolved field says so (e.g. [`ShardSize::Other`]).

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ShardSize {
    Large,
    Medium,
    Small,
    Dedicated,
    /// Any other value: AKO uses one shard (`internal/lib/lib.go` `GetshardSize`).
    Other,
}

impl ShardSize {
    /// Number of shared VSes (`ShardSizeMap`); 0 = dedicated.
    pub fn count(self) -> u32 {
        match self {
            ShardSize::Large => 8,
            ShardSize::Medium => 4,
            ShardSize::Small | ShardSize::Other => 1,
            ShardSize::Dedicated => 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ServiceType {
    ClusterIp,
    NodePort,
    NodePortLocal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AutoFqdn {
    Default,
    Flat,
    Disabled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum IpFamily {
    V4,
    V6,
    V4V6,
}

/// One entry of `NetworkSettings.vipNetworkList`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VipNetwork {
    pub network_name: String,
    pub network_uuid: String,
    pub cidr: String,
    pub v6cidr: String,
}

/// One entry of `NetworkSettings.nodeNetworkList`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NodeNetwork {
    pub network_name: String,
    pub network_uuid: String,
    pub cidrs: Vec<String>,
}

/// Facts AKO reads from the controller at boot (translation-core.md §1.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CloudFacts {
    /// The cloud's `vtype`, e.g. `CLOUD_VCENTER`.
    pub cloud_type: String,
    /// The cloud's IPAM/DNS sub-domains, in controller order.
    pub dns_subdomains: Vec<String>,
    /// `systemconfiguration.default_license_tier`.
    pub default_license_tier: String,
    /// The VRF name AKO resolved.
    pub vrf: String,
    /// An NSX-T cloud's transport zone type, `OVERLAY` or `VLAN`
    /// (`nsxt_configuration.data_network_config.tz_type`, read by
    /// `internal/cache/controller_obj_cache.go` `checkAndSetCloudType` and
    /// `AviCloudPropertiesPopulate`); empty when not reported.
    pub nsxt_transport_zone: String,
}

impl Default for CloudFacts {
    fn default() -> Self {
        CloudFacts {
            cloud_type: "CLOUD_VCENTER".into(),
            dns_subdomains: Vec::new(),
            default_license_tier: String::new(),
            vrf: "global".into(),
            nsxt_transport_zone: String::new(),
        }
    }
}

impl CloudFacts {
    /// An NSX-T cloud whose data network is a VLAN transport zone: node
    /// networks are checked and placed as on vCenter, and the vsvip gets a
    /// placement network (`internal/lib/lib.go` `IsNodeNetworkAllowedCloud`,
    /// `internal/rest/avi_obj_vsvip.go` `AviVsVipBuild`).
    pub fn is_nsxt_vlan(&self) -> bool {
        self.cloud_type == "CLOUD_NSXT" && self.nsxt_transport_zone == "VLAN"
    }
}

/// Everything translation depends on besides the Kubernetes objects.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Settings {
    // AKOSettings
    pub cluster_name: String,
    pub primary_instance: bool,
    /// Namespace AKO runs in (the helm release namespace).
    pub ako_namespace: String,
    pub enable_evh: bool,
    pub layer7_only: bool,
    pub namespace_selector_key: String,
    pub namespace_selector_value: String,
    pub blocked_namespaces: Vec<String>,
    pub cni_plugin: String,
    /// `None` = unset: AKO derives it from the cloud type.
    pub ip_family: Option<IpFamily>,
    pub disable_static_route_sync: bool,
    pub istio_enabled: bool,
    pub vip_per_namespace: bool,
    /// `AKOSettings.servicesAPI` (env `SERVICES_API`): L4 gateways of the
    /// `networking.x-k8s.io/v1alpha1` services API (`internal/lib/lib.go`
    /// `UseServicesAPI`).
    pub services_api: bool,
    pub use_default_secrets_only: bool,
    // L4Settings
    pub default_lb_controller: bool,
    pub auto_fqdn: AutoFqdn,
    // L7Settings
    pub shard_vs_size: ShardSize,
    pub passthrough_shard_size: ShardSize,
    pub service_type: ServiceType,
    pub default_ing_controller: bool,
    pub no_pg_for_sni: bool,
    pub fqdn_reuse_policy: String,
    // NetworkSettings
    pub default_domain: String,
    pub vip_networks: Vec<VipNetwork>,
    pub node_networks: Vec<NodeNetwork>,
    pub enable_rhi: bool,
    pub bgp_peer_labels: Vec<String>,
    pub nsxt_t1_lr: String,
    // ControllerSettings
    pub cloud_name: String,
    pub se_group_name: String,
    pub tenant_name: String,
    pub vrf_name: String,
    // nodePortSelector
    pub node_selector_key: String,
    pub node_selector_value: String,
    /// Controller facts.
    pub cloud: CloudFacts,
    /// Print TLS private keys in the output instead of a redaction marker.
    pub show_secrets: bool,
    /// `ako-crd-operator.enabled` (env `AKO_CRD_OPERATOR_ENABLED`, AKO
    /// `internal/lib/lib.go` `IsAKOCRDOperatorEnabled`): L4Rules may name
    /// the operator's HealthMonitors. The chart enables the sub-chart by
    /// default (`helm/ako/values.yaml`).
    pub ako_crd_operator_enabled: bool,
    /// `featureGates.GatewayAPI`: the gateway container runs next to AKO.
    pub gateway_api: bool,
    /// The AKO release whose objects are built (`--ako-version`); its
    /// differences from 2.2 are the table of `crate::release`.
    pub release: crate::release::Release,
    /// `featureGates.EnableEndpointSlice` of the 1.13 chart (default true;
    /// env `ENDPOINTSLICES_ENABLED`, `internal/lib/lib.go`
    /// `GetEndpointSliceEnabled` of release-1.13.4); other releases' charts
    /// have no such gate.
    pub endpoint_slices: bool,
}

impl Settings {
    /// Pool servers come from EndpointSlices, not core/v1 Endpoints: the
    /// release reads them ([`crate::release::Feature::EndpointSlices`]) and
    /// its feature gate, where it has one, is on.
    pub fn reads_endpoint_slices(&self) -> bool {
        self.release.has(crate::release::Feature::EndpointSlices) && self.endpoint_slices
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cluster_name: "my-cluster".into(),
            primary_instance: true,
            ako_namespace: "avi-system".into(),
            enable_evh: false,
            layer7_only: false,
            namespace_selector_key: String::new(),
            namespace_selector_value: String::new(),
            blocked_namespaces: Vec::new(),
            cni_plugin: String::new(),
            ip_family: None,
            disable_static_route_sync: false,
            istio_enabled: false,
            vip_per_namespace: false,
            services_api: false,
            use_default_secrets_only: false,
            default_lb_controller: true,
            auto_fqdn: AutoFqdn::Default,
            shard_vs_size: ShardSize::Large,
            passthrough_shard_size: ShardSize::Small,
            service_type: ServiceType::ClusterIp,
            default_ing_controller: true,
            no_pg_for_sni: false,
            fqdn_reuse_policy: "InterNamespaceAllowed".into(),
            default_domain: String::new(),
            vip_networks: Vec::new(),
            node_networks: Vec::new(),
            enable_rhi: false,
            bgp_peer_labels: Vec::new(),
            nsxt_t1_lr: String::new(),
            cloud_name: "Default-Cloud".into(),
            se_group_name: "Default-Group".into(),
            tenant_name: "admin".into(),
            vrf_name: String::new(),
            node_selector_key: String::new(),
            node_selector_value: String::new(),
            cloud: CloudFacts::default(),
            show_secrets: false,
            ako_crd_operator_enabled: true,
            gateway_api: false,
            release: crate::release::Release::V2_2,
            endpoint_slices: true,
        }
    }
}

impl Settings {
    /// `created_by` of every object (`internal/lib/lib.go` `SetAKOUser`).
    pub fn created_by(&self) -> String {
        if self.primary_instance {
            format!("ako-{}", self.cluster_name)
        } else {
            format!("ako-{}-{}", self.cluster_name, self.ako_namespace)
        }
    }

    /// Name prefix `C--` (`SetNamePrefix`).
    pub fn prefix(&self) -> String {
        format!("{}--", self.cluster_name)
    }

    /// Effective IP family (`internal/lib/lib.go` `SetIPFamily`): on vCenter /
    /// no-access / NSX-T clouds the configured value, V4_V6 when unset; on
    /// every other cloud always V4, whatever is configured.
    pub fn effective_ip_family(&self) -> IpFamily {
        match self.cloud.cloud_type.as_str() {
            "CLOUD_VCENTER" | "CLOUD_NONE" | "CLOUD_NSXT" => {
                self.ip_family.unwrap_or(IpFamily::V4V6)
            }
            _ => IpFamily::V4,
        }
    }

    /// Static routes on (`GetDisableStaticRoute`, `processNodeObj`).
    pub fn static_routes_enabled(&self) -> bool {
        self.service_type == ServiceType::ClusterIp
            && !self.disable_static_route_sync
            && self.primary_instance
            && !(self.cloud.cloud_type == "CLOUD_NSXT" && self.cni_plugin == "ncp")
    }

    /// The sub-domain auto FQDNs use (`GetDefaultSubDomain`, `GetDomain`):
    /// `defaultDomain` when it is one of the cloud's sub-domains, else the first
    /// of the sorted list; `None` without sub-domains.
    pub fn fqdn_subdomain(&self) -> Option<&str> {
        if self.cloud.dns_subdomains.is_empty() {
            return None;
        }
        if !self.default_domain.is_empty()
            && self.cloud.dns_subdomains.contains(&self.default_domain)
        {
            return Some(&self.default_domain);
        }
        self.first_sorted_subdomain()
    }

    /// First sub-domain of the ascending-sorted list (host-less Ingress rules).
    pub fn first_sorted_subdomain(&self) -> Option<&str> {
        self.cloud.dns_subdomains.iter().min().map(String::as_str)
    }

    pub fn is_enterprise_license(&self) -> bool {
        matches!(
            self.cloud.default_license_tier.as_str(),
            "ENTERPRISE" | "ENTERPRISE_WITH_CLOUD_SERVICES"
        )
    }
}

pub mod cluster;
pub mod origin;
pub mod tree;
pub mod values;
pub mod write;

/// AKO's `IPCIDRRegex`: four octets 0-255 (up to 3 digits), `/`, optional
/// prefix length 0-32.
pub fn is_v4_cidr(s: &str) -> bool {
    let Some((addr, len)) = s.split_once('/') else {
        return false;
    };
    let octets: Vec<&str> = addr.split('.').collect();
    let octet_ok = |o: &&str| {
        !o.is_empty()
            && o.len() <= 3
            && o.bytes().all(|b| b.is_ascii_digit())
            && o.parse::<u16>().is_ok_and(|v| v <= 255)
    };
    let len_ok = len.is_empty()
        || (len.len() <= 2
            && len.bytes().all(|b| b.is_ascii_digit())
            && len.parse::<u8>().is_ok_and(|v| v <= 32));
    octets.len() == 4 && octets.iter().all(octet_ok) && len_ok
}

/// AKO's `IPV6CIDRRegex`, approximated by the standard IPv6 parser plus an
/// optional prefix length 1-128.
pub fn is_v6_cidr(s: &str) -> bool {
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let len_ok = len.is_none_or(|l| {
        l.parse::<u8>().is_ok_and(|v| (1..=128).contains(&v)) && !l.starts_with('0')
    });
    addr.parse::<std::net::Ipv6Addr>().is_ok() && !addr.contains('.') && len_ok
}
