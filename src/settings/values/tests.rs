use super::*;
use crate::settings::{AutoFqdn, IpFamily, ServiceType, ShardSize};

fn load_with(
    values: &str,
    sets: &[&str],
    facts: Option<&str>,
) -> Result<(Settings, Vec<Diagnostic>)> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load(&SettingsInput {
        values: Some(("values.yaml", values)),
        sets: &sets,
        cloud_facts: facts.map(|f| ("cloud-facts.yaml", f)),
    })
}

fn ok(values: &str) -> (Settings, Vec<Diagnostic>) {
    load_with(values, &[], None).expect("settings load")
}

fn err(values: &str, sets: &[&str]) -> String {
    match load_with(values, sets, None) {
        Ok(_) => panic!("expected an error for {values:?} {sets:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn defaults_are_the_chart_defaults() {
    let (s, d) = ok("");
    assert_eq!(s, Settings::default());
    assert!(d.is_empty());
    let (s, _) = load(&SettingsInput {
        values: None,
        sets: &[],
        cloud_facts: None,
    })
    .expect("load");
    assert_eq!(s.cluster_name, "my-cluster");
    assert_eq!(s.shard_vs_size, ShardSize::Large);
    assert_eq!(s.cloud.vrf, "global");
}

#[test]
fn the_chart_values_file_loads_without_warnings() {
    let chart = include_str!("../../../testdata/settings/ako-values.yaml");
    let (s, d) = ok(chart);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(s, Settings::default());
}

#[test]
fn every_mapped_key_is_read() {
    // nsxtT1LR is an NSX-T setting (AKO refuses it on other clouds).
    let (s, d) = load_with(
        r#"
AKOSettings:
  primaryInstance: false
  clusterName: prod
  cniPlugin: Calico
  enableEVH: "true"
  layer7Only: true
  namespaceSelector: {labelKey: app, labelValue: ako}
  vipPerNamespace: "true"
  istioEnabled: true
  blockedNamespaceList: [kube-system, kube-public]
  ipFamily: V6
  disableStaticRouteSync: "true"
  useDefaultSecretsOnly: "true"
  namespace: ako-ns
NetworkSettings:
  nodeNetworkList:
  - networkName: n1
    networkUUID: u1
    cidrs: [10.0.0.0/24]
  vipNetworkList:
  - networkName: v1
    cidr: 10.1.0.0/24
    v6cidr: 2002::1234:abcd:ffff:c0a8:101/64
  enableRHI: true
  bgpPeerLabels: [peer1]
  nsxtT1LR: /infra/tier-1s/t1
  defaultDomain: avi.internal
L7Settings:
  defaultIngController: "false"
  noPGForSNI: true
  serviceType: NodePort
  shardVSSize: MEDIUM
  passthroughShardSize: LARGE
  fqdnReusePolicy: strict
L4Settings:
  defaultLBController: "false"
  autoFQDN: flat
ControllerSettings:
  serviceEngineGroupName: seg
  cloudName: cloud1
  tenantName: t1
  vrfName: vrf1
nodePortSelector:
  key: role
  value: lb
"#,
        &[],
        Some("cloudType: CLOUD_NSXT\n"),
    )
    .expect("settings load");
    assert!(d.is_empty(), "{d:?}");
    assert!(!s.primary_instance);
    assert_eq!(s.cluster_name, "prod");
    assert_eq!(s.cni_plugin, "calico");
    assert!(s.enable_evh && s.layer7_only && s.vip_per_namespace && s.istio_enabled);
    assert!(s.disable_static_route_sync && s.use_default_secrets_only);
    assert_eq!(
        (
            s.namespace_selector_key.as_str(),
            s.namespace_selector_value.as_str()
        ),
        ("app", "ako")
    );
    assert_eq!(s.blocked_namespaces, ["kube-system", "kube-public"]);
    assert_eq!(s.ip_family, Some(IpFamily::V6));
    assert_eq!(s.ako_namespace, "ako-ns");
    assert_eq!(s.node_networks[0].network_uuid, "u1");
    assert_eq!(s.node_networks[0].cidrs, ["10.0.0.0/24"]);
    assert_eq!(s.vip_networks[0].cidr, "10.1.0.0/24");
    assert!(s.enable_rhi);
    assert_eq!(s.bgp_peer_labels, ["peer1"]);
    assert_eq!(s.nsxt_t1_lr, "/infra/tier-1s/t1");
    assert_eq!(s.default_domain, "avi.internal");
    assert!(!s.default_ing_controller && s.no_pg_for_sni);
    assert_eq!(s.service_type, ServiceType::NodePort);
    assert_eq!(s.shard_vs_size, ShardSize::Medium);
    assert_eq!(s.passthrough_shard_size, ShardSize::Large);
    assert_eq!(s.fqdn_reuse_policy, "Strict");
    assert!(!s.default_lb_controller);
    assert_eq!(s.auto_fqdn, AutoFqdn::Flat);
    assert_eq!(
        (s.se_group_name.as_str(), s.cloud_name.as_str()),
        ("seg", "cloud1")
    );
    assert_eq!(
        (s.tenant_name.as_str(), s.vrf_name.as_str()),
        ("t1", "vrf1")
    );
    assert_eq!(
        (s.node_selector_key.as_str(), s.node_selector_value.as_str()),
        ("role", "lb")
    );
    // NodePort mode with vrfName: AKO uses vrfName.
    assert_eq!(s.cloud.vrf, "vrf1");
}

#[test]
fn an_unknown_shard_size_falls_back_to_one_shard() {
    // `GetshardSize` / `PassthroughShardSize`: case-sensitive map, else 1.
    let (s, d) = ok("L7Settings:\n  shardVSSize: large\n  passthroughShardSize: HUGE\n");
    assert_eq!(s.shard_vs_size, ShardSize::Other);
    assert_eq!(s.shard_vs_size.count(), 1);
    assert_eq!(s.passthrough_shard_size.count(), 1);
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d[0].message.contains("L7Settings.shardVSSize"), "{d:?}");
    assert!(
        d[0].message.contains("LARGE, MEDIUM, SMALL, DEDICATED"),
        "{d:?}"
    );
    assert!(
        d[0].message.contains("AKO uses 1 shared virtual service"),
        "{d:?}"
    );
    assert!(
        d[1].message.contains("L7Settings.passthroughShardSize"),
        "{d:?}"
    );
    let (s, d) = load_with("", &["L7Settings.passthroughShardSize=DEDICATED"], None).unwrap();
    assert_eq!(s.passthrough_shard_size, ShardSize::Dedicated);
    assert!(d[0].message.contains("whole FNV-1a hash"), "{d:?}");
}

#[test]
fn an_unknown_service_type_runs_as_cluster_ip() {
    let (s, d) = load_with("", &["L7Settings.serviceType=nodeport"], None).unwrap();
    assert_eq!(s.service_type, ServiceType::ClusterIp);
    assert!(s.static_routes_enabled());
    assert!(d[0].message.contains("AKO uses ClusterIP mode"), "{d:?}");
    assert!(
        d[0].message
            .contains("--set L7Settings.serviceType=nodeport"),
        "{d:?}"
    );
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let e = err(
        "L7Settings:\n  serviceType: []\n  shardVSSize: {a: 1}\nAKOSettings:\n  ipFamily: v4\n",
        &[],
    );
    assert_eq!(e.lines().count(), 3, "{e}");
    assert!(e.contains("L7Settings.serviceType"), "{e}");
    assert!(e.contains("L7Settings.shardVSSize"), "{e}");
    assert!(e.contains("V4, V6, V4_V6"), "{e}");
}

#[test]
fn unknown_keys_warn_with_their_path() {
    let (s, d) = ok("AKOSettings:\n  clusterName: c\n  enableEvh: true\nL8Settings: {}\n");
    assert_eq!(s.cluster_name, "c");
    assert!(!s.enable_evh);
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d.iter().all(|x| x.severity == Severity::Warning));
    assert!(d[0].message.contains("AKOSettings.enableEvh"), "{:?}", d[0]);
    assert!(
        d[0].message.contains("did you mean enableEVH?"),
        "{:?}",
        d[0]
    );
    assert_eq!(d[0].origin.as_ref().map(|o| o.line), Some(3));
    assert!(d[1].message.contains("L8Settings"), "{:?}", d[1]);
}

