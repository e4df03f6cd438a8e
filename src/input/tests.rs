use super::*;

fn src(name: &str, text: &str) -> Source {
    Source {
        name: name.into(),
        text: text.into(),
    }
}

fn ok(sources: &[Source]) -> (Snapshot, Vec<Diagnostic>) {
    match decode(sources, "default") {
        Ok(r) => r,
        Err(e) => panic!("decode failed: {e:?}"),
    }
}

/// The error's full text: message chain and rendered snippet.
fn err(sources: &[Source]) -> String {
    match decode(sources, "default") {
        Ok(_) => panic!("decode should fail"),
        Err(e) => {
            let mut out = String::new();
            let handler = miette::GraphicalReportHandler::new_themed(
                miette::GraphicalTheme::unicode_nocolor(),
            );
            if handler.render_report(&mut out, e.as_ref()).is_err() {
                out = format!("{e:?}");
            }
            out
        }
    }
}

fn names<
    T: k8s_openapi::Metadata<Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>,
>(
    objs: &[crate::model::Obj<T>],
) -> Vec<String> {
    objs.iter()
        .map(|o| {
            let m = o.obj.metadata();
            format!(
                "{}/{}@{}",
                m.namespace.as_deref().unwrap_or("-"),
                m.name.as_deref().unwrap_or("-"),
                o.origin
            )
        })
        .collect()
}

const SVC: &str =
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n";

#[test]
fn multi_document_with_empty_documents_and_lines() {
    let text = "# header comment\n---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n# only a comment\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  namespace: prod\n...\n";
    let (snap, diags) = ok(&[src("m.yaml", text)]);
    assert_eq!(
        names(&snap.services),
        ["default/a@m.yaml:4", "prod/b@m.yaml:11"]
    );
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn list_items_get_their_own_lines() {
    let text = "apiVersion: v1\nkind: List\nmetadata: {}\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm\n-   apiVersion: networking.k8s.io/v1\n    kind: Ingress\n    metadata:\n      name: i\n";
    let (snap, diags) = ok(&[src("l.yaml", text)]);
    assert_eq!(names(&snap.services), ["default/a@l.yaml:5"]);
    assert_eq!(names(&snap.ingresses), ["default/i@l.yaml:13"]);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].severity, Severity::Info);
    assert_eq!(diags[0].origin.as_ref().map(|o| o.line), Some(9));
}

#[test]
fn typed_list_items_may_omit_kind() {
    let text = r#"{"apiVersion": "v1", "kind": "ServiceList", "items": [
  {"metadata": {"name": "a", "namespace": "x"}, "spec": {"ports": [{"port": 80}]}},
  {"metadata": {"name": "b", "namespace": "x"}}
]}"#;
    let (snap, _) = ok(&[src("l.json", text)]);
    assert_eq!(names(&snap.services), ["x/a@l.json:2", "x/b@l.json:3"]);
}

#[test]
fn json_documents() {
    let text = "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Service\",\n\t\"metadata\": {\"name\": \"j\"},\n\t\"spec\": {\"ports\": [{\"port\": 443, \"protocol\": \"TCP\"}]}\n}\n";
    let (snap, diags) = ok(&[src("s.json", text)]);
    assert_eq!(names(&snap.services), ["default/j@s.json:1"]);
    let port = snap.services[0]
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .map(|p| p[0].port);
    assert_eq!(port, Some(443));
    assert!(diags.is_empty());
}

#[test]
fn default_namespace_only_for_namespaced_kinds() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns1}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\n---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: avi}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: \"\"}\n";
    let (snap, _) = match decode(&[src("n.yaml", text)], "team") {
        Ok(r) => r,
        Err(e) => panic!("{e:?}"),
    };
    assert_eq!(snap.namespaces[0].metadata.namespace, None);
    assert_eq!(snap.nodes[0].metadata.namespace, None);
    assert_eq!(snap.ingress_classes[0].metadata.namespace, None);
    assert_eq!(snap.secrets[0].metadata.namespace.as_deref(), Some("team"));
    assert_eq!(snap.services[0].metadata.namespace.as_deref(), Some("team"));
}

