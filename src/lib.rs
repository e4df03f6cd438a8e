//! akoctl: compile Kubernetes objects into the Avi objects AKO would create.
//! See ARCHITECTURE.md for the map.

pub mod apply;
pub mod cli;
pub mod client;
pub mod cluster;
pub mod compile;
pub mod devctl;
pub mod diagnostics;
pub mod explain;
pub mod fuzzing;
pub mod input;
pub mod kube;
pub mod model;
pub mod names;
pub mod plan;
pub mod release;
pub mod render;
pub mod settings;
pub mod synth;
pub mod tls;
pub mod workflow;
