//! Newton polyhedra (docs/theory.md §3): the τ-distance by exact LP, the minimal
//! face through the hit point and its codimension (the Newton
//! multiplicity θ), the compact faces and their non-degeneracy
//! certificates.
//!
//! Γ(K) = conv(supp K) + ℝ^d_{≥0}. For an ideal (K = Σ f_i²) the code works
//! on Γ(I) = conv(∪ supp f_i) + ℝ^d_{≥0} and uses Γ(K) = 2Γ(I); every point
//! it *reports* (vertices, face points, hit point) is in Γ(K) coordinates.
//!
//! Theorem used (Varchenko 1976; Lin 2011 for ideals with monomial
//! priors): (λ, m) is at least as singular as the Newton pair (1/t*, θ),
//! with equality when no compact face polynomial has a zero in the real
//! torus.
//!
//! ```
//! use rlct::newton::{analyze, Nondegeneracy};
//! use rlct::poly::{Poly, rat, ratio};
//! // K = x^2 + y^4: λ = 1/2 + 1/4 = 3/4, m = 1, non-degenerate.
//! let k = Poly::from_terms(2, [(vec![2, 0], rat(1)), (vec![0, 4], rat(1))]);
//! let a = analyze(&[k], false, &[0, 0]);
//! assert_eq!(a.pair.lambda, ratio(3, 4));
//! assert_eq!(a.pair.multiplicity, 1);
//! assert!(matches!(a.nondegeneracy, Nondegeneracy::Certified));
//! ```

mod certify;
pub(crate) mod linalg;

/// Rank over ℚ of a list of vectors.
pub fn rank(vectors: &[Vec<Rat>]) -> usize {
    linalg::rank(vectors)
}

use crate::lp::{LpOutcome, minimize};
use crate::poly::{Poly, Rat};
use linalg::{dot, non_negative, null_space, primitive, ray_key, to_rat};
use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};
use std::collections::{BTreeSet, HashSet};

/// The Newton pair and the geometry of the hit point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewtonPair {
    /// λ_Newton = 1/t*.
    pub lambda: Rat,
    /// θ: codimension of the minimal face of Γ(K) containing t*(h+1).
    pub multiplicity: usize,
    /// The τ-distance t* = min{t : t(h+1) ∈ Γ(K)}.
    pub t_star: Rat,
    /// The hit point t*(h+1).
    pub hit_point: Vec<Rat>,
    /// Primitive integer normals of the facets of Γ(K) through the hit
    /// point (the extreme rays of the normal cone of the minimal face);
    /// their rank is θ.
    pub tight_normals: Vec<Vec<Rat>>,
    /// False when the facet enumeration hit its budget: `tight_normals` is
    /// then a basis-like subset (θ itself is always exact).
    pub tight_normals_complete: bool,
}

/// Outcome of the non-degeneracy check over all compact faces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Nondegeneracy {
    /// Every compact face polynomial has no zero in the real torus.
    Certified,
    /// A compact face has an exact torus zero (`witness` says which).
    Degenerate {
        /// The face's support points (Γ(K) coordinates).
        face: Vec<Vec<u32>>,
        /// The exact zero.
        witness: String,
    },
    /// Some face could not be decided exactly (or the enumeration budget
    /// ran out): only the Newton bound holds.
    Uncertified {
        /// The undecided face (empty when the budget ran out).
        face: Vec<Vec<u32>>,
        /// Why.
        reason: String,
    },
}

/// One compact face of Γ(K) and how it was certified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaceReport {
    /// Support points on the face (Γ(K) coordinates), sorted.
    pub points: Vec<Vec<u32>>,
    /// Dimension of the face.
    pub dim: usize,
    /// `"vertex"`, `"even-positive"`, `"monomial generator"`,
    /// `"sturm: ..."`, `"degenerate: ..."`, `"uncertified: ..."`.
    pub certificate: String,
}

