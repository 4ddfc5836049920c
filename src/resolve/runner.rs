//! The runner: explores charts by applying moves under one set of
//! [`Limits`], and records the certificate tree ([`Step`]).
//!
//! At each chart the runner normalises (factors the common monomial
//! `u^β`, drops redundant generators and unused variables), looks the
//! chart up in the memo, and then asks the moves of [`super::moves::ALL`]
//! in order. The first move that applies gives an [`Expansion`], whose
//! parts the runner explores recursively and combines. When that attempt
//! ends in a bound and the limits allow, the runner tries the *next*
//! applicable move on the same chart, with at most a quarter of the charts
//! left (a second proof is a bet that must not starve the rest of the tree) (another coordinate change, toric
//! charts instead of a coordinate blow-up, a larger centre): two proofs
//! about the same chart, so an exact one wins and two bounds intersect
//! ([`Outcome::intersect`]). When no move applies, the chart is an
//! undecided leaf with the best proven bounds the runner knows
//! (`λ ≥ 1/deg`, `λ ≥ 1/2` at smooth zeros, `λ ≤` the monomial factor's
//! threshold), and the reasons the moves gave for not applying.
//!
//! Termination: every chart counts against `Limits::charts`, every level
//! against `Limits::depth`; the deadline and the size of a chart's
//! generators are checked before a chart is expanded. A chart cut by a
//! limit ends in proven bounds with its [`StopReason`]; a subtree that saw
//! a limit is not memoised (its bound is proven but not final).

use super::chart::ChartNode;
use super::expansion::{Expansion, LeafValue, Link, Outcome, Part};
use super::moves::{self, Applied, Context};
use crate::limits::{Deadline, StopReason};
use crate::poly::{Poly, Rat};
use std::collections::HashMap;

/// Default chart budget of the search.
pub const DEFAULT_NODE_BUDGET: usize = 2_000;

/// Most terms, summed over the generators, of a chart the search works on;
/// larger charts end in proven bounds (stop reason `size`). Moves that
/// multiply polynomials refuse beforehand when their product could exceed
/// [`MAX_PRODUCT_TERMS`].
pub const MAX_CHART_TERMS: usize = 400_000;

/// Most terms a move may create in one product (an a-priori bound: the
/// product of the factors' term counts).
pub const MAX_PRODUCT_TERMS: usize = 200_000;

/// Whether the search uses toric charts unless told otherwise. Measured
/// (tests/resolve_toric.rs): both strategies give the same pair on every
/// case of the test suite with ≤ 4 variables (reduced-rank regression and
/// deep linear networks included, same chart counts within a few), and
/// toric charts resolve (x²y² − z⁵)², (z² − x³y⁵)² and <y² − x³, z² − y³>
/// in 21–41 charts where coordinate blow-ups end in bounds after 330–2,000.
pub const DEFAULT_TORIC: bool = true;

/// The limits of one search. Every limit ends in proven bounds, never in
/// an error, and the first one reached is reported as the stop reason.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Maximum number of charts explored (memo hits excluded).
    pub max_nodes: usize,
    /// Maximum nesting of charts.
    pub max_depth: usize,
    /// Try toric charts of the Newton fan (see [`super::toric`]) before a
    /// coordinate blow-up at an all-local chart of dimension ≤ 4.
    pub toric: bool,
    /// Wall-clock deadline: charts not yet explored when it passes end in
    /// proven bounds (stop reason `time-limit`).
    pub deadline: Deadline,
    /// Most moves tried on one chart: after an attempt that ends in a
    /// bound, the next applicable move is tried while attempts remain.
    pub attempts: usize,
    /// Most terms of a chart's generators ([`MAX_CHART_TERMS`]).
    pub max_terms: usize,
    /// Record every chart's data in the tree ([`StepData`], the checkable
    /// certificate), up to [`MAX_RECORDED_TERMS`] terms in all.
    pub record: bool,
    /// Theorem-based leaves (the linear fibre) allowed; `--no-theorems`
    /// turns them off for a second proof by blow-ups.
    pub theorems: bool,
}

/// Most terms recorded in a certificate; past it the rest of the tree
/// carries text only (and `rlct check` refuses it).
pub const MAX_RECORDED_TERMS: usize = 5_000_000;

