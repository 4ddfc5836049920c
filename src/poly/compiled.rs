//! Compiled f64 evaluator of a loss `K` and its gradient, built once from
//! exact [`Poly`]s and then evaluated millions of times by the estimators.
//!
//! Layout (DESIGN.md, "Performance model"): flat arrays of coefficients and
//! sparse exponent rows (`(variable, exponent)` pairs of the non-zero
//! exponents only), plus a per-call table of powers `w_v^e` shared by all
//! terms. Evaluation never allocates: the caller owns a [`Scratch`].
//!
//! A loss is either one polynomial (`K` itself) or a list of generators
//! with `K = Σ g_i²`. Evaluating the sum of squares from the generators is
//! both cheaper (‖BA‖² with 2×2 matrices: 8 generator terms instead of 24
//! expanded terms) and more accurate: every summand is a square, so the
//! computed `K` is never negative and has no cancellation between large
//! terms near the zero set. The estimators compile the *translated* loss
//! (`Problem::local_generators`) and evaluate at offsets `u = w − w*`, which
//! avoids cancellation near valleys away from the origin.

use super::Poly;
use num_traits::ToPrimitive;

/// A compiled loss: `K = g_0` (a polynomial) or `K = Σ g_i²` (an ideal).
#[derive(Clone, Debug)]
pub struct CompiledLoss {
    nvars: usize,
    /// `true` when `K = Σ g_i²` over the generators.
    squared: bool,
    /// Row stride of the power table: the largest exponent + 1.
    stride: usize,
    /// Largest exponent of each variable (power table length per variable).
    max_exp: Vec<u32>,
    /// Generator `i` owns terms `gen_start[i]..gen_start[i + 1]`.
    gen_start: Vec<usize>,
    /// Coefficient of each term.
    coef: Vec<f64>,
    /// Term `t` owns factors `term_start[t]..term_start[t + 1]`.
    term_start: Vec<usize>,
    /// Variable of each factor.
    fvar: Vec<u32>,
    /// Exponent (≥ 1) of each factor.
    fexp: Vec<u32>,
    /// Power-table index of each factor, `var·stride + exp`.
    fidx: Vec<u32>,
    /// Exponent of each factor as f64 (the derivative's factor).
    fexp_f: Vec<f64>,
}

/// Caller-owned workspace for [`CompiledLoss`] evaluation (no allocation
/// per call).
#[derive(Clone, Debug)]
pub struct Scratch {
    /// `pow[v * stride + e] = w_v^e`.
    pow: Vec<f64>,
    /// Generator values of the last call.
    gval: Vec<f64>,
}

impl CompiledLoss {
    /// Compiles `K = p`.
    pub fn polynomial(p: &Poly) -> Self {
        Self::build(std::slice::from_ref(p), false)
    }

    /// Compiles `K = Σ g_i²` from the generators.
    pub fn sum_of_squares(gens: &[Poly]) -> Self {
        Self::build(gens, true)
    }

    /// Compiles generators as returned by `Problem::local_generators`:
    /// `(gens, true)` is an ideal, `([K], false)` a polynomial.
    pub fn from_generators(gens: &[Poly], squared: bool) -> Self {
        Self::build(gens, squared)
    }

