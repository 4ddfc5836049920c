//! Lower bound: the complex threshold of a monomial initial degeneration.
//!
//! **Theorem used** (docs/theory.md §5.1). Let `I = ⟨g_1, …, g_r⟩` at the
//! origin and `w ∈ ℝⁿ_{>0}` a weight for which the lowest-weight part of
//! every `g_i` is a single monomial `x^{e_i}`. Then, for `K ≍ |u^β|²·Σ g_i²`
//! with prior `|w^h|`, `h = 0`:
//!
//!   λ ≥ lct_ℂ(u^β·I)/2 ≥ lct_ℂ(u^β·⟨x^{e_1}, …, x^{e_r}⟩)/2 = λ_Newton(u^β·M),
//!
//! the first step because the real threshold is at least the complex one
//! (§5), the second by lower semicontinuity of the log canonical threshold
//! (Demailly–Kollár 2001, Thm 0.2) in the family
//! `I_s = ⟨s^{−w·e_i} g_i(s^{w_1} x_1, …, s^{w_n} x_n)⟩`, which is `I` pulled
//! back by an automorphism fixing the origin for `s ≠ 0` and the monomial
//! ideal `M` at `s = 0` (a quasi-homogeneous ideal, so its threshold at the
//! origin is its threshold near it). The last equality is Howald's formula
//! (the Newton pair of a monomial ideal, §3.2). A monomial prior only
//! raises λ (on the unit box `|w^h| ≤ 1`), so the bound holds for any `h`
//! and is computed with `h = 0`. For a polynomial loss (`p = 1`) the same
//! argument applies to `K` itself with `M = ⟨x^{e}⟩`, one term.
//!
//! **Search.** A term `e_i` can be the lowest of `g_i` for some positive
//! weight, simultaneously for all `i`, exactly when the LP
//! `w ≥ 1, w·(e − e_i) ≥ 1 (e ∈ supp g_i, e ≠ e_i)` is feasible (exact
//! simplex, [`crate::lp`]). All choices are tried when there are at most
//! [`EXHAUSTIVE`] of them, otherwise a hill climb changes one generator's
//! term at a time while the bound grows. Any feasible choice gives a
//! proven bound; the search only decides how good it is.
//!
//! Example (§7.5): for the tanh ideal `⟨Σ_j a_j b_j^{2k−1} : k ≤ H⟩` the
//! choice `M = ⟨a_k b_k^{2k−1}⟩` is feasible and gives λ ≥ 2/3 for H = 2
//! (the true value), 23/30 for H = 3 (true 5/6).

use super::chart::ChartNode;
use crate::lp::{LpOutcome, minimize};
use crate::poly::{Poly, Rat};
use num_traits::{One, Zero};

/// Most term choices tried exhaustively.
pub const EXHAUSTIVE: usize = 256;
/// Most LPs (feasibility and Newton) spent by the hill climb.
pub const CLIMB_BUDGET: usize = 60;
/// Most variables and generators the bound is attempted on.
const MAX_DIM: usize = 40;
const MAX_GENS: usize = 40;
/// Most rows of the weight LP (one per non-chosen term): the exact simplex
/// on a dense tableau costs seconds beyond this.
const MAX_ROWS: usize = 120;

/// Terms of `g` not dominated coordinate-wise by another term: only these
/// can be lowest for a positive weight.
fn candidates(g: &Poly) -> Vec<Vec<u32>> {
    let sup: Vec<&[u32]> = g.support().collect();
    sup.iter()
        .filter(|e| !sup.iter().any(|f| f != *e && f.iter().zip(e.iter()).all(|(a, b)| a <= b)))
        .map(|e| e.to_vec())
        .collect()
}

