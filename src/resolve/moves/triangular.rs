//! **Triangular change.** Precondition: `h = β = 0` on the variables it moves; a change `w_j' = w_j + p(w_{<j})` that shortens the generators. Jacobian 1 (triangular with unit diagonal), so the pair is unchanged (docs/theory.md §4).
//!
//! The rewriting itself is [`ChartNode::triangular_change`].

use super::{Applied, Context, Move, change_linked};
use crate::resolve::chart::ChartNode;

/// See the module docs.
pub struct TriangularChange;

impl Move for TriangularChange {
    fn name(&self) -> &'static str {
        "triangular-change"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        change_linked(node, ChartNode::triangular_linked)
    }
}
