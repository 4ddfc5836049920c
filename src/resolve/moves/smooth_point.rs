//! **Leaf: a smooth point.** Precondition and proof in
//! [`crate::resolve::local::smooth_point_leaf`]: at the chart's origin the
//! generators have independent differentials in variables free of divisors
//! and prior, so they are coordinates (inverse function theorem), possibly
//! after eliminating variables of a smooth fibre by exact substitution.

use super::{Applied, Context, Move};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::Expansion;
use crate::resolve::local;

/// See the module docs.
pub struct SmoothPoint;

impl Move for SmoothPoint {
    fn name(&self) -> &'static str {
        "smooth-point"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        local::smooth_point_leaf(node).map(|(pair, rule)| Expansion::exact(Some(pair), rule)).into()
    }
}
