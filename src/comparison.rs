//! Comparison bounds: where the engines end in a bound, sharpen it with the
//! exact pairs of smaller and larger problems (docs/theory.md §2.5).
//!
//! **Sub-ideals give lower bounds.** If `J ⊆ I` (every generator of `J` is
//! one of `I`'s), then `K_J = Σ_{g∈J} g² ≤ K_I`, so by the volume
//! comparison of §1.4 the pair of `J` is at least as singular as that of
//! `I`: `λ_J ≤ λ_I`, and `m_J ≥ m_I` when they are equal. The sub-ideals
//! tried are the single generators (a single polynomial is the easiest
//! case for both engines) and the smooth sub-ideal of the linear parts: if
//! the differentials of the generators at the point span a space of
//! dimension `r`, then `r` independent linear combinations `u_1, …, u_r`
//! of the generators lie in the ideal, `K_I ≥ c·Σ u_i²` near the point,
//! and `Σ u_i²` is a regular point of codimension `r`, pair `(r/2, 1)`
//! (§2.2) with a flat prior; a monomial prior only raises λ, so `λ ≥ r/2`
//! holds for any prior.
//!
//! **Super-ideals give upper bounds.** Adding the generator `w_j − w_j*`
//! (for a loss, adding `(w_j − w_j*)²`) gives `K' ≥ K`, so the pair of `I`
//! is at least as singular as the pair of `I + ⟨w_j − w_j*⟩`. Fixing one
//! coordinate at the point is often a case the engine resolves (a network
//! with one unit less, a naive Bayes model with one feature fixed).
//!
//! **A sandwich is exact.** The pairs are totally ordered (§1.4). If an
//! exact sub-ideal pair equals an exact super-ideal pair, the pair of `I`
//! lies between two equal pairs and equals them.
//!
//! The sub-runs share the chart budget (each gets an equal share, at least
//! `MIN_SUB_BUDGET` charts), run no comparison of their own (no
//! recursion), and stop at the user's deadline. The work is bounded by
//! charts, not by a wall-clock allowance, so the result does not depend on
//! the machine's speed or load unless the user's own time limit is
//! reached. A sub-run cut short still returns proven bounds, so every
//! sub-run's answer is a proven statement and so is the combination.

use crate::exact::ExactOptions;
use crate::poly::{Poly, Rat};
use crate::{Error, ExactResult, Loss, Problem, Result, Status};
use num_bigint::BigInt;
use serde_json::json;

/// At most this many single generators are tried as sub-ideals.
pub const MAX_SUB_IDEALS: usize = 8;
/// At most this many coordinates are fixed, one at a time, as super-ideals.
pub const MAX_SUPER_IDEALS: usize = 16;
/// The smallest chart budget a sub-run gets, whatever its share.
const MIN_SUB_BUDGET: usize = 30;

/// A pair proven about a compared problem: `exact` when the sub-run proved
/// the pair itself (then `m` is its multiplicity), otherwise only `lambda`
/// is a bound and `m` is 1 (the weakest statement).
#[derive(Clone, Debug)]
struct Proven {
    lambda: Rat,
    m: usize,
    exact: bool,
    what: String,
}

