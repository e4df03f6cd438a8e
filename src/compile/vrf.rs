//! Static routes in the VRF (translation-core.md §4.10). AKO:
//! `internal/nodes/avi_vrf_translator.go` `BuildVRFGraph`, `addRouteForNode`;
//! `internal/rest/avi_obj_vrf.go` `AviVrfBuild`.

use super::{Context, Out};

pub fn build(_ctx: &Context, _out: &mut Out) {}
