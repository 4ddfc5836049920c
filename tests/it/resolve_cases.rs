//! The blow-up engine on known cases: docs/theory.md §8, hyperplane arrangements
//! (docs/theory.md §7 formula), reduced-rank regression (Aoyagi & Watanabe 2005)
//! and deep linear networks (Aoyagi 2024), plus honest bounds under a
//! tiny budget.

use num_bigint::BigInt;
use num_traits::{One, Zero};
use rlct::exact::ExactOptions;
use rlct::poly::{Poly, Rat, rat, ratio};
use rlct::{Loss, Problem, Status};

use crate::arrangement;

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("w{i}")).collect()
}

fn var(n: usize, i: usize) -> Poly {
    Poly::var(n, i)
}

fn solve(p: &Problem) -> rlct::ExactResult {
    rlct::exact::solve(p, &ExactOptions::default()).expect("solve")
}

/// The blow-up engine alone (the Newton analysis of a large bilinear ideal
/// costs more than the whole search).
fn blow_up(p: &Problem, budget: Option<usize>) -> rlct::ExactResult {
    rlct::exact::blowup(p, &ExactOptions { budget, ..Default::default() }).expect("solve")
}

fn assert_exact(p: &Problem, lambda: Rat, m: usize) {
    let r = solve(p);
    assert_eq!(r.status, Status::Exact, "{:?}: got {} ≤ λ ≤ {}", p.variables, r.lower, r.upper);
    assert_eq!((r.lambda.clone(), r.multiplicity), (lambda, m), "trace:\n{}", r.trace.join("\n"));
    assert_eq!(r.lower, r.upper);
}

fn poly_problem(n: usize, k: Poly) -> Problem {
    Problem::new(names(n), Loss::Polynomial(k))
}

#[test]
fn public_cases_of_math_section_8() {
    let x = var(3, 0);
    let y = var(3, 1);
    let z = var(3, 2);
    let sq = |p: &Poly| p * p;
    let cases: Vec<(Poly, Vec<u32>, Rat, usize)> = vec![
        (sq(&x), vec![0, 0, 0], ratio(1, 2), 1),
        (&(&sq(&x) + &sq(&y)) + &sq(&z), vec![0, 0, 0], ratio(3, 2), 1),
        (x.pow(4), vec![0, 0, 0], ratio(1, 4), 1),
        (sq(&(&x * &y)), vec![0, 0, 0], ratio(1, 2), 2),
        (&sq(&x) * &y.pow(4), vec![0, 0, 0], ratio(1, 4), 1),
        (sq(&(&x * &y)), vec![1, 0, 0], ratio(1, 2), 1),
        (&sq(&x) + &y.pow(4), vec![0, 0, 0], ratio(3, 4), 1),
        (&x.pow(4) + &y.pow(4), vec![0, 0, 0], ratio(1, 2), 1),
        (&(&sq(&(&x * &y)) + &sq(&(&y * &z))) + &sq(&(&z * &x)), vec![0, 0, 0], ratio(3, 4), 1),
        (sq(&(&x + &y)), vec![0, 0, 0], ratio(1, 2), 1),
        (sq(&(&sq(&y) - &x.pow(3))), vec![0, 0, 0], ratio(5, 12), 1),
        (sq(&(&sq(&x) - &sq(&y))), vec![0, 0, 0], ratio(1, 2), 2),
        (sq(&(&(&x * &y) * &z)), vec![0, 0, 0], ratio(1, 2), 3),
        // K = x² with φ = |x|: λ = 1 (docs/theory.md §1).
        (sq(&x), vec![1, 0, 0], rat(1), 1),
        // K = x² + y² with φ = |x|: λ = 3/2 (docs/theory.md §1).
        (&sq(&x) + &sq(&y), vec![1, 0, 0], ratio(3, 2), 1),
    ];
    for (k, h, lambda, m) in cases {
        let (kc, kept) = k.compress();
        let mut p = poly_problem(kc.nvars(), kc);
        p.prior = kept.iter().map(|&i| h[i]).collect();
        assert_exact(&p, lambda, m);
    }
}

/// The trap of docs/theory.md §4: <x, y − x²> = <x, y> has λ = 1, not 1/2.
#[test]
fn ideal_trap_x_and_y_minus_x_squared() {
    let x = var(2, 0);
    let y = var(2, 1);
    let p = Problem::new(names(2), Loss::Ideal(vec![x.clone(), &y - &(&x * &x)]));
    assert_exact(&p, rat(1), 1);
}

