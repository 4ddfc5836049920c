//! Smooth points of the zero set: the implicit function theorem as a leaf.
//!
//! At a chart whose variables are all local, let `K ≍ |u^β|²·Σ g_i²`
//! (an ideal) with every `g_i(0) = 0`. Call a variable *free* when
//! `β_v = h_v = 0`. If the Jacobian matrix `(∂g_i/∂v(0))` over the free
//! variables has rank `k` = the number of generators, pick `k` free
//! variables with a non-zero `k×k` minor: by the inverse function theorem
//! `w_i = g_i` together with the other variables are analytic coordinates
//! near the origin, with a Jacobian that is a unit. The monomial `u^β` and
//! the prior `|u^h|` involve only the variables that were kept, so near the
//! origin
//!
//! `K ≍ |u^β|² · (w_1² + … + w_k²)`, prior `|u^h|`,
//!
//! a product of functions of separate variables (docs/theory.md §2): the pair of
//! `|u^β|²` is its normal crossing, that of `Σ w_i²` (prior 1) is
//! `(k/2, 1)`, and the product takes the smaller λ, adding m on a tie.
//!
//! This settles the points where a blow-up meets a smooth branch of the
//! zero set that is not linear in any variable (e.g. a nodal cubic's
//! branches, `y'² − 2y' − x`): coordinate blow-ups alone would peel off
//! one Taylor coefficient of the branch per blow-up and never stop.

use super::chart::ChartNode;
use super::{Pair, normal_crossing};
use crate::poly::Rat;
use num_bigint::BigInt;
use num_traits::Zero;

/// The pair of the node by the smooth-point rule, with the rule's text, or
/// `None` when its hypotheses do not hold (or cannot be checked).
pub fn smooth_point_leaf(node: &ChartNode) -> Option<(Pair, String)> {
    if !node.ideal || node.gens.is_empty() || node.region.iter().any(|r| !r.is_local()) {
        return None;
    }
    if node.gens.iter().any(|g| !g.constant_term().is_zero()) {
        return None;
    }
    let d = node.dim();
    let free: Vec<usize> = (0..d).filter(|&v| node.beta[v] == 0 && node.h[v] == 0).collect();
    let k = node.gens.len();
    if free.len() < k {
        return None;
    }
    // Linear parts at the origin: ∂g_i/∂v(0) is the coefficient of v.
    let rows: Vec<Vec<Rat>> = node
        .gens
        .iter()
        .map(|g| {
            free.iter()
                .map(|&v| {
                    let mut e = vec![0u32; d];
                    e[v] = 1;
                    g.coeff(&e)
                })
                .collect()
        })
        .collect();
    if crate::newton::rank(&rows) < k {
        return None;
    }
    let w = Pair { lambda: Rat::new(BigInt::from(k), BigInt::from(2)), m: 1 };
    let pair = match normal_crossing(&node.beta, &node.h, 2) {
        None => w,
        Some(nc) if nc.lambda == w.lambda => Pair { lambda: nc.lambda, m: nc.m + 1 },
        Some(nc) if nc.lambda < w.lambda => nc,
        Some(_) => w,
    };
    let rule = format!(
        "leaf (smooth point): the {k} generator(s) have linearly independent differentials in variables with β = h = 0, \
         so they are coordinates w (inverse function theorem) and K ≍ |u^β|²·Σw², a product in separate variables"
    );
    Some((pair, rule))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{Poly, rat};
    use crate::resolve::region::Range;

    fn node(gens: Vec<Poly>, beta: Vec<u32>, h: Vec<u32>) -> ChartNode {
        let d = beta.len();
        ChartNode {
            names: (0..d).map(|i| format!("x{i}")).collect(),
            gens,
            ideal: true,
            beta,
            h,
            region: vec![Range::Local; d],
        }
    }

    #[test]
    fn nodal_branch_after_blow_up() {
        // x^2 · (y^2 - 2y - x) with prior |x|: K ≍ x^4 w^2, λ = min(2/4, 1/2), m = 2.
        let x = Poly::var(2, 0);
        let y = Poly::var(2, 1);
        let g = &(&(&y * &y) - &y.scale(&rat(2))) - &x;
        let (p, _) = smooth_point_leaf(&node(vec![g], vec![2, 0], vec![1, 0])).unwrap();
        assert_eq!(p, Pair { lambda: Rat::new(1.into(), 2.into()), m: 2 });
    }

    #[test]
    fn hypotheses_are_checked() {
        let x = Poly::var(2, 0);
        let y = Poly::var(2, 1);
        // The only variable with a linear term carries a divisor: no rule.
        let g = &x + &(&y * &y);
        assert!(smooth_point_leaf(&node(vec![g.clone()], vec![1, 0], vec![0, 0])).is_none());
        // Two generators with dependent differentials: no rule.
        let g2 = &x.scale(&rat(2)) + &(&x * &y);
        assert!(smooth_point_leaf(&node(vec![g.clone(), g2], vec![0, 0], vec![0, 0])).is_none());
        // A singular generator: no rule.
        assert!(smooth_point_leaf(&node(vec![&x * &y], vec![0, 0], vec![0, 0])).is_none());
        // Two independent smooth generators: K ≍ w1² + w2², (1, 1).
        let (p, _) = smooth_point_leaf(&node(vec![g, &y + &(&x * &x)], vec![0, 0], vec![0, 0])).unwrap();
        assert_eq!(p, Pair { lambda: rat(1), m: 1 });
    }
}
