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
use crate::{Error, ExactResult, Loss, Problem, Result, Side};
use num_traits::{One, Signed, Zero};
use serde_json::json;

/// The unfolded problem and what was substituted.
pub(crate) struct Unfolded {
    /// The full-neighbourhood problem at the origin in `u`.
    pub problem: Problem,
    /// The original variable names (restored in the result).
    names: Vec<String>,
    /// One line per one-sided coordinate: `x = 1/2 + u_x²`.
    substitutions: Vec<String>,
    /// The original and the unfolded prior exponents.
    prior: (Vec<u32>, Vec<u32>),
    /// The sides, as written in the certificate.
    sides: Vec<&'static str>,
    /// The statement of the stated model's equivalence, when the model was
    /// replaced by its coefficient ideal first.
    model_note: Option<String>,
    /// How many generators were replaced by their monomials.
    split: usize,
}

/// `Some` when some coordinate is one-sided at the point: the problem in
/// the unfolded coordinates `u` (point 0, box `[-1, 1]`, no model: a stated
/// model is replaced by its coefficient ideal first, docs/theory.md §2.1).
pub(crate) fn unfold(problem: &Problem) -> Result<Option<Unfolded>> {
    let sides = problem.sides();
    if sides.iter().all(|s| *s == Side::Both) {
        return Ok(None);
    }
    let (base, model_note) = match super::model_coefficient_ideal(problem) {
        Some(ideal) => (ideal, Some(super::REGRESSION_NOTE.to_string())),
        None => (problem.clone(), None),
    };
    let (gens, is_ideal) = base.local_generators();
    let d = problem.dim();
    let gens = gens.iter().map(|g| square_substitute(g, &sides)).collect::<Result<Vec<_>>>()?;
    let mut names = Vec::with_capacity(d);
    let mut prior = Vec::with_capacity(d);
    let mut substitutions = Vec::new();
    for i in 0..d {
        let h = problem.prior[i];
        if sides[i] == Side::Both {
            names.push(problem.variables[i].clone());
            prior.push(h);
            continue;
        }
        let name = fresh_name(&problem.variables, &names, &problem.variables[i]);
        let sign = if sides[i] == Side::Above { "+" } else { "−" };
        let at = &problem.point[i];
        substitutions.push(if at.is_zero() {
            format!("{} = {sign}{name}²", problem.variables[i]).replace("= +", "= ")
        } else {
            format!("{} = {at} {sign} {name}²", problem.variables[i])
        });
        names.push(name);
        prior.push(
            h.checked_mul(2)
                .and_then(|x| x.checked_add(1))
                .ok_or_else(|| Error::Unsupported("a prior exponent too large to unfold".into()))?,
        );
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
        point: vec![Rat::zero(); d],
        domain: vec![(crate::poly::rat(-1), crate::poly::rat(1)); d],
        model: None,
    };
    Ok(Some(Unfolded {
        problem: unfolded,
        names: problem.variables.clone(),
        substitutions,
        prior: (problem.prior.clone(), prior),
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
    }))
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
            "one-sided domain at the point: {} (two-to-one per coordinate, Jacobian 2|u|): the pair is \
             that of the unfolded loss on a full neighbourhood with prior exponents h' = 2h + 1 on \
             those coordinates, h' = ({}) (docs/theory.md §2.6)",
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
                "theorem": "w_i = w*_i ± u_i² maps a full neighbourhood onto the one-sided one, \
                            2-to-1 per coordinate with Jacobian 2|u_i|: same zeta-function poles \
                            (docs/theory.md §2.6)",
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
        r.method = format!("one-sided+{}", r.method);
        r
    }
}

/// `g(w)` with `w_i = ±u_i²` for every one-sided coordinate (`g` already at
/// the point): exponents double, odd powers of a `Below` coordinate flip
/// the sign.
fn square_substitute(g: &Poly, sides: &[Side]) -> Result<Poly> {
    let n = g.nvars();
    let mut terms = Vec::with_capacity(g.len());
    for t in g.terms() {
        let mut exp = t.exp.clone();
        let mut coef = t.coef.clone();
        for (i, e) in exp.iter_mut().enumerate() {
            if sides[i] == Side::Both {
                continue;
            }
            if sides[i] == Side::Below && *e % 2 == 1 {
                coef = -coef;
            }
            *e = e.checked_mul(2).ok_or_else(|| {
                Error::Unsupported("an exponent too large to unfold a one-sided domain".into())
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
        let s = square_substitute(&g, &[Side::Below, Side::Above]).unwrap();
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
        let u = unfold(&p).unwrap().expect("one-sided");
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
