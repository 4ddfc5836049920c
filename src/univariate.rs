//! Dense univariate polynomials over ℚ: Euclidean division, gcd,
//! square-free parts, Sturm sequences, exact real-root counting and
//! isolation, rational roots. No floating point anywhere: every answer is
//! exact (docs/theory.md §3, "Only an *exact* zero proves degeneracy").
//!
//! ```
//! use rlct::univariate::{UPoly, count_real_roots, rational_roots};
//! use rlct::poly::rat;
//! // (s - 1)(s^2 - 2) = s^3 - s^2 - 2s + 2
//! let p = UPoly::new(vec![rat(2), rat(-2), rat(-1), rat(1)]);
//! assert_eq!(count_real_roots(&p), 3);
//! assert_eq!(rational_roots(&p), vec![rat(1)]);
//! ```

use crate::poly::{Poly, Rat};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, Zero};
use std::cmp::Ordering;

/// A polynomial in one variable with rational coefficients, stored low to
/// high degree with no trailing zero (the zero polynomial has no
/// coefficient at all).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UPoly {
    coeffs: Vec<Rat>,
}

impl UPoly {
    /// From coefficients, low to high degree (trailing zeros are dropped).
    pub fn new(mut coeffs: Vec<Rat>) -> Self {
        while coeffs.last().is_some_and(|c| c.is_zero()) {
            coeffs.pop();
        }
        UPoly { coeffs }
    }

    /// The zero polynomial.
    pub fn zero() -> Self {
        UPoly { coeffs: Vec::new() }
    }

    /// The coefficients, low to high degree.
    pub fn coeffs(&self) -> &[Rat] {
        &self.coeffs
    }

    /// Degree, `None` for the zero polynomial.
    pub fn degree(&self) -> Option<usize> {
        self.coeffs.len().checked_sub(1)
    }

    /// True for the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.coeffs.is_empty()
    }

    /// Leading coefficient (zero for the zero polynomial).
    pub fn leading(&self) -> Rat {
        self.coeffs.last().cloned().unwrap_or_else(Rat::zero)
    }

    /// Exact value at `x` (Horner).
    pub fn eval(&self, x: &Rat) -> Rat {
        let mut acc = Rat::zero();
        for c in self.coeffs.iter().rev() {
            acc = acc * x + c;
        }
        acc
    }

    /// The derivative.
    pub fn derivative(&self) -> UPoly {
        UPoly::new(
            self.coeffs
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, c)| c * Rat::from_integer(BigInt::from(i)))
                .collect(),
        )
    }

    /// Multiplies every coefficient by `c`.
    pub fn scale(&self, c: &Rat) -> UPoly {
        UPoly::new(self.coeffs.iter().map(|a| a * c).collect())
    }

    /// Divides by the leading coefficient (zero stays zero).
    pub fn monic(&self) -> UPoly {
        if self.is_zero() {
            return self.clone();
        }
        let inv = self.leading().recip();
        self.scale(&inv)
    }

    /// Euclidean division: `self = q·d + r` with `deg r < deg d`.
    /// Panics when `d` is zero.
    pub fn div_rem(&self, d: &UPoly) -> (UPoly, UPoly) {
        let dd = d.degree().expect("division by the zero polynomial");
        let mut r = self.coeffs.clone();
        if r.len() <= dd {
            return (UPoly::zero(), self.clone());
        }
        let lead_inv = d.leading().recip();
        let mut q = vec![Rat::zero(); r.len() - dd];
        for k in (0..q.len()).rev() {
            let f = &r[k + dd] * &lead_inv;
            if f.is_zero() {
                continue;
            }
            for (j, dc) in d.coeffs.iter().enumerate() {
                r[k + j] -= &f * dc;
            }
            q[k] = f;
        }
        r.truncate(dd);
        (UPoly::new(q), UPoly::new(r))
    }

    /// Monic greatest common divisor (zero only when both are zero).
    pub fn gcd(&self, o: &UPoly) -> UPoly {
        let (mut a, mut b) = (self.monic(), o.monic());
        while !b.is_zero() {
            let r = a.div_rem(&b).1.monic();
            a = b;
            b = r;
        }
        a
    }

    /// The square-free part `p / gcd(p, p')`, monic: same distinct roots,
    /// each simple.
    pub fn square_free_part(&self) -> UPoly {
        if self.degree().is_none_or(|d| d == 0) {
            return self.monic();
        }
        let g = self.gcd(&self.derivative());
        self.div_rem(&g).0.monic()
    }

    /// Reads a multivariate polynomial as univariate in `var`; `None` when
    /// another variable occurs (or `var` is out of range).
    pub fn from_poly(p: &Poly, var: usize) -> Option<UPoly> {
        if var >= p.nvars() {
            return None;
        }
        let mut coeffs: Vec<Rat> = Vec::new();
        for t in p.terms() {
            if t.exp.iter().enumerate().any(|(i, &e)| i != var && e != 0) {
                return None;
            }
            let e = t.exp[var] as usize;
            if coeffs.len() <= e {
                coeffs.resize(e + 1, Rat::zero());
            }
            coeffs[e] += &t.coef;
        }
        Some(UPoly::new(coeffs))
    }

    /// The same roots with integer coefficients: multiplies by the lcm of
    /// the denominators.
    fn integer_coeffs(&self) -> Vec<BigInt> {
        let l = self.coeffs.iter().fold(BigInt::one(), |l, c| l.lcm(c.denom()));
        self.coeffs.iter().map(|c| (c * Rat::from_integer(l.clone())).to_integer()).collect()
    }

    /// Formats with the variable name `s` (`s^2 + s + 1`).
    pub fn display(&self, var: &str) -> String {
        if self.is_zero() {
            return "0".into();
        }
        let names = vec![var.to_string()];
        let p = Poly::from_terms(1, self.coeffs.iter().enumerate().map(|(i, c)| (vec![i as u32], c.clone())));
        p.display(&names).to_string()
    }
}

