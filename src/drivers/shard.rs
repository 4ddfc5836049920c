//! Scale-out on existing job engines: `--shard i/n` and `--shard auto`
//! (the task index and count from a Slurm job array or a HyperQueue task
//! array), and `rlct merge`, which joins the shards' outputs into one table
//! in member order.
//!
//! Every sharded command runs members `k` with `k mod n = i`, in increasing
//! `k`, and seeds member `k` from (seed, k): a shard's rows equal the same
//! rows of the unsharded run, so shard `i`'s `j`-th row is member
//! `j·n + i` and merging is an interleave.

use crate::{Error, Result};

/// Reads `i/n` with `0 ≤ i < n`.
pub fn parse(text: &str) -> Result<(usize, usize)> {
    let bad = || Error::Usage(format!("cannot read `{text}` as a shard i/n with 0 ≤ i < n, auto or auto/n"));
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

/// The shard of `--shard SPEC` (`None`: the whole run, `(0, 1)`), with
/// `auto` read from the process environment ([`from_env`]).
pub fn resolve(spec: Option<&str>) -> Result<(usize, usize)> {
    match spec {
        None => Ok((0, 1)),
        Some(s) => from_env(s, &|k| std::env::var(k).ok()),
    }
}

/// `i/n` as given, or `auto` / `auto/n` from the environment `var`:
/// - Slurm job array: index `SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN`
///   (minimum 0 when unset), count `SLURM_ARRAY_TASK_COUNT` (or the `n` of
///   `auto/n`, which must then agree);
/// - HyperQueue task array (`hq submit --array 0-{n-1}`): index
///   `HQ_TASK_ID`, count the `n` of `auto/n` (HyperQueue does not export
///   the array's size).
pub fn from_env(spec: &str, var: &dyn Fn(&str) -> Option<String>) -> Result<(usize, usize)> {
    let spec = spec.trim();
    let Some(rest) = spec.strip_prefix("auto") else {
        return parse(spec);
    };
    let given: Option<usize> = match rest.strip_prefix('/') {
        None if rest.is_empty() => None,
        Some(n) => Some(n.trim().parse().ok().filter(|&n| n > 0).ok_or_else(|| {
            Error::Usage(format!("cannot read `{spec}`: expected auto or auto/n with n ≥ 1"))
        })?),
        None => return parse(spec),
    };
    let num = |name: &str| -> Result<Option<usize>> {
        var(name)
            .map(|v| {
                v.trim().parse::<usize>().map_err(|_| Error::Usage(format!("{name}={v} is not a task index")))
            })
            .transpose()
    };
    let (index, count, source) = if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
        let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        let index = id.checked_sub(min).ok_or_else(|| {
            Error::Usage(format!("SLURM_ARRAY_TASK_ID={id} is below SLURM_ARRAY_TASK_MIN={min}"))
        })?;
        let count = match (num("SLURM_ARRAY_TASK_COUNT")?, given) {
            (Some(c), Some(n)) if c != n => {
                return Err(Error::Usage(format!(
                    "--shard {spec} disagrees with SLURM_ARRAY_TASK_COUNT={c}"
                )));
            }
            (Some(c), _) => c,
            (None, Some(n)) => n,
            (None, None) => {
                return Err(Error::Usage(
                    "--shard auto: SLURM_ARRAY_TASK_COUNT is not set; give the count as --shard auto/n"
                        .into(),
                ));
            }
        };
        (index, count, "SLURM_ARRAY_TASK_ID")
    } else if let Some(id) = num("HQ_TASK_ID")? {
        let n = given.ok_or_else(|| {
            Error::Usage("--shard auto under HyperQueue needs the task count: --shard auto/n".into())
        })?;
        (id, n, "HQ_TASK_ID")
    } else {
        return Err(Error::Usage(
            "--shard auto: neither SLURM_ARRAY_TASK_ID nor HQ_TASK_ID is set (run inside a Slurm job array or a \
             HyperQueue task array, or give --shard i/n)"
                .into(),
        ));
    };
    if count == 0 || index >= count {
        return Err(Error::Usage(format!(
            "--shard auto: {source} gives task {index} of {count}, outside 0..{count}"
        )));
    }
    Ok((index, count))
}

