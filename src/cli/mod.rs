//! Command-line glue: clap definitions, input loading, exit codes.
//! No mathematics lives here.

pub mod calibrate;
pub mod estimate;
pub mod exact;
pub mod key;
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
    /// LLC hyperparameters chosen on small exactly known members of a
    /// family, applied to a larger member.
    Calibrate(calibrate::CalibrateArgs),
    /// Certified (λ, m) of the textbook families with their closed forms: a
    /// versioned answer key for anyone's LLC estimator.
    AnswerKey(key::AnswerKeyArgs),
    /// Scores λ estimates (JSON Lines: family, lambda_hat, stderr) against
    /// the answer key: relative error, z and a summary.
    Score(key::ScoreArgs),
    /// Joins the outputs of `--shard` runs into one table in member order.
    Merge(key::MergeArgs),
    /// Print a shell completion script (e.g. `rlct completions bash`).
    Completions(CompletionsArgs),
    /// Re-verify the certificate of `rlct exact --json` independently
    /// (exit 0: verified, 1: a step fails or cannot be re-verified).
    Check(CheckArgs),
}

/// `rlct completions`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the completion script of `shell` for the whole command tree.
fn run_completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<ExitCode> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "rlct", &mut script);
    out.write_all(&script).map_err(io_err)?;
    Ok(ExitCode::SUCCESS)
}

/// Where the programs of `exact`, `estimate` and `analyze` come from:
/// one or more files (`-` is standard input), or `-e TEXT`.
#[derive(Args, Debug, Clone)]
pub struct ProgramsArgs {
    /// Program files, each analysed in turn, one result per file in order
    /// (`-` reads a program from standard input).
    #[arg(value_name = "FILE", conflicts_with = "expr", required_unless_present = "expr")]
    pub files: Vec<PathBuf>,
    /// Program text given inline, e.g. -e 'x^2*y^2'.
    #[arg(short = 'e', long = "expr", value_name = "PROGRAM")]
    pub expr: Option<String>,
}

impl ProgramsArgs {
    /// One single-program input per file, in order (or the `-e` text).
    fn inputs(&self) -> Result<Vec<InputArgs>> {
        if self.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
            return Err(Error::Usage("standard input (`-`) can be given only once".into()));
        }
        if self.expr.is_some() {
            return Ok(vec![InputArgs { file: None, expr: self.expr.clone() }]);
        }
        Ok(self.files.iter().map(|f| InputArgs { file: Some(f.clone()), expr: None }).collect())
    }
}

/// The exit code of several programs, the worst of theirs in the order
/// 0 < 3 < 2 < 4 < 5 < 1: a disagreement (3) is a finding, so any failure
/// outranks it; among failures the larger code, and an internal error (1)
/// above all.
pub fn worst_exit_code(codes: impl IntoIterator<Item = u8>) -> u8 {
    let rank = |c: u8| match c {
        0 => 0,
        3 => 1,
        1 => u16::MAX,
        c => u16::from(c) + 1,
    };
    codes.into_iter().max_by_key(|&c| rank(c)).unwrap_or(0)
}

/// Runs `one` on every program of `programs`, in order. One program: its
/// output and its error as they are. Several: each result follows a
/// `==> FILE <==` line, or with `json` is one line of JSON Lines with a
/// `"file"` field (a failed program is `{"file", "error", "exit_code"}`);
/// a failure is also reported on stderr, prefixed with its file, and the
/// next program runs; the exit code is [`worst_exit_code`] of them all.
pub(crate) fn for_each_program(
    programs: &ProgramsArgs,
    json: bool,
    out: &mut dyn Write,
    one: &mut dyn FnMut(&InputArgs, &mut dyn Write) -> Result<u8>,
) -> Result<ExitCode> {
    let inputs = programs.inputs()?;
    if let [input] = inputs.as_slice() {
        return one(input, out).map(ExitCode::from);
    }
    let mut codes = vec![];
    for input in &inputs {
        let name = input.file.as_ref().map(|f| f.display().to_string()).unwrap_or_default();
        let mut buf = Vec::new();
        let res = one(input, &mut buf);
        let code = match &res {
            Ok(c) => *c,
            Err(Error::BrokenPipe) => return Ok(ExitCode::SUCCESS),
            Err(e) => e.exit_code(),
        };
        codes.push(code);
        match res {
            Ok(_) if json => {
                let mut v: serde_json::Value =
                    serde_json::from_slice(&buf).map_err(|e| Error::Internal(e.to_string()))?;
                if let serde_json::Value::Object(map) = &mut v {
                    map.insert("file".into(), serde_json::Value::String(name));
                }
                writeln!(out, "{v}").map_err(io_err)?;
            }
            Ok(_) => {
                writeln!(out, "==> {name} <==").map_err(io_err)?;
                out.write_all(&buf).map_err(io_err)?;
            }
            Err(e) => {
                let text = e.to_string();
                let text = text.trim_end();
                eprintln!("{name}: {text}");
                if json {
                    let v = serde_json::json!({ "file": name, "error": text, "exit_code": code });
                    writeln!(out, "{v}").map_err(io_err)?;
                } else {
                    writeln!(out, "==> {name} <==\nerror (exit code {code}, reported on standard error)")
                        .map_err(io_err)?;
                }
            }
        }
    }
    Ok(ExitCode::from(worst_exit_code(codes)))
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
            // "unverified step KIND at #id: …" for a kind the checker
            // cannot re-verify; "not verified: step #id: …" for a refutation.
            let prefix = if f.unverified.is_some() { "" } else { "not verified: " };
            writeln!(out, "{prefix}{f}").map_err(io_err)?;
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
    pub programs: ProgramsArgs,
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
    /// The pair over the whole true set in the domain (its most singular
    /// point, which is printed) instead of at the stated point: exact when
    /// the true set is a union of coordinate strata, else a proven bound.
    #[arg(long)]
    pub global: bool,
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
    for_each_program(&args.programs, args.json, out, &mut |input, out| run_exact_one(args, input, out))
}