#[test]
fn booleans_as_strings_and_booleans() {
    for v in ["'true'", "true", "\"True\"", "1"] {
        let (s, _) = ok(&format!("AKOSettings:\n  enableEVH: {v}\n"));
        assert!(s.enable_evh, "{v}");
    }
    for v in ["'false'", "false", "0"] {
        let (s, _) = ok(&format!("L4Settings:\n  defaultLBController: {v}\n"));
        assert!(!s.default_lb_controller, "{v}");
    }
}

#[test]
fn unparsable_booleans_take_ako_fallbacks_with_a_warning() {
    let (s, d) = ok(
        "AKOSettings:\n  primaryInstance: yes-please\nL4Settings:\n  defaultLBController: maybe\n",
    );
    assert!(s.primary_instance && s.default_lb_controller);
    assert_eq!(d.len(), 2);
    // Quoted, `on` stays a string, which ParseBool rejects.
    let (s, d) = ok("AKOSettings:\n  enableEVH: 'on'\n");
    assert!(!s.enable_evh);
    assert_eq!(d.len(), 1);
    // Plain `on` is a YAML 1.1 boolean, as helm reads it.
    let (s, d) = ok("AKOSettings:\n  enableEVH: on\n");
    assert!(s.enable_evh);
    assert!(d.is_empty());
}

