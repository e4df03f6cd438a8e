//! Diff semantics.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::*;

fn ps() -> PlanSettings {
    PlanSettings {
        cluster_name: "c".into(),
        created_by: "ako-c".into(),
        gateway_created_by: None,
    }
}

fn obj(kind: AviType, name: &str, body: Value) -> AviObject {
    AviObject {
        kind,
        name: name.into(),
        tenant: "admin".into(),
        sources: BTreeSet::new(),
        body,
    }
}

fn set(objs: Vec<AviObject>) -> ObjectSet {
    let mut s = ObjectSet { objects: objs };
    s.sort();
    s
}

fn cur(kind: AviType, name: &str, body: Value) -> CurrentObject {
    CurrentObject {
        kind,
        name: name.into(),
        tenant: "admin".into(),
        uuid: body.get("uuid").and_then(Value::as_str).map(String::from),
        last_modified: None,
        body,
    }
}

fn state(objs: Vec<CurrentObject>) -> State {
    let mut s = State::empty();
    for o in objs {
        s.push(o);
    }
    s
}

fn pool_body() -> Value {
    json!({
        "name": "c--p",
        "created_by": "ako-c",
        "tenant_ref": "/api/tenant/?name=admin",
        "cloud_ref": "/api/cloud/?name=Default-Cloud",
        "cloud_config_cksum": "123",
        "markers": [{"key": "clustername", "values": ["c"]}],
        "health_monitor_refs": ["/api/healthmonitor/?name=System-TCP"],
        "service_metadata": "{\"namespace\":\"red\",\"hostnames\":null}",
        "sni_enabled": false,
        "servers": [
            {"ip": {"addr": "10.0.0.1", "type": "V4"}, "port": 80, "enabled": true},
            {"ip": {"addr": "10.0.0.2", "type": "V4"}, "port": 80, "enabled": true}
        ]
    })
}

/// The pool as a controller returns it: uuid refs with `#name`, filled-in
/// defaults, servers in another order, another checksum, floats.
fn pool_as_read() -> Value {
    json!({
        "uuid": "pool-1",
        "url": "https://10.0.0.9/api/pool/pool-1",
        "_last_modified": "1700000000000000",
        "name": "c--p",
        "created_by": "ako-c",
        "tenant_ref": "https://10.0.0.9/api/tenant/admin#admin",
        "cloud_ref": "https://10.0.0.9/api/cloud/cloud-9#Default-Cloud",
        "vrf_ref": "https://10.0.0.9/api/vrfcontext/vrfcontext-1#global",
        "cloud_config_cksum": "999",
        "markers": [{"key": "clustername", "values": ["c"]}],
        "health_monitor_refs": ["https://10.0.0.9/api/healthmonitor/healthmonitor-7"],
        "service_metadata": "{\"hostnames\": null, \"namespace\": \"red\"}",
        "sni_enabled": false,
        "lb_algorithm": "LB_ALGORITHM_LEAST_CONNECTIONS",
        "enabled": true,
        "inline_health_monitor": true,
        "servers": [
            {"ip": {"addr": "10.0.0.2", "type": "V4"}, "port": 80.0, "enabled": true, "ratio": 1, "hostname": "10.0.0.2"},
            {"ip": {"addr": "10.0.0.1", "type": "V4"}, "port": 80, "enabled": true, "ratio": 1, "hostname": "10.0.0.1"}
        ]
    })
}

#[test]
fn empty_state_creates_everything() {
    let d = set(vec![
        obj(AviType::Pool, "c--p", pool_body()),
        obj(AviType::Virtualservice, "c--vs", json!({"name": "c--vs"})),
    ]);
    let p = plan(&d, &State::empty(), &ps());
    assert_eq!(
        p.summary(),
        Summary {
            add: 2,
            change: 0,
            destroy: 0
        }
    );
    assert!(p.changes.iter().all(|c| c.action == Action::Create));
    // Apply order: pool before the virtual service.
    assert_eq!(p.changes[0].kind, AviType::Pool);
    // Checksums are not part of what the plan shows.
    assert!(
        p.changes[0]
            .after
            .as_ref()
            .unwrap()
            .get("cloud_config_cksum")
            .is_none()
    );
}