/// Sharpens a bound `r` for `problem` by comparison (module doc). Returns
/// `r` unchanged when it is exact, when the options skip comparison, when
/// the deadline has passed, or for a stated model (its coefficient ideal
/// was compared already).
pub fn improve(problem: &Problem, opts: &ExactOptions, r: ExactResult) -> Result<ExactResult> {
    if r.status == Status::Exact || opts.skip_comparison || problem.model.is_some() || opts.deadline.expired()
    {
        return Ok(r);
    }
    let c = compare(problem, opts, opts.deadline);
    let (best_lower, best_upper) = best(&c);
    let mut out = r.clone();
    let mut trace = vec![
        "comparison bounds (docs/theory.md §2.5): sub-ideals are at least as singular, \
                          super-ideals at most"
            .to_string(),
    ];
    let mut improved = false;
    if let Some(l) = best_lower
        && l.lambda > out.lower
    {
        trace.push(format!("  {} ⊆ I: λ ≥ {}", l.what, l.lambda));
        out.lower = l.lambda.clone();
        improved = true;
    }
    if let Some(u) = best_upper
        && (u.lambda < out.upper || (u.lambda == out.upper && u.m > out.multiplicity))
    {
        trace.push(format!("  I ⊆ I + ⟨{}⟩: (λ, m) at least as singular as ({}, {})", u.what, u.lambda, u.m));
        out.upper = u.lambda.clone();
        out.lambda = u.lambda.clone();
        out.multiplicity = u.m;
        improved = true;
    }
    if out.lower > out.upper {
        return Err(Error::Internal(format!(
            "comparison bounds contradict: proven λ ≥ {} and λ ≤ {}",
            out.lower, out.upper
        )));
    }
    if let Some(l) = sandwich(best_lower, best_upper) {
        let u = best_upper.expect("a sandwich has an upper side");
        trace.push(format!(
            "  sandwich: {} and {} have the same exact pair ({}, {}), so I has it too",
            l.what, u.what, l.lambda, l.m
        ));
        out.status = Status::Exact;
        out.lambda = l.lambda.clone();
        out.lower = l.lambda.clone();
        out.upper = l.lambda.clone();
        out.multiplicity = l.m;
        out.stopped = None;
        improved = true;
    }
    if !improved {
        return Ok(r);
    }
    out.method = format!("{}+comparison", r.method);
    out.certificate = json!({ "engines": r.certificate, "comparison": c.record });
    let first = match out.status {
        Status::Exact => format!("λ = {}, m = {} (exact, by comparison)", out.lambda, out.multiplicity),
        _ => format!("proven {} ≤ λ ≤ {} (after comparison)", out.lower, out.upper),
    };
    trace.insert(0, first);
    out.trace = trace.into_iter().chain(r.trace).collect();
    Ok(out)
}

/// What the comparison proved: candidate lower and upper pairs, and a
/// record of every sub-run for the certificate.
struct Compared {
    lowers: Vec<Proven>,
    uppers: Vec<Proven>,
    record: Vec<serde_json::Value>,
}

