//! **Split at rational zeros.** Precondition: some generator's restriction
//! to the centre set (local variables at 0) depends on one bounded variable
//! `v` only, and all its real zeros in `v`'s interval are rational (found
//! exactly, [`crate::resolve::region::rational_zeros_on`]). Elsewhere on
//! the box that generator is a unit (normal crossing of the monomial
//! factor); near each zero, the translated chart (`h_v := 0`, `β_v := 0`:
//! those factors are units there). The box is the union of these parts.

use super::{Applied, Context, Move, background, has_bounded};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::{Combine, Expansion, Part};
use crate::resolve::region::{self, Range};

/// See the module docs.
pub struct RationalZeros;

impl Move for RationalZeros {
    fn name(&self) -> &'static str {
        "rational-zeros"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        if !has_bounded(node) {
            return Applied::No;
        }
        for g0 in &node.centre_restrictions() {
            let vars: Vec<usize> =
                g0.used_vars().iter().enumerate().filter(|(_, u)| **u).map(|(i, _)| i).collect();
            if vars.len() != 1 {
                continue;
            }
            let v = vars[0];
            let Range::Bounded(lo, hi) = node.region[v].clone() else { continue };
            let coeffs = region::univariate_coeffs(g0, v);
            let Some(inside) = region::rational_zeros_on(&coeffs, &lo, &hi) else { continue };
            let rule = format!(
                "{} vanishes on the box only at {} = {}; elsewhere that generator is a unit (normal crossing)",
                g0.display(&node.names),
                node.names[v],
                inside.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ")
            );
            let mut parts =
                vec![background(node, format!("the box away from those values of {}", node.names[v]))];
            for r in inside {
                parts.push(Part::linked(
                    node.translate(v, &r),
                    format!("translate to {} = {}", node.names[v], r),
                    crate::resolve::expansion::Link::Pullback(node.translate_map(v, &r)),
                ));
            }
            return Applied::Expand(Expansion::split(Combine::Union, rule, parts));
        }
        Applied::No
    }
}
