//! The exact engine's front door: from a [`Problem`] to an [`ExactResult`].
//!
//! A stated regression model is first replaced by its coefficient ideal
//! (docs/theory.md §2, equivalence). Then the Newton-polyhedron theorem (docs/theory.md
//! §3): the Newton pair is always a proven upper bound (more singular or
//! equal), and it is the answer when every compact face is certified
//! non-degenerate. Otherwise the blow-up engine (`resolve`), and failing
//! that a `bound` with the best proven lower bound λ ≥ 1/ord₀(K) (real lct
//! ≥ complex lct ≥ 1/mult₀ K; a prior only raises λ), or
//! 1/(2·min_i ord₀ f_i) for an ideal, sharpened by comparison with sub- and
//! super-ideals (`crate::comparison`, docs/theory.md §2.5).

mod blowup;
mod global;
mod nonneg;
mod one_sided;

pub use blowup::{attach_resolution_certificate, blowup};
pub use global::solve_global;
pub use nonneg::{Nonnegativity, certify as nonnegativity};

use crate::newton::{self, NewtonAnalysis, Nondegeneracy};
use crate::poly::{Poly, Rat};
use crate::{Error, ExactResult, Problem, Result, Status};
use num_bigint::BigInt;
use num_traits::{Signed, Zero};
use serde_json::{Value, json};

/// Options for [`solve`].
#[derive(Clone, Debug, Default)]
pub struct ExactOptions {
    /// Maximum number of charts the blow-up search explores before it
    /// settles for proven bounds (`None`: the engine's default,
    /// [`crate::resolve::DEFAULT_NODE_BUDGET`]).
    pub budget: Option<usize>,
    /// Whether the blow-up search tries toric charts of the Newton fan
    /// (`None`: the engine's default, [`crate::resolve::DEFAULT_TORIC`]).
    pub toric: Option<bool>,
    /// Budgets of the Newton analysis.
    pub newton: newton::NewtonOptions,
    /// Wall-clock deadline of the whole exact computation: when it passes,
    /// the search ends in proven bounds with the stop reason `time-limit`.
    pub deadline: crate::limits::Deadline,
    /// Do not close a recognised matrix chain at the origin by Aoyagi's
    /// theorem: resolve it by blow-ups instead (a second, independent proof
    /// where the search is fast enough; the tests compare the two).
    pub skip_theorems: bool,
    /// Do not sharpen a bound by comparison with sub- and super-ideals
    /// ([`crate::comparison`]); set in the comparison's own sub-runs.
    pub skip_comparison: bool,
    /// The pair over the whole true set in the box instead of at the point
    /// (`rlct exact --global`, [`solve_global`], docs/theory.md §2.9).
    pub global: bool,
}

/// The trace line of a stated regression model replaced by its coefficient
/// ideal.
const REGRESSION_NOTE: &str = "regression model: K = E‖f(x,w) − f(x,w₀)‖²/(2σ²) ≍ Σ_α (c_α(w) − c_α(w₀))² \
     over the input monomials x^α (independent in L² of the Gaussian inputs; docs/theory.md §2 \
     equivalence), so the pair is that of the coefficient ideal";

/// LP budget of the quick Newton pass in [`solve`].
const QUICK_NEWTON_LPS: usize = 400;
/// Facet-subset budget of the quick Newton pass in [`solve`].
const QUICK_NEWTON_FACETS: usize = 2_000;

/// Computes the exact (λ, m) of a problem, or proven bounds.
///
/// Dispatch: the Newton engine first (it also validates the input); when
/// it is not certified, the blow-up search (which applies the
/// separate-variable rules itself, docs/theory.md §2 and §4). When neither proves
/// the pair, the tighter of their proven bounds.
///
/// Errors (exit code 2) when the loss is identically zero, does not vanish
/// at the point, or visibly takes negative values near it.
///
/// A bound is then sharpened by comparison with sub-ideals (lower bounds)
/// and super-ideals (upper bounds), [`crate::comparison`].
pub fn solve(problem: &Problem, opts: &ExactOptions) -> Result<ExactResult> {
    if opts.global {
        return solve_global(problem, opts);
    }
    // A one-sided domain at the point is unfolded first (docs/theory.md
    // §2.6), so every engine and the comparison bounds see a full
    // neighbourhood.
    if let Some(r) = one_sided::solve_unfolded(problem, |p| solve(p, opts))? {
        return Ok(r);
    }
    let r = solve_engines(problem, opts)?;
    crate::comparison::improve(problem, opts, r)
}

