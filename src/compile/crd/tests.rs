use serde_json::{Value, json};

use super::infra::InfraChoice;
use super::*;
use crate::compile::Context;
use crate::input::{self, Source};
use crate::model::Snapshot;
use crate::settings::Settings;
use crate::settings::values::{self, SettingsInput};

fn snapshot(yaml: &str) -> Snapshot {
    let src = [Source {
        name: "test.yaml".into(),
        text: yaml.into(),
    }];
    input::decode(&src, "default")
        .expect("test input decodes")
        .0
}

fn hr(name: &str, fqdn: &str, ty: &str, extra: &str) -> String {
    format!(
        "apiVersion: ako.vmware.com/v1beta1\nkind: HostRule\nmetadata:\n  name: {name}\n  namespace: default\nspec:\n  virtualhost:\n    fqdn: \"{fqdn}\"\n    fqdnType: {ty}\n{extra}---\n"
    )
}

#[test]
fn host_rule_binding_prefers_exact_then_longest() {
    let y = [
        hr("contains", "foo", "Contains", "    wafPolicy: a\n"),
        hr("wild-short", "*.com", "Wildcard", ""),
        hr("wild-long", "*.foo.com", "Wildcard", ""),
        hr("exact", "a.foo.com", "Exact", ""),
    ]
    .concat();
    let snap = snapshot(&y);
    let settings = Settings::default();
    let ctx = Context::new(&snap, &settings);
    let name = |h: &str| ctx.crds.host_rule(h).map(|o| o.obj.name().to_string());
    assert_eq!(name("a.foo.com").as_deref(), Some("exact"));
    assert_eq!(name("b.foo.com").as_deref(), Some("wild-long"));
    assert_eq!(name("bar.com").as_deref(), Some("wild-short"));
    assert_eq!(name("foo.org").as_deref(), Some("contains"));
    assert_eq!(name("bar.org"), None);
    // No status: validated offline, accepted with an info diagnostic naming the refs.
    assert!(
        ctx.crds
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Info && d.message.contains("wafpolicy a"))
    );
}

#[test]
fn duplicate_fqdn_and_rejected_status() {
    let y = format!(
        "{}{}{}",
        hr("first", "foo.com", "Exact", ""),
        hr("second", "foo.com", "Exact", ""),
        hr(
            "bad",
            "bar.com",
            "Exact",
            "status:\n  status: Rejected\n  error: 'wafpolicy \"x\" not found on controller'\n"
        ),
    );
    let snap = snapshot(&y);
    let settings = Settings::default();
    let ctx = Context::new(&snap, &settings);
    let v: Vec<(&str, &Verdict)> = ctx
        .crds
        .host_rules
        .iter()
        .map(|j| (j.obj.obj.name(), &j.verdict))
        .collect();
    assert!(v.contains(&("first", &Verdict::Accepted)));
    assert!(v.contains(&(
        "second",
        &Verdict::Rejected("duplicate fqdn foo.com found in default/first".into())
    )));
    assert!(
        matches!(v.iter().find(|(n, _)| *n == "bad"), Some((_, Verdict::Rejected(e))) if e.contains("not found"))
    );
    assert_eq!(
        ctx.crds.host_rule("foo.com").map(|o| o.obj.name()),
        Some("first")
    );
    assert!(ctx.crds.host_rule("bar.com").is_none());
    let warnings = ctx
        .crds
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    assert_eq!(warnings, 2);
}

