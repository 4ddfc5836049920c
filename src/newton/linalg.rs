//! Exact linear algebra over ℚ for the Newton layer: rank, null spaces,
//! primitive integer vectors.

use crate::poly::Rat;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, Zero};

/// Reduced row echelon form in place; returns the pivot columns.
pub(crate) fn rref(m: &mut [Vec<Rat>]) -> Vec<usize> {
    let cols = m.first().map_or(0, |r| r.len());
    let mut pivots = Vec::new();
    let mut row = 0;
    for c in 0..cols {
        let Some(p) = (row..m.len()).find(|&i| !m[i][c].is_zero()) else { continue };
        m.swap(row, p);
        let inv = m[row][c].recip();
        for v in m[row].iter_mut() {
            *v *= &inv;
        }
        let prow = m[row].clone();
        for (i, r) in m.iter_mut().enumerate() {
            if i != row && !r[c].is_zero() {
                let f = r[c].clone();
                for (x, y) in r.iter_mut().zip(&prow) {
                    *x -= &f * y;
                }
            }
        }
        pivots.push(c);
        row += 1;
        if row == m.len() {
            break;
        }
    }
    pivots
}

/// Rank of a set of vectors of length `n`.
pub(crate) fn rank(vectors: &[Vec<Rat>]) -> usize {
    let mut m = vectors.to_vec();
    rref(&mut m).len()
}

/// A basis of `{x ∈ ℚⁿ : r·x = 0 for every row r}`.
pub(crate) fn null_space(rows: &[Vec<Rat>], n: usize) -> Vec<Vec<Rat>> {
    let mut m = rows.to_vec();
    let pivots = rref(&mut m);
    let free: Vec<usize> = (0..n).filter(|c| !pivots.contains(c)).collect();
    free.iter()
        .map(|&f| {
            let mut x = vec![Rat::zero(); n];
            x[f] = Rat::one();
            for (i, &p) in pivots.iter().enumerate() {
                x[p] = -m[i][f].clone();
            }
            x
        })
        .collect()
}

/// The primitive integer vector on the ray of `v` (same direction).
pub(crate) fn primitive(v: &[Rat]) -> Vec<BigInt> {
    let l = v.iter().fold(BigInt::one(), |l, c| l.lcm(c.denom()));
    let ints: Vec<BigInt> = v.iter().map(|c| (c * Rat::from_integer(l.clone())).to_integer()).collect();
    let g = ints.iter().fold(BigInt::zero(), |g, c| g.gcd(c));
    if g.is_zero() { ints } else { ints.into_iter().map(|c| c / &g).collect() }
}

/// `a·b`.
pub(crate) fn dot(a: &[Rat], b: &[Rat]) -> Rat {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Integer exponent vector as rationals.
pub(crate) fn to_rat(v: &[u32]) -> Vec<Rat> {
    v.iter().map(|&e| Rat::from_integer(BigInt::from(e))).collect()
}

/// Sign-normalised direction for de-duplicating constraints: the
/// primitive vector, which is unique per ray.
pub(crate) fn ray_key(v: &[Rat]) -> Vec<BigInt> {
    primitive(v)
}

/// True when every entry is non-negative.
pub(crate) fn non_negative(v: &[Rat]) -> bool {
    v.iter().all(|x| !x.is_negative())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{rat, ratio};

    #[test]
    fn rank_and_null_space() {
        let rows =
            vec![vec![rat(1), rat(2), rat(3)], vec![rat(2), rat(4), rat(6)], vec![rat(0), rat(1), rat(1)]];
        assert_eq!(rank(&rows), 2);
        let ns = null_space(&rows, 3);
        assert_eq!(ns.len(), 1);
        for r in &rows {
            assert!(dot(r, &ns[0]).is_zero());
        }
        assert_eq!(primitive(&[ratio(1, 2), ratio(-3, 4)]), vec![BigInt::from(2), BigInt::from(-3)]);
    }
}
