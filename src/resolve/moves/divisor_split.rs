//! **Split at a divisor.** Precondition: a bounded variable `v` carries a
//! monomial factor (`β_v > 0`). Points with `v = 0` are covered by the
//! chart where `v` is local; at points with `v ≠ 0`, `u_v^{β_v}` is a unit,
//! so the chart with `β_v = 0` on the whole box has the right pair there
//! and a less singular one at `v = 0` (dividing `K` by a monomial bounded
//! by 1 raises `K`, hence λ). The pair is the more singular of the two (a
//! union).
//!
//! The prior `|u_v|^{h_v}` is kept in the second chart: dropping it would
//! *lower* λ at `v = 0` (a larger prior near the zero set), and that chart
//! would then claim a pair more singular than the truth there. (Found as
//! a contradiction between two proofs of `(x⁴ + y⁴ + z⁴ − xyz)²`: an upper
//! bound 7/16 below the proven 1/2.) A bounded variable with a prior and
//! no monomial factor is therefore left to the other moves.

use super::{Applied, Context, Move};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::{Combine, Expansion, Part};
use crate::resolve::region::Range;

/// See the module docs.
pub struct DivisorSplit;

impl Move for DivisorSplit {
    fn name(&self) -> &'static str {
        "divisor-split"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        let Some(v) = (0..node.dim()).find(|&i| !node.region[i].is_local() && node.beta[i] > 0) else {
            return Applied::No;
        };
        let mut on = node.clone();
        on.region[v] = Range::Local;
        let mut off = node.clone();
        off.beta[v] = 0;
        let name = &node.names[v];
        Applied::Expand(Expansion::split(
            Combine::Union,
            format!("split at the divisor {name} = 0"),
            vec![
                Part::chart(on, format!("points with {name} = 0")),
                Part::chart(off, format!("points with {name} ≠ 0 (its divisor is a unit there)")),
            ],
        ))
    }
}
