//! TLS passthrough (translation-extended.md §1.6): Routes with
//! `tls.termination: passthrough` and Ingresses annotated
//! `passthrough.ako.vmware.com/enabled: "true"` go to shared L4 VSes that pick a
//! poolgroup by the TLS SNI in a datascript. AKO:
//! `internal/nodes/avi_model_tls_passthrough.go`, `internal/lib/lib.go`
//! `GetPassthroughShardVSName`, `GetPassthroughPGName`, `GetPassthroughPoolName`,
//! `internal/nodes/dequeue_ingestion.go` `DerivePassthroughVS`; REST
//! `internal/rest/avi_obj_vs.go` `AviVsBuild`, `internal/rest/avi_datascript.go`.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::{Value, json};

use super::Built;
use super::names::ako_ns;
use super::parse::{HostPaths, ParsedIngress};
use super::pool::{self, PoolKind};
use super::shard::{redirect_policy, services, vs_common};
use crate::compile::common::plain_name_of;
use crate::compile::common::{
    Markers, ServiceMetadata, api_ref, bucket, cluster_markers, tenant_ref,
};
use crate::compile::vip::{self, Net};
use crate::compile::{Context, Out};
use crate::model::AviType;
use crate::names::{Formula, table};
use crate::settings::{Settings, ShardSize};

/// `internal/lib/constants.go` `PassthroughDatascript` (tabs as in the Go
/// source), before the `CLUSTER` / `AVIINFRA` substitution.
const SCRIPT: &str = "local avi_tls = require \"Default-TLS\"\n\tbuffered = avi.l4.collect(20)\n\tpayload = avi.l4.read()\n\tlen = avi_tls.get_req_buffer_size(payload)\n\tif ( buffered < len ) then\n\t  avi.l4.collect(len)\n\tend\n\tif ( avi_tls.sanity_check(payload) ) then\n\t   local h = avi_tls.parse_record(payload)\n\t   local sname = avi_tls.get_sni(h)\n\t   if sname == nil then\n\t\t  avi.vs.log('SNI not present')\n\t\t  avi.vs.close_conn()\n\t   else\n\t\t  avi.vs.log(\"SNI=\".. sname)\n\t\t  pg_name = \"CLUSTER--AVIINFRA\"..sname\n\t\t  avi.poolgroup.select(pg_name)\n\t   end\n\telse\n\t   avi.vs.close_conn()\n\tend\n\tavi.l4.ds_done()\n\tavi_tls = nil";

/// The L4 datascript with the cluster name and infra prefix (`X-` or empty)
/// substituted once each.
pub fn datascript(cluster: &str, infra_prefix: &str) -> String {
    SCRIPT
        .replacen("CLUSTER", cluster, 1)
        .replacen("AVIINFRA", infra_prefix, 1)
}

/// `C + "--" + AID + "Shared-Passthrough-" + [I-] + bkt(host, n)`
/// (`GetPassthroughShardVSName`); `n` is the passthrough shard size of the
/// object's infrasetting (`DerivePassthroughVS`), and `n = 0` gives the plain
/// FNV-1a hash (`utils.Bkt` with a zero size).
pub fn vs_name(s: &Settings, infra: &str, size: ShardSize, host: &str) -> String {
    shard_name(s, &table::PASSTHROUGH_VS, infra, size, host)
}

/// The insecure companion of the shard [`vs_name`] gives:
/// [`table::PASSTHROUGH_INSECURE_VS`] (`lib.PassthroughInsecure`).
pub fn insecure_vs_name(s: &Settings, infra: &str, size: ShardSize, host: &str) -> String {
    shard_name(s, &table::PASSTHROUGH_INSECURE_VS, infra, size, host)
}

fn shard_name(s: &Settings, f: &Formula, infra: &str, size: ShardSize, host: &str) -> String {
    let n = size.count();
    let n = if n == 0 {
        crate::compile::common::fnv1a32(host)
    } else {
        bucket(host, n)
    }
    .to_string();
    plain_name_of(
        s,
        f,
        &[
            ("ako-namespace", ako_ns(s)),
            ("infrasetting", infra),
            ("shard", &n),
        ],
    )
}

