//! **Empty ideal.** Precondition: the chart has no generator left
//! (`J ≡ 0`, `K` vanishes identically on the chart). Proves only `λ ≥ 0`:
//! there is no pole to speak of, and the result is a bound.

use super::{Applied, Context, Move};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::{Expansion, LeafValue};
use num_traits::Zero;

/// See the module docs.
pub struct EmptyIdeal;

impl Move for EmptyIdeal {
    fn name(&self) -> &'static str {
        "empty-ideal"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        if !node.gens.is_empty() {
            return Applied::No;
        }
        Applied::Expand(Expansion::Leaf {
            rule: "K vanishes identically on this chart".into(),
            value: LeafValue::Bound { lower: crate::poly::Rat::zero(), upper: None },
        })
    }
}
