//! `rlct estimate` and `rlct analyze` without a command line: settings
//! checked against `crate::limits`, the exact engine waited for at most a
//! timeout, the estimators on a pool of the requested size, the verdict,
//! and the JSON objects the CLI prints (`--json`) and the Python bindings
//! return.

use crate::estimate::llc::{self, LlcEstimate, LlcSettings};
use crate::estimate::{EstimateOptions, Method, Progress, SgldOptions, correct, verdict};
use crate::report::{Estimates, Verdict, VerdictKind};
use crate::{Error, ExactResult, Problem, Result, Status};
use std::time::{Duration, Instant};

/// The estimator settings of `estimate` and `analyze` (the CLI's flags).
#[derive(Clone, Debug, PartialEq)]
pub struct RunSettings {
    /// Estimators (`None`: volume for `estimate`, all for `analyze`).
    pub method: Option<MethodChoice>,
    /// Base seed.
    pub seed: u64,
    /// Worker threads (`None`: all cores).
    pub threads: Option<usize>,
    /// Total loss-evaluation budget of nested sampling.
    pub max_evals: Option<u64>,
    /// Wall-clock limit of the whole run in seconds.
    pub time_limit: Option<f64>,
    /// Independent nested-sampling runs.
    pub runs: usize,
    /// Live points per run.
    pub live: usize,
    /// Run down to log V = −depth exactly; `None`: at least 30, then on
    /// until log ε ≤ −10 (at most 100), which high λ needs.
    pub depth: Option<f64>,
    /// Slice-sampling steps per replacement.
    pub steps: Option<usize>,
    /// Multiplicity for the volume fit.
    pub multiplicity: Option<usize>,
    /// Seconds to wait for the exact engine.
    pub exact_timeout: f64,
    /// SGLD nominal sample size n.
    pub sgld_n: f64,
    /// SGLD chains.
    pub sgld_chains: usize,
    /// SGLD draws per chain.
    pub sgld_draws: usize,
    /// SGLD step size.
    pub sgld_step: Option<f64>,
}

/// `--method`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodChoice {
    /// Nested sampling.
    Volume,
    /// Langevin on the polynomial.
    Sgld,
    /// Both.
    All,
    /// Data-driven minibatch SGLD on the stated model (`estimate` only).
    Llc,
}

impl MethodChoice {
    /// From the CLI's spelling.
    pub fn parse(name: &str) -> Result<Self> {
        Ok(match name {
            "volume" => MethodChoice::Volume,
            "sgld" => MethodChoice::Sgld,
            "all" => MethodChoice::All,
            "llc" => MethodChoice::Llc,
            _ => {
                return Err(Error::Usage(format!(
                    "unknown method `{name}` (expected volume, sgld, all or llc)"
                )));
            }
        })
    }
}

impl RunSettings {
    /// The CLI's defaults.
    pub const DEFAULT: RunSettings = RunSettings {
        method: None,
        seed: 0,
        threads: None,
        max_evals: None,
        time_limit: None,
        runs: 8,
        live: 100,
        depth: None,
        steps: None,
        multiplicity: None,
        exact_timeout: 30.0,
        sgld_n: 1e4,
        sgld_chains: 8,
        sgld_draws: 200_000,
        sgld_step: None,
    };

    /// The estimator options, checked (exit code 2 on a meaningless value).
    pub fn options(&self, default: Method) -> Result<EstimateOptions> {
        let method = match self.method {
            None => default,
            Some(MethodChoice::Volume) => Method::Volume,
            Some(MethodChoice::Sgld) => Method::Sgld,
            Some(MethodChoice::All) => Method::All,
            Some(MethodChoice::Llc) => {
                return Err(Error::Usage("--method llc is handled by `estimate` only".into()));
            }
        };
        let time_limit = match self.time_limit {
            None => None,
            Some(t) if t > 0.0 && t.is_finite() => Some(Duration::from_secs_f64(t)),
            Some(t) => return Err(Error::Usage(format!("--time-limit must be positive, got {t}"))),
        };
        if self.threads == Some(0) {
            return Err(Error::Usage("--threads must be at least 1".into()));
        }
        if self.multiplicity == Some(0) {
            return Err(Error::Usage("--multiplicity must be at least 1".into()));
        }
        self.check_ranges()?;
        Ok(EstimateOptions {
            method,
            seed: self.seed,
            runs: self.runs,
            live: self.live,
            depth: self.depth.unwrap_or(30.0),
            log_eps_target: if self.depth.is_some() {
                None
            } else {
                Some(crate::estimate::DEFAULT_LOG_EPS_TARGET)
            },
            steps: self.steps,
            max_evals: self.max_evals,
            time_limit,
            sgld: SgldOptions {
                n: self.sgld_n,
                chains: self.sgld_chains,
                draws: self.sgld_draws,
                step: self.sgld_step,
                ..Default::default()
            },
            ..Default::default()
        })
    }

