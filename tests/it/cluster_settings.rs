//! AKO's settings read from a cluster: a fake API server holds what AKO's
//! chart (`helm/ako/templates/configmap.yaml`, `statefulset.yaml`) or the
//! ako-operator (`BuildConfigMap`) renders for a values file, and compile
//! without `--values` must give the same objects as compile with them.
//! Also `--controller-from-cluster`: the Secret is read and never printed.

use std::path::{Path, PathBuf};

use crate::support::fake_apiserver::{FakeApiServer, FakeCluster, FakeResource, base64};
use assert_cmd::Command;
use serde_json::{Map, Value, json};

pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;
type TestResult = Result<(), Error>;

pub(crate) const TOKEN: &str = "settings-t0k3n";

pub(crate) fn akoctl() -> Result<Command, Error> {
    let mut cmd = Command::cargo_bin("akoctl")?;
    cmd.env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .env_remove("AVI_PASSWORD")
        .env_remove("AVI_AUTH_TOKEN");
    Ok(cmd)
}

/// The chart's defaults for the keys its ConfigMap renders (`helm/ako/values.yaml`).
fn chart_defaults() -> Value {
    json!({
        "featureGates": {"GatewayAPI": false, "EnablePrometheus": false},
        "AKOSettings": {"primaryInstance": true, "enableEvents": "true", "logLevel": "WARN",
            "fullSyncFrequency": "1800", "apiServerPort": 8080, "deleteConfig": "false",
            "disableStaticRouteSync": "false", "clusterName": "my-cluster", "cniPlugin": "",
            "enableEVH": false, "layer7Only": false,
            "namespaceSelector": {"labelKey": "", "labelValue": ""},
            "servicesAPI": false, "vipPerNamespace": "false", "istioEnabled": false,
            "blockedNamespaceList": [], "ipFamily": "", "useDefaultSecretsOnly": "false",
            "vpcMode": false},
        "NetworkSettings": {"nodeNetworkList": [], "enableRHI": false, "nsxtT1LR": "",
            "bgpPeerLabels": [], "vipNetworkList": [], "defaultDomain": ""},
        "L7Settings": {"defaultIngController": "true", "noPGForSNI": false, "serviceType": "ClusterIP",
            "shardVSSize": "LARGE", "passthroughShardSize": "SMALL", "enableMCI": "false",
            "fqdnReusePolicy": "InterNamespaceAllowed"},
        "L4Settings": {"defaultLBController": "true", "defaultDomain": "", "autoFQDN": "default"},
        "ControllerSettings": {"serviceEngineGroupName": "Default-Group", "controllerVersion": "",
            "cloudName": "Default-Cloud", "controllerHost": "", "tenantName": "admin", "vrfName": "",
            "dedicatedTenantMode": false},
        "nodePortSelector": {"key": "", "value": ""},
        "ako-crd-operator": {"enabled": true},
    })
}

