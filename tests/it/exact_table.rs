//! Table of known cases for the Newton engine alone
//! (`rlct::exact::solve_newton`; `exact::solve` adds the blow-up search
//! behind it, tested in `tests/resolve_*.rs`): every row cites where its
//! value comes from. Exact rows must come out `exact` with the right pair;
//! degenerate rows must come out `bound` with lower ≤ truth ≤ upper.

use rlct::exact::{ExactOptions, solve_newton as solve};
use rlct::poly::{Poly, Rat, rat, ratio};
use rlct::{ExactResult, Loss, Problem, Status};

/// Variables w_0..w_{d-1} as polynomials.
fn vars(d: usize) -> Vec<Poly> {
    (0..d).map(|i| Poly::var(d, i)).collect()
}

fn names(d: usize) -> Vec<String> {
    ["x", "y", "z", "u", "v", "w"].iter().take(d).map(|s| s.to_string()).collect()
}

fn k_problem(k: Poly, prior: &[u32]) -> Problem {
    let d = k.nvars();
    let mut p = Problem::new(names(d), Loss::Polynomial(k));
    p.prior = prior.to_vec();
    p
}

fn ideal_problem(gens: Vec<Poly>) -> Problem {
    let d = gens[0].nvars();
    Problem::new(names(d), Loss::Ideal(gens))
}

fn run(p: &Problem) -> ExactResult {
    solve(p, &ExactOptions::default()).expect("solve")
}

#[track_caller]
fn assert_exact(p: &Problem, lambda: Rat, m: usize, method: &str) -> ExactResult {
    let r = run(p);
    assert_eq!(r.status, Status::Exact, "{:?}\n{}", r.status, r.trace.join("\n"));
    assert_eq!((r.lambda.clone(), r.multiplicity), (lambda.clone(), m), "{}", r.trace.join("\n"));
    assert_eq!((r.lower.clone(), r.upper.clone()), (lambda.clone(), lambda));
    assert_eq!(r.method, method);
    if method == "regular" {
        assert!(r.certificate["theorem"].as_str().unwrap().contains("regular point"));
    } else {
        assert_eq!(r.certificate["nondegeneracy"]["status"], "certified");
    }
    r
}

#[track_caller]
fn assert_bound(p: &Problem, truth: Rat, newton: (Rat, usize), nondeg: &str) -> ExactResult {
    let r = run(p);
    assert_eq!(r.status, Status::Bound, "{}", r.trace.join("\n"));
    assert_eq!((r.lambda.clone(), r.multiplicity), newton, "{}", r.trace.join("\n"));
    assert!(r.lower <= truth && truth <= r.upper, "{} ≤ {truth} ≤ {} fails", r.lower, r.upper);
    assert_eq!(r.upper, r.lambda);
    assert_eq!(r.certificate["nondegeneracy"]["status"], nondeg, "{}", r.trace.join("\n"));
    r
}

// docs/theory.md §8, first row: w² regular, (1/2, 1).
#[test]
fn square_of_one_variable() {
    let w = &vars(1)[0];
    assert_exact(&k_problem(w * w, &[0]), ratio(1, 2), 1, "normal-crossing");
}

// docs/theory.md §8: x²+y²+z², regular point, d/2 = 3/2; all faces even-positive.
#[test]
fn regular_three_variables() {
    let v = vars(3);
    let k = &(&(&v[0] * &v[0]) + &(&v[1] * &v[1])) + &(&v[2] * &v[2]);
    assert_exact(&k_problem(k.clone(), &[0, 0, 0]), ratio(3, 2), 1, "regular");
    // The Newton route agrees: t* = 2/3, every face even-positive.
    let a = rlct::newton::analyze(&[k.clone()], false, &[0, 0, 0]);
    assert_eq!((a.pair.t_star, a.pair.multiplicity), (ratio(2, 3), 1));
    assert_eq!(a.nondegeneracy, rlct::newton::Nondegeneracy::Certified);
    // docs/theory.md §2 regular point with prior |x|: (h_1+1)/2 + 1/2 + 1/2 = 2.
    assert_exact(&k_problem(k, &[1, 0, 0]), rat(2), 1, "regular");
    // x² + y² + z² + xy + yz + zx: positive definite Hessian (pivots 1,
    // 3/4, 2/3), so regular although its 2-face is not even-positive.
    let v = vars(3);
    let q = &(&(&v[0] * &v[0]) + &(&v[1] * &v[1])) + &(&v[2] * &v[2]);
    let cross = &(&(&v[0] * &v[1]) + &(&v[1] * &v[2])) + &(&v[2] * &v[0]);
    assert_exact(&k_problem(&q + &cross, &[0, 0, 0]), ratio(3, 2), 1, "regular");
    // (x+y)² + z² has a singular Hessian: not regular, and its edge (x+y)²
    // is degenerate, so a Newton bound only. Truth: u² + z² in the
    // coordinates (x, u = x+y, z), λ = 2/2 = 1 (docs/theory.md §2 normal crossing).
    let k2 = &(&v[0] + &v[1]).pow(2) + &(&v[2] * &v[2]);
    let r = run(&k_problem(k2, &[0, 0, 0]));
    assert_eq!(r.status, Status::Bound);
    assert!(r.lower <= rat(1) && rat(1) <= r.upper);
}

