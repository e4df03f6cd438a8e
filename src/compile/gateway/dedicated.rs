//! Dedicated gateway mode (translation-extended.md §5.5).

use super::{Gw, GwModel};
use crate::compile::Out;

/// The dedicated VS of a Gateway.
pub fn build(_gw: &Gw, _out: &mut Out, _m: &GwModel) {}
