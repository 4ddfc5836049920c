//! Toric charts from a regular refinement of the normal fan of the Newton
//! polyhedron (docs/theory.md §3–§4; Varchenko 1976; the regular refinement by
//! stellar subdivisions is the classical construction of toric resolution,
//! e.g. Oda, *Convex Bodies and Algebraic Geometry*, §1.5, and Fulton,
//! *Introduction to Toric Varieties*, §2.6).
//!
//! # The mathematics
//!
//! Let `S` be the support of the generators (for an ideal the union of
//! their supports: Γ(Σ f_i²) = 2·Γ(I) has the same normal fan as Γ(I)).
//! For a weight `a ≥ 0`, `M(a)` is the set of points of `S` minimising
//! `⟨a, ·⟩`. The normal fan of Γ restricted to the orthant ℝ^d_{≥0} has one
//! maximal cone `C_α = {a ≥ 0 : ⟨a, β − α⟩ ≥ 0 ∀β ∈ S}` per vertex `α`.
//!
//! **Refinement.** The extreme rays of each full-dimensional `C_α` are
//! found exactly (each is cut out by `d − 1` independent tight
//! constraints among `a_i ≥ 0` and `⟨a, β − α⟩ ≥ 0`), and each `C_α` is
//! triangulated with its own rays by the pulling triangulation (the cones
//! over its first ray of the triangulated facets not containing that ray).
//! Every simplicial cone then lies in one `C_α`.
//! **Unimodularity.** A simplicial cone with `|det V| > 1` contains a
//! non-zero lattice point `p = Σ λ_j v_j` of its fundamental parallelepiped
//! (`0 ≤ λ_j < 1`; these are the `|det V|` elements of `ℤ^d / Vℤ^d`). The
//! stellar subdivision at `p` replaces the cone by the cones with `v_k`
//! replaced by `p` (`λ_k > 0`), of `|det| = λ_k·|det V| < |det V|`: the
//! process stops at `|det| = 1`. Sub-cones of a cone inside `C_α` stay
//! inside it. (The cones need not form a fan — faces of neighbours may be
//! subdivided differently — and the argument below does not need one:
//! only a cover by cones with disjoint interiors.)
//!
//! **Chart of a unimodular cone.** With the primitive rays as the columns
//! of `V` (`det V = ±1`, entries `≥ 0`): `x_i = Π_j y_j^{V_ij}`. Since
//! `log|x| = V log|y|`, `dx_i/x_i = Σ_j V_ij dy_j/y_j`, so
//! `|det ∂x/∂y| = Π_j |y_j|^{(Σ_i V_ij) − 1}`, and the prior `|x^h|` is
//! `Π_j |y_j|^{Σ_i h_i V_ij}`: the new prior exponent is
//! `h'_j = Σ_i (h_i + 1) V_ij − 1` (docs/theory.md §4). A monomial `x^α` becomes
//! `y^{Vᵀα}`; the common factor `y^ℓ`, `ℓ_j = min_{α∈S} ⟨v_j, α⟩`, is the
//! monomial part and the rest the strict transform. When the cone lies in
//! `C_α`, `α` attains every `ℓ_j` and no other support point maps to
//! `Vᵀα` (V invertible), so the strict transform is non-zero at `y = 0`.
//! Because `det V` is odd, `V mod 2` is invertible, so the sign map
//! `sign(y) ↦ sign(x)` is a bijection of `{±1}^d`: the map is a bijection
//! of the real torus and one chart covers every sign orthant.
//!
//! **Region.** For `x ∈ [−1, 1]^d` off the coordinate hyperplanes put
//! `w = −log|x| ∈ ℝ^d_{≥0}`; `w` lies in some cone, `w = Σ c_j v_j` with
//! `c_j ≥ 0`, so `y_j = ±e^{−c_j} ∈ [−1, 1]`. The charts restricted to
//! `y ∈ [−1, 1]^d` therefore cover `[−1, 1]^d` (up to measure zero), with
//! disjoint interiors. The map from each closed cube is proper, so a small
//! neighbourhood of `x = 0` pulls back into a small neighbourhood of the
//! fibre `E = {y ∈ [−1,1]^d : x(y) = 0}`, and conversely (near `E` some
//! `y_j` with `V_ij > 0` is small in every row `i`, and `|y| ≤ 1`, so
//! `|x_i|` is small). Since all integrands are positive, the pair of the
//! neighbourhood of 0 is the most singular pair over the charts of the
//! neighbourhoods of their fibres (volumes of a finite cover add up to a
//! bounded factor). `x_i = 0` iff some `y_j = 0` with `V_ij > 0`, so `E` is
//! the union of the coordinate subspaces `{y_j = 0, j ∈ J}` for the minimal
//! sets `J` meeting the support of every row of `V`; each `J` is a
//! sub-chart with `y_j` local (`j ∈ J`) and the others bounded in
//! `[−1, 1]` ([`Range`]). The coordinate blow-up is the special case of
//! the cones `{(1,…,1)} ∪ {e_i : i ≠ j}`: there `J = {j}`, all other
//! variables in `[−1, 1]` (tested).
//!
//! Everything is exact: integer rays (`i64`, with `i128` determinants and
//! a cap on their size), the charts themselves are exponent maps. When a
//! cap is hit the modification is not attempted (the engine falls back to
//! coordinate blow-ups): a cap only costs speed, never soundness.

