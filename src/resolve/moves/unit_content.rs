//! **Unit contents divided out** (a change of generators by units, the
//! same pair): precondition and proof in [`crate::resolve::content`].

use super::{Applied, Context, Move};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::Expansion;

/// See the module docs.
pub struct UnitContent;

impl Move for UnitContent {
    fn name(&self) -> &'static str {
        "unit-content"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        crate::resolve::content::apply(node)
            .map(|(node, action)| Expansion::Change { action, node, link: None })
            .into()
    }
}
