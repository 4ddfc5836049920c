//! `rlct check`: an independent re-verification of a resolution
//! certificate (format `rlct-certificate/1`, docs/certificate.md).
//!
//! The checker shares only the exact polynomial arithmetic (`crate::poly`)
//! with the search: it parses the JSON itself, recomputes every pull-back
//! (generators, monomial factor, prior and Jacobian) from the parent's
//! chart and the recorded substitution, re-proves units with its own
//! interval arithmetic ([`interval`]), recomputes the normal-crossing
//! pairs of the leaves and the combination of the children's pairs, and
//! compares each recomputed outcome with the recorded one. It never trusts
//! a field it can recompute; a step of a kind it cannot re-verify (yet) is
//! a failure, never a pass.

pub mod interval;

use crate::poly::{Poly, Rat};
use interval::{at_centre, enclosure, proven_unit};
use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};
use serde_json::Value;
use std::collections::HashMap;
use std::str::FromStr;

/// The format this checker reads.
pub const FORMAT: &str = "rlct-certificate/1";

/// Boxes the checker's interval bisection may use per unit.
const UNIT_BUDGET: usize = 4096;

/// A verified certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// λ.
    pub lambda: Rat,
    /// m.
    pub m: usize,
    /// Steps (charts and leaves) checked.
    pub steps: usize,
}

/// The first step that failed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The step (`#id` of the tree, or the part of the file).
    pub step: String,
    /// Why it failed.
    pub why: String,
    /// `Some(kind)` when the step is of a kind the checker cannot
    /// re-verify (yet): not a refutation, but never a pass either.
    pub unverified: Option<String>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.unverified {
            Some(kind) => write!(f, "unverified step {kind} at {}: {}", self.step, self.why),
            None => write!(f, "step {}: {}", self.step, self.why),
        }
    }
}

impl Failure {
    fn new(step: &str, why: String) -> Failure {
        Failure { step: step.into(), why, unverified: None }
    }
}

type Res<T> = Result<T, String>;

/// Re-verifies the output of `rlct exact --json` (or a bare certificate):
/// `Ok` only when every step checks and the recomputed pair is the one
/// claimed.
pub fn check(doc: &Value) -> Result<Verified, Failure> {
    let fail = |step: &str, why: String| Failure::new(step, why);
    // A second proof by blow-ups of the problem itself, when the answer
    // came from another engine.
    let second = doc.pointer("/certificate/resolution").filter(|c| c.get("format").is_some());
    let Some(cert) = second.or_else(|| find_certificate(doc)) else {
        let method = doc.get("method").and_then(Value::as_str).unwrap_or("unknown");
        return Err(Failure {
            unverified: Some(format!("engine-{method}")),
            ..fail(
                "certificate",
                format!(
                    "no {FORMAT} resolution certificate in the file (method {method}), and results of that \
                     engine without a second proof by blow-ups cannot be re-verified yet"
                ),
            )
        });
    };
    if second.is_none() && has_engine(doc, "matrix-chain") {
        return Err(Failure {
            unverified: Some("matrix-chain".into()),
            ..fail(
                "certificate",
                "the result rests on the matrix-chain normal form and rank reduction (docs/theory.md), which \
                 the checker cannot re-verify yet"
                    .into(),
            )
        });
    }
    if let Some(w) =
        doc.get("certificate").filter(|c| second.is_none() && c.get("regression_equivalence").is_some())
    {
        population_equivalence(w, cert).map_err(|e| fail("regression equivalence", e))?;
    }
    let mut cx = Checker { done: HashMap::new(), steps: 0 };
    let (root, sqrt) = root_chart(cert).map_err(|e| fail("input", e))?;
    let tree = cert.get("tree").ok_or_else(|| fail("tree", "missing".into()))?;
    let chart = cx.arrive(tree, &root, sqrt).map_err(|e| fail(&step_name(tree), e))?;
    let out = cx.node(tree, &chart)?;
    let Out::Exact(Some((lambda, m))) = out else {
        return Err(fail("result", format!("the tree proves {}, not an exact pair", show(&out))));
    };
    // The claims: in the certificate and at the top of the document.
    let claims = [
        (cert.get("claim").and_then(|c| c.get("lambda")), cert.get("claim").and_then(|c| c.get("m"))),
        (doc.get("lambda"), doc.get("multiplicity")),
    ];
    for (l, mm) in claims {
        let (Some(l), Some(mm)) = (l, mm) else { continue };
        let l = rat(l).map_err(|e| fail("claim", e))?;
        if l != lambda || mm.as_u64() != Some(m as u64) {
            return Err(fail(
                "claim",
                format!("claimed λ = {l}, m = {mm}, but the tree proves λ = {lambda}, m = {m}"),
            ));
        }
    }
    for st in [cert.get("claim").and_then(|c| c.get("status")), doc.get("status")].into_iter().flatten() {
        if st.as_str() != Some("exact") {
            return Err(fail("claim", format!("status {st} is not exact")));
        }
    }
    Ok(Verified { lambda, m, steps: cx.steps })
}

/// A regression model's loss was replaced by its coefficient ideal: the
/// checker verifies `K = c·Σ g_i²` exactly for a constant `c > 0` (so the
/// two have the same pair), which holds for features linear in the
/// Gaussian inputs; anything else is not re-verified.
fn population_equivalence(w: &Value, cert: &Value) -> Res<()> {
    let pop = w.get("population_loss").filter(|p| !p.is_null()).ok_or("no population loss recorded")?;
    let loss = cert.get("loss").ok_or("missing loss")?;
    if pop.get("vars") != loss.get("vars") || loss.get("ideal").and_then(Value::as_bool) != Some(true) {
        return Err("the coefficient ideal is not over the model's variables".into());
    }
    let n = loss.get("vars").and_then(Value::as_array).map_or(0, Vec::len);
    let k = poly(pop.get("k").ok_or("missing k")?, n)?;
    let gens: Vec<Poly> = loss
        .get("gens")
        .and_then(Value::as_array)
        .ok_or("missing gens")?
        .iter()
        .map(|g| poly(g, n))
        .collect::<Res<_>>()?;
    let s = gens.iter().fold(Poly::zero(n), |a, g| &a + &(g * g));
    let (Some(tk), Some(ts)) = (k.terms().last(), s.terms().last()) else {
        return Err("K or the ideal is zero".into());
    };
    let c = &tk.coef / &ts.coef;
    if !c.is_positive() || s.scale(&c) != k {
        return Err(
            "K is not a positive multiple of Σ g² (non-linear features are not re-verified yet)".into()
        );
    }
    Ok(())
}

fn has_engine(v: &Value, name: &str) -> bool {
    match v {
        Value::Object(o) => {
            o.get("engine").and_then(Value::as_str) == Some(name) || o.values().any(|c| has_engine(c, name))
        }
        _ => false,
    }
}

fn find_certificate(v: &Value) -> Option<&Value> {
    match v {
        Value::Object(o) => {
            if o.get("format").and_then(Value::as_str) == Some(FORMAT) {
                return Some(v);
            }
            o.values().find_map(find_certificate)
        }
        _ => None,
    }
}

fn step_name(s: &Value) -> String {
    s.get("id").and_then(Value::as_u64).map_or("?".into(), |i| format!("#{i}"))
}

// ---------------------------------------------------------------- data

/// A chart: `K ≍ |u^β|^p·J` (p = 2 for an ideal), prior `|u^h|`, region
/// (`None` local, `Some((lo, hi))` a box).
#[derive(Clone, Debug, PartialEq)]
struct Chart {
    ideal: bool,
    gens: Vec<Poly>,
    beta: Vec<u32>,
    h: Vec<u32>,
    region: Vec<Option<(Rat, Rat)>>,
}

impl Chart {
    fn dim(&self) -> usize {
        self.beta.len()
    }
    fn p(&self) -> u32 {
        if self.ideal { 2 } else { 1 }
    }
    /// The generators times the monomial factor: `u^β·g`.
    fn full(&self) -> Vec<Poly> {
        self.gens.iter().map(|g| g.mul_monomial(&self.beta)).collect()
    }
    fn keep(&self, keep: &[usize]) -> Chart {
        Chart {
            ideal: self.ideal,
            gens: self.gens.iter().map(|g| project(g, keep)).collect(),
            beta: keep.iter().map(|&i| self.beta[i]).collect(),
            h: keep.iter().map(|&i| self.h[i]).collect(),
            region: keep.iter().map(|&i| self.region[i].clone()).collect(),
        }
    }
}

fn project(g: &Poly, keep: &[usize]) -> Poly {
    Poly::from_terms(
        keep.len(),
        g.terms().iter().map(|t| (keep.iter().map(|&i| t.exp[i]).collect(), t.coef.clone())),
    )
}

fn rat(v: &Value) -> Res<Rat> {
    let s = v.as_str().ok_or_else(|| format!("expected a rational as a string, got {v}"))?;
    Rat::from_str(s).map_err(|_| format!("not a rational: {s}"))
}

fn u32s(v: Option<&Value>, what: &str) -> Res<Vec<u32>> {
    v.and_then(Value::as_array)
        .ok_or_else(|| format!("missing {what}"))?
        .iter()
        .map(|x| x.as_u64().and_then(|x| u32::try_from(x).ok()).ok_or_else(|| format!("bad entry in {what}")))
        .collect()
}