#[test]
fn same_objects_are_no_change() {
    let d = set(vec![obj(AviType::Pool, "c--p", pool_body())]);
    let s = state(vec![cur(AviType::Pool, "c--p", pool_body())]);
    let p = plan(&d, &s, &ps());
    assert!(!p.has_changes(), "{p:#?}");
    assert_eq!(p.changes.len(), 1);
    assert_eq!(p.changes[0].action, Action::NoOp);
}

#[test]
fn controller_spelling_and_filled_fields_are_no_change() {
    let d = set(vec![obj(AviType::Pool, "c--p", pool_body())]);
    let mut s = state(vec![cur(AviType::Pool, "c--p", pool_as_read())]);
    s.ref_names
        .insert("healthmonitor-7".into(), "System-TCP".into());
    let p = plan(&d, &s, &ps());
    assert!(!p.has_changes(), "{:#?}", p.changes[0].fields);
    assert_eq!(p.changes[0].uuid.as_deref(), Some("pool-1"));
}

#[test]
fn unresolvable_uuid_ref_is_a_change() {
    let d = set(vec![obj(AviType::Pool, "c--p", pool_body())]);
    let s = state(vec![cur(AviType::Pool, "c--p", pool_as_read())]);
    let p = plan(&d, &s, &ps());
    let f: Vec<&str> = p.changes[0]
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(f, ["health_monitor_refs"]);
}

#[test]
fn changed_field_is_an_update_with_old_and_new() {
    let mut b = pool_body();
    b["servers"][1]["ip"]["addr"] = json!("10.0.0.3");
    b["sni_enabled"] = json!(true);
    let d = set(vec![obj(AviType::Pool, "c--p", b)]);
    let s = state(vec![cur(AviType::Pool, "c--p", pool_body())]);
    let p = plan(&d, &s, &ps());
    assert_eq!(
        p.summary(),
        Summary {
            add: 0,
            change: 1,
            destroy: 0
        }
    );
    let c = &p.changes[0];
    let f: Vec<&str> = c.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(f, ["servers", "sni_enabled"]);
    assert_eq!(c.fields[1].before, Some(json!(false)));
    assert_eq!(c.fields[1].after, Some(json!(true)));
}

#[test]
fn field_set_on_controller_but_no_longer_desired_is_a_removal() {
    let mut current = pool_body();
    current["ssl_profile_ref"] = json!("/api/sslprofile/?name=System-Standard");
    current["lb_algorithm"] = json!("LB_ALGORITHM_LEAST_CONNECTIONS"); // the default
    current["vrf_ref"] = json!("/api/vrfcontext/?name=global"); // server-defaulted
    let d = set(vec![obj(AviType::Pool, "c--p", pool_body())]);
    let s = state(vec![cur(AviType::Pool, "c--p", current)]);
    let p = plan(&d, &s, &ps());
    let c = &p.changes[0];
    assert_eq!(c.fields.len(), 1, "{:#?}", c.fields);
    assert_eq!(c.fields[0].field, "ssl_profile_ref");
    assert_eq!(c.fields[0].after, None);
}

#[test]
fn foreign_owner_is_a_conflict_never_adopted() {
    for owner in ["ako-c2", "ako-other", "ako-c-avi-system", "admin"] {
        let mut b = pool_body();
        b["created_by"] = json!(owner);
        let d = set(vec![obj(AviType::Pool, "c--p", pool_body())]);
        let s = state(vec![cur(AviType::Pool, "c--p", b)]);
        let p = plan(&d, &s, &ps());
        assert_eq!(p.conflicts.len(), 1, "{owner}");
        assert_eq!(p.conflicts[0].owner.as_deref(), Some(owner));
        assert!(p.changes.is_empty());
        assert!(!p.applyable());
    }
    // No created_by at all: not ours either.
    let mut b = pool_body();
    b.as_object_mut().unwrap().remove("created_by");
    let p = plan(
        &set(vec![obj(AviType::Pool, "c--p", pool_body())]),
        &state(vec![cur(AviType::Pool, "c--p", b)]),
        &ps(),
    );
    assert_eq!(p.conflicts.len(), 1);
    // Right created_by but another cluster's marker: not ours.
    let mut b = pool_body();
    b["markers"] = json!([{"key": "clustername", "values": ["c2"]}]);
    let p = plan(
        &set(vec![obj(AviType::Pool, "c--p", pool_body())]),
        &state(vec![cur(AviType::Pool, "c--p", b)]),
        &ps(),
    );
    assert_eq!(p.conflicts.len(), 1);
}

