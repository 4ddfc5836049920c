//! One deadline and one set of size limits per run.
//!
//! Every stage that can run long (parsing and expansion, the sign check,
//! the Newton LPs, Sturm sequences, the chart search, the estimators) takes
//! a [`Deadline`] and checks it at its loop heads. A stage that reaches a
//! limit does not fail: it ends in an honest bound (exact layer) or an
//! early stop (estimators), and says which limit stopped it with a
//! [`StopReason`].

use serde::Serialize;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The longest time limit accepted (one week): larger values are refused
/// as input errors instead of overflowing `Instant + Duration`.
pub const MAX_TIME_LIMIT_SECS: f64 = 7.0 * 24.0 * 3600.0;

/// Largest `--depth` of nested sampling (e-folds of prior volume). The
/// record of dead points grows on demand, so memory follows the work done,
/// not this bound.
pub const MAX_DEPTH: f64 = 1e6;
/// Largest `--runs` (independent nested-sampling runs).
pub const MAX_RUNS: usize = 10_000;
/// Largest `--live` (live points per run).
pub const MAX_LIVE: usize = 100_000;
/// Largest `--steps` (slice steps per replacement).
pub const MAX_STEPS: usize = 100_000;
/// Largest `--sgld-chains` and LLC `--chains`.
pub const MAX_CHAINS: usize = 10_000;
/// Largest `--sgld-draws` (the polynomial SGLD keeps no per-draw record).
pub const MAX_DRAWS: usize = 1_000_000_000;
/// Largest `--sgld-n` (nominal sample size of the polynomial SGLD).
pub const MAX_SGLD_N: f64 = 1e15;
/// Largest LLC `--draws` and `--burn-in` (each chain records its draws).
pub const MAX_LLC_DRAWS: usize = 10_000_000;
/// Largest LLC data-set size `--n` (the data set is held in memory).
pub const MAX_LLC_N: usize = 10_000_000;

/// Largest dimension whose exact dense Hessian the regular-point check
/// builds (a diagonal Hessian is checked in any dimension).
pub const MAX_HESSIAN_DIM: usize = 200;

/// A wall-clock deadline, or none, and optionally a cancellation flag
/// (set by a caller that stopped waiting: an interrupted Python call).
/// Cheap to copy and to check.
#[derive(Clone, Copy, Debug, Default)]
pub struct Deadline(Option<Instant>, Option<&'static AtomicBool>);

impl PartialEq for Deadline {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
            && match (self.1, other.1) {
                (None, None) => true,
                (Some(a), Some(b)) => std::ptr::eq(a, b),
                _ => false,
            }
    }
}

impl Eq for Deadline {}

impl Deadline {
    /// No deadline.
    pub const NONE: Deadline = Deadline(None, None);

    /// A deadline `secs` seconds from now. `secs` must be finite and in
    /// `[0, MAX_TIME_LIMIT_SECS]`; use [`parse_time_limit`] on user input.
    pub fn after_secs(secs: f64) -> Deadline {
        let secs = if secs.is_finite() { secs.clamp(0.0, MAX_TIME_LIMIT_SECS) } else { MAX_TIME_LIMIT_SECS };
        Deadline(Instant::now().checked_add(Duration::from_secs_f64(secs)), None)
    }

    /// From an optional time limit in seconds.
    pub fn from_limit(secs: Option<f64>) -> Deadline {
        secs.map(Deadline::after_secs).unwrap_or(Deadline::NONE)
    }

    /// The same deadline, also expired once `flag` is set.
    pub fn with_cancel(self, flag: &'static AtomicBool) -> Deadline {
        Deadline(self.0, Some(flag))
    }

    /// True once the deadline has passed or the run was cancelled.
    pub fn expired(&self) -> bool {
        self.0.is_some_and(|t| Instant::now() >= t) || self.1.is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// The earlier of two deadlines (a cancellation flag of either kept).
    pub fn min(self, other: Deadline) -> Deadline {
        let flag = self.1.or(other.1);
        match (self.0, other.0) {
            (Some(a), Some(b)) => Deadline(Some(a.min(b)), flag),
            (a, b) => Deadline(a.or(b), flag),
        }
    }

    /// Time left, `None` without a deadline.
    pub fn remaining(&self) -> Option<Duration> {
        self.0.map(|t| t.saturating_duration_since(Instant::now()))
    }

    /// The instant itself, `None` without a deadline.
    pub fn instant(&self) -> Option<Instant> {
        self.0
    }
}

/// The time limit of `rlct exact` when `--time-limit` is not given. Every
/// stage checks the deadline where it can; past it plus [`grace_secs`], the
/// command answers with the trivially proven interval instead of waiting
/// (see `cli::run_exact`).
/// 45 s: with the grace period (5 s) a stage that cannot stop still ends
/// by 50 s, inside issue #17's one minute with room for start-up and
/// output on a loaded machine (at 55 s the answer came at 60.1 s).
pub const DEFAULT_EXACT_TIME_LIMIT_SECS: f64 = 45.0;

/// How long past its deadline a stage may run before the caller stops
/// waiting for it: a quarter of the limit, between 1 and 5 seconds.
pub fn grace_secs(limit: f64) -> f64 {
    (0.25 * limit).clamp(1.0, 5.0)
}

/// Checks a user-given time limit in seconds: finite, non-negative and at
/// most [`MAX_TIME_LIMIT_SECS`].
pub fn parse_time_limit(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !v.is_finite() || v < 0.0 {
        return Err(format!("time limit must be a finite number of seconds ≥ 0, got {s}"));
    }
    if v > MAX_TIME_LIMIT_SECS {
        return Err(format!(
            "time limit {s} s is longer than the maximum {MAX_TIME_LIMIT_SECS} s (one week)"
        ));
    }
    Ok(v)
}

/// Why a stage stopped before it finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StopReason {
    /// The wall-clock deadline passed.
    TimeLimit,
    /// The chart budget was used up.
    Charts,
    /// The nesting depth limit was reached.
    Depth,
    /// An intermediate polynomial would exceed the size limit.
    Size,
}

impl StopReason {
    /// The stable name used in JSON and traces.
    pub fn as_str(&self) -> &'static str {
        match self {
            StopReason::TimeLimit => "time-limit",
            StopReason::Charts => "charts",
            StopReason::Depth => "depth",
            StopReason::Size => "size",
        }
    }
}

impl StopReason {
    /// A phrase for messages: "the time limit", "the chart budget", ….
    pub fn phrase(&self) -> &'static str {
        match self {
            StopReason::TimeLimit => "the time limit (--time-limit)",
            StopReason::Charts => "the chart budget (--budget)",
            StopReason::Depth => "the depth limit",
            StopReason::Size => "the polynomial size limit",
        }
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines() {
        assert!(!Deadline::NONE.expired());
        assert!(Deadline::after_secs(0.0).expired());
        assert!(!Deadline::after_secs(100.0).expired());
        assert!(!Deadline::after_secs(f64::INFINITY).expired());
        let d = Deadline::after_secs(0.0).min(Deadline::NONE);
        assert!(d.expired());
    }

    #[test]
    fn time_limit_parsing() {
        assert_eq!(parse_time_limit("2.5"), Ok(2.5));
        assert!(parse_time_limit("1e19").is_err());
        assert!(parse_time_limit("-1").is_err());
        assert!(parse_time_limit("nan").is_err());
        assert!(parse_time_limit("x").is_err());
    }
}