use super::chart::ChartNode;
use super::expansion::{Combine, Expansion, Part};
use super::region::Range;
use crate::poly::{Poly, Rat};
use num_bigint::BigInt;
use num_traits::{One, Signed};
use std::collections::{BTreeSet, HashSet, VecDeque};

/// Largest chart dimension on which toric charts are tried (the fan
/// computation enumerates subsets of rays and parallelepiped points).
pub const TORIC_MAX_DIM: usize = 4;

/// Most cones a refinement may have before the modification is abandoned.
const MAX_CONES: usize = 1000;

/// Largest entry of a ray (keeps `i128` determinants exact).
const MAX_RAY_ENTRY: i64 = 1 << 20;

/// Most support points for which the fan is computed.
const MAX_SUPPORT: usize = 24;

/// Most subsets enumerated for one cone's rays or facets.
const MAX_SUBSETS: usize = 20_000;

/// Boxes tried by interval bisection in [`smooth_zero_lower_bound`] (the
/// squared gradient has twice the degree of a generator, so its interval
/// enclosures cost more than a unit test's).
const SMOOTH_BOX_BUDGET: usize = 64;

/// Largest exponent a chart may carry (exponent sums stay far from
/// `u32::MAX`; rays are at most [`MAX_RAY_ENTRY`] and exponents small).
const MAX_CHART_EXPONENT: u32 = 1 << 16;

/// Largest `|det|` of a cone whose parallelepiped is enumerated.
const MAX_INDEX: i128 = 4_096;

/// A simplicial cone in ℝ^d_{≥0}, given by its primitive integer rays.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cone {
    /// The rays `v_1 … v_d` (the columns of `V`).
    pub rays: Vec<Vec<i64>>,
}

impl Cone {
    /// The positive orthant, rays `e_1 … e_d`.
    pub fn orthant(d: usize) -> Cone {
        Cone { rays: (0..d).map(|j| (0..d).map(|i| i64::from(i == j)).collect()).collect() }
    }

    /// Dimension of the ambient space.
    pub fn dim(&self) -> usize {
        self.rays.len()
    }

    /// `V_ij`: coordinate `i` of ray `j`.
    pub fn entry(&self, i: usize, j: usize) -> i64 {
        self.rays[j][i]
    }

    /// `det V` (exact).
    pub fn det(&self) -> i128 {
        let m: Vec<Vec<i128>> =
            (0..self.dim()).map(|i| (0..self.dim()).map(|j| self.entry(i, j) as i128).collect()).collect();
        det(&m)
    }

