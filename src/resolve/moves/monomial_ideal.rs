//! **Leaf: a monomial ideal in any dimension** (Howald / Varchenko):
//! precondition and proof in [`crate::resolve::monomial`].

use super::{Applied, Context, Move};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::Expansion;

/// See the module docs.
pub struct MonomialIdeal;

impl Move for MonomialIdeal {
    fn name(&self) -> &'static str {
        "monomial-ideal"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        crate::resolve::monomial::apply(node).map(|(pair, rule)| Expansion::exact(Some(pair), rule)).into()
    }
}
