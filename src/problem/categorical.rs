//! Categorical models: a finite table of cell probabilities `p_x(w)`
//! (naive Bayes, latent class, binomial and multinomial mixtures), lowered
//! to the ideal of the cell differences `p_x(w) − p_x(w₀)`.
//!
//! K(w) = KL(p(w₀) ‖ p(w)) ≍ Σ_x (p_x(w) − p_x(w₀))² near w₀ when every
//! true cell is positive and the cells sum to one identically
//! (docs/theory.md §2.10). Both hypotheses are checked here, exactly.

use crate::poly::{Poly, Rat};
use num_traits::{One, Signed};

/// Why a table is not a categorical model the equivalence covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CategoricalError {
    /// Fewer than two cells.
    TooFewCells,
    /// `Σ_x p_x(w) − 1`, which is not identically zero.
    NotNormalised(Poly),
    /// Cell `index` (0-based, in table order) has the true probability
    /// `value ≤ 0`: KL is not ≍ the squared distance there.
    NonPositive { index: usize, value: Rat },
}

/// The generators `p_x(w) − p_x(w₀)` of the categorical model whose cells
/// are `cells` (polynomials in the parameters), at the truth `w₀`.
///
/// The last cell's generator is left out: the cells sum to one
/// identically, so it is minus the sum of the others and the ideal is the
/// same (docs/theory.md §2.10). Zero generators are dropped.
pub fn cell_ideal(cells: &[Poly], truth: &[Rat]) -> Result<Vec<Poly>, CategoricalError> {
    let Some(first) = cells.first() else { return Err(CategoricalError::TooFewCells) };
    if cells.len() < 2 {
        return Err(CategoricalError::TooFewCells);
    }
    let n = first.nvars();
    let total = cells.iter().fold(Poly::zero(n), |acc, c| &acc + c);
    let excess = &total - &Poly::one(n);
    if !excess.is_zero() {
        return Err(CategoricalError::NotNormalised(excess));
    }
    let mut gens = Vec::with_capacity(cells.len() - 1);
    for (index, c) in cells.iter().enumerate() {
        let value = c.eval(truth);
        if !value.is_positive() {
            return Err(CategoricalError::NonPositive { index, value });
        }
        if index + 1 < cells.len() {
            let g = c - &Poly::constant(n, value);
            if !g.is_zero() {
                gens.push(g);
            }
        }
    }
    debug_assert!(cells.iter().all(|c| c.eval(truth) <= Rat::one()));
    Ok(gens)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{rat, ratio};

    /// Bin(2, ·) mixture cells in (t, a, b).
    fn binomial_mixture() -> Vec<Poly> {
        let n = 3;
        let (t, a, b) = (Poly::var(n, 0), Poly::var(n, 1), Poly::var(n, 2));
        let one = Poly::one(n);
        let ta = &one - &t;
        let (na, nb) = (&one - &a, &one - &b);
        let two = Poly::constant(n, rat(2));
        vec![
            &(&t * &na.pow(2)) + &(&ta * &nb.pow(2)),
            &(&two * &(&t * &(&a * &na))) + &(&two * &(&ta * &(&b * &nb))),
            &(&t * &a.pow(2)) + &(&ta * &b.pow(2)),
        ]
    }

    #[test]
    fn binomial_mixture_cells_give_two_generators() {
        let cells = binomial_mixture();
        let truth = vec![ratio(1, 2), ratio(1, 3), ratio(1, 3)];
        let gens = cell_ideal(&cells, &truth).unwrap();
        assert_eq!(gens.len(), 2);
        for (g, c) in gens.iter().zip(&cells) {
            assert!(g.eval(&truth) == rat(0));
            assert_eq!(g - c, Poly::constant(3, -c.eval(&truth)));
        }
    }

    #[test]
    fn zero_cell_and_unnormalised_tables_are_refused() {
        let cells = binomial_mixture();
        // a = b = 0: the cells 1 and 2 are zero at the truth.
        let e = cell_ideal(&cells, &[ratio(1, 2), rat(0), rat(0)]).unwrap_err();
        assert_eq!(e, CategoricalError::NonPositive { index: 1, value: rat(0) });
        let e = cell_ideal(&cells[..2], &[ratio(1, 2), ratio(1, 3), ratio(1, 3)]).unwrap_err();
        assert!(matches!(e, CategoricalError::NotNormalised(_)));
        assert_eq!(cell_ideal(&cells[..1], &vec![rat(0); 3]).unwrap_err(), CategoricalError::TooFewCells);
    }
}
