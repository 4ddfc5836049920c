//! **Hyperplane factor.** Precondition: an ideal chart where a generator is
//! divisible by `v − r` for a bounded variable `v` and a rational `r` in its
//! interval ([`crate::resolve::factor::hyperplane_factor`]). `K ≤ C·K'` on
//! the box (`K'` with the quotient), and `K ≍ K'` where `v ≠ r`: the pair is
//! the more singular of the neighbourhood of `v = r` and the quotient chart
//! (a union).

use super::{Applied, Context, Move};
use crate::resolve::chart::ChartNode;
use crate::resolve::factor;

/// See the module docs.
pub struct HyperplaneFactor;

impl Move for HyperplaneFactor {
    fn name(&self) -> &'static str {
        "hyperplane-factor"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        factor::split_hyperplane(node).into()
    }
}
