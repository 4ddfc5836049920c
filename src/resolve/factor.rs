//! Non-monomial common factors of a chart's generators (issue #5).
//!
//! Two rules, both applied to ideal charts (`K ≍ |u^β|²·Σ g_i²`):
//!
//! 1. **Separable common factor** (docs/theory.md §2, product rule). When every
//!    generator factors as `g_i = f_1(S_1)·…·f_k(S_k)·h_i(T)` with the
//!    variable sets `S_1, …, S_k, T` pairwise disjoint, then
//!    `K ≍ Π_j (|u_{S_j}^β|²·f_j²) · (|u_T^β|²·Σ h_i²)`, a product of
//!    functions of separate variables; the prior `|u^h|` and the region (a
//!    box, one range per variable) split the same way, so the zeta
//!    function is a product and the pair is the product-rule combination
//!    (λ = min, m adds on ties). The split is found from the interaction
//!    graph of `P = Σ t_i g_i` (fresh `t_i`): `x` and `y` are separate in
//!    `P` iff `∂x∂y log P ≡ 0`, i.e. `P·P_xy − P_x·P_y ≡ 0`. The graph is
//!    only a guide (it is computed at one rational point: a non-zero value
//!    proves an edge, a zero one is a guess); the factorisation is always
//!    verified by multiplying back, exactly.
//! 2. **Hyperplane factor.** When a generator `g` is divisible by `v − r`
//!    for a bounded variable `v` and a rational `r ≠ 0` of its box, write
//!    `K_B` for `K` with `g` replaced by `g/(v − r)`. On the box
//!    `|v − r| ≤ C`, so `K ≤ C²·K_B`: `K` is at least as singular as `K_B`
//!    everywhere (volume comparison, docs/theory.md §1), and where `|v − r| ≥ δ`,
//!    `K ≍ K_B`. The region is the union of a neighbourhood of `v = r`
//!    (chart A: translate `v` to `r`) and the part with `|v − r| ≥ δ`,
//!    whose pair is at most as singular as that of `K_B` on the whole box
//!    (chart B), which in turn is at most as singular as that of `K`.
//!    Hence pair(K, box) = the more singular of pair(A) and pair(B).

use super::chart::ChartNode;
use super::expansion::{Combine, Expansion, Part};
use super::region::Range;
use crate::poly::{Poly, Rat};
use crate::univariate::{UPoly, rational_roots};
use num_bigint::BigInt;
use num_traits::{One, Zero};
use std::collections::BTreeMap;

/// Largest number of terms of `Σ t_i g_i` on which the separability test
/// is run (the test is cheap, linear in the terms; this only bounds a
/// pathological chart).
const SEPARABLE_MAX_TERMS: usize = 4_000;

/// A verified factorisation `g_i = f_1(S_1)·…·f_k(S_k)·h_i(T)`, in the
/// chart's variable indexing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeparableSplit {
    /// The common factors `f_j` with their variable sets `S_j` (sorted).
    pub factors: Vec<(Vec<usize>, Poly)>,
    /// The variables `T` of the remaining generators (may be empty: then
    /// every `h_i` is a constant).
    pub rest_vars: Vec<usize>,
    /// The `h_i(T)`, one per generator.
    pub rest_gens: Vec<Poly>,
}

/// The prime `2^61 − 1`: the interaction graph is computed in `𝔽_p`.
const PRIME: u64 = (1 << 61) - 1;

fn mul_mod(a: u64, b: u64) -> u64 {
    ((a as u128 * b as u128) % PRIME as u128) as u64
}

fn add_mod(a: u64, b: u64) -> u64 {
    (a + b) % PRIME
}

fn pow_mod(mut a: u64, mut e: u64) -> u64 {
    let mut r = 1;
    while e > 0 {
        if e & 1 == 1 {
            r = mul_mod(r, a);
        }
        a = mul_mod(a, a);
        e >>= 1;
    }
    r
}

fn inv_mod(a: u64) -> u64 {
    pow_mod(a, PRIME - 2)
}

/// `c mod p`, or `None` when `p` divides the denominator.
fn rat_mod(c: &Rat) -> Option<u64> {
    let p = BigInt::from(PRIME);
    let reduce = |x: &BigInt| -> u64 {
        let r = ((x % &p) + &p) % &p;
        r.to_u64_digits().1.first().copied().unwrap_or(0)
    };
    let d = reduce(c.denom());
    (d != 0).then(|| mul_mod(reduce(c.numer()), inv_mod(d)))
}

