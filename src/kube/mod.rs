//! The Kubernetes shapes akoctl reads beyond k8s-openapi's own types: AKO's
//! CRDs, OpenShift Routes, the Gateway APIs (Kubernetes' and the older
//! services API) and the CNI objects that hold pod CIDRs. Each is a serde type
//! that mirrors the fields AKO reads; `model` uses them and nothing here uses
//! `model`.

mod resource;

pub mod cni;
pub mod crd;
pub mod gateway;
pub mod route;
pub mod services_api;
