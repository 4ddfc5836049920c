//! Exact linear programming over ℚ: a two-phase tableau simplex on
//! `BigRational`.
//!
//! Pivoting uses Dantzig's rule (most negative reduced cost) for speed and
//! switches permanently to Bland's smallest-index rule after a run of
//! degenerate pivots, which guarantees termination (Bland 1977: the
//! smallest-index rule never cycles). Every answer is exact; the optimal
//! dual vector is returned as a certificate.
//!
//! ```
//! use rlct::lp::{minimize, LpOutcome};
//! use rlct::poly::rat;
//! // min x0 + 2 x1 s.t. x0 + x1 = 1, x >= 0  ->  x = (1, 0), value 1
//! match minimize(&[rat(1), rat(2)], &[vec![rat(1), rat(1)]], &[rat(1)]) {
//!     LpOutcome::Optimal { value, .. } => assert_eq!(value, rat(1)),
//!     _ => unreachable!(),
//! }
//! ```

use crate::poly::Rat;
use num_traits::{Signed, Zero};

/// The result of [`minimize`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LpOutcome {
    /// An optimal vertex `x`, its value `c·x`, and an optimal dual `y`
    /// (one per equality row): `c − Aᵀy ≥ 0` and `b·y = value`.
    Optimal {
        /// Primal optimum.
        x: Vec<Rat>,
        /// Optimal value.
        value: Rat,
        /// Dual optimum.
        dual: Vec<Rat>,
    },
    /// No `x ≥ 0` satisfies `A x = b`.
    Infeasible,
    /// The objective is unbounded below on the feasible set.
    Unbounded,
}

/// Degenerate pivots allowed under Dantzig's rule before switching to
/// Bland's rule for good.
const DEGENERATE_BUDGET: usize = 50;

struct Tableau {
    /// Rows of `[B⁻¹A | B⁻¹ (artificial columns) | B⁻¹b]`.
    rows: Vec<Vec<Rat>>,
    /// Basic variable of each row.
    basis: Vec<usize>,
    /// Number of structural columns (artificials follow).
    n: usize,
    bland: bool,
    degenerate: usize,
}

impl Tableau {
    fn rhs(&self) -> usize {
        self.rows.first().map_or(0, |r| r.len() - 1)
    }

    fn pivot(&mut self, r: usize, col: usize) {
        let piv = self.rows[r][col].clone();
        let inv = piv.recip();
        for v in self.rows[r].iter_mut() {
            if !v.is_zero() {
                *v *= &inv;
            }
        }
        let prow = self.rows[r].clone();
        let nz: Vec<usize> = (0..prow.len()).filter(|&j| !prow[j].is_zero()).collect();
        for (i, row) in self.rows.iter_mut().enumerate() {
            if i == r || row[col].is_zero() {
                continue;
            }
            let f = row[col].clone();
            for &j in &nz {
                row[j] -= &f * &prow[j];
            }
        }
        self.basis[r] = col;
    }

    /// Reduced costs `c_j − c_B·T_j` for the columns allowed to enter.
    fn reduced_costs(&self, cost: &[Rat], allowed: usize) -> Vec<Rat> {
        (0..allowed)
            .map(|j| {
                let mut rc = cost[j].clone();
                for (row, &b) in self.rows.iter().zip(&self.basis) {
                    if !cost[b].is_zero() && !row[j].is_zero() {
                        rc -= &cost[b] * &row[j];
                    }
                }
                rc
            })
            .collect()
    }

    /// Runs the simplex on `cost` (indexed over all columns) with entering
    /// columns restricted to `0..allowed`. Returns false when unbounded.
    fn optimize(&mut self, cost: &[Rat], allowed: usize) -> bool {
        let rhs = self.rhs();
        loop {
            let rc = self.reduced_costs(cost, allowed);
            let entering = if self.bland {
                (0..allowed).find(|&j| rc[j].is_negative())
            } else {
                (0..allowed).filter(|&j| rc[j].is_negative()).min_by(|&a, &b| rc[a].cmp(&rc[b]))
            };
            let Some(col) = entering else { return true };
            // Minimum ratio test; ties broken by the smallest basic index
            // (part of Bland's rule).
            let mut best: Option<(usize, Rat)> = None;
            for (i, row) in self.rows.iter().enumerate() {
                if row[col].is_positive() {
                    let ratio = &row[rhs] / &row[col];
                    let better = match &best {
                        None => true,
                        Some((bi, br)) => ratio < *br || (ratio == *br && self.basis[i] < self.basis[*bi]),
                    };
                    if better {
                        best = Some((i, ratio));
                    }
                }
            }
            let Some((r, ratio)) = best else { return false };
            if ratio.is_zero() {
                self.degenerate += 1;
                if self.degenerate > DEGENERATE_BUDGET {
                    self.bland = true;
                }
            }
            self.pivot(r, col);
        }
    }
}

