//! `rlct model`, `rlct llc`, `rlct validate`, `rlct sweep`: thin glue over
//! `models`, `estimate::llc` and `sweep`.

use super::io_err;
pub use crate::drivers::validate::{key_values, preset, set_field, split_families};
use crate::drivers::{sweep, validate};
use crate::estimate::llc::{self, LlcSettings};
use crate::models::{Family, families};
use crate::{Error, Result};
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `rlct model`.
#[derive(Args, Debug)]
pub struct ModelArgs {
    #[command(subcommand)]
    pub family: FamilyCommand,
    /// Write the program to this file.
    #[arg(long, global = true, value_name = "FILE")]
    pub emit: Option<PathBuf>,
    /// Print one JSON object (`model list`: one JSON array of objects).
    #[arg(long, global = true)]
    pub json: bool,
}

/// The families.
#[derive(Subcommand, Debug)]
pub enum FamilyCommand {
    /// List the families.
    List,
    /// Reduced-rank regression y = BAx (Aoyagi & Watanabe 2005).
    Rrr {
        /// M, the number of inputs.
        #[arg(long)]
        inputs: usize,
        /// N, the number of outputs.
        #[arg(long)]
        outputs: usize,
        /// H, the number of hidden units.
        #[arg(long)]
        hidden: usize,
        /// r, the rank of the true map.
        #[arg(long, default_value_t = 0)]
        rank: usize,
    },
    /// Deep linear network y = W_L…W_1 x (Aoyagi 2024).
    Dln {
        /// Widths H1 (input), ..., H_{L+1} (output), e.g. 3,2,4 or 3-2-4
        /// (as in the family name `dln(3-2-4,0)`).
        #[arg(long, required = true, value_parser = parse_widths)]
        widths: Widths,
        /// Rank of the true product.
        #[arg(long, default_value_t = 0)]
        rank: usize,
    },
    /// Normal-crossing regression y = (Π w_j^k_j)·x.
    Nc {
        /// Exponents k, e.g. 1,2.
        #[arg(long, value_delimiter = ',', required = true)]
        k: Vec<u32>,
        /// Prior exponents h (default 0).
        #[arg(long, value_delimiter = ',')]
        prior: Vec<u32>,
    },
    /// Hyperplane arrangement K = (Π l_j^s_j)² (λ only).
    Arrangement {
        /// Linear forms as coefficient rows, e.g. '1,0;0,1;1,1'.
        #[arg(long)]
        forms: String,
        /// Multiplicities s_j (default all 1).
        #[arg(long, value_delimiter = ',')]
        mult: Vec<u32>,
    },
}

/// The widths of `rlct model dln --widths`.
#[derive(Clone, Debug)]
pub struct Widths(pub Vec<usize>);

/// Reads widths separated by `,` or `-`.
fn parse_widths(text: &str) -> std::result::Result<Widths, String> {
    text.split([',', '-'])
        .map(|w| w.trim().parse::<usize>().map_err(|_| format!("cannot read `{w}` as a width in `{text}`")))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map(Widths)
}

fn family_of(cmd: &FamilyCommand) -> Result<Option<Family>> {
    Ok(Some(match cmd {
        FamilyCommand::List => return Ok(None),
        FamilyCommand::Rrr { inputs, outputs, hidden, rank } => {
            Family::Rrr { inputs: *inputs, outputs: *outputs, hidden: *hidden, rank: *rank }
        }
        FamilyCommand::Dln { widths, rank } => Family::Dln { widths: widths.0.clone(), rank: *rank },
        FamilyCommand::Nc { k, prior } => {
            let h = if prior.is_empty() { vec![0; k.len()] } else { prior.clone() };
            Family::NormalCrossing { k: k.clone(), h }
        }
        FamilyCommand::Arrangement { forms, mult } => {
            let forms = families::parse_forms(forms)?;
            let mult = if mult.is_empty() { vec![1; forms.len()] } else { mult.clone() };
            Family::Arrangement { forms, mult }
        }
    }))
}