#[test]
fn only_owned_leftovers_are_destroyed() {
    let mut other = pool_body();
    other["created_by"] = json!("ako-c2");
    let s = state(vec![
        cur(AviType::Pool, "c--old", pool_body()),
        cur(AviType::Pool, "c2--x", other),
        cur(
            AviType::Vsvip,
            "c--Shared-L7-0",
            json!({"markers": [{"key": "clustername", "values": ["c"]}]}),
        ),
        cur(
            AviType::Vsvip,
            "c--lb",
            json!({"markers": [{"key": "clustername", "values": ["c"]}]}),
        ),
        cur(
            AviType::Vsvip,
            "c--lb2",
            json!({"markers": [{"key": "clustername", "values": ["c-x"]}]}),
        ),
        cur(AviType::Vsvip, "c--nomarkers", json!({})),
        cur(AviType::Vsvip, "d--nomarkers", json!({})),
    ]);
    let p = plan(&ObjectSet::default(), &s, &ps());
    let gone: Vec<String> = p
        .changes
        .iter()
        .filter(|c| c.action == Action::Destroy)
        .map(|c| c.address())
        .collect();
    assert_eq!(
        gone,
        [
            "pool/admin/c--old",
            "vsvip/admin/c--Shared-L7-0",
            "vsvip/admin/c--lb",
            "vsvip/admin/c--nomarkers"
        ]
    );
}

#[test]
fn destroys_run_children_then_parents_then_dependencies() {
    let vs = |parent: bool| {
        let mut b = json!({"created_by": "ako-c"});
        if parent {
            b["vh_parent_vs_ref"] = json!("/api/virtualservice/?name=c--parent");
        }
        b
    };
    let s = state(vec![
        cur(AviType::Pool, "c--p", pool_body()),
        cur(AviType::Virtualservice, "c--parent", vs(false)),
        cur(AviType::Virtualservice, "c--child", vs(true)),
        cur(AviType::Poolgroup, "c--pg", json!({"created_by": "ako-c"})),
    ]);
    let p = plan(&ObjectSet::default(), &s, &ps());
    let order: Vec<&str> = p.changes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(order, ["c--child", "c--parent", "c--pg", "c--p"]);
}

fn route(addr: &str, hop: &str, id: &str, cluster: &str) -> Value {
    json!({
        "route_id": id,
        "prefix": {"ip_addr": {"addr": addr, "type": "V4"}, "mask": 24},
        "next_hop": {"addr": hop, "type": "V4"},
        "labels": [{"key": "clustername", "value": cluster}]
    })
}

#[test]
fn vrf_compares_only_this_clusters_routes_as_a_set() {
    let desired = json!({"name": "global", "static_routes": [
        route("10.244.0.0", "10.1.1.2", "c-aaaa-0", "c"),
        route("10.244.1.0", "10.1.1.3", "c-bbbb-0", "c"),
    ]});
    let current = json!({"name": "global", "system_default": true, "static_routes": [
        route("10.9.0.0", "10.1.1.9", "other-1", "c2"),
        route("10.244.1.0", "10.1.1.3", "c-zzzz-0", "c"),
        route("10.244.0.0", "10.1.1.2", "c-yyyy-0", "c"),
    ]});
    let d = set(vec![obj(AviType::Vrfcontext, "global", desired.clone())]);
    let s = state(vec![cur(AviType::Vrfcontext, "global", current)]);
    let p = plan(&d, &s, &ps());
    assert!(!p.has_changes(), "{p:#?}");
    assert!(p.conflicts.is_empty());
    // A node's route changes: update; other clusters' routes stay out of it.
    let current = json!({"name": "global", "static_routes": [
        route("10.9.0.0", "10.1.1.9", "other-1", "c2"),
        route("10.244.0.0", "10.1.1.2", "c-yyyy-0", "c"),
    ]});
    let p = plan(
        &d,
        &state(vec![cur(AviType::Vrfcontext, "global", current)]),
        &ps(),
    );
    assert_eq!(p.summary().change, 1);
    let f = &p.changes[0].fields[0];
    assert_eq!(f.field, "static_routes");
    assert!(!f.before.as_ref().unwrap().to_string().contains("10.9.0.0"));
    // The VRF is never destroyed.
    let p = plan(&ObjectSet::default(), &s, &ps());
    assert!(p.changes.is_empty());
}

