//! The exact engine's front door: shortcuts, Newton polyhedra, blow-ups.

use crate::{ExactResult, Problem, Result};

/// Options for [`solve`].
#[derive(Clone, Debug, Default)]
pub struct ExactOptions {}

/// Computes the exact (λ, m) of a problem, or proven bounds.
pub fn solve(_problem: &Problem, _opts: &ExactOptions) -> Result<ExactResult> {
    Err(crate::Error::Unsupported("the exact engine is not built yet".into()))
}
