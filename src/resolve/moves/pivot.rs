//! **Constant pivot.** Precondition: a generator `f = c·w_j + g` with `c` a non-zero constant, `g` free of `w_j`, `h_j = β_j = 0` (or `f = c·w_j` alone). Then `w_j' = f` is a coordinate (a polynomial automorphism with constant Jacobian `c`), and the other generators are reduced modulo it: the same ideal in new coordinates, the same pair (docs/theory.md §2, §4).
//!
//! The rewriting itself is [`ChartNode::pivot`].

use super::{Applied, Context, Move, change_linked};
use crate::resolve::chart::ChartNode;

/// See the module docs.
pub struct Pivot;

impl Move for Pivot {
    fn name(&self) -> &'static str {
        "pivot"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        change_linked(node, ChartNode::pivot_linked)
    }
}