#[test]
fn unknown_kind_is_info_with_kind_name_and_place() {
    let text = format!(
        "{SVC}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: x\n"
    );
    let (snap, diags) = ok(&[src("u.yaml", &text)]);
    assert_eq!(snap.services.len(), 1);
    assert_eq!(diags.len(), 1);
    let d = diags[0].to_string();
    assert_eq!(diags[0].severity, Severity::Info);
    assert!(
        d.contains("Deployment x/d") && d.contains("u.yaml:9"),
        "{d}"
    );
}

#[test]
fn other_version_of_known_kind_is_a_warning() {
    let text = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\n";
    let (snap, diags) = ok(&[src("v.yaml", text)]);
    assert!(snap.ingresses.is_empty());
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert!(diags[0].message.contains("networking.k8s.io/v1"));
}

#[test]
fn duplicate_object_names_both_places() {
    let second =
        "# again\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\n";
    let e = err(&[src("one.yaml", SVC), src("two.yaml", second)]);
    assert!(e.contains("Service default/web is defined twice"), "{e}");
    assert!(e.contains("one.yaml:1") && e.contains("two.yaml:2"), "{e}");
}

#[test]
fn duplicates_inside_a_list() {
    let text = "kind: List\napiVersion: v1\nitems:\n- {apiVersion: v1, kind: Node, metadata: {name: n}}\n- {apiVersion: v1, kind: Node, metadata: {name: n}}\n";
    let e = err(&[src("l.yaml", text)]);
    assert!(
        e.contains("Node n is defined twice") && e.contains("l.yaml:4") && e.contains("l.yaml:5"),
        "{e}"
    );
}

#[test]
fn same_name_in_other_namespace_or_kind_is_fine() {
    let text = format!(
        "{SVC}---\napiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: other}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {{name: web}}\n"
    );
    let (snap, _) = ok(&[src("d.yaml", &text)]);
    assert_eq!(snap.services.len(), 2);
    assert_eq!(snap.secrets.len(), 1);
}

#[test]
fn other_default_namespace_avoids_duplicate() {
    let explicit = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\n";
    assert!(decode(&[src("a", SVC), src("b", explicit)], "default").is_err());
    assert!(decode(&[src("a", SVC), src("b", explicit)], "other").is_ok());
}

#[test]
fn bad_yaml_has_line_and_column_and_snippet() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec: [\n";
    let e = err(&[src("bad.yaml", text)]);
    assert!(e.contains("bad.yaml:5:7"), "{e}");
    assert!(e.contains("spec: ["), "snippet missing: {e}");
}

#[test]
fn bad_indentation_is_an_error() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n   namespace: x\n";
    let e = err(&[src("bad.yaml", text)]);
    assert!(e.contains("bad.yaml:5:"), "{e}");
}

#[test]
fn wrong_field_type_has_location() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: eighty\n";
    let e = err(&[src("t.yaml", text)]);
    assert!(
        e.contains("t.yaml:7:11") && e.contains("Service default/web"),
        "{e}"
    );
    assert!(e.contains("port: eighty"), "{e}");
}

#[test]
fn wrong_structure_type_has_location() {
    let text = format!(
        "{SVC}---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: i}}\nspec:\n  rules: notalist\n"
    );
    let e = err(&[src("t.yaml", &text)]);
    assert!(
        e.contains("t.yaml:13:10") && e.contains("Ingress default/i"),
        "{e}"
    );
}

#[test]
fn wrong_type_in_list_item_names_the_item() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b}\n  spec: {ports: [{port: [1]}]}\n";
    let e = err(&[src("t.yaml", text)]);
    assert!(
        e.contains("t.yaml:10:") && e.contains("Service default/b"),
        "{e}"
    );
}