/// Passthrough poolgroup: [`table::PASSTHROUGH_PG`] (`GetPassthroughPGName`).
pub fn pg_name(s: &Settings, infra: &str, host: &str) -> String {
    plain_name_of(
        s,
        &table::PASSTHROUGH_PG,
        &[("infrasetting", infra), ("host", host)],
    )
}

/// Passthrough pool: [`table::PASSTHROUGH_POOL`] (`GetPassthroughPoolName`).
pub fn pool_name(s: &Settings, infra: &str, host: &str, svc: &str) -> String {
    plain_name_of(
        s,
        &table::PASSTHROUGH_POOL,
        &[("infrasetting", infra), ("host", host), ("service", svc)],
    )
}

/// A passthrough poolgroup: members (pool, ratio), markers, sources.
pub type PassPg = (Vec<(String, u32)>, Markers, BTreeSet<String>);

/// One passthrough VS being built.
#[derive(Debug, Default)]
pub struct PassVs {
    /// Hosts in insertion order with their poolgroup names.
    pub hosts: Vec<(String, String)>,
    /// The pairs in `hosts`, for the duplicate check (a VS holds many hosts).
    pub host_set: HashSet<(String, String)>,
    /// Poolgroup name → members (pool, ratio) and markers.
    pub pgs: BTreeMap<String, PassPg>,
    pub pools: BTreeMap<String, Built>,
    /// Hosts of the redirect policy (sorted on emit).
    pub redirect_hosts: BTreeSet<String>,
    pub sources: BTreeSet<String>,
    /// `I-` substituted into the datascript once, by the first host
    /// (`BuildGraphForPassthrough`).
    pub script_infra: Option<String>,
    /// SE group, networks and RHI of the infrasetting of the object
    /// processed last (`buildWithInfraSetting` on every host); the global
    /// values when none applies.
    pub net: Option<Net>,
    /// The name of the insecure companion VS.
    pub insecure: String,
}

/// Passthrough VSes by (tenant, name).
pub type PassModel = BTreeMap<(String, String), PassVs>;

/// Add the passthrough hosts of one Ingress/Route (`BuildGraphForPassthrough`).
pub fn add(ctx: &Context, out: &mut Out, model: &mut PassModel, ing: &ParsedIngress) {
    for hp in &ing.passthrough {
        add_host(ctx, out, model, ing, hp);
    }
}

fn add_host(
    ctx: &Context,
    out: &mut Out,
    model: &mut PassModel,
    ing: &ParsedIngress,
    hp: &HostPaths,
) {
    let s = ctx.settings;
    let host = &hp.host;
    let infra = &ing.infra;
    let name = vs_name(s, &infra.name, infra.pass_shard_size, host);
    let vs = model.entry((ing.tenant.clone(), name)).or_default();
    if vs.insecure.is_empty() {
        vs.insecure = insecure_vs_name(s, &infra.name, infra.pass_shard_size, host);
    }
    vs.sources.insert(ing.source());
    let pg_name = pg_name(s, &infra.name, host);
    if vs.host_set.insert((host.clone(), pg_name.clone())) {
        vs.hosts.push((host.clone(), pg_name.clone()));
    }
    vs.script_infra.get_or_insert_with(|| {
        if infra.name.is_empty() {
            String::new()
        } else {
            format!("{}-", infra.name)
        }
    });
    // `BuildVSForPassthrough` builds the VS with the creator's setting; later
    // Routes change it only with a setting of their own (`buildWithInfraSetting`).
    if vs.net.is_none() || infra.set {
        vs.net = Some(infra.net.clone());
    }
    let mut members = Vec::new();
    for e in &hp.paths {
        let pool_name = pool_name(s, &infra.name, host, &e.service);
        if members.iter().any(|(m, _)| *m == pool_name) {
            continue;
        }
        // AKO: `internal/lib/lib.go` `PopulatePassthroughPoolMarkers`.
        let markers = Markers {
            host: vec![host.clone()],
            infrasetting_name: infra.name.clone(),
            service_name: e.service.clone(),
            ..Markers::default()
        };
        let b = pool::build(
            ctx,
            out,
            &pool_name,
            ing,
            host,
            e,
            &markers,
            PoolKind::Passthrough,
        );
        vs.pools.insert(pool_name.clone(), b);
        members.push((pool_name, e.ratio));
    }
    // AKO: `PopulatePassthroughPGMarkers`.
    let markers = Markers {
        host: vec![host.clone()],
        infrasetting_name: infra.name.clone(),
        ..Markers::default()
    };
    vs.pgs
        .insert(pg_name, (members, markers, BTreeSet::from([ing.source()])));
    if ing.passthrough_redirect {
        vs.redirect_hosts.insert(host.clone());
    } else {
        // `RemoveRedirectHTTPPolicyInModel` for a host that no longer redirects.
        vs.redirect_hosts.remove(host);
    }
}

