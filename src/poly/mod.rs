//! Exact sparse multivariate polynomials over ℚ.
//!
//! A [`Poly`] is a list of [`Term`]s sorted by exponent vector
//! (lexicographic order on `Vec<u32>`), with no zero coefficient and no
//! repeated exponent. Every operation keeps that invariant, so equality of
//! polynomials is structural equality. Coefficients are `BigRational`: this
//! module never touches `f64` (the fast f64 evaluator lives in
//! [`compiled`], and is built *from* a `Poly`).

pub mod compiled;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use std::collections::HashMap;
use std::fmt;

/// Exact rational numbers, the scalar type of the exact layer.
pub type Rat = BigRational;

/// Convenience constructor for an integer rational.
pub fn rat(n: i64) -> Rat {
    Rat::from_integer(BigInt::from(n))
}

/// Convenience constructor for the rational `n/d` (`d != 0`).
pub fn ratio(n: i64, d: i64) -> Rat {
    Rat::new(BigInt::from(n), BigInt::from(d))
}

/// One monomial `coef · w^exp`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Term {
    /// Exponent vector, one entry per variable.
    pub exp: Vec<u32>,
    /// Non-zero coefficient.
    pub coef: Rat,
}

/// A sparse polynomial in `nvars` variables with rational coefficients.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Poly {
    nvars: usize,
    terms: Vec<Term>,
}

impl Poly {
    /// The zero polynomial.
    pub fn zero(nvars: usize) -> Self {
        Poly { nvars, terms: Vec::new() }
    }

    /// The constant `c`.
    pub fn constant(nvars: usize, c: Rat) -> Self {
        Self::monomial(nvars, vec![0; nvars], c)
    }

    /// The constant 1.
    pub fn one(nvars: usize) -> Self {
        Self::constant(nvars, Rat::one())
    }

    /// The variable `w_i`.
    pub fn var(nvars: usize, i: usize) -> Self {
        assert!(i < nvars, "variable index out of range");
        let mut exp = vec![0; nvars];
        exp[i] = 1;
        Self::monomial(nvars, exp, Rat::one())
    }

    /// `c · w^exp`.
    pub fn monomial(nvars: usize, exp: Vec<u32>, c: Rat) -> Self {
        assert_eq!(exp.len(), nvars, "exponent length must equal nvars");
        if c.is_zero() {
            return Self::zero(nvars);
        }
        Poly { nvars, terms: vec![Term { exp, coef: c }] }
    }

    /// Builds a polynomial from arbitrary terms: sorts, merges equal
    /// exponents and drops zeros.
    pub fn from_terms(nvars: usize, terms: impl IntoIterator<Item = (Vec<u32>, Rat)>) -> Self {
        let mut map: HashMap<Vec<u32>, Rat> = HashMap::new();
        for (exp, c) in terms {
            assert_eq!(exp.len(), nvars, "exponent length must equal nvars");
            if c.is_zero() {
                continue;
            }
            *map.entry(exp).or_insert_with(Rat::zero) += c;
        }
        Self::from_map(nvars, map)
    }

    fn from_map(nvars: usize, map: HashMap<Vec<u32>, Rat>) -> Self {
        let mut terms: Vec<Term> =
            map.into_iter().filter(|(_, c)| !c.is_zero()).map(|(exp, coef)| Term { exp, coef }).collect();
        terms.sort_by(|a, b| a.exp.cmp(&b.exp));
        Poly { nvars, terms }
    }

    /// Number of variables.
    pub fn nvars(&self) -> usize {
        self.nvars
    }

    /// The terms, sorted by exponent.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// True for the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// True when the polynomial has no non-constant term (zero included).
    pub fn is_constant(&self) -> bool {
        self.terms.iter().all(|t| t.exp.iter().all(|&e| e == 0))
    }

    /// The constant term.
    pub fn constant_term(&self) -> Rat {
        self.coeff(&vec![0; self.nvars])
    }

    /// True when the polynomial is a single term.
    pub fn is_monomial(&self) -> bool {
        self.terms.len() == 1
    }

    /// The coefficient of `w^exp` (zero when absent).
    pub fn coeff(&self, exp: &[u32]) -> Rat {
        match self.terms.binary_search_by(|t| t.exp.as_slice().cmp(exp)) {
            Ok(i) => self.terms[i].coef.clone(),
            Err(_) => Rat::zero(),
        }
    }