fn usizes(v: Option<&Value>, what: &str) -> Res<Vec<usize>> {
    Ok(u32s(v, what)?.into_iter().map(|x| x as usize).collect())
}

fn poly(v: &Value, n: usize) -> Res<Poly> {
    let terms = v.as_array().ok_or("a polynomial is a list of terms")?;
    let mut out = Vec::with_capacity(terms.len());
    for t in terms {
        let t = t.as_array().filter(|t| t.len() == 2).ok_or("a term is [coefficient, exponents]")?;
        let c = rat(&t[0])?;
        let e = u32s(Some(&t[1]), "exponents")?;
        if e.len() != n {
            return Err(format!("a term has {} exponents, the chart {n} variables", e.len()));
        }
        out.push((e, c));
    }
    Ok(Poly::from_terms(n, out))
}

fn chart(v: &Value) -> Res<Chart> {
    let beta = u32s(v.get("beta"), "beta")?;
    let n = beta.len();
    let h = u32s(v.get("h"), "h")?;
    let region: Vec<Option<(Rat, Rat)>> = v
        .get("region")
        .and_then(Value::as_array)
        .ok_or("missing region")?
        .iter()
        .map(|r| match r {
            Value::Null => Ok(None),
            Value::Array(a) if a.len() == 2 => {
                let (lo, hi) = (rat(&a[0])?, rat(&a[1])?);
                if lo > Rat::zero() || hi < Rat::zero() {
                    return Err(format!("a box [{lo}, {hi}] must contain 0"));
                }
                Ok(Some((lo, hi)))
            }
            _ => Err("a region entry is null or [lo, hi]".to_string()),
        })
        .collect::<Res<_>>()?;
    if h.len() != n || region.len() != n {
        return Err("beta, h and region have different lengths".into());
    }
    let gens = v
        .get("gens")
        .and_then(Value::as_array)
        .ok_or("missing gens")?
        .iter()
        .map(|g| poly(g, n))
        .collect::<Res<_>>()?;
    let ideal = v.get("ideal").and_then(Value::as_bool).ok_or("missing ideal")?;
    Ok(Chart { ideal, gens, beta, h, region })
}

/// The chart the search starts from, rebuilt from the loss.
fn root_chart(cert: &Value) -> Res<(Chart, bool)> {
    let loss = cert.get("loss").ok_or("missing loss")?;
    let prior = u32s(loss.get("prior"), "prior")?;
    let n = prior.len();
    let gens: Vec<Poly> = loss
        .get("gens")
        .and_then(Value::as_array)
        .ok_or("missing loss generators")?
        .iter()
        .map(|g| poly(g, n))
        .collect::<Res<_>>()?;
    let ideal = loss.get("ideal").and_then(Value::as_bool).ok_or("missing loss.ideal")?;
    let sqrt = loss.get("sqrt").and_then(Value::as_bool) == Some(true);
    if sqrt && (ideal || gens.len() != 1) {
        return Err("sqrt is only for a polynomial loss".into());
    }
    Ok((Chart { ideal, gens, beta: vec![0; n], h: prior, region: vec![None; n] }, sqrt))
}

// ------------------------------------------------------------ outcomes

#[derive(Clone, Debug, PartialEq)]
enum Out {
    /// The pair (`None`: no zero on the region).
    Exact(Option<(Rat, usize)>),
    /// `lower ≤ λ ≤ upper`.
    Bound(Rat, Option<Rat>),
}

fn show(o: &Out) -> String {
    match o {
        Out::Exact(Some((l, m))) => format!("exact ({l}, {m})"),
        Out::Exact(None) => "no zero".into(),
        Out::Bound(l, Some(u)) => format!("{l} ≤ λ ≤ {u}"),
        Out::Bound(l, None) => format!("λ ≥ {l}"),
    }
}

fn out_of(v: Option<&Value>) -> Res<Out> {
    let v = v.ok_or("missing value")?;
    if let Some(e) = v.get("exact") {
        if e.is_null() {
            return Ok(Out::Exact(None));
        }
        let m = e.get("m").and_then(Value::as_u64).ok_or("missing m")? as usize;
        return Ok(Out::Exact(Some((rat(e.get("lambda").ok_or("missing lambda")?)?, m))));
    }
    let b = v.get("bound").ok_or("a value is exact or bound")?;
    let lower = rat(b.get("lower").ok_or("missing lower")?)?;
    let upper = match b.get("upper") {
        None | Some(Value::Null) => None,
        Some(u) => Some(rat(u)?),
    };
    Ok(Out::Bound(lower, upper))
}

fn min_opt(a: Option<Rat>, b: Option<Rat>) -> Option<Rat> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if x < y { x } else { y }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Union (`add_m = false`) or product (`true`) of regions' outcomes: the
/// most singular pair; ties in λ take the larger m (union) or add the m
/// (product). docs/theory.md §2.
fn combine_min(outs: &[Out], add_m: bool) -> Out {
    let mut best: Option<(Rat, usize)> = None;
    let mut bound: Option<(Rat, Option<Rat>)> = None;
    for o in outs {
        match o {
            Out::Exact(None) => {}
            Out::Exact(Some((l, m))) => {
                best = Some(match best.take() {
                    None => (l.clone(), *m),
                    Some((bl, _)) if *l < bl => (l.clone(), *m),
                    Some((bl, bm)) if *l == bl => (bl, if add_m { bm + m } else { bm.max(*m) }),
                    Some(b) => b,
                })
            }
            Out::Bound(lo, up) => {
                bound = Some(match bound.take() {
                    None => (lo.clone(), up.clone()),
                    Some((l0, u0)) => (if *lo < l0 { lo.clone() } else { l0 }, min_opt(u0, up.clone())),
                })
            }
        }
    }
    match (best, bound) {
        (b, None) => Out::Exact(b),
        (Some((l, m)), Some((lo, _))) if l < lo => Out::Exact(Some((l, m))),
        (Some((l, _)), Some((lo, up))) => {
            Out::Bound(if l < lo { l.clone() } else { lo }, min_opt(up, Some(l)))
        }
        (None, Some((lo, up))) => Out::Bound(lo, up),
    }
}

/// Sum in separate variables: λ adds, m = Σm − (k − 1).
fn combine_sum(outs: &[Out]) -> Out {
    if outs.iter().any(|o| *o == Out::Exact(None)) {
        return Out::Exact(None);
    }
    let mut all_exact = true;
    let (mut l, mut m, mut lo, mut up) = (Rat::zero(), 1usize, Rat::zero(), Some(Rat::zero()));
    for o in outs {
        match o {
            Out::Exact(Some((a, b))) => {
                l += a;
                m += b - 1;
                lo += a;
                up = up.map(|u| u + a);
            }
            Out::Bound(a, b) => {
                all_exact = false;
                lo += a;
                up = match (up, b) {
                    (Some(u), Some(b)) => Some(u + b),
                    _ => None,
                };
            }
            Out::Exact(None) => unreachable!(),
        }
    }
    if all_exact { Out::Exact(Some((l, m))) } else { Out::Bound(lo, up) }
}

fn intersect(a: Out, b: Out) -> Out {
    match (a, b) {
        (e @ Out::Exact(_), _) | (_, e @ Out::Exact(_)) => e,
        (Out::Bound(l1, u1), Out::Bound(l2, u2)) => {
            Out::Bound(if l1 > l2 { l1 } else { l2 }, min_opt(u1, u2))
        }
    }
}

/// λ of `|u^β|^p` with prior `|u^h|`: min (h_j+1)/(p β_j), m = number of
/// minimisers.
fn normal_crossing(beta: &[u32], h: &[u32], p: u32) -> Option<(Rat, usize)> {
    let mut best: Option<(Rat, usize)> = None;
    for (&b, &hj) in beta.iter().zip(h) {
        if b == 0 {
            continue;
        }
        let l = Rat::new(BigInt::from(hj) + 1, BigInt::from(p) * BigInt::from(b));
        best = match best {
            Some((q, m)) if q == l => Some((q, m + 1)),
            Some((q, m)) if q < l => Some((q, m)),
            _ => Some((l, 1)),
        };
    }
    best
}

// --------------------------------------------------------- polynomials

/// `p` scaled to leading coefficient 1 (a generator up to a constant).
fn monic(p: &Poly) -> Poly {
    match p.terms().last() {
        Some(t) => p.scale(&(Rat::one() / &t.coef)),
        None => p.clone(),
    }
}

/// The generators as a set up to non-zero constant factors.
fn gen_set(gs: &[Poly]) -> Vec<Poly> {
    let mut v: Vec<Poly> = gs.iter().filter(|g| !g.is_zero()).map(monic).collect();
    v.sort_by_cached_key(|p| format!("{:?}", p.terms()));
    v.dedup();
    v
}

/// The generators as a set (exactly, zeros dropped).
fn exact_set(gs: &[Poly]) -> Vec<Poly> {
    let mut v: Vec<Poly> = gs.iter().filter(|g| !g.is_zero()).cloned().collect();
    v.sort_by_cached_key(|p| format!("{:?}", p.terms()));
    v.dedup();
    v
}