/// Runs the sub- and super-ideal problems of `problem` (module doc) until
/// `deadline`.
fn compare(problem: &Problem, opts: &ExactOptions, deadline: crate::limits::Deadline) -> Compared {
    let n = problem.variables.len();
    let singles: Vec<Poly> = match &problem.loss {
        Loss::Ideal(gens) if gens.len() >= 2 => {
            let mut g: Vec<Poly> = gens.iter().filter(|g| !g.is_zero()).cloned().collect();
            g.sort_by_key(|p| (p.len(), p.degree()));
            g.truncate(MAX_SUB_IDEALS);
            g
        }
        _ => Vec::new(),
    };
    let fixed: Vec<usize> = (0..n).take(MAX_SUPER_IDEALS).collect();
    let runs = (singles.len() + fixed.len()).max(1);
    let budget = opts.budget.unwrap_or(crate::resolve::DEFAULT_NODE_BUDGET);
    let sub_opts = ExactOptions {
        budget: Some((budget / runs).max(MIN_SUB_BUDGET)),
        skip_comparison: true,
        deadline,
        ..opts.clone()
    };
    let run = |loss: Loss| -> Option<ExactResult> {
        if deadline.expired() {
            return None;
        }
        let sub = Problem { loss, model: None, ..problem.clone() };
        crate::exact::solve(&sub, &sub_opts).ok()
    };
    let names = &problem.variables;
    let mut lowers: Vec<Proven> = Vec::new();
    let mut uppers: Vec<Proven> = Vec::new();
    let mut record = Vec::new();
    if let Some(rank) = linear_rank(problem) {
        let flat = problem.prior.iter().all(|&h| h == 0);
        lowers.push(Proven {
            lambda: Rat::new(BigInt::from(rank), BigInt::from(2)),
            m: 1,
            exact: flat,
            what: format!("the smooth sub-ideal of the {rank} independent linear parts"),
        });
        record.push(json!({ "kind": "linear-parts", "rank": rank, "lower": format!("{}", Rat::new(BigInt::from(rank), BigInt::from(2))) }));
    }
    for g in &singles {
        let Some(s) = run(Loss::Ideal(vec![g.clone()])) else { continue };
        let what = format!("the sub-ideal ⟨{}⟩", g.display(names));
        record.push(json!({ "kind": "sub-ideal", "generator": g.display(names).to_string(),
            "status": s.status, "lower": format!("{}", s.lower), "multiplicity": s.multiplicity }));
        lowers.push(Proven {
            lambda: s.lower.clone(),
            m: s.multiplicity,
            exact: s.status == Status::Exact,
            what,
        });
    }
    for &j in &fixed {
        let c = &problem.point[j];
        let coord = &Poly::var(n, j) - &Poly::constant(n, c.clone());
        let loss = match &problem.loss {
            Loss::Ideal(gens) => Loss::Ideal(gens.iter().cloned().chain([coord]).collect()),
            Loss::Polynomial(k) => Loss::Polynomial(k + &(&coord * &coord)),
        };
        let Some(s) = run(loss) else { continue };
        let what = format!("fixing {} = {c}", names[j]);
        record.push(json!({ "kind": "fixed-coordinate", "variable": names[j], "status": s.status,
            "upper": format!("{}", s.upper), "multiplicity": s.multiplicity }));
        let exact = s.status == Status::Exact;
        uppers.push(Proven {
            lambda: s.upper.clone(),
            m: if exact { s.multiplicity } else { 1 },
            exact,
            what,
        });
    }
    Compared { lowers, uppers, record }
}

/// The comparison bounds of `problem` on their own, whatever the engines
/// say: `(lower, upper, sandwich)` where `sandwich` is the pair both sides
/// proved when they meet. For tests of soundness (every exact pair must lie
/// between them); [`improve`] is what `solve` uses.
pub fn bounds(
    problem: &Problem,
    opts: &ExactOptions,
) -> (Option<Rat>, Option<(Rat, usize)>, Option<(Rat, usize)>) {
    let c = compare(problem, opts, opts.deadline);
    let (l, u) = best(&c);
    let sandwich = sandwich(l, u).map(|p| (p.lambda.clone(), p.m));
    (l.map(|p| p.lambda.clone()), u.map(|p| (p.lambda.clone(), p.m)), sandwich)
}

/// The best lower bound (the largest λ; ties: the smallest m, the stronger
/// statement) and the best upper (the smallest λ; ties: the largest m).
fn best(c: &Compared) -> (Option<&Proven>, Option<&Proven>) {
    (
        c.lowers.iter().max_by(|a, b| a.lambda.cmp(&b.lambda).then(b.m.cmp(&a.m))),
        c.uppers.iter().min_by(|a, b| a.lambda.cmp(&b.lambda).then(b.m.cmp(&a.m))),
    )
}

/// Two exact pairs that meet pin the pair between them.
fn sandwich<'a>(l: Option<&'a Proven>, u: Option<&'a Proven>) -> Option<&'a Proven> {
    let (l, u) = (l?, u?);
    (l.exact && u.exact && l.lambda == u.lambda && l.m == u.m).then_some(l)
}

/// The rank of the linear parts of an ideal's generators at the point
/// (`None` for a loss, or when the rank is 0).
fn linear_rank(problem: &Problem) -> Option<usize> {
    let Loss::Ideal(_) = &problem.loss else { return None };
    let (gens, _) = problem.local_generators();
    let vars: Vec<usize> = (0..problem.variables.len()).collect();
    let r = crate::resolve::local::linear_rank(&gens, &vars);
    (r > 0).then_some(r)
}