    /// The support: exponent vectors with non-zero coefficient.
    pub fn support(&self) -> impl Iterator<Item = &[u32]> {
        self.terms.iter().map(|t| t.exp.as_slice())
    }

    /// Total degree (−1 is not representable: zero has degree 0 here).
    pub fn degree(&self) -> u32 {
        self.terms.iter().map(|t| t.exp.iter().sum::<u32>()).max().unwrap_or(0)
    }

    /// Degree in variable `i`.
    pub fn degree_in(&self, i: usize) -> u32 {
        self.terms.iter().map(|t| t.exp[i]).max().unwrap_or(0)
    }

    /// Order of vanishing at the origin: the least total degree of a term
    /// (`None` for the zero polynomial).
    pub fn order(&self) -> Option<u32> {
        self.terms.iter().map(|t| t.exp.iter().sum::<u32>()).min()
    }

    /// Homogeneous part of total degree `d`.
    pub fn homogeneous_part(&self, d: u32) -> Poly {
        Poly {
            nvars: self.nvars,
            terms: self.terms.iter().filter(|t| t.exp.iter().sum::<u32>() == d).cloned().collect(),
        }
    }

    /// The lowest-order form (homogeneous part of degree [`Poly::order`]).
    pub fn lowest_form(&self) -> Poly {
        match self.order() {
            Some(d) => self.homogeneous_part(d),
            None => self.clone(),
        }
    }

    /// Which variables occur.
    pub fn used_vars(&self) -> Vec<bool> {
        let mut used = vec![false; self.nvars];
        for t in &self.terms {
            for (u, &e) in used.iter_mut().zip(&t.exp) {
                *u |= e > 0;
            }
        }
        used
    }

    /// The largest monomial dividing every term (component-wise minimum of
    /// exponents); all zeros for the zero polynomial.
    pub fn monomial_content(&self) -> Vec<u32> {
        let mut it = self.terms.iter();
        let Some(first) = it.next() else {
            return vec![0; self.nvars];
        };
        let mut m = first.exp.clone();
        for t in it {
            for (a, &b) in m.iter_mut().zip(&t.exp) {
                *a = (*a).min(b);
            }
        }
        m
    }

    /// Divides by `w^m`. Panics if some term is not divisible (callers
    /// use [`Poly::monomial_content`] first).
    pub fn div_monomial(&self, m: &[u32]) -> Poly {
        let terms = self
            .terms
            .iter()
            .map(|t| Term {
                exp: t
                    .exp
                    .iter()
                    .zip(m)
                    .map(|(&a, &b)| a.checked_sub(b).expect("monomial does not divide"))
                    .collect(),
                coef: t.coef.clone(),
            })
            .collect();
        // Subtracting the same vector keeps lexicographic order.
        Poly { nvars: self.nvars, terms }
    }

    /// The exact quotient `self / d`, or `None` when `d` does not divide
    /// `self` (or the division takes more than `step_cap` steps, which only
    /// makes the answer a cautious `None`). Division by leading terms in the
    /// lexicographic order: if `d | p` then `lt(d) | lt(p)` and
    /// `p − (lt(p)/lt(d))·d` is again divisible by `d`.
    pub fn div_exact(&self, d: &Poly, step_cap: usize) -> Option<Poly> {
        let lead = |p: &Poly| p.terms.iter().max_by(|a, b| a.exp.cmp(&b.exp)).cloned();
        lead(d)?;
        if !self.may_be_divisible_by(d) {
            return None;
        }
        self.div_exact_unfiltered(d, step_cap)
    }

    /// [`Poly::div_exact`] without the cheap necessary test first (for
    /// callers that ran it on cached restrictions).
    pub fn div_exact_unfiltered(&self, d: &Poly, step_cap: usize) -> Option<Poly> {
        let lead = |p: &Poly| p.terms.iter().max_by(|a, b| a.exp.cmp(&b.exp)).cloned();
        let ld = lead(d)?;
        let mut rem = self.clone();
        let mut quot = Poly::zero(self.nvars);
        for _ in 0..step_cap {
            let Some(lr) = lead(&rem) else { return Some(quot) };
            if lr.exp.iter().zip(&ld.exp).any(|(a, b)| a < b) {
                return None;
            }
            let exp: Vec<u32> = lr.exp.iter().zip(&ld.exp).map(|(a, b)| a - b).collect();
            let q = Poly::monomial(self.nvars, exp, &lr.coef / &ld.coef);
            rem = &rem - &(&q * d);
            quot = &quot + &q;
        }
        None
    }

