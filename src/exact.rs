//! The exact engine's front door: shortcuts, Newton polyhedra, blow-ups.

use crate::{ExactResult, Problem, Result};

/// Options for [`solve`].
#[derive(Clone, Debug, Default)]
pub struct ExactOptions {
    /// Maximum number of charts the blow-up search explores before it
    /// settles for proven bounds (`None`: the engine's default,
    /// [`crate::resolve::DEFAULT_NODE_BUDGET`]).
    pub budget: Option<usize>,
}

/// Computes the exact (λ, m) of a problem, or proven bounds.
///
/// Dispatch: the blow-up engine (which applies the separate-variable
/// shortcuts itself). The Newton engine joins in front of it once merged.
pub fn solve(problem: &Problem, opts: &ExactOptions) -> Result<ExactResult> {
    crate::resolve::solve(problem, opts)
}