impl FaceReport {
    /// True when the certificate proves the face polynomial has no real
    /// torus zero.
    pub fn is_certified(&self) -> bool {
        !self.certificate.starts_with("degenerate") && !self.certificate.starts_with("uncertified")
    }
}

/// Everything the Newton layer knows about a loss.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewtonAnalysis {
    /// The Newton pair.
    pub pair: NewtonPair,
    /// Vertices of Γ(K) (empty when not enumerated).
    pub vertices: Vec<Vec<u32>>,
    /// The compact faces with their certificates (empty when not
    /// enumerated).
    pub faces: Vec<FaceReport>,
    /// The verdict over all compact faces.
    pub nondegeneracy: Nondegeneracy,
    /// True when `vertices` and `faces` list every vertex and compact face.
    pub faces_enumerated: bool,
}

/// Options bounding the work of [`analyze_with`].
#[derive(Clone, Debug)]
pub struct NewtonOptions {
    /// Most LPs spent enumerating vertices and compact faces; past it the
    /// analysis is uncertified (a bound, never a wrong exact).
    pub lp_budget: usize,
    /// Most subsets tried when listing the facets through the hit point.
    pub facet_budget: usize,
    /// Most distinct support points for which vertices and compact faces
    /// are enumerated; above it only the global even-positive rule can
    /// certify.
    pub max_face_points: usize,
}

impl Default for NewtonOptions {
    fn default() -> Self {
        NewtonOptions { lp_budget: 5_000, facet_budget: 50_000, max_face_points: 80 }
    }
}

/// The support of the loss as the LP sees it: the distinct exponents of
/// `K`, or of all generators of an ideal, with the factor `scale` (1 or 2)
/// that maps them into Γ(K).
pub(crate) struct Support {
    pub d: usize,
    pub points: Vec<Vec<u32>>,
    pub scale: u32,
}

impl Support {
    fn new(gens: &[Poly], ideal: bool) -> Self {
        let d = gens.first().map_or(0, |g| g.nvars());
        let set: BTreeSet<Vec<u32>> = gens.iter().flat_map(|g| g.support().map(|e| e.to_vec())).collect();
        Support { d, points: set.into_iter().collect(), scale: if ideal { 2 } else { 1 } }
    }

    fn to_k(&self, p: &[u32]) -> Vec<u32> {
        p.iter().map(|e| e * self.scale).collect()
    }
}

/// A face given by the support points and coordinate rays it contains.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Face {
    pub points: Vec<usize>,
    pub rays: Vec<usize>,
}

/// Counts LPs against a budget.
struct Budget {
    left: usize,
}

impl Budget {
    fn spend(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        self.left -= 1;
        true
    }
}

/// Can `target` (a point index or, past `cand_pts.len()`, a ray) carry
/// positive weight in a representation q = Σ μ_p p + Σ ν_j e_j with
/// Σ μ = 1? Returns the weights of the representation maximising it
/// (`None` when q is not in the polyhedron spanned by the candidates).
fn max_weight(
    cand_pts: &[&[u32]],
    cand_rays: &[usize],
    d: usize,
    q: &[Rat],
    target: usize,
) -> Option<Vec<Rat>> {
    let n = cand_pts.len() + cand_rays.len();
    let mut a: Vec<Vec<Rat>> = (0..d)
        .map(|j| {
            let mut row: Vec<Rat> = cand_pts.iter().map(|p| Rat::from_integer(BigInt::from(p[j]))).collect();
            row.extend(cand_rays.iter().map(|&r| if r == j { Rat::one() } else { Rat::zero() }));
            row
        })
        .collect();
    let mut sum_row = vec![Rat::one(); cand_pts.len()];
    sum_row.extend(std::iter::repeat_n(Rat::zero(), cand_rays.len()));
    a.push(sum_row);
    let mut b = q.to_vec();
    b.push(Rat::one());
    let mut c = vec![Rat::zero(); n];
    c[target] = -Rat::one();
    match minimize(&c, &a, &b) {
        LpOutcome::Optimal { x, .. } => Some(x),
        // Weights are bounded (μ ≤ 1, ν_j ≤ q_j), so never unbounded.
        _ => None,
    }
}