    /// A cheap necessary condition for `d | self`: every variable's degree
    /// is at most `self`'s, and on two lines parallel to the axis of `d`'s
    /// largest degree (the other variables at small integers) the
    /// restriction of `d` divides that of `self` (`self = q·d` restricts to
    /// `q|·d|`). Long exact divisions that fail are mostly ruled out here.
    pub fn may_be_divisible_by(&self, d: &Poly) -> bool {
        if self.is_zero() {
            return true;
        }
        let n = self.nvars;
        if (0..n).any(|v| d.degree_in(v) > self.degree_in(v)) {
            return false;
        }
        let Some(v) = (0..n).max_by_key(|&v| d.degree_in(v)) else { return true };
        if d.degree_in(v) == 0 {
            return true;
        }
        (0..2).all(|line| {
            let ds = d.restrict_to_test_line(v, line);
            ds.is_zero() || self.restrict_to_test_line(v, line).div_rem(&ds).1.is_zero()
        })
    }

    /// The restriction to test line `line` (0 or 1) along variable `v`:
    /// the other variables at fixed small integers. Accumulated over a
    /// common denominator, so it costs one reduction per coefficient.
    pub fn restrict_to_test_line(&self, v: usize, line: usize) -> crate::univariate::UPoly {
        const SEQ: [[i64; 8]; 2] = [[2, 3, 5, 7, -2, 11, -3, 13], [-3, 4, -1, 6, 5, -7, 2, 9]];
        let n = self.nvars;
        let at: Vec<BigInt> = (0..n).map(|i| BigInt::from(SEQ[line][i % 8] + (i / 8) as i64)).collect();
        let mut den = BigInt::one();
        for t in &self.terms {
            den = num_integer::Integer::lcm(&den, t.coef.denom());
        }
        let mut c = vec![BigInt::zero(); self.degree_in(v) as usize + 1];
        for t in &self.terms {
            let mut m = t.coef.numer() * (&den / t.coef.denom());
            for (i, &e) in t.exp.iter().enumerate() {
                if i != v && e > 0 {
                    m *= at[i].pow(e);
                }
            }
            c[t.exp[v] as usize] += m;
        }
        crate::univariate::UPoly::new(c.into_iter().map(|x| Rat::new(x, den.clone())).collect())
    }

    /// Multiplies by `w^m`.
    pub fn mul_monomial(&self, m: &[u32]) -> Poly {
        let terms = self
            .terms
            .iter()
            .map(|t| Term { exp: t.exp.iter().zip(m).map(|(&a, &b)| a + b).collect(), coef: t.coef.clone() })
            .collect();
        Poly { nvars: self.nvars, terms }
    }

    /// Multiplies every coefficient by `c`.
    pub fn scale(&self, c: &Rat) -> Poly {
        if c.is_zero() {
            return Poly::zero(self.nvars);
        }
        Poly {
            nvars: self.nvars,
            terms: self.terms.iter().map(|t| Term { exp: t.exp.clone(), coef: &t.coef * c }).collect(),
        }
    }

    /// `self^k` by repeated squaring.
    pub fn pow(&self, mut k: u32) -> Poly {
        let mut base = self.clone();
        let mut acc = Poly::one(self.nvars);
        while k > 0 {
            if k & 1 == 1 {
                acc = &acc * &base;
            }
            k >>= 1;
            if k > 0 {
                base = &base * &base;
            }
        }
        acc
    }

    /// Substitutes `w_i := subs[i]` for every variable at once. All `subs`
    /// must share one number of variables, which becomes the result's.
    pub fn compose(&self, subs: &[Poly]) -> Poly {
        assert_eq!(subs.len(), self.nvars, "one substitute per variable");
        let n = subs.first().map(|p| p.nvars).unwrap_or(0);
        // Cache of powers per variable, grown on demand.
        let mut powers: Vec<Vec<Poly>> = subs.iter().map(|s| vec![Poly::one(n), s.clone()]).collect();
        let mut acc: HashMap<Vec<u32>, Rat> = HashMap::new();
        for t in &self.terms {
            let mut prod = Poly::constant(n, t.coef.clone());
            for (i, &e) in t.exp.iter().enumerate() {
                if e == 0 {
                    continue;
                }
                let e = e as usize;
                while powers[i].len() <= e {
                    let next = &powers[i][powers[i].len() - 1] * &subs[i];
                    powers[i].push(next);
                }
                prod = &prod * &powers[i][e];
            }
            for term in prod.terms {
                *acc.entry(term.exp).or_insert_with(Rat::zero) += term.coef;
            }
        }
        Poly::from_map(n, acc)
    }