    /// The coordinates `λ = V^{-1} w` of a vector in the basis of the rays
    /// (`None` when `det V = 0`): `w` lies in the closed cone iff every
    /// `λ_j ≥ 0`, in its interior iff every `λ_j > 0`.
    pub fn coordinates(&self, w: &[i64]) -> Option<Vec<Rat>> {
        let d = self.det();
        if d == 0 {
            return None;
        }
        let adj = self.adjugate();
        Some(
            adj.iter()
                .map(|row| {
                    let s: i128 = row.iter().zip(w).map(|(a, &b)| a * b as i128).sum();
                    Rat::new(BigInt::from(s), BigInt::from(d))
                })
                .collect(),
        )
    }

    /// `adj(V)` with `V · adj(V) = det(V) · I`.
    fn adjugate(&self) -> Vec<Vec<i128>> {
        let n = self.dim();
        (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        // adj_ij = (−1)^{i+j} · minor deleting row j, column i.
                        let minor: Vec<Vec<i128>> = (0..n)
                            .filter(|&r| r != j)
                            .map(|r| (0..n).filter(|&c| c != i).map(|c| self.entry(r, c) as i128).collect())
                            .collect();
                        let s = if (i + j) % 2 == 0 { 1 } else { -1 };
                        s * det(&minor)
                    })
                    .collect()
            })
            .collect()
    }

    /// The exponent vector of `x^α` in the chart: `(⟨v_j, α⟩)_j = Vᵀα`;
    /// `None` past [`MAX_CHART_EXPONENT`].
    pub fn pull_exponent(&self, alpha: &[u32]) -> Option<Vec<u32>> {
        self.rays.iter().map(|v| weighted_sum(v, alpha.iter().map(|&a| u64::from(a)))).collect()
    }

    /// The chart's prior exponents, Jacobian included:
    /// `h'_j = Σ_i (h_i + 1) V_ij − 1`; `None` past [`MAX_CHART_EXPONENT`].
    pub fn pull_prior(&self, h: &[u32]) -> Option<Vec<u32>> {
        // Each ray is non-zero and non-negative, so the sum is ≥ 1.
        self.rays
            .iter()
            .map(|v| weighted_sum(v, h.iter().map(|&a| u64::from(a) + 1)).map(|e| e - 1))
            .collect()
    }

    /// The exponents of the Jacobian `|det ∂x/∂y| = Π_j |y_j|^{(Σ_i V_ij) − 1}`.
    pub fn jacobian_exponent(&self) -> Option<Vec<u32>> {
        self.pull_prior(&vec![0; self.dim()])
    }

    /// The minimal sets `J` of chart variables meeting the support of every
    /// row of `V`: the fibre over `x = 0` is `∪_J {y_j = 0, j ∈ J}`.
    pub fn minimal_hitting_sets(&self) -> Vec<Vec<usize>> {
        let d = self.dim();
        let rows: Vec<u32> =
            (0..d).map(|i| (0..d).filter(|&j| self.entry(i, j) > 0).fold(0u32, |m, j| m | 1 << j)).collect();
        let hitting: Vec<u32> = (1u32..1 << d).filter(|&s| rows.iter().all(|&r| r & s != 0)).collect();
        hitting
            .iter()
            .filter(|&&s| !hitting.iter().any(|&t| t != s && t & s == t))
            .map(|&s| (0..d).filter(|&j| s >> j & 1 == 1).collect())
            .collect()
    }
}

/// `Σ_i v_i w_i` for a non-negative ray, `None` past [`MAX_CHART_EXPONENT`].
fn weighted_sum(v: &[i64], w: impl Iterator<Item = u64>) -> Option<u32> {
    let s: u64 = v.iter().zip(w).map(|(&a, b)| a as u64 * b).sum();
    u32::try_from(s).ok().filter(|&e| e <= MAX_CHART_EXPONENT)
}

/// Determinant of a small square integer matrix (Laplace expansion; used
/// for d ≤ [`TORIC_MAX_DIM`] only).
fn det(m: &[Vec<i128>]) -> i128 {
    let n = m.len();
    match n {
        0 => 1,
        1 => m[0][0],
        2 => m[0][0] * m[1][1] - m[0][1] * m[1][0],
        _ => (0..n)
            .filter(|&c| m[0][c] != 0)
            .map(|c| {
                let minor: Vec<Vec<i128>> = m[1..]
                    .iter()
                    .map(|r| r.iter().enumerate().filter(|&(k, _)| k != c).map(|(_, &v)| v).collect())
                    .collect();
                let s = if c % 2 == 0 { 1 } else { -1 };
                s * m[0][c] * det(&minor)
            })
            .sum(),
    }
}