/// [`solve`] without the comparison bounds.
fn solve_engines(problem: &Problem, opts: &ExactOptions) -> Result<ExactResult> {
    if let Some(ideal) = model_coefficient_ideal(problem) {
        let mut r = solve(&ideal, opts)?;
        r.trace.insert(0, REGRESSION_NOTE.into());
        // The population loss itself, so that `rlct check` can verify
        // K = c·Σ g² against the coefficient ideal (linear features).
        let population = (problem.variables == ideal.variables).then(|| {
            json!({ "vars": problem.variables, "k": crate::resolve::certificate::poly_json(&problem.local_k()) })
        });
        r.certificate = json!({ "regression_equivalence": true, "coefficient_ideal_size": match &ideal.loss {
            crate::Loss::Ideal(g) => g.len(), crate::Loss::Polynomial(_) => 1 }, "population_loss": population,
            "engine": r.certificate });
        return Ok(r);
    }
    // Matrix chains (reduced-rank regression, deep linear networks) in any
    // coordinates: normal form of the point and rank reduction first.
    if let Some(r) = crate::resolve::chain::solve(problem, !opts.skip_theorems, &mut |sub| solve(sub, opts)) {
        return r;
    }
    // A quick Newton pass first: small non-degenerate cases certify within
    // a few hundred LPs, while the face enumeration of a large degenerate
    // ideal (reduced-rank regression) costs far more than the blow-up search.
    let quick = ExactOptions {
        newton: newton::NewtonOptions {
            lp_budget: opts.newton.lp_budget.min(QUICK_NEWTON_LPS),
            facet_budget: opts.newton.facet_budget.min(QUICK_NEWTON_FACETS),
            ..opts.newton.clone()
        },
        ..opts.clone()
    };
    let newton = solve_newton(problem, &quick)?;
    if newton.status == Status::Exact {
        return Ok(newton);
    }
    let mut blow = blowup(problem, opts)?;
    // Undecided by both: the quick pass's Newton pair is already a proven
    // bound (the budgets only limit the face certificates), so the full
    // analysis is not rerun.
    let mut trace = newton.trace.clone();
    trace.push("Newton pair not certified: blow-up search".into());
    trace.append(&mut blow.trace);
    let certificate = json!({ "newton": newton.certificate, "blowup": blow.certificate });
    if blow.status == Status::Exact {
        // Varchenko/Lin: the true pair is at least as singular as the
        // Newton pair. An exact result violating that is a bug.
        let less_singular = blow.lambda > newton.upper
            || (blow.lambda == newton.upper && blow.multiplicity < newton.multiplicity);
        if less_singular {
            return Err(Error::Internal(format!(
                "blow-up pair ({}, {}) is less singular than the Newton bound ({}, {})",
                blow.lambda, blow.multiplicity, newton.lambda, newton.multiplicity
            )));
        }
        return Ok(ExactResult { trace, certificate, ..blow });
    }
    let lower = newton.lower.clone().max(blow.lower.clone());
    let upper = newton.upper.clone().min(blow.upper.clone());
    let multiplicity = if upper == newton.upper { newton.multiplicity } else { blow.multiplicity };
    Ok(ExactResult {
        lambda: upper.clone(),
        multiplicity,
        status: Status::Bound,
        lower,
        upper,
        method: "newton-bound+blowup-bound".into(),
        variables: problem.variables.clone(),
        certificate,
        trace,
        stopped: blow.stopped,
    })
}