    /// Substitutes `w_i := p` for one variable (same number of variables).
    pub fn substitute(&self, i: usize, p: &Poly) -> Poly {
        let subs: Vec<Poly> =
            (0..self.nvars).map(|j| if j == i { p.clone() } else { Poly::var(self.nvars, j) }).collect();
        self.compose(&subs)
    }

    /// `p(w + a)`: moves the point `a` to the origin.
    pub fn translate(&self, a: &[Rat]) -> Poly {
        assert_eq!(a.len(), self.nvars);
        if a.iter().all(|x| x.is_zero()) {
            return self.clone();
        }
        let subs: Vec<Poly> = (0..self.nvars)
            .map(|j| &Poly::var(self.nvars, j) + &Poly::constant(self.nvars, a[j].clone()))
            .collect();
        self.compose(&subs)
    }

    /// Partial derivative in `w_i`.
    pub fn derivative(&self, i: usize) -> Poly {
        let terms = self.terms.iter().filter(|t| t.exp[i] > 0).map(|t| {
            let mut exp = t.exp.clone();
            let e = exp[i];
            exp[i] -= 1;
            (exp, &t.coef * Rat::from_integer(BigInt::from(e)))
        });
        Poly::from_terms(self.nvars, terms)
    }

    /// Exact evaluation at a rational point.
    pub fn eval(&self, a: &[Rat]) -> Rat {
        assert_eq!(a.len(), self.nvars);
        let mut sum = Rat::zero();
        for t in &self.terms {
            let mut v = t.coef.clone();
            for (x, &e) in a.iter().zip(&t.exp) {
                if e > 0 {
                    v *= num_traits::pow(x.clone(), e as usize);
                }
            }
            sum += v;
        }
        sum
    }

    /// Re-embeds into `n >= nvars` variables; variable `i` goes to `map[i]`.
    pub fn embed(&self, n: usize, map: &[usize]) -> Poly {
        assert_eq!(map.len(), self.nvars);
        let terms = self.terms.iter().map(|t| {
            let mut exp = vec![0; n];
            for (i, &e) in t.exp.iter().enumerate() {
                exp[map[i]] += e;
            }
            (exp, t.coef.clone())
        });
        Poly::from_terms(n, terms)
    }

    /// Drops variables that do not occur; returns the smaller polynomial
    /// and, for each of its variables, the index it had.
    pub fn compress(&self) -> (Poly, Vec<usize>) {
        let kept: Vec<usize> =
            self.used_vars().iter().enumerate().filter(|(_, u)| **u).map(|(i, _)| i).collect();
        let terms = self.terms.iter().map(|t| (kept.iter().map(|&i| t.exp[i]).collect(), t.coef.clone()));
        (Poly::from_terms(kept.len(), terms), kept)
    }

    /// True when every coefficient is positive.
    pub fn all_coefficients_positive(&self) -> bool {
        self.terms.iter().all(|t| t.coef.is_positive())
    }

    /// Formats with the given variable names (`x^2*y - 1/2*z`).
    pub fn display<'a>(&'a self, names: &'a [String]) -> PolyDisplay<'a> {
        PolyDisplay { poly: self, names }
    }
}

/// Helper returned by [`Poly::display`].
pub struct PolyDisplay<'a> {
    poly: &'a Poly,
    names: &'a [String],
}

impl fmt::Display for PolyDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.poly.terms.is_empty() {
            return write!(f, "0");
        }
        // Highest total degree first reads more naturally.
        let mut terms: Vec<&Term> = self.poly.terms.iter().collect();
        terms.sort_by(|a, b| {
            let da: u32 = a.exp.iter().sum();
            let db: u32 = b.exp.iter().sum();
            db.cmp(&da).then(b.exp.cmp(&a.exp))
        });
        for (k, t) in terms.iter().enumerate() {
            let neg = t.coef.is_negative();
            let c = t.coef.abs();
            if k == 0 {
                if neg {
                    write!(f, "-")?;
                }
            } else {
                write!(f, " {} ", if neg { "-" } else { "+" })?;
            }
            let mono: Vec<String> = t
                .exp
                .iter()
                .enumerate()
                .filter(|(_, e)| **e > 0)
                .map(|(i, &e)| {
                    let name = self.names.get(i).cloned().unwrap_or_else(|| format!("w{}", i + 1));
                    if e == 1 { name } else { format!("{name}^{e}") }
                })
                .collect();
            if mono.is_empty() {
                write!(f, "{c}")?;
            } else if c.is_one() {
                write!(f, "{}", mono.join("*"))?;
            } else {
                write!(f, "{c}*{}", mono.join("*"))?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Poly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = (0..self.nvars).map(|i| format!("w{}", i + 1)).collect();
        write!(f, "{}", self.display(&names))
    }
}