/// Every `k`-subset of `0..n` in lexicographic order, or `None` when there
/// are more than `cap`.
fn subsets(n: usize, k: usize, cap: usize) -> Option<Vec<Vec<usize>>> {
    let mut out = Vec::new();
    if k > n {
        return Some(out);
    }
    let mut idx: Vec<usize> = (0..k).collect();
    loop {
        out.push(idx.clone());
        if out.len() > cap {
            return None;
        }
        let Some(i) = (0..k).rev().find(|&i| idx[i] < n - k + i) else { return Some(out) };
        idx[i] += 1;
        for j in i + 1..k {
            idx[j] = idx[j - 1] + 1;
        }
    }
}

/// Rank of integer vectors (fraction-free elimination, rows reduced by
/// their gcd so entries stay small).
fn int_rank(vs: &[Vec<i128>]) -> usize {
    let mut m: Vec<Vec<i128>> = vs.to_vec();
    let cols = m.first().map_or(0, |r| r.len());
    let mut rank = 0;
    for c in 0..cols {
        let Some(p) = (rank..m.len()).find(|&i| m[i][c] != 0) else { continue };
        m.swap(rank, p);
        let pivot = m[rank].clone();
        for row in m.iter_mut().skip(rank + 1) {
            if row[c] != 0 {
                let f = row[c];
                for (x, y) in row.iter_mut().zip(&pivot) {
                    *x = *x * pivot[c] - f * y;
                }
                let g = row.iter().fold(0i128, |g, &x| num_integer::gcd(g, x));
                if g > 1 {
                    row.iter_mut().for_each(|x| *x /= g);
                }
            }
        }
        rank += 1;
    }
    rank
}

/// The generalised cross product of `n − 1` integer vectors of length
/// `n`: `c_j = (−1)^j det(M without column j)`, orthogonal to every row,
/// and zero iff the rows are dependent.
fn cross(rows: &[Vec<i128>]) -> Vec<i128> {
    let n = rows.len() + 1;
    (0..n)
        .map(|j| {
            let minor: Vec<Vec<i128>> =
                rows.iter().map(|r| (0..n).filter(|&c| c != j).map(|c| r[c]).collect()).collect();
            if j % 2 == 0 { det(&minor) } else { -det(&minor) }
        })
        .collect()
}

fn wide(v: &[i64]) -> Vec<i128> {
    v.iter().map(|&x| x as i128).collect()
}

/// The primitive vector on the ray of a non-zero integer vector; `None`
/// when it is zero or an entry exceeds [`MAX_RAY_ENTRY`].
fn primitive(v: &[i128]) -> Option<Vec<i64>> {
    let g = v.iter().fold(0i128, |g, &x| num_integer::gcd(g, x));
    if g == 0 {
        return None;
    }
    v.iter().map(|&x| i64::try_from(x / g).ok().filter(|y| y.abs() <= MAX_RAY_ENTRY)).collect()
}

fn idot(a: &[i64], b: &[i64]) -> i128 {
    a.iter().zip(b).map(|(&x, &y)| x as i128 * y as i128).sum()
}

/// The extreme rays (primitive) of the pointed cone
/// `{a : ⟨c, a⟩ ≥ 0 for every row c}` of full dimension `d`: each is cut
/// out by `d − 1` independent tight constraints (their cross product).
fn extreme_rays(constraints: &[Vec<i64>], d: usize) -> Option<Vec<Vec<i64>>> {
    let mut rows: Vec<Vec<i64>> = Vec::new();
    for c in constraints {
        if let Some(p) = primitive(&wide(c))
            && !rows.contains(&p)
        {
            rows.push(p);
        }
    }
    let mut out: BTreeSet<Vec<i64>> = BTreeSet::new();
    for sub in subsets(rows.len(), d - 1, MAX_SUBSETS)? {
        let m: Vec<Vec<i128>> = sub.iter().map(|&i| wide(&rows[i])).collect();
        let n = cross(&m);
        if n.iter().all(|&x| x == 0) {
            continue;
        }
        for sign in [1i128, -1] {
            let y = primitive(&n.iter().map(|x| x * sign).collect::<Vec<_>>())?;
            if rows.iter().all(|c| idot(c, &y) >= 0) {
                out.insert(y);
            }
        }
    }
    Some(out.into_iter().collect())
}

