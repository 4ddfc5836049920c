//! Regression through analytic activations: an output
//! `f(x, w) = c(w) + Σ_h a_h(w)·φ(b_h(w)·x)` with one scalar input x, one
//! activation φ ∈ {tanh, sin, exp, sigmoid} and no bias inside φ, lowered
//! to a finite ideal of Taylor coefficients in x.
//!
//! Write D(x, w) = f(x, w) − f(x, w₀) = Σ_k d_k(w) x^k. The true units
//! enter D as units with constant coefficients, and units with equal
//! nodes merge, so D is a sum over M *nodes* (distinct slopes, or distinct
//! squared slopes for an odd φ). docs/theory.md §2.11 proves:
//!
//! - every d_k lies in the ideal of the first M coefficients of the
//!   activation's parity class (a linear recurrence: each node is a root
//!   of one polynomial of degree M whose coefficients are polynomials in
//!   w), and
//! - K(w) = E_x D(x, w)²/(2σ²) ≍ Σ of the squares of those coefficients
//!   near *every* w₀, for Gaussian inputs: Newton interpolation on the
//!   nodes writes D = Σ_j t_j(w) F_j(x, w) with t unipotent-triangular in
//!   the coefficients and F_j(·, w₀) linearly independent (their Taylor
//!   matrix is triangular with the activation's coefficients c_k ≠ 0 on
//!   the diagonal, checked here exactly).
//!
//! The orders used are: odd φ (tanh, sin): 1, 3, …, 2M − 1, and 0 when
//! the output has a constant part; sigmoid = 1/2 + tanh(u/2)/2: 0 and
//! 1, 3, …, 2M − 1; exp: 0, 1, …, M − 1 (the constant part is the node
//! b = 0). M counts every model unit (plus the constant for exp) and the
//! distinct non-zero true nodes, an upper bound on the distinct nodes;
//! extra generators from the same ideal leave K ≍ Σ d_k² unchanged.

use crate::poly::{Poly, Rat, rat};
use num_traits::{One, Zero};
use std::collections::BTreeMap;

/// An analytic activation with exact rational Taylor coefficients at 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// tanh u = u − u³/3 + 2u⁵/15 − …
    Tanh,
    /// sin u = u − u³/6 + …
    Sin,
    /// exp u = Σ u^k/k!
    Exp,
    /// 1/(1 + e^{−u}) = 1/2 + tanh(u/2)/2
    Sigmoid,
}

/// Largest number of Taylor orders a model may need (bounds the size of
/// the lowered ideal before any power is expanded).
pub const MAX_ORDERS: usize = 64;

impl Activation {
    /// The activation called `name` in the language.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "tanh" => Some(Activation::Tanh),
            "sin" => Some(Activation::Sin),
            "exp" => Some(Activation::Exp),
            "sigmoid" => Some(Activation::Sigmoid),
            _ => None,
        }
    }

    /// Its name in the language.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Tanh => "tanh",
            Activation::Sin => "sin",
            Activation::Exp => "exp",
            Activation::Sigmoid => "sigmoid",
        }
    }

    /// The exact Taylor coefficients c_0, …, c_{n−1} at 0 (power-series
    /// division for tanh = sinh/cosh and sigmoid = 1/(1 + e^{−u})).
    pub fn taylor(self, n: usize) -> Vec<Rat> {
        let inv_fact: Vec<Rat> = {
            let mut f = vec![Rat::one(); n.max(1)];
            for k in 1..n {
                f[k] = &f[k - 1] / rat(k as i64);
            }
            f
        };
        let parity =
            |k: usize, odd: bool| if (k % 2 == 1) == odd { inv_fact[k].clone() } else { Rat::zero() };
        match self {
            Activation::Exp => inv_fact[..n].to_vec(),
            Activation::Sin => {
                (0..n).map(|k| if k % 4 == 3 { -parity(k, true) } else { parity(k, true) }).collect()
            }
            Activation::Tanh => {
                let sinh: Vec<Rat> = (0..n).map(|k| parity(k, true)).collect();
                let cosh: Vec<Rat> = (0..n).map(|k| parity(k, false)).collect();
                series_div(&sinh, &cosh)
            }
            Activation::Sigmoid => {
                let one: Vec<Rat> = (0..n).map(|k| if k == 0 { Rat::one() } else { Rat::zero() }).collect();
                let den: Vec<Rat> = (0..n)
                    .map(|k| {
                        let e = if k % 2 == 1 { -inv_fact[k].clone() } else { inv_fact[k].clone() };
                        if k == 0 { e + Rat::one() } else { e }
                    })
                    .collect();
                series_div(&one, &den)
            }
        }
    }

    /// Whether φ − φ(0) is odd (tanh, sin, sigmoid): its even coefficients
    /// beyond the constant vanish and the nodes are the squared slopes.
    fn odd(self) -> bool {
        !matches!(self, Activation::Exp)
    }
}

