//! Families from other papers than the ones the engine was built on, as
//! classes: binary naive Bayes networks with two hidden classes
//! (Rusakov & Geiger, JMLR 2005; docs/theory.md §7.6) at random regular
//! distributions and at their singular strata, and the Taylor ideals of
//! three-layer tanh networks (Aoyagi & Watanabe; docs/theory.md §7.5).
//!
//! Where the engine is exact its pair must equal the paper's; where it ends
//! in a proven bound, the bound must contain the paper's λ (a bound that
//! excludes it is a wrong proof or a wrong formula, and either is a bug to
//! chase). Exact answers are also checked against the volume estimator.

use crate::draw;
use crate::volume_check;

use draw::{Draw, interior, tanh_ideal};
use rlct::exact::{ExactOptions, solve};
use rlct::poly::{Rat, rat, ratio};
use rlct::{Status, dsl::parse_program};

/// The naive Bayes program of `draw::naive_bayes`, parameters declared
/// in their natural order.
fn naive_bayes(n: usize, t0: &Rat, a0: &[Rat], b0: &[Rat]) -> String {
    draw::naive_bayes(n, t0, a0, b0, &(0..2 * n + 1).collect::<Vec<_>>())
}

fn exact_pair(program: &str) -> (Rat, usize) {
    let p = parse_program(program, "t").unwrap();
    let r = solve(&p, &ExactOptions::default()).unwrap();
    assert_eq!(r.status, Status::Exact, "{program}: {} ≤ λ ≤ {} ({})", r.lower, r.upper, r.method);
    (r.lambda, r.multiplicity)
}

#[test]
fn naive_bayes_at_random_regular_distributions() {
    // A distribution with 0 < t < 1 and a_i ≠ b_i for every feature is a
    // smooth point of the model with a finite fibre (the class swap):
    // λ = (2n + 1)/2, m = 1 (Rusakov–Geiger's regular case, §7.6).
    let mut d = Draw(0x0b_a1e5);
    for trial in 0..12 {
        let n = 3 + trial % 2;
        let t0 = interior(&mut d);
        let a0: Vec<Rat> = (0..n).map(|_| interior(&mut d)).collect();
        let b0: Vec<Rat> = a0
            .iter()
            .map(|a| {
                loop {
                    let b = interior(&mut d);
                    if &b != a {
                        break b;
                    }
                }
            })
            .collect();
        let program = naive_bayes(n, &t0, &a0, &b0);
        let (lambda, m) = exact_pair(&program);
        assert_eq!((lambda, m), (ratio(2 * n as i64 + 1, 2), 1), "{program}");
    }
}

#[test]
fn naive_bayes_regular_point_agrees_with_the_volume_estimator() {
    let program = naive_bayes(
        3,
        &ratio(1, 3),
        &[ratio(1, 3), ratio(1, 4), ratio(1, 5)],
        &[ratio(2, 3), ratio(3, 4), ratio(3, 5)],
    );
    let p = parse_program(&program, "t").unwrap();
    let r = solve(&p, &ExactOptions::default()).unwrap();
    assert_eq!((r.status, r.lambda.clone(), r.multiplicity), (Status::Exact, ratio(7, 2), 1));
    volume_check::assert_volume_agrees(&p, &r, "naive Bayes n = 3, regular", None);
}

#[test]
fn naive_bayes_product_distribution_with_an_empty_class() {
    // t0 = 0 and a0 ≠ b0 (all a_i = 2/3, b_i = 1/3): the fibre through the
    // point is the smooth set {t = 0, b = b0} with a free, so λ is half its
    // codimension n + 1 = 4: λ = 2, m = 1 for n = 3.
    let half = |v: i64| vec![ratio(v, 3); 3];
    let program = naive_bayes(3, &rat(0), &half(2), &half(1));
    assert_eq!(exact_pair(&program), (rat(2), 1));
    let p = parse_program(&program, "t").unwrap();
    let r = solve(&p, &ExactOptions::default()).unwrap();
    volume_check::assert_volume_agrees(&p, &r, "naive Bayes n = 3, t0 = 0", None);
}