#[test]
fn unknown_fields_are_warnings_at_their_line() {
    let text = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  labelz: {}\nspec:\n  ingresClassName: avi\n  rules:\n  - host: a.com\n    http:\n      paths:\n      - path: /\n        pathTyp: Prefix\n";
    let (snap, diags) = ok(&[src("w.yaml", text)]);
    assert_eq!(snap.ingresses.len(), 1);
    let got: Vec<(String, Option<usize>)> = diags
        .iter()
        .map(|d| (d.message.clone(), d.origin.as_ref().map(|o| o.line)))
        .collect();
    assert_eq!(
        got,
        [
            (
                "unknown field `metadata.labelz` (column 3) is ignored".to_string(),
                Some(5)
            ),
            (
                "unknown field `spec.ingresClassName` (column 3) is ignored".to_string(),
                Some(7)
            ),
            (
                "unknown field `spec.rules[0].http.paths[0].pathTyp` (column 9) is ignored"
                    .to_string(),
                Some(13)
            ),
        ]
    );
    assert!(diags.iter().all(|d| d.severity == Severity::Warning));
    assert!(
        diags
            .iter()
            .all(|d| d.object.as_deref() == Some("Ingress default/i"))
    );
}

#[test]
fn unknown_field_in_list_item_and_later_document() {
    let text = format!(
        "{SVC}---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {{name: x}}\n  spek: {{}}\n"
    );
    let (_, diags) = ok(&[src("w.yaml", &text)]);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].origin.as_ref().map(|o| o.line), Some(15));
    assert!(diags[0].message.contains("`spek`"));
}

#[test]
fn string_data_is_merged_into_data() {
    let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: YWFh\n  b: YmJi\nstringData:\n  b: plain-b\n  c: plain-c\n";
    let (snap, _) = ok(&[src("s.yaml", text)]);
    let s = &snap.secrets[0];
    assert!(s.string_data.is_none());
    let data = s.data.clone().unwrap_or_default();
    let got: Vec<(String, String)> = data
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8_lossy(&v.0).into_owned()))
        .collect();
    assert_eq!(
        got,
        [
            ("a".into(), "aaa".into()),
            ("b".into(), "plain-b".into()),
            ("c".into(), "plain-c".into())
        ]
    );
}

#[test]
fn bad_base64_is_an_error_with_location() {
    let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: \"not base64!\"\n";
    let e = err(&[src("s.yaml", text)]);
    assert!(e.contains("s.yaml:5:"), "{e}");
}

#[test]
fn missing_kind_api_version_or_name_are_errors() {
    let e = err(&[src("k.yaml", "apiVersion: v1\nmetadata: {name: a}\n")]);
    assert!(e.contains("k.yaml:1") && e.contains("no `kind`"), "{e}");
    let e = err(&[src("k.yaml", "---\nkind: Service\nmetadata: {name: a}\n")]);
    assert!(e.contains("k.yaml:2") && e.contains("apiVersion"), "{e}");
    let e = err(&[src("k.yaml", "apiVersion: v1\nkind: Service\nspec: {}\n")]);
    assert!(e.contains("k.yaml:1") && e.contains("metadata.name"), "{e}");
}

#[test]
fn non_mapping_document_is_an_error() {
    let e = err(&[src("s.yaml", "just a string\n")]);
    assert!(e.contains("s.yaml:1:1"), "{e}");
    let e = err(&[src("s.yaml", "- a\n- b\n")]);
    assert!(e.contains("s.yaml:1:1"), "{e}");
}

#[test]
fn duplicate_keys_are_an_error() {
    let e = err(&[src(
        "d.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nkind: Service\n",
    )]);
    assert!(e.contains("d.yaml:4:"), "{e}");
}

#[test]
fn anchors_and_aliases_work() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  labels: &l {app: web}\nspec:\n  selector: *l\n";
    let (snap, _) = ok(&[src("a.yaml", text)]);
    let sel = snap.services[0]
        .spec
        .as_ref()
        .and_then(|s| s.selector.clone())
        .unwrap_or_default();
    assert_eq!(sel.get("app").map(String::as_str), Some("web"));
}

#[test]
fn deep_nesting_is_a_clean_error() {
    let flow = format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: a}}\nspec: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let e = err(&[src("deep.yaml", &flow)]);
    assert!(e.contains("deep.yaml:4:"), "{e}");
    let mut block = String::from("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n");
    for i in 1..2000 {
        block.push_str(&" ".repeat(i));
        block.push_str("a:\n");
    }
    let e = err(&[src("deep.yaml", &block)]);
    assert!(e.contains("deep.yaml:"), "{e}");
}

