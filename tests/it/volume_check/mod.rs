//! The shared volume-estimator cross-check of integration tests: an exact
//! λ against nested sampling with m fixed by the exact engine, within 4
//! reported standard errors (docs/theory.md §6: fit with m known).

use num_traits::ToPrimitive;
use rlct::estimate::{EstimateOptions, Method, estimate};
use rlct::{ExactResult, Problem};

/// Asserts that the volume estimate of λ (with `runs` runs of `live` live
/// points, or the defaults when `None`) lies within 4 standard errors of
/// the exact result `r` of `p`.
pub fn assert_volume_agrees(p: &Problem, r: &ExactResult, label: &str, runs_live: Option<(usize, usize)>) {
    let mut opts = EstimateOptions {
        method: Method::Volume,
        seed: 11,
        multiplicity: Some(r.multiplicity),
        ..Default::default()
    };
    if let Some((runs, live)) = runs_live {
        opts.runs = runs;
        opts.live = live;
    }
    let v = estimate(p, &opts).unwrap().volume.unwrap();
    let lam = r.lambda.to_f64().unwrap();
    let z = (v.lambda - lam) / v.stderr;
    assert!(z.abs() <= 4.0, "{label}: volume {:.4} ± {:.4} vs exact {lam} (z = {z:.2})", v.lambda, v.stderr);
}