/// helm's coalescing of user values over chart defaults.
fn coalesce(base: &mut Value, top: &Value) {
    match (base, top) {
        (Value::Object(b), Value::Object(t)) => {
            for (k, v) in t {
                match b.get_mut(k) {
                    Some(bv) if bv.is_object() && v.is_object() => coalesce(bv, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, t) => *b = t.clone(),
    }
}

/// sprig's `quote` of a scalar.
fn quote(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
}

/// The chart's ConfigMap `data` and the `ako` container env for `values`.
pub(crate) fn render_chart(user: &Value) -> (Value, Value) {
    let mut v = chart_defaults();
    coalesce(&mut v, user);
    let q = |p: &str| Value::String(quote(at(&v, p)));
    let j = |p: &str| Value::String(serde_json::to_string(at(&v, p)).unwrap_or_default());
    let mut d = Map::new();
    let rows: &[(&str, Value)] = &[
        ("primaryInstance", q("AKOSettings.primaryInstance")),
        ("controllerIP", q("ControllerSettings.controllerHost")),
        (
            "controllerVersion",
            q("ControllerSettings.controllerVersion"),
        ),
        ("cniPlugin", q("AKOSettings.cniPlugin")),
        ("shardVSSize", q("L7Settings.shardVSSize")),
        ("passthroughShardSize", q("L7Settings.passthroughShardSize")),
        ("fullSyncFrequency", q("AKOSettings.fullSyncFrequency")),
        ("cloudName", q("ControllerSettings.cloudName")),
        ("clusterName", q("AKOSettings.clusterName")),
        ("servicesAPI", q("AKOSettings.servicesAPI")),
        ("enableEVH", q("AKOSettings.enableEVH")),
        ("layer7Only", q("AKOSettings.layer7Only")),
        ("vipPerNamespace", q("AKOSettings.vipPerNamespace")),
        ("tenantName", q("ControllerSettings.tenantName")),
        ("vrfName", q("ControllerSettings.vrfName")),
        (
            "dedicatedTenantMode",
            q("ControllerSettings.dedicatedTenantMode"),
        ),
        (
            "disableStaticRouteSync",
            q("AKOSettings.disableStaticRouteSync"),
        ),
        ("defaultIngController", q("L7Settings.defaultIngController")),
        ("defaultLBController", q("L4Settings.defaultLBController")),
        ("noPGForSNI", q("L7Settings.noPGForSNI")),
        ("enableRHI", q("NetworkSettings.enableRHI")),
        ("nsxtT1LR", q("NetworkSettings.nsxtT1LR")),
        ("enableEvents", q("AKOSettings.enableEvents")),
        ("logLevel", q("AKOSettings.logLevel")),
        ("deleteConfig", q("AKOSettings.deleteConfig")),
        ("autoFQDN", q("L4Settings.autoFQDN")),
        (
            "nsSyncLabelKey",
            q("AKOSettings.namespaceSelector.labelKey"),
        ),
        (
            "nsSyncLabelValue",
            q("AKOSettings.namespaceSelector.labelValue"),
        ),
        ("serviceType", q("L7Settings.serviceType")),
        (
            "serviceEngineGroupName",
            q("ControllerSettings.serviceEngineGroupName"),
        ),
        ("bgpPeerLabels", j("NetworkSettings.bgpPeerLabels")),
        ("nodeNetworkList", j("NetworkSettings.nodeNetworkList")),
        ("vipNetworkList", j("NetworkSettings.vipNetworkList")),
        ("apiServerPort", q("AKOSettings.apiServerPort")),
        ("enableMCI", q("L7Settings.enableMCI")),
        (
            "blockedNamespaceList",
            j("AKOSettings.blockedNamespaceList"),
        ),
        ("ipFamily", q("AKOSettings.ipFamily")),
        ("istioEnabled", q("AKOSettings.istioEnabled")),
        (
            "useDefaultSecretsOnly",
            q("AKOSettings.useDefaultSecretsOnly"),
        ),
        ("vpcMode", q("AKOSettings.vpcMode")),
        ("enablePrometheus", q("featureGates.EnablePrometheus")),
        ("fqdnReusePolicy", q("L7Settings.fqdnReusePolicy")),
        ("akoCRDOperatorEnabled", q("ako-crd-operator.enabled")),
    ];
    for (k, val) in rows {
        d.insert((*k).to_string(), val.clone());
    }
    let net_domain = quote(at(&v, "NetworkSettings.defaultDomain"));
    d.insert(
        "defaultDomain".into(),
        Value::String(if net_domain.is_empty() {
            quote(at(&v, "L4Settings.defaultDomain"))
        } else {
            net_domain
        }),
    );
    let node_port = at(&v, "L7Settings.serviceType") == "NodePort";
    if node_port {
        d.insert("nodeKey".into(), q("nodePortSelector.key"));
        d.insert("nodeValue".into(), q("nodePortSelector.value"));
    }
    let from_cm = |env: &str, key: &str| json!({"name": env, "valueFrom": {"configMapKeyRef": {"name": "avi-k8s-config", "key": key}}});
    let mut env = vec![];
    for (e, k) in [
        ("CTRL_IPADDRESS", "controllerIP"),
        ("CTRL_VERSION", "controllerVersion"),
        ("CNI_PLUGIN", "cniPlugin"),
        ("ISTIO_ENABLED", "istioEnabled"),
        ("VIP_PER_NAMESPACE", "vipPerNamespace"),
        ("SHARD_VS_SIZE", "shardVSSize"),
        ("PASSTHROUGH_SHARD_SIZE", "passthroughShardSize"),
        ("FULL_SYNC_INTERVAL", "fullSyncFrequency"),
        ("PRIMARY_AKO_FLAG", "primaryInstance"),
        ("CLOUD_NAME", "cloudName"),
        ("TENANT_NAME", "tenantName"),
        ("DEDICATED_TENANT_MODE", "dedicatedTenantMode"),
        ("VRF_NAME", "vrfName"),
        ("CLUSTER_NAME", "clusterName"),
        ("ENABLE_RHI", "enableRHI"),
        ("ENABLE_EVH", "enableEVH"),
        ("SERVICES_API", "servicesAPI"),
        ("DEFAULT_DOMAIN", "defaultDomain"),
        ("DISABLE_STATIC_ROUTE_SYNC", "disableStaticRouteSync"),
    ] {
        env.push(from_cm(e, k));
    }
    if !quote(at(&v, "NetworkSettings.nsxtT1LR")).is_empty() {
        env.push(from_cm("NSXT_T1_LR", "nsxtT1LR"));
    }
    for (e, k) in [
        ("NAMESPACE_SYNC_LABEL_KEY", "nsSyncLabelKey"),
        ("NAMESPACE_SYNC_LABEL_VALUE", "nsSyncLabelValue"),
        ("DEFAULT_ING_CONTROLLER", "defaultIngController"),
        ("DEFAULT_LB_CONTROLLER", "defaultLBController"),
        ("SEG_NAME", "serviceEngineGroupName"),
        ("BGP_PEER_LABELS", "bgpPeerLabels"),
        ("NODE_NETWORK_LIST", "nodeNetworkList"),
        ("VIP_NETWORK_LIST", "vipNetworkList"),
        ("AKO_API_PORT", "apiServerPort"),
        ("SERVICE_TYPE", "serviceType"),
    ] {
        env.push(from_cm(e, k));
    }
    if node_port {
        env.push(from_cm("NODE_KEY", "nodeKey"));
        env.push(from_cm("NODE_VALUE", "nodeValue"));
    }
    env.push(from_cm("AUTO_L4_FQDN", "autoFQDN"));
    env.push(json!({"name": "LOG_FILE_PATH", "value": "/log"}));
    env.push(json!({"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}));
    for (e, k) in [
        ("MCI_ENABLED", "enableMCI"),
        ("BLOCKED_NS_LIST", "blockedNamespaceList"),
        ("IP_FAMILY", "ipFamily"),
        ("USE_DEFAULT_SECRETS_ONLY", "useDefaultSecretsOnly"),
        ("VPC_MODE", "vpcMode"),
        ("PROMETHEUS_ENABLED", "enablePrometheus"),
        ("FQDN_REUSE_POLICY", "fqdnReusePolicy"),
        ("AKO_CRD_OPERATOR_ENABLED", "akoCRDOperatorEnabled"),
    ] {
        env.push(from_cm(e, k));
    }
    let mut containers = vec![
        json!({"name": "ako", "image": "projects.registry.example/ako/ako:2.2.1", "env": env}),
    ];
    if at(&v, "featureGates.GatewayAPI") == &json!(true) {
        containers.push(json!({"name": "ako-gateway-api", "image": "projects.registry.example/ako/ako-gateway-api:2.2.1"}));
    }
    let sts = json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "ako", "namespace": "avi-system"},
        "spec": {"template": {"spec": {"containers": containers}}}});
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "avi-k8s-config", "namespace": "avi-system"}, "data": d});
    (cm, sts)
}

