//! AviInfraSetting binding and effects (translation-extended.md §0.3, §2.4).
//!
//! The Ingress / Route / L4 translation asks [`Rules::infra_for_ingress`]
//! (or `_for_route`, `_for_service`) which infrasetting applies, then reads
//! the effective values from [`Infra`] instead of the global settings.

use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::Ingress;

use crate::kube::crd::{AviInfraSetting, Crd};
use crate::model::Obj;
use crate::settings::{NodeNetwork, Settings, ShardSize, VipNetwork};

use super::Rules;
use crate::compile::Context;

/// Annotation on a Namespace / Route / Service naming an AviInfraSetting
/// (`internal/lib/constants.go` `InfraSettingNameAnnotation`).
pub const ANNOTATION: &str = "aviinfrasetting.ako.vmware.com/name";
/// IngressClass controller handled by AKO (`lib.AviIngressController`).
pub const INGRESS_CONTROLLER: &str = "ako.vmware.com/avi-lb";
const DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";

/// The AviInfraSetting that applies to an object.
#[derive(Clone, Copy, Debug)]
pub struct Infra<'a> {
    pub setting: &'a Obj<AviInfraSetting>,
    /// Whether the name goes into L7 object names and the `InfrasettingName`
    /// marker: not when the object's namespace carries the annotation with
    /// the same name (`internal/lib/utils.go` `IsInfraSettingNSScoped`).
    pub in_names: bool,
}

/// Outcome of the infrasetting lookup for one object.
#[derive(Clone, Debug)]
pub enum InfraChoice<'a> {
    /// No infrasetting: global settings apply.
    None,
    Use(Infra<'a>),
    /// A referenced infrasetting is missing or not Accepted: AKO does not
    /// process the object at all. The text says why.
    Block(String),
}

impl<'a> InfraChoice<'a> {
    pub fn infra(&self) -> Option<&Infra<'a>> {
        match self {
            InfraChoice::Use(i) => Some(i),
            _ => None,
        }
    }
}

