//! The moves of the resolution engine, one type per file.
//!
//! A move looks at one chart ([`ChartNode`]: `K ≍ |u^β|^p·J` with prior
//! `|u^h|` on a region) and either does not apply, says why it is stuck
//! (the reason goes into an undecided leaf's rule), or returns a typed
//! [`Expansion`]: a leaf with its pair, a change of coordinates, or a split
//! with its combination rule. Each file's doc comment states the move's
//! precondition and its proof obligation (which theorem makes the
//! expansion's pair equal to the chart's pair).
//!
//! The runner ([`super::runner`]) asks the moves in the order of [`ALL`]:
//! leaves first (cheap and final), then splits into separate variables,
//! exact coordinate changes, region splits on bounded variables, and last
//! the modifications (Newton leaf, toric charts, coordinate blow-ups). When
//! an attempt ends in a bound, the runner may try the next applicable move
//! on the same chart.
//!
//! **Adding a move**: write a file here with a unit struct implementing
//! [`Move`] (doc comment: precondition, what it proves, citation), add
//! `mod` and one entry in [`ALL`] at the place of its priority, and a unit
//! test on a chart where it applies. Nothing else changes: the runner, the
//! certificate and the limits are shared.

use super::chart::ChartNode;
use super::expansion::{Expansion, LeafValue, Part, normal_crossing};

mod affine_change;
mod block_change;
mod blowup;
mod divisor_split;
mod empty;
mod generator_span;
mod grading;
mod hyperplane;
mod interreduce;
mod isolated_origin;
mod linear_fibre;
mod linear_normal_form;
mod monomial_factor;
mod monomial_ideal;
mod newton_leaf;
mod pivot;
mod quotient_shift;
mod rational_zeros;
pub(super) mod real_zeros;
mod separable;
mod smooth_point;
mod sum;
mod toric_charts;
mod triangular;
mod unit_content;
mod unit_leaf;
mod unit_pivot;

/// What the runner tells a move about the chart's place in the search.
#[derive(Clone, Debug)]
pub struct Context {
    /// Depth of the chart in the tree.
    pub depth: usize,
    /// Whether toric charts may be used.
    pub toric: bool,
    /// Whether theorem-based leaves (a linear fibre) may close a chart.
    pub theorems: bool,
    /// The search's deadline, for moves that loop.
    pub deadline: crate::limits::Deadline,
}

/// A move's answer.
#[derive(Debug)]
pub enum Applied {
    /// The precondition does not hold.
    No,
    /// The precondition holds in part, but the move could not conclude:
    /// the reason, for the undecided leaf's rule.
    Stuck(String),
    /// The move's expansion of the chart.
    Expand(Expansion),
}

impl From<Option<Expansion>> for Applied {
    fn from(e: Option<Expansion>) -> Applied {
        e.map_or(Applied::No, Applied::Expand)
    }
}

/// A move of the engine.
pub trait Move: Sync {
    /// A short name, shown in the trace and the certificate.
    fn name(&self) -> &'static str;
    /// Applies the move to a chart.
    fn apply(&self, node: &ChartNode, cx: &Context) -> Applied;
}

/// Every move, in the order the runner asks them.
pub static ALL: &[&dyn Move] = &[
    // Leaves and separate-variable rules.
    &empty::EmptyIdeal,
    &unit_leaf::UnitLeaf,
    &smooth_point::SmoothPoint,
    &monomial_factor::MonomialFactor,
    &separable::SeparableFactor,
    // Changes of generators (the same ideal).
    &generator_span::GeneratorSpan,
    &unit_content::UnitContent,
    // Exact coordinate changes.
    &pivot::Pivot,
    &triangular::TriangularChange,
    &unit_pivot::UnitPivot,
    &affine_change::AffineFactorChange,
    &interreduce::Interreduce,
    &quotient_shift::QuotientShift,
    &block_change::BlockCoefficientChange,
    &linear_normal_form::LinearNormalForm,
    // Sums and hyperplanes.
    &sum::SumSplit,
    &hyperplane::HyperplaneFactor,
    // Charts with bounded variables: shrink or split the region.
    &grading::PositiveGrading,
    &rational_zeros::RationalZeros,
    &isolated_origin::IsolatedOrigin,
    &divisor_split::DivisorSplit,
    &real_zeros::RealZeros,
    // All variables local: leaves and modifications.
    &monomial_ideal::MonomialIdeal,
    &linear_fibre::LinearFibre,
    &newton_leaf::NewtonLeaf,
    &toric_charts::ToricCharts,
    &blowup::SmallCentreBlowUp,
    &blowup::FullCentreBlowUp,
];

/// The part of a region where `J` is a unit: the normal crossing of the
/// monomial factor. Its pair is attained where the divisors meet, or
/// dominated by a child there (K ≤ C·|u^β|^p), so adding it is sound.
pub(super) fn background(node: &ChartNode, action: impl Into<String>) -> Part {
    Part::Leaf {
        action: action.into(),
        chart: node.describe(),
        rule: "leaf (a) there: normal crossing of the monomial factor".into(),
        value: LeafValue::Exact(normal_crossing(&node.beta, &node.h, node.power())),
    }
}

/// A change move from a `ChartNode` method that rewrites the chart and
/// describes the change (`None`: it does not apply).
pub(super) fn change(node: &ChartNode, f: impl FnOnce(&mut ChartNode) -> Option<String>) -> Applied {
    let mut changed = node.clone();
    f(&mut changed).map(|action| Expansion::Change { action, node: changed, link: None }).into()
}

/// A change move from a `ChartNode` method that also returns the
/// substitution (old variables as polynomials in the new ones).
pub(super) fn change_linked(
    node: &ChartNode,
    f: impl FnOnce(&mut ChartNode) -> Option<(String, Vec<crate::poly::Poly>)>,
) -> Applied {
    let mut changed = node.clone();
    f(&mut changed)
        .map(|(action, map)| Expansion::Change {
            action,
            node: changed,
            link: Some(crate::resolve::expansion::Link::Pullback(map)),
        })
        .into()
}

/// True when some variable ranges over a bounded interval.
pub(super) fn has_bounded(node: &ChartNode) -> bool {
    node.region.iter().any(|r| !r.is_local())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn move_names_are_distinct() {
        let mut names: Vec<&str> = ALL.iter().map(|m| m.name()).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}
