//! Toric charts from a regular refinement of the Newton fan
//! (`rlct::resolve::toric`): the fan itself (unimodular cones covering the
//! orthant, each inside one cone of the normal fan), the chart algebra on
//! hand cases, the coordinate blow-up as a special case, and the main
//! soundness check — the toric strategy and the coordinate blow-up
//! strategy, two independent resolutions, agree on every degenerate case
//! with ≤ 4 variables that the engine resolves exactly.

use num_traits::{ToPrimitive, Zero};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rlct::dsl::parse_program;
use rlct::estimate::{EstimateOptions, Method, estimate};
use rlct::exact::ExactOptions;
use rlct::poly::{Poly, Rat, ratio};
use rlct::resolve::chart::ChartNode;
use rlct::resolve::region::Range;
use rlct::resolve::toric::{Cone, regular_fan, toric_chart};
use rlct::{ExactResult, Loss, Problem, Status};

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("w{i}")).collect()
}

fn dot(a: &[i64], b: &[u32]) -> i64 {
    a.iter().zip(b).map(|(x, &y)| x * y as i64).sum()
}

/// Checks the refinement of `supp`: every cone unimodular with primitive
/// non-negative rays; some support point minimises ⟨v, ·⟩ for every ray v
/// of a cone (the cone lies in one maximal cone of the normal fan); and
/// random integer vectors of the orthant lie in at least one closed cone
/// and in at most one open cone (a cover with disjoint interiors).
fn check_fan(supp: &[Vec<u32>], seed: u64) -> Vec<Cone> {
    let d = supp[0].len();
    let fan = regular_fan(supp).expect("fan within the caps");
    for c in &fan {
        assert_eq!(c.det().abs(), 1, "{c:?}");
        for r in &c.rays {
            assert!(r.iter().all(|&x| x >= 0), "{r:?}");
            let g = r.iter().fold(0i64, |g, &x| num_integer::gcd(g, x));
            assert_eq!(g, 1, "ray {r:?} not primitive");
        }
        let inside_one_normal_cone = supp
            .iter()
            .any(|alpha| c.rays.iter().all(|v| supp.iter().all(|beta| dot(v, beta) >= dot(v, alpha))));
        assert!(inside_one_normal_cone, "{c:?} crosses a wall of the normal fan of {supp:?}");
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for _ in 0..300 {
        let w: Vec<i64> = (0..d).map(|_| rng.random_range(0..40)).collect();
        if w.iter().all(|&x| x == 0) {
            continue;
        }
        let coords: Vec<Vec<Rat>> = fan.iter().map(|c| c.coordinates(&w).unwrap()).collect();
        let closed = coords.iter().filter(|l| l.iter().all(|x| *x >= Rat::zero())).count();
        let open = coords.iter().filter(|l| l.iter().all(|x| *x > Rat::zero())).count();
        assert!(closed >= 1, "{w:?} lies in no cone of {fan:?}");
        assert!(open <= 1, "{w:?} lies in the interior of {open} cones");
    }
    fan
}

#[test]
fn fan_of_x2_plus_y3_is_the_minimal_resolution() {
    // Γ(x² + y³): the facet normal (3, 2); the regular refinement adds
    // (1, 1) and (2, 1) — the rays of the minimal resolution of the cusp.
    let supp = vec![vec![2, 0], vec![0, 3]];
    let fan = check_fan(&supp, 1);
    let mut rays: Vec<Vec<i64>> = fan.iter().flat_map(|c| c.rays.clone()).collect();
    rays.sort();
    rays.dedup();
    assert_eq!(rays, vec![vec![0, 1], vec![1, 0], vec![1, 1], vec![2, 1], vec![3, 2]]);
    assert_eq!(fan.len(), 4);
}

#[test]
fn fans_in_three_and_four_variables_are_regular_covers() {
    let cases: Vec<Vec<Vec<u32>>> = vec![
        // x²y² − z⁵
        vec![vec![2, 2, 0], vec![0, 0, 5]],
        // <y² − x³, z² − y³>
        vec![vec![0, 2, 0], vec![3, 0, 0], vec![0, 0, 2], vec![0, 3, 0]],
        // z² − x³y⁵
        vec![vec![0, 0, 2], vec![3, 5, 0]],
        // a 4-variable support
        vec![vec![2, 0, 0, 0], vec![0, 3, 0, 0], vec![0, 0, 2, 0], vec![1, 1, 1, 1], vec![0, 0, 0, 4]],
    ];
    for (k, supp) in cases.iter().enumerate() {
        let fan = check_fan(supp, 10 + k as u64);
        assert!(fan.len() >= 2);
    }
    // Past the caps the fan is not computed (the engine then falls back
    // to coordinate blow-ups): five variables, or more than 24 points that
    // dominate no other. Dominated points are dropped first.
    assert!(regular_fan(&[vec![2, 0, 0, 0, 0], vec![0, 2, 0, 0, 0]]).is_none());
    let antichain: Vec<Vec<u32>> = (0..30).map(|i| vec![i, 29 - i]).collect();
    assert!(regular_fan(&antichain).is_none());
    let mut dominated = vec![vec![2, 0], vec![0, 3]];
    dominated.extend((0..30).map(|i| vec![2 + i, 3 + i]));
    assert_eq!(regular_fan(&dominated), regular_fan(&[vec![2, 0], vec![0, 3]]));
    // A monomial has a one-vertex polyhedron: the orthant alone.
    let fan = regular_fan(&[vec![1, 2, 0]]).unwrap();
    assert_eq!(fan.len(), 1);
    let mut rays = fan[0].rays.clone();
    rays.sort();
    let mut unit = Cone::orthant(3).rays;
    unit.sort();
    assert_eq!(rays, unit);
}

#[test]
fn chart_algebra_of_the_cusp() {
    // Cone with rays (2,3), (1,2): x = τ1²τ2, y = τ1³τ2², so
    // y² − x³ = τ1⁶τ2⁴ − τ1⁶τ2³ = τ1⁶τ2³(τ2 − 1); Jacobian |τ1⁴τ2²|.
    let x = Poly::var(2, 0);
    let y = Poly::var(2, 1);
    let f = &(&y * &y) - &x.pow(3);
    let cone = Cone { rays: vec![vec![2, 3], vec![1, 2]] };
    assert_eq!(cone.det(), 1);
    assert_eq!(cone.jacobian_exponent(), Some(vec![4, 2]));
    let node = ChartNode {
        names: vec!["x".into(), "y".into()],
        gens: vec![f],
        ideal: true,
        beta: vec![0, 0],
        h: vec![1, 0],
        region: vec![Range::Local; 2],
    };
    let ch = toric_chart(&node, &cone, &["a".into(), "b".into()]).unwrap();
    assert_eq!(ch.beta, vec![6, 3]);
    // h' = Σ_i (h_i + 1) V_ij − 1: (2·2 + 1·3 − 1, 2·1 + 1·2 − 1).
    assert_eq!(ch.h, vec![6, 3]);
    let b = Poly::var(2, 1);
    let strict = &b - &Poly::one(2);
    assert!(ch.gens == vec![strict.clone()] || ch.gens == vec![-&strict], "{:?}", ch.gens);
    // Both rays meet both rows of V: the fibre over 0 is {a = 0} ∪ {b = 0}.
    assert_eq!(cone.minimal_hitting_sets(), vec![vec![0], vec![1]]);
    // A prior-free monomial factor carried in β is pulled back too.
    let node2 = ChartNode { beta: vec![1, 0], h: vec![0, 0], ..node };
    let ch2 = toric_chart(&node2, &cone, &["a".into(), "b".into()]).unwrap();
    assert_eq!(ch2.beta, vec![6 + 2, 3 + 1]);
    assert_eq!(ch2.h, vec![4, 2]);
}

#[test]
fn coordinate_point_blow_up_is_a_toric_chart() {
    // Chart 0 of the point blow-up in 3 variables is the cone
    // {(1,1,1), e2, e3}: x = u, y = u v, z = u w.
    let x = Poly::var(3, 0);
    let y = Poly::var(3, 1);
    let z = Poly::var(3, 2);
    let g = &(&(&y * &y) - &x.pow(3)) + &(&z * &(&x * &y));
    let node = ChartNode {
        names: vec!["x".into(), "y".into(), "z".into()],
        gens: vec![g, &z - &(&x * &x)],
        ideal: true,
        beta: vec![0, 0, 1],
        h: vec![1, 0, 2],
        region: vec![Range::Local; 3],
    };
    let cone = Cone { rays: vec![vec![1, 1, 1], vec![0, 1, 0], vec![0, 0, 1]] };
    assert_eq!(cone.minimal_hitting_sets(), vec![vec![0]]);
    let mut tor = toric_chart(&node, &cone, &node.names).unwrap();
    tor.region[0] = Range::Local;
    let blow = node.blow_up_chart(&[0, 1, 2], 0);
    assert_eq!(tor.gens, blow.gens);
    assert_eq!(tor.beta, blow.beta);
    assert_eq!(tor.h, blow.h);
    assert_eq!(tor.region, blow.region);
}

fn resolve_with(p: &Problem, toric: bool) -> ExactResult {
    rlct::exact::blowup(p, &ExactOptions { toric: Some(toric), ..Default::default() }).expect("solve")
}

fn charts_explored(r: &ExactResult) -> u64 {
    r.certificate["charts_explored"].as_u64().unwrap()
}

fn poly_case(program: &str) -> Problem {
    parse_program(program, "t").unwrap_or_else(|e| panic!("{program}: {e:?}"))
}

fn product_ideal(widths: &[usize]) -> Problem {
    let (nm, gens) = rlct::resolve::matrix_product_ideal(widths);
    Problem::new(nm, Loss::Ideal(gens))
}

/// The degenerate cases with ≤ 4 variables that the coordinate strategy
/// resolves exactly in tests/resolve_cases.rs and tests/exact_vs_volume.rs
/// (and docs/theory.md §8), plus a few more plane curves.
pub(crate) fn degenerate_cases() -> Vec<(String, Problem)> {
    let mut out: Vec<(String, Problem)> = [
        "K = (x + y)^2;",
        "K = (y^2 - x^3)^2;",
        "K = (x^2 - y^2)^2;",
        "K = (y^2 - x^5)^2;",
        "K = (x^3 - y^3)^2;",
        "K = (x - y)^2*(x + y)^2;",
        "ideal <y - x^2, z - x^3>;",
        "ideal <x, y - x^2>;",
        "K = (y^2 - x^3)^2 + z^6;",
        "K = (y^2 - x^3)^2*x^2;",
        "K = (y^3 - x^7)^2;",
        "K = (y^2 - x^3)^2*(y^3 - x^2)^2;",
        "K = (x*y*(x + y))^2;",
        "K = (x*y*(x + y)*(x - y))^2;",
        "K = (x*y*z*(x + y + z))^2;",
        "K = (x*y*(x + y)*z)^2;",
    ]
    .iter()
    .map(|s| (s.to_string(), poly_case(s)))
    .collect();
    // (x + y)² with φ = |x y| (tests/resolve_cases.rs).
    let mut p = poly_case("K = (x + y)^2;");
    p.prior = vec![1, 1];
    out.push(("(x + y)^2, prior |xy|".into(), p));
    // Reduced-rank regression and deep linear networks with ≤ 4 weights.
    for widths in [
        vec![1, 1, 1],
        vec![2, 1, 1],
        vec![1, 1, 2],
        vec![2, 1, 2],
        vec![1, 2, 1],
        vec![1, 1, 1, 1],
        vec![2, 1, 1, 1],
        vec![1, 1, 1, 2],
    ] {
        out.push((format!("product of matrices, widths {widths:?}"), product_ideal(&widths)));
    }
    let _ = names(0);
    out
}

#[test]
fn toric_and_coordinate_strategies_agree() {
    let mut report = Vec::new();
    for (label, p) in degenerate_cases() {
        assert!(p.dim() <= 4, "{label}");
        let coord = resolve_with(&p, false);
        assert_eq!(coord.status, Status::Exact, "{label}: coordinate strategy not exact");
        let tor = resolve_with(&p, true);
        let truth = (coord.lambda.clone(), coord.multiplicity);
        match tor.status {
            Status::Exact => assert_eq!(
                (tor.lambda.clone(), tor.multiplicity),
                truth,
                "{label}: the two strategies disagree\n{}",
                tor.trace.join("\n")
            ),
            _ => {
                assert!(
                    tor.lower <= truth.0 && truth.0 <= tor.upper,
                    "{label}: toric bound excludes the truth"
                );
            }
        }
        report.push(format!(
            "{label}: ({}, {}) coordinate {} charts, toric {} charts ({:?})",
            truth.0,
            truth.1,
            charts_explored(&coord),
            charts_explored(&tor),
            tor.status
        ));
    }
    println!("{}", report.join("\n"));
    // Every case above is resolved exactly by the toric strategy too.
    for (label, p) in degenerate_cases() {
        assert_eq!(resolve_with(&p, true).status, Status::Exact, "{label}");
    }
}

/// Three losses in three variables whose Newton polyhedra have a
/// degenerate edge through the hit point, so Newton alone only bounds
/// them, and which coordinate blow-ups leave as bounds after the default
/// budget of 2,000 charts. One toric modification resolves each in a few
/// dozen charts: on every chart the degenerate face's zeros are a smooth
/// hypersurface (`τ = 1`-type, λ = 1/2 there) and the pair is the Newton
/// pair. Derivations of the Newton pairs (Γ(K) = 2Γ(f)):
/// - (x²y² − z⁵)²: t(1,1,1) = (5/7)(2,2,0) + (2/7)(0,0,5) at t = 10/7,
///   in the relative interior of the edge (no slack): λ = 7/20, θ = 2;
/// - (z² − x³y⁵)²: t = 2s = 5(1 − s) gives s = 5/7, t = 10/7, with slack
///   10/7 − 6/7 in x (the face is the edge plus the ray e_x): λ = 7/20,
///   θ = 1;
/// - <y² − x³, z² − y³>: the facet through (3,0,0), (0,2,0), (0,0,2) has
///   normal (2,3,3) and value 6, so t·8 = 6 at t = 3/4 in Γ(f), inside
///   that facet: λ = 1/(2t) = 2/3, θ = 1.
///
/// Each is also checked against the volume estimator with m fixed by the
/// exact engine (|z| ≤ 4 in the reported standard error).
#[test]
fn toric_charts_resolve_in_few_nodes_what_coordinate_blow_ups_cannot() {
    let cases = [
        ("K = (x^2*y^2 - z^5)^2;", ratio(7, 20), 2),
        ("K = (z^2 - x^3*y^5)^2;", ratio(7, 20), 1),
        ("ideal <y^2 - x^3, z^2 - y^3>;", ratio(2, 3), 1),
    ];
    for (program, lambda, m) in cases {
        let p = poly_case(program);
        let tor = resolve_with(&p, true);
        assert_eq!(tor.status, Status::Exact, "{program}\n{}", tor.trace.join("\n"));
        assert_eq!((tor.lambda.clone(), tor.multiplicity), (lambda.clone(), m), "{program}");
        let coord = resolve_with(&p, false);
        assert_eq!(coord.status, Status::Bound, "{program}");
        assert!(coord.lower <= lambda && lambda <= coord.upper, "{program}");
        let (nt, nc) = (charts_explored(&tor), charts_explored(&coord));
        println!("{program}: toric {nt} charts (exact), coordinate {nc} charts (bound)");
        // Measured: 21–79 charts (the divisor split keeps the prior of a
        // bounded variable since 2026-12-06, which costs charts).
        assert!(nt <= 100, "{program}: toric used {nt} charts");
        // Through the public entry point (which also checks the pair
        // against the Newton bound), then against the volume estimator.
        let r = rlct::exact::solve(&p, &ExactOptions { toric: Some(true), ..Default::default() }).unwrap();
        assert_eq!((r.status, r.lambda.clone(), r.multiplicity), (Status::Exact, lambda.clone(), m));
        let opts =
            EstimateOptions { method: Method::Volume, seed: 11, multiplicity: Some(m), ..Default::default() };
        let v = estimate(&p, &opts).unwrap().volume.unwrap();
        let lam = lambda.to_f64().unwrap();
        let z = (v.lambda - lam) / v.stderr;
        assert!(
            z.abs() <= 4.0,
            "{program}: volume {:.4} ± {:.4} vs exact {lam} (z = {z:.2})",
            v.lambda,
            v.stderr
        );
    }
}

#[test]
fn trace_shows_toric_charts() {
    let out = assert_cmd::Command::cargo_bin("rlct")
        .unwrap()
        .args(["exact", "-e", "K = (y^2 - x^3)^2;", "--charts", "toric", "--trace"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("λ = 5/12, m = 1 (exact"), "{text}");
    // The whole text: tests/it/snapshots/cusp_toric.txt.
    crate::trace_snapshots::assert_snapshot("cusp_toric", &text);
    // The coordinate strategy on request shows none.
    let out = assert_cmd::Command::cargo_bin("rlct")
        .unwrap()
        .args(["exact", "-e", "K = (y^2 - x^3)^2;", "--charts", "coordinate", "--trace"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("toric chart") && text.contains("blow up the centre"), "{text}");
    // A bad value is a usage error, exit 2.
    let out = assert_cmd::Command::cargo_bin("rlct")
        .unwrap()
        .args(["exact", "-e", "K = x^2;", "--charts", "spherical"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
