//! Chart nodes and the exact moves between them: coordinate blow-ups,
//! translations, pivots and triangular coordinate changes (docs/theory.md §4).
//!
//! A [`ChartNode`] stands for `K = |u^β|^p · J` on a region, with the prior
//! (Jacobian included) `|u^h|`, where `p = 2` for an ideal (`J = Σ f_i²`,
//! `u^β` the monomial factor common to all generators) and `p = 1` for a
//! polynomial loss (`J` the strict transform itself).

use super::region::{Range, restrict_to_centre, widened_hull};
use crate::poly::{Poly, Rat};
use crate::univariate::UPoly;
use num_traits::{One, Zero};

/// A fresh name for the new coordinate replacing variable `i` (a change of
/// coordinates, a blow-up chart, a translation): the old name primed
/// (`x'`, `x''`, …; issue #14: no `*` suffix, which reads as a product),
/// primed again until no other variable of the chart has it.
pub fn fresh_name(names: &[String], i: usize) -> String {
    let mut n = format!("{}'", names[i]);
    while names.iter().enumerate().any(|(k, m)| k != i && *m == n) {
        n.push('\'');
    }
    n
}

/// One chart of a (partial) resolution.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChartNode {
    /// Display names of the chart variables.
    pub names: Vec<String>,
    /// Generators of the strict transform `J` (one, `K̃`, for a polynomial loss).
    pub gens: Vec<Poly>,
    /// `true`: `K ≍ Σ f_i²` (an ideal); `false`: `K` itself.
    pub ideal: bool,
    /// Exponents of the factored monomial `u^β`.
    pub beta: Vec<u32>,
    /// Prior exponents including the Jacobian of every chart map so far.
    pub h: Vec<u32>,
    /// The region each variable ranges over.
    pub region: Vec<Range>,
}

impl ChartNode {
    /// Number of variables.
    pub fn dim(&self) -> usize {
        self.names.len()
    }

    /// The exponent `p` with `K ≍ |u^β|^p · J`.
    pub fn power(&self) -> u32 {
        if self.ideal { 2 } else { 1 }
    }

    /// The chart as text: `K ≍ |u^β|^p · J`, prior and region; a `J`
    /// with a non-zero constant generator is named a unit.
    pub fn describe(&self) -> String {
        let names = &self.names;
        let mono: Vec<String> =
            (0..self.dim())
                .filter(|&i| self.beta[i] > 0)
                .map(|i| {
                    if self.beta[i] == 1 {
                        names[i].clone()
                    } else {
                        format!("{}^{}", names[i], self.beta[i])
                    }
                })
                .collect();
        let gens: Vec<String> = self.gens.iter().map(|g| g.display(names).to_string()).collect();
        let mono = if mono.is_empty() { "1".to_string() } else { mono.join("*") };
        let unit = self.ideal && self.gens.iter().any(|g| g.is_constant() && !g.is_zero());
        let k = if self.gens.iter().all(Poly::is_zero) {
            format!("K ≍ |{mono}|^{} (a monomial)", self.power())
        } else if unit {
            format!(
                "K ≍ |{mono}|^2 · (a unit: the generator {} is a non-zero constant)",
                self.gens
                    .iter()
                    .find(|g| g.is_constant())
                    .map(|g| g.constant_term().to_string())
                    .unwrap_or_default()
            )
        } else if self.ideal {
            format!("K ≍ |{mono}|^2 · ‖<{}>‖²", gens.join(", "))
        } else {
            format!("K = {mono} · ({})", gens.join(", "))
        };
        let prior: Vec<String> = (0..self.dim())
            .filter(|&i| self.h[i] > 0)
            .map(|i| format!("{}^{}", names[i], self.h[i]))
            .collect();
        let boxes: Vec<String> = (0..self.dim())
            .filter_map(|i| match &self.region[i] {
                Range::Local => None,
                Range::Bounded(lo, hi) => Some(format!("{} ∈ [{}, {}]", names[i], lo, hi)),
            })
            .collect();
        format!(
            "{k}; prior |{}|; {}",
            if prior.is_empty() { "1".to_string() } else { prior.join("*") },
            if boxes.is_empty() {
                "near the origin".to_string()
            } else {
                format!("near the origin except {}", boxes.join(", "))
            }
        )
    }