/// `num / den` as power series truncated to `num.len()` terms (`den[0] ≠ 0`).
fn series_div(num: &[Rat], den: &[Rat]) -> Vec<Rat> {
    let mut q: Vec<Rat> = Vec::with_capacity(num.len());
    for k in 0..num.len() {
        let mut s = num[k].clone();
        for i in 1..=k {
            s -= &den[i] * &q[k - i];
        }
        q.push(s / &den[0]);
    }
    q
}

/// One hidden unit `weight(w)·φ(slope(w)·x)`, polynomials in the parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// The outgoing weight a_h(w).
    pub weight: Poly,
    /// The slope b_h(w) (the input weight; no bias).
    pub slope: Poly,
}

/// One output `constant(w) + Σ units`, all with one activation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalyticOutput {
    /// The activation of every unit.
    pub activation: Activation,
    /// The hidden units.
    pub units: Vec<Unit>,
    /// The part of the output without the input, c(w).
    pub constant: Poly,
}

/// The lowered ideal of one output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaylorIdeal {
    /// The non-zero coefficients d_k(w) of D(x, w) = f(x, w) − f(x, w₀).
    pub generators: Vec<Poly>,
    /// The order k of each generator.
    pub orders: Vec<usize>,
    /// M, the node count the orders were chosen for.
    pub nodes: usize,
}

/// Why an output cannot be lowered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnalyticError {
    /// More Taylor orders than [`MAX_ORDERS`].
    TooManyOrders(usize),
    /// Expanding a power of a slope would take more than `limit` term products.
    TooLarge { limit: usize },
    /// A Taylor coefficient the proof needs non-zero is zero.
    VanishingCoefficient(usize),
}

/// Largest number of term products in one expansion of a slope power
/// (or of a weight times it).
const MAX_POWER_TERMS: usize = 200_000;

