//! Closed forms against the exact engine, and the families' program text
//! against the language.

use rlct::exact::{ExactOptions, solve};
use rlct::models::Family;
use rlct::models::families::parse_forms;
use rlct::poly::ratio;
use rlct::{Loss, Status};

fn table() -> Vec<Family> {
    let rrr = |inputs, outputs, hidden, rank| Family::Rrr { inputs, outputs, hidden, rank };
    let nc = |k: &[u32], h: &[u32]| Family::NormalCrossing { k: k.to_vec(), h: h.to_vec() };
    let arr =
        |f: &str, mult: &[u32]| Family::Arrangement { forms: parse_forms(f).unwrap(), mult: mult.to_vec() };
    vec![
        rrr(1, 1, 1, 0),
        rrr(1, 1, 1, 1),
        rrr(2, 2, 1, 0),
        rrr(2, 1, 1, 0),
        rrr(1, 2, 1, 1),
        rrr(2, 2, 2, 0),
        Family::Dln { widths: vec![1, 1, 1, 1], rank: 0 },
        Family::Dln { widths: vec![1, 1, 1, 1], rank: 1 },
        Family::Dln { widths: vec![2, 1, 2, 1], rank: 0 },
        nc(&[1, 1], &[0, 0]),
        nc(&[1, 2], &[0, 0]),
        nc(&[2, 1, 3], &[1, 0, 2]),
        arr("1,0;0,1", &[1, 1]),
        arr("1,0;0,1;1,1", &[1, 1, 1]),
        arr("1,0,0;0,1,0;0,0,1", &[1, 2, 1]),
        arr("1,0;0,1;1,-1", &[2, 1, 1]),
    ]
}

/// Every case the engine settles exactly must equal the closed form (λ,
/// and m where the source gives it); every bound must contain the closed
/// form; the cases that are monomial ideals (hence non-degenerate, docs/theory.md
/// §3) must be settled exactly.
#[test]
fn closed_forms_agree_with_the_exact_engine() {
    let mut exact = 0;
    for fam in table() {
        let cf = fam.closed_form().unwrap();
        let p = fam.problem().unwrap();
        // Blow-ups only: the theorem leaf would make this comparison circular.
        let res = solve(&p, &ExactOptions { skip_theorems: true, ..Default::default() }).unwrap();
        let name = fam.name();
        assert!(
            res.lower <= cf.lambda && cf.lambda <= res.upper,
            "{name}: {} not in [{}, {}]",
            cf.lambda,
            res.lower,
            res.upper
        );
        if res.status == Status::Exact {
            exact += 1;
            assert_eq!(res.lambda, cf.lambda, "{name}");
            if let Some(m) = cf.multiplicity {
                assert_eq!(res.multiplicity, m, "{name}");
            }
        }
        let Loss::Ideal(gens) = &p.loss else { panic!("{name}: families are ideals") };
        let monomial_ideal = gens.iter().all(|g| g.translate(&p.point).is_monomial());
        if monomial_ideal {
            assert_eq!(res.status, Status::Exact, "{name}: a monomial ideal must be settled exactly");
        }
    }
    assert!(exact >= 6, "only {exact} cases exact");
}

/// Reduced-rank regression of positive true rank at a most singular true
/// point, every (M, N) ≤ 4, H ≤ 3, 1 ≤ r ≤ H, and deep linear networks of
/// positive rank: exact and equal to the closed forms (Aoyagi & Watanabe
/// 2005; Aoyagi 2024). The block coefficient change of
/// `resolve/reduce.rs` turns the charts' `A_{2j}·X_i + A_{3j}·Y_i` back
/// into bilinear forms; before it, (4,4,3,1) and larger ran out of budget.
#[test]
fn positive_rank_families_are_exact_and_equal_the_closed_forms() {
    let mut cases = Vec::new();
    for inputs in 2..=4 {
        for outputs in 2..=4 {
            for hidden in 1..=3 {
                for rank in 1..=hidden.min(inputs).min(outputs) {
                    cases.push(Family::Rrr { inputs, outputs, hidden, rank });
                }
            }
        }
    }
    for (widths, rank) in
        [(vec![2, 2, 2, 2], 1), (vec![2, 2, 2, 2], 2), (vec![3, 2, 2, 3], 1), (vec![3, 3, 3], 2)]
    {
        cases.push(Family::Dln { widths, rank });
    }
    for fam in cases {
        let name = fam.name();
        let cf = fam.closed_form().unwrap();
        let blow_ups = ExactOptions { skip_theorems: true, ..Default::default() };
        let res = solve(&fam.problem().unwrap(), &blow_ups).unwrap();
        assert_eq!(res.status, Status::Exact, "{name}: {} ≤ λ ≤ {}", res.lower, res.upper);
        assert_eq!(res.lambda, cf.lambda, "{name}");
        if let Some(m) = cf.multiplicity {
            assert_eq!(res.multiplicity, m, "{name}");
        }
    }
}

/// The emitted program parses to the same model: same variables, point
/// and prior, and the population loss the language derives (Isserlis) is
/// ½‖BA − B₀A₀‖² — half the family's sum of squares.
#[test]
fn emitted_programs_parse_to_the_family() {
    for fam in table().into_iter().chain([
        Family::Rrr { inputs: 3, outputs: 3, hidden: 2, rank: 1 },
        Family::Dln { widths: vec![3, 2, 4], rank: 1 },
    ]) {
        let name = fam.name();
        let text = fam.program().unwrap();
        let parsed = rlct::dsl::parse_program(&text, &name).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        let p = fam.problem().unwrap();
        assert_eq!(parsed.variables, p.variables, "{name}");
        assert_eq!(parsed.point, p.point, "{name}");
        assert_eq!(parsed.prior, p.prior, "{name}");
        let expect = if p.model.is_some() { p.k().scale(&ratio(1, 2)) } else { p.k() };
        assert_eq!(parsed.k(), expect, "{name}");
        assert_eq!(parsed.model.is_some(), p.model.is_some(), "{name}");
        if let (Some(a), Some(b)) = (&parsed.model, &p.model) {
            assert_eq!(a.outputs.len(), b.outputs.len(), "{name}");
            assert_eq!(a.truth, b.truth, "{name}");
        }
    }
}
