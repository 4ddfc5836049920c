//! Corrections from what the exact engine proves, the same for every
//! finite-temperature estimator (thermodynamic curve, SGLD on the
//! polynomial, data-driven LLC):
//!
//! - with m certified (`status = exact`) or given, the leading finite-t
//!   term is added back beside the raw value: `t·E_t[K] ≈ λ − (m−1)/log t`
//!   (docs/theory.md §1.3, reading 2), so `raw + (m−1)/log t`. Leading order
//!   only: at reachable t it overshoots for m ≥ 2 (§6.3's table), which is
//!   why the raw value is always kept and reported beside it. A model-choice
//!   m is never used for it;
//! - an estimate outside the proven `[lower, upper]` (the exact λ when
//!   exact) by more than [`Z_AGREE`] of its own standard errors is flagged:
//!   a proven interval is a fact, so such an estimate is biased there.

use super::verdict::Z_AGREE;
use crate::report::{Correction, Estimates};
use crate::{ExactResult, Status};
use num_traits::ToPrimitive;

/// `raw + (m−1)/log t` (docs/theory.md §1.3); `log_t ≤ 0` leaves it raw
/// (the expansion is in 1/log t as t → ∞ and says nothing below t = 1).
pub fn add_back(raw: f64, m: usize, log_t: f64) -> f64 {
    if log_t > 0.0 { raw + (m as f64 - 1.0) / log_t } else { raw }
}

/// The correction of an estimate `raw` at inverse temperature `e^{log_t}`
/// for a certified or given m (`m`: the value and its source, `exact` or
/// `given`); empty without one.
pub fn for_m(raw: f64, m: Option<(usize, &str)>, log_t: f64) -> Correction {
    match m {
        Some((m, source)) => Correction {
            lambda_corrected: Some(add_back(raw, m, log_t)),
            corrected_for_m: Some(m),
            corrected_m_source: Some(source.to_string()),
            outside_proven: None,
        },
        None => Correction::default(),
    }
}

/// The flag of an estimate of the `name` estimator: its corrected value
/// when it has one, else `raw`, with its standard error `se`, against the
/// engine's proven interval. `None` when inside (within `Z_AGREE·se`), when
/// the engine proved nothing (trivial bounds are still an interval) or
/// when the numbers are not finite.
pub fn outside_proven(
    name: &str,
    raw: f64,
    se: f64,
    correction: &Correction,
    exact: &ExactResult,
) -> Option<String> {
    let proven = if exact.status == Status::Exact {
        format!("the exact λ = {}", exact.lambda)
    } else {
        format!("the proven interval [{}, {}] ({})", exact.lower, exact.upper, exact.status)
    };
    outside(name, raw, se, correction, (exact.lower.to_f64()?, exact.upper.to_f64()?), &proven)
}

/// [`outside_proven`] against `[lo, hi]`, described as `proven` (e.g. a
/// cited closed form).
pub fn outside(
    name: &str,
    raw: f64,
    se: f64,
    correction: &Correction,
    (lo, hi): (f64, f64),
    proven: &str,
) -> Option<String> {
    let (value, which) = match (correction.lambda_corrected, correction.corrected_for_m) {
        (Some(c), Some(m)) => (c, format!("corrected for m = {m}")),
        _ => (raw, "raw".to_string()),
    };
    if !(value.is_finite() && se.is_finite() && lo.is_finite() && hi.is_finite()) {
        return None;
    }
    let z = if value > hi + Z_AGREE * se {
        (value - hi) / se
    } else if value < lo - Z_AGREE * se {
        (value - lo) / se
    } else {
        return None;
    };
    Some(format!(
        "the {name} estimate ({which}) {value:.4} ± {se:.4} lies outside {proven}, z = {z:+.1} \
         standard errors: biased at these settings (its error bar is statistical only)"
    ))
}

/// Flags every finite-temperature estimate of `est` against `exact`
/// (sets each `outside_proven`), and adds a note to the volume estimate
/// when its reported interval misses the proven one.
pub fn annotate(est: &mut Estimates, exact: &ExactResult) {
    if let Some(v) = &mut est.volume {
        let t = &mut v.thermodynamic;
        t.correction.outside_proven =
            outside_proven("thermodynamic", t.lambda_raw, t.stderr, &t.correction, exact);
        if let (Some(lo), Some(hi)) = (exact.lower.to_f64(), exact.upper.to_f64())
            && (v.interval.1 < lo || v.interval.0 > hi)
        {
            v.notes.push(format!(
                "the volume interval (3σ) [{:.4}, {:.4}] misses the proven [{}, {}] ({})",
                v.interval.0, v.interval.1, exact.lower, exact.upper, exact.status
            ));
        }
    }
    if let Some(s) = &mut est.sgld {
        s.correction.outside_proven = outside_proven("SGLD", s.lambda, s.stderr, &s.correction, exact);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::Rat;

    fn exact(lo: i64, hi: i64, status: Status) -> ExactResult {
        ExactResult {
            lambda: Rat::from_integer(hi.into()),
            multiplicity: 2,
            status,
            lower: Rat::from_integer(lo.into()),
            upper: Rat::from_integer(hi.into()),
            method: "test".into(),
            variables: vec![],
            certificate: serde_json::Value::Null,
            trace: vec![],
            stopped: None,
        }
    }

    #[test]
    fn add_back_is_the_leading_term() {
        assert_eq!(add_back(1.0, 1, 5.0), 1.0);
        assert!((add_back(1.0, 3, 4.0) - 1.5).abs() < 1e-15);
        assert_eq!(add_back(1.0, 3, 0.0), 1.0);
        let c = for_m(2.0, Some((2, "exact")), 2.0f64.ln());
        assert!((c.lambda_corrected.unwrap() - (2.0 + 1.0 / 2.0f64.ln())).abs() < 1e-12);
        assert_eq!((c.corrected_for_m, c.corrected_m_source.as_deref()), (Some(2), Some("exact")));
        assert_eq!(for_m(2.0, None, 3.0), Correction::default());
    }

    #[test]
    fn flags_only_outside_by_three_standard_errors() {
        let ex = exact(1, 2, Status::Interval);
        let none = Correction::default();
        assert!(outside_proven("x", 2.29, 0.1, &none, &ex).is_none());
        assert!(outside_proven("x", 0.71, 0.1, &none, &ex).is_none());
        let hi = outside_proven("x", 2.31, 0.1, &none, &ex).unwrap();
        assert!(hi.contains("raw") && hi.contains("[1, 2]") && hi.contains("+3.1"), "{hi}");
        assert!(outside_proven("x", 0.69, 0.1, &none, &ex).unwrap().contains("-3.1"));
        // The corrected value is the one judged when there is one.
        let c = for_m(0.5, Some((3, "exact")), 1.0); // 2.5
        let f = outside_proven("x", 0.5, 0.1, &c, &ex).unwrap();
        assert!(f.contains("corrected for m = 3") && f.contains("2.5000"), "{f}");
        let exact_pt = exact(2, 2, Status::Exact);
        assert!(outside_proven("x", 1.5, 0.1, &none, &exact_pt).unwrap().contains("exact λ = 2"));
        assert!(outside_proven("x", f64::NAN, 0.1, &none, &exact_pt).is_none());
    }
}
