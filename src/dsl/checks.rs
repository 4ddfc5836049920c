//! Semantic checks of a loss at its point: `K(w*) = 0` and `K ≥ 0` near
//! `w*`. Every negative verdict is an exact proof (rational arithmetic); a
//! pass is not a proof of non-negativity, only the absence of a witness
//! within a bounded, deterministic search.

use crate::poly::{Poly, Rat};
use crate::problem::Loss;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, Zero};

/// Why a loss was rejected (the caller attaches the span).
#[derive(Debug)]
pub(crate) struct CheckFailure {
    pub message: String,
    pub label: String,
    /// The offending generator of an ideal, if one is to blame.
    pub generator: Option<usize>,
}

/// Bound on `terms × points` evaluations in each search.
const EVAL_BUDGET: usize = 100_000;
/// Bound on the bits handled by the exact evaluations of each search (see
/// `IntegerPoly::work`): keeps the check of a high-degree loss with large
/// coefficients, `(x+y)^10000`, to about a second. A pass is not a proof
/// anyway; the search just ends sooner.
const SIGN_WORK_BUDGET: u64 = 400_000_000;
/// Bound on the work of translating `K` to the point for the lowest-form test.
const TRANSLATE_BUDGET: u64 = 200_000;

/// Checks that the loss vanishes at `point` and finds no negative value
/// near it. Ideals are sums of squares, so only vanishing is checked.
pub(crate) fn check_loss_at_point(
    loss: &Loss,
    names: &[String],
    point: &[Rat],
    domain: &[(Rat, Rat)],
) -> Result<(), CheckFailure> {
    match loss {
        Loss::Ideal(gens) => {
            for (i, g) in gens.iter().enumerate() {
                let v = g.eval(point);
                if !v.is_zero() {
                    let k: Rat = gens
                        .iter()
                        .map(|g| {
                            let x = g.eval(point);
                            &x * &x
                        })
                        .sum();
                    return Err(CheckFailure {
                        message: format!(
                            "the loss is not zero at the point: K = {k} there (generator {} of the ideal is {v})",
                            i + 1
                        ),
                        label: format!("generator {} = {v} at the point", i + 1),
                        generator: Some(i),
                    });
                }
            }
            Ok(())
        }
        Loss::Polynomial(k) => {
            let v = k.eval(point);
            if !v.is_zero() {
                return Err(CheckFailure {
                    message: format!("the loss is not zero at the point: K = {v} there"),
                    label: format!("K = {v} at the point"),
                    generator: None,
                });
            }
            // On a one-sided domain (docs/theory.md §2.6) K need only be
            // non-negative on the side the domain keeps: directions and
            // samples take that side only, and an odd lowest form is no
            // proof of a sign change (K = x on x ≥ 0).
            let sides: Vec<i8> = domain
                .iter()
                .zip(point)
                .map(|((lo, hi), w)| {
                    if lo == w {
                        1
                    } else if hi == w {
                        -1
                    } else {
                        0
                    }
                })
                .collect();
            if let Some(f) = lowest_form_negative(k, names, point, &sides) {
                return Err(f);
            }
            sampled_negative(k, names, point, domain, &sides).map_or(Ok(()), Err)
        }
    }
}

/// K(w* + t·v) = t^d · L(v) + O(t^{d+1}) with L the lowest-order form of
/// the translated loss: if d is odd (L(−v) = −L(v) ≠ 0 somewhere) or
/// L(v) < 0 for some rational v, K is negative arbitrarily close to w*.
/// With one-sided coordinates (`sides[i] = ±1`: `v_i` must have that sign
/// or be 0) only directions into the domain count, and odd d proves
/// nothing: w* + t·v stays in the domain for small t > 0 exactly when v
/// has those signs.
fn lowest_form_negative(k: &Poly, names: &[String], point: &[Rat], sides: &[i8]) -> Option<CheckFailure> {
    if translate_cost(k) > TRANSLATE_BUDGET && !point.iter().all(|a| a.is_zero()) {
        return None;
    }
    let kt = k.translate(point);
    let lowest = kt.lowest_form();
    let d = kt.order()?;
    let shown = || abbreviate(&lowest.display(names).to_string());
    let one_sided = sides.iter().any(|&s| s != 0);
    if d % 2 == 1 && !one_sided {
        return Some(CheckFailure {
            message: format!(
                "the loss is negative arbitrarily close to the point (proved exactly: its lowest-order part `{}` has odd degree {d}, so it changes sign)",
                shown()
            ),
            label: "negative near the point".into(),
            generator: None,
        });
    }
    let n = k.nvars();
    let mut rng = SplitMix(0x5eed_1a7e);
    let count = (EVAL_BUDGET / (lowest.len() * n.max(1) + 1)).clamp(8, 729);
    let lowest_int = IntegerPoly::new(&lowest);
    let one = BigInt::from(1);
    let directions: Vec<Vec<Rat>> = if 3usize.checked_pow(n as u32).is_some_and(|c| c <= count) {
        // Every sign pattern with zeros: catches x^2 - y^2, x^2*y^2 - z^4, ...
        (0..3usize.pow(n as u32))
            .map(|mut c| {
                (0..n)
                    .map(|_| {
                        let r = c % 3;
                        c /= 3;
                        Rat::from_integer(BigInt::from(r as i64 - 1))
                    })
                    .collect()
            })
            .collect()
    } else {
        // L is homogeneous: integer directions lose nothing over rational ones.
        (0..count)
            .map(|_| (0..n).map(|_| Rat::from_integer(BigInt::from((rng.next() % 9) as i64 - 4))).collect())
            .collect()
    };
    let mut work = 0u64;
    for mut v in directions {
        for (x, &s) in v.iter_mut().zip(sides) {
            if s != 0 {
                *x = x.abs() * Rat::from_integer(BigInt::from(s));
            }
        }
        let ints: Vec<BigInt> = v.iter().map(|r| r.to_integer()).collect();
        work = work.saturating_add(lowest_int.work(ints.iter().map(|x| x.bits()).max().unwrap_or(1)));
        if work > SIGN_WORK_BUDGET {
            break;
        }
        if lowest_int.scaled_value(&ints, &one).is_negative() {
            return Some(CheckFailure {
                message: format!(
                    "the loss is negative arbitrarily close to the point (proved exactly: its lowest-order part `{}` is negative in the direction {})",
                    shown(),
                    format_point(names, &v)
                ),
                label: "negative near the point".into(),
                generator: None,
            });
        }
    }
    None
}