/// Deterministic non-zero residues (a splitmix-style sequence): a point
/// of `𝔽_p^n` at which to test interactions.
fn probe_residues(n: usize, salt: u64) -> Vec<u64> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ salt.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            1 + z % (PRIME - 1)
        })
        .collect()
}

/// Small distinct non-zero integers: the rational point at which factors
/// are read off for the exact verification (integers keep the numbers
/// small).
fn probe_point(n: usize, salt: usize) -> Vec<Rat> {
    (0..n)
        .map(|i| {
            let k = (2 + i + 3 * salt) as i64;
            Rat::from_integer(BigInt::from(if i % 2 == 1 { -k } else { k }))
        })
        .collect()
}

/// Value, gradient and the off-diagonal Hessian entries of `p` at `a`
/// (every `a_i ≠ 0`) in `𝔽_p`, in one pass over the terms: for a term
/// `c·w^e` with value `τ`, `∂_x τ = e_x τ / a_x` and
/// `∂_x∂_y τ = e_x e_y τ /(a_x a_y)`. `None` when a coefficient's
/// denominator vanishes mod p.
#[allow(clippy::type_complexity)]
fn second_order_at(p: &Poly, a: &[u64]) -> Option<(u64, Vec<u64>, BTreeMap<(usize, usize), u64>)> {
    let n = a.len();
    let inv: Vec<u64> = a.iter().map(|&x| inv_mod(x)).collect();
    let mut val = 0;
    let mut grad = vec![0; n];
    let mut hess: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for t in p.terms() {
        let mut tau = rat_mod(&t.coef)?;
        for (&x, &e) in a.iter().zip(&t.exp) {
            if e > 0 {
                tau = mul_mod(tau, pow_mod(x, e as u64));
            }
        }
        let vars: Vec<usize> = (0..n).filter(|&i| t.exp[i] > 0).collect();
        let d1: Vec<u64> = vars.iter().map(|&i| mul_mod(mul_mod(tau, inv[i]), t.exp[i] as u64)).collect();
        for (k, &i) in vars.iter().enumerate() {
            grad[i] = add_mod(grad[i], d1[k]);
            for &j in &vars[k + 1..] {
                let e = hess.entry((i, j)).or_insert(0);
                *e = add_mod(*e, mul_mod(mul_mod(d1[k], inv[j]), t.exp[j] as u64));
            }
        }
        val = add_mod(val, tau);
    }
    Some((val, grad, hess))
}

