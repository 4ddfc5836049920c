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

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::Exact => "exact",
            Status::Bound => "bound",
            Status::Interval => "interval",
        })
    }
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
    /// Why the search stopped before it finished (`time-limit`, `charts`,
    /// `depth`, `size`); absent when it ran to completion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<crate::limits::StopReason>,
}

/// The Monte Carlo estimators' answers (`rlct estimate`). Floating-point
/// values only: nothing here is ever called exact.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Estimates {
    /// Nested-sampling volume scaling (with the thermodynamic curve).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<VolumeEstimate>,
    /// Langevin local learning coefficient on the polynomial.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sgld: Option<SgldEstimate>,
}

/// Volume-scaling estimate of λ (docs/theory.md §6).
#[derive(Clone, Debug, Serialize)]
pub struct VolumeEstimate {
    /// λ̂ from the selected scaling-law model with `multiplicity` fixed
    /// (mean over runs; `fit.model` names the correction term, and
    /// `fit.lambda_leading` is the leading-order value beside it).
    pub lambda: f64,
    /// Standard error of `lambda` across independent runs (statistical only).
    pub stderr: f64,
    /// Systematic error of the fit: the spread of the plausible models'
    /// λ̂ (correction terms, and m when m is a model choice), at least 1.5%
    /// of λ̂ (docs/estimators.md).
    pub systematic: f64,
    /// `√(stderr² + systematic²)`: the 1σ uncertainty the verdict uses.
    pub uncertainty: f64,
    /// `lambda ± 3·uncertainty`: the verdict agrees exactly when the
    /// exact λ lies inside.
    pub interval: (f64, f64),
    /// The m used in the fit.
    pub multiplicity: usize,
    /// Where `multiplicity` came from: `given`, `exact` (certified by the
    /// exact engine) or `model-choice` (nearest integer to the free fit).
    pub multiplicity_source: String,
    /// Details of the fits.
    pub fit: VolumeFit,
    /// The thermodynamic curve from the same runs.
    pub thermodynamic: ThermodynamicEstimate,
    /// Settings and counts.
    pub settings: VolumeSettings,
    /// Caveats (truncated runs, stuck draws, …).
    pub notes: Vec<String>,
    /// `(log ε_k, log V_k)` of the first run, for plots.
    #[serde(skip)]
    pub curve: Vec<(f64, f64)>,
    /// Fitted intercept (mean over runs) of the m-given fit, for plots.
    #[serde(skip)]
    pub intercept: f64,
}

/// Fit details of the volume estimate.
#[derive(Clone, Debug, Serialize)]
pub struct VolumeFit {
    /// The selected correction term (`leading`, `eps^δ`, `1/log`).
    pub model: String,
    /// The leading-order fit with the same m: the raw value beside the
    /// corrected `lambda`.
    pub lambda_leading: f64,
    /// Standard error of `lambda_leading`.
    pub lambda_leading_stderr: f64,
    /// Every model compared (m, correction, λ̂ ± se, residual ratio).
    pub candidates: Vec<VolumeCandidate>,
    /// Range of `log ε` over the fitted tail (all runs).
    pub log_eps_range: (f64, f64),
    /// Range of `log V` over the fitted tail.
    pub log_volume_range: (f64, f64),
    /// Free-m fit: m as a real number (a diagnostic: biased low, never
    /// asserted; docs/theory.md §6).
    pub m_free: f64,
    /// Standard error of `m_free` across runs.
    pub m_free_stderr: f64,
    /// λ of the free-m fit.
    pub lambda_m_free: f64,
    /// Standard error of `lambda_m_free`.
    pub lambda_m_free_stderr: f64,
}

/// One scaling-law model of the volume fit.
#[derive(Clone, Debug, Serialize)]
pub struct VolumeCandidate {
    /// m used.
    pub m: usize,
    /// Correction term.
    pub model: String,
    /// λ̂ (mean over runs).
    pub lambda: f64,
    /// Standard error across runs.
    pub stderr: f64,
    /// Pooled mean squared residual over the best model's (≥ 1).
    pub mse_ratio: f64,
}

/// What the exact engine's answer adds to a finite-temperature estimate
/// (thermodynamic, SGLD, LLC: the same fields in each, flattened into its
/// JSON object). The raw value stays where it was; the corrected one is
/// beside it, never in its place.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Correction {
    /// `raw + (m−1)/log t` at the estimator's inverse temperature t (the
    /// leading finite-t term of docs/theory.md §1.3 added back; leading
    /// order only, it overshoots for m ≥ 2 at reachable t, §6.3). `null`
    /// unless m is certified by the exact engine or given.
    pub lambda_corrected: Option<f64>,
    /// The m behind `lambda_corrected`.
    pub corrected_for_m: Option<usize>,
    /// Where that m came from: `exact` (certified by the engine), `given`
    /// (`--multiplicity`) or `closed-form` (`rlct llc` on a family: the
    /// cited formula).
    pub corrected_m_source: Option<String>,
    /// Set when the estimate (the corrected value when there is one, else
    /// the raw one) lies outside the engine's proven `[lower, upper]` (the
    /// exact λ when exact) by more than 3 of its standard errors: what it
    /// says and by how much. `null` when inside or nothing was proven.
    pub outside_proven: Option<String>,
}