/// The `AKOConfig` the ako-operator would be given for `values`
/// (`ako-operator/api/v1beta1/akoconfig_types.go`).
pub(crate) fn akoconfig_for(user: &Value) -> Value {
    let mut v = chart_defaults();
    coalesce(&mut v, user);
    let b = |p: &str| match at(&v, p) {
        Value::Bool(b) => json!(b),
        Value::String(s) => json!(s == "true"),
        _ => json!(false),
    };
    let s = |p: &str| json!(quote(at(&v, p)));
    json!({"apiVersion": "ako.vmware.com/v1beta1", "kind": "AKOConfig",
    "metadata": {"name": "ako-config", "namespace": "avi-system"},
    "spec": {
        "akoSettings": {"clusterName": s("AKOSettings.clusterName"), "cniPlugin": s("AKOSettings.cniPlugin"),
            "enableEVH": b("AKOSettings.enableEVH"), "layer7Only": b("AKOSettings.layer7Only"),
            "servicesAPI": b("AKOSettings.servicesAPI"), "vipPerNamespace": b("AKOSettings.vipPerNamespace"),
            "disableStaticRouteSync": b("AKOSettings.disableStaticRouteSync"),
            "blockedNamespaceList": at(&v, "AKOSettings.blockedNamespaceList"),
            "ipFamily": s("AKOSettings.ipFamily"), "istioEnabled": b("AKOSettings.istioEnabled"),
            "useDefaultSecretsOnly": b("AKOSettings.useDefaultSecretsOnly")},
        "networkSettings": {"vipNetworkList": at(&v, "NetworkSettings.vipNetworkList"),
            "nodeNetworkList": at(&v, "NetworkSettings.nodeNetworkList"),
            "enableRHI": b("NetworkSettings.enableRHI"), "nsxtT1LR": s("NetworkSettings.nsxtT1LR"),
            "bgpPeerLabels": at(&v, "NetworkSettings.bgpPeerLabels"),
            "defaultDomain": s("NetworkSettings.defaultDomain")},
        "l7Settings": {"defaultIngController": b("L7Settings.defaultIngController"),
            "serviceType": s("L7Settings.serviceType"), "shardVSSize": s("L7Settings.shardVSSize"),
            "passthroughShardSize": s("L7Settings.passthroughShardSize"), "noPGForSNI": b("L7Settings.noPGForSNI"),
            "fqdnReusePolicy": s("L7Settings.fqdnReusePolicy")},
        "l4Settings": {"defaultDomain": s("L4Settings.defaultDomain"), "autoFQDN": s("L4Settings.autoFQDN"),
            "defaultLBController": b("L4Settings.defaultLBController")},
        "controllerSettings": {"serviceEngineGroupName": s("ControllerSettings.serviceEngineGroupName"),
            "cloudName": s("ControllerSettings.cloudName"), "tenantName": s("ControllerSettings.tenantName"),
            "vrfName": s("ControllerSettings.vrfName")},
        "nodePortSelector": {"key": s("nodePortSelector.key"), "value": s("nodePortSelector.value")},
        "featureGates": {"gatewayAPI": b("featureGates.GatewayAPI")}
    }})
}

