//! `rlct score`: joins anyone's λ estimates (JSON Lines with `family`,
//! `lambda_hat` and optionally `stderr`, `estimator`) with the answer key
//! ([`super::answer_key`]) and reports, per row, the relative error and
//! `z = (λ̂ − λ)/stderr`, and a summary, as `validate` does for rlct's own
//! presets.

use super::answer_key::{self, KeyRow};
use crate::{Diagnostic, Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// One estimate joined with its key row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreRow {
    /// 1-based line of the estimates file.
    pub line: usize,
    /// The family (the key's spelling).
    pub family: String,
    /// The estimator's label, when given.
    pub estimator: Option<String>,
    /// The key's λ (a rational as text).
    pub lambda: String,
    /// The key's m.
    pub multiplicity: usize,
    /// The key's status (`exact` or `bound`).
    pub status: String,
    /// The estimate.
    pub lambda_hat: f64,
    /// Its standard error, when given.
    pub stderr: Option<f64>,
    /// `(λ̂ − λ) / λ`.
    pub relative_error: f64,
    /// `(λ̂ − λ) / stderr`, when a positive stderr is given.
    pub z: Option<f64>,
}

/// Summary over the rows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Rows scored.
    pub rows: usize,
    /// Mean of the relative errors (the bias).
    pub mean_relative_error: f64,
    /// Mean of |relative error|.
    pub mean_abs_relative_error: f64,
    /// Largest |relative error|.
    pub max_abs_relative_error: f64,
    /// Rows with a z-score.
    pub with_z: usize,
    /// Largest |z|.
    pub max_abs_z: Option<f64>,
    /// Rows with |z| ≤ 2, among those with a z-score.
    pub within_2_stderr: usize,
    /// The same over rows with m > 1 only (estimators are known to run low
    /// there): mean relative error, or `None` without such rows.
    pub mean_relative_error_m_gt_1: Option<f64>,
}

/// What `rlct score` computed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// The key's version.
    pub version: &'static str,
    /// One row per estimate, in file order.
    pub rows: Vec<ScoreRow>,
    /// The summary.
    pub summary: Summary,
}

/// An input error at `line` (1-based) of `text`, pointing at the line.
fn at_line(file: &str, text: &str, line: usize, col: usize, message: String) -> Error {
    let start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let this = text[start..].lines().next().unwrap_or("");
    let offset = this.char_indices().nth(col.saturating_sub(1)).map_or(this.len(), |(i, _)| i);
    Error::from(Diagnostic {
        message,
        file: file.to_string(),
        source: text.to_string(),
        span: start + offset..start + this.len().max(offset + 1),
        label: "here".into(),
    })
}

/// Scores the JSON Lines `text` (named `file` in messages) against `key`
/// rows; families missing from `key` are solved on demand when their name
/// parses ([`answer_key::parse_key_name`]).
pub fn score(text: &str, file: &str, key: &[KeyRow]) -> Result<Score> {
    let mut by_family: BTreeMap<String, KeyRow> = key.iter().map(|r| (r.family.clone(), r.clone())).collect();
    let mut rows = vec![];
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(raw)
            .map_err(|e| at_line(file, text, line, e.column(), format!("not a JSON object: {e}")))?;
        let field = |name: &str| v.get(name);
        let family = field("family")
            .and_then(|f| f.as_str())
            .ok_or_else(|| at_line(file, text, line, 1, "expected a string field `family`".into()))?;
        let lambda_hat = ["lambda_hat", "llc", "lambda"]
            .iter()
            .find_map(|k| field(k).and_then(|x| x.as_f64()))
            .filter(|x| x.is_finite())
            .ok_or_else(|| at_line(file, text, line, 1, "expected a finite number `lambda_hat`".into()))?;
        let stderr = match field("stderr") {
            None | Some(serde_json::Value::Null) => None,
            Some(s) => Some(s.as_f64().filter(|x| x.is_finite() && *x >= 0.0).ok_or_else(|| {
                at_line(file, text, line, 1, "`stderr` must be a finite number ≥ 0".into())
            })?),
        };
        let estimator = field("estimator").and_then(|e| e.as_str()).map(String::from);
        let fam = answer_key::parse_key_name(family)
            .map_err(|e| at_line(file, text, line, 1, format!("unknown family `{family}`: {e}")))?;
        let name = answer_key::key_name(&fam);
        if !by_family.contains_key(&name) {
            let r = answer_key::row(&fam, crate::limits::DEFAULT_EXACT_TIME_LIMIT_SECS)?;
            by_family.insert(name.clone(), r);
        }
        let k = &by_family[&name];
        let exact: f64 = parse_rational(&k.lambda)?;
        rows.push(ScoreRow {
            line,
            family: name.clone(),
            estimator,
            lambda: k.lambda.clone(),
            multiplicity: k.multiplicity,
            status: k.status.clone(),
            lambda_hat,
            stderr,
            relative_error: (lambda_hat - exact) / exact,
            z: stderr.filter(|s| *s > 0.0).map(|s| (lambda_hat - exact) / s),
        });
    }
    if rows.is_empty() {
        return Err(Error::Usage(format!("{file}: no estimates (one JSON object per line)")));
    }
    let summary = summarise(&rows);
    Ok(Score { version: answer_key::VERSION, rows, summary })
}