impl<'a> Infra<'a> {
    pub fn name(&self) -> &'a str {
        self.setting.obj.name()
    }

    /// `I`: the name inserted into L7 names, or `""` (§0.3).
    pub fn name_in_names(&self) -> &'a str {
        if self.in_names { self.name() } else { "" }
    }

    /// `I-` (§0.1).
    pub fn prefix(&self) -> String {
        if self.in_names {
            format!("{}-", self.name())
        } else {
            String::new()
        }
    }

    /// Shard size for L7 objects of this infrasetting (`l7Settings.shardSize`,
    /// else the global one): `internal/lib/lib.go` `GetShardSizeFromAviInfraCRD`.
    pub fn shard_size(&self, settings: &Settings) -> ShardSize {
        match self.setting.obj.spec.l7_settings.shard_size.as_str() {
            "LARGE" => ShardSize::Large,
            "MEDIUM" => ShardSize::Medium,
            "SMALL" => ShardSize::Small,
            "DEDICATED" => ShardSize::Dedicated,
            _ => settings.shard_vs_size,
        }
    }

    /// `seGroup.name`, when set (`buildWithInfraSetting`).
    pub fn se_group(&self) -> Option<&'a str> {
        Some(self.setting.obj.spec.se_group.name.as_str()).filter(|s| !s.is_empty())
    }

    /// SE group to reference: the infrasetting's or the global one.
    pub fn se_group_or<'s>(&self, settings: &'s Settings) -> &'s str
    where
        'a: 's,
    {
        self.se_group().unwrap_or(&settings.se_group_name)
    }

    /// `network.vipNetworks` in the settings type; `None` when empty (global list applies).
    pub fn vip_networks(&self) -> Option<Vec<VipNetwork>> {
        let v = &self.setting.obj.spec.network.vip_networks;
        (!v.is_empty()).then(|| {
            v.iter()
                .map(|n| VipNetwork {
                    network_name: n.network_name.clone(),
                    network_uuid: n.network_uuid.clone(),
                    cidr: n.cidr.clone(),
                    v6cidr: n.v6cidr.clone(),
                })
                .collect()
        })
    }

    /// `network.nodeNetworks`; `None` when empty (global list applies).
    pub fn node_networks(&self) -> Option<Vec<NodeNetwork>> {
        let v = &self.setting.obj.spec.network.node_networks;
        (!v.is_empty()).then(|| {
            v.iter()
                .map(|n| NodeNetwork {
                    network_name: n.network_name.clone(),
                    network_uuid: n.network_uuid.clone(),
                    cidrs: n.cidrs.clone(),
                })
                .collect()
        })
    }

    /// Effective RHI (`network.enableRhi`, else global `enableRHI`).
    pub fn enable_rhi(&self, settings: &Settings) -> bool {
        self.setting
            .obj
            .spec
            .network
            .enable_rhi
            .unwrap_or(settings.enable_rhi)
    }

    /// VSVIP `bgp_peer_labels`: the infrasetting's when it turns RHI on, the
    /// global ones when RHI comes from the global setting, none without RHI.
    pub fn bgp_peer_labels(&self, settings: &Settings) -> Vec<String> {
        let net = &self.setting.obj.spec.network;
        match net.enable_rhi {
            Some(true) => net.bgp_peer_labels.clone(),
            Some(false) => Vec::new(),
            None if settings.enable_rhi => settings.bgp_peer_labels.clone(),
            None => Vec::new(),
        }
    }

    /// `network.enablePublicIP` (public clouds only; the caller checks the cloud).
    pub fn enable_public_ip(&self) -> Option<bool> {
        self.setting.obj.spec.network.enable_public_ip
    }

    /// `network.listeners` as (port, enable_ssl, enable_http2); entries
    /// without a port are skipped.
    pub fn listeners(&self) -> Vec<(i64, bool, bool)> {
        self.setting
            .obj
            .spec
            .network
            .listeners
            .iter()
            .filter_map(|l| {
                l.port.map(|p| {
                    (
                        p,
                        l.enable_ssl.unwrap_or(false),
                        l.enable_http2.unwrap_or(false),
                    )
                })
            })
            .collect()
    }

    /// `nsxSettings.t1lr`.
    pub fn t1lr(&self) -> Option<&'a str> {
        self.setting
            .obj
            .spec
            .nsx_settings
            .t1lr
            .as_deref()
            .filter(|s| !s.is_empty())
    }
}