// docs/theory.md §2: K = x² + y² with φ = |x| has λ = 3/2.
#[test]
fn regular_with_prior() {
    let v = vars(2);
    let k = &(&v[0] * &v[0]) + &(&v[1] * &v[1]);
    assert_exact(&k_problem(k, &[1, 0]), ratio(3, 2), 1, "regular");
}

// docs/theory.md §8 normal crossings (docs/theory.md §2 rule: min (h_j+1)/(2k_j), m = #argmin).
#[test]
fn normal_crossings() {
    let v = vars(2);
    let (x, y) = (&v[0], &v[1]);
    assert_exact(&k_problem(x.pow(4), &[0, 0]), ratio(1, 4), 1, "normal-crossing");
    let r = assert_exact(&k_problem(&x.pow(2) * &y.pow(2), &[0, 0]), ratio(1, 2), 2, "normal-crossing");
    assert_eq!(r.certificate["tight_normals"].as_array().unwrap().len(), 2);
    assert_exact(&k_problem(&x.pow(2) * &y.pow(4), &[0, 0]), ratio(1, 4), 1, "normal-crossing");
    // x²y² with prior |x|: (1+1)/2 vs (0+1)/2 → 1/2 attained once.
    assert_exact(&k_problem(&x.pow(2) * &y.pow(2), &[1, 0]), ratio(1, 2), 1, "normal-crossing");
    // 3 * x^2 y^6, positive constant: min(1/2, 1/6) = 1/6.
    assert_exact(
        &k_problem((&x.pow(2) * &y.pow(6)).scale(&rat(3)), &[0, 0]),
        ratio(1, 6),
        1,
        "normal-crossing",
    );
    // (abc)²: three-layer scalar linear network (§8): (1/2, 3).
    let w = vars(3);
    let abc = &(&w[0] * &w[1]) * &w[2];
    assert_exact(&k_problem(&abc * &abc, &[0, 0, 0]), ratio(1, 2), 3, "normal-crossing");
}

// docs/theory.md §8 Newton non-degenerate rows.
#[test]
fn newton_nondegenerate_rows() {
    let v = vars(3);
    let (x, y, z) = (&v[0], &v[1], &v[2]);
    let v2 = vars(2);
    let (a, b) = (&v2[0], &v2[1]);
    // x² + y⁴: 1/2 + 1/4.
    assert_exact(&k_problem(&a.pow(2) + &b.pow(4), &[0, 0]), ratio(3, 4), 1, "newton-nondegenerate");
    // x⁴ + y⁴: 1/4 + 1/4.
    let r = assert_exact(&k_problem(&a.pow(4) + &b.pow(4), &[0, 0]), ratio(1, 2), 1, "newton-nondegenerate");
    assert_eq!(r.certificate["hit_point"], serde_json::json!(["2", "2"]));
    // x²y² + y²z² + z²x²: hit point (4/3,4/3,4/3) inside the triangle → (3/4, 1).
    let k = &(&(&x.pow(2) * &y.pow(2)) + &(&y.pow(2) * &z.pow(2))) + &(&z.pow(2) * &x.pow(2));
    let r = assert_exact(&k_problem(k, &[0, 0, 0]), ratio(3, 4), 1, "newton-nondegenerate");
    let faces = r.certificate["faces"].as_array().unwrap();
    assert_eq!(faces.iter().filter(|f| f["dim"] == 2).count(), 1);
}

