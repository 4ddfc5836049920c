//! Matrix chains as a class, not as examples: reduced-rank regressions and
//! deep linear networks of random sizes at random true points in random
//! integer coordinates, against Aoyagi's closed forms (whose code the exact
//! engine does not use for its normal form or reductions), and the
//! theorem leaf against an independent blow-up proof where the search is
//! fast enough.

use rlct::exact::{ExactOptions, solve};
use rlct::models::closed_form;
use rlct::{ExactResult, Status};

use crate::draw;
use draw::Draw;

type M = Vec<Vec<i64>>;

fn identity(n: usize) -> M {
    (0..n).map(|i| (0..n).map(|j| i64::from(i == j)).collect()).collect()
}

fn matmul(a: &M, b: &M) -> M {
    (0..a.len())
        .map(|i| (0..b[0].len()).map(|j| (0..b.len()).map(|k| a[i][k] * b[k][j]).sum()).collect())
        .collect()
}

/// A random unimodular integer matrix and its inverse: a product of
/// `steps` elementary matrices `I + c·e_ij` (and a sign flip).
fn unimodular(d: &mut Draw, n: usize, steps: usize) -> (M, M) {
    let (mut g, mut gi) = (identity(n), identity(n));
    if n == 1 {
        let s = if d.pick(2) == 0 { 1 } else { -1 };
        return (vec![vec![s]], vec![vec![s]]);
    }
    for _ in 0..steps {
        let i = d.pick(n);
        let j = (i + 1 + d.pick(n - 1)) % n;
        let c = [-2, -1, 1, 2][d.pick(4)];
        let mut e = identity(n);
        e[i][j] = c;
        let mut ei = identity(n);
        ei[i][j] = -c;
        g = matmul(&g, &e);
        gi = matmul(&ei, &gi);
    }
    (g, gi)
}

fn text(m: &M) -> String {
    let rows: Vec<String> = m
        .iter()
        .map(|r| format!("[{}]", r.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",")))
        .collect();
    format!("[{}]", rows.join(","))
}

/// The network `y = W_L⋯W_1 x` at the canonical true point of rank `r`
/// (`W_s⁰ = [I_r 0; 0 0]`) moved by `W_s ↦ G_{s+1} W_s G_s⁻¹` (every `G`
/// unimodular, input and output spaces included).
fn network(d: &mut Draw, widths: &[usize], r: usize, moved: bool) -> String {
    let l = widths.len() - 1;
    let gs: Vec<(M, M)> = widths
        .iter()
        .map(|&w| if moved { unimodular(d, w, 3) } else { (identity(w), identity(w)) })
        .collect();
    let mut params = Vec::new();
    let mut truth = Vec::new();
    for s in 0..l {
        let w0: M = (0..widths[s + 1])
            .map(|i| (0..widths[s]).map(|j| i64::from(i == j && i < r)).collect())
            .collect();
        let w = matmul(&matmul(&gs[s + 1].0, &w0), &gs[s].1);
        params.push(format!("W{}[{},{}]", s + 1, widths[s + 1], widths[s]));
        truth.push(format!("W{} = {}", s + 1, text(&w)));
    }
    let product: Vec<String> = (1..=l).rev().map(|s| format!("W{s}")).collect();
    format!(
        "param {}; input x[{}]; output y = {}*x; noise 1; truth {};",
        params.join(", "),
        widths[0],
        product.join("*"),
        truth.join(", ")
    )
}

