//! Move: divide a generator by a unit content.
//!
//! **Precondition.** `J` is an ideal. For a generator `g` and a variable
//! `v`, read `g` as a polynomial in the other variables with coefficients
//! in `ℚ[v]`; its content `c(v)` (the gcd of those coefficients, with the
//! powers of `v` removed) has degree ≥ 1 and is proven non-vanishing on
//! the region of the chart by exact interval arithmetic
//! ([`super::region::nonvanishing_on`]).
//!
//! **Expansion.** A change of generators: `g` becomes `g / c(v)` (an exact
//! division). Since `c` is a unit on the region, `c² g'² ≍ g'²` there, so
//! `Σ g_i² ≍` the new sum (docs/theory.md §2.1: multiplying a generator by
//! a unit does not change the pair). Coordinates, `β`, `h` and the region
//! are untouched.
//!
//! **Progress.** The total degree of the changed generator strictly drops.
//!
//! Why: after the moments of a mixture are made coordinates, the remaining
//! generators are products such as `t(1 − t)(1 − 2t)·d_1 d_2`, whose
//! polynomial factor in the mixing weight is a unit away from its roots;
//! dividing it out leaves a monomial ideal (docs/theory.md §7.6).

use super::chart::ChartNode;
use super::region;
use crate::poly::{Poly, Rat};
use crate::univariate::UPoly;
use num_traits::Zero;
use std::collections::BTreeMap;

/// Generators longer than this are not examined (the move is a
/// simplification, not a search; large charts are left to the others).
const MAX_TERMS: usize = 4_000;

/// Boxes tried by interval bisection to prove the content a unit.
const UNIT_BOX_BUDGET: usize = 256;

/// The content of `g` in `ℚ[v]`, monic, without the factor `v^k`, when it
/// has degree ≥ 1.
fn content_in(g: &Poly, v: usize) -> Option<UPoly> {
    if g.degree_in(v) == 0 {
        return None;
    }
    let mut groups: BTreeMap<Vec<u32>, Vec<Rat>> = BTreeMap::new();
    for t in g.terms() {
        let mut rest = t.exp.clone();
        let e = rest[v] as usize;
        rest[v] = 0;
        let c = groups.entry(rest).or_default();
        if c.len() <= e {
            c.resize(e + 1, Rat::zero());
        }
        c[e] += &t.coef;
    }
    let mut gcd: Option<UPoly> = None;
    for coeffs in groups.into_values() {
        let u = UPoly::new(coeffs);
        gcd = Some(match gcd {
            None => u.monic(),
            Some(g) => g.gcd(&u),
        });
        if gcd.as_ref().and_then(|g| g.degree()) == Some(0) {
            return None;
        }
    }
    let mut c = gcd?;
    // Remove the factor v^k: it is not a unit at v = 0.
    let low = c.coeffs().iter().position(|x| !x.is_zero())?;
    if low > 0 {
        c = UPoly::new(c.coeffs()[low..].to_vec());
    }
    (c.degree()? >= 1).then_some(c)
}

fn as_poly(c: &UPoly, n: usize, v: usize) -> Poly {
    Poly::from_terms(
        n,
        c.coeffs().iter().enumerate().filter(|(_, x)| !x.is_zero()).map(|(e, x)| {
            let mut exp = vec![0; n];
            exp[v] = e as u32;
            (exp, x.clone())
        }),
    )
}

/// The move: every generator divided by its unit contents; `None` when no
/// generator has one.
pub fn apply(node: &ChartNode) -> Option<(ChartNode, String)> {
    if !node.ideal {
        return None;
    }
    let n = node.dim();
    let mut out = node.clone();
    let mut done = Vec::new();
    for g in out.gens.iter_mut() {
        if g.len() < 2 || g.len() > MAX_TERMS {
            continue;
        }
        for v in 0..n {
            let Some(c) = content_in(g, v) else { continue };
            let cp = as_poly(&c, n, v);
            if !region::nonvanishing_on(&cp, &node.region, UNIT_BOX_BUDGET) {
                continue;
            }
            let Some(q) = g.div_exact(&cp, 4 * g.len() + 64) else { continue };
            done.push(c.display(&node.names[v]));
            *g = q;
        }
    }
    if done.is_empty() {
        return None;
    }
    out.factor_monomial();
    Some((
        out,
        format!(
            "divide generators by their unit contents {} (non-vanishing on the region; the ideal changes by units only)",
            done.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::region::Range;

    #[test]
    fn a_unit_content_in_one_variable_is_divided_out() {
        // g = (1 − 2t + 3t²)·t·x·y near the origin: the content in t is
        // t·(1 − 2t + 3t²); its unit part goes, the factor t stays.
        let n = 3;
        let t = Poly::var(n, 0);
        let x = Poly::var(n, 1);
        let y = Poly::var(n, 2);
        let one = Poly::one(n);
        let u = &(&one - &t.scale(&crate::poly::rat(2))) + &(&t * &t).scale(&crate::poly::rat(3));
        let g = &(&u * &t) * &(&x * &y);
        let node = ChartNode {
            names: vec!["t".into(), "x".into(), "y".into()],
            gens: vec![g, &x * &x],
            ideal: true,
            beta: vec![0; n],
            h: vec![0; n],
            region: vec![Range::Local; n],
        };
        let (out, _) = apply(&node).unwrap();
        assert!(out.gens.contains(&(&t * &(&x * &y))) || out.beta != vec![0; n], "{:?}", out.gens);
        assert!(out.gens.iter().all(|g| g.degree() <= 3));
        // t·(1 − t) on t ∈ [−1, 1]: 1 − t vanishes on the box, no unit.
        let mut region = node.region.clone();
        region[0] = Range::Bounded(-Rat::from_integer(1.into()), Rat::from_integer(1.into()));
        let node2 = ChartNode { gens: vec![&(&t - &(&t * &t)) * &x], region, ..node.clone() };
        assert!(apply(&node2).is_none());
    }
}
