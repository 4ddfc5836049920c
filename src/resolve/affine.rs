//! Affine factors as coordinates: the linear change of variables that
//! resolves hyperplane arrangements in general position.
//!
//! If a generator `g` is divisible by `v − φ(x')` with `φ` affine in the
//! other variables and not constant, the change `v* = v − φ(x')` (all other
//! variables kept) has Jacobian 1, so it changes neither the prior nor the
//! pair (docs/theory.md §2, equivalence), and it makes that factor a coordinate
//! hyperplane. It is applied only to a variable with `β_v = h_v = 0` (the
//! monomial factor and the prior do not involve `v`, so they are
//! unchanged), and `v` must not divide a generator (otherwise the change
//! would undo an earlier one). It is tried on charts with one generator.
//!
//! Region: if `v` is bounded, `v*` ranges over the (widened) hull of
//! `v − φ` on the box. A bounded variable of a chart is a direction along
//! an exceptional divisor over the point, and every chart point with its
//! local variables at 0 still lies over the point, so a larger box only
//! adds points of the same fibre (the rule the unit pivot uses too). If
//! `v` is local, `φ` must vanish where the local variables do, so that
//! `v*` is local as well.
//!
//! Finding `φ` exactly, without factoring: at a rational base point `x'₀`,
//! a factor `v − φ` gives the rational root `r₀ = φ(x'₀)` of `g(v, x'₀)`,
//! of some multiplicity `s`. With `G = ∂^{s−1}g/∂v^{s−1}` the factor is
//! simple in `G`, and differentiating `G(φ(x'), x') ≡ 0` gives the slopes
//! `∂φ/∂x_i = −G_{x_i}/G_v` at `(r₀, x'₀)`. Each candidate is then checked
//! exactly (`g(φ(x'), x') ≡ 0`), so a poor base point only loses a
//! candidate, never soundness.

use super::chart::ChartNode;
use super::region::{Range, restrict_to_centre, widened_hull};
use crate::poly::{Poly, Rat, rat};
use crate::univariate::{UPoly, rational_roots};
use num_traits::Zero;

/// Base points for the other variables: a few small integer vectors,
/// unlikely to all lie where two factors' roots collide.
fn base_points(n: usize) -> Vec<Vec<Rat>> {
    let seqs: [&[i64]; 3] = [&[1, 2, 3, 5, 7, 11], &[2, -1, 3, -2, 5, -3], &[-3, 1, 4, -1, 2, 6]];
    seqs.iter().map(|s| (0..n).map(|i| rat(s[i % s.len()] + (i / s.len()) as i64 * 13)).collect()).collect()
}

/// The rational roots of `u`: directly in degree 1 and 2 (the common
/// case, and cheap whatever the size of the coefficients), by root
/// isolation otherwise.
fn small_rational_roots(u: &UPoly) -> Vec<Rat> {
    let c = u.coeffs();
    match u.degree() {
        Some(1) => vec![-(&c[0] / &c[1])],
        Some(2) => {
            let disc = &c[1] * &c[1] - &c[0] * &c[2] * rat(4);
            if disc < Rat::zero() {
                return Vec::new();
            }
            let Some(root) = super::rat_sqrt(&disc) else { return Vec::new() };
            let two_a = &c[2] * rat(2);
            vec![(-&c[1] - &root) / &two_a, (-&c[1] + &root) / &two_a]
        }
        _ => rational_roots(u),
    }
}

/// `g(v, x'₀)` as a univariate polynomial in `v`.
fn restrict_to_line(g: &Poly, v: usize, x0: &[Rat]) -> UPoly {
    let mut c = vec![Rat::zero(); g.degree_in(v) as usize + 1];
    for t in g.terms() {
        let mut m = t.coef.clone();
        for (i, &e) in t.exp.iter().enumerate() {
            if i != v && e > 0 {
                m *= num_traits::pow(x0[i].clone(), e as usize);
            }
        }
        c[t.exp[v] as usize] += m;
    }
    UPoly::new(c)
}

