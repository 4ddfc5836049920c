//! `rlct estimate` and `rlct analyze`: flags, thread pool, progress bar,
//! output. The mathematics lives in `crate::estimate`.

use super::{InputArgs, ProgramsArgs, for_each_program, io_err};
use crate::drivers::analysis::{self, EstimateOutput, Hooks, MethodChoice, RunSettings};
use crate::estimate::{Method, plot};
use crate::report::Estimates;
use crate::{Error, ExactResult, Result, Status};
use clap::{Args, ValueEnum};
use num_traits::ToPrimitive;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

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
    #[arg(long, default_value_t = RunSettings::DEFAULT.seed)]
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
    #[arg(long, default_value_t = RunSettings::DEFAULT.runs)]
    pub runs: usize,
    /// Live points per run.
    #[arg(long, default_value_t = RunSettings::DEFAULT.live)]
    pub live: usize,
    /// Run down to log V = -DEPTH exactly (default: at least 30, then on
    /// until log ε ≤ -10, at most 100: high λ needs the extra depth).
    #[arg(long)]
    pub depth: Option<f64>,
    /// Slice-sampling steps per replacement (default max(12, 3d)).
    #[arg(long)]
    pub steps: Option<usize>,
    /// Multiplicity for the volume fit (default: the exact engine's, if
    /// certified; otherwise a model choice, reported as such).
    #[arg(long, value_name = "M")]
    pub multiplicity: Option<usize>,
    /// Seconds to wait for the exact engine (for m, and for the verdict)
    /// before going on without it.
    #[arg(long, value_name = "SECS", default_value_t = RunSettings::DEFAULT.exact_timeout, value_parser = crate::limits::parse_time_limit)]
    pub exact_timeout: f64,
    /// SGLD nominal sample size n (B = n / log n).
    #[arg(long, default_value_t = RunSettings::DEFAULT.sgld_n)]
    pub sgld_n: f64,
    /// SGLD chains.
    #[arg(long, default_value_t = RunSettings::DEFAULT.sgld_chains)]
    pub sgld_chains: usize,
    /// SGLD draws per chain.
    #[arg(long, default_value_t = RunSettings::DEFAULT.sgld_draws)]
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
    /// The driver's settings.
    fn settings(&self) -> RunSettings {
        RunSettings {
            method: self.method.map(|m| match m {
                MethodArg::Volume => MethodChoice::Volume,
                MethodArg::Sgld => MethodChoice::Sgld,
                MethodArg::All => MethodChoice::All,
                MethodArg::Llc => MethodChoice::Llc,
            }),
            seed: self.seed,
            threads: self.threads,
            max_evals: self.max_evals,
            time_limit: self.time_limit,
            runs: self.runs,
            live: self.live,
            depth: self.depth,
            steps: self.steps,
            multiplicity: self.multiplicity,
            exact_timeout: self.exact_timeout,
            sgld_n: self.sgld_n,
            sgld_chains: self.sgld_chains,
            sgld_draws: self.sgld_draws,
            sgld_step: self.sgld_step,
        }
    }

    /// A progress bar on stderr over the estimators' runs and chains, when
    /// stderr is a terminal and `--quiet` is not given.
    fn bar(&self, s: &RunSettings, default: Method) -> Result<(Option<indicatif::ProgressBar>, Hooks)> {
        let total = s.options(default)?.work_units();
        let bar = (!self.quiet && std::io::stderr().is_terminal()).then(|| {
            let pb = indicatif::ProgressBar::new(total);
            pb.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} estimating [{bar:30}] {pos}/{len} runs {elapsed}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            pb
        });
        let progress: Option<crate::estimate::Progress> = bar.clone().map(|pb| {
            let f: crate::estimate::Progress = Arc::new(move |_| pb.inc(1));
            f
        });
        Ok((bar, Hooks { progress, notes_to_stderr: !self.quiet }))
    }

    /// Writes the SVG of `--plot`.
    fn plot(&self, est: &Estimates, exact: Option<&ExactResult>) -> Result<()> {
        if let Some(path) = &self.plot {
            let exact_lambda = exact.and_then(|e| e.lambda.to_f64());
            std::fs::write(path, plot::svg(est, exact_lambda))
                .map_err(|e| Error::Usage(format!("cannot write {}: {e}", path.display())))?;
        }
        Ok(())
    }
}

