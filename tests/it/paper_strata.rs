//! Random instances of other papers' families at every singular type, in
//! random relabellings (issue #15): binary naive Bayes networks with two
//! hidden classes (Rusakov & Geiger 2005; docs/theory.md §7.6) at random
//! true points of each stratum, with the features permuted, feature values
//! flipped, the classes swapped and the parameters declared in a random
//! order; and the tanh Taylor ideals (Aoyagi–Watanabe; §7.5) with hidden
//! units permuted and signs changed, where the proven bounds must contain
//! the closed form and the degeneration lower bound (§5.1) must not depend
//! on the relabelling.

use crate::draw;
use crate::volume_check;

use draw::{Draw, interior, naive_bayes};
use rlct::exact::{ExactOptions, solve};
use rlct::poly::{Rat, rat, ratio};
use rlct::{Status, dsl::parse_program};

/// The strata of §7.6 and their local pairs (derived there; the n ≥ 3
/// type values at t0 ∈ {0, 1} and the n = 2 product value (3/2, 3) are
/// Rusakov–Geiger's).
#[derive(Clone, Copy, Debug)]
enum Stratum {
    /// a0 = b0 (a product law), t0 ∈ {0, 1}.
    ProductEdge,
    /// a0 = b0, interior t0.
    ProductInterior,
    /// t0 ∈ {0, 1}, exactly one feature differs between the classes.
    EdgeOneFeature,
    /// t0 ∈ {0, 1}, at least two features differ.
    EdgeSeveral,
    /// Interior t0, exactly `k` features differ (k = 1, 2: type 1; k ≥ 3 regular).
    Interior(usize),
}

fn truth(s: Stratum, n: usize) -> (Rat, usize) {
    let n_ = n as i64;
    match s {
        Stratum::ProductEdge if n == 2 => (ratio(3, 2), 3),
        Stratum::ProductEdge => (ratio(n_ + 1, 2), 1),
        // ⟨s⟩ (n/2) plus ⟨d_i d_j⟩ (n/4, facet: m = 1 for n ≥ 3; (1/2, 2) for n = 2).
        Stratum::ProductInterior if n == 2 => (ratio(3, 2), 2),
        Stratum::ProductInterior => (ratio(3 * n_, 4), 1),
        // ⟨s⟩ plus t·⟨d_2..d_n⟩: min(1/2, (n − 1)/2), a tie for n = 2.
        Stratum::EdgeOneFeature if n == 2 => (ratio(3, 2), 2),
        Stratum::EdgeOneFeature => (ratio(n_ + 1, 2), 1),
        Stratum::EdgeSeveral => (ratio(n_ + 1, 2), 1),
        Stratum::Interior(k) if k <= 2 => (ratio(2 * n_ - 1, 2), 1),
        Stratum::Interior(_) => (ratio(2 * n_ + 1, 2), 1),
    }
}

/// A random point of the stratum in a random relabelling: returns the
/// program.
fn draw_point(d: &mut Draw, s: Stratum, n: usize) -> String {
    let differing = match s {
        Stratum::ProductEdge | Stratum::ProductInterior => 0,
        Stratum::EdgeOneFeature => 1,
        Stratum::EdgeSeveral => 2 + d.pick(n - 1),
        Stratum::Interior(k) => k,
    };
    let mut t0 = match s {
        Stratum::ProductEdge | Stratum::EdgeOneFeature | Stratum::EdgeSeveral => rat(0),
        _ => interior(d),
    };
    let mut a0: Vec<Rat> = (0..n).map(|_| interior(d)).collect();
    let mut b0 = a0.clone();
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, d.pick(i + 1));
    }
    for &i in &order[..differing] {
        while b0[i] == a0[i] {
            b0[i] = interior(d);
        }
    }
    // Relabellings: flip feature values, swap the classes.
    for i in 0..n {
        if d.pick(2) == 1 {
            a0[i] = rat(1) - &a0[i];
            b0[i] = rat(1) - &b0[i];
        }
    }
    if d.pick(2) == 1 {
        t0 = rat(1) - &t0;
        std::mem::swap(&mut a0, &mut b0);
    }
    let mut perm: Vec<usize> = (0..2 * n + 1).collect();
    for i in (1..perm.len()).rev() {
        perm.swap(i, d.pick(i + 1));
    }
    naive_bayes(n, &t0, &a0, &b0, &perm)
}