    /// A proven lower bound at every point of the chart's region:
    /// λ ≥ lct_ℂ ≥ 1/mult ≥ 1/deg K (the real threshold is at least the
    /// complex one, and the prior only raises λ).
    pub fn degree_lower_bound(&self) -> Rat {
        let gd = self.gens.iter().map(|g| g.degree()).max().unwrap_or(0);
        let deg = self.power() * (self.beta.iter().sum::<u32>() + gd);
        Rat::new(num_bigint::BigInt::one(), num_bigint::BigInt::from(deg.max(1)))
    }

    /// `K ≤ C·|u^β|^p` gives λ ≤ λ(|u^β|^p).
    pub fn monomial_upper_bound(&self) -> Option<Rat> {
        super::expansion::normal_crossing(&self.beta, &self.h, self.power()).map(|p| p.lambda)
    }

    /// Which variables occur in some generator.
    pub fn used_in_gens(&self) -> Vec<bool> {
        let mut used = vec![false; self.dim()];
        for g in &self.gens {
            for (u, x) in used.iter_mut().zip(g.used_vars()) {
                *u |= x;
            }
        }
        used
    }

    /// Drops a generator that is a polynomial multiple of another one:
    /// the ideal, hence the pair (docs/theory.md §2), is unchanged. Returns the
    /// number dropped. (`K = f² + (z·f)²` and `f² + f⁴` are `⟨f⟩`.)
    pub fn drop_redundant_generators(&mut self) -> usize {
        if !self.ideal || self.gens.len() < 2 {
            return 0;
        }
        // The cheap necessary test of `div_exact` on restrictions to two
        // lines along the most used variable, computed once per generator
        // (a chart may have a hundred generators of hundreds of terms).
        let d = self.dim();
        let v = (0..d).max_by_key(|&v| self.gens.iter().filter(|g| g.degree_in(v) > 0).count()).unwrap_or(0);
        type Tested = (Poly, Vec<u32>, [UPoly; 2]);
        let mut order: Vec<Tested> = self
            .gens
            .iter()
            .map(|g| {
                let degrees = (0..d).map(|i| g.degree_in(i)).collect();
                (g.clone(), degrees, [g.restrict_to_test_line(v, 0), g.restrict_to_test_line(v, 1)])
            })
            .collect();
        // Try the generators with fewer terms as divisors first.
        order.sort_by_key(|(g, _, _)| (g.len(), g.degree()));
        let mut keep: Vec<Tested> = Vec::with_capacity(self.gens.len());
        for (g, gd, gl) in order {
            let cap = 4 * g.len() + 16;
            let divides = |(dv, dd, dl): &Tested| {
                dd.iter().zip(&gd).all(|(a, b)| a <= b)
                    && (0..2).all(|l| dl[l].is_zero() || gl[l].div_rem(&dl[l]).1.is_zero())
                    && g.div_exact_unfiltered(dv, cap).is_some()
            };
            if !keep.iter().any(divides) {
                keep.push((g, gd, gl));
            }
        }
        let mut keep: Vec<Poly> = keep.into_iter().map(|(g, _, _)| g).collect();
        let dropped = self.gens.len() - keep.len();
        if dropped > 0 {
            // Keep the original order (it steers the choice of pivots).
            let mut kept = Vec::with_capacity(keep.len());
            for g in std::mem::take(&mut self.gens) {
                if let Some(k) = keep.iter().position(|x| *x == g) {
                    keep.swap_remove(k);
                    kept.push(g);
                }
            }
            self.gens = kept;
        }
        dropped
    }

