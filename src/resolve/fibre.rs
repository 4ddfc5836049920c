//! Linear fibres: an ideal that is linear in a block of variables, with
//! the minors of its coefficient matrix products of linear forms
//! (docs/theory.md §4.8).
//!
//! **Setting.** All variables are local at 0. The generators are
//! `f_k = Σ_c M_kc(b)·a_c`: every term contains exactly one variable of
//! the block `a` and that to the first power, the prior and the monomial
//! factor do not involve `a`. Write `σ_1 ≥ σ_2 ≥ …` for the singular values
//! of `M(b)` and `D_j(b)` for the sum of the squares of its `j × j` minors.
//!
//! **Step 1, integrating the block out.** For fixed `b` the Gaussian
//! integral over a box of `a` is `≍ Π_i min(1, (√n σ_i)^{-1})` (compare the
//! box with balls, diagonalise), and by Cauchy–Binet `D_j = e_j(σ²)` lies
//! between `(σ_1⋯σ_j)²` and `C(p, j)·(σ_1⋯σ_j)²`. So
//! `Z(n) ≍ ∫ φ(b) db / max_j n^{j/2} √D_j(b)` (`j = 0` gives 1).
//!
//! **Step 2, dominated minors.** A minor that another minor of the same
//! size divides is at most a constant times it near 0 (the quotient is a
//! polynomial), so it can be dropped from `D_j` up to constants. Every
//! remaining minor must factor exactly into linear forms through 0 and a
//! unit; otherwise the rule does not apply.
//!
//! **Step 3, the arrangement.** The linear forms (with the prior's and the
//! monomial factor's coordinate hyperplanes) form a central arrangement.
//! Its wonderful model for the building set of all flats (De Concini &
//! Procesi 1995) is a log resolution: a chart for each maximal chain of
//! flats `F_1 ⊃ F_2 ⊃ … ⊃ F_R` (ranks 1, …, R) has one coordinate `u_k`
//! per flat, the Jacobian `Π u_k^{rank(F_k) − 1}`, and each form `ℓ` pulls
//! back to `Π_{k: F_k ⊆ ℓ} u_k` times a unit. In such a chart every minor
//! is a monomial times a unit, so with `u_k = n^{−s_k}` the integral is
//! `≍ n^{−λ_c} (log n)^{m_c − 1}` where
//! `λ_c = min_{s ≥ 0} Σ_k w_k s_k + max(0, max_{j, minor} (j/2 − ord·s))`,
//! `w_k = rank(F_k) + prior order`, and `m_c − 1` is the dimension of the
//! set of minimisers (Laplace's method for a convex piecewise-linear
//! exponent). The chart at a point on fewer divisors is a face of a
//! maximal one, so `λ = min_c λ_c` and `m = max m_c` over the charts that
//! attain it. Both are exact rational LPs ([`crate::lp`]).

use std::collections::{HashMap, HashSet};

use num_traits::{One, Zero};

use super::affine::affine_factor;
use super::chart::ChartNode;
use super::expansion::Pair;
use crate::limits::Deadline;
use crate::lp::{LpOutcome, minimize};
use crate::poly::{Poly, Rat, rat};

/// Most minors computed (all sizes together).
const MAX_MINORS: usize = 4000;
/// Most terms of a minor.
const MAX_MINOR_TERMS: usize = 20_000;
/// Most hyperplanes of the arrangement (a closed set is a bit mask).
const MAX_HYPERPLANES: usize = 64;
/// Most maximal chains of flats visited.
const MAX_CHAINS: usize = 400_000;
/// Most variables of a chart the rule looks at.
const MAX_VARS: usize = 16;

/// The answer of [`solve`], with what the proof used.
#[derive(Clone, Debug)]
pub struct Fibre {
    /// The pair of the chart.
    pub pair: Pair,
    /// The linear block (chart variable indices).
    pub block: Vec<usize>,
    /// Hyperplanes of the arrangement.
    pub hyperplanes: usize,
    /// Minors kept after domination, by size.
    pub minors: Vec<usize>,
    /// Maximal chains of flats (wonderful-model charts) visited.
    pub chains: usize,
    /// Distinct chart LPs solved.
    pub lps: usize,
}