/// The minimal face of Γ(S) containing `q` (which must lie in Γ(S)),
/// searched among the candidate points and rays (which must include every
/// generator of that face). `None` when the budget runs out or q ∉ Γ.
fn minimal_face(
    points: &[Vec<u32>],
    cand_pts: &[usize],
    cand_rays: &[usize],
    d: usize,
    q: &[Rat],
    budget: &mut Budget,
) -> Option<Face> {
    let pts: Vec<&[u32]> = cand_pts.iter().map(|&i| points[i].as_slice()).collect();
    let n = pts.len() + cand_rays.len();
    let mut positive = vec![false; n];
    // One LP per generator not yet known to be usable; every LP's positive
    // support is usable too (the set of representations is convex, so
    // their average is positive on all usable generators at once).
    for target in 0..n {
        if positive[target] {
            continue;
        }
        if !budget.spend() {
            return None;
        }
        let x = max_weight(&pts, cand_rays, d, q, target)?;
        for (k, v) in x.iter().enumerate() {
            if v.is_positive() {
                positive[k] = true;
            }
        }
    }
    let points = (0..pts.len()).filter(|&k| positive[k]).map(|k| cand_pts[k]).collect();
    let rays = (0..cand_rays.len()).filter(|&k| positive[pts.len() + k]).map(|k| cand_rays[k]).collect();
    Some(Face { points, rays })
}

/// Points on the hyperplane ⟨a, ·⟩ = value and the rays with a_j = 0:
/// they contain every generator of the face the dual normal supports.
fn supporting_candidates(points: &[Vec<u32>], a: &[Rat], value: &Rat) -> (Vec<usize>, Vec<usize>) {
    (
        (0..points.len()).filter(|&i| dot(a, &to_rat(&points[i])) == *value).collect(),
        (0..a.len()).filter(|&j| a[j].is_zero()).collect(),
    )
}

/// The minimal face of Γ(S) containing q ∈ Γ(S), or `Ok(None)` when q is
/// in the interior (then the minimal face is Γ itself, not compact).
/// `Err(())` when the budget runs out.
fn minimal_face_of(points: &[Vec<u32>], q: &[Rat], budget: &mut Budget) -> Result<Option<Face>, ()> {
    if !budget.spend() {
        return Err(());
    }
    let Some((s, a)) = ray_distance(points, q) else { return Ok(None) };
    if s != Rat::one() {
        return Ok(None);
    }
    let (cp, cr) = supporting_candidates(points, &a, &s);
    let d = q.len();
    minimal_face(points, &cp, &cr, d, q, budget).map(Some).ok_or(())
}

/// Dimension of a face: affine rank of its points plus its rays.
fn face_dim(points: &[Vec<u32>], face: &Face, d: usize) -> usize {
    let Some(&first) = face.points.first() else { return 0 };
    let base = to_rat(&points[first]);
    let mut vs: Vec<Vec<Rat>> = face.points[1..]
        .iter()
        .map(|&i| to_rat(&points[i]).iter().zip(&base).map(|(a, b)| a - b).collect())
        .collect();
    for &j in &face.rays {
        let mut e = vec![Rat::zero(); d];
        e[j] = Rat::one();
        vs.push(e);
    }
    rank(&vs)
}

