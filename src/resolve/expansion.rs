//! What a move proves about a chart: the typed expansion, and the rules
//! that combine the pairs of sub-charts (docs/theory.md §2 and §4).
//!
//! A move (see [`super::moves`]) looks at one chart and, when its
//! precondition holds, returns an [`Expansion`]:
//!
//! - [`Expansion::Leaf`]: the chart's pair (or a proven bound) by a named
//!   theorem whose hypotheses the move checked;
//! - [`Expansion::Change`]: one chart in new coordinates whose pair equals
//!   the parent's (a coordinate change with a unit or constant Jacobian,
//!   or a change of generators of the same ideal);
//! - [`Expansion::Split`]: several parts whose pairs combine by a
//!   [`Combine`] rule (the charts of a blow-up or a region split cover the
//!   parent's neighbourhood: the most singular pair; a product in separate
//!   variables: ties add m; a sum in separate variables: λ adds).
//!
//! The runner ([`super::runner`]) explores the parts, combines their
//! [`Outcome`]s and records everything in the certificate tree.

use super::chart::ChartNode;
use crate::poly::{Poly, Rat};
use num_bigint::BigInt;
use num_traits::Zero;
use std::fmt;

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
    /// The outcome of a leaf with id `leaf`.
    pub fn exact(pair: Option<Pair>, leaf: usize) -> Outcome {
        let leaves = if pair.is_some() { vec![leaf] } else { vec![] };
        Outcome::Exact { pair, leaves }
    }

    /// Whether the outcome is an exact pair (or proven zero-free).
    pub fn is_exact(&self) -> bool {
        matches!(self, Outcome::Exact { .. })
    }

    /// The proven lower end of λ (`None`: no zero, λ = ∞).
    pub fn lower(&self) -> Option<Rat> {
        match self {
            Outcome::Exact { pair, .. } => pair.as_ref().map(|p| p.lambda.clone()),
            Outcome::Bound { lower, .. } => Some(lower.clone()),
        }
    }

    /// The proven upper end of λ, when one is known.
    pub fn upper(&self) -> Option<Rat> {
        match self {
            Outcome::Exact { pair, .. } => pair.as_ref().map(|p| p.lambda.clone()),
            Outcome::Bound { upper, .. } => upper.clone(),
        }
    }

    /// Two independent proofs about the same chart: an exact one wins,
    /// otherwise the intersection of the proven intervals.
    pub fn intersect(self, other: Outcome) -> Outcome {
        match (self, other) {
            (e @ Outcome::Exact { .. }, _) | (_, e @ Outcome::Exact { .. }) => e,
            (Outcome::Bound { lower: l1, upper: u1 }, Outcome::Bound { lower: l2, upper: u2 }) => {
                Outcome::Bound { lower: l1.max(l2), upper: min_opt(u1, u2) }
            }
        }
    }
}

pub(crate) fn min_opt(a: Option<Rat>, b: Option<Rat>) -> Option<Rat> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// How the pairs of a split's parts give the parent's pair
/// (docs/theory.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Combine {
    /// The parts' regions cover the parent's neighbourhood: the most
    /// singular pair; on a tie in λ the larger m.
    Union,
    /// `K ≍ K₁(x)·K₂(y)` in separate variables: λ = min, m adds on ties.
    Product,
    /// `K ≍ K₁(x) + K₂(y)` in separate variables: λ adds, m = Σm − (k−1).
    Sum,
}

impl Combine {
    /// Combines the parts' outcomes.
    pub fn apply(self, parts: &[Outcome]) -> Outcome {
        match self {
            Combine::Union => combine_min(parts, false),
            Combine::Product => combine_min(parts, true),
            Combine::Sum => combine_sum(parts),
        }
    }
}

/// One part of a split: a chart the runner explores, or a leaf the move
/// settled itself (the normal crossing of a region where `J` is a unit,
/// the monomial factor of a product, a leaf at a smooth zero).
#[derive(Clone, Debug)]
pub enum Part {
    /// A chart to explore.
    Chart {
        /// How it arose from the parent.
        action: String,
        /// The chart.
        node: ChartNode,
        /// How the chart's data derive from the parent's, for the
        /// certificate (`None`: not recorded; the checker then refuses it).
        link: Option<Link>,
    },
    /// A settled leaf.
    Leaf {
        /// How it arose from the parent.
        action: String,
        /// The chart, as text.
        chart: String,
        /// The theorem that settles it.
        rule: String,
        /// Its pair, or a proven bound.
        value: LeafValue,
    },
}

impl Part {
    /// A chart part.
    pub fn chart(node: ChartNode, action: impl Into<String>) -> Part {
        Part::Chart { action: action.into(), node, link: None }
    }

    /// A chart part with the data the checker re-verifies.
    pub fn linked(node: ChartNode, action: impl Into<String>, link: Link) -> Part {
        Part::Chart { action: action.into(), node, link: Some(link) }
    }
}

/// How a sub-chart derives from its parent, recorded in the certificate
/// (docs/certificate.md) so that `rlct check` can recompute it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// The sub-chart is the pull-back along `old_i = map[i](new)` (same
    /// number of variables, same order): blow-up and toric charts
    /// (monomial maps), translations, pivots and triangular changes.
    Pullback(Vec<Poly>),
    /// The sub-chart keeps only these variables of the parent (and some of
    /// its generators): the factors of a product or the summands of a sum.
    Restrict(Vec<usize>),
    /// The box is shrunk to the origin by this positive grading.
    Grading(Vec<Rat>),
}