fn exact_pair(program: &str) -> (Rat, usize) {
    let p = parse_program(program, "t").unwrap();
    let r = solve(&p, &ExactOptions::default()).unwrap();
    assert_eq!(r.status, Status::Exact, "{program}: {} ≤ λ ≤ {} ({})", r.lower, r.upper, r.method);
    (r.lambda, r.multiplicity)
}

fn strata_are_exact(seed: u64, strata: &[Stratum], sizes: &[usize], per: usize) {
    let mut d = Draw(seed);
    for &s in strata {
        for trial in 0..per {
            let n = sizes[trial % sizes.len()];
            if let Stratum::Interior(k) = s
                && k > n
            {
                continue;
            }
            let program = draw_point(&mut d, s, n);
            assert_eq!(exact_pair(&program), truth(s, n), "{s:?}, n = {n}: {program}");
        }
    }
}

#[test]
fn naive_bayes_product_laws_at_random_points_and_relabellings() {
    // Rusakov–Geiger's type-2 (product) laws: the deepest points (an empty
    // class) and the interior of the fibre.
    strata_are_exact(0x9a0d0c7, &[Stratum::ProductEdge, Stratum::ProductInterior], &[2, 3, 4], 4);
}

#[test]
fn naive_bayes_empty_class_strata_at_random_points_and_relabellings() {
    strata_are_exact(0xed6e, &[Stratum::EdgeOneFeature, Stratum::EdgeSeveral], &[2, 3, 4], 4);
}

#[test]
fn naive_bayes_interior_strata_at_random_points_and_relabellings() {
    strata_are_exact(
        0x17e71,
        &[Stratum::Interior(1), Stratum::Interior(2), Stratum::Interior(3)],
        &[2, 3, 4],
        3,
    );
}

#[test]
fn naive_bayes_five_features_at_each_type() {
    strata_are_exact(
        0x5fea7,
        &[Stratum::ProductEdge, Stratum::ProductInterior, Stratum::EdgeOneFeature, Stratum::Interior(1)],
        &[5],
        1,
    );
}

#[test]
fn naive_bayes_product_law_cores_against_the_volume_estimator() {
    // The product-law pairs are sums (§2.3) of the regular marginals ⟨s⟩
    // and a singular core: t·⟨d_i d_j⟩ at an empty class, ⟨d_i d_j⟩ at an
    // interior class weight (§7.6 table). The volume estimator is checked
    // on the cores, where its fit is in the asymptotic regime. On the whole
    // models it is pulled low, as on other sums of singularities (README,
    // issue #13): n = 3, t0 = 0 (exact 2) reads 1.779 ± 0.010 at the
    // defaults and 1.910 ± 0.006 with 16 runs of 400 live points at depth
    // 60; n = 3, t0 = 1/3 (exact 9/4) reads 2.096 ± 0.010 at the defaults
    // (seed 11). That is reported, not hidden by a looser tolerance.
    let third = vec![ratio(1, 3); 3];
    for (t0, truth) in [(rat(0), rat(2)), (ratio(1, 3), ratio(9, 4))] {
        let program = naive_bayes(3, &t0, &third, &third, &(0..7).collect::<Vec<_>>());
        assert_eq!(exact_pair(&program), (truth, 1), "{program}");
    }
    let cores = [
        ("param t, d1, d2, d3; ideal <t*d1*d2, t*d1*d3, t*d2*d3>;", ratio(1, 2)),
        ("param d1, d2, d3, d4; ideal <d1*d2, d1*d3, d1*d4, d2*d3, d2*d4, d3*d4>;", rat(1)),
    ];
    for (core, lambda) in cores {
        let p = parse_program(core, "t").unwrap();
        let r = solve(&p, &ExactOptions::default()).unwrap();
        assert_eq!((r.status, r.lambda.clone(), r.multiplicity), (Status::Exact, lambda, 1), "{core}");
        volume_check::assert_volume_agrees(&p, &r, core, None);
    }
}

