//! **Zeros only at the origin of the box.** Precondition: some generator,
//! restricted to the centre set, is a sum of monomials with even exponents
//! and positive coefficients containing a pure even power of every bounded
//! variable. Then it vanishes on the box only where every bounded variable
//! is 0: the box is the union of the origin's neighbourhood and a part
//! where `J` is a unit (normal crossing of the monomial factor).

use super::{Applied, Context, Move, background, has_bounded};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::{Combine, Expansion, Part};
use crate::resolve::region::Range;

/// See the module docs.
pub struct IsolatedOrigin;

impl Move for IsolatedOrigin {
    fn name(&self) -> &'static str {
        "isolated-origin"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        if !has_bounded(node) || !isolated_at_origin(node) {
            return Applied::No;
        }
        let mut origin = node.clone();
        origin.region = vec![Range::Local; node.dim()];
        Applied::Expand(Expansion::split(
            Combine::Union,
            "J vanishes on the box only at its origin (positive even terms, pure powers); elsewhere a unit",
            vec![
                background(node, "the box away from its origin"),
                Part::chart(origin, "the origin of the box"),
            ],
        ))
    }
}

fn isolated_at_origin(node: &ChartNode) -> bool {
    let bounded: Vec<usize> = (0..node.dim()).filter(|&i| !node.region[i].is_local()).collect();
    node.centre_restrictions().iter().any(|g0| {
        !g0.is_zero()
            && g0.all_coefficients_positive()
            && g0.terms().iter().all(|t| t.exp.iter().all(|e| e % 2 == 0))
            && bounded.iter().all(|&v| {
                g0.terms()
                    .iter()
                    .any(|t| t.exp[v] > 0 && t.exp.iter().enumerate().all(|(i, &e)| i == v || e == 0))
            })
    })
}