/// The restricted ray-distance LP over the points `active`:
/// min s s.t. s·q = Σ μ_k p_k + ν, Σ μ = 1, μ, ν ≥ 0. Returns the value
/// and the dual normal (first d dual entries), `None` when infeasible.
fn ray_lp(points: &[Vec<u32>], active: &[usize], q: &[Rat]) -> Option<(Rat, Vec<Rat>)> {
    let (d, n) = (q.len(), active.len());
    // Variables: s, μ_1..μ_n, ν_1..ν_d.
    let cols = 1 + n + d;
    let mut a: Vec<Vec<Rat>> = (0..d)
        .map(|j| {
            let mut row = vec![Rat::zero(); cols];
            row[0] = q[j].clone();
            for (k, &i) in active.iter().enumerate() {
                row[1 + k] = -Rat::from_integer(BigInt::from(points[i][j]));
            }
            row[1 + n + j] = -Rat::one();
            row
        })
        .collect();
    let mut sum = vec![Rat::zero(); cols];
    for v in &mut sum[1..=n] {
        *v = Rat::one();
    }
    a.push(sum);
    let mut b = vec![Rat::zero(); d];
    b.push(Rat::one());
    let mut c = vec![Rat::zero(); cols];
    c[0] = Rat::one();
    match minimize(&c, &a, &b) {
        LpOutcome::Optimal { value, dual, .. } => Some((value, dual[..d].to_vec())),
        _ => None,
    }
}

/// s* = min{s : s·q ∈ Γ(S)} for a direction q ≥ 0, with a verified dual
/// normal `a` (a ≥ 0, ⟨a, q⟩ ≤ 1, min_α ⟨a, α⟩ = s*), by column
/// generation: solve over a few points, add the points the dual prices
/// below the current value, repeat. The last dual is checked against every
/// point, so the optimum is proven for the whole support. `None` when
/// s·q ∉ Γ for every s.
fn ray_distance(points: &[Vec<u32>], q: &[Rat]) -> Option<(Rat, Vec<Rat>)> {
    let d = q.len();
    // Start from the points with the least ⟨1/q, α⟩ (the τ-distance of α
    // alone when q has no zero entry), plus per coordinate the point with
    // the least entry there: a good guess of the optimal face.
    let weight = |i: usize| -> Rat {
        points[i]
            .iter()
            .zip(q)
            .map(|(&e, qj)| {
                if qj.is_zero() {
                    Rat::from_integer(BigInt::from(e))
                } else {
                    Rat::from_integer(BigInt::from(e)) / qj
                }
            })
            .sum()
    };
    let mut by_weight: Vec<(Rat, usize)> = (0..points.len()).map(|i| (weight(i), i)).collect();
    by_weight.sort();
    let mut active: Vec<usize> = by_weight.iter().take(2 * d + 2).map(|(_, i)| *i).collect();
    let key = |i: usize| points[i].iter().sum::<u32>();
    for j in 0..d {
        if let Some(i) = (0..points.len()).min_by_key(|&i| (points[i][j], key(i)))
            && !active.contains(&i)
        {
            active.push(i);
        }
    }
    loop {
        let Some((value, normal)) = ray_lp(points, &active, q) else {
            if active.len() == points.len() {
                return None;
            }
            active = (0..points.len()).collect();
            continue;
        };
        // Integer pricing: ⟨a, α⟩ < value ⇔ ⟨D a, α⟩ < D value.
        let den = normal.iter().chain(std::iter::once(&value)).fold(BigInt::one(), |l, c| {
            use num_integer::Integer;
            l.lcm(c.denom())
        });
        let ai: Vec<BigInt> =
            normal.iter().map(|c| (c * Rat::from_integer(den.clone())).to_integer()).collect();
        let vi = (&value * Rat::from_integer(den)).to_integer();
        let mut violators: Vec<(BigInt, usize)> = (0..points.len())
            .filter(|i| !active.contains(i))
            .filter_map(|i| {
                let s: BigInt = ai.iter().zip(&points[i]).map(|(a, &e)| a * BigInt::from(e)).sum();
                (s < vi).then_some((s, i))
            })
            .collect();
        if violators.is_empty() {
            let ok = non_negative(&normal) && dot(&normal, q) <= Rat::one();
            // The restricted LP's dual is feasible for the full LP: optimal.
            debug_assert!(ok, "dual of the ray LP must be feasible");
            return ok.then_some((value, normal)).or_else(|| {
                let all: Vec<usize> = (0..points.len()).collect();
                ray_lp(points, &all, q)
            });
        }
        violators.sort();
        active.extend(violators.iter().take(2 * d + 2).map(|(_, i)| *i));
    }
}

