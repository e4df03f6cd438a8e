//! akoctl: compile Kubernetes objects into the Avi objects AKO would create.
//! See ARCHITECTURE.md for the map.

pub mod apply;
pub mod cli;
pub mod client;
pub mod cluster;
pub mod cni;
pub mod compile;
pub mod crd;
pub mod devctl;
pub mod diagnostics;
pub mod explain;
pub mod fuzzing;
pub mod gateway;
pub mod input;
pub mod model;
pub mod plan;
pub mod release;
pub mod render;
pub mod route;
pub mod services_api;
pub mod settings;
pub mod synth;
pub mod tls;
