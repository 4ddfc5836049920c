//! The resolution engine: moves, a runner, region facts and the
//! certificate tree.
//!
//! The engine computes the RLCT pair of `K = Σ f_i²` (an ideal) or of a
//! polynomial `K ≥ 0` at the origin by a search over charts
//! (docs/theory.md §4). A chart ([`chart::ChartNode`]) is `K ≍ |u^β|^p·J`
//! with a prior `|u^h|` on a region (local variables near 0, bounded ones on
//! an interval).
//!
//! - [`moves`]: one type per file, each a move with its precondition and
//!   proof obligation, returning a typed [`Expansion`] (a leaf with its
//!   pair, a change of coordinates, a split with its combination rule);
//! - [`runner`]: explores the charts under one set of [`Limits`] (charts,
//!   depth, deadline, size), tries another move where an attempt ends in a
//!   bound, memoises equivalent charts, and records the certificate tree
//!   ([`Step`]) and why it stopped;
//! - [`expansion`]: the typed expansions and the rules combining pairs;
//! - the mathematics the moves call: [`chart`] (blow-up charts,
//!   translations, pivots), [`region`] (exact facts on boxes: units by
//!   interval arithmetic, gradings, rational zeros), [`factor`], [`local`],
//!   [`affine`], [`reduce`], `smooth`, [`toric`], and [`chain`] (the normal
//!   form of matrix chains, used by the exact layer before the search).
//!
//! The engine's callers (`crate::exact`) own the dispatch and the options;
//! this module depends on neither.

pub mod affine;
pub mod certificate;
pub mod chain;
pub mod chart;
pub mod content;
pub mod expansion;
pub mod factor;
pub mod fibre;
pub mod initial;
pub mod local;
pub mod monomial;
pub mod moves;
pub mod reduce;
pub mod region;
pub mod runner;
mod smooth;
pub mod span;
pub mod toric;

pub use expansion::{Combine, Expansion, LeafValue, Link, Outcome, Pair, Part, normal_crossing};
pub use runner::{
    DEFAULT_NODE_BUDGET, DEFAULT_TORIC, Limits, MAX_CHART_TERMS, MAX_PRODUCT_TERMS, Resolution,
    ResolveOptions, Step, StepData, resolve,
};

use crate::poly::{Poly, Rat};
use num_bigint::BigInt;
use num_traits::Signed;

/// Generators of the ideal of a product of matrices of fresh variables,
/// `W_L ⋯ W_1` with `W_s` of size `widths[s] × widths[s−1]` (`widths[0]`
/// the input width): the loss `‖W_L ⋯ W_1‖²` of a deep linear network (two
/// layers: reduced-rank regression) at the zero map. Variables are named
/// `W1[i,j]`, layer by layer, row-major; returns `(names, generators)`.
pub fn matrix_product_ideal(widths: &[usize]) -> (Vec<String>, Vec<Poly>) {
    let n: usize = widths.windows(2).map(|w| w[0] * w[1]).sum();
    let mut names = Vec::with_capacity(n);
    let mut prod: Option<Vec<Vec<Poly>>> = None;
    for (s, w) in widths.windows(2).enumerate() {
        let (inp, out) = (w[0], w[1]);
        let layer: Vec<Vec<Poly>> = (0..out)
            .map(|i| {
                (0..inp)
                    .map(|j| {
                        names.push(format!("W{}[{},{}]", s + 1, i + 1, j + 1));
                        Poly::var(n, names.len() - 1)
                    })
                    .collect()
            })
            .collect();
        prod = Some(match prod {
            None => layer,
            Some(p) => (0..out)
                .map(|i| {
                    (0..widths[0])
                        .map(|j| (0..inp).fold(Poly::zero(n), |acc, k| &acc + &(&layer[i][k] * &p[k][j])))
                        .collect()
                })
                .collect(),
        });
    }
    (names, prod.map(|p| p.into_iter().flatten().collect()).unwrap_or_default())
}

/// The polynomial square root of `p` when `p = s²` exactly (leading-term
/// recursion in the lexicographic order), normalised with a positive
/// leading coefficient. Lets a loss given as `K = f²` be treated as the
/// ideal `<f>`, which admits pivots.
pub fn poly_sqrt(p: &Poly) -> Option<Poly> {
    if p.is_zero() {
        return None;
    }
    let n = p.nvars();
    let lead = p.terms().last()?;
    if lead.exp.iter().any(|e| e % 2 == 1) || !lead.coef.is_positive() {
        return None;
    }
    let c = rat_sqrt(&lead.coef)?;
    let half: Vec<u32> = lead.exp.iter().map(|e| e / 2).collect();
    let mut s = Poly::monomial(n, half.clone(), c.clone());
    let two_lead = Poly::monomial(n, half, &c * Rat::from_integer(BigInt::from(2)));
    // Each new term t of s solves 2·LT(s)·t = LT(p − s²), and must be
    // smaller than LT(s); lexicographic order on ℕ^n is a well-order.
    let lt = two_lead.terms()[0].clone();
    for _ in 0..2 * p.len() + 200 {
        let r = p - &(&s * &s);
        let Some(rt) = r.terms().last() else { return Some(s) };
        if rt.exp.iter().zip(&lt.exp).any(|(a, b)| a < b) {
            return None;
        }
        let e: Vec<u32> = rt.exp.iter().zip(&lt.exp).map(|(a, b)| a - b).collect();
        if e.as_slice() >= s.terms().first()?.exp.as_slice() {
            return None;
        }
        s = &s + &Poly::monomial(n, e, &rt.coef / &lt.coef);
    }
    None
}

fn rat_sqrt(c: &Rat) -> Option<Rat> {
    let n = c.numer().sqrt();
    let d = c.denom().sqrt();
    (&n * &n == *c.numer() && &d * &d == *c.denom()).then(|| Rat::new(n, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqrt_of_squares_and_non_squares() {
        let x = Poly::var(2, 0);
        let y = Poly::var(2, 1);
        let f = &(&y * &y) - &(&x * &(&x * &x));
        let s = poly_sqrt(&(&f * &f)).unwrap();
        assert!(s == f || s == -&f);
        let g = &(&x * &x) + &(&y * &(&y * &(&y * &y)));
        assert!(poly_sqrt(&g).is_none());
    }
}