/// The Newton engine alone: exact when every compact face is certified
/// non-degenerate, otherwise the Newton bound (used by [`solve`] first).
///
/// Errors (exit code 2) when the loss is identically zero, does not vanish
/// at the point, or visibly takes negative values near it (a vertex term
/// of Γ(K) that is not a positive even monomial).
pub fn solve_newton(problem: &Problem, opts: &ExactOptions) -> Result<ExactResult> {
    if let Some(r) = one_sided::solve_unfolded(problem, |p| solve_newton(p, opts))? {
        return Ok(r);
    }
    let (gens, ideal) = problem.local_generators();
    let gens: Vec<Poly> = gens.into_iter().filter(|g| !g.is_zero()).collect();
    if gens.is_empty() {
        return Err(Error::Unsupported(
            "the loss is identically zero: every point is a zero, λ is not defined".into(),
        ));
    }
    let names = &problem.variables;
    for g in &gens {
        let c = g.constant_term();
        if !c.is_zero() {
            let what = if ideal { "a generator of the ideal" } else { "the loss" };
            return Err(Error::Unsupported(format!("{what} is {c} ≠ 0 at the point; K(w*) must be 0")));
        }
    }
    let h = &problem.prior;
    if let Some(r) = regular_point(&gens, ideal, h, names) {
        return Ok(r);
    }
    if let Some(r) = monomial(&gens, ideal, h, names) {
        return Ok(r);
    }
    let analysis = newton::analyze_with(&gens, ideal, h, &opts.newton);
    if !ideal {
        // K ≥ 0 near 0 forces every vertex term to be a positive even
        // monomial (it dominates K on an open cone of small points).
        for v in &analysis.vertices {
            let c = gens[0].coeff(v);
            if !c.is_positive() || v.iter().any(|e| e % 2 == 1) {
                let m = Poly::monomial(v.len(), v.clone(), c);
                return Err(Error::Unsupported(format!(
                    "the loss takes negative values near the point: its Newton vertex term {} is not a positive even monomial",
                    m.display(names)
                )));
            }
        }
    }
    let pair = &analysis.pair;
    let certified = matches!(analysis.nondegeneracy, Nondegeneracy::Certified);
    let all_monomial = gens.iter().all(|g| g.len() == 1);
    let (status, method, lower) = if certified {
        let method = match (ideal, all_monomial) {
            (false, true) => "normal-crossing",
            (true, true) => "monomial",
            _ => "newton-nondegenerate",
        };
        (Status::Exact, method, pair.lambda.clone())
    } else {
        (Status::Bound, "newton-bound", order_lower_bound(&gens, ideal))
    };
    let mut trace = trace_lines(&analysis, names, ideal);
    trace.insert(
        0,
        format!(
            "{} of {}: Newton pair (λ, m) = ({}, {}), {}",
            if ideal { "ideal" } else { "loss" },
            gens.iter().map(|g| g.display(names).to_string()).collect::<Vec<_>>().join(", "),
            pair.lambda,
            pair.multiplicity,
            match status {
                Status::Exact => "exact (all compact faces certified non-degenerate)".to_string(),
                _ => format!("a proven upper bound; proven lower bound λ ≥ {lower}"),
            }
        ),
    );
    Ok(ExactResult {
        lambda: pair.lambda.clone(),
        multiplicity: pair.multiplicity,
        status,
        lower,
        upper: pair.lambda.clone(),
        method: method.into(),
        variables: names.clone(),
        certificate: certificate_json(&analysis, h, ideal),
        trace,
        stopped: None,
    })
}

/// docs/theory.md §2, regular point: when the Hessian of K at 0 is positive
/// definite (for an ideal: the generators' linear parts have rank d, so
/// K ≍ |w|²), λ = Σ_j (h_j+1)/2 and m = 1. Decided exactly by the signs of
/// the pivots of Gaussian elimination (Sylvester's criterion).
fn regular_point(gens: &[Poly], ideal: bool, h: &[u32], names: &[String]) -> Option<ExactResult> {
    let d = h.len();
    if d == 0 {
        return None;
    }
    let two = Rat::from_integer(BigInt::from(2));
    let (ok, what) = if ideal {
        // Rank of the Jacobian at 0 = rank of the linear parts. When every
        // linear part has at most one variable (‖A‖², coordinate ideals)
        // the rank is the number of variables met, in any dimension;
        // otherwise dense exact elimination, capped like the Hessian below.
        let linear: Vec<Vec<usize>> = gens
            .iter()
            .map(|g| {
                g.terms()
                    .iter()
                    .filter(|t| t.exp.iter().sum::<u32>() == 1)
                    .filter_map(|t| t.exp.iter().position(|&e| e == 1))
                    .collect()
            })
            .collect();
        if linear.iter().all(|l| l.len() <= 1) {
            let mut met = vec![false; d];
            linear.iter().flatten().for_each(|&j| met[j] = true);
            if !met.iter().all(|&b| b) {
                return None;
            }
            return Some(regular_result(h, names, "the generators' linear parts have full rank d"));
        }
        if d > crate::limits::MAX_HESSIAN_DIM || gens.len() > crate::limits::MAX_HESSIAN_DIM {
            return None;
        }
        let rows: Vec<Vec<Rat>> =
            gens.iter().map(|g| (0..d).map(|j| g.derivative(j).constant_term()).collect()).collect();
        (crate::newton::rank(&rows) == d, "the generators' linear parts have full rank d")
    } else {
        let k = &gens[0];
        // A monomial is reported as the normal crossing it is.
        if k.order() != Some(2) || k.len() == 1 {
            return None;
        }
        let quad: Vec<_> = k.terms().iter().filter(|t| t.exp.iter().sum::<u32>() == 2).collect();
        if quad.iter().all(|t| t.exp.iter().any(|&e| e == 2)) {
            // A diagonal Hessian (a sum of squares, ‖A‖²): positive
            // definite iff every variable has a positive square term; no
            // d × d matrix is built.
            let mut diag = vec![false; d];
            for t in &quad {
                if let Some(j) = t.exp.iter().position(|&e| e == 2) {
                    diag[j] = t.coef.is_positive();
                }
            }
            if !diag.iter().all(|&b| b) {
                return None;
            }
            return Some(regular_result(h, names, "the quadratic part of K is a positive diagonal form"));
        }
        if d > crate::limits::MAX_HESSIAN_DIM {
            // A dense exact d × d elimination would cost O(d³) rational
            // operations and O(d²) memory: not decided here (the Newton
            // pass and the blow-up search still give a bound).
            return None;
        }
        let mut hess = vec![vec![Rat::zero(); d]; d];
        for t in quad {
            let idx: Vec<usize> = (0..d).filter(|&j| t.exp[j] > 0).collect();
            match idx.as_slice() {
                [i] => hess[*i][*i] = t.coef.clone(),
                [i, j] => {
                    hess[*i][*j] = &t.coef / &two;
                    hess[*j][*i] = &t.coef / &two;
                }
                _ => unreachable!("a degree-2 monomial has one or two variables"),
            }
        }
        (positive_definite(hess), "the quadratic part of K is positive definite")
    };
    if !ok {
        return None;
    }
    Some(regular_result(h, names, what))
}

