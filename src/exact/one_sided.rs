//! One-sided parameter spaces (docs/theory.md §2.6): a point on the
//! boundary of an orthant, a box or a simplex face, unfolded into a full
//! neighbourhood before any engine runs.
//!
//! Near the point, a coordinate with `w_i ≥ w*_i` (or `≤`) is substituted
//! by `w_i = w*_i ± u_i²`. The map `u ↦ w` covers the one-sided
//! neighbourhood `2^s`-to-one (s one-sided coordinates) with Jacobian
//! `Π 2|u_i|`, so the one-sided zeta function is `2^{-s}` times the zeta
//! function of `K(w* ± u²)` on a full neighbourhood of `u = 0` with the
//! prior exponents `h_i' = 2h_i + 1`: the same poles with the same
//! orders, hence the same (λ, m). No engine needs to know about the
//! boundary; every theorem they use applies to the unfolded problem as it
//! stands.

use crate::poly::{Poly, Rat};
use crate::{Error, ExactResult, Loss, Problem, Result, Side, Status};
use num_traits::{One, Signed, Zero};
use serde_json::json;

/// The unfolded problem and what was substituted.
pub(crate) struct Unfolded {
    /// The full-neighbourhood problem at the origin in `u`.
    pub problem: Problem,
    /// The original variable names (restored in the result).
    names: Vec<String>,
    /// One line per unfolded coordinate: `x = 1/2 + u_x²`, `y = u_y³`.
    substitutions: Vec<String>,
    /// The original prior exponents (rationals, as text) and the unfolded
    /// (integer) ones.
    prior: (Vec<String>, Vec<u32>),
    /// The sides, as written in the certificate.
    sides: Vec<&'static str>,
    /// The statement of the stated model's equivalence, when the model was
    /// replaced by its coefficient ideal first.
    model_note: Option<String>,
    /// How many generators were replaced by their monomials.
    split: usize,
}

/// Most coordinates with a non-integer prior exponent of even denominator
/// on both sides of the point (each doubles the number of charts).
const MAX_SPLIT: usize = 6;

/// `h + 1 = p/q` in lowest terms (`p, q ≥ 1`), for `h > −1`.
fn exponent_fraction(h: &Rat) -> Result<(u32, u32)> {
    let e = h + Rat::one();
    let bad = || {
        Error::Unsupported(format!(
            "a prior exponent {h} out of range (need −1 < h, numerator and denominator of h + 1 below 2^16)"
        ))
    };
    if !e.is_positive() {
        return Err(bad());
    }
    let p: u32 = e.numer().try_into().map_err(|_| bad())?;
    let q: u32 = e.denom().try_into().map_err(|_| bad())?;
    if p >= 1 << 16 || q >= 1 << 16 {
        return Err(bad());
    }
    Ok((p, q))
}

/// How a coordinate is unfolded: `w − w* = ±u^r` with the integer prior
/// exponent `h'` of `u` (docs/theory.md §2.6, §2.8), for `h + 1 = p/q` on a
/// given side. `None` for a coordinate left as it is (both sides, integer
/// `h`).
fn stretch(side: Side, (p, q): (u32, u32)) -> Option<(u32, u32)> {
    match side {
        // |w|^h dw = 2q |u|^{2p−1} du for w − w* = ±u^{2q}.
        Side::Above | Side::Below => Some((2 * q, 2 * p - 1)),
        Side::Both if q == 1 => None,
        // Odd q: w − w* = u^q is a bijection, |w|^h dw = q |u|^{p−1} du.
        Side::Both => Some((q, p - 1)),
    }
}

/// The largest factor by which [`unfold`] multiplies a degree (for the
/// trivial lower bound 1/deg, `super::trivial_interval`).
pub(crate) fn degree_factor(problem: &Problem) -> u64 {
    let h = problem.prior_exponents();
    problem
        .sides()
        .iter()
        .zip(&h)
        .map(|(&s, h)| match exponent_fraction(h) {
            Ok((_, q)) if s == Side::Both && q % 2 == 0 => 2 * q as u64,
            Ok(pq) => stretch(s, pq).map_or(1, |(r, _)| r as u64),
            Err(_) => 1,
        })
        .max()
        .unwrap_or(1)
}

/// Solves a problem with a one-sided coordinate or a non-integer prior
/// exponent on its unfolded charts with `engine` and combines them (the
/// pair of a union of charts: the smallest λ, the largest m at it).
/// `None` when there is nothing to unfold.
pub(crate) fn solve_unfolded(
    problem: &Problem,
    mut engine: impl FnMut(&Problem) -> Result<ExactResult>,
) -> Result<Option<ExactResult>> {
    let Some(charts) = unfold(problem)? else { return Ok(None) };
    if charts.len() == 1 {
        let u = &charts[0];
        return Ok(Some(u.annotate(engine(&u.problem)?)));
    }
    let mut results = Vec::with_capacity(charts.len());
    for u in &charts {
        results.push(u.annotate(engine(&u.problem)?));
    }
    Ok(Some(combine(problem, results)))
}

