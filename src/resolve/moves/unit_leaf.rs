//! **Leaf (a), a unit.** Precondition: some generator has no zero on the
//! whole region, proven by exact interval arithmetic with bisection
//! ([`crate::resolve::region::nonvanishing_on`]). Then `J` is a unit and
//! `K ≍ |u^β|^p`, a normal crossing (docs/theory.md §2, §4).

use super::{Applied, Context, Move};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::{Expansion, normal_crossing};
use crate::resolve::region;

/// Boxes tried by interval bisection to prove a unit.
const UNIT_BOX_BUDGET: usize = 256;

/// See the module docs.
pub struct UnitLeaf;

impl Move for UnitLeaf {
    fn name(&self) -> &'static str {
        "unit"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        let Some(g) = node.gens.iter().find(|g| region::nonvanishing_on(g, &node.region, UNIT_BOX_BUDGET))
        else {
            return Applied::No;
        };
        let p = node.power();
        Applied::Expand(Expansion::exact(
            normal_crossing(&node.beta, &node.h, p),
            format!(
                "leaf (a): {} has no zero on the region, so K ≍ |u^β|^{p}: normal crossing",
                g.display(&node.names)
            ),
        ))
    }
}