/// The tanh Taylor ideal with units permuted by `perm`, the signs of
/// a_j, b_j flipped by `sa`, `sb`, generator k scaled by `c[k]` (any odd
/// analytic activation with non-zero Taylor coefficients) and `c.len()`
/// generators (more than H are redundant, §7.5).
fn tanh_relabelled(h: usize, perm: &[usize], sa: &[bool], sb: &[bool], c: &[i64]) -> String {
    let names: Vec<String> = perm.iter().map(|&j| format!("a{}, b{}", j + 1, j + 1)).collect();
    let gens: Vec<String> = (1..=c.len())
        .map(|k| {
            let sum = (0..h)
                .map(|j| {
                    let a = if sa[j] { format!("(-a{})", j + 1) } else { format!("a{}", j + 1) };
                    let b = if sb[j] { format!("(-b{})", j + 1) } else { format!("b{}", j + 1) };
                    format!("{a}*{b}^{}", 2 * k - 1)
                })
                .collect::<Vec<_>>()
                .join(" + ");
            format!("{}*({sum})", c[k - 1])
        })
        .collect();
    format!("param {}; ideal <{}>;", names.join(", "), gens.join(", "))
}

#[test]
fn tanh_ideals_are_exact_in_any_relabelling() {
    // Aoyagi–Watanabe: λ = (H + i² + i)/(4i + 2), i = ⌊√H⌋, m = 2 iff
    // H = i² (§7.5), derived by the linear-fibre rule (§4.8) whatever the
    // order and signs of the units, the constants on the generators and
    // their number.
    let mut d = Draw(0x7a4e);
    let closed = |h: i64| {
        let i = (1..=h).take_while(|j| j * j <= h).last().unwrap();
        (ratio(h + i * i + i, 4 * i + 2), if i * i == h { 2 } else { 1 })
    };
    for h in 1..=5usize {
        let mut perm: Vec<usize> = (0..h).collect();
        for i in (1..h).rev() {
            perm.swap(i, d.pick(i + 1));
        }
        let sa: Vec<bool> = (0..h).map(|_| d.pick(2) == 1).collect();
        let sb: Vec<bool> = (0..h).map(|_| d.pick(2) == 1).collect();
        let c: Vec<i64> = (0..h + d.pick(2)).map(|_| [1, -1, 2, -3, 5][d.pick(5)]).collect();
        let program = tanh_relabelled(h, &perm, &sa, &sb, &c);
        let p = parse_program(&program, "t").unwrap();
        let r = solve(&p, &ExactOptions { skip_comparison: true, ..Default::default() }).unwrap();
        assert_eq!(r.status, Status::Exact, "{program}: {} ≤ λ ≤ {}", r.lower, r.upper);
        assert_eq!((r.lambda, r.multiplicity), closed(h as i64), "{program}");
    }
}

/// The two-component binomial mixture t·Bin(N, b) + (1 − t)·Bin(N, c)
/// through its N free cell probabilities, at (t0, b0, c0), parameters
/// declared in a random order.
fn binomial_mixture(n: u32, t0: &Rat, b0: &Rat, c0: &Rat, swap: bool) -> String {
    let choose = |k: u32| (1..=k).fold(1i64, |acc, i| acc * (n - k + i) as i64 / i as i64);
    let pw = |x: &Rat, e: u32| (0..e).fold(rat(1), |acc, _| acc * x);
    let gens: Vec<String> = (0..n)
        .map(|k| {
            let p0 = rat(choose(k))
                * (t0 * pw(b0, k) * pw(&(rat(1) - b0), n - k)
                    + (rat(1) - t0) * pw(c0, k) * pw(&(rat(1) - c0), n - k));
            format!("{}*(t*b^{k}*(1-b)^{} + (1-t)*c^{k}*(1-c)^{}) - ({p0})", choose(k), n - k, n - k)
        })
        .collect();
    let decl = if swap { "c, t, b" } else { "t, b, c" };
    format!("param {decl}; ideal <{}>; at t = {t0}, b = {b0}, c = {c0}; domain [-1/8, 1/8];", gens.join(", "))
}