pub(crate) fn server_with(items: Vec<(FakeResource, Vec<Value>)>) -> Result<FakeApiServer, Error> {
    let resources = items
        .into_iter()
        .map(|(mut r, it)| {
            r.items = it;
            r
        })
        .collect();
    FakeApiServer::start(FakeCluster {
        resources,
        page_size: 100,
        tokens: vec![TOKEN.into()],
        ..FakeCluster::default()
    })
}

pub(crate) fn kubeconfig(dir: &Path, server: &FakeApiServer) -> Result<PathBuf, Error> {
    let kc = json!({
        "apiVersion": "v1", "kind": "Config", "current-context": "fake",
        "clusters": [{"name": "fake", "cluster": {"server": server.url(), "certificate-authority-data": base64(server.pki.ca_pem.as_bytes())}}],
        "users": [{"name": "tester", "user": {"token": TOKEN}}],
        "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "tester"}}],
    });
    let path = dir.join("kubeconfig");
    std::fs::write(&path, serde_json::to_string(&kc)?)?;
    Ok(path)
}

fn compile(args: &[&str]) -> Result<(String, String, bool), Error> {
    // -v: the info line naming where the settings came from is a note.
    let out = akoctl()?.arg("compile").arg("-v").args(args).output()?;
    Ok((
        String::from_utf8(out.stdout)?,
        String::from_utf8(out.stderr)?,
        out.status.success(),
    ))
}

fn values_json(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path)?;
    let v: Value = serde_saphyr::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(if v.is_null() { json!({}) } else { v })
}

/// Folders with a values.yaml and manifests: the examples, and the
/// conformance cases when present next to the repository.
fn cases() -> Vec<(PathBuf, PathBuf, Option<PathBuf>)> {
    let mut out = vec![];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("testdata/examples"))
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    dirs.sort();
    for d in dirs {
        let facts = d.join("cloud-facts.yaml");
        out.push((
            d.join("values.yaml"),
            d.join("manifests"),
            facts.exists().then_some(facts),
        ));
    }
    out
}

