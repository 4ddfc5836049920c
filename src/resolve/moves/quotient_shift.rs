//! **Quotient shift.** Precondition: a generator `c·w + r` such that `w' = w + r/c` (exact quotient, Jacobian 1; a local `w` only by a shift vanishing on the centre set, so it stays local) makes the generators strictly shorter ([`crate::resolve::reduce`]). Same pair (docs/theory.md §4).
//!
//! The rewriting itself is [`ChartNode::reducing_shift_linked`].

use super::{Applied, Context, Move, change_linked};
use crate::resolve::chart::ChartNode;

/// See the module docs.
pub struct QuotientShift;

impl Move for QuotientShift {
    fn name(&self) -> &'static str {
        "quotient-shift"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        change_linked(node, ChartNode::reducing_shift_linked)
    }
}
