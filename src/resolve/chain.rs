//! Matrix chains: the ideal of the entries of `W_L ⋯ W_1 − T`.
//!
//! Reduced-rank regression (`L = 2`) and deep linear networks are this
//! ideal, and users write them at true points in whatever coordinates they
//! like. This move makes the answer independent of those coordinates and
//! splits off the part of the problem that is regular.
//!
//! **Normal form (a linear change with constant Jacobian).** The true
//! point is a representation `V_1 → V_2 → ⋯ → V_{L+1}` of the linearly
//! oriented quiver `A_{L+1}` (`V_s = ℚ^{H_s}`, the maps `W_s⁰`). Such a
//! representation is a direct sum of interval modules (Gabriel), so there
//! are bases `G_s` of the `V_s` in which every `W̃_s⁰ = G_{s+1}⁻¹ W_s⁰ G_s`
//! is a 0/1 partial matching. The substitution `W_s = G_{s+1} W̃_s G_s⁻¹` is
//! linear with constant Jacobian, and the entries of `W_L⋯W_1 − T` are the
//! entries of `G_{L+1}(W̃_L⋯W̃_1 − T̃)G_1⁻¹`, an invertible linear combination
//! of those of `W̃_L⋯W̃_1 − T̃`: the same ideal (theory §2, equivalence).
//! With a flat prior on the chain the pair is unchanged. The bases are
//! built greedily, adapted to the kernels of the compositions `W_t⋯W_s`
//! (an interval's death) and containing the images of the earlier spaces'
//! vectors (its birth); the result is checked, not trusted.
//!
//! **Rank reduction (Schur complement).** Put the `r` intervals that run
//! through the whole chain first: `W̃_s⁰ = [I_r 0; 0 S_s⁰]` with
//! `S_L⁰⋯S_1⁰ = 0`. Write `W_s = [P_s Q_s; R_s S_s]` near the point (`P_s`
//! near `I_r`). For `M = A·B` with invertible top-left blocks the Schur
//! complements satisfy `M/M₁₁ = (A/A₁₁)·(I + Y X)⁻¹·(B/B₁₁)` with
//! `X = A₁₁⁻¹A₁₂`, `Y = B₂₁B₁₁⁻¹` (from the block LDU factorisations), so
//! by induction `Π/Π₁₁ = S̃_L Z_{L−1} S̃_{L−1} ⋯ Z_1 S̃_1` with
//! `S̃_s = S_s − R_s P_s⁻¹ Q_s` and invertible `Z_s` free of `S_{s+1}`. The
//! map `(P_1, Q_1, R_L, S_1, …, S_L) ↦ (Π₁₁, Π₁₂, Π₂₁, S̃_1, S̃_2 Z_1, …,
//! S̃_L Z_{L−1})` is block triangular with invertible diagonal blocks at
//! the point, a local diffeomorphism; and
//! `⟨Π − T̃⟩ = ⟨Π₁₁ − I, Π₁₂, Π₂₁, Π/Π₁₁⟩`. So the ideal is the sum, in
//! separate coordinates, of `k = r(H_1 + H_{L+1} − r)` coordinates (a
//! regular part, pair `(k/2, 1)`) and the chain ideal of widths `H_s − r`
//! at the point `(S_s⁰)`; the other variables are free. By the sum rule
//! (theory §2) `λ = k/2 + λ'`, `m = m'`.
//!
//! **Two layers: the other intervals (a change with unit Jacobian).** For
//! `B·A` (`A: H_1 → H_2`, `B: H_2 → H_3`) at a point with no full interval,
//! `a` intervals born at the input die in the hidden space
//! (`A⁰ = [I_a 0; 0 0]`, `B⁰[:, :a] = 0`). Near the point
//! `A = [I 0; RP⁻¹ I]·diag(P, S̃)·[I P⁻¹Q; 0 I]` with `S̃ = S − RP⁻¹Q`; the
//! right factor is invertible (the ideal is unchanged) and
//! `B' = B·[I 0; RP⁻¹ I]·diag(P, I)` is linear in `B` with determinant
//! `det(P)^{H_3}`, a unit. So `(B, P, Q, R, S) ↦ (B', P, Q, R, S̃)` is a
//! local diffeomorphism with a unit Jacobian, `BA ≅ [B'_1, B'_2 S̃]`, and
//! the ideal is `H_3·a` coordinates (the entries of `B'_1`, zero at the
//! point) plus the chain `B'_2 S̃` of widths `H_1 − a, H_2 − a, H_3`, in
//! separate variables. The `b` intervals born in the hidden space that
//! reach the output are the same move on the transpose. What is left is a
//! chain at the origin.
//!
//! **The origin (a theorem leaf).** A chain of full matrices of
//! independent variables at the origin with a flat prior is a deep linear
//! network (reduced-rank regression for two layers) at true rank 0: Aoyagi
//! (2024, Theorem 1; Aoyagi & Watanabe 2005 for two layers) give the pair
//! of a neighbourhood of its whole true set. `K(tw) = t^{2L}K(w)` and the
//! scaling is a linear change with constant Jacobian, so a true point `w`
//! has the pair of `tw`, which for small `t` lies in any neighbourhood of
//! 0, where the pair is at least as singular (a positive integrand over a
//! smaller set has no larger pole, of no higher order). The global pair is
//! therefore the local pair at 0. `ExactOptions::skip_theorems` resolves
//! the reduced chain by blow-ups instead; the tests compare the two proofs.

