//! The RLCT over the whole true set in the domain, `rlct exact --global`
//! (docs/theory.md §2.9).
//!
//! The global pair on the compact box W is the most singular local pair
//! over the true set W₀ = {K = 0} ∩ W (the smallest λ, the largest m at
//! it: a finite cover of W₀ by local neighbourhoods, positive integrands,
//! no cancellation). It is found exactly when every generator of the loss
//! is a constant times a product of coordinate factors `(w_i − a)^e` with
//! rational `a` ("coordinate-like strata": the true set is a union of
//! coordinate subspaces cut by the box). Then near any point p each
//! generator is a monomial in the coordinates with `p_i` a root times a
//! unit, so the local pair at p depends only on which root (if any) each
//! `p_i` equals, whether it is at an end of the box, and whether it is the
//! stated point's coordinate (where the prior, centred at the stated
//! point, has its factor; elsewhere that factor is a unit). One candidate
//! per such type covers every true point. Otherwise the answer is the
//! proven bound: at least as singular as the local pair at the stated point
//! (a true point), with the trivial lower bound.

use super::{ExactOptions, solve};
use crate::poly::{Poly, Rat};
use crate::univariate::{UPoly, rational_roots};
use crate::{ExactResult, Problem, Result, Status};
use num_traits::Zero;
use serde_json::json;

/// Most candidate points (types) examined before giving up on the exact
/// answer.
const MAX_CANDIDATES: usize = 4096;
/// Most true candidate points solved.
const MAX_SOLVED: usize = 256;

/// A generator as a constant times `Π (w_i − a)^e`: the roots per
/// coordinate (`(i, a)`), or `None` when it is not of that form.
fn coordinate_factors(g: &Poly) -> Option<Vec<(usize, Rat)>> {
    let n = g.nvars();
    let mut rest = g.clone();
    let mut roots = Vec::new();
    // Generic values for the other coordinates, to find candidate roots.
    let generic: Vec<Rat> =
        (0..n).map(|i| Rat::new((2 * i as i64 + 3).into(), (7 + 4 * i as i64).into())).collect();
    for i in 0..n {
        if rest.degree_in(i) == 0 {
            continue;
        }
        let mut at = generic.clone();
        let spec: Vec<Poly> =
            (0..n).map(|j| if j == i { Poly::var(n, i) } else { Poly::constant(n, at[j].clone()) }).collect();
        let u = UPoly::from_poly(&rest.compose(&spec), i)?;
        if u.is_zero() {
            return None;
        }
        for a in rational_roots(&u) {
            // Divide out every power of (w_i − a): translate w_i by a, take
            // the monomial content in w_i, translate back.
            at.iter_mut().for_each(|x| *x = Rat::zero());
            at[i] = a.clone();
            let moved = rest.translate(&at);
            let e = moved.monomial_content()[i];
            if e == 0 {
                continue;
            }
            let divided = Poly::from_terms(
                n,
                moved.terms().iter().map(|t| {
                    let mut exp = t.exp.clone();
                    exp[i] -= e;
                    (exp, t.coef.clone())
                }),
            );
            at[i] = -a.clone();
            rest = divided.translate(&at);
            roots.push((i, a));
        }
        if rest.degree_in(i) != 0 {
            return None;
        }
    }
    (rest.is_constant() && !rest.is_zero()).then_some(roots)
}

