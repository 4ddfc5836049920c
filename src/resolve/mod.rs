//! Blow-ups, charts, coordinate changes, the resolution tree and its certificate.
//!
//! The engine computes the RLCT pair of `K = Σ f_i²` (an ideal) or of a
//! polynomial `K ≥ 0` at the origin by a search over charts (docs/theory.md §4):
//!
//! 1. factor the monomial common to the generators into `u^β`;
//! 2. stop at a leaf (a) when some generator is a unit on the *whole* region
//!    (proven by exact interval arithmetic): `K ≍ |u^β|^p`, a normal crossing;
//!    or at a smooth point, where the generators are coordinates
//!    (`local.rs`, inverse function theorem);
//! 3. apply the separate-variable rules (docs/theory.md §2): a monomial in
//!    variables absent from `J` is a product, a common factor in variables
//!    of its own is a product (`factor.rs`), generators in disjoint
//!    variable sets are a sum;
//! 4. make coordinates of generators (pivots) and of affine factors
//!    (`affine.rs`) and simplify by triangular coordinate changes
//!    (Jacobian a constant, only for `h = β = 0`);
//!    generators may also change without a change of coordinates: the
//!    echelon basis of their ℚ-span when shorter (`span.rs`), a unit
//!    content divided out (`content.rs`); a monomial ideal is a leaf in
//!    any dimension (`monomial.rs`);
//! 5. shrink a region to the origin when a positive grading proves the
//!    origin most singular, or split it at the exact rational zeros of a
//!    univariate restriction (translating there, `h := 0`); irrational
//!    roots and smooth complete intersections on the box are settled in
//!    `smooth.rs` (implicit function theorem), or the reason they are not
//!    goes into the undecided leaf's rule;
//! 6. otherwise, with at most 4 variables, take the toric charts of a
//!    regular refinement of the Newton fan (`toric.rs`); else blow up a
//!    coordinate centre: a small set of variables meeting every term
//!    (`factor.rs`), or all variables of `J`.
//!
//! An undecided chart contributes proven bounds: below, 1/deg and the
//! monomial-degeneration bound (`initial.rs`, docs/theory.md §5.1); above,
//! its monomial factor and the Newton value at its box's origin.
//!
//! Equivalent charts are memoised (up to a relabelling of variables that
//! keeps `h`, `β` and the region). A node budget bounds the work; an
//! exhausted or undecided branch yields proven bounds only, never a pair
//! called exact. The search tree is the certificate ([`Step`]).

pub mod affine;
pub mod chain;
pub mod chart;
pub mod content;
pub mod factor;
pub mod initial;
pub mod local;
pub mod monomial;
pub mod reduce;
pub mod region;
mod smooth;
pub mod span;
pub mod toric;

use crate::exact::ExactOptions;
use crate::limits::StopReason;
use crate::poly::{Poly, Rat};
use crate::{ExactResult, Problem, Result, Status};
use chart::ChartNode;
use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};
use region::Range;
use std::collections::HashMap;
use std::fmt;

/// Default node budget of the search.
pub const DEFAULT_NODE_BUDGET: usize = 2_000;

/// A pair (λ, m).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pair {
    /// λ.
    pub lambda: Rat,
    /// m.
    pub m: usize,
}

impl Pair {
    /// True when `self` is more singular than `other` (docs/theory.md §1).
    pub fn more_singular_than(&self, other: &Pair) -> bool {
        self.lambda < other.lambda || (self.lambda == other.lambda && self.m > other.m)
    }
}

impl fmt::Display for Pair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.lambda, self.m)
    }
}

/// What a branch of the search proved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The exact pair of the branch's region (`None`: `K` has no zero
    /// there), and the ids of the leaves that attain it.
    Exact {
        /// The pair.
        pair: Option<Pair>,
        /// Leaves attaining it.
        leaves: Vec<usize>,
    },
    /// Only `lower ≤ λ ≤ upper` is proven.
    Bound {
        /// Proven lower bound.
        lower: Rat,
        /// Proven upper bound, when one is known.
        upper: Option<Rat>,
    },
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Exact { pair: Some(p), .. } => write!(f, "exact {p}"),
            Outcome::Exact { pair: None, .. } => write!(f, "exact: K has no zero here"),
            Outcome::Bound { lower, upper: Some(u) } => write!(f, "bound {lower} ≤ λ ≤ {u}"),
            Outcome::Bound { lower, upper: None } => write!(f, "bound λ ≥ {lower}"),
        }
    }
}

impl Outcome {
    fn exact(pair: Option<Pair>, leaf: usize) -> Outcome {
        let leaves = if pair.is_some() { vec![leaf] } else { vec![] };
        Outcome::Exact { pair, leaves }
    }

    fn lower(&self) -> Option<Rat> {
        match self {
            Outcome::Exact { pair, .. } => pair.as_ref().map(|p| p.lambda.clone()),
            Outcome::Bound { lower, .. } => Some(lower.clone()),
        }
    }

    fn upper(&self) -> Option<Rat> {
        match self {
            Outcome::Exact { pair, .. } => pair.as_ref().map(|p| p.lambda.clone()),
            Outcome::Bound { upper, .. } => upper.clone(),
        }
    }
}

