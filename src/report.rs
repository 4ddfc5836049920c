//! Result types shared by the engines and the renderers, with their serde
//! form (DESIGN.md, "Command line contract"). Rationals serialise as
//! strings such as `"1/2"` and `"3"`.

use crate::poly::Rat;
use serde::{Serialize, Serializer};

/// Serialises a rational as a string (`"1/2"`, `"3"`).
pub fn ser_rat<S: Serializer>(r: &Rat, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&r.to_string())
}

/// How far an exact-engine answer is proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A theorem covers the answer and its hypotheses were checked.
    Exact,
    /// Only a one-sided or two-sided proven bound (`lower ≤ λ ≤ upper`);
    /// `lambda`/`multiplicity` are the upper (Newton) pair.
    Bound,
    /// λ is proven to lie in `[lower, upper]`, no pair is claimed.
    Interval,
}

/// The exact engines' answer.
#[derive(Clone, Debug, Serialize)]
pub struct ExactResult {
    /// λ (exact when `status == Exact`, otherwise the best proven upper value).
    #[serde(serialize_with = "ser_rat")]
    pub lambda: Rat,
    /// m (exact when `status == Exact`).
    pub multiplicity: usize,
    /// See [`Status`].
    pub status: Status,
    /// Proven lower bound on λ (equal to `lambda` when exact).
    #[serde(serialize_with = "ser_rat")]
    pub lower: Rat,
    /// Proven upper bound on λ (equal to `lambda` when exact).
    #[serde(serialize_with = "ser_rat")]
    pub upper: Rat,
    /// Which theorem or procedure produced the answer
    /// (e.g. `"newton-nondegenerate"`, `"normal-crossing"`, `"blowup"`).
    pub method: String,
    /// Variable names, in order.
    pub variables: Vec<String>,
    /// The machine-readable certificate (engine specific structure).
    pub certificate: serde_json::Value,
    /// The human-readable certificate, one line each, printed by `--trace`.
    #[serde(skip)]
    pub trace: Vec<String>,
}
