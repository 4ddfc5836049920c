//! Real zeros of a chart's strict transform on its box beyond rational
//! points (docs/theory.md §4, "The real part"; issue #5, item 2).
//!
//! Used by the move [`super::moves::real_zeros`] on a chart whose bounded
//! variables carry no divisor (`β_v = h_v = 0`, the divisor split has run
//! before), after the rational translations and before the "undecided"
//! fallback.
//! Two rules, both exact (ℚ arithmetic, Sturm sequences, interval
//! arithmetic over ℚ with bisection):
//!
//! * **Univariate restrictions.** A generator `g` whose restriction `g0`
//!   to the centre set (local variables at 0) depends on one bounded
//!   variable `v` only: the real roots of `g0` on `v`'s interval are
//!   isolated exactly (square-free part, Sturm). Rational roots are
//!   translated to. At an irrational root `r` of multiplicity `k`,
//!   `t = v − r` is a local coordinate (a real translation, Jacobian 1,
//!   harmless since `h_v = β_v = 0`) without computing `r`: if `g` is the
//!   only generator and `k = 1` (then `w = g` is a coordinate by the
//!   implicit function theorem, `∂g/∂v = g0'(r) ≠ 0` on the whole slice
//!   `v = r`), or every generator is a polynomial in `v` alone (then each
//!   is `t^{k_j}·unit` and the ideal is `⟨t^{min k_j}⟩`), `K` is a normal
//!   crossing there with one more factor (docs/theory.md §2). If another
//!   generator is proven non-zero at `r` (exactly: `r` is no root of the
//!   gcd), `J` is a unit there. Any other root is reported as undecided,
//!   with its factor and isolating interval.
//! * **Smooth complete intersections.** An ideal `⟨g_1, …, g_k⟩` such that
//!   the box is covered by sub-boxes on each of which some `g_j0` has no
//!   zero or some `k × k` minor of the Jacobian `∂(g_10,…,g_k0)/∂(bounded
//!   variables)` has none. Then at every common zero `p` on the box the
//!   generators have independent differentials in bounded variables and
//!   (implicit function theorem) `w_j = g_j` are coordinates replacing `k`
//!   bounded variables near `p` (Jacobian a unit; the prior and `u^β` live
//!   on the local variables only). So `K ≍ |u^β|²·(w_1² + … + w_k²)`, whose
//!   pair is the product rule (docs/theory.md §2) of the normal crossing of `u^β`
//!   and the regular pair `(k/2, 1)`. Away from the common zeros `J` is a
//!   unit. That smaller pair is only claimed when a zero is proven to
//!   exist (a sign change of `g0` between two points of the connected box
//!   for `k = 1`, or an exact rational common zero); otherwise the branch
//!   is the honest bound between the two pairs.
//!
//! When neither rule applies, [`real_zeros_beyond_rational`]
//! returns the reason (which generators, which variables, what failed), and
//! the caller writes it into the undecided leaf's rule.

use super::chart::ChartNode;
use super::expansion::{Combine, Expansion, LeafValue, Pair, Part, normal_crossing};
use super::moves::background;
use super::region::{Interval, Range, enclose, region_box};
use crate::poly::{Poly, Rat};
use crate::univariate::{RootInterval, UPoly, count_roots_in, isolate_real_roots, rational_roots};
use num_bigint::BigInt;
use num_traits::{Signed, Zero};

/// Sub-boxes an interval cover may use before it gives up.
const COVER_BOX_BUDGET: usize = 1_024;
/// Most generators treated as a complete intersection (the minors are
/// expanded symbolically).
const MAX_INTERSECTION_GENS: usize = 3;
/// Bisections of each bounded side before a cover gives up on a box.
const COVER_HALVINGS: usize = 10;
/// Search depth from which no more boxes are cut out or blown up.
const MAX_CUT_OUT_DEPTH: usize = 12;
/// Most rational singular points cut out of one box.
const MAX_SINGULAR_POINTS: usize = 4;
/// A cut-out box has sides 1/f of the chart's box, for the first f here
/// that lets it hold the box where the cover got stuck.
const CUT_OUT_FRACTIONS: [i64; 3] = [16, 8, 4];
/// Most `k × k` minors of the Jacobian tried.
const MAX_MINORS: usize = 20;
/// Most evaluations spent looking for a sign change or an exact zero.
const MAX_SAMPLES: usize = 4_096;
/// Most bounded variables whose box corners are all sampled.
const MAX_CORNER_DIM: usize = 6;

/// A real root of a univariate restriction on the box.
enum Root {
    Rational(Rat),
    /// An isolating interval `(lo, hi)` inside the box holding one
    /// irrational root of the square-free part.
    Irrational(RootInterval),
}