fn min_opt(a: Option<Rat>, b: Option<Rat>) -> Option<Rat> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// The pair of a region that is the union of the children's regions, or
/// (`product = true`) of a product `K₁(x)·K₂(y)` in separate variables:
/// the most singular pair; on a tie in λ the union takes the larger m and
/// the product adds them (docs/theory.md §2).
fn combine_min(children: &[Outcome], product: bool) -> Outcome {
    let mut best: Option<Pair> = None;
    let mut leaves = Vec::new();
    let mut bounded_lower: Option<Rat> = None;
    let mut bounded_upper: Option<Rat> = None;
    let mut any_bound = false;
    for o in children {
        match o {
            Outcome::Exact { pair: None, .. } => {}
            Outcome::Exact { pair: Some(p), leaves: l } => match &mut best {
                None => {
                    best = Some(p.clone());
                    leaves = l.clone();
                }
                Some(b) if p.lambda < b.lambda => {
                    *b = p.clone();
                    leaves = l.clone();
                }
                Some(b) if p.lambda == b.lambda => {
                    if product {
                        b.m += p.m;
                        leaves.extend(l.iter().copied());
                    } else if p.m > b.m {
                        b.m = p.m;
                        leaves = l.clone();
                    } else if p.m == b.m {
                        leaves.extend(l.iter().copied());
                    }
                }
                Some(_) => {}
            },
            Outcome::Bound { lower, upper } => {
                any_bound = true;
                bounded_lower = min_opt(bounded_lower, Some(lower.clone()));
                bounded_upper = min_opt(bounded_upper, upper.clone());
            }
        }
    }
    if !any_bound {
        return Outcome::Exact { pair: best, leaves };
    }
    let bl = bounded_lower.expect("a bound has a lower end");
    match best {
        // The exact branch is strictly more singular than anything the
        // undecided branches can reach: it is the answer.
        Some(b) if b.lambda < bl => Outcome::Exact { pair: Some(b), leaves },
        Some(b) => {
            Outcome::Bound { lower: bl.min(b.lambda.clone()), upper: min_opt(bounded_upper, Some(b.lambda)) }
        }
        None => Outcome::Bound { lower: bl, upper: bounded_upper },
    }
}

/// The pair of `K₁(x) + K₂(y) + …` in separate variables: λ adds, m adds
/// minus one per extra summand (docs/theory.md §2); a summand without zero makes
/// the sum zero-free.
fn combine_sum(children: &[Outcome]) -> Outcome {
    if children.iter().any(|o| matches!(o, Outcome::Exact { pair: None, .. })) {
        return Outcome::Exact { pair: None, leaves: vec![] };
    }
    if children.iter().all(|o| matches!(o, Outcome::Exact { .. })) {
        let mut lambda = Rat::zero();
        let mut m = 1;
        let mut leaves = Vec::new();
        for o in children {
            if let Outcome::Exact { pair: Some(p), leaves: l } = o {
                lambda += &p.lambda;
                m += p.m - 1;
                leaves.extend(l.iter().copied());
            }
        }
        return Outcome::Exact { pair: Some(Pair { lambda, m }), leaves };
    }
    let lower = children.iter().map(|o| o.lower().unwrap_or_else(Rat::zero)).fold(Rat::zero(), |a, b| a + b);
    let upper = children.iter().map(|o| o.upper()).try_fold(Rat::zero(), |a, b| b.map(|b| a + b));
    Outcome::Bound { lower, upper }
}

/// The normal-crossing pair of `|u^β|^p` with prior `|u^h|`:
/// λ = min_j (h_j + 1)/(p β_j), m = the number of minimisers (docs/theory.md §2).
pub fn normal_crossing(beta: &[u32], h: &[u32], p: u32) -> Option<Pair> {
    let mut best: Option<Pair> = None;
    for (&b, &hj) in beta.iter().zip(h) {
        if b == 0 {
            continue;
        }
        let l = Rat::new(BigInt::from(hj + 1), BigInt::from(p * b));
        match &mut best {
            Some(q) if l == q.lambda => q.m += 1,
            Some(q) if l > q.lambda => {}
            _ => best = Some(Pair { lambda: l, m: 1 }),
        }
    }
    best
}

/// One node of the resolution tree, the certificate.
#[derive(Clone, Debug)]
pub struct Step {
    /// Preorder id (leaves are cited by it).
    pub id: usize,
    /// How this chart arose from its parent.
    pub action: String,
    /// The chart: `K ≍ |u^β|^p · J`, prior and region.
    pub chart: String,
    /// What was concluded at this node (leaf rule or combination rule).
    pub rule: String,
    /// The node's outcome.
    pub outcome: String,
    /// Sub-charts.
    pub children: Vec<Step>,
}

impl Step {
    /// Indented text lines, two spaces per level.
    pub fn lines(&self, depth: usize, out: &mut Vec<String>) {
        let pad = "  ".repeat(depth);
        out.push(format!("{pad}#{} {}", self.id, self.action));
        out.push(format!("{pad}   chart: {}", self.chart));
        out.push(format!("{pad}   {} ⇒ {}", self.rule, self.outcome));
        for c in &self.children {
            c.lines(depth + 1, out);
        }
    }

    /// The tree as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "action": self.action,
            "chart": self.chart,
            "rule": self.rule,
            "outcome": self.outcome,
            "children": self.children.iter().map(Step::to_json).collect::<Vec<_>>(),
        })
    }
}

/// Options of the blow-up search.
#[derive(Clone, Debug)]
pub struct ResolveOptions {
    /// Maximum number of charts explored (memo hits excluded).
    pub max_nodes: usize,
    /// Maximum nesting of charts.
    pub max_depth: usize,
    /// Try toric charts of the Newton fan (see [`toric`]) before a
    /// coordinate blow-up at an all-local node of dimension ≤ 4.
    pub toric: bool,
    /// Wall-clock deadline: charts not yet explored when it passes end in
    /// proven bounds (stop reason `time-limit`).
    pub deadline: crate::limits::Deadline,
}