/// The linear block: a set of variables such that every term of every
/// generator contains exactly one of them, to the first power; none in the
/// prior or the monomial factor. Backtracking over terms, fewest
/// candidates first.
fn linear_block(node: &ChartNode) -> Option<Vec<usize>> {
    let d = node.dim();
    let eligible: Vec<bool> = (0..d)
        .map(|v| node.h[v] == 0 && node.beta[v] == 0 && node.gens.iter().all(|g| g.degree_in(v) <= 1))
        .collect();
    let mut terms: Vec<Vec<usize>> = Vec::new();
    for g in &node.gens {
        for t in g.terms() {
            let c: Vec<usize> = (0..d).filter(|&v| eligible[v] && t.exp[v] == 1).collect();
            if c.is_empty() {
                return None;
            }
            terms.push(c);
        }
    }
    terms.sort_by_key(|c| c.len());
    terms.dedup();
    // state: 0 unknown, 1 in the block, 2 out.
    fn go(terms: &[Vec<usize>], i: usize, state: &mut Vec<u8>, steps: &mut usize) -> bool {
        *steps += 1;
        if *steps > 20_000 {
            return false;
        }
        if i == terms.len() {
            return true;
        }
        let c = &terms[i];
        let ins = c.iter().filter(|&&v| state[v] == 1).count();
        if ins > 1 {
            return false;
        }
        if ins == 1 {
            let saved = state.clone();
            for &v in c {
                if state[v] == 0 {
                    state[v] = 2;
                }
            }
            if go(terms, i + 1, state, steps) {
                return true;
            }
            *state = saved;
            return false;
        }
        for &v in c {
            if state[v] != 0 {
                continue;
            }
            let saved = state.clone();
            for &w in c {
                if state[w] == 0 {
                    state[w] = 2;
                }
            }
            state[v] = 1;
            if go(terms, i + 1, state, steps) {
                return true;
            }
            *state = saved;
        }
        false
    }
    let mut state = vec![0u8; d];
    let mut steps = 0;
    if !go(&terms, 0, &mut state, &mut steps) {
        return None;
    }
    let block: Vec<usize> = (0..d).filter(|&v| state[v] == 1).collect();
    if block.is_empty() || block.len() == d {
        return None;
    }
    Some(block)
}

/// The coefficient matrix: `M[k][c]` is the coefficient of `a_c` in
/// generator `k` (a polynomial free of the block).
fn coefficient_matrix(node: &ChartNode, block: &[usize]) -> Vec<Vec<Poly>> {
    let d = node.dim();
    node.gens
        .iter()
        .map(|g| {
            block
                .iter()
                .map(|&v| {
                    Poly::from_terms(
                        d,
                        g.terms().iter().filter(|t| t.exp[v] == 1).map(|t| {
                            let mut e = t.exp.clone();
                            e[v] = 0;
                            (e, t.coef.clone())
                        }),
                    )
                })
                .collect()
        })
        .filter(|row: &Vec<Poly>| row.iter().any(|p| !p.is_zero()))
        .collect()
}

fn binomial(n: usize, k: usize) -> usize {
    (0..k).fold(1usize, |acc, i| acc.saturating_mul(n - i) / (i + 1))
}

/// Determinants of square submatrices, memoised by (rows, columns) masks
/// (Laplace expansion along the first row).
struct Minors<'a> {
    m: &'a [Vec<Poly>],
    memo: HashMap<(u64, u64), Poly>,
    too_big: bool,
}

