//! Bad numerics are errors, never printed results.

use num_bigint::BigInt;
use rlct::estimate::{EstimateOptions, Method, estimate};
use rlct::poly::{Poly, Rat, rat};
use rlct::{Error, Loss, Problem};

fn x2_times(c: Rat) -> Problem {
    let k = Poly::monomial(1, vec![2], c);
    Problem::new(vec!["x".into()], Loss::Polynomial(k))
}

#[test]
fn overflowing_coefficient_is_an_error() {
    let huge = Rat::from_integer(BigInt::from(10).pow(400));
    let opts = EstimateOptions {
        multiplicity: Some(1),
        runs: 2,
        depth: 8.0,
        window_start: 2.0,
        ..Default::default()
    };
    let err = estimate(&x2_times(huge), &opts).unwrap_err();
    // Issue #17: the estimator giving up on valid input has its own exit
    // code (4), not the invalid-input code 2.
    assert!(matches!(err, Error::Estimator(_)), "{err}");
    assert_eq!(err.exit_code(), 4, "{err}");
    assert!(err.to_string().contains("overflow"), "{err}");
}

#[test]
fn overflowing_domain_is_an_error() {
    let mut p = x2_times(rat(1));
    p.domain[0] = (-Rat::from_integer(BigInt::from(10).pow(400)), rat(1));
    let err = estimate(&p, &EstimateOptions::default()).unwrap_err();
    assert_eq!(err.exit_code(), 2, "{err}");
}

/// A step far above the stability limit: reflection keeps the chain in the
/// box, and the Metropolis–Hastings acceptance diagnostic exposes the step.
#[test]
fn bad_sgld_step_shows_in_acceptance() {
    let p = x2_times(rat(1));
    let mut opts = EstimateOptions { method: Method::Sgld, ..Default::default() };
    opts.sgld.draws = 5000;
    let good = estimate(&p, &opts).unwrap().sgld.unwrap();
    assert!(good.acceptance > 0.95, "{}", good.acceptance);
    opts.sgld.step = Some(10.0 / good.settings.inverse_temperature);
    let bad = estimate(&p, &opts).unwrap().sgld.unwrap();
    assert!(bad.acceptance < 0.5, "{}", bad.acceptance);
}
