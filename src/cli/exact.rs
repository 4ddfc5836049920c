//! Rendering of `rlct exact` results: text (with `--trace`) and JSON.

use crate::exact::Nonnegativity;
use crate::{ExactResult, Status};

/// The text form: the pair, status, method, bounds, and with `trace` the
/// certificate lines (polyhedron, hit point, facets, faces). With
/// `nonnegative` unproven (docs/theory.md §2.7) nothing is called proven:
/// the line says the pair is that of K as given and K ≥ 0 was not proven.
pub fn render_text(res: &ExactResult, trace: bool, nonnegative: Nonnegativity) -> String {
    let proven = nonnegative == Nonnegativity::Proven;
    let mut s = match res.status {
        Status::Exact => format!("λ = {}, m = {} (exact, {})\n", res.lambda, res.multiplicity, res.method),
        Status::Bound => format!(
            "λ ≤ {} (bound: the pair is at least as singular as ({}, {}), {}); {} {} ≤ λ ≤ {}\n",
            res.upper,
            res.lambda,
            res.multiplicity,
            res.method,
            if proven { "proven" } else { "for K as given" },
            res.lower,
            res.upper
        ),
        Status::Interval => format!("{} ≤ λ ≤ {} (interval, {})\n", res.lower, res.upper, res.method),
    };
    // `--global`: where the global pair is attained (docs/theory.md §2.9).
    if let Some(at) = res.certificate["global"]["attained_at"].as_object() {
        let at: Vec<String> = res
            .variables
            .iter()
            .filter_map(|k| at.get(k).and_then(|v| v.as_str()).map(|v| format!("{k} = {v}")))
            .collect();
        s.push_str(&format!("attained at {}\n", at.join(", ")));
    }
    if !proven {
        s.push_str(
            "non-negativity not proven: the answer is that of K as given, a learning coefficient only if \
             K ≥ 0 near the point\n",
        );
    }
    if let Some(why) = res.stopped {
        s.push_str(&format!(
            "stopped: {} was reached; the bounds above are {}\n",
            why.phrase(),
            if proven { "proven" } else { "those of K as given" }
        ));
    }
    if trace {
        for l in &res.trace {
            s.push_str(l);
            s.push('\n');
        }
    }
    s
}

/// The JSON form: the result with its non-negativity label
/// (`"nonnegative": "proven" | "unproven"`, docs/theory.md §2.7).
pub fn to_json(res: &ExactResult, nonnegative: Nonnegativity) -> serde_json::Value {
    crate::drivers::labelled_json(res, nonnegative)
}