/// The options of the search (the name the engine's callers use).
pub type ResolveOptions = Limits;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_nodes: DEFAULT_NODE_BUDGET,
            max_depth: 80,
            toric: DEFAULT_TORIC,
            deadline: Deadline::NONE,
            attempts: 2,
            max_terms: MAX_CHART_TERMS,
            record: false,
            theorems: true,
        }
    }
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
    /// The move that expanded this chart (`""` for a memo hit, a limit or
    /// an undecided leaf; `"attempts"` when several moves were tried).
    pub move_name: &'static str,
    /// What the move produced: `leaf`, `bound`, `change`, `split`,
    /// `memo`, `limit`, `undecided` or `attempts`.
    pub kind: &'static str,
    /// What was concluded at this node (leaf rule or combination rule).
    pub rule: String,
    /// The node's outcome.
    pub outcome: String,
    /// Sub-charts.
    pub children: Vec<Step>,
    /// The node's outcome as data.
    pub value: Option<Outcome>,
    /// The chart as data, when recorded ([`Limits::record`]).
    pub data: Option<Box<StepData>>,
}

/// The data of one chart of the certificate (docs/certificate.md).
#[derive(Clone, Debug)]
pub struct StepData {
    /// The chart as the parent's move produced it.
    pub pre: ChartNode,
    /// The variables of `pre` kept by the normalisation.
    pub kept: Vec<usize>,
    /// The chart after the normalisation (common monomial factored,
    /// redundant generators and unused variables dropped).
    pub chart: ChartNode,
    /// How `pre` derives from the parent's chart.
    pub link: Option<Link>,
    /// A memo hit: the chart it equals, and the variable orders under
    /// which the two charts coincide (this chart's, the other's).
    pub memo: Option<(usize, Vec<usize>, Vec<usize>)>,
}

impl Step {
    fn new(id: usize, action: String, chart: String) -> Step {
        Step {
            id,
            action,
            chart,
            move_name: "",
            kind: "",
            rule: String::new(),
            outcome: String::new(),
            children: vec![],
            value: None,
            data: None,
        }
    }

    /// Indented text lines, two spaces per level: the `--trace` text.
    /// Where the chart's data is recorded, the chart, the substitution and
    /// the outcome are rendered from the same typed data as the
    /// certificate (so the two cannot disagree): each moved coordinate
    /// gets a line `old = φ(new)`, a translation `new = old − c`; the
    /// leaves that attain the root's pair are marked `◀ attains`.
    pub fn lines(&self, depth: usize, out: &mut Vec<String>) {
        let attaining = match &self.value {
            Some(Outcome::Exact { leaves, .. }) => leaves.clone(),
            _ => Vec::new(),
        };
        self.render(depth, None, &attaining, out);
    }

    fn render(&self, depth: usize, parent: Option<&ChartNode>, attaining: &[usize], out: &mut Vec<String>) {
        let pad = "  ".repeat(depth);
        let mark =
            if self.children.is_empty() && attaining.contains(&self.id) { "  ◀ attains" } else { "" };
        out.push(format!("{pad}#{} {}{mark}", self.id, self.action));
        let chart = self.data.as_ref().map(|d| &d.chart);
        if let (Some(d), Some(p)) = (&self.data, parent) {
            // Lines the action text does not already state.
            let lines = substitution_lines(d, p).into_iter().filter(|l| {
                let lhs = l.split(" = ").next().unwrap_or("");
                l.ends_with("(translation)") || !self.action.contains(&format!("{lhs} = "))
            });
            out.extend(lines.map(|l| format!("{pad}   {l}")));
        }
        out.push(format!("{pad}   chart: {}", chart.map_or_else(|| self.chart.clone(), ChartNode::describe)));
        let by = if self.move_name.is_empty() { String::new() } else { format!("[{}] ", self.move_name) };
        let outcome = self.value.as_ref().map_or_else(|| self.outcome.clone(), Outcome::to_string);
        out.push(format!("{pad}   {by}{} ⇒ {outcome}", self.rule));
        for c in &self.children {
            // A leaf settled inside its parent's split has no chart of its
            // own: its substitution is relative to the parent's chart.
            c.render(depth + 1, chart.or(parent), attaining, out);
        }
    }

    /// The tree as JSON, with the typed data when recorded
    /// (docs/certificate.md).
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "id": self.id,
            "action": self.action,
            "chart": self.chart,
            "move": self.move_name,
            "kind": self.kind,
            "rule": self.rule,
            "outcome": self.outcome,
            "children": self.children.iter().map(Step::to_json).collect::<Vec<_>>(),
        });
        if let Some(o) = &self.value {
            v["value"] = super::certificate::outcome_json(o);
        }
        if let Some(d) = &self.data {
            v["data"] = super::certificate::data_json(d, self.move_name);
        }
        v
    }
}