/// Units must be units on the whole region: x²(1+v)²-type strict
/// transforms arise from (x² − y²)² and (x + y)², covered above; here the
/// prior moves the answer: K = (x + y)² with φ = |x y| has λ = 1/2 · ...
/// computed independently by the linear change s = x + y? Not allowed
/// (h ≠ 0), so the engine must blow up: λ = min over the arrangement
/// point: (h_x + h_y + 2)/2 = 2 at the origin vs 1/2 on the line: 1/2.
#[test]
fn prior_on_a_degenerate_line() {
    let x = var(2, 0);
    let y = var(2, 1);
    let mut p = poly_problem(2, (&x + &y).pow(2));
    p.prior = vec![1, 1];
    // Blow-up chart x: u²(1+v)², h_u = 3: at v = −1, λ = min(4/2, 1/2) = 1/2, m = 1.
    assert_exact(&p, ratio(1, 2), 1);
}

// ---------------------------------------------------------------------
// Hyperplane arrangements: lct(Π l_j^{s_j}) = min over flats W of
// codim W / Σ_{W ⊆ ker l_j} s_j; λ(f²) = lct/2 (docs/theory.md §7).

/// λ(f²) of a reduced arrangement (every multiplicity 1).
fn arrangement_lambda(forms: &[Vec<i64>]) -> Rat {
    arrangement::arrangement_lambda(forms, &vec![1; forms.len()])
}

#[test]
fn hyperplane_arrangements_match_the_flat_formula() {
    let arrangements: Vec<(usize, Vec<Vec<i64>>, Option<usize>)> = vec![
        (2, vec![vec![1, 0], vec![0, 1]], Some(2)),
        (2, vec![vec![1, 0], vec![0, 1], vec![1, 1]], Some(1)),
        (2, vec![vec![1, 0], vec![0, 1], vec![1, 1], vec![1, -1]], None),
        (3, vec![vec![1, 0, 0], vec![0, 1, 0], vec![0, 0, 1], vec![1, 1, 1]], None),
        (3, vec![vec![1, 0, 0], vec![0, 1, 0], vec![1, 1, 0], vec![0, 0, 1]], None),
        // Resolved by the hyperplane-factor rule (held out before it). m:
        // u = x, v = x − y, w = y − z is unimodular, so K = (u v w)², m = 3;
        // (x − y)²(y − z) becomes u⁴v², m = 1.
        (3, vec![vec![1, 0, 0], vec![1, -1, 0], vec![0, 1, -1]], Some(3)),
        (3, vec![vec![1, -1, 0], vec![1, -1, 0], vec![0, 1, -1]], Some(1)),
        (3, vec![vec![1, -1, 0], vec![0, 1, -1], vec![-1, 0, 1]], None),
    ];
    for (n, forms, m) in arrangements {
        let f = forms.iter().fold(Poly::one(n), |acc, l| {
            let lin = l.iter().enumerate().fold(Poly::zero(n), |a, (i, &c)| &a + &var(n, i).scale(&rat(c)));
            &acc * &lin
        });
        let p = Problem::new(names(n), Loss::Ideal(vec![f]));
        let r = solve(&p);
        assert_eq!(r.status, Status::Exact, "{forms:?}");
        assert_eq!(r.lambda, arrangement_lambda(&forms), "{forms:?}\n{}", r.trace.join("\n"));
        if let Some(m) = m {
            assert_eq!(r.multiplicity, m, "{forms:?}");
        }
    }
}

/// A single generator with two non-monomial factors in separate
/// variables, (x − y²)(z − w²): the separable-factor rule splits it into a
/// product of two smooth factors, (1/2, 1) each, so λ = 1/2 and m adds to
/// 2. Independent check: u = x − y², v = z − w² (Jacobian 1) give (u v)²,
/// a normal crossing (1/2, 2). With the prior |y|, the first factor's
/// chart (x − y²)² has λ = 1/2 still (smooth, x a coordinate) and the
/// product keeps (1/2, 2).
#[test]
fn separable_common_factor_is_a_product() {
    let n = 4;
    let f1 = &var(n, 0) - &(&var(n, 1) * &var(n, 1));
    let f2 = &var(n, 2) - &(&var(n, 3) * &var(n, 3));
    for prior in [vec![0, 0, 0, 0], vec![0, 1, 0, 0]] {
        let mut p = Problem::new(names(n), Loss::Ideal(vec![&f1 * &f2]));
        p.prior = prior.clone();
        let r = blow_up(&p, None);
        assert_eq!(r.status, Status::Exact, "{prior:?}");
        assert_eq!((r.lambda, r.multiplicity), (ratio(1, 2), 2), "{prior:?}\n{}", r.trace.join("\n"));
        assert!(r.trace.iter().any(|l| l.contains("separable common factor")), "{}", r.trace.join("\n"));
    }
    // q·<c1, c2> (the 1-2-1-2 network): λ = min(1/2, 1) = 1/2, m = 1.
    let n = 6;
    let q = &(&var(n, 0) * &var(n, 1)) + &(&var(n, 2) * &var(n, 3));
    let p = Problem::new(names(n), Loss::Ideal(vec![&q * &var(n, 4), &q * &var(n, 5)]));
    let r = blow_up(&p, Some(50));
    assert_eq!((r.status, r.lambda, r.multiplicity), (Status::Exact, ratio(1, 2), 1));
}