    /// Range checks of the numeric settings (crate::limits): values that
    /// are meaningless or would overflow a buffer are refused up front.
    fn check_ranges(&self) -> Result<()> {
        use crate::limits::{MAX_CHAINS, MAX_DEPTH, MAX_DRAWS, MAX_LIVE, MAX_RUNS, MAX_SGLD_N, MAX_STEPS};
        let range = |flag: &str, v: usize, max: usize| {
            if v > max {
                Err(Error::Usage(format!("{flag} {v} is above the limit {max} (crate::limits)")))
            } else {
                Ok(())
            }
        };
        range("--runs", self.runs, MAX_RUNS)?;
        range("--live", self.live, MAX_LIVE)?;
        if let Some(s) = self.steps {
            range("--steps", s, MAX_STEPS)?;
        }
        range("--sgld-chains", self.sgld_chains, MAX_CHAINS)?;
        range("--sgld-draws", self.sgld_draws, MAX_DRAWS)?;
        if let Some(depth) = self.depth
            && !(depth.is_finite() && depth > 0.0 && depth <= MAX_DEPTH)
        {
            return Err(Error::Usage(format!(
                "--depth must be a positive number of e-folds at most {MAX_DEPTH}, got {}",
                depth
            )));
        }
        if !(self.sgld_n.is_finite() && self.sgld_n <= MAX_SGLD_N) {
            return Err(Error::Usage(format!(
                "--sgld-n must be a finite number at most {MAX_SGLD_N:e}, got {}",
                self.sgld_n
            )));
        }
        if let Some(st) = self.sgld_step {
            if !(st.is_finite() && st > 0.0) {
                return Err(Error::Usage(format!("--sgld-step must be a positive finite number, got {st}")));
            }
        }
        Ok(())
    }

    /// The thread count: the setting capped at the machine's parallelism
    /// (with a note when capped), or 0 for rayon's default (all cores).
    fn thread_count(&self) -> (usize, Option<String>) {
        let avail = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        match self.threads {
            None => (0, None),
            Some(t) if t > avail => {
                (avail, Some(format!("--threads {t} capped at the {avail} available cores")))
            }
            Some(t) => (t, None),
        }
    }

    /// How long parsing may take: the time limit, or the default limit.
    pub fn parse_limit(&self) -> f64 {
        self.time_limit.unwrap_or(crate::limits::DEFAULT_EXACT_TIME_LIMIT_SECS)
    }

    /// How long to wait for the exact engine: the exact timeout, and never
    /// longer than the time limit (the limit covers the whole run).
    fn exact_wait(&self) -> f64 {
        self.time_limit.map_or(self.exact_timeout, |t| t.min(self.exact_timeout))
    }
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings::DEFAULT
    }
}

/// Hooks of a run: a progress callback (its total is
/// `settings.options(..).work_units()`) and the notes printed on stderr.
#[derive(Clone, Default)]
pub struct Hooks {
    /// Called as runs and chains finish.
    pub progress: Option<Progress>,
    /// Print notes (the thread cap) on stderr.
    pub notes_to_stderr: bool,
}