#[test]
fn hostrule_validation_reasons() {
    let cases = [
        (
            "    gslb:\n      fqdn: foo.com\n",
            "GSLB FQDN and local FQDN are same",
        ),
        (
            "    tcpSettings:\n      listeners:\n      - port: 8080\n",
            "Hosting parent virtualservice must have SSL enabled",
        ),
        (
            "    tcpSettings:\n      loadBalancerIP: abc\n",
            "loadBalancerIP abc is not a valid IP",
        ),
        (
            "    aliases: [foo.com]\n",
            "Duplicate entry found. Aliases field has same entry as the FQDN field",
        ),
        ("    aliases: [a.com, a.com]\n", "Aliases must be unique"),
        (
            "    icapProfile: [a, b]\n",
            "Can only have 1 ICAP profile associated with VS",
        ),
        (
            "    tls:\n      sslKeyCertificate:\n        name: nope\n        type: secret\n",
            "secret \"nope\" not found",
        ),
        (
            "    l7Rule: missing\n",
            "l7rule.ako.vmware.com \"missing\" not found",
        ),
    ];
    for (extra, reason) in cases {
        let snap = snapshot(&hr("r", "foo.com", "Exact", extra));
        let settings = Settings::default();
        let ctx = Context::new(&snap, &settings);
        assert_eq!(
            ctx.crds.host_rules[0].verdict,
            Verdict::Rejected(reason.into()),
            "{extra}"
        );
    }
    let snap = snapshot(&hr("r", "Shared-L7-0", "Contains", "    useRegex: true\n"));
    let settings = Settings::default();
    let ctx = Context::new(&snap, &settings);
    assert!(!ctx.crds.host_rules[0].verdict.accepted());
}

#[test]
fn httprule_and_infrasetting_validation() {
    let y = "apiVersion: ako.vmware.com/v1beta1\nkind: HTTPRule\nmetadata: {name: rr, namespace: default}\nspec:\n  fqdn: foo.com\n  paths:\n  - target: /\n    tls: {type: reencrypt, pkiProfile: p, destinationCA: ca}\n---\napiVersion: ako.vmware.com/v1beta1\nkind: AviInfraSetting\nmetadata: {name: i1}\nspec:\n  network:\n    bgpPeerLabels: [a]\n---\napiVersion: ako.vmware.com/v1beta1\nkind: AviInfraSetting\nmetadata: {name: i2}\nspec:\n  network:\n    vipNetworks: [{networkName: n, cidr: 10.0.0.0/33}]\n---\napiVersion: ako.vmware.com/v1beta1\nkind: AviInfraSetting\nmetadata: {name: i3}\nspec:\n  network:\n    vipNetworks: [{networkName: n, cidr: 10.0.0.0/24}]\n  seGroup: {name: g}\n";
    let snap = snapshot(y);
    let settings = Settings::default();
    let ctx = Context::new(&snap, &settings);
    assert_eq!(
        ctx.crds.http_rules[0].verdict,
        Verdict::Rejected(validate::PKI_AND_DEST_CA.into())
    );
    let v = |n: &str| ctx.crds.infra_settings[n].verdict.clone();
    assert_eq!(
        v("i1"),
        Verdict::Rejected("BGPPeerLabels cannot be set if EnableRhi is false.".into())
    );
    assert!(
        matches!(v("i2"), Verdict::Rejected(e) if e.starts_with("invalid CIDR configuration 10.0.0.0/33"))
    );
    assert_eq!(v("i3"), Verdict::Accepted);
}

#[test]
fn health_monitor_crd_refs_need_the_operator() {
    let y = "apiVersion: ako.vmware.com/v1alpha1\nkind: HealthMonitor\nmetadata: {name: hm, namespace: default}\nspec: {type: HEALTH_MONITOR_TCP}\nstatus: {uuid: u1, tenant: admin, conditions: [{type: Programmed, status: 'True'}]}\n---\napiVersion: ako.vmware.com/v1alpha2\nkind: L4Rule\nmetadata: {name: r, namespace: default}\nspec:\n  backendProperties:\n  - {port: 80, protocol: TCP, healthMonitorCrdRefs: [hm]}\n";
    let snap = snapshot(y);
    let off = Settings {
        ako_crd_operator_enabled: false,
        ..Settings::default()
    };
    let verdict = |settings: &Settings| {
        let ctx = Context::new(&snap, settings);
        ctx.crds.l4_rules[&("default".to_string(), "r".to_string())]
            .verdict
            .clone()
    };
    assert_eq!(
        verdict(&off),
        Verdict::Rejected(
            "HealthMonitor CRD default/hm referenced but AKO CRD Operator is not enabled".into()
        )
    );
    // The chart's default: enabled.
    let on = Settings::default();
    assert!(on.ako_crd_operator_enabled);
    assert_eq!(verdict(&on), Verdict::Accepted);
    // A status for another tenant is not the operator's work for this namespace.
    let other = y.replace("tenant: admin", "tenant: t2");
    let snap2 = snapshot(&other);
    let ctx = Context::new(&snap2, &on);
    assert!(matches!(
        &ctx.crds.l4_rules[&("default".to_string(), "r".to_string())].verdict,
        Verdict::Rejected(e) if e.ends_with("is not processed by AKO CRD Operator")
    ));
}

