//! Gaussian covariance models: a centred normal law N(0, Σ(w)) with a
//! symmetric matrix of polynomials Σ(w) (factor analysis, latent trees),
//! lowered to the ideal of the entries `Σ_ij(w) − Σ_ij(w₀)`, i ≤ j.
//!
//! K(w) = KL(N(0, Σ₀) ‖ N(0, Σ(w))) ≍ Σ_{i≤j} (Σ_ij(w) − Σ⁰_ij)² near w₀
//! when Σ₀ = Σ(w₀) is positive definite (docs/theory.md §2.10). Symmetry and
//! positive definiteness are checked here, exactly.

use crate::poly::{Poly, Rat};
use num_traits::{Signed, Zero};

/// Why a matrix is not a covariance model the equivalence covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CovarianceError {
    /// `entries.len()` is not `d²`.
    NotSquare,
    /// Entries `(i, j)` and `(j, i)` differ as polynomials (0-based).
    NotSymmetric(usize, usize),
    /// Σ(w₀) is not positive definite: the `k`-th pivot of its symmetric
    /// Gaussian elimination (0-based) is `pivot ≤ 0`.
    NotPositiveDefinite { k: usize, pivot: Rat },
}

/// The generators `Σ_ij(w) − Σ_ij(w₀)`, `i ≤ j`, of the covariance model
/// with the `d × d` matrix `entries` (row-major) at the truth; zero
/// generators are dropped.
pub fn covariance_ideal(d: usize, entries: &[Poly], truth: &[Rat]) -> Result<Vec<Poly>, CovarianceError> {
    if entries.len() != d * d || d == 0 {
        return Err(CovarianceError::NotSquare);
    }
    for i in 0..d {
        for j in i + 1..d {
            if entries[i * d + j] != entries[j * d + i] {
                return Err(CovarianceError::NotSymmetric(i, j));
            }
        }
    }
    let sigma0: Vec<Rat> = entries.iter().map(|e| e.eval(truth)).collect();
    if let Some((k, pivot)) = first_non_positive_pivot(d, sigma0.clone()) {
        return Err(CovarianceError::NotPositiveDefinite { k, pivot });
    }
    let mut gens = Vec::new();
    for i in 0..d {
        for j in i..d {
            let e = &entries[i * d + j];
            let g = e - &Poly::constant(e.nvars(), sigma0[i * d + j].clone());
            if !g.is_zero() {
                gens.push(g);
            }
        }
    }
    Ok(gens)
}

/// A symmetric matrix is positive definite iff Gaussian elimination
/// without row exchanges meets only positive pivots (the pivots are the
/// ratios of consecutive leading principal minors: Sylvester's criterion).
/// Returns the first pivot that is not positive.
fn first_non_positive_pivot(d: usize, mut a: Vec<Rat>) -> Option<(usize, Rat)> {
    for k in 0..d {
        let pivot = a[k * d + k].clone();
        if !pivot.is_positive() {
            return Some((k, pivot));
        }
        for i in k + 1..d {
            let f = &a[i * d + k] / &pivot;
            if f.is_zero() {
                continue;
            }
            for j in k..d {
                let v = &f * &a[k * d + j];
                a[i * d + j] -= v;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{rat, ratio};

    /// Σ = diag(w) + l lᵀ in (w1..w3, l1..l3).
    fn one_factor() -> Vec<Poly> {
        let n = 6;
        let mut e = Vec::new();
        for i in 0..3 {
            for j in 0..3 {
                let mut p = &Poly::var(n, 3 + i) * &Poly::var(n, 3 + j);
                if i == j {
                    p = &p + &Poly::var(n, i);
                }
                e.push(p);
            }
        }
        e
    }

    #[test]
    fn one_factor_model_has_six_generators() {
        let truth = vec![rat(1), rat(1), rat(1), rat(0), rat(0), rat(0)];
        let gens = covariance_ideal(3, &one_factor(), &truth).unwrap();
        assert_eq!(gens.len(), 6);
    }

    #[test]
    fn indefinite_and_asymmetric_matrices_are_refused() {
        // w = (1, −2, 1), l = 0: the second pivot is −2.
        let truth = vec![rat(1), rat(-2), rat(1), rat(0), rat(0), rat(0)];
        assert_eq!(
            covariance_ideal(3, &one_factor(), &truth).unwrap_err(),
            CovarianceError::NotPositiveDefinite { k: 1, pivot: rat(-2) }
        );
        // [[1, 2], [2, 1]] is indefinite: pivots 1, −3.
        let c = |v: i64| Poly::constant(1, rat(v));
        let x = Poly::var(1, 0);
        let m = vec![&c(1) + &x, c(2), c(2), c(1)];
        assert_eq!(
            covariance_ideal(2, &m, &[rat(0)]).unwrap_err(),
            CovarianceError::NotPositiveDefinite { k: 1, pivot: rat(-3) }
        );
        let m = vec![c(1), x.clone(), c(0), c(1)];
        assert_eq!(covariance_ideal(2, &m, &[rat(0)]).unwrap_err(), CovarianceError::NotSymmetric(0, 1));
        // [[2, 1], [1, 1]]: pivots 2, 1/2.
        let m = vec![&c(2) + &x, c(1), c(1), c(1)];
        assert_eq!(covariance_ideal(2, &m, &[rat(0)]).unwrap().len(), 1);
        assert!(first_non_positive_pivot(2, vec![rat(2), rat(1), rat(1), rat(1)]).is_none());
        assert_eq!(first_non_positive_pivot(2, vec![rat(2), rat(1), rat(1), ratio(1, 2)]), Some((1, rat(0))));
    }
}
