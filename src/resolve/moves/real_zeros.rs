//! **Real zeros beyond rational points.** Precondition: some variable is
//! bounded and none carries a divisor. Irrational roots of univariate
//! restrictions and smooth complete intersections on the box, settled by
//! the implicit function theorem with exact interval arithmetic and Sturm
//! sequences; the rules, their hypotheses and their proofs are in
//! [`crate::resolve::smooth`]. When neither rule applies, the move is stuck
//! and says why (the undecided leaf's rule).

use super::{Applied, Context, Move, has_bounded};
use crate::resolve::chart::ChartNode;

/// See the module docs.
pub struct RealZeros;

impl Move for RealZeros {
    fn name(&self) -> &'static str {
        "real-zeros"
    }

    fn apply(&self, node: &ChartNode, cx: &Context) -> Applied {
        if !has_bounded(node) {
            return Applied::No;
        }
        match crate::resolve::smooth::real_zeros_beyond_rational(node, cx.depth) {
            Ok(e) => Applied::Expand(e),
            Err(why) => Applied::Stuck(why),
        }
    }
}
