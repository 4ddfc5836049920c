//! Compiled f64 evaluator of a loss `K` and its gradient, built once from
//! exact [`Poly`]s and then evaluated millions of times by the estimators.
//!
//! Layout (DESIGN.md, "Performance model"): every generator is a *block*
//! of terms grouped by shape, each shape in one flat array of small
//! `Copy` records, so that the hot loops are straight-line code without a
//! per-term dispatch or an exponent-vector walk:
//!
//! - the constant term,
//! - linear terms `c·w_i`,
//! - quadratic terms `c·w_i·w_j` (`i ≤ j`: bilinear terms and squares),
//! - general terms `c·Π w_v^e`, whose factors index a per-call table of
//!   powers `w_v^e` (filled only for the variables general terms use).
//!
//! Degree-1 and degree-2 terms, which make up the losses of linear models
//! (‖BA‖²: every generator is a sum of bilinear terms), read `w` directly.
//! Evaluation never allocates: the caller owns a [`Scratch`].
//!
//! A loss is either one polynomial (`K` itself) or a list of generators
//! with `K = Σ g_i²`. Evaluating the sum of squares from the generators is
//! both cheaper (‖BA‖² with 2×2 matrices: 8 generator terms instead of 24
//! expanded terms) and more accurate: every summand is a square, so the
//! computed `K` is never negative and has no cancellation between large
//! terms near the zero set. The gradient is accumulated generator by
//! generator as `∇K = Σ 2·g_k·∇g_k`, each generator's value and partials in
//! one visit of its block. The estimators compile the *translated* loss
//! (`Problem::local_generators`) and evaluate at offsets `u = w − w*`, which
//! avoids cancellation near valleys away from the origin.
//!
//! Every term is evaluated as the left-to-right product `c·w_i·w_j·…` of
//! its factors' powers; only the order in which a generator's shapes are
//! summed differs from the term order of the [`Poly`], which changes
//! results at the rounding level only.

use super::Poly;
use num_traits::ToPrimitive;
use std::ops::Range;

/// `c·w_i` (`i` indexes `w`).
#[derive(Clone, Copy, Debug)]
struct LinearTerm {
    c: f64,
    i: u32,
}

/// `c·w_i·w_j` with `i ≤ j` (a square when `i = j`).
#[derive(Clone, Copy, Debug)]
struct QuadraticTerm {
    c: f64,
    i: u32,
    j: u32,
}

/// `c·Π w_v^e` over the factors `start..end` of the factor arrays.
#[derive(Clone, Copy, Debug)]
struct GeneralTerm {
    c: f64,
    start: u32,
    end: u32,
}

/// One generator's terms: index ranges into the per-shape arrays.
#[derive(Clone, Debug)]
struct Block {
    /// Constant term (0 when absent).
    constant: f64,
    linear: Range<usize>,
    quadratic: Range<usize>,
    general: Range<usize>,
    /// `1.01·(n + deg + 1)·u` for the generator's `n` terms of largest
    /// total degree `deg` (unit roundoff `u`): times `Σ|terms|` it bounds
    /// the generator's rounding error (see [`CompiledLoss::value_with_error`]).
    error_factor: f64,
}

/// General terms with at most this many distinct variables get their
/// partial derivatives from prefix and suffix products (a stack array).
const MAX_SWEPT_FACTORS: usize = 8;

/// Calls `self.method::<LINEAR, GENERAL>(args)` with the shapes the loss
/// has, so that losses of degree-2 models (no linear or general terms, e.g.
/// ‖BA‖² from its generators) run loops without the empty shapes' checks.
macro_rules! by_shape {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match ($self.linear.is_empty(), $self.general.is_empty()) {
            (true, true) => $self.$method::<false, false>($($arg),*),
            (false, true) => $self.$method::<true, false>($($arg),*),
            (true, false) => $self.$method::<false, true>($($arg),*),
            (false, false) => $self.$method::<true, true>($($arg),*),
        }
    };
}

/// One generator's terms, as slices of the per-shape arrays.
struct Terms<'a> {
    constant: f64,
    linear: &'a [LinearTerm],
    quadratic: &'a [QuadraticTerm],
    general: &'a [GeneralTerm],
}

