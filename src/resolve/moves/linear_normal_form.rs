//! **Linear normal form of the initial forms** (coordinate invariance).
//!
//! Precondition: every variable is local; the linear forms spanned by the
//! initial forms of the generators — for each generator's lowest-degree
//! form `f` of degree `d`, all its partial derivatives of order `d − 1`
//! (the smallest space of linear forms `V` with `f ∈ Sym^d V`) — have a
//! reduced row echelon basis `ℓ_k = w_{p_k} + Σ_j c_kj w_j` (`j` non-pivot)
//! in which some `ℓ_k` is not a coordinate; the pivot variables carry no
//! prior and no monomial factor (`h = β = 0`).
//!
//! The move: `w'_{p_k} = ℓ_k`, the other variables unchanged. The inverse
//! `w_{p_k} = w'_{p_k} − Σ_j c_kj w_j` is triangular with unit diagonal, a
//! linear change with Jacobian 1 that keeps a neighbourhood of the origin a
//! neighbourhood of the origin, so the pair is unchanged (docs/theory.md §2,
//! equivalence under analytic isomorphisms; §4). Afterwards the initial
//! forms are written in as few variables as they need, so their Newton
//! polyhedra, the pivots and the toric charts see the singularity as they
//! would in adapted coordinates: the cusp `(y² − x³)²` written in
//! `x + y, x + 2y` resolves like the cusp. The echelon basis of a space of
//! coordinates is the coordinates themselves, so the move does not apply
//! twice in a row.

use super::{Applied, Context, Move, has_bounded};
use crate::poly::{Poly, Rat};
use crate::resolve::MAX_PRODUCT_TERMS;
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::Expansion;
use num_bigint::BigInt;
use num_traits::Zero;

/// Most variables of a chart the move looks at (the echelon form is
/// over ℚ, with one row per derivative).
const MAX_VARS: usize = 64;
/// Most derivative rows collected.
const MAX_ROWS: usize = 4_096;

/// See the module docs.
pub struct LinearNormalForm;

impl Move for LinearNormalForm {
    fn name(&self) -> &'static str {
        "linear-normal-form"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        let n = node.dim();
        if n < 2 || n > MAX_VARS || has_bounded(node) {
            return Applied::No;
        }
        // Columns: prior- and divisor-free variables first, so pivots land
        // on them whenever the span allows.
        let mut order: Vec<usize> = (0..n).filter(|&i| node.h[i] == 0 && node.beta[i] == 0).collect();
        let free = order.len();
        if free == 0 {
            return Applied::No;
        }
        order.extend((0..n).filter(|&i| node.h[i] != 0 || node.beta[i] != 0));
        let Some(mut rows) = initial_linear_forms(&node.gens, &order) else { return Applied::No };
        let pivots = crate::newton::linalg::rref(&mut rows);
        let rows: Vec<Vec<Rat>> = rows.into_iter().take(pivots.len()).collect();
        if pivots.iter().any(|&c| c >= free) {
            return Applied::No;
        }
        if rows.iter().all(|r| r.iter().filter(|c| !c.is_zero()).count() == 1) {
            return Applied::No;
        }
        // w_{p_k} = w'_{p_k} − Σ_j c_kj w_j, in the chart's own variable order.
        let mut subs: Vec<Poly> = (0..n).map(|i| Poly::var(n, i)).collect();
        let mut names = node.names.clone();
        let mut changed = Vec::new();
        for (row, &pc) in rows.iter().zip(&pivots) {
            if row.iter().filter(|c| !c.is_zero()).count() == 1 {
                continue;
            }
            let p = order[pc];
            let mut inverse = Poly::var(n, p);
            let mut form = Poly::var(n, p);
            for (c, coef) in row.iter().enumerate() {
                if c != pc && !coef.is_zero() {
                    let v = Poly::var(n, order[c]);
                    inverse = &inverse - &v.scale(coef);
                    form = &form + &v.scale(coef);
                }
            }
            subs[p] = inverse;
            names[p] = format!("({})", form.display(&node.names));
            changed.push(names[p].clone());
        }
        if !within_size(&node.gens, &subs) {
            return Applied::No;
        }
        let mut new = node.clone();
        new.gens = node.gens.iter().map(|g| g.compose(&subs)).collect();
        new.names = names;
        // Progress: the initial forms get strictly shorter (this also
        // keeps the move from cycling with the other changes).
        let initial_terms = |gens: &[Poly]| gens.iter().map(|g| g.lowest_form().len()).sum::<usize>();
        if initial_terms(&new.gens) >= initial_terms(&node.gens) {
            return Applied::No;
        }
        Applied::Expand(Expansion::Change {
            action: format!(
                "linear normal form of the initial forms: new coordinates {} (the echelon basis of the span of their \
                 (d−1)-th derivatives), the other variables unchanged; Jacobian 1",
                changed.join(", ")
            ),
            node: new,
            link: None,
        })
    }
}