#[test]
fn binomial_mixtures_at_every_kind_of_point() {
    // The cells are invertible linear combinations of the factorial
    // moments C(N, k)·(t b^k + (1 − t) c^k), so the local ideal is the
    // moment ideal of docs/theory.md §7.7: one component at an interior
    // or empty weight, (3/4, 1); two components of which one is empty,
    // (1, 1); two distinct components at an interior weight, a smooth
    // fibre (N = 2: (1, 1)) or a regular point (N ≥ 3: (3/2, 1)).
    let mut d = Draw(0xb10e);
    for trial in 0..8 {
        let n = 2 + (trial % 3) as u32;
        let p = interior(&mut d);
        let mut q = interior(&mut d);
        while q == p {
            q = interior(&mut d);
        }
        let t = interior(&mut d);
        let edge = if d.pick(2) == 0 { rat(0) } else { rat(1) };
        // At t = 1 the empty component is c (b carries all the weight).
        let (eb, ec) = if edge == rat(0) { (q.clone(), p.clone()) } else { (p.clone(), q.clone()) };
        let cases = [
            (binomial_mixture(n, &t, &p, &p, trial % 2 == 0), ratio(3, 4)),
            (binomial_mixture(n, &edge, &p, &p, trial % 2 == 1), ratio(3, 4)),
            (binomial_mixture(n, &edge, &eb, &ec, trial % 2 == 0), rat(1)),
            (binomial_mixture(n, &t, &p, &q, trial % 2 == 1), if n == 2 { rat(1) } else { ratio(3, 2) }),
        ];
        for (program, lambda) in cases {
            assert_eq!(exact_pair(&program), (lambda, 1), "{program}");
        }
    }
    // One of them against the volume estimator: one component, interior
    // weight, N = 3 (the normal mixture's 3/4 is checked in
    // tests/paper_families.rs).
    let program = binomial_mixture(3, &ratio(1, 3), &ratio(1, 4), &ratio(1, 4), false);
    let p = parse_program(&program, "t").unwrap();
    let r = solve(&p, &ExactOptions::default()).unwrap();
    assert_eq!((r.status, r.lambda.clone(), r.multiplicity), (Status::Exact, ratio(3, 4), 1));
    volume_check::assert_volume_agrees(&p, &r, "binomial mixture N = 3, one component", None);
}

/// The Gaussian latent tree with two hidden nodes h1 — h2 (correlation r),
/// x1, x2 below h1 and x3, x4 below h2 (Drton, Lin, Weihs & Zwiernik 2017
/// study the family): Σ_ii = w_i + l_i², Σ_ij = l_i l_j within a cluster
/// and r·l_i l_j across; the ideal of Σ(w, l, r) − Σ⁰ at (w⁰, l⁰, r⁰),
/// parameters declared in the order `perm`.
fn latent_tree(l0: &[Rat], r0: &Rat, w0: &[Rat], perm: &[usize]) -> String {
    let names = ["l1", "l2", "l3", "l4", "r", "w1", "w2", "w3", "w4"];
    let same = |i: usize, j: usize| (i < 2) == (j < 2);
    let mut gens: Vec<String> =
        (0..4).map(|i| format!("w{0} + l{0}^2 - ({1})", i + 1, &w0[i] + &l0[i] * &l0[i])).collect();
    for i in 0..4 {
        for j in i + 1..4 {
            let (e, c) = if same(i, j) {
                (format!("l{}*l{}", i + 1, j + 1), &l0[i] * &l0[j])
            } else {
                (format!("r*l{}*l{}", i + 1, j + 1), r0 * &l0[i] * &l0[j])
            };
            gens.push(format!("{e} - ({c})"));
        }
    }
    let mut at: Vec<String> = (0..4).map(|i| format!("l{} = {}", i + 1, l0[i])).collect();
    at.push(format!("r = {r0}"));
    at.extend((0..4).map(|i| format!("w{} = {}", i + 1, w0[i])));
    let declared: Vec<&str> = perm.iter().map(|&k| names[k]).collect();
    format!(
        "param {}; ideal <{}>; at {}; domain [-1/8, 1/8];",
        declared.join(", "),
        gens.join(", "),
        at.join(", ")
    )
}