/// True when a positive weight makes `choice[i]` the unique lowest term of
/// `gens[i]` for every `i`.
fn feasible(gens: &[Poly], choice: &[Vec<u32>]) -> bool {
    let n = gens[0].nvars();
    // Variables v = w − 1 ≥ 0, one slack per constraint:
    // Σ_k (e_k − c_k) v_k − s = 1 − Σ_k (e_k − c_k).
    let mut rows: Vec<(Vec<Rat>, Rat)> = Vec::new();
    for (g, c) in gens.iter().zip(choice) {
        for e in g.support() {
            if e == c.as_slice() {
                continue;
            }
            let diff: Vec<Rat> =
                e.iter().zip(c).map(|(&a, &b)| Rat::from_integer((a as i64 - b as i64).into())).collect();
            let sum: Rat = diff.iter().sum();
            rows.push((diff, Rat::one() - sum));
        }
    }
    if rows.is_empty() {
        return true;
    }
    let m = rows.len();
    let width = n + m;
    let a: Vec<Vec<Rat>> = rows
        .iter()
        .enumerate()
        .map(|(i, (d, _))| {
            let mut r = d.clone();
            r.resize(width, Rat::zero());
            r[n + i] = -Rat::one();
            r
        })
        .collect();
    let b: Vec<Rat> = rows.into_iter().map(|(_, b)| b).collect();
    matches!(minimize(&vec![Rat::zero(); width], &a, &b), LpOutcome::Optimal { .. })
}

/// λ of `|u^β|^p·Σ x^{2e_i}` (Howald / Newton, `h = 0`): `1/t*` with
/// `t* = min{t : t·1 ∈ conv(p(e_i + β)) + ℝⁿ₊}`, one small exact LP
/// (variables c_i, r_k ≥ 0 and t; rows t − Σ c_i v_ik − r_k = 0 and
/// Σ c_i = 1). Only λ is needed, so no facet enumeration.
fn value(choice: &[Vec<u32>], beta: &[u32], ideal: bool) -> Rat {
    let n = beta.len();
    let p = if ideal { 2 } else { 1 };
    let r = choice.len();
    // Columns: c_0..c_{r−1}, r_0..r_{n−1}, t.
    let width = r + n + 1;
    let mut a = Vec::with_capacity(n + 1);
    for k in 0..n {
        let mut row = vec![Rat::zero(); width];
        for (i, e) in choice.iter().enumerate() {
            row[i] = -Rat::from_integer((p * (e[k] + beta[k])).into());
        }
        row[r + k] = -Rat::one();
        row[r + n] = Rat::one();
        a.push(row);
    }
    let mut sum = vec![Rat::zero(); width];
    for x in sum.iter_mut().take(r) {
        *x = Rat::one();
    }
    a.push(sum);
    let mut b = vec![Rat::zero(); n];
    b.push(Rat::one());
    let mut c = vec![Rat::zero(); width];
    c[r + n] = Rat::one();
    match minimize(&c, &a, &b) {
        LpOutcome::Optimal { value, .. } if value > Rat::zero() => Rat::one() / value,
        // t* = 0 cannot happen for monomials vanishing at the origin; be safe.
        _ => Rat::zero(),
    }
}