fn set_at_zero(gs: &[Poly], v: usize) -> Vec<Poly> {
    let n = gs.first().map_or(0, Poly::nvars);
    let sub: Vec<Poly> = (0..n).map(|i| if i == v { Poly::zero(n) } else { Poly::var(n, i) }).collect();
    gen_set(&gs.iter().map(|g| g.compose(&sub)).collect::<Vec<_>>())
}

/// Whether the ideals generated by `a` and `b` are equal, by a sufficient
/// test: the same generators up to constants; or, after dividing out the
/// common monomial of all of them, a common generator that is a variable
/// `x_v` and the same generators modulo `x_v`.
fn same_ideal(a: &[Poly], b: &[Poly]) -> bool {
    let (sa, sb) = (gen_set(a), gen_set(b));
    if sa == sb {
        return true;
    }
    let all: Vec<&Poly> = sa.iter().chain(&sb).collect();
    let Some(first) = all.first() else { return false };
    let mut common = first.monomial_content();
    for g in &all[1..] {
        for (c, x) in common.iter_mut().zip(g.monomial_content()) {
            *c = (*c).min(x);
        }
    }
    let da: Vec<Poly> = sa.iter().map(|g| g.div_monomial(&common)).collect();
    let db: Vec<Poly> = sb.iter().map(|g| g.div_monomial(&common)).collect();
    let n = common.len();
    for v in 0..n {
        let xv = Poly::var(n, v);
        if da.contains(&xv) && db.contains(&xv) && set_at_zero(&da, v) == set_at_zero(&db, v) {
            return true;
        }
    }
    // Each generator of one side reduces to 0 modulo the other side
    // (multivariate division): both inclusions.
    sb.iter().all(|g| reduces_to_zero(g, &sa)) && sa.iter().all(|g| reduces_to_zero(g, &sb))
}

/// Multivariate division of `f` by `by` (largest exponent first): true
/// when the remainder is 0, so `f` lies in the ideal of `by` (a sufficient
/// test; `false` only means "not shown").
fn reduces_to_zero(f: &Poly, by: &[Poly]) -> bool {
    let lead = |p: &Poly| p.terms().iter().max_by(|a, b| a.exp.cmp(&b.exp)).cloned();
    let leads: Vec<_> = by.iter().map(|g| lead(g)).collect();
    let n = f.nvars();
    let mut r = f.clone();
    for _ in 0..20_000 {
        let Some(lt) = lead(&r) else { return true };
        let Some((g, lg)) = by.iter().zip(&leads).find_map(|(g, l)| {
            l.as_ref().filter(|l| l.exp.iter().zip(&lt.exp).all(|(a, b)| a <= b)).map(|l| (g, l))
        }) else {
            return false; // the leading term is not divisible: a remainder (not a Gröbner basis, so not a proof)
        };
        let e: Vec<u32> = lt.exp.iter().zip(&lg.exp).map(|(a, b)| a - b).collect();
        r = &r - &(g * &Poly::monomial(n, e, &lt.coef / &lg.coef));
    }
    false
}

/// The determinant of a square matrix of polynomials (fraction-free
/// Gaussian elimination, Bareiss: every division is exact).
fn det(mut m: Vec<Vec<Poly>>) -> Res<Poly> {
    let n = m.len();
    let nv = m.first().and_then(|r| r.first()).map_or(0, Poly::nvars);
    let mut prev = Poly::one(nv);
    let mut sign = false;
    for k in 0..n {
        let Some(r) = (k..n).find(|&r| !m[r][k].is_zero()) else { return Ok(Poly::zero(nv)) };
        if r != k {
            m.swap(r, k);
            sign = !sign;
        }
        for i in k + 1..n {
            for j in k + 1..n {
                let a = &m[i][j] * &m[k][k];
                let num = if m[i][k].is_zero() { a } else { &a - &(&m[i][k] * &m[k][j]) };
                m[i][j] = num.div_exact(&prev, 1_000_000).ok_or("Jacobian: inexact Bareiss division")?;
            }
        }
        prev = m[k][k].clone();
    }
    let d = m[n - 1][n - 1].clone();
    Ok(if sign { -&d } else { d })
}

/// `c·u^e` when `p` is a single term.
fn as_monomial(p: &Poly) -> Option<(Vec<u32>, Rat)> {
    (p.len() == 1).then(|| (p.terms()[0].exp.clone(), p.terms()[0].coef.clone()))
}

/// The pull-back along `old = map(new)` of a monomial weight `u^w`
/// (β or h): monomial images add their exponents, other images must be
/// units on the child's region (they are dropped). Returns the exponent.
fn pull_weight(w: &[u32], map: &[Poly], region: &[Option<(Rat, Rat)>], what: &str) -> Res<Vec<u32>> {
    let n = region.len();
    let mut e = vec![0u32; n];
    for (v, &wv) in w.iter().enumerate() {
        if wv == 0 {
            continue;
        }
        match as_monomial(&map[v]) {
            Some((ev, _)) => {
                for (a, b) in e.iter_mut().zip(ev) {
                    *a += b * wv;
                }
            }
            None if proven_unit(&map[v], region, UNIT_BUDGET) => {}
            None => {
                return Err(format!(
                    "the image of variable {v} (in {what}) is neither a monomial nor a unit"
                ));
            }
        }
    }
    Ok(e)
}

// ------------------------------------------------------------- checker

struct Checker {
    /// Verified charts and outcomes by id (for memo hits).
    done: HashMap<usize, (Chart, Out)>,
    steps: usize,
}

fn data(s: &Value) -> Res<&Value> {
    s.get("data").filter(|d| !d.is_null()).ok_or_else(|| "no recorded data for this chart".to_string())
}

fn children(s: &Value) -> Vec<&Value> {
    s.get("children").and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default()
}

impl Checker {
    /// A chart produced by a move: checks the normalisation `pre → chart`
    /// and returns `(pre, chart)`. The caller checks `pre` against the
    /// parent. For the root, `expected` is the rebuilt input chart.
    fn arrive(&mut self, s: &Value, expected: &Chart, sqrt: bool) -> Res<Chart> {
        let d = data(s)?;
        let pre = chart(d.get("pre").ok_or("missing pre")?)?;
        if sqrt {
            // K = s²: the ideal <s>, whose pair is K's (K = Σ over one
            // generator squared); s must square to K exactly.
            let k = &expected.gens[0];
            if pre.gens.len() != 1 || !pre.ideal || &(&pre.gens[0] * &pre.gens[0]) != k {
                return Err("the root generator's square is not K".into());
            }
            let want = Chart { ideal: true, gens: pre.gens.clone(), ..expected.clone() };
            if pre != want {
                return Err("the root chart is not the input (prior, region or monomial factor)".into());
            }
        } else if pre != *expected {
            return Err("the root chart is not the input loss".into());
        }
        self.normalised(d, &pre)
    }

    /// Checks `data.chart` is the normalisation of `pre` and returns it.
    fn normalised(&mut self, d: &Value, pre: &Chart) -> Res<Chart> {
        let c = chart(d.get("chart").ok_or("missing chart")?)?;
        let kept = usizes(d.get("kept"), "kept")?;
        if kept.windows(2).any(|w| w[0] >= w[1])
            || kept.iter().any(|&i| i >= pre.dim())
            || kept.len() != c.dim()
        {
            return Err("kept is not an increasing list of variables".into());
        }
        let restricted = pre.keep(&kept);
        if c.ideal != pre.ideal || c.h != restricted.h || c.region != restricted.region {
            return Err("normalisation changed the prior, the region or the kind of loss".into());
        }
        // The new generators (with the monomial factor) in the old
        // variables: the dropped variables occur in none of them, so
        // integrating them out only changes a constant.
        let lift = |g: &Poly| {
            Poly::from_terms(
                pre.dim(),
                g.terms().iter().map(|t| {
                    let mut e = vec![0u32; pre.dim()];
                    for (k, &i) in kept.iter().enumerate() {
                        e[i] = t.exp[k];
                    }
                    (e, t.coef.clone())
                }),
            )
        };
        let before = exact_set(&pre.full());
        let after = exact_set(&c.full().iter().map(lift).collect::<Vec<_>>());
        if pre.ideal {
            // Every new generator is an old one; every old one is a
            // multiple of a new one (or zero): the same ideal.
            if after.iter().any(|g| !before.contains(g)) {
                return Err(
                    "normalisation introduced a generator (or dropped a variable that occurs in K)".into()
                );
            }
            for g in &before {
                if !after.contains(g) && !after.iter().any(|a| g.div_exact(a, 4 * g.len() + 64).is_some()) {
                    return Err(
                        "normalisation dropped a generator that is not a multiple of a kept one".into()
                    );
                }
            }
        } else if before != after {
            return Err("normalisation changed K (or dropped a variable that occurs in K)".into());
        }
        Ok(c)
    }

    /// Verifies one node of the tree on its (verified) chart; returns the
    /// recomputed outcome, which must equal the recorded one.
    fn node(&mut self, s: &Value, c: &Chart) -> Result<Out, Failure> {
        let name = step_name(s);
        let out = self.node_inner(s, c).map_err(|e| match e {
            Err2::Here(why) => Failure::new(&name, why),
            Err2::Unverified(kind, why) => Failure { unverified: Some(kind), ..Failure::new(&name, why) },
            Err2::Below(f) => f,
        })?;
        let claimed = out_of(s.get("value")).map_err(|why| Failure::new(&name, why))?;
        if claimed != out {
            return Err(Failure::new(
                &name,
                format!("recorded outcome {} but the checker recomputes {}", show(&claimed), show(&out)),
            ));
        }
        self.steps += 1;
        if let Some(id) = s.get("id").and_then(Value::as_u64) {
            self.done.insert(id as usize, (c.clone(), out.clone()));
        }
        Ok(out)
    }