/// Exact evaluation at deterministic pseudo-random rational points near
/// w* at several scales of the box, some coordinates pinned to w* (so that
/// `x^2 - y^3` is caught on `x = x*`). A negative value is an exact proof.
fn sampled_negative(
    k: &Poly,
    names: &[String],
    point: &[Rat],
    domain: &[(Rat, Rat)],
    sides: &[i8],
) -> Option<CheckFailure> {
    let n = k.nvars();
    if n == 0 {
        return None;
    }
    let per_point = k.len() * n + 1;
    let count = (EVAL_BUDGET / per_point).clamp(16, 400);
    let k_int = IntegerPoly::new(k);
    let mut rng = SplitMix(0xc0ffee);
    let mut work = 0u64;
    let scales: Vec<Rat> =
        (2..=5).map(|e| Rat::new(BigInt::from(1), num_traits::pow(BigInt::from(10), e))).collect();
    let halves: Vec<Rat> =
        domain.iter().map(|(lo, hi)| (hi - lo) / Rat::from_integer(BigInt::from(2))).collect();
    for s in 0..count {
        let scale = &scales[s % scales.len()];
        let pinned = rng.next().is_multiple_of(3);
        // One denominator per sample keeps the common denominator (and so
        // the integers in the sign test) small.
        let q = (rng.next() % 16 + 1) as i64;
        let w: Vec<Rat> = (0..n)
            .map(|i| {
                if pinned && rng.next().is_multiple_of(2) {
                    return point[i].clone();
                }
                let r = rng.rational_over(q);
                let r = if sides[i] == 0 { r } else { r.abs() * Rat::from_integer(BigInt::from(sides[i])) };
                &point[i] + r * scale * &halves[i]
            })
            .collect();
        // Common denominator: the sign of K(w) is that of an integer sum.
        let d = w.iter().fold(BigInt::from(1), |acc, x| acc.lcm(x.denom()));
        let ints: Vec<BigInt> = w.iter().map(|x| (x * Rat::from_integer(d.clone())).to_integer()).collect();
        let bits = ints.iter().map(|x| x.bits()).max().unwrap_or(1).max(d.bits());
        work = work.saturating_add(k_int.work(bits));
        if work > SIGN_WORK_BUDGET {
            break;
        }
        if k_int.scaled_value(&ints, &d).is_negative() {
            let v = k.eval(&w);
            return Some(CheckFailure {
                message: format!(
                    "the loss is negative near the point (proved by exact evaluation: K = {} at {})",
                    abbreviate(&v.to_string()),
                    format_point(names, &w)
                ),
                label: "negative near the point".into(),
                generator: None,
            });
        }
    }
    None
}

/// `K` with integer coefficients `L·K` (L the lcm of the denominators),
/// for fast exact sign tests: BigInt arithmetic, no gcd per operation.
struct IntegerPoly {
    terms: Vec<(BigInt, Vec<u32>, u32)>,
    degree: u32,
}

impl IntegerPoly {
    fn new(p: &Poly) -> Self {
        let l = p.terms().iter().fold(BigInt::from(1), |acc, t| acc.lcm(t.coef.denom()));
        let terms: Vec<(BigInt, Vec<u32>, u32)> = p
            .terms()
            .iter()
            .map(|t| (t.coef.numer() * (&l / t.coef.denom()), t.exp.clone(), t.exp.iter().sum()))
            .collect();
        IntegerPoly { terms, degree: p.degree() }
    }