#[test]
fn a_missing_vrf_or_another_clouds_vrf_is_a_conflict_never_a_create() {
    let desired = json!({"name": "global", "cloud_ref": "/api/cloud/?name=vc-b",
        "static_routes": [route("10.244.0.0", "10.1.1.2", "c-aaaa-0", "c")]});
    let d = set(vec![obj(AviType::Vrfcontext, "global", desired)]);
    let on_controller = |objs: Vec<CurrentObject>| {
        let mut s = state(objs);
        s.origin = StateOrigin::Controller {
            url: "https://ctl".into(),
            version: "22.1.3".into(),
        };
        s
    };
    // Only the VRF `global` of another cloud (what an unscoped read finds).
    let other = cur(
        AviType::Vrfcontext,
        "global",
        json!({"name": "global", "uuid": "vrfcontext-1",
               "cloud_ref": "https://ctl/api/cloud/cloud-1#Default-Cloud"}),
    );
    for s in [on_controller(vec![]), on_controller(vec![other])] {
        let p = plan(&d, &s, &ps());
        assert!(!p.has_changes(), "{p:#?}");
        assert_eq!(p.conflicts.len(), 1, "{p:#?}");
        let m = &p.conflicts[0].message;
        assert!(m.contains("\"vc-b\"") && m.contains("never creates"), "{m}");
    }
    // The configured cloud's VRF: its routes are compared.
    let mine = cur(
        AviType::Vrfcontext,
        "global",
        json!({"name": "global", "uuid": "vrfcontext-2",
               "cloud_ref": "https://ctl/api/cloud/cloud-2#vc-b"}),
    );
    let p = plan(&d, &on_controller(vec![mine]), &ps());
    assert!(p.conflicts.is_empty(), "{p:#?}");
    assert_eq!(p.summary().change, 1);
    assert_eq!(p.changes[0].uuid.as_deref(), Some("vrfcontext-2"));
    // Without a controller (no state at all) the plan only previews.
    assert_eq!(plan(&d, &state(vec![]), &ps()).summary().add, 1);
}

#[test]
fn oauth_secrets_are_write_only() {
    let vs = |secret: &str| {
        json!({"name": "c--vs", "created_by": "ako-c", "oauth_vs_config": {"oauth_settings": [
            {"app_settings": {"client_id": "id", "client_secret": secret},
             "resource_server": {"opaque_token_params": {"server_id": "s", "server_secret": secret}}}]}})
    };
    let d = set(vec![obj(
        AviType::Virtualservice,
        "c--vs",
        vs("real-secret"),
    )]);
    // A controller answers them masked: no change, and nothing of them in the plan.
    let s = state(vec![cur(
        AviType::Virtualservice,
        "c--vs",
        vs("<sensitive>"),
    )]);
    let p = plan(&d, &s, &ps());
    assert!(!p.has_changes(), "{p:#?}");
    assert!(!serde_json::to_string(&p).unwrap().contains("real-secret"));
    // A pull file never stores them.
    let text =
        json!({"objects": [{"type": "virtualservice", "name": "c--vs", "body": vs("leaked")}]});
    let (st, _) = State::from_json(&text.to_string(), StateOrigin::Empty).unwrap();
    assert!(!st.to_json().to_string().contains("leaked"));
}

#[test]
fn secrets_never_enter_the_plan() {
    let cert = |pem: &str| json!({"name": "c--h", "created_by": "ako-c", "key": "-----BEGIN PRIVATE KEY-----\nSECRETKEY\n", "certificate": {"certificate": pem}});
    let d = set(vec![obj(
        AviType::Sslkeyandcertificate,
        "c--h",
        cert("NEW"),
    )]);
    let p = plan(&d, &State::empty(), &ps());
    assert!(!format!("{p:?}").contains("SECRETKEY"));
    assert_eq!(p.changes[0].sensitive, ["key"]);
    // Unchanged certificate, key unreadable on the controller: no change.
    let mut read = cert("NEW");
    read["key"] = json!("<sensitive>");
    let s = state(vec![cur(AviType::Sslkeyandcertificate, "c--h", read)]);
    let p = plan(&d, &s, &ps());
    assert!(!p.has_changes());
    // New certificate: the key is shown as changing, without a value.
    let s = state(vec![cur(
        AviType::Sslkeyandcertificate,
        "c--h",
        cert("OLD"),
    )]);
    let p = plan(&d, &s, &ps());
    let f: Vec<(&str, bool)> = p.changes[0]
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.sensitive))
        .collect();
    assert_eq!(f, [("certificate", false), ("key", true)]);
    assert!(!format!("{p:?}").contains("SECRETKEY"));
}

