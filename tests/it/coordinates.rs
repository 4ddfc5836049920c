//! Coordinate invariance as a class (issue #15 item 3): known losses in
//! two and three variables, moved by random unimodular integer linear
//! changes of coordinates `w ↦ G w` (a constant Jacobian, and the prior is
//! flat, so λ and m are the canonical ones). The engine must be sound on
//! every instance (exact equal to the truth, a bound containing it) and
//! exact on most; the initial-monomial lower bound (docs/theory.md §5.1)
//! must never exceed the truth. One moved case is checked against the
//! volume estimator.

use crate::draw;
use crate::volume_check;

use draw::Draw;
use rlct::exact::{ExactOptions, solve};
use rlct::poly::{Poly, Rat, rat, ratio};
use rlct::{Loss, Status, dsl::parse_program};

/// (program, λ, m): canonical coordinates, flat prior.
fn cases() -> Vec<(&'static str, Rat, usize)> {
    vec![
        ("param x, y; K = (y^2 - x^3)^2;", ratio(5, 12), 1),
        ("param x, y; K = (x^2 - y^2)^2;", ratio(1, 2), 2),
        ("param x, y; K = x^2 + y^4;", ratio(3, 4), 1),
        ("param x, y; K = x^4*y^2;", ratio(1, 4), 1),
        ("param x, y; K = x^4 + y^4;", ratio(1, 2), 1),
        ("param x, y; K = (y^2 - x^5)^2;", ratio(7, 20), 1),
        ("param x, y; K = (y^3 - x^4)^2;", ratio(7, 24), 1),
        ("param x, y; K = ((y - x^2)*(y + x^2))^2;", ratio(3, 8), 1),
        ("param x, y, z; K = (x*y*z)^2;", ratio(1, 2), 3),
        ("param x, y, z; K = (x^2*y^2 - z^5)^2;", ratio(7, 20), 2),
        ("param x, y, z; K = x^2 + y^2 + z^4;", ratio(5, 4), 1),
        ("param x, y, z; K = (x^2 + y^2 - z^2)^2;", ratio(1, 2), 1),
        ("param x, y, z; K = (x*y)^2 + (y*z)^2 + (z*x)^2;", ratio(3, 4), 1),
        ("param x, y, z; K = (x^2 - y^2)^2 + z^4;", ratio(3, 4), 2),
        ("param x, y, z; ideal <y^2 - x^3, z^2 - y^3>;", ratio(2, 3), 1),
    ]
}

/// A random unimodular integer matrix: 1 to 3 elementary row operations
/// `row_i += c·row_j`, `c ∈ {±1, ±2}`.
fn unimodular(d: &mut Draw, n: usize) -> Vec<Vec<i64>> {
    let mut g: Vec<Vec<i64>> = (0..n).map(|i| (0..n).map(|j| i64::from(i == j)).collect()).collect();
    for _ in 0..d.int(1, 3) {
        let i = d.pick(n);
        let j = (i + 1 + d.pick(n - 1)) % n;
        let c = [-2, -1, 1, 2][d.pick(4)];
        for k in 0..n {
            g[i][k] += c * g[j][k];
        }
    }
    g
}

/// The problem with every polynomial composed with `w ↦ G w`.
fn moved(program: &str, g: &[Vec<i64>]) -> rlct::Problem {
    let mut p = parse_program(program, "case").unwrap();
    let n = p.dim();
    let subs: Vec<Poly> = g
        .iter()
        .map(|row| {
            row.iter().enumerate().fold(Poly::zero(n), |acc, (j, &c)| &acc + &Poly::var(n, j).scale(&rat(c)))
        })
        .collect();
    p.loss = match p.loss {
        Loss::Polynomial(k) => Loss::Polynomial(k.compose(&subs)),
        Loss::Ideal(gens) => Loss::Ideal(gens.iter().map(|f| f.compose(&subs)).collect()),
    };
    p
}

#[test]
fn random_linear_coordinates_keep_the_pair() {
    let mut d = Draw(15);
    let (mut exact, mut total) = (0, 0);
    let mut misses = Vec::new();
    for round in 0..4 {
        for (program, lambda, m) in cases() {
            let n = parse_program(program, "case").unwrap().dim();
            let g = unimodular(&mut d, n);
            let p = moved(program, &g);
            let r = solve(&p, &ExactOptions::default()).unwrap();
            total += 1;
            let label = format!("{program} moved by {g:?} (round {round})");
            match r.status {
                Status::Exact => {
                    exact += 1;
                    assert_eq!((r.lambda.clone(), r.multiplicity), (lambda.clone(), m), "{label}");
                }
                _ => {
                    assert!(r.lower <= lambda && lambda <= r.upper, "{label}: {} ≤ λ ≤ {}", r.lower, r.upper);
                    misses.push(label);
                }
            }
        }
    }
    // Measured: 53 of 60 exact (the bounds are the ideal <y² − x³, z² − y³>
    // and (x²y² − z⁵)² under some changes; 57 before the divisor split kept
    // the prior of a bounded variable, a soundness fix). Below 53 is a
    // regression.
    assert!(exact >= 53, "{exact} of {total} exact; bounds: {misses:#?}");
}

#[test]
fn initial_monomial_bound_never_exceeds_the_truth() {
    let mut d = Draw(16);
    for (program, lambda, _) in cases() {
        for _ in 0..3 {
            let n = parse_program(program, "case").unwrap().dim();
            let p = moved(program, &unimodular(&mut d, n));
            let (gens, ideal) = p.local_generators();
            let root = rlct::resolve::chart::ChartNode {
                names: p.variables.clone(),
                gens,
                ideal,
                beta: vec![0; n],
                h: vec![0; n],
                region: vec![rlct::resolve::region::Range::Local; n],
            };
            let Some((b, _)) = rlct::resolve::initial::lower_bound(&root) else { continue };
            assert!(b <= lambda, "{program}: degeneration bound {b} > λ = {lambda}");
        }
    }
}

#[test]
fn a_moved_cusp_agrees_with_the_volume_estimator() {
    let g = vec![vec![1, 1], vec![1, 2]];
    let p = moved("param x, y; ideal <y^2 - x^3>;", &g);
    let r = solve(&p, &ExactOptions::default()).unwrap();
    assert_eq!((r.status, r.lambda.clone(), r.multiplicity), (Status::Exact, ratio(5, 12), 1));
    volume_check::assert_volume_agrees(&p, &r, "moved cusp", None);
}
