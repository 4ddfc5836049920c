//! **Product rule, a monomial factor.** Precondition: some variables occur
//! in no generator (only in `u^β` or the prior). Then `K ≍ |u_A^β|^p ·
//! (|u_B^β|^p·J(u_B))` in separate variables: λ = min, m adds on ties
//! (docs/theory.md §2). The monomial part is a normal-crossing leaf.

use super::{Applied, Context, Move};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::{Combine, Expansion, LeafValue, Link, Part, normal_crossing};

/// See the module docs.
pub struct MonomialFactor;

impl Move for MonomialFactor {
    fn name(&self) -> &'static str {
        "monomial-factor"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        let used = node.used_in_gens();
        let outside: Vec<usize> = (0..node.dim()).filter(|&i| !used[i]).collect();
        if outside.is_empty() {
            return Applied::No;
        }
        let inside: Vec<usize> = (0..node.dim()).filter(|&i| used[i]).collect();
        let mono = node.restrict(&outside);
        let nc = normal_crossing(&mono.beta, &mono.h, node.power());
        let names: Vec<&str> = outside.iter().map(|&i| node.names[i].as_str()).collect();
        let leaf = Part::Leaf {
            action: format!("factor in {} alone", names.join(", ")),
            chart: mono.describe(),
            rule: "leaf: monomial, normal crossing".into(),
            value: LeafValue::Exact(nc),
        };
        Applied::Expand(Expansion::split(
            Combine::Product,
            "product of separate variables: λ = min, m adds on ties",
            vec![leaf, Part::linked(node.restrict(&inside), "the other factor", Link::Restrict(inside))],
        ))
    }
}