/// Minimises `c·x` subject to `A x = b`, `x ≥ 0`, exactly.
///
/// `a_eq` has one row per constraint, each of length `c.len()`.
/// Panics when the dimensions disagree.
pub fn minimize(c: &[Rat], a_eq: &[Vec<Rat>], b_eq: &[Rat]) -> LpOutcome {
    let n = c.len();
    let m = a_eq.len();
    assert_eq!(b_eq.len(), m, "one right-hand side per row");
    assert!(a_eq.iter().all(|r| r.len() == n), "rows must have c.len() entries");
    // Rows with b < 0 are negated so that the artificial basis is feasible.
    let signs: Vec<bool> = b_eq.iter().map(|b| b.is_negative()).collect();
    let width = n + m + 1;
    let rows: Vec<Vec<Rat>> = (0..m)
        .map(|i| {
            let mut row = vec![Rat::zero(); width];
            for j in 0..n {
                row[j] = if signs[i] { -a_eq[i][j].clone() } else { a_eq[i][j].clone() };
            }
            row[n + i] = Rat::from_integer(1.into());
            row[n + m] = b_eq[i].abs();
            row
        })
        .collect();
    let mut t = Tableau { rows, basis: (n..n + m).collect(), n, bland: false, degenerate: 0 };

    // Phase 1: minimise the sum of artificials.
    let mut cost1 = vec![Rat::zero(); n + m];
    for v in &mut cost1[n..] {
        *v = Rat::from_integer(1.into());
    }
    t.optimize(&cost1, n);
    let rhs = n + m;
    let infeas: Rat =
        t.rows.iter().zip(&t.basis).filter(|(_, b)| **b >= n).map(|(r, _)| r[rhs].clone()).sum();
    if infeas.is_positive() {
        return LpOutcome::Infeasible;
    }
    // Drive zero-valued artificials out of the basis; a row with no
    // structural entry left is redundant and is dropped.
    let mut i = 0;
    while i < t.rows.len() {
        if t.basis[i] >= n {
            match (0..n).find(|&j| !t.rows[i][j].is_zero()) {
                Some(j) => t.pivot(i, j),
                None => {
                    t.rows.remove(i);
                    t.basis.remove(i);
                    continue;
                }
            }
        }
        i += 1;
    }

    // Phase 2 on the original costs; artificials may not re-enter.
    let mut cost2 = c.to_vec();
    cost2.extend(std::iter::repeat_n(Rat::zero(), m));
    t.bland = false;
    t.degenerate = 0;
    if !t.optimize(&cost2, n) {
        return LpOutcome::Unbounded;
    }
    let mut x = vec![Rat::zero(); n];
    for (row, &b) in t.rows.iter().zip(&t.basis) {
        x[b] = row[rhs].clone();
    }
    // Only basic variables can be non-zero.
    let value: Rat = t.basis.iter().map(|&b| &c[b] * &x[b]).sum();
    // y'ᵀ = c_B B⁻¹; the artificial columns of the tableau hold B⁻¹ (times
    // the row operations, dropped rows included), and undoing the sign flips
    // gives the dual of the original rows.
    let dual: Vec<Rat> = (0..m)
        .map(|i| {
            let y: Rat = t.rows.iter().zip(&t.basis).map(|(row, &b)| &cost2[b] * &row[t.n + i]).sum();
            if signs[i] { -y } else { y }
        })
        .collect();
    LpOutcome::Optimal { x, value, dual }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{rat, ratio};

    fn r(v: &[i64]) -> Vec<Rat> {
        v.iter().map(|&x| rat(x)).collect()
    }

    /// Checks primal feasibility, dual feasibility and equal values: the
    /// optimality certificate of an LP.
    fn check_certificate(c: &[Rat], a: &[Vec<Rat>], b: &[Rat], out: &LpOutcome) -> Rat {
        let LpOutcome::Optimal { x, value, dual } = out else { panic!("not optimal: {out:?}") };
        for (row, bi) in a.iter().zip(b) {
            let ax: Rat = row.iter().zip(x).map(|(p, q)| p * q).sum();
            assert_eq!(&ax, bi);
        }
        assert!(x.iter().all(|v| !v.is_negative()));
        for j in 0..c.len() {
            let aty: Rat = a.iter().zip(dual).map(|(row, y)| &row[j] * y).sum();
            assert!(&c[j] - aty >= Rat::zero(), "dual infeasible at column {j}");
        }
        let by: Rat = b.iter().zip(dual).map(|(p, q)| p * q).sum();
        assert_eq!(&by, value);
        value.clone()
    }

    #[test]
    fn simple_optimum_with_dual() {
        // min -x - y s.t. x + 2y + s1 = 4, 3x + y + s2 = 6
        let c = r(&[-1, -1, 0, 0]);
        let a = vec![r(&[1, 2, 1, 0]), r(&[3, 1, 0, 1])];
        let b = r(&[4, 6]);
        let out = minimize(&c, &a, &b);
        assert_eq!(check_certificate(&c, &a, &b, &out), ratio(-14, 5));
    }

    #[test]
    fn infeasible_and_unbounded() {
        // x + y = -1, x, y >= 0: infeasible.
        assert_eq!(minimize(&r(&[1, 1]), &[r(&[1, 1])], &r(&[-1])), LpOutcome::Infeasible);
        // x - y = 1: unbounded below for min -x.
        assert_eq!(minimize(&r(&[-1, 0]), &[r(&[1, -1])], &r(&[1])), LpOutcome::Unbounded);
        // Contradictory rows.
        assert_eq!(minimize(&r(&[0, 0]), &[r(&[1, 1]), r(&[1, 1])], &r(&[1, 2])), LpOutcome::Infeasible);
    }

    #[test]
    fn redundant_rows_and_negative_rhs() {
        let c = r(&[2, 3, 1]);
        let a = vec![r(&[1, 1, 1]), r(&[2, 2, 2]), r(&[-1, 0, 1])];
        let b = r(&[3, 6, -1]);
        let out = minimize(&c, &a, &b);
        // x2 = x0 - 1, x0 + x1 + x2 = 3: best x = (2, 0, 1), value 5.
        assert_eq!(check_certificate(&c, &a, &b, &out), rat(5));
    }

    #[test]
    fn beale_cycling_example_terminates() {
        // Beale (1955): Dantzig's rule without anti-cycling cycles here.
        // min -3/4 x4 + 150 x5 - 1/50 x6 + 6 x7 with slacks x1..x3.
        let c = vec![rat(0), rat(0), rat(0), ratio(-3, 4), rat(150), ratio(-1, 50), rat(6)];
        let a = vec![
            vec![rat(1), rat(0), rat(0), ratio(1, 4), rat(-60), ratio(-1, 25), rat(9)],
            vec![rat(0), rat(1), rat(0), ratio(1, 2), rat(-90), ratio(-1, 50), rat(3)],
            vec![rat(0), rat(0), rat(1), rat(0), rat(0), rat(1), rat(0)],
        ];
        let b = vec![rat(0), rat(0), rat(1)];
        let out = minimize(&c, &a, &b);
        assert_eq!(check_certificate(&c, &a, &b, &out), ratio(-1, 20));
    }

    #[test]
    fn highly_degenerate_assignment() {
        // 4x4 assignment polytope: every vertex is highly degenerate.
        let n = 4;
        let cost: Vec<Rat> = (0..n * n).map(|k| rat(((k * 7) % 5) as i64)).collect();
        let mut a = Vec::new();
        for i in 0..n {
            a.push((0..n * n).map(|k| if k / n == i { rat(1) } else { rat(0) }).collect());
            a.push((0..n * n).map(|k| if k % n == i { rat(1) } else { rat(0) }).collect());
        }
        let b = vec![rat(1); 2 * n];
        let out = minimize(&cost, &a, &b);
        check_certificate(&cost, &a, &b, &out);
    }
}