fn to_json(v: &serde_json::Value) -> Result<String> {
    serde_json::to_string_pretty(v).map_err(|e| Error::Internal(e.to_string()))
}

fn write_text(est: &Estimates, out: &mut dyn Write) -> Result<()> {
    if let Some(v) = &est.volume {
        writeln!(
            out,
            "volume: λ ≈ {:.4} ± {:.4} (statistical {:.4}, systematic {:.4}; m = {}, {}; model {})",
            v.lambda,
            v.uncertainty,
            v.stderr,
            v.systematic,
            v.multiplicity,
            v.multiplicity_source,
            v.fit.model
        )
        .map_err(io_err)?;
        writeln!(
            out,
            "  raw leading-order fit λ ≈ {:.4} ± {:.4}; interval (3σ) [{:.4}, {:.4}]; free fit λ ≈ {:.4}, m ≈ {:.2} \
             (diagnostic)",
            v.fit.lambda_leading,
            v.fit.lambda_leading_stderr,
            v.interval.0,
            v.interval.1,
            v.fit.lambda_m_free,
            v.fit.m_free
        )
        .map_err(io_err)?;
        let t = &v.thermodynamic;
        writeln!(
            out,
            "thermodynamic: raw β·E[K] ≈ {:.4} ± {:.4} at log β = {:.1}",
            t.lambda_raw, t.stderr, t.log_beta
        )
        .map_err(io_err)?;
        if t.correction.lambda_corrected.is_none() {
            // Only `lambda` carries a correction then, with an m that is
            // not proven: say so.
            writeln!(
                out,
                "  with the fit's m = {} ({}, not certified): λ ≈ {:.4} (raw + (m−1)/log β)",
                v.multiplicity, v.multiplicity_source, t.lambda
            )
            .map_err(io_err)?;
        }
        write_correction(&t.correction, t.stderr, "(m−1)/log β", out)?;
        for n in &v.notes {
            writeln!(out, "  note: {n}").map_err(io_err)?;
        }
    }
    if let Some(s) = &est.sgld {
        writeln!(out, "sgld: raw λ ≈ {:.4} ± {:.4} (MH acceptance {:.3})", s.lambda, s.stderr, s.acceptance)
            .map_err(io_err)?;
        write_correction(&s.correction, s.stderr, "(m−1)/log B", out)?;
        writeln!(out, "  known bias: {}", s.known_bias).map_err(io_err)?;
    }
    Ok(())
}