/// The Sturm sequence of the square-free part of `p`:
/// p₀ = sqf(p), p₁ = p₀', p_{i+1} = −rem(p_{i−1}, p_i).
fn sturm_sequence(p: &UPoly) -> Vec<UPoly> {
    let p0 = p.square_free_part();
    let mut seq = vec![p0.clone(), p0.derivative()];
    while !seq[seq.len() - 1].is_zero() {
        let n = seq.len();
        let r = seq[n - 2].div_rem(&seq[n - 1]).1;
        // Positive rescaling keeps signs and curbs coefficient growth.
        let r = if r.is_zero() { r } else { r.scale(&(-r.leading().abs().recip())) };
        seq.push(r);
    }
    seq.pop();
    seq
}

fn sign_changes(signs: impl Iterator<Item = Ordering>) -> usize {
    let mut last = Ordering::Equal;
    let mut n = 0;
    for s in signs.filter(|s| *s != Ordering::Equal) {
        if last != Ordering::Equal && s != last {
            n += 1;
        }
        last = s;
    }
    n
}

fn sign(x: &Rat) -> Ordering {
    x.cmp(&Rat::zero())
}

/// A point of the extended real line for Sturm counts.
enum Point<'a> {
    NegInf,
    At(&'a Rat),
    PosInf,
}

fn variations(seq: &[UPoly], x: Point<'_>) -> usize {
    sign_changes(seq.iter().map(|q| match x {
        Point::At(a) => sign(&q.eval(a)),
        Point::PosInf => sign(&q.leading()),
        Point::NegInf => {
            let s = sign(&q.leading());
            if q.degree().unwrap_or(0) % 2 == 1 { s.reverse() } else { s }
        }
    }))
}

/// Number of distinct real roots (Sturm's theorem). Zero polynomial: 0
/// (callers should not ask).
pub fn count_real_roots(p: &UPoly) -> usize {
    if p.degree().is_none_or(|d| d == 0) {
        return 0;
    }
    let seq = sturm_sequence(p);
    variations(&seq, Point::NegInf) - variations(&seq, Point::PosInf)
}