fn same_objects_without_values(
    values: &Path,
    manifests: &Path,
    facts: Option<&Path>,
    operator: bool,
) -> TestResult {
    let user = values_json(values)?;
    let ako_ns = FakeResource::new("v1", "namespaces", "Namespace", false);
    let mut items = vec![(
        ako_ns,
        vec![json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "avi-system"}})],
    )];
    if operator {
        items.push((
            FakeResource::new("ako.vmware.com/v1beta1", "akoconfigs", "AKOConfig", true),
            vec![akoconfig_for(&user)],
        ));
    } else {
        let (cm, sts) = render_chart(&user);
        items.push((
            FakeResource::new("v1", "configmaps", "ConfigMap", true),
            vec![cm],
        ));
        items.push((
            FakeResource::new("apps/v1", "statefulsets", "StatefulSet", true),
            vec![sts],
        ));
    }
    let server = server_with(items)?;
    let dir = tempfile::tempdir()?;
    let kc = kubeconfig(dir.path(), &server)?;
    let kc = kc.to_string_lossy().to_string();
    let m = manifests.to_string_lossy().to_string();
    let mut common = vec!["-f", m.as_str(), "--kubeconfig", kc.as_str(), "-o", "json"];
    let f;
    if let Some(p) = facts {
        f = p.to_string_lossy().to_string();
        common.extend(["--cloud-facts", f.as_str()]);
    }
    let v = values.to_string_lossy().to_string();
    let mut with = common.clone();
    with.extend(["--values", v.as_str()]);
    let (expected, e_err, ok) = compile(&with)?;
    if !ok {
        return Err(format!(
            "{}: compile with --values failed:\n{e_err}",
            values.display()
        )
        .into());
    }
    let (got, err, ok) = compile(&common)?;
    // The ako-operator writes an empty node network list as "" (its
    // `BuildConfigMap`), with which AKO disables sync on the clouds that
    // need node networks (`checkNodeNetwork`): refused, as AKO would.
    let node_networks = values_json(values)?
        .pointer("/NetworkSettings/nodeNetworkList")
        .and_then(Value::as_array)
        .is_some_and(|l| !l.is_empty());
    if operator && !ok && !node_networks {
        assert!(err.contains("nodeNetworkList not set"), "{err}");
        return Ok(());
    }
    assert!(
        ok,
        "{}: compile from the cluster failed:\n{err}",
        values.display()
    );
    if !operator {
        // The release is read from AKO's image tag when not given.
        assert!(err.contains("detected from the AKO image"), "{err}");
    }
    let what = if operator { "AKOConfig" } else { "ConfigMap" };
    assert!(
        err.contains(&format!("AKO's settings read from {what} avi-system/")),
        "{err}"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&got)?["objects"],
        serde_json::from_str::<Value>(&expected)?["objects"],
        "{}: objects differ",
        values.display()
    );
    Ok(())
}

#[test]
fn chart_installed_cluster_compiles_like_its_values() -> TestResult {
    let cases = cases();
    assert!(cases.len() >= 3);
    for (values, manifests, facts) in &cases {
        same_objects_without_values(values, manifests, facts.as_deref(), false)?;
    }
    Ok(())
}

#[test]
fn operator_installed_cluster_compiles_like_its_values() -> TestResult {
    for (values, manifests, facts) in &cases() {
        same_objects_without_values(values, manifests, facts.as_deref(), true)?;
    }
    Ok(())
}

#[test]
fn set_overrides_the_cluster_and_env_literals_win() -> TestResult {
    let user = json!({"AKOSettings": {"clusterName": "from-cm"}});
    let (cm, mut sts) = render_chart(&user);
    // A literal env value, as `kubectl set env` leaves it.
    if let Some(env) = sts
        .pointer_mut("/spec/template/spec/containers/0/env")
        .and_then(Value::as_array_mut)
    {
        env.push(json!({"name": "CLUSTER_NAME", "value": "from-env"}));
    }
    let server = server_with(vec![
        (
            FakeResource::new("v1", "configmaps", "ConfigMap", true),
            vec![cm],
        ),
        (
            FakeResource::new("apps/v1", "statefulsets", "StatefulSet", true),
            vec![sts],
        ),
    ])?;
    let dir = tempfile::tempdir()?;
    let kc = kubeconfig(dir.path(), &server)?;
    let svc = dir.path().join("svc.yaml");
    std::fs::write(
        &svc,
        "apiVersion: v1\nkind: Service\nmetadata: {name: lb, namespace: shop}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n",
    )?;
    let kc = kc.to_string_lossy().to_string();
    let s = svc.to_string_lossy().to_string();
    let (out, err, ok) = compile(&["-f", &s, "--kubeconfig", &kc, "-o", "json"])?;
    assert!(ok, "{err}");
    assert!(out.contains("from-env--shop-lb"), "{out}");
    let (out, err, ok) = compile(&[
        "-f",
        &s,
        "--kubeconfig",
        &kc,
        "-o",
        "json",
        "--set",
        "AKOSettings.clusterName=from-set",
    ])?;
    assert!(ok, "{err}");
    assert!(
        out.contains("from-set--shop-lb") && !out.contains("from-env"),
        "{out}"
    );
    Ok(())
}