    fn node_inner(&mut self, s: &Value, c: &Chart) -> Result<Out, Err2> {
        let kind = s.get("kind").and_then(Value::as_str).unwrap_or("");
        let mv = s.get("move").and_then(Value::as_str).unwrap_or("");
        let kids = children(s);
        match kind {
            "memo" => Ok(self.memo(s, c)?),
            "limit" | "undecided" => Ok(self.bounds(s, c)?),
            "attempts" => {
                let mut acc: Option<Out> = None;
                for k in kids {
                    let o = self.node(k, c).map_err(Err2::Below)?;
                    acc = Some(match acc {
                        None => o,
                        Some(a) => intersect(a, o),
                    });
                }
                acc.ok_or_else(|| Err2::Here("no attempts".into()))
            }
            "leaf" | "bound" => self.leaf(mv, s, c),
            "change" => {
                let [k] = kids[..] else { return Err(Err2::Here("a change has one child".into())) };
                let (pre, child) = self.child(k)?;
                match mv {
                    "pivot" | "triangular-change" | "quotient-shift" | "affine-factor" => {
                        let map = self.pullback_link(k)?;
                        self.check_pullback(c, &pre, &map, false)?;
                        check_invertible_region(c, &pre, &map)?;
                    }
                    // Changes of generators only: the identity map, and the
                    // ideal check of the pull-back does the work.
                    "interreduce" | "generator-span" => {
                        let map: Vec<Poly> = (0..c.dim()).map(|i| Poly::var(c.dim(), i)).collect();
                        self.check_pullback(c, &pre, &map, false)?;
                        check_invertible_region(c, &pre, &map)?;
                    }
                    _ => {
                        return Err(unverified(
                            mv,
                            format!("changes by move `{mv}` cannot be re-verified yet"),
                        ));
                    }
                }
                self.node(k, &child).map_err(Err2::Below)
            }
            "split" => self.split(mv, s, c, &kids),
            _ => Err(unverified(kind, format!("steps of kind `{kind}` cannot be re-verified"))),
        }
    }

    fn child(&mut self, k: &Value) -> Result<(Chart, Chart), Err2> {
        let at = |why: String| Err2::Below(Failure::new(&step_name(k), why));
        let d = data(k).map_err(at)?;
        let pre = chart(d.get("pre").ok_or("missing pre").map_err(|e| at(e.into()))?).map_err(at)?;
        let c = self.normalised(d, &pre).map_err(at)?;
        Ok((pre, c))
    }

    fn pullback_link(&self, k: &Value) -> Result<Vec<Poly>, Err2> {
        let at = |why: String| Err2::Below(Failure::new(&step_name(k), why));
        let d = data(k).map_err(at)?;
        let pre = chart(d.get("pre").ok_or("missing pre").map_err(|e| at(e.into()))?).map_err(at)?;
        let map = d
            .get("link")
            .and_then(|l| l.get("pullback"))
            .and_then(Value::as_array)
            .ok_or_else(|| at("no substitution recorded".into()))?;
        if map.len() != pre.dim() {
            return Err(at("the substitution has the wrong number of components".into()));
        }
        map.iter().map(|p| poly(p, pre.dim())).collect::<Res<Vec<_>>>().map_err(at)
    }

    /// `pre` is the pull-back of `c` along `old = map(new)`: generators
    /// (the same ideal), monomial factor and units, prior and Jacobian.
    ///
    /// `strict`: the generators must be exactly the pulled-back ones (the
    /// charts of a modification or a translation), not only the same ideal
    /// (changes of coordinates that also change generators).
    fn check_pullback(&self, c: &Chart, pre: &Chart, map: &[Poly], strict: bool) -> Res<()> {
        if pre.dim() != c.dim() || pre.ideal != c.ideal {
            return Err("the sub-chart does not have the parent's variables".into());
        }
        // Parent's generators, pulled back, times the pulled-back monomial.
        let mono = pull_weight(&c.beta, map, &pre.region, "the monomial factor")?;
        let pulled: Vec<Poly> = c.gens.iter().map(|g| g.compose(map).mul_monomial(&mono)).collect();
        let ok = if strict {
            exact_set(&pulled) == exact_set(&pre.full())
        } else if c.ideal {
            same_ideal(&pulled, &pre.full())
        } else {
            gen_set(&pulled) == gen_set(&pre.full())
        };
        if !ok {
            return Err("the sub-chart's generators are not the pull-back of the parent's".into());
        }
        // Prior: pulled-back |u^h| times |Jacobian|.
        let mut h = pull_weight(&c.h, map, &pre.region, "the prior")?;
        let n = c.dim();
        let jac: Vec<Vec<Poly>> = (0..n).map(|i| (0..n).map(|j| map[i].derivative(j)).collect()).collect();
        let dj = det(jac)?;
        if dj.is_zero() {
            return Err("the substitution has Jacobian 0".into());
        }
        let e = dj.monomial_content();
        let rest = dj.div_monomial(&e);
        if !rest.is_constant() && !proven_unit(&rest, &pre.region, UNIT_BUDGET) {
            return Err(format!("the Jacobian's non-monomial part is not proven a unit: {rest}"));
        }
        for (a, b) in h.iter_mut().zip(e) {
            *a += b;
        }
        if h != pre.h {
            return Err(format!("prior exponents {:?}, but the pull-back gives {:?}", pre.h, h));
        }
        // Points where the new local variables vanish lie where the old
        // ones do (so every point the sub-chart adds is over the point).
        for (i, r) in c.region.iter().enumerate() {
            if r.is_none() && !at_centre(&map[i], &pre.region).is_zero() {
                return Err(format!(
                    "variable {i} is local but its image does not vanish where the new local ones do"
                ));
            }
        }
        Ok(())
    }

    fn memo(&mut self, s: &Value, c: &Chart) -> Res<Out> {
        let m = data(s)?.get("memo").ok_or("missing memo data")?;
        let of = m.get("of").and_then(Value::as_u64).ok_or("missing memo.of")? as usize;
        let (o, oo) = (usizes(m.get("order"), "order")?, usizes(m.get("order_of"), "order_of")?);
        let (other, out) =
            self.done.get(&of).cloned().ok_or(format!("memo of #{of}, not verified before"))?;
        let perm = |p: &[usize], n: usize| {
            let mut q = p.to_vec();
            q.sort();
            q == (0..n).collect::<Vec<_>>()
        };
        if !perm(&o, c.dim()) || !perm(&oo, other.dim()) {
            return Err("memo orders are not permutations".into());
        }
        let (a, b) = (c.keep(&o), other.keep(&oo));
        if a.ideal != b.ideal
            || a.beta != b.beta
            || a.h != b.h
            || a.region != b.region
            || exact_set(&a.gens) != exact_set(&b.gens)
        {
            return Err(format!("not equivalent to chart #{of} under the recorded relabelling"));
        }
        Ok(out)
    }

    /// Proven bounds at a chart the search did not finish: the checker
    /// re-proves λ ≥ 1/deg K and λ ≤ λ(|u^β|^p) and accepts a recorded
    /// bound only when it is implied by these.
    fn bounds(&self, s: &Value, c: &Chart) -> Res<Out> {
        let Out::Bound(lo, up) = out_of(s.get("value"))? else {
            return Err("an unfinished chart must record a bound".into());
        };
        let deg = c.gens.iter().map(Poly::degree).max().unwrap_or(0) + c.beta.iter().sum::<u32>();
        let own_lo = Rat::new(BigInt::one(), BigInt::from((c.p() * deg).max(1)));
        if lo > own_lo {
            return Err(format!(
                "the recorded lower bound {lo} is stronger than what the checker re-proves (1/deg K = {own_lo})"
            ));
        }
        let own_up = normal_crossing(&c.beta, &c.h, c.p()).map(|p| p.0);
        if let Some(u) = &up
            && own_up.as_ref().is_none_or(|o| u < o)
        {
            return Err(format!("the recorded upper bound {u} is not re-proven"));
        }
        Ok(Out::Bound(lo, up))
    }

