//! Held-out cases: losses drawn at random (a fixed seed), not chosen by
//! hand, against a closed form the engine does not use.
//!
//! Central hyperplane arrangements with multiplicities, f = Π l_j^{s_j}:
//! lct(f) = min over flats W of codim W / Σ_{j: W ⊆ ker l_j} s_j and
//! λ(f²) = lct/2 (docs/theory.md §7; real = complex for real central
//! arrangements). In the plane the multiplicity is known too: one blow-up
//! of the origin separates the lines, so the exceptional divisor E (pole
//! 2/S, S = Σ s_j) meets each strict transform (pole 1/s_j) transversally
//! and the lines are pairwise disjoint: m = 2 exactly when 2/S equals the
//! smallest 1/s_j, else 1.
//!
//! Whatever the engine returns must contain the truth; an exact claim must
//! equal it.

use rlct::exact::{ExactOptions, solve};
use rlct::poly::{Poly, rat};
use rlct::{Loss, Problem, Status};

use crate::draw;
use draw::Draw;

use crate::arrangement;
use arrangement::{arrangement_lambda, rank};

/// `count` pairwise independent integer linear forms in `n` variables.
fn forms(d: &mut Draw, n: usize, count: usize) -> Vec<Vec<i64>> {
    let mut out: Vec<Vec<i64>> = Vec::new();
    while out.len() < count {
        let l: Vec<i64> = (0..n).map(|_| d.int(-3, 3)).collect();
        let r = |a: &[i64]| rank(&[a.iter().map(|&c| rat(c)).collect()]);
        if r(&l) == 0 {
            continue;
        }
        let independent = out
            .iter()
            .all(|o| rank(&[o.iter().map(|&c| rat(c)).collect(), l.iter().map(|&c| rat(c)).collect()]) == 2);
        if independent {
            out.push(l);
        }
    }
    out
}

fn problem(n: usize, forms: &[Vec<i64>], s: &[u32]) -> Problem {
    let f = forms.iter().zip(s).fold(Poly::one(n), |acc, (l, &sj)| {
        let lin = l.iter().enumerate().fold(Poly::zero(n), |a, (i, &c)| &a + &Poly::var(n, i).scale(&rat(c)));
        &acc * &lin.pow(sj)
    });
    Problem::new((0..n).map(|i| format!("w{i}")).collect(), Loss::Ideal(vec![f]))
}

#[test]
fn random_line_arrangements_in_the_plane() {
    let mut d = Draw(2026);
    for case in 0..40 {
        let count = d.int(1, 4) as usize;
        let fs = forms(&mut d, 2, count);
        let s: Vec<u32> = (0..count).map(|_| d.int(1, 3) as u32).collect();
        let truth = arrangement_lambda(&fs, &s);
        let total: u32 = s.iter().sum();
        let smax = *s.iter().max().unwrap();
        // m = 2 iff the origin's pole 2/S ties with the largest line pole 1/s_max.
        let m = if count >= 2 && 2 * smax == total { 2 } else { 1 };
        let r = solve(&problem(2, &fs, &s), &ExactOptions::default()).unwrap();
        let what = format!("case {case}: forms {fs:?}, powers {s:?}");
        assert_eq!(r.status, Status::Exact, "{what}: {} ≤ λ ≤ {}", r.lower, r.upper);
        assert_eq!((r.lambda, r.multiplicity), (truth, m), "{what}");
    }
}

#[test]
fn random_plane_arrangements_in_space() {
    let mut d = Draw(7);
    for case in 0..24 {
        let count = d.int(2, 4) as usize;
        let fs = forms(&mut d, 3, count);
        let s: Vec<u32> = (0..count).map(|_| d.int(1, 2) as u32).collect();
        let truth = arrangement_lambda(&fs, &s);
        let r = solve(&problem(3, &fs, &s), &ExactOptions::default()).unwrap();
        let what = format!("case {case}: forms {fs:?}, powers {s:?}");
        // Never wrong, and (with affine factors as coordinates) exact.
        assert!(r.lower <= truth && truth <= r.upper, "{what}: {} ≤ {truth} ≤ {}", r.lower, r.upper);
        assert_eq!(r.status, Status::Exact, "{what}: {} ≤ λ ≤ {}", r.lower, r.upper);
        assert_eq!(r.lambda, truth, "{what}");
    }
}

