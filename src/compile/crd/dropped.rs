//! Warnings for CRD objects AKO accepts but does not apply in the current
//! mode: AKO's output stays as it is, the user learns what was dropped.

use super::super::{Context, Out, describe};
use crate::kube::crd::Crd;
use crate::model::{Diagnostic, Severity};

/// In SNI mode (`enableEVH` false) AKO reads no L7Rule and no SSORule:
/// `BuildL7HostRule` (`internal/nodes/crd_translator.go`) follows a
/// HostRule's `l7Rule` only when EVH is enabled, and `BuildL7SSORule` is
/// called from the EVH model builders only (`internal/nodes/avi_model_evh_nodes.go`).
pub fn warn_sni_mode(ctx: &Context, out: &mut Out) {
    if ctx.settings.enable_evh {
        return;
    }
    for hr in ctx.crds.host_rules.iter().filter(|h| h.verdict.accepted()) {
        let l7 = &hr.obj.spec.virtualhost.l7_rule;
        if l7.is_empty() {
            continue;
        }
        out.push(
            Diagnostic::new(
                Severity::Warning,
                Some(describe("HostRule", hr.obj.namespace(), hr.obj.name())),
                format!(
                    "spec.virtualhost.l7Rule {l7} has no effect: AKO applies L7Rules only with AKOSettings.enableEVH (SNI mode ignores them)"
                ),
            )
            .at(&hr.obj.origin),
        );
    }
    for r in ctx.crds.sso_rules.iter().filter(|r| r.verdict.accepted()) {
        out.push(
            Diagnostic::new(
                Severity::Warning,
                Some(describe("SSORule", r.obj.namespace(), r.obj.name())),
                "has no effect: AKO applies SSORules only to EVH virtual services (AKOSettings.enableEVH; SNI mode ignores them)",
            )
            .at(&r.obj.origin),
        );
    }
}