/// K = c·w^k with c > 0 and every k_j even (a normal crossing, docs/theory.md
/// §2): λ = min_j (h_j+1)/k_j over k_j > 0, m = the number of j attaining
/// it. Closed form in any dimension, without the Newton LPs (a monomial in
/// 500 variables would cost them minutes). Anything else: `None`.
fn monomial(gens: &[Poly], ideal: bool, h: &[u32], names: &[String]) -> Option<ExactResult> {
    // Small dimensions keep the Newton certificate (vertices, faces).
    if gens.len() != 1 || gens[0].len() != 1 || h.len() <= 64 {
        return None;
    }
    let t = &gens[0].terms()[0];
    // An ideal ⟨c·w^k⟩ is K = c²·w^{2k}.
    let exp: Vec<u32> = t.exp.iter().map(|&e| if ideal { 2 * e } else { e }).collect();
    if !ideal && (!t.coef.is_positive() || exp.iter().any(|e| e % 2 == 1)) {
        return None;
    }
    let ratios: Vec<Rat> = exp
        .iter()
        .zip(h)
        .filter(|(k, _)| **k > 0)
        .map(|(&k, &hj)| Rat::new(BigInt::from(hj + 1), BigInt::from(k)))
        .collect();
    let lambda = ratios.iter().min()?.clone();
    let m = ratios.iter().filter(|r| **r == lambda).count();
    let shown = gens[0].display(names).to_string();
    Some(ExactResult {
        lambda: lambda.clone(),
        multiplicity: m,
        status: Status::Exact,
        lower: lambda.clone(),
        upper: lambda.clone(),
        method: if ideal { "monomial" } else { "normal-crossing" }.into(),
        variables: names.to_vec(),
        certificate: json!({ "theorem": "normal crossing (docs/theory.md §2)", "exponents": exp, "prior": h }),
        trace: vec![format!(
            "loss {shown}: a normal crossing; λ = min_j (h_j+1)/k_j = {lambda}, m = {m} (closed form)"
        )],
        stopped: None,
    })
}

/// The regular-point pair λ = Σ_j (h_j+1)/2, m = 1, with its reason.
fn regular_result(h: &[u32], names: &[String], what: &str) -> ExactResult {
    let two = Rat::from_integer(BigInt::from(2));
    let lambda: Rat = h.iter().map(|&x| Rat::from_integer(BigInt::from(x + 1))).sum::<Rat>() / &two;
    ExactResult {
        lambda: lambda.clone(),
        multiplicity: 1,
        status: Status::Exact,
        lower: lambda.clone(),
        upper: lambda.clone(),
        method: "regular".into(),
        variables: names.to_vec(),
        certificate: json!({ "theorem": "regular point (docs/theory.md §2)", "reason": what, "prior": h }),
        trace: vec![format!("regular point: {what}; λ = Σ (h_j+1)/2 = {lambda}, m = 1")],
        stopped: None,
    }
}

