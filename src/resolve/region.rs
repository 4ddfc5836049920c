//! Regions of charts and exact facts about polynomials on them.
//!
//! A chart variable is either *local* (only a small neighbourhood of 0
//! matters) or *bounded* (a whole box `[lo, hi]` containing 0 matters: the
//! `u_i` with `|u_i| ≤ 1` of a blow-up chart, docs/theory.md §4). Taking a box
//! larger than needed is always sound: every point of a chart whose local
//! coordinates vanish lies over the centre, so a larger box only adds points
//! of the exceptional fibre, whose pairs the true answer already includes.
//!
//! Everything here is exact (ℚ interval arithmetic, the crate's Sturm
//! sequences and exact simplex): no `f64`.

use crate::poly::{Poly, Rat};
use num_bigint::BigInt;
use num_traits::{One, Zero};

/// Where a chart variable ranges.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Range {
    /// A small neighbourhood of 0.
    Local,
    /// The whole box `[lo, hi]` (with `lo ≤ 0 ≤ hi`).
    Bounded(Rat, Rat),
}

impl Range {
    /// True for [`Range::Local`].
    pub fn is_local(&self) -> bool {
        matches!(self, Range::Local)
    }
}

/// A closed rational interval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interval {
    /// Lower end.
    pub lo: Rat,
    /// Upper end.
    pub hi: Rat,
}

impl Interval {
    fn point(c: Rat) -> Self {
        Interval { lo: c.clone(), hi: c }
    }
    fn add(&self, o: &Interval) -> Interval {
        Interval { lo: &self.lo + &o.lo, hi: &self.hi + &o.hi }
    }
    fn mul(&self, o: &Interval) -> Interval {
        let c = [&self.lo * &o.lo, &self.lo * &o.hi, &self.hi * &o.lo, &self.hi * &o.hi];
        let lo = c.iter().min().unwrap().clone();
        let hi = c.iter().max().unwrap().clone();
        Interval { lo, hi }
    }
    /// `x^e`, tight for even powers (which are non-negative).
    fn pow(&self, e: u32) -> Interval {
        if e == 0 {
            return Interval::point(Rat::one());
        }
        let a = num_traits::pow(self.lo.clone(), e as usize);
        let b = num_traits::pow(self.hi.clone(), e as usize);
        if e % 2 == 1 {
            return Interval { lo: a, hi: b };
        }
        let hi = a.clone().max(b.clone());
        let lo = if self.lo <= Rat::zero() && self.hi >= Rat::zero() { Rat::zero() } else { a.min(b) };
        Interval { lo, hi }
    }
    fn contains_zero(&self) -> bool {
        self.lo <= Rat::zero() && self.hi >= Rat::zero()
    }
}

/// The restriction of `p` to the set where every local variable is 0:
/// the terms free of local variables.
pub fn restrict_to_centre(p: &Poly, region: &[Range]) -> Poly {
    let terms = p.terms().iter().filter(|t| t.exp.iter().zip(region).all(|(&e, r)| e == 0 || !r.is_local()));
    Poly::from_terms(p.nvars(), terms.map(|t| (t.exp.clone(), t.coef.clone())))
}

/// Interval enclosure of `p` over the box (local variables count as 0).
pub fn enclose(p: &Poly, boxes: &[Interval]) -> Interval {
    let mut acc = Interval::point(Rat::zero());
    for t in p.terms() {
        let mut v = Interval::point(t.coef.clone());
        for (i, &e) in t.exp.iter().enumerate() {
            if e > 0 {
                v = v.mul(&boxes[i].pow(e));
            }
        }
        acc = acc.add(&v);
    }
    acc
}

/// The box of a region, local variables collapsed to `[0, 0]`.
pub fn region_box(region: &[Range]) -> Vec<Interval> {
    region
        .iter()
        .map(|r| match r {
            Range::Local => Interval::point(Rat::zero()),
            Range::Bounded(lo, hi) => Interval { lo: lo.clone(), hi: hi.clone() },
        })
        .collect()
}