    fn leaf(&self, mv: &str, s: &Value, c: &Chart) -> Result<Out, Err2> {
        match mv {
            "unit" => {
                if !c.gens.iter().any(|g| proven_unit(g, &c.region, UNIT_BUDGET)) {
                    return Err(Err2::Here("no generator is proven a unit on the region".into()));
                }
                Ok(Out::Exact(normal_crossing(&c.beta, &c.h, c.p())))
            }
            "empty-ideal" => {
                if !c.gens.is_empty() {
                    return Err(Err2::Here("the ideal is not empty".into()));
                }
                Ok(Out::Bound(Rat::zero(), None))
            }
            "smooth-point" => {
                if !c.ideal || c.region.iter().any(Option::is_some) || c.gens.is_empty() {
                    return Err(Err2::Here("a smooth-point leaf needs an ideal on a local chart".into()));
                }
                if c.gens.iter().any(|g| !g.constant_term().is_zero()) {
                    return Err(Err2::Here("a generator does not vanish at the origin".into()));
                }
                let free: Vec<usize> = (0..c.dim()).filter(|&v| c.beta[v] == 0 && c.h[v] == 0).collect();
                let rows: Vec<Vec<Rat>> = c
                    .gens
                    .iter()
                    .map(|g| {
                        free.iter()
                            .map(|&v| {
                                let mut e = vec![0; c.dim()];
                                e[v] = 1;
                                g.coeff(&e)
                            })
                            .collect()
                    })
                    .collect();
                let k = c.gens.len();
                if rank(rows) != k {
                    return Err(unverified(
                        "smooth-point (smooth fibre)",
                        "the generators' differentials in the variables free of β and h are not independent \
                         (the smooth-fibre variant cannot be re-verified yet)",
                    ));
                }
                // Coordinates w: K ≍ |u^β|²·Σ w², a product in separate variables.
                let w = Out::Exact(Some((Rat::new(BigInt::from(k), BigInt::from(2)), 1)));
                Ok(combine_min(&[Out::Exact(normal_crossing(&c.beta, &c.h, 2)), w], true))
            }
            "monomial-ideal" => {
                // Every face polynomial of Γ(Σ u^{2(β+α_i)}) is a sum of
                // even monomials with positive coefficients: no zero in the
                // real torus, so Γ is non-degenerate and the pair is the
                // Newton pair (Varchenko, Lin; Howald for monomial ideals;
                // docs/theory.md §3.2). The checker re-proves the
                // hypotheses and the Newton pair from the recorded LP
                // certificate.
                if !c.ideal || c.gens.is_empty() || c.region.iter().any(Option::is_some) {
                    return Err(Err2::Here("a monomial-ideal leaf needs an ideal on a local chart".into()));
                }
                if c.gens.iter().any(|g| g.len() != 1) {
                    return Err(Err2::Here(
                        "a generator of the monomial-ideal leaf is not a monomial".into(),
                    ));
                }
                let cert = data(s)?.get("newton").filter(|v| !v.is_null()).ok_or_else(|| {
                    Err2::Here("no Newton-polyhedron certificate recorded for the leaf".into())
                })?;
                let (lambda, m) = newton_certificate(c, cert)?;
                Ok(Out::Exact(Some((lambda, m))))
            }
            _ => Err(unverified(mv, format!("leaves of move `{mv}` cannot be re-verified yet"))),
        }
    }

    fn split(&mut self, mv: &str, s: &Value, c: &Chart, kids: &[&Value]) -> Result<Out, Err2> {
        let here = Err2::Here;
        match mv {
            "blow-up" | "point-blow-up" => {
                if c.region.iter().any(Option::is_some) {
                    return Err(here("a coordinate blow-up needs every variable local".into()));
                }
                let mut centre: Option<Vec<usize>> = None;
                let mut js = Vec::new();
                let mut outs = Vec::new();
                for &k in kids {
                    let (pre, child) = self.child(k)?;
                    let map = self.pullback_link(k)?;
                    let (sset, j) = blow_up_chart_of(&map).map_err(|e| at(k, e))?;
                    if centre.as_ref().is_some_and(|c0| *c0 != sset) {
                        return Err(here("the charts blow up different centres".into()));
                    }
                    for (i, r) in pre.region.iter().enumerate() {
                        let ok = if i != j && sset.contains(&i) {
                            r.as_ref().is_some_and(|(lo, hi)| *lo <= -Rat::one() && *hi >= Rat::one())
                        } else {
                            r.is_none()
                        };
                        if !ok {
                            return Err(at(k, format!("variable {i}: wrong region for chart {j}")));
                        }
                    }
                    self.check_pullback(c, &pre, &map, true).map_err(|e| at(k, e))?;
                    centre = Some(sset);
                    js.push(j);
                    outs.push(self.node(k, &child).map_err(Err2::Below)?);
                }
                let centre = centre.ok_or_else(|| here("no charts".into()))?;
                js.sort();
                if js != centre || centre.len() < 2 {
                    return Err(here(format!(
                        "the charts {js:?} do not cover the blow-up of the centre {centre:?}"
                    )));
                }
                Ok(combine_min(&outs, false))
            }
            "monomial-factor" => {
                let [leaf, k] = kids[..] else { return Err(here("a monomial factor has two parts".into())) };
                let used: Vec<bool> =
                    (0..c.dim()).map(|i| c.gens.iter().any(|g| g.degree_in(i) > 0)).collect();
                let inside: Vec<usize> = (0..c.dim()).filter(|&i| used[i]).collect();
                let outside: Vec<usize> = (0..c.dim()).filter(|&i| !used[i]).collect();
                if outside.is_empty() {
                    return Err(here("every variable occurs in a generator".into()));
                }
                let m = c.keep(&outside);
                let lo = Out::Exact(normal_crossing(&m.beta, &m.h, c.p()));
                self.leaf_value(leaf, &lo)?;
                let (pre, child) = self.child(k)?;
                if pre != c.keep(&inside) {
                    return Err(at(
                        k,
                        "the other factor is not the chart on the variables of the generators".into(),
                    ));
                }
                let o = self.node(k, &child).map_err(Err2::Below)?;
                Ok(combine_min(&[lo, o], true))
            }
            "sum" => {
                if c.beta.iter().any(|&b| b > 0) {
                    return Err(here("a sum split needs β = 0".into()));
                }
                let mut items: Vec<Poly> = if c.ideal {
                    c.gens.clone()
                } else {
                    if c.region.iter().any(Option::is_some)
                        || c.gens.len() != 1
                        || !c.gens[0].constant_term().is_zero()
                    {
                        return Err(here("a sum of terms needs K(0) = 0 on a local chart".into()));
                    }
                    c.gens[0]
                        .terms()
                        .iter()
                        .map(|t| Poly::monomial(c.dim(), t.exp.clone(), t.coef.clone()))
                        .collect()
                };
                let mut seen = vec![false; c.dim()];
                let mut outs = Vec::new();
                for &k in kids {
                    let (pre, child) = self.child(k)?;
                    let keep = restrict_link(k)?;
                    if keep.iter().any(|&i| i >= c.dim() || seen[i]) {
                        return Err(at(k, "the summands' variables overlap".into()));
                    }
                    for &i in &keep {
                        seen[i] = true;
                    }
                    let (mine, rest): (Vec<Poly>, Vec<Poly>) = items.into_iter().partition(|g| {
                        g.terms().iter().all(|t| (0..c.dim()).all(|i| t.exp[i] == 0 || keep.contains(&i)))
                    });
                    items = rest;
                    let gens: Vec<Poly> = if c.ideal {
                        mine.iter().map(|g| project(g, &keep)).collect()
                    } else {
                        vec![project(&mine.iter().fold(Poly::zero(c.dim()), |a, b| &a + b), &keep)]
                    };
                    let want = Chart { gens, ..c.keep(&keep) };
                    if pre.ideal != want.ideal
                        || pre.beta != want.beta
                        || pre.h != want.h
                        || pre.region != want.region
                        || exact_set(&pre.gens) != exact_set(&want.gens)
                    {
                        return Err(at(k, "the summand is not the chart's part in its variables".into()));
                    }
                    outs.push(self.node(k, &child).map_err(Err2::Below)?);
                }
                if !items.is_empty() || outs.len() < 2 {
                    return Err(here("the summands do not account for every generator".into()));
                }
                Ok(combine_sum(&outs))
            }
            "positive-grading" => {
                let [k] = kids[..] else { return Err(here("one part expected".into())) };
                let (pre, child) = self.child(k)?;
                let d = data(k).map_err(|e| at(k, e))?;
                let q: Vec<Rat> = d
                    .get("link")
                    .and_then(|l| l.get("grading"))
                    .and_then(Value::as_array)
                    .ok_or_else(|| at(k, "no grading recorded".into()))?
                    .iter()
                    .map(rat)
                    .collect::<Res<_>>()
                    .map_err(|e| at(k, e))?;
                if q.len() != c.dim() {
                    return Err(at(k, "the grading has the wrong length".into()));
                }
                if (0..c.dim()).any(|i| c.region[i].is_some() && !q[i].is_positive()) {
                    return Err(at(k, "the grading is not positive on a bounded variable".into()));
                }
                for g in &c.gens {
                    let w = |e: &[u32]| {
                        e.iter().zip(&q).fold(Rat::zero(), |a, (&x, y)| a + y * Rat::from_integer(x.into()))
                    };
                    let ws: Vec<Rat> = g.terms().iter().map(|t| w(&t.exp)).collect();
                    if ws.windows(2).any(|p| p[0] != p[1]) {
                        return Err(at(k, "a generator is not quasi-homogeneous for the grading".into()));
                    }
                }
                let want = Chart { region: vec![None; c.dim()], ..c.clone() };
                if pre != want {
                    return Err(at(k, "the part is not the chart with the box shrunk to the origin".into()));
                }
                self.node(k, &child).map_err(Err2::Below)
            }
            "hyperplane-factor" => {
                let [near, rest] = kids[..] else { return Err(here("two parts expected".into())) };
                let (pre_n, child_n) = self.child(near)?;
                let map = self.pullback_link(near)?;
                // A translation v = u_v + r of a bounded v, r in its box.
                let moved: Vec<usize> = (0..c.dim()).filter(|&i| map[i] != Poly::var(c.dim(), i)).collect();
                let [v] = moved[..] else { return Err(at(near, "not a translation of one variable".into())) };
                let r = &map[v] - &Poly::var(c.dim(), v);
                let Some((lo, hi)) = c.region[v].clone() else {
                    return Err(at(near, "the translated variable is not bounded".into()));
                };
                if !r.is_constant() || r.constant_term() < lo || r.constant_term() > hi {
                    return Err(at(near, "not a translation to a point of the box".into()));
                }
                let r = r.constant_term();
                let mut want_region = c.region.clone();
                want_region[v] = None;
                if pre_n.region != want_region {
                    return Err(at(
                        near,
                        "the translated chart's region is not the neighbourhood of the point".into(),
                    ));
                }
                self.check_pullback(c, &pre_n, &map, true).map_err(|e| at(near, e))?;
                let (pre_r, child_r) = self.child(rest)?;
                if pre_r.ideal != c.ideal
                    || !c.ideal
                    || pre_r.h != c.h
                    || pre_r.region != c.region
                    || pre_r.dim() != c.dim()
                {
                    return Err(at(rest, "the quotient chart changed the prior or the region".into()));
                }
                let (a, b) = (exact_set(&c.full()), exact_set(&pre_r.full()));
                let only_a: Vec<&Poly> = a.iter().filter(|g| !b.contains(g)).collect();
                let only_b: Vec<&Poly> = b.iter().filter(|g| !a.contains(g)).collect();
                let lin = &Poly::var(c.dim(), v) - &Poly::constant(c.dim(), r);
                let ok = match (&only_a[..], &only_b[..]) {
                    ([f], [q]) => &lin * *q == **f,
                    _ => false,
                };
                if !ok {
                    return Err(at(
                        rest,
                        "the quotient chart is not one generator divided by the hyperplane".into(),
                    ));
                }
                let o1 = self.node(near, &child_n).map_err(Err2::Below)?;
                let o2 = self.node(rest, &child_r).map_err(Err2::Below)?;
                Ok(combine_min(&[o1, o2], false))
            }
            "toric-charts" => self.toric(c, kids),
            _ => {
                let _ = s;
                Err(unverified(mv, format!("splits by move `{mv}` cannot be re-verified yet")))
            }
        }
    }