/// t* of Γ(S) along h+1 and its verified dual normal.
fn tau_lp(sup: &Support, h: &[u32]) -> (Rat, Vec<Rat>) {
    let hp1: Vec<Rat> = h.iter().map(|&x| Rat::from_integer(BigInt::from(x + 1))).collect();
    // t(h+1) ∈ Γ for t large since h+1 > 0 and Γ is up-closed.
    ray_distance(&sup.points, &hp1).expect("the τ-distance LP is feasible")
}

/// Extreme rays of the normal cone of `face` at the point `q`: the
/// normals of the facets through q. Returns (normals, complete).
fn facet_normals(sup: &Support, face: &Face, q: &[Rat], budget: usize) -> (Vec<Vec<Rat>>, bool) {
    let d = sup.d;
    // L = directions orthogonal to the face.
    let mut span: Vec<Vec<Rat>> = Vec::new();
    if let Some(&f0) = face.points.first() {
        let base = to_rat(&sup.points[f0]);
        for &i in &face.points[1..] {
            span.push(to_rat(&sup.points[i]).iter().zip(&base).map(|(a, b)| a - b).collect());
        }
    }
    for &j in &face.rays {
        let mut e = vec![Rat::zero(); d];
        e[j] = Rat::one();
        span.push(e);
    }
    let basis = null_space(&span, d);
    let theta = basis.len();
    if theta == 0 {
        return (Vec::new(), true);
    }
    if theta == 1 {
        // The normal cone is a single ray inside ℝ^d_{≥0}: the basis vector
        // or its negative.
        let b = &basis[0];
        let a: Vec<Rat> =
            if b.iter().any(|x| x.is_negative()) { b.iter().map(|x| -x).collect() } else { b.clone() };
        return (vec![primitive(&a).into_iter().map(Rat::from_integer).collect()], true);
    }
    let project = |v: &[Rat]| -> Vec<Rat> { basis.iter().map(|b| dot(b, v)).collect() };
    // Constraints c·y ≥ 0 in L-coordinates: a_j ≥ 0 and ⟨a, β − q⟩ ≥ 0.
    let mut seen = HashSet::new();
    let mut cons: Vec<Vec<Rat>> = Vec::new();
    let mut push = |c: Vec<Rat>| {
        if c.iter().any(|x| !x.is_zero()) && seen.insert(ray_key(&c)) {
            cons.push(c);
        }
    };
    for j in 0..d {
        let mut e = vec![Rat::zero(); d];
        e[j] = Rat::one();
        push(project(&e));
    }
    for (i, p) in sup.points.iter().enumerate() {
        if !face.points.contains(&i) {
            let diff: Vec<Rat> = to_rat(p).iter().zip(q).map(|(a, b)| a - b).collect();
            push(project(&diff));
        }
    }
    let to_normal = |y: &[Rat]| -> Vec<Rat> {
        let a: Vec<Rat> = (0..d).map(|j| basis.iter().zip(y).map(|(b, c)| &b[j] * c).sum()).collect();
        primitive(&a).into_iter().map(Rat::from_integer).collect()
    };
    let feasible = |y: &[Rat]| cons.iter().all(|c| !dot(c, y).is_negative());
    let mut out: Vec<Vec<Rat>> = Vec::new();
    let add = |n: Vec<Rat>, out: &mut Vec<Vec<Rat>>| {
        if !out.contains(&n) {
            out.push(n);
        }
    };
    // Each extreme ray is cut out by θ−1 independent tight constraints.
    let k = theta - 1;
    let mut idx: Vec<usize> = (0..k).collect();
    let mut tried = 0usize;
    let complete = loop {
        if k > cons.len() {
            break true;
        }
        tried += 1;
        if tried > budget {
            break false;
        }
        let rows: Vec<Vec<Rat>> = idx.iter().map(|&i| cons[i].clone()).collect();
        let ns = null_space(&rows, theta);
        if ns.len() == 1 {
            for sgn in [Rat::one(), -Rat::one()] {
                let y: Vec<Rat> = ns[0].iter().map(|v| v * &sgn).collect();
                if feasible(&y) {
                    add(to_normal(&y), &mut out);
                }
            }
        }
        // Next k-subset in lexicographic order.
        let mut i = k;
        loop {
            if i == 0 {
                break;
            }
            i -= 1;
            if idx[i] < cons.len() - k + i {
                idx[i] += 1;
                for j in i + 1..k {
                    idx[j] = idx[j - 1] + 1;
                }
                i = usize::MAX;
                break;
            }
        }
        if i != usize::MAX {
            break true;
        }
    };
    out.sort();
    (out, complete)
}

