//! One integration-test binary: the crate is linked once for all of them.
//! Each module is one area; `support` holds the shared fake API server.

mod apply;
mod cli;
mod cluster;
mod cluster_settings;
mod compile_cases;
mod connect;
mod devctl;
mod diagnostics;
mod errors;
mod explain;
mod explain_rules;
mod faults;
mod fuzz_regressions;
mod input;
mod input_errors;
mod kubeconfig_parity;
mod live;
mod openshift_example;
mod plan;
mod plan_client;
mod properties;
mod readme;
mod secrets;
mod settings;
mod support;
mod table;
mod transitions;