impl Minors<'_> {
    fn det(&mut self, rows: u64, cols: u64) -> Poly {
        let d = self.m[0][0].nvars();
        if rows == 0 {
            return Poly::one(d);
        }
        if let Some(p) = self.memo.get(&(rows, cols)) {
            return p.clone();
        }
        let r0 = rows.trailing_zeros() as usize;
        let rest = rows & !(1u64 << r0);
        let mut acc = Poly::zero(d);
        let mut sign = true;
        let mut cs = cols;
        while cs != 0 {
            let c = cs.trailing_zeros() as usize;
            cs &= !(1u64 << c);
            let e = &self.m[r0][c];
            if !e.is_zero() {
                let sub = self.det(rest, cols & !(1u64 << c));
                if !sub.is_zero() {
                    let t = e * &sub;
                    acc = if sign { &acc + &t } else { &acc - &t };
                }
            }
            sign = !sign;
        }
        if acc.len() > MAX_MINOR_TERMS {
            self.too_big = true;
        }
        self.memo.insert((rows, cols), acc.clone());
        acc
    }
}

/// Subsets of `0..n` of size `k`, as bit masks.
fn subsets(n: usize, k: usize) -> Vec<u64> {
    let mut out = Vec::new();
    fn rec(start: usize, n: usize, k: usize, mask: u64, out: &mut Vec<u64>) {
        if k == 0 {
            out.push(mask);
            return;
        }
        for i in start..n {
            if n - i < k {
                break;
            }
            rec(i + 1, n, k - 1, mask | (1u64 << i), out);
        }
    }
    rec(0, n, k, 0, &mut out);
    out
}

/// A linear form's coefficient vector, scaled so that its first non-zero
/// entry is 1.
fn normalized(v: Vec<Rat>) -> Vec<Rat> {
    let first = v.iter().find(|x| !x.is_zero()).cloned().unwrap_or_else(Rat::one);
    v.into_iter().map(|x| x / &first).collect()
}

/// The coordinate hyperplane `w_v` as a coefficient vector.
fn coordinate(d: usize, v: usize) -> Vec<Rat> {
    let mut f = vec![Rat::zero(); d];
    f[v] = Rat::one();
    f
}

/// The coefficients of the degree-1 terms of `p`.
fn linear_part(p: &Poly) -> Vec<Rat> {
    let d = p.nvars();
    (0..d)
        .map(|v| {
            let mut e = vec![0; d];
            e[v] = 1;
            p.coeff(&e)
        })
        .collect()
}

/// `m = unit · Π ℓ^e` with linear forms `ℓ` through 0: the forms (as
/// normalised coefficient vectors) with their exponents, or `None` when a
/// factor through 0 is not linear (or not found).
fn linear_factors(m: &Poly, deadline: &Deadline) -> Option<Vec<(Vec<Rat>, u32)>> {
    let d = m.nvars();
    let mut out: Vec<(Vec<Rat>, u32)> = Vec::new();
    let push = |form: Vec<Rat>, out: &mut Vec<(Vec<Rat>, u32)>| {
        let form = normalized(form);
        match out.iter_mut().find(|(f, _)| *f == form) {
            Some((_, e)) => *e += 1,
            None => out.push((form, 1)),
        }
    };
    let content = m.monomial_content();
    for (v, &e) in content.iter().enumerate() {
        for _ in 0..e {
            push(coordinate(d, v), &mut out);
        }
    }
    let mut rest = m.div_monomial(&content);
    loop {
        if deadline.expired() {
            return None;
        }
        if rest.is_constant() || !rest.constant_term().is_zero() {
            // A unit near 0.
            return (!rest.is_zero()).then_some(out);
        }
        if rest.degree() == 1 {
            push(linear_part(&rest), &mut out);
            return Some(out);
        }
        let mut found = None;
        for v in 0..d {
            if rest.degree_in(v) == 0 || deadline.expired() {
                continue;
            }
            if let Some(phi) = affine_factor(&rest, v) {
                found = Some((v, phi));
                break;
            }
        }
        let (v, phi) = found?;
        // ℓ = x_v − φ.
        let ell = &Poly::var(d, v) - &phi;
        rest = rest.div_exact(&ell, 100_000)?;
        if phi.constant_term().is_zero() {
            push(linear_part(&ell), &mut out);
        }
    }
}

/// Row-echelon basis over ℚ, for ranks and span membership.
#[derive(Clone, Default)]
struct Basis {
    rows: Vec<(usize, Vec<Rat>)>, // (pivot column, row with 1 at the pivot)
}

