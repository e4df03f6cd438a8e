//! Zero configuration against a live cluster: where each setting came from
//! (`akoctl settings`, `-v`), and `akoctl snapshot` writing the settings and
//! cloud facts a live compile used, so that an offline replay gives the same
//! objects.

use crate::cluster_settings::{
    Error, akoconfig_for, akoctl, avi_secret, kubeconfig, render_chart, server_with,
};
use crate::support::fake_apiserver::FakeResource;
use serde_json::{Value, json};

type TestResult = Result<(), Error>;

fn run(args: &[&str]) -> Result<(String, String, bool), Error> {
    let out = akoctl()?.args(args).output()?;
    Ok((
        String::from_utf8(out.stdout)?,
        String::from_utf8(out.stderr)?,
        out.status.success(),
    ))
}

/// `akoctl settings -o json`, as setting -> (value, origin).
fn settings_json(args: &[&str]) -> Result<Vec<(String, Value, String)>, Error> {
    let mut all = vec!["settings", "-o", "json"];
    all.extend(args);
    let (out, err, ok) = run(&all)?;
    if !ok {
        return Err(format!("akoctl settings failed:\n{err}").into());
    }
    let doc: Value = serde_json::from_str(&out)?;
    let rows = doc["settings"].as_array().ok_or("no settings")?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                r["setting"].as_str().unwrap_or("").to_string(),
                r["value"].clone(),
                r["origin"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect())
}

fn origin_of<'a>(rows: &'a [(String, Value, String)], setting: &str) -> &'a str {
    rows.iter()
        .find(|r| r.0 == setting)
        .map(|r| r.2.as_str())
        .unwrap_or("(no row)")
}

fn value_of<'a>(rows: &'a [(String, Value, String)], setting: &str) -> &'a Value {
    rows.iter()
        .find(|r| r.0 == setting)
        .map(|r| &r.1)
        .unwrap_or(&Value::Null)
}

const LB: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: lb, namespace: shop}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n";

#[test]
fn settings_offline_name_lines_sets_facts_and_defaults() -> TestResult {
    let dir = tempfile::tempdir()?;
    let values = dir.path().join("values.yaml");
    std::fs::write(
        &values,
        "AKOSettings:\n  clusterName: prod\n  cniPlugin: calico\nL7Settings:\n  shardVSSize: MEDIUM\navicredentials:\n  username: admin\n  password: hunter2-values\n",
    )?;
    let facts = dir.path().join("facts.yaml");
    std::fs::write(&facts, "cloudType: CLOUD_VCENTER\ndnsSubdomains: [a.com]\n")?;
    let v = values.to_string_lossy().to_string();
    let f = facts.to_string_lossy().to_string();
    let rows = settings_json(&[
        "--values",
        &v,
        "--set",
        "ControllerSettings.tenantName=team-a",
        "--cloud-facts",
        &f,
    ])?;
    assert_eq!(
        origin_of(&rows, "AKOSettings.clusterName"),
        format!("{v}:2")
    );
    assert_eq!(origin_of(&rows, "L7Settings.shardVSSize"), format!("{v}:5"));
    assert_eq!(
        origin_of(&rows, "ControllerSettings.tenantName"),
        "--set ControllerSettings.tenantName=team-a"
    );
    assert_eq!(value_of(&rows, "ControllerSettings.tenantName"), "team-a");
    assert_eq!(origin_of(&rows, "ControllerSettings.cloudName"), "default");
    assert_eq!(
        origin_of(&rows, "cloudFacts.dnsSubdomains"),
        format!("{f}:2")
    );
    assert_eq!(origin_of(&rows, "cloudFacts.defaultLicenseTier"), "default");

    // The table, and never a credential.
    let (table, err, ok) = run(&["settings", "--values", &v, "--changed"])?;
    assert!(ok, "{err}");
    let table = table.replace(&v, "values.yaml");
    insta::assert_snapshot!(table);
    let (json, _, _) = run(&["settings", "--values", &v, "-o", "json"])?;
    assert!(!json.contains("hunter2") && !table.contains("hunter2"));
    assert!(!json.contains("avicredentials"));

    // -v on compile and plan: one line per setting that is not the default.
    let svc = dir.path().join("svc.yaml");
    std::fs::write(&svc, LB)?;
    let s = svc.to_string_lossy().to_string();
    let (_, err, ok) = run(&["compile", "-f", &s, "--values", &v, "-o", "name", "-v"])?;
    assert!(ok, "{err}");
    assert!(
        err.contains(&format!("setting: L7Settings.shardVSSize = MEDIUM ({v}:5)")),
        "{err}"
    );
    assert!(!err.contains("ControllerSettings.cloudName"), "{err}");
    assert!(!err.contains("hunter2"));
    let (_, err, ok) = run(&["compile", "-f", &s, "--values", &v, "-o", "name"])?;
    assert!(ok && !err.contains("setting:"), "{err}");
    let (_, err, ok) = run(&["plan", "-f", &s, "--values", &v, "-v"])?;
    assert!(ok, "{err}");
    assert!(
        err.contains(&format!("setting: AKOSettings.clusterName = prod ({v}:2)")),
        "{err}"
    );
    Ok(())
}

