//! The public cases of docs/theory.md §8 as [`Problem`]s with their known pairs:
//! the ground truth the estimator tests, the calibration example and the
//! benchmarks share.

use crate::poly::{Poly, Rat, ratio};
use crate::{Loss, Problem};

/// A known case.
pub struct KnownCase {
    /// Short name (the loss as text).
    pub name: &'static str,
    /// The problem (origin, box `[-1, 1]^d`).
    pub problem: Problem,
    /// Known λ.
    pub lambda: Rat,
    /// Known m.
    pub multiplicity: usize,
}

fn names(s: &[&str]) -> Vec<String> {
    s.iter().map(|v| v.to_string()).collect()
}

fn mono(d: usize, e: &[u32]) -> Poly {
    Poly::monomial(d, e.to_vec(), ratio(1, 1))
}

fn case(
    name: &'static str,
    vars: &[&str],
    loss: Loss,
    prior: Option<Vec<u32>>,
    l: (i64, i64),
    m: usize,
) -> KnownCase {
    let mut problem = Problem::new(names(vars), loss);
    if let Some(h) = prior {
        problem.prior = h;
    }
    KnownCase { name, problem, lambda: ratio(l.0, l.1), multiplicity: m }
}

/// All cases of docs/theory.md §8, in its order.
pub fn public_cases() -> Vec<KnownCase> {
    use Loss::{Ideal, Polynomial};
    let sum = |ps: Vec<Poly>| ps.iter().fold(Poly::zero(ps[0].nvars()), |a, p| &a + p);
    let (x2, y2) = (Poly::var(2, 0), Poly::var(2, 1));
    vec![
        case("w^2", &["w"], Polynomial(mono(1, &[2])), None, (1, 2), 1),
        case(
            "x^2+y^2+z^2",
            &["x", "y", "z"],
            Polynomial(sum(vec![mono(3, &[2, 0, 0]), mono(3, &[0, 2, 0]), mono(3, &[0, 0, 2])])),
            None,
            (3, 2),
            1,
        ),
        case("x^4", &["x"], Polynomial(mono(1, &[4])), None, (1, 4), 1),
        case("x^2*y^2", &["x", "y"], Polynomial(mono(2, &[2, 2])), None, (1, 2), 2),
        case("x^2*y^4", &["x", "y"], Polynomial(mono(2, &[2, 4])), None, (1, 4), 1),
        case("x^2*y^2, prior |x|", &["x", "y"], Polynomial(mono(2, &[2, 2])), Some(vec![1, 0]), (1, 2), 1),
        case(
            "x^2+y^4",
            &["x", "y"],
            Polynomial(sum(vec![mono(2, &[2, 0]), mono(2, &[0, 4])])),
            None,
            (3, 4),
            1,
        ),
        case(
            "x^4+y^4",
            &["x", "y"],
            Polynomial(sum(vec![mono(2, &[4, 0]), mono(2, &[0, 4])])),
            None,
            (1, 2),
            1,
        ),
        case(
            "x^2y^2+y^2z^2+z^2x^2",
            &["x", "y", "z"],
            Polynomial(sum(vec![mono(3, &[2, 2, 0]), mono(3, &[0, 2, 2]), mono(3, &[2, 0, 2])])),
            None,
            (3, 4),
            1,
        ),
        case("(x+y)^2", &["x", "y"], Ideal(vec![&x2 + &y2]), None, (1, 2), 1),
        case("(y^2-x^3)^2", &["x", "y"], Ideal(vec![&y2.pow(2) - &x2.pow(3)]), None, (5, 12), 1),
        case(
            "RRR (2,2,1,0)",
            &["a1", "a2", "b1", "b2"],
            Ideal(vec![
                mono(4, &[1, 0, 1, 0]),
                mono(4, &[0, 1, 1, 0]),
                mono(4, &[1, 0, 0, 1]),
                mono(4, &[0, 1, 0, 1]),
            ]),
            None,
            (1, 1),
            2,
        ),
        case("(abc)^2", &["a", "b", "c"], Ideal(vec![mono(3, &[1, 1, 1])]), None, (1, 2), 3),
    ]
}

/// `‖BA‖²` with `A ∈ ℝ^{h×m}`, `B ∈ ℝ^{n×h}` (true map 0) as an ideal of
/// the entries of `BA`; variables `A[i,j]` then `B[i,j]`.
pub fn reduced_rank_zero(m: usize, n: usize, h: usize) -> Problem {
    let d = h * m + n * h;
    let a = |i: usize, j: usize| Poly::var(d, i * m + j);
    let b = |i: usize, j: usize| Poly::var(d, h * m + i * h + j);
    let mut gens = vec![];
    for i in 0..n {
        for j in 0..m {
            gens.push((0..h).fold(Poly::zero(d), |acc, k| &acc + &(&b(i, k) * &a(k, j))));
        }
    }
    let mut vars = vec![];
    for i in 0..h {
        for j in 0..m {
            vars.push(format!("A[{},{}]", i + 1, j + 1));
        }
    }
    for i in 0..n {
        for j in 0..h {
            vars.push(format!("B[{},{}]", i + 1, j + 1));
        }
    }
    Problem::new(vars, Loss::Ideal(gens))
}