/// The facets of the pointed cone spanned by `rays` (of dimension `k`,
/// inside its own span), as sets of ray indices.
fn cone_facets(rays: &[Vec<i64>], k: usize) -> Option<Vec<Vec<usize>>> {
    let d = rays[0].len();
    // A basis of the span, taken among the rays.
    let mut basis: Vec<Vec<i128>> = Vec::new();
    for r in rays {
        let mut with = basis.clone();
        with.push(wide(r));
        if int_rank(&with) > basis.len() {
            basis = with;
        }
    }
    let mut facets: Vec<Vec<usize>> = Vec::new();
    for sub in subsets(rays.len(), k - 1, MAX_SUBSETS)? {
        // n = Σ c_b b over the basis with ⟨n, s⟩ = 0 for s in the subset:
        // c is the cross product of the Gram rows (zero when the subset
        // is dependent).
        let gram: Vec<Vec<i128>> =
            sub.iter().map(|&i| basis.iter().map(|b| idot(&rays[i], &narrow(b))).collect()).collect();
        let c = cross(&gram);
        if c.iter().all(|&x| x == 0) {
            continue;
        }
        let n: Vec<i128> = (0..d).map(|j| basis.iter().zip(&c).map(|(b, cb)| b[j] * cb).sum()).collect();
        let vals: Vec<i128> = rays.iter().map(|r| wide(r).iter().zip(&n).map(|(a, b)| a * b).sum()).collect();
        if vals.iter().all(|&v| v >= 0) || vals.iter().all(|&v| v <= 0) {
            let f: Vec<usize> = (0..rays.len()).filter(|&i| vals[i] == 0).collect();
            if !facets.contains(&f) {
                facets.push(f);
            }
        }
    }
    Some(facets)
}

fn narrow(v: &[i128]) -> Vec<i64> {
    v.iter().map(|&x| x as i64).collect()
}

/// A triangulation of the pointed cone spanned by `rays` into simplicial
/// cones using only its rays (the pulling triangulation: the cones over
/// the first ray of the triangulated facets not containing it cover the
/// cone with disjoint interiors).
fn triangulate(rays: &[Vec<i64>]) -> Option<Vec<Vec<Vec<i64>>>> {
    let k = int_rank(&rays.iter().map(|r| wide(r)).collect::<Vec<_>>());
    if rays.len() == k {
        return Some(vec![rays.to_vec()]);
    }
    let mut out = Vec::new();
    for f in cone_facets(rays, k)? {
        if f.contains(&0) {
            continue;
        }
        let facet: Vec<Vec<i64>> = f.iter().map(|&i| rays[i].clone()).collect();
        for mut t in triangulate(&facet)? {
            t.insert(0, rays[0].clone());
            out.push(t);
        }
    }
    Some(out)
}

/// The maximal cones `C_α = {a ≥ 0 : ⟨a, β − α⟩ ≥ 0 ∀β ∈ S}` of the
/// normal fan in the orthant (one per vertex `α` of Γ; other points of
/// `S` give lower-dimensional cones, skipped), by their extreme rays.
fn normal_cones(support: &[Vec<u32>]) -> Option<Vec<Vec<Vec<i64>>>> {
    let d = support[0].len();
    let mut out = Vec::new();
    for alpha in support {
        let mut cons: Vec<Vec<i64>> = (0..d).map(|j| (0..d).map(|i| i64::from(i == j)).collect()).collect();
        cons.extend(
            support.iter().map(|b| b.iter().zip(alpha).map(|(&x, &y)| x as i64 - y as i64).collect()),
        );
        let rays = extreme_rays(&cons, d)?;
        if int_rank(&rays.iter().map(|r| wide(r)).collect::<Vec<_>>()) == d {
            out.push(rays);
        }
    }
    Some(out)
}