/// A proven lower bound on λ at the origin of an all-local chart, and how
/// it was found; `None` when the chart has bounded variables (the bound
/// is local to the origin) or nothing better than zero was found.
pub fn lower_bound(node: &ChartNode) -> Option<(Rat, String)> {
    if node.gens.is_empty()
        || node.region.iter().any(|r| !r.is_local())
        || node.dim() > MAX_DIM
        || node.gens.len() > MAX_GENS
        || node.gens.iter().any(|g| g.is_zero() || !g.constant_term().is_zero())
    {
        return None;
    }
    let gens = &node.gens;
    let rows: usize = gens.iter().map(|g| g.len().saturating_sub(1)).sum();
    if rows > MAX_ROWS {
        return None;
    }
    let cands: Vec<Vec<Vec<u32>>> = gens.iter().map(candidates).collect();
    let total = cands.iter().try_fold(1usize, |acc, c| acc.checked_mul(c.len()));
    let mut best: Option<(Rat, Vec<Vec<u32>>)> = None;
    let consider = |choice: Vec<Vec<u32>>, best: &mut Option<(Rat, Vec<Vec<u32>>)>| {
        let v = value(&choice, &node.beta, node.ideal);
        if best.as_ref().is_some_and(|(b, _)| &v <= b) {
            return false;
        }
        if !feasible(gens, &choice) {
            return false;
        }
        *best = Some((v, choice));
        true
    };
    match total {
        Some(t) if t <= EXHAUSTIVE => {
            let mut idx = vec![0usize; gens.len()];
            'all: loop {
                let choice: Vec<Vec<u32>> = idx.iter().zip(&cands).map(|(&i, c)| c[i].clone()).collect();
                consider(choice, &mut best);
                for k in 0..idx.len() {
                    idx[k] += 1;
                    if idx[k] < cands[k].len() {
                        continue 'all;
                    }
                    idx[k] = 0;
                }
                break;
            }
        }
        _ => {
            // Start from the lowest terms for the weight (1, 1 + 1/(n+1), …)
            // (distinct weights pick one term per generator), then climb.
            let n = node.dim();
            let weight = |e: &[u32]| -> Rat {
                e.iter()
                    .enumerate()
                    .map(|(k, &x)| {
                        Rat::from_integer(x.into()) * (Rat::one() + Rat::new(k.into(), (n + 1).into()))
                    })
                    .sum()
            };
            let start: Vec<Vec<u32>> = cands
                .iter()
                .map(|c| c.iter().min_by(|a, b| weight(a).cmp(&weight(b))).unwrap().clone())
                .collect();
            consider(start, &mut best);
            let mut spent = 0;
            let mut improved = true;
            while improved && spent < CLIMB_BUDGET {
                improved = false;
                let Some((_, cur)) = best.clone() else { break };
                for k in 0..gens.len() {
                    for e in &cands[k] {
                        if *e == cur[k] || spent >= CLIMB_BUDGET {
                            continue;
                        }
                        spent += 1;
                        let mut ch = cur.clone();
                        ch[k] = e.clone();
                        if consider(ch, &mut best) {
                            improved = true;
                        }
                    }
                    if improved {
                        break;
                    }
                }
            }
        }
    }
    let (v, choice) = best?;
    let names = &node.names;
    let mono: Vec<String> = choice
        .iter()
        .map(|e| Poly::monomial(node.dim(), e.clone(), Rat::one()).display(names).to_string())
        .collect();
    Some((
        v.clone(),
        format!(
            "λ ≥ {v}: a positive weight degenerates the generators to the monomial ideal ⟨{}⟩ (lct_ℂ is lower semicontinuous; Howald; real ≥ complex; docs/theory.md §5.1)",
            mono.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::ratio;
    use crate::resolve::region::Range;

    fn node(names: &[&str], gens: Vec<Poly>) -> ChartNode {
        let n = names.len();
        ChartNode {
            names: names.iter().map(|s| s.to_string()).collect(),
            gens,
            ideal: true,
            beta: vec![0; n],
            h: vec![0; n],
            region: vec![Range::Local; n],
        }
    }

    #[test]
    fn tanh_ideals_get_the_howald_bound_of_the_staircase() {
        // ⟨a1 b1 + a2 b2, a1 b1³ + a2 b2³⟩: M = ⟨a1 b1, a2 b2³⟩, λ ≥ 2/3.
        let n = 4;
        let v = |i| Poly::var(n, i);
        let g1 = &(&v(0) * &v(1)) + &(&v(2) * &v(3));
        let g2 = &(&v(0) * &v(1).pow(3)) + &(&v(2) * &v(3).pow(3));
        let (b, _) = lower_bound(&node(&["a1", "b1", "a2", "b2"], vec![g1, g2])).unwrap();
        assert_eq!(b, ratio(2, 3));
    }

    #[test]
    fn a_smooth_generator_gives_one_half() {
        // ⟨x + y²⟩: lowest term x (weight (1, 1)), λ ≥ 1/2 = λ.
        let n = 2;
        let g = &Poly::var(n, 0) + &Poly::var(n, 1).pow(2);
        let (b, _) = lower_bound(&node(&["x", "y"], vec![g])).unwrap();
        assert_eq!(b, ratio(1, 2));
    }

    #[test]
    fn infeasible_choices_are_rejected() {
        // For x + y both terms can be lowest, but never both at once for
        // the two generators x + y and x + y (the same polynomial).
        let n = 2;
        let g = &Poly::var(n, 0) + &Poly::var(n, 1);
        assert!(!feasible(&[g.clone(), g.clone()], &[vec![1, 0], vec![0, 1]]));
        assert!(feasible(&[g.clone(), g], &[vec![1, 0], vec![1, 0]]));
    }
}