/// Whether the search uses toric charts unless told otherwise. Measured
/// (tests/resolve_toric.rs): both strategies give the same pair on every
/// case of the test suite with ≤ 4 variables (reduced-rank regression and
/// deep linear networks included, same chart counts within a few), and
/// toric charts resolve (x²y² − z⁵)², (z² − x³y⁵)² and <y² − x³, z² − y³>
/// in 21–41 charts where coordinate blow-ups end in bounds after 330–2,000.
pub const DEFAULT_TORIC: bool = true;

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            max_nodes: DEFAULT_NODE_BUDGET,
            max_depth: 80,
            toric: DEFAULT_TORIC,
            deadline: crate::limits::Deadline::NONE,
        }
    }
}

/// The result of a search.
#[derive(Clone, Debug)]
pub struct Resolution {
    /// What the search proved.
    pub outcome: Outcome,
    /// The resolution tree.
    pub tree: Step,
    /// Charts explored.
    pub nodes: usize,
    /// Memo hits.
    pub memo_hits: usize,
    /// The first limit that cut a branch short, if any.
    pub stopped: Option<StopReason>,
}

/// Most terms, summed over the generators, of a chart the search works on;
/// larger charts end in proven bounds (stop reason `size`). Moves that
/// multiply polynomials refuse beforehand when their product could exceed
/// [`MAX_PRODUCT_TERMS`].
pub const MAX_CHART_TERMS: usize = 400_000;

/// Most terms a move may create in one product (an a-priori bound: the
/// product of the factors' term counts).
pub const MAX_PRODUCT_TERMS: usize = 200_000;

/// Largest chart dimension on which the Newton leaf rule (c) is tried.
const NEWTON_LEAF_MAX_DIM: usize = 4;

/// Boxes tried by interval bisection to prove a unit.
const UNIT_BOX_BUDGET: usize = 256;

struct Search {
    opts: ResolveOptions,
    nodes: usize,
    ids: usize,
    memo_hits: usize,
    memo: HashMap<ChartNode, (Outcome, usize)>,
    stopped: Option<StopReason>,
    /// Branches cut by a limit so far: a subtree that saw one is not
    /// memoised (its bound is proven but not final).
    limit_hits: usize,
}

impl Search {
    fn limit(&mut self, why: StopReason) {
        self.stopped.get_or_insert(why);
        self.limit_hits += 1;
    }
}

/// Resolves `K = Σ g_i²` (`ideal`) or `K = g_0` at the origin with prior
/// exponents `h`.
pub fn resolve(gens: &[Poly], ideal: bool, h: &[u32], names: &[String], opts: &ResolveOptions) -> Resolution {
    let d = h.len();
    let root = ChartNode {
        names: names.to_vec(),
        gens: gens.to_vec(),
        ideal,
        beta: vec![0; d],
        h: h.to_vec(),
        region: vec![Range::Local; d],
    };
    let mut s = Search {
        opts: opts.clone(),
        nodes: 0,
        ids: 0,
        memo_hits: 0,
        memo: HashMap::new(),
        stopped: None,
        limit_hits: 0,
    };
    let (outcome, tree) = s.explore(root, "the neighbourhood of the point".into(), 0);
    Resolution { outcome, tree, nodes: s.nodes, memo_hits: s.memo_hits, stopped: s.stopped }
}

/// The chart of the whole problem at the point (no prior: initial.rs
/// bounds hold for any prior).
fn root_node(gens: &[Poly], ideal: bool, names: &[String]) -> ChartNode {
    let d = names.len();
    ChartNode {
        names: names.to_vec(),
        gens: gens.to_vec(),
        ideal,
        beta: vec![0; d],
        h: vec![0; d],
        region: vec![Range::Local; d],
    }
}

/// Relabels variables in a canonical-ish order (sorted by an invariant
/// signature) and drops names: equal keys are equivalent subproblems, so a
/// hit is always sound; distinct keys for equivalent problems only cost time.
fn memo_key(node: &ChartNode) -> ChartNode {
    let d = node.dim();
    let sig = |i: usize| {
        let mut prof: Vec<(u32, usize)> = node
            .gens
            .iter()
            .map(|g| (g.degree_in(i), g.terms().iter().filter(|t| t.exp[i] > 0).count()))
            .collect();
        prof.sort();
        (node.h[i], node.beta[i], format!("{:?}", node.region[i]), prof)
    };
    let mut order: Vec<usize> = (0..d).collect();
    let sigs: Vec<_> = (0..d).map(sig).collect();
    order.sort_by(|&a, &b| sigs[a].cmp(&sigs[b]).then(a.cmp(&b)));
    let mut k = node.restrict(&order);
    k.names = vec![];
    k.gens.sort_by_key(|a| format!("{:?}", a.terms()));
    k
}

