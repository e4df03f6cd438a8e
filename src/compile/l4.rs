//! Services of type LoadBalancer (translation-core.md §4.2, §4.3).

use super::{Context, Out};

pub fn build(_ctx: &Context, _out: &mut Out) {}
