//! kubeconfig parity with kubectl: the same kubeconfig against the same fake
//! API server, read by akoctl and by kubectl; both must succeed or both fail.
//! Skipped (with a note) where kubectl is not installed, except on CI.

use std::path::{Path, PathBuf};

use crate::support::fake_apiserver::{FakeApiServer, FakeCluster, FakeResource, Pki, base64};
use serde_json::{Value, json};

type Error = Box<dyn std::error::Error + Send + Sync>;
type TestResult = Result<(), Error>;

const TOKEN: &str = "parity-t0k3n";

fn find_kubectl() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|p| p.join("kubectl"))
        .find(|p| p.is_file())
}

fn kubectl_or_skip(test: &str) -> Option<PathBuf> {
    let k = find_kubectl();
    if k.is_none() {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "kubectl is missing on CI; .ci/install-kubectl installs it"
        );
        eprintln!("SKIPPED {test}: kubectl is not installed");
    }
    k
}

fn cluster() -> FakeCluster {
    let mut ns = FakeResource::new("v1", "namespaces", "Namespace", false);
    ns.items =
        vec![json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})];
    FakeCluster {
        resources: vec![ns],
        page_size: 100,
        tokens: vec![TOKEN.into()],
        ..FakeCluster::default()
    }
}

fn write_kubeconfig(dir: &Path, name: &str, cluster: Value, user: Value) -> Result<PathBuf, Error> {
    let kc = json!({
        "apiVersion": "v1", "kind": "Config", "current-context": "fake",
        "clusters": [{"name": "fake", "cluster": cluster}],
        "users": [{"name": "tester", "user": user}],
        "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "tester"}}],
    });
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&kc)?)?;
    Ok(path)
}

/// (akoctl succeeded, kubectl succeeded, akoctl's stderr, kubectl's stderr).
fn both(kubectl: &Path, kc: &Path, home: &Path) -> Result<(bool, bool, String, String), Error> {
    let ours = std::process::Command::new(env!("CARGO_BIN_EXE_akoctl"))
        .args(["compile", "-o", "json", "--kubeconfig"])
        .arg(kc)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .env_remove("KUBECONFIG")
        .output()?;
    let theirs = std::process::Command::new(kubectl)
        .arg("--kubeconfig")
        .arg(kc)
        .arg("--cache-dir")
        .arg(home.join("kube-cache"))
        .args(["--request-timeout=20s", "get", "namespaces", "-o", "json"])
        .env("HOME", home)
        .env_remove("KUBECONFIG")
        .stdin(std::process::Stdio::null())
        .output()?;
    Ok((
        ours.status.success(),
        theirs.status.success(),
        String::from_utf8_lossy(&ours.stderr).into_owned(),
        String::from_utf8_lossy(&theirs.stderr).into_owned(),
    ))
}

fn agree(
    kubectl: &Path,
    kc: &Path,
    home: &Path,
    expect_ok: bool,
    what: &str,
) -> Result<String, Error> {
    let (ours, theirs, our_err, their_err) = both(kubectl, kc, home)?;
    assert_eq!(
        (ours, theirs),
        (expect_ok, expect_ok),
        "{what}: akoctl {ours}, kubectl {theirs}\nakoctl: {our_err}\nkubectl: {their_err}"
    );
    Ok(our_err)
}

#[test]
fn ca_certificate_served_as_the_server_certificate() -> TestResult {
    let Some(kubectl) = kubectl_or_skip("ca_certificate_served_as_the_server_certificate") else {
        return Ok(());
    };
    let server = FakeApiServer::start_with(cluster(), Pki::generate_ca_as_server()?)?;
    let other = Pki::generate()?;
    let dir = tempfile::tempdir()?;
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home)?;
    let ca = base64(server.pki.ca_pem.as_bytes());
    let token = json!({"token": TOKEN});
    let port = server.addr.port();

    let kc = write_kubeconfig(
        dir.path(),
        "ip",
        json!({"server": server.url(), "certificate-authority-data": ca}),
        token.clone(),
    )?;
    agree(
        &kubectl,
        &kc,
        &home,
        true,
        "CA as server certificate, by IP",
    )?;

    let kc = write_kubeconfig(
        dir.path(),
        "dns",
        json!({"server": format!("https://localhost:{port}"), "certificate-authority-data": ca}),
        token.clone(),
    )?;
    agree(
        &kubectl,
        &kc,
        &home,
        true,
        "CA as server certificate, by name",
    )?;

    // The host must still match the certificate.
    let kc = write_kubeconfig(
        dir.path(),
        "wrong-name",
        json!({"server": server.url(), "certificate-authority-data": ca, "tls-server-name": "elsewhere.example"}),
        token.clone(),
    )?;
    agree(
        &kubectl,
        &kc,
        &home,
        false,
        "CA as server certificate, other name",
    )?;

    // Another CA: not trusted.
    let kc = write_kubeconfig(
        dir.path(),
        "other-ca",
        json!({"server": server.url(), "certificate-authority-data": base64(other.ca_pem.as_bytes())}),
        token.clone(),
    )?;
    agree(
        &kubectl,
        &kc,
        &home,
        false,
        "CA as server certificate, other CA configured",
    )?;

    // The file form of the CA, and a client certificate signed by it.
    let ca_file = dir.path().join("ca.crt");
    std::fs::write(&ca_file, &server.pki.ca_pem)?;
    let (crt, key) = (dir.path().join("client.crt"), dir.path().join("client.key"));
    std::fs::write(&crt, &server.pki.client_cert_pem)?;
    std::fs::write(&key, &server.pki.client_key_pem)?;
    let kc = write_kubeconfig(
        dir.path(),
        "files",
        json!({"server": server.url(), "certificate-authority": ca_file}),
        json!({"client-certificate": crt, "client-key": key}),
    )?;
    agree(
        &kubectl,
        &kc,
        &home,
        true,
        "CA file and client certificate files",
    )?;
    Ok(())
}