/// The Taylor-coefficient ideal of `out` at the truth `w₀`
/// (docs/theory.md §2.11; see the module documentation for the orders).
pub fn coefficient_ideal(out: &AnalyticOutput, truth: &[Rat]) -> Result<TaylorIdeal, AnalyticError> {
    let n = out.constant.nvars();
    let act = out.activation;
    // The true nodes with their merged weights: by slope b₀ for exp (the
    // constant is the node b₀ = 0), by b₀² for the odd part of the others
    // (a·φ(b x) = a·b·x·χ(b² x²) with χ even-analytic).
    let mut true_nodes: BTreeMap<Rat, Rat> = BTreeMap::new();
    for u in &out.units {
        let (a0, b0) = (u.weight.eval(truth), u.slope.eval(truth));
        if act.odd() {
            if !b0.is_zero() {
                *true_nodes.entry(&b0 * &b0).or_insert_with(Rat::zero) += &a0 * &b0;
            }
        } else {
            *true_nodes.entry(b0).or_insert_with(Rat::zero) += a0;
        }
    }
    let c0 = out.constant.eval(truth);
    if !act.odd() {
        *true_nodes.entry(Rat::zero()).or_insert_with(Rat::zero) += &c0;
    }
    let true_count = true_nodes.values().filter(|v| !v.is_zero()).count();
    let model_count = out.units.len() + usize::from(!act.odd() && !out.constant.is_zero());
    let nodes = model_count + true_count;
    let constant_diff = &out.constant - &Poly::constant(n, c0);
    let mut orders: Vec<usize> = Vec::new();
    if act.odd() {
        if act == Activation::Sigmoid || !constant_diff.is_zero() {
            orders.push(0);
        }
        orders.extend((0..nodes).map(|j| 2 * j + 1));
    } else {
        orders.extend(0..nodes);
    }
    if orders.len() > MAX_ORDERS {
        return Err(AnalyticError::TooManyOrders(orders.len()));
    }
    let top = orders.iter().copied().max().unwrap_or(0);
    let c = act.taylor(top + 1);
    // The proof needs c_k ≠ 0 on the diagonal of the Taylor matrix.
    if let Some(&k) =
        orders.iter().find(|&&k| k > 0 && c[k].is_zero() || k == 0 && !act.odd() && c[0].is_zero())
    {
        return Err(AnalyticError::VanishingCoefficient(k));
    }
    // d_k = [k = 0]·(c(w) − c(w₀)) + c_k·Σ_h (a_h b_h^k − a_h(w₀) b_h(w₀)^k).
    let mut sums: Vec<Poly> = vec![Poly::zero(n); top + 1];
    for u in &out.units {
        let (a0, b0) = (u.weight.eval(truth), u.slope.eval(truth));
        let mut power = Poly::one(n);
        let mut power0 = Rat::one();
        for (k, sum) in sums.iter_mut().enumerate() {
            if k > 0 {
                // Checked before multiplying: a product has at most
                // len·len terms, and costs that many operations.
                if power.len().saturating_mul(u.slope.len()) > MAX_POWER_TERMS {
                    return Err(AnalyticError::TooLarge { limit: MAX_POWER_TERMS });
                }
                power = &power * &u.slope;
                power0 *= &b0;
            }
            if orders.contains(&k) {
                if power.len().saturating_mul(u.weight.len()) > MAX_POWER_TERMS {
                    return Err(AnalyticError::TooLarge { limit: MAX_POWER_TERMS });
                }
                let term = &(&u.weight * &power) - &Poly::constant(n, &a0 * &power0);
                *sum = &*sum + &term;
            }
        }
    }
    let mut generators = Vec::new();
    let mut kept = Vec::new();
    for &k in &orders {
        let mut g = sums[k].scale(&c[k]);
        if k == 0 {
            g = &g + &constant_diff;
        }
        if !g.is_zero() {
            generators.push(g);
            kept.push(k);
        }
    }
    Ok(TaylorIdeal { generators, orders: kept, nodes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::ratio;

    #[test]
    fn taylor_coefficients_are_exact() {
        let t = Activation::Tanh.taylor(8);
        assert_eq!(
            t,
            vec![rat(0), rat(1), rat(0), ratio(-1, 3), rat(0), ratio(2, 15), rat(0), ratio(-17, 315)]
        );
        let s = Activation::Sigmoid.taylor(6);
        assert_eq!(s, vec![ratio(1, 2), ratio(1, 4), rat(0), ratio(-1, 48), rat(0), ratio(1, 480)]);
        let s = Activation::Sin.taylor(6);
        assert_eq!(s, vec![rat(0), rat(1), rat(0), ratio(-1, 6), rat(0), ratio(1, 120)]);
        assert_eq!(Activation::Exp.taylor(4), vec![rat(1), rat(1), ratio(1, 2), ratio(1, 6)]);
        // The tanh coefficients are 2^{2k}(2^{2k} − 1)B_{2k}/(2k)!: k = 5,
        // B_10 = 5/66 gives 1024·1023·(5/66)/10! = 62/2835.
        assert_eq!(Activation::Tanh.taylor(10)[9], ratio(62, 2835));
    }

    /// Σ_h a_h tanh(b_h x) in (a_1, b_1, …, a_H, b_H).
    fn network(act: Activation, h: usize) -> AnalyticOutput {
        let n = 2 * h;
        let units =
            (0..h).map(|j| Unit { weight: Poly::var(n, 2 * j), slope: Poly::var(n, 2 * j + 1) }).collect();
        AnalyticOutput { activation: act, units, constant: Poly::zero(n) }
    }

    #[test]
    fn zero_truth_gives_the_first_h_odd_power_sums() {
        for h in 1..=4 {
            let out = network(Activation::Tanh, h);
            let ideal = coefficient_ideal(&out, &vec![rat(0); 2 * h]).unwrap();
            assert_eq!(ideal.nodes, h);
            assert_eq!(ideal.orders, (1..=h).map(|k| 2 * k - 1).collect::<Vec<_>>());
            let c = Activation::Tanh.taylor(2 * h);
            for (k, g) in (1..=h).zip(&ideal.generators) {
                // c_{2k−1}·Σ_j a_j b_j^{2k−1}.
                let sum = (0..h).fold(Poly::zero(2 * h), |acc, j| {
                    &acc + &(&Poly::var(2 * h, 2 * j) * &Poly::var(2 * h, 2 * j + 1).pow(2 * k as u32 - 1))
                });
                assert_eq!(*g, sum.scale(&c[2 * k - 1]));
            }
        }
    }

    #[test]
    fn huge_slope_powers_are_refused_before_they_are_expanded() {
        // A slope with 500 terms: its square would take 250 000 term
        // products, and two units need the order 3.
        let n = 501;
        let slope = (1..n).fold(Poly::zero(n), |acc, i| &acc + &Poly::var(n, i));
        let unit = Unit { weight: Poly::var(n, 0), slope };
        let out = AnalyticOutput {
            activation: Activation::Tanh,
            units: vec![unit.clone(), unit],
            constant: Poly::zero(n),
        };
        assert_eq!(
            coefficient_ideal(&out, &vec![rat(0); n]),
            Err(AnalyticError::TooLarge { limit: MAX_POWER_TERMS })
        );
    }

    #[test]
    fn a_true_unit_adds_a_node_and_exp_counts_every_order() {
        let out = network(Activation::Tanh, 2);
        let truth = vec![rat(1), rat(2), rat(0), rat(0)];
        let ideal = coefficient_ideal(&out, &truth).unwrap();
        assert_eq!((ideal.nodes, ideal.orders.clone()), (3, vec![1, 3, 5]));
        for g in &ideal.generators {
            assert!(g.eval(&truth).is_zero());
        }
        let out = network(Activation::Exp, 2);
        let ideal = coefficient_ideal(&out, &truth).unwrap();
        // Nodes: two units, the true slope 2 (weight 1); the true unit
        // 0·exp(0·x) has weight 0 and drops.
        assert_eq!((ideal.nodes, ideal.orders.clone()), (3, vec![0, 1, 2]));
        let out = network(Activation::Sigmoid, 1);
        let ideal = coefficient_ideal(&out, &[rat(0), rat(0)]).unwrap();
        // d_0 = a/2, d_1 = a b/4: the constant order is always kept.
        assert_eq!(ideal.orders, vec![0, 1]);
        assert_eq!(ideal.generators[0], Poly::var(2, 0).scale(&ratio(1, 2)));
    }
}
