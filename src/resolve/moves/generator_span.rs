//! **Echelon basis of the generators' span** (a change of generators, the
//! same ideal): precondition, proof and progress measure in
//! [`crate::resolve::span`].

use super::{Applied, Context, Move};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::Expansion;

/// See the module docs.
pub struct GeneratorSpan;

impl Move for GeneratorSpan {
    fn name(&self) -> &'static str {
        "generator-span"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        crate::resolve::span::apply(node)
            .map(|(node, action)| Expansion::Change { action, node, link: None })
            .into()
    }
}