impl Basis {
    fn reduce(&self, v: &[Rat]) -> Vec<Rat> {
        let mut v = v.to_vec();
        for (p, row) in &self.rows {
            if !v[*p].is_zero() {
                let c = v[*p].clone();
                for (x, y) in v.iter_mut().zip(row) {
                    *x -= &c * y;
                }
            }
        }
        v
    }
    fn contains(&self, v: &[Rat]) -> bool {
        self.reduce(v).iter().all(|x| x.is_zero())
    }
    fn insert(&mut self, v: &[Rat]) -> bool {
        let r = self.reduce(v);
        let Some(p) = r.iter().position(|x| !x.is_zero()) else { return false };
        let c = r[p].clone();
        let row: Vec<Rat> = r.iter().map(|x| x / &c).collect();
        for (_, other) in self.rows.iter_mut() {
            if !other[p].is_zero() {
                let f = other[p].clone();
                for (x, y) in other.iter_mut().zip(&row) {
                    *x -= &f * y;
                }
            }
        }
        self.rows.push((p, row));
        true
    }
}

/// One chart's LP: weights `w_k` and constraint rows `(j, ord)`.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ChartLp {
    w: Vec<u64>,
    rows: Vec<(u32, Vec<u64>)>,
}

impl ChartLp {
    /// Drops rows implied by another row of the same size `j` (an order
    /// vector ≥ another's gives a weaker constraint).
    fn prune(mut self) -> ChartLp {
        self.rows.sort();
        self.rows.dedup();
        let rows = self.rows.clone();
        self.rows.retain(|(j, o)| {
            !rows.iter().any(|(j2, o2)| {
                j2 >= j && o2 != o && o2.iter().zip(o).all(|(a, b)| a <= b) || (j2 > j && o2 == o)
            })
        });
        self
    }

    /// Variables `s_1..s_R, t, σ_rows` ≥ 0; rows `t + ord·s − σ = j/2`.
    fn system(&self) -> (Vec<Vec<Rat>>, Vec<Rat>, Vec<Rat>) {
        let r = self.w.len();
        let nrow = self.rows.len();
        let nv = r + 1 + nrow;
        let mut a = Vec::with_capacity(nrow);
        let mut b = Vec::with_capacity(nrow);
        for (i, (j, ord)) in self.rows.iter().enumerate() {
            let mut row = vec![Rat::zero(); nv];
            for k in 0..r {
                row[k] = rat(ord[k] as i64);
            }
            row[r] = Rat::one();
            row[r + 1 + i] = -Rat::one();
            a.push(row);
            b.push(Rat::new((*j as i64).into(), 2.into()));
        }
        let mut c = vec![Rat::zero(); nv];
        for k in 0..r {
            c[k] = rat(self.w[k] as i64);
        }
        c[r] = Rat::one();
        (a, b, c)
    }

    fn value(&self) -> Option<(Rat, Vec<Rat>)> {
        let (a, b, c) = self.system();
        match minimize(&c, &a, &b) {
            LpOutcome::Optimal { value, x, .. } => Some((value, x)),
            _ => None,
        }
    }

    /// `1 +` the dimension of the set of minimisers (in `(s, t)`), given
    /// the optimum `lambda` and an optimal vertex `x`.
    fn multiplicity(&self, lambda: &Rat, x: &[Rat]) -> Option<usize> {
        let (mut a, mut b, c) = self.system();
        let r = self.w.len();
        a.push(c.clone());
        b.push(lambda.clone());
        let nv = c.len();
        // Equations of the affine hull, in (s, t) coordinates.
        let mut hull = Basis::default();
        hull.insert(&c[..=r]);
        for i in 0..nv {
            if !x[i].is_zero() {
                continue;
            }
            // x_i ≡ 0 on the optimal set iff max x_i = 0 there.
            let mut obj = vec![Rat::zero(); nv];
            obj[i] = -Rat::one();
            let LpOutcome::Optimal { value, .. } = minimize(&obj, &a, &b) else { return None };
            if !value.is_zero() {
                continue;
            }
            let eq: Vec<Rat> = if i <= r {
                let mut e = vec![Rat::zero(); r + 1];
                e[i] = Rat::one();
                e
            } else {
                let (_, ord) = &self.rows[i - r - 1];
                let mut e: Vec<Rat> = ord.iter().map(|&o| rat(o as i64)).collect();
                e.push(Rat::one());
                e
            };
            hull.insert(&eq);
        }
        Some(r + 1 - hull.rows.len() + 1)
    }
}