/// Connected components of the interaction graph of `p` at `a`: `x ~ y`
/// when `p·p_xy − p_x·p_y ≠ 0` at `a` in `𝔽_p` (reduction mod p is a ring
/// map on rationals with denominators prime to p, so a non-zero residue
/// proves a non-zero rational: a proven interaction). Variables that do
/// not occur are left out. `None` when `p(a) = 0`.
fn interaction_components(p: &Poly, a: &[u64]) -> Option<Vec<Vec<usize>>> {
    let n = a.len();
    let (val, grad, hess) = second_order_at(p, a)?;
    if val == 0 {
        return None;
    }
    let used = p.used_vars();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        p[i] = r;
        r
    }
    let vars: Vec<usize> = (0..n).filter(|&i| used[i]).collect();
    for (k, &x) in vars.iter().enumerate() {
        for &y in &vars[k + 1..] {
            if find(&mut parent, x) == find(&mut parent, y) {
                continue;
            }
            let pxy = hess.get(&(x, y)).copied().unwrap_or(0);
            if mul_mod(val, pxy) == mul_mod(grad[x], grad[y]) {
                continue;
            }
            let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
            parent[rx] = ry;
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &x in &vars {
        let r = find(&mut parent, x);
        groups.entry(r).or_default().push(x);
    }
    let mut comps: Vec<Vec<usize>> = groups.into_values().collect();
    comps.sort();
    Some(comps)
}

/// `p` with the variables outside `keep` set to their values in `a`.
fn restrict_at(p: &Poly, keep: &[bool], a: &[Rat]) -> Poly {
    let n = p.nvars();
    let subs: Vec<Poly> =
        (0..n).map(|i| if keep[i] { Poly::var(n, i) } else { Poly::constant(n, a[i].clone()) }).collect();
    p.compose(&subs)
}

/// Finds and verifies the finest split `g_i = Π_j f_j(S_j)·h_i(T)` of the
/// generators into functions of disjoint variable sets (see the module
/// doc). `None` when there is no split with at least one non-constant
/// `f_j` and at least two parts in all.
pub fn separable_factors(gens: &[Poly]) -> Option<SeparableSplit> {
    let n = gens.first()?.nvars();
    let k = gens.len();
    if gens.iter().map(|g| g.len()).sum::<usize>() > SEPARABLE_MAX_TERMS {
        return None;
    }
    // A variable in every generator is necessary for a common factor.
    let mut common = vec![true; n];
    for g in gens {
        for (c, u) in common.iter_mut().zip(g.used_vars()) {
            *c &= u;
        }
    }
    if !common.iter().any(|&c| c) {
        return None;
    }
    // P = Σ t_i g_i in n + k variables.
    let map: Vec<usize> = (0..n).collect();
    let big = gens
        .iter()
        .enumerate()
        .fold(Poly::zero(n + k), |acc, (i, g)| &acc + &(&g.embed(n + k, &map) * &Poly::var(n + k, n + i)));
    for salt in 0..2 {
        let Some(comps) = interaction_components(&big, &probe_residues(n + k, salt)) else { continue };
        // The t_i all lie in one component (P is linear in the t's, so a
        // product of two parts each containing some t would have t-degree
        // at least 2); the other components are the S_j.
        let is_t = |c: &Vec<usize>| c.iter().any(|&x| x >= n);
        let factor_sets: Vec<Vec<usize>> = comps.iter().filter(|c| !is_t(c)).cloned().collect();
        if factor_sets.is_empty() {
            return None;
        }
        let rest_vars: Vec<usize> =
            comps.iter().filter(|c| is_t(c)).flatten().copied().filter(|&x| x < n).collect();
        let parts = factor_sets.len() + usize::from(!rest_vars.is_empty());
        if parts < 2 {
            return None;
        }
        if let Some(split) = verify(gens, &factor_sets, rest_vars, &probe_point(n, salt as usize)) {
            return Some(split);
        }
    }
    None
}

/// Builds `f_j = g_0(x_{S_j}, a_rest)` and `h_i = g_i(x_T, a_S)/Π_j f_j(a)`
/// and checks `Π_j f_j · h_i = g_i` exactly for every `i`.
fn verify(
    gens: &[Poly],
    factor_sets: &[Vec<usize>],
    rest_vars: Vec<usize>,
    a: &[Rat],
) -> Option<SeparableSplit> {
    let n = a.len();
    let mask = |vars: &[usize]| {
        let mut m = vec![false; n];
        for &v in vars {
            m[v] = true;
        }
        m
    };
    // Pick the generator with a non-zero value at a to read the factors off.
    let g0 = gens.iter().find(|g| !g.eval(a).is_zero())?;
    let mut factors = Vec::new();
    let mut prod = Poly::one(n);
    let mut scale = Rat::one();
    for s in factor_sets {
        let mut f = restrict_at(g0, &mask(s), a);
        // Normalise: the factor's value at a is divided out of h below;
        // make its leading coefficient 1 for a canonical form.
        let lead = f.terms().last()?.coef.clone();
        f = f.scale(&lead.recip());
        let fa = f.eval(a);
        if fa.is_zero() || f.is_constant() {
            return None;
        }
        scale *= &fa;
        prod = &prod * &f;
        factors.push((s.clone(), f));
    }
    let t_mask = mask(&rest_vars);
    let inv = scale.recip();
    let mut rest_gens = Vec::with_capacity(gens.len());
    for g in gens {
        let h = restrict_at(g, &t_mask, a).scale(&inv);
        if &(&prod * &h) != g {
            return None;
        }
        rest_gens.push(h);
    }
    Some(SeparableSplit { factors, rest_vars, rest_gens })
}

/// A generator `g_k = (v − r)·q` with `v` bounded on the region and `r ≠ 0`
/// a rational point of its box: `(k, v, r, q)`. Found as a common rational
/// root of the coefficients of `g_k` viewed as a polynomial in `v` over
/// the other variables (their univariate gcd).
pub fn hyperplane_factor(gens: &[Poly], region: &[Range]) -> Option<(usize, usize, Rat, Poly)> {
    for (k, g) in gens.iter().enumerate() {
        for (v, range) in region.iter().enumerate() {
            let Range::Bounded(lo, hi) = range else { continue };
            if g.degree_in(v) == 0 {
                continue;
            }
            let groups = coefficients_in(g, v);
            let gcd = groups.values().fold(UPoly::zero(), |acc, p| acc.gcd(p));
            if gcd.degree().is_none_or(|d| d == 0) {
                continue;
            }
            let Some(r) = rational_roots(&gcd).into_iter().find(|r| !r.is_zero() && r >= lo && r <= hi)
            else {
                continue;
            };
            let q = divide_by_linear(g, v, &r, &groups)?;
            return Some((k, v, r, q));
        }
    }
    None
}

/// `g = Σ_α x^α·p_α(v)` (α over exponents of the other variables): the
/// univariate `p_α`.
fn coefficients_in(g: &Poly, v: usize) -> BTreeMap<Vec<u32>, UPoly> {
    let mut dense: BTreeMap<Vec<u32>, Vec<Rat>> = BTreeMap::new();
    for t in g.terms() {
        let mut e = t.exp.clone();
        let p = e[v] as usize;
        e[v] = 0;
        let c = dense.entry(e).or_default();
        if c.len() <= p {
            c.resize(p + 1, Rat::zero());
        }
        c[p] += &t.coef;
    }
    dense.into_iter().map(|(e, c)| (e, UPoly::new(c))).collect()
}

/// `g/(v − r)`, exactly, or `None` when `v − r` does not divide `g`.
fn divide_by_linear(g: &Poly, v: usize, r: &Rat, groups: &BTreeMap<Vec<u32>, UPoly>) -> Option<Poly> {
    let lin = UPoly::new(vec![-r.clone(), Rat::one()]);
    let mut terms = Vec::new();
    for (e, p) in groups {
        let (quo, rem) = p.div_rem(&lin);
        if !rem.is_zero() {
            return None;
        }
        for (i, c) in quo.coeffs().iter().enumerate() {
            if !c.is_zero() {
                let mut ex = e.clone();
                ex[v] = i as u32;
                terms.push((ex, c.clone()));
            }
        }
    }
    let q = Poly::from_terms(g.nvars(), terms);
    let lin_poly = &Poly::var(g.nvars(), v) - &Poly::constant(g.nvars(), r.clone());
    // Multiply back: never trust the arithmetic above alone.
    (&(&q * &lin_poly) == g).then_some(q)
}

/// Largest centre tried by [`small_centre`].
const SMALL_CENTRE_MAX: usize = 5;

/// A coordinate centre `S` with `|S| ≤ 5` and `2|S|` less than the number
/// of variables of `J`, such that every term of every generator contains a
/// variable of `S` (a minimum hitting set of the terms' supports): then
/// every generator lies in the ideal of the centre, so each chart of the
/// blow-up factors `u_j^{ord_S g}` out of every generator. For a
/// multilinear form such as `c^T B a` (three-layer linear networks) the
/// centre `{c}` separates a layer, where the point blow-up would repeat a
/// chart `t^k·(t·x·y + z·w)` up to relabelling at ever higher `k`. Any
/// coordinate centre gives a valid resolution step (docs/theory.md §4): the choice
/// affects only termination, never soundness.
pub fn small_centre(gens: &[Poly]) -> Option<Vec<usize>> {
    let n = gens.first()?.nvars();
    let mut used = vec![false; n];
    for g in gens {
        for (u, x) in used.iter_mut().zip(g.used_vars()) {
            *u |= x;
        }
    }
    let nvars = used.iter().filter(|&&u| u).count();
    let mut supports: Vec<Vec<usize>> = gens
        .iter()
        .flat_map(|g| g.terms().iter().map(|t| (0..n).filter(|&i| t.exp[i] > 0).collect::<Vec<usize>>()))
        .collect();
    if supports.iter().any(|s| s.is_empty()) {
        return None;
    }
    supports.sort();
    supports.dedup();
    // Iterative deepening: the first size with a hitting set is minimal.
    for k in 2..=SMALL_CENTRE_MAX {
        if 2 * k >= nvars {
            return None;
        }
        let mut chosen = Vec::new();
        if hitting_set(&supports, k, &mut chosen) {
            chosen.sort();
            return Some(chosen);
        }
    }
    None
}

/// Bounded search tree for a hitting set of at most `k` more variables:
/// some variable of the first support not yet hit must be chosen
/// (branching factor the support's size, depth `k`).
fn hitting_set(supports: &[Vec<usize>], k: usize, chosen: &mut Vec<usize>) -> bool {
    let Some(open) = supports.iter().find(|s| !s.iter().any(|x| chosen.contains(x))) else {
        return true;
    };
    if k == 0 {
        return false;
    }
    for &x in open {
        chosen.push(x);
        if hitting_set(supports, k - 1, chosen) {
            return true;
        }
        chosen.pop();
    }
    false
}

/// Rule 1 of the module doc: splits an ideal chart whose generators
/// share a non-monomial factor in variables of their own.
pub(super) fn split_separable(node: &ChartNode) -> Option<Expansion> {
    if !node.ideal || node.gens.is_empty() {
        return None;
    }
    let split = separable_factors(&node.gens)?;
    let mut parts = Vec::new();
    let mut shown = Vec::new();
    for (vars, f) in &split.factors {
        let part = ChartNode { gens: vec![f.clone()], ..node.clone() }.restrict(vars);
        shown.push(format!("({})", f.display(&node.names)));
        let desc = format!("factor ({}) alone", f.display(&node.names));
        parts.push(Part::chart(part, desc));
    }
    if !split.rest_vars.is_empty() {
        let rest = ChartNode { gens: split.rest_gens.clone(), ..node.clone() }.restrict(&split.rest_vars);
        let names: Vec<String> = split.rest_gens.iter().map(|h| h.display(&node.names).to_string()).collect();
        shown.push(format!("<{}>", names.join(", ")));
        parts.push(Part::chart(rest, "the remaining ideal"));
    }
    let rule = format!(
        "separable common factor: every generator = {} (verified by multiplying back), factors in disjoint variables; K is their product (with β, h, region split by variable): λ = min, m adds on ties (docs/theory.md §2)",
        shown.join("·")
    );
    Some(Expansion::split(Combine::Product, rule, parts))
}

/// Rule 2 of the module doc: splits at a hyperplane `v = r` dividing a
/// generator.
pub(super) fn split_hyperplane(node: &ChartNode) -> Option<Expansion> {
    if !node.ideal {
        return None;
    }
    let (k, v, r, q) = hyperplane_factor(&node.gens, &node.region)?;
    let name = node.names[v].clone();
    let rule = format!(
        "hyperplane factor: ({name} - {r}) divides {}; K ≤ C·K' on the box (K' with the quotient {}), K ≍ K' where {name} ≠ {r}: the pair is the more singular of the two charts",
        node.gens[k].display(&node.names),
        q.display(&node.names)
    );
    let near = Part::linked(
        node.translate(v, &r),
        format!("translate to {name} = {r} (its neighbourhood)"),
        super::expansion::Link::Pullback(node.translate_map(v, &r)),
    );
    let mut quotient = node.clone();
    quotient.gens[k] = q;
    quotient.factor_monomial();
    let rest = Part::chart(quotient, format!("the whole box with the factor ({name} - {r}) divided out"));
    Some(Expansion::split(Combine::Union, rule, vec![near, rest]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::rat;

    fn v(n: usize, i: usize) -> Poly {
        Poly::var(n, i)
    }

    #[test]
    fn splits_a_quadratic_form_times_an_ideal() {
        // <q c1, q c2>, q = a1 b1 + a2 b2: the 1-2-1-2 deep linear network.
        let n = 6;
        let q = &(&v(n, 0) * &v(n, 1)) + &(&v(n, 2) * &v(n, 3));
        let gens = vec![&q * &v(n, 4), &q * &v(n, 5)];
        let s = separable_factors(&gens).expect("split");
        assert_eq!(s.factors.len(), 1);
        assert_eq!(s.factors[0].0, vec![0, 1, 2, 3]);
        assert_eq!(s.rest_vars, vec![4, 5]);
        for (g, h) in gens.iter().zip(&s.rest_gens) {
            assert_eq!(&(&s.factors[0].1 * h), g);
        }
    }

    #[test]
    fn finest_split_into_several_factors() {
        // (x + y²)(z − w)(u + 1 + u v) as a single generator: three factors.
        let n = 6;
        let f1 = &v(n, 0) + &(&v(n, 1) * &v(n, 1));
        let f2 = &v(n, 2) - &v(n, 3);
        let f3 = &(&v(n, 4) + &Poly::one(n)) + &(&v(n, 4) * &v(n, 5));
        let g = &(&f1 * &f2) * &f3;
        let s = separable_factors(std::slice::from_ref(&g)).expect("split");
        assert_eq!(s.factors.len(), 3);
        assert!(s.rest_vars.is_empty());
        let prod = s.factors.iter().fold(Poly::one(n), |a, (_, f)| &a * f);
        assert_eq!(&(&prod * &s.rest_gens[0]), &g);
    }

    #[test]
    fn no_split_without_a_common_factor() {
        let n = 3;
        // x + y z: one irreducible generator.
        assert!(separable_factors(&[&v(n, 0) + &(&v(n, 1) * &v(n, 2))]).is_none());
        // <x y + z, x>: x is common to neither factorisation.
        assert!(separable_factors(&[&(&v(n, 0) * &v(n, 1)) + &v(n, 2), v(n, 0)]).is_none());
        // (x − y)(y − z): the factors share y.
        let g = &(&v(n, 0) - &v(n, 1)) * &(&v(n, 1) - &v(n, 2));
        assert!(separable_factors(&[g]).is_none());
    }

    #[test]
    fn small_centre_hits_every_term() {
        // c1 (B11 a1 + B12 a2) + c2 (B21 a1 + B22 a2): {c1, c2} or {a1, a2}.
        let n = 8;
        let (a1, a2, c1, c2) = (v(n, 0), v(n, 1), v(n, 6), v(n, 7));
        let row = |i: usize| &(&v(n, i) * &a1) + &(&v(n, i + 1) * &a2);
        let g = &(&c1 * &row(2)) + &(&c2 * &row(4));
        assert_eq!(small_centre(std::slice::from_ref(&g)), Some(vec![0, 1]));
        // x y + z w + u s: no hitting set of size 2 or 3 below half of 6.
        let n = 6;
        let q = &(&(&v(n, 0) * &v(n, 1)) + &(&v(n, 2) * &v(n, 3))) + &(&v(n, 4) * &v(n, 5));
        assert_eq!(small_centre(&[q]), None);
    }

    #[test]
    fn hyperplane_split_gives_the_pair_of_the_box() {
        // Chart x of the point blow-up of ((x − y)(y − z))²: K ≍ x⁴·((1 − y)(y − z))²
        // with prior |x|², y, z ∈ [−1, 1]. The divisor x gives 3/4; the
        // planes y = 1 and y = z cross at (1, 1): (1/2, 2), the chart's pair.
        let n = 3;
        let g = &(&Poly::one(n) - &v(n, 1)) * &(&v(n, 1) - &v(n, 2));
        let unit = Range::Bounded(rat(-1), rat(1));
        let node = ChartNode {
            names: vec!["x".into(), "y".into(), "z".into()],
            gens: vec![g],
            ideal: true,
            beta: vec![2, 0, 0],
            h: vec![2, 0, 0],
            region: vec![Range::Local, unit.clone(), unit],
        };
        let Some(Expansion::Split { rule, .. }) = split_hyperplane(&node) else {
            panic!("a hyperplane split")
        };
        assert!(rule.starts_with("hyperplane factor: (y - 1)"), "{rule}");
        let o = super::super::runner::resolve_chart(node, &Default::default()).outcome;
        let pair = super::super::Pair { lambda: crate::poly::ratio(1, 2), m: 2 };
        assert!(matches!(o, super::super::Outcome::Exact { pair: Some(p), .. } if p == pair));
    }

    #[test]
    fn hyperplane_factor_found_and_divided() {
        // (1 − y)(y − z) with y, z ∈ [−1, 1]: v − r = y − 1.
        let n = 2;
        let g = &(&Poly::one(n) - &v(n, 0)) * &(&v(n, 0) - &v(n, 1));
        let region = vec![Range::Bounded(rat(-1), rat(1)); 2];
        let (k, var, r, q) = hyperplane_factor(std::slice::from_ref(&g), &region).expect("factor");
        assert_eq!((k, var, r.clone()), (0, 0, rat(1)));
        assert_eq!(&(&q * &(&v(n, 0) - &Poly::constant(n, r))), &g);
        // Out of the box: no factor.
        let narrow = vec![Range::Bounded(rat(-1), crate::poly::ratio(1, 2)); 2];
        assert!(hyperplane_factor(std::slice::from_ref(&g), &narrow).is_none());
        // Local variables are not split.
        assert!(hyperplane_factor(&[g], &[Range::Local, Range::Local]).is_none());
    }
}