#[test]
fn index_lists_compare_by_index() {
    let d = json!({"created_by": "ako-c", "http_policies": [
        {"index": 11, "http_policy_set_ref": "/api/httppolicyset/?name=a"},
        {"index": 12, "http_policy_set_ref": "/api/httppolicyset/?name=b"}
    ]});
    let c = json!({"created_by": "ako-c", "http_policies": [
        {"index": 12, "http_policy_set_ref": "/api/httppolicyset?name=b"},
        {"index": 11, "http_policy_set_ref": "https://h/api/httppolicyset/httppolicyset-1#a"}
    ]});
    let p = plan(
        &set(vec![obj(AviType::Virtualservice, "c--vs", d)]),
        &state(vec![cur(AviType::Virtualservice, "c--vs", c)]),
        &ps(),
    );
    assert!(!p.has_changes(), "{p:#?}");
}

#[test]
fn plan_is_deterministic_whatever_the_state_order() {
    let mk = |rev: bool| {
        let mut objs: Vec<CurrentObject> = (0..50)
            .map(|i| {
                cur(
                    AviType::Pool,
                    &format!("c--p{i}"),
                    json!({"created_by": "ako-c", "n": i}),
                )
            })
            .collect();
        if rev {
            objs.reverse();
        }
        state(objs)
    };
    let d = set((0..50)
        .step_by(2)
        .map(|i| obj(AviType::Pool, &format!("c--p{i}"), json!({"n": i + 1})))
        .collect());
    assert_eq!(plan(&d, &mk(false), &ps()), plan(&d, &mk(true), &ps()));
}

#[test]
fn large_sets_plan_quickly() {
    let n = 20_000;
    let d = set((0..n)
        .map(|i| {
            obj(
                AviType::Pool,
                &format!("c--p{i}"),
                json!({"created_by": "ako-c", "n": i}),
            )
        })
        .collect());
    let s = state(
        (0..n)
            .map(|i| {
                cur(
                    AviType::Pool,
                    &format!("c--p{i}"),
                    json!({"created_by": "ako-c", "n": i}),
                )
            })
            .collect(),
    );
    // Speed is measured by the benches (`cargo bench`), not asserted here.
    let p = plan(&d, &s, &ps());
    assert!(!p.has_changes());
}

#[test]
fn gateway_container_objects_are_owned_only_with_the_feature_gate() {
    let c = cur(
        AviType::Pool,
        "ako-gw-c--abc",
        json!({"name": "ako-gw-c--abc", "created_by": "ako-gw-c-avi-system",
               "markers": [{"key": "clustername", "values": ["c"]}]}),
    );
    assert_eq!(owned(&c, &ps()), Err(Some("ako-gw-c-avi-system".into())));
    let with_gw = PlanSettings {
        gateway_created_by: Some("ako-gw-c-avi-system".into()),
        ..ps()
    };
    assert_eq!(owned(&c, &with_gw), Ok(()));
    let sg = cur(
        AviType::Stringgroup,
        "ako-gw-c-avi-system-0a",
        json!({"name": "ako-gw-c-avi-system-0a",
               "markers": [{"key": "clustername", "values": ["c"]}, {"key": "created_by", "values": ["ako-gw-c-avi-system"]}]}),
    );
    assert_eq!(owned(&sg, &with_gw), Ok(()));
    let app = cur(
        AviType::Applicationpersistenceprofile,
        "ako-gw-c--0b",
        json!({"name": "ako-gw-c--0b", "persistence_type": "PERSISTENCE_TYPE_HTTP_COOKIE",
               "markers": [{"key": "clustername", "values": ["c"]}]}),
    );
    assert_eq!(owned(&app, &with_gw), Ok(()));
    assert_eq!(owned(&app, &ps()), Err(Some("clustername=c".into())));
    let other = cur(
        AviType::Applicationpersistenceprofile,
        "ako-gw-c2--0b",
        json!({"name": "ako-gw-c2--0b", "markers": [{"key": "clustername", "values": ["c2"]}]}),
    );
    assert!(owned(&other, &with_gw).is_err());
}