/// Sylvester's criterion by symmetric Gaussian elimination: every pivot
/// of a symmetric rational matrix is positive iff it is positive definite.
fn positive_definite(mut m: Vec<Vec<Rat>>) -> bool {
    let d = m.len();
    for k in 0..d {
        if !m[k][k].is_positive() {
            return false;
        }
        let (top, rest) = m.split_at_mut(k + 1);
        let pivot_row = &top[k];
        for row in rest {
            let f = &row[k] / &pivot_row[k];
            for (x, y) in row[k..].iter_mut().zip(&pivot_row[k..]) {
                *x -= &f * y;
            }
        }
    }
    true
}

/// The interval every problem satisfies, for when a stage did not finish:
/// `K ≥ 0` vanishes to order ≥ 2, so `K ≤ C|w|²` near the point and
/// `λ ≤ Σ_j (h_j+1)/2` (the regular pair; a larger loss has a smaller λ);
/// and `λ ≥ 1/ord K ≥ 1/deg K` (the order at any point is at most the
/// degree; `1/(2·min deg f_i)` for an ideal). A one-sided coordinate
/// counts as its unfolding `u²` with prior `2h+1` (docs/theory.md §2.6):
/// `h+1` instead of `(h+1)/2` in the upper bound, the degree doubled in the
/// lower one; a non-integer prior exponent by its unfolding `u^r`
/// (docs/theory.md §2.8), the degree multiplied by `r`. Cheap: no
/// translation.
pub fn trivial_interval(problem: &Problem, why: crate::limits::StopReason) -> ExactResult {
    let two = Rat::from_integer(BigInt::from(2));
    let sides = problem.sides();
    let upper: Rat = problem
        .prior_exponents()
        .iter()
        .zip(&sides)
        .map(|(x, s)| {
            let full = x + Rat::from_integer(BigInt::from(1));
            if *s == crate::Side::Both { full / &two } else { full }
        })
        .sum();
    let deg = match &problem.loss {
        crate::Loss::Polynomial(k) => k.degree().max(1) as u64,
        crate::Loss::Ideal(g) => {
            2 * g.iter().map(|f| f.degree()).filter(|&d| d > 0).min().unwrap_or(1) as u64
        }
    };
    // The unfolding w − w* = ±u^r (docs/theory.md §2.6, §2.8) multiplies
    // degrees by at most r; the bound 1/ord holds for its integer prior.
    let deg = deg * one_sided::degree_factor(problem);
    let lower = Rat::new(BigInt::from(1), BigInt::from(deg));
    ExactResult {
        lambda: upper.clone(),
        multiplicity: 1,
        status: Status::Interval,
        lower: lower.clone(),
        upper: upper.clone(),
        method: "trivial-bounds".into(),
        variables: problem.variables.clone(),
        certificate: json!({
            "theorem": "K ≤ C|w|² near the point (λ ≤ Σ (h_j+1)/2; h_j+1 for a one-sided w_j) \
                        and λ ≥ 1/deg K (1/(2 deg K) with a one-sided coordinate)",
            "stopped": why,
        }),
        trace: vec![format!(
            "{} was reached before the engine finished: proven {lower} ≤ λ ≤ {upper} only",
            why.phrase()
        )],
        stopped: Some(why),
    }
}

/// λ ≥ 1/ord₀ K for a polynomial, λ ≥ 1/(2 min_i ord₀ f_i) for an ideal.
fn order_lower_bound(gens: &[Poly], ideal: bool) -> Rat {
    let ord = gens.iter().filter_map(|g| g.order()).min().unwrap_or(1).max(1);
    let ord = if ideal { 2 * ord } else { ord };
    Rat::new(BigInt::from(1), BigInt::from(ord))
}

fn rats(v: &[Rat]) -> Value {
    Value::Array(v.iter().map(|x| Value::String(x.to_string())).collect())
}

