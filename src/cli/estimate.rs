//! `rlct estimate` and `rlct analyze`: flags, thread pool, progress bar,
//! output. The mathematics lives in `crate::estimate`.

use super::{InputArgs, ProgramsArgs, for_each_program, io_err};
use crate::estimate::{EstimateOptions, Method, SgldOptions, plot, verdict};
use crate::report::{Estimates, VerdictKind};
use crate::{Error, ExactResult, Problem, Result, Status};
use clap::{Args, ValueEnum};
use num_traits::ToPrimitive;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// `--method`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// Nested sampling (volume scaling and the thermodynamic curve).
    Volume,
    /// Langevin local learning coefficient on the polynomial.
    Sgld,
    /// Both.
    All,
    /// Data-driven minibatch SGLD LLC on a data set drawn from the stated
    /// regression model (the `tuned` preset; `rlct llc` exposes every knob).
    Llc,
}

/// Estimator flags shared by `estimate` and `analyze`.
#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// Estimators to run (default: volume for `estimate`, all for `analyze`).
    #[arg(long, value_enum)]
    pub method: Option<MethodArg>,
    /// Base seed; results are identical for a seed whatever the thread count
    /// (unless --time-limit stops the runs).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Write an SVG of log V against log ε (and SGLD traces).
    #[arg(long, value_name = "OUT.svg")]
    pub plot: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Total loss-evaluation budget of nested sampling.
    #[arg(long, value_name = "N")]
    pub max_evals: Option<u64>,
    /// Wall-clock limit of the whole run in seconds (the exact engine's
    /// wait included; breaks determinism). At most one week.
    #[arg(long, value_name = "SECS", value_parser = crate::limits::parse_time_limit)]
    pub time_limit: Option<f64>,
    /// Independent nested-sampling runs.
    #[arg(long, default_value_t = 8)]
    pub runs: usize,
    /// Live points per run.
    #[arg(long, default_value_t = 100)]
    pub live: usize,
    /// Run down to log V = -DEPTH.
    #[arg(long, default_value_t = 30.0)]
    pub depth: f64,
    /// Slice-sampling steps per replacement (default max(12, 3d)).
    #[arg(long)]
    pub steps: Option<usize>,
    /// Multiplicity for the volume fit (default: the exact engine's, if
    /// certified; otherwise a model choice, reported as such).
    #[arg(long, value_name = "M")]
    pub multiplicity: Option<usize>,
    /// Seconds to wait for the exact engine (for m, and for the verdict)
    /// before going on without it.
    #[arg(long, value_name = "SECS", default_value_t = 30.0, value_parser = crate::limits::parse_time_limit)]
    pub exact_timeout: f64,
    /// SGLD nominal sample size n (B = n / log n).
    #[arg(long, default_value_t = 1e4)]
    pub sgld_n: f64,
    /// SGLD chains.
    #[arg(long, default_value_t = 8)]
    pub sgld_chains: usize,
    /// SGLD draws per chain.
    #[arg(long, default_value_t = 200_000)]
    pub sgld_draws: usize,
    /// SGLD step size (default 0.02 / B).
    #[arg(long)]
    pub sgld_step: Option<f64>,
}