// (x² + xy + y²)²: the edge face polynomial is x⁴·g(y/x) with
// g(s) = (1 + s + s²)², no real root (Sturm) → exact (1/2, 1); it is
// ≍ (x² + y²)², whose real pair is (1/2, 1) (docs/theory.md §5).
#[test]
fn edge_certified_by_sturm() {
    let v = vars(2);
    let (x, y) = (&v[0], &v[1]);
    let k = (&(&x.pow(2) + &(x * y)) + &y.pow(2)).pow(2);
    let r = assert_exact(&k_problem(k, &[0, 0]), ratio(1, 2), 1, "newton-nondegenerate");
    let faces = r.certificate["faces"].as_array().unwrap();
    let edge = faces.iter().find(|f| f["dim"] == 1).unwrap();
    assert!(edge["certificate"].as_str().unwrap().starts_with("sturm"), "{edge}");
}

// docs/theory.md §3 traps: (x+y)² Newton (1, 1), truth 1/2.
#[test]
fn degenerate_line() {
    let v = vars(2);
    let s = &v[0] + &v[1];
    let r = assert_bound(&k_problem(&s * &s, &[0, 0]), ratio(1, 2), (rat(1), 1), "degenerate");
    assert_eq!(r.lower, ratio(1, 2)); // 1/ord₀ = 1/2: here the lower bound is sharp.
    assert!(r.certificate["nondegeneracy"]["witness"].as_str().unwrap().contains("= -1"));
}

// (y² − x³)²: cusp, truth 5/12 = Newton value; degenerate (§3 traps).
#[test]
fn degenerate_cusp() {
    let v = vars(2);
    let (x, y) = (&v[0], &v[1]);
    let f = &y.pow(2) - &x.pow(3);
    let r = assert_bound(&k_problem(&f * &f, &[0, 0]), ratio(5, 12), (ratio(5, 12), 1), "degenerate");
    assert_eq!(r.lower, ratio(1, 4));
}

// (x² − y²)²: Newton (1/2, 1), truth (1/2, 2) (§3 traps).
#[test]
fn degenerate_lines_pair() {
    let v = vars(2);
    let (x, y) = (&v[0], &v[1]);
    let f = &x.pow(2) - &y.pow(2);
    assert_bound(&k_problem(&f * &f, &[0, 0]), ratio(1, 2), (ratio(1, 2), 1), "degenerate");
    // (x² − 2y²)²: same arrangement type (docs/theory.md §7: lct = 1, λ = 1/2); the
    // torus zero s = ±1/√2 is irrational and certified by root isolation.
    let f = &x.pow(2) - &y.pow(2).scale(&rat(2));
    let r = assert_bound(&k_problem(&f * &f, &[0, 0]), ratio(1, 2), (ratio(1, 2), 1), "degenerate");
    assert!(r.certificate["nondegeneracy"]["witness"].as_str().unwrap().contains("∈ ("));
}

// (x + y + z)²: a degenerate 2-face with the exact torus zero (1, 1, -2)
// found by search; truth 1/2 (a smooth hypersurface squared).
#[test]
fn degenerate_plane() {
    let v = vars(3);
    let s = &(&v[0] + &v[1]) + &v[2];
    assert_bound(&k_problem(&s * &s, &[0, 0, 0]), ratio(1, 2), (ratio(3, 2), 1), "degenerate");
}

// x⁴ + y⁴ + z⁴ + x²yz: non-degenerate by AM-GM, but the 2-face is not
// even-positive and has no rational zero: uncertified, so only a bound
// (Newton λ = 3/4 is then the truth, Varchenko).
#[test]
fn uncertified_two_face_is_a_bound() {
    let v = vars(3);
    let (x, y, z) = (&v[0], &v[1], &v[2]);
    let k = &(&(&x.pow(4) + &y.pow(4)) + &z.pow(4)) + &(&(&x.pow(2) * y) * z);
    assert_bound(&k_problem(k, &[0, 0, 0]), ratio(3, 4), (ratio(3, 4), 1), "uncertified");
}