use crate::newton::linalg::rank;
use crate::poly::{Poly, Rat};
use crate::{ExactResult, Loss, Problem, Result, Status};
use num_bigint::BigInt;
use num_traits::{One, Zero};
use std::collections::HashMap;

/// One matrix of parameters, `rows × cols`, by variable index.
#[derive(Clone, Debug)]
struct Layer {
    name: String,
    rows: usize,
    cols: usize,
    var: Vec<Vec<usize>>,
}

/// A detected chain `W_L ⋯ W_1` (layers in order of application).
#[derive(Clone, Debug)]
pub struct Chain {
    layers: Vec<Layer>,
}

impl Chain {
    /// Widths `H_1` (input) … `H_{L+1}` (output).
    pub fn widths(&self) -> Vec<usize> {
        let mut w = vec![self.layers[0].cols];
        w.extend(self.layers.iter().map(|l| l.rows));
        w
    }
}

/// Most matrices tried in a chain (orderings are enumerated).
const MAX_LAYERS: usize = 6;

fn parse_entry(name: &str) -> Option<(&str, usize, usize)> {
    let open = name.find('[')?;
    let inner = name[open + 1..].strip_suffix(']')?;
    let (i, j) = inner.split_once(',')?;
    Some((&name[..open], i.trim().parse().ok()?, j.trim().parse().ok()?))
}

fn layers_of(names: &[String]) -> Option<Vec<Layer>> {
    let mut by_name: Vec<(String, Vec<(usize, usize, usize)>)> = Vec::new();
    for (v, n) in names.iter().enumerate() {
        let (base, i, j) = parse_entry(n)?;
        if i == 0 || j == 0 {
            return None;
        }
        match by_name.iter_mut().find(|(b, _)| b == base) {
            Some((_, list)) => list.push((i - 1, j - 1, v)),
            None => by_name.push((base.to_string(), vec![(i - 1, j - 1, v)])),
        }
    }
    if by_name.len() < 2 || by_name.len() > MAX_LAYERS {
        return None;
    }
    by_name
        .into_iter()
        .map(|(name, list)| {
            let rows = list.iter().map(|e| e.0).max()? + 1;
            let cols = list.iter().map(|e| e.1).max()? + 1;
            if list.len() != rows * cols {
                return None;
            }
            let mut var = vec![vec![usize::MAX; cols]; rows];
            for (i, j, v) in list {
                if var[i][j] != usize::MAX {
                    return None;
                }
                var[i][j] = v;
            }
            Some(Layer { name, rows, cols, var })
        })
        .collect()
}

/// The entries of `W_L ⋯ W_1` as polynomials in `n` variables.
fn product(layers: &[Layer], n: usize) -> Vec<Vec<Poly>> {
    let mut acc: Vec<Vec<Poly>> =
        layers[0].var.iter().map(|row| row.iter().map(|&v| Poly::var(n, v)).collect()).collect();
    for l in &layers[1..] {
        acc = (0..l.rows)
            .map(|i| {
                (0..acc[0].len())
                    .map(|j| {
                        (0..l.cols)
                            .fold(Poly::zero(n), |s, k| &s + &(&Poly::var(n, l.var[i][k]) * &acc[k][j]))
                    })
                    .collect()
            })
            .collect();
    }
    acc
}

