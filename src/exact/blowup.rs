//! The blow-up engine ([`crate::resolve`]) on a [`Problem`]: its options
//! from [`ExactOptions`], its outcome as an [`ExactResult`] with the
//! certificate tree and the global bounds every problem has.

use super::ExactOptions;
use crate::poly::Rat;
use crate::resolve::expansion::min_opt;
use crate::resolve::{DEFAULT_NODE_BUDGET, DEFAULT_TORIC, Outcome, ResolveOptions, poly_sqrt, resolve};
use crate::{ExactResult, Problem, Result, Status};
use num_bigint::BigInt;
use num_traits::One;

/// The blow-up engine alone on a [`Problem`]: resolves at the problem's
/// point and reports `exact` only when every branch is certified.
pub fn blowup(problem: &Problem, opts: &ExactOptions) -> Result<ExactResult> {
    if let Some(r) = super::one_sided::solve_unfolded(problem, |p| blowup(p, opts))? {
        return Ok(r);
    }
    let (gens, ideal) = problem.local_generators();
    let (problem_gens, problem_ideal) = (gens.clone(), ideal);
    let (gens, ideal, how) = match (ideal, poly_sqrt(&gens[0])) {
        (false, Some(s)) => (vec![s], true, "K is the square of a polynomial: the ideal <√K>"),
        _ => (gens, ideal, if ideal { "the ideal of the generators" } else { "the polynomial K" }),
    };
    let ropts = ResolveOptions {
        max_nodes: opts.budget.unwrap_or(DEFAULT_NODE_BUDGET),
        toric: opts.toric.unwrap_or(DEFAULT_TORIC),
        deadline: opts.deadline,
        record: true,
        theorems: !opts.skip_theorems,
        ..Default::default()
    };
    let sqrt_taken = problem_ideal != ideal;
    let res = resolve(&gens, ideal, &problem.prior, &problem.variables, &ropts);
    let mut trace = vec![format!("resolution of {how} at the point")];
    res.tree.lines(0, &mut trace);
    trace.push(format!("{} charts explored, {} memo hits", res.nodes, res.memo_hits));
    if let Some(why) = res.stopped {
        trace.push(format!(
            "stopped: {} cut branches short; their proven bounds enter the result",
            why.phrase()
        ));
    }
    let k0 = problem.local_k();
    let d = problem.dim() as u32;
    let hsum: u32 = problem.prior.iter().sum();
    // Global bounds: λ ≥ 1/ord₀ K (lct_ℂ ≥ 1/mult, real ≥ complex) and
    // λ ≤ (d + |h|)/2 (K = O(|w|²) at a zero of K ≥ 0).
    let ord_lower = k0.order().filter(|&o| o > 0).map(|o| Rat::new(BigInt::one(), BigInt::from(o)));
    let regular_upper = Rat::new(BigInt::from(d + hsum), BigInt::from(2));
    let (lambda, m, status, lower, upper, attained) = match &res.outcome {
        Outcome::Exact { pair: Some(p), leaves } => {
            (p.lambda.clone(), p.m, Status::Exact, p.lambda.clone(), p.lambda.clone(), leaves.clone())
        }
        Outcome::Exact { pair: None, .. } => {
            return Err(crate::Error::Unsupported("K does not vanish at the point: there is no pole".into()));
        }
        Outcome::Bound { lower, upper } => {
            let mut lo = match ord_lower {
                Some(o) => o.max(lower.clone()),
                None => lower.clone(),
            };
            // docs/theory.md §5.1: a monomial initial degeneration.
            let d = problem.dim();
            let root = crate::resolve::chart::ChartNode {
                names: problem.variables.clone(),
                gens: gens.clone(),
                ideal,
                beta: vec![0; d],
                h: vec![0; d],
                region: vec![crate::resolve::region::Range::Local; d],
            };
            if !opts.deadline.expired()
                && let Some((b, why)) = crate::resolve::initial::lower_bound(&root)
                && b > lo
            {
                lo = b;
                trace.push(why);
            }
            let up = min_opt(upper.clone(), Some(regular_upper)).expect("upper bound");
            (up.clone(), 1, Status::Bound, lo, up, vec![])
        }
    };
    use crate::resolve::certificate::{FORMAT, poly_json};
    let certificate = serde_json::json!({
        "format": FORMAT,
        "claim": {"status": status, "lambda": lambda.to_string(), "m": m},
        "loss": {"vars": problem.variables, "ideal": problem_ideal, "gens": problem_gens.iter().map(poly_json).collect::<Vec<_>>(),
                 "prior": problem.prior, "sqrt": sqrt_taken},
        "engine": "blowup",
        "input": how,
        "charts_explored": res.nodes,
        "memo_hits": res.memo_hits,
        "stopped": res.stopped,
        "attained_by_leaves": attained,
        "tree": res.tree.to_json(),
    });
    Ok(ExactResult {
        lambda,
        multiplicity: m,
        status,
        lower,
        upper,
        method: "blowup".into(),
        variables: problem.variables.clone(),
        certificate,
        trace,
        stopped: if status == Status::Bound { res.stopped } else { None },
    })
}

/// Seconds the second proof of [`attach_resolution_certificate`] may take.
const SECOND_PROOF_SECS: f64 = 1.0;

/// Charts the second proof may explore.
const SECOND_PROOF_CHARTS: usize = 500;

/// For an exact result of another engine (Newton polyhedron, monomial,
/// regular point, matrix-chain theorem), whose certificate `rlct check`
/// cannot replay: a second, independent proof by the blow-up engine within
/// a small budget, attached as `certificate.resolution` only when it
/// reaches the same exact pair (docs/certificate.md). Nothing changes
/// otherwise.
pub fn attach_resolution_certificate(problem: &Problem, opts: &ExactOptions, r: &mut ExactResult) {
    fn has_format(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Object(o) => {
                o.get("format").and_then(|f| f.as_str()) == Some(crate::resolve::certificate::FORMAT)
                    || o.values().any(has_format)
            }
            _ => false,
        }
    }
    if r.status != Status::Exact || (has_format(&r.certificate) && r.method == "blowup") {
        return;
    }
    let o = ExactOptions {
        budget: Some(SECOND_PROOF_CHARTS),
        deadline: crate::limits::Deadline::after_secs(SECOND_PROOF_SECS),
        ..opts.clone()
    };
    let Ok(b) = blowup(problem, &o) else { return };
    if b.status == Status::Exact && b.lambda == r.lambda && b.multiplicity == r.multiplicity {
        if !r.certificate.is_object() {
            r.certificate = serde_json::json!({ "engine": r.certificate.take() });
        }
        r.certificate["resolution"] = b.certificate;
    }
}
