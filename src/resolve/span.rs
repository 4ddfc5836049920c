//! Move: the reduced echelon basis of the generators' linear span.
//!
//! **Precondition.** `J` is an ideal (`K ≍ |u^β|²·Σ g_i²`) with at most
//! [`MAX_GENS`] generators and [`MAX_TERMS`] terms in all.
//!
//! **Expansion.** A change of generators, not of coordinates: the
//! generators are replaced by the reduced row echelon basis of their
//! ℚ-span, read in the monomial order *total degree, then exponent*
//! (leading monomial = largest). The new generators are invertible
//! constant combinations of the old ones, so they generate the same ideal,
//! and `Σ g_i'² ≍ Σ g_i²` (docs/theory.md §2.1, equivalence of generating
//! sets); `β`, `h` and the region are untouched.
//!
//! **Proof obligation / progress.** The move is taken only when the total
//! number of terms strictly drops, so it cannot repeat on its own output
//! (an echelon basis is its own echelon basis).
//!
//! Why: statistical models are often written through one parametrisation
//! of the observables (cell probabilities of a discrete law) when another
//! basis of the same span (moments) is far sparser. For binary naive Bayes
//! the 2ⁿ − 1 cell probabilities are dense in the local coordinates, while
//! their echelon basis is the set of moments about the point,
//! `t·Π a'_i + (1 − t)·Π(b'_i + b⁰_i − a⁰_i) − c_S`, three or four terms
//! each (docs/theory.md §7.6), which the pivots and the Newton leaf finish.

use super::chart::ChartNode;
use crate::poly::{Poly, Rat};
use num_traits::{One, Zero};
use std::cmp::Ordering;

/// Most generators the echelon move considers.
pub const MAX_GENS: usize = 128;
/// Most terms, over all generators, the echelon move considers.
pub const MAX_TERMS: usize = 20_000;
/// Most (generators × terms) the echelon move considers.
pub const MAX_WORK: usize = 8_000_000;

/// The monomial order: total degree, then exponent vector.
fn cmp_mono(a: &[u32], b: &[u32]) -> Ordering {
    let da: u32 = a.iter().sum();
    let db: u32 = b.iter().sum();
    da.cmp(&db).then_with(|| a.cmp(b))
}

fn leading(p: &Poly) -> Option<&[u32]> {
    p.terms().iter().map(|t| t.exp.as_slice()).max_by(|a, b| cmp_mono(a, b))
}

/// The reduced echelon basis of the ℚ-span of `gens` (leading
/// coefficients 1, no basis element contains another's leading monomial),
/// sorted by leading monomial. Zero combinations disappear.
pub fn echelon(gens: &[Poly]) -> Vec<Poly> {
    let mut basis: Vec<(Vec<u32>, Poly)> = Vec::new();
    for g in gens {
        let mut r = g.clone();
        for (lead, b) in &basis {
            let c = r.coeff(lead);
            if !c.is_zero() {
                r = &r - &b.scale(&c);
            }
        }
        let Some(lead) = leading(&r).map(|l| l.to_vec()) else { continue };
        let r = r.scale(&(Rat::one() / r.coeff(&lead)));
        for (_, b) in basis.iter_mut() {
            let c = b.coeff(&lead);
            if !c.is_zero() {
                *b = &*b - &r.scale(&c);
            }
        }
        basis.push((lead, r));
    }
    basis.sort_by(|a, b| cmp_mono(&a.0, &b.0));
    basis.into_iter().map(|(_, b)| b).collect()
}

/// The move: the changed node and a description, when the echelon basis
/// is strictly shorter than the generators.
pub fn apply(node: &ChartNode) -> Option<(ChartNode, String)> {
    if !node.ideal || node.gens.len() < 2 || node.gens.len() > MAX_GENS {
        return None;
    }
    let before: usize = node.gens.iter().map(|g| g.len()).sum();
    // The elimination costs about (generators × terms) rational operations
    // per generator; beyond the cap the move is left to the others.
    if before > MAX_TERMS || node.gens.len() * before > MAX_WORK {
        return None;
    }
    // Generators with pairwise disjoint supports are already an echelon
    // basis up to scaling (each leading monomial occurs once): nothing to gain.
    let mut seen = std::collections::HashSet::new();
    let shared = node.gens.iter().any(|g| {
        let mine: std::collections::HashSet<&[u32]> = g.support().collect();
        let hit = mine.iter().any(|e| seen.contains(*e));
        seen.extend(mine);
        hit
    });
    if !shared {
        return None;
    }
    let basis = echelon(&node.gens);
    let after: usize = basis.iter().map(|g| g.len()).sum();
    if after >= before {
        return None;
    }
    let mut out = node.clone();
    out.gens = basis;
    out.factor_monomial();
    let desc = format!(
        "echelon basis of the generators' ℚ-span (constant invertible combinations; the ideal is unchanged): {} generators, {before} terms → {} generators, {after} terms",
        node.gens.len(),
        out.gens.len()
    );
    Some((out, desc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::rat;

    #[test]
    fn echelon_recovers_a_sparse_basis_of_a_dense_span() {
        // g1 = x + y², g2 = x·y + y²; the span of (g1 + g2, g1 − g2) is
        // dense in the monomials of both, its echelon basis is not.
        let n = 2;
        let x = Poly::var(n, 0);
        let y = Poly::var(n, 1);
        let g1 = &x + &(&y * &y);
        let g2 = &(&x * &y) + &(&y * &y);
        let dense = vec![&g1 + &g2, &g1 - &g2];
        let b = echelon(&dense);
        assert_eq!(b.len(), 2);
        let total: usize = b.iter().map(|p| p.len()).sum();
        assert!(total <= 4, "{b:?}");
        // Every basis element is in the span: a combination of g1 and g2.
        for p in &b {
            let c1 = p.coeff(&[1, 0]);
            let c2 = p.coeff(&[1, 1]);
            assert_eq!(p, &(&g1.scale(&c1) + &g2.scale(&c2)));
        }
        // Linear dependence disappears.
        assert_eq!(echelon(&[g1.clone(), g1.scale(&rat(3))]).len(), 1);
    }

    #[test]
    fn move_is_taken_only_when_shorter() {
        use super::super::region::Range;
        let n = 2;
        let x = Poly::var(n, 0);
        let y = Poly::var(n, 1);
        let node = |gens: Vec<Poly>| ChartNode {
            names: vec!["x".into(), "y".into()],
            gens,
            ideal: true,
            beta: vec![0; n],
            h: vec![0; n],
            region: vec![Range::Local; n],
        };
        assert!(apply(&node(vec![x.clone(), y.clone()])).is_none());
        let (out, _) = apply(&node(vec![&x + &y, &x - &y])).unwrap();
        assert_eq!(out.gens.iter().map(|g| g.len()).sum::<usize>(), 2);
    }
}