#[test]
fn auto_fqdn_values() {
    for (v, want, warns) in [
        ("default", AutoFqdn::Default, 0),
        ("flat", AutoFqdn::Flat, 0),
        ("disabled", AutoFqdn::Disabled, 0),
        ("disable", AutoFqdn::Disabled, 0),
        ("Default", AutoFqdn::Disabled, 1),
        ("none", AutoFqdn::Disabled, 1),
    ] {
        let (s, d) = ok(&format!("L4Settings:\n  autoFQDN: {v}\n"));
        assert_eq!(s.auto_fqdn, want, "{v}");
        assert_eq!(d.len(), warns, "{v}: {d:?}");
    }
}

#[test]
fn default_domain_alias() {
    let (s, d) = ok("L4Settings:\n  defaultDomain: a.com\n");
    assert_eq!(s.default_domain, "a.com");
    assert!(d[0].message.contains("deprecated"));
    let (s, d) =
        ok("L4Settings:\n  defaultDomain: a.com\nNetworkSettings:\n  defaultDomain: b.com\n");
    assert_eq!(s.default_domain, "b.com");
    assert_eq!(d.len(), 1);
    let (s, d) = ok("L4Settings:\n  defaultDomain: ''\nNetworkSettings:\n  defaultDomain: b.com\n");
    assert_eq!(s.default_domain, "b.com");
    assert!(d.is_empty());
}

#[test]
fn set_overrides_the_file() {
    let (s, _) = load_with(
        "L7Settings:\n  shardVSSize: LARGE\n",
        &[
            "L7Settings.shardVSSize=SMALL",
            "AKOSettings.enableEVH=true",
            "NetworkSettings.vipNetworkList[0].networkName=vip",
        ],
        None,
    )
    .expect("load");
    assert_eq!(s.shard_vs_size, ShardSize::Small);
    assert!(s.enable_evh);
    assert_eq!(s.vip_networks[0].network_name, "vip");
}

#[test]
fn node_selector_alias_and_mode() {
    let (s, d) =
        ok("L7Settings:\n  serviceType: NodePort\nnodeSelectorLabels:\n  key: a\n  value: b\n");
    assert_eq!(
        (s.node_selector_key.as_str(), s.node_selector_value.as_str()),
        ("a", "b")
    );
    assert!(d.is_empty());
    // Only rendered for NodePort.
    let (s, _) = ok("nodePortSelector:\n  key: a\n  value: b\n");
    assert_eq!(s.node_selector_key, "");
}