#[test]
fn many_objects_decode() {
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\n  namespace: ns-{}\n  labels: {{app: a{i}}}\nspec:\n  type: LoadBalancer\n  selector: {{app: a{i}}}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n    protocol: TCP\n",
            i % 10
        ));
    }
    // Speed is measured by the benches (`cargo bench`), not asserted here.
    let (snap, diags) = ok(&[src("big.yaml", &text)]);
    assert_eq!(snap.services.len(), 10_000);
    assert!(diags.is_empty());
    assert_eq!(snap.services[9_999].origin.line, 9_999 * 15 + 2);
}

#[test]
fn sources_keep_their_names() {
    let (snap, _) = ok(&[
        src("a.yaml", SVC),
        src(STDIN_NAME, &SVC.replace("web", "other")),
    ]);
    assert_eq!(
        names(&snap.services),
        ["default/web@a.yaml:1", "default/other@<stdin>:1"]
    );
}

#[test]
fn kind_may_come_after_other_fields() {
    // `kubectl get -o yaml` sorts keys: `data` comes before `kind`.
    let text = "apiVersion: v1\ndata:\n  a: YQ==\nkind: Secret\nmetadata:\n  name: s\n  namespace: x\ntype: Opaque\n";
    let (snap, diags) = ok(&[src("s.yaml", text)]);
    assert_eq!(names(&snap.secrets), ["x/s@s.yaml:1"]);
    assert!(diags.is_empty());
}

#[test]
fn inline_document_after_marker() {
    let text = "--- {apiVersion: v1, kind: Node, metadata: {name: n1}}\n--- {apiVersion: v1, kind: Node, metadata: {name: n2}}\n";
    let (snap, _) = ok(&[src("n.yaml", text)]);
    assert_eq!(names(&snap.nodes), ["-/n1@n.yaml:1", "-/n2@n.yaml:2"]);
}

#[test]
fn decode_is_repeatable() {
    // The per-thread pass state is reset between calls, also after an error.
    let bad = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: x}]}\n";
    assert!(decode(&[src("bad.yaml", bad)], "default").is_err());
    let (snap, _) = ok(&[src("a.yaml", SVC)]);
    assert_eq!(names(&snap.services), ["default/web@a.yaml:1"]);
}

/// Found by the `manifest` and `compile` fuzz targets (slow units): an alias
/// bomb in a small file ran to the library's 250 000-node limit; the budget
/// now grows with the text, so it stops after a few nodes per byte.
#[test]
fn alias_bomb_stops_within_the_text_budget() {
    let text = include_str!("../../testdata/fuzz-regressions/manifest/alias-bomb-slow.yaml");
    let e = err(&[src("bomb.yaml", text)]);
    let nodes: usize = e
        .split("nodes: ")
        .nth(1)
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    assert!(nodes <= 4 * text.len() + 10_001, "{e}");
}

/// A large honest file (a synthetic cluster of 100,000 Services and
/// Ingresses is about 265 MB, 170 MB of it certificate and key scalars)
/// must not run into the parser's fixed 64 MiB limit on scalar bytes: the
/// budget grows with the text. (Decoding such a file is too slow for a
/// unit test; the budget it gets is checked instead.)
#[test]
fn scalar_byte_budget_grows_with_the_text() {
    let default = serde_saphyr::Budget::default().max_total_scalar_bytes;
    for len in [1_000, default + 1, 300_000_000] {
        let b = options(len).budget.expect("a budget");
        assert!(b.max_total_scalar_bytes >= len, "{len}");
        assert!(b.max_total_scalar_bytes >= default, "{len}");
    }
}

/// A text of `n` documents over `PIECE_MIN`s, mixing what decoding reports:
/// objects, lists, unknown kinds and fields (with their lines), block
/// scalars holding indented `---` lines and comments.
fn large_mixed(n: usize) -> String {
    let mut t = String::from("# leading comment\n");
    for i in 0..n {
        match i % 5 {
            0 => t.push_str(&format!(
                "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\n  annotations:\n    note: |\n      ---\n      not a document start\nspec:\n  ports:\n  - port: 80\n"
            )),
            1 => t.push_str(&format!(
                "--- # a comment after the marker\napiVersion: v1\nkind: ServiceList\nitems:\n- metadata:\n    name: l{i}\n  spec:\n    bogus{i}: 1\n"
            )),
            2 => t.push_str(&format!(
                "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w{i}\n"
            )),
            3 => t.push_str(&format!(
                "---\n{{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {{\"name\": \"n{i}\", \"extra\": 1}}}}\n"
            )),
            _ => t.push_str(&format!(
                "---\n\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i{i}\nspec:\n  rules:\n  - host: h{i}.example.com\n"
            )),
        }
    }
    t
}