fn normalised(p: &Poly) -> Option<Poly> {
    let lead = p.terms().last()?.coef.clone();
    Some(p.scale(&lead.recip()))
}

/// Orders of the layers that compose (`cols(W_{s+1}) = rows(W_s)`).
fn orderings(layers: &[Layer]) -> Vec<Vec<usize>> {
    fn go(layers: &[Layer], used: &mut Vec<bool>, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == layers.len() {
            out.push(cur.clone());
            return;
        }
        for k in 0..layers.len() {
            if used[k] {
                continue;
            }
            if let Some(&last) = cur.last()
                && layers[k].cols != layers[last].rows
            {
                continue;
            }
            used[k] = true;
            cur.push(k);
            go(layers, used, cur, out);
            cur.pop();
            used[k] = false;
        }
    }
    let mut out = Vec::new();
    go(layers, &mut vec![false; layers.len()], &mut Vec::new(), &mut out);
    out
}

/// Recognises the ideal of the problem as the entries of `W_L⋯W_1 − T`
/// (each generator a non-zero multiple of one entry minus its value at the
/// point, every entry present), with variables named `Name[i,j]` forming
/// full matrices. Checked by exact polynomial equality.
pub fn detect(problem: &Problem) -> Option<Chain> {
    let Loss::Ideal(gens) = &problem.loss else { return None };
    let layers = layers_of(&problem.variables)?;
    let n = problem.dim();
    let gens: Vec<&Poly> = gens.iter().filter(|g| !g.is_zero()).collect();
    let normal_gens: Vec<Poly> = gens
        .iter()
        .map(|g| normalised(&(*g - &Poly::constant(n, g.constant_term()))))
        .collect::<Option<_>>()?;
    for order in orderings(&layers) {
        let chain: Vec<Layer> = order.iter().map(|&k| layers[k].clone()).collect();
        let p = product(&chain, n);
        let mut index: HashMap<Poly, (usize, usize)> = HashMap::new();
        for (i, row) in p.iter().enumerate() {
            for (j, e) in row.iter().enumerate() {
                index.insert(normalised(e)?, (i, j));
            }
        }
        let mut hit = vec![vec![false; p[0].len()]; p.len()];
        let ok = gens.iter().zip(&normal_gens).all(|(g, q)| match index.get(q) {
            Some(&(i, j)) if g.eval(&problem.point).is_zero() => {
                hit[i][j] = true;
                true
            }
            _ => false,
        });
        if ok && hit.iter().flatten().all(|&h| h) {
            return Some(Chain { layers: chain });
        }
    }
    None
}

type Mat = Vec<Vec<Rat>>;

fn mat_vec(m: &Mat, v: &[Rat]) -> Vec<Rat> {
    m.iter().map(|row| row.iter().zip(v).fold(Rat::zero(), |s, (a, b)| s + a * b)).collect()
}

fn independent(vs: &[Vec<Rat>]) -> bool {
    vs.is_empty() || rank(vs) == vs.len()
}

/// One basis vector of `V_s` in the normal form: its coordinates and the
/// interval it belongs to.
#[derive(Clone, Debug)]
struct BasisVec {
    v: Vec<Rat>,
    interval: usize,
}

/// The normal form of the point: bases `G_s` (one per space, columns in
/// `basis[s]`) and the intervals `(birth, death)` (space indices,
/// inclusive, 0-based).
struct NormalForm {
    basis: Vec<Vec<BasisVec>>,
    intervals: Vec<(usize, usize)>,
}