/// `rlct exact` on one program (`--time-limit` applies to each program).
fn run_exact_one(args: &ExactArgs, input: &InputArgs, out: &mut dyn Write) -> Result<u8> {
    let (src, name) = input.read()?;
    let opts = crate::exact::ExactOptions {
        budget: args.budget,
        toric: args.charts.map(|c| c == ChartKind::Toric),
        skip_theorems: args.no_theorems,
        global: args.global,
        ..Default::default()
    };
    let (mut res, parsed) =
        crate::drivers::exact_within_parsed(&src, &name, opts.clone(), args.time_limit, &mut || Ok(()))?;
    // With --json, a second proof `rlct check` can replay
    // (docs/certificate.md); the non-negativity label (docs/theory.md §2.7).
    if args.json
        && !args.global
        && res.stopped.is_none()
        && let Some(problem) = &parsed
    {
        crate::exact::attach_resolution_certificate(problem, &opts, &mut res);
    }
    let nonneg =
        parsed.as_deref().map_or(crate::exact::Nonnegativity::Unproven, |p| crate::exact::nonnegativity(p).0);
    if args.json {
        let v = exact::to_json(&res, nonneg);
        writeln!(out, "{}", serde_json::to_string_pretty(&v).map_err(|e| Error::Internal(e.to_string()))?)
            .map_err(io_err)?;
    } else {
        write!(out, "{}", exact::render_text(&res, args.trace, nonneg)).map_err(io_err)?;
    }
    Ok(0)
}

/// Runs `run` under `--time-limit SECONDS` for the commands whose engines
/// have no deadline of their own (`llc`, `validate`, `sweep`): `run` works
/// on a worker and writes to a buffer, copied to `out` when it finishes in
/// time. Past the limit the process reports the limit and ends with exit
/// code 5, stopping the worker (a worker cannot be stopped from outside).
fn within_time_limit(
    command: &str,
    secs: Option<f64>,
    out: &mut dyn Write,
    run: impl FnOnce(&mut dyn Write) -> Result<ExitCode> + Send,
) -> Result<ExitCode> {
    let Some(secs) = secs else { return run(out) };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut buf = Vec::new();
            let res = run(&mut buf);
            let _ = tx.send((res, buf));
        });
        match rx.recv_timeout(std::time::Duration::from_secs_f64(secs)) {
            Ok((res, buf)) => {
                out.write_all(&buf).map_err(io_err)?;
                res
            }
            Err(_) => {
                let e = Error::Limit(format!(
                    "`rlct {command}` did not finish within --time-limit {secs} s (raise it, or give less work)"
                ));
                eprintln!("{e}");
                std::process::exit(i32::from(e.exit_code()));
            }
        }
    })
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
        Command::Llc(a) => within_time_limit("llc", a.time_limit, &mut out, |o| models::run_llc(a, o)),
        Command::Validate(a) => {
            within_time_limit("validate", a.output.time_limit, &mut out, |o| models::run_validate(a, o))
        }
        Command::Sweep(a) => {
            within_time_limit("sweep", a.output.time_limit, &mut out, |o| models::run_sweep(a, o))
        }
        Command::Completions(a) => run_completions(a, &mut out),
        Command::AnswerKey(a) => key::run_answer_key(a, &mut out),
        Command::Score(a) => key::run_score(a, &mut out),
        Command::Merge(a) => key::run_merge(a, &mut out),
        Command::Calibrate(a) => {
            within_time_limit("calibrate", a.time_limit, &mut out, |o| calibrate::run_calibrate(a, o))
        }
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