    /// Toric charts of a regular fan in the plane: the cones, sorted by
    /// angle, tile the quadrant with unimodular cones; the fibre over the
    /// origin is the union of the divisors of the interior rays, each a
    /// projective line covered by its two cones' charts with the other
    /// coordinate in [−1, 1] (the two coordinates are inverse on it). Each
    /// sub-chart is checked as a pull-back.
    fn toric(&mut self, c: &Chart, kids: &[&Value]) -> Result<Out, Err2> {
        let here = Err2::Here;
        if c.region.iter().any(Option::is_some) {
            return Err(here("toric charts need every variable local".into()));
        }
        if c.dim() > 2 {
            return self.toric_nd(c, kids);
        }
        let mut cones: Vec<[[u32; 2]; 2]> = Vec::new();
        let mut subs: Vec<([[u32; 2]; 2], usize)> = Vec::new();
        let mut outs = Vec::new();
        for &k in kids {
            let (pre, child) = self.child(k)?;
            let map = self.pullback_link(k)?;
            let mut v = [[0u32; 2]; 2]; // v[j] = the ray of y_j
            for (i, p) in map.iter().enumerate() {
                let (e, coef) =
                    as_monomial(p).ok_or_else(|| at(k, "a toric chart map is monomial".into()))?;
                if coef != Rat::one() {
                    return Err(at(k, "a toric chart map has coefficient 1".into()));
                }
                v[0][i] = e[0];
                v[1][i] = e[1];
            }
            let det = v[0][0] as i64 * v[1][1] as i64 - v[0][1] as i64 * v[1][0] as i64;
            if det.abs() != 1 {
                return Err(at(k, format!("the cone {v:?} is not unimodular")));
            }
            let local: Vec<usize> = (0..2).filter(|&j| pre.region[j].is_none()).collect();
            let [j] = local[..] else {
                return Err(at(k, "one coordinate of a toric sub-chart is local".into()));
            };
            let o = 1 - j;
            if !pre.region[o].as_ref().is_some_and(|(lo, hi)| *lo <= -Rat::one() && *hi >= Rat::one()) {
                return Err(at(k, "the other coordinate's box does not contain [-1, 1]".into()));
            }
            self.check_pullback(c, &pre, &map, true).map_err(|e| at(k, e))?;
            let mut sorted = v;
            sorted.sort_by(|a, b| angle_cmp(a, b));
            if !cones.contains(&sorted) {
                cones.push(sorted);
            }
            subs.push((sorted, v[j][0] as usize * 1_000_003 + v[j][1] as usize));
            outs.push(self.node(k, &child).map_err(Err2::Below)?);
        }
        cones.sort_by(|a, b| angle_cmp(&a[0], &b[0]));
        // Tiling: from (1, 0) to (0, 1), each cone starting where the last ended.
        let chain_ok = cones.first().is_some_and(|f| f[0] == [1, 0])
            && cones.last().is_some_and(|l| l[1] == [0, 1])
            && cones.windows(2).all(|w| w[0][1] == w[1][0]);
        if !chain_ok {
            return Err(here(format!("the cones {cones:?} do not tile the quadrant")));
        }
        // Every interior ray, in both of its cones, as the local coordinate.
        for w in cones.windows(2) {
            let ray = w[0][1];
            let key = ray[0] as usize * 1_000_003 + ray[1] as usize;
            for cone in [w[0], w[1]] {
                if !subs.contains(&(cone, key)) {
                    return Err(here(format!(
                        "no sub-chart of cone {cone:?} near the divisor of ray {ray:?}"
                    )));
                }
            }
        }
        Ok(combine_min(&outs, false))
    }

    /// Toric charts in dimension d ≥ 3 (docs/certificate.md, "Toric
    /// charts"). Each sub-chart's map is `x_i = Π_j y_j^{V_ij}` with a
    /// non-negative integer matrix `V` of determinant ±1 (a unimodular cone
    /// in the orthant; det odd, so one chart covers every sign orthant).
    /// The cones cover the orthant: their interiors are pairwise disjoint
    /// (a separating hyperplane through 0 is exhibited for every pair) and
    /// their measures `∫_C e^{−Σx} dx = |det V| / Π_j ⟨1, v_j⟩` add up to
    /// 1, the orthant's (a closed union of full measure is everything).
    /// So `w = −log|x|` of every point of `[−1, 1]^d` off the coordinate
    /// hyperplanes lies in some cone and has a preimage in that chart's
    /// cube; the fibre over 0 in a cube is the union of the subspaces
    /// `{y_J = 0}` for the minimal sets `J` meeting the support of every
    /// row of `V`, and each must be a sub-chart with `y_J` local and the
    /// other coordinates in a box containing `[−1, 1]`. Every sub-chart is
    /// checked as a strict pull-back; the pair is the most singular over a
    /// finite cover (overlaps only change constants).
    fn toric_nd(&mut self, c: &Chart, kids: &[&Value]) -> Result<Out, Err2> {
        let d = c.dim();
        // cone (columns) -> the local sets recorded for it.
        let mut cones: Vec<(Vec<Vec<i64>>, Vec<Vec<usize>>)> = Vec::new();
        let mut parts = Vec::new();
        for &k in kids {
            let (pre, child) = self.child(k)?;
            let map = self.pullback_link(k)?;
            let mut cols = vec![vec![0i64; d]; d]; // cols[j] = the ray of y_j
            for (i, p) in map.iter().enumerate() {
                let (e, coef) =
                    as_monomial(p).ok_or_else(|| at(k, "a toric chart map is monomial".into()))?;
                if coef != Rat::one() || e.iter().any(|&x| x > 1_000_000) {
                    return Err(at(k, "a toric chart map is a monomial with coefficient 1".into()));
                }
                for j in 0..d {
                    cols[j][i] = e[j] as i64;
                }
            }
            if int_det(&cols).abs() != 1 {
                return Err(at(k, format!("the cone {cols:?} is not unimodular")));
            }
            let local: Vec<usize> = (0..d).filter(|&j| pre.region[j].is_none()).collect();
            for (j, r) in pre.region.iter().enumerate() {
                if r.as_ref().is_some_and(|(lo, hi)| *lo > -Rat::one() || *hi < Rat::one()) {
                    return Err(at(k, format!("coordinate {j}'s box does not contain [-1, 1]")));
                }
            }
            self.check_pullback(c, &pre, &map, true).map_err(|e| at(k, e))?;
            let mut key = cols.clone();
            key.sort();
            match cones.iter_mut().find(|(kc, _)| {
                let mut kk = kc.clone();
                kk.sort();
                kk == key
            }) {
                // The same cone with another order of its coordinates:
                // relabel the local set into the first recorded order.
                Some((kc, sets)) => {
                    let mut l: Vec<usize> = local
                        .iter()
                        .map(|&j| kc.iter().position(|r| *r == cols[j]).unwrap_or(usize::MAX))
                        .collect();
                    l.sort();
                    sets.push(l);
                }
                None => cones.push((cols, vec![local])),
            }
            parts.push((k, child));
        }
        // The fibre over 0 in each cone's cube.
        for (cols, sets) in &mut cones {
            let hits = |set: usize| (0..d).all(|i| (0..d).any(|j| set >> j & 1 == 1 && cols[j][i] > 0));
            let mut want: Vec<Vec<usize>> = (1usize..1 << d)
                .filter(|&s| hits(s) && (0..d).all(|j| s >> j & 1 == 0 || !hits(s & !(1 << j))))
                .map(|s| (0..d).filter(|&j| s >> j & 1 == 1).collect())
                .collect();
            want.sort();
            sets.sort();
            sets.dedup();
            if *sets != want {
                return Err(Err2::Here(format!(
                    "the sub-charts of cone {cols:?} have local sets {sets:?}, but its fibre over 0 has the \
                     components {want:?}"
                )));
            }
        }
        // Disjoint interiors, then full measure.
        for a in 0..cones.len() {
            for b in a + 1..cones.len() {
                if !separated(&cones[a].0, &cones[b].0) {
                    return Err(Err2::Here(format!(
                        "no hyperplane separates the cones {:?} and {:?}",
                        cones[a].0, cones[b].0
                    )));
                }
            }
        }
        let total: Rat = cones
            .iter()
            .map(|(cols, _)| {
                let den: BigInt = cols.iter().map(|v| BigInt::from(v.iter().sum::<i64>())).product();
                Rat::new(BigInt::one(), den)
            })
            .sum();
        if total != Rat::one() {
            return Err(Err2::Here(format!(
                "the cones do not cover the orthant (their measure is {total}, not 1)"
            )));
        }
        // The modification checked, its charts.
        let mut outs = Vec::new();
        for (k, child) in parts {
            outs.push(self.node(k, &child).map_err(Err2::Below)?);
        }
        Ok(combine_min(&outs, false))
    }

