//! The certificate's data as JSON (format `rlct-certificate/1`,
//! docs/certificate.md): charts, substitutions and outcomes in exact
//! arithmetic, rationals as strings, a polynomial as its list of terms
//! `[coefficient, [exponents]]`. `rlct check` (`crate::check`) reads it back
//! and recomputes every step without this module.

use super::chart::ChartNode;
use super::expansion::{Link, Outcome};
use super::region::Range;
use super::runner::StepData;
use crate::poly::Poly;
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

/// The recorded data of one chart.
pub fn data_json(d: &StepData) -> Value {
    let mut v = json!({
        "pre": chart_json(&d.pre),
        "kept": d.kept,
        "chart": chart_json(&d.chart),
        "link": d.link.as_ref().map(link_json),
    });
    if let Some((of, mine, theirs)) = &d.memo {
        v["memo"] = json!({ "of": of, "order": mine, "order_of": theirs });
    }
    v
}
