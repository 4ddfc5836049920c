//! **Interreduction.** Precondition: some generator can be replaced by `g_i − q·g_j` (`q` a monomial) with strictly fewer terms in total. The ideal is unchanged, so is the pair (docs/theory.md §2).
//!
//! The rewriting itself is [`ChartNode::interreduce_generators`].

use super::{Applied, Context, Move, change};
use crate::resolve::chart::ChartNode;

/// See the module docs.
pub struct Interreduce;

impl Move for Interreduce {
    fn name(&self) -> &'static str {
        "interreduce"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        change(node, ChartNode::interreduce_generators)
    }
}
