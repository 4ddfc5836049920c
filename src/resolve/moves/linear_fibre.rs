//! **Leaf, a linear fibre.** Precondition: every variable is local, the
//! generators are linear in a block of variables that the prior and the
//! monomial factor do not involve, and the non-dominated minors of the
//! coefficient matrix are products of linear forms
//! ([`crate::resolve::fibre`]). Then the block integrates out
//! (`Z ≍ ∫ db / max_j n^{j/2} √D_j(b)`), the wonderful model of the
//! minors' arrangement resolves the rest, and the pair is the minimum over
//! its charts of exact LPs (docs/theory.md §4.8). A theorem-based leaf: it
//! is skipped under `--no-theorems`, so the blow-up search remains a
//! second proof.

use super::{Applied, Context, Move};
use crate::limits::Deadline;
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::Expansion;
use crate::resolve::fibre::{Decline, solve};

/// See the module docs.
pub struct LinearFibre;

impl Move for LinearFibre {
    fn name(&self) -> &'static str {
        "linear-fibre"
    }

    fn apply(&self, node: &ChartNode, cx: &Context) -> Applied {
        if !cx.theorems {
            return Applied::No;
        }
        // At most half of the time left: where the rule cannot finish, the
        // blow-up search still gets its share.
        let deadline = match cx.deadline.remaining() {
            Some(left) => cx.deadline.min(Deadline::after_secs(left.as_secs_f64() / 2.0)),
            None => cx.deadline,
        };
        match solve(node, &deadline) {
            Ok(f) => {
                let block: Vec<&str> = f.block.iter().map(|&v| node.names[v].as_str()).collect();
                Applied::Expand(Expansion::exact(
                    Some(f.pair.clone()),
                    format!(
                        "leaf (linear fibre, docs/theory.md §4.8): the generators are linear in {{{}}}; \
                         integrating them out leaves the minors of sizes 1..{} ({} kept), products of {} linear \
                         forms; the minimum over {} wonderful-model charts ({} distinct LPs) is λ = {}, m = {}",
                        block.join(", "),
                        f.minors.len(),
                        f.minors.iter().map(|k| k.to_string()).collect::<Vec<_>>().join("+"),
                        f.hyperplanes,
                        f.chains,
                        f.lps,
                        f.pair.lambda,
                        f.pair.m
                    ),
                ))
            }
            Err(Decline::NotApplicable) | Err(Decline::Stuck(_)) => Applied::No,
        }
    }
}