/// Integer matrix product.
fn matmul(a: &[Vec<i64>], b: &[Vec<i64>]) -> Vec<Vec<i64>> {
    (0..a.len())
        .map(|i| (0..b[0].len()).map(|j| (0..b.len()).map(|k| a[i][k] * b[k][j]).sum()).collect())
        .collect()
}

fn matrix_text(m: &[Vec<i64>]) -> String {
    let rows: Vec<String> = m
        .iter()
        .map(|r| format!("[{}]", r.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",")))
        .collect();
    format!("[{}]", rows.join(","))
}

/// Reduced-rank regression at random true points: A₀ = P·Q (H×M), B₀ =
/// S·T (N×H) with random small integer factors of rank r, kept when
/// B₀A₀ has rank r (T·P invertible, S and Q of rank r). Every such point
/// is carried to the canonical one by GL(M) × GL(H) × GL(N), so its pair
/// is the Aoyagi–Watanabe closed form of (M, N, H, r) — which the engine
/// never sees: it resolves the translated coefficient ideal with
/// non-trivial units. Bounds must contain the closed form; exact answers
/// must equal it.
#[test]
fn reduced_rank_regression_at_random_true_points() {
    let mut d = Draw(20261123);
    let shapes = [(2, 2, 2, 1), (3, 2, 2, 1), (2, 3, 2, 1), (3, 3, 2, 1), (3, 3, 3, 1), (3, 3, 3, 2)];
    let mut checked = 0;
    let mut exact = 0;
    for &(m, n, h, r) in shapes.iter().cycle().take(24) {
        let mut draw_matrix = |rows: usize, cols: usize| -> Vec<Vec<i64>> {
            (0..rows).map(|_| (0..cols).map(|_| d.int(-2, 2)).collect()).collect()
        };
        let (p, q, s, t) = (draw_matrix(h, r), draw_matrix(r, m), draw_matrix(n, r), draw_matrix(r, h));
        let a0 = matmul(&p, &q);
        let b0 = matmul(&s, &t);
        let as_rows =
            |x: &[Vec<i64>]| x.iter().map(|row| row.iter().map(|&v| rat(v)).collect()).collect::<Vec<_>>();
        if rank(&as_rows(&matmul(&b0, &a0))) != r {
            continue;
        }
        let program = format!(
            "param A[{h},{m}], B[{n},{h}]; input x[{m}]; output y = B*A*x; truth A = {}, B = {};",
            matrix_text(&a0),
            matrix_text(&b0)
        );
        let problem = rlct::dsl::parse_program(&program, "heldout").unwrap();
        let res = solve(&problem, &ExactOptions::default()).unwrap();
        let cf =
            rlct::models::Family::Rrr { inputs: m, outputs: n, hidden: h, rank: r }.closed_form().unwrap();
        assert!(
            res.lower <= cf.lambda && cf.lambda <= res.upper,
            "{program}: {} ≤ {} ≤ {}",
            res.lower,
            cf.lambda,
            res.upper
        );
        if res.status == Status::Exact {
            assert_eq!(
                (res.lambda.clone(), Some(res.multiplicity)),
                (cf.lambda.clone(), cf.multiplicity),
                "{program}"
            );
            exact += 1;
        }
        eprintln!("({m},{n},{h},{r}) {:?}: {} ≤ λ ≤ {}", res.status, res.lower, res.upper);
        checked += 1;
    }
    eprintln!("{exact} of {checked} exact");
    // Measured: 17 draws of full rank r, 14 exact. The three bounds are
    // (3,3,3,1): after the blow-ups a pivot coefficient such as 1 + 2u
    // vanishes inside a chart box (the canonical point of (3,3,3,1) is
    // exact, tests/models_closed_form.rs).
    assert!(checked >= 16, "only {checked} random true points of full rank r");
    assert!(exact >= 14, "only {exact} of {checked} random true points exact");
}
