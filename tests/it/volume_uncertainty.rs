//! The volume estimator's reported uncertainty on the class of linear
//! networks (random reduced-rank regressions and deep linear networks at
//! random true ranks, closed forms of docs/theory.md §7): the estimate is
//! within max(4σ, 3 %) of the exact λ with σ ≤ 5 % of λ, and the verdict
//! follows its bands (agree iff |z| ≤ 3; never disagree with λ inside the
//! reported interval). Cheap members only (d ≤ 18, about a second each).

use num_traits::ToPrimitive;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rlct::estimate::verdict::{Z_AGREE, Z_DISAGREE, verdict};
use rlct::estimate::{EstimateOptions, estimate};
use rlct::models::Family;
use rlct::report::{Estimates, VerdictKind};
use rlct::{ExactResult, Status};

fn exact_of(fam: &Family) -> ExactResult {
    let cf = fam.closed_form().unwrap();
    ExactResult {
        lambda: cf.lambda.clone(),
        multiplicity: cf.multiplicity.unwrap(),
        status: Status::Exact,
        lower: cf.lambda.clone(),
        upper: cf.lambda,
        method: "closed form".into(),
        variables: vec![],
        certificate: serde_json::Value::Null,
        trace: vec![],
        stopped: None,
    }
}

fn random_member(rng: &mut ChaCha8Rng) -> Family {
    if rng.random_bool(0.6) {
        let (m, n) = (rng.random_range(2..=3), rng.random_range(2..=3));
        let h = rng.random_range(1..=3);
        let rank = rng.random_range(0..=h.min(m).min(n) - 1);
        Family::Rrr { inputs: m, outputs: n, hidden: h, rank }
    } else {
        let layers = rng.random_range(2..=3);
        let widths: Vec<usize> = (0..=layers).map(|_| rng.random_range(2..=3)).collect();
        let narrowest = *widths.iter().min().unwrap();
        Family::Dln { widths, rank: rng.random_range(0..narrowest) }
    }
}

#[test]
fn random_linear_networks_are_within_the_reported_uncertainty() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut tested = vec![];
    for k in 0..4 {
        let fam = random_member(&mut rng);
        let p = fam.problem().unwrap();
        if p.dim() > 18 {
            continue;
        }
        let ex = exact_of(&fam);
        tested.push(fam.name());
        let lam = ex.lambda.to_f64().unwrap();
        let opts = EstimateOptions {
            seed: 100 + k,
            multiplicity: Some(ex.multiplicity),
            multiplicity_source: "exact".into(),
            ..Default::default()
        };
        let est = estimate(&p, &opts).unwrap();
        let v = est.volume.as_ref().unwrap();
        let label = format!("{} (d = {}, λ = {lam}, m = {})", fam.name(), p.dim(), ex.multiplicity);
        assert!(
            (v.lambda - lam).abs() <= (4.0 * v.uncertainty).max(0.03 * lam),
            "{label}: {:.4} ± {:.4} (stat {:.4}, sys {:.4}, {})",
            v.lambda,
            v.uncertainty,
            v.stderr,
            v.systematic,
            v.fit.model
        );
        assert!(v.uncertainty <= 0.05 * lam, "{label}: σ = {:.4}", v.uncertainty);
        assert!(v.systematic > 0.0 && v.uncertainty >= v.stderr);
        assert!(v.interval.0 < v.lambda && v.lambda < v.interval.1);
        let ver = verdict(Ok(&ex), &est);
        let z = ver.z_volume.unwrap();
        let inside = v.interval.0 <= lam && lam <= v.interval.1;
        assert_eq!(ver.verdict == VerdictKind::Agree, z.abs() <= Z_AGREE, "{label}: z = {z}");
        assert!(!(inside && ver.verdict == VerdictKind::Disagree), "{label}");
    }
    assert!(tested.len() >= 3, "{tested:?}");
}

fn with(lambda: f64, stderr: f64, systematic: f64) -> Estimates {
    let fam = Family::Rrr { inputs: 2, outputs: 2, hidden: 1, rank: 0 };
    let o = EstimateOptions {
        runs: 2,
        depth: 8.0,
        window_start: 2.0,
        multiplicity: Some(2),
        ..Default::default()
    };
    let mut e = estimate(&fam.problem().unwrap(), &o).unwrap();
    let v = e.volume.as_mut().unwrap();
    (v.lambda, v.stderr, v.systematic) = (lambda, stderr, systematic);
    e
}

#[test]
fn verdict_bands_use_the_systematic_error() {
    let ex = exact_of(&Family::Rrr { inputs: 2, outputs: 2, hidden: 1, rank: 0 }); // λ = 1
    // σ = √(0.03² + 0.04²) = 0.05.
    let agree = verdict(Ok(&ex), &with(1.14, 0.03, 0.04));
    assert_eq!(agree.verdict, VerdictKind::Agree, "{:?}", agree.reasons);
    // z = 4: the statistical error alone would call it a disagreement
    // (z = 5.3); with the systematic part it is a tension, inconclusive.
    let tension = verdict(Ok(&ex), &with(1.2, 0.03, 0.04));
    assert_eq!(tension.verdict, VerdictKind::Inconclusive, "{:?}", tension.reasons);
    assert!((tension.z_volume.unwrap() - 4.0).abs() < 1e-9);
    assert!(tension.reasons.iter().any(|r| r.contains("tension")));
    let off = verdict(Ok(&ex), &with(1.3, 0.03, 0.04));
    assert_eq!(off.verdict, VerdictKind::Disagree);
    assert!(off.z_volume.unwrap() > Z_DISAGREE);
}
