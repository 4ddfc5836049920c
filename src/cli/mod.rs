//! Command-line glue: clap definitions, input loading, exit codes.
//! No mathematics lives here.

pub mod estimate;
pub mod exact;
pub mod models;

use crate::{Error, Problem, Result};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// rlct: real log canonical thresholds (λ, m) of polynomial losses.
#[derive(Parser, Debug)]
#[command(name = "rlct", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Exact λ and m with a certificate, or proven bounds.
    Exact(ExactArgs),
    /// Monte Carlo estimates of λ (nested sampling, thermodynamic, SGLD).
    Estimate(estimate::EstimateArgs),
    /// Exact result, estimates and a verdict (exit code 3 on disagreement).
    Analyze(estimate::AnalyzeArgs),
    /// Textbook model families: program text and closed-form λ, m.
    Model(models::ModelArgs),
    /// Data-driven LLC estimate (minibatch SGLD) of a regression model.
    Llc(models::LlcArgs),
    /// Estimator configurations against exact λ over a suite of models.
    Validate(models::ValidateArgs),
    /// Exact λ, m over a family of programs with integer parameters ($a).
    Sweep(models::SweepArgs),
    /// Re-verify the certificate of `rlct exact --json` independently
    /// (exit 0: verified, 1: a step fails or cannot be re-verified).
    Check(CheckArgs),
}

/// `rlct check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The JSON output of `rlct exact --json` (`-`: standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

fn run_check(args: &CheckArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let text = if args.file.as_os_str() == "-" {
        read_stdin()?
    } else {
        std::fs::read_to_string(&args.file)
            .map_err(|e| Error::Usage(format!("cannot read {}: {e}", args.file.display())))?
    };
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::Usage(format!("{}:{}:{}: not JSON: {e}", args.file.display(), e.line(), e.column()))
    })?;
    let started = std::time::Instant::now();
    match crate::check::check(&doc) {
        Ok(v) => {
            writeln!(
                out,
                "verified: λ = {}, m = {} ({} steps re-checked in {:.2} s)",
                v.lambda,
                v.m,
                v.steps,
                started.elapsed().as_secs_f64()
            )
            .map_err(io_err)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(f) => {
            writeln!(out, "not verified: {f}").map_err(io_err)?;
            Ok(ExitCode::from(1))
        }
    }
}

/// Where the program comes from: a file or `-e TEXT`.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Program file (`-` reads the program from standard input).
    #[arg(value_name = "FILE", conflicts_with = "expr", required_unless_present = "expr")]
    pub file: Option<PathBuf>,
    /// Program text given inline, e.g. -e 'x^2*y^2'.
    #[arg(short = 'e', long = "expr", value_name = "PROGRAM")]
    pub expr: Option<String>,
}

impl InputArgs {
    /// Reads and lowers the program.
    pub fn load(&self) -> Result<Problem> {
        let (src, name) = self.read()?;
        crate::dsl::parse_program(&src, &name)
    }

    /// Reads and lowers the program on a worker, waiting at most `secs`
    /// (plus [`crate::limits::grace_secs`]): parsing, expansion and the
    /// sign check are bounded by their size limits, and this bounds their
    /// time. Past it: [`Error::Limit`] (exit 5).
    pub fn load_within(&self, secs: f64) -> Result<Problem> {
        let (src, name) = self.read()?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || {
                let _ = tx.send(crate::dsl::parse_program(&src, &name));
            })
            .map_err(|e| Error::Limit(format!("cannot start the parser's thread: {e}")))?;
        let wait = std::time::Duration::from_secs_f64(secs + crate::limits::grace_secs(secs));
        rx.recv_timeout(wait).unwrap_or_else(|_| {
            Err(Error::Limit(format!(
                "the program was not parsed and expanded within {secs} s (--time-limit; default {} s)",
                crate::limits::DEFAULT_EXACT_TIME_LIMIT_SECS
            )))
        })
    }

    /// Reads the program text and its name for messages, without parsing.
    pub fn read(&self) -> Result<(String, String)> {
        Ok(match (&self.expr, &self.file) {
            (Some(e), _) => (e.clone(), "<-e>".to_string()),
            (None, Some(f)) if f.as_os_str() == "-" => (read_stdin()?, "<stdin>".to_string()),
            (None, Some(f)) => {
                let text = std::fs::read_to_string(f)
                    .map_err(|e| Error::Usage(format!("cannot read {}: {e}", f.display())))?;
                (text, f.display().to_string())
            }
            (None, None) => return Err(Error::Usage("give a FILE or -e PROGRAM".into())),
        })
    }
}

/// The whole of standard input (the program given as FILE `-`).
pub(crate) fn read_stdin() -> Result<String> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .map_err(|e| Error::Usage(format!("cannot read the program from standard input: {e}")))?;
    Ok(text)
}

