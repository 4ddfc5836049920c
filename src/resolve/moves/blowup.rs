//! **Coordinate blow-ups.** Precondition: every variable is local and `J`
//! vanishes at the origin. The blow-up of a coordinate centre
//! `{w_i = 0 : i ∈ S}` is proper and an isomorphism off the centre; its
//! charts (`w_j = u_j`, `w_i = u_i u_j`, `|Jacobian| = |u_j|^{|S|−1}`, the
//! other centre variables in `[−1, 1]`) cover a neighbourhood of the
//! origin's preimage, so the pair is the most singular pair of the charts
//! (docs/theory.md §4).
//!
//! Two centres, tried in this order: a small set of variables meeting every
//! term of every generator ([`crate::resolve::factor::small_centre`], e.g.
//! one layer of a network: the structure of the ideal, not the
//! coordinates), then all variables of `J` (the point blow-up) when that
//! is a different centre. The runner tries the second after the first
//! ended in a bound.

use super::{Applied, Context, Move, has_bounded};
use crate::resolve::chart::ChartNode;
use crate::resolve::expansion::{Combine, Expansion, Link, Part};
use crate::resolve::factor;

/// Blow-up of the small centre, or of all variables when there is none.
pub struct SmallCentreBlowUp;

/// Blow-up of all variables, when a smaller centre exists (an alternative).
pub struct FullCentreBlowUp;

impl Move for SmallCentreBlowUp {
    fn name(&self) -> &'static str {
        "blow-up"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        if has_bounded(node) {
            return Applied::No;
        }
        let centre = factor::small_centre(&node.gens).unwrap_or_else(|| (0..node.dim()).collect());
        if centre.len() < 2 {
            return Applied::Stuck("no centre to blow up".into());
        }
        Applied::Expand(blow_up(node, &centre))
    }
}

impl Move for FullCentreBlowUp {
    fn name(&self) -> &'static str {
        "point-blow-up"
    }

    fn apply(&self, node: &ChartNode, _: &Context) -> Applied {
        if has_bounded(node) || node.dim() < 2 {
            return Applied::No;
        }
        match factor::small_centre(&node.gens) {
            Some(c) if c.len() < node.dim() => {
                Applied::Expand(blow_up(node, &(0..node.dim()).collect::<Vec<_>>()))
            }
            _ => Applied::No,
        }
    }
}

fn blow_up(node: &ChartNode, centre: &[usize]) -> Expansion {
    let names: Vec<&str> = centre.iter().map(|&i| node.names[i].as_str()).collect();
    let parts = centre
        .iter()
        .map(|&j| {
            let ch = node.blow_up_chart(centre, j);
            let others = |names: &[String]| {
                centre.iter().filter(|&&i| i != j).map(|&i| names[i].as_str()).collect::<Vec<_>>().join(", ")
            };
            let desc = format!(
                "chart {}: {} = {}·{}",
                node.names[j],
                others(&node.names),
                node.names[j],
                others(&ch.names)
            );
            Part::linked(ch, desc, Link::Pullback(node.blow_up_map(centre, j)))
        })
        .collect();
    Expansion::split(
        Combine::Union,
        format!("blow up the centre {{{} = 0}}: union of its charts", names.join(" = ")),
        parts,
    )
}