/// The rows (in the column order `order`) of the linear forms spanned by
/// the generators' initial forms; `None` past the row cap.
fn initial_linear_forms(gens: &[Poly], order: &[usize]) -> Option<Vec<Vec<Rat>>> {
    let n = order.len();
    let mut col = vec![0; n];
    for (c, &v) in order.iter().enumerate() {
        col[v] = c;
    }
    // One row per generator and derivative multi-index.
    let mut rows: std::collections::BTreeMap<(usize, Vec<u32>), Vec<Rat>> = Default::default();
    for (k, g) in gens.iter().enumerate() {
        let f = g.lowest_form();
        for t in f.terms() {
            // e! = Π e_i!, the coefficient of x_j in ∂^{e − unit_j} x^e.
            let fact: BigInt = t.exp.iter().map(|&e| (1..=e).map(BigInt::from).product::<BigInt>()).product();
            let c = &t.coef * Rat::from_integer(fact);
            for j in 0..n {
                if t.exp[j] == 0 {
                    continue;
                }
                let mut alpha = t.exp.clone();
                alpha[j] -= 1;
                let key = (k, alpha);
                if !rows.contains_key(&key) && rows.len() >= MAX_ROWS {
                    return None;
                }
                let row = rows.entry(key).or_insert_with(|| vec![Rat::zero(); n]);
                row[col[j]] += &c;
            }
        }
    }
    let rows: Vec<Vec<Rat>> = rows.into_values().filter(|r| r.iter().any(|c| !c.is_zero())).collect();
    (!rows.is_empty()).then_some(rows)
}

/// An a-priori bound on the terms the substitution creates: a term
/// `Π w_p^{e_p}` expands into at most `Π C(e_p + k_p − 1, k_p − 1)` terms,
/// `k_p` the number of terms of `w_p`'s substitute.
fn within_size(gens: &[Poly], subs: &[Poly]) -> bool {
    let mut total = 0f64;
    for g in gens {
        for t in g.terms() {
            let mut b = 1f64;
            for (p, &e) in t.exp.iter().enumerate() {
                let k = subs[p].len() as f64;
                if e > 0 && k > 1.0 {
                    // C(e + k − 1, k − 1) ≤ (e + 1)^(k − 1)
                    b *= (f64::from(e) + 1.0).powf(k - 1.0);
                }
            }
            total += b;
            if total > MAX_PRODUCT_TERMS as f64 {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::region::Range;

    #[test]
    fn a_rotated_cusp_gets_adapted_coordinates() {
        // (x + y)² − (x + 2y)³: the initial form spans x + y alone.
        let n = 2;
        let (x, y) = (Poly::var(n, 0), Poly::var(n, 1));
        let a = &x + &y;
        let b = &x + &y.scale(&Rat::from_integer(2.into()));
        let g = &(&a * &a) - &b.pow(3);
        let node = ChartNode {
            names: vec!["x".into(), "y".into()],
            gens: vec![g],
            ideal: true,
            beta: vec![0, 0],
            h: vec![0, 0],
            region: vec![Range::Local, Range::Local],
        };
        let cx = Context { depth: 0, toric: true, theorems: true, deadline: crate::limits::Deadline::NONE };
        let Applied::Expand(Expansion::Change { node: new, .. }) = LinearNormalForm.apply(&node, &cx) else {
            panic!("applies")
        };
        // In the new coordinates the initial form is a pure square.
        let lf = new.gens[0].lowest_form();
        assert_eq!(lf.len(), 1, "{}", lf.display(&new.names));
        assert_eq!(new.names[0], "(x + y)");
        // Applied once: the echelon basis is now a coordinate.
        assert!(matches!(LinearNormalForm.apply(&new, &cx), Applied::No));
        // A prior on the only pivot candidate blocks it.
        let blocked = ChartNode { h: vec![1, 1], ..node };
        assert!(matches!(LinearNormalForm.apply(&blocked, &cx), Applied::No));
    }
}