/// The depth-first walk over maximal chains of flats.
struct Walk<'a> {
    forms: &'a [Vec<Rat>],
    full: usize,
    children: HashMap<u64, Vec<u64>>,
    /// The chain level (1-based) at which each hyperplane's flat was
    /// entered, `u32::MAX` if not yet.
    level: Vec<u32>,
    chains: usize,
    lps: HashSet<ChartLp>,
    minors: &'a [(u32, Vec<(usize, u64)>)],
    prior: &'a [(usize, u64)],
    deadline: &'a Deadline,
    stopped: Option<String>,
}

impl Walk<'_> {
    /// The closed set of hyperplanes containing the flat cut out by `set`.
    fn closure(&self, set: u64) -> u64 {
        let mut b = Basis::default();
        for (i, f) in self.forms.iter().enumerate() {
            if set >> i & 1 == 1 {
                b.insert(f);
            }
        }
        let mut closed = 0u64;
        for (i, f) in self.forms.iter().enumerate() {
            if b.contains(f) {
                closed |= 1 << i;
            }
        }
        closed
    }

    /// The flats one rank below (closed sets one rank above) `set`.
    fn kids(&mut self, set: u64) -> Vec<u64> {
        if let Some(v) = self.children.get(&set) {
            return v.clone();
        }
        let mut out: Vec<u64> = Vec::new();
        for i in 0..self.forms.len() {
            if set >> i & 1 == 0 {
                let cl = self.closure(set | 1 << i);
                if !out.contains(&cl) {
                    out.push(cl);
                }
            }
        }
        self.children.insert(set, out.clone());
        out
    }

    fn walk(&mut self, set: u64, depth: usize) {
        if self.stopped.is_some() {
            return;
        }
        if depth == self.full {
            self.chains += 1;
            if self.chains > MAX_CHAINS || (self.chains % 64 == 0 && self.deadline.expired()) {
                self.stopped = Some(format!(
                    "more than {} charts of the arrangement, or the time limit",
                    self.chains - 1
                ));
                return;
            }
            let r = self.full;
            let level = &self.level;
            let upto = |ord: &[(usize, u64)], k: usize| -> u64 {
                ord.iter().filter(|(f, _)| level[*f] as usize <= k).map(|(_, e)| e).sum()
            };
            let w: Vec<u64> = (1..=r).map(|k| k as u64 + upto(self.prior, k)).collect();
            let rows: Vec<(u32, Vec<u64>)> =
                self.minors.iter().map(|(j, ord)| (*j, (1..=r).map(|k| upto(ord, k)).collect())).collect();
            self.lps.insert(ChartLp { w, rows }.prune());
            return;
        }
        for child in self.kids(set) {
            let new = child & !set;
            for i in 0..self.forms.len() {
                if new >> i & 1 == 1 {
                    self.level[i] = depth as u32 + 1;
                }
            }
            self.walk(child, depth + 1);
            for i in 0..self.forms.len() {
                if new >> i & 1 == 1 {
                    self.level[i] = u32::MAX;
                }
            }
            if self.stopped.is_some() {
                return;
            }
        }
    }
}

/// Why the rule did not conclude.
#[derive(Clone, Debug)]
pub enum Decline {
    /// The chart is not of this form.
    NotApplicable,
    /// It is, but a limit or a non-linear minor stopped the rule.
    Stuck(String),
}