/// The τ-distance, hit point, minimal face and multiplicity.
fn pair_and_face(sup: &Support, h: &[u32], opts: &NewtonOptions) -> (NewtonPair, Face) {
    let d = sup.d;
    assert_eq!(h.len(), d, "one prior exponent per variable");
    assert!(!sup.points.is_empty(), "the Newton polyhedron of the zero polynomial is empty");
    let (t_s, normal) = tau_lp(sup, h);
    let q: Vec<Rat> = h.iter().map(|&x| &t_s * Rat::from_integer(BigInt::from(x + 1))).collect();
    // The dual normal's face contains the minimal face: restrict the
    // candidates to it (complementary slackness).
    let (cand_pts, cand_rays) = supporting_candidates(&sup.points, &normal, &t_s);
    let mut unlimited = Budget { left: usize::MAX };
    let face = minimal_face(&sup.points, &cand_pts, &cand_rays, d, &q, &mut unlimited)
        .expect("the hit point lies in Γ and the budget is unlimited");
    let theta = d - face_dim(&sup.points, &face, d);
    let (normals, complete) = facet_normals(sup, &face, &q, opts.facet_budget);
    let scale = Rat::from_integer(BigInt::from(sup.scale));
    let t_star = &t_s * &scale;
    let pair = NewtonPair {
        lambda: t_star.recip(),
        multiplicity: theta,
        hit_point: q.iter().map(|x| x * &scale).collect(),
        t_star,
        tight_normals: normals,
        tight_normals_complete: complete,
    };
    (pair, face)
}

/// Newton pair of `K` (`ideal = false`, `gens = [K]`) or of
/// `K = Σ gens²` (`ideal = true`, Γ(K) = 2Γ(I)), with prior exponents `h`.
/// Panics when every generator is zero or the dimensions disagree.
pub fn newton_pair(gens: &[Poly], ideal: bool, h: &[u32]) -> NewtonPair {
    pair_and_face(&Support::new(gens, ideal), h, &NewtonOptions::default()).0
}

/// Full analysis with default budgets: pair, vertices, compact faces,
/// certificates.
pub fn analyze(gens: &[Poly], ideal: bool, h: &[u32]) -> NewtonAnalysis {
    analyze_with(gens, ideal, h, &NewtonOptions::default())
}

/// True when every term has even exponents and a positive coefficient:
/// then every face polynomial is a sum of positive even monomials, which
/// has no zero in the real torus.
pub fn is_even_positive(p: &Poly) -> bool {
    p.terms().iter().all(|t| t.coef.is_positive() && t.exp.iter().all(|e| e % 2 == 0))
}