fn chart_cluster(
    user: &Value,
    literal_env: Option<(&str, &str)>,
) -> Vec<(FakeResource, Vec<Value>)> {
    let (cm, mut sts) = render_chart(user);
    if let Some((name, value)) = literal_env
        && let Some(env) = sts
            .pointer_mut("/spec/template/spec/containers/0/env")
            .and_then(Value::as_array_mut)
    {
        env.push(json!({"name": name, "value": value}));
    }
    vec![
        (
            FakeResource::new("v1", "configmaps", "ConfigMap", true),
            vec![cm],
        ),
        (
            FakeResource::new("apps/v1", "statefulsets", "StatefulSet", true),
            vec![sts],
        ),
        (
            FakeResource::new("v1", "secrets", "Secret", true),
            vec![avi_secret("hunter2-secret")],
        ),
    ]
}

#[test]
fn settings_from_a_cluster_name_the_configmap_key_the_env_and_the_akoconfig_field() -> TestResult {
    let user = json!({"AKOSettings": {"clusterName": "from-cm"}, "L7Settings": {"shardVSSize": "SMALL"},
        "NetworkSettings": {"vipNetworkList": [{"networkName": "vip", "cidr": "10.0.0.0/24"}],
            "nodeNetworkList": [{"networkName": "node", "cidrs": ["10.1.0.0/16"]}]}});
    let server = server_with(chart_cluster(&user, Some(("CLUSTER_NAME", "from-env"))))?;
    let dir = tempfile::tempdir()?;
    let kc = kubeconfig(dir.path(), &server)?;
    let kc = kc.to_string_lossy().to_string();
    let rows = settings_json(&["--kubeconfig", &kc])?;
    assert_eq!(value_of(&rows, "AKOSettings.clusterName"), "from-env");
    assert_eq!(
        origin_of(&rows, "AKOSettings.clusterName"),
        "env CLUSTER_NAME of container ako in StatefulSet avi-system/ako"
    );
    assert_eq!(
        origin_of(&rows, "L7Settings.shardVSSize"),
        "ConfigMap avi-system/avi-k8s-config key shardVSSize"
    );
    assert_eq!(
        origin_of(&rows, "NetworkSettings.vipNetworkList"),
        "ConfigMap avi-system/avi-k8s-config key vipNetworkList"
    );
    assert_eq!(
        origin_of(&rows, "featureGates.GatewayAPI"),
        "container ako-gateway-api not in StatefulSet avi-system/ako"
    );
    // --set over the cluster.
    let rows = settings_json(&[
        "--kubeconfig",
        &kc,
        "--set",
        "L7Settings.shardVSSize=MEDIUM",
    ])?;
    assert_eq!(
        origin_of(&rows, "L7Settings.shardVSSize"),
        "--set L7Settings.shardVSSize=MEDIUM"
    );
    let (out, err, ok) = run(&["settings", "--kubeconfig", &kc])?;
    assert!(ok, "{err}");
    assert!(!out.contains("hunter2") && !err.contains("hunter2"));

    // An operator install: the AKOConfig's fields.
    let server = server_with(vec![(
        FakeResource::new("ako.vmware.com/v1beta1", "akoconfigs", "AKOConfig", true),
        vec![akoconfig_for(&user)],
    )])?;
    let kc = kubeconfig(dir.path(), &server)?;
    let kc = kc.to_string_lossy().to_string();
    let rows = settings_json(&["--kubeconfig", &kc])?;
    assert_eq!(
        origin_of(&rows, "L7Settings.shardVSSize"),
        "AKOConfig avi-system/ako-config field spec.l7Settings.shardVSSize"
    );
    assert_eq!(value_of(&rows, "L7Settings.shardVSSize"), "SMALL");
    Ok(())
}