/// `Ok` with the expansion of the node when one of this module's rules
/// applies, `Err` with what was found otherwise (for the undecided leaf's
/// rule text).
pub(super) fn real_zeros_beyond_rational(node: &ChartNode, depth: usize) -> Result<Expansion, String> {
    let bounded: Vec<usize> = (0..node.dim()).filter(|&i| !node.region[i].is_local()).collect();
    if bounded.is_empty() {
        return Err("no bounded variable".into());
    }
    if let Some(&v) = bounded.iter().find(|&&v| node.beta[v] > 0 || node.h[v] > 0) {
        return Err(format!("the bounded variable {} carries a divisor", node.names[v]));
    }
    if let Some(e) = univariate_roots(node) {
        return Ok(e);
    }
    if !node.ideal {
        return Err(format!(
            "K̃ = {} (a polynomial loss) vanishes on the box in more than one variable ({}); \
                 only ideals get the smooth-intersection rule",
            node.gens[0].display(&node.names),
            bounded.iter().map(|&v| node.names[v].as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    smooth_intersection(node, &bounded, depth)
}

/// A settled leaf part at the node's chart.
fn smooth_leaf(node: &ChartNode, action: String, rule: String, value: LeafValue) -> Part {
    Part::Leaf { action, chart: node.describe(), rule, value }
}

/// The univariate rule (module docs); `None` when no generator's
/// restriction depends on exactly one bounded variable.
fn univariate_roots(node: &ChartNode) -> Option<Expansion> {
    let restricted = node.centre_restrictions();
    let (i, v, p) = restricted.iter().enumerate().find_map(|(i, g0)| {
        let vars: Vec<usize> = (0..node.dim()).filter(|&j| g0.degree_in(j) > 0).collect();
        match vars.as_slice() {
            [v] => UPoly::from_poly(g0, *v).map(|p| (i, *v, p)),
            _ => None,
        }
    })?;
    let Range::Bounded(lo, hi) = node.region[v].clone() else { return None };
    let name = node.names[v].clone();
    let sqf = p.square_free_part();
    let roots = roots_on(&p, &lo, &hi);
    let mut found = Vec::new();
    let mut parts = Vec::new();
    let mut pending: Vec<(usize, Root)> = Vec::new();
    for (n, root) in roots.into_iter().enumerate() {
        match &root {
            Root::Rational(r) => found.push(format!("{name} = {r}")),
            Root::Irrational(iv) => found.push(format!(
                "{name} {} (irrational, multiplicity {})",
                iv.describe(),
                multiplicity(&UPoly::from_poly(&restricted[i], v).expect("univariate"), iv)
            )),
        }
        pending.push((n, root));
    }
    let rule = format!(
        "{} restricted to the centre set depends on {name} alone; square-free part {}; its real roots in [{lo}, {hi}] \
             (Sturm isolation, exact): {}; elsewhere that generator is a unit",
        restricted[i].display(&node.names),
        sqf.display(&name),
        if found.is_empty() { "none".to_string() } else { found.join(", ") }
    );
    parts.push(background(node, format!("the box away from those values of {name}")));
    for (_, root) in pending {
        parts.push(match root {
            Root::Rational(r) => Part::chart(node.translate(v, &r), format!("translate to {name} = {r}")),
            Root::Irrational(iv) => irrational_root(node, (i, v), &iv),
        });
    }
    Some(Expansion::split(Combine::Union, rule, parts))
}

/// The leaf at an irrational root `v ∈ iv` of generator `i`'s
/// restriction (module docs, univariate rule).
fn irrational_root(node: &ChartNode, (i, v): (usize, usize), iv: &RootInterval) -> Part {
    let p = node.power();
    let name = node.names[v].clone();
    let restricted = node.centre_restrictions();
    let g0 = UPoly::from_poly(&restricted[i], v).expect("a univariate restriction");
    let factor = g0.square_free_part().display(&name);
    // Per generator: Some(k) when it is t^k · unit near the slice
    // (t = v − root; k = 0: a unit there), None when not known.
    let orders: Vec<Option<u32>> = node
        .gens
        .iter()
        .zip(&restricted)
        .map(|(g, g0j)| match (UPoly::from_poly(g, v), UPoly::from_poly(g0j, v)) {
            (Some(f), _) => Some(multiplicity(&f, iv)),
            (None, Some(f0)) if multiplicity(&f0, iv) == 0 => Some(0),
            _ => None,
        })
        .collect();
    let k_i = multiplicity(&g0, iv);
    let action = format!("near the slice {name} {} (a root of {factor})", iv.describe());
    let with_factor = |k: u32| {
        let mut beta = node.beta.clone();
        let mut h = node.h.clone();
        beta.push(k);
        h.push(0);
        normal_crossing(&beta, &h, p)
    };
    let (rule, outcome_pair) = if let Some(j) = orders.iter().position(|o| *o == Some(0)) {
        let rule = format!(
            "leaf (a) there: {} restricted to the centre set does not vanish at that root (its gcd with \
                 {factor} has no root in the interval, Sturm): J is a unit near the slice",
            node.gens[j].display(&node.names)
        );
        (rule, normal_crossing(&node.beta, &node.h, p))
    } else if orders.iter().all(Option::is_some) {
        let k = orders.iter().map(|o| o.expect("known")).min().expect("a generator");
        let rule = format!(
            "normal crossing: every generator is a polynomial in {name} alone, of order {k} (the least) at \
                 the root (multiplicities from gcds with derivatives, Sturm counts); t = {name} − root is a \
                 coordinate (a real translation, Jacobian 1, h = β = 0 for {name}), the ideal is ⟨t^{k}⟩ there"
        );
        (rule, with_factor(k))
    } else if node.gens.len() == 1 && k_i == 1 {
        let rule = format!(
            "smooth hypersurface: the root is simple, so ∂g/∂{name} = g0'(root) ≠ 0 on the slice and \
                 w = g replaces {name} as a coordinate (implicit function theorem; h = β = 0 for {name}): \
                 K ≍ |u^β|^{p}·|w|^{p}, normal crossing"
        );
        (rule, with_factor(1))
    } else {
        let why = if k_i > 1 {
            format!(
                "an irrational root of multiplicity {k_i} of {} (square-free factor {factor}) where the \
                     generator also has terms in local variables",
                g0.display(&name)
            )
        } else {
            format!(
                "a simple irrational root of {factor} where another generator vanishes too or is not \
                     known not to"
            )
        };
        let rule = format!("undecided: {why}; only the degree and monomial bounds are proven");
        let bound = LeafValue::Bound { lower: node.degree_lower_bound(), upper: node.monomial_upper_bound() };
        return smooth_leaf(node, action, rule, bound);
    };
    smooth_leaf(node, action, rule, LeafValue::Exact(outcome_pair))
}

/// The smooth complete-intersection rule (module docs); `Err` says what
/// could not be proven. Where the cover gets stuck at a rational common
/// zero of the generators (a singular point such as the crossing of two
/// lines), a box around it is cut out and handed to a translated child
/// chart (translation to a rational point, exact), at most
/// [`MAX_SINGULAR_POINTS`] times.
fn smooth_intersection(node: &ChartNode, bounded: &[usize], depth: usize) -> Result<Expansion, String> {
    let names = &node.names;
    // One generator that is an exact power f^e (e = 2^j, up to sign):
    // the ideal is ⟨f^e⟩, and f is what must be smooth; near its smooth
    // zeros K ≍ |u^β|²·w^{2e}.
    let (base, e) = match node.gens.as_slice() {
        [g] => perfect_power(g),
        _ => (None, 1),
    };
    let restricted = match &base {
        Some(f) => ChartNode { gens: vec![f.clone()], ..node.clone() }.centre_restrictions(),
        None => node.centre_restrictions(),
    };
    let k = restricted.len();
    let gens_text = restricted.iter().map(|g| g.display(names).to_string()).collect::<Vec<_>>().join(", ");
    let vars_text = bounded.iter().map(|&v| names[v].as_str()).collect::<Vec<_>>().join(", ");
    let minors = if k <= MAX_INTERSECTION_GENS && k <= bounded.len() {
        jacobian_minors(&restricted, bounded)
    } else {
        Vec::new()
    };
    let start = region_box(&node.region);
    if k == 1 {
        if let Some(why) = repeated_factor_suspected(&restricted[0], bounded, &start) {
            return Err(format!("{} restricted to the centre set: {why}", gens_text));
        }
    }
    // Rational common zeros cut out of the cover, with their boxes.
    let mut singular: Vec<(Vec<Rat>, Vec<Interval>)> = Vec::new();
    let (boxes, candidates, signs) = loop {
        let mut candidates: Vec<Vec<Interval>> = Vec::new();
        let (mut positive, mut negative) = (false, false);
        let cover = cover_box(start.clone(), bounded, |b| {
            if singular.iter().any(|(_, e)| inside(b, e)) {
                return true;
            }
            if let Some(e) = restricted.iter().map(|g| enclose(g, b)).find(|e| !contains_zero(e)) {
                positive |= e.lo.is_positive();
                negative |= e.hi.is_negative();
                return true;
            }
            if minors.iter().any(|m| !contains_zero(&enclose(m, b))) {
                candidates.push(b.to_vec());
                return true;
            }
            false
        });
        let at = match cover {
            Ok(n) => break (n, candidates, (positive, negative)),
            Err(at) => at,
        };
        // A rational common zero near the stuck box, singular ones first,
        // looked for ever farther (tangent branches keep interval
        // enclosures failing far from the singular point), with a cut-out
        // box large enough to hold the stuck box.
        let mut cut = None;
        // Deep in the tree a cut-out no longer pays: the branch stays
        // undecided instead of growing the certificate further.
        for fraction in CUT_OUT_FRACTIONS.iter().copied().filter(|_| depth < MAX_CUT_OUT_DEPTH) {
            let origin = vec![Rat::zero(); node.dim()];
            let reach: Vec<Rat> =
                cut_out_box(&origin, &start, bounded, fraction).into_iter().map(|i| i.hi).collect();
            let Some(p) = rational_common_zero(&restricted, &minors, &at, &reach) else { continue };
            if bounded.iter().all(|&v| p[v].is_zero()) {
                return Ok(blow_up_box_origin(node, bounded));
            }
            let e = cut_out_box(&p, &start, bounded, fraction);
            if inside(&at, &e) && !singular.iter().any(|(_, e)| holds(e, &p)) {
                cut = Some((p, e));
                break;
            }
        }
        if let Some(pe) = cut.filter(|_| singular.len() < MAX_SINGULAR_POINTS) {
            singular.push(pe);
            continue;
        }
        let at_text = bounded
            .iter()
            .map(|&v| format!("{} ∈ [{}, {}]", names[v], at[v].lo, at[v].hi))
            .collect::<Vec<_>>()
            .join(", ");
        let what = if minors.is_empty() {
            format!("{k} generators in {} bounded variables: no rank condition to try", bounded.len())
        } else {
            "the Jacobian in the bounded variables may drop rank there, and no rational common zero was \
                 found there to translate to"
                .to_string()
        };
        return Err(format!(
            "<{gens_text}> restricted to the centre set may vanish on the box in {vars_text} at a \
                 point that is not proven smooth (interval cover stopped at {at_text}: {what}); the zero \
                 set there may be singular or positive-dimensional"
        ));
    };
    let without = normal_crossing(&node.beta, &node.h, 2);
    let cut_text = if singular.is_empty() {
        String::new()
    } else {
        let pts: Vec<String> = singular.iter().map(|(p, _)| format!("({})", join_at(p, bounded))).collect();
        format!(
            "; the boxes around the rational common zeros {} where smoothness was not proven are \
                 translated charts of their own",
            pts.join(", ")
        )
    };
    if candidates.is_empty() && singular.is_empty() {
        let rule = format!(
            "leaf (a): <{gens_text}> has no common zero on the box: each of {boxes} sub-boxes has a \
                 generator without zero (exact interval arithmetic), so J is a unit and K ≍ |u^β|²"
        );
        return Ok(Expansion::exact(without, rule));
    }
    // A sign change of the single generator over the whole box proves
    // a zero, and a smooth one, only when no box was cut out.
    let global = k == 1 && singular.is_empty() && signs.0 && signs.1;
    let witness = zero_witness(&restricted, names, &candidates, global);
    let regular = if k == 1 {
        Pair { lambda: Rat::new(BigInt::from(1), BigInt::from(2 * e)), m: 1 }
    } else {
        Pair { lambda: Rat::new(BigInt::from(k), BigInt::from(2)), m: 1 }
    };
    let with = product_with_regular(without.clone(), regular.clone());
    let squares = match (k, &base) {
        (1, Some(f)) => format!("w^{} (the generator is ({})^{e})", 2 * e, f.display(names)),
        (1, None) => "w²".to_string(),
        _ => format!("(w_1² + … + w_{k}²)"),
    };
    let minors_text = if k == 1 {
        format!("a partial derivative of it in ({vars_text})")
    } else {
        format!("a {k}×{k} minor of its Jacobian in ({vars_text})")
    };
    let rule = format!(
        "smooth complete intersection: on each of {boxes} sub-boxes of the box some generator of \
             <{gens_text}> (at the centre set) or {minors_text} has no zero (exact interval arithmetic), so at \
             each common zero there the generators replace {k} bounded variable(s) as coordinates w (implicit \
             function theorem; h = β = 0 on bounded variables): K ≍ |u^β|²·{squares} there, a unit times \
             |u^β|² elsewhere{cut_text}"
    );
    let mut parts = vec![background(node, "the box away from the common zeros")];
    if !candidates.is_empty() {
        let action = "near the smooth common zeros: w_j := the generators as coordinates".to_string();
        let leaf = match witness {
            Some(proof) => {
                let rule = format!(
                    "product rule (docs/theory.md §2) of the normal crossing |u^β|² and the regular part \
                         {squares} of pair {regular}; a smooth zero exists: {proof}"
                );
                smooth_leaf(node, action, rule, LeafValue::Exact(Some(with)))
            }
            None => {
                let rule = format!(
                    "bound: the pair is {with} if the generators have a smooth common zero on the box, else \
                         that of |u^β|²; none was proven (no sign change or exact zero at the sampled points)"
                );
                let upper = without.map(|p| p.lambda);
                smooth_leaf(node, action, rule, LeafValue::Bound { lower: with.lambda.clone(), upper })
            }
        };
        parts.push(leaf);
    }
    for (p, e) in &singular {
        let ch = translated_to(node, p, e, bounded);
        let action = format!("translate to the rational common zero ({}) and its box", join_at(p, bounded));
        parts.push(Part::chart(ch, action));
    }
    Ok(Expansion::split(Combine::Union, rule, parts))
}

/// A singular point at the origin of the box (where a cut-out box would
/// only repeat itself): blow up the centre {bounded variables = 0}
/// keeping each chart variable `u_j` on its whole interval, so that the
/// charts cover the whole box, not only a neighbourhood of its origin
/// (in chart j, |w_i| ≤ |w_j| with w_j anywhere in its interval; boxes
/// larger than needed are sound, `region.rs`). The divisor `u_j = 0` is
/// then split off by `shrink_region`, and the strict transform away
/// from it is covered again.
fn blow_up_box_origin(node: &ChartNode, bounded: &[usize]) -> Expansion {
    let names: Vec<&str> = bounded.iter().map(|&v| node.names[v].as_str()).collect();
    let rule = format!(
        "a singular common zero at the origin of the box: blow up {{{} = 0}} over the whole box \
             (union of its charts, each chart variable on its whole interval)",
        names.join(" = ")
    );
    let parts: Vec<Part> = bounded
        .iter()
        .map(|&j| {
            Part::chart(node.blow_up_chart(bounded, j), format!("chart {} of the box blow-up", node.names[j]))
        })
        .collect();
    Expansion::split(Combine::Union, rule, parts)
}

/// A cheap test that spares a hopeless cover: the restriction of `g0` to
/// two lines parallel to the axis of its highest-degree bounded variable
/// (the other bounded variables at fixed, unremarkable rationals of their
/// intervals) has a repeated real root in the box on both lines. That is
/// what a repeated factor (a zero set of singular points, such as a
/// squared circle) does, and what a tangency or an isolated singular point
/// does only on special lines. Saying "suspected" is sound either way: the
/// caller then leaves the branch undecided.
fn repeated_factor_suspected(g0: &Poly, bounded: &[usize], start: &[Interval]) -> Option<String> {
    if bounded.len() < 2 {
        return None;
    }
    let v = *bounded.iter().max_by_key(|&&v| (g0.degree_in(v), std::cmp::Reverse(v)))?;
    let (lo, hi) = (&start[v].lo, &start[v].hi);
    let at = |num: i64, den: i64| {
        let mut p = g0.clone();
        for &u in bounded.iter().filter(|&&u| u != v) {
            let t =
                &start[u].lo + (&start[u].hi - &start[u].lo) * Rat::new(BigInt::from(num), BigInt::from(den));
            p = p.substitute(u, &Poly::constant(g0.nvars(), t));
        }
        UPoly::from_poly(&p, v)
    };
    for (num, den) in [(29, 78), (53, 97)] {
        let p = at(num, den)?;
        if p.degree().is_none_or(|d| d == 0) {
            return None;
        }
        let q = p.gcd(&p.derivative());
        if count_roots_in(&q, lo, hi) == 0 && !q.eval(lo).is_zero() {
            return None;
        }
    }
    Some(format!(
        "a repeated real root in {} on two generic lines of the box suggests a repeated factor (a curve of \
         singular points), which the smooth rules do not resolve",
        "the highest-degree variable"
    ))
}

/// The pair of `|u^β|²·R(w)` in separate variables, `R` a sum of `k`
/// squares of coordinates (pair `(k/2, 1)`, docs/theory.md §2 regular point) or
/// `w^{2e}` (pair `(1/(2e), 1)`): the product rule (docs/theory.md §2) of `a`
/// (the normal crossing of `u^β`, `None` when `β = 0`) and `regular`.
fn product_with_regular(a: Option<Pair>, regular: Pair) -> Pair {
    match a {
        None => regular,
        Some(a) if a.lambda < regular.lambda => a,
        Some(a) if a.lambda == regular.lambda => Pair { lambda: a.lambda, m: a.m + regular.m },
        Some(_) => regular,
    }
}

/// `g = ±f^e` with `e = 2^j` as large as exact square roots allow
/// (`super::poly_sqrt`); `(None, 1)` when `g` is no square.
fn perfect_power(g: &Poly) -> (Option<Poly>, u32) {
    let mut f: Option<Poly> = None;
    let mut e = 1;
    loop {
        let cur = f.clone().unwrap_or_else(|| g.clone());
        match super::poly_sqrt(&cur).or_else(|| super::poly_sqrt(&-&cur)) {
            Some(s) if !s.is_constant() => {
                f = Some(s);
                e *= 2;
            }
            _ => return (f, e),
        }
    }
}

fn contains_zero(e: &Interval) -> bool {
    !e.lo.is_positive() && !e.hi.is_negative()
}

/// Covers `start` by bisecting the `bounded` coordinates until `settled`
/// accepts every sub-box; `Ok(number of sub-boxes)`, or `Err` with the
/// first sub-box that could not be settled within the budget.
fn cover_box(
    start: Vec<Interval>,
    bounded: &[usize],
    mut settled: impl FnMut(&[Interval]) -> bool,
) -> Result<usize, Vec<Interval>> {
    let two = Rat::from_integer(BigInt::from(2));
    // A point where nothing can be proven (a singular zero) would draw the
    // depth-first bisection into ever smaller boxes: stop at a depth that
    // halves each bounded side about COVER_HALVINGS times.
    let max_depth = COVER_HALVINGS * bounded.len();
    let mut stack = vec![(start, 0)];
    let mut used = 0;
    while let Some((b, depth)) = stack.pop() {
        used += 1;
        if settled(&b) {
            continue;
        }
        let widest = bounded
            .iter()
            .copied()
            .max_by(|&i, &j| (&b[i].hi - &b[i].lo).cmp(&(&b[j].hi - &b[j].lo)).then(j.cmp(&i)));
        let Some(w) = widest.filter(|&w| b[w].hi > b[w].lo) else { return Err(b) };
        if used + stack.len() >= COVER_BOX_BUDGET || depth >= max_depth {
            return Err(b);
        }
        let mid = (&b[w].lo + &b[w].hi) / &two;
        let mut left = b.clone();
        left[w].hi = mid.clone();
        let mut right = b;
        right[w].lo = mid;
        stack.push((right, depth + 1));
        stack.push((left, depth + 1));
    }
    Ok(used)
}

/// The `k × k` minors (at most [`MAX_MINORS`]) of the Jacobian of `gens`
/// with respect to the `bounded` variables, as polynomials.
fn jacobian_minors(gens: &[Poly], bounded: &[usize]) -> Vec<Poly> {
    let k = gens.len();
    let jac: Vec<Vec<Poly>> =
        gens.iter().map(|g| bounded.iter().map(|&v| g.derivative(v)).collect()).collect();
    let mut out = Vec::new();
    let mut cols: Vec<usize> = (0..k).collect();
    loop {
        let m = determinant(&jac, &cols);
        if !m.is_zero() {
            out.push(m);
        }
        if out.len() >= MAX_MINORS || !next_subset(&mut cols, bounded.len()) {
            return out;
        }
    }
}

/// Advances `c` (strictly increasing, entries `< n`) to the next subset in
/// lexicographic order; `false` after the last.
fn next_subset(c: &mut [usize], n: usize) -> bool {
    let k = c.len();
    for i in (0..k).rev() {
        if c[i] < n - k + i {
            c[i] += 1;
            for j in i + 1..k {
                c[j] = c[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

/// The determinant of the square submatrix of `m` on rows `0..cols.len()`
/// and the given columns (Laplace expansion along the first row; k ≤ 3).
fn determinant(m: &[Vec<Poly>], cols: &[usize]) -> Poly {
    fn rec(m: &[Vec<Poly>], row: usize, cols: &[usize]) -> Poly {
        if cols.len() == 1 {
            return m[row][cols[0]].clone();
        }
        let mut acc = Poly::zero(m[row][cols[0]].nvars());
        for (i, &c) in cols.iter().enumerate() {
            let rest: Vec<usize> = cols.iter().copied().filter(|&x| x != c).collect();
            let term = &m[row][c] * &rec(m, row + 1, &rest);
            acc = if i % 2 == 0 { &acc + &term } else { &acc - &term };
        }
        acc
    }
    rec(m, 0, cols)
}

/// A proof that the generators have a common zero at which the rank
/// condition holds: `global` (a sign change of the single generator over
/// the whole connected box, every point of which is a unit or a rank
/// point), or within one candidate sub-box (convex, rank condition on all
/// of it) an exact rational common zero or, for one generator, two
/// sampled points of opposite signs.
fn zero_witness(
    gens: &[Poly],
    names: &[String],
    candidates: &[Vec<Interval>],
    global: bool,
) -> Option<String> {
    if global {
        return Some(format!("{} takes both signs on the (connected) box", gens[0].display(names)));
    }
    let mut evaluations = 0;
    for b in candidates {
        let mut seen: [Option<Vec<Rat>>; 2] = [None, None];
        for point in sample_points(b) {
            let values: Vec<Rat> = gens.iter().map(|g| g.eval(&point)).collect();
            evaluations += 1;
            if values.iter().all(Zero::is_zero) {
                return Some(format!("an exact common zero at ({})", join(&point)));
            }
            if gens.len() == 1 {
                seen[usize::from(values[0].is_positive())].get_or_insert(point);
                if let [Some(a), Some(b)] = &seen {
                    return Some(format!(
                        "g0 < 0 at ({}) and g0 > 0 at ({}), two points of one sub-box where ∇g0 ≠ 0",
                        join(a),
                        join(b)
                    ));
                }
            }
            if evaluations >= MAX_SAMPLES {
                return None;
            }
        }
    }
    None
}

/// The coordinates of a point at the bounded variables.
fn join_at(point: &[Rat], bounded: &[usize]) -> String {
    bounded.iter().map(|&v| point[v].to_string()).collect::<Vec<_>>().join(", ")
}

/// True when box `b` lies inside box `e`.
fn inside(b: &[Interval], e: &[Interval]) -> bool {
    b.iter().zip(e).all(|(b, e)| e.lo <= b.lo && b.hi <= e.hi)
}

/// True when box `e` holds the point `p`.
fn holds(e: &[Interval], p: &[Rat]) -> bool {
    e.iter().zip(p).all(|(e, x)| e.lo <= *x && *x <= e.hi)
}

/// A rational common zero of `gens` in or near the box `b` where a cover
/// got stuck (interval enclosures fail on boxes near a singular point, not
/// only on those holding it, and farther off where two branches are
/// tangent): the simplest rational point (coordinate-wise, by continued
/// fractions) of `b` or of `b` widened by `reach` (the half side of a
/// cut-out box, so that a point found there has a cut-out box holding
/// `b`), or a corner of `b`.
/// Singular points (every minor zero) are preferred to other zeros.
fn rational_common_zero(gens: &[Poly], minors: &[Poly], b: &[Interval], reach: &[Rat]) -> Option<Vec<Rat>> {
    let wide: Vec<Interval> =
        b.iter().zip(reach).map(|(i, r)| Interval { lo: &i.lo - r, hi: &i.hi + r }).collect();
    let simplest = |b: &[Interval]| b.iter().map(|i| simplest_rational(&i.lo, &i.hi)).collect::<Vec<Rat>>();
    let zeros: Vec<Vec<Rat>> = [simplest(&wide), simplest(b)]
        .into_iter()
        .chain(sample_points(b))
        .filter(|p| gens.iter().all(|g| g.eval(p).is_zero()))
        .collect();
    let singular = zeros.iter().find(|p| minors.iter().all(|m| m.eval(p).is_zero()));
    singular.or(zeros.first()).cloned()
}

/// The rational of least denominator in `[lo, hi]` (then least
/// magnitude): the Stern–Brocot / continued-fraction recursion.
fn simplest_rational(lo: &Rat, hi: &Rat) -> Rat {
    if !lo.is_positive() && !hi.is_negative() {
        return Rat::zero();
    }
    if hi.is_negative() {
        return -simplest_rational(&-hi, &-lo);
    }
    let f = lo.floor();
    if f == *lo {
        return f;
    }
    let next = &f + Rat::from_integer(BigInt::from(1));
    if next <= *hi {
        return next;
    }
    // lo, hi ∈ (f, f + 1): recurse on the reciprocals of the fractional parts.
    f + simplest_rational(&(hi - lo.floor()).recip(), &(lo - lo.floor()).recip()).recip()
}

/// The box around a rational point `p` cut out of `start`: each bounded
/// side 1/`fraction` of the chart's side, centred at `p`.
fn cut_out_box(p: &[Rat], start: &[Interval], bounded: &[usize], fraction: i64) -> Vec<Interval> {
    let mut e: Vec<Interval> = p.iter().map(|x| Interval { lo: x.clone(), hi: x.clone() }).collect();
    for &v in bounded {
        let half = (&start[v].hi - &start[v].lo) / Rat::from_integer(BigInt::from(2 * fraction));
        e[v] = Interval { lo: &p[v] - &half, hi: &p[v] + &half };
    }
    e
}

/// The chart translated to the rational point `p` of the box, ranging over
/// the cut-out box `e` (relative to `p`). A translation is an exact
/// coordinate change with Jacobian 1, and `h = β = 0` on the bounded
/// variables; a box larger than needed is sound (`region.rs`).
fn translated_to(node: &ChartNode, p: &[Rat], e: &[Interval], bounded: &[usize]) -> ChartNode {
    let mut ch = node.clone();
    ch.gens = node.gens.iter().map(|g| g.translate(p)).collect();
    for &v in bounded {
        ch.region[v] = Range::Bounded(&e[v].lo - &p[v], &e[v].hi - &p[v]);
        if !p[v].is_zero() {
            ch.names[v] = super::chart::fresh_name(&ch.names, v);
        }
    }
    ch.factor_monomial();
    ch
}

fn join(point: &[Rat]) -> String {
    point.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
}

/// The centre of a box and, in low dimension, its corners.
fn sample_points(b: &[Interval]) -> Vec<Vec<Rat>> {
    let two = Rat::from_integer(BigInt::from(2));
    let centre: Vec<Rat> = b.iter().map(|i| (&i.lo + &i.hi) / &two).collect();
    let free: Vec<usize> = (0..b.len()).filter(|&i| b[i].hi > b[i].lo).collect();
    let mut out = vec![centre.clone()];
    if free.len() <= MAX_CORNER_DIM {
        for mask in 0..(1usize << free.len()) {
            let mut p = centre.clone();
            for (bit, &i) in free.iter().enumerate() {
                p[i] = if mask >> bit & 1 == 1 { b[i].hi.clone() } else { b[i].lo.clone() };
            }
            out.push(p);
        }
    }
    out
}

/// The distinct real roots of `p` in `[lo, hi]`, rational ones exactly,
/// irrational ones by isolating intervals inside `(lo, hi)`.
fn roots_on(p: &UPoly, lo: &Rat, hi: &Rat) -> Vec<Root> {
    let rationals = rational_roots(p);
    let sqf = p.square_free_part();
    let two = Rat::from_integer(BigInt::from(2));
    let mut out = Vec::new();
    for mut iv in isolate_real_roots(p) {
        if let Some(r) = rationals.iter().find(|r| **r >= iv.lo && **r <= iv.hi) {
            if r >= lo && r <= hi {
                out.push(Root::Rational(r.clone()));
            }
            continue;
        }
        // The root is irrational, so it differs from the rational ends of
        // the box: bisect until the interval no longer straddles them.
        let straddles = |iv: &RootInterval| (iv.lo < *lo && *lo < iv.hi) || (iv.lo < *hi && *hi < iv.hi);
        while straddles(&iv) {
            let half = (&iv.hi - &iv.lo) / &two;
            iv.refine(&sqf, &half);
        }
        if iv.lo >= *lo && iv.hi <= *hi {
            out.push(Root::Irrational(iv));
        }
    }
    out
}

/// The multiplicity of the one root of the square-free part in the
/// isolating interval `iv` (open, ends not roots) as a root of `f`: the
/// number of `q_0 = f, q_{j+1} = gcd(q_j, q_j')` that vanish in it (Sturm
/// counts); 0 when `f` does not vanish there.
fn multiplicity(f: &UPoly, iv: &RootInterval) -> u32 {
    if f.is_zero() {
        return u32::MAX;
    }
    let mut q = f.clone();
    let mut k = 0;
    let at = |q: &UPoly| {
        if iv.is_exact() { q.eval(&iv.lo).is_zero() } else { count_roots_in(q, &iv.lo, &iv.hi) > 0 }
    };
    while q.degree().is_some_and(|d| d > 0) && at(&q) {
        k += 1;
        q = q.gcd(&q.derivative());
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{rat, ratio};

    #[test]
    fn simplest_rationals() {
        assert_eq!(simplest_rational(&ratio(-1, 3), &ratio(1, 5)), rat(0));
        assert_eq!(simplest_rational(&ratio(1, 3), &ratio(1, 3)), ratio(1, 3));
        assert_eq!(simplest_rational(&ratio(1023, 3072), &ratio(1025, 3072)), ratio(1, 3));
        assert_eq!(simplest_rational(&ratio(-7, 4), &ratio(-5, 4)), ratio(-3, 2));
        assert_eq!(simplest_rational(&ratio(3, 5), &ratio(2, 3)), ratio(2, 3));
    }

    #[test]
    fn roots_on_an_interval_with_multiplicities() {
        // (2x² − 1)²(x − 1/2)(x² − 5): ±1/√2 double, 1/2 rational, ±√5
        // outside [−1, 1].
        let mul = |a: &UPoly, b: &UPoly| {
            let mut c = vec![Rat::zero(); a.coeffs().len() + b.coeffs().len() - 1];
            for (i, p) in a.coeffs().iter().enumerate() {
                for (j, q) in b.coeffs().iter().enumerate() {
                    c[i + j] += p * q;
                }
            }
            UPoly::new(c)
        };
        let q = UPoly::new(vec![rat(-1), rat(0), rat(2)]);
        let p = mul(
            &mul(&q, &q),
            &mul(&UPoly::new(vec![ratio(-1, 2), rat(1)]), &UPoly::new(vec![rat(-5), rat(0), rat(1)])),
        );
        let roots = roots_on(&p, &rat(-1), &rat(1));
        let mut rational = Vec::new();
        let mut irrational = Vec::new();
        for r in roots {
            match r {
                Root::Rational(c) => rational.push(c),
                Root::Irrational(iv) => irrational.push(multiplicity(&p, &iv)),
            }
        }
        assert_eq!(rational, vec![ratio(1, 2)]);
        assert_eq!(irrational, vec![2, 2]);
    }

    #[test]
    fn minors_and_subsets() {
        let n = 3;
        let (x, y) = (Poly::var(n, 0), Poly::var(n, 1));
        // Jacobian of (x² + y² − 1, xy) in (x, y, z): the (x, y) minor is
        // 2x² − 2y²; minors with the z column vanish and are dropped.
        let f = &(&(&x * &x) + &(&y * &y)) - &Poly::one(n);
        let g = &x * &y;
        let minors = jacobian_minors(&[f, g], &[0, 1, 2]);
        let expected = &(&x * &x).scale(&rat(2)) - &(&y * &y).scale(&rat(2));
        assert_eq!(minors, vec![expected]);
        let mut c = vec![0, 1];
        let mut all = vec![c.clone()];
        while next_subset(&mut c, 3) {
            all.push(c.clone());
        }
        assert_eq!(all, vec![vec![0, 1], vec![0, 2], vec![1, 2]]);
    }

    #[test]
    fn repeated_factor_is_suspected_only_for_squares() {
        let n = 2;
        let (x, y) = (Poly::var(n, 0), Poly::var(n, 1));
        let circle = &(&(&x * &x) + &(&y * &y)) - &Poly::one(n);
        let unit_box = vec![Interval { lo: rat(-1), hi: rat(1) }; 2];
        assert!(repeated_factor_suspected(&circle, &[0, 1], &unit_box).is_none());
        let squared = &(&circle * &circle) * &(&x + &Poly::constant(n, rat(2)));
        assert!(repeated_factor_suspected(&squared, &[0, 1], &unit_box).is_some());
        // Two lines crossing at a point: singular, but not a repeated factor.
        let cross = &(&x - &y) * &(&x + &y);
        assert!(repeated_factor_suspected(&cross, &[0, 1], &unit_box).is_none());
    }

    #[test]
    fn powers_are_extracted() {
        let n = 2;
        let (x, y) = (Poly::var(n, 0), Poly::var(n, 1));
        let f = &(&x * &x) - &(&y * &y).scale(&rat(2));
        let (base, e) = perfect_power(&f.pow(4));
        assert_eq!(e, 4);
        assert!(base == Some(f.clone()) || base == Some(-&f));
        assert_eq!(perfect_power(&f), (None, 1));
    }
}