/// The substitution `old = φ(new)` of a chart's link, one line per moved
/// coordinate (`new = old − c` for a translation), in the names of the
/// parent's chart (`old`) and of this one (`new`).
fn substitution_lines(d: &StepData, parent: &ChartNode) -> Vec<String> {
    let Some(Link::Pullback(map)) = &d.link else { return Vec::new() };
    let n = d.pre.dim();
    if map.len() != n || parent.dim() != n {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, f) in map.iter().enumerate() {
        let v = Poly::var(n, i);
        if *f == v {
            continue;
        }
        let r = f - &v;
        let (old, new) = (&parent.names[i], &d.pre.names[i]);
        if r.is_constant() {
            let c = r.constant_term();
            let sign = if c < Rat::from_integer(0.into()) { "+" } else { "−" };
            let a = if c < Rat::from_integer(0.into()) { -c } else { c };
            out.push(format!("{new} = {old} {sign} {a} (translation)"));
        } else {
            out.push(format!("{old} = {}", f.display(&d.pre.names)));
        }
    }
    out
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

/// Resolves `K = Σ g_i²` (`ideal`) or `K = g_0` at the origin with prior
/// exponents `h`.
pub fn resolve(gens: &[Poly], ideal: bool, h: &[u32], names: &[String], limits: &Limits) -> Resolution {
    let d = h.len();
    let root = ChartNode {
        names: names.to_vec(),
        gens: gens.to_vec(),
        ideal,
        beta: vec![0; d],
        h: h.to_vec(),
        region: vec![super::region::Range::Local; d],
    };
    resolve_chart(root, limits)
}

/// Resolves one chart (its generators, monomial factor, prior and region).
pub fn resolve_chart(root: ChartNode, limits: &Limits) -> Resolution {
    let mut s = Runner {
        limits: limits.clone(),
        nodes: 0,
        ids: 0,
        memo_hits: 0,
        memo: HashMap::new(),
        stopped: None,
        limit_hits: 0,
        ceiling: usize::MAX,
        leaf_bounds: 0,
        recorded: 0,
    };
    let (outcome, tree) = s.explore(root, "the neighbourhood of the point".into(), 0, None);
    Resolution { outcome, tree, nodes: s.nodes, memo_hits: s.memo_hits, stopped: s.stopped }
}

struct Runner {
    limits: Limits,
    nodes: usize,
    ids: usize,
    memo_hits: usize,
    memo: HashMap<ChartNode, (Outcome, usize, Vec<usize>)>,
    /// Terms recorded in the certificate so far.
    recorded: usize,
    stopped: Option<StopReason>,
    /// Branches cut by a limit so far: a subtree that saw one is not
    /// memoised (its bound is proven but not final).
    limit_hits: usize,
    /// The chart count a later attempt may not pass (module docs).
    ceiling: usize,
    /// Leaves that computed the degeneration bound so far.
    leaf_bounds: usize,
}

/// Most leaves of one search that compute the degeneration bound of
/// docs/theory.md §5.1 (the others keep 1/deg).
const LEAF_BOUNDS: usize = 8;

/// Largest chart on which a leaf computes the degeneration bound (its LPs
/// grow with the dimension and do not watch the deadline; the root's bound
/// in `exact::blowup` covers large problems).
const LEAF_BOUND_MAX_DIM: usize = 16;

/// A later attempt on a chart may use at most this fraction (1/n) of the
/// charts left: a second proof is a bet, and must not starve the rest of
/// the tree.
const ATTEMPT_SHARE: usize = 4;

/// Relabels variables in a canonical-ish order (sorted by an invariant
/// signature) and drops names: equal keys are equivalent subproblems, so a
/// hit is always sound; distinct keys for equivalent problems only cost time.
fn memo_key(node: &ChartNode) -> (ChartNode, Vec<usize>) {
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
    k.gens.sort_by_cached_key(|a| format!("{:?}", a.terms()));
    (k, order)
}

/// The bounds every chart has (docs/theory.md §4.6, §5.1): λ ≥ 1/deg K,
/// raised by the initial-monomial bound on an all-local chart and to 1/2
/// where every zero is smooth ([`super::toric::smooth_zero_lower_bound`]);
/// λ ≤ the threshold of the monomial factor (`K ≤ C·|u^β|^p`).
fn proven_bounds(node: &ChartNode, deadline: Deadline, degenerate: bool) -> (Rat, Option<Rat>, Vec<String>) {
    let mut lower = node.degree_lower_bound();
    let mut why = Vec::new();
    if degenerate
        && node.dim() <= LEAF_BOUND_MAX_DIM
        && !deadline.expired()
        && let Some((b, reason)) = super::initial::lower_bound(node)
        && b > lower
    {
        lower = b;
        why.push(reason);
    }
    if let Some(b) = super::toric::smooth_zero_lower_bound(node)
        && b > lower
    {
        lower = b;
        why.push("a generator has no singular zero on the region: λ ≥ 1/2 there".into());
    }
    // The Newton value at the origin of the box is an upper bound for the
    // region (docs/theory.md §4.6); one LP, so only where the LP budget is,
    // and not past the deadline (its face search does not watch it).
    let mut upper = node.monomial_upper_bound();
    if degenerate
        && node.dim() <= LEAF_BOUND_MAX_DIM
        && !deadline.expired()
        && let Some(u) = super::monomial::newton_upper_bound(node)
    {
        upper = Some(upper.map_or(u.clone(), |v| v.min(u)));
    }
    (lower, upper, why)
}

impl Runner {
    fn limit(&mut self, why: StopReason) {
        self.stopped.get_or_insert(why);
        self.limit_hits += 1;
    }

    /// Whether one more leaf may spend LPs on the degeneration bound
    /// (at most [`LEAF_BOUNDS`] per search: a search cut by a limit can
    /// leave hundreds of leaves, and the root's own bound is the floor).
    fn take_bound_budget(&mut self) -> bool {
        if self.leaf_bounds >= LEAF_BOUNDS {
            return false;
        }
        self.leaf_bounds += 1;
        true
    }

    fn fresh_id(&mut self) -> usize {
        let id = self.ids;
        self.ids += 1;
        id
    }

    fn explore(
        &mut self,
        mut node: ChartNode,
        action: String,
        depth: usize,
        link: Option<Link>,
    ) -> (Outcome, Step) {
        let id = self.fresh_id();
        let terms = |n: &ChartNode| n.gens.iter().map(|g| g.len()).sum::<usize>();
        let pre = (self.limits.record && self.recorded + 2 * terms(&node) <= MAX_RECORDED_TERMS)
            .then(|| node.clone());
        node.factor_monomial();
        node.drop_redundant_generators();
        let used = node.used_in_gens();
        let keep: Vec<usize> = (0..node.dim()).filter(|&i| used[i] || node.beta[i] > 0).collect();
        if keep.len() < node.dim() {
            node = node.restrict(&keep);
        }
        let mut step = Step::new(id, action, node.describe());
        if let Some(pre) = pre {
            self.recorded += terms(&pre) + terms(&node);
            step.data = Some(Box::new(StepData { pre, kept: keep, chart: node.clone(), link, memo: None }));
        }
        let (key, order) = memo_key(&node);
        if let Some((o, mid, morder)) = self.memo.get(&key) {
            self.memo_hits += 1;
            step.kind = "memo";
            step.rule = format!("equivalent to chart #{mid} up to relabelling");
            step.outcome = o.to_string();
            step.value = Some(o.clone());
            if let Some(d) = &mut step.data {
                d.memo = Some((*mid, order, morder.clone()));
            }
            return (o.clone(), step);
        }
        self.nodes += 1;
        let cut = if self.nodes > self.limits.max_nodes || self.nodes > self.ceiling {
            Some(StopReason::Charts)
        } else if depth > self.limits.max_depth {
            Some(StopReason::Depth)
        } else if self.limits.deadline.expired() {
            Some(StopReason::TimeLimit)
        } else if node.gens.iter().map(|g| g.len()).sum::<usize>() > self.limits.max_terms {
            Some(StopReason::Size)
        } else {
            None
        };
        let hits_before = self.limit_hits;
        let outcome = if let Some(why) = cut {
            self.limit(why);
            step.kind = "limit";
            step.rule = format!("stopped ({why} limit): proven bounds only");
            let degenerate = self.take_bound_budget();
            let (lower, upper, _) = proven_bounds(&node, self.limits.deadline, degenerate);
            Outcome::Bound { lower, upper }
        } else {
            self.expand(&node, &mut step, depth)
        };
        step.outcome = outcome.to_string();
        step.value = Some(outcome.clone());
        if self.limit_hits == hits_before {
            self.memo.insert(key, (outcome.clone(), id, order));
        }
        (outcome, step)
    }

    /// Whether another attempt on a chart may start.
    fn may_retry(&self) -> bool {
        self.nodes < self.limits.max_nodes.min(self.ceiling) && !self.limits.deadline.expired()
    }

    /// Applies the moves to a chart (module docs).
    fn expand(&mut self, node: &ChartNode, step: &mut Step, depth: usize) -> Outcome {
        let cx = Context {
            depth,
            toric: self.limits.toric,
            theorems: self.limits.theorems,
            deadline: self.limits.deadline,
        };
        let mut reasons: Vec<String> = Vec::new();
        let mut attempts: Vec<Step> = Vec::new();
        let mut result: Option<Outcome> = None;
        for mv in moves::ALL {
            if !attempts.is_empty() && (attempts.len() >= self.limits.attempts || !self.may_retry()) {
                break;
            }
            let expansion = match mv.apply(node, &cx) {
                Applied::No => continue,
                Applied::Stuck(why) => {
                    reasons.push(why);
                    continue;
                }
                Applied::Expand(e) => e,
            };
            let is_leaf = matches!(expansion, Expansion::Leaf { .. });
            let mut attempt = if attempts.is_empty() {
                Step::new(step.id, step.action.clone(), step.chart.clone())
            } else {
                let id = self.fresh_id();
                Step::new(id, format!("attempt {}", attempts.len() + 1), step.chart.clone())
            };
            attempt.move_name = mv.name();
            attempt.kind = expansion.kind();
            let saved = self.ceiling;
            if !attempts.is_empty() {
                let left = self.limits.max_nodes.min(self.ceiling).saturating_sub(self.nodes);
                self.ceiling = self.nodes + left / ATTEMPT_SHARE;
            }
            let o = self.realise(expansion, &mut attempt, depth);
            self.ceiling = saved;
            attempt.outcome = o.to_string();
            attempt.value = Some(o.clone());
            attempts.push(attempt);
            let done = is_leaf || o.is_exact();
            result = Some(match result {
                None => o,
                Some(r) => r.intersect(o),
            });
            if done || result.as_ref().is_some_and(Outcome::is_exact) {
                break;
            }
        }
        let Some(result) = result else {
            let degenerate = self.take_bound_budget();
            let (lower, upper, facts) = proven_bounds(node, self.limits.deadline, degenerate);
            step.kind = "undecided";
            step.rule = if reasons.is_empty() {
                "undecided: no move applies".to_string()
            } else {
                format!("undecided: {}", reasons.join("; "))
            };
            for s in facts {
                step.rule.push_str("; ");
                step.rule.push_str(&s);
            }
            return Outcome::Bound { lower, upper };
        };
        if attempts.len() == 1 {
            let a = attempts.pop().expect("one attempt");
            step.move_name = a.move_name;
            step.kind = a.kind;
            step.rule = a.rule;
            step.children = a.children;
        } else {
            // The first attempt keeps the chart's id; later ones get their
            // own, and the chart lists them all.
            let names: Vec<&str> = attempts.iter().map(|a| a.move_name).collect();
            step.move_name = "attempts";
            step.kind = "attempts";
            step.rule = format!(
                "{} moves tried ({}): independent proofs about the same chart, so an exact one wins and \
                 bounds intersect",
                attempts.len(),
                names.join(", ")
            );
            let mut first = attempts.remove(0);
            first.id = self.fresh_id();
            first.action = "attempt 1".into();
            step.children.push(first);
            step.children.extend(attempts);
        }
        result
    }

    /// Explores an expansion's parts and combines them; fills `step`.
    fn realise(&mut self, expansion: Expansion, step: &mut Step, depth: usize) -> Outcome {
        match expansion {
            Expansion::Leaf { rule, value } => {
                step.rule = rule;
                value.outcome(step.id)
            }
            Expansion::Change { action, node, link } => {
                step.rule = "coordinate change".into();
                let (o, s) = self.explore(node, action, depth + 1, link);
                step.children.push(s);
                o
            }
            Expansion::Split { rule, combine, parts } => {
                step.rule = rule;
                let mut outs = Vec::with_capacity(parts.len());
                for part in parts {
                    match part {
                        Part::Chart { action, node, link } => {
                            let (o, s) = self.explore(node, action, depth + 1, link);
                            step.children.push(s);
                            outs.push(o);
                        }
                        Part::Leaf { action, chart, rule, value } => {
                            let id = self.fresh_id();
                            let o = value.outcome(id);
                            let mut s = Step::new(id, action, chart);
                            s.kind = if matches!(value, LeafValue::Exact(_)) { "leaf" } else { "bound" };
                            s.rule = rule;
                            s.outcome = o.to_string();
                            s.value = Some(o.clone());
                            step.children.push(s);
                            outs.push(o);
                        }
                    }
                }
                combine.apply(&outs)
            }
        }
    }
}