/// What a leaf proves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeafValue {
    /// The exact pair (`None`: `K` has no zero on the region).
    Exact(Option<Pair>),
    /// Only a bound.
    Bound {
        /// Proven lower bound.
        lower: Rat,
        /// Proven upper bound, when one is known.
        upper: Option<Rat>,
    },
}

impl LeafValue {
    /// The outcome of a leaf with id `id`.
    pub fn outcome(&self, id: usize) -> Outcome {
        match self {
            LeafValue::Exact(p) => Outcome::exact(p.clone(), id),
            LeafValue::Bound { lower, upper } => {
                Outcome::Bound { lower: lower.clone(), upper: upper.clone() }
            }
        }
    }
}

/// What a move proves about a chart.
#[derive(Clone, Debug)]
pub enum Expansion {
    /// The chart is a leaf.
    Leaf {
        /// The theorem and the facts it relied on.
        rule: String,
        /// The pair or bound.
        value: LeafValue,
    },
    /// The same pair as one chart in new coordinates (or new generators
    /// of the same ideal).
    Change {
        /// The change and its Jacobian.
        action: String,
        /// The new chart.
        node: ChartNode,
        /// The change as data, for the certificate.
        link: Option<Link>,
    },
    /// Parts whose pairs combine.
    Split {
        /// Why the parts give the parent's pair.
        rule: String,
        /// How they combine.
        combine: Combine,
        /// The parts.
        parts: Vec<Part>,
    },
}

impl Expansion {
    /// A leaf with an exact pair.
    pub fn exact(pair: Option<Pair>, rule: impl Into<String>) -> Expansion {
        Expansion::Leaf { rule: rule.into(), value: LeafValue::Exact(pair) }
    }

    /// A split.
    pub fn split(combine: Combine, rule: impl Into<String>, parts: Vec<Part>) -> Expansion {
        Expansion::Split { rule: rule.into(), combine, parts }
    }

    /// The kind, for the certificate.
    pub fn kind(&self) -> &'static str {
        match self {
            Expansion::Leaf { value: LeafValue::Exact(_), .. } => "leaf",
            Expansion::Leaf { .. } => "bound",
            Expansion::Change { .. } => "change",
            Expansion::Split { .. } => "split",
        }
    }
}

/// The pair of a region that is the union of the children's regions, or
/// (`product = true`) of a product `K₁(x)·K₂(y)` in separate variables:
/// the most singular pair; on a tie in λ the union takes the larger m and
/// the product adds them (docs/theory.md §2).
pub fn combine_min(children: &[Outcome], product: bool) -> Outcome {
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
pub fn combine_sum(children: &[Outcome]) -> Outcome {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{rat, ratio};

    #[test]
    fn normal_crossing_rule() {
        assert_eq!(normal_crossing(&[1, 1], &[0, 0], 2), Some(Pair { lambda: ratio(1, 2), m: 2 }));
        assert_eq!(normal_crossing(&[1, 2], &[0, 0], 2), Some(Pair { lambda: ratio(1, 4), m: 1 }));
        assert_eq!(normal_crossing(&[2, 0], &[1, 0], 1), Some(Pair { lambda: rat(1), m: 1 }));
        assert_eq!(normal_crossing(&[0], &[3], 2), None);
    }

    #[test]
    fn combination_keeps_bounds_honest() {
        let e = |l: Rat, m, leaves: Vec<usize>| Outcome::Exact { pair: Some(Pair { lambda: l, m }), leaves };
        let b = Outcome::Bound { lower: ratio(1, 2), upper: Some(rat(1)) };
        // Exact 1/3 beats anything ≥ 1/2.
        assert!(matches!(
            Combine::Union.apply(&[e(ratio(1, 3), 1, vec![0]), b.clone()]),
            Outcome::Exact { .. }
        ));
        // Exact 1/2 ties the lower end of the bound: m unknown, so a bound.
        assert_eq!(
            Combine::Union.apply(&[e(ratio(1, 2), 1, vec![0]), b.clone()]),
            Outcome::Bound { lower: ratio(1, 2), upper: Some(ratio(1, 2)) }
        );
        assert_eq!(
            Combine::Sum.apply(&[e(ratio(1, 2), 2, vec![0]), e(ratio(1, 2), 1, vec![0])]),
            e(rat(1), 2, vec![0, 0])
        );
        assert_eq!(
            Combine::Product.apply(&[e(ratio(1, 2), 2, vec![1]), e(ratio(1, 2), 1, vec![2])]),
            e(ratio(1, 2), 3, vec![1, 2])
        );
    }

    #[test]
    fn two_proofs_intersect() {
        let b1 = Outcome::Bound { lower: ratio(1, 4), upper: Some(rat(1)) };
        let b2 = Outcome::Bound { lower: ratio(1, 2), upper: None };
        assert_eq!(b1.clone().intersect(b2), Outcome::Bound { lower: ratio(1, 2), upper: Some(rat(1)) });
        let e = Outcome::exact(Some(Pair { lambda: ratio(2, 3), m: 1 }), 7);
        assert_eq!(b1.intersect(e.clone()), e);
    }
}
