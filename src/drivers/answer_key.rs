//! `rlct answer-key`: versioned rows of (family, parameters, program, λ,
//! m, status, method, closed form, certificate digest) for the families
//! the exact engine solves, so that anyone's LLC estimator can be scored
//! against certified values (`rlct score`, [`super::score`]).
//!
//! Each row's λ and m are the exact engine's on the family's program, not
//! the closed form's: the closed form is carried beside them, and a row
//! whose certified pair contradicts its closed form is an internal error
//! (one of the two is wrong), never a row.

use crate::models::Family;
use crate::poly::Rat;
use crate::{Error, Result, Status};
use serde::Serialize;

/// The schema version every row carries; bumped when a field changes
/// meaning.
pub const VERSION: &str = "rlct-answer-key/1";

/// The CSV header (the row's fields in order; `parameters` as JSON text).
pub const CSV_HEADER: &str = "version,family,parameters,lambda,multiplicity,status,method,closed_form_lambda,\
                              closed_form_multiplicity,citation,certificate_digest,program";

/// One row of the key.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyRow {
    /// [`VERSION`].
    pub version: &'static str,
    /// The family's short name (`rrr(3,3,2,1)`; arrangements
    /// `arrangement(1,0/0,1/1,1;s=1,1,1)`), as `rlct score` joins on it.
    pub family: String,
    /// The family's parameters by name.
    pub parameters: serde_json::Value,
    /// The program text (parses back to the family's problem).
    pub program: String,
    /// λ from the exact engine (a rational as text).
    pub lambda: String,
    /// m from the exact engine.
    pub multiplicity: usize,
    /// `exact` or `bound`.
    pub status: String,
    /// The engine's method.
    pub method: String,
    /// The closed form's λ.
    pub closed_form_lambda: String,
    /// The closed form's m, when the source gives it.
    pub closed_form_multiplicity: Option<usize>,
    /// The closed form's citation.
    pub citation: String,
    /// FNV-1a 64-bit digest (hex) of the certificate's canonical JSON (keys
    /// sorted): changes whenever the proof changes.
    pub certificate_digest: String,
}

/// The families of the default key: reduced-rank regression for every
/// `M, N, H ≤ 3` and every true rank `r ≤ min(M, N, H)` (all rank strata),
/// deep linear networks of depth 3 and 4 with widths ≤ 3 at ranks 0 and 1,
/// normal crossings `k ∈ {1,2,3}^d` (d ≤ 3) with priors, and the central
/// line arrangements of the plane and space (coordinate cross, three and
/// four lines, braid arrangement A₃) with multiplicities.
pub fn default_families() -> Vec<Family> {
    let mut out = vec![];
    for m in 1..=3 {
        for n in 1..=3 {
            for h in 1..=3 {
                for r in 0..=m.min(n).min(h) {
                    out.push(Family::Rrr { inputs: m, outputs: n, hidden: h, rank: r });
                }
            }
        }
    }
    for widths in
        [vec![2, 2, 2], vec![2, 3, 2], vec![3, 2, 3], vec![2, 2, 2, 2], vec![3, 2, 2, 3], vec![1, 2, 2, 1]]
    {
        for rank in 0..=1 {
            if rank <= *widths.iter().min().unwrap_or(&0) {
                out.push(Family::Dln { widths: widths.clone(), rank });
            }
        }
    }
    for k in
        [vec![1], vec![2], vec![1, 1], vec![1, 2], vec![2, 3], vec![1, 1, 1], vec![1, 2, 3], vec![3, 3, 1]]
    {
        let d = k.len();
        out.push(Family::NormalCrossing { k: k.clone(), h: vec![0; d] });
        let h: Vec<u32> = (0..d as u32).map(|i| i % 2).collect();
        if h.iter().any(|&x| x > 0) {
            out.push(Family::NormalCrossing { k, h });
        }
    }
    let q = |rows: &[&[i64]]| -> Vec<Vec<Rat>> {
        rows.iter().map(|r| r.iter().map(|&c| Rat::from_integer(c.into())).collect()).collect()
    };
    let arrangements: Vec<(Vec<Vec<Rat>>, Vec<u32>)> = vec![
        (q(&[&[1, 0], &[0, 1]]), vec![1, 1]),
        (q(&[&[1, 0], &[0, 1], &[1, 1]]), vec![1, 1, 1]),
        (q(&[&[1, 0], &[0, 1], &[1, 1], &[1, -1]]), vec![1, 1, 1, 1]),
        (q(&[&[1, 0], &[0, 1], &[1, 1]]), vec![2, 1, 1]),
        (q(&[&[1, -1, 0], &[0, 1, -1], &[1, 0, -1]]), vec![1, 1, 1]),
        (q(&[&[1, 0, 0], &[0, 1, 0], &[0, 0, 1], &[1, 1, 1]]), vec![1, 1, 1, 1]),
    ];
    for (forms, mult) in arrangements {
        out.push(Family::Arrangement { forms, mult });
    }
    out
}

fn join<T: ToString>(v: &[T], sep: &str) -> String {
    v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(sep)
}

/// The key's name of a family: [`Family::name`], except arrangements,
/// whose forms are spelled out so that the name parses back
/// (`arrangement(1,0/0,1/1,1;s=1,1,1)`).
pub fn key_name(fam: &Family) -> String {
    match fam {
        Family::Arrangement { forms, mult } => {
            let rows: Vec<String> = forms.iter().map(|r| join(r, ",")).collect();
            format!("arrangement({};s={})", rows.join("/"), join(mult, ","))
        }
        _ => fam.name(),
    }
}

