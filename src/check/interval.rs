//! The checker's own interval arithmetic over ℚ: proves that a polynomial
//! has no zero on a box (local variables at 0) by enclosure and bisection.
//! Written independently of `crate::resolve::region` on purpose.

use crate::poly::{Poly, Rat};
use num_traits::{One, Zero};

/// A closed interval `[lo, hi]`.
#[derive(Clone, Debug)]
pub struct Iv {
    pub lo: Rat,
    pub hi: Rat,
}

impl Iv {
    fn point(c: Rat) -> Iv {
        Iv { lo: c.clone(), hi: c }
    }

    fn times(&self, o: &Iv) -> Iv {
        let p = [&self.lo * &o.lo, &self.lo * &o.hi, &self.hi * &o.lo, &self.hi * &o.hi];
        let mut lo = p[0].clone();
        let mut hi = p[0].clone();
        for x in &p[1..] {
            if *x < lo {
                lo = x.clone();
            }
            if *x > hi {
                hi = x.clone();
            }
        }
        Iv { lo, hi }
    }

    fn power(&self, e: u32) -> Iv {
        let mut acc = Iv::point(Rat::one());
        for _ in 0..e {
            acc = acc.times(self);
        }
        // An even power is non-negative: tighten.
        if e % 2 == 0 && acc.lo < Rat::zero() {
            acc.lo = Rat::zero();
        }
        acc
    }
}

/// The terms of `p` free of local variables (`None` in `bx`): the values
/// of `p` where every local variable is 0.
pub fn at_centre(p: &Poly, bx: &[Option<(Rat, Rat)>]) -> Poly {
    Poly::from_terms(
        p.nvars(),
        p.terms()
            .iter()
            .filter(|t| t.exp.iter().zip(bx).all(|(&e, b)| e == 0 || b.is_some()))
            .map(|t| (t.exp.clone(), t.coef.clone())),
    )
}

/// An enclosure of `p` on the box (local variables at 0).
pub fn enclosure(p: &Poly, bx: &[Option<(Rat, Rat)>]) -> Iv {
    let ivs: Vec<Iv> = bx
        .iter()
        .map(|b| match b {
            None => Iv::point(Rat::zero()),
            Some((lo, hi)) => Iv { lo: lo.clone(), hi: hi.clone() },
        })
        .collect();
    enclose(p, &ivs)
}

fn enclose(p: &Poly, ivs: &[Iv]) -> Iv {
    let mut lo = Rat::zero();
    let mut hi = Rat::zero();
    for t in p.terms() {
        let mut v = Iv::point(t.coef.clone());
        for (i, &e) in t.exp.iter().enumerate() {
            if e > 0 {
                v = v.times(&ivs[i].power(e));
            }
        }
        lo += v.lo;
        hi += v.hi;
    }
    Iv { lo, hi }
}

/// True when `p` is proven to have no zero on a neighbourhood of the
/// region's centre set (local variables 0, bounded ones on their box):
/// continuity extends a zero-free compact set to a neighbourhood.
pub fn proven_unit(p: &Poly, bx: &[Option<(Rat, Rat)>], budget: usize) -> bool {
    let q = at_centre(p, bx);
    if q.is_zero() {
        return false;
    }
    let start: Vec<Iv> = bx
        .iter()
        .map(|b| match b {
            None => Iv::point(Rat::zero()),
            Some((lo, hi)) => Iv { lo: lo.clone(), hi: hi.clone() },
        })
        .collect();
    let mut stack = vec![start];
    let mut used = 0;
    while let Some(b) = stack.pop() {
        used += 1;
        if used > budget {
            return false;
        }
        let e = enclose(&q, &b);
        if e.lo > Rat::zero() || e.hi < Rat::zero() {
            continue;
        }
        let Some(k) = (0..b.len())
            .filter(|&i| b[i].hi > b[i].lo)
            .max_by(|&i, &j| (&b[i].hi - &b[i].lo).cmp(&(&b[j].hi - &b[j].lo)).then(j.cmp(&i)))
        else {
            return false; // a point box where the value is 0
        };
        let mid = (&b[k].lo + &b[k].hi) / Rat::from_integer(2.into());
        let mut left = b.clone();
        left[k].hi = mid.clone();
        let mut right = b;
        right[k].lo = mid;
        stack.push(left);
        stack.push(right);
    }
    true
}