/// (x − y)(y − z) needs a linear change of several variables: the affine
/// factor rule makes both planes coordinates, (x* y*)², so λ = 1/2 (the
/// arrangement formula) and m = 2.
#[test]
fn arrangement_needing_a_linear_change() {
    let n = 3;
    let f = &(&var(n, 0) - &var(n, 1)) * &(&var(n, 1) - &var(n, 2));
    let p = Problem::new(names(n), Loss::Ideal(vec![f]));
    let truth = arrangement_lambda(&[vec![1, -1, 0], vec![0, 1, -1]]);
    assert_eq!(truth, ratio(1, 2));
    assert_exact(&p, truth, 2);
}

// ---------------------------------------------------------------------
// Reduced-rank regression, true rank r = 0 (Aoyagi & Watanabe 2005,
// "Stochastic complexities of reduced rank regression in Bayesian
// estimation", Neural Networks 18; cases as in docs/theory.md §7).

fn rrr_formula(m: i64, n: i64, h: i64, r: i64) -> (Rat, usize) {
    if n + r <= m + h && m + r <= n + h && h + r <= m + n {
        let s = 2 * (h + r) * (m + n) - (m - n) * (m - n) - (h + r) * (h + r);
        if (m + n + h + r) % 2 == 0 { (ratio(s, 8), 1) } else { (ratio(s + 1, 8), 2) }
    } else if m + h < n + r {
        (ratio(h * m - h * r + n * r, 2), 1)
    } else if n + h < m + r {
        (ratio(h * n - h * r + m * r, 2), 1)
    } else {
        (ratio(m * n, 2), 1)
    }
}

fn product_ideal(widths: &[usize]) -> (usize, Vec<Poly>) {
    let (names, gens) = rlct::resolve::matrix_product_ideal(widths);
    (names.len(), gens)
}

#[test]
fn reduced_rank_regression_rank_zero_up_to_three() {
    for m in 1..=3i64 {
        for n in 1..=3i64 {
            for h in 1..=3i64 {
                let (nv, gens) = product_ideal(&[m as usize, h as usize, n as usize]);
                let p = Problem::new(names(nv), Loss::Ideal(gens));
                let (lambda, mult) = rrr_formula(m, n, h, 0);
                let r = blow_up(&p, None);
                assert_eq!(r.status, Status::Exact, "RRR ({m},{n},{h}): {} ≤ λ ≤ {}", r.lower, r.upper);
                assert_eq!((r.lambda, r.multiplicity), (lambda, mult), "RRR (M,N,H) = ({m},{n},{h})");
            }
        }
    }
}

// ---------------------------------------------------------------------
// Deep linear networks (Aoyagi 2024, "Consideration on the learning
// efficiency of multiple-layered neural networks with linear units",
// Neural Networks 172; docs/theory.md §7), true rank r.

fn dln_formula(widths: &[i64], r: i64) -> (Rat, usize) {
    let mut delta: Vec<i64> = widths.iter().map(|w| w - r).collect();
    delta.sort();
    let big = i64::MAX / 4;
    for l in 1..delta.len() {
        let sigma = &delta[..=l];
        let rest = &delta[l + 1..];
        let max_in = *sigma.iter().max().unwrap();
        let min_out = rest.iter().copied().min().unwrap_or(big);
        let s: i64 = sigma.iter().sum();
        let li = l as i64;
        if max_in < min_out && s >= li * max_in && s < li * min_out {
            let ceil = (s + li - 1) / li;
            let a = s - (ceil - 1) * li;
            let (h1, hl) = (widths[0], *widths.last().unwrap());
            let mut lam = Rat::new(BigInt::from(-r * r + r * (h1 + hl)), BigInt::from(2));
            lam += Rat::new(BigInt::from(a * (li - a)), BigInt::from(4 * li));
            lam -= Rat::new(BigInt::from(li * (li - 1)), BigInt::from(4))
                * Rat::new(BigInt::from(s * s), BigInt::from(li * li));
            let mut pairs = 0;
            for i in 0..sigma.len() {
                for j in i + 1..sigma.len() {
                    pairs += sigma[i] * sigma[j];
                }
            }
            lam += Rat::new(BigInt::from(pairs), BigInt::from(2));
            return (lam, (a * (li - a) + 1) as usize);
        }
    }
    panic!("no index set found for {widths:?}");
}

