//! The verdict of `rlct analyze`: does the volume estimate agree with the
//! exact engine's answer?
//!
//! `z = (λ̂ − λ)/σ` with `σ = √(se² + sys²)`, the volume estimate's
//! `uncertainty`: the statistical error of the runs and the systematic error
//! of the fit (the spread of the plausible scaling-law models, at least
//! 1.5%; docs/theory.md §6.6). `|z| ≤ 3` agrees (the exact λ lies in the
//! reported interval `λ̂ ± 3σ`), `|z| > 5` disagrees, and in between the
//! verdict is `inconclusive` (tension): so "agree" never comes with
//! |z| > 3 and "disagree" never with λ inside the interval. For a bound
//! or interval, z is the distance outside `[lower, upper]`. The SGLD
//! z-score is reported but never decides: the estimator has a documented
//! bias (≈ −(m−1)/log B for m > 1).

use crate::report::{Estimates, Verdict, VerdictKind};
use crate::{ExactResult, Status};
use num_traits::ToPrimitive;

/// |z| up to which the verdict agrees (the reported interval's half-width
/// in σ).
pub const Z_AGREE: f64 = 3.0;
/// |z| above which it disagrees; in between it is inconclusive.
pub const Z_DISAGREE: f64 = 5.0;
/// The |z| tolerance `rlct sweep` applies to LLC estimates (unchanged by
/// the volume verdict's bands).
pub const Z_THRESHOLD: f64 = 4.0;
/// Relative systematic error assumed for SGLD's informative z-score.
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
        threshold: Z_AGREE,
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
    // Recomputed from the parts (not `v.uncertainty`) so that a caller who
    // edits the statistical error gets a consistent verdict.
    let sigma = (v.stderr.powi(2) + v.systematic.powi(2)).sqrt();
    let (z, zv) = match ex.status {
        Status::Exact => {
            let z = (v.lambda - lam) / sigma;
            reasons.push(format!(
                "exact λ = {} ; volume λ̂ = {:.4} ± {:.4} (statistical {:.4}, systematic {:.4}); z = {z:.2}",
                ex.lambda, v.lambda, sigma, v.stderr, v.systematic
            ));
            if v.multiplicity != ex.multiplicity {
                reasons.push(format!(
                    "the fit used m = {} but the exact m is {}",
                    v.multiplicity, ex.multiplicity
                ));
            }
            (z, z)
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
            let word = if z.abs() <= Z_AGREE {
                "consistent"
            } else if z.abs() <= Z_DISAGREE {
                "in tension"
            } else {
                "inconsistent"
            };
            reasons.push(format!(
                "proven {} ≤ λ ≤ {}; volume λ̂ = {:.4} ± {:.4} is {word} with it (z outside = {z:.2})",
                ex.lower, ex.upper, v.lambda, sigma
            ));
            (z, z)
        }
    };
    // Estimates the verdict does not rest on, flagged when they fall
    // outside what the engine proved (by more than 3 of their own
    // standard errors; `correct::outside_proven`): a proven interval is a
    // fact, an estimate outside it is biased. With an exact λ the SGLD
    // z-score below says the same.
    if ex.status != Status::Exact {
        let t = &v.thermodynamic;
        let mut flags =
            vec![super::correct::outside_proven("thermodynamic", t.lambda_raw, t.stderr, &t.correction, ex)];
        if let Some(sg) = &est.sgld {
            flags.push(super::correct::outside_proven("SGLD", sg.lambda, sg.stderr, &sg.correction, ex));
        }
        reasons.extend(flags.into_iter().flatten().map(|f| format!("{f} (informative only)")));
    }
    if z_sgld.is_some() {
        reasons.push("the SGLD z-score is informative only: SGLD is biased for m > 1".into());
    }
    let verdict = if zv.abs() <= Z_AGREE {
        VerdictKind::Agree
    } else if zv.abs() > Z_DISAGREE {
        VerdictKind::Disagree
    } else {
        reasons.push(format!(
            "|z| = {:.2} is between {Z_AGREE} and {Z_DISAGREE}: tension, neither agreement nor a disagreement",
            zv.abs()
        ));
        VerdictKind::Inconclusive
    };
    Verdict { verdict, z_volume: Some(z), z_sgld, threshold: Z_AGREE, reasons }
}