/// The pair of a linear-fibre chart (module docs), or why not.
pub fn solve(node: &ChartNode, deadline: &Deadline) -> Result<Fibre, Decline> {
    use Decline::*;
    let d = node.dim();
    if !node.ideal || d > MAX_VARS || node.gens.is_empty() || !node.region.iter().all(|r| r.is_local()) {
        return Err(NotApplicable);
    }
    let block = linear_block(node).ok_or(NotApplicable)?;
    let m = coefficient_matrix(node, &block);
    let (nr, nc) = (m.len(), block.len());
    if nr == 0 || nr > 63 || nc > 63 {
        return Err(NotApplicable);
    }
    let total: usize = (1..=nr.min(nc)).map(|j| binomial(nr, j).saturating_mul(binomial(nc, j))).sum();
    if total > MAX_MINORS {
        return Err(Stuck(format!("{total} minors of the {nr} × {nc} coefficient matrix")));
    }
    // Minors by size, dominated ones dropped.
    let mut det = Minors { m: &m, memo: HashMap::new(), too_big: false };
    let mut kept: Vec<Vec<Poly>> = Vec::new();
    for j in 1..=nr.min(nc) {
        let mut all: Vec<Poly> = Vec::new();
        for rows in subsets(nr, j) {
            for cols in subsets(nc, j) {
                let p = det.det(rows, cols);
                if deadline.expired() {
                    return Err(Stuck("time limit".into()));
                }
                if det.too_big {
                    return Err(Stuck("a minor is too large".into()));
                }
                if !p.is_zero() {
                    all.push(p);
                }
            }
        }
        if all.is_empty() {
            break;
        }
        all.sort_by_key(|p| (p.degree(), p.len()));
        let mut keep: Vec<Poly> = Vec::new();
        for p in all {
            if deadline.expired() {
                return Err(Stuck("time limit".into()));
            }
            if !keep.iter().any(|k| p.div_exact(k, 20_000).is_some()) {
                keep.push(p);
            }
        }
        kept.push(keep);
        if deadline.expired() {
            return Err(Stuck("time limit".into()));
        }
    }
    // The arrangement: forms, the minors' orders, prior orders.
    let mut forms: Vec<Vec<Rat>> = Vec::new();
    let index = |f: Vec<Rat>, forms: &mut Vec<Vec<Rat>>| -> usize {
        match forms.iter().position(|g| *g == f) {
            Some(i) => i,
            None => {
                forms.push(f);
                forms.len() - 1
            }
        }
    };
    // (j, [(form, exponent)]).
    let mut minors: Vec<(u32, Vec<(usize, u64)>)> = Vec::new();
    for (j0, keep) in kept.iter().enumerate() {
        let j = j0 as u32 + 1;
        for p in keep {
            if deadline.expired() {
                return Err(Stuck("time limit".into()));
            }
            let f = linear_factors(p, deadline)
                .ok_or_else(|| Stuck("a minor is not a product of linear forms".into()))?;
            let mut ord: Vec<(usize, u64)> =
                f.into_iter().map(|(form, e)| (index(form, &mut forms), e as u64)).collect();
            for v in 0..d {
                if node.beta[v] > 0 {
                    ord.push((index(coordinate(d, v), &mut forms), j as u64 * node.beta[v] as u64));
                }
            }
            minors.push((j, ord));
        }
    }
    let mut prior: Vec<(usize, u64)> = Vec::new();
    for v in 0..d {
        if node.h[v] > 0 {
            prior.push((index(coordinate(d, v), &mut forms), node.h[v] as u64));
        }
    }
    let nh = forms.len();
    if nh > MAX_HYPERPLANES {
        return Err(Stuck(format!("{nh} hyperplanes")));
    }
    let full = {
        let mut b = Basis::default();
        forms.iter().filter(|f| b.insert(f)).count()
    };
    // Maximal chains of flats, each flat as the closed set of hyperplanes
    // containing it; the chart LP depends only on the level at which each
    // hyperplane enters the chain.
    let mut walk = Walk {
        forms: &forms,
        full,
        children: HashMap::new(),
        level: vec![u32::MAX; nh],
        chains: 0,
        lps: HashSet::new(),
        minors: &minors,
        prior: &prior,
        deadline,
        stopped: None,
    };
    walk.walk(0, 0);
    if let Some(why) = walk.stopped {
        return Err(Stuck(why));
    }
    let (chains, lps) = (walk.chains, walk.lps);
    // Solve the distinct LPs.
    let mut best: Option<(Rat, Vec<(ChartLp, Vec<Rat>)>)> = None;
    let nlps = lps.len();
    for lp in lps {
        if deadline.expired() {
            return Err(Stuck("time limit".into()));
        }
        let (v, x) = lp.value().ok_or_else(|| Stuck("a chart LP has no optimum".into()))?;
        match &mut best {
            Some((b, list)) if *b == v => list.push((lp, x)),
            Some((b, _)) if *b < v => {}
            _ => best = Some((v, vec![(lp, x)])),
        }
    }
    let (lambda, optimal) = best.ok_or(NotApplicable)?;
    let mut mult = 1;
    for (lp, x) in &optimal {
        if deadline.expired() {
            return Err(Stuck("time limit".into()));
        }
        mult = mult.max(lp.multiplicity(&lambda, x).ok_or_else(|| Stuck("multiplicity LP failed".into()))?);
    }
    Ok(Fibre {
        pair: Pair { lambda, m: mult },
        block,
        hyperplanes: nh,
        minors: kept.iter().map(|k| k.len()).collect(),
        chains,
        lps: nlps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::ratio;
    use crate::resolve::region::Range;

    fn node(program: &[Poly], names: &[&str]) -> ChartNode {
        let d = names.len();
        ChartNode {
            names: names.iter().map(|s| s.to_string()).collect(),
            gens: program.to_vec(),
            ideal: true,
            beta: vec![0; d],
            h: vec![0; d],
            region: vec![Range::Local; d],
        }
    }

    /// The odd power sums Σ_h a_h b_h^{2k−1}, k = 1..H, in variables
    /// a_1, b_1, a_2, b_2, ….
    fn power_sums(h: usize) -> Vec<Poly> {
        let d = 2 * h;
        (1..=h)
            .map(|k| {
                let mut p = Poly::zero(d);
                for u in 0..h {
                    let mut e = vec![0; d];
                    e[2 * u] = 1;
                    e[2 * u + 1] = 2 * k as u32 - 1;
                    p = &p + &Poly::monomial(d, e, Rat::one());
                }
                p
            })
            .collect()
    }

    #[test]
    fn odd_power_sums_give_the_closed_form() {
        let names = ["a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4"];
        for (h, lambda, m) in [(1, ratio(1, 2), 2), (2, ratio(2, 3), 1), (3, ratio(5, 6), 1)] {
            let f = solve(&node(&power_sums(h), &names[..2 * h]), &Deadline::NONE).unwrap();
            assert_eq!((f.pair.lambda, f.pair.m), (lambda, m), "H = {h}");
        }
    }

    #[test]
    fn a_bilinear_monomial_and_a_line_arrangement() {
        // <x·y>: λ = 1/2, m = 2 (normal crossing).
        let x = Poly::var(2, 0);
        let y = Poly::var(2, 1);
        let f = solve(&node(&[&x * &y], &["x", "y"]), &Deadline::NONE).unwrap();
        assert_eq!((f.pair.lambda, f.pair.m), (ratio(1, 2), 2));
        // <a·(x² − y²)> in (a, x, y): in u = x − y, v = x + y it is the
        // normal crossing a·u·v, (1/2, 3).
        let a = Poly::var(3, 0);
        let (x, y) = (Poly::var(3, 1), Poly::var(3, 2));
        let g = &a * &(&(&x * &x) - &(&y * &y));
        let f = solve(&node(&[g], &["a", "x", "y"]), &Deadline::NONE).unwrap();
        assert_eq!((f.pair.lambda, f.pair.m), (ratio(1, 2), 3));
    }

    #[test]
    fn non_linear_minors_decline() {
        // <a·(x² + y³)>: the cusp is not an arrangement.
        let a = Poly::var(3, 0);
        let (x, y) = (Poly::var(3, 1), Poly::var(3, 2));
        let g = &a * &(&(&x * &x) + &(&(&y * &y) * &y));
        assert!(matches!(solve(&node(&[g], &["a", "x", "y"]), &Deadline::NONE), Err(Decline::Stuck(_))));
    }
}