/// Number of distinct real roots in the half-open interval `(a, b]`
/// (Sturm: V(a) − V(b), valid even when `a` or `b` is a root). Empty when
/// `b <= a`.
pub fn count_roots_in(p: &UPoly, a: &Rat, b: &Rat) -> usize {
    if b <= a || p.degree().is_none_or(|d| d == 0) {
        return 0;
    }
    let seq = sturm_sequence(p);
    variations(&seq, Point::At(a)) - variations(&seq, Point::At(b))
}

/// Number of distinct non-zero real roots.
pub fn count_nonzero_real_roots(p: &UPoly) -> usize {
    let n = count_real_roots(p);
    if n > 0 && p.eval(&Rat::zero()).is_zero() { n - 1 } else { n }
}

/// Cauchy's bound: every root lies in `(-B, B)`.
fn root_bound(p: &UPoly) -> Rat {
    let lead = p.leading().abs();
    let m = p.coeffs[..p.coeffs.len() - 1].iter().map(|c| c.abs() / &lead).max().unwrap_or_else(Rat::zero);
    m + Rat::one()
}

/// An interval holding exactly one distinct real root of a polynomial:
/// `lo == hi` is that root (rational); otherwise `lo < root < hi` and
/// neither end is a root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootInterval {
    /// Lower end.
    pub lo: Rat,
    /// Upper end.
    pub hi: Rat,
}

impl RootInterval {
    /// True when the root is known exactly (`lo == hi`).
    pub fn is_exact(&self) -> bool {
        self.lo == self.hi
    }

    /// Bisects until `hi − lo <= width` or the root is found exactly.
    /// `p` must be the polynomial the interval was isolated for.
    pub fn refine(&mut self, p: &UPoly, width: &Rat) {
        let q = p.square_free_part();
        let two = Rat::from_integer(BigInt::from(2));
        while !self.is_exact() && &(&self.hi - &self.lo) > width {
            let mid = (&self.lo + &self.hi) / &two;
            let vm = q.eval(&mid);
            if vm.is_zero() {
                self.lo = mid.clone();
                self.hi = mid;
                return;
            }
            // One simple root in (lo, hi) and q(hi) != 0: q changes sign
            // exactly once on (lo, hi), so comparing with q(hi) suffices.
            if sign(&vm) != sign(&q.eval(&self.hi)) {
                self.lo = mid;
            } else {
                self.hi = mid;
            }
        }
    }

    /// Formats as `s = r` or `s ∈ (lo, hi)`.
    pub fn describe(&self) -> String {
        if self.is_exact() { format!("= {}", self.lo) } else { format!("∈ ({}, {})", self.lo, self.hi) }
    }
}

/// Isolating intervals of all distinct real roots, sorted and disjoint, by
/// Sturm bisection of `(−B, B]` with Cauchy's bound `B`.
pub fn isolate_real_roots(p: &UPoly) -> Vec<RootInterval> {
    if p.degree().is_none_or(|d| d == 0) {
        return Vec::new();
    }
    let q = p.square_free_part();
    let seq = sturm_sequence(&q);
    let b = root_bound(&q);
    let two = Rat::from_integer(BigInt::from(2));
    let mut out = Vec::new();
    // Work stack of (lo, hi, V(lo), V(hi)); a root is in (lo, hi].
    let lo = -b.clone();
    let (vlo, vhi) = (variations(&seq, Point::At(&lo)), variations(&seq, Point::At(&b)));
    let mut stack = vec![(lo, b, vlo, vhi)];
    while let Some((lo, hi, vlo, vhi)) = stack.pop() {
        let n = vlo - vhi;
        if n == 0 {
            continue;
        }
        if n == 1 {
            if q.eval(&hi).is_zero() {
                out.push(RootInterval { lo: hi.clone(), hi });
            } else if q.eval(&lo).is_zero() {
                // lo is another interval's root: bisect until the left end
                // is not a root either.
                let mut hi2 = hi.clone();
                loop {
                    let mid = (&lo + &hi2) / &two;
                    if q.eval(&mid).is_zero() {
                        out.push(RootInterval { lo: mid.clone(), hi: mid });
                        break;
                    }
                    if variations(&seq, Point::At(&mid)) == vhi {
                        hi2 = mid; // the root is in (lo, mid]
                    } else {
                        out.push(RootInterval { lo: mid, hi: hi2 });
                        break;
                    }
                }
            } else {
                out.push(RootInterval { lo, hi });
            }
            continue;
        }
        let mid = (&lo + &hi) / &two;
        let vm = variations(&seq, Point::At(&mid));
        stack.push((mid.clone(), hi, vm, vhi));
        stack.push((lo, mid, vlo, vm));
    }
    out.sort_by(|a, b| a.lo.cmp(&b.lo));
    out
}