/// The most singular of several proven results about the pieces of one
/// neighbourhood (a union: λ is the least λ): `(λ, status, lower, upper)`.
/// Exact when the least exact λ lies below every other piece's proven lower
/// bound; otherwise a bound from the least upper and the least lower ends.
pub(super) fn most_singular(results: &[ExactResult]) -> (Rat, Status, Rat, Rat) {
    let exact_min = results.iter().filter(|r| r.status == Status::Exact).map(|r| r.lambda.clone()).min();
    let decided = exact_min
        .as_ref()
        .is_some_and(|l| results.iter().filter(|r| r.status != Status::Exact).all(|r| &r.lower > l));
    let lower = results.iter().map(|r| r.lower.clone()).min().expect("at least one result");
    let upper = results.iter().map(|r| r.upper.clone()).min().expect("at least one result");
    if decided {
        let l = exact_min.expect("exact");
        return (l.clone(), Status::Exact, l.clone(), l);
    }
    let status =
        if results.iter().any(|r| r.status == Status::Interval) { Status::Interval } else { Status::Bound };
    (upper.clone(), status, lower, upper)
}

/// The charts' results as one: the zeta function is the sum of the charts'
/// (docs/theory.md §2.8), so λ is the least chart λ and m the largest
/// multiplicity at it. Exact when the least exact λ lies below every other
/// chart's proven lower bound; otherwise a bound from the least upper
/// values and the least lower bound.
fn combine(problem: &Problem, results: Vec<ExactResult>) -> ExactResult {
    let (lambda, status, lower, upper) = most_singular(&results);
    let multiplicity = results
        .iter()
        .filter(|r| r.lambda == lambda && (r.status != Status::Interval))
        .map(|r| r.multiplicity)
        .max()
        .unwrap_or(1);
    let mut trace = vec![format!(
        "{} charts (a coordinate with a non-integer prior exponent of even denominator on both sides \
         of the point is unfolded on each side): the pair is the most singular chart pair \
         (docs/theory.md §2.8)",
        results.len()
    )];
    for (i, r) in results.iter().enumerate() {
        trace.push(format!(
            "chart {}: {} λ = {}, m = {} ({}; {} ≤ λ ≤ {})",
            i + 1,
            match r.status {
                Status::Exact => "exact",
                Status::Bound => "bound",
                Status::Interval => "interval",
            },
            r.lambda,
            r.multiplicity,
            r.method,
            r.lower,
            r.upper
        ));
        trace.extend(r.trace.iter().map(|l| format!("  {l}")));
    }
    ExactResult {
        lambda,
        multiplicity,
        status,
        lower,
        upper,
        method: "charts".into(),
        variables: problem.variables.clone(),
        certificate: json!({ "charts": results.iter().map(|r| r.certificate.clone()).collect::<Vec<_>>() }),
        trace,
        stopped: results.iter().find_map(|r| r.stopped),
    }
}

/// `Some` when some coordinate is one-sided at the point or has a
/// non-integer prior exponent: the problems in the unfolded coordinates
/// `u` (point 0, box `[-1, 1]`, no model: a stated model is replaced by
/// its coefficient ideal first, docs/theory.md §2.1), one per choice of
/// side of each coordinate that needs two charts.
pub(crate) fn unfold(problem: &Problem) -> Result<Option<Vec<Unfolded>>> {
    let sides = problem.sides();
    let h = problem.prior_exponents();
    let fractions = h.iter().map(exponent_fraction).collect::<Result<Vec<_>>>()?;
    if problem.real_prior.is_none()
        && sides.iter().all(|s| *s == Side::Both)
        && fractions.iter().all(|&(_, q)| q == 1)
    {
        return Ok(None);
    }
    let (base, model_note) = match super::model_coefficient_ideal(problem) {
        Some(ideal) => (ideal, Some(super::REGRESSION_NOTE.to_string())),
        None => (problem.clone(), None),
    };
    let (gens, is_ideal) = base.local_generators();
    // Both sides with an even denominator: one chart per side.
    let split: Vec<usize> =
        (0..problem.dim()).filter(|&i| sides[i] == Side::Both && fractions[i].1 % 2 == 0).collect();
    if split.len() > MAX_SPLIT {
        return Err(Error::Unsupported(format!(
            "{} coordinates with a prior exponent of even denominator on both sides of the point (at most \
             {MAX_SPLIT}: each doubles the charts)",
            split.len()
        )));
    }
    let mut out = Vec::with_capacity(1 << split.len());
    for mask in 0..1usize << split.len() {
        let mut chart_sides = sides.clone();
        for (b, &i) in split.iter().enumerate() {
            chart_sides[i] = if mask >> b & 1 == 0 { Side::Above } else { Side::Below };
        }
        out.push(unfold_chart(problem, &gens, is_ideal, &chart_sides, &fractions, &h, model_note.clone())?);
    }
    Ok(Some(out))
}