impl<'a> Rules<'a> {
    fn infra_by_name(&self, name: &str, ns: &str, ctx: &Context, invalid: &str) -> InfraChoice<'a> {
        match self.infra_settings.get(name) {
            None => InfraChoice::Block(format!("AviInfraSetting {name} not found")),
            Some(j) if !j.verdict.accepted() => InfraChoice::Block(invalid.to_string()),
            Some(j) => InfraChoice::Use(Infra {
                setting: j.obj,
                in_names: !ctx
                    .settings
                    .release
                    .has(crate::release::Feature::NamespaceInfraNotInNames)
                    || namespace_annotation(ctx, ns) != Some(name),
            }),
        }
    }

    /// The namespace fallback (`lib.GetNamespacedAviInfraSetting`). A
    /// Namespace missing from the input counts as one without annotations.
    pub fn infra_for_namespace(&self, ctx: &Context, ns: &str) -> InfraChoice<'a> {
        match namespace_annotation(ctx, ns) {
            None => InfraChoice::None,
            Some(name) => {
                let invalid = format!("AviInfraSetting {name} is invalid");
                self.infra_by_name(name, ns, ctx, &invalid)
            }
        }
    }

    /// Ingress: IngressClass `spec.parameters` (the AKO default class when
    /// `ingressClassName` is empty), else the namespace annotation
    /// (`internal/nodes/route_ingress_model.go` `getL7IngressInfraSetting`).
    pub fn infra_for_ingress(&self, ctx: &Context, ing: &Ingress) -> InfraChoice<'a> {
        let ns = ing.metadata.namespace.as_deref().unwrap_or("");
        let class_name = ing
            .spec
            .as_ref()
            .and_then(|s| s.ingress_class_name.as_deref());
        let class_name = match class_name.filter(|c| !c.is_empty()) {
            Some(c) => Some(c.to_string()),
            None => default_ingress_class(ctx),
        };
        let Some(class_name) = class_name else {
            return self.infra_for_namespace(ctx, ns);
        };
        let Some(class) = ctx.ingress_classes.get(class_name.as_str()) else {
            return InfraChoice::Block(format!("IngressClass {class_name} not found"));
        };
        let params = class.obj.spec.as_ref().and_then(|s| s.parameters.as_ref());
        if let Some(p) = params
            && p.api_group.as_deref() == Some(crate::kube::crd::GROUP)
            && p.kind == "AviInfraSetting"
        {
            let invalid = format!("Referred AviInfraSetting {} is invalid", p.name);
            return self.infra_by_name(&p.name, ns, ctx, &invalid);
        }
        self.infra_for_namespace(ctx, ns)
    }

    /// OpenShift Route: its annotation, else the namespace
    /// (`getL7RouteInfraSetting`).
    pub fn infra_for_route(
        &self,
        ctx: &Context,
        ns: &str,
        annotations: Option<&std::collections::BTreeMap<String, String>>,
    ) -> InfraChoice<'a> {
        match annotations
            .and_then(|a| a.get(ANNOTATION))
            .filter(|n| !n.is_empty())
        {
            Some(name) => {
                let invalid = format!("Referred AviInfraSetting {name} is invalid");
                self.infra_by_name(name, ns, ctx, &invalid)
            }
            None => self.infra_for_namespace(ctx, ns),
        }
    }

    /// A services-API GatewayClass `parametersRef` naming AviInfraSetting
    /// `name`, for a Gateway in `ns`; no namespace fallback
    /// (`internal/nodes/avi_model_l4_translator.go` `getL4InfraSetting`).
    pub fn infra_for_gateway_class(&self, ctx: &Context, name: &str, ns: &str) -> InfraChoice<'a> {
        let invalid = format!("referred AviInfraSetting {name} is invalid");
        self.infra_by_name(name, ns, ctx, &invalid)
    }

    /// LoadBalancer Service: its annotation, else the namespace
    /// (`internal/nodes/avi_model_l4_translator.go` `getL4InfraSetting`).
    /// L4 names never contain the infrasetting.
    pub fn infra_for_service(&self, ctx: &Context, svc: &Service) -> InfraChoice<'a> {
        let ns = svc.metadata.namespace.as_deref().unwrap_or("");
        match svc
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(ANNOTATION))
        {
            Some(name) if !name.is_empty() => {
                let invalid = format!("referred AviInfraSetting {name} is invalid");
                self.infra_by_name(name, ns, ctx, &invalid)
            }
            _ => self.infra_for_namespace(ctx, ns),
        }
    }
}

fn namespace_annotation<'c>(ctx: &Context<'c>, ns: &str) -> Option<&'c str> {
    ctx.namespaces
        .get(ns)
        .and_then(|n| n.obj.metadata.annotations.as_ref())
        .and_then(|a| a.get(ANNOTATION))
        .map(String::as_str)
}

/// The IngressClass that is AKO's default (`lib.IsAviLBDefaultIngressClass`):
/// controller `ako.vmware.com/avi-lb` and annotated default.
pub fn default_ingress_class(ctx: &Context) -> Option<String> {
    let mut names: Vec<&str> = ctx
        .ingress_classes
        .iter()
        .filter(|(_, c)| {
            c.obj.spec.as_ref().and_then(|s| s.controller.as_deref()) == Some(INGRESS_CONTROLLER)
                && c.obj
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(DEFAULT_CLASS_ANNOTATION))
                    .is_some_and(|v| v == "true")
        })
        .map(|(n, _)| *n)
        .collect();
    names.sort();
    names.first().map(|s| s.to_string())
}