/// The affine `φ` (non-constant, free of `v`) with `(v − φ) | g`, if one
/// is found.
pub fn affine_factor(g: &Poly, v: usize) -> Option<Poly> {
    let n = g.nvars();
    if g.degree_in(v) == 0 || g.degree() < 2 {
        return None;
    }
    let bases = base_points(n);
    for x0 in &bases {
        let u = restrict_to_line(g, v, &x0);
        if u.is_zero() {
            continue;
        }
        for r0 in small_rational_roots(&u) {
            // Multiplicity s of r0, and G = ∂^{s−1} g/∂v^{s−1}.
            let mut big_g = g.clone();
            let mut du = u.clone();
            while du.derivative().eval(&r0).is_zero() && du.degree().is_some_and(|d| d > 1) {
                du = du.derivative();
                big_g = big_g.derivative(v);
            }
            let mut at = x0.clone();
            at[v] = r0.clone();
            let gv = big_g.derivative(v).eval(&at);
            if gv.is_zero() {
                continue;
            }
            let mut phi = Poly::constant(n, r0.clone());
            for i in (0..n).filter(|&i| i != v) {
                let slope = -(big_g.derivative(i).eval(&at) / &gv);
                if !slope.is_zero() {
                    let shifted = &Poly::var(n, i) - &Poly::constant(n, x0[i].clone());
                    phi = &phi + &shifted.scale(&slope);
                }
            }
            if phi.is_constant() {
                continue;
            }
            // Cheap necessary test at the other base points, then the exact one.
            let on_plane = |p: &Vec<Rat>| {
                let mut q = p.clone();
                q[v] = phi.eval(p);
                g.eval(&q).is_zero()
            };
            if bases.iter().all(on_plane) && g.substitute(v, &phi).is_zero() {
                return Some(phi);
            }
        }
    }
    None
}

impl ChartNode {
    /// The change `v* = v − φ` for an affine factor of a generator (module
    /// docs), or `None`.
    pub fn affine_factor_change(&mut self) -> Option<String> {
        self.affine_factor_linked().map(|(d, _)| d)
    }

    /// [`ChartNode::affine_factor_change`] with the substitution
    /// `v = v* + φ`.
    pub fn affine_factor_linked(&mut self) -> Option<(String, Vec<Poly>)> {
        // Principal ideals and polynomial losses only: the search for
        // factors costs a few evaluations per variable, which adds up on
        // the many-generator charts of matrix products, where factors of
        // one generator alone rarely help.
        if self.gens.len() != 1 {
            return None;
        }
        let d = self.dim();
        let divides_a_generator = |v: usize| self.gens.iter().any(|g| g.monomial_content()[v] > 0);
        for g in self.gens.clone() {
            for v in 0..d {
                if self.beta[v] != 0 || self.h[v] != 0 || divides_a_generator(v) {
                    continue;
                }
                let Some(phi) = affine_factor(&g, v) else { continue };
                let factor = &Poly::var(d, v) - &phi;
                let range = match &self.region[v] {
                    Range::Bounded(..) => widened_hull(&factor, &self.region),
                    Range::Local if restrict_to_centre(&phi, &self.region).is_zero() => Range::Local,
                    Range::Local => continue,
                };
                let names = self.names.clone();
                let back = &Poly::var(d, v) + &phi; // v = v* + φ
                self.gens = self.gens.iter().map(|g| g.substitute(v, &back)).collect();
                self.region[v] = range;
                self.names[v] = super::chart::fresh_name(&names, v);
                self.factor_monomial();
                let mut map: Vec<Poly> = (0..d).map(|i| Poly::var(d, i)).collect();
                map[v] = back;
                return Some((
                    format!(
                        "affine factor as a coordinate: {} := {} (a factor of {}; Jacobian 1)",
                        self.names[v],
                        factor.display(&names),
                        g.display(&names)
                    ),
                    map,
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(i: usize) -> Poly {
        Poly::var(3, i)
    }

    #[test]
    fn finds_planes_through_the_origin_with_multiplicity() {
        // g = (x − 2y + z)² (3x + y): both factors found from v = x.
        let l1 = &(&x(0) - &x(1).scale(&rat(2))) + &x(2);
        let l2 = &x(0).scale(&rat(3)) + &x(1);
        let g = &l1.pow(2) * &l2;
        let phi = affine_factor(&g, 0).expect("a factor");
        let f = &x(0) - &phi;
        assert!(f == &l1 + &Poly::zero(3) || f == l2.scale(&Rat::new(1.into(), 3.into())), "{f:?}");
        assert!(g.substitute(0, &phi).is_zero());
    }

    #[test]
    fn irreducible_quadric_has_no_affine_factor() {
        let g = &(&x(0) * &x(1)) - &(&x(2) * &x(2));
        for v in 0..3 {
            assert!(affine_factor(&g, v).is_none());
        }
    }

    #[test]
    fn change_makes_the_factor_a_coordinate() {
        let l1 = &x(0) - &x(1);
        let l2 = &x(1) - &x(2);
        let mut node = ChartNode {
            names: vec!["x".into(), "y".into(), "z".into()],
            gens: vec![&l1 * &l2],
            ideal: true,
            beta: vec![0; 3],
            h: vec![0; 3],
            region: vec![Range::Local; 3],
        };
        node.affine_factor_change().expect("a change");
        // One factor became a coordinate and moved into β.
        assert_eq!(node.beta.iter().sum::<u32>(), 1);
        assert_eq!(node.gens.len(), 1);
        assert_eq!(node.gens[0].degree(), 1);
    }
}