    fn build(gens: &[Poly], squared: bool) -> Self {
        let nvars = gens.first().map(|g| g.nvars()).unwrap_or(0);
        let mut max_exp = vec![0u32; nvars];
        let mut gen_start = vec![0];
        let (mut coef, mut term_start, mut fvar, mut fexp) = (vec![], vec![0], vec![], vec![]);
        for g in gens {
            assert_eq!(g.nvars(), nvars, "generators must share the variables");
            for t in g.terms() {
                // Rationals beyond f64 range become ±inf; the estimators
                // check every value for finiteness and report overflow.
                coef.push(t.coef.to_f64().unwrap_or(f64::NAN));
                for (v, &e) in t.exp.iter().enumerate() {
                    if e > 0 {
                        fvar.push(v as u32);
                        fexp.push(e);
                        max_exp[v] = max_exp[v].max(e);
                    }
                }
                term_start.push(fvar.len());
            }
            gen_start.push(coef.len());
        }
        let stride = max_exp.iter().copied().max().unwrap_or(0) as usize + 1;
        let fidx = fvar.iter().zip(&fexp).map(|(&v, &e)| v * stride as u32 + e).collect();
        let fexp_f = fexp.iter().map(|&e| e as f64).collect();
        CompiledLoss {
            nvars,
            squared,
            stride,
            max_exp,
            gen_start,
            coef,
            term_start,
            fvar,
            fexp,
            fidx,
            fexp_f,
        }
    }

    /// Number of variables.
    pub fn nvars(&self) -> usize {
        self.nvars
    }

    /// Number of generators (1 for a polynomial).
    pub fn ngens(&self) -> usize {
        self.gen_start.len() - 1
    }

    /// A workspace sized for this loss.
    pub fn scratch(&self) -> Scratch {
        Scratch { pow: vec![1.0; self.nvars * self.stride], gval: vec![0.0; self.ngens()] }
    }

    fn fill_powers(&self, w: &[f64], s: &mut Scratch) {
        debug_assert_eq!(w.len(), self.nvars);
        // Column 0 of every row is 1 from `scratch()` and never written.
        for (row, (&x, &me)) in s.pow.chunks_exact_mut(self.stride).zip(w.iter().zip(&self.max_exp)) {
            let mut p = x;
            for slot in row[1..=me as usize].iter_mut() {
                *slot = p;
                p *= x;
            }
        }
    }

    #[inline(always)]
    fn term_value(&self, t: usize, pow: &[f64]) -> f64 {
        let mut v = self.coef[t];
        for &i in &self.fidx[self.term_start[t]..self.term_start[t + 1]] {
            v *= pow[i as usize];
        }
        v
    }

    fn generator_values(&self, s: &mut Scratch) {
        for g in 0..self.ngens() {
            let mut sum = 0.0;
            for t in self.gen_start[g]..self.gen_start[g + 1] {
                sum += self.term_value(t, &s.pow);
            }
            s.gval[g] = sum;
        }
    }

    fn combine(&self, gval: &[f64]) -> f64 {
        if self.squared { gval.iter().map(|g| g * g).sum() } else { gval[0] }
    }

    /// `K(w)`.
    pub fn value(&self, w: &[f64], s: &mut Scratch) -> f64 {
        self.fill_powers(w, s);
        self.generator_values(s);
        self.combine(&s.gval)
    }

    /// `(K(w), bound)` where `bound` is a forward error bound of the f64
    /// evaluation (Higham, *Accuracy and Stability*, §3.1: a sum of `n`
    /// products of degree `p` has error ≤ γ_{n+p} Σ|terms|). Near the zero
    /// set of an expanded polynomial the bound can exceed `K`: the value is
    /// then noise, which the estimators must detect rather than fit.
    pub fn value_with_error(&self, w: &[f64], s: &mut Scratch) -> (f64, f64) {
        self.fill_powers(w, s);
        let unit = f64::EPSILON / 2.0;
        let (mut k, mut err) = (0.0, 0.0);
        for g in 0..self.ngens() {
            let (mut sum, mut abs, mut deg) = (0.0, 0.0, 0usize);
            for t in self.gen_start[g]..self.gen_start[g + 1] {
                let v = self.term_value(t, &s.pow);
                sum += v;
                abs += v.abs();
                let fdeg: u32 = self.fexp[self.term_start[t]..self.term_start[t + 1]].iter().sum();
                deg = deg.max(fdeg as usize);
            }
            let n = (self.gen_start[g + 1] - self.gen_start[g] + deg + 1) as f64;
            let e = 1.01 * n * unit * abs;
            if self.squared {
                k += sum * sum;
                err += (2.0 * sum.abs() + e) * e;
            } else {
                k = sum;
                err = e;
            }
        }
        (k, err + self.ngens() as f64 * unit * k.abs())
    }