/// A random point where exactly the features in `differ` carry the class
/// (a_i ≠ b_i there, a_i = b_i elsewhere), at an interior class weight.
fn stratum_point(d: &mut Draw, n: usize, differ: &[usize]) -> (Rat, Vec<Rat>, Vec<Rat>) {
    let t0 = interior(d);
    let a0: Vec<Rat> = (0..n).map(|_| interior(d)).collect();
    let b0: Vec<Rat> = (0..n)
        .map(|i| {
            if !differ.contains(&i) {
                return a0[i].clone();
            }
            loop {
                let b = interior(d);
                if b != a0[i] {
                    break b;
                }
            }
        })
        .collect();
    (t0, a0, b0)
}

/// Six random points (n = 3, 4) where exactly `k` random features differ
/// between the classes must be exact with λ = (2n − 1)/2, m = 1.
fn stratum_is_exact(seed: u64, k: usize) {
    let mut d = Draw(seed);
    for trial in 0..6 {
        let n = 3 + trial % 2;
        let mut differ = Vec::new();
        while differ.len() < k {
            let i = d.pick(n);
            if !differ.contains(&i) {
                differ.push(i);
            }
        }
        let (t0, a0, b0) = stratum_point(&mut d, n, &differ);
        let program = naive_bayes(n, &t0, &a0, &b0);
        assert_eq!(exact_pair(&program), (ratio(2 * n as i64 - 1, 2), 1), "{program}");
    }
}

#[test]
fn naive_bayes_with_two_features_carrying_the_class() {
    // Exactly two features differ between the classes: the distribution
    // lies on Rusakov–Geiger's stratum of rank-one-less tables, and
    // λ = (2n − 1)/2, m = 1 (§7.6). The fibre through the point is smooth
    // of dimension one more than at a regular point; the engine proves it
    // by eliminating generators with independent differentials.
    stratum_is_exact(0x7_0d1f, 2);
}

#[test]
fn naive_bayes_on_the_product_fibre_with_one_feature_carrying_the_class() {
    // Exactly one feature differs: the distribution is a product
    // distribution, and the point lies on the two-dimensional branch
    // {a_j = b_j (j ≠ i), t a_i + (1 − t) b_i = p_i} of its fibre. Away from
    // the other branches that fibre is smooth of codimension 2n − 1, and
    // the loss vanishes on it to order two: λ = (2n − 1)/2, m = 1.
    stratum_is_exact(0x1_f1b7e, 1);
}

#[test]
fn naive_bayes_two_feature_stratum_agrees_with_the_volume_estimator() {
    let h = ratio(1, 2);
    let program =
        naive_bayes(3, &ratio(1, 3), &[ratio(1, 3), ratio(1, 4), h.clone()], &[ratio(2, 3), ratio(3, 4), h]);
    let p = parse_program(&program, "t").unwrap();
    let r = solve(&p, &ExactOptions::default()).unwrap();
    assert_eq!((r.status, r.lambda.clone(), r.multiplicity), (Status::Exact, ratio(5, 2), 1));
    volume_check::assert_volume_agrees(&p, &r, "naive Bayes n = 3, two features differ", None);
}

#[test]
fn naive_bayes_product_distribution_is_exact() {
    // The product distribution at its deepest point t0 = 0, a0 = b0:
    // λ = (n + 1)/2 (Rusakov–Geiger's type-2 value); at an interior t0
    // with a0 = b0: λ = n/2 + n/4 (docs/theory.md §7.6 table). Both were
    // bounds until the echelon, unit-content and monomial-leaf moves
    // (§4.5, §4.6); tests/paper_strata.rs draws random points of every
    // stratum.
    let n = 3;
    let third = vec![ratio(1, 3); n];
    assert_eq!(exact_pair(&naive_bayes(n, &rat(0), &third, &third)), (rat(2), 1));
    assert_eq!(exact_pair(&naive_bayes(n, &ratio(1, 3), &third, &third)), (ratio(9, 4), 1));
}

