//! Leaf: a monomial ideal, in any dimension.
//!
//! **Precondition.** `J` is an ideal whose generators are all monomials,
//! and every variable is local (the region is a neighbourhood of the
//! origin).
//!
//! **Expansion.** A leaf with the pair of the Newton polyhedron of
//! `K ≍ |u^β|²·Σ x^{2α_i}`: every face polynomial of Γ(K) is a sum of
//! positive even monomials, which has no zero in the real torus, so Γ(K)
//! is non-degenerate and Varchenko's theorem (Lin 2011 for ideals; for
//! monomial ideals this is Howald's formula) gives λ = 1/t* and m = θ, the
//! codimension of the minimal face through t*(h + 1) (docs/theory.md §3.2).
//! Only the pair is computed (one LP for t*, the facet normals for θ), so
//! there is no dimension limit, unlike the face-by-face certificate of
//! leaf (c).

use super::Pair;
use super::chart::ChartNode;
use num_traits::Zero;

/// The leaf pair and its rule text, when the precondition holds.
pub fn apply(node: &ChartNode) -> Option<(Pair, String)> {
    if !node.ideal || node.gens.is_empty() || node.region.iter().any(|r| !r.is_local()) {
        return None;
    }
    if node.gens.iter().any(|g| !g.is_monomial() || g.is_zero()) {
        return None;
    }
    let full: Vec<_> = node.gens.iter().map(|g| g.mul_monomial(&node.beta)).collect();
    let np = crate::newton::newton_pair(&full, true, &node.h);
    Some((
        Pair { lambda: np.lambda.clone(), m: np.multiplicity },
        format!(
            "leaf: monomial ideal, non-degenerate (every face polynomial is a sum of even squares), t* = {}, θ = {} (Howald / Varchenko)",
            np.t_star, np.multiplicity
        ),
    ))
}

/// A proven upper bound on λ over a chart's region: the Newton value of
/// `|u^β|^p·J` at the origin of the chart's box. The origin is a point of
/// the region, the region's λ is the least over its points (§1.4), and at
/// a point λ ≤ 1/t* for any loss (K ≤ C·Σ_{α ∈ supp K} |w^α| near it,
/// docs/theory.md §3.2). `None` when a generator does not vanish there.
pub fn newton_upper_bound(node: &ChartNode) -> Option<crate::poly::Rat> {
    if node.gens.is_empty() || node.gens.iter().any(|g| g.is_zero() || !g.constant_term().is_zero()) {
        return None;
    }
    let full: Vec<_> = node.gens.iter().map(|g| g.mul_monomial(&node.beta)).collect();
    Some(crate::newton::newton_pair(&full, node.ideal, &node.h).lambda)
}