#[test]
fn formulas_agree_on_two_layers() {
    // Two-layer networks are reduced-rank regression: a check of both codes.
    for m in 1..=4i64 {
        for n in 1..=4i64 {
            for h in 1..=4i64 {
                assert_eq!(dln_formula(&[m, h, n], 0), rrr_formula(m, n, h, 0), "({m},{n},{h})");
            }
        }
    }
}

/// Widths (input, h1, h2, output) ≤ 2, all sixteen exact and equal to
/// Aoyagi's formula in λ and m: 1-2-1-2 and 2-1-2-1 need the
/// separable-common-factor rule (their ideal is q·<c1, c2> with
/// q = a1 b1 + a2 b2), the trilinear ones (1-2-2-1, …) the small centre
/// that separates a layer, and 2-2-2-2 the quotient shifts with
/// interreduction (`resolve/reduce.rs`; a bound 1/6 ≤ λ ≤ 3/2 before).
#[test]
fn deep_linear_networks_three_layers_width_at_most_two() {
    for code in 0..16u32 {
        let widths: Vec<usize> = (0..4).map(|i| 1 + (code >> (3 - i) & 1) as usize).collect();
        let (nv, gens) = product_ideal(&widths);
        let p = Problem::new(names(nv), Loss::Ideal(gens));
        let w: Vec<i64> = widths.iter().map(|&x| x as i64).collect();
        let (lambda, mult) = dln_formula(&w, 0);
        let r = blow_up(&p, Some(2_000));
        assert_eq!(r.status, Status::Exact, "{widths:?}: {} ≤ λ ≤ {}", r.lower, r.upper);
        assert_eq!((r.lambda, r.multiplicity), (lambda, mult), "{widths:?}");
    }
}

/// Held out (not in the list): four-layer networks of width ≤ 2
/// at the zero map. Whatever the engine proves must contain the formula's
/// λ, and an exact answer must equal the formula's pair.
#[test]
fn deep_linear_networks_four_layers_width_at_most_two() {
    let mut exact = 0;
    for code in 0..32u32 {
        let widths: Vec<usize> = (0..5).map(|i| 1 + (code >> (4 - i) & 1) as usize).collect();
        let (nv, gens) = product_ideal(&widths);
        let p = Problem::new(names(nv), Loss::Ideal(gens));
        let w: Vec<i64> = widths.iter().map(|&x| x as i64).collect();
        let (lambda, mult) = dln_formula(&w, 0);
        let r = blow_up(&p, Some(2_000));
        assert!(r.lower <= lambda && lambda <= r.upper, "{widths:?}: {} ≤ {} ≤ {}", r.lower, lambda, r.upper);
        if r.status == Status::Exact {
            assert_eq!((r.lambda, r.multiplicity), (lambda, mult), "{widths:?}");
            exact += 1;
        }
    }
    // 31 resolve today; 2-2-2-2-2 ends as a bound.
    assert!(exact >= 31, "only {exact} of 32 four-layer networks exact");
}

#[test]
fn tiny_budget_gives_honest_bounds() {
    for (m, n, h) in [(2i64, 2i64, 2i64), (3, 3, 2), (2, 3, 3)] {
        let (nv, gens) = product_ideal(&[m as usize, h as usize, n as usize]);
        let p = Problem::new(names(nv), Loss::Ideal(gens));
        let (lambda, _) = rrr_formula(m, n, h, 0);
        for budget in [1, 3, 10] {
            let r = blow_up(&p, Some(budget));
            assert_eq!(r.status, Status::Bound, "budget {budget} should not suffice");
            assert!(
                r.lower <= lambda && lambda <= r.upper,
                "({m},{n},{h}) budget {budget}: {} ≤ {} ≤ {}",
                r.lower,
                lambda,
                r.upper
            );
            assert!(r.lower > Rat::zero() && r.upper >= r.lower);
        }
    }
    let _ = Rat::one();
}