/// Runs the estimators: picks m (setting, then a certified exact result),
/// builds the pool.
fn run_estimators(
    problem: &Problem,
    s: &RunSettings,
    default: Method,
    exact: Option<&ExactResult>,
    started: Instant,
    hooks: &Hooks,
) -> Result<Estimates> {
    let mut opts = s.options(default)?;
    // The time limit covers the whole run: what the parser and the exact
    // engine's wait used is not available to the estimators.
    opts.time_limit = opts.time_limit.map(|t| t.saturating_sub(started.elapsed()));
    if let Some(m) = s.multiplicity {
        if m > problem.dim() {
            return Err(Error::Usage(format!("--multiplicity must be at most d = {}", problem.dim())));
        }
        opts.multiplicity = Some(m);
    } else if let Some(e) = exact.filter(|e| e.status == Status::Exact) {
        opts.multiplicity = Some(e.multiplicity);
        opts.multiplicity_source = "exact".into();
    }
    opts.progress = hooks.progress.clone();
    let (threads, thread_note) = s.thread_count();
    if let (Some(n), true) = (&thread_note, hooks.notes_to_stderr) {
        eprintln!("note: {n}");
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Estimator(format!("cannot start {threads} worker threads: {e}")))?;
    let mut est = pool.install(|| crate::estimate::estimate(problem, &opts))?;
    // Whatever the engine proved (an exact λ or an interval) flags the
    // estimates outside it (`estimate::correct`).
    if let Some(e) = exact {
        crate::estimate::correct::annotate(&mut est, e);
    }
    if let (Some(v), Some(n)) = (&mut est.volume, thread_note) {
        v.notes.push(n);
    }
    if let (Some(v), Some(_)) = (&mut est.volume, opts.time_limit) {
        v.notes
            .push("--time-limit was set: the result depends on machine speed, not only on the seed".into());
    }
    Ok(est)
}

/// `exact::solve` on a worker thread, waited for at most `secs`: a slow
/// exact analysis must not keep the estimators from running. On timeout the
/// worker is abandoned (its deadline ends its search soon after).
pub fn exact_with_timeout(problem: &Problem, secs: f64) -> std::result::Result<ExactResult, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let p = problem.clone();
    let opts = crate::exact::ExactOptions {
        deadline: crate::limits::Deadline::after_secs(secs),
        ..Default::default()
    };
    let spawned = std::thread::Builder::new().spawn(move || {
        let _ = tx.send(crate::exact::solve(&p, &opts).map_err(|e| e.to_string()));
    });
    if let Err(e) = spawned {
        return Err(format!("cannot start the exact engine's thread: {e}"));
    }
    let wait = Duration::try_from_secs_f64(secs.max(0.0)).unwrap_or(Duration::MAX);
    match rx.recv_timeout(wait) {
        Ok(r) => r,
        Err(_) => Err(format!("the exact engine did not answer within {secs} s (--exact-timeout)")),
    }
}

/// What `rlct estimate` computed.
#[derive(Clone, Debug)]
pub enum EstimateOutput {
    /// Nested sampling and/or SGLD on the polynomial, with the exact
    /// engine's pair when it was asked for m.
    Estimates {
        /// The estimates.
        estimates: Estimates,
        /// The exact engine's answer or why there is none (when asked).
        exact: Option<std::result::Result<ExactResult, String>>,
    },
    /// `--method llc`: the data-driven estimator (tuned preset).
    Llc(LlcEstimate),
}

impl EstimateOutput {
    /// The object `rlct estimate --json` prints.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            EstimateOutput::Estimates { estimates, .. } => serde_json::json!({ "estimates": estimates }),
            EstimateOutput::Llc(est) => serde_json::json!({ "estimates": { "llc": est } }),
        }
    }
}