/// Proves that `p` has no zero on the region (local variables at 0): by
/// interval arithmetic with bisection, at most `budget` boxes. `false`
/// means "not proven", not "has a zero".
pub fn nonvanishing_on(p: &Poly, region: &[Range], budget: usize) -> bool {
    let q = restrict_to_centre(p, region);
    if q.is_zero() {
        return false;
    }
    if q.is_constant() {
        return true;
    }
    // Every box contains 0, so a zero constant term is a zero on the box.
    if q.constant_term().is_zero() {
        return false;
    }
    let mut stack = vec![region_box(region)];
    let mut used = 0;
    while let Some(b) = stack.pop() {
        used += 1;
        if used > budget {
            return false;
        }
        if !enclose(&q, &b).contains_zero() {
            continue;
        }
        // A zero at a rational corner-free midpoint would be found only by
        // luck; bisection simply fails to prove, which is the honest answer.
        let widest = (0..b.len()).max_by_key(|&i| (&b[i].hi - &b[i].lo, std::cmp::Reverse(i))).unwrap();
        let w = &b[widest].hi - &b[widest].lo;
        if w.is_zero() {
            return false;
        }
        let mid = (&b[widest].lo + &b[widest].hi) / Rat::from_integer(BigInt::from(2));
        let mut left = b.clone();
        left[widest].hi = mid.clone();
        let mut right = b;
        right[widest].lo = mid;
        stack.push(left);
        stack.push(right);
    }
    true
}

/// Interval hull of `p` over the region (local variables at 0), widened by
/// 1 on each side and made to contain 0: a box for a new coordinate.
pub fn widened_hull(p: &Poly, region: &[Range]) -> Range {
    let q = restrict_to_centre(p, region);
    if q.is_zero() {
        return Range::Local;
    }
    let iv = enclose(&q, &region_box(region));
    let lo = iv.lo.min(Rat::zero()) - Rat::one();
    let hi = iv.hi.max(Rat::zero()) + Rat::one();
    Range::Bounded(lo, hi)
}

/// Dense univariate coefficients (constant first) of a polynomial that
/// depends on variable `v` only.
pub fn univariate_coeffs(p: &Poly, v: usize) -> Vec<Rat> {
    let mut c = vec![Rat::zero(); p.degree_in(v) as usize + 1];
    for t in p.terms() {
        c[t.exp[v] as usize] += &t.coef;
    }
    c
}

/// The real zeros of a univariate polynomial (dense coefficients, constant
/// first, not identically zero) on `[lo, hi]`, when all of them are
/// rational: Sturm counting (`crate::univariate`) proves that the rational
/// roots found there are all the roots there. `None` when some root there
/// is irrational.
pub fn rational_zeros_on(coeffs: &[Rat], lo: &Rat, hi: &Rat) -> Option<Vec<Rat>> {
    use crate::univariate::{UPoly, count_roots_in, rational_roots};
    let p = UPoly::new(coeffs.to_vec());
    let inside: Vec<Rat> = rational_roots(&p).into_iter().filter(|r| r >= lo && r <= hi).collect();
    let at_lo = usize::from(p.eval(lo).is_zero());
    (count_roots_in(&p, lo, hi) + at_lo == inside.len()).then_some(inside)
}