/// Every file below `dir`, as text.
fn all_text(dir: &std::path::Path) -> Result<String, Error> {
    let mut out = String::new();
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            out.push_str(&all_text(&p)?);
        } else {
            out.push_str(&std::fs::read_to_string(&p)?);
        }
    }
    Ok(out)
}

#[test]
fn snapshot_writes_the_settings_and_cloud_facts_and_replays_byte_identical() -> TestResult {
    let user = json!({"AKOSettings": {"clusterName": "live", "enableEVH": true},
        "L7Settings": {"shardVSSize": "SMALL"},
        "NetworkSettings": {"vipNetworkList": [{"networkName": "vip", "cidr": "10.0.0.0/24"}]}});
    let mut cluster = crate::cluster::fake_cluster();
    let (cm, mut sts) = render_chart(&user);
    // AKO 2.1.1 runs in the cluster: the replay must model it too.
    sts["spec"]["template"]["spec"]["containers"][0]["image"] =
        json!("projects.registry.example/ako/ako:2.1.1");
    let mut cms = FakeResource::new("v1", "configmaps", "ConfigMap", true);
    cms.items = vec![cm];
    let mut sets = FakeResource::new("apps/v1", "statefulsets", "StatefulSet", true);
    sets.items = vec![sts];
    cluster.resources.extend([cms, sets]);
    for r in &mut cluster.resources {
        if r.plural == "secrets" {
            r.items.push(avi_secret("hunter2-secret"));
        }
    }
    cluster
        .tokens
        .push(crate::cluster_settings::TOKEN.to_string());
    let server = crate::support::fake_apiserver::FakeApiServer::start(cluster)?;
    let dir = tempfile::tempdir()?;
    let kc = kubeconfig(dir.path(), &server)?;
    let kc = kc.to_string_lossy().to_string();
    let facts = dir.path().join("facts.yaml");
    std::fs::write(
        &facts,
        "cloudType: CLOUD_VCENTER\ndnsSubdomains: [example.com]\ndefaultLicenseTier: ENTERPRISE\n",
    )?;
    let f = facts.to_string_lossy().to_string();
    let snap = dir.path().join("snap");
    let snap_arg = snap.to_string_lossy().to_string();

    let (live, err, ok) = run(&[
        "compile",
        "--kubeconfig",
        &kc,
        "--cloud-facts",
        &f,
        "-o",
        "json",
    ])?;
    assert!(ok, "{err}");
    let (_, err, ok) = run(&[
        "snapshot",
        "--kubeconfig",
        &kc,
        "--cloud-facts",
        &f,
        "-o",
        &snap_arg,
    ])?;
    assert!(ok, "{err}");
    let values = std::fs::read_to_string(snap.join("values.yaml"))?;
    assert!(
        values.contains(
            "shardVSSize: \"SMALL\"  # ConfigMap avi-system/avi-k8s-config key shardVSSize"
        ),
        "{values}"
    );
    let written = std::fs::read_to_string(snap.join("cloud-facts.yaml"))?;
    assert!(
        written.contains("dnsSubdomains: [\"example.com\"]") && written.contains("vrf: \"global\""),
        "{written}"
    );
    assert!(!all_text(&snap)?.contains("hunter2"));

    // The replay command printed by snapshot, run as printed.
    let replay = err
        .lines()
        .find_map(|l| l.strip_prefix("replay offline: akoctl "))
        .ok_or_else(|| format!("no replay line:\n{err}"))?;
    assert!(replay.ends_with("--ako-version 2.1.1"), "{replay}");
    let mut args: Vec<&str> = replay.split_whitespace().collect();
    args.extend(["-o", "json"]);
    let (offline, err, ok) = run(&args)?;
    assert!(ok, "{err}");
    let live: Value = serde_json::from_str(&live)?;
    let offline: Value = serde_json::from_str(&offline)?;
    let objects = live["objects"].as_array().ok_or("no objects")?;
    assert!(
        objects
            .iter()
            .any(|o| o["name"].as_str().is_some_and(|n| n.starts_with("live--"))),
        "{live}"
    );
    assert_eq!(
        serde_json::to_string(&live["objects"])?,
        serde_json::to_string(&offline["objects"])?
    );
    Ok(())
}