#[test]
fn no_configmap_warns_and_uses_defaults() -> TestResult {
    let server = server_with(vec![(
        FakeResource::new("v1", "configmaps", "ConfigMap", true),
        vec![],
    )])?;
    let dir = tempfile::tempdir()?;
    let kc = kubeconfig(dir.path(), &server)?;
    let kc = kc.to_string_lossy().to_string();
    let svc = dir.path().join("svc.yaml");
    std::fs::write(
        &svc,
        "apiVersion: v1\nkind: Service\nmetadata: {name: lb, namespace: shop}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n",
    )?;
    let s = svc.to_string_lossy().to_string();
    let (_, err, ok) = compile(&["-f", &s, "--kubeconfig", &kc, "--ako-namespace", "ako"])?;
    assert!(ok, "{err}");
    assert!(
        err.contains("no ConfigMap ako/avi-k8s-config nor AKOConfig in ako"),
        "{err}"
    );
    Ok(())
}

/// A dev controller process (admin password `s3cret`), stopped on drop.
struct Dev {
    child: std::process::Child,
    url: String,
}

impl Dev {
    fn start() -> Result<Dev, Error> {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_akoctl"))
            .args(["dev-controller", "--listen", "127.0.0.1:0"])
            .env("AVI_PASSWORD", "s3cret")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        std::io::BufReader::new(stdout).read_line(&mut line)?;
        Ok(Dev {
            child,
            url: line.trim().to_string(),
        })
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn avi_secret(password: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": {"name": "avi-secret", "namespace": "avi-system"},
        "data": {"username": base64(b"admin"), "password": base64(password.as_bytes())}})
}

#[test]
fn controller_from_cluster_reads_the_secret_and_never_prints_it() -> TestResult {
    let dev = Dev::start()?;
    let (mut cm, sts) = render_chart(&json!({"AKOSettings": {"clusterName": "demo"}}));
    cm["data"]["controllerIP"] = json!(dev.url);
    let secrets = FakeResource::new("v1", "secrets", "Secret", true);
    let server = server_with(vec![
        (
            FakeResource::new("v1", "configmaps", "ConfigMap", true),
            vec![cm.clone()],
        ),
        (
            FakeResource::new("apps/v1", "statefulsets", "StatefulSet", true),
            vec![sts.clone()],
        ),
        (secrets.clone(), vec![avi_secret("s3cret")]),
    ])?;
    let dir = tempfile::tempdir()?;
    let kc = kubeconfig(dir.path(), &server)?;
    let svc = dir.path().join("svc.yaml");
    std::fs::write(
        &svc,
        "apiVersion: v1\nkind: Service\nmetadata: {name: lb, namespace: shop}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n",
    )?;
    let out = akoctl()?
        .args(["plan", "-f"])
        .arg(&svc)
        .arg("--kubeconfig")
        .arg(&kc)
        .arg("--controller-from-cluster")
        .output()?;
    let (stdout, stderr) = (
        String::from_utf8(out.stdout)?,
        String::from_utf8(out.stderr)?,
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("credentials of user \"admin\" from Secret avi-system/avi-secret"),
        "{stderr}"
    );
    assert!(stdout.contains("demo--shop-lb"), "{stdout}");
    assert!(!stdout.contains("s3cret") && !stderr.contains("s3cret"));

    // RBAC refuses the Secret: a clear error naming it.
    let mut forbidden = secrets;
    forbidden.forbidden = true;
    let server = server_with(vec![
        (
            FakeResource::new("v1", "configmaps", "ConfigMap", true),
            vec![cm],
        ),
        (
            FakeResource::new("apps/v1", "statefulsets", "StatefulSet", true),
            vec![sts],
        ),
        (forbidden, vec![avi_secret("s3cret")]),
    ])?;
    let kc = kubeconfig(dir.path(), &server)?;
    let out = akoctl()?
        .args(["plan", "-f"])
        .arg(&svc)
        .arg("--kubeconfig")
        .arg(&kc)
        .arg("--controller-from-cluster")
        .output()?;
    let stderr = String::from_utf8(out.stderr)?;
    assert!(!out.status.success());
    assert!(
        stderr.contains("may not get Secret avi-system/avi-secret (HTTP 403)"),
        "{stderr}"
    );
    Ok(())
}