/// `rlct estimate` on a parsed problem; `started` is when the run began
/// (parsing included), for the time limit.
pub fn estimate(
    problem: &Problem,
    s: &RunSettings,
    started: Instant,
    hooks: &Hooks,
) -> Result<EstimateOutput> {
    if s.method == Some(MethodChoice::Llc) && problem.model.is_none() {
        return Err(Error::Usage(
            "--method llc needs a stated regression model (`input`, `output`, `truth`); for a bare loss use \
             --method sgld"
                .into(),
        ));
    }
    // The exact engine is asked for m (the volume fit uses it; the
    // thermodynamic, SGLD and LLC estimates are corrected with it beside
    // their raw values) and for what it proves (the flags), unless m is
    // given.
    let exact =
        if s.multiplicity.is_none() { Some(exact_with_timeout(problem, s.exact_wait())) } else { None };
    if s.method == Some(MethodChoice::Llc) {
        return llc_estimate(problem, s, exact.as_ref().and_then(|e| e.as_ref().ok()))
            .map(EstimateOutput::Llc);
    }
    let certified = exact.as_ref().and_then(|e| e.as_ref().ok());
    let mut est = run_estimators(problem, s, Method::Volume, certified, started, hooks)?;
    if let Some(e) = &exact {
        let note = match e {
            Err(err) => Some(format!("exact engine gave no multiplicity: {err}")),
            Ok(r) if r.status != Status::Exact => {
                Some(format!("the exact engine's result is a {}, so m was not taken from it", r.status))
            }
            Ok(_) => None,
        };
        if let (Some(v), Some(n)) = (&mut est.volume, &note) {
            v.notes.push(n.clone());
        }
        if let (Some(sg), Some(n)) = (&mut est.sgld, note) {
            sg.known_bias.push_str(&format!("; no correction: {n}"));
        }
    }
    Ok(EstimateOutput::Estimates { estimates: est, exact })
}

/// `rlct estimate --method llc`: the data-driven estimator with the tuned
/// preset and the given seed; with m given or certified by `exact`, the
/// corrected value beside the raw one, and the flag against what `exact`
/// proves (`estimate::correct`).
fn llc_estimate(problem: &Problem, s: &RunSettings, exact: Option<&ExactResult>) -> Result<LlcEstimate> {
    if let Some(m) = s.multiplicity.filter(|&m| m == 0 || m > problem.dim()) {
        return Err(Error::Usage(format!("--multiplicity must be in 1..={}, got {m}", problem.dim())));
    }
    let settings = LlcSettings { seed: s.seed, ..LlcSettings::tuned() };
    let mut est = llc::run(problem, &settings)?;
    est.chains.iter_mut().for_each(|c| c.trace.clear());
    let certified = match (s.multiplicity, exact) {
        (Some(m), _) => Some((m, "given")),
        (None, Some(e)) if e.status == Status::Exact => Some((e.multiplicity, "exact")),
        _ => None,
    };
    est.correction = correct::for_m(est.lambda, certified, est.nbeta.ln());
    if let Some(e) = exact {
        est.correction.outside_proven =
            correct::outside_proven("LLC", est.lambda, est.stderr, &est.correction, e);
    }
    Ok(est)
}

/// What `rlct analyze` computed.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The exact engine's answer, or why there is none.
    pub exact: std::result::Result<ExactResult, String>,
    /// The estimates.
    pub estimates: Estimates,
    /// The verdict.
    pub verdict: Verdict,
}

impl Analysis {
    /// The object `rlct analyze --json` prints.
    pub fn to_json(&self) -> serde_json::Value {
        let mut obj = serde_json::json!({ "exact": self.exact.as_ref().ok(), "estimates": self.estimates, "verdict": self.verdict });
        if let Err(msg) = &self.exact {
            obj["exact_error"] = serde_json::Value::String(msg.clone());
        }
        obj
    }

    /// True when the estimates contradict the exact answer (exit code 3).
    pub fn disagrees(&self) -> bool {
        self.verdict.verdict == VerdictKind::Disagree
    }
}

/// `rlct analyze` on a parsed problem.
pub fn analyze(problem: &Problem, s: &RunSettings, started: Instant, hooks: &Hooks) -> Result<Analysis> {
    let exact = exact_with_timeout(problem, s.exact_wait());
    let exact_err = exact.as_ref().err().cloned();
    let est = run_estimators(problem, s, Method::All, exact.as_ref().ok(), started, hooks)?;
    let mut v = verdict::verdict(exact.as_ref().map_err(|_| exact_err.as_deref().unwrap_or("")), &est);
    // The SGLD caveat concerns m > 1 only: with a certified m = 1 say so.
    if exact.as_ref().is_ok_and(|e| e.status == Status::Exact && e.multiplicity == 1) {
        for r in &mut v.reasons {
            if r.contains("SGLD is biased for m > 1") {
                *r = "the SGLD z-score is informative only (m = 1 here: no multiplicity bias, but the \
                      discretisation bias remains)"
                    .into();
            }
        }
    }
    Ok(Analysis { exact, estimates: est, verdict: v })
}