/// Looks for a grading `q` with `q_i ≥ 1` on every bounded variable that
/// occurs, under which every generator is quasi-homogeneous. Then the
/// scalings `w_i ↦ t^{q_i} w_i` map the ideal to itself (each generator to
/// a constant multiple of itself), the prior to a constant multiple and
/// the Jacobian to a constant, while carrying every point of the region's
/// centre set to the origin as `t → 0`: no point of the box is more
/// singular than the origin, so the box can be shrunk to a neighbourhood
/// of 0 (the equivalence rule, docs/theory.md §2).
pub fn positive_grading(gens: &[Poly], region: &[Range]) -> Option<Vec<Rat>> {
    let d = region.len();
    // Unknowns: local q_i = p_i − n_i, bounded q_i = 1 + s_i, all ≥ 0.
    // Column layout: for each variable i, local: two columns; bounded: one.
    let mut cols: Vec<(usize, i32)> = Vec::new();
    for (i, r) in region.iter().enumerate() {
        if r.is_local() {
            cols.push((i, 1));
            cols.push((i, -1));
        } else {
            cols.push((i, 1));
        }
    }
    // The equations Σ_i q_i (α_i − α'_i) = 0, one per pair of consecutive
    // terms, deduplicated and then reduced to an independent set (at most
    // one per column), so the simplex tableau stays `cols × cols` however
    // many terms the generators have.
    let mut seen: std::collections::HashSet<Vec<i64>> = std::collections::HashSet::new();
    let mut echelon = Echelon::new(cols.len());
    for g in gens {
        let ts = g.terms();
        for w in ts.windows(2) {
            let diff: Vec<i64> = (0..d).map(|i| w[0].exp[i] as i64 - w[1].exp[i] as i64).collect();
            if !seen.insert(diff.clone()) {
                continue;
            }
            if seen.len() > MAX_GRADING_EQUATIONS {
                return None;
            }
            let row: Vec<Rat> =
                cols.iter().map(|&(i, s)| Rat::from_integer(BigInt::from(diff[i] * s as i64))).collect();
            let constant: i64 = (0..d).filter(|&i| !region[i].is_local()).map(|i| diff[i]).sum();
            if !echelon.insert(row, Rat::from_integer(BigInt::from(-constant))) {
                return None; // inconsistent: no grading at all
            }
        }
    }
    let (rows, rhs) = echelon.into_rows();
    let x = feasible_point(&rows, &rhs, cols.len())?;
    let mut q = vec![Rat::zero(); d];
    for (k, &(i, s)) in cols.iter().enumerate() {
        if s > 0 {
            q[i] += &x[k];
        } else {
            q[i] -= &x[k];
        }
    }
    for (i, r) in region.iter().enumerate() {
        if !r.is_local() {
            q[i] += Rat::one();
        }
    }
    Some(q)
}

/// Most distinct equations [`positive_grading`] reduces before it gives up
/// (no grading claimed: the box is then not shrunk, which is always sound).
const MAX_GRADING_EQUATIONS: usize = 20_000;

/// An exact row-echelon basis of a linear system `A x = b`, built one
/// equation at a time: a dependent equation is dropped (or reported as
/// inconsistent), so the basis never has more rows than columns.
struct Echelon {
    /// `(pivot column, row, rhs)`, each row zero in the earlier pivots.
    rows: Vec<(usize, Vec<Rat>, Rat)>,
    width: usize,
}

impl Echelon {
    fn new(width: usize) -> Echelon {
        Echelon { rows: Vec::new(), width }
    }

    /// Adds `row · x = rhs`; false when it contradicts the earlier ones.
    fn insert(&mut self, mut row: Vec<Rat>, mut rhs: Rat) -> bool {
        debug_assert_eq!(row.len(), self.width);
        for (p, r, b) in &self.rows {
            if row[*p].is_zero() {
                continue;
            }
            let f = row[*p].clone() / &r[*p];
            for (x, y) in row.iter_mut().zip(r) {
                if !y.is_zero() {
                    *x -= &f * y;
                }
            }
            rhs -= &f * b;
        }
        match row.iter().position(|x| !x.is_zero()) {
            Some(p) => {
                self.rows.push((p, row, rhs));
                true
            }
            None => rhs.is_zero(),
        }
    }

    fn into_rows(self) -> (Vec<Vec<Rat>>, Vec<Rat>) {
        self.rows.into_iter().map(|(_, r, b)| (r, b)).unzip()
    }
}