fn run(program: &str, opts: &ExactOptions) -> ExactResult {
    let p = rlct::dsl::parse_program(program, "chain").unwrap_or_else(|e| panic!("{program}: {e}"));
    solve(&p, opts).unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn assert_closed_form(program: &str, res: &ExactResult, widths: &[usize], r: usize) {
    let cf = closed_form::dln(widths, r).unwrap();
    assert_eq!(res.status, Status::Exact, "{program}: {} ≤ λ ≤ {}", res.lower, res.upper);
    assert_eq!((res.lambda.clone(), Some(res.multiplicity)), (cf.lambda, cf.multiplicity), "{program}");
}

/// Every width ≤ 3 and up to four matrices is in the draw's range; a few
/// draws are one size larger (widths up to 5, five matrices).
#[test]
fn deep_linear_networks_of_random_widths_at_random_unimodular_points() {
    let mut d = Draw(20261204);
    for case in 0..80 {
        let (max_w, max_l) = if case % 8 == 7 { (5, 5) } else { (3, 4) };
        let l = 2 + d.pick(max_l - 1);
        let widths: Vec<usize> = (0..=l).map(|_| 1 + d.pick(max_w)).collect();
        let r = d.pick(widths.iter().min().unwrap() + 1);
        let program = network(&mut d, &widths, r, true);
        let res = run(&program, &ExactOptions::default());
        assert_closed_form(&program, &res, &widths, r);
    }
}

/// Reduced-rank regression with M, N, H ≤ 6 at every rank, in random
/// coordinates: the closed form here is Aoyagi & Watanabe's four cases
/// (`closed_form::rrr`), a separate code from the theorem leaf's.
#[test]
fn reduced_rank_regressions_up_to_six_at_random_unimodular_points() {
    let mut d = Draw(7);
    for _ in 0..60 {
        let (m, h, n) = (1 + d.pick(6), 1 + d.pick(6), 1 + d.pick(6));
        let r = d.pick(m.min(n).min(h) + 1);
        let program = network(&mut d, &[m, h, n], r, true);
        let res = run(&program, &ExactOptions::default());
        let cf = closed_form::rrr(m, n, h, r).unwrap();
        assert_eq!(res.status, Status::Exact, "{program}");
        assert_eq!((res.lambda.clone(), Some(res.multiplicity)), (cf.lambda, cf.multiplicity), "{program}");
    }
}

/// The theorem leaf against a second proof: at the origin, chains small
/// enough for the blow-up search are resolved with the theorem switched
/// off, and the two pairs must agree.
#[test]
fn theorem_leaf_agrees_with_the_blow_up_search() {
    let blow_ups = ExactOptions { skip_theorems: true, ..Default::default() };
    let mut shapes: Vec<Vec<usize>> = Vec::new();
    for l in 2..=3 {
        for code in 0..(1usize << (l + 1)) {
            shapes.push((0..=l).map(|i| 1 + (code >> i & 1)).collect());
        }
    }
    shapes.extend([
        vec![3, 3, 3],
        vec![2, 3, 3],
        vec![3, 2, 3],
        vec![3, 3, 2],
        vec![1, 3, 2],
        vec![2, 2, 3, 1],
    ]);
    let mut d = Draw(1);
    for widths in shapes {
        let program = network(&mut d, &widths, 0, false);
        let theorem = run(&program, &ExactOptions::default());
        assert_eq!(theorem.method, "matrix-chain+theorem", "{program}");
        let search = run(&program, &blow_ups);
        assert_eq!(
            search.status,
            Status::Exact,
            "{program}: the blow-up search gave {} ≤ λ ≤ {}",
            search.lower,
            search.upper
        );
        assert!(!search.method.contains("theorem"), "{program}: {}", search.method);
        assert_eq!((search.lambda, search.multiplicity), (theorem.lambda, theorem.multiplicity), "{program}");
    }
}

/// Two layers at arbitrary (not most singular) true points: the input- and
/// output-side reductions against the blow-up engine on the untouched
/// ideal (`rlct::exact::blowup` never sees the chain).
#[test]
fn two_layer_chains_at_arbitrary_points_agree_with_the_engine() {
    let mut d = Draw(99);
    let mut compared = 0;
    for _ in 0..40 {
        let (m, h, n) = (1 + d.pick(3), 1 + d.pick(3), 1 + d.pick(3));
        let a0: M = (0..h).map(|_| (0..m).map(|_| d.int(-1, 1)).collect()).collect();
        let b0: M = (0..n).map(|_| (0..h).map(|_| d.int(-1, 1)).collect()).collect();
        let c0 = matmul(&b0, &a0);
        let mut gens = Vec::new();
        for i in 0..n {
            for j in 0..m {
                let terms: Vec<String> =
                    (0..h).map(|k| format!("B[{},{}]*A[{},{}]", i + 1, k + 1, k + 1, j + 1)).collect();
                gens.push(format!("{} - ({})", terms.join(" + "), c0[i][j]));
            }
        }
        let program = format!(
            "param A[{h},{m}], B[{n},{h}]; ideal <{}>; at A = {}, B = {};",
            gens.join(", "),
            text(&a0),
            text(&b0)
        );
        let chain = run(&program, &ExactOptions::default());
        assert_eq!(chain.status, Status::Exact, "{program}");
        assert!(chain.method.starts_with("matrix-chain"), "{program}: {}", chain.method);
        let p = rlct::dsl::parse_program(&program, "chain").unwrap();
        let engine = rlct::exact::blowup(&p, &ExactOptions::default()).unwrap();
        assert!(engine.lower <= chain.lambda && chain.lambda <= engine.upper, "{program}");
        if engine.status == Status::Exact {
            assert_eq!(
                (&engine.lambda, engine.multiplicity),
                (&chain.lambda, chain.multiplicity),
                "{program}"
            );
            compared += 1;
        }
    }
    assert!(compared >= 30, "only {compared} of 40 points resolved exactly by the engine alone");
}