// RRR (M,N,H,r) = (2,2,1,0) (§8, §7 case 1: s = 2·1·4 − 0 − 1 = 7, M+N+H+r
// = 5 odd → λ = 8/8 = 1, m = 2). BA has monomial entries: a monomial ideal.
#[test]
fn reduced_rank_regression_2210() {
    let v = vars(4);
    let (a1, a2, b1, b2) = (&v[0], &v[1], &v[2], &v[3]);
    let gens = vec![b1 * a1, b1 * a2, b2 * a1, b2 * a2];
    assert_exact(&ideal_problem(gens.clone()), rat(1), 2, "monomial");
    // The same loss expanded, K = (a1² + a2²)(b1² + b2²): even-positive.
    let k = gens.iter().fold(Poly::zero(4), |acc, g| &acc + &(g * g));
    assert_exact(&k_problem(k, &[0, 0, 0, 0]), rat(1), 2, "newton-nondegenerate");
}

// Ideals: ⟨x, y − x²⟩ = ⟨x, y⟩ has λ = 1 (docs/theory.md §4 "Termination": reading
// one generator as monomial × unit would wrongly give 1/2).
#[test]
fn ideal_with_a_monomial_face_part() {
    let v = vars(2);
    let (x, y) = (&v[0], &v[1]);
    assert_exact(&ideal_problem(vec![x.clone(), y - &x.pow(2)]), rat(1), 1, "regular");
    // Newton route on the same ideal: t* = 1, edge certified by the
    // monomial face part x.
    let a = rlct::newton::analyze(&[x.clone(), y - &x.pow(2)], true, &[0, 0]);
    assert_eq!((a.pair.lambda.clone(), a.pair.t_star.clone()), (rat(1), rat(1)));
    assert_eq!(a.nondegeneracy, rlct::newton::Nondegeneracy::Certified);
    assert!(a.faces.iter().any(|f| f.certificate == "monomial generator part"));
    // Monomial ideal ⟨x², xy, y³⟩: Γ(I) has the vertex (1,1) on the diagonal,
    // t_I = 1, so λ = 1/(2·1) = 1/2 with θ = 2.
    assert_exact(&ideal_problem(vec![x.pow(2), x * y, y.pow(3)]), ratio(1, 2), 2, "monomial");
    // ⟨x + y⟩: degenerate edge (g(s) = 1 + s, root −1), Newton (1, 1) vs
    // truth 1/2 (one smooth generator in two variables).
    let r = assert_bound(&ideal_problem(vec![x + y]), ratio(1, 2), (rat(1), 1), "degenerate");
    assert_eq!(r.lower, ratio(1, 2));
    // ⟨x + y, y⟩ has full-rank linear part: regular, λ = 1.
    assert_exact(&ideal_problem(vec![x + y, y.clone()]), rat(1), 1, "regular");
    // ⟨x² − y², xy⟩: gcd of the edge parts' g is 1 → certified; (x²−y²)² +
    // (xy)² = (x²+y²)², truth (1/2, 1) (docs/theory.md §5).
    assert_exact(&ideal_problem(vec![&x.pow(2) - &y.pow(2), x * y]), ratio(1, 2), 1, "newton-nondegenerate");
}

// A point away from the origin: (x − 1)² + y⁴ at w* = (1, 0) is x² + y⁴ locally.
#[test]
fn translated_point() {
    let v = vars(2);
    let (x, y) = (&v[0], &v[1]);
    let xm1 = x - &Poly::constant(2, rat(1));
    let mut p = k_problem(&xm1.pow(2) + &y.pow(4), &[0, 0]);
    p.point = vec![rat(1), rat(0)];
    p.domain = vec![(rat(0), rat(2)), (rat(-1), rat(1))];
    assert_exact(&p, ratio(3, 4), 1, "newton-nondegenerate");
}

// Inputs the theorem does not cover are clear errors (exit code 2).
#[test]
fn bad_losses_are_errors() {
    let v = vars(2);
    let (x, y) = (&v[0], &v[1]);
    for k in [Poly::zero(2), &x.pow(2) + &Poly::constant(2, rat(1)), x * y, &x.pow(2) - &y.pow(2)] {
        let e = solve(&k_problem(k.clone(), &[0, 0]), &ExactOptions::default()).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{k}: {e}");
    }
}