#[test]
fn pieces_cut_only_before_document_starts() {
    let text = large_mixed(2_000);
    assert!(text.len() > 4 * PIECE_MIN, "{}", text.len());
    let cut = pieces(&text, 2);
    assert!(cut.len() > 2, "{}", cut.len());
    let mut joined = String::new();
    for (i, p) in cut.iter().enumerate() {
        assert_eq!(p.offset_base, joined.len());
        assert_eq!(p.line_base, joined.matches('\n').count());
        if i > 0 {
            assert!(p.text.starts_with("---\n") || p.text.starts_with("--- #"));
        }
        joined.push_str(p.text);
    }
    assert_eq!(joined, text);
    // Small texts, one thread and directives: one piece.
    assert_eq!(pieces(&large_mixed(10), 2).len(), 1);
    assert_eq!(pieces(&text, 1).len(), 1);
    assert_eq!(pieces(&format!("%YAML 1.2\n{text}"), 2).len(), 1);
}

/// Decoding on several threads gives the objects, origins and diagnostics
/// of one pass, in the same order.
#[test]
fn parallel_decode_is_the_single_pass() {
    let sources = [
        src("small.yaml", SVC),
        src("large.yaml", &large_mixed(2_000)),
        src(
            "other.yaml",
            &large_mixed(500)
                .replace("name: ", "name: o")
                .replace("\"name\": \"", "\"name\": \"o"),
        ),
    ];
    let one = decode_with(&sources, "default", 1).expect("decodes");
    for threads in [2, 3] {
        let many = decode_with(&sources, "default", threads).expect("decodes");
        assert_eq!(format!("{:?}", many.0), format!("{:?}", one.0));
        assert_eq!(many.1.len(), one.1.len());
        for (i, (a, b)) in many.1.iter().zip(&one.1).enumerate() {
            assert_eq!(a, b, "diagnostic {i} on {threads} threads");
        }
    }
    // The unknown field of the last list item is reported at its line.
    let last = one
        .1
        .iter()
        .rev()
        .find(|d| d.message.contains("bogus"))
        .expect("an unknown field");
    let line = last.origin.as_ref().expect("origin").line;
    let text = &sources[1].text;
    let at = text.lines().nth(line - 1).expect("line");
    assert!(at.trim_start().starts_with("bogus"), "{line}: {at}");
}

/// An error in a piece is the error of one pass over the whole source
/// (same place, same snippet), and the first source in order wins.
#[test]
fn parallel_decode_error_is_the_single_pass_error() {
    let mut text = large_mixed(2_000);
    text.push_str("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n");
    text.push_str(&large_mixed(100));
    let render = |r: Result<(Snapshot, Vec<Diagnostic>)>| {
        let Err(e) = r else {
            panic!("decode should fail")
        };
        let mut out = String::new();
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        if handler.render_report(&mut out, e.as_ref()).is_err() {
            out = format!("{e:?}");
        }
        out
    };
    let dup = format!("{SVC}---\n{SVC}");
    for sources in [
        vec![src("bad.yaml", &text)],
        vec![
            src("ok.yaml", &large_mixed(500)),
            src("bad.yaml", &text),
            src("dup.yaml", &dup),
        ],
        vec![src("dup.yaml", &dup), src("bad.yaml", &text)],
    ] {
        let one = render(decode_with(&sources, "default", 1));
        assert_eq!(render(decode_with(&sources, "default", 2)), one);
        assert_eq!(render(decode_with(&sources, "default", 4)), one);
    }
}

#[test]
fn base64_texts_in_plain_words() {
    let w = base64_words("Invalid symbol 62, offset 3.").unwrap();
    assert!(w.contains("'>' at position 4"), "{w}");
    let w = base64_words("Invalid last symbol 66, offset 5.").unwrap();
    assert!(w.contains("'B' (position 6)"), "{w}");
    assert!(base64_words("Invalid input length: 3.").is_some());
    assert!(base64_words("expected sequence start").is_none());
}