/// `β·E_β[K]` and its extrapolation.
#[derive(Clone, Debug, Serialize)]
pub struct ThermodynamicEstimate {
    /// `β E_β[K] + (m−1)/log β` at the largest reliable β (leading order;
    /// biased for m > 1, docs/theory.md §6).
    pub lambda: f64,
    /// The raw `β E_β[K]` there (beside the corrected `lambda`).
    pub lambda_raw: f64,
    /// `lambda_raw + (m−1)/log β` with m certified or given (null when m
    /// is a model choice: then only `lambda` uses the fit's m), and the
    /// proven-interval flag.
    #[serde(flatten)]
    pub correction: Correction,
    /// Standard error across runs.
    pub stderr: f64,
    /// The `log β` used for `lambda`.
    pub log_beta: f64,
    /// The curve on a grid of `log β`.
    pub curve: Vec<ThermodynamicPoint>,
}

/// One point of the thermodynamic curve.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ThermodynamicPoint {
    /// `log β`.
    pub log_beta: f64,
    /// `β E_β[K]`, mean over runs.
    pub beta_mean_k: f64,
    /// Standard error across runs.
    pub stderr: f64,
}

/// Nested-sampling settings and counts.
#[derive(Clone, Debug, Serialize)]
pub struct VolumeSettings {
    /// Base seed (run `r` uses stream `r` of ChaCha8 seeded with it).
    pub seed: u64,
    /// Independent runs.
    pub runs: usize,
    /// Live points per run.
    pub live: usize,
    /// Requested depth (`log V` down to `−depth`).
    pub depth: f64,
    /// Depth reached (smallest over runs).
    pub depth_reached: f64,
    /// Runs continued past `depth` until `log ε` fell to this (`null`:
    /// fixed depth).
    pub log_eps_target: Option<f64>,
    /// Slice steps per replacement.
    pub steps: usize,
    /// Fit window starts at `log V = −window_start`.
    pub window_start: f64,
    /// Loss evaluations, all runs.
    pub evaluations: u64,
    /// `depth`, `max-evals`, `time-limit` or `zero-loss`.
    pub stopped_by: String,
}

/// Langevin estimate on the polynomial.
#[derive(Clone, Debug, Serialize)]
pub struct SgldEstimate {
    /// `B · E[K]`, mean over chains.
    pub lambda: f64,
    /// Standard error across chains.
    pub stderr: f64,
    /// Mean Metropolis–Hastings acceptance of the Langevin proposal
    /// (computed, not applied): well below 1 means the step is too large.
    pub acceptance: f64,
    /// The known bias in words (for m > 1: ≈ −(m−1)/log B).
    pub known_bias: String,
    /// `lambda + (m−1)/log B` when m is certified by the exact engine or
    /// given (the leading finite-B term of docs/theory.md §1.3, removed);
    /// `lambda` stays the raw value. `null` when m is a model choice.
    #[serde(flatten)]
    pub correction: Correction,
    /// Settings and counts.
    pub settings: SgldSettingsReport,
    /// Thinned `B·K` traces per chain, for plots.
    #[serde(skip)]
    pub traces: Vec<Vec<f64>>,
}

/// SGLD settings.
#[derive(Clone, Debug, Serialize)]
pub struct SgldSettingsReport {
    /// Base seed.
    pub seed: u64,
    /// Nominal sample size n.
    pub n: f64,
    /// `B = n / log n`.
    pub inverse_temperature: f64,
    /// Step size ε.
    pub step: f64,
    /// Localisation γ.
    pub gamma: f64,
    /// Chains.
    pub chains: usize,
    /// Burn-in steps per chain.
    pub burn_in: usize,
    /// Draws per chain.
    pub draws: usize,
}

/// Outcome of comparing exact and estimated values (`rlct analyze`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictKind {
    /// The estimate is consistent with the exact value (or bound).
    Agree,
    /// The estimate contradicts it: a bug until shown otherwise.
    Disagree,
    /// Not enough to decide (no exact value, estimate failed, error too big).
    Inconclusive,
}

/// The verdict with the numbers behind it.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    /// See [`VerdictKind`].
    pub verdict: VerdictKind,
    /// `(λ̂_volume − λ) / σ` with σ the combined error (see `sigma`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub z_volume: Option<f64>,
    /// Same for SGLD (reported; never decides the verdict).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub z_sgld: Option<f64>,
    /// Threshold on |z|.
    pub threshold: f64,
    /// Why.
    pub reasons: Vec<String>,
}