/// The global pair of `problem` over its box (see the module docs).
pub fn solve_global(problem: &Problem, opts: &ExactOptions) -> Result<ExactResult> {
    let local_opts = ExactOptions { global: false, ..opts.clone() };
    let local = solve(problem, &local_opts)?;
    let gens: Vec<Poly> = match super::model_coefficient_ideal(problem) {
        Some(ideal) => generators(&ideal),
        None => generators(problem),
    };
    let factored: Option<Vec<Vec<(usize, Rat)>>> = gens.iter().map(coordinate_factors).collect();
    let Some(factored) = factored else {
        return search(problem, &gens, local, &local_opts);
    };
    let d = problem.dim();
    // Values per coordinate: roots, box ends, the stated point, and one
    // generic value (a midpoint between two consecutive listed values).
    let mut values: Vec<Vec<Rat>> = Vec::with_capacity(d);
    for i in 0..d {
        let (lo, hi) = &problem.domain[i];
        let mut v: Vec<Rat> =
            factored.iter().flatten().filter(|(j, _)| *j == i).map(|(_, a)| a.clone()).collect();
        v.extend([lo.clone(), hi.clone(), problem.point[i].clone()]);
        v.retain(|a| lo <= a && a <= hi);
        v.sort();
        v.dedup();
        let mid = (&v[0] + &v[1]) / Rat::from_integer(2.into());
        v.push(mid);
        values.push(v);
    }
    let total = values.iter().try_fold(1usize, |acc, v| acc.checked_mul(v.len()));
    if total.is_none_or(|t| t > MAX_CANDIDATES) {
        return Ok(bound_from_the_point(problem, local, "too many candidate points"));
    }
    // Every generator must have a vanishing factor at a true point.
    let mut true_points = Vec::new();
    let mut index = vec![0usize; d];
    loop {
        let p: Vec<Rat> = (0..d).map(|i| values[i][index[i]].clone()).collect();
        if factored.iter().all(|f| f.iter().any(|(i, a)| &p[*i] == a)) {
            true_points.push(p);
        }
        let Some(k) = (0..d).find(|&k| index[k] + 1 < values[k].len()) else { break };
        index[k] += 1;
        index[..k].iter_mut().for_each(|x| *x = 0);
    }
    if true_points.len() > MAX_SOLVED {
        return Ok(bound_from_the_point(problem, local, "too many true candidate points"));
    }
    let h = problem.prior_exponents();
    let mut results = Vec::with_capacity(true_points.len());
    for p in &true_points {
        let mut q = Problem { point: p.clone(), model: None, ..problem.clone() };
        if let Some(ideal) = super::model_coefficient_ideal(problem) {
            q.loss = ideal.loss;
        }
        // The prior is centred at the stated point: a unit elsewhere.
        let hp: Vec<Rat> =
            (0..d).map(|i| if p[i] == problem.point[i] { h[i].clone() } else { Rat::zero() }).collect();
        q.set_prior_exponents(hp);
        results.push(solve(&q, &local_opts)?);
    }
    Ok(combine(problem, &true_points, results))
}

/// Most points the search outside the exact class solves.
const MAX_SEARCHED: usize = 24;

/// The generators on the affine plane `p + s e_i (+ r e_j)`: polynomials in
/// `s` (and `r`).
fn restrict(gens: &[Poly], p: &[Rat], i: usize, j: Option<usize>) -> Vec<Poly> {
    let n = if j.is_some() { 2 } else { 1 };
    let subs: Vec<Poly> = (0..p.len())
        .map(|k| {
            let c = Poly::constant(n, p[k].clone());
            if k == i {
                &c + &Poly::var(n, 0)
            } else if Some(k) == j {
                &c + &Poly::var(n, 1)
            } else {
                c
            }
        })
        .collect();
    gens.iter().map(|g| g.compose(&subs)).collect()
}

/// The values `p_i + s` at which the line through `p + s e_i` along `e_j`
/// lies in the true set (the rational common roots of every coefficient in
/// `r` of every generator on the plane), and those where a generator's
/// lowest-order coefficient in `r` vanishes.
fn special_values(gens: &[Poly], p: &[Rat], i: usize, j: usize) -> Vec<Rat> {
    let mut g = UPoly::zero();
    let mut special = Vec::new();
    for q in restrict(gens, p, i, Some(j)) {
        let mut by_r: std::collections::BTreeMap<u32, Vec<Rat>> = Default::default();
        for t in q.terms() {
            let c = by_r.entry(t.exp[1]).or_default();
            let e = t.exp[0] as usize;
            if c.len() <= e {
                c.resize(e + 1, Rat::zero());
            }
            c[e] = t.coef.clone();
        }
        // Where the lowest-order coefficient in r vanishes, the order of
        // the generator across the line jumps: a candidate too (the local
        // pair may change there without a new line in the true set).
        if let Some(low) = by_r.values().next() {
            special.extend(rational_roots(&UPoly::new(low.clone())));
        }
        for c in by_r.into_values() {
            g = g.gcd(&UPoly::new(c));
        }
    }
    if !g.is_zero() {
        special.extend(rational_roots(&g));
    }
    special.into_iter().map(|s| &p[i] + s).collect()
}