#[test]
fn namespace_selector_needs_both() {
    let (s, d) = ok("AKOSettings:\n  namespaceSelector:\n    labelKey: app\n");
    assert_eq!(s.namespace_selector_key, "");
    assert_eq!(d.len(), 1);
}

#[test]
fn fqdn_reuse_policy_only_strict_with_evh() {
    let (s, _) = ok("L7Settings:\n  fqdnReusePolicy: Strict\n");
    assert_eq!(s.fqdn_reuse_policy, "InterNamespaceAllowed");
    let (s, _) = ok("AKOSettings:\n  enableEVH: true\nL7Settings:\n  fqdnReusePolicy: STRICT\n");
    assert_eq!(s.fqdn_reuse_policy, "Strict");
}

#[test]
fn wrong_shapes_are_errors() {
    let e = err("AKOSettings: 3\n", &[]);
    assert!(e.contains("AKOSettings: expected a mapping"), "{e}");
    let e = err("AKOSettings:\n  clusterName: [a]\n", &[]);
    assert!(e.contains("expected a single value"), "{e}");
    let e = err("NetworkSettings:\n  vipNetworkList: net1\n", &[]);
    assert!(e.contains("expected a list"), "{e}");
}

#[test]
fn yaml_syntax_errors_name_the_file() {
    let e = err("AKOSettings:\n  clusterName: [a\n", &[]);
    assert!(e.starts_with("values.yaml:"), "{e}");
}

#[test]
fn boot_refusals() {
    let two = "NetworkSettings:\n  vipNetworkList:\n  - networkName: a\n  - networkName: b\n";
    let e = err(two, &[]);
    assert!(
        e.contains("more than one network specified in VIP Network List"),
        "{e}"
    );
    let (s, _) = load_with(two, &[], Some("cloudType: CLOUD_AWS\n")).expect("AWS allows several");
    assert_eq!(s.vip_networks.len(), 2);
    let e = err(
        "NetworkSettings:\n  vipNetworkList:\n  - networkName: a\n    cidr: 10.0.0.300/24\n",
        &[],
    );
    assert!(e.contains("invalid cidr"), "{e}");
    let e = err("NetworkSettings:\n  vipNetworkList:\n", &[]);
    assert!(
        e.contains("values.yaml:2: NetworkSettings.vipNetworkList: is null"),
        "{e}"
    );
    let six = (0..6)
        .map(|i| format!("  - networkName: n{i}\n"))
        .collect::<String>();
    let e = err(&format!("NetworkSettings:\n  nodeNetworkList:\n{six}"), &[]);
    assert!(e.contains("Maximum of 5 entries"), "{e}");
}

#[test]
fn cloud_facts() {
    let (s, d) = load_with(
        "",
        &[],
        Some("cloudType: CLOUD_NSXT\ndnsSubdomains: [b.com, a.com]\ndefaultLicenseTier: ENTERPRISE\nvrf: t1-vrf\nextra: 1\n"),
    )
    .expect("load");
    assert_eq!(s.cloud.cloud_type, "CLOUD_NSXT");
    assert_eq!(s.cloud.dns_subdomains, ["b.com", "a.com"]);
    assert_eq!(s.cloud.default_license_tier, "ENTERPRISE");
    assert_eq!(s.cloud.vrf, "t1-vrf");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("extra"));
    assert_eq!(
        d[0].origin.as_ref().map(|o| o.file.to_string()),
        Some("cloud-facts.yaml".into())
    );

    let Err(e) = load_with(
        "",
        &[],
        Some("cloudType: vcenter\ndefaultLicenseTier: GOLD\n"),
    ) else {
        panic!("bad facts must fail")
    };
    let e = e.to_string();
    assert!(
        e.contains("cloud-facts.yaml:1: cloudType") && e.contains("CLOUD_VCENTER"),
        "{e}"
    );
    assert!(e.contains("ENTERPRISE_WITH_CLOUD_SERVICES"), "{e}");
}