fn merge(a: &Poly, b: &Poly, sign: bool) -> Poly {
    assert_eq!(a.nvars, b.nvars, "polynomials in different numbers of variables");
    let mut out = Vec::with_capacity(a.terms.len() + b.terms.len());
    let (mut i, mut j) = (0, 0);
    let neg = |c: &Rat| if sign { c.clone() } else { -c.clone() };
    while i < a.terms.len() && j < b.terms.len() {
        match a.terms[i].exp.cmp(&b.terms[j].exp) {
            std::cmp::Ordering::Less => {
                out.push(a.terms[i].clone());
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(Term { exp: b.terms[j].exp.clone(), coef: neg(&b.terms[j].coef) });
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let c = &a.terms[i].coef + neg(&b.terms[j].coef);
                if !c.is_zero() {
                    out.push(Term { exp: a.terms[i].exp.clone(), coef: c });
                }
                i += 1;
                j += 1;
            }
        }
    }
    out.extend(a.terms[i..].iter().cloned());
    out.extend(b.terms[j..].iter().map(|t| Term { exp: t.exp.clone(), coef: neg(&t.coef) }));
    Poly { nvars: a.nvars, terms: out }
}

impl std::ops::Add for &Poly {
    type Output = Poly;
    fn add(self, rhs: &Poly) -> Poly {
        merge(self, rhs, true)
    }
}

impl std::ops::Sub for &Poly {
    type Output = Poly;
    fn sub(self, rhs: &Poly) -> Poly {
        merge(self, rhs, false)
    }
}

impl std::ops::Neg for &Poly {
    type Output = Poly;
    fn neg(self) -> Poly {
        Poly {
            nvars: self.nvars,
            terms: self.terms.iter().map(|t| Term { exp: t.exp.clone(), coef: -t.coef.clone() }).collect(),
        }
    }
}

/// `(L, L·c)` for the coefficients `c` of `p`, `L` the lcm of their
/// denominators (1 for integer coefficients, with no gcd computed).
fn integer_form(p: &Poly) -> (BigInt, Vec<BigInt>) {
    use num_integer::Integer;
    let l = p
        .terms
        .iter()
        .fold(BigInt::one(), |acc, t| if t.coef.denom().is_one() { acc } else { acc.lcm(t.coef.denom()) });
    let ints = p
        .terms
        .iter()
        .map(|t| {
            if t.coef.denom().is_one() { t.coef.numer() * &l } else { t.coef.numer() * (&l / t.coef.denom()) }
        })
        .collect();
    (l, ints)
}

impl std::ops::Mul for &Poly {
    type Output = Poly;
    fn mul(self, rhs: &Poly) -> Poly {
        assert_eq!(self.nvars, rhs.nvars, "polynomials in different numbers of variables");
        if self.is_zero() || rhs.is_zero() {
            return Poly::zero(self.nvars);
        }
        if rhs.terms.len() == 1 && rhs.terms[0].coef.is_one() {
            return self.mul_monomial(&rhs.terms[0].exp);
        }
        // Integer arithmetic on L_a·a and L_b·b (L the lcm of the
        // denominators), one reduction per result term: the gcds of a
        // rational product per term pair cost time quadratic in the
        // coefficients' size ((x+y)^10000 has 3000-digit binomials).
        let (la, ia) = integer_form(self);
        let (lb, ib) = integer_form(rhs);
        let mut acc: HashMap<Vec<u32>, BigInt> =
            HashMap::with_capacity((self.terms.len() * rhs.terms.len()).min(1 << 20));
        for (a, ca) in self.terms.iter().zip(&ia) {
            for (b, cb) in rhs.terms.iter().zip(&ib) {
                let exp: Vec<u32> = a.exp.iter().zip(&b.exp).map(|(x, y)| x + y).collect();
                *acc.entry(exp).or_insert_with(BigInt::zero) += ca * cb;
            }
        }
        let l = la * lb;
        let mut terms: Vec<Term> = acc
            .into_iter()
            .filter(|(_, c)| !c.is_zero())
            .map(|(exp, c)| Term {
                exp,
                coef: if l.is_one() { Rat::from_integer(c) } else { Rat::new(c, l.clone()) },
            })
            .collect();
        terms.sort_by(|a, b| a.exp.cmp(&b.exp));
        Poly { nvars: self.nvars, terms }
    }
}