fn describe(node: &ChartNode) -> String {
    let names = &node.names;
    let mono: Vec<String> = (0..node.dim())
        .filter(|&i| node.beta[i] > 0)
        .map(|i| if node.beta[i] == 1 { names[i].clone() } else { format!("{}^{}", names[i], node.beta[i]) })
        .collect();
    let gens: Vec<String> = node.gens.iter().map(|g| g.display(names).to_string()).collect();
    let k = if node.ideal {
        format!(
            "K ≍ |{}|^2 · ‖<{}>‖²",
            if mono.is_empty() { "1".into() } else { mono.join("*") },
            gens.join(", ")
        )
    } else {
        format!("K = {} · ({})", if mono.is_empty() { "1".into() } else { mono.join("*") }, gens.join(", "))
    };
    let prior: Vec<String> =
        (0..node.dim()).filter(|&i| node.h[i] > 0).map(|i| format!("{}^{}", names[i], node.h[i])).collect();
    let boxes: Vec<String> = (0..node.dim())
        .filter_map(|i| match &node.region[i] {
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

/// A proven lower bound at every point of the node's region:
/// λ ≥ lct_ℂ ≥ 1/mult ≥ 1/deg K (the real threshold is at least the
/// complex one, and the prior only raises λ).
fn degree_lower_bound(node: &ChartNode) -> Rat {
    let gd = node.gens.iter().map(|g| g.degree()).max().unwrap_or(0);
    let deg = node.power() * (node.beta.iter().sum::<u32>() + gd);
    Rat::new(BigInt::one(), BigInt::from(deg.max(1)))
}

/// `lower`, or the initial-degeneration bound of an all-local chart when
/// larger (initial.rs), with its reason appended to `rule`.
fn raised_by_initial(node: &ChartNode, lower: Rat, rule: &mut String) -> Rat {
    match initial::lower_bound(node) {
        Some((b, why)) if b > lower => {
            rule.push_str(&format!("; {why}"));
            b
        }
        _ => lower,
    }
}

/// `K ≤ C·|u^β|^p` gives λ ≤ λ(|u^β|^p).
fn monomial_upper_bound(node: &ChartNode) -> Option<Rat> {
    normal_crossing(&node.beta, &node.h, node.power()).map(|p| p.lambda)
}

impl Search {
    fn explore(&mut self, mut node: ChartNode, action: String, depth: usize) -> (Outcome, Step) {
        let id = self.ids;
        self.ids += 1;
        node.factor_monomial();
        node.drop_redundant_generators();
        let used = node.used_in_gens();
        let keep: Vec<usize> = (0..node.dim()).filter(|&i| used[i] || node.beta[i] > 0).collect();
        if keep.len() < node.dim() {
            node = node.restrict(&keep);
        }
        let mut step = Step {
            id,
            action,
            chart: describe(&node),
            rule: String::new(),
            outcome: String::new(),
            children: vec![],
        };
        let key = memo_key(&node);
        if let Some((o, mid)) = self.memo.get(&key) {
            self.memo_hits += 1;
            step.rule = format!("equivalent to chart #{mid} up to relabelling");
            step.outcome = o.to_string();
            return (o.clone(), step);
        }
        self.nodes += 1;
        let cut = if self.nodes > self.opts.max_nodes {
            Some(StopReason::Charts)
        } else if depth > self.opts.max_depth {
            Some(StopReason::Depth)
        } else if self.opts.deadline.expired() {
            Some(StopReason::TimeLimit)
        } else if node.gens.iter().map(|g| g.len()).sum::<usize>() > MAX_CHART_TERMS {
            Some(StopReason::Size)
        } else {
            None
        };
        let hits_before = self.limit_hits;
        let outcome = if let Some(why) = cut {
            self.limit(why);
            step.rule = format!("stopped ({why} limit): proven bounds only");
            Outcome::Bound { lower: degree_lower_bound(&node), upper: monomial_upper_bound(&node) }
        } else {
            self.process(node, id, &mut step, depth)
        };
        step.outcome = outcome.to_string();
        if self.limit_hits == hits_before {
            self.memo.insert(key, (outcome.clone(), id));
        }
        (outcome, step)
    }

    fn child(&mut self, step: &mut Step, node: ChartNode, action: String, depth: usize) -> Outcome {
        let (o, s) = self.explore(node, action, depth + 1);
        step.children.push(s);
        o
    }

    fn process(&mut self, node: ChartNode, id: usize, step: &mut Step, depth: usize) -> Outcome {
        let p = node.power();
        if node.gens.is_empty() {
            step.rule = "K vanishes identically on this chart".into();
            return Outcome::Bound { lower: Rat::zero(), upper: None };
        }
        // Leaf (a): a generator is a unit on the whole region.
        if let Some(g) = node.gens.iter().find(|g| region::nonvanishing_on(g, &node.region, UNIT_BOX_BUDGET))
        {
            step.rule = format!(
                "leaf (a): {} has no zero on the region, so K ≍ |u^β|^{p}: normal crossing",
                g.display(&node.names)
            );
            return Outcome::exact(normal_crossing(&node.beta, &node.h, p), id);
        }
        // Leaf: a smooth point of the zero set (inverse function theorem).
        if let Some((pair, rule)) = local::smooth_point_leaf(&node) {
            step.rule = rule;
            return Outcome::exact(Some(pair), id);
        }
        // Product rule: a monomial in variables absent from J.
        let used = node.used_in_gens();
        let outside: Vec<usize> = (0..node.dim()).filter(|&i| !used[i]).collect();
        if !outside.is_empty() {
            let inside: Vec<usize> = (0..node.dim()).filter(|&i| used[i]).collect();
            let mono = node.restrict(&outside);
            let nc = normal_crossing(&mono.beta, &mono.h, p);
            let names: Vec<&str> = outside.iter().map(|&i| node.names[i].as_str()).collect();
            let mono_leaf = self.ids;
            self.ids += 1;
            step.children.push(Step {
                id: mono_leaf,
                action: format!("factor in {} alone", names.join(", ")),
                chart: describe(&mono),
                rule: "leaf: monomial, normal crossing".into(),
                outcome: Outcome::exact(nc.clone(), mono_leaf).to_string(),
                children: vec![],
            });
            let rest = self.child(step, node.restrict(&inside), "the other factor".into(), depth);
            step.rule = "product of separate variables: λ = min, m adds on ties".into();
            return combine_min(&[Outcome::exact(nc, mono_leaf), rest], true);
        }
        // factor.rs hook (1/2): a non-monomial common factor in separate
        // variables, the product rule.
        if let Some(o) = self.split_separable(&node, step, depth) {
            return o;
        }
        // span.rs / content.rs: changes of generators (same ideal up to units).
        if let Some((changed, desc)) = span::apply(&node).or_else(|| content::apply(&node)) {
            step.rule = "change of generators".into();
            return self.child(step, changed, desc, depth);
        }
        // Exact coordinate changes.
        let mut changed = node.clone();
        if let Some(desc) = changed
            .pivot()
            .or_else(|| changed.triangular_change())
            .or_else(|| changed.unit_pivot())
            .or_else(|| changed.affine_factor_change())
            .or_else(|| changed.interreduce_generators())
            .or_else(|| changed.reducing_shift())
            .or_else(|| changed.block_coefficient_change())
        {
            step.rule = "coordinate change".into();
            return self.child(step, changed, desc, depth);
        }
        // Sum rule: generators (or terms of K) in disjoint variable sets.
        if node.beta.iter().all(|&b| b == 0) {
            if let Some(parts) = components(&node) {
                step.rule =
                    format!("sum of {} parts in separate variables: λ adds, m = Σm − (k−1)", parts.len());
                let outs: Vec<Outcome> = parts
                    .into_iter()
                    .enumerate()
                    .map(|(k, part)| self.child(step, part, format!("summand {}", k + 1), depth))
                    .collect();
                return combine_sum(&outs);
            }
        }
        // factor.rs hook (2/2): a generator divisible by v − r, v bounded.
        if let Some(o) = self.split_hyperplane(&node, step, depth) {
            return o;
        }
        if node.region.iter().any(|r| !r.is_local()) {
            return self.shrink_region(node, id, step, depth);
        }
        // Leaf (c): all variables local, so the region is a neighbourhood
        // of the origin and a certified non-degenerate Newton polyhedron of
        // |u^β|^p·J gives the pair (Varchenko 1976 / Lin 2011). Tried on
        // small charts only: the face enumeration costs more than a
        // blow-up on the large bilinear charts of reduced-rank regression.
        // monomial.rs: a monomial ideal is a Newton leaf in any dimension.
        if let Some((pair, rule)) = monomial::apply(&node) {
            step.rule = rule;
            return Outcome::exact(Some(pair), id);
        }
        if node.dim() <= NEWTON_LEAF_MAX_DIM {
            let full: Vec<Poly> = node.gens.iter().map(|g| g.mul_monomial(&node.beta)).collect();
            let nopts =
                crate::newton::NewtonOptions { lp_budget: 2_000, facet_budget: 5_000, ..Default::default() };
            let a = crate::newton::analyze_with(&full, node.ideal, &node.h, &nopts);
            if matches!(a.nondegeneracy, crate::newton::Nondegeneracy::Certified) {
                step.rule = format!(
                    "leaf (c): Newton polyhedron certified non-degenerate, t* = {} (Varchenko/Lin)",
                    a.pair.t_star
                );
                let pair = Pair { lambda: a.pair.lambda.clone(), m: a.pair.multiplicity };
                return Outcome::exact(Some(pair), id);
            }
        }
        // --- toric hook (issue #5 item 1; logic in toric.rs) ---
        if self.opts.toric
            && let Some(o) = self.toric_modification(&node, step, depth)
        {
            return o;
        }
        // Everything local and J(0) = 0: blow up the variables of J.
        // factor.rs hook: a small centre meeting every term, else all variables.
        let centre: Vec<usize> =
            factor::small_centre(&node.gens).unwrap_or_else(|| (0..node.dim()).collect());
        if centre.len() < 2 {
            step.rule = "undecided: no centre to blow up".into();
            let lower = raised_by_initial(&node, degree_lower_bound(&node), &mut step.rule);
            return Outcome::Bound { lower, upper: monomial_upper_bound(&node) };
        }
        let names: Vec<&str> = centre.iter().map(|&i| node.names[i].as_str()).collect();
        step.rule = format!("blow up the centre {{{} = 0}}: union of its charts", names.join(" = "));
        let outs: Vec<Outcome> = centre
            .iter()
            .map(|&j| {
                let ch = node.blow_up_chart(&centre, j);
                let others = |names: &[String]| {
                    centre
                        .iter()
                        .filter(|&&i| i != j)
                        .map(|&i| names[i].as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let desc = format!(
                    "chart {}: {} = {}·{}",
                    node.names[j],
                    others(&node.names),
                    node.names[j],
                    others(&ch.names),
                );
                self.child(step, ch, desc, depth)
            })
            .collect();
        combine_min(&outs, false)
    }

    /// The part of a region where `J` is a unit: the normal crossing of the
    /// monomial factor. Its pair is attained where the divisors meet, or
    /// dominated by a child there (K ≤ C·|u^β|^p), so adding it is sound.
    fn background(&mut self, node: &ChartNode, step: &mut Step, action: String) -> Outcome {
        let bg_id = self.ids;
        self.ids += 1;
        let bg = Outcome::exact(normal_crossing(&node.beta, &node.h, node.power()), bg_id);
        step.children.push(Step {
            id: bg_id,
            action,
            chart: describe(node),
            rule: "leaf (a) there: normal crossing of the monomial factor".into(),
            outcome: bg.to_string(),
            children: vec![],
        });
        bg
    }

    /// Reduces a region with bounded variables: to the origin by a positive
    /// grading, or by splitting at the rational zeros of a univariate
    /// restriction of a generator.
    fn shrink_region(&mut self, node: ChartNode, id: usize, step: &mut Step, depth: usize) -> Outcome {
        if let Some(q) = region::positive_grading(&node.gens, &node.region) {
            let mut origin = node.clone();
            origin.region = vec![Range::Local; node.dim()];
            let w: Vec<String> = (0..node.dim()).map(|i| format!("{}:{}", node.names[i], q[i])).collect();
            step.rule = format!(
                "J is quasi-homogeneous for weights ({}) positive on the box: no point of the box is more singular than the origin",
                w.join(", ")
            );
            return self.child(step, origin, "shrink the box to the origin".into(), depth);
        }
        let restricted = node.centre_restrictions();
        for g0 in &restricted {
            let vars: Vec<usize> =
                g0.used_vars().iter().enumerate().filter(|(_, u)| **u).map(|(i, _)| i).collect();
            if vars.len() != 1 {
                continue;
            }
            let v = vars[0];
            let Range::Bounded(lo, hi) = node.region[v].clone() else { continue };
            let coeffs = region::univariate_coeffs(g0, v);
            let Some(inside) = region::rational_zeros_on(&coeffs, &lo, &hi) else { continue };
            step.rule = format!(
                "{} vanishes on the box only at {} = {}; elsewhere that generator is a unit (normal crossing)",
                g0.display(&node.names),
                node.names[v],
                inside.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ")
            );
            let bg =
                self.background(&node, step, format!("the box away from those values of {}", node.names[v]));
            let mut outs = vec![bg];
            for r in inside {
                let ch = node.translate(v, &r);
                outs.push(self.child(step, ch, format!("translate to {} = {}", node.names[v], r), depth));
            }
            return combine_min(&outs, false);
        }
        // Zeros only at the origin of the box: a generator (its restriction
        // to the centre set) is a sum of positive even monomials that
        // contains a pure even power of every bounded variable.
        if isolated_at_origin(&node) {
            step.rule = "J vanishes on the box only at its origin (positive even terms, pure powers); elsewhere a unit".into();
            let bg = self.background(&node, step, "the box away from its origin".into());
            let mut origin = node.clone();
            origin.region = vec![Range::Local; node.dim()];
            let o = self.child(step, origin, "the origin of the box".into(), depth);
            return combine_min(&[bg, o], false);
        }
        // A bounded variable carrying a divisor (β_v or h_v > 0): points
        // with v = 0 are covered by the child where v is local; at points
        // with v ≠ 0, u_v^{β_v} and |u_v|^{h_v} are units, so the child
        // with β_v = h_v = 0 on the whole box has the right pair there and
        // a less singular one at v = 0 (dividing K by a bounded monomial
        // and dropping a prior factor only raise λ).
        if let Some(v) =
            (0..node.dim()).find(|&i| !node.region[i].is_local() && (node.beta[i] > 0 || node.h[i] > 0))
        {
            step.rule = format!("split at the divisor {} = 0", node.names[v]);
            let mut on = node.clone();
            on.region[v] = Range::Local;
            let mut off = node.clone();
            off.beta[v] = 0;
            off.h[v] = 0;
            let a = self.child(step, on, format!("points with {} = 0", node.names[v]), depth);
            let b = self.child(
                step,
                off,
                format!("points with {} ≠ 0 (its divisor is a unit there)", node.names[v]),
                depth,
            );
            return combine_min(&[a, b], false);
        }
        // Issue #5 item 2 (resolve/smooth.rs): irrational roots of univariate
        // restrictions and smooth complete intersections; otherwise the
        // reason the zero set stays undecided.
        match self.real_zeros_beyond_rational(&node, step, depth) {
            Ok(o) => return o,
            Err(why) => step.rule = format!("undecided: {why}"),
        }
        let _ = id;
        let mut lower = raised_by_initial(&node, degree_lower_bound(&node), &mut step.rule);
        // monomial.rs: the Newton value at the box's origin bounds λ above.
        let upper = min_opt(monomial_upper_bound(&node), monomial::newton_upper_bound(&node));
        // --- toric hook (toric.rs): a zero set without singular points ---
        if let Some(b) = toric::smooth_zero_lower_bound(&node)
            && b > lower
        {
            lower = b;
            step.rule.push_str("; a generator has no singular zero on the box: λ ≥ 1/2 there");
        }
        Outcome::Bound { lower, upper }
    }
}

/// True when some generator, restricted to the centre set, is a sum of
/// monomials with even exponents and positive coefficients containing a
/// pure even power of every bounded variable: then it vanishes on the box
/// only where every bounded variable is 0.
fn isolated_at_origin(node: &ChartNode) -> bool {
    let bounded: Vec<usize> = (0..node.dim()).filter(|&i| !node.region[i].is_local()).collect();
    node.centre_restrictions().iter().any(|g0| {
        !g0.is_zero()
            && g0.all_coefficients_positive()
            && g0.terms().iter().all(|t| t.exp.iter().all(|e| e % 2 == 0))
            && bounded.iter().all(|&v| {
                g0.terms()
                    .iter()
                    .any(|t| t.exp[v] > 0 && t.exp.iter().enumerate().all(|(i, &e)| i == v || e == 0))
            })
    })
}

/// Splits generators (ideal) or terms (polynomial, all variables local,
/// `K(0) = 0`, so each part is `K` restricted to its variables and ≥ 0)
/// into connected components of the variable-sharing graph. `None` when
/// there is only one component.
fn components(node: &ChartNode) -> Option<Vec<ChartNode>> {
    let d = node.dim();
    let items: Vec<Poly> = if node.ideal {
        node.gens.clone()
    } else {
        if node.region.iter().any(|r| !r.is_local())
            || node.gens.len() != 1
            || !node.gens[0].constant_term().is_zero()
        {
            return None;
        }
        node.gens[0].terms().iter().map(|t| Poly::monomial(d, t.exp.clone(), t.coef.clone())).collect()
    };
    // Union-find over variables.
    let mut parent: Vec<usize> = (0..d).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        p[i] = r;
        r
    }
    let var_sets: Vec<Vec<usize>> = items
        .iter()
        .map(|g| g.used_vars().iter().enumerate().filter(|(_, u)| **u).map(|(i, _)| i).collect())
        .collect();
    for vs in &var_sets {
        for w in vs.windows(2) {
            let (a, b) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
            parent[a] = b;
        }
    }
    let mut groups: Vec<(usize, Vec<Poly>)> = Vec::new();
    for (g, vs) in items.iter().zip(&var_sets) {
        let r = find(&mut parent, *vs.first()?);
        match groups.iter_mut().find(|(k, _)| *k == r) {
            Some((_, list)) => list.push(g.clone()),
            None => groups.push((r, vec![g.clone()])),
        }
    }
    if groups.len() < 2 {
        return None;
    }
    let parts = groups
        .into_iter()
        .map(|(r, list)| {
            let keep: Vec<usize> = (0..d).filter(|&i| find(&mut parent, i) == r).collect();
            let gens = if node.ideal { list } else { vec![list.iter().fold(Poly::zero(d), |a, b| &a + b)] };
            ChartNode { gens, ..node.clone() }.restrict(&keep)
        })
        .collect();
    Some(parts)
}

/// Generators of the ideal of a product of matrices of fresh variables,
/// `W_L ⋯ W_1` with `W_s` of size `widths[s] × widths[s−1]` (`widths[0]`
/// the input width): the loss `‖W_L ⋯ W_1‖²` of a deep linear network (two
/// layers: reduced-rank regression) at the zero map. Variables are named
/// `W1[i,j]`, layer by layer, row-major; returns `(names, generators)`.
pub fn matrix_product_ideal(widths: &[usize]) -> (Vec<String>, Vec<Poly>) {
    let n: usize = widths.windows(2).map(|w| w[0] * w[1]).sum();
    let mut names = Vec::with_capacity(n);
    let mut prod: Option<Vec<Vec<Poly>>> = None;
    for (s, w) in widths.windows(2).enumerate() {
        let (inp, out) = (w[0], w[1]);
        let layer: Vec<Vec<Poly>> = (0..out)
            .map(|i| {
                (0..inp)
                    .map(|j| {
                        names.push(format!("W{}[{},{}]", s + 1, i + 1, j + 1));
                        Poly::var(n, names.len() - 1)
                    })
                    .collect()
            })
            .collect();
        prod = Some(match prod {
            None => layer,
            Some(p) => (0..out)
                .map(|i| {
                    (0..widths[0])
                        .map(|j| (0..inp).fold(Poly::zero(n), |acc, k| &acc + &(&layer[i][k] * &p[k][j])))
                        .collect()
                })
                .collect(),
        });
    }
    (names, prod.map(|p| p.into_iter().flatten().collect()).unwrap_or_default())
}

/// The polynomial square root of `p` when `p = s²` exactly (leading-term
/// recursion in the lexicographic order), normalised with a positive
/// leading coefficient. Lets a loss given as `K = f²` be treated as the
/// ideal `<f>`, which admits pivots.
pub fn poly_sqrt(p: &Poly) -> Option<Poly> {
    if p.is_zero() {
        return None;
    }
    let n = p.nvars();
    let lead = p.terms().last()?;
    if lead.exp.iter().any(|e| e % 2 == 1) || !lead.coef.is_positive() {
        return None;
    }
    let c = rat_sqrt(&lead.coef)?;
    let half: Vec<u32> = lead.exp.iter().map(|e| e / 2).collect();
    let mut s = Poly::monomial(n, half.clone(), c.clone());
    let two_lead = Poly::monomial(n, half, &c * Rat::from_integer(BigInt::from(2)));
    // Each new term t of s solves 2·LT(s)·t = LT(p − s²), and must be
    // smaller than LT(s); lexicographic order on ℕ^n is a well-order.
    let lt = two_lead.terms()[0].clone();
    for _ in 0..2 * p.len() + 200 {
        let r = p - &(&s * &s);
        let Some(rt) = r.terms().last() else { return Some(s) };
        if rt.exp.iter().zip(&lt.exp).any(|(a, b)| a < b) {
            return None;
        }
        let e: Vec<u32> = rt.exp.iter().zip(&lt.exp).map(|(a, b)| a - b).collect();
        if e.as_slice() >= s.terms().first()?.exp.as_slice() {
            return None;
        }
        s = &s + &Poly::monomial(n, e, &rt.coef / &lt.coef);
    }
    None
}

fn rat_sqrt(c: &Rat) -> Option<Rat> {
    let n = c.numer().sqrt();
    let d = c.denom().sqrt();
    (&n * &n == *c.numer() && &d * &d == *c.denom()).then(|| Rat::new(n, d))
}

/// The blow-up engine on a [`Problem`]: resolves at the problem's point
/// and reports `exact` only when every branch is certified.
pub fn solve(problem: &Problem, opts: &ExactOptions) -> Result<ExactResult> {
    let (gens, ideal) = problem.local_generators();
    let (gens, ideal, how) = match (ideal, poly_sqrt(&gens[0])) {
        (false, Some(s)) => (vec![s], true, "K is the square of a polynomial: the ideal <√K>"),
        _ => (gens, ideal, if ideal { "the ideal of the generators" } else { "the polynomial K" }),
    };
    let ropts = ResolveOptions {
        max_nodes: opts.budget.unwrap_or(DEFAULT_NODE_BUDGET),
        toric: opts.toric.unwrap_or(DEFAULT_TORIC),
        deadline: opts.deadline,
        ..Default::default()
    };
    let res = resolve(&gens, ideal, &problem.prior, &problem.variables, &ropts);
    let mut trace = vec![format!("resolution of {how} at the point")];
    res.tree.lines(0, &mut trace);
    trace.push(format!("{} charts explored, {} memo hits", res.nodes, res.memo_hits));
    if let Some(why) = res.stopped {
        trace.push(format!(
            "stopped: {} cut branches short; their proven bounds enter the result",
            why.phrase()
        ));
    }
    let k0 = problem.local_k();
    let d = problem.dim() as u32;
    let hsum: u32 = problem.prior.iter().sum();
    // Global bounds: λ ≥ 1/ord₀ K (lct_ℂ ≥ 1/mult, real ≥ complex) and
    // λ ≤ (d + |h|)/2 (K = O(|w|²) at a zero of K ≥ 0).
    let ord_lower = k0.order().filter(|&o| o > 0).map(|o| Rat::new(BigInt::one(), BigInt::from(o)));
    let regular_upper = Rat::new(BigInt::from(d + hsum), BigInt::from(2));
    let (lambda, m, status, lower, upper, attained) = match &res.outcome {
        Outcome::Exact { pair: Some(p), leaves } => {
            (p.lambda.clone(), p.m, Status::Exact, p.lambda.clone(), p.lambda.clone(), leaves.clone())
        }
        Outcome::Exact { pair: None, .. } => {
            return Err(crate::Error::Unsupported("K does not vanish at the point: there is no pole".into()));
        }
        Outcome::Bound { lower, upper } => {
            let mut lo = match ord_lower {
                Some(o) => o.max(lower.clone()),
                None => lower.clone(),
            };
            // initial.rs: the Howald bound of a monomial initial degeneration
            // (bounded work; skipped once the deadline has passed).
            if !opts.deadline.expired()
                && let Some((b, why)) = initial::lower_bound(&root_node(&gens, ideal, &problem.variables))
                && b > lo
            {
                lo = b;
                trace.push(why);
            }
            let up = min_opt(upper.clone(), Some(regular_upper)).expect("upper bound");
            (up.clone(), 1, Status::Bound, lo, up, vec![])
        }
    };
    let certificate = serde_json::json!({
        "engine": "blowup",
        "input": how,
        "charts_explored": res.nodes,
        "memo_hits": res.memo_hits,
        "stopped": res.stopped,
        "attained_by_leaves": attained,
        "tree": res.tree.to_json(),
    });
    Ok(ExactResult {
        lambda,
        multiplicity: m,
        status,
        lower,
        upper,
        method: "blowup".into(),
        variables: problem.variables.clone(),
        certificate,
        trace,
        stopped: if status == Status::Bound { res.stopped } else { None },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{rat, ratio};

    #[test]
    fn sqrt_of_squares_and_non_squares() {
        let x = Poly::var(2, 0);
        let y = Poly::var(2, 1);
        let f = &(&y * &y) - &(&x * &(&x * &x));
        let s = poly_sqrt(&(&f * &f)).unwrap();
        assert!(s == f || s == -&f);
        let g = &(&x * &x) + &(&y * &(&y * &(&y * &y)));
        assert!(poly_sqrt(&g).is_none());
    }

    #[test]
    fn normal_crossing_rule() {
        assert_eq!(normal_crossing(&[1, 1], &[0, 0], 2), Some(Pair { lambda: ratio(1, 2), m: 2 }));
        assert_eq!(normal_crossing(&[1, 2], &[0, 0], 2), Some(Pair { lambda: ratio(1, 4), m: 1 }));
        assert_eq!(normal_crossing(&[2, 0], &[1, 0], 1), Some(Pair { lambda: rat(1), m: 1 }));
        assert_eq!(normal_crossing(&[0], &[3], 2), None);
    }

    #[test]
    fn combination_keeps_bounds_honest() {
        let e = |l: Rat, m| Outcome::Exact { pair: Some(Pair { lambda: l, m }), leaves: vec![0] };
        let b = Outcome::Bound { lower: ratio(1, 2), upper: Some(rat(1)) };
        // Exact 1/3 beats anything ≥ 1/2.
        assert!(matches!(combine_min(&[e(ratio(1, 3), 1), b.clone()], false), Outcome::Exact { .. }));
        // Exact 1/2 ties the lower end of the bound: m unknown, so a bound.
        assert_eq!(
            combine_min(&[e(ratio(1, 2), 1), b.clone()], false),
            Outcome::Bound { lower: ratio(1, 2), upper: Some(ratio(1, 2)) }
        );
        assert_eq!(
            combine_sum(&[e(ratio(1, 2), 2), e(ratio(1, 2), 1)]),
            e(rat(1), 2).clone().with_leaves(vec![0, 0])
        );
    }

    impl Outcome {
        fn with_leaves(self, l: Vec<usize>) -> Outcome {
            match self {
                Outcome::Exact { pair, .. } => Outcome::Exact { pair, leaves: l },
                o => o,
            }
        }
    }
}