/// Aoyagi–Watanabe's closed form for the tanh network with `h` hidden
/// units at the zero function: i = ⌊√h⌋, λ = (h + i² + i)/(4i + 2),
/// m = 2 when h = i², else 1.
fn tanh_closed_form(h: usize) -> (Rat, usize) {
    let i = (1..=h).take_while(|j| j * j <= h).last().unwrap() as i64;
    let h = h as i64;
    (ratio(h + i * i + i, 4 * i + 2), if i * i == h { 2 } else { 1 })
}

#[test]
fn tanh_networks_against_the_closed_form() {
    // Exact for H ≤ 5 by the linear-fibre rule (docs/theory.md §4.8); the
    // volume estimator checks H ≤ 3 (H = 3 is the first the closed form
    // alone decided before).
    for h in 1..=5 {
        let program = tanh_ideal(h);
        assert_eq!(exact_pair(&program), tanh_closed_form(h), "{program}");
        if h <= 3 {
            let p = parse_program(&program, "t").unwrap();
            let r = solve(&p, &ExactOptions::default()).unwrap();
            volume_check::assert_volume_agrees(&p, &r, &program, None);
        }
    }
}

/// The one-factor model with `p` observed variables: covariance
/// Σ = diag(w) + l lᵀ, the ideal of the entries of Σ(w, l) − Σ(w⁰, l⁰)
/// (upper triangle), at the point (w⁰, l⁰).
fn one_factor(p: usize, l0: &[Rat], w0: &[Rat]) -> String {
    let mut names: Vec<String> = (1..=p).map(|i| format!("l{i}")).collect();
    names.extend((1..=p).map(|i| format!("w{i}")));
    let mut gens: Vec<String> =
        (0..p).map(|i| format!("w{0} + l{0}^2 - ({1})", i + 1, &w0[i] + &l0[i] * &l0[i])).collect();
    for i in 0..p {
        for j in i + 1..p {
            gens.push(format!("l{}*l{} - ({})", i + 1, j + 1, &l0[i] * &l0[j]));
        }
    }
    let mut at: Vec<String> = (0..p).map(|i| format!("l{} = {}", i + 1, l0[i])).collect();
    at.extend((0..p).map(|i| format!("w{} = {}", i + 1, w0[i])));
    format!(
        "param {}; ideal <{}>; at {}; domain [-1/4, 1/4];",
        names.join(", "),
        gens.join(", "),
        at.join(", ")
    )
}

#[test]
fn one_factor_models_at_random_true_points() {
    // Gaussian one-factor analysis (a star-shaped latent tree; Drton, Lin,
    // Weihs & Zwiernik 2017 treat the family). The diagonal generators
    // make w a function of l (a smooth part of codimension p), leaving the
    // ideal ⟨l_i l_j − l_i⁰ l_j⁰ : i < j⟩:
    // - k = 0 non-zero loadings: the monomial ideal of all products l_i l_j,
    //   whose Newton polyhedron is hit at (4/p)·1 in the interior of the
    //   facet Σ e = 4: λ = p/4, m = 1 (p ≥ 3), so λ = 3p/4 in all;
    // - k = 1 or 2: the fibre is a smooth curve, λ = (2p − 1)/2, m = 1;
    // - k ≥ 3: identifiable up to sign, a regular point, λ = p.
    let mut d = Draw(0xfac_7042);
    for p in 3..=5usize {
        for k in 0..=3usize {
            let mut l0: Vec<Rat> = vec![rat(0); p];
            let mut placed = 0;
            while placed < k {
                let i = d.pick(p);
                if l0[i] == rat(0) {
                    l0[i] = ratio(d.int(1, 3) * if d.pick(2) == 0 { 1 } else { -1 }, d.int(1, 3));
                    placed += 1;
                }
            }
            let w0: Vec<Rat> = (0..p).map(|_| ratio(d.int(1, 6), d.int(1, 4))).collect();
            let truth = match k {
                0 => ratio(3 * p as i64, 4),
                1 | 2 => ratio(2 * p as i64 - 1, 2),
                _ => rat(p as i64),
            };
            let program = one_factor(p, &l0, &w0);
            assert_eq!(exact_pair(&program), (truth, 1), "{program}");
        }
    }
}