#[test]
fn kubeconfig_forms_agree_with_kubectl() -> TestResult {
    let Some(kubectl) = kubectl_or_skip("kubeconfig_forms_agree_with_kubectl") else {
        return Ok(());
    };
    let server = FakeApiServer::start(cluster())?;
    let dir = tempfile::tempdir()?;
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home)?;
    let ca = base64(server.pki.ca_pem.as_bytes());
    let port = server.addr.port();

    // tls-server-name: connect by IP, verify the name the certificate carries.
    let kc = write_kubeconfig(
        dir.path(),
        "tsn",
        json!({"server": server.url(), "certificate-authority-data": ca, "tls-server-name": "localhost"}),
        json!({"token": TOKEN}),
    )?;
    agree(&kubectl, &kc, &home, true, "tls-server-name")?;
    let kc = write_kubeconfig(
        dir.path(),
        "tsn-bad",
        json!({"server": format!("https://localhost:{port}"), "certificate-authority-data": ca, "tls-server-name": "nope.example"}),
        json!({"token": TOKEN}),
    )?;
    agree(
        &kubectl,
        &kc,
        &home,
        false,
        "tls-server-name not in the certificate",
    )?;

    // insecure-skip-tls-verify: both go on; akoctl says so.
    let kc = write_kubeconfig(
        dir.path(),
        "insecure",
        json!({"server": server.url(), "insecure-skip-tls-verify": true}),
        json!({"token": TOKEN}),
    )?;
    let err = agree(&kubectl, &kc, &home, true, "insecure-skip-tls-verify")?;
    assert!(err.contains("insecure-skip-tls-verify is set"), "{err}");

    // No CA at all: the test CA is not a public one.
    let kc = write_kubeconfig(
        dir.path(),
        "no-ca",
        json!({"server": server.url()}),
        json!({"token": TOKEN}),
    )?;
    agree(&kubectl, &kc, &home, false, "no CA")?;

    // Token files.
    let tf = dir.path().join("token");
    std::fs::write(&tf, format!("{TOKEN}\n"))?;
    let kc = write_kubeconfig(
        dir.path(),
        "tokenfile",
        json!({"server": server.url(), "certificate-authority-data": ca}),
        json!({"tokenFile": tf}),
    )?;
    agree(&kubectl, &kc, &home, true, "tokenFile")?;
    let bad = dir.path().join("bad-token");
    std::fs::write(&bad, "wrong")?;
    let kc = write_kubeconfig(
        dir.path(),
        "tokenfile-bad",
        json!({"server": server.url(), "certificate-authority-data": ca}),
        json!({"tokenFile": bad}),
    )?;
    agree(
        &kubectl,
        &kc,
        &home,
        false,
        "tokenFile with a refused token",
    )?;

    // Client certificate data.
    let kc = write_kubeconfig(
        dir.path(),
        "cert",
        json!({"server": server.url(), "certificate-authority-data": ca}),
        json!({"client-certificate-data": base64(server.pki.client_cert_pem.as_bytes()),
               "client-key-data": base64(server.pki.client_key_pem.as_bytes())}),
    )?;
    agree(&kubectl, &kc, &home, true, "client certificate")?;

    // An exec credential plugin (as EKS, GKE and OIDC helpers are).
    let plugin = dir.path().join("cred-plugin.sh");
    std::fs::write(
        &plugin,
        format!(
            "#!/bin/sh\necho '{{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{TOKEN}\"}}}}'\n"
        ),
    )?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755))?;
    }
    let exec = |cmd: &Path| json!({"exec": {"apiVersion": "client.authentication.k8s.io/v1beta1", "command": cmd, "interactiveMode": "Never"}});
    let kc = write_kubeconfig(
        dir.path(),
        "exec",
        json!({"server": server.url(), "certificate-authority-data": ca}),
        exec(&plugin),
    )?;
    agree(&kubectl, &kc, &home, true, "exec plugin")?;
    let kc = write_kubeconfig(
        dir.path(),
        "exec-missing",
        json!({"server": server.url(), "certificate-authority-data": ca}),
        exec(&dir.path().join("no-such-plugin")),
    )?;
    agree(&kubectl, &kc, &home, false, "exec plugin missing")?;
    Ok(())
}