/// A point of `{x ≥ 0 : A x = b}`, by the crate's exact simplex.
fn feasible_point(a: &[Vec<Rat>], b: &[Rat], n: usize) -> Option<Vec<Rat>> {
    if a.is_empty() {
        return Some(vec![Rat::zero(); n]);
    }
    match crate::lp::minimize(&vec![Rat::zero(); n], a, b) {
        crate::lp::LpOutcome::Optimal { x, .. } => Some(x),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{rat, ratio};

    fn v(n: usize, i: usize) -> Poly {
        Poly::var(n, i)
    }

    #[test]
    fn interval_proves_units_and_refuses_zeros() {
        let one = Poly::one(1);
        let r = vec![Range::Bounded(rat(-1), rat(1))];
        assert!(nonvanishing_on(&(&one + &(&v(1, 0) * &v(1, 0))), &r, 100));
        assert!(!nonvanishing_on(&(&one + &v(1, 0)), &r, 100));
        // 1 + v on [-1/2, 1/2] is a unit.
        let r2 = vec![Range::Bounded(ratio(-1, 2), ratio(1, 2))];
        assert!(nonvanishing_on(&(&one + &v(1, 0)), &r2, 100));
    }

    #[test]
    fn rational_zeros_located_or_refused() {
        // (x − 1)²(x + 1/2) x = x⁴ − 3/2 x³ + 1/2 x.
        let c = vec![rat(0), ratio(1, 2), rat(0), ratio(-3, 2), rat(1)];
        assert_eq!(rational_zeros_on(&c, &rat(-1), &rat(1)).unwrap(), vec![ratio(-1, 2), rat(0), rat(1)]);
        assert_eq!(rational_zeros_on(&c, &rat(0), &ratio(1, 2)).unwrap(), vec![rat(0)]);
        // x² − 2: irrational roots in [-2, 2] are refused, none in [-1, 1].
        let q = vec![rat(-2), rat(0), rat(1)];
        assert!(rational_zeros_on(&q, &rat(-2), &rat(2)).is_none());
        assert_eq!(rational_zeros_on(&q, &rat(-1), &rat(1)).unwrap(), vec![]);
    }

    #[test]
    fn grading_found_and_refused() {
        // b (a2 − a1 a3) is graded with a1 = a3 = 1, a2 = 2 (b local).
        let n = 4;
        let g = &v(n, 0) * &(&v(n, 2) - &(&v(n, 1) * &v(n, 3)));
        let mut region = vec![Range::Bounded(rat(-1), rat(1)); n];
        region[0] = Range::Local;
        let q = positive_grading(std::slice::from_ref(&g), &region).unwrap();
        assert_eq!(&q[2], &(&q[1] + &q[3]));
        assert!(q[1] >= rat(1) && q[3] >= rat(1));
        // 1 + v admits no grading with q_v ≥ 1.
        let h = &Poly::one(1) + &v(1, 0);
        assert!(positive_grading(&[h], &[Range::Bounded(rat(-1), rat(1))]).is_none());
    }

    #[test]
    fn grading_of_many_terms_is_reduced_to_independent_equations() {
        // (x + y + z)^12 has 91 terms and 90 difference equations, all in
        // the span of two: the grading is q_x = q_y = q_z.
        let n = 3;
        let s = &(&v(n, 0) + &v(n, 1)) + &v(n, 2);
        let mut g = Poly::one(n);
        for _ in 0..12 {
            g = &g * &s;
        }
        let region = vec![Range::Bounded(rat(-1), rat(1)); n];
        let q = positive_grading(std::slice::from_ref(&g), &region).unwrap();
        assert!(q[0] == q[1] && q[1] == q[2] && q[0] >= rat(1), "{q:?}");
        // The echelon basis drops dependent rows and detects contradictions.
        let mut e = Echelon::new(2);
        assert!(e.insert(vec![rat(1), rat(-1)], rat(0)));
        assert!(e.insert(vec![rat(2), rat(-2)], rat(0)));
        assert!(e.insert(vec![rat(0), rat(1)], rat(3)));
        assert!(e.insert(vec![rat(1), rat(1)], rat(6)));
        assert!(!e.insert(vec![rat(1), rat(0)], rat(4)));
        assert_eq!(e.into_rows().0.len(), 2);
        // x + 1 in a sum: no grading (constant against a positive weight).
        let h = &g + &Poly::one(n);
        assert!(positive_grading(&[h], &region).is_none());
    }
}