/// One chart of [`unfold`]: every coordinate on the side `sides` gives it.
fn unfold_chart(
    problem: &Problem,
    gens: &[Poly],
    is_ideal: bool,
    sides: &[Side],
    fractions: &[(u32, u32)],
    h: &[Rat],
    model_note: Option<String>,
) -> Result<Unfolded> {
    let d = problem.dim();
    let maps: Vec<Option<(u32, u32)>> = (0..d).map(|i| stretch(sides[i], fractions[i])).collect();
    let powers: Vec<(u32, bool)> =
        maps.iter().zip(sides).map(|(m, s)| (m.map_or(1, |(r, _)| r), *s == Side::Below)).collect();
    let gens = gens.iter().map(|g| power_substitute(g, &powers)).collect::<Result<Vec<_>>>()?;
    let mut names = Vec::with_capacity(d);
    let mut prior = Vec::with_capacity(d);
    let mut substitutions = Vec::new();
    for i in 0..d {
        let Some((r, h_new)) = maps[i] else {
            // Left as it is: h + 1 = p/1, the integer h = p − 1 (read from
            // the rationals: `problem.prior` is all zero when some exponent
            // is not an integer).
            names.push(problem.variables[i].clone());
            prior.push(fractions[i].0 - 1);
            continue;
        };
        let name = fresh_name(&problem.variables, &names, &problem.variables[i]);
        let sign = if sides[i] == Side::Below { "−" } else { "+" };
        let power = match r {
            1 => String::new(),
            2 => "²".to_string(),
            3 => "³".to_string(),
            r => format!("^{r}"),
        };
        let at = &problem.point[i];
        substitutions.push(if at.is_zero() {
            format!("{} = {sign}{name}{power}", problem.variables[i]).replace("= +", "= ")
        } else {
            format!("{} = {at} {sign} {name}{power}", problem.variables[i])
        });
        names.push(name);
        prior.push(h_new);
    }
    // A generator whose terms are all non-negative on the domain with
    // coefficients of one sign (even exponents in u) is comparable to the
    // sum of its monomials' squares: replaced by them, a monomial ideal
    // the Newton engine decides at once (docs/theory.md §2.6).
    let mut split = 0;
    let gens = if is_ideal {
        let mut out = Vec::with_capacity(gens.len());
        for g in gens {
            if g.len() > 1 && one_signed_even(&g) {
                split += 1;
                out.extend(g.terms().iter().map(|t| Poly::monomial(d, t.exp.clone(), Rat::one())));
            } else {
                out.push(g);
            }
        }
        out
    } else {
        gens
    };
    let loss =
        if is_ideal { Loss::Ideal(gens) } else { Loss::Polynomial(gens.into_iter().next().expect("K")) };
    let unfolded = Problem {
        variables: names,
        loss,
        prior: prior.clone(),
        real_prior: None,
        point: vec![Rat::zero(); d],
        domain: vec![(crate::poly::rat(-1), crate::poly::rat(1)); d],
        model: None,
    };
    Ok(Unfolded {
        problem: unfolded,
        names: problem.variables.clone(),
        substitutions,
        prior: (h.iter().map(|x| x.to_string()).collect(), prior),
        sides: sides
            .iter()
            .map(|s| match s {
                Side::Both => "both",
                Side::Above => "above",
                Side::Below => "below",
            })
            .collect(),
        model_note,
        split,
    })
}

/// Every term has even exponents and all coefficients one sign: on the
/// real space `g = ±Σ c_k m_k` with `c_k > 0`, `m_k ≥ 0`, so
/// `min c_k² · Σ m_k² ≤ g² ≤ n·Σ c_k² m_k²` (cross terms are ≥ 0; Cauchy–Schwarz).
fn one_signed_even(g: &Poly) -> bool {
    let t = g.terms();
    let positive = t.first().is_some_and(|x| x.coef.is_positive());
    t.iter().all(|x| x.coef.is_positive() == positive && x.exp.iter().all(|e| e % 2 == 0))
}

