//! **Shrink the box by a positive grading.** Precondition: some variable is
//! bounded, and `J` is quasi-homogeneous for weights positive on the
//! bounded variables ([`crate::resolve::region::positive_grading`], an
//! exact LP). The weighted scaling maps every point of the box towards the
//! origin along orbits on which `K` only shrinks, so no point of the box is
//! more singular than the origin: the chart's pair is that of the origin
//! (docs/theory.md §4).

use super::{Applied, Context, Move, has_bounded};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::Expansion;
use crate::resolve::region::{self, Range};

/// See the module docs.
pub struct PositiveGrading;

impl Move for PositiveGrading {
    fn name(&self) -> &'static str {
        "positive-grading"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        if !has_bounded(node) {
            return Applied::No;
        }
        let Some(q) = region::positive_grading(&node.gens, &node.region) else { return Applied::No };
        let mut origin = node.clone();
        origin.region = vec![Range::Local; node.dim()];
        let w: Vec<String> = (0..node.dim()).map(|i| format!("{}:{}", node.names[i], q[i])).collect();
        Applied::Expand(Expansion::split(
            crate::resolve::expansion::Combine::Union,
            format!(
                "J is quasi-homogeneous for weights ({}) positive on the box: no point of the box is more singular than the origin",
                w.join(", ")
            ),
            vec![crate::resolve::expansion::Part::linked(
                origin,
                "shrink the box to the origin",
                crate::resolve::expansion::Link::Grading(q),
            )],
        ))
    }
}
