//! Drivers: the commands' logic without a command line, shared by the CLI
//! (`crate::cli`, clap and rendering only) and the Python bindings
//! (`python/`), so that both print and return the same objects.
//!
//! Layer: the top of the library. Drivers call `dsl`, `exact`, `models`
//! and (with the `estimate` feature) the estimators; nothing below imports
//! them. [`exact_within`] needs no estimator and is always built.

#[cfg(feature = "estimate")]
pub mod analysis;
pub mod answer_key;
#[cfg(feature = "estimate")]
pub mod llc;
pub mod score;
pub mod shard;
#[cfg(feature = "estimate")]
pub mod sweep;
#[cfg(feature = "estimate")]
pub mod validate;

use crate::limits::{DEFAULT_EXACT_TIME_LIMIT_SECS, StopReason, grace_secs};
use crate::{Error, ExactResult, Problem, Result};
use std::sync::atomic::{AtomicBool, Ordering};

/// The JSON object of `rlct exact --json` for a program (the CLI and the
/// Python package print the same): the result of [`exact_within`], a
/// second proof `rlct check` can replay when another engine answered
/// (docs/certificate.md), and the non-negativity label (docs/theory.md
/// §2.7).
pub fn exact_json(
    src: &str,
    name: &str,
    opts: crate::exact::ExactOptions,
    limit: Option<f64>,
    wait: &mut dyn FnMut() -> Result<()>,
) -> Result<serde_json::Value> {
    let (mut res, parsed) = exact_within_parsed(src, name, opts.clone(), limit, wait)?;
    if let Some(problem) = &parsed
        && res.stopped.is_none()
    {
        crate::exact::attach_resolution_certificate(problem, &opts, &mut res);
    }
    let nonneg =
        parsed.as_ref().map_or(crate::exact::Nonnegativity::Unproven, |p| crate::exact::nonnegativity(p).0);
    Ok(labelled_json(&res, nonneg))
}

/// A result as JSON with its non-negativity label
/// (`"nonnegative": "proven" | "unproven"`, docs/theory.md §2.7).
pub fn labelled_json(res: &ExactResult, nonnegative: crate::exact::Nonnegativity) -> serde_json::Value {
    let mut v = serde_json::to_value(res).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(map) = &mut v {
        map.insert("nonnegative".into(), serde_json::to_value(nonnegative).unwrap_or_default());
    }
    v
}

/// `rlct exact`: parses `src` (named `name` in messages) and solves it on a
/// worker thread with the wall-clock `limit` (default
/// [`DEFAULT_EXACT_TIME_LIMIT_SECS`]) folded into `opts.deadline`. The
/// deadline stops the stages that check it; past it plus a grace period
/// the call stops waiting: with the parsed problem it answers the
/// trivially proven interval, without one it reports the limit
/// ([`Error::Limit`]). `wait` is called between polls (at most every
/// 100 ms) and may end the wait with an error (the Python bindings raise
/// `KeyboardInterrupt` through it); the abandoned worker is cancelled
/// through its deadline and stops at the engine's next deadline check.
pub fn exact_within(
    src: &str,
    name: &str,
    opts: crate::exact::ExactOptions,
    limit: Option<f64>,
    wait: &mut dyn FnMut() -> Result<()>,
) -> Result<ExactResult> {
    exact_within_parsed(src, name, opts, limit, wait).map(|(r, _)| r)
}

/// [`exact_within`], also returning the parsed problem (when parsing
/// finished), so callers need not parse twice.
pub fn exact_within_parsed(
    src: &str,
    name: &str,
    mut opts: crate::exact::ExactOptions,
    limit: Option<f64>,
    wait: &mut dyn FnMut() -> Result<()>,
) -> Result<(ExactResult, Option<Box<Problem>>)> {
    let limit = limit.unwrap_or(DEFAULT_EXACT_TIME_LIMIT_SECS);
    // A caller that stops waiting (`wait` fails) cancels the worker through
    // its deadline: the flag outlives the abandoned worker (one byte per
    // call, leaked on purpose).
    let cancel: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
    opts.deadline = opts.deadline.min(crate::limits::Deadline::after_secs(limit)).with_cancel(cancel);
    enum Msg {
        Parsed(Box<Problem>),
        Done(Box<Result<ExactResult>>),
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let (src, name) = (src.to_string(), name.to_string());
    let worker = std::thread::Builder::new().stack_size(64 << 20).spawn(move || {
        let problem = match crate::dsl::parse_program(&src, &name) {
            Ok(p) => p,
            Err(e) => {
                let _ = tx.send(Msg::Done(Box::new(Err(e))));
                return;
            }
        };
        let _ = tx.send(Msg::Parsed(Box::new(problem.clone())));
        let _ = tx.send(Msg::Done(Box::new(crate::exact::solve(&problem, &opts))));
    });
    worker.map_err(|e| Error::Limit(format!("cannot start the exact engine's thread: {e}")))?;
    let hard = std::time::Instant::now() + std::time::Duration::from_secs_f64(limit + grace_secs(limit));
    let mut parsed: Option<Box<Problem>> = None;
    loop {
        let left = hard.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left.min(std::time::Duration::from_millis(100))) {
            Ok(Msg::Parsed(p)) => parsed = Some(p),
            Ok(Msg::Done(r)) => return (*r).map(|r| (r, parsed)),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if !left.is_zero() => {
                if let Err(e) = wait() {
                    cancel.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
            Err(_) => {
                return match parsed {
                    Some(p) => Ok((crate::exact::trivial_interval(&p, StopReason::TimeLimit), Some(p))),
                    None => Err(Error::Limit(format!(
                        "the program was not parsed and expanded within the time limit of {limit} s \
                         (--time-limit; default {DEFAULT_EXACT_TIME_LIMIT_SECS} s)"
                    ))),
                };
            }
        }
    }
}

/// Runs `f` on a worker thread with a 64 MiB stack and waits for it,
/// calling `wait` between polls (at most every 100 ms) so that a caller can
/// give up (the worker then finishes on its own and its result is
/// dropped).
pub fn on_worker<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
    wait: &mut dyn FnMut() -> Result<()>,
) -> Result<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .map_err(|e| Error::Estimator(format!("cannot start a worker thread: {e}")))?;
    loop {
        match rx.recv_timeout(std::time::Duration::from_millis(100)) {
            Ok(r) => return r,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => wait()?,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Error::Internal("a worker thread ended without an answer".into()));
            }
        }
    }
}

/// The object `rlct model FAMILY --json` prints: the family's name, its
/// closed-form λ (a string) and m with the citation, the variables and the
/// program text.
pub fn model_json(fam: &crate::models::Family) -> Result<serde_json::Value> {
    let cf = fam.closed_form()?;
    let p = fam.problem()?;
    Ok(serde_json::json!({
        "family": fam.name(),
        "lambda": cf.lambda.to_string(),
        "multiplicity": cf.multiplicity,
        "source": cf.citation,
        "variables": p.variables,
        "program": fam.program()?,
    }))
}