/// `rlct estimate`.
#[derive(Args, Debug)]
pub struct EstimateArgs {
    #[command(flatten)]
    pub programs: ProgramsArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

/// `rlct analyze`.
#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub programs: ProgramsArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

impl RunArgs {
    fn options(&self, default: Method) -> Result<EstimateOptions> {
        let method = match self.method {
            None => default,
            Some(MethodArg::Volume) => Method::Volume,
            Some(MethodArg::Sgld) => Method::Sgld,
            Some(MethodArg::All) => Method::All,
            Some(MethodArg::Llc) => {
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
            depth: self.depth,
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
}

impl RunArgs {
    /// Range checks of the numeric flags (crate::limits): values that are
    /// meaningless or would overflow a buffer are refused up front (exit 2).
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
        if !(self.depth.is_finite() && self.depth > 0.0 && self.depth <= MAX_DEPTH) {
            return Err(Error::Usage(format!(
                "--depth must be a positive number of e-folds at most {MAX_DEPTH}, got {}",
                self.depth
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

    /// The thread count: the flag capped at the machine's parallelism
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
}

/// Runs the estimators for the CLI: picks m (flag, then a certified exact
/// result), builds the pool and the progress bar.
fn run_estimators(
    problem: &Problem,
    args: &RunArgs,
    default: Method,
    exact: Option<&ExactResult>,
    started: std::time::Instant,
) -> Result<Estimates> {
    let mut opts = args.options(default)?;
    // --time-limit covers the whole run: what the parser and the exact
    // engine's wait used is not available to the estimators.
    opts.time_limit = opts.time_limit.map(|t| t.saturating_sub(started.elapsed()));
    if let Some(m) = args.multiplicity {
        if m > problem.dim() {
            return Err(Error::Usage(format!("--multiplicity must be at most d = {}", problem.dim())));
        }
        opts.multiplicity = Some(m);
    } else if let Some(e) = exact.filter(|e| e.status == Status::Exact) {
        opts.multiplicity = Some(e.multiplicity);
        opts.multiplicity_source = "exact".into();
    }
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let pb = indicatif::ProgressBar::new(opts.work_units());
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} estimating [{bar:30}] {pos}/{len} runs {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb
    });
    if let Some(pb) = &bar {
        let pb = pb.clone();
        opts.progress = Some(Arc::new(move |_| pb.inc(1)));
    }
    let (threads, thread_note) = args.thread_count();
    if let Some(n) = &thread_note {
        if !args.quiet {
            eprintln!("note: {n}");
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Estimator(format!("cannot start {threads} worker threads: {e}")))?;
    let res = pool.install(|| crate::estimate::estimate(problem, &opts));
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    let mut est = res?;
    if let (Some(v), Some(n)) = (&mut est.volume, thread_note) {
        v.notes.push(n);
    }
    if let (Some(v), Some(_)) = (&mut est.volume, opts.time_limit) {
        v.notes
            .push("--time-limit was set: the result depends on machine speed, not only on the seed".into());
    }
    if let Some(path) = &args.plot {
        let exact_lambda = exact.and_then(|e| e.lambda.to_f64());
        std::fs::write(path, plot::svg(&est, exact_lambda))
            .map_err(|e| Error::Usage(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(est)
}

/// `exact::solve` on a worker thread, waited for at most `secs`: a slow
/// exact analysis must not keep the estimators from running. On timeout the
/// worker is abandoned (it ends with the process).
fn exact_with_timeout(problem: &Problem, secs: f64) -> std::result::Result<ExactResult, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let p = problem.clone();
    // The engine's own deadline ends its search (in bounds) soon after the
    // wait, so an abandoned worker does not keep a core busy.
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

fn to_json(v: &serde_json::Value) -> Result<String> {
    serde_json::to_string_pretty(v).map_err(|e| Error::Internal(e.to_string()))
}

fn write_text(est: &Estimates, out: &mut dyn Write) -> Result<()> {
    if let Some(v) = &est.volume {
        writeln!(
            out,
            "volume: λ ≈ {:.4} ± {:.4} (m = {}, {}); free fit λ ≈ {:.4}, m ≈ {:.2} (diagnostic)",
            v.lambda, v.stderr, v.multiplicity, v.multiplicity_source, v.fit.lambda_m_free, v.fit.m_free
        )
        .map_err(io_err)?;
        let t = &v.thermodynamic;
        writeln!(out, "thermodynamic: λ ≈ {:.4} ± {:.4} at log β = {:.1}", t.lambda, t.stderr, t.log_beta)
            .map_err(io_err)?;
        for n in &v.notes {
            writeln!(out, "  note: {n}").map_err(io_err)?;
        }
    }
    if let Some(s) = &est.sgld {
        writeln!(out, "sgld: λ ≈ {:.4} ± {:.4} (MH acceptance {:.3})", s.lambda, s.stderr, s.acceptance)
            .map_err(io_err)?;
        writeln!(out, "  known bias: {}", s.known_bias).map_err(io_err)?;
    }
    Ok(())
}

/// `--plot` names one file: with several programs each would overwrite
/// the previous one's plot.
fn check_one_plot(programs: &ProgramsArgs, run: &RunArgs) -> Result<()> {
    if run.plot.is_some() && programs.files.len() > 1 {
        return Err(Error::Usage("--plot takes one program; give the files one at a time".into()));
    }
    Ok(())
}

impl RunArgs {
    /// How long parsing may take: `--time-limit`, or the default limit.
    fn parse_limit(&self) -> f64 {
        self.time_limit.unwrap_or(crate::limits::DEFAULT_EXACT_TIME_LIMIT_SECS)
    }

    /// How long to wait for the exact engine: `--exact-timeout`, and never
    /// longer than `--time-limit` (the limit covers the whole run).
    fn exact_wait(&self) -> f64 {
        self.time_limit.map_or(self.exact_timeout, |t| t.min(self.exact_timeout))
    }
}

/// `rlct estimate` on each program in turn (`for_each_program`).
pub fn run_estimate(args: &EstimateArgs, out: &mut dyn Write) -> Result<ExitCode> {
    check_one_plot(&args.programs, &args.run)?;
    for_each_program(&args.programs, args.run.json, out, &mut |input, out| run_estimate_one(args, input, out))
}

/// `rlct estimate` on one program (`--time-limit` applies to each).
fn run_estimate_one(args: &EstimateArgs, input: &InputArgs, out: &mut dyn Write) -> Result<u8> {
    let started = std::time::Instant::now();
    let problem = input.load_within(args.run.parse_limit())?;
    if args.run.method == Some(MethodArg::Llc) {
        return run_llc_estimate(&problem, &args.run, out);
    }
    let exact = if args.run.multiplicity.is_none() && args.run.method != Some(MethodArg::Sgld) {
        Some(exact_with_timeout(&problem, args.run.exact_wait()))
    } else {
        None
    };
    let certified = exact.as_ref().and_then(|e| e.as_ref().ok());
    let mut est = run_estimators(&problem, &args.run, Method::Volume, certified, started)?;
    if let (Some(v), Some(e)) = (&mut est.volume, &exact) {
        match e {
            Err(err) => v.notes.push(format!("exact engine gave no multiplicity: {err}")),
            Ok(r) if r.status != Status::Exact => v
                .notes
                .push(format!("the exact engine's result is a {}, so m was not taken from it", r.status)),
            Ok(_) => {}
        }
    }
    if args.run.json {
        writeln!(out, "{}", to_json(&serde_json::json!({ "estimates": est }))?).map_err(io_err)?;
    } else {
        write_text(&est, out)?;
    }
    Ok(0)
}

/// `rlct estimate --method llc`: the data-driven estimator with the tuned
/// preset and the user's seed.
fn run_llc_estimate(problem: &crate::Problem, run: &RunArgs, out: &mut dyn Write) -> Result<u8> {
    if problem.model.is_none() {
        return Err(Error::Usage(
            "--method llc needs a stated regression model (`input`, `output`, `truth`); for a bare loss use \
             --method sgld"
                .into(),
        ));
    }
    let settings =
        crate::estimate::llc::LlcSettings { seed: run.seed, ..crate::estimate::llc::LlcSettings::tuned() };
    let mut est = crate::estimate::llc::run(problem, &settings)?;
    est.chains.iter_mut().for_each(|c| c.trace.clear());
    if run.json {
        writeln!(out, "{}", to_json(&serde_json::json!({ "estimates": { "llc": est } }))?).map_err(io_err)?;
    } else {
        let per: Vec<String> = est.chains.iter().map(|c| format!("{:.3}", c.lambda)).collect();
        writeln!(
            out,
            "llc: λ̂ = {:.4} ± {:.4} (nβ = {:.1}); per chain: {}",
            est.lambda,
            est.stderr,
            est.nbeta,
            per.join(" ")
        )
        .map_err(io_err)?;
    }
    Ok(0)
}

/// `rlct analyze` on each program in turn (`for_each_program`).
pub fn run_analyze(args: &AnalyzeArgs, out: &mut dyn Write) -> Result<ExitCode> {
    check_one_plot(&args.programs, &args.run)?;
    for_each_program(&args.programs, args.run.json, out, &mut |input, out| run_analyze_one(args, input, out))
}

/// `rlct analyze` on one program: exit code 3 when the verdict is
/// `disagree`.
fn run_analyze_one(args: &AnalyzeArgs, input: &InputArgs, out: &mut dyn Write) -> Result<u8> {
    let started = std::time::Instant::now();
    let problem = input.load_within(args.run.parse_limit())?;
    let exact = exact_with_timeout(&problem, args.run.exact_wait());
    let exact_err = exact.as_ref().err().cloned();
    let est = run_estimators(&problem, &args.run, Method::All, exact.as_ref().ok(), started)?;
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
    // docs/theory.md §2.7: the label travels with the exact answer.
    let nonneg = crate::exact::nonnegativity(&problem).0;
    if args.run.json {
        let shown = exact.as_ref().ok().map(|e| super::exact::to_json(e, nonneg));
        let mut obj = serde_json::json!({ "exact": shown, "estimates": est, "verdict": v });
        if let Some(msg) = &exact_err {
            obj["exact_error"] = serde_json::Value::String(msg.clone());
        }
        writeln!(out, "{}", to_json(&obj)?).map_err(io_err)?;
    } else {
        match &exact {
            Ok(e) if e.status == Status::Exact => {
                writeln!(out, "exact: λ = {}, m = {} ({}, {})", e.lambda, e.multiplicity, e.status, e.method)
            }
            Ok(e) => writeln!(
                out,
                "exact engine: {} {} ≤ λ ≤ {} ({}, {}; not exact)",
                if nonneg == crate::exact::Nonnegativity::Proven { "proven" } else { "for K as given" },
                e.lower,
                e.upper,
                e.status,
                e.method
            ),
            Err(e) => writeln!(out, "exact: unavailable ({e})"),
        }
        .map_err(io_err)?;
        if nonneg == crate::exact::Nonnegativity::Unproven {
            writeln!(out, "non-negativity not proven: a learning coefficient only if K ≥ 0 near the point")
                .map_err(io_err)?;
        }
        write_text(&est, out)?;
        let word = serde_json::to_value(v.verdict).ok().and_then(|j| j.as_str().map(String::from));
        writeln!(out, "verdict: {}", word.unwrap_or_default()).map_err(io_err)?;
        for r in &v.reasons {
            writeln!(out, "  {r}").map_err(io_err)?;
        }
    }
    Ok(if v.verdict == VerdictKind::Disagree { 3 } else { 0 })
}
