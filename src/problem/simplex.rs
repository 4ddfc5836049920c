//! The simplex of mixture weights, `domain simplex(w1, ..., wn)`
//! (docs/theory.md §2.8): `w_i ≥ 0`, `Σ w_i = 1`, a set of dimension
//! `n − 1`, reduced to a box problem by eliminating one coordinate.
//!
//! The eliminated coordinate `w_j = 1 − Σ_{i≠j} w_i` is one with `w*_j > 0`
//! (one exists since the point's coordinates sum to 1). The map
//! `(w_i)_{i≠j} ↦ w` is affine with Jacobian 1 onto the simplex, and near
//! the point `w_j ≈ w*_j > 0`, so its constraint `w_j ≥ 0` is inactive and
//! its Dirichlet factor `w_j^{α_j − 1}` a unit: locally the simplex is the
//! box `w_i ≥ 0` for the coordinates at 0 (one-sided, docs/theory.md §2.6)
//! and open in the others. The estimators sample the box
//! `[max(0, w*_i − δ), w*_i + δ]` with `δ = w*_j / n`, which lies inside the
//! simplex (`Σ_{i≠j} w_i ≤ 1 − w*_j + (n−1)δ < 1`).

use super::{Loss, Problem};
use crate::poly::{Poly, Rat};
use num_traits::{One, Zero};

/// Eliminates one coordinate of each simplex (variable indices into
/// `problem`, disjoint, the point on each simplex). Errors (a message for
/// the caller's diagnostic, with the simplex's index) when every
/// coordinate with `w*_j > 0` of a simplex carries a prior factor of its
/// own, which the elimination would turn into a non-monomial prior.
pub fn eliminate(problem: Problem, simplices: &[Vec<usize>]) -> Result<Problem, (usize, String)> {
    let d = problem.dim();
    let h = problem.prior_exponents();
    let mut gone = vec![false; d];
    let mut domain = problem.domain.clone();
    let mut eliminated = Vec::with_capacity(simplices.len());
    for (s, vars) in simplices.iter().enumerate() {
        // The largest w*_j among the coordinates without a prior factor
        // (the first on ties): the farthest from the face w_j = 0.
        let j = vars
            .iter()
            .copied()
            .filter(|&k| problem.point[k] > Rat::zero() && h[k].is_zero())
            .fold(None, |best: Option<usize>, k| match best {
                Some(b) if problem.point[b] >= problem.point[k] => Some(b),
                _ => Some(k),
            })
            .ok_or_else(|| {
                (
                    s,
                    "every coordinate of the simplex that is positive at the point has a prior factor of its \
                     own: one of them must be eliminated (w_j = 1 − Σ others), which needs a unit prior there"
                        .to_string(),
                )
            })?;
        gone[j] = true;
        let delta = &problem.point[j] / Rat::from_integer(vars.len().into());
        for &k in vars.iter().filter(|&&k| k != j) {
            let w = &problem.point[k];
            let lo = if w.is_zero() { Rat::zero() } else { (w - &delta).max(Rat::zero()) };
            domain[k] = (lo, w + &delta);
        }
        eliminated.push((j, vars.clone()));
    }
    // New indices of the kept coordinates.
    let mut index = vec![usize::MAX; d];
    let mut n = 0;
    for k in 0..d {
        if !gone[k] {
            index[k] = n;
            n += 1;
        }
    }
    let mut subs: Vec<Poly> =
        (0..d).map(|k| if gone[k] { Poly::zero(n) } else { Poly::var(n, index[k]) }).collect();
    for (j, vars) in &eliminated {
        let mut w = Poly::constant(n, Rat::one());
        for &k in vars.iter().filter(|&k| k != j) {
            w = &w - &Poly::var(n, index[k]);
        }
        subs[*j] = w;
    }
    fn kept<T: Clone>(v: &[T], gone: &[bool]) -> Vec<T> {
        v.iter().zip(gone).filter(|(_, g)| !**g).map(|(x, _)| x.clone()).collect()
    }
    let loss = match &problem.loss {
        Loss::Polynomial(k) => Loss::Polynomial(k.compose(&subs)),
        Loss::Ideal(gens) => Loss::Ideal(gens.iter().map(|g| g.compose(&subs)).collect()),
    };
    let mut out = Problem {
        variables: kept(&problem.variables, &gone),
        loss,
        prior: Vec::new(),
        real_prior: None,
        point: kept(&problem.point, &gone),
        domain: kept(&domain, &gone),
        model: None,
    };
    out.set_prior_exponents(kept(&h, &gone));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::rat;

    #[test]
    fn eliminates_the_largest_coordinate_and_boxes_inside() {
        // K = (a - b)^2 + c^2 at (1/2, 1/2, 0) on the simplex (a, b, c).
        let v = |i| Poly::var(3, i);
        let k = &(&v(0) - &v(1)).pow(2) + &v(2).pow(2);
        let mut p = Problem::new(vec!["a".into(), "b".into(), "c".into()], Loss::Polynomial(k));
        p.point = vec![Rat::new(1.into(), 2.into()), Rat::new(1.into(), 2.into()), rat(0)];
        let q = eliminate(p, &[vec![0, 1, 2]]).unwrap();
        // a (the first of the largest) goes: a = 1 - b - c.
        assert_eq!(q.variables, vec!["b".to_string(), "c".to_string()]);
        let (b, c) = (Poly::var(2, 0), Poly::var(2, 1));
        let a = &(&Poly::constant(2, rat(1)) - &b) - &c;
        assert_eq!(q.k(), &(&a - &b).pow(2) + &c.pow(2));
        let sixth = Rat::new(1.into(), 6.into());
        assert_eq!(q.domain[0], (Rat::new(1.into(), 3.into()), Rat::new(2.into(), 3.into())));
        assert_eq!(q.domain[1], (rat(0), sixth));
        assert!(q.domain.iter().map(|(_, hi)| hi.clone()).fold(rat(0), |x, y| x + y) < rat(1));
    }

    #[test]
    fn a_coordinate_with_a_prior_factor_is_kept() {
        let v = |i| Poly::var(2, i);
        let mut p = Problem::new(vec!["a".into(), "b".into()], Loss::Polynomial(v(1).pow(2)));
        p.point = vec![rat(1), rat(0)];
        p.set_prior_exponents(vec![Rat::new((-1).into(), 2.into()), rat(0)]);
        assert!(eliminate(p, &[vec![0, 1]]).is_err());
    }
}