/// Outside the exact class: a search of the true set from the stated point
/// along coordinate lines that lie in it (to where a line in another
/// coordinate direction branches off, and to the box's ends), solving the
/// local pair at each point found. Every point found is a true point, so
/// the global pair is at least as singular as the most singular of them;
/// the search is not proven complete, so the answer is a bound, with the
/// trivial lower bound (halved for boundary points, docs/theory.md §2.6).
fn search(problem: &Problem, gens: &[Poly], local: ExactResult, opts: &ExactOptions) -> Result<ExactResult> {
    let d = problem.dim();
    let h = problem.prior_exponents();
    let mut points = vec![problem.point.clone()];
    let mut results = vec![local];
    let mut next = 0;
    while next < points.len() && points.len() < MAX_SEARCHED {
        let p = points[next].clone();
        next += 1;
        let free: Vec<usize> =
            (0..d).filter(|&i| restrict(gens, &p, i, None).iter().all(|g| g.is_zero())).collect();
        for &i in &free {
            let (lo, hi) = &problem.domain[i];
            let mut values = vec![lo.clone(), hi.clone()];
            for j in (0..d).filter(|j| !free.contains(j)) {
                values.extend(special_values(gens, &p, i, j));
            }
            values.retain(|v| lo <= v && v <= hi && v != &p[i]);
            values.sort();
            values.dedup();
            for v in values {
                let mut q = p.clone();
                q[i] = v;
                if points.contains(&q) || points.len() >= MAX_SEARCHED {
                    continue;
                }
                // The loss as given (K stays K; an ideal or a model's
                // coefficient ideal stays an ideal).
                let mut sub = Problem { point: q.clone(), model: None, ..problem.clone() };
                if let Some(ideal) = super::model_coefficient_ideal(problem) {
                    sub.loss = ideal.loss;
                }
                let hp: Vec<Rat> = (0..d)
                    .map(|k| if q[k] == problem.point[k] { h[k].clone() } else { Rat::zero() })
                    .collect();
                sub.set_prior_exponents(hp);
                // A point where the local run fails is skipped: the answer
                // only needs true points with proven pairs.
                if let Ok(r) = solve(&sub, opts) {
                    points.push(q);
                    results.push(r);
                }
            }
        }
    }
    let trivial = super::trivial_interval(problem, crate::limits::StopReason::Charts);
    let lower = (trivial.lower / Rat::from_integer(2.into())).min(results[0].lower.clone());
    let found = points.len();
    let mut r = combine(problem, &points, results);
    r.trace[0] = format!(
        "global: a generator is not a product of coordinate factors; {found} true points found by following \
         coordinate lines in the true set from the stated point; the global pair is at least as singular as \
         the most singular of them (the search is not proven complete: a bound, docs/theory.md §2.9)"
    );
    r.status = if r.status == Status::Interval { Status::Interval } else { Status::Bound };
    r.lower = lower;
    r.method = "global-search".into();
    r.certificate["global"]["complete"] = json!(false);
    r.certificate["global"]["reason"] = json!("a generator is not a product of coordinate factors");
    Ok(r)
}

/// The loss's generators in the original coordinates (K itself for a
/// polynomial).
fn generators(problem: &Problem) -> Vec<Poly> {
    match &problem.loss {
        crate::Loss::Polynomial(k) => vec![k.clone()],
        crate::Loss::Ideal(g) => g.iter().filter(|g| !g.is_zero()).cloned().collect(),
    }
}