/// The non-zero lattice point of the fundamental parallelepiped
/// `{Σ λ_j v_j : 0 ≤ λ_j < 1}` with the least `Σ λ_j` (ties: least `λ`
/// lexicographically), with its coordinates' numerators over `|det V|`.
/// The points are the elements of `ℤ^d / Vℤ^d`: `λ = V^{-1}z mod 1`,
/// generated by the columns of `V^{-1}` (breadth-first closure).
fn parallelepiped_point(cone: &Cone) -> Option<(Vec<i64>, Vec<i128>)> {
    let det = cone.det();
    let n = det.abs();
    if !(2..=MAX_INDEX).contains(&n) {
        return None;
    }
    let d = cone.dim();
    // V^{-1} = adj(V) / det = (sign · adj(V)) / n.
    let sign = det.signum();
    let adj = cone.adjugate();
    let gens: Vec<Vec<i128>> =
        (0..d).map(|c| (0..d).map(|r| (sign * adj[r][c]).rem_euclid(n)).collect()).collect();
    let zero = vec![0i128; d];
    let mut seen: HashSet<Vec<i128>> = HashSet::from([zero.clone()]);
    let mut queue = VecDeque::from([zero]);
    while let Some(s) = queue.pop_front() {
        for g in &gens {
            let t: Vec<i128> = s.iter().zip(g).map(|(a, b)| (a + b) % n).collect();
            if seen.insert(t.clone()) {
                queue.push_back(t);
            }
        }
    }
    let best = seen.into_iter().filter(|s| s.iter().any(|&x| x != 0)).min_by(|a, b| {
        let (sa, sb): (i128, i128) = (a.iter().sum(), b.iter().sum());
        sa.cmp(&sb).then_with(|| a.cmp(b))
    })?;
    // p = V λ = (V · best) / n, an integer vector.
    let p: Vec<i128> =
        (0..d).map(|i| (0..d).map(|j| cone.entry(i, j) as i128 * best[j]).sum::<i128>() / n).collect();
    let p: Vec<i64> = p.iter().map(|&x| i64::try_from(x).ok()).collect::<Option<_>>()?;
    Some((p, best))
}

/// A regular (unimodular) simplicial refinement of the normal fan of the
/// Newton polyhedron of `support`, restricted to the positive orthant (see
/// the module docs), as a list of unimodular cones with disjoint interiors
/// covering ℝ^d_{≥0}, in a deterministic order. `None` when a size cap is
/// hit (too many cones, too large rays or indices).
pub fn regular_fan(support: &[Vec<u32>]) -> Option<Vec<Cone>> {
    let d = support.first()?.len();
    if d == 0 || d > TORIC_MAX_DIM {
        return None;
    }
    // Γ = conv(S) + ℝ^d_{≥0} is unchanged by dropping points that
    // dominate another point coordinatewise.
    let minimal: Vec<Vec<u32>> = support
        .iter()
        .filter(|b| !support.iter().any(|a| a != *b && a.iter().zip(b.iter()).all(|(x, y)| x <= y)))
        .cloned()
        .collect();
    let support = &minimal[..];
    if support.len() > MAX_SUPPORT {
        return None;
    }
    // 1. Triangulate each maximal cone of the normal fan.
    let mut refined = Vec::new();
    for rays in normal_cones(support)? {
        for t in triangulate(&rays)? {
            refined.push(Cone { rays: t });
            if refined.len() > MAX_CONES {
                return None;
            }
        }
    }
    // 2. Make each cone unimodular by stellar subdivisions.
    let mut out = Vec::new();
    let mut work: Vec<Cone> = refined.into_iter().rev().collect();
    while let Some(cone) = work.pop() {
        if out.len() + work.len() > MAX_CONES {
            return None;
        }
        let det = cone.det();
        if det == 0 {
            return None;
        }
        if det.abs() == 1 {
            out.push(cone);
            continue;
        }
        let (p, lambda) = parallelepiped_point(&cone)?;
        for k in (0..d).rev() {
            if lambda[k] > 0 {
                let mut c = cone.clone();
                c.rays[k] = p.clone();
                work.push(c);
            }
        }
    }
    Some(out)
}

