//! `rlct validate`: estimator configurations against exact λ over a suite
//! of models, one [`ValidationRow`] per (model, configuration).

use crate::estimate::llc::{self, LlcSettings, NBeta, Sampler, StepAdaptation};
use crate::poly::Rat;
use crate::{Error, Problem, Result};
use num_traits::ToPrimitive;
use serde::Serialize;
use std::time::Instant;

/// A model with its exact pair.
#[derive(Clone, Debug)]
pub struct ValidationModel {
    /// Display name.
    pub name: String,
    /// The problem (with a regression model).
    pub problem: Problem,
    /// Exact λ.
    pub lambda: Rat,
    /// Exact m when known.
    pub multiplicity: Option<usize>,
}

/// A named estimator configuration.
#[derive(Clone, Debug, Serialize)]
pub struct Configuration {
    /// Label such as `tuned` or `tuned eps=1e-5 gamma=100`.
    pub label: String,
    /// The settings.
    pub settings: LlcSettings,
}

/// One line of the validation table.
#[derive(Clone, Debug, Serialize)]
pub struct ValidationRow {
    /// Model name.
    pub model: String,
    /// Exact λ.
    #[serde(serialize_with = "crate::report::ser_rat")]
    pub lambda: Rat,
    /// Exact m when known.
    pub multiplicity: Option<usize>,
    /// Configuration label.
    pub config: String,
    /// λ̂.
    pub estimate: f64,
    /// Its standard error across chains.
    pub stderr: f64,
    /// (λ̂ − λ)/λ.
    pub relative_error: f64,
    /// (λ̂ − λ)/se.
    pub z: f64,
    /// Mean MALA acceptance over chains.
    pub mala_acceptance: f64,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Mean over chains of the step size of the recorded draws (differs
    /// from the configured ε when burn-in adaptation is on).
    pub epsilon: f64,
}

/// Reads a shard `i/n` (see [`super::shard`], which also reads `auto`).
pub use super::shard::parse as parse_shard;

/// The (model, configuration) jobs in a fixed order, restricted to a
/// shard: job k belongs to shard `k mod n`.
pub fn jobs(models: usize, configs: usize, shard: (usize, usize)) -> Vec<(usize, usize)> {
    (0..models)
        .flat_map(|m| (0..configs).map(move |c| (m, c)))
        .enumerate()
        .filter(|(k, _)| k % shard.1 == shard.0)
        .map(|(_, j)| j)
        .collect()
}

/// Runs one configuration on one model.
pub fn run_one(model: &ValidationModel, config: &Configuration) -> Result<ValidationRow> {
    let start = Instant::now();
    let est = llc::run(&model.problem, &config.settings)?;
    let exact = model.lambda.to_f64().unwrap_or(f64::NAN);
    let acc: Vec<f64> = est.chains.iter().map(|c| c.mala_acceptance).collect();
    Ok(ValidationRow {
        model: model.name.clone(),
        lambda: model.lambda.clone(),
        multiplicity: model.multiplicity,
        config: config.label.clone(),
        estimate: est.lambda,
        stderr: est.stderr,
        relative_error: (est.lambda - exact) / exact,
        z: (est.lambda - exact) / est.stderr,
        mala_acceptance: llc::mean_and_stderr(&acc).0,
        seconds: start.elapsed().as_secs_f64(),
        epsilon: llc::mean_and_stderr(&est.chains.iter().map(|c| c.epsilon).collect::<Vec<_>>()).0,
    })
}

/// The CSV header matching [`csv_line`].
pub const CSV_HEADER: &str =
    "model,lambda,multiplicity,config,estimate,stderr,relative_error,z,mala_acceptance,seconds,epsilon";

/// One row as CSV (fields with commas are quoted).
pub fn csv_line(r: &ValidationRow) -> String {
    let q = |s: &str| {
        if s.contains(',') || s.contains('"') {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    format!(
        "{},{},{},{},{},{},{},{},{},{},{}",
        q(&r.model),
        r.lambda,
        r.multiplicity.map_or(String::new(), |m| m.to_string()),
        q(&r.config),
        r.estimate,
        r.stderr,
        r.relative_error,
        r.z,
        r.mala_acceptance,
        r.seconds,
        r.epsilon
    )
}

/// Column widths of the text table, in the order of [`CSV_HEADER`].
const WIDTHS: [usize; 11] = [16, 6, 12, 28, 8, 7, 14, 7, 15, 8, 7];

/// One row for the aligned text table (the columns and names of the CSV;
/// the relative error in per cent).
pub fn table_line(r: &ValidationRow) -> String {
    let cells = [
        r.model.clone(),
        r.lambda.to_string(),
        r.multiplicity.map_or("-".into(), |m| m.to_string()),
        r.config.clone(),
        format!("{:.3}", r.estimate),
        format!("{:.3}", r.stderr),
        format!("{:+.1}%", 100.0 * r.relative_error),
        format!("{:+.1}", r.z),
        format!("{:.3}", r.mala_acceptance),
        format!("{:.2}s", r.seconds),
        format!("{:.1e}", r.epsilon),
    ];
    aligned(&cells)
}

fn aligned<S: AsRef<str>>(cells: &[S]) -> String {
    let cols: Vec<String> = cells.iter().zip(WIDTHS).map(|(c, w)| format!("{:<w$}", c.as_ref())).collect();
    cols.join(" ").trim_end().to_string()
}

/// Header of the text table: the CSV field names.
pub fn table_header() -> String {
    aligned(&CSV_HEADER.split(',').collect::<Vec<_>>())
}

/// A preset by name.
pub fn preset(name: &str) -> Result<LlcSettings> {
    match name {
        "tuned" => Ok(LlcSettings::tuned()),
        "devinterp" => Ok(LlcSettings::devinterp()),
        _ => Err(Error::Usage(format!("unknown preset `{name}` (expected tuned or devinterp)"))),
    }
}

/// Sets one named setting from text (`eps`, `gamma`, `nbeta`, …), as used
/// by `--grid` and the flags.
pub fn set_field(s: &mut LlcSettings, key: &str, value: &str) -> Result<()> {
    let bad = || Error::Usage(format!("cannot read `{value}` as a value of `{key}`"));
    let f = || value.parse::<f64>().map_err(|_| bad());
    let u = || value.parse::<usize>().map_err(|_| bad());
    match key {
        "eps" | "epsilon" => s.epsilon = f()?,
        "gamma" => s.gamma = f()?,
        "n" => s.n = u()?,
        "batch" => s.batch = u()?,
        "chains" => s.chains = u()?,
        "burn_in" | "burn-in" => s.burn_in = u()?,
        "draws" => s.draws = u()?,
        "thin" => s.thin = u()?,
        "seed" => s.seed = value.parse().map_err(|_| bad())?,
        "nbeta" => {
            s.nbeta = match value {
                "n-log-n" | "n/log(n)" => NBeta::NOverLogN,
                "b-log-b" | "b/log(b)" => NBeta::BOverLogB,
                _ => NBeta::Fixed(f()?),
            }
        }
        "cv" | "control_variate" | "control-variate" => {
            s.control_variate = match value {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => return Err(bad()),
            }
        }
        "adapt" => {
            s.adapt = match value {
                "none" | "off" | "false" => None,
                _ => Some(StepAdaptation {
                    target_rejection: f()?,
                    max_scale: s.adapt.unwrap_or(StepAdaptation::TUNED).max_scale,
                }),
            }
        }
        "adapt_max" | "adapt-max" => {
            let a = s.adapt.get_or_insert(StepAdaptation::TUNED);
            a.max_scale = f()?;
        }
        "sampler" => {
            s.sampler = match value {
                "sgld" => Sampler::Sgld,
                "rmsprop" => Sampler::Rmsprop,
                _ => return Err(bad()),
            }
        }
        _ => return Err(Error::Usage(format!("unknown setting `{key}`"))),
    }
    Ok(())
}

/// Splits `--families` values at `,` or `;` outside parentheses, so that
/// `'nc(1,2),nc(1,1)'` and `'nc(1,2);nc(1,1)'` are both two families.
pub fn split_families(values: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for v in values {
        let mut depth = 0i32;
        let mut cur = String::new();
        for c in v.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            if (c == ',' || c == ';') && depth <= 0 {
                out.push(std::mem::take(&mut cur));
            } else {
                cur.push(c);
            }
        }
        out.push(cur);
    }
    out.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Reads `key=value[,value...]`.
pub fn key_values(spec: &str) -> Result<(String, Vec<String>)> {
    let (k, v) = spec
        .split_once('=')
        .ok_or_else(|| Error::Usage(format!("expected key=value[,value...], got `{spec}`")))?;
    Ok((k.trim().to_string(), v.split(',').map(|s| s.trim().to_string()).collect()))
}

/// The configurations of `rlct validate`: each preset with the `set`
/// overrides (`key=value`), expanded over the product of the `grid` sweeps
/// (`key=v1,v2,...`), all seeded with `seed`.
pub fn configurations(
    presets: &[String],
    set: &[String],
    grid: &[String],
    seed: u64,
) -> Result<Vec<Configuration>> {
    let mut out = Vec::new();
    for name in presets {
        let mut base = preset(name)?;
        base.seed = seed;
        for spec in set {
            let (k, v) = key_values(spec)?;
            set_field(&mut base, &k, &v.join(","))?;
        }
        let mut configs = vec![Configuration { label: name.clone(), settings: base }];
        for spec in grid {
            let (k, values) = key_values(spec)?;
            let mut next = Vec::new();
            for c in &configs {
                for v in &values {
                    let mut s = c.settings.clone();
                    set_field(&mut s, &k, v)?;
                    next.push(Configuration { label: format!("{} {k}={v}", c.label), settings: s });
                }
            }
            configs = next;
        }
        out.extend(configs);
    }
    Ok(out)
}

/// The built-in models of `rlct validate --families` (several names per
/// value, separated by `,` or `;`), or the whole suite when none is named.
pub fn family_models(names: &[String]) -> Result<Vec<ValidationModel>> {
    let fams = if names.is_empty() {
        crate::models::families::validation_suite()
    } else {
        split_families(names).iter().map(|f| crate::models::Family::parse(f)).collect::<Result<_>>()?
    };
    let mut out = Vec::new();
    for f in fams {
        let cf = f.closed_form()?;
        out.push(ValidationModel {
            name: f.name(),
            problem: f.problem()?,
            lambda: cf.lambda,
            multiplicity: cf.multiplicity,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_jobs() {
        let all = jobs(3, 4, (0, 1));
        assert_eq!(all.len(), 12);
        let mut union: Vec<_> = (0..5).flat_map(|i| jobs(3, 4, (i, 5))).collect();
        union.sort();
        assert_eq!(union, all);
        assert_eq!(parse_shard("2/5").unwrap(), (2, 5));
        assert!(parse_shard("5/5").is_err());
        assert!(parse_shard("x").is_err());
    }
}