/// Outside the exact class: the global pair is at least as singular as the
/// local pair at the stated point (a true point), and λ ≥ the trivial lower
/// bound, which holds at every point.
fn bound_from_the_point(problem: &Problem, local: ExactResult, why: &str) -> ExactResult {
    // λ(p) ≥ 1/ord of the unfolded K at every p: the stated point's trivial
    // bound, halved because a true point on the box's boundary is one-sided
    // in coordinates where the stated point may not be (degrees double,
    // docs/theory.md §2.6).
    let trivial = super::trivial_interval(problem, crate::limits::StopReason::Charts);
    let lower = (trivial.lower / Rat::from_integer(2.into())).min(local.lower.clone());
    let mut trace = vec![format!(
        "global: {why}, so the true set is not decomposed; the global pair is at least as singular as the \
         local pair at the stated point, λ ≥ {lower} at every point (docs/theory.md §2.9)"
    )];
    trace.extend(local.trace.iter().cloned());
    let status = if local.status == Status::Interval { Status::Interval } else { Status::Bound };
    ExactResult {
        lambda: local.lambda.clone(),
        multiplicity: local.multiplicity,
        status,
        lower,
        upper: local.upper.clone(),
        method: format!("global-bound+{}", local.method),
        variables: problem.variables.clone(),
        certificate: json!({
            "global": { "complete": false, "reason": why, "stated_point": point_json(problem, &problem.point) },
            "local": local.certificate,
        }),
        trace,
        stopped: local.stopped,
    }
}

fn point_json(problem: &Problem, p: &[Rat]) -> serde_json::Value {
    serde_json::Value::Object(
        problem.variables.iter().zip(p).map(|(n, v)| (n.clone(), json!(v.to_string()))).collect(),
    )
}

/// The most singular candidate pair; exact when the least exact λ is below
/// every other candidate's proven lower bound.
fn combine(problem: &Problem, points: &[Vec<Rat>], results: Vec<ExactResult>) -> ExactResult {
    if results.is_empty() {
        // Cannot happen: the stated point is a true point and a candidate.
        return super::trivial_interval(problem, crate::limits::StopReason::Charts);
    }
    let (lambda, status, lower, upper) = super::one_sided::most_singular(&results);
    let at: Vec<usize> = (0..results.len()).filter(|&k| results[k].lambda == lambda).collect();
    let multiplicity = at.iter().map(|&k| results[k].multiplicity).max().unwrap_or(1);
    let best = at.iter().copied().find(|&k| results[k].multiplicity == multiplicity).unwrap_or(0);
    let show = |p: &[Rat]| {
        problem.variables.iter().zip(p).map(|(n, v)| format!("{n} = {v}")).collect::<Vec<_>>().join(", ")
    };
    let mut trace = vec![format!(
        "global: every generator is a constant times a product of coordinate factors, so the true set is a \
         union of coordinate strata; {} candidate points, one per local type (root, box end, stated point or \
         generic value per coordinate); the global pair is the most singular local pair (docs/theory.md §2.9)",
        points.len()
    )];
    for (p, r) in points.iter().zip(&results) {
        trace.push(format!(
            "  at {}: λ = {}, m = {} ({:?}, {})",
            show(p),
            r.lambda,
            r.multiplicity,
            r.status,
            r.method
        ));
    }
    trace.push(format!("attained at {}", show(&points[best])));
    ExactResult {
        lambda,
        multiplicity,
        status,
        lower,
        upper,
        method: "global".into(),
        variables: problem.variables.clone(),
        certificate: json!({
            "global": {
                "complete": true,
                "attained_at": point_json(problem, &points[best]),
                "candidates": points.iter().zip(&results).map(|(p, r)| json!({
                    "point": point_json(problem, p),
                    "lambda": r.lambda.to_string(),
                    "multiplicity": r.multiplicity,
                    "status": r.status,
                })).collect::<Vec<_>>(),
            }
        }),
        trace,
        stopped: results.iter().find_map(|r| r.stopped),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::rat;

    #[test]
    fn products_of_coordinate_factors_are_recognised() {
        let (x, y) = (Poly::var(2, 0), Poly::var(2, 1));
        let one = Poly::constant(2, rat(1));
        // 3 x² (y − 1) (y + 1/2)³
        let half = Poly::constant(2, Rat::new(1.into(), 2.into()));
        let g = &(&(&x.pow(2) * &(&y - &one)) * &(&y + &half).pow(3)) * &Poly::constant(2, rat(3));
        let mut f = coordinate_factors(&g).expect("factored");
        f.sort();
        assert_eq!(f, vec![(0, rat(0)), (1, Rat::new((-1).into(), 2.into())), (1, rat(1))]);
        // x + y is not.
        assert!(coordinate_factors(&(&x + &y)).is_none());
        // x·(x + y) is not either.
        assert!(coordinate_factors(&(&x * &(&x + &y))).is_none());
    }
}
