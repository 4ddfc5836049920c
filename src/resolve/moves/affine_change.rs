//! **Affine factor as a coordinate.** Precondition: a generator has a factor `v − φ(x')` with `φ` affine ([`crate::resolve::affine`]); the change `v' = v − φ(x')` has Jacobian 1 and keeps the region (docs/theory.md §4).
//!
//! The rewriting itself is [`ChartNode::affine_factor_change`].

use super::{Applied, Context, Move, change_linked};
use crate::resolve::chart::ChartNode;

/// See the module docs.
pub struct AffineFactorChange;

impl Move for AffineFactorChange {
    fn name(&self) -> &'static str {
        "affine-factor"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        change_linked(node, ChartNode::affine_factor_linked)
    }
}
