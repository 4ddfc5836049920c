//! The verdict of `rlct analyze`: does the volume estimate agree with the
//! exact engine's answer?
//!
//! `z = (λ̂ − λ)/σ` with `σ² = se² + (0.02 λ)²`: the statistical error of the
//! runs plus a 2% systematic floor for the leading-order fit (docs/theory.md §6:
//! the neglected terms of the scaling law are not zero at reachable ε).
//! `|z| ≤ 4` agrees. For a bound or interval, the estimate must lie within
//! `4σ` of `[lower, upper]`. The SGLD z-score is reported but never decides:
//! the estimator has a documented bias (≈ −(m−1)/log B for m > 1).

use crate::report::{Estimates, Verdict, VerdictKind};
use crate::{ExactResult, Status};
use num_traits::ToPrimitive;

/// |z| threshold.
pub const Z_THRESHOLD: f64 = 4.0;
/// Systematic relative error floor of the volume fit.
pub const SYSTEMATIC: f64 = 0.02;
/// A volume estimate whose standard error exceeds this fraction of λ̂ is
/// too noisy to decide anything.
pub const MAX_RELATIVE_SE: f64 = 0.1;

/// Why a volume estimate is incomplete, if it is: its runs were stopped
/// early by the evaluation budget or the time limit, or some runs had too
/// few tail points to enter the fit.
pub fn incomplete(v: &crate::report::VolumeEstimate) -> Option<String> {
    let stop = v.settings.stopped_by.as_str();
    if matches!(stop, "max-evals" | "time-limit") {
        return Some(format!(
            "nested sampling stopped early ({stop}) at log V = {:.1} of {:.1}: the estimate decides nothing",
            -v.settings.depth_reached, -v.settings.depth
        ));
    }
    v.notes
        .iter()
        .find(|n| n.contains("too few tail points"))
        .map(|n| format!("the volume fit is incomplete ({n})"))
}

/// Compares estimates with the exact engine's result (`Err` = its message).
pub fn verdict(exact: Result<&ExactResult, &str>, est: &Estimates) -> Verdict {
    let mut reasons = vec![];
    let inconclusive = |z_sgld, reasons| Verdict {
        verdict: VerdictKind::Inconclusive,
        z_volume: None,
        z_sgld,
        threshold: Z_THRESHOLD,
        reasons,
    };
    let ex = match exact {
        Ok(e) => e,
        Err(msg) => {
            reasons.push(format!("no exact result: {msg}"));
            return inconclusive(None, reasons);
        }
    };
    let lam = ex.lambda.to_f64().unwrap_or(f64::NAN);
    let (lo, hi) = (ex.lower.to_f64().unwrap_or(f64::NAN), ex.upper.to_f64().unwrap_or(f64::NAN));
    let z_sgld =
        est.sgld.as_ref().map(|s| (s.lambda - lam) / (s.stderr.powi(2) + (SYSTEMATIC * lam).powi(2)).sqrt());
    let Some(v) = &est.volume else {
        reasons.push("no volume estimate (the verdict rests on it)".into());
        return inconclusive(z_sgld, reasons);
    };
    // An estimate from runs that stopped before their depth (evaluation
    // budget, time limit) or whose fit left runs out decides nothing: its
    // window is not the one the z threshold was calibrated on.
    if let Some(why) = incomplete(v) {
        reasons.push(why);
        return inconclusive(z_sgld, reasons);
    }
    if !(v.stderr.is_finite() && v.stderr <= MAX_RELATIVE_SE * v.lambda.abs()) {
        reasons.push(format!(
            "volume standard error {:.3} is above {}% of λ̂",
            v.stderr,
            MAX_RELATIVE_SE * 100.0
        ));
        return inconclusive(z_sgld, reasons);
    }
    let sigma = (v.stderr.powi(2) + (SYSTEMATIC * lam.abs()).powi(2)).sqrt();
    let (z, ok) = match ex.status {
        Status::Exact => {
            let z = (v.lambda - lam) / sigma;
            reasons.push(format!(
                "exact λ = {} ; volume λ̂ = {:.4} ± {:.4}; z = {z:.2}",
                ex.lambda, v.lambda, v.stderr
            ));
            if v.multiplicity != ex.multiplicity {
                reasons.push(format!(
                    "the fit used m = {} but the exact m is {}",
                    v.multiplicity, ex.multiplicity
                ));
            }
            (z, z.abs() <= Z_THRESHOLD)
        }
        Status::Bound | Status::Interval => {
            // Distance outside the proven interval, in σ.
            let z = if v.lambda > hi {
                (v.lambda - hi) / sigma
            } else if v.lambda < lo {
                (v.lambda - lo) / sigma
            } else {
                0.0
            };
            let ok = z.abs() <= Z_THRESHOLD;
            reasons.push(format!(
                "proven {} ≤ λ ≤ {}; volume λ̂ = {:.4} ± {:.4} is {} with it (z outside = {z:.2})",
                ex.lower,
                ex.upper,
                v.lambda,
                v.stderr,
                if ok { "consistent" } else { "inconsistent" }
            ));
            (z, ok)
        }
    };
    if z_sgld.is_some() {
        reasons.push("the SGLD z-score is informative only: SGLD is biased for m > 1".into());
    }
    let verdict = if ok { VerdictKind::Agree } else { VerdictKind::Disagree };
    Verdict { verdict, z_volume: Some(z), z_sgld, threshold: Z_THRESHOLD, reasons }
}