    /// A settled leaf of a split: its recorded value must be `want`.
    fn leaf_value(&mut self, leaf: &Value, want: &Out) -> Result<(), Err2> {
        let got = out_of(leaf.get("value")).map_err(|e| at(leaf, e))?;
        if got != *want {
            return Err(at(
                leaf,
                format!("recorded {} but the checker recomputes {}", show(&got), show(want)),
            ));
        }
        self.steps += 1;
        Ok(())
    }
}

enum Err2 {
    Here(String),
    /// A step of a kind the checker cannot re-verify: (kind, why).
    Unverified(String, String),
    Below(Failure),
}

fn unverified(kind: &str, why: impl Into<String>) -> Err2 {
    Err2::Unverified(kind.into(), why.into())
}

impl From<String> for Err2 {
    fn from(s: String) -> Err2 {
        Err2::Here(s)
    }
}

impl From<&str> for Err2 {
    fn from(s: &str) -> Err2 {
        Err2::Here(s.into())
    }
}

fn at(k: &Value, why: String) -> Err2 {
    Err2::Below(Failure::new(&step_name(k), why))
}

fn restrict_link(k: &Value) -> Result<Vec<usize>, Err2> {
    let d = data(k).map_err(|e| at(k, e))?;
    usizes(d.get("link").and_then(|l| l.get("restrict")), "restrict").map_err(|e| at(k, e))
}

/// The centre `S` and the chart `j` of a blow-up chart map: `w_j = u_j`,
/// `w_i = u_i u_j` (i ∈ S∖{j}), other variables fixed.
fn blow_up_chart_of(map: &[Poly]) -> Res<(Vec<usize>, usize)> {
    let n = map.len();
    let mut j: Option<usize> = None;
    let mut moved = Vec::new();
    for (i, p) in map.iter().enumerate() {
        if *p == Poly::var(n, i) {
            continue;
        }
        let (e, c) = as_monomial(p).ok_or("a blow-up chart map is monomial")?;
        let others: Vec<usize> = (0..n).filter(|&k| k != i && e[k] > 0).collect();
        if c != Rat::one() || e[i] != 1 || others.len() != 1 || e[others[0]] != 1 {
            return Err(format!("component {i} is not u_i·u_j"));
        }
        if j.is_some_and(|j| j != others[0]) {
            return Err("two different chart variables".into());
        }
        j = Some(others[0]);
        moved.push(i);
    }
    let j = j.ok_or("the identity is not a blow-up chart")?;
    moved.push(j);
    moved.sort();
    Ok((moved, j))
}