/// Full analysis with explicit budgets.
pub fn analyze_with(gens: &[Poly], ideal: bool, h: &[u32], opts: &NewtonOptions) -> NewtonAnalysis {
    let sup = Support::new(gens, ideal);
    let (pair, _) = pair_and_face(&sup, h, opts);
    let all_even_positive = !ideal && gens.iter().all(is_even_positive);
    let all_monomial = gens.iter().all(|g| g.len() == 1);
    let mut budget = Budget { left: opts.lp_budget };
    let mut reports = Vec::new();
    let mut verdict = Nondegeneracy::Certified;
    // Certify each face as it is found; stop at the first degenerate one
    // (its exact torus zero already decides the status: a bound).
    let mut on_face = |face: &Face| -> bool {
        let dim = face_dim(&sup.points, face, sup.d);
        let pts: Vec<Vec<u32>> = face.points.iter().map(|&i| sup.points[i].clone()).collect();
        let certificate = if all_even_positive && dim > 0 {
            "even-positive (K)".to_string()
        } else {
            certify::certify_face(gens, &pts, dim)
        };
        let points: Vec<Vec<u32>> = pts.iter().map(|p| sup.to_k(p)).collect();
        let mut stop = false;
        if let Some(w) = certificate.strip_prefix("degenerate: ") {
            verdict = Nondegeneracy::Degenerate { face: points.clone(), witness: w.to_string() };
            stop = true;
        } else if let Some(r) = certificate.strip_prefix("uncertified: ")
            && matches!(verdict, Nondegeneracy::Certified)
        {
            verdict = Nondegeneracy::Uncertified { face: points.clone(), reason: r.to_string() };
        }
        reports.push(FaceReport { points, dim, certificate });
        stop
    };
    let enumerated = if sup.points.len() <= opts.max_face_points {
        enumerate_compact_faces(&sup, &mut budget, &mut on_face)
    } else {
        None
    };
    reports.sort_by(|a, b| a.dim.cmp(&b.dim).then(a.points.cmp(&b.points)));
    let Some((vertices, complete)) = enumerated else {
        let nondegeneracy = if matches!(verdict, Nondegeneracy::Degenerate { .. }) {
            verdict
        } else if all_even_positive || (ideal && all_monomial) {
            Nondegeneracy::Certified
        } else {
            Nondegeneracy::Uncertified {
                face: Vec::new(),
                reason: format!(
                    "face enumeration skipped or over budget ({} support points, limit {}; {} LPs)",
                    sup.points.len(),
                    opts.max_face_points,
                    opts.lp_budget
                ),
            }
        };
        return NewtonAnalysis {
            pair,
            vertices: Vec::new(),
            faces: reports,
            nondegeneracy,
            faces_enumerated: false,
        };
    };
    NewtonAnalysis {
        pair,
        vertices: vertices.iter().map(|&i| sup.to_k(&sup.points[i])).collect(),
        faces: reports,
        nondegeneracy: verdict,
        faces_enumerated: complete,
    }
}

