//! Exact certificates that a compact face has no zero in the real torus
//! (docs/theory.md §3, "Certifying a face"), or an exact torus zero proving it
//! degenerate.
//!
//! For `K` the face polynomial is K_γ; for an ideal the face parts
//! (f_i)_γ of the generators must have no *common* torus zero (docs/theory.md §3
//! item 3), so one part without a torus zero certifies the face.

use super::linalg::{primitive, rank, to_rat};
use crate::poly::{Poly, Rat, Term};
use crate::univariate::{UPoly, count_nonzero_real_roots, isolate_real_roots, rational_roots};
use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::collections::HashSet;

/// Most evaluation points tried when searching for an exact rational torus
/// zero of a face of dimension ≥ 2.
const ZERO_SEARCH_POINTS: usize = 5000;

/// The certificate string of one compact face given by its support points
/// (in generator exponents) and dimension.
pub(super) fn certify_face(gens: &[Poly], pts: &[Vec<u32>], dim: usize) -> String {
    let on_face: HashSet<&[u32]> = pts.iter().map(|p| p.as_slice()).collect();
    let parts: Vec<Vec<&Term>> = gens
        .iter()
        .map(|g| g.terms().iter().filter(|t| on_face.contains(t.exp.as_slice())).collect::<Vec<_>>())
        .filter(|p: &Vec<&Term>| !p.is_empty())
        .collect();
    if dim == 0 {
        return "vertex".into();
    }
    if parts.iter().any(|p| p.len() == 1) {
        return "monomial generator part".into();
    }
    if parts.iter().any(|p| is_even_one_sign(p)) {
        return "even-positive".into();
    }
    // A part whose own support is collinear is w^α g(w^v): it has no torus
    // zero iff g has no non-zero real root.
    for p in &parts {
        if let Some(e) = Edge::of(p)
            && count_nonzero_real_roots(&e.g) == 0
        {
            return format!(
                "sturm: g(s) = {} has no non-zero real root (s = w^{})",
                e.g.display("s"),
                fmt_vec(&e.v)
            );
        }
    }
    if dim == 1 {
        // Every part is w^α_i g_i(w^v) along the same primitive v; the
        // common torus zeros are the non-zero real roots of gcd g_i, and
        // since v has an odd entry, w^v takes every non-zero real value.
        let edges: Vec<Edge> = parts.iter().filter_map(|p| Edge::of(p)).collect();
        if edges.len() == parts.len()
            && let Some(first) = edges.first()
        {
            let g = edges.iter().skip(1).fold(first.g.clone(), |acc, e| acc.gcd(&e.g));
            let n = count_nonzero_real_roots(&g);
            let what = if parts.len() == 1 { "g(s)" } else { "gcd of the parts' g_i(s)" };
            if n == 0 {
                return format!(
                    "sturm: {what} = {} has no non-zero real root (s = w^{})",
                    g.display("s"),
                    fmt_vec(&first.v)
                );
            }
            return format!(
                "degenerate: {what} = {} has the non-zero real root s {} (s = w^{}, v has an odd entry)",
                g.display("s"),
                nonzero_root(&g),
                fmt_vec(&first.v)
            );
        }
    }
    if let Some(w) = rational_torus_zero(gens.first().map_or(0, |g| g.nvars()), &parts) {
        return format!("degenerate: common torus zero w = {}", fmt_rats(&w));
    }
    format!("uncertified: dimension {dim} face, no exact decision procedure applies")
}

fn is_even_one_sign(p: &[&Term]) -> bool {
    let pos = p.iter().all(|t| t.coef.is_positive());
    let neg = p.iter().all(|t| t.coef.is_negative());
    (pos || neg) && p.iter().all(|t| t.exp.iter().all(|e| e % 2 == 0))
}

/// A part with collinear support: w^α · g(w^v), `v` primitive.
struct Edge {
    v: Vec<BigInt>,
    g: UPoly,
}

impl Edge {
    fn of(p: &[&Term]) -> Option<Edge> {
        let a = to_rat(&p[0].exp);
        let diffs: Vec<Vec<Rat>> =
            p[1..].iter().map(|t| to_rat(&t.exp).iter().zip(&a).map(|(x, y)| x - y).collect()).collect();
        if p.len() < 2 || rank(&diffs) != 1 {
            return None;
        }
        let dir = diffs.iter().find(|v| v.iter().any(|x| !x.is_zero()))?;
        let v = primitive(dir);
        let i = v.iter().position(|x| !x.is_zero())?;
        // Position of each exponent along v, relative to the first point.
        let ks: Vec<i64> = diffs
            .iter()
            .map(|dv| (&dv[i] / Rat::from_integer(v[i].clone())).to_integer().to_i64().unwrap_or(0))
            .collect();
        let kmin = ks.iter().copied().min().unwrap_or(0).min(0);
        let deg = ks.iter().copied().max().unwrap_or(0).max(0) - kmin;
        let mut coeffs = vec![Rat::zero(); deg as usize + 1];
        coeffs[(-kmin) as usize] += &p[0].coef;
        for (t, k) in p[1..].iter().zip(&ks) {
            coeffs[(k - kmin) as usize] += &t.coef;
        }
        Some(Edge { v, g: UPoly::new(coeffs) })
    }
}

/// Describes a non-zero real root of `g` exactly: `= r` or `∈ (lo, hi)`.
fn nonzero_root(g: &UPoly) -> String {
    if let Some(r) = rational_roots(g).into_iter().find(|r| !r.is_zero()) {
        return format!("= {r}");
    }
    isolate_real_roots(g)
        .into_iter()
        .find(|iv| !(iv.is_exact() && iv.lo.is_zero()))
        .map(|iv| iv.describe())
        .unwrap_or_else(|| "(none found)".into())
}

/// Searches small rational torus points (±1, ±2, ±1/2 per occurring
/// variable, or ±1 when there are many) for an exact common zero.
fn rational_torus_zero(d: usize, parts: &[Vec<&Term>]) -> Option<Vec<Rat>> {
    let used: Vec<usize> = (0..d).filter(|&j| parts.iter().any(|p| p.iter().any(|t| t.exp[j] > 0))).collect();
    let rich = [
        Rat::one(),
        -Rat::one(),
        Rat::from_integer(2.into()),
        Rat::from_integer((-2).into()),
        Rat::new(1.into(), 2.into()),
        Rat::new((-1).into(), 2.into()),
    ];
    let fits = |base: usize| base.checked_pow(used.len() as u32).is_some_and(|n| n <= ZERO_SEARCH_POINTS);
    let values: &[Rat] = if fits(rich.len()) {
        &rich
    } else if fits(2) {
        &rich[..2]
    } else {
        return None;
    };
    let polys: Vec<Poly> = parts
        .iter()
        .map(|p| Poly::from_terms(d, p.iter().map(|t| (t.exp.clone(), t.coef.clone()))))
        .collect();
    let total = values.len().pow(used.len() as u32);
    for code in 0..total {
        let mut w = vec![Rat::one(); d];
        let mut c = code;
        for &j in &used {
            w[j] = values[c % values.len()].clone();
            c /= values.len();
        }
        if polys.iter().all(|p| p.eval(&w).is_zero()) {
            return Some(w);
        }
    }
    None
}

fn fmt_vec(v: &[BigInt]) -> String {
    format!("({})", v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "))
}

fn fmt_rats(v: &[Rat]) -> String {
    format!("({})", v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "))
}