/// The chart of a unimodular cone: `x_i = Π_j y_j^{V_ij}` applied to the
/// generators and to `u^β` term by term, the prior exponents
/// `h'_j = Σ_i (h_i + 1) V_ij − 1`, the monomial part factored out; every
/// variable bounded in `[−1, 1]` (the caller makes the fibre's variables
/// local). `None` when an exponent exceeds [`MAX_CHART_EXPONENT`].
pub fn toric_chart(node: &ChartNode, cone: &Cone, names: &[String]) -> Option<ChartNode> {
    let d = node.dim();
    let mut gens = Vec::with_capacity(node.gens.len());
    for g in &node.gens {
        let terms: Option<Vec<(Vec<u32>, Rat)>> =
            g.terms().iter().map(|t| Some((cone.pull_exponent(&t.exp)?, t.coef.clone()))).collect();
        gens.push(Poly::from_terms(d, terms?));
    }
    let mut chart = ChartNode {
        names: names.to_vec(),
        gens,
        ideal: node.ideal,
        beta: cone.pull_exponent(&node.beta)?,
        h: cone.pull_prior(&node.h)?,
        region: vec![Range::Bounded(-Rat::one(), Rat::one()); d],
    };
    chart.factor_monomial();
    Some(chart)
}

/// `x = τ1^2*τ2, y = τ1^3*τ2^2`: the substitution of a chart, readable.
pub fn substitution_text(cone: &Cone, old: &[String], new: &[String]) -> String {
    let d = cone.dim();
    (0..d)
        .map(|i| {
            format!(
                "{} = {}",
                old[i],
                monomial_text(&(0..d).map(|j| cone.entry(i, j) as u32).collect::<Vec<_>>(), new)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn monomial_text(exp: &[u32], names: &[String]) -> String {
    let parts: Vec<String> = exp
        .iter()
        .zip(names)
        .filter(|(e, _)| **e > 0)
        .map(|(&e, n)| if e == 1 { n.clone() } else { format!("{n}^{e}") })
        .collect();
    if parts.is_empty() { "1".into() } else { parts.join("*") }
}

/// Names `τ1, τ2, …` not already used by the chart.
fn fresh_names(taken: &[String], d: usize) -> Vec<String> {
    (1..).map(|k| format!("τ{k}")).filter(|n| !taken.contains(n)).take(d).collect()
}

/// The toric modification of a node whose variables are all local
/// (issue #5 item 1): one sub-chart per unimodular cone of the regular
/// refinement and per component `{y_J = 0}` of its fibre over `x = 0`;
/// the node's pair is the most singular pair of the sub-charts (module
/// docs). `None` (the caller falls back to coordinate blow-ups) outside
/// `2 ≤ d ≤` [`TORIC_MAX_DIM`], when a cap is hit, or when the fan is
/// the orthant alone (the chart would be the node itself).
pub(super) fn toric_modification(node: &ChartNode) -> Option<Expansion> {
    let d = node.dim();
    if !(2..=TORIC_MAX_DIM).contains(&d) || node.region.iter().any(|r| !r.is_local()) {
        return None;
    }
    let support: Vec<Vec<u32>> = node
        .gens
        .iter()
        .flat_map(|g| g.support().map(|e| e.to_vec()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let fan = regular_fan(&support)?;
    if fan.len() < 2 {
        return None;
    }
    let names = fresh_names(&node.names, d);
    // Every chart is built before the step is touched: a cap hit
    // leaves the node to the coordinate blow-up untouched.
    let charts: Vec<(ChartNode, Vec<u32>)> = fan
        .iter()
        .map(|cone| Some((toric_chart(node, cone, &names)?, cone.jacobian_exponent()?)))
        .collect::<Option<_>>()?;
    let rays: BTreeSet<&Vec<i64>> = fan.iter().flat_map(|c| c.rays.iter()).collect();
    let rule = format!(
        "toric modification: regular refinement of the normal fan of Γ, {} unimodular cones, rays {}; \
             chart x = y^V per cone (det V = ±1), h'_j = Σ_i (h_i+1) V_ij − 1; the fibre over the origin is \
             the union of the sub-charts {{y_J = 0}} (others in [-1, 1]): union of their pairs",
        fan.len(),
        rays.iter().map(|r| ray_text(r)).collect::<Vec<_>>().join(" ")
    );
    let mut parts = Vec::new();
    for (k, (cone, (chart, jac))) in fan.iter().zip(charts).enumerate() {
        let jac = monomial_text(&jac, &names);
        for set in cone.minimal_hitting_sets() {
            let mut sub = chart.clone();
            for &j in &set {
                sub.region[j] = Range::Local;
            }
            let local: Vec<&str> = set.iter().map(|&j| names[j].as_str()).collect();
            let desc = format!(
                "toric chart σ{} = cone({}): {}; |Jacobian| = |{}|; over the origin: {} → 0",
                k + 1,
                cone.rays.iter().map(|r| ray_text(r)).collect::<Vec<_>>().join(", "),
                substitution_text(cone, &node.names, &names),
                jac,
                local.join(", ")
            );
            // x_i = Π_j y_j^{V_ij}, the rays the columns of V.
            let map = (0..d)
                .map(|i| {
                    let e = cone.rays.iter().map(|r| u32::try_from(r[i]).ok()).collect::<Option<Vec<u32>>>();
                    e.map(|e| Poly::monomial(d, e, crate::poly::Rat::from_integer(1.into())))
                })
                .collect::<Option<Vec<Poly>>>();
            parts.push(match map {
                Some(map) => Part::linked(sub, desc, super::expansion::Link::Pullback(map)),
                None => Part::chart(sub, desc),
            });
        }
    }
    Some(Expansion::split(Combine::Union, rule, parts))
}

/// A proven lower bound `λ ≥ 1/2` on a region without divisors or prior
/// (`β = h = 0`) where some generator `g` has no singular zero: `g² +
/// Σ_k (∂g/∂y_k)²` is proven non-vanishing on the whole region. At a zero
/// of `g`, some `∂g/∂y_k ≠ 0`, so `g` is a local coordinate (implicit
/// function theorem) and `λ(g²) = 1/2`; `K ≳ g²` there (an ideal contains
/// `g`; a polynomial `K = g` is bounded, so `g ≥ g²/C`), and a larger loss
/// has a larger λ. Where `g` has no zero the region is zero-free. Toric
/// charts meet such regions where the zeros of a degenerate face reach the
/// boundary of a chart's box (`τ1²τ3 = 1` at the corners of `[−1, 1]²`).
pub(super) fn smooth_zero_lower_bound(node: &ChartNode) -> Option<Rat> {
    if node.beta.iter().chain(&node.h).any(|&e| e > 0) {
        return None;
    }
    node.gens
        .iter()
        .any(|g| {
            let grad_sq = (0..node.dim()).map(|k| g.derivative(k)).fold(g * g, |acc, dg| &acc + &(&dg * &dg));
            super::region::nonvanishing_on(&grad_sq, &node.region, SMOOTH_BOX_BUDGET)
        })
        .then(|| Rat::new(BigInt::one(), BigInt::from(2)))
}

fn ray_text(r: &[i64]) -> String {
    format!("({})", r.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn determinant_and_coordinates() {
        let c = Cone { rays: vec![vec![2, 3], vec![1, 2]] };
        assert_eq!(c.det(), 1);
        let l = c.coordinates(&[3, 5]).unwrap();
        assert_eq!(l, vec![Rat::one(), Rat::one()]);
        let c3 = Cone { rays: vec![vec![1, 1, 1], vec![0, 1, 0], vec![0, 0, 1]] };
        assert_eq!(c3.det(), 1);
        assert!(Cone::orthant(4).det() == 1);
    }
}
