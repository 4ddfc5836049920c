//! The sampling target shared by the estimators: the compiled local loss on
//! the local box, with the monomial prior `|u^h|` absorbed by a change of
//! variables.
//!
//! With `u_i = sgn(v_i) |v_i|^{1/(h_i+1)}` the prior `|u_i|^{h_i} du_i`
//! becomes `du_i / (h_i+1)`: uniform in `v`. So the nested sampler draws
//! uniformly in the `v`-box `[−|a_i|^{h_i+1}, b_i^{h_i+1}]` and evaluates
//! `K(u(v))`; volumes of `{K < ε}` under φ are then plain Lebesgue volumes
//! in `v` (up to the constant normalisation, which the fits absorb).

use crate::poly::compiled::{CompiledLoss, Scratch};
use crate::{Error, Problem, Result};
use num_traits::ToPrimitive;

/// The compiled loss in local coordinates `u = w − w*` with the prior map.
#[derive(Clone, Debug)]
pub struct Target {
    /// `K` in local coordinates.
    pub loss: CompiledLoss,
    /// Local box `[lo_i, hi_i]` in `u` (contains 0, on its boundary for a
    /// one-sided parameter).
    pub lo: Vec<f64>,
    /// See `lo`.
    pub hi: Vec<f64>,
    /// Prior exponents `h > −1` (rationals in the problem, docs/theory.md §2.8).
    pub prior: Vec<f64>,
    /// The `v`-box lower corner (`−|lo_i|^{h_i+1}`).
    pub vlo: Vec<f64>,
    /// The `v`-box upper corner (`hi_i^{h_i+1}`).
    pub vhi: Vec<f64>,
    /// True when `K` is evaluated as a sum of squares of generators (an
    /// `ideal`, or a loss written as one), false for an expanded polynomial.
    pub squared: bool,
}

impl Target {
    /// Compiles a problem. Fails with an input error when the box does not
    /// contain the point in its interior or is not representable in f64.
    pub fn new(problem: &Problem) -> Result<Self> {
        let d = problem.dim();
        if d == 0 {
            return Err(Error::Unsupported("the loss has no variables".into()));
        }
        let (gens, squared) = problem.local_generators();
        let loss = CompiledLoss::from_generators(&gens, squared);
        let (mut lo, mut hi, mut vlo, mut vhi) = (vec![], vec![], vec![], vec![]);
        let prior: Vec<f64> =
            problem.prior_exponents().iter().map(|h| h.to_f64().unwrap_or(f64::NAN)).collect();
        for i in 0..d {
            let (a, b) = &problem.domain[i];
            let l = (a - &problem.point[i]).to_f64().unwrap_or(f64::NAN);
            let h = (b - &problem.point[i]).to_f64().unwrap_or(f64::NAN);
            // The point may lie on the boundary (a one-sided parameter,
            // docs/theory.md §2.6): the sampler then draws on that side only,
            // the same set the exact engine unfolds.
            if !(l.is_finite() && h.is_finite() && l <= 0.0 && h >= 0.0 && l < h) {
                return Err(Error::Usage(format!(
                    "the domain of `{}` must contain the point and be a non-empty interval finite in f64",
                    problem.variables[i]
                )));
            }
            // p = h + 1 > 0: the map below is a bijection of the box for
            // any real h > −1, not only integers.
            let p = prior[i] + 1.0;
            // `powi` for an integer exponent: the same bits as before real
            // exponents existed, so seeded runs reproduce.
            let pow = |x: f64| if p.fract() == 0.0 { x.powi(p as i32) } else { x.powf(p) };
            let (a_v, b_v) = (-pow(-l), pow(h));
            if !(a_v.is_finite() && b_v.is_finite() && a_v < b_v) {
                return Err(Error::Usage(format!(
                    "the domain of `{}` with prior exponent {} overflows f64",
                    problem.variables[i], prior[i]
                )));
            }
            lo.push(l);
            hi.push(h);
            vlo.push(a_v);
            vhi.push(b_v);
        }
        Ok(Target { loss, lo, hi, prior, vlo, vhi, squared })
    }

    /// Dimension `d`.
    pub fn dim(&self) -> usize {
        self.lo.len()
    }

    /// True when the prior is flat (`h = 0`).
    pub fn flat_prior(&self) -> bool {
        self.prior.iter().all(|&h| h == 0.0)
    }

    /// Maps `v` to `u` (see the module docs).
    pub fn v_to_u(&self, v: &[f64], u: &mut [f64]) {
        for i in 0..v.len() {
            let h = self.prior[i];
            u[i] = if h == 0.0 { v[i] } else { v[i].signum() * v[i].abs().powf(1.0 / (h + 1.0)) };
        }
    }

    /// `K(u(v))`, using `u` as workspace.
    pub fn k_at_v(&self, v: &[f64], u: &mut [f64], s: &mut Scratch) -> f64 {
        if self.flat_prior() {
            return self.loss.value(v, s);
        }
        self.v_to_u(v, u);
        self.loss.value(u, s)
    }

    /// `(K(u(v)), error bound)`; see `CompiledLoss::value_with_error`.
    pub fn k_error_at_v(&self, v: &[f64], u: &mut [f64], s: &mut Scratch) -> (f64, f64) {
        self.v_to_u(v, u);
        self.loss.value_with_error(u, s)
    }
}