#[test]
fn ako_crd_operator_enabled_is_read_from_the_sub_chart() {
    let text = "ako-crd-operator:\n  enabled: false\n  image: {repository: x}\n";
    let (s, diags) = values::load(&SettingsInput {
        values: Some(("values.yaml", text)),
        sets: &[],
        cloud_facts: None,
    })
    .expect("values load");
    assert!(!s.ako_crd_operator_enabled);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn infrasetting_binding_and_name_scope() {
    let y = "apiVersion: ako.vmware.com/v1beta1\nkind: AviInfraSetting\nmetadata: {name: infra-a}\nspec:\n  seGroup: {name: seg-a}\n  l7Settings: {shardSize: SMALL}\nstatus: {status: Accepted}\n---\napiVersion: ako.vmware.com/v1beta1\nkind: AviInfraSetting\nmetadata: {name: infra-b}\nspec:\n  seGroup: {name: seg-b}\nstatus: {status: Accepted}\n---\napiVersion: ako.vmware.com/v1beta1\nkind: AviInfraSetting\nmetadata: {name: infra-r}\nstatus: {status: Rejected, error: nope}\n---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: cls-a}\nspec:\n  controller: ako.vmware.com/avi-lb\n  parameters: {apiGroup: ako.vmware.com, kind: AviInfraSetting, name: infra-a}\n---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: cls-r}\nspec:\n  controller: ako.vmware.com/avi-lb\n  parameters: {apiGroup: ako.vmware.com, kind: AviInfraSetting, name: infra-r}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: red\n  annotations: {aviinfrasetting.ako.vmware.com/name: infra-b}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n  annotations: {aviinfrasetting.ako.vmware.com/name: infra-a}\n";
    let snap = snapshot(y);
    let settings = Settings::default();
    let ctx = Context::new(&snap, &settings);
    let ing = |ns: &str, class: Option<&str>| {
        let mut v = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "i", "namespace": ns}, "spec": {}});
        if let Some(c) = class {
            v["spec"]["ingressClassName"] = json!(c);
        }
        serde_json::from_value::<k8s_openapi::api::networking::v1::Ingress>(v).expect("ingress")
    };
    // Class parameters: name goes into L7 names.
    let c = ctx.crds.infra_for_ingress(&ctx, &ing("red", Some("cls-a")));
    let i = c.infra().expect("infra");
    assert_eq!((i.name(), i.prefix().as_str()), ("infra-a", "infra-a-"));
    assert_eq!(i.shard_size(&settings), crate::settings::ShardSize::Small);
    assert_eq!(i.se_group(), Some("seg-a"));
    // Same setting, but the namespace names it too: not in names.
    let c = ctx
        .crds
        .infra_for_ingress(&ctx, &ing("blue", Some("cls-a")));
    assert_eq!(c.infra().map(|i| i.prefix()), Some(String::new()));
    // Namespace fallback never changes names.
    let c = ctx.crds.infra_for_ingress(&ctx, &ing("red", None));
    let i = c.infra().expect("ns infra");
    assert_eq!((i.name(), i.name_in_names()), ("infra-b", ""));
    assert_eq!(i.shard_size(&settings), settings.shard_vs_size);
    // A rejected setting blocks the Ingress.
    assert!(matches!(
        ctx.crds.infra_for_ingress(&ctx, &ing("red", Some("cls-r"))),
        InfraChoice::Block(_)
    ));
    assert!(matches!(
        ctx.crds.infra_for_ingress(&ctx, &ing("green", None)),
        InfraChoice::None
    ));
}