/// The corrected value beside the raw one (`estimate::correct`) and the
/// proven-interval flag, the same lines for every estimator.
fn write_correction(c: &crate::report::Correction, se: f64, term: &str, out: &mut dyn Write) -> Result<()> {
    if let (Some(v), Some(m)) = (c.lambda_corrected, c.corrected_for_m) {
        let source = match c.corrected_m_source.as_deref() {
            Some("given") => "given",
            _ => "certified",
        };
        writeln!(
            out,
            "  corrected for the {source} m = {m}: λ ≈ {v:.4} ± {se:.4} (raw + {term}; leading order)"
        )
        .map_err(io_err)?;
    }
    if let Some(f) = &c.outside_proven {
        writeln!(out, "  flag: {f}").map_err(io_err)?;
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

/// `rlct estimate` on each program in turn (`for_each_program`).
pub fn run_estimate(args: &EstimateArgs, out: &mut dyn Write) -> Result<ExitCode> {
    check_one_plot(&args.programs, &args.run)?;
    for_each_program(&args.programs, args.run.json, out, &mut |input, out| run_estimate_one(args, input, out))
}

/// `rlct estimate` on one program (`--time-limit` applies to each).
fn run_estimate_one(args: &EstimateArgs, input: &InputArgs, out: &mut dyn Write) -> Result<u8> {
    let started = std::time::Instant::now();
    let s = args.run.settings();
    let problem = input.load_within(s.parse_limit())?;
    let (bar, hooks) = if s.method == Some(MethodChoice::Llc) {
        (None, Hooks::default())
    } else {
        args.run.bar(&s, Method::Volume)?
    };
    let res = analysis::estimate(&problem, &s, started, &hooks);
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    let res = res?;
    if let EstimateOutput::Estimates { estimates, exact } = &res {
        args.run.plot(estimates, exact.as_ref().and_then(|e| e.as_ref().ok()))?;
    }
    if args.run.json {
        writeln!(out, "{}", to_json(&res.to_json())?).map_err(io_err)?;
        return Ok(0);
    }
    match &res {
        EstimateOutput::Estimates { estimates, .. } => write_text(estimates, out)?,
        EstimateOutput::Llc(est) => {
            let per: Vec<String> = est.chains.iter().map(|c| format!("{:.3}", c.lambda)).collect();
            writeln!(
                out,
                "llc: raw λ̂ = {:.4} ± {:.4} (nβ = {:.1}); per chain: {}",
                est.lambda,
                est.stderr,
                est.nbeta,
                per.join(" ")
            )
            .map_err(io_err)?;
            write_correction(&est.correction, est.stderr, "(m−1)/log nβ", out)?;
        }
    }
    Ok(0)
}

/// `rlct analyze` on each program in turn: exit code 3 when a verdict is
/// `disagree`.
pub fn run_analyze(args: &AnalyzeArgs, out: &mut dyn Write) -> Result<ExitCode> {
    check_one_plot(&args.programs, &args.run)?;
    for_each_program(&args.programs, args.run.json, out, &mut |input, out| run_analyze_one(args, input, out))
}

/// The advice when the volume estimate lies below the exact answer (issue
/// #14): nested sampling measures the whole box, whose λ is the least over
/// its points (docs/theory.md §1.4), so a point more singular than w* is
/// likely in the box. Suggests the box halved around w* (exact rationals).
fn shrink_hint(problem: &crate::problem::Problem, v: &crate::report::Verdict) -> Option<String> {
    if !v.z_volume.is_some_and(|z| z < -crate::estimate::verdict::Z_AGREE) {
        return None;
    }
    let two = crate::poly::Rat::from_integer(2.into());
    let half: Vec<(String, String)> = problem
        .domain
        .iter()
        .zip(&problem.point)
        .map(|((lo, hi), p)| (((lo - p) / &two).to_string(), ((hi - p) / &two).to_string()))
        .collect();
    let first = half.first()?;
    let domain = if half.iter().all(|h| h == first) {
        format!("domain [{}, {}];", first.0, first.1)
    } else {
        let parts: Vec<String> =
            problem.variables.iter().zip(&half).map(|(x, (lo, hi))| format!("{x} in [{lo}, {hi}]")).collect();
        format!("domain {};", parts.join(", "))
    };
    Some(format!(
        "the volume estimate is below the exact λ at the point: it measures the whole box, whose λ is the \
         least over its points (docs/theory.md §1.4), so a point more singular than w* is likely in the box; \
         shrink the domain around w*, e.g. `{domain}` (half the box), and re-run until the estimate agrees"
    ))
}

/// `rlct analyze` on one program.
fn run_analyze_one(args: &AnalyzeArgs, input: &InputArgs, out: &mut dyn Write) -> Result<u8> {
    let started = std::time::Instant::now();
    let s = args.run.settings();
    let problem = input.load_within(s.parse_limit())?;
    let (bar, hooks) = args.run.bar(&s, Method::All)?;
    let res = analysis::analyze(&problem, &s, started, &hooks);
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    let mut a = res?;
    if let Some(hint) = shrink_hint(&problem, &a.verdict) {
        a.verdict.reasons.push(hint);
    }
    args.run.plot(&a.estimates, a.exact.as_ref().ok())?;
    // docs/theory.md §2.7: the label travels with the exact answer.
    let nonneg = crate::exact::nonnegativity(&problem).0;
    if args.run.json {
        let mut obj = a.to_json();
        obj["nonnegative"] = serde_json::to_value(nonneg).unwrap_or_default();
        writeln!(out, "{}", to_json(&obj)?).map_err(io_err)?;
    } else {
        match &a.exact {
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
        write_text(&a.estimates, out)?;
        let word = serde_json::to_value(a.verdict.verdict).ok().and_then(|j| j.as_str().map(String::from));
        writeln!(out, "verdict: {}", word.unwrap_or_default()).map_err(io_err)?;
        for r in &a.verdict.reasons {
            writeln!(out, "  {r}").map_err(io_err)?;
        }
    }
    Ok(if a.disagrees() { 3 } else { 0 })
}