#[test]
fn vrf_fallbacks() {
    let (s, _) = load_with("ControllerSettings:\n  vrfName: v\n", &[], None).expect("load");
    assert_eq!(s.cloud.vrf, "v");
    // Public clouds need a VIP network (`checkPublicCloud`).
    let vip = "NetworkSettings:\n  vipNetworkList: [{networkName: subnet-a}]\n";
    let (s, _) = load_with(
        &format!("ControllerSettings:\n  vrfName: v\n  tenantName: t\n{vip}"),
        &[],
        Some("cloudType: CLOUD_OPENSTACK\n"),
    )
    .expect("load");
    assert_eq!(s.cloud.vrf, "t-default");
    let (s, _) = load_with(
        &format!("ControllerSettings:\n  vrfName: v\n{vip}"),
        &[],
        Some("cloudType: CLOUD_AZURE\n"),
    )
    .expect("load");
    assert_eq!(s.cloud.vrf, "global");
}

#[test]
fn go_bool_matches_strconv() {
    for t in ["1", "t", "T", "TRUE", "true", "True"] {
        assert_eq!(parse_go_bool(t), Some(true));
    }
    for f in ["0", "f", "F", "FALSE", "false", "False"] {
        assert_eq!(parse_go_bool(f), Some(false));
    }
    for x in ["yes", "on", "", "tRUE"] {
        assert_eq!(parse_go_bool(x), None);
    }
}

#[test]
fn cidr_syntax() {
    assert!(is_v4_cidr("10.0.0.0/24"));
    assert!(is_v4_cidr("10.0.0.0/"));
    assert!(!is_v4_cidr("10.0.0.0"));
    assert!(!is_v4_cidr("10.0.0/24"));
    assert!(!is_v4_cidr("10.0.0.256/24"));
    assert!(!is_v4_cidr("10.0.0.1/33"));
    assert!(is_v6_cidr("2002::1234:abcd:ffff:c0a8:101/64"));
    assert!(!is_v6_cidr("2002::zz/64"));
    assert!(!is_v6_cidr("2002::1/0"));
}