/// `rlct exact`.
#[derive(Args, Debug)]
pub struct ExactArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Print the certificate (polyhedron, faces, charts).
    #[arg(long)]
    pub trace: bool,
    /// Maximum number of charts the blow-up search explores before it
    /// settles for proven bounds.
    #[arg(long, value_name = "CHARTS")]
    pub budget: Option<usize>,
    /// Which charts the blow-up search uses at a degenerate point:
    /// coordinate blow-ups, or toric charts of the Newton fan (dimension
    /// ≤ 4; coordinate blow-ups elsewhere). Default: the engine's.
    #[arg(long, value_enum, value_name = "KIND")]
    pub charts: Option<ChartKind>,
    /// Wall-clock limit in seconds: the search then ends in proven bounds
    /// and says it stopped at the time limit.
    #[arg(long, value_name = "SECONDS", value_parser = crate::limits::parse_time_limit)]
    pub time_limit: Option<f64>,
    /// Resolve recognised matrix chains at the origin by blow-ups instead of
    /// closing them by Aoyagi's theorem (a second proof; slower).
    #[arg(long)]
    pub no_theorems: bool,
}

/// Chart strategy of `rlct exact --charts`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Blow-ups of coordinate centres.
    Coordinate,
    /// Toric charts from a regular refinement of the Newton fan.
    Toric,
}

fn run_exact(args: &ExactArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let limit = args.time_limit.unwrap_or(crate::limits::DEFAULT_EXACT_TIME_LIMIT_SECS);
    let deadline = crate::limits::Deadline::after_secs(limit);
    let (src, name) = args.input.read()?;
    let opts = crate::exact::ExactOptions {
        budget: args.budget,
        toric: args.charts.map(|c| c == ChartKind::Toric),
        deadline,
        skip_theorems: args.no_theorems,
        ..Default::default()
    };
    // Parsing and the engine run on a worker; the deadline stops the
    // stages that check it, and past it plus a grace period the command
    // stops waiting: with the parsed problem it answers the trivially
    // proven interval, without one it reports the limit (exit 5).
    enum Msg {
        Parsed(Box<Problem>),
        Done(Box<Result<crate::ExactResult>>),
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let want_certificate = args.json;
    let worker = std::thread::Builder::new().stack_size(64 << 20).spawn(move || {
        let problem = match crate::dsl::parse_program(&src, &name) {
            Ok(p) => p,
            Err(e) => {
                let _ = tx.send(Msg::Done(Box::new(Err(e))));
                return;
            }
        };
        let _ = tx.send(Msg::Parsed(Box::new(problem.clone())));
        let mut res = crate::exact::solve(&problem, &opts);
        if let Ok(r) = &mut res
            && want_certificate
        {
            // A second proof `rlct check` can replay (docs/certificate.md).
            crate::exact::attach_resolution_certificate(&problem, &opts, r);
        }
        let _ = tx.send(Msg::Done(Box::new(res)));
    });
    worker.map_err(|e| Error::Limit(format!("cannot start the exact engine's thread: {e}")))?;
    let hard = std::time::Instant::now()
        + std::time::Duration::from_secs_f64(limit + crate::limits::grace_secs(limit));
    let mut parsed: Option<Box<Problem>> = None;
    let res = loop {
        let wait = hard.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(wait) {
            Ok(Msg::Parsed(p)) => parsed = Some(p),
            Ok(Msg::Done(r)) => break (*r)?,
            Err(_) => match &parsed {
                Some(p) => break crate::exact::trivial_interval(p, crate::limits::StopReason::TimeLimit),
                None => {
                    return Err(Error::Limit(format!(
                        "the program was not parsed and expanded within the time limit of {limit} s \
                         (--time-limit; default {} s)",
                        crate::limits::DEFAULT_EXACT_TIME_LIMIT_SECS
                    )));
                }
            },
        }
    };
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&res).map_err(|e| Error::Internal(e.to_string()))?)
            .map_err(io_err)?;
    } else {
        write!(out, "{}", exact::render_text(&res, args.trace)).map_err(io_err)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A progress bar on stderr for `len` steps of `what`, or `None` when
/// stderr is not a terminal or with `--quiet`.
pub(crate) fn progress_bar(len: u64, what: &str, quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new(len);
    pb.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} {what} [{{bar:30}}] {{pos}}/{{len}} {{elapsed}} (eta {{eta}}) {{msg}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(pb)
}

/// A rayon pool of `threads` workers (default: one per core).
pub(crate) fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Internal(e.to_string()))
}

pub(crate) fn io_err(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Error::BrokenPipe;
    }
    Error::Internal(e.to_string())
}

/// Entry point used by `main.rs`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let res = match &cli.command {
        Command::Exact(a) => run_exact(a, &mut out),
        Command::Estimate(a) => estimate::run_estimate(a, &mut out),
        Command::Analyze(a) => estimate::run_analyze(a, &mut out),
        Command::Model(a) => models::run_model(a, &mut out),
        Command::Llc(a) => models::run_llc(a, &mut out),
        Command::Validate(a) => models::run_validate(a, &mut out),
        Command::Sweep(a) => models::run_sweep(a, &mut out),
        Command::Check(a) => run_check(a, &mut out),
    };
    match res {
        Ok(code) => code,
        Err(Error::BrokenPipe) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{e}");
            if !matches!(e, Error::Input(_)) {
                eprintln!();
            }
            ExitCode::from(e.exit_code())
        }
    }
}
