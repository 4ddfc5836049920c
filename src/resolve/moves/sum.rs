//! **Sum rule.** Precondition: no monomial factor (`β = 0`), and the
//! generators (ideal) or the terms of `K` (a polynomial, all variables
//! local, `K(0) = 0`, so each part is `K` restricted to its variables and
//! is ≥ 0) fall into ≥ 2 groups in disjoint variable sets. Then
//! `K = K₁(x) + K₂(y) + …`: λ adds, m = Σm − (k−1) (docs/theory.md §2).

use super::{Applied, Context, Move};
use crate::poly::Poly;
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::{Combine, Expansion, Link, Part};
use num_traits::Zero;

/// See the module docs.
pub struct SumSplit;

impl Move for SumSplit {
    fn name(&self) -> &'static str {
        "sum"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        if node.beta.iter().any(|&b| b > 0) {
            return Applied::No;
        }
        let Some(parts) = components(node) else { return Applied::No };
        let rule = format!("sum of {} parts in separate variables: λ adds, m = Σm − (k−1)", parts.len());
        let parts = parts
            .into_iter()
            .enumerate()
            .map(|(k, (p, keep))| Part::linked(p, format!("summand {}", k + 1), Link::Restrict(keep)))
            .collect();
        Applied::Expand(Expansion::split(Combine::Sum, rule, parts))
    }
}

/// Splits generators (ideal) or terms (polynomial) into connected
/// components of the variable-sharing graph. `None` when there is only one
/// component.
fn components(node: &ChartNode) -> Option<Vec<(ChartNode, Vec<usize>)>> {
    let d = node.dim();
    let items: Vec<Poly> = if node.ideal {
        node.gens.clone()
    } else {
        if node.region.iter().any(|r| !r.is_local())
            || node.gens.len() != 1
            || !node.gens[0].constant_term().is_zero()
        {
            return None;
        }
        node.gens[0].terms().iter().map(|t| Poly::monomial(d, t.exp.clone(), t.coef.clone())).collect()
    };
    // Union-find over variables.
    let mut parent: Vec<usize> = (0..d).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        p[i] = r;
        r
    }
    let var_sets: Vec<Vec<usize>> = items
        .iter()
        .map(|g| g.used_vars().iter().enumerate().filter(|(_, u)| **u).map(|(i, _)| i).collect())
        .collect();
    for vs in &var_sets {
        for w in vs.windows(2) {
            let (a, b) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
            parent[a] = b;
        }
    }
    let mut groups: Vec<(usize, Vec<Poly>)> = Vec::new();
    for (g, vs) in items.iter().zip(&var_sets) {
        let r = find(&mut parent, *vs.first()?);
        match groups.iter_mut().find(|(k, _)| *k == r) {
            Some((_, list)) => list.push(g.clone()),
            None => groups.push((r, vec![g.clone()])),
        }
    }
    if groups.len() < 2 {
        return None;
    }
    let parts = groups
        .into_iter()
        .map(|(r, list)| {
            let keep: Vec<usize> = (0..d).filter(|&i| find(&mut parent, i) == r).collect();
            let gens = if node.ideal { list } else { vec![list.iter().fold(Poly::zero(d), |a, b| &a + b)] };
            (ChartNode { gens, ..node.clone() }.restrict(&keep), keep)
        })
        .collect();
    Some(parts)
}