/// Builds interval-adapted bases of the representation `maps[s]: V_s →
/// V_{s+1}` (`dims[s] = dim V_s`). `None` if the greedy construction does
/// not complete (then the move is not used).
fn normal_form(maps: &[Mat], dims: &[usize]) -> Option<NormalForm> {
    let nsp = dims.len();
    // images[s][t]: F(s, t) = maps[t]⋯maps[s] applied to a vector of V_s.
    let apply = |s: usize, t_excl: usize, v: &[Rat]| -> Vec<Rat> {
        // maps[t_excl-1] ⋯ maps[s] v (identity when t_excl == s)
        let mut x = v.to_vec();
        for m in &maps[s..t_excl] {
            x = mat_vec(m, &x);
        }
        x
    };
    let mut intervals: Vec<(usize, usize)> = Vec::new();
    let mut basis: Vec<Vec<BasisVec>> = Vec::with_capacity(nsp);
    for s in 0..nsp {
        let mut cur: Vec<BasisVec> = Vec::new();
        if s > 0 {
            for b in &basis[s - 1] {
                if intervals[b.interval].1 >= s {
                    cur.push(BasisVec { v: mat_vec(&maps[s - 1], &b.v), interval: b.interval });
                }
            }
        }
        // Independence at every level t ≥ s of the vectors alive there,
        // `extra` (with death `d`) included.
        let ok = |cur: &[BasisVec], intervals: &[(usize, usize)], extra: Option<(&[Rat], usize)>| -> bool {
            let top = extra.map_or(nsp - 1, |(_, d)| d);
            (s..=top).all(|t| {
                let mut vs: Vec<Vec<Rat>> =
                    cur.iter().filter(|b| intervals[b.interval].1 >= t).map(|b| apply(s, t, &b.v)).collect();
                if let Some((u, _)) = extra {
                    vs.push(apply(s, t, u));
                }
                independent(&vs)
            })
        };
        if !ok(&cur, &intervals, None) {
            return None;
        }
        for d in s..nsp {
            if cur.len() == dims[s] {
                break;
            }
            // Candidates: a basis of ker F(s, d) (vectors dead after V_d),
            // or all of V_s for the intervals that reach the end.
            let candidates: Vec<Vec<Rat>> = if d + 1 < nsp {
                let mut f: Mat = (0..dims[s])
                    .map(|i| {
                        let mut e = vec![Rat::zero(); dims[s]];
                        e[i] = Rat::one();
                        apply(s, d + 1, &e)
                    })
                    .collect();
                // f holds the images of the unit vectors as rows: transpose.
                let rows = f.first().map_or(0, |r| r.len());
                f = (0..rows).map(|r| f.iter().map(|col| col[r].clone()).collect()).collect();
                crate::newton::linalg::null_space(&f, dims[s])
            } else {
                (0..dims[s])
                    .map(|i| {
                        let mut e = vec![Rat::zero(); dims[s]];
                        e[i] = Rat::one();
                        e
                    })
                    .collect()
            };
            for u in candidates {
                if cur.len() == dims[s] {
                    break;
                }
                if ok(&cur, &intervals, Some((&u, d))) {
                    intervals.push((s, d));
                    cur.push(BasisVec { v: u, interval: intervals.len() - 1 });
                }
            }
        }
        if cur.len() != dims[s] {
            return None;
        }
        basis.push(cur);
    }
    // Full intervals first, in one order in every space.
    let full = |id: usize| intervals[id] == (0, nsp - 1);
    for b in basis.iter_mut() {
        b.sort_by_key(|x| (!full(x.interval), x.interval));
    }
    Some(NormalForm { basis, intervals })
}

/// Every entry 0 or 1, at most one 1 in each row and column.
fn is_partial_matching(m: &Mat) -> bool {
    let cols = m.first().map_or(0, |r| r.len());
    m.iter().all(|row| {
        row.iter().all(|x| x.is_zero() || x.is_one()) && row.iter().filter(|x| x.is_one()).count() <= 1
    }) && (0..cols).all(|j| m.iter().filter(|row| row[j].is_one()).count() <= 1)
}

fn invert(m: &Mat) -> Option<Mat> {
    let n = m.len();
    let mut a: Mat = m
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut r = row.clone();
            r.extend((0..n).map(|j| if i == j { Rat::one() } else { Rat::zero() }));
            r
        })
        .collect();
    let piv = crate::newton::linalg::rref(&mut a);
    if piv.len() < n || piv[n - 1] != n - 1 {
        return None;
    }
    Some(a.into_iter().map(|r| r[n..].to_vec()).collect())
}

