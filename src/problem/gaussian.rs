//! Exact Gaussian moments (Isserlis/Wick for independent coordinates) and
//! the population loss of a regression model
//! `K(w) = E_x ‖f(x, w) − f(x, w₀)‖² / (2σ²)`, `x ~ N(0, diag(v))`.

use crate::poly::{Poly, Rat, rat};
use crate::problem::ModelSpec;
use num_traits::{One, Zero};

/// `E[x^a]` for `x ~ N(0, v)`: zero for odd `a`, `(a−1)!! · v^(a/2)` for
/// even `a` (Isserlis' theorem for one coordinate).
pub fn gaussian_moment(a: u32, variance: &Rat) -> Rat {
    if a % 2 == 1 {
        return Rat::zero();
    }
    let mut m = Rat::one();
    let mut k = a as i64 - 1;
    while k > 1 {
        m *= rat(k);
        k -= 2;
    }
    m * num_traits::pow(variance.clone(), (a / 2) as usize)
}

/// `f_j(x, w) − f_j(x, w₀)` for every output, polynomials in the
/// parameters followed by the inputs.
pub fn output_differences(spec: &ModelSpec, nparams: usize) -> Vec<Poly> {
    let n = nparams + spec.inputs.len();
    // f(x, w₀): parameters replaced by the truth, inputs kept.
    let at_truth: Vec<Poly> = (0..n)
        .map(|i| if i < nparams { Poly::constant(n, spec.truth[i].clone()) } else { Poly::var(n, i) })
        .collect();
    spec.outputs.iter().map(|f| f - &f.compose(&at_truth)).collect()
}

/// The exact population loss of `spec`, a polynomial in the `nparams`
/// parameters (the outputs are polynomials in parameters then inputs).
pub fn population_loss(spec: &ModelSpec, nparams: usize) -> Poly {
    let n = nparams + spec.inputs.len();
    let mut sq = Poly::zero(n);
    for diff in output_differences(spec, nparams) {
        sq = &sq + &(&diff * &diff);
    }
    // Independent coordinates: E[x^a] factorises over inputs.
    let scale = Rat::one() / (rat(2) * &spec.noise * &spec.noise);
    let terms = sq.terms().iter().filter_map(|t| {
        let mut c = t.coef.clone() * &scale;
        for (j, v) in spec.input_variance.iter().enumerate() {
            c *= gaussian_moment(t.exp[nparams + j], v);
            if c.is_zero() {
                return None;
            }
        }
        Some((t.exp[..nparams].to_vec(), c))
    });
    Poly::from_terms(nparams, terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments() {
        assert_eq!(gaussian_moment(0, &rat(3)), rat(1));
        assert_eq!(gaussian_moment(3, &rat(3)), rat(0));
        assert_eq!(gaussian_moment(2, &rat(3)), rat(3));
        assert_eq!(gaussian_moment(4, &rat(1)), rat(3));
        assert_eq!(gaussian_moment(6, &rat(2)), rat(15 * 8));
    }

    #[test]
    fn linear_model_loss_is_half_squared_distance() {
        // y = a*x1 + b*x2, truth (1, 0), σ = 1: K = ((a-1)^2 + b^2)/2.
        let n = 4;
        let f = &(&Poly::var(n, 0) * &Poly::var(n, 2)) + &(&Poly::var(n, 1) * &Poly::var(n, 3));
        let spec = ModelSpec {
            inputs: vec!["x[1]".into(), "x[2]".into()],
            input_variance: vec![rat(1), rat(1)],
            outputs: vec![f],
            noise: rat(1),
            truth: vec![rat(1), rat(0)],
        };
        let k = population_loss(&spec, 2);
        let a1 = &Poly::var(2, 0) - &Poly::one(2);
        let expect = (&(&a1 * &a1) + &Poly::var(2, 1).pow(2)).scale(&crate::poly::ratio(1, 2));
        assert_eq!(k, expect);
    }
}