/// Parses [`key_name`]'s spelling (and everything [`Family::parse`]
/// reads).
pub fn parse_key_name(name: &str) -> Result<Family> {
    let t = name.trim();
    if let Some(inner) = t.strip_prefix("arrangement(").and_then(|s| s.strip_suffix(')')) {
        let bad = || Error::Usage(format!("cannot read `{name}` as arrangement(l1/l2/...;s=s1,s2,...)"));
        let (rows, mult) = inner.split_once(";s=").ok_or_else(bad)?;
        let forms = crate::models::families::parse_forms(&rows.replace('/', ";"))?;
        let mult = mult
            .split(',')
            .map(|s| s.trim().parse::<u32>().map_err(|_| bad()))
            .collect::<Result<Vec<_>>>()?;
        if mult.len() != forms.len() {
            return Err(bad());
        }
        let fam = Family::Arrangement { forms, mult };
        fam.closed_form()?;
        return Ok(fam);
    }
    Family::parse(t)
}

/// The family's parameters by name.
fn parameters(fam: &Family) -> serde_json::Value {
    match fam {
        Family::Rrr { inputs, outputs, hidden, rank } => {
            serde_json::json!({ "inputs": inputs, "outputs": outputs, "hidden": hidden, "rank": rank })
        }
        Family::Dln { widths, rank } => serde_json::json!({ "widths": widths, "rank": rank }),
        Family::NormalCrossing { k, h } => serde_json::json!({ "k": k, "prior": h }),
        Family::Arrangement { forms, mult } => {
            let forms: Vec<Vec<String>> =
                forms.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
            serde_json::json!({ "forms": forms, "mult": mult })
        }
    }
}

/// FNV-1a, 64 bits (a change detector, not a cryptographic hash).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// The key row of one family: its program solved by the exact engine
/// (default options, `time_limit` seconds), checked against its closed form.
pub fn row(fam: &Family, time_limit: f64) -> Result<KeyRow> {
    let cf = fam.closed_form()?;
    let program = fam.program()?;
    let problem = crate::dsl::parse_program(&program, &key_name(fam))?;
    let opts = crate::exact::ExactOptions {
        deadline: crate::limits::Deadline::after_secs(time_limit),
        ..Default::default()
    };
    let res = crate::exact::solve(&problem, &opts)?;
    if res.status == Status::Exact
        && (res.lambda != cf.lambda || cf.multiplicity.is_some_and(|m| m != res.multiplicity))
    {
        return Err(Error::Internal(format!(
            "{}: the exact engine certifies (λ, m) = ({}, {}) but the closed form ({}) says ({}, {:?})",
            key_name(fam),
            res.lambda,
            res.multiplicity,
            cf.citation,
            cf.lambda,
            cf.multiplicity
        )));
    }
    let cert = serde_json::to_string(&res.certificate).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(KeyRow {
        version: VERSION,
        family: key_name(fam),
        parameters: parameters(fam),
        program,
        lambda: res.lambda.to_string(),
        multiplicity: res.multiplicity,
        status: res.status.to_string(),
        method: res.method.clone(),
        closed_form_lambda: cf.lambda.to_string(),
        closed_form_multiplicity: cf.multiplicity,
        citation: cf.citation,
        certificate_digest: format!("{:016x}", fnv1a64(cert.as_bytes())),
    })
}

/// Quotes a CSV field when it holds a separator, a quote or a newline.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// The CSV line of a row (fields as [`CSV_HEADER`]).
pub fn csv_line(r: &KeyRow) -> String {
    [
        r.version.to_string(),
        r.family.clone(),
        r.parameters.to_string(),
        r.lambda.clone(),
        r.multiplicity.to_string(),
        r.status.clone(),
        r.method.clone(),
        r.closed_form_lambda.clone(),
        r.closed_form_multiplicity.map_or(String::new(), |m| m.to_string()),
        r.citation.clone(),
        r.certificate_digest.clone(),
        r.program.clone(),
    ]
    .iter()
    .map(|f| csv_field(f))
    .collect::<Vec<_>>()
    .join(",")
}

/// Reads rows of a key as written by `rlct answer-key` (JSON Lines;
/// `name` in messages); every row must carry this [`VERSION`].
pub fn parse_rows(text: &str, name: &str) -> Result<Vec<KeyRow>> {
    let mut rows = vec![];
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| Error::Usage(format!("{name}:{}:{}: not a JSON object: {e}", i + 1, e.column())))?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
        let bad = || Error::Usage(format!("{name}:{}: not an answer-key row ({})", i + 1, VERSION));
        if s("version").as_deref() != Some(VERSION) {
            return Err(Error::Usage(format!(
                "{name}:{}: the key's version is {:?}, expected {}",
                i + 1,
                s("version"),
                VERSION
            )));
        }
        rows.push(KeyRow {
            version: VERSION,
            family: s("family").ok_or_else(bad)?,
            parameters: v.get("parameters").cloned().unwrap_or_default(),
            program: s("program").unwrap_or_default(),
            lambda: s("lambda").ok_or_else(bad)?,
            multiplicity: v.get("multiplicity").and_then(|m| m.as_u64()).ok_or_else(bad)? as usize,
            status: s("status").ok_or_else(bad)?,
            method: s("method").unwrap_or_default(),
            closed_form_lambda: s("closed_form_lambda").unwrap_or_default(),
            closed_form_multiplicity: v
                .get("closed_form_multiplicity")
                .and_then(|m| m.as_u64())
                .map(|m| m as usize),
            citation: s("citation").unwrap_or_default(),
            certificate_digest: s("certificate_digest").unwrap_or_default(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_parse_back() {
        for fam in default_families() {
            assert_eq!(parse_key_name(&key_name(&fam)).unwrap(), fam, "{}", key_name(&fam));
        }
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
