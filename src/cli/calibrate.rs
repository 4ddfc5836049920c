//! `rlct calibrate`: choose the LLC hyperparameters on small members of a
//! family that the engine (or a closed form) solves exactly, report their
//! errors there, and apply them to a larger member without ground truth.
//! The estimation itself is `crate::estimate::llc`; the grid syntax is
//! `rlct validate`'s.

use super::io_err;
use super::models::{preset, set_field, split_families};
use crate::drivers::validate::{self, Configuration, ValidationModel};
use crate::estimate::llc::{self, LlcSettings};
use crate::models::Family;
use crate::{Error, Result};
use clap::Args;
use num_traits::ToPrimitive;
use std::io::Write;
use std::process::ExitCode;

/// `rlct calibrate`.
#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// The small members with known λ, e.g. 'rrr(2,2,2,0);rrr(3,3,2,0)'.
    #[arg(long, value_name = "NAMES", required = true)]
    pub members: Vec<String>,
    /// The larger member to apply the chosen settings to, e.g. 'rrr(4,4,3,1)'.
    #[arg(long, value_name = "NAME")]
    pub target: String,
    /// Starting preset (`tuned` or `devinterp`).
    #[arg(long, default_value = "tuned")]
    pub preset: String,
    /// Grid of settings, `key=v1,v2` (keys of `rlct validate --set`).
    #[arg(long, num_args = 1.., default_values = ["eps=1e-5,3e-5", "gamma=0.2,1"])]
    pub grid: Vec<String>,
    /// Fixed changes to the preset, `key=value`.
    #[arg(long, num_args = 1..)]
    pub set: Vec<String>,
    /// Seed (data sets and chains).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar on stderr (it is shown only when stderr is a terminal).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Wall-clock limit in seconds: past it the command stops with exit
    /// code 5 and prints nothing on stdout. At most one week.
    #[arg(long, value_name = "SECONDS", value_parser = crate::limits::parse_time_limit)]
    pub time_limit: Option<f64>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

fn grid(args: &CalibrateArgs) -> Result<Vec<Configuration>> {
    let mut base = preset(&args.preset)?;
    base.seed = args.seed;
    let kv = |spec: &str| -> Result<(String, Vec<String>)> {
        let (k, v) = spec
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("expected key=value[,value...], got `{spec}`")))?;
        Ok((k.trim().to_string(), v.split(',').map(|s| s.trim().to_string()).collect()))
    };
    for spec in &args.set {
        let (k, v) = kv(spec)?;
        set_field(&mut base, &k, &v.join(","))?;
    }
    let mut configs = vec![Configuration { label: args.preset.clone(), settings: base }];
    for spec in &args.grid {
        let (k, values) = kv(spec)?;
        let mut next = vec![];
        for c in &configs {
            for v in &values {
                let mut s: LlcSettings = c.settings.clone();
                set_field(&mut s, &k, v)?;
                next.push(Configuration { label: format!("{} {k}={v}", c.label), settings: s });
            }
        }
        configs = next;
    }
    Ok(configs)
}

fn member(name: &str) -> Result<(Family, ValidationModel)> {
    let f = Family::parse(name)?;
    let cf = f.closed_form()?;
    let vm = ValidationModel {
        name: f.name(),
        problem: f.problem()?,
        lambda: cf.lambda,
        multiplicity: cf.multiplicity,
    };
    Ok((f, vm))
}

/// Runs `rlct calibrate`: every grid setting on every member; the setting
/// with the smallest worst relative error is chosen; the target is
/// estimated with it and reported with that worst error as a calibrated
/// systematic error (`√(se² + (err·λ̂)²)`). When the target has a closed
/// form too, its error is shown as a check.
pub fn run_calibrate(args: &CalibrateArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let configs = grid(args)?;
    let members: Vec<ValidationModel> =
        split_families(&args.members).iter().map(|n| member(n).map(|m| m.1)).collect::<Result<_>>()?;
    if members.is_empty() {
        return Err(Error::Usage("--members needs at least one family member".into()));
    }
    let target = Family::parse(&args.target)?;
    let target_problem = target.problem()?;
    let target_truth = target.closed_form().ok().and_then(|c| c.lambda.to_f64());
    let pool = crate::drivers::llc::thread_pool(args.threads)?;
    // Progress over the grid × members runs and the target (issue #14).
    let bar = super::progress_bar((configs.len() * members.len() + 1) as u64, "calibrate", args.quiet);
    let mut rows = vec![];
    for c in &configs {
        for m in &members {
            rows.push(pool.install(|| validate::run_one(m, c))?);
            if let Some(pb) = &bar {
                pb.inc(1);
            }
        }
    }
    // Worst |relative error| per setting (members in order).
    let worst: Vec<f64> = (0..configs.len())
        .map(|k| {
            rows[k * members.len()..(k + 1) * members.len()]
                .iter()
                .map(|r| r.relative_error.abs())
                .fold(0.0, f64::max)
        })
        .collect();
    let best = (0..configs.len()).min_by(|&a, &b| worst[a].total_cmp(&worst[b])).unwrap_or(0);
    let chosen = &configs[best];
    let est = pool.install(|| llc::run(&target_problem, &chosen.settings))?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    let calibrated = (est.stderr.powi(2) + (worst[best] * est.lambda).powi(2)).sqrt();
    if args.json {
        let obj = serde_json::json!({
            "members": rows,
            "worst_relative_error": configs.iter().zip(&worst).map(|(c, w)| serde_json::json!({"config": c.label, "worst_relative_error": w})).collect::<Vec<_>>(),
            "chosen": chosen,
            "target": {
                "name": target.name(),
                "lambda": est.lambda,
                "stderr": est.stderr,
                "calibrated_uncertainty": calibrated,
                "closed_form": target_truth,
            },
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&obj).map_err(|e| Error::Internal(e.to_string()))?)
            .map_err(io_err)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}", validate::table_header()).map_err(io_err)?;
    for r in &rows {
        writeln!(out, "{}", validate::table_line(r)).map_err(io_err)?;
    }
    writeln!(out).map_err(io_err)?;
    for (c, w) in configs.iter().zip(&worst) {
        writeln!(out, "worst relative error {:6.2} %  {}", 100.0 * w, c.label).map_err(io_err)?;
    }
    writeln!(
        out,
        "chosen: {} (worst relative error on the members {:.2} %)",
        chosen.label,
        100.0 * worst[best]
    )
    .map_err(io_err)?;
    write!(
        out,
        "{}: λ̂ = {:.4} ± {:.4} (statistical), ± {:.4} calibrated (statistical ⊕ the members' worst error)",
        target.name(),
        est.lambda,
        est.stderr,
        calibrated
    )
    .map_err(io_err)?;
    match target_truth {
        Some(t) => writeln!(out, "; closed form {t} (check: {:+.2} %)", 100.0 * (est.lambda - t) / t),
        None => writeln!(out),
    }
    .map_err(io_err)?;
    Ok(ExitCode::SUCCESS)
}
