//! `rlct answer-key` and `rlct score`: flags and output over
//! `drivers::answer_key` and `drivers::score`.

use super::io_err;
use super::models::{Format, split_families};
use crate::drivers::answer_key::{self, KeyRow};
use crate::drivers::score;
use crate::{Error, Result};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output format of `answer-key`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyFormat {
    /// JSON Lines, one object per row.
    Jsonl,
    /// CSV with a header (`parameters` as JSON text).
    Csv,
}

/// `rlct answer-key`.
#[derive(Args, Debug)]
pub struct AnswerKeyArgs {
    /// Families (default: the whole key), e.g. 'rrr(3,3,2,1)', 'dln(2-2-2,0)',
    /// 'nc(1,2)', 'arrangement(1,0/0,1/1,1;s=1,1,1)', separated by `,` or `;`.
    #[arg(long, value_name = "NAMES")]
    pub families: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: KeyFormat,
    /// Time limit of the exact engine per family, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::limits::DEFAULT_EXACT_TIME_LIMIT_SECS,
          value_parser = crate::limits::parse_time_limit)]
    pub time_limit: f64,
    /// Run only rows k with k mod n = i (`auto`: from Slurm or HyperQueue).
    #[arg(long, value_name = "i/n")]
    pub shard: Option<String>,
}

/// The families `--families` names, or the default key.
pub fn key_families(names: &[String]) -> Result<Vec<crate::models::Family>> {
    if names.is_empty() {
        return Ok(answer_key::default_families());
    }
    split_families(names).iter().map(|f| answer_key::parse_key_name(f)).collect()
}

/// Runs `rlct answer-key`.
pub fn run_answer_key(args: &AnswerKeyArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let fams = key_families(&args.families)?;
    let shard = crate::drivers::shard::resolve(args.shard.as_deref())?;
    if args.format == KeyFormat::Csv {
        writeln!(out, "{}", answer_key::CSV_HEADER).map_err(io_err)?;
    }
    for (_, fam) in fams.iter().enumerate().filter(|(k, _)| k % shard.1 == shard.0) {
        let row = answer_key::row(fam, args.time_limit)?;
        let line = match args.format {
            KeyFormat::Jsonl => serde_json::to_string(&row).map_err(|e| Error::Internal(e.to_string()))?,
            KeyFormat::Csv => answer_key::csv_line(&row),
        };
        writeln!(out, "{line}").map_err(io_err)?;
        out.flush().map_err(io_err)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `rlct score`.
#[derive(Args, Debug)]
pub struct ScoreArgs {
    /// Estimates, JSON Lines: {"family": "rrr(3,3,2,1)", "lambda_hat": 3.4,
    /// "stderr": 0.05, "estimator": "my-sgld"} (`-`: standard input).
    #[arg(value_name = "ESTIMATES.jsonl")]
    pub file: PathBuf,
    /// An answer key (`rlct answer-key` output, JSON Lines) to join with;
    /// families not in it are solved on demand.
    #[arg(long, value_name = "KEY.jsonl")]
    pub key: Option<PathBuf>,
    /// Output format: a table with a summary line, CSV, or JSON Lines rows.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// One JSON object: {"version", "rows", "summary"}.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

fn read(path: &PathBuf) -> Result<(String, String)> {
    if path.as_os_str() == "-" {
        return Ok((super::read_stdin()?, "<stdin>".into()));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?;
    Ok((text, path.display().to_string()))
}

/// Reads an answer key file (JSON Lines of the key's rows).
fn read_key(path: &PathBuf) -> Result<Vec<KeyRow>> {
    let (text, name) = read(path)?;
    answer_key::parse_rows(&text, &name)
}

/// Runs `rlct score`.
pub fn run_score(args: &ScoreArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let key = args.key.as_ref().map(read_key).transpose()?.unwrap_or_default();
    let (text, name) = read(&args.file)?;
    let s = score::score(&text, &name, &key)?;
    if args.json {
        let v = serde_json::to_string_pretty(&s).map_err(|e| Error::Internal(e.to_string()))?;
        writeln!(out, "{v}").map_err(io_err)?;
        return Ok(ExitCode::SUCCESS);
    }
    match args.format {
        Format::Table => write!(out, "{}", score::table(&s)).map_err(io_err)?,
        Format::Csv => {
            writeln!(out, "{}", score::CSV_HEADER).map_err(io_err)?;
            for r in &s.rows {
                writeln!(out, "{}", score::csv_line(r)).map_err(io_err)?;
            }
        }
        Format::Jsonl => {
            for r in &s.rows {
                let line = serde_json::to_string(r).map_err(|e| Error::Internal(e.to_string()))?;
                writeln!(out, "{line}").map_err(io_err)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `rlct merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shards' outputs in shard order 0, 1, …, n−1 (one command, one
    /// format: JSON Lines, CSV or table).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// Runs `rlct merge`.
pub fn run_merge(args: &MergeArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let shards = args.files.iter().map(read).collect::<Result<Vec<_>>>()?;
    let shards: Vec<(String, String)> = shards.into_iter().map(|(text, name)| (name, text)).collect();
    write!(out, "{}", crate::drivers::shard::merge(&shards)?).map_err(io_err)?;
    Ok(ExitCode::SUCCESS)
}