fn fmt_mat(m: &Mat) -> String {
    let rows: Vec<String> = m
        .iter()
        .map(|r| format!("[{}]", r.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",")))
        .collect();
    format!("[{}]", rows.join(","))
}

/// Aoyagi's pair of a deep linear network with widths `H₁ … H_{L+1}` and
/// true rank `r` (Aoyagi, "Consideration on the learning efficiency of
/// multiple-layered neural networks with linear units", Neural Networks 172
/// (2024), Theorem 1; two layers are Aoyagi & Watanabe 2005's reduced-rank
/// regression). With `Δ_s = H_s − r`, `Σ` the `ℓ+1` smallest `Δ` for the
/// one `ℓ` with `max_Σ Δ < min_{∉Σ} Δ`, `S = Σ_Σ Δ ≥ ℓ·max_Σ Δ`,
/// `S < ℓ·min_{∉Σ} Δ`, and `a = S − (⌈S/ℓ⌉ − 1)ℓ`:
/// `λ = r(H₁ + H_{L+1} − r)/2 + a(ℓ−a)/(4ℓ) − ℓ(ℓ−1)/4·(S/ℓ)² + ½Σ_{i<j∈Σ} Δ_iΔ_j`,
/// `m = a(ℓ−a) + 1`. `None` when no `ℓ` qualifies (the theorem says one
/// always does: a `None` is a bug the callers report).
pub fn aoyagi(widths: &[usize], rank: usize) -> Option<(Rat, usize)> {
    use crate::poly::ratio;
    if widths.len() < 2 || rank > *widths.iter().min()? {
        return None;
    }
    let r = rank as i64;
    let layers = widths.len() - 1;
    let mut delta: Vec<i64> = widths.iter().map(|&w| w as i64 - r).collect();
    let first = widths[0] as i64;
    let last = widths[layers] as i64;
    delta.sort_unstable();
    for ell in 1..=layers as i64 {
        let sigma = &delta[..ell as usize + 1];
        let rest_min = delta.get(ell as usize + 1).copied();
        let max_sigma = *sigma.last()?;
        let s: i64 = sigma.iter().sum();
        let separated = rest_min.is_none_or(|mn| max_sigma < mn);
        let balanced = s >= ell * max_sigma && rest_min.is_none_or(|mn| s < ell * mn);
        if !(separated && balanced) {
            continue;
        }
        let ceil = (s + ell - 1) / ell;
        let a = s - (ceil - 1) * ell;
        let mut pairs = 0i64;
        for i in 0..sigma.len() {
            for j in i + 1..sigma.len() {
                pairs += sigma[i] * sigma[j];
            }
        }
        let lambda = ratio(-r * r + r * (first + last), 2) + ratio(a * (ell - a), 4 * ell)
            - ratio(ell * (ell - 1), 4) * ratio(s * s, ell * ell)
            + ratio(pairs, 2);
        return Some((lambda, (a * (ell - a) + 1) as usize));
    }
    None
}

/// The chain problem of widths `widths` at the point `point[s]` (one
/// matrix per layer): variables `{base}{s}[i,j]`, generators the entries
/// of `W_L⋯W_1 − W_L⁰⋯W_1⁰`.
fn chain_problem(base: &str, widths: &[usize], point: &[Mat]) -> Problem {
    let n: usize = widths.windows(2).map(|w| w[0] * w[1]).sum();
    let mut names = Vec::with_capacity(n);
    let mut layers = Vec::new();
    let mut pt = Vec::with_capacity(n);
    for (s, w) in widths.windows(2).enumerate() {
        let (cols, rows) = (w[0], w[1]);
        let mut var = vec![vec![0; cols]; rows];
        for (i, row) in var.iter_mut().enumerate() {
            for (j, slot) in row.iter_mut().enumerate() {
                *slot = names.len();
                names.push(format!("{base}{}[{},{}]", s + 1, i + 1, j + 1));
                pt.push(point[s][i][j].clone());
            }
        }
        layers.push(Layer { name: format!("{base}{}", s + 1), rows, cols, var });
    }
    let p = product(&layers, n);
    let gens: Vec<Poly> = p
        .into_iter()
        .flatten()
        .map(|e| {
            let c = e.eval(&pt);
            &e - &Poly::constant(n, c)
        })
        .collect();
    let mut prob = Problem::new(names, Loss::Ideal(gens));
    prob.domain = pt.iter().map(|c| (c - Rat::one(), c + Rat::one())).collect();
    prob.point = pt;
    prob
}

