//! **Leaf (c), a non-degenerate Newton polyhedron.** Precondition: every
//! variable is local (the region is a neighbourhood of the origin) and the
//! chart has at most [`NEWTON_LEAF_MAX_DIM`] variables. When every compact
//! face of the Newton polyhedron of `|u^β|^p·J` is certified
//! non-degenerate ([`crate::newton`]), its pair is the Newton pair
//! (Varchenko 1976, Lin 2011; docs/theory.md §3). Tried on small charts
//! only: the face enumeration costs more than a blow-up on the large
//! bilinear charts of reduced-rank regression.

use super::{Applied, Context, Move, has_bounded};
use crate::poly::Poly;
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::{Expansion, Pair};

/// Largest chart dimension on which the Newton leaf is tried.
const NEWTON_LEAF_MAX_DIM: usize = 4;

/// See the module docs.
pub struct NewtonLeaf;

impl Move for NewtonLeaf {
    fn name(&self) -> &'static str {
        "newton-leaf"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        if has_bounded(node) || node.dim() > NEWTON_LEAF_MAX_DIM {
            return Applied::No;
        }
        let full: Vec<Poly> = node.gens.iter().map(|g| g.mul_monomial(&node.beta)).collect();
        let nopts =
            crate::newton::NewtonOptions { lp_budget: 2_000, facet_budget: 5_000, ..Default::default() };
        let a = crate::newton::analyze_with(&full, node.ideal, &node.h, &nopts);
        if !matches!(a.nondegeneracy, crate::newton::Nondegeneracy::Certified) {
            return Applied::No;
        }
        let pair = Pair { lambda: a.pair.lambda.clone(), m: a.pair.multiplicity };
        Applied::Expand(Expansion::exact(
            Some(pair),
            format!(
                "leaf (c): Newton polyhedron certified non-degenerate, t* = {} (Varchenko/Lin)",
                a.pair.t_star
            ),
        ))
    }
}