fn certificate_json(a: &NewtonAnalysis, h: &[u32], ideal: bool) -> Value {
    let nondeg = match &a.nondegeneracy {
        Nondegeneracy::Certified => json!({ "status": "certified" }),
        Nondegeneracy::Degenerate { face, witness } => {
            json!({ "status": "degenerate", "face": face, "witness": witness })
        }
        Nondegeneracy::Uncertified { face, reason } => {
            json!({ "status": "uncertified", "face": face, "reason": reason })
        }
    };
    json!({
        "theorem": "Varchenko 1976 / Lin 2011: Newton pair bounds (λ, m); equality when non-degenerate",
        "ideal": ideal,
        "prior": h,
        "t_star": a.pair.t_star.to_string(),
        "hit_point": rats(&a.pair.hit_point),
        "tight_normals": a.pair.tight_normals.iter().map(|n| rats(n)).collect::<Vec<_>>(),
        "tight_normals_complete": a.pair.tight_normals_complete,
        "vertices": a.vertices,
        "faces_enumerated": a.faces_enumerated,
        "faces": a.faces.iter().map(|f| json!({
            "points": f.points, "dim": f.dim, "certificate": f.certificate,
        })).collect::<Vec<_>>(),
        "nondegeneracy": nondeg,
    })
}

fn fmt_exp(v: &[u32]) -> String {
    format!("({})", v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(","))
}

fn fmt_rats(v: &[Rat]) -> String {
    format!("({})", v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "))
}

fn trace_lines(a: &NewtonAnalysis, names: &[String], ideal: bool) -> Vec<String> {
    let mut t = Vec::new();
    if ideal {
        t.push("Γ(K) = 2·Γ(I); exponents below are in Γ(K)".into());
    }
    t.push(format!("variables: {}", names.join(", ")));
    if a.faces_enumerated {
        t.push(format!(
            "vertices of Γ(K): {}",
            a.vertices.iter().map(|v| fmt_exp(v)).collect::<Vec<_>>().join(" ")
        ));
    } else {
        t.push("vertices and faces not enumerated (budget); see the non-degeneracy line".into());
    }
    t.push(format!("τ-distance t* = {}, hit point t*(h+1) = {}", a.pair.t_star, fmt_rats(&a.pair.hit_point)));
    t.push(format!(
        "facets through the hit point (normals{}): {}; multiplicity θ = {}",
        if a.pair.tight_normals_complete { "" } else { ", incomplete" },
        a.pair.tight_normals.iter().map(|n| fmt_rats(n)).collect::<Vec<_>>().join(" "),
        a.pair.multiplicity
    ));
    for f in &a.faces {
        t.push(format!(
            "  face dim {}: {} — {}",
            f.dim,
            f.points.iter().map(|p| fmt_exp(p)).collect::<Vec<_>>().join(" "),
            f.certificate
        ));
    }
    t.push(match &a.nondegeneracy {
        Nondegeneracy::Certified => "non-degenerate: every compact face certified".into(),
        Nondegeneracy::Degenerate { face, witness } => format!(
            "degenerate face {}: {witness}",
            face.iter().map(|p| fmt_exp(p)).collect::<Vec<_>>().join(" ")
        ),
        Nondegeneracy::Uncertified { reason, .. } => format!("uncertified: {reason}"),
    });
    t
}

/// For a stated regression model `y = Σ_α c_α(w) x^α + noise` with
/// independent Gaussian inputs of positive variance, the problem whose
/// loss is the ideal of the coefficient differences `c_α(w) − c_α(w₀)`.
///
/// The monomials `x^α` are linearly independent in L²(N(0, diag v)), so
/// their Gram matrix is positive definite and `K = dᵀ G d / (2σ²)` is
/// squeezed between two positive multiples of `Σ d_α²`: the same (λ, m)
/// (docs/theory.md §2, equivalence). The ideal keeps the structure the blow-up
/// engine resolves; the expanded population loss hides it.
fn model_coefficient_ideal(problem: &Problem) -> Option<Problem> {
    let spec = problem.model.as_ref()?;
    if spec.input_variance.iter().any(|v| !v.is_positive()) {
        return None;
    }
    let np = problem.dim();
    let mut gens = Vec::new();
    for diff in crate::problem::gaussian::output_differences(spec, np) {
        let mut groups: std::collections::BTreeMap<Vec<u32>, Vec<(Vec<u32>, Rat)>> = Default::default();
        for t in diff.terms() {
            groups.entry(t.exp[np..].to_vec()).or_default().push((t.exp[..np].to_vec(), t.coef.clone()));
        }
        gens.extend(groups.into_values().map(|terms| Poly::from_terms(np, terms)).filter(|g| !g.is_zero()));
    }
    if gens.is_empty() {
        return None;
    }
    Some(Problem { loss: crate::Loss::Ideal(gens), model: None, ..problem.clone() })
}