#[test]
fn boot_refusals_depend_on_the_cloud() {
    let aws = Some("cloudType: CLOUD_AWS\n");
    // checkPublicCloud: the chart default [] on a public cloud.
    let e = match load_with("", &[], aws) {
        Ok(_) => panic!("an empty vipNetworkList on AWS must fail"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("vipNetworkList not specified"), "{e}");
    // On vCenter [] is accepted, null is not.
    ok("NetworkSettings:\n  vipNetworkList: []\n");
    let e = err("NetworkSettings:\n  vipNetworkList: null\n", &[]);
    assert!(
        e.contains("vipNetworkList: [] to let the cloud's IPAM choose"),
        "{e}"
    );
    // nsxtT1LR and vpcMode outside NSX-T; a null nodeNetworkList on vCenter only.
    let e = err("NetworkSettings:\n  nsxtT1LR: /infra/tier-1s/a\n", &[]);
    assert!(e.contains("T1 LR mapping is provided"), "{e}");
    let e = err("AKOSettings:\n  vpcMode: 'true'\n", &[]);
    assert!(e.contains("VPC mode is enabled"), "{e}");
    let e = err("NetworkSettings:\n  nodeNetworkList: null\n", &[]);
    assert!(
        e.contains("values.yaml:2: NetworkSettings.nodeNetworkList: is null"),
        "{e}"
    );
    let vip = "NetworkSettings:\n  vipNetworkList: [{networkName: a}]\n  nodeNetworkList: null\n";
    load_with(vip, &[], aws).expect("AWS skips the node network check");
    // ipFamily: refused where AKO uses it, a warning where it uses V4.
    let (_, d) = load_with(
        "AKOSettings:\n  ipFamily: v6\nNetworkSettings:\n  vipNetworkList: [{networkName: a}]\n",
        &[],
        aws,
    )
    .expect("AWS uses V4");
    assert!(d.iter().any(|d| d.message.contains("AKO uses V4")), "{d:?}");
    // helm's fails.
    let e = err("replicaCount: '3'\n", &[]);
    assert!(e.contains("ReplicaCount more than 2"), "{e}");
    ok("replicaCount: 2\n");
    let e = err(
        "replicaCount: 2\nAKOSettings:\n  primaryInstance: 'false'\n",
        &[],
    );
    assert!(e.contains("incompatible types"), "{e}");
}

#[test]
fn go_cidrs() {
    assert!(is_go_cidr("10.0.0.0/24") && is_go_cidr("10.0.0.1/024") && is_go_cidr("fd00::/64"));
    assert!(!is_go_cidr("10.0.0.0") && !is_go_cidr("10.0.0.0/33") && !is_go_cidr("10.0.0.0/+8"));
    assert!(!is_go_cidr("fd00::/129") && !is_go_cidr("/8"));
}

#[test]
fn network_lists_are_read_as_go_json() {
    // Keys match case-insensitively, as `json.Unmarshal` matches field tags.
    let (s, d) =
        ok("NetworkSettings:\n  vipNetworkList:\n  - NetworkName: a\n    CIDR: 10.0.0.0/24\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(s.vip_networks[0].network_name, "a");
    assert_eq!(s.vip_networks[0].cidr, "10.0.0.0/24");
    // A number where a string is wanted fails the whole list.
    let e = err(
        "NetworkSettings:\n  vipNetworkList:\n  - networkName: 1234\n",
        &[],
    );
    assert!(
        e.contains("unable to unmarshall json for vipNetworkList"),
        "{e}"
    );
    let e = err(
        "NetworkSettings:\n  nodeNetworkList:\n  - networkName: n\n    cidrs: [true]\n",
        &[],
    );
    assert!(
        e.contains("Unable to unmarshall json for nodeNetworkMap"),
        "{e}"
    );
    // AKO reads nodeNetworkList only on vCenter (and NSX-T VLAN) clouds.
    load_with(
        "NetworkSettings:\n  vipNetworkList: [{networkName: a}]\n  nodeNetworkList:\n  - networkName: 5\n",
        &[],
        Some("cloudType: CLOUD_AWS\n"),
    )
    .expect("not read on AWS");
}

#[test]
fn nsxt_transport_zone_judges_the_t1_path() {
    let facts = |zone: &str| format!("cloudType: CLOUD_NSXT\nnsxtTransportZone: {zone}\n");
    let e = match load_with(
        "NetworkSettings:\n  nsxtT1LR: ''\n",
        &[],
        Some(&facts("OVERLAY")),
    ) {
        Ok(_) => panic!("an overlay zone needs nsxtT1LR"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("values.yaml:2: NetworkSettings.nsxtT1LR"), "{e}");
    assert!(
        e.contains("overlay transport zone but the T1 LR mapping is not provided"),
        "{e}"
    );
    let e = match load_with(
        "NetworkSettings:\n  nsxtT1LR: /infra/tier-1s/a\n",
        &[],
        Some(&facts("VLAN")),
    ) {
        Ok(_) => panic!("a VLAN zone refuses nsxtT1LR"),
        Err(e) => e.to_string(),
    };
    assert!(
        e.contains("VLAN transport zone but the T1 LR mapping is provided"),
        "{e}"
    );
    let (s, _) = load_with(
        "NetworkSettings:\n  nsxtT1LR: /infra/tier-1s/a\n",
        &[],
        Some(&facts("OVERLAY")),
    )
    .unwrap();
    assert_eq!(s.cloud.nsxt_transport_zone, "OVERLAY");
    assert!(!s.cloud.is_nsxt_vlan());
    // Not reported: not judged.
    assert!(load_with("", &[], Some("cloudType: CLOUD_NSXT\n")).is_ok());
    let e = match load_with("", &[], Some(&facts("GENEVE"))) {
        Ok(_) => panic!("an unknown zone type"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("OVERLAY, VLAN"), "{e}");
}