/// Joins shard outputs (given in shard order 0, 1, …, n−1: `(name, text)`)
/// into the unsharded output: one header when the shards have one (CSV and
/// table formats: a first line that is not a JSON object, equal in every
/// shard), then the rows in member order. JSON Lines rows with a
/// `parameters` field (`rlct sweep`) are ordered by their parameters, the
/// sweep's member order, whatever order the shard printed them in.
pub fn merge(shards: &[(String, String)]) -> Result<String> {
    if shards.is_empty() {
        return Err(Error::Usage("rlct merge needs at least one shard output".into()));
    }
    let mut header: Option<&str> = None;
    let mut rows: Vec<Vec<&str>> = vec![];
    for (k, (name, text)) in shards.iter().enumerate() {
        let mut lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let has_header = lines.first().is_some_and(|l| !l.trim_start().starts_with('{'));
        let h = if has_header { Some(lines.remove(0)) } else { None };
        if k > 0 && h != header {
            return Err(Error::Usage(format!(
                "{name}: its header differs from {}'s: merge outputs of one command and format",
                shards[0].0
            )));
        }
        header = h;
        rows.push(lines);
    }
    // Shard i holds ⌈(N − i)/n⌉ rows: counts are non-increasing and differ
    // by at most one, or a shard is incomplete (a failed or running task).
    let first = rows[0].len();
    for (k, r) in rows.iter().enumerate() {
        let ok = r.len() == first || r.len() + 1 == first;
        let ordered = k == 0 || r.len() <= rows[k - 1].len();
        if !(ok && ordered) {
            return Err(Error::Usage(format!(
                "{}: {} rows, but shard 0 ({}) has {first}: a shard is incomplete or the files are not in shard \
                 order 0..{}",
                shards[k].0,
                r.len(),
                shards[0].0,
                shards.len() - 1
            )));
        }
    }
    let mut merged: Vec<&str> = vec![];
    for j in 0..first {
        for r in &rows {
            if let Some(line) = r.get(j) {
                merged.push(line);
            }
        }
    }
    if header.is_none() {
        let keyed: Option<Vec<(Vec<serde_json::Value>, &str)>> = merged
            .iter()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).ok()?;
                let p = v.get("parameters")?.as_array()?.clone();
                Some((p, *l))
            })
            .collect();
        if let Some(mut keyed) = keyed {
            // Parameters are [name, value] pairs in range order; members are
            // lexicographic in the values.
            let key = |p: &[serde_json::Value]| -> Vec<i64> {
                p.iter().filter_map(|x| x.get(1).and_then(|v| v.as_i64())).collect()
            };
            keyed.sort_by_key(|(p, _)| key(p));
            merged = keyed.into_iter().map(|(_, l)| l).collect();
        }
    }
    let mut out = String::new();
    for l in header.into_iter().chain(merged) {
        out.push_str(l);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn auto_from_slurm_and_hyperqueue() {
        let slurm =
            [("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "8")];
        assert_eq!(from_env("auto", &env(&slurm)).unwrap(), (4, 8));
        assert_eq!(from_env("auto/8", &env(&slurm)).unwrap(), (4, 8));
        assert!(from_env("auto/4", &env(&slurm)).is_err());
        assert_eq!(from_env("auto/3", &env(&[("HQ_TASK_ID", "2")])).unwrap(), (2, 3));
        assert!(from_env("auto", &env(&[("HQ_TASK_ID", "2")])).is_err());
        assert!(from_env("auto/2", &env(&[("HQ_TASK_ID", "2")])).is_err());
        assert!(from_env("auto", &env(&[])).is_err());
        assert_eq!(from_env("1/3", &env(&[])).unwrap(), (1, 3));
        assert!(from_env("3/3", &env(&[])).is_err());
    }

    #[test]
    fn merge_interleaves_every_shard_count() {
        // Members 0..N as CSV rows, sharded k mod n, merged back.
        for total in 0..12usize {
            for n in 1..5usize {
                let shards: Vec<(String, String)> = (0..n)
                    .map(|i| {
                        let body: String =
                            (0..total).filter(|k| k % n == i).map(|k| format!("{k},row\n")).collect();
                        (format!("s{i}"), format!("k,what\n{body}"))
                    })
                    .collect();
                let want: String = std::iter::once("k,what\n".to_string())
                    .chain((0..total).map(|k| format!("{k},row\n")))
                    .collect();
                assert_eq!(merge(&shards).unwrap(), want, "N={total} n={n}");
            }
        }
    }

    #[test]
    fn merge_refuses_missing_rows_and_mixed_headers() {
        let a = ("a".to_string(), "h\n0\n2\n".to_string());
        let b = ("b".to_string(), "h\n".to_string());
        assert!(merge(&[a.clone(), b]).is_err());
        let c = ("c".to_string(), "other\n1\n".to_string());
        assert!(merge(&[a, c]).is_err());
    }

    #[test]
    fn merge_orders_sweep_rows_by_parameters() {
        let row = |a: i64, b: i64, m: bool| {
            format!("{{\"parameters\":[[\"a\",{a}],[\"b\",{b}]],\"matches\":{m}}}\n")
        };
        // Shard 0 printed its mismatch first (`--expect`).
        let s0 = ("s0".to_string(), format!("{}{}", row(2, 1, false), row(1, 1, true)));
        let s1 = ("s1".to_string(), row(1, 2, true));
        let got = merge(&[s0, s1]).unwrap();
        assert_eq!(got, format!("{}{}{}", row(1, 1, true), row(1, 2, true), row(2, 1, false)));
    }
}