/// Emit every passthrough VS with its vsvip, datascript, poolgroups, pools and
/// the insecure companion VS with its redirect policy.
pub fn emit(ctx: &Context, out: &mut Out, model: PassModel) {
    let s = ctx.settings;
    for ((t, n), mut vs) in model {
        for (name, p) in std::mem::take(&mut vs.pools) {
            p.emit_pool(out, &t, &name);
        }
        let src = || vs.sources.clone();
        let net = vs.net.clone().unwrap_or_else(|| Net::global(s));
        let mut pg_refs = Vec::new();
        for (_, pg_name) in &vs.hosts {
            let pg_name = pg_name.clone();
            let Some((members, markers, sources)) = vs.pgs.get(&pg_name) else {
                continue;
            };
            let mut body = json!({
                "name": pg_name,
                "tenant_ref": tenant_ref(&t),
                "cloud_ref": api_ref("cloud", &s.cloud_name),
                "created_by": s.created_by(),
                "implicit_priority_labels": false,
                "markers": markers.to_json(s),
            });
            if !members.is_empty() {
                body["members"] = Value::Array(
                    members
                        .iter()
                        .map(|(m, r)| json!({"pool_ref": api_ref("pool", m), "ratio": r}))
                        .collect(),
                );
            }
            out.emit(AviType::Poolgroup, &t, &pg_name, sources.clone(), body);
            pg_refs.push(json!(api_ref("poolgroup", &pg_name)));
        }
        let mut seen = HashSet::new();
        let hosts: Vec<String> = vs
            .hosts
            .iter()
            .filter(|(h, _)| seen.insert(h.as_str()))
            .map(|(h, _)| h.clone())
            .collect();
        out.emit(
            AviType::Vsvip,
            &t,
            &n,
            src(),
            vip::vsvip_body_net(
                s,
                &net,
                &vip::VsvipSpec {
                    name: n.clone(),
                    tenant: t.clone(),
                    fqdns: hosts,
                    requested_ip: None,
                },
            ),
        );
        let ds = json!({
            "name": n,
            "tenant_ref": tenant_ref(&t),
            "created_by": s.created_by(),
            "datascript": [{"evt": "VS_DATASCRIPT_EVT_L4_REQUEST", "script": datascript(&s.cluster_name, vs.script_infra.as_deref().unwrap_or(""))}],
            "pool_group_refs": pg_refs,
            "protocol_parser_refs": [api_ref("protocolparser", "Default-TLS")],
            "markers": cluster_markers(s),
        });
        out.emit(AviType::Vsdatascriptset, &t, &n, src(), ds);
        let insecure = vs.insecure.clone();
        let has_insecure = !vs.redirect_hosts.is_empty();
        let meta = ServiceMetadata {
            passthrough_child_ref: if has_insecure {
                insecure.clone()
            } else {
                String::new()
            },
            ..ServiceMetadata::default()
        };
        let mut b = vs_common(s, &net, &n, &t, &meta);
        b.insert(
            "application_profile_ref".into(),
            json!(api_ref("applicationprofile", "System-L4-Application")),
        );
        b.insert(
            "services".into(),
            json!([{"port": 443, "port_range_end": 443, "enable_ssl": false, "enable_http2": false}]),
        );
        b.insert("remove_listening_port_on_vs_down".into(), json!(true));
        b.insert(
            "vs_datascripts".into(),
            json!([{"index": 0, "vs_datascript_set_ref": api_ref("vsdatascriptset", &n)}]),
        );
        b.insert("markers".into(), cluster_markers(s));
        out.emit(AviType::Virtualservice, &t, &n, src(), Value::Object(b));
        if has_insecure {
            let hosts: Vec<String> = vs.redirect_hosts.iter().cloned().collect();
            let body = redirect_policy(s, &insecure, &t, &hosts, cluster_markers(s));
            out.emit(AviType::Httppolicyset, &t, &insecure, src(), body);
            let meta = ServiceMetadata {
                passthrough_parent_ref: n.clone(),
                ..ServiceMetadata::default()
            };
            let mut b = vs_common(s, &net, &insecure, &t, &meta);
            // The insecure VS shares the secure VS's vsvip (common VIP).
            b.insert("vsvip_ref".into(), json!(api_ref("vsvip", &n)));
            b.insert("services".into(), services(false));
            b.insert(
                "http_policies".into(),
                json!([{"index": 11, "http_policy_set_ref": api_ref("httppolicyset", &insecure)}]),
            );
            b.insert("markers".into(), cluster_markers(s));
            out.emit(
                AviType::Virtualservice,
                &t,
                &insecure,
                src(),
                Value::Object(b),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datascript_substitutes_cluster_and_infra_once() {
        let d = datascript("c1", "");
        assert!(d.contains("pg_name = \"c1--\"..sname"));
        assert!(!d.contains("CLUSTER") && !d.contains("AVIINFRA"));
        assert_eq!(d.matches('\t').count(), 27);
        assert!(d.starts_with("local avi_tls = require \"Default-TLS\"\n\tbuffered"));
        assert!(d.ends_with("\tavi.l4.ds_done()\n\tavi_tls = nil"));
        assert!(datascript("c1", "inf-").contains("\"c1--inf-\"..sname"));
    }

    #[test]
    fn insecure_pool_group_and_pool_names() {
        // `GetPassthroughPGName`, `GetPassthroughPoolName`, `PassthroughInsecure`.
        let s = Settings {
            cluster_name: "c".into(),
            ..Settings::default()
        };
        let n = bucket("foo.com", ShardSize::Large.count());
        assert_eq!(
            insecure_vs_name(&s, "inf", ShardSize::Large, "foo.com"),
            format!("c--Shared-Passthrough-inf-{n}-insecure")
        );
        assert_eq!(pg_name(&s, "", "foo.com"), "c--foo.com");
        assert_eq!(pg_name(&s, "inf", "foo.com"), "c--inf-foo.com");
        assert_eq!(pool_name(&s, "", "foo.com", "web"), "c--foo.com-web");
        assert_eq!(pool_name(&s, "inf", "foo.com", "web"), "c--inf-foo.com-web");
    }

    #[test]
    fn vs_names_follow_the_passthrough_shard_size() {
        let mut s = Settings {
            cluster_name: "c".into(),
            ..Settings::default()
        };
        assert_eq!(
            vs_name(&s, "", s.passthrough_shard_size, "foo.com"),
            "c--Shared-Passthrough-0"
        );
        let n = bucket("foo.com", ShardSize::Large.count());
        assert_eq!(
            vs_name(&s, "", ShardSize::Large, "foo.com"),
            format!("c--Shared-Passthrough-{n}")
        );
        assert_eq!(
            vs_name(&s, "inf", ShardSize::Large, "foo.com"),
            format!("c--Shared-Passthrough-inf-{n}")
        );
        // Shard size 0 (DEDICATED) gives the plain hash.
        assert_eq!(
            vs_name(&s, "", ShardSize::Dedicated, "foo.com"),
            format!(
                "c--Shared-Passthrough-{}",
                crate::compile::common::fnv1a32("foo.com")
            )
        );
        assert_eq!(pool_name(&s, "inf", "a.com", "svc"), "c--inf-a.com-svc");
        assert_eq!(pg_name(&s, "", "a.com"), "c--a.com");
        s.primary_instance = false;
        assert!(
            vs_name(&s, "", ShardSize::Small, "foo.com")
                .starts_with("c--avi-system-Shared-Passthrough-")
        );
    }
}