/// The local pair of the tree (derived in docs/theory.md §7.8): the
/// diagonal makes w a function of the rest (λ = 2), and the off-diagonal
/// ideal J in (l, r) depends on which loadings are non-zero and on r⁰.
fn latent_tree_truth(nz: &[bool], r_nonzero: bool) -> Rat {
    let k = nz.iter().filter(|&&b| b).count();
    let same_cluster_pair = (nz[0] && nz[1] && !nz[2] && !nz[3]) || (nz[2] && nz[3] && !nz[0] && !nz[1]);
    let lambda_j = match (k, r_nonzero) {
        (0, _) => rat(1),
        (1, true) | (2, true) | (3, false) | (4, false) => ratio(3, 2),
        (2, false) if !same_cluster_pair => ratio(3, 2),
        (1, false) | (2, false) => ratio(5, 4),
        (3, true) => rat(2),
        _ => ratio(5, 2),
    };
    rat(2) + lambda_j
}

#[test]
fn latent_trees_with_two_hidden_nodes_at_random_points() {
    let mut d = Draw(0x74ee);
    for trial in 0..12 {
        let nz: Vec<bool> = (0..4).map(|_| d.pick(2) == 1).collect();
        let r_nonzero = trial % 2 == 1;
        let signed = |d: &mut Draw| ratio(d.int(1, 3) * if d.pick(2) == 0 { 1 } else { -1 }, d.int(1, 3));
        let l0: Vec<Rat> = nz.iter().map(|&b| if b { signed(&mut d) } else { rat(0) }).collect();
        let r0 = if r_nonzero {
            ratio(d.int(1, 3), 4) * if d.pick(2) == 0 { rat(1) } else { rat(-1) }
        } else {
            rat(0)
        };
        let w0: Vec<Rat> = (0..4).map(|_| ratio(d.int(1, 6), d.int(1, 4))).collect();
        let mut perm: Vec<usize> = (0..9).collect();
        for i in (1..9).rev() {
            perm.swap(i, d.pick(i + 1));
        }
        let program = latent_tree(&l0, &r0, &w0, &perm);
        assert_eq!(
            exact_pair(&program),
            (latent_tree_truth(&nz, r_nonzero), 1),
            "{nz:?}, r ≠ 0: {r_nonzero}: {program}"
        );
    }
    // The core of the zero-loading point, ⟨l1 l2, l3 l4, r·l_i l_j⟩ (λ = 1,
    // §7.8), against the volume estimator. The whole model at
    // l⁰ = (1, 1/2, 0, 0), r⁰ = 0 (exact 13/4) reads 3.023 ± 0.031 at the
    // defaults (z = −3.2; the documented low pull on sums of
    // singularities, README).
    let core = "param l1, l2, l3, l4, r; ideal <l1*l2, l3*l4, r*l1*l3, r*l1*l4, r*l2*l3, r*l2*l4>;";
    let p = parse_program(core, "t").unwrap();
    let r = solve(&p, &ExactOptions::default()).unwrap();
    assert_eq!((r.status, r.lambda.clone(), r.multiplicity), (Status::Exact, rat(1), 1));
    volume_check::assert_volume_agrees(&p, &r, "latent tree core", None);
}
