//! **Toric modification.** Precondition: every variable is local, the chart
//! has 2 to 4 variables, and the regular refinement of the Newton fan has
//! more than one cone. One sub-chart per unimodular cone and per component
//! of its fibre over the origin; a toric modification is proper and
//! birational, so the chart's pair is the most singular pair of the
//! sub-charts (the construction and its proof: [`crate::resolve::toric`]).

use super::{Applied, Context, Move};
use crate::resolve::chart::ChartNode;
use crate::resolve::toric;

/// See the module docs.
pub struct ToricCharts;

impl Move for ToricCharts {
    fn name(&self) -> &'static str {
        "toric-charts"
    }

    fn apply(&self, node: &ChartNode, cx: &Context) -> Applied {
        if !cx.toric {
            return Applied::No;
        }
        toric::toric_modification(node).into()
    }
}