/// All rational roots, exact and sorted. A rational root `r = u/v` in
/// lowest terms of an integer polynomial has `v | a_n`, so `a_n·r` is an
/// integer: refine each isolating interval below width `1/|a_n|` and test
/// the (at most two) candidates `k/a_n` in it exactly. No factoring needed.
pub fn rational_roots(p: &UPoly) -> Vec<Rat> {
    if p.degree().is_none_or(|d| d == 0) {
        return Vec::new();
    }
    let q = p.square_free_part();
    let ints = q.integer_coeffs();
    let an = Rat::from_integer(ints.last().expect("non-zero").abs());
    let width = an.recip();
    let mut out = Vec::new();
    for mut iv in isolate_real_roots(&q) {
        iv.refine(&q, &width);
        if iv.is_exact() {
            out.push(iv.lo);
            continue;
        }
        let k0 = (&iv.lo * &an).floor().to_integer();
        for k in 0..3 {
            let cand = Rat::new(&k0 + BigInt::from(k), ints.last().expect("non-zero").abs());
            if cand > iv.lo && cand < iv.hi && q.eval(&cand).is_zero() {
                out.push(cand);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{rat, ratio};

    fn up(c: &[i64]) -> UPoly {
        UPoly::new(c.iter().map(|&x| rat(x)).collect())
    }

    /// Product of (s − r) over the given rationals.
    fn from_roots(roots: &[Rat]) -> UPoly {
        roots.iter().fold(up(&[1]), |acc, r| {
            let lin = UPoly::new(vec![-r.clone(), rat(1)]);
            mul(&acc, &lin)
        })
    }

    fn mul(a: &UPoly, b: &UPoly) -> UPoly {
        if a.is_zero() || b.is_zero() {
            return UPoly::zero();
        }
        let mut c = vec![Rat::zero(); a.coeffs().len() + b.coeffs().len() - 1];
        for (i, x) in a.coeffs().iter().enumerate() {
            for (j, y) in b.coeffs().iter().enumerate() {
                c[i + j] += x * y;
            }
        }
        UPoly::new(c)
    }

    #[test]
    fn division_and_gcd() {
        let a = from_roots(&[rat(1), rat(2), rat(3)]);
        let b = from_roots(&[rat(2), rat(5)]);
        let (q, r) = a.div_rem(&b);
        let qb = mul(&q, &b);
        let n = qb.coeffs().len().max(r.coeffs().len());
        let sum: Vec<Rat> = (0..n)
            .map(|i| {
                qb.coeffs().get(i).cloned().unwrap_or_else(Rat::zero)
                    + r.coeffs().get(i).cloned().unwrap_or_else(Rat::zero)
            })
            .collect();
        assert_eq!(UPoly::new(sum), a);
        assert!(r.degree().unwrap_or(0) < 2);
        assert_eq!(a.gcd(&b), from_roots(&[rat(2)]));
        assert_eq!(a.gcd(&UPoly::zero()), a.monic());
        assert_eq!(up(&[3]).gcd(&a), up(&[1]));
    }

    #[test]
    fn square_free_part_keeps_distinct_roots() {
        let p = from_roots(&[rat(1), rat(1), rat(1), ratio(-1, 2), ratio(-1, 2), rat(4)]);
        assert_eq!(p.square_free_part(), from_roots(&[rat(1), ratio(-1, 2), rat(4)]));
        assert_eq!(count_real_roots(&p), 3);
    }

    #[test]
    fn sturm_counts() {
        // s^2 + s + 1: no real root (x^2 + xy + y^2 edge).
        assert_eq!(count_real_roots(&up(&[1, 1, 1])), 0);
        // s^2 - 2: two irrational roots.
        let p = up(&[-2, 0, 1]);
        assert_eq!(count_real_roots(&p), 2);
        assert_eq!(count_roots_in(&p, &rat(0), &rat(2)), 1);
        assert_eq!(count_roots_in(&p, &rat(-2), &rat(0)), 1);
        assert_eq!(count_roots_in(&p, &ratio(3, 2), &rat(2)), 0);
        // Half-open (a, b]: a root at b counts, at a does not.
        let q = from_roots(&[rat(0), rat(1), rat(2)]);
        assert_eq!(count_roots_in(&q, &rat(0), &rat(1)), 1);
        assert_eq!(count_roots_in(&q, &rat(0), &rat(2)), 2);
        assert_eq!(count_roots_in(&q, &rat(-1), &rat(0)), 1);
        assert_eq!(count_nonzero_real_roots(&q), 2);
        // s^2 (s+1)^2: nonzero root -1 only.
        assert_eq!(count_nonzero_real_roots(&from_roots(&[rat(0), rat(0), rat(-1), rat(-1)])), 1);
        // Wilkinson-like: 10 close rational roots.
        let roots: Vec<Rat> = (1..=10).map(|k| ratio(k, 1000)).collect();
        assert_eq!(count_real_roots(&from_roots(&roots)), 10);
    }

    #[test]
    fn isolation_is_sorted_disjoint_and_exact() {
        // (s^2 - 2)(s - 1)(s + 3)^2 (s^2 + 1)
        let p = mul(&mul(&up(&[-2, 0, 1]), &from_roots(&[rat(1), rat(-3), rat(-3)])), &up(&[1, 0, 1]));
        let ivs = isolate_real_roots(&p);
        assert_eq!(ivs.len(), 4);
        for w in ivs.windows(2) {
            assert!(w[0].hi <= w[1].lo && !(w[0].hi == w[1].lo && w[0].is_exact() && w[1].is_exact()));
        }
        let q = p.square_free_part();
        for iv in &ivs {
            if iv.is_exact() {
                assert!(q.eval(&iv.lo).is_zero());
            } else {
                assert_eq!(count_roots_in(&q, &iv.lo, &iv.hi), 1);
                assert!(!q.eval(&iv.hi).is_zero() && !q.eval(&iv.lo).is_zero());
            }
        }
        // Refine √2 to width 1e-6 and check it brackets.
        let mut r = ivs.iter().find(|iv| iv.lo > rat(1)).unwrap().clone();
        r.refine(&p, &ratio(1, 1_000_000));
        assert!(&r.hi - &r.lo <= ratio(1, 1_000_000));
        assert!(&r.lo * &r.lo < rat(2) && &r.hi * &r.hi > rat(2));
    }

    #[test]
    fn rational_roots_exact() {
        let p = mul(&from_roots(&[ratio(2, 3), ratio(-5, 7), ratio(-5, 7), rat(9)]), &up(&[-3, 0, 1]));
        assert_eq!(rational_roots(&p), vec![ratio(-5, 7), ratio(2, 3), rat(9)]);
        assert_eq!(rational_roots(&up(&[1, 1, 1])), Vec::<Rat>::new());
        // Rational coefficients: s/3 - 1/4 has the root 3/4.
        assert_eq!(rational_roots(&UPoly::new(vec![ratio(-1, 4), ratio(1, 3)])), vec![ratio(3, 4)]);
    }

    #[test]
    fn from_poly_reads_one_variable() {
        let p = Poly::from_terms(2, [(vec![0, 2], rat(1)), (vec![0, 0], rat(-1))]);
        assert_eq!(UPoly::from_poly(&p, 1), Some(up(&[-1, 0, 1])));
        assert_eq!(UPoly::from_poly(&p, 0), None);
        assert_eq!(UPoly::new(vec![rat(1), rat(0), rat(0)]).degree(), Some(0));
        assert_eq!(up(&[2, 0, 3]).derivative(), up(&[0, 6]));
        assert_eq!(up(&[2, 0, 3]).eval(&rat(2)), rat(14));
    }
}
