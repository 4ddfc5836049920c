//! **Unit pivot.** Precondition: a generator `f = c(w)·w_j + g(w)`, `g` free of `w_j`, with `c` proven non-vanishing on the whole region (exact interval arithmetic) and `h_j = β_j = 0`. Then `w_j' = f` is a coordinate with Jacobian `c`, a unit: the pair is unchanged (docs/theory.md §4).
//!
//! The rewriting itself is [`ChartNode::unit_pivot`].

use super::{Applied, Context, Move, change};
use crate::resolve::chart::ChartNode;

/// See the module docs.
pub struct UnitPivot;

impl Move for UnitPivot {
    fn name(&self) -> &'static str {
        "unit-pivot"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        change(node, ChartNode::unit_pivot)
    }
}