#[test]
fn one_factor_model_at_zero_loadings_against_the_volume_estimator() {
    // The exact pair of the model is 3/2 (the smooth part ⟨w_i + l_i² − s_i⟩)
    // plus that of the core ⟨l_i l_j⟩ (sum rule, §2.3). The volume
    // estimator is checked on the core, where its fit is in the asymptotic
    // regime. On the whole 6-variable model it reads 2.192 ± 0.013 against
    // 9/4 (z ≈ −4.4; the same on ⟨v_1, v_2, v_3⟩ + core, 2.197 ± 0.013):
    // the leading-order fit of a sum of two singularities is pulled low
    // (issue #13, reported in the README), so that is not asserted here.
    let program = one_factor(3, &[rat(0), rat(0), rat(0)], &[rat(1), ratio(1, 2), rat(2)]);
    assert_eq!(exact_pair(&program), (ratio(9, 4), 1));
    let core = "param l1, l2, l3; ideal <l1*l2, l1*l3, l2*l3>;";
    let p = parse_program(core, "t").unwrap();
    let r = solve(&p, &ExactOptions::default()).unwrap();
    assert_eq!((r.status, r.lambda.clone(), r.multiplicity), (Status::Exact, ratio(3, 4), 1));
    volume_check::assert_volume_agrees(&p, &r, "one-factor core p = 3", None);
}

#[test]
fn two_component_normal_mixture_through_its_moment_ideal() {
    // (1 − a)·N(b, 1) + a·N(c, 1) against N(0, 1): the KL divergence is
    // equivalent to the ideal of the moment differences
    // m_k = (1 − a) b^k + a c^k, k = 1..4 (the higher ones add nothing
    // here). At an interior weight a⁰ and b = c = 0: u = m_1 is a
    // coordinate, m_2 ≡ a c²/(1 − a) modulo u, so ⟨u, c²⟩ and
    // λ = 1/2 + 1/4 = 3/4, m = 1. At a = 0, b = 0, c = c⁰ ≠ 0 the ideal is
    // ⟨a, b⟩: λ = 1, m = 1.
    let mut d = Draw(0x313e);
    let moments = "(1-a)*b + a*c, (1-a)*b^2 + a*c^2, (1-a)*b^3 + a*c^3, (1-a)*b^4 + a*c^4";
    for _ in 0..4 {
        let a0 = interior(&mut d);
        let c0 = ratio(d.int(1, 3) * if d.pick(2) == 0 { 1 } else { -1 }, d.int(2, 4));
        let inner =
            format!("param a, b, c; ideal <{moments}>; at a = {a0}, b = 0, c = 0; domain [-1/8, 1/8];");
        assert_eq!(exact_pair(&inner), (ratio(3, 4), 1), "{inner}");
        let edge =
            format!("param a, b, c; ideal <{moments}>; at a = 0, b = 0, c = {c0}; domain [-1/8, 1/8];");
        assert_eq!(exact_pair(&edge), (rat(1), 1), "{edge}");
    }
    let program = format!("param a, b, c; ideal <{moments}>; at a = 1/2, b = 0, c = 0; domain [-1/4, 1/4];");
    let p = parse_program(&program, "t").unwrap();
    let r = solve(&p, &ExactOptions::default()).unwrap();
    volume_check::assert_volume_agrees(&p, &r, "normal mixture, interior weight", None);
}