/// For a change of coordinates on the whole chart (no split covers the
/// rest): the map must be elementary (`w_j = a·u_j + r`, `a` constant,
/// `r` free of `u_j`, the other variables fixed), and its inverse must map
/// the parent's region into the new one.
fn check_invertible_region(c: &Chart, pre: &Chart, map: &[Poly]) -> Res<()> {
    let n = c.dim();
    let moved: Vec<usize> = (0..n).filter(|&i| map[i] != Poly::var(n, i)).collect();
    let inverse: Vec<Poly> = match moved[..] {
        [] => map.to_vec(),
        [j] => {
            let f = &map[j];
            if f.degree_in(j) != 1 {
                return Err("the change is not elementary".into());
            }
            let mut e = vec![0; n];
            e[j] = 1;
            let a = f.coeff(&e);
            let r = f - &Poly::monomial(n, e, a.clone());
            if a.is_zero() || r.degree_in(j) > 0 {
                return Err("the change is not elementary".into());
            }
            let mut inv: Vec<Poly> = (0..n).map(|i| Poly::var(n, i)).collect();
            inv[j] = (&Poly::var(n, j) - &r).scale(&(Rat::one() / a));
            inv
        }
        _ => return Err("the change moves several variables: not elementary".into()),
    };
    for (k, r) in pre.region.iter().enumerate() {
        let img = at_centre(&inverse[k], &c.region);
        match r {
            None if !img.is_zero() => {
                return Err(format!("new variable {k} is local but its value on the old region is not 0"));
            }
            Some((lo, hi)) => {
                let e = enclosure(&img, &c.region);
                if e.lo < *lo || e.hi > *hi {
                    return Err(format!("new variable {k} leaves its box [{lo}, {hi}] on the old region"));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn dot(a: &[Rat], b: &[Rat]) -> Rat {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn rat_vec(e: &[u32]) -> Vec<Rat> {
    e.iter().map(|&x| Rat::from_integer(x.into())).collect()
}

/// The Newton pair of the chart `K ≍ |u^β|^p·J` with prior `|u^h|`,
/// re-proven from the recorded certificate without solving an LP
/// (docs/certificate.md, "Newton certificates"). With `P` the support of
/// `K` (p times the exponents of `u^β·g_i`), Γ = conv(P) + ℝ^d_{≥0} and
/// `q = t·(h+1)`:
/// - **primal**: `q = Σ μ_i P_i + Σ ν_j e_j` with `μ > 0`, `Σμ = 1`,
///   `ν > 0`, so `q ∈ Γ`;
/// - **dual**: normals `w ≥ 0` with `w·P ≥ w·q` for every `P` and
///   `w·q > 0`; so no `s·(h+1)` with `s < t` lies in Γ (t is the
///   τ-distance, λ = 1/t), and the minimal face `F` through `q` lies in
///   each hyperplane `w·x = w·q`: `dim F ≤ d − rank(w)`;
/// - the primal support lies in `F` (q is in the relative interior of its
///   representation), so `dim F ≥ rank{P_i − P_0, e_j}`.
///
/// The two ranks must add to `d`; then `m = codim F = rank(w)`.
fn newton_certificate(c: &Chart, cert: &Value) -> Result<(Rat, usize), Err2> {
    let d = c.dim();
    let support: Vec<Vec<u32>> = {
        let mut v: Vec<Vec<u32>> = c
            .full()
            .iter()
            .flat_map(|g| {
                g.terms().iter().map(|t| t.exp.iter().map(|e| e * c.p()).collect()).collect::<Vec<_>>()
            })
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let t = rat(cert.get("t").ok_or("missing t")?)?;
    if !t.is_positive() {
        return Err(Err2::Here("the τ-distance must be positive".into()));
    }
    let q: Vec<Rat> = c.h.iter().map(|&x| &t * Rat::from_integer((x + 1).into())).collect();
    // Primal: q ∈ Γ.
    let pts = cert.get("points").and_then(Value::as_array).ok_or("missing points")?;
    let ws = cert.get("weights").and_then(Value::as_array).ok_or("missing weights")?;
    if pts.is_empty() || pts.len() != ws.len() {
        return Err(Err2::Here("the primal representation needs one weight per point".into()));
    }
    let mut sum = vec![Rat::zero(); d];
    let mut total = Rat::zero();
    let mut dirs: Vec<Vec<Rat>> = Vec::new();
    let mut first: Option<Vec<Rat>> = None;
    for (pv, wv) in pts.iter().zip(ws) {
        let e = u32s(Some(pv), "a point")?;
        if !support.contains(&e) {
            return Err(Err2::Here(format!("the point {e:?} is not in the support of K")));
        }
        let mu = rat(wv)?;
        if !mu.is_positive() {
            return Err(Err2::Here("a primal weight is not positive".into()));
        }
        let er = rat_vec(&e);
        for (s, x) in sum.iter_mut().zip(&er) {
            *s += &mu * x;
        }
        total += &mu;
        match &first {
            None => first = Some(er),
            Some(f0) => dirs.push(er.iter().zip(f0).map(|(a, b)| a - b).collect()),
        }
    }
    if total != Rat::one() {
        return Err(Err2::Here("the primal weights do not sum to 1".into()));
    }
    let mut ray_seen = vec![false; d];
    for r in cert.get("rays").and_then(Value::as_array).ok_or("missing rays")? {
        let pair = r.as_array().filter(|a| a.len() == 2).ok_or("a ray is [j, ν]")?;
        let j =
            pair[0].as_u64().map(|j| j as usize).filter(|&j| j < d && !ray_seen[j]).ok_or("bad ray index")?;
        ray_seen[j] = true;
        let nu = rat(&pair[1])?;
        if !nu.is_positive() {
            return Err(Err2::Here("a ray weight is not positive".into()));
        }
        sum[j] += nu;
        let mut e = vec![Rat::zero(); d];
        e[j] = Rat::one();
        dirs.push(e);
    }
    if sum != q {
        return Err(Err2::Here("the primal representation does not sum to t·(h+1)".into()));
    }
    // Dual: supporting normals through q.
    let mut normals: Vec<Vec<Rat>> = Vec::new();
    for w in cert.get("normals").and_then(Value::as_array).ok_or("missing normals")? {
        let w: Vec<Rat> = w.as_array().ok_or("a normal is a list")?.iter().map(rat).collect::<Res<_>>()?;
        if w.len() != d || w.iter().any(Signed::is_negative) {
            return Err(Err2::Here("a normal is not a non-negative vector of the chart's dimension".into()));
        }
        let wq = dot(&w, &q);
        if !wq.is_positive() {
            return Err(Err2::Here("a normal does not separate t·(h+1) from 0".into()));
        }
        if support.iter().any(|p| dot(&w, &rat_vec(p)) < wq) {
            return Err(Err2::Here("a normal does not support Γ at t·(h+1)".into()));
        }
        normals.push(w);
    }
    let (rn, rf) = (rank(normals), rank(dirs));
    if rn == 0 || rn + rf != d {
        return Err(Err2::Here(format!(
            "the certificate does not pin the minimal face: rank of the normals {rn} + rank of the face {rf} ≠ {d}"
        )));
    }
    Ok((t.recip(), rn))
}

/// The determinant of a small integer matrix (Laplace expansion; d ≤ 4).
fn int_det(m: &[Vec<i64>]) -> i128 {
    let n = m.len();
    if n == 1 {
        return m[0][0] as i128;
    }
    (0..n)
        .map(|j| {
            let minor: Vec<Vec<i64>> = m[1..]
                .iter()
                .map(|r| r.iter().enumerate().filter(|&(k, _)| k != j).map(|(_, &x)| x).collect())
                .collect();
            let s = if j % 2 == 0 { 1 } else { -1 };
            s * m[0][j] as i128 * int_det(&minor)
        })
        .sum()
}

/// Whether a hyperplane through 0 separates the cones spanned by `a` and
/// `b` (so their interiors are disjoint). Candidates: the normals of the
/// hyperplanes spanned by d − 1 of their rays (an extreme ray of the cone
/// of separating normals is orthogonal to d − 1 independent rays, so the
/// search is complete for full-dimensional cones; a `false` only fails
/// the check, never passes it).
fn separated(a: &[Vec<i64>], b: &[Vec<i64>]) -> bool {
    let d = a.len();
    let rays: Vec<&Vec<i64>> = a.iter().chain(b).collect();
    let side = |n: &[i128], v: &[i64]| n.iter().zip(v).map(|(x, &y)| x * y as i128).sum::<i128>();
    let mut idx: Vec<usize> = (0..d - 1).collect();
    loop {
        // The generalised cross product of the chosen rays.
        let n: Vec<i128> = (0..d)
            .map(|k| {
                let minor: Vec<Vec<i64>> = idx
                    .iter()
                    .map(|&r| rays[r].iter().enumerate().filter(|&(c, _)| c != k).map(|(_, &x)| x).collect())
                    .collect();
                if k % 2 == 0 { int_det(&minor) } else { -int_det(&minor) }
            })
            .collect();
        if n.iter().any(|&x| x != 0) {
            for sg in [1i128, -1] {
                let m: Vec<i128> = n.iter().map(|x| x * sg).collect();
                if a.iter().all(|v| side(&m, v) <= 0) && b.iter().all(|v| side(&m, v) >= 0) {
                    return true;
                }
            }
        }
        // Next (d − 1)-subset.
        let k = d - 1;
        let mut i = k;
        loop {
            if i == 0 {
                return false;
            }
            i -= 1;
            if idx[i] < rays.len() - k + i {
                idx[i] += 1;
                for j in i + 1..k {
                    idx[j] = idx[j - 1] + 1;
                }
                break;
            }
        }
    }
}

/// Orders rays of the quadrant by angle from the x-axis.
fn angle_cmp(a: &[u32; 2], b: &[u32; 2]) -> std::cmp::Ordering {
    // a before b when a × b > 0.
    let cross = a[0] as i64 * b[1] as i64 - a[1] as i64 * b[0] as i64;
    0.cmp(&cross)
}

/// The rank of a rational matrix.
fn rank(mut rows: Vec<Vec<Rat>>) -> usize {
    let mut r = 0;
    let cols = rows.first().map_or(0, Vec::len);
    for col in 0..cols {
        let Some(p) = (r..rows.len()).find(|&i| !rows[i][col].is_zero()) else { continue };
        rows.swap(r, p);
        for i in 0..rows.len() {
            if i != r && !rows[i][col].is_zero() {
                let f = &rows[i][col] / &rows[r][col];
                let pivot = rows[r].clone();
                for (x, y) in rows[i].iter_mut().zip(&pivot) {
                    *x -= &f * y;
                }
            }
        }
        r += 1;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ray(v: [i64; 3]) -> Vec<i64> {
        v.to_vec()
    }

    /// The point blow-up of the 3-space as toric charts: the cones
    /// {(1,1,1)} ∪ {e_i : i ≠ j} are separated pairwise and their measures
    /// (1/3 each) add to 1; a cone overlapping one of them is not
    /// separated from it.
    #[test]
    fn cover_of_the_point_blow_up() {
        let e = [ray([1, 0, 0]), ray([0, 1, 0]), ray([0, 0, 1])];
        let d = ray([1, 1, 1]);
        let cones: Vec<Vec<Vec<i64>>> =
            (0..3).map(|j| (0..3).map(|i| if i == j { d.clone() } else { e[i].clone() }).collect()).collect();
        for c in &cones {
            assert_eq!(int_det(c).abs(), 1);
        }
        for a in 0..3 {
            for b in a + 1..3 {
                assert!(separated(&cones[a], &cones[b]), "{a} {b}");
            }
        }
        let total: Rat = cones
            .iter()
            .map(|c| Rat::new(BigInt::one(), c.iter().map(|v| BigInt::from(v.iter().sum::<i64>())).product()))
            .sum();
        assert_eq!(total, Rat::one());
        // The whole orthant overlaps each of them.
        assert!(!separated(&e.to_vec(), &cones[0]));
    }

    fn chart_of(gens: &[&[u32]], h: &[u32]) -> Chart {
        let n = h.len();
        Chart {
            ideal: true,
            gens: gens.iter().map(|e| Poly::monomial(n, e.to_vec(), Rat::one())).collect(),
            beta: vec![0; n],
            h: h.to_vec(),
            region: vec![None; n],
        }
    }

    /// <xy, yz, zx>: λ = 3/4, m = 1 from the certificate; every single
    /// wrong entry is refused.
    #[test]
    fn newton_certificate_of_a_monomial_ideal() {
        let c = chart_of(&[&[1, 1, 0], &[0, 1, 1], &[1, 0, 1]], &[0, 0, 0]);
        let good = json!({"t": "4/3", "points": [[0,2,2],[2,0,2],[2,2,0]],
            "weights": ["1/3","1/3","1/3"], "rays": [], "normals": [["1","1","1"]]});
        let ok = newton_certificate(&c, &good).ok().unwrap();
        assert_eq!(ok, (Rat::new(3.into(), 4.into()), 1));
        let bad = [
            ("/t", json!("3/2")),
            ("/weights/0", json!("1/2")),
            ("/points/0/0", json!(2)),
            ("/normals/0/0", json!("2")),
            ("/normals", json!([])),
        ];
        for (ptr, v) in bad {
            let mut b = good.clone();
            *b.pointer_mut(ptr).unwrap() = v;
            assert!(newton_certificate(&c, &b).is_err(), "{ptr}");
        }
        // <x²y²> with prior |x|: K = x⁴y⁴, h + 1 = (2, 1); t(2, 1) ∈
        // (4, 4) + ℝ²₊ first at t = 4, q = (8, 4) = (4, 4) + 4·e_x on the
        // face {y-exponent = 4} (normal (0, 1)): λ = 1/4 = min((1+1)/4,
        // (0+1)/4), m = 1, a ray in the representation.
        let c = chart_of(&[&[2, 2]], &[1, 0]);
        let cert = json!({"t": "4", "points": [[4,4]], "weights": ["1"], "rays": [[0, "4"]],
            "normals": [["0","1"]]});
        assert_eq!(newton_certificate(&c, &cert).ok().unwrap(), (Rat::new(1.into(), 4.into()), 1));
    }
}
