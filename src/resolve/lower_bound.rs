//! Proven lower bounds from initial monomials (docs/theory.md §5.1).
//!
//! For positive integer weights `w` and an ideal `I = ⟨f_1, …, f_k⟩` at the
//! origin, let `m_i` be the initial monomial of `f_i`: its term of least
//! `w`-weight, ties broken by a second weight and then lexicographically
//! (the composite order is a positive weight order too). Then
//!
//!   λ(Σ f_i²) ≥ lct_ℂ(I)/2 ≥ lct_ℂ(in_w I)/2 ≥ lct_ℂ(⟨m_1, …, m_k⟩)/2
//!            = λ(Σ m_i²),
//!
//! with the same monomial prior throughout: the real threshold is at least
//! the complex one (docs/theory.md §5); `in_w I` is the special fibre of a
//! flat degeneration whose general fibre is isomorphic to `I` (the weight
//! torus action), and the log canonical threshold is lower semicontinuous
//! in families (Demailly–Kollár 2001); `⟨m_i⟩ ⊆ in_w I`, and a smaller
//! ideal has a smaller threshold; for a monomial ideal the real and complex
//! thresholds agree and equal the Newton pair's λ (Howald 2001; §3.2).
//! For a polynomial loss `K` (not an ideal) the same chain with the single
//! generator `K` and power 1 gives `λ(K) ≥ λ(m)`. Every weight gives a valid
//! bound; the best of a fixed, deterministic set of weights is kept.

use crate::poly::{Poly, Rat};

/// Most variables and generators the bound is computed for (one exact LP
/// per weight, of that size).
const MAX_VARS: usize = 96;
const MAX_GENS: usize = 256;

/// The best initial-monomial lower bound over `tries` weights for
/// `K ≍ |u^β|^p·J` (`p = 2` for an ideal) with prior `h`, at the origin.
/// `None` when the chart is too large or has no generator.
pub fn initial_monomial_bound(gens: &[Poly], ideal: bool, beta: &[u32], h: &[u32], tries: usize) -> Option<Rat> {
    let n = h.len();
    if gens.is_empty() || n == 0 || n > MAX_VARS || gens.len() > MAX_GENS || gens.iter().any(Poly::is_zero) {
        return None;
    }
    let mut best: Option<Rat> = None;
    let mut seen: Vec<Vec<Vec<u32>>> = Vec::new();
    for w in weights(n, tries) {
        let tie: Vec<u64> = (0..n as u64).map(|i| (i * 7 + 3) % (n as u64 + 1) + 1).collect();
        let mut monos: Vec<Vec<u32>> = gens
            .iter()
            .map(|g| {
                let t = g
                    .terms()
                    .iter()
                    .min_by(|a, b| {
                        let key = |e: &[u32], v: &[u64]| e.iter().zip(v).map(|(&x, &y)| u64::from(x) * y).sum::<u64>();
                        key(&a.exp, &w).cmp(&key(&b.exp, &w)).then(key(&a.exp, &tie).cmp(&key(&b.exp, &tie))).then(a.exp.cmp(&b.exp))
                    })
                    .expect("a non-zero generator");
                t.exp.iter().zip(beta).map(|(e, b)| e + b).collect()
            })
            .collect();
        monos.sort();
        monos.dedup();
        if seen.contains(&monos) {
            continue;
        }
        let polys: Vec<Poly> = monos.iter().map(|e| Poly::monomial(n, e.clone(), Rat::from_integer(1.into()))).collect();
        let lambda = crate::newton::newton_pair(&polys, ideal, h).lambda;
        seen.push(monos);
        if best.as_ref().is_none_or(|b| lambda > *b) {
            best = Some(lambda);
        }
    }
    best
}

/// A deterministic list of positive weights: all ones, then one heavy
/// variable at a time, then pseudo-random weights in 1..=8 (a fixed
/// linear congruential sequence, so the bound does not depend on a seed).
fn weights(n: usize, tries: usize) -> Vec<Vec<u64>> {
    let mut out = vec![vec![1u64; n]];
    for i in 0..n.min(tries / 2) {
        let mut w = vec![2u64; n];
        w[i] = 1;
        out.push(w);
    }
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    while out.len() < tries.max(1) {
        let w: Vec<u64> = (0..n)
            .map(|_| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                (state >> 61) + 1
            })
            .collect();
        out.push(w);
    }
    out.truncate(tries.max(1));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::ratio;

    #[test]
    fn cusp_bound_is_below_the_truth_and_above_one_over_the_degree() {
        // (y² − x³)²: λ = 5/12; initial monomials y² or x³ give 1/4 or 1/6.
        let (x, y) = (Poly::var(2, 0), Poly::var(2, 1));
        let f = &(&y * &y) - &x.pow(3);
        let b = initial_monomial_bound(&[f], true, &[0, 0], &[0, 0], 8).unwrap();
        assert_eq!(b, ratio(1, 4));
    }

    #[test]
    fn monomial_ideals_are_their_own_bound() {
        // <x², y³> with prior x: the bound is the exact λ = 1/(2·…) of the monomial ideal.
        let (x, y) = (Poly::var(2, 0), Poly::var(2, 1));
        let gens = [x.pow(2), y.pow(3)];
        let b = initial_monomial_bound(&gens, true, &[0, 0], &[1, 0], 4).unwrap();
        let exact = crate::newton::newton_pair(&gens, true, &[1, 0]).lambda;
        assert_eq!(b, exact);
    }
}