    /// Drops zero generators and moves the monomial common to all
    /// generators into `β`.
    pub fn factor_monomial(&mut self) {
        self.gens.retain(|g| !g.is_zero());
        if self.gens.is_empty() {
            return;
        }
        let mut common = self.gens[0].monomial_content();
        for g in &self.gens[1..] {
            for (c, x) in common.iter_mut().zip(g.monomial_content()) {
                *c = (*c).min(x);
            }
        }
        if common.iter().any(|&c| c > 0) {
            self.gens = self.gens.iter().map(|g| g.div_monomial(&common)).collect();
            for (b, c) in self.beta.iter_mut().zip(&common) {
                *b += c;
            }
        }
        self.gens.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.terms().cmp_terms(b.terms())));
        self.gens.dedup();
    }

    /// Keeps only the listed variables (which must include every variable
    /// that occurs in a generator or in `β`).
    pub fn restrict(&self, keep: &[usize]) -> ChartNode {
        let map = |p: &Poly| {
            Poly::from_terms(
                keep.len(),
                p.terms().iter().map(|t| (keep.iter().map(|&i| t.exp[i]).collect(), t.coef.clone())),
            )
        };
        ChartNode {
            names: keep.iter().map(|&i| self.names[i].clone()).collect(),
            gens: self.gens.iter().map(map).collect(),
            ideal: self.ideal,
            beta: keep.iter().map(|&i| self.beta[i]).collect(),
            h: keep.iter().map(|&i| self.h[i]).collect(),
            region: keep.iter().map(|&i| self.region[i].clone()).collect(),
        }
    }

    /// Chart `j` of the blow-up of the coordinate centre `{w_i = 0 : i ∈ S}`:
    /// `w_j = u_j`, `w_i = u_i u_j` (i ∈ S∖{j}); `|Jacobian| = |u_j|^{c−1}`,
    /// `h'_j = Σ_S h_i + c − 1`; the other centre variables range over
    /// `[-1, 1]` (docs/theory.md §4). A monomial map, so applied term by term.
    pub fn blow_up_chart(&self, centre: &[usize], j: usize) -> ChartNode {
        let c = centre.len() as u32;
        let mono = |exp: &[u32]| -> Vec<u32> {
            let mut e = exp.to_vec();
            e[j] = centre.iter().map(|&i| exp[i]).sum();
            e
        };
        let gens = self
            .gens
            .iter()
            .map(|g| Poly::from_terms(self.dim(), g.terms().iter().map(|t| (mono(&t.exp), t.coef.clone()))))
            .collect();
        let mut h = self.h.clone();
        h[j] = centre.iter().map(|&i| self.h[i]).sum::<u32>() + c - 1;
        let mut region = self.region.clone();
        let mut names = self.names.clone();
        for &i in centre {
            if i != j {
                region[i] = Range::Bounded(-Rat::one(), Rat::one());
                names[i] = fresh_name(&names, i);
            }
        }
        let mut node = ChartNode { names, gens, ideal: self.ideal, beta: mono(&self.beta), h, region };
        node.factor_monomial();
        node
    }

    /// The substitution of [`ChartNode::blow_up_chart`]: `w_j = u_j`,
    /// `w_i = u_i u_j` (i ∈ S∖{j}), other variables unchanged.
    pub fn blow_up_map(&self, centre: &[usize], j: usize) -> Vec<Poly> {
        let d = self.dim();
        (0..d)
            .map(|i| {
                let mut e = vec![0; d];
                e[i] = 1;
                if i != j && centre.contains(&i) {
                    e[j] = 1;
                }
                Poly::monomial(d, e, Rat::one())
            })
            .collect()
    }

    /// The substitution of [`ChartNode::translate`]: `w_v = u_v + c`.
    pub fn translate_map(&self, v: usize, c: &Rat) -> Vec<Poly> {
        let d = self.dim();
        (0..d)
            .map(|i| if i == v { &Poly::var(d, i) + &Poly::constant(d, c.clone()) } else { Poly::var(d, i) })
            .collect()
    }

    /// Translates bounded variable `v` to the point `c ≠ 0` of its box: the
    /// variable becomes local, and `|u_v|^{h_v}` and `u_v^{β_v}` become
    /// positive units there (docs/theory.md §4: set `h_v := 0`).
    pub fn translate(&self, v: usize, c: &Rat) -> ChartNode {
        let mut shift = vec![Rat::zero(); self.dim()];
        shift[v] = c.clone();
        let mut node = self.clone();
        node.gens = self.gens.iter().map(|g| g.translate(&shift)).collect();
        node.region[v] = Range::Local;
        if !c.is_zero() {
            node.h[v] = 0;
            node.beta[v] = 0;
            node.names[v] = fresh_name(&self.names, v);
        }
        node.factor_monomial();
        node
    }

    /// Finds a generator `f = c·w_j + g` with `c` a non-zero constant and
    /// `g` free of `w_j`, with `h_j = β_j = 0`, and makes `w_j' = f` a
    /// coordinate (a polynomial automorphism with constant Jacobian `c`);
    /// the other generators are then reduced modulo `w_j'`, i.e. `w_j`
    /// is replaced by `−g/c` in them. A generator that is already `c·w_j`
    /// only reduces the others (valid for any `h_j`). Returns a description.
    pub fn pivot(&mut self) -> Option<String> {
        self.pivot_linked().map(|(d, _)| d)
    }

    /// [`ChartNode::pivot`] with the substitution: old variables as
    /// polynomials in the new ones (`w_j = (w_j' − g)/c`).
    pub fn pivot_linked(&mut self) -> Option<(String, Vec<Poly>)> {
        if !self.ideal {
            return None;
        }
        let d = self.dim();
        let mut best: Option<(usize, usize, usize)> = None; // (len, gen, var)
        for (k, f) in self.gens.iter().enumerate() {
            for j in 0..d {
                let with_j: Vec<_> = f.terms().iter().filter(|t| t.exp[j] > 0).collect();
                if with_j.len() != 1 || with_j[0].exp.iter().sum::<u32>() != 1 {
                    continue;
                }
                let variable_only = f.len() == 1;
                let others_use_j = self.gens.iter().enumerate().any(|(i, g)| i != k && g.degree_in(j) > 0);
                if variable_only {
                    if others_use_j {
                        best = Some((0, k, j));
                    }
                    continue;
                }
                if self.h[j] != 0 || self.beta[j] != 0 {
                    continue;
                }
                // The new coordinate f must stay over the same point: a
                // local w_j may not be shifted by a part that is non-zero
                // on the centre set (see `shift_keeps_region`).
                let (_, rest) = split_linear(f, j);
                if !shift_keeps_region(&self.region, j, &rest) {
                    continue;
                }
                if best.is_none_or(|(l, _, _)| f.len() < l) {
                    best = Some((f.len(), k, j));
                }
            }
        }
        let (_, k, j) = best?;
        let f = self.gens[k].clone();
        let mut unit = vec![0; d];
        unit[j] = 1;
        let c = f.coeff(&unit);
        let g = &f - &Poly::monomial(d, unit, c.clone());
        let w_j_is = g.scale(&(-Rat::one() / &c));
        let old_name = self.names[j].clone();
        let mut map: Vec<Poly> = (0..d).map(|i| Poly::var(d, i)).collect();
        if !g.is_zero() {
            map[j] = (&Poly::var(d, j) - &g).scale(&(Rat::one() / &c));
        }
        let desc = if g.is_zero() {
            format!("generator {} is a coordinate: reduce the others modulo it", old_name)
        } else {
            let names = self.names.clone();
            let new_range = {
                // The new coordinate's range: the image of the region.
                widened_hull(&f, &self.region)
            };
            self.region[j] = new_range;
            self.names[j] = fresh_name(&names, j);
            format!("pivot: {} := {} (Jacobian {}, unit)", self.names[j], f.display(&names), c)
        };
        for (i, gi) in self.gens.iter_mut().enumerate() {
            if i == k {
                *gi = Poly::var(d, j);
            } else if gi.degree_in(j) > 0 {
                *gi = gi.substitute(j, &w_j_is);
            }
        }
        self.factor_monomial();
        Some((desc, map))
    }

    /// The unit pivot of docs/theory.md §4: a generator `f = c(w)·w_j + g(w)` with
    /// `c`, `g` free of `w_j`, `c` proven non-vanishing on the whole region
    /// (not only at its origin) and `h_j = β_j = 0`. Then `w_j* = f` is a
    /// coordinate on the region (Jacobian `c`, a unit, so the prior only
    /// gains a positive unit factor), and every other generator `G` of
    /// degree `k` in `w_j` becomes `c^k · G((w_j* − g)/c)`, a polynomial:
    /// multiplying a generator by a unit changes neither the ideal near any
    /// point of the region nor the pair (docs/theory.md §2, equivalence). This is
    /// what resolves losses at points away from the origin, where
    /// translation turns constant coefficients into `1 + u`.
    pub fn unit_pivot(&mut self) -> Option<String> {
        if !self.ideal {
            return None;
        }
        let d = self.dim();
        let mut best: Option<(usize, usize, usize, Poly)> = None; // (len, gen, var, c)
        for (k, f) in self.gens.iter().enumerate() {
            for j in 0..d {
                if self.h[j] != 0 || self.beta[j] != 0 || f.degree_in(j) != 1 {
                    continue;
                }
                if best.as_ref().is_some_and(|(l, ..)| *l <= f.len()) {
                    continue;
                }
                let (c, rest) = split_linear(f, j);
                if c.is_constant() || !super::region::nonvanishing_on(&c, &self.region, 64) {
                    continue;
                }
                // A local w_j must stay local: the new coordinate c·w_j + rest
                // may not be shifted by a part non-zero on the centre set
                // (`shift_keeps_region`), or the new box would hold points
                // away from the chart's fibre.
                if !shift_keeps_region(&self.region, j, &rest) {
                    continue;
                }
                best = Some((f.len(), k, j, c));
            }
        }
        let (_, k, j, c) = best?;
        let f = self.gens[k].clone();
        let (_, g) = split_linear(&f, j);
        // A-priori size of c^(deg−p)·g_p·(w* − g)^p for every generator:
        // refuse the move before multiplying when it could exceed the cap.
        let shift_len = g.len() + 1;
        let too_big = self.gens.iter().any(|gi| {
            let deg = gi.degree_in(j);
            (0..=deg).any(|p| {
                let b = (gi.len() as f64)
                    * (shift_len as f64).powi(p as i32)
                    * (c.len() as f64).powi((deg - p) as i32);
                b > super::MAX_PRODUCT_TERMS as f64
            })
        });
        if too_big {
            return None;
        }
        let names = self.names.clone();
        let new_coord = Poly::var(d, j);
        let shifted = &new_coord - &g; // c · w_j in the new coordinate
        for (i, gi) in self.gens.iter_mut().enumerate() {
            if i == k {
                *gi = Poly::var(d, j);
            } else if gi.degree_in(j) > 0 {
                let deg = gi.degree_in(j);
                let mut parts: Vec<Vec<(Vec<u32>, Rat)>> = vec![Vec::new(); deg as usize + 1];
                for t in gi.terms() {
                    let mut e = t.exp.clone();
                    let p = e[j] as usize;
                    e[j] = 0;
                    parts[p].push((e, t.coef.clone()));
                }
                let mut acc = Poly::zero(d);
                for (p, terms) in parts.into_iter().enumerate() {
                    if terms.is_empty() {
                        continue;
                    }
                    let gp = Poly::from_terms(d, terms);
                    acc = &acc + &(&(&gp * &shifted.pow(p as u32)) * &c.pow(deg - p as u32));
                }
                *gi = acc;
            }
        }
        self.region[j] = widened_hull(&f, &self.region);
        self.names[j] = fresh_name(&names, j);
        self.factor_monomial();
        Some(format!(
            "unit pivot: {} := {} (Jacobian {}, non-vanishing on the region; other generators multiplied by its powers)",
            self.names[j],
            f.display(&names),
            c.display(&names)
        ))
    }

    /// A triangular coordinate change `w' = w + p` (`p` free of `w`,
    /// `h_w = β_w = 0`, Jacobian 1) that strictly lowers the number of
    /// terms of the generators: it finds `p` as the part of a generator
    /// `f = m·w + r` (m a monomial free of `w`) that `m` divides. This is
    /// the step `A'' = A' − a'_{·1} a'_{1·}` of Aoyagi's method for
    /// reduced-rank regression.
    pub fn triangular_change(&mut self) -> Option<String> {
        self.triangular_linked().map(|(d, _)| d)
    }

    /// [`ChartNode::triangular_change`] with the substitution `w = w' − p`.
    pub fn triangular_linked(&mut self) -> Option<(String, Vec<Poly>)> {
        if !self.ideal {
            return None;
        }
        let d = self.dim();
        let total = |gens: &[Poly]| gens.iter().map(|g| g.len()).sum::<usize>();
        let before = total(&self.gens);
        for f in self.gens.clone() {
            for w in 0..d {
                if self.h[w] != 0 || self.beta[w] != 0 || f.degree_in(w) != 1 {
                    continue;
                }
                let coef_terms: Vec<_> = f.terms().iter().filter(|t| t.exp[w] == 1).collect();
                if coef_terms.len() != 1 {
                    continue;
                }
                let mut m = coef_terms[0].exp.clone();
                m[w] = 0;
                let mc = coef_terms[0].coef.clone();
                // p = (terms of r divisible by m) / (m · mc).
                let p_terms: Vec<(Vec<u32>, Rat)> = f
                    .terms()
                    .iter()
                    .filter(|t| t.exp[w] == 0 && t.exp.iter().zip(&m).all(|(a, b)| a >= b))
                    .map(|t| (t.exp.iter().zip(&m).map(|(a, b)| a - b).collect(), &t.coef / &mc))
                    .collect();
                let p = Poly::from_terms(d, p_terms);
                if p.is_zero() || p.is_constant() || !shift_keeps_region(&self.region, w, &p) {
                    continue;
                }
                // w = w' − p.
                let subst = &Poly::var(d, w) - &p;
                let new_gens: Vec<Poly> = self
                    .gens
                    .iter()
                    .map(|g| if g.degree_in(w) > 0 { g.substitute(w, &subst) } else { g.clone() })
                    .collect();
                if total(&new_gens) >= before {
                    continue;
                }
                let names = self.names.clone();
                let new_coord = &Poly::var(d, w) + &p;
                self.region[w] = widened_hull(&new_coord, &self.region);
                self.names[w] = fresh_name(&names, w);
                self.gens = new_gens;
                self.factor_monomial();
                let mut map: Vec<Poly> = (0..d).map(|i| Poly::var(d, i)).collect();
                map[w] = subst;
                return Some((
                    format!(
                        "coordinate change: {} := {} (Jacobian 1)",
                        self.names[w],
                        new_coord.display(&names)
                    ),
                    map,
                ));
            }
        }
        None
    }

    /// True when the generators (restricted to the centre set, local
    /// variables at 0) all vanish identically.
    pub fn centre_restrictions(&self) -> Vec<Poly> {
        self.gens.iter().map(|g| restrict_to_centre(g, &self.region)).collect()
    }
}

