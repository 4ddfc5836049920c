//! The [`Problem`]: the one type every stage takes.
//!
//! A problem is a loss over named variables (either `K` itself or an ideal
//! whose generators' sum of squares is `K`), a monomial prior exponent `h`,
//! the point `w*` and the estimators' box. It is built by the `dsl` layer
//! (or by `models`) and read by the exact engines and the estimators, which
//! know nothing of each other.

use crate::poly::{Poly, Rat, rat};
use num_traits::{Signed, Zero};

pub mod analytic;
pub mod categorical;
pub mod covariance;
pub mod gaussian;
pub mod simplex;

pub use gaussian::population_loss;

/// How the loss was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loss {
    /// `K = <expr>;` — the loss itself.
    Polynomial(Poly),
    /// `ideal <f1, ..., fk>;` — `K = f1^2 + ... + fk^2`. The pair depends
    /// only on the ideal (docs/theory.md §2, equivalence), which the exact engines
    /// exploit; never empty.
    Ideal(Vec<Poly>),
}

/// A fully lowered problem in the original coordinates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Variable names, in order; matrix entries are named `A[1,2]`.
    pub variables: Vec<String>,
    /// The loss.
    pub loss: Loss,
    /// Prior exponents `h` (φ ∝ |w^h| near the point), one per variable,
    /// when all are non-negative integers (zero otherwise, see
    /// [`Problem::real_prior`]).
    pub prior: Vec<u32>,
    /// The prior exponents when some is not a non-negative integer
    /// (`prior |x|^(-1/2)`, a Dirichlet factor with α < 1): rationals
    /// `h_i > −1`, centred at the point like [`Problem::prior`], which is
    /// then all zero. The integer engines never see such a problem: the
    /// exact layer unfolds it first (`w = w* ± u^q`, docs/theory.md §2.8)
    /// and the estimators read [`Problem::prior_exponents`].
    pub real_prior: Option<Vec<Rat>>,
    /// The point `w*`, one rational per variable.
    pub point: Vec<Rat>,
    /// The parameter box, absolute coordinates, one `(lo, hi)` per
    /// variable with `lo ≤ w*_i ≤ hi` and `lo < hi`. The estimators sample
    /// it; the exact engine reads only which side it leaves open at the
    /// point: `lo = w*_i` makes `w_i` one-sided (`w_i ≥ w*_i` near the
    /// point, [`Side::Above`]), `hi = w*_i` likewise ([`Side::Below`]),
    /// otherwise the point is interior in that coordinate (docs/theory.md §2.6).
    pub domain: Vec<(Rat, Rat)>,
    /// Present when the program stated a regression model (`input`,
    /// `output`, `noise`, `truth`) instead of a loss; `loss` is then the
    /// exact population loss derived from it by [`population_loss`].
    pub model: Option<ModelSpec>,
}

/// Which side of the point a coordinate may take near the point
/// (docs/theory.md §2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Both sides: the point is interior in this coordinate.
    Both,
    /// `w_i ≥ w*_i` (the box starts at the point).
    Above,
    /// `w_i ≤ w*_i` (the box ends at the point).
    Below,
}

/// A regression model `y = f(x, w) + N(0, σ² I)` with Gaussian inputs,
/// as stated in the language; the source of a population loss and of
/// synthetic data sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelSpec {
    /// Input names (`x[1]`, `x[2]`, …).
    pub inputs: Vec<String>,
    /// Variance of each input; inputs are independent, mean zero
    /// (`x ~ N(0, I)` unless stated).
    pub input_variance: Vec<Rat>,
    /// The outputs `f_j(x, w)`, polynomials in the parameters followed by
    /// the inputs (`nvars = problem.dim() + inputs.len()`).
    pub outputs: Vec<Poly>,
    /// Noise standard deviation σ (> 0).
    pub noise: Rat,
    /// The true parameter `w₀` (also the problem's point).
    pub truth: Vec<Rat>,
}

impl Problem {
    /// A problem at the origin with a flat prior and the box `[-1, 1]^d`.
    pub fn new(variables: Vec<String>, loss: Loss) -> Self {
        let d = variables.len();
        Problem {
            variables,
            loss,
            prior: vec![0; d],
            real_prior: None,
            point: vec![Rat::zero(); d],
            domain: vec![(rat(-1), rat(1)); d],
            model: None,
        }
    }

    /// The prior exponents `h_i > −1` as rationals, whichever field holds
    /// them.
    pub fn prior_exponents(&self) -> Vec<Rat> {
        match &self.real_prior {
            Some(h) => h.clone(),
            None => self.prior.iter().map(|&h| Rat::from_integer(h.into())).collect(),
        }
    }

    /// Sets the prior exponents: integers into [`Problem::prior`], anything
    /// else into [`Problem::real_prior`] (the caller checks `h_i > −1`).
    pub fn set_prior_exponents(&mut self, h: Vec<Rat>) {
        let ints: Option<Vec<u32>> = h
            .iter()
            .map(|x| if x.is_integer() && !x.is_negative() { x.to_integer().try_into().ok() } else { None })
            .collect();
        match ints {
            Some(v) => {
                self.prior = v;
                self.real_prior = None;
            }
            None => {
                self.prior = vec![0; h.len()];
                self.real_prior = Some(h);
            }
        }
    }

    /// Number of variables `d`.
    pub fn dim(&self) -> usize {
        self.variables.len()
    }

    /// `K` in the original coordinates (the sum of squares for an ideal).
    pub fn k(&self) -> Poly {
        match &self.loss {
            Loss::Polynomial(p) => p.clone(),
            Loss::Ideal(gens) => gens.iter().fold(Poly::zero(self.dim()), |acc, g| &acc + &(g * g)),
        }
    }

    /// `K` translated so that the point is the origin.
    pub fn local_k(&self) -> Poly {
        self.k().translate(&self.point)
    }

    /// The loss translated so that the point is the origin, as generators:
    /// `(gens, true)` for an ideal, `([K], false)` for a polynomial.
    pub fn local_generators(&self) -> (Vec<Poly>, bool) {
        match &self.loss {
            Loss::Polynomial(p) => (vec![p.translate(&self.point)], false),
            Loss::Ideal(gens) => (gens.iter().map(|g| g.translate(&self.point)).collect(), true),
        }
    }

    /// Which side each coordinate may take near the point, read from the
    /// box (see [`Problem::domain`]).
    pub fn sides(&self) -> Vec<Side> {
        self.domain
            .iter()
            .zip(&self.point)
            .map(|((lo, hi), w)| {
                if lo == w {
                    Side::Above
                } else if hi == w {
                    Side::Below
                } else {
                    Side::Both
                }
            })
            .collect()
    }

    /// True when some coordinate is one-sided at the point.
    pub fn one_sided(&self) -> bool {
        self.sides().iter().any(|s| *s != Side::Both)
    }

    /// True when the point is the origin.
    pub fn at_origin(&self) -> bool {
        self.point.iter().all(|a| a.is_zero())
    }
}
