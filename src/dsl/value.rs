//! Values of expressions: scalars and matrices of exact polynomials, and
//! the expansion limits that keep hostile input from exhausting memory.

use crate::poly::Poly;

/// Largest exponent accepted after `^`.
pub(crate) const MAX_EXPONENT: u64 = 10_000;
/// Largest total degree of any intermediate polynomial (keeps `u32`
/// exponents far from overflow).
pub(crate) const MAX_DEGREE: u64 = 100_000;
/// Largest number of term-by-term products in one multiplication, checked
/// before multiplying (the result has at most that many terms).
pub(crate) const MAX_PRODUCTS: u64 = 1_000_000;
/// Largest number of term-by-term products in a whole program.
pub(crate) const MAX_TOTAL_PRODUCTS: u64 = 50_000_000;
/// Largest number of variables (matrix entries included).
pub(crate) const MAX_VARIABLES: usize = 10_000;

/// A scalar polynomial or a matrix of them (row-major).
#[derive(Clone, Debug)]
pub(crate) enum Value {
    /// A polynomial.
    Scalar(Poly),
    /// An `rows × cols` matrix; `entries[i * cols + j]` is entry `(i, j)`.
    Matrix { rows: usize, cols: usize, entries: Vec<Poly> },
}

impl Value {
    /// `scalar`, `2×3 matrix`, for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Value::Scalar(_) => "a scalar".to_string(),
            Value::Matrix { rows, cols, .. } => format!("a {rows}×{cols} matrix"),
        }
    }

    /// The polynomial of a scalar or of a 1×1 matrix (`x'*x`).
    pub(crate) fn into_scalar(self) -> Result<Poly, Value> {
        match self {
            Value::Scalar(p) => Ok(p),
            Value::Matrix { rows: 1, cols: 1, mut entries } => Ok(entries.pop().expect("1×1 entry")),
            m => Err(m),
        }
    }

    /// All entries (one for a scalar).
    pub(crate) fn into_entries(self) -> Vec<Poly> {
        match self {
            Value::Scalar(p) => vec![p],
            Value::Matrix { entries, .. } => entries,
        }
    }

    /// Applies `f` to every entry.
    pub(crate) fn map(self, f: impl Fn(Poly) -> Poly) -> Value {
        match self {
            Value::Scalar(p) => Value::Scalar(f(p)),
            Value::Matrix { rows, cols, entries } => {
                Value::Matrix { rows, cols, entries: entries.into_iter().map(f).collect() }
            }
        }
    }

    /// The transpose (a scalar is its own transpose).
    pub(crate) fn transpose(self) -> Value {
        match self {
            Value::Scalar(p) => Value::Scalar(p),
            Value::Matrix { rows, cols, entries } => {
                let mut t = Vec::with_capacity(entries.len());
                for j in 0..cols {
                    for i in 0..rows {
                        t.push(entries[i * cols + j].clone());
                    }
                }
                Value::Matrix { rows: cols, cols: rows, entries: t }
            }
        }
    }
}

/// An upper bound on the number of terms of `p^k` for `p` with `t` terms:
/// the number of monomials of degree `k` in `t` symbols, `C(k+t−1, t−1)`,
/// saturating at `u64::MAX`.
pub(crate) fn power_terms_bound(t: usize, k: u64) -> u64 {
    if t <= 1 || k == 0 {
        return 1;
    }
    let r = (t as u64 - 1).min(k);
    let n = k + t as u64 - 1;
    // C(n, r) built incrementally: C(n−r+i, i) stays an integer at each step.
    let mut c: u128 = 1;
    for i in 1..=r {
        c = c * (n - r + i) as u128 / i as u128;
        if c > u64::MAX as u128 {
            return u64::MAX;
        }
    }
    c as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn power_bound_is_binomial() {
        assert_eq!(power_terms_bound(2, 10), 11);
        assert_eq!(power_terms_bound(3, 2), 6);
        assert_eq!(power_terms_bound(1, 1000), 1);
        assert_eq!(power_terms_bound(1000, 1000), u64::MAX);
    }

    #[test]
    fn transpose_swaps_entries() {
        let e: Vec<Poly> = (0..6).map(|i| Poly::constant(1, crate::poly::rat(i))).collect();
        let m = Value::Matrix { rows: 2, cols: 3, entries: e };
        match m.transpose() {
            Value::Matrix { rows: 3, cols: 2, entries } => {
                // (0,1) of the transpose is (1,0) of the original: value 3.
                assert_eq!(entries[1].constant_term(), crate::poly::rat(3));
            }
            v => panic!("unexpected {v:?}"),
        }
    }
}
