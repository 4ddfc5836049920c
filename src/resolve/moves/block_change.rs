//! **Block coefficient change.** Precondition: every generator touching variables `W` is `Σ a·P_l + R` with `R` free of `W`, each `P_l` vanishing on the centre set with one linear term `c·w_l`, and `det(∂P/∂W)` proven non-vanishing on the region; then `w_l' = P_l` is a change with a unit Jacobian, kept only when the generators get strictly shorter. Same pair (docs/theory.md §4).
//!
//! The rewriting itself is [`ChartNode::block_coefficient_change`].

use super::{Applied, Context, Move, change};
use crate::resolve::chart::ChartNode;

/// See the module docs.
pub struct BlockCoefficientChange;

impl Move for BlockCoefficientChange {
    fn name(&self) -> &'static str {
        "block-coefficient"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        change(node, ChartNode::block_coefficient_change)
    }
}
