//! **Product rule, a separable common factor.** Precondition: an ideal
//! whose generators all equal `f(S)·h_i(T)` for a non-monomial `f` in
//! variables `S` disjoint from `T` (found from the interaction graph,
//! verified by multiplying back; [`crate::resolve::factor`]). Then `K` is
//! the product of `f²` and `Σ h_i²` in separate variables: λ = min, m adds
//! on ties (docs/theory.md §2).

use super::{Applied, Context, Move};
use crate::resolve::chart::ChartNode;
use crate::resolve::factor;

/// See the module docs.
pub struct SeparableFactor;

impl Move for SeparableFactor {
    fn name(&self) -> &'static str {
        "separable-factor"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        factor::split_separable(node).into()
    }
}