/// Solves a recognised matrix chain through the normal form and the rank
/// reduction. `None` when the problem is not a chain with a flat prior on
/// it, or when neither step changes anything (the point is already a 0/1
/// normal form with no interval through the whole chain): then the general
/// engine runs on it as given.
///
/// `use_theorem`: close a reduced chain at the origin by Aoyagi's theorem;
/// otherwise (and for a reduced chain away from the origin) `inner` solves
/// the reduced problem (the caller's full engine).
pub fn solve(
    problem: &Problem,
    use_theorem: bool,
    inner: &mut dyn FnMut(&Problem) -> Result<ExactResult>,
) -> Option<Result<ExactResult>> {
    if problem.prior.iter().any(|&h| h != 0) || problem.model.is_some() {
        return None;
    }
    let chain = detect(problem)?;
    let widths = chain.widths();
    let maps: Vec<Mat> = chain
        .layers
        .iter()
        .map(|l| l.var.iter().map(|row| row.iter().map(|&v| problem.point[v].clone()).collect()).collect())
        .collect();
    let nf = normal_form(&maps, &widths)?;
    let nsp = widths.len();
    let r = nf.intervals.iter().filter(|&&iv| iv == (0, nsp - 1)).count();
    // The normal-form point: W̃_s⁰ sends basis vector k of V_s to the
    // basis vector of V_{s+1} on the same interval, or to 0.
    let tilde: Vec<Mat> = (0..nsp - 1)
        .map(|s| {
            let mut m = vec![vec![Rat::zero(); widths[s]]; widths[s + 1]];
            for (k, b) in nf.basis[s].iter().enumerate() {
                if let Some(i) = nf.basis[s + 1].iter().position(|c| c.interval == b.interval) {
                    m[i][k] = Rat::one();
                }
            }
            m
        })
        .collect();
    let g: Vec<Mat> = nf
        .basis
        .iter()
        .map(|b| {
            let n = b.len();
            (0..n).map(|i| (0..n).map(|k| b[k].v[i].clone()).collect()).collect()
        })
        .collect();
    // Check the change: G_{s+1} W̃_s⁰ = W_s⁰ G_s for every layer.
    for s in 0..nsp - 1 {
        let lhs: Mat = (0..widths[s + 1])
            .map(|i| {
                (0..widths[s])
                    .map(|j| {
                        (0..widths[s + 1]).fold(Rat::zero(), |a, k| a + &g[s + 1][i][k] * &tilde[s][k][j])
                    })
                    .collect()
            })
            .collect();
        let rhs: Mat = (0..widths[s + 1])
            .map(|i| {
                (0..widths[s])
                    .map(|j| (0..widths[s]).fold(Rat::zero(), |a, k| a + &maps[s][i][k] * &g[s][k][j]))
                    .collect()
            })
            .collect();
        if lhs != rhs || invert(&g[s]).is_none() {
            return None;
        }
    }
    let nl = nsp - 1;
    // Two layers: the intervals (0,1) (born at the input, killed by W_2)
    // and (1,2) (born in the hidden space) split off too (module doc).
    let count = |iv: (usize, usize)| nf.intervals.iter().filter(|&&x| x == iv).count();
    let (a, b) = if nl == 2 { (count((0, 1)), count((1, 2))) } else { (0, 0) };
    let partial = nf.intervals.iter().filter(|&&(s, t)| s != t && (s, t) != (0, nsp - 1)).count() - a - b;
    let at_origin = partial == 0;
    let dw: Vec<usize> = if nl == 2 {
        vec![widths[0] - r - a, widths[1] - r - a - b, widths[2] - r - b]
    } else {
        widths.iter().map(|w| w - r).collect()
    };
    let mut k = r * (widths[0] + widths[nsp - 1] - r);
    if nl == 2 {
        k += (widths[2] - r) * a + (widths[0] - r - a) * b;
    }
    let theorem = at_origin && dw.iter().all(|&w| w > 0) && use_theorem;
    if r == 0 && a == 0 && b == 0 && maps.iter().all(is_partial_matching) && !theorem {
        return None;
    }
    let names: Vec<String> = chain.layers.iter().map(|l| l.name.clone()).collect();
    let wstr = |w: &[usize]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>().join("-");
    let mut trace = vec![format!(
        "matrix chain {} (widths {}) recognised: the ideal is the entries of the product minus its value at the point",
        names.iter().rev().cloned().collect::<Vec<_>>().join("·"),
        wstr(&widths)
    )];
    let ginv: Vec<Mat> = g.iter().map(|m| invert(m).expect("checked invertible")).collect();
    let identity = |m: &Mat| {
        m.iter().enumerate().all(|(i, row)| {
            row.iter().enumerate().all(|(j, x)| *x == if i == j { Rat::one() } else { Rat::zero() })
        })
    };
    if g.iter().all(identity) {
        trace.push("  the point is already in normal form (every layer a 0/1 partial matching)".into());
    } else {
        for (s, l) in chain.layers.iter().enumerate() {
            trace.push(format!(
                "  {n} = G{a}·{n}~·G{b}⁻¹, point {n}~⁰ = G{a}⁻¹·{n}⁰·G{b} = {}",
                fmt_mat(&tilde[s]),
                n = l.name,
                a = s + 2,
                b = s + 1
            ));
        }
        for (s, m) in g.iter().enumerate() {
            trace.push(format!("  G{} = {} (G{}⁻¹ = {})", s + 1, fmt_mat(m), s + 1, fmt_mat(&ginv[s])));
        }
        trace.push(
            "  linear change of the parameters with constant Jacobian, flat prior; the generators become invertible \
             linear combinations of the entries of W~_L⋯W~_1 − W~_L⁰⋯W~_1⁰ (theory §2, equivalence): same pair"
                .into(),
        );
    }
    if r > 0 {
        trace.push(format!(
            "rank reduction: {r} interval(s) run through the whole chain (W~_s⁰ = [I_{r} 0; 0 S_s⁰]); by the Schur \
             complement the ideal is {} regular coordinates (r·(H_1 + H_(L+1) − r) = {r}·({} + {} − {r})) plus the \
             chain of widths {} at S⁰, in separate variables: λ = k/2 + λ', m = m'",
            r * (widths[0] + widths[nsp - 1] - r),
            widths[0],
            widths[nsp - 1],
            wstr(&widths.iter().map(|w| w - r).collect::<Vec<_>>())
        ));
    }
    if a > 0 {
        trace.push(format!(
            "input-side reduction: {a} interval(s) born at the input die in the hidden space (A~⁰ = [I_{a} 0; 0 0], \
             B~⁰ kills them); A = [I 0; RP⁻¹ I]·diag(P, S − RP⁻¹Q)·[I P⁻¹Q; 0 I] and B' = B·[I 0; RP⁻¹ I]·diag(P, I) \
             (Jacobian det(P)^{}, a unit) make the ideal ⟨B'_1⟩ + ⟨B'_2·(S − RP⁻¹Q)⟩: {} regular coordinates plus the \
             chain of the remaining widths",
            widths[2] - r,
            (widths[2] - r) * a
        ));
    }
    if b > 0 {
        trace.push(format!(
            "output-side reduction (the transpose of the input side): {b} interval(s) born in the hidden space reach \
             the output: {} regular coordinates plus the chain of widths {}",
            (widths[0] - r - a) * b,
            wstr(&dw)
        ));
    }
    let half_k = Rat::new(BigInt::from(k), BigInt::from(2));
    let base = format!("{}~", chain.layers[0].name.trim_end_matches(|c: char| c.is_ascii_digit()));
    let zero_point =
        |w: &[usize]| -> Vec<Mat> { w.windows(2).map(|p| vec![vec![Rat::zero(); p[0]]; p[1]]).collect() };
    let reduced_point: Vec<Mat> = if at_origin {
        zero_point(&dw)
    } else {
        tilde.iter().map(|m| m[r..].iter().map(|row| row[r..].to_vec()).collect()).collect()
    };
    let certificate = |inner: serde_json::Value| {
        serde_json::json!({
            "engine": "matrix-chain",
            "rank": r,
            "input_side": a,
            "output_side": b,
            "regular": k,
            "widths": widths,
            "reduced_widths": dw,
            "change": g.iter().map(|m| fmt_mat(m)).collect::<Vec<_>>(),
            "reduced": inner,
        })
    };
    let exact =
        |lambda: Rat, m: usize, method: String, trace: Vec<String>, cert: serde_json::Value| ExactResult {
            lambda: lambda.clone(),
            multiplicity: m,
            status: Status::Exact,
            lower: lambda.clone(),
            upper: lambda,
            method,
            variables: problem.variables.clone(),
            certificate: cert,
            trace,
            stopped: None,
        };
    if dw.contains(&0) {
        trace.push("  the reduced chain has a width 0: it has no generators, the regular part is all".into());
        return Some(Ok(exact(
            half_k,
            1,
            "matrix-chain".into(),
            trace,
            certificate(serde_json::Value::Null),
        )));
    }
    if theorem {
        let Some((lam, m)) = aoyagi(&dw, 0) else {
            return Some(Err(crate::Error::Internal(format!(
                "Aoyagi's conditions select no ℓ for widths {dw:?}"
            ))));
        };
        trace.push(format!(
            "reduced problem: the chain of widths {} at the origin. Its generators are the entries of a product of \
             full matrices of independent variables (checked), the prior is flat, and the point is 0: the hypotheses of \
             {}. K is homogeneous (K(tw) = t^(2L)·K(w)), so every true point w near 0 has a pair no more singular than \
             at tw → 0 and the theorem's global pair is the local pair at the origin: λ' = {lam}, m' = {m}",
            wstr(&dw),
            if dw.len() == 3 {
                "Aoyagi & Watanabe 2005 (Neural Networks 18), Theorem 1, reduced-rank regression at true rank 0"
            } else {
                "Aoyagi 2024 (Neural Networks 172), Theorem 1, a deep linear network at true rank 0"
            }
        ));
        let cert = certificate(serde_json::json!({
            "theorem": if dw.len() == 3 { "aoyagi-watanabe-2005-theorem-1" } else { "aoyagi-2024-theorem-1" },
            "widths": dw, "lambda": lam.to_string(), "multiplicity": m,
        }));
        return Some(Ok(exact(&lam + &half_k, m, "matrix-chain+theorem".into(), trace, cert)));
    }
    let sub = chain_problem(&base, &dw, &reduced_point);
    let inner = match inner(&sub) {
        Ok(x) => x,
        Err(e) => return Some(Err(e)),
    };
    trace.push(format!(
        "reduced problem: the chain of widths {} at {}",
        wstr(&dw),
        if sub.at_origin() { "the origin".to_string() } else { "its 0/1 point".to_string() }
    ));
    trace.extend(inner.trace.iter().map(|l| format!("  {l}")));
    let res = ExactResult {
        lambda: &inner.lambda + &half_k,
        multiplicity: inner.multiplicity,
        status: inner.status,
        lower: &inner.lower + &half_k,
        upper: &inner.upper + &half_k,
        method: format!("matrix-chain+{}", inner.method),
        variables: problem.variables.clone(),
        certificate: certificate(inner.certificate),
        trace,
        stopped: inner.stopped,
    };
    Some(Ok(res))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::rat;

    fn m(rows: &[&[i64]]) -> Mat {
        rows.iter().map(|r| r.iter().map(|&x| rat(x)).collect()).collect()
    }

    #[test]
    fn normal_form_of_a_rank_one_chain() {
        // W1 = [[0,4,6],[0,6,9],[0,-2,-3]], W2 = e_{2,3}: product rank 1.
        let maps = vec![m(&[&[0, 4, 6], &[0, 6, 9], &[0, -2, -3]]), m(&[&[0, 0, 0], &[0, 0, 1], &[0, 0, 0]])];
        let nf = normal_form(&maps, &[3, 3, 3]).unwrap();
        let full = nf.intervals.iter().filter(|&&iv| iv == (0, 2)).count();
        assert_eq!(full, 1);
        assert_eq!(nf.basis.iter().map(|b| b.len()).collect::<Vec<_>>(), vec![3, 3, 3]);
    }

    #[test]
    fn entry_names() {
        assert_eq!(parse_entry("W1[2,3]"), Some(("W1", 2, 3)));
        assert_eq!(parse_entry("x"), None);
    }
}