/// Vertices (indices) and all compact faces of Γ(S), or `None` past the
/// budget. A compact face of dimension k+1 is the minimal face through the
/// barycentre of one of its compact k-faces and one further vertex (that
/// barycentre lies in its relative interior), so a breadth-first search
/// from the vertices finds every compact face. Each face is passed to
/// `on_face` when found; it returns true to stop early. Returns the
/// vertices and whether the enumeration ran to completion.
fn enumerate_compact_faces(
    sup: &Support,
    budget: &mut Budget,
    on_face: &mut dyn FnMut(&Face) -> bool,
) -> Option<(Vec<usize>, bool)> {
    let (d, pts) = (sup.d, &sup.points);
    // A point dominated by another (q ≤ p, q ≠ p) is q + a ray: not a vertex.
    let undominated: Vec<usize> = (0..pts.len())
        .filter(|&i| {
            !pts.iter().enumerate().any(|(j, q)| j != i && q.iter().zip(&pts[i]).all(|(a, b)| a <= b))
        })
        .collect();
    let mut vertices = Vec::new();
    for &i in &undominated {
        let q = to_rat(&pts[i]);
        let f = minimal_face_of(pts, &q, budget).ok()?;
        if let Some(f) = f
            && f.points == [i]
            && f.rays.is_empty()
        {
            vertices.push(i);
            if on_face(&f) {
                return Some((vertices, false));
            }
        }
    }
    let mut level: Vec<Face> = vertices.iter().map(|&v| Face { points: vec![v], rays: vec![] }).collect();
    let mut seen: HashSet<Vec<usize>> = level.iter().map(|f| f.points.clone()).collect();
    let mut dim = 0;
    while !level.is_empty() && dim < d {
        let mut next = Vec::new();
        for f in &level {
            for &v in &vertices {
                if f.points.contains(&v) {
                    continue;
                }
                // Skip v when some already found face holds f and v.
                if next
                    .iter()
                    .any(|g: &Face| g.points.contains(&v) && f.points.iter().all(|p| g.points.contains(p)))
                {
                    continue;
                }
                let mut q = vec![Rat::zero(); d];
                for &p in f.points.iter().chain(std::iter::once(&v)) {
                    for (x, &e) in q.iter_mut().zip(&pts[p]) {
                        *x += Rat::from_integer(BigInt::from(e));
                    }
                }
                let n = Rat::from_integer(BigInt::from(f.points.len() + 1));
                for x in &mut q {
                    *x /= &n;
                }
                let Some(g) = minimal_face_of(pts, &q, budget).ok()? else { continue };
                if g.rays.is_empty() && face_dim(pts, &g, d) == dim + 1 && seen.insert(g.points.clone()) {
                    if on_face(&g) {
                        return Some((vertices, false));
                    }
                    next.push(g);
                }
            }
        }
        level = next;
        dim += 1;
    }
    Some((vertices, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{rat, ratio};

    fn poly(d: usize, terms: &[(&[u32], i64)]) -> Poly {
        Poly::from_terms(d, terms.iter().map(|(e, c)| (e.to_vec(), rat(*c))))
    }

    #[test]
    fn normal_crossing_pairs() {
        let k = poly(2, &[(&[2, 2], 1)]);
        let p = newton_pair(std::slice::from_ref(&k), false, &[0, 0]);
        assert_eq!((p.lambda.clone(), p.multiplicity), (ratio(1, 2), 2));
        assert_eq!(p.tight_normals, vec![vec![rat(0), rat(1)], vec![rat(1), rat(0)]]);
        let p = newton_pair(&[k], false, &[1, 0]);
        assert_eq!((p.lambda, p.multiplicity), (ratio(1, 2), 1));
    }

    #[test]
    fn cusp_pair_and_faces() {
        // (y^2 - x^3)^2 = y^4 - 2x^3y^2 + x^6: one edge, degenerate.
        let k = poly(2, &[(&[0, 4], 1), (&[3, 2], -2), (&[6, 0], 1)]);
        let a = analyze(&[k], false, &[0, 0]);
        assert_eq!((a.pair.lambda.clone(), a.pair.multiplicity), (ratio(5, 12), 1));
        assert_eq!(a.vertices, vec![vec![0, 4], vec![6, 0]]);
        assert_eq!(a.faces.len(), 3);
        assert!(matches!(a.nondegeneracy, Nondegeneracy::Degenerate { .. }), "{:?}", a.nondegeneracy);
    }

    #[test]
    fn minimal_face_not_just_a_basis() {
        // x^2 y^2 + x^4 + y^4 ... hit point (1,1)*t lies on the edge
        // from (4,0) to (0,4) through (2,2): θ = 1.
        let k = poly(2, &[(&[4, 0], 1), (&[2, 2], 1), (&[0, 4], 1)]);
        let p = newton_pair(&[k], false, &[0, 0]);
        assert_eq!((p.lambda, p.multiplicity), (ratio(1, 2), 1));
        assert_eq!(p.tight_normals, vec![vec![rat(1), rat(1)]]);
    }
}