/// A compiled loss: `K = g_0` (a polynomial) or `K = Σ g_i²` (an ideal).
#[derive(Clone, Debug)]
pub struct CompiledLoss {
    nvars: usize,
    /// `true` when `K = Σ g_i²` over the generators.
    squared: bool,
    blocks: Vec<Block>,
    linear: Vec<LinearTerm>,
    quadratic: Vec<QuadraticTerm>,
    general: Vec<GeneralTerm>,
    /// Row stride of the power table: the largest exponent + 1.
    stride: usize,
    /// `(variable, largest exponent)` of every variable a general term
    /// uses: the power-table rows filled per call.
    powered: Vec<(usize, usize)>,
    /// Variable of each general-term factor.
    fvar: Vec<u32>,
    /// Power-table index of each factor, `var·stride + exp` (exp ≥ 1).
    fidx: Vec<u32>,
    /// Exponent of each factor as f64 (the derivative's factor).
    fexp_f: Vec<f64>,
}

/// Caller-owned workspace for [`CompiledLoss`] evaluation (no allocation
/// per call).
#[derive(Clone, Debug)]
pub struct Scratch {
    /// `pow[v * stride + e] = w_v^e` for the variables of general terms.
    pow: Vec<f64>,
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
        let mut c = CompiledLoss {
            nvars,
            squared,
            blocks: vec![],
            linear: vec![],
            quadratic: vec![],
            general: vec![],
            stride: 1,
            powered: vec![],
            fvar: vec![],
            fidx: vec![],
            fexp_f: vec![],
        };
        let mut max_exp = vec![0u32; nvars];
        // (variable, exponent) of the general terms' factors; table indices
        // are assigned once the stride is known.
        let mut fexp = vec![];
        let unit = f64::EPSILON / 2.0;
        for g in gens {
            assert_eq!(g.nvars(), nvars, "generators must share the variables");
            let starts = (c.linear.len(), c.quadratic.len(), c.general.len());
            let (mut constant, mut deg) = (0.0, 0u32);
            for t in g.terms() {
                // Rationals beyond f64 range become ±inf; the estimators
                // check every value for finiteness and report overflow.
                let coef = t.coef.to_f64().unwrap_or(f64::NAN);
                deg = deg.max(t.exp.iter().sum());
                let factors: Vec<(u32, u32)> =
                    t.exp.iter().enumerate().filter(|e| *e.1 > 0).map(|(v, &e)| (v as u32, e)).collect();
                match factors[..] {
                    [] => constant = coef,
                    [(i, 1)] => c.linear.push(LinearTerm { c: coef, i }),
                    [(i, 2)] => c.quadratic.push(QuadraticTerm { c: coef, i, j: i }),
                    [(i, 1), (j, 1)] => c.quadratic.push(QuadraticTerm { c: coef, i, j }),
                    _ => {
                        let start = c.fvar.len() as u32;
                        for &(v, e) in &factors {
                            c.fvar.push(v);
                            fexp.push(e);
                            max_exp[v as usize] = max_exp[v as usize].max(e);
                        }
                        c.general.push(GeneralTerm { c: coef, start, end: c.fvar.len() as u32 });
                    }
                }
            }
            c.blocks.push(Block {
                constant,
                linear: starts.0..c.linear.len(),
                quadratic: starts.1..c.quadratic.len(),
                general: starts.2..c.general.len(),
                error_factor: 1.01 * (g.terms().len() + deg as usize + 1) as f64 * unit,
            });
        }
        c.stride = max_exp.iter().copied().max().unwrap_or(0) as usize + 1;
        c.powered = max_exp.iter().enumerate().filter(|e| *e.1 > 0).map(|(v, &e)| (v, e as usize)).collect();
        c.fidx = c.fvar.iter().zip(&fexp).map(|(&v, &e)| v * c.stride as u32 + e).collect();
        c.fexp_f = fexp.iter().map(|&e| e as f64).collect();
        c
    }

    /// Number of variables.
    pub fn nvars(&self) -> usize {
        self.nvars
    }

    /// Number of generators (1 for a polynomial).
    pub fn ngens(&self) -> usize {
        self.blocks.len()
    }

    /// A workspace sized for this loss.
    pub fn scratch(&self) -> Scratch {
        let rows = if self.general.is_empty() { 0 } else { self.nvars };
        Scratch { pow: vec![1.0; rows * self.stride] }
    }

    fn fill_powers(&self, w: &[f64], s: &mut Scratch) {
        debug_assert_eq!(w.len(), self.nvars);
        // Column 0 of every row is 1 from `scratch()` and never written.
        for &(v, me) in &self.powered {
            let x = w[v];
            let mut p = x;
            for slot in s.pow[v * self.stride + 1..=v * self.stride + me].iter_mut() {
                *slot = p;
                p *= x;
            }
        }
    }

    /// The terms of block `b`, sliced once per visit. `LINEAR = false`
    /// (`GENERAL = false`) promises that the loss has no linear (general)
    /// terms at all: the slice is then the literal empty one, so the
    /// compiler drops its loops (see `by_shape!`).
    #[inline(always)]
    fn terms<const LINEAR: bool, const GENERAL: bool>(&self, b: &Block) -> Terms<'_> {
        debug_assert!(LINEAR || b.linear.is_empty());
        debug_assert!(GENERAL || b.general.is_empty());
        Terms {
            constant: b.constant,
            linear: if LINEAR { &self.linear[b.linear.clone()] } else { &[] },
            quadratic: &self.quadratic[b.quadratic.clone()],
            general: if GENERAL { &self.general[b.general.clone()] } else { &[] },
        }
    }

    /// Calls `f` with the value of every term (the constant first, possibly
    /// 0).
    #[inline(always)]
    fn for_each_term(&self, t: &Terms, w: &[f64], pow: &[f64], mut f: impl FnMut(f64)) {
        f(t.constant);
        for l in t.linear {
            f(l.c * w[l.i as usize]);
        }
        for q in t.quadratic {
            f(q.c * w[q.i as usize] * w[q.j as usize]);
        }
        for g in t.general {
            let mut v = g.c;
            for &i in &self.fidx[g.start as usize..g.end as usize] {
                v *= pow[i as usize];
            }
            f(v);
        }
    }

    #[inline(always)]
    fn generator_value(&self, t: &Terms, w: &[f64], pow: &[f64]) -> f64 {
        let mut sum = 0.0;
        self.for_each_term(t, w, pow, |v| sum += v);
        sum
    }

    /// Adds `weight·∇g` to `grad` for the generator with terms `t`.
    #[inline(always)]
    fn add_gradient(&self, t: &Terms, weight: f64, w: &[f64], pow: &[f64], grad: &mut [f64]) {
        for l in t.linear {
            grad[l.i as usize] += weight * l.c;
        }
        // ∂(c·w_i·w_j) = c·w_j dw_i + c·w_i dw_j, also when i = j (2c·w_i).
        for q in t.quadratic {
            let c = weight * q.c;
            let (i, j) = (q.i as usize, q.j as usize);
            let (xi, xj) = (w[i], w[j]);
            grad[i] += c * xj;
            grad[j] += c * xi;
        }
        for g in t.general {
            let (lo, hi) = (g.start as usize, g.end as usize);
            let c = weight * g.c;
            let idx = &self.fidx[lo..hi];
            let var = &self.fvar[lo..hi];
            // ∂/∂w_v of c·Π w^e: that factor becomes e·w_v^{e−1} (table
            // index − 1), the others stay.
            let partial = |k: usize| c * self.fexp_f[lo + k] * pow[idx[k] as usize - 1];
            match idx.len() {
                1 => grad[var[0] as usize] += partial(0),
                2 => {
                    let (p0, p1) = (pow[idx[0] as usize], pow[idx[1] as usize]);
                    grad[var[0] as usize] += partial(0) * p1;
                    grad[var[1] as usize] += partial(1) * p0;
                }
                n if n <= MAX_SWEPT_FACTORS => {
                    // Prefix and suffix products of the other factors: 3n
                    // multiplications instead of n².
                    let mut prefix = [1.0; MAX_SWEPT_FACTORS];
                    let mut run = 1.0;
                    for k in 0..n {
                        prefix[k] = run;
                        run *= pow[idx[k] as usize];
                    }
                    let mut suffix = 1.0;
                    for k in (0..n).rev() {
                        grad[var[k] as usize] += partial(k) * prefix[k] * suffix;
                        suffix *= pow[idx[k] as usize];
                    }
                }
                n => {
                    for k in 0..n {
                        let mut p = partial(k);
                        for (k2, &i2) in idx.iter().enumerate() {
                            if k2 != k {
                                p *= pow[i2 as usize];
                            }
                        }
                        grad[var[k] as usize] += p;
                    }
                }
            }
        }
    }

    /// `K(w)`.
    pub fn value(&self, w: &[f64], s: &mut Scratch) -> f64 {
        by_shape!(self.value_by_shape(w, s))
    }

    fn value_by_shape<const LINEAR: bool, const GENERAL: bool>(&self, w: &[f64], s: &mut Scratch) -> f64 {
        self.fill_powers(w, s);
        let mut k = 0.0;
        for b in &self.blocks {
            let g = self.generator_value(&self.terms::<LINEAR, GENERAL>(b), w, &s.pow);
            k = if self.squared { k + g * g } else { g };
        }
        k
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
        for b in &self.blocks {
            let (mut sum, mut abs) = (0.0, 0.0);
            self.for_each_term(&self.terms::<true, true>(b), w, &s.pow, |v| {
                sum += v;
                abs += v.abs();
            });
            let e = b.error_factor * abs;
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
        by_shape!(self.value_grad_by_shape(w, grad, s))
    }

    fn value_grad_by_shape<const LINEAR: bool, const GENERAL: bool>(
        &self,
        w: &[f64],
        grad: &mut [f64],
        s: &mut Scratch,
    ) -> f64 {
        self.fill_powers(w, s);
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut k = 0.0;
        for b in &self.blocks {
            let t = self.terms::<LINEAR, GENERAL>(b);
            let g = self.generator_value(&t, w, &s.pow);
            if self.squared {
                // ∂(g²) = 2g ∂g.
                k += g * g;
                self.add_gradient(&t, 2.0 * g, w, &s.pow, grad);
            } else {
                k = g;
                self.add_gradient(&t, 1.0, w, &s.pow, grad);
            }
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{Rat, ratio};
    use num_traits::{Signed, ToPrimitive};

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
            for (i, gi) in g.into_iter().enumerate() {
                let di = exact_at(&k.derivative(i), &pt);
                proptest::prop_assert!((gi - di).abs() <= 1e-12 * (1.0 + di.abs()) * 1e3, "{} vs {}", gi, di);
            }
        }
    }

    /// `γ_k = k·u / (1 − k·u)` (Higham, *Accuracy and Stability*, §3.1): the
    /// relative error bound of `k` successive roundings.
    fn gamma(k: usize) -> f64 {
        let ku = k as f64 * f64::EPSILON / 2.0;
        ku / (1.0 - ku)
    }

    /// `Σ_t |c_t·a^t|` over the terms of `p`, exactly, then rounded.
    fn abs_terms(p: &Poly, a: &[Rat]) -> f64 {
        let sum = p.terms().iter().fold(Rat::from_integer(0.into()), |acc, t| {
            acc + Poly::monomial(p.nvars(), t.exp.clone(), t.coef.clone()).eval(a).abs()
        });
        sum.to_f64().unwrap()
    }

    fn total_degree(p: &Poly) -> usize {
        p.terms().iter().map(|t| t.exp.iter().sum::<u32>() as usize).max().unwrap_or(0)
    }

    /// Random generators: up to 4 variables, exponents ≤ 3, so that every
    /// term shape (constant, linear, bilinear, square, general) occurs. With
    /// `max_degree` = 2 the loss has no general terms, and often no linear
    /// ones either, which exercises the specialised loops of `by_shape!`.
    fn generators() -> impl proptest::strategy::Strategy<Value = (usize, Vec<Poly>)> {
        use proptest::prelude::*;
        (1usize..=4, proptest::sample::select(vec![2u32, 12])).prop_flat_map(|(n, max_degree)| {
            let term = (proptest::collection::vec(0u32..4, n), -40i64..41, 1i64..8);
            let generator = proptest::collection::vec(term, 0..7);
            proptest::collection::vec(generator, 1..4).prop_map(move |gens| {
                let gens = gens
                    .into_iter()
                    .map(|ts| {
                        let ts = ts.into_iter().filter(|(e, _, _)| e.iter().sum::<u32>() <= max_degree);
                        Poly::from_terms(n, ts.map(|(e, c, d)| (e, ratio(c, d))))
                    })
                    .collect();
                (n, gens)
            })
        })
    }

    proptest::proptest! {
        /// Value and gradient of `Σ g_k²` (and of `g_0` as a polynomial)
        /// agree with exact rational evaluation at the same f64 point, within
        /// the a-priori rounding bound. A generator of `n` terms of degree
        /// ≤ `d` is computed with ≤ `n + d` roundings per term path, so
        /// `|ĝ − g| ≤ E = γ_{n+d+1} Σ|terms|`; then `|ĝ² − g²| ≤ (2|g| + E)E`
        /// and summing `m` squares adds `γ_{m+1} Σ(|g| + E)²`. Each gradient
        /// summand `2ĝ·c·∂m` takes ≤ `d + 3` roundings and `grad_v` sums
        /// `N` of them, so `|∂̂_v K − ∂_v K| ≤ Σ_k 2·D_kv·(E_k + γ_{N+d+3}(|g_k| + E_k))`
        /// with `D_kv = Σ|∂_v terms of g_k|`. Both sides are compared after
        /// the exact value is rounded to f64 (half an ulp more).
        #[test]
        fn value_and_gradient_within_rounding_bound(
            (n, gens) in generators(),
            w in proptest::collection::vec(-2.0f64..2.0, 4),
        ) {
            let w = &w[..n];
            let a: Vec<Rat> = w.iter().map(|&x| Rat::from_float(x).unwrap()).collect();
            let u = f64::EPSILON / 2.0;
            let total_terms: usize = gens.iter().map(|g| g.terms().len()).sum();
            let deg = gens.iter().map(total_degree).max().unwrap_or(0);
            let gv: Vec<f64> = gens.iter().map(|g| g.eval(&a).to_f64().unwrap().abs()).collect();
            let ge: Vec<f64> = gens
                .iter()
                .map(|g| gamma(g.terms().len() + total_degree(g) + 1) * abs_terms(g, &a))
                .collect();
            let gamma_grad = gamma(total_terms + deg + 3);
            for squared in [true, false] {
                let (c, k) = if squared {
                    let k = gens.iter().fold(Poly::zero(n), |acc, g| &acc + &(g * g));
                    (CompiledLoss::sum_of_squares(&gens), k)
                } else {
                    (CompiledLoss::polynomial(&gens[0]), gens[0].clone())
                };
                let m = c.ngens();
                let mut s = c.scratch();
                let mut grad = vec![f64::NAN; n];
                let v = c.value_grad(w, &mut grad, &mut s);
                let exact = k.eval(&a).to_f64().unwrap();
                let tol = if squared {
                    let sq: f64 = (0..m).map(|i| (gv[i] + ge[i]).powi(2)).sum();
                    (0..m).map(|i| (2.0 * gv[i] + ge[i]) * ge[i]).sum::<f64>() + gamma(m + 1) * sq
                } else {
                    ge[0]
                };
                proptest::prop_assert!(
                    (v - exact).abs() <= 1.01 * tol + u * exact.abs(),
                    "K: {v} vs {exact} (tol {tol}, squared {squared})"
                );
                // The three entry points compute the value identically, and
                // the reported error bound covers the actual error.
                proptest::prop_assert_eq!(c.value(w, &mut s), v);
                let (ve, err) = c.value_with_error(w, &mut s);
                proptest::prop_assert_eq!(ve, v);
                proptest::prop_assert!((v - exact).abs() <= err + u * exact.abs(), "{v} vs {exact}: bound {err}");
                for (i, &gi) in grad.iter().enumerate() {
                    let di = k.derivative(i).eval(&a).to_f64().unwrap();
                    let tol: f64 = if squared {
                        (0..m)
                            .map(|j| {
                                let d = abs_terms(&gens[j].derivative(i), &a);
                                2.0 * d * (ge[j] + gamma_grad * (gv[j] + ge[j]))
                            })
                            .sum()
                    } else {
                        gamma_grad * abs_terms(&k.derivative(i), &a)
                    };
                    proptest::prop_assert!(
                        (gi - di).abs() <= 1.01 * tol + u * di.abs(),
                        "∂{i}K: {gi} vs {di} (tol {tol}, squared {squared})"
                    );
                }
            }
        }
    }
}