/// Runs `rlct model`.
pub fn run_model(args: &ModelArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let Some(fam) = family_of(&args.family)? else {
        if args.json {
            let list: Vec<_> = families::CATALOGUE
                .iter()
                .map(|(name, usage, cite)| serde_json::json!({ "family": name, "usage": usage, "source": cite }))
                .collect();
            let v = serde_json::to_string_pretty(&list).map_err(|e| Error::Internal(e.to_string()))?;
            writeln!(out, "{v}").map_err(io_err)?;
            return Ok(ExitCode::SUCCESS);
        }
        for (name, usage, cite) in families::CATALOGUE {
            writeln!(out, "{name:<12} {cite}\n             {usage}").map_err(io_err)?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    let cf = fam.closed_form()?;
    let program = fam.program()?;
    if let Some(path) = &args.emit {
        std::fs::write(path, &program)
            .map_err(|e| Error::Usage(format!("cannot write {}: {e}", path.display())))?;
    }
    if args.json {
        writeln!(out, "{}", crate::drivers::model_json(&fam)?).map_err(io_err)?;
    } else {
        write!(out, "{program}").map_err(io_err)?;
        let m = cf.multiplicity.map_or("(not given by the source)".into(), |m| m.to_string());
        writeln!(out, "\nλ = {}, m = {}  [{}]", cf.lambda, m, cf.citation).map_err(io_err)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Where `llc`/`validate` get a model: a program or a built-in family.
#[derive(Args, Debug, Clone)]
pub struct ModelSource {
    /// Program file (with a regression model: input/output statements;
    /// `-` reads it from standard input).
    #[arg(value_name = "FILE", conflicts_with_all = ["expr", "family"])]
    pub file: Option<PathBuf>,
    /// Program text given inline.
    #[arg(short = 'e', long = "expr", value_name = "PROGRAM", conflicts_with = "family")]
    pub expr: Option<String>,
    /// A built-in family, e.g. 'rrr(3,3,2,1)', 'dln(2-2-2-2,0)', 'nc(1,2)'.
    #[arg(long, value_name = "NAME")]
    pub family: Option<String>,
}

impl ModelSource {
    fn load(&self) -> Result<crate::Problem> {
        if let Some(f) = &self.family {
            return Family::parse(f)?.problem();
        }
        let input = super::InputArgs { file: self.file.clone(), expr: self.expr.clone() };
        input.load()
    }
}

/// Estimator settings on the command line: a preset and overrides.
#[derive(Args, Debug, Clone)]
pub struct LlcFlags {
    /// Starting point: `tuned` or `devinterp` (1.x defaults).
    #[arg(long, default_value = "tuned")]
    pub preset: String,
    /// Data set size n.
    #[arg(long)]
    pub n: Option<usize>,
    /// Minibatch size.
    #[arg(long)]
    pub batch: Option<usize>,
    /// Step size ε.
    #[arg(long)]
    pub epsilon: Option<f64>,
    /// Localisation γ.
    #[arg(long)]
    pub gamma: Option<f64>,
    /// nβ: `n-log-n`, `b-log-b` or a number.
    #[arg(long)]
    pub nbeta: Option<String>,
    /// Number of chains.
    #[arg(long)]
    pub chains: Option<usize>,
    /// Burn-in steps per chain.
    #[arg(long)]
    pub burn_in: Option<usize>,
    /// Recorded draws per chain.
    #[arg(long)]
    pub draws: Option<usize>,
    /// Steps between draws.
    #[arg(long)]
    pub thin: Option<usize>,
    /// Sampler: `sgld` or `rmsprop`.
    #[arg(long)]
    pub sampler: Option<String>,
    /// Burn-in step-size adaptation: a target MALA rejection rate, or
    /// `none`.
    #[arg(long)]
    pub adapt: Option<String>,
    /// Record L_B(w) − L_B(w*) + L_n(w*) (same expectation, less noise):
    /// `true` or `false`.
    #[arg(long)]
    pub control_variate: Option<String>,
    /// Seed of the data set and the chains.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

impl LlcFlags {
    /// The settings: the preset with the given overrides.
    pub fn settings(&self) -> Result<LlcSettings> {
        let mut s = preset(&self.preset)?;
        s.seed = self.seed;
        let nums = [
            ("n", self.n.map(|v| v.to_string())),
            ("batch", self.batch.map(|v| v.to_string())),
            ("eps", self.epsilon.map(|v| v.to_string())),
            ("gamma", self.gamma.map(|v| v.to_string())),
            ("nbeta", self.nbeta.clone()),
            ("chains", self.chains.map(|v| v.to_string())),
            ("burn_in", self.burn_in.map(|v| v.to_string())),
            ("draws", self.draws.map(|v| v.to_string())),
            ("thin", self.thin.map(|v| v.to_string())),
            ("sampler", self.sampler.clone()),
            ("adapt", self.adapt.clone()),
            ("cv", self.control_variate.clone()),
        ];
        for (k, v) in nums {
            if let Some(v) = v {
                set_field(&mut s, k, &v)?;
            }
        }
        Ok(s)
    }
}

/// `rlct llc`.
#[derive(Args, Debug)]
pub struct LlcArgs {
    #[command(flatten)]
    pub source: ModelSource,
    #[command(flatten)]
    pub flags: LlcFlags,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Include the loss traces in the JSON output.
    #[arg(long)]
    pub traces: bool,
    /// No progress bar on stderr (it is shown only when stderr is a terminal).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Worker threads (default: one per core); the estimate does not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Wall-clock limit in seconds: past it the command stops with exit
    /// code 5 and prints nothing on stdout. At most one week.
    #[arg(long, value_name = "SECONDS", value_parser = crate::limits::parse_time_limit)]
    pub time_limit: Option<f64>,
}

/// Runs `rlct llc`.
pub fn run_llc(args: &LlcArgs, out: &mut dyn Write) -> Result<ExitCode> {
    if args.source.file.is_none() && args.source.expr.is_none() && args.source.family.is_none() {
        return Err(Error::Usage("give a FILE, -e PROGRAM or --family NAME".into()));
    }
    let problem = args.source.load()?;
    let settings = args.flags.settings()?;
    let closed = args.source.family.as_deref().map(|f| Family::parse(f)?.closed_form()).transpose()?;
    let bar = super::progress_bar(2 * settings.chains as u64, "llc chain phases", args.quiet);
    let tick = || {
        if let Some(pb) = &bar {
            pb.inc(1);
        }
    };
    let res = crate::drivers::llc::run(&problem, &settings, closed, args.threads, args.traces, &tick);
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    let run = res?;
    let est = &run.estimate;
    let against = run.closed_form.as_ref().zip(run.relative_error());
    if args.json {
        let v = serde_json::to_string_pretty(&run.to_json()?).map_err(|e| Error::Internal(e.to_string()))?;
        writeln!(out, "{v}").map_err(io_err)?;
    } else {
        let acc: Vec<f64> = est.chains.iter().map(|c| c.mala_acceptance).collect();
        let (acc_mean, _) = llc::mean_and_stderr(&acc);
        writeln!(
            out,
            "λ̂ = {:.4} ± {:.4} (nβ = {:.1}, {} chains, ε = {:.1e}, MALA acceptance {:.3}, {:.0} steps/s, {:.2} s)",
            est.lambda,
            est.stderr,
            est.nbeta,
            settings.chains,
            est.chains.first().map_or(settings.epsilon, |c| c.epsilon),
            acc_mean,
            est.steps_per_second,
            est.seconds
        )
        .map_err(io_err)?;
        let per: Vec<String> = est.chains.iter().map(|c| format!("{:.3}", c.lambda)).collect();
        writeln!(out, "per chain: {}", per.join(" ")).map_err(io_err)?;
        if let Some((cf, rel)) = &against {
            let m = cf.multiplicity.map_or("not given by the source".into(), |m| m.to_string());
            writeln!(
                out,
                "closed form: λ = {}, m = {m} [{}]; relative error of λ̂ {:+.1} %",
                cf.lambda,
                cf.citation,
                100.0 * rel
            )
            .map_err(io_err)?;
            if cf.multiplicity.is_some_and(|m| m > 1) {
                writeln!(out, "  note: m > 1: the LLC estimator is biased low (docs/validation.md)")
                    .map_err(io_err)?;
            }
            let c = &est.correction;
            if let (Some(v), Some(m)) = (c.lambda_corrected, c.corrected_for_m) {
                writeln!(
                    out,
                    "  corrected for the closed form's m = {m}: λ̂ = {v:.4} ± {:.4} (raw + (m−1)/log nβ; leading order)",
                    est.stderr
                )
                .map_err(io_err)?;
            }
            if let Some(f) = &c.outside_proven {
                writeln!(out, "  flag: {f}").map_err(io_err)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Output format of `validate` and `sweep`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned text table.
    Table,
    /// JSON Lines, one object per row.
    Jsonl,
    /// CSV with a header.
    Csv,
}

/// The output and run flags shared by the tabular commands (`validate`,
/// `sweep`): the same names and meaning in both.
#[derive(Args, Debug, Clone)]
pub struct TableFlags {
    /// Output format: an aligned table, CSV with a header, or JSON Lines
    /// (one object per row). Every format has the same field names.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// JSON Lines, one object per row (the same as `--format jsonl`).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// No progress bar on stderr (it is shown only when stderr is a terminal).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Worker threads (default: one per core); the rows do not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Wall-clock limit in seconds: past it the command stops with exit
    /// code 5 and prints nothing on stdout. At most one week.
    #[arg(long, value_name = "SECONDS", value_parser = crate::limits::parse_time_limit)]
    pub time_limit: Option<f64>,
}

impl TableFlags {
    /// The format, with `--json` meaning JSON Lines.
    pub fn format(&self) -> Format {
        if self.json { Format::Jsonl } else { self.format }
    }
}

/// `rlct validate`.
#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Extra program files (with a regression model) whose exact λ the
    /// exact engine settles (`-`: one program from standard input).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Built-in models (default: the whole suite), e.g. 'rrr(3,3,2,1)',
    /// several separated by `,` or `;`: 'nc(1,2),dln(2-2-2-2,0)' (the flag
    /// may also be repeated).
    #[arg(long, value_name = "NAMES")]
    pub families: Vec<String>,
    /// Presets to run side by side.
    #[arg(long, value_delimiter = ',', default_value = "devinterp,tuned")]
    pub presets: Vec<String>,
    /// Sweeps, e.g. --grid eps=1e-5,1e-4 gamma=1,100 (the product, on each preset).
    #[arg(long, num_args = 1..)]
    pub grid: Vec<String>,
    /// Overrides applied to every configuration, e.g. --set chains=2 draws=50.
    #[arg(long, num_args = 1..)]
    pub set: Vec<String>,
    #[command(flatten)]
    pub output: TableFlags,
    /// Run only jobs k with k mod n = i; `auto` (or `auto/n`) reads i and n
    /// from a Slurm job array or a HyperQueue task array (`rlct merge` joins
    /// the outputs).
    #[arg(long, value_name = "i/n")]
    pub shard: Option<String>,
    /// Seed of data and chains.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

fn configurations(args: &ValidateArgs) -> Result<Vec<validate::Configuration>> {
    validate::configurations(&args.presets, &args.set, &args.grid, args.seed)
}

fn validation_models(args: &ValidateArgs) -> Result<Vec<validate::ValidationModel>> {
    let mut out = if args.families.is_empty() && !args.files.is_empty() {
        vec![]
    } else {
        validate::family_models(&args.families)?
    };
    for path in &args.files {
        let name = if path.as_os_str() == "-" { "<stdin>".to_string() } else { path.display().to_string() };
        let problem = super::InputArgs { file: Some(path.clone()), expr: None }.load()?;
        let res = crate::exact::solve(&problem, &crate::exact::ExactOptions::default())?;
        if res.status != crate::Status::Exact {
            return Err(Error::Unsupported(format!(
                "{name}: the exact engine gives only a bound, no ground truth to validate against"
            )));
        }
        out.push(validate::ValidationModel {
            name,
            problem,
            lambda: res.lambda,
            multiplicity: Some(res.multiplicity),
        });
    }
    Ok(out)
}

/// Runs `rlct validate`.
pub fn run_validate(args: &ValidateArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let shard = crate::drivers::shard::resolve(args.shard.as_deref())?;
    let configs = configurations(args)?;
    let models = validation_models(args)?;
    let format = args.output.format();
    match format {
        Format::Table => writeln!(out, "{}", validate::table_header()).map_err(io_err)?,
        Format::Csv => writeln!(out, "{}", validate::CSV_HEADER).map_err(io_err)?,
        Format::Jsonl => {}
    }
    let jobs = validate::jobs(models.len(), configs.len(), shard);
    let pool = crate::drivers::llc::thread_pool(args.output.threads)?;
    let bar = super::progress_bar(jobs.len() as u64, "validate", args.output.quiet);
    for (m, c) in jobs {
        if let Some(pb) = &bar {
            pb.set_message(format!("{} {}", models[m].name, configs[c].label));
        }
        let row = pool.install(|| validate::run_one(&models[m], &configs[c]))?;
        let line = match format {
            Format::Table => validate::table_line(&row),
            Format::Csv => validate::csv_line(&row),
            Format::Jsonl => serde_json::to_string(&row).map_err(|e| Error::Internal(e.to_string()))?,
        };
        let mut write = || -> Result<()> {
            writeln!(out, "{line}").map_err(io_err)?;
            out.flush().map_err(io_err)
        };
        match &bar {
            Some(pb) => {
                pb.suspend(&mut write)?;
                pb.inc(1);
            }
            None => write()?,
        }
    }
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    Ok(ExitCode::SUCCESS)
}

/// `rlct sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    #[command(flatten)]
    pub input: super::InputArgs,
    /// Inclusive integer range of a family parameter, e.g. a=1..5 (repeat).
    #[arg(long = "range", value_name = "NAME=LO..HI")]
    pub ranges: Vec<String>,
    /// Formula for λ in the parameters, e.g. 'min(1/(2*a), 1/(2*b))'.
    #[arg(long)]
    pub expect: Option<String>,
    #[command(flatten)]
    pub output: TableFlags,
    /// Run only members k with k mod n = i; `auto` (or `auto/n`) reads i
    /// and n from a Slurm job array or a HyperQueue task array (`rlct
    /// merge` joins the outputs).
    #[arg(long, value_name = "i/n")]
    pub shard: Option<String>,
    /// Also estimate λ by Monte Carlo for each member and compare it with
    /// the exact answer (columns estimator, estimate, stderr, z, verdict).
    #[arg(long)]
    pub estimate: bool,
    /// Estimator of `--estimate`: nested-sampling volume scaling, or
    /// data-driven LLC (members must state a regression model).
    #[arg(long, value_enum, default_value = "volume", requires = "estimate")]
    pub estimate_method: SweepEstimator,
    /// Seed; member k uses a seed derived from (seed, k).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Volume estimator: independent nested-sampling runs per member.
    #[arg(long, default_value_t = 8)]
    pub runs: usize,
    /// Volume estimator: live points per run.
    #[arg(long, default_value_t = 100)]
    pub live: usize,
    /// LLC estimator: preset (`tuned` or `devinterp`).
    #[arg(long, default_value = "tuned")]
    pub preset: String,
    /// LLC estimator: overrides, e.g. --set chains=4 draws=2000.
    #[arg(long, num_args = 1..)]
    pub set: Vec<String>,
}

/// The estimator of `rlct sweep --estimate`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepEstimator {
    /// Nested-sampling volume scaling (`rlct analyze`'s verdict).
    Volume,
    /// Data-driven minibatch SGLD (`rlct llc`).
    Llc,
}

impl SweepArgs {
    fn estimate_method(&self) -> Result<Option<sweep::EstimateMethod>> {
        if !self.estimate {
            return Ok(None);
        }
        Ok(Some(match self.estimate_method {
            SweepEstimator::Volume => {
                if self.runs < 2 || self.live < 2 {
                    return Err(Error::Usage("--runs and --live must be at least 2".into()));
                }
                sweep::EstimateMethod::Volume { runs: self.runs, live: self.live }
            }
            SweepEstimator::Llc => {
                let mut s = preset(&self.preset)?;
                for spec in &self.set {
                    let (k, v) = key_values(spec)?;
                    set_field(&mut s, &k, &v.join(","))?;
                }
                sweep::EstimateMethod::Llc(Box::new(s))
            }
        }))
    }
}

/// Runs `rlct sweep`.
pub fn run_sweep(args: &SweepArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let (program, _name) = args.input.read()?;
    let ranges = args.ranges.iter().map(|r| sweep::parse_range(r)).collect::<Result<Vec<_>>>()?;
    let expect = args.expect.as_deref().map(sweep::Formula::parse).transpose()?;
    let shard = crate::drivers::shard::resolve(args.shard.as_deref())?;
    let method = args.estimate_method()?;
    let members = sweep::shard_members(&program, &ranges, shard)?;
    let bar = super::progress_bar(members.len() as u64, "sweep", args.output.quiet);
    let tick = || {
        if let Some(pb) = &bar {
            pb.inc(1);
        }
    };
    let pool = crate::drivers::llc::thread_pool(args.output.threads)?;
    let rows = pool.install(|| {
        sweep::run_members(&program, &members, expect.as_ref(), method.as_ref(), args.seed, &tick)
    });
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }

    let names: Vec<String> = ranges.iter().map(|r| r.name.clone()).collect();
    let estimated = method.is_some();
    match args.output.format() {
        Format::Table => write!(out, "{}", sweep::table(&names, &rows, estimated)).map_err(io_err)?,
        Format::Csv => {
            let mut header = sweep::csv_header(&names);
            if estimated {
                header = format!("{header},{}", sweep::CSV_ESTIMATE_HEADER);
            }
            writeln!(out, "{header}").map_err(io_err)?;
            for r in &rows {
                let line = if estimated {
                    format!("{},{}", sweep::csv_line(r), sweep::csv_estimate_fields(r))
                } else {
                    sweep::csv_line(r)
                };
                writeln!(out, "{line}").map_err(io_err)?;
            }
        }
        Format::Jsonl => {
            for r in &rows {
                let line = serde_json::to_string(r).map_err(|e| Error::Internal(e.to_string()))?;
                writeln!(out, "{line}").map_err(io_err)?;
            }
        }
    }
    out.flush().map_err(io_err)?;
    if expect.is_none() {
        return Ok(ExitCode::SUCCESS);
    }
    // The summary goes to stderr so that stdout stays one table.
    let wrong: Vec<String> = rows
        .iter()
        .filter(|r| r.matches == Some(false))
        .map(|r| r.parameters.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join(" "))
        .collect();
    let failed = rows.iter().filter(|r| r.matches.is_none()).count();
    let unproven = rows.iter().filter(|r| r.matches == Some(true) && r.status != "exact").count();
    let mut summary = if wrong.is_empty() {
        format!("sweep: all {} members with an answer match --expect", rows.len() - failed)
    } else {
        format!("sweep: {} of {} members contradict --expect ({})", wrong.len(), rows.len(), wrong.join("; "))
    };
    if unproven > 0 {
        summary.push_str(&format!("; {unproven} match only a proven bound's pair, not an exact λ"));
    }
    if failed > 0 {
        summary.push_str(&format!("; {failed} without an answer or a formula value"));
    }
    eprintln!("{summary}");
    Ok(if wrong.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(3) })
}