    /// `K(w)`, writing `∇K(w)` into `grad` (length `nvars`).
    pub fn value_grad(&self, w: &[f64], grad: &mut [f64], s: &mut Scratch) -> f64 {
        self.fill_powers(w, s);
        self.generator_values(s);
        grad.iter_mut().for_each(|g| *g = 0.0);
        for g in 0..self.ngens() {
            // ∂(g²) = 2g ∂g: scale every term's partials by 2g.
            let weight = if self.squared { 2.0 * s.gval[g] } else { 1.0 };
            for t in self.gen_start[g]..self.gen_start[g + 1] {
                let (lo, hi) = (self.term_start[t], self.term_start[t + 1]);
                let c = weight * self.coef[t];
                let idx = &self.fidx[lo..hi];
                // ∂/∂w_v of c·Π w^e: that factor becomes e·w_v^{e−1}
                // (table index − 1), the others stay.
                let partial = |k: usize| c * self.fexp_f[lo + k] * s.pow[idx[k] as usize - 1];
                match idx.len() {
                    0 => {}
                    1 => grad[self.fvar[lo] as usize] += partial(0),
                    2 => {
                        let (p0, p1) = (s.pow[idx[0] as usize], s.pow[idx[1] as usize]);
                        grad[self.fvar[lo] as usize] += partial(0) * p1;
                        grad[self.fvar[lo + 1] as usize] += partial(1) * p0;
                    }
                    n => {
                        for k in 0..n {
                            let mut p = partial(k);
                            for (k2, &i2) in idx.iter().enumerate() {
                                if k2 != k {
                                    p *= s.pow[i2 as usize];
                                }
                            }
                            grad[self.fvar[lo + k] as usize] += p;
                        }
                    }
                }
            }
        }
        self.combine(&s.gval)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{Rat, ratio};
    use num_traits::ToPrimitive;

    fn poly_xy() -> Vec<Poly> {
        // g1 = x*y - 3/2 y^2, g2 = x^3 + 1/3
        let x = Poly::var(2, 0);
        let y = Poly::var(2, 1);
        let g1 = &(&x * &y) - &y.pow(2).scale(&ratio(3, 2));
        let g2 = &x.pow(3) + &Poly::constant(2, ratio(1, 3));
        vec![g1, g2]
    }

    fn exact_at(p: &Poly, w: &[(i64, i64)]) -> f64 {
        let a: Vec<Rat> = w.iter().map(|&(n, d)| ratio(n, d)).collect();
        p.eval(&a).to_f64().unwrap()
    }

    #[test]
    fn sum_of_squares_matches_exact_value_and_gradient() {
        let gens = poly_xy();
        let k = gens.iter().fold(Poly::zero(2), |acc, g| &acc + &(g * g));
        let c = CompiledLoss::sum_of_squares(&gens);
        let cp = CompiledLoss::polynomial(&k);
        let mut s = c.scratch();
        let mut sp = cp.scratch();
        for pt in [[(1, 2), (-3, 4)], [(-7, 5), (2, 3)], [(0, 1), (1, 1)]] {
            let w: Vec<f64> = pt.iter().map(|&(n, d)| n as f64 / d as f64).collect();
            let mut g = [0.0; 2];
            let mut gp = [0.0; 2];
            let v = c.value_grad(&w, &mut g, &mut s);
            let vp = cp.value_grad(&w, &mut gp, &mut sp);
            let want = exact_at(&k, &pt);
            assert!((v - want).abs() <= 1e-12 * want.abs().max(1.0), "{v} vs {want}");
            assert!((vp - want).abs() <= 1e-12 * want.abs().max(1.0));
            assert!((c.value(&w, &mut s) - v).abs() == 0.0);
            for i in 0..2 {
                let di = exact_at(&k.derivative(i), &pt);
                assert!((g[i] - di).abs() <= 1e-12 * di.abs().max(1.0), "d{i}: {} vs {di}", g[i]);
                assert!((gp[i] - di).abs() <= 1e-12 * di.abs().max(1.0));
            }
        }
    }

    #[test]
    fn error_bound_flags_cancellation_of_expanded_squares() {
        // (x + y)^2 expanded: at x = -y + δ the value δ² is below the bound
        // for tiny δ, while the generator form stays accurate.
        let (x, y) = (Poly::var(2, 0), Poly::var(2, 1));
        let g = &x + &y;
        let expanded = CompiledLoss::polynomial(&(&g * &g));
        let squared = CompiledLoss::sum_of_squares(&[g]);
        let w = [0.3 + 1e-12, -0.3];
        let (k, e) = expanded.value_with_error(&w, &mut expanded.scratch());
        assert!(e > 1e-24 && e > (k - 1e-24).abs(), "{k} {e}");
        let (k2, e2) = squared.value_with_error(&w, &mut squared.scratch());
        assert!(e2 < 1e-3 * k2, "{k2} {e2}");
        let w = [0.5, 0.25];
        let (k, e) = expanded.value_with_error(&w, &mut expanded.scratch());
        assert!(e < 1e-14 * k && (k - 0.5625).abs() <= e);
    }

    #[test]
    fn constant_and_linear_terms() {
        let p = Poly::from_terms(3, [(vec![0, 0, 0], ratio(5, 1)), (vec![0, 1, 0], ratio(-2, 1))]);
        let c = CompiledLoss::polynomial(&p);
        let mut s = c.scratch();
        let mut g = [9.0; 3];
        let v = c.value_grad(&[0.3, 2.0, -1.0], &mut g, &mut s);
        assert_eq!(v, 1.0);
        assert_eq!(g, [0.0, -2.0, 0.0]);
    }

    proptest::proptest! {
        /// Value and gradient agree with exact rational evaluation (then
        /// rounded) for random polynomials at random dyadic points.
        #[test]
        fn matches_exact_evaluation(
            terms in proptest::collection::vec((proptest::collection::vec(0u32..4, 3), -9i64..10), 1..8),
            pt in proptest::collection::vec(-16i64..17, 3),
            squared in proptest::bool::ANY,
        ) {
            let p = Poly::from_terms(3, terms.into_iter().map(|(e, c)| (e, ratio(c, 3))));
            let q = &p + &Poly::var(3, 0);
            let gens = vec![p, q];
            let k = if squared { gens.iter().fold(Poly::zero(3), |a, g| &a + &(g * g)) } else { gens[0].clone() };
            let c = if squared { CompiledLoss::sum_of_squares(&gens) } else { CompiledLoss::polynomial(&k) };
            let pt: Vec<(i64, i64)> = pt.into_iter().map(|n| (n, 8)).collect();
            let w: Vec<f64> = pt.iter().map(|&(n, d)| n as f64 / d as f64).collect();
            let mut s = c.scratch();
            let mut g = [0.0; 3];
            let v = c.value_grad(&w, &mut g, &mut s);
            // Scale: the sum of absolute term values bounds the rounding error.
            let tol = 1e-12 * (1.0 + exact_at(&k, &pt).abs()) * 1e3;
            proptest::prop_assert!((v - exact_at(&k, &pt)).abs() <= tol, "{} vs {}", v, exact_at(&k, &pt));
            for i in 0..3 {
                let di = exact_at(&k.derivative(i), &pt);
                proptest::prop_assert!((g[i] - di).abs() <= 1e-12 * (1.0 + di.abs()) * 1e3, "{} vs {}", g[i], di);
            }
        }
    }
}