/// A dev controller process started with `args`, its stderr collected;
/// stopped on drop.
struct Dev {
    child: std::process::Child,
    url: String,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Dev {
    fn start(args: &[&str]) -> Result<Dev, Error> {
        use std::io::{BufRead, Read};
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_akoctl"))
            .args(["dev-controller", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("AVI_PASSWORD", "s3cret")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()?;
        let mut err = child.stderr.take().ok_or("no stderr")?;
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            s
        });
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        std::io::BufReader::new(stdout).read_line(&mut line)?;
        Ok(Dev {
            child,
            url: line.trim().to_string(),
            stderr: Some(stderr),
        })
    }

    /// Stop it and return what it printed on stderr.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `akoctl VERB ... --controller URL` with the dev controller's password.
fn against(dev: &Dev, verb: &str, args: &[&str]) -> Result<(String, String, Option<i32>), Error> {
    let out = akoctl()?
        .arg(verb)
        .args(args)
        .args(["--controller", dev.url.as_str()])
        .env("AVI_PASSWORD", "s3cret")
        .write_stdin("")
        .output()?;
    Ok((
        String::from_utf8(out.stdout)?,
        String::from_utf8(out.stderr)?,
        out.status.code(),
    ))
}

const TEAMS: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: red
  annotations:
    ako.vmware.com/tenant-name: team-red
---
apiVersion: ako.vmware.com/v1beta1
kind: AviInfraSetting
metadata:
  name: dmz
spec:
  seGroup:
    name: dmz-seg
  network:
    vipNetworks:
    - networkName: dmz-vip
      cidr: 10.9.0.0/24
---
apiVersion: v1
kind: Service
metadata:
  name: lb
  namespace: red
  annotations:
    aviinfrasetting.ako.vmware.com/name: dmz
spec:
  type: LoadBalancer
  ports:
  - port: 80
";

#[test]
fn dev_controller_seeded_from_the_inputs_takes_their_objects() -> TestResult {
    let dir = tempfile::tempdir()?;
    let values = dir.path().join("values.yaml");
    std::fs::write(
        &values,
        "AKOSettings:\n  clusterName: teams\nNetworkSettings:\n  vipNetworkList:\n  - networkName: vip\n    cidr: 10.0.0.0/24\n",
    )?;
    let facts = dir.path().join("facts.yaml");
    std::fs::write(&facts, "dnsSubdomains: [avi.internal]\n")?;
    let inputs = dir.path().join("inputs.yaml");
    std::fs::write(&inputs, TEAMS)?;
    let (v, f, i) = (
        values.to_string_lossy().to_string(),
        facts.to_string_lossy().to_string(),
        inputs.to_string_lossy().to_string(),
    );
    let dev = Dev::start(&["--values", &v, "--cloud-facts", &f, "-f", &i])?;
    // The cloud facts come from the controller: its DNS profile's sub-domains.
    let (_, err, code) = against(&dev, "apply", &["-f", &i, "--values", &v, "--auto-approve"])?;
    assert_eq!(code, Some(0), "{err}");
    let (out, err, code) = against(
        &dev,
        "plan",
        &["-f", &i, "--values", &v, "--detailed-exitcode"],
    )?;
    assert_eq!(code, Some(0), "{out}{err}");
    let state = dir.path().join("state.json");
    let s = state.to_string_lossy().to_string();
    let (_, err, code) = against(&dev, "pull", &["--values", &v, "-o", &s])?;
    assert_eq!(code, Some(0), "{err}");
    let state: Value = serde_json::from_str(&std::fs::read_to_string(&state)?)?;
    let vsvip = state["objects"]
        .as_array()
        .and_then(|a| a.iter().find(|o| o["type"] == "vsvip"))
        .ok_or("no vsvip")?;
    assert_eq!(vsvip["tenant"], "team-red", "{vsvip}");
    assert_eq!(vsvip["name"], "teams--red-lb", "{vsvip}");
    assert!(
        vsvip["body"]["vip"][0]["ipam_network_subnet"]["network_ref"]
            .as_str()
            .is_some_and(|r| r.ends_with("#dmz-vip")),
        "{vsvip}"
    );
    assert_eq!(
        vsvip["body"]["dns_info"][0]["fqdn"], "lb.red.avi.internal",
        "{vsvip}"
    );
    let printed = dev.stop();
    for line in [
        "created tenant team-red (for annotation ako.vmware.com/tenant-name of Namespace red)",
        "created serviceenginegroup dmz-seg (for AviInfraSetting dmz spec.seGroup.name)",
        "created network dmz-vip (for AviInfraSetting dmz spec.network.vipNetworks)",
        "created ipamdnsproviderprofile Default-Cloud-dns (for dnsSubdomains of the cloud facts)",
    ] {
        assert!(printed.contains(line), "{line}\n{printed}");
    }
    Ok(())
}

#[test]
fn a_controller_lacking_a_tenant_network_or_se_group_names_who_asked_and_the_flag() -> TestResult {
    let dir = tempfile::tempdir()?;
    let values = dir.path().join("values.yaml");
    std::fs::write(
        &values,
        "AKOSettings:\n  clusterName: teams\nNetworkSettings:\n  vipNetworkList:\n  - networkName: vip\n    cidr: 10.0.0.0/24\n",
    )?;
    let inputs = dir.path().join("inputs.yaml");
    std::fs::write(&inputs, TEAMS)?;
    let (v, i) = (
        values.to_string_lossy().to_string(),
        inputs.to_string_lossy().to_string(),
    );
    let plain = dir.path().join("plain.yaml");
    std::fs::write(&plain, LB)?;
    let p = plain.to_string_lossy().to_string();
    // A bare dev controller: no tenant team-red, no networks, no dmz-seg.
    let dev = Dev::start(&[])?;
    let mut seen = String::new();
    let (_, err, code) = against(&dev, "apply", &["-f", &i, "--values", &v, "--auto-approve"])?;
    assert_eq!(code, Some(1), "{err}");
    seen.push_str(&err);
    let (_, err, code) = against(
        &dev,
        "plan",
        &[
            "-f",
            &p,
            "--values",
            &v,
            "--set",
            "ControllerSettings.tenantName=team-a",
        ],
    )?;
    assert_eq!(code, Some(1), "{err}");
    seen.push_str(&err);
    let (_, err, code) = against(&dev, "plan", &["-f", &p, "--values", &v])?;
    assert_eq!(code, Some(1), "{err}");
    seen.push_str(&err);
    // With --tenant team-red: the missing network and SE group, before any write.
    let dev = Dev::start(&["--tenant", "team-red"])?;
    let (_, err, code) = against(&dev, "apply", &["-f", &i, "--values", &v, "--auto-approve"])?;
    assert_eq!(code, Some(1), "{err}");
    seen.push_str(&err);
    let dir_text = dir.path().to_string_lossy().to_string();
    let hints: String = seen
        .lines()
        .filter(|l| l.starts_with("error:") || l.starts_with("hint:"))
        .map(|l| format!("{}\n", l.replace(&dir_text, "<dir>")))
        .collect();
    insta::assert_snapshot!(hints);
    Ok(())
}

/// An exec credential plugin whose token carries an `expirationTimestamp`
/// in the past is run again before the next request, as kubectl does
/// (client-go's exec authenticator re-runs the plugin once the credential
/// has expired); the `kube` crate refreshes such a token (its
/// `RefreshableToken::Exec`, a minute before expiry). Pinned here: the API
/// server accepts only the token of the second run.
#[test]
fn an_expired_exec_credential_is_requested_again() -> TestResult {
    const FRESH: &str = "exec-fresh-t0k3n";
    let mut cluster = crate::cluster::fake_cluster();
    cluster.tokens = vec![FRESH.to_string()];
    let server = crate::support::fake_apiserver::FakeApiServer::start(cluster)?;
    let dir = tempfile::tempdir()?;
    let count = dir.path().join("runs");
    let script = dir.path().join("credential.sh");
    // First run: a token that expired in 2020; later runs: the accepted
    // token, valid until 2100.
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho run >> '{count}'\nif [ \"$(wc -l < '{count}')\" -le 1 ]; then t=stale-t0k3n; e=2020-01-01T00:00:00Z; else t={FRESH}; e=2100-01-01T00:00:00Z; fi\nprintf '{{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"%s\",\"expirationTimestamp\":\"%s\"}}}}' \"$t\" \"$e\"\n",
            count = count.display()
        ),
    )?;
    let kc = json!({
        "apiVersion": "v1", "kind": "Config", "current-context": "fake",
        "clusters": [{"name": "fake", "cluster": {"server": server.url(),
            "certificate-authority-data": crate::support::fake_apiserver::base64(server.pki.ca_pem.as_bytes())}}],
        "users": [{"name": "exec", "user": {"exec": {"apiVersion": "client.authentication.k8s.io/v1beta1",
            "command": "/bin/sh", "args": [script.display().to_string()], "interactiveMode": "Never"}}}],
        "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "exec"}}],
    });
    let kc_path = dir.path().join("kubeconfig");
    std::fs::write(&kc_path, serde_json::to_string(&kc)?)?;
    let kc_arg = kc_path.to_string_lossy().to_string();
    let svc = dir.path().join("svc.yaml");
    std::fs::write(&svc, LB)?;
    let s = svc.to_string_lossy().to_string();
    let (out, err, ok) = run(&["compile", "--kubeconfig", &kc_arg, "-f", &s, "-o", "name"])?;
    assert!(ok, "{err}");
    assert!(out.contains("virtualservice/"), "{out}");
    let runs = std::fs::read_to_string(&count)?.lines().count();
    assert!(runs >= 2, "the plugin ran {runs} time(s)");
    assert!(
        !err.contains(FRESH) && !err.contains("stale-t0k3n"),
        "{err}"
    );
    Ok(())
}

#[test]
fn apply_with_the_settings_of_a_cluster_names_them_in_the_hint() -> TestResult {
    let user = json!({"AKOSettings": {"clusterName": "live"},
        "ControllerSettings": {"tenantName": "team-x"}});
    let server = server_with(chart_cluster(&user, None))?;
    let dir = tempfile::tempdir()?;
    let kc = kubeconfig(dir.path(), &server)?;
    let kc = kc.to_string_lossy().to_string();
    let svc = dir.path().join("svc.yaml");
    std::fs::write(&svc, LB)?;
    let s = svc.to_string_lossy().to_string();
    let dev = Dev::start(&[])?;
    let (_, err, code) = against(
        &dev,
        "apply",
        &["-f", &s, "--kubeconfig", &kc, "--auto-approve"],
    )?;
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("hint: tenant team-x is asked for by ControllerSettings.tenantName (AKO's settings in the cluster); create it on the controller, or with akoctl dev-controller: --tenant team-x"),
        "{err}"
    );
    assert!(!err.contains("hunter2"));
    Ok(())
}