impl Unfolded {
    /// The unfolded problem's result as the one-sided problem's: the same
    /// pair and status (docs/theory.md §2.6), the original names, the
    /// substitution first in the trace and around the certificate.
    pub(crate) fn annotate(&self, mut r: ExactResult) -> ExactResult {
        let mut trace = Vec::new();
        if let Some(note) = &self.model_note {
            trace.push(note.clone());
        }
        trace.push(format!(
            "unfolded at the point: {} (w − w* = ±u^(2q) on a one-sided coordinate, u^q on both sides for \
             an odd q, where h + 1 = p/q; Jacobian r|u|^(r−1)): the pair is that of the unfolded loss on a \
             full neighbourhood with prior exponents h' = 2p − 1, resp. p − 1, on those coordinates, \
             h' = ({}) (docs/theory.md §2.6, §2.8)",
            self.substitutions.join(", "),
            self.prior.1.iter().map(|h| h.to_string()).collect::<Vec<_>>().join(", ")
        ));
        if self.split > 0 {
            trace.push(format!(
                "{} generator(s) are sums of monomials ≥ 0 with coefficients of one sign after the \
                 substitution: each is comparable to the ideal of its monomials, which replaces it \
                 (docs/theory.md §2.6)",
                self.split
            ));
        }
        trace.append(&mut r.trace);
        r.trace = trace;
        r.certificate = json!({
            "one_sided": {
                "theorem": "w_i = w*_i ± u_i^(2q) maps a full neighbourhood onto the one-sided one, \
                            2-to-1 per coordinate, w_i = w*_i + u_i^q (q odd) onto a two-sided one; \
                            |w − w*|^h dw = r|u|^(h') du: same zeta-function poles \
                            (docs/theory.md §2.6, §2.8)",
                "sides": self.sides,
                "substitutions": self.substitutions,
                "prior": self.prior.0,
                "unfolded_prior": self.prior.1,
                "unfolded_variables": self.problem.variables,
                "regression_equivalence": self.model_note.is_some(),
                "generators_split_into_monomials": self.split,
            },
            "engine": r.certificate,
        });
        r.variables = self.names.clone();
        let prefix = if self.sides.iter().any(|s| *s != "both") { "one-sided" } else { "real-prior" };
        r.method = format!("{prefix}+{}", r.method);
        r
    }
}

/// `g(w)` with `w_i = ±u_i^{r_i}` (`g` already at the point; `powers[i] =
/// (r_i, below)`): exponents multiply by `r_i`, odd powers of a `Below`
/// coordinate flip the sign.
fn power_substitute(g: &Poly, powers: &[(u32, bool)]) -> Result<Poly> {
    let n = g.nvars();
    let mut terms = Vec::with_capacity(g.len());
    for t in g.terms() {
        let mut exp = t.exp.clone();
        let mut coef = t.coef.clone();
        for (i, e) in exp.iter_mut().enumerate() {
            let (r, below) = powers[i];
            if below && *e % 2 == 1 {
                coef = -coef;
            }
            *e = e.checked_mul(r).ok_or_else(|| {
                Error::Unsupported("an exponent too large to unfold a one-sided domain or a prior".into())
            })?;
        }
        terms.push((exp, coef));
    }
    Ok(Poly::from_terms(n, terms))
}

/// `u_x`, primed until it differs from every name in use.
fn fresh_name(original: &[String], taken: &[String], base: &str) -> String {
    let mut name = format!("u_{base}");
    while original.contains(&name) || taken.contains(&name) {
        name.push('\'');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::rat;

    #[test]
    fn below_flips_odd_powers_and_doubles_exponents() {
        // x - x^2 + y^3 with x ≤ 0, y ≥ 0: −u² − u⁴ + v⁶.
        let (x, y) = (Poly::var(2, 0), Poly::var(2, 1));
        let g = &(&x - &x.pow(2)) + &y.pow(3);
        let s = power_substitute(&g, &[(2, true), (2, false)]).unwrap();
        let want = &(&(-&x.pow(2)) - &x.pow(4)) + &y.pow(6);
        assert_eq!(s, want);
    }

    #[test]
    fn unfold_translates_and_raises_the_prior() {
        // K = (x - 1)^2 with x ≥ 1, prior |x - 1|: u⁴ with h' = 3.
        let x = Poly::var(1, 0);
        let k = (&x - &Poly::constant(1, rat(1))).pow(2);
        let mut p = Problem::new(vec!["x".into()], Loss::Polynomial(k));
        p.point = vec![rat(1)];
        p.domain = vec![(rat(1), rat(2))];
        p.prior = vec![1];
        let mut charts = unfold(&p).unwrap().expect("one-sided");
        assert_eq!(charts.len(), 1);
        let u = charts.pop().unwrap();
        assert_eq!(u.problem.local_k(), x.pow(4));
        assert_eq!(u.problem.prior, vec![3]);
        assert_eq!(u.problem.variables, vec!["u_x".to_string()]);
        assert_eq!(u.substitutions, vec!["x = 1 + u_x²".to_string()]);
    }

    #[test]
    fn interior_points_are_not_unfolded() {
        let p = Problem::new(vec!["x".into()], Loss::Polynomial(Poly::var(1, 0).pow(2)));
        assert!(unfold(&p).unwrap().is_none());
    }
}
