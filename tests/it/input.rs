//! Manifest loading through the real binary (`akoctl compile -f ...`) and
//! through the library's public input API.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn akoctl() -> Command {
    let mut cmd = match Command::cargo_bin("akoctl") {
        Ok(c) => c,
        Err(e) => panic!("akoctl binary: {e}"),
    };
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200");
    // -v: the infos (ignored kinds) are part of what these tests check.
    cmd.args(["compile", "-v"]);
    cmd
}

const D: &str = "testdata/input";

#[test]
fn multi_document_yaml() {
    akoctl()
        .args(["-f", &format!("{D}/multi.yaml")])
        .assert()
        .success()
        .stderr(contains("info: ConfigMap settings:").and(contains("multi.yaml:3)")))
        .stderr(contains(
            "warning: Service default/web: unknown field `spec.ports[0].protcol` (column 5) is ignored (testdata/input/multi.yaml:17)",
        ));
}

#[test]
fn list_items_with_their_lines() {
    akoctl()
        .args(["-f", &format!("{D}/list.yaml")])
        .assert()
        .success()
        .stderr(contains("info: ConfigMap first:").and(contains("list.yaml:4)")))
        .stderr(contains(
            "warning: Ingress prod/shop: unknown field `spec.ingresClassName` (column 5) is ignored (testdata/input/list.yaml:14)",
        ));
}

#[test]
fn json_list() {
    akoctl()
        .args(["-f", &format!("{D}/objects.json")])
        .assert()
        .success()
        .stderr(contains("info: ConfigMap from-json:").and(contains("objects.json:5)")))
        .stderr(
            contains("warning: Service prod/api: unknown field `spec.tipe`")
                .and(contains("objects.json:14)")),
        );
}

#[test]
fn folder_is_read_recursively_in_path_order() {
    let out = akoctl().args(["-f", &format!("{D}/folder")]).output();
    let out = match out {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let seen: Vec<&str> = ["folder-a", "folder-b", "folder-c", "not-a-manifest"]
        .into_iter()
        .filter(|n| stderr.contains(&format!("ConfigMap {n}:")))
        .collect();
    assert_eq!(seen, ["folder-a", "folder-b", "folder-c"], "{stderr}");
    let a = stderr.find("folder-a").unwrap_or(usize::MAX);
    let b = stderr.find("folder-b").unwrap_or(usize::MAX);
    let c = stderr.find("folder-c").unwrap_or(usize::MAX);
    assert!(a < b && b < c, "{stderr}");
}

#[test]
fn stdin_dash() {
    akoctl()
        .args(["-f", "-"])
        .write_stdin("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: piped\n")
        .assert()
        .success()
        .stderr(contains("info: ConfigMap piped:").and(contains("(<stdin>:2)")));
}

#[test]
fn stdin_and_files_together() {
    akoctl()
        .args(["-f", &format!("{D}/multi.yaml"), "-f", "-"])
        .write_stdin("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: piped\n")
        .assert()
        .success()
        .stderr(contains("ConfigMap settings:").and(contains("ConfigMap piped:")));
}

#[test]
fn duplicate_object_names_both_places() {
    akoctl()
        .args([
            "-f",
            &format!("{D}/dup-implicit.yaml"),
            "-f",
            &format!("{D}/dup-explicit.yaml"),
        ])
        .assert()
        .failure()
        .stderr(contains("Service default/web is defined twice"))
        .stderr(contains("first at testdata/input/dup-implicit.yaml:1"))
        .stderr(contains("again at testdata/input/dup-explicit.yaml:2"));
}

#[test]
fn default_namespace_flag() {
    // With another default namespace the implicit one is no longer `default`.
    akoctl()
        .args([
            "-n",
            "team",
            "-f",
            &format!("{D}/dup-implicit.yaml"),
            "-f",
            &format!("{D}/dup-explicit.yaml"),
        ])
        .assert()
        .success();
    akoctl()
        .args(["-n", "team", "-f", &format!("{D}/multi.yaml")])
        .assert()
        .success()
        .stderr(contains("warning: Service team/web: unknown field"));
}

#[test]
fn bad_yaml_names_line_and_column() {
    akoctl()
        .args(["-f", &format!("{D}/bad-syntax.yaml")])
        .assert()
        .failure()
        .stderr(contains("testdata/input/bad-syntax.yaml:5:"))
        .stderr(contains("spec: {ports: ["))
        .stderr(contains("panicked").not());
}

#[test]
fn wrong_field_type_names_line_and_column() {
    akoctl()
        .args(["-f", &format!("{D}/bad-type.yaml")])
        .assert()
        .failure()
        .stderr(contains(
            "testdata/input/bad-type.yaml:7:11: cannot decode Service default/web",
        ))
        .stderr(contains("port: eighty"));
}

#[test]
fn non_utf8_file_is_a_clean_error() {
    akoctl()
        .args(["-f", &format!("{D}/latin1.yaml")])
        .assert()
        .failure()
        .stderr(contains("latin1.yaml:4:"))
        .stderr(contains("not valid UTF-8"))
        .stderr(contains("panicked").not());
}

#[test]
fn deeply_nested_input_is_a_clean_error() {
    let text = format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: a}}\nspec: {}{}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    akoctl()
        .args(["-f", "-"])
        .write_stdin(text)
        .assert()
        .failure()
        .stderr(contains("<stdin>:4:"))
        .stderr(contains("panicked").not());
}

#[test]
fn missing_file_is_a_clean_error() {
    akoctl()
        .args(["-f", &format!("{D}/no-such-file.yaml")])
        .assert()
        .failure()
        .stderr(contains("no-such-file.yaml"));
}

#[test]
fn secret_string_data_is_merged_by_the_library() -> miette::Result<()> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let sources = akoctl::input::read_sources(&[format!("{dir}/{D}/secret.yaml")])?;
    let (snap, diags) = akoctl::input::decode(&sources, "default")?;
    assert!(diags.is_empty());
    let secret = &snap.secrets[0];
    assert!(secret.string_data.is_none());
    let data = secret.data.clone().unwrap_or_default();
    let text = |k: &str| {
        data.get(k)
            .map(|v| String::from_utf8_lossy(&v.0).into_owned())
    };
    assert_eq!(text("tls.crt").as_deref(), Some("cert"));
    assert_eq!(text("tls.key").as_deref(), Some("key"));
    Ok(())
}

#[test]
fn unserved_version_of_a_read_kind_is_an_error() {
    akoctl()
        .args(["-f", &format!("{D}/unserved-version.yaml")])
        .assert()
        .code(1)
        .stderr(contains(
            "error: HTTPRoute default/old: apiVersion gateway.networking.k8s.io/v1alpha2 is not served for HTTPRoute: the API server serves gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1 and refuses this object",
        ))
        .stderr(contains(
            "error: L7Rule default/l7: apiVersion ako.vmware.com/v1alpha1 is not served for L7Rule: the API server serves ako.vmware.com/v1alpha2",
        ))
        // Another group's kind of the same name is not AKO's.
        .stderr(contains("warning: HTTPRoute default/other-group: apiVersion example.com/v1 is not read"));
}