    /// `L · d^deg · K(n / d)`, an integer with the sign of `K(n / d)` (d > 0).
    ///
    /// Each power is computed for the term that needs it (binary powering):
    /// memory is that of the largest term, not a table of every power up to
    /// the degree (which grows with the square of the degree).
    fn scaled_value(&self, n: &[BigInt], d: &BigInt) -> BigInt {
        let mut sum = BigInt::zero();
        for (c, exp, deg) in &self.terms {
            let mut term = c * num_traits::pow(d.clone(), (self.degree - deg) as usize);
            for (i, &e) in exp.iter().enumerate() {
                if e > 0 {
                    term *= num_traits::pow(n[i].clone(), e as usize);
                }
            }
            sum += term;
        }
        sum
    }

    /// A deterministic estimate of the work of one [`Self::scaled_value`]
    /// at integers of `bits` bits: the bits of every term's product.
    fn work(&self, bits: u64) -> u64 {
        self.terms.iter().fold(0u64, |acc, (c, _, _)| {
            acc.saturating_add(c.bits()).saturating_add((self.degree as u64).saturating_mul(bits.max(1)))
        })
    }
}

/// Rough cost of `Poly::translate`: the sizes of the expanded products.
fn translate_cost(k: &Poly) -> u64 {
    k.terms().iter().fold(0u64, |acc, t| {
        acc.saturating_add(t.exp.iter().fold(1u64, |p, &e| p.saturating_mul(e as u64 + 1)))
    })
}

fn format_point(names: &[String], v: &[Rat]) -> String {
    let parts: Vec<String> = names.iter().zip(v).take(8).map(|(n, x)| format!("{n} = {x}")).collect();
    let more = if v.len() > 8 { ", …" } else { "" };
    format!("{}{more}", parts.join(", "))
}

fn abbreviate(s: &str) -> String {
    if s.chars().count() <= 80 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(77).collect::<String>())
    }
}

/// A tiny deterministic generator (SplitMix64): the checks must give the
/// same verdict on every run and machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A rational `p/q` in [−1, 1].
    fn rational_over(&mut self, q: i64) -> Rat {
        let p = (self.next() % (2 * q as u64 + 1)) as i64 - q;
        Rat::new(BigInt::from(p), BigInt::from(q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::rat;

    fn names(n: usize) -> Vec<String> {
        ["x", "y", "z"].iter().take(n).map(|s| s.to_string()).collect()
    }

    fn check(k: Poly) -> Result<(), CheckFailure> {
        let n = k.nvars();
        check_loss_at_point(&Loss::Polynomial(k), &names(n), &vec![rat(0); n], &vec![(rat(-1), rat(1)); n])
    }

    #[test]
    fn odd_lowest_form_is_negative() {
        let x = Poly::var(2, 0);
        let f = check(&x.pow(3) + &Poly::var(2, 1).pow(4)).unwrap_err();
        assert!(f.message.contains("odd degree 3"), "{}", f.message);
    }

    #[test]
    fn indefinite_quadratic_is_negative() {
        let f = check(&Poly::var(2, 0).pow(2) - &Poly::var(2, 1).pow(2)).unwrap_err();
        assert!(f.message.contains("direction"), "{}", f.message);
    }

    #[test]
    fn higher_order_negativity_found_by_sampling() {
        // x^2 - y^3: lowest form x^2 >= 0, but K(0, y) = -y^3 < 0 for y > 0.
        let f = check(&Poly::var(2, 0).pow(2) - &Poly::var(2, 1).pow(3)).unwrap_err();
        assert!(f.message.contains("exact evaluation"), "{}", f.message);
    }

    #[test]
    fn non_negative_losses_pass() {
        let (x, y) = (Poly::var(2, 0), Poly::var(2, 1));
        assert!(check(&x.pow(2) + &y.pow(4)).is_ok());
        let cusp = (&y.pow(2) - &x.pow(3)).pow(2);
        assert!(check(cusp).is_ok());
        // x^2 + x^3 is negative only for x < -1, far from the point.
        assert!(check(&x.pow(2) + &x.pow(3)).is_ok());
    }

    #[test]
    fn integer_scaling_matches_exact_evaluation() {
        // K = x^2/3 - 5/7*x*y + y^3: L·d^3·K(n/d) = L·d^3·(exact value).
        let (x, y) = (Poly::var(2, 0), Poly::var(2, 1));
        let k = &(&x.pow(2).scale(&crate::poly::ratio(1, 3)) - &(&x * &y).scale(&crate::poly::ratio(5, 7)))
            + &y.pow(3);
        let ip = IntegerPoly::new(&k);
        for (a, b, d) in [(1i64, 2i64, 5i64), (-3, 1, 4), (2, -7, 9)] {
            let n = [BigInt::from(a), BigInt::from(b)];
            let dd = BigInt::from(d);
            let exact = k.eval(&[crate::poly::ratio(a, d), crate::poly::ratio(b, d)]);
            let scaled = Rat::from_integer(ip.scaled_value(&n, &dd));
            assert_eq!(scaled, exact * rat(21) * rat(d.pow(3)));
        }
    }

    #[test]
    fn nonzero_at_point_reports_value() {
        let k = &Poly::var(1, 0).pow(2) + &Poly::constant(1, rat(2));
        let f = check(k).unwrap_err();
        assert!(f.message.contains("K = 2"), "{}", f.message);
    }
}