/// A shift `w' = w + p` keeps the chart over the same point only if a
/// local `w` stays local: `p` must vanish where the local variables do.
/// Otherwise the new coordinate's box would contain points with `w` far
/// from 0, which are not in the chart's region. (A bounded `w` may range
/// over a larger box: that only adds points of the same fibre, the
/// convention of the unit pivot.)
pub(super) fn shift_keeps_region(region: &[Range], w: usize, p: &Poly) -> bool {
    !region[w].is_local() || restrict_to_centre(p, region).is_zero()
}

/// Lexicographic comparison of term lists, for a deterministic order.
trait CmpTerms {
    fn cmp_terms(&self, other: &Self) -> std::cmp::Ordering;
}

impl CmpTerms for [crate::poly::Term] {
    fn cmp_terms(&self, other: &Self) -> std::cmp::Ordering {
        for (a, b) in self.iter().zip(other) {
            let o = a.exp.cmp(&b.exp).then_with(|| a.coef.cmp(&b.coef));
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        self.len().cmp(&other.len())
    }
}

/// `f = c·w_j + g` for `f` of degree 1 in `w_j`: returns `(c, g)`, both
/// free of `w_j`.
pub(super) fn split_linear(f: &Poly, j: usize) -> (Poly, Poly) {
    let d = f.nvars();
    let mut c = Vec::new();
    let mut g = Vec::new();
    for t in f.terms() {
        if t.exp[j] == 1 {
            let mut e = t.exp.clone();
            e[j] = 0;
            c.push((e, t.coef.clone()));
        } else {
            g.push((t.exp.clone(), t.coef.clone()));
        }
    }
    (Poly::from_terms(d, c), Poly::from_terms(d, g))
}
