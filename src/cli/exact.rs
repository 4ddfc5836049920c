//! Rendering of `rlct exact` results: text (with `--trace`) and JSON.

use crate::{ExactResult, Status};

/// The text form: the pair, status, method, bounds, and with `trace` the
/// certificate lines (polyhedron, hit point, facets, faces).
pub fn render_text(res: &ExactResult, trace: bool) -> String {
    let mut s = match res.status {
        Status::Exact => format!("λ = {}, m = {} (exact, {})\n", res.lambda, res.multiplicity, res.method),
        Status::Bound => format!(
            "λ ≤ {} (bound: the pair is at least as singular as ({}, {}), {}); proven {} ≤ λ ≤ {}\n",
            res.upper, res.lambda, res.multiplicity, res.method, res.lower, res.upper
        ),
        Status::Interval => format!("{} ≤ λ ≤ {} (interval, {})\n", res.lower, res.upper, res.method),
    };
    if let Some(why) = res.stopped {
        s.push_str(&format!("stopped: {} was reached; the bounds above are proven\n", why.phrase()));
    }
    if trace {
        for l in &res.trace {
            s.push_str(l);
            s.push('\n');
        }
    }
    s
}