fn parse_rational(s: &str) -> Result<f64> {
    use num_traits::ToPrimitive;
    s.parse::<crate::Rat>()
        .ok()
        .and_then(|r| r.to_f64())
        .ok_or_else(|| Error::Internal(format!("the key's λ `{s}` is not a rational")))
}

fn mean(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (s, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| s / n as f64)
}

fn summarise(rows: &[ScoreRow]) -> Summary {
    let zs: Vec<f64> = rows.iter().filter_map(|r| r.z).collect();
    Summary {
        rows: rows.len(),
        mean_relative_error: mean(rows.iter().map(|r| r.relative_error)).unwrap_or(f64::NAN),
        mean_abs_relative_error: mean(rows.iter().map(|r| r.relative_error.abs())).unwrap_or(f64::NAN),
        max_abs_relative_error: rows.iter().map(|r| r.relative_error.abs()).fold(0.0, f64::max),
        with_z: zs.len(),
        max_abs_z: zs.iter().map(|z| z.abs()).reduce(f64::max),
        within_2_stderr: zs.iter().filter(|z| z.abs() <= 2.0).count(),
        mean_relative_error_m_gt_1: mean(
            rows.iter().filter(|r| r.multiplicity > 1).map(|r| r.relative_error),
        ),
    }
}

/// The aligned table of `rlct score`.
pub fn table(s: &Score) -> String {
    let mut out = format!(
        "{:<34} {:<12} {:>8} {:>2} {:>10} {:>9} {:>9} {:>7}\n",
        "family", "estimator", "λ", "m", "λ̂", "stderr", "rel.err", "z"
    );
    for r in &s.rows {
        out.push_str(&format!(
            "{:<34} {:<12} {:>8} {:>2} {:>10.4} {:>9} {:>+8.1}% {:>7}\n",
            r.family,
            r.estimator.as_deref().unwrap_or("-"),
            r.lambda,
            r.multiplicity,
            r.lambda_hat,
            r.stderr.map_or("-".into(), |x| format!("{x:.4}")),
            100.0 * r.relative_error,
            r.z.map_or("-".into(), |z| format!("{z:+.2}")),
        ));
    }
    let m = &s.summary;
    out.push_str(&format!(
        "summary: {} rows; mean relative error {:+.1} % (mean |.| {:.1} %, max {:.1} %)",
        m.rows,
        100.0 * m.mean_relative_error,
        100.0 * m.mean_abs_relative_error,
        100.0 * m.max_abs_relative_error
    ));
    if let Some(z) = m.max_abs_z {
        out.push_str(&format!("; |z| ≤ 2 on {} of {}, max |z| {z:.2}", m.within_2_stderr, m.with_z));
    }
    if let Some(b) = m.mean_relative_error_m_gt_1 {
        out.push_str(&format!("; m > 1 rows: mean relative error {:+.1} %", 100.0 * b));
    }
    out.push('\n');
    out
}

/// The CSV header of `rlct score --format csv`.
pub const CSV_HEADER: &str =
    "line,family,estimator,lambda,multiplicity,status,lambda_hat,stderr,relative_error,z";

/// One CSV line.
pub fn csv_line(r: &ScoreRow) -> String {
    let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    [
        r.line.to_string(),
        answer_key::csv_field(&r.family),
        answer_key::csv_field(r.estimator.as_deref().unwrap_or("")),
        r.lambda.clone(),
        r.multiplicity.to_string(),
        r.status.clone(),
        r.lambda_hat.to_string(),
        opt(r.stderr),
        r.relative_error.to_string(),
        opt(r.z),
    ]
    .join(",")
}