#[test]
fn key_paths_by_indentation() {
    let text = "kind: Secret\ndata:\n  a: x\n  # note\n  tls.crt: \"y\"\nspec:\n  rules:\n  - host: h\n    http: z\n";
    assert_eq!(key_path_at(text, 5).as_deref(), Some("data.tls.crt"));
    assert_eq!(key_path_at(text, 9).as_deref(), Some("spec.rules.http"));
    assert_eq!(key_path_at(text, 1).as_deref(), Some("kind"));
    assert_eq!(key_path_at(text, 99), None);
}

/// Every YAML and JSON file under `testdata/`: what the single pass reads is
/// what the two passes read (kinds, positions, labels, typed values and
/// kind diagnostics), whenever the single pass reads the text at all.
#[test]
fn single_pass_reads_what_two_passes_read() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"),
        &mut files,
    );
    files.sort();
    let (mut single, mut both) = (0, 0);
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let s = src(&path.display().to_string(), &text);
        let file: Arc<str> = Arc::from(s.name.as_str());
        let piece = Piece {
            text: &s.text,
            line_base: 0,
            offset_base: 0,
        };
        let mut kinds = Vec::new();
        let Ok((planned, decoded)) = two_passes(&s, &file, piece, "default", &mut kinds) else {
            continue;
        };
        both += 1;
        let Some(((p1, d1), k1)) = single_pass(&file, piece, "default") else {
            continue;
        };
        single += 1;
        let show = |p: &[Planned]| {
            p.iter()
                .map(|p| {
                    format!(
                        "{} {} @{} {} doc {} item {:?} served {:?}",
                        p.kind.kind,
                        p.origin,
                        p.offset,
                        p.label,
                        p.doc,
                        p.item,
                        p.served.map(|s| s.version)
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(show(&p1), show(&planned), "{}", path.display());
        let json = |d: &[(Decoded, Vec<FieldPath>)]| {
            d.iter()
                .map(|(o, u)| {
                    let paths: Vec<String> = u.iter().map(ToString::to_string).collect();
                    (o.to_json().ok(), paths)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(json(&d1), json(&decoded), "{}", path.display());
        let msgs = |k: &[Diagnostic]| k.iter().map(|d| format!("{d:?}")).collect::<Vec<_>>();
        assert_eq!(msgs(&k1), msgs(&kinds), "{}", path.display());
    }
    // Nearly every input is read in one pass.
    assert!(both > 200 && single * 10 >= both * 9, "{single} of {both}");
}

#[test]
fn single_pass_reads_lists_in_kubectl_order() {
    let text = "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n    namespace: x\n  spec:\n    ports:\n    - port: 80\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: d\nkind: List\nmetadata:\n  resourceVersion: \"\"\n";
    let file: Arc<str> = Arc::from("list.yaml");
    let piece = Piece {
        text,
        line_base: 0,
        offset_base: 0,
    };
    let ((planned, decoded), kinds) = single_pass(&file, piece, "default").expect("one pass");
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].label, "Service x/a");
    assert_eq!(planned[0].origin.line, 3);
    assert_eq!(planned[0].item, Some(0));
    assert_eq!(decoded.len(), 1);
    assert_eq!(kinds.len(), 1, "the Deployment is skipped with a note");
    assert!(
        kinds[0].message.contains("kind Deployment"),
        "{:?}",
        kinds[0]
    );
    assert_eq!(kinds[0].object.as_deref(), Some("Deployment d"));
}

#[test]
fn objects_not_starting_with_their_kind_are_read_in_two_passes() {
    let text =
        "metadata:\n  name: a\napiVersion: v1\nkind: Service\nspec:\n  ports:\n  - port: 80\n";
    let file: Arc<str> = Arc::from("late.yaml");
    let piece = Piece {
        text,
        line_base: 0,
        offset_base: 0,
    };
    assert!(single_pass(&file, piece, "default").is_none());
    let (snap, _) = ok(&[src("late.yaml", text)]);
    assert_eq!(names(&snap.services), ["default/a@late.yaml:1"]);
}
