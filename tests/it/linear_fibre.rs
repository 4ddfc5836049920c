//! The linear-fibre rule (docs/theory.md §4.8) as a class: random ideals
//! linear in a block `a` whose coefficients are products of random linear
//! forms in `b` (with a random prior), against the blow-up search alone
//! (`skip_theorems`, which turns the rule off), and exact answers against
//! the volume estimator.

use crate::draw::Draw;
use crate::volume_check;

use rlct::exact::{ExactOptions, solve};
use rlct::limits::Deadline;
use rlct::resolve::chart::ChartNode;
use rlct::resolve::fibre;
use rlct::resolve::region::Range;
use rlct::{Status, dsl::parse_program};

/// A random ideal linear in `a1..ap` with coefficients in `b1..bq`.
fn draw_program(d: &mut Draw) -> String {
    let p = 1 + d.pick(2);
    let q = 2 + d.pick(2);
    let bs: Vec<String> = (1..=q).map(|i| format!("b{i}")).collect();
    let mut pool: Vec<String> = bs.clone();
    for i in 0..q {
        for j in 0..q {
            if i < j {
                pool.push(format!("({} - {})", bs[i], bs[j]));
                pool.push(format!("({} + {})", bs[i], bs[j]));
            }
            if i != j {
                pool.push(format!("({} + 2*{})", bs[i], bs[j]));
            }
        }
    }
    let rows = 1 + d.pick(3);
    let mut gens = Vec::new();
    for _ in 0..rows {
        let mut terms = Vec::new();
        for c in 1..=p {
            if d.pick(4) == 0 {
                continue;
            }
            let factors: Vec<String> = (0..1 + d.pick(2)).map(|_| pool[d.pick(pool.len())].clone()).collect();
            terms.push(format!("{}*a{c}*{}", [1, -1, 2, 3][d.pick(4)], factors.join("*")));
        }
        if !terms.is_empty() {
            gens.push(terms.join(" + "));
        }
    }
    if gens.is_empty() {
        gens.push(format!("a1*{}", bs[0]));
    }
    let mut names: Vec<String> = (1..=p).map(|c| format!("a{c}")).collect();
    names.extend(bs.iter().cloned());
    let prior =
        if d.pick(3) == 0 { format!(" prior {}^{};", bs[d.pick(q)], 1 + d.pick(2)) } else { String::new() };
    format!("param {}; ideal <{}>;{prior}", names.join(", "), gens.join(", "))
}

fn uses_fibre(r: &rlct::ExactResult) -> bool {
    r.trace.iter().any(|l| l.contains("linear fibre"))
}

/// The rule applied directly to the root chart of `p`.
fn rule(p: &rlct::Problem) -> Option<fibre::Fibre> {
    let (gens, ideal) = p.local_generators();
    let d = p.dim();
    let node = ChartNode {
        names: p.variables.clone(),
        gens,
        ideal,
        beta: vec![0; d],
        h: p.prior.clone(),
        region: vec![Range::Local; d],
    };
    fibre::solve(&node, &Deadline::NONE).ok()
}

#[test]
fn random_linear_fibres_agree_with_the_blow_up_search() {
    let mut d = Draw(0x11f1b);
    let (mut applied, mut compared) = (0, 0);
    for _ in 0..40 {
        let program = draw_program(&mut d);
        let p = parse_program(&program, "t").unwrap();
        let Some(f) = rule(&p) else { continue };
        applied += 1;
        let opts = ExactOptions {
            skip_comparison: true,
            skip_theorems: true,
            budget: Some(400),
            ..Default::default()
        };
        let b = solve(&p, &opts).unwrap();
        assert!(!uses_fibre(&b), "{program}: the rule ran under skip_theorems");
        if b.status == Status::Exact {
            compared += 1;
            assert_eq!((&f.pair.lambda, f.pair.m), (&b.lambda, b.multiplicity), "{program}");
        } else {
            assert!(
                b.lower <= f.pair.lambda && f.pair.lambda <= b.upper,
                "{program}: {} ∉ [{}, {}]",
                f.pair.lambda,
                b.lower,
                b.upper
            );
        }
        // End to end, with the rule on (other moves may act first): the
        // same pair when exact, containing it otherwise.
        let r = solve(&p, &ExactOptions { skip_comparison: true, ..Default::default() }).unwrap();
        if r.status == Status::Exact {
            assert_eq!((&r.lambda, r.multiplicity), (&f.pair.lambda, f.pair.m), "{program}");
        } else {
            assert!(r.lower <= f.pair.lambda && f.pair.lambda <= r.upper, "{program}");
        }
    }
    // The draw must exercise the rule and the comparison.
    assert!(applied >= 25, "the rule applied to only {applied} draws");
    assert!(compared >= 10, "only {compared} draws compared exactly");
}

#[test]
fn a_linear_fibre_agrees_with_the_volume_estimator() {
    // ⟨a1·b1 + a2·b2, a2·b2·(b2 − b1)(b2 + b1)⟩, the tanh ideal H = 2 after
    // the row operation of §4.8: (2/3, 1).
    let program = "param a1, a2, b1, b2; ideal <a1*b1 + a2*b2, a2*b2*(b2 - b1)*(b2 + b1)>;";
    let p = parse_program(program, "t").unwrap();
    let r = solve(&p, &ExactOptions::default()).unwrap();
    assert!(uses_fibre(&r));
    assert_eq!((r.status, r.lambda.clone(), r.multiplicity), (Status::Exact, rlct::poly::ratio(2, 3), 1));
    volume_check::assert_volume_agrees(&p, &r, program, None);
}

#[test]
fn exp_networks_agree_with_the_blow_up_search() {
    // y = Σ a_h exp(b_h x) at the zero function: the ideal of all Taylor
    // coefficients Σ a_h b_h^k (k = 0..H−1, docs/theory.md §2.11) is linear
    // in a with a full Vandermonde matrix; its minors are products of the
    // forms b_i − b_j. The rule and the blow-up search alone must agree.
    let mut used = 0;
    for h in 2..=3 {
        let units: Vec<String> = (1..=h).map(|j| format!("a{j}*exp(b{j}*x)")).collect();
        let names: Vec<String> = (1..=h).map(|j| format!("a{j}, b{j}")).collect();
        let program = format!("param {}; input x; output y = {};", names.join(", "), units.join(" + "));
        let p = parse_program(&program, "t").unwrap();
        let r = solve(&p, &ExactOptions { skip_comparison: true, ..Default::default() }).unwrap();
        let b = solve(&p, &ExactOptions { skip_comparison: true, skip_theorems: true, ..Default::default() })
            .unwrap();
        used += usize::from(uses_fibre(&r));
        assert_eq!((r.status, b.status), (Status::Exact, Status::Exact), "{program}");
        assert_eq!((&r.lambda, r.multiplicity), (&b.lambda, b.multiplicity), "{program}");
    }
    assert!(used >= 1, "the rule closed none of the exp networks");
}