macro_rules! forward_owned {
    ($tr:ident, $m:ident) => {
        impl std::ops::$tr for Poly {
            type Output = Poly;
            fn $m(self, rhs: Poly) -> Poly {
                (&self).$m(&rhs)
            }
        }
    };
}
forward_owned!(Add, add);
forward_owned!(Sub, sub);
forward_owned!(Mul, mul);

impl std::ops::Neg for Poly {
    type Output = Poly;
    fn neg(self) -> Poly {
        -&self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x() -> Poly {
        Poly::var(2, 0)
    }
    fn y() -> Poly {
        Poly::var(2, 1)
    }

    #[test]
    fn arithmetic_and_cancellation() {
        let p = &x() + &y();
        let q = &x() - &y();
        let prod = &p * &q;
        let expect = &x().pow(2) - &y().pow(2);
        assert_eq!(prod, expect);
        assert!((&prod - &expect).is_zero());
        assert_eq!(p.pow(3).len(), 4);
    }

    #[test]
    fn translate_and_eval() {
        // (x - 1)^2 translated to x = 1 is x^2.
        let one = Poly::one(2);
        let p = (&x() - &one).pow(2);
        let t = p.translate(&[rat(1), rat(0)]);
        assert_eq!(t, x().pow(2));
        assert_eq!(p.eval(&[ratio(1, 2), rat(7)]), ratio(1, 4));
    }

    #[test]
    fn derivative_and_content() {
        let p = &(&x().pow(3) * &y()) + &(&x().pow(2) * &y().pow(2));
        assert_eq!(p.monomial_content(), vec![2, 1]);
        let d = p.derivative(0);
        assert_eq!(d.coeff(&[2, 1]), rat(3));
        assert_eq!(d.coeff(&[1, 2]), rat(2));
        assert_eq!(p.order(), Some(4));
        assert_eq!(p.div_monomial(&[2, 1]), &x() + &y());
    }

    #[test]
    fn compose_substitutes_all_variables() {
        // p(x, y) = x*y with x := x, y := x*y (a blow-up chart) gives x^2 y.
        let p = &x() * &y();
        let q = p.compose(&[x(), &x() * &y()]);
        assert_eq!(q, Poly::monomial(2, vec![2, 1], rat(1)));
        assert_eq!(p.substitute(1, &Poly::constant(2, rat(3))), x().scale(&rat(3)));
    }

    #[test]
    fn display_reads_naturally() {
        let names = vec!["x".to_string(), "y".to_string()];
        let p = &(&x().pow(2) - &y().scale(&ratio(1, 2))) + &Poly::constant(2, rat(3));
        assert_eq!(p.display(&names).to_string(), "x^2 - 1/2*y + 3");
    }

    #[test]
    fn the_divisibility_filter_never_refuses_a_multiple() {
        let (x, y) = (Poly::var(2, 0), Poly::var(2, 1));
        let d = &(&x * &x) - &(&y * &rat_poly(3));
        for q in [Poly::zero(2), Poly::one(2), &x + &y, &(&x * &y) - &Poly::constant(2, ratio(1, 3))] {
            let g = &q * &d;
            assert!(g.may_be_divisible_by(&d), "{q:?}");
            assert_eq!(g.div_exact(&d, 1000), Some(q));
        }
        assert!(!(&d + &x).may_be_divisible_by(&d));
    }

    fn rat_poly(c: i64) -> Poly {
        Poly::constant(2, rat(c))
    }

    #[test]
    fn exact_division() {
        let x = Poly::var(2, 0);
        let y = Poly::var(2, 1);
        let f = &(&x * &x) - &(&y * &y).scale(&rat(3));
        let q = &(&y * &x) + &Poly::one(2);
        assert_eq!((&f * &q).div_exact(&f, 100), Some(q.clone()));
        assert_eq!(f.div_exact(&q, 100), None);
        assert_eq!((&(&f * &q) + &x).div_exact(&f, 100), None);
        assert_eq!(Poly::zero(2).div_exact(&f, 100), Some(Poly::zero(2)));
    }
}
