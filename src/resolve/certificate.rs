//! The certificate's data as JSON (format `rlct-certificate/1`,
//! docs/certificate.md): charts, substitutions and outcomes in exact
//! arithmetic, rationals as strings, a polynomial as its list of terms
//! `[coefficient, [exponents]]`. `rlct check` (`crate::check`) reads it back
//! and recomputes every step without this module.

use super::chart::ChartNode;
use super::expansion::{Link, Outcome};
use super::region::Range;
use super::runner::StepData;
use crate::poly::{Poly, Rat};
use serde_json::{Value, json};

/// The version tag of the format.
pub const FORMAT: &str = "rlct-certificate/1";

/// A polynomial: `[[coefficient, [exponents]], …]`.
pub fn poly_json(p: &Poly) -> Value {
    Value::Array(p.terms().iter().map(|t| json!([t.coef.to_string(), t.exp])).collect())
}

/// A chart: variables, generators, `β`, `h`, region (`null`: local,
/// `[lo, hi]`: the box).
pub fn chart_json(c: &ChartNode) -> Value {
    json!({
        "vars": c.names,
        "ideal": c.ideal,
        "gens": c.gens.iter().map(poly_json).collect::<Vec<_>>(),
        "beta": c.beta,
        "h": c.h,
        "region": c.region.iter().map(|r| match r {
            Range::Local => Value::Null,
            Range::Bounded(lo, hi) => json!([lo.to_string(), hi.to_string()]),
        }).collect::<Vec<_>>(),
    })
}

/// An outcome: `{"exact": {"lambda", "m"}}`, `{"exact": null}` (no zero)
/// or `{"bound": {"lower", "upper"}}`.
pub fn outcome_json(o: &Outcome) -> Value {
    match o {
        Outcome::Exact { pair: Some(p), .. } => json!({"exact": {"lambda": p.lambda.to_string(), "m": p.m}}),
        Outcome::Exact { pair: None, .. } => json!({ "exact": null }),
        Outcome::Bound { lower, upper } => {
            json!({"bound": {"lower": lower.to_string(), "upper": upper.as_ref().map(|u| u.to_string())}})
        }
    }
}

fn link_json(l: &Link) -> Value {
    match l {
        Link::Pullback(map) => json!({ "pullback": map.iter().map(poly_json).collect::<Vec<_>>() }),
        Link::Restrict(keep) => json!({ "restrict": keep }),
        Link::Grading(q) => json!({ "grading": q.iter().map(|x| x.to_string()).collect::<Vec<_>>() }),
    }
}

/// The recorded data of one chart; a leaf of `move_name` that rests on a
/// Newton polyhedron also gets its LP certificate (`newton`).
pub fn data_json(d: &StepData, move_name: &str) -> Value {
    let mut v = json!({
        "pre": chart_json(&d.pre),
        "kept": d.kept,
        "chart": chart_json(&d.chart),
        "link": d.link.as_ref().map(link_json),
    });
    if let Some((of, mine, theirs)) = &d.memo {
        v["memo"] = json!({ "of": of, "order": mine, "order_of": theirs });
    }
    if move_name == "monomial-ideal" {
        v["newton"] = newton_json(&d.chart);
    }
    v
}

/// The Newton pair of a chart with its certificate (docs/certificate.md,
/// "Newton certificates"): the τ-distance `t`, a representation
/// `t·(h+1) = Σ μ_i P_i + Σ ν_j e_j` (`points`, `weights`, `rays` as
/// `[j, ν_j]`) whose support spans the minimal face, and the facet normals
/// through the hit point (`normals`). Points are exponents of `K`
/// (`p` times those of `u^β·g`). The representation is the average of
/// the ones maximising each candidate's weight (the set of representations
/// is convex), so its support is every generator of the minimal face.
pub fn newton_json(c: &ChartNode) -> Value {
    use crate::lp::{LpOutcome, minimize};
    use num_traits::{One, Zero};
    let full: Vec<Poly> = c.gens.iter().map(|g| g.mul_monomial(&c.beta)).collect();
    if full.is_empty() || full.iter().any(Poly::is_zero) {
        return Value::Null;
    }
    let np = crate::newton::newton_pair(&full, c.ideal, &c.h);
    let p = if c.ideal { 2 } else { 1 };
    let d = c.dim();
    let mut pts: Vec<Vec<u32>> = full
        .iter()
        .flat_map(|g| g.support().map(|e| e.iter().map(|x| x * p).collect::<Vec<u32>>()))
        .collect();
    pts.sort();
    pts.dedup();
    let q = &np.hit_point;
    let dot = |w: &[Rat], e: &[u32]| -> Rat {
        w.iter().zip(e).map(|(a, &b)| a * Rat::from_integer(b.into())).sum()
    };
    let dotq = |w: &[Rat]| -> Rat { w.iter().zip(q).map(|(a, b)| a * b).sum() };
    let normals = &np.tight_normals;
    let cand: Vec<&Vec<u32>> = pts.iter().filter(|e| normals.iter().all(|w| dot(w, e) == dotq(w))).collect();
    let rays: Vec<usize> = (0..d).filter(|&j| normals.iter().all(|w| w[j].is_zero())).collect();
    // Columns: the candidate points, then the rays; rows: the coordinates
    // of q, then Σ μ = 1.
    let n = cand.len() + rays.len();
    let mut a: Vec<Vec<Rat>> = (0..d)
        .map(|j| {
            let mut row: Vec<Rat> = cand.iter().map(|e| Rat::from_integer(e[j].into())).collect();
            row.extend(rays.iter().map(|&r| if r == j { Rat::one() } else { Rat::zero() }));
            row
        })
        .collect();
    let mut ones = vec![Rat::one(); cand.len()];
    ones.extend(std::iter::repeat_n(Rat::zero(), rays.len()));
    a.push(ones);
    let mut b = q.clone();
    b.push(Rat::one());
    let mut avg = vec![Rat::zero(); n];
    let mut count = 0u32;
    let mut positive = vec![false; n];
    for target in 0..n {
        if positive[target] {
            continue;
        }
        let mut cost = vec![Rat::zero(); n];
        cost[target] = -Rat::one();
        if let LpOutcome::Optimal { x, .. } = minimize(&cost, &a, &b) {
            for (k, v) in x.iter().enumerate() {
                if v > &Rat::zero() {
                    positive[k] = true;
                }
                avg[k] += v;
            }
            count += 1;
        }
    }
    let count = Rat::from_integer(count.max(1).into());
    let avg: Vec<Rat> = avg.into_iter().map(|v| v / &count).collect();
    let used: Vec<usize> = (0..cand.len()).filter(|&k| !avg[k].is_zero()).collect();
    json!({
        "t": np.t_star.to_string(),
        "points": used.iter().map(|&k| cand[k].clone()).collect::<Vec<_>>(),
        "weights": used.iter().map(|&k| avg[k].to_string()).collect::<Vec<_>>(),
        "rays": (0..rays.len()).filter(|&k| !avg[cand.len() + k].is_zero())
            .map(|k| json!([rays[k], avg[cand.len() + k].to_string()])).collect::<Vec<_>>(),
        "normals": normals.iter().map(|w| w.iter().map(|x| x.to_string()).collect::<Vec<_>>()).collect::<Vec<_>>(),
    })
}