#[test]
fn crd_status_surgery_keeps_key_order() {
    let sm = crate::compile::common::ServiceMetadata::default().render();
    let mut b = json!({"service_metadata": sm});
    set_crd_status(&mut b, "HostRule", "default/hr-0", "ACTIVE");
    let s = b["service_metadata"].as_str().unwrap_or("");
    assert!(s.contains(
        r#""crd_status":{"type":"HostRule","value":"default/hr-0","status":"ACTIVE"},"pool_ratio""#
    ));
    assert_eq!(
        crd_status(&b),
        Some(("HostRule".into(), "default/hr-0".into(), "ACTIVE".into()))
    );
}

/// The post-pass turns the objects of the Ingress translation into what AKO
/// sent with the HostRules/HTTPRules of the case (an SNI case, LARGE shards):
/// `before.json` is AKO's own output with the CRD-set fields taken out.
#[test]
fn post_pass_reproduces_ako_objects() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/compile/crd-post-pass/gencrd-1007/"
    );
    let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).expect("testdata");
    let snap = snapshot(&read("input.yaml"));
    let (values, facts) = (read("values.yaml"), read("cloud-facts.yaml"));
    let (settings, _) = values::load(&SettingsInput {
        values: Some(("values.yaml", &values)),
        sets: &[],
        cloud_facts: Some(("cloud-facts.yaml", &facts)),
    })
    .expect("settings");
    let ctx = Context::new(&snap, &settings);
    let before: Value = serde_json::from_str(&read("before.json")).expect("json");
    let mut out = Out::default();
    for o in before["objects"].as_array().into_iter().flatten() {
        let kind = AviType::parse(o["type"].as_str().unwrap_or("")).expect("type");
        let (name, tenant) = (
            o["name"].as_str().unwrap_or(""),
            o["tenant"].as_str().unwrap_or(""),
        );
        out.emit(kind, tenant, name, std::iter::empty(), o["body"].clone());
    }
    apply(&ctx, &mut out);
    let got = out.finish();
    let oracle: Value = serde_json::from_str(&read("oracle.json")).expect("json");
    let want = oracle["objects"].as_array().cloned().unwrap_or_default();
    assert_eq!(got.objects.objects.len(), want.len());
    for w in &want {
        let g = got
            .objects
            .objects
            .iter()
            .find(|g| g.kind.as_str() == w["type"] && g.name == w["name"])
            .unwrap_or_else(|| panic!("missing {}", w["name"]));
        assert_eq!(g.body, w["body"], "{} {}", w["type"], w["name"]);
    }
    // Provenance names the rule behind each field.
    let p: Vec<String> = got.provenance.iter().map(|p| p.to_string()).collect();
    assert!(
        p.contains(
            &"virtualservice cluster--bar.com: waf_policy_ref <- HostRule default/hr-0".to_string()
        ),
        "{p:?}"
    );
    assert!(
        p.contains(
            &"pool cluster--default-bar.com_bar-ing: lb_algorithm <- HTTPRule default/rr-0"
                .to_string()
        ),
        "{p:?}"
    );
}

#[test]
fn sso_rule_secret_outside_ako_namespace_on_openshift() {
    // Routes in the input stand for OpenShift; with useDefaultSecretsOnly the
    // client secret must live in AKO's namespace (`validateSecretReferenceInSSORule`).
    let y = "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r, namespace: default}\nspec: {host: a.com, to: {kind: Service, name: s}}\n---\n\
apiVersion: v1\nkind: Secret\nmetadata: {name: cs, namespace: default}\nstringData: {clientSecret: x}\n---\n\
apiVersion: ako.vmware.com/v1alpha2\nkind: SSORule\nmetadata: {name: sso, namespace: default}\nspec:\n  fqdn: a.com\n  ssoPolicyRef: p\n  oauthVsConfig:\n    oauthSettings:\n    - authProfileRef: auth\n      appSettings: {clientID: c, clientSecret: cs}\n";
    let snap = snapshot(y);
    let verdict = |restricted: bool| {
        let settings = Settings {
            use_default_secrets_only: restricted,
            ..Settings::default()
        };
        let ctx = Context::new(&snap, &settings);
        ctx.crds.sso_rules[0].verdict.clone()
    };
    assert_eq!(verdict(false), Verdict::Accepted);
    assert_eq!(
        verdict(true),
        Verdict::Rejected(
            "Got error while fetching cs secret : secret handling is restricted to avi-system namespace only".into()
        )
    );
}
