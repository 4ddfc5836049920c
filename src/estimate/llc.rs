//! Data-driven local learning coefficient (LLC) estimation by minibatch
//! SGLD for a regression [`ModelSpec`] (docs/theory.md §6).
//!
//! A data set of size n is drawn from the model at its true point
//! (x ~ N(0, diag(v)), y = f(x, w₀) + σ·noise); the empirical loss is
//! `L_n(w) = (1/2σ²n) Σ ‖y_i − f(x_i, w)‖²`, so `E[L_n(w)] − E[L_n(w₀)]`
//! is the population loss `K(w)` of `models::population_loss`. SGLD samples
//! the localised tempered posterior `∝ exp(−nβ L_n(w) − (γ/2)|w − w*|²)`:
//! `w ← w − (ε/2)(nβ ∇L_batch(w) + γ(w − w*)) + N(0, ε)`, and
//! `λ̂ = nβ (E[L_n(w)] − L_n(w*))` with the baseline on the *full* data set
//! (a baseline from a few batches moves λ̂ by tens at nβ = n/log n).
//!
//! The model is compiled to flat f64 arrays: the outputs are sums of terms
//! `c · w^a · x^b`; the data enter only through the per-sample features
//! `c·x^b`, precomputed once, so a minibatch step costs O(b·T) for T terms
//! and allocates nothing. Every chain's RNG is seeded from (seed, chain), so
//! results do not depend on the thread count.

use crate::problem::ModelSpec;
use crate::{Error, Problem, Result};
use num_traits::ToPrimitive;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rayon::prelude::*;
use serde::Serialize;
use std::time::Instant;

/// The inverse-temperature convention `nβ`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NBeta {
    /// `n / log n` (Watanabe's β = 1/log n with the full data size).
    NOverLogN,
    /// `b / log b` with the batch size b (devinterp 1.x default).
    BOverLogB,
    /// A given value.
    Fixed(f64),
}

/// The sampler.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sampler {
    /// Plain SGLD (Welling & Teh 2011).
    Sgld,
    /// RMSprop-preconditioned SGLD (Li, Chen, Carlson & Carin 2016,
    /// "Preconditioned SGLD for deep neural networks"), without the Γ
    /// correction term, as devinterp does.
    Rmsprop,
}

/// Step-size adaptation during burn-in (then frozen). In the first half of
/// the burn-in, every [`ADAPT_WINDOW`] steps, each chain rescales its ε
/// towards a target mean MALA rejection probability of its own SGLD steps
/// ([`StepAdaptation::next_epsilon`]); then all chains take the median of
/// the adapted values ([`pooled_epsilon`]), finish the burn-in with it and
/// record with it.
///
/// Why this is a valid sampler: ε changes only during burn-in; the
/// recorded draws come from a time-homogeneous chain (plain SGLD with the
/// frozen ε), so the estimand is unchanged — adaptation only chooses the
/// discretisation, as a hand-picked ε would, but per model.
/// Why MALA rejection: for a Langevin proposal the Metropolis log-ratio
/// has standard deviation of order ε^{3/2} times the local roughness of
/// the potential (Roberts & Rosenthal 1998, JRSS B 60), so its rejection
/// rate measures the discretisation error where the chain actually is:
/// stiff models get a smaller ε, flat ones (whose slow directions need
/// many steps of size √ε to cross) a larger one.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct StepAdaptation {
    /// Target mean rejection probability `1 − min(1, MH ratio)` of the
    /// SGLD step seen as a MALA proposal (on the step's own minibatch).
    pub target_rejection: f64,
    /// The adapted ε stays within `[ε/max_scale, ε·max_scale]` of the
    /// preset ε: a window only sees the regions the chain has visited, and
    /// this bounds how hot a chain that has not yet met its stiff regions
    /// can get.
    pub max_scale: f64,
}

impl StepAdaptation {
    /// The `tuned` preset's rule (docs/validation.md has the measurements).
    pub const TUNED: StepAdaptation = StepAdaptation { target_rejection: 5e-4, max_scale: 10.0 };

    /// The step size after a window with mean rejection `rejection`, from
    /// the current `epsilon` and the configured `epsilon0`. The rejection
    /// scales like ε^{3/2}, so `(r*/r)^{2/3}` would hit the target in one
    /// move if the window's mean were exact; half that exponent and a
    /// factor-2 clamp damp the window noise (a window without rejections
    /// doubles ε).
    pub fn next_epsilon(&self, epsilon: f64, epsilon0: f64, rejection: f64) -> f64 {
        let factor = (self.target_rejection / rejection.max(1e-12)).powf(1.0 / 3.0).clamp(0.5, 2.0);
        (epsilon * factor).clamp(epsilon0 / self.max_scale, epsilon0 * self.max_scale)
    }
}

/// Settings of [`run`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LlcSettings {
    /// Data set size n.
    pub n: usize,
    /// Minibatch size b.
    pub batch: usize,
    /// Step size ε.
    pub epsilon: f64,
    /// Localisation strength γ.
    pub gamma: f64,
    /// nβ convention.
    pub nbeta: NBeta,
    /// Independent chains (each with its own batch order and noise).
    pub chains: usize,
    /// Steps discarded before recording.
    pub burn_in: usize,
    /// Recorded draws per chain.
    pub draws: usize,
    /// Steps between recorded draws.
    pub thin: usize,
    /// Seed of the data set and (with the chain index) of every chain.
    pub seed: u64,
    /// SGLD or RMSprop-SGLD.
    pub sampler: Sampler,
    /// Record `L_B(w) − L_B(w*) + L_n(w*)` instead of the minibatch loss
    /// `L_B(w)`: over uniformly drawn batches both have expectation
    /// `L_n(w)`, so λ̂ estimates the same `nβ(E[L_n(w)] − L_n(w*))`, but the
    /// noise shared by `w` and `w*` (the per-sample noise ‖y − f(x, w*)‖²,
    /// sd ≈ nβ·√(N/2b) ≈ 90 per draw at nβ ≈ 10³, b = 64) cancels: what is
    /// left has variance ≈ 8λ·nβ/b (a control variate; L_B(w*) is a lookup
    /// of precomputed per-sample losses). devinterp records `L_B(w)`.
    pub control_variate: bool,
    /// Burn-in adaptation of ε (`None`: ε as given).
    pub adapt: Option<StepAdaptation>,
}

impl LlcSettings {
    /// devinterp 1.x defaults: 10 chains × 100 draws, ε = 0.01, γ = 0, no
    /// burn-in, nβ = b/log b (batch 64, n = 10⁴ as in docs/theory.md §6).
    pub fn devinterp() -> Self {
        LlcSettings {
            n: 10_000,
            batch: 64,
            epsilon: 0.01,
            gamma: 0.0,
            nbeta: NBeta::BOverLogB,
            chains: 10,
            burn_in: 0,
            draws: 100,
            thin: 1,
            seed: 0,
            sampler: Sampler::Sgld,
            control_variate: false,
            adapt: None,
        }
    }

    /// The tuned setting: n = 10⁶ samples, nβ = 1000 (β = 10⁻³), γ = 0.2,
    /// batch 256, 8 chains, 50000 burn-in steps, 150000 draws, the control
    /// variate, and ε starting at 1e-5 and adapted in the first half of the
    /// burn-in ([`StepAdaptation::TUNED`]). Why (measurements in
    /// docs/validation.md):
    /// - λ̂ depends on the data set through `nβ(L_n(ŵ) − L_n(w*))`-type
    ///   terms: Watanabe's WBIC expansion gives `λ̂ = λ + U_n √(λβ/2) +
    ///   O_p(β)` with `U_n` of order one (Watanabe 2013, JMLR 14, Thm 4).
    ///   At n = 10⁴ and nβ = n/log n (β = 0.11) that is ≈ ±0.4 on λ = 5/2,
    ///   the −22 % of rrr(3,3,2,0) in session 1. The posterior's scale is
    ///   set by nβ alone, so keeping nβ ≈ 10³ and drawing n = 10⁶ samples
    ///   shrinks the data term by √100 without slowing the chain.
    /// - γ = 0.2: the localised posterior itself targets t·E[K] < λ at
    ///   finite t = nβ, by −12 % on nc(1,2) at γ = 1 and −3.6 % at γ = 0.2
    ///   (quadrature); smaller γ lengthens the flat directions.
    /// - Adapted ε: nc(1,2) needs ε ≈ 1e-4 to cross its flat arms, the rrr
    ///   models run hot above ≈ 1.5e-5 and dln(3-2-2-3,1) 3–4 % hot at 1e-5;
    ///   the MALA rejection of the steps sorts them. Batch 256 cools the
    ///   minibatch gradient noise (+7 % on rrr(4,4,3,1) at batch 64).
    pub fn tuned() -> Self {
        LlcSettings {
            n: 1_000_000,
            batch: 256,
            epsilon: 1e-5,
            gamma: 0.2,
            nbeta: NBeta::Fixed(1000.0),
            chains: 8,
            burn_in: 50_000,
            draws: 150_000,
            thin: 1,
            seed: 0,
            sampler: Sampler::Sgld,
            control_variate: true,
            adapt: Some(StepAdaptation::TUNED),
        }
    }

    /// The value of nβ these settings use.
    pub fn nbeta_value(&self) -> f64 {
        match self.nbeta {
            NBeta::NOverLogN => self.n as f64 / (self.n as f64).ln(),
            NBeta::BOverLogB => self.batch as f64 / (self.batch as f64).ln(),
            NBeta::Fixed(v) => v,
        }
    }

    fn validate(&self) -> Result<()> {
        let bad = |m: &str| Err(Error::Usage(format!("llc settings: {m}")));
        if self.n < 2 {
            return bad("n must be at least 2");
        }
        if self.batch < 2 || self.batch > self.n {
            return bad("the batch size must be between 2 and n");
        }
        if !(self.epsilon.is_finite() && self.epsilon > 0.0) {
            return bad("the step size ε must be positive");
        }
        if !(self.gamma.is_finite() && self.gamma >= 0.0) {
            return bad("γ must be non-negative");
        }
        let nb = self.nbeta_value();
        if !(nb.is_finite() && nb > 0.0) {
            return bad("nβ must be positive");
        }
        if self.chains == 0 || self.draws == 0 || self.thin == 0 {
            return bad("chains, draws and thin must be at least 1");
        }
        use crate::limits::{MAX_CHAINS, MAX_LLC_DRAWS, MAX_LLC_N};
        if self.n > MAX_LLC_N {
            return bad(&format!("n = {} is above the limit {MAX_LLC_N} (crate::limits)", self.n));
        }
        if self.chains > MAX_CHAINS {
            return bad(&format!("chains = {} is above the limit {MAX_CHAINS} (crate::limits)", self.chains));
        }
        if self.draws > MAX_LLC_DRAWS || self.burn_in > MAX_LLC_DRAWS {
            return bad(&format!("draws and burn-in must be at most {MAX_LLC_DRAWS} (crate::limits)"));
        }
        if let Some(a) = self.adapt {
            if !(a.target_rejection > 0.0 && a.target_rejection < 1.0) {
                return bad("the target MALA rejection must be in (0, 1)");
            }
            if !(a.max_scale.is_finite() && a.max_scale >= 1.0) {
                return bad("the adaptation's max scale must be at least 1");
            }
        }
        Ok(())
    }
}

/// One chain's result.
#[derive(Clone, Debug, Serialize)]
pub struct ChainResult {
    /// `nβ (mean recorded loss − L_n(w*))`; NaN (null) if the chain diverged.
    pub lambda: f64,
    /// Mean recorded minibatch loss.
    pub mean_loss: f64,
    /// Mean MALA acceptance probability of the recorded steps (a
    /// diagnostic of the discretisation error: near 1 is good).
    pub mala_acceptance: f64,
    /// The step size of the recorded draws (the preset ε, or the value
    /// burn-in adaptation froze).
    pub epsilon: f64,
    /// True when the chain left the finite numbers.
    pub diverged: bool,
    /// The recorded minibatch losses.
    pub trace: Vec<f64>,
}

/// The estimate.
#[derive(Clone, Debug, Serialize)]
pub struct LlcEstimate {
    /// Mean of the per-chain λ̂ over non-diverged chains.
    pub lambda: f64,
    /// Standard error across chains (sd / √chains); NaN with one chain.
    pub stderr: f64,
    /// nβ used.
    pub nbeta: f64,
    /// `L_n(w*)` on the full data set.
    pub baseline_loss: f64,
    /// Per chain.
    pub chains: Vec<ChainResult>,
    /// Minibatch steps per second (all chains, wall clock).
    pub steps_per_second: f64,
    /// Wall time in seconds.
    pub seconds: f64,
    /// The settings used.
    pub settings: LlcSettings,
    /// `lambda + (m−1)/log nβ` with a certified or given m, and the
    /// proven-interval flag (`estimate::correct`; filled by the caller that
    /// knows the exact answer, empty from [`run`]).
    #[serde(flatten)]
    pub correction: crate::report::Correction,
}

/// A regression model compiled to flat arrays: output j is
/// `Σ_{t: out[t] = j} c_t P_t(w) · ψ_{u(t)}(x)` with `P_t = w^{a_t}` and
/// `ψ_u = x^{b_u}` the *distinct* input monomials. Per step the terms are
/// folded into an (outputs × monomials) matrix `C(w)`, so a sample costs
/// O(N·U) (for reduced-rank regression U = M inputs, not N·H·M terms) and
/// the data set stores U features per sample.
#[derive(Clone, Debug)]
pub struct CompiledModel {
    /// Number of parameters.
    pub dim: usize,
    /// Number of inputs.
    pub inputs: usize,
    /// Number of outputs.
    pub outputs: usize,
    term_out: Vec<usize>,
    /// Parameter factors of term t: `fac_start[t]..fac_start[t+1]`.
    fac_start: Vec<usize>,
    fac_var: Vec<usize>,
    fac_exp: Vec<i32>,
    /// Coefficient `c_t`.
    coef: Vec<f64>,
    /// Index `u(t)` of the term's input monomial.
    term_mono: Vec<usize>,
    /// Distinct input monomials as (input, exponent) factors.
    monos: Vec<Vec<(usize, i32)>>,
}

impl CompiledModel {
    /// Compiles the outputs of `spec` (polynomials in `dim` parameters then
    /// the inputs).
    pub fn new(spec: &ModelSpec, dim: usize) -> Result<Self> {
        let inputs = spec.inputs.len();
        let mut m = CompiledModel {
            dim,
            inputs,
            outputs: spec.outputs.len(),
            term_out: vec![],
            fac_start: vec![0],
            fac_var: vec![],
            fac_exp: vec![],
            coef: vec![],
            term_mono: vec![],
            monos: vec![],
        };
        for (j, f) in spec.outputs.iter().enumerate() {
            if f.nvars() != dim + inputs {
                return Err(Error::Internal("model output has the wrong number of variables".into()));
            }
            for t in f.terms() {
                m.term_out.push(j);
                m.coef.push(t.coef.to_f64().unwrap_or(f64::NAN));
                let mut mono = Vec::new();
                for (v, &e) in t.exp.iter().enumerate().filter(|(_, e)| **e > 0) {
                    if v < dim {
                        m.fac_var.push(v);
                        m.fac_exp.push(e as i32);
                    } else {
                        mono.push((v - dim, e as i32));
                    }
                }
                m.fac_start.push(m.fac_var.len());
                let u = m.monos.iter().position(|x| *x == mono).unwrap_or_else(|| {
                    m.monos.push(mono);
                    m.monos.len() - 1
                });
                m.term_mono.push(u);
            }
        }
        if m.coef.iter().any(|c| !c.is_finite()) {
            return Err(Error::Unsupported("a model coefficient does not fit in f64".into()));
        }
        Ok(m)
    }

    /// Number of terms T.
    pub fn terms(&self) -> usize {
        self.term_out.len()
    }

    /// Number of distinct input monomials U.
    pub fn monomials(&self) -> usize {
        self.monos.len()
    }

    /// The features `ψ_u(x) = x^{b_u}` of one input, appended to `out`.
    pub fn features(&self, x: &[f64], out: &mut Vec<f64>) {
        for mono in &self.monos {
            out.push(mono.iter().map(|&(v, e)| x[v].powi(e)).product());
        }
    }

    /// The coefficient matrix `C(w)` (outputs × monomials, row major) from
    /// the parameter monomials `p = P(w)`.
    fn fold(&self, p: &[f64], c: &mut [f64]) {
        let u = self.monomials();
        c.iter_mut().for_each(|v| *v = 0.0);
        for t in 0..self.terms() {
            c[self.term_out[t] * u + self.term_mono[t]] += self.coef[t] * p[t];
        }
    }

    /// `P_t(w)` for every term.
    pub fn param_monomials(&self, w: &[f64], p: &mut [f64]) {
        for (t, pt) in p.iter_mut().enumerate() {
            let mut v = 1.0;
            for k in self.fac_start[t]..self.fac_start[t + 1] {
                v *= w[self.fac_var[k]].powi(self.fac_exp[k]);
            }
            *pt = v;
        }
    }

    /// Adds `Σ_t g_t ∇_w P_t(w)` to `grad`.
    fn add_param_gradient(&self, w: &[f64], g: &[f64], grad: &mut [f64]) {
        for (t, &gt) in g.iter().enumerate() {
            if gt == 0.0 {
                continue;
            }
            let (s, e) = (self.fac_start[t], self.fac_start[t + 1]);
            for k in s..e {
                let (v, a) = (self.fac_var[k], self.fac_exp[k]);
                let mut d = a as f64 * w[v].powi(a - 1);
                for l in (s..e).filter(|&l| l != k) {
                    d *= w[self.fac_var[l]].powi(self.fac_exp[l]);
                }
                grad[v] += gt * d;
            }
        }
    }
}

/// A synthetic data set: features `φ` (n × T) and responses (n × N).
#[derive(Clone, Debug)]
pub struct DataSet {
    /// Number of samples.
    pub n: usize,
    features: Vec<f64>,
    responses: Vec<f64>,
}

impl DataSet {
    /// Draws n samples from `spec` at its truth, seeded by `seed`.
    pub fn draw(model: &CompiledModel, spec: &ModelSpec, n: usize, seed: u64) -> Result<Self> {
        let to_f = |r: &crate::Rat| r.to_f64().filter(|v| v.is_finite());
        let sd: Vec<f64> = spec
            .input_variance
            .iter()
            .map(|v| to_f(v).map(f64::sqrt))
            .collect::<Option<_>>()
            .ok_or_else(|| Error::Unsupported("input variance does not fit in f64".into()))?;
        let truth: Vec<f64> = spec
            .truth
            .iter()
            .map(to_f)
            .collect::<Option<_>>()
            .ok_or_else(|| Error::Unsupported("true parameter does not fit in f64".into()))?;
        let sigma =
            to_f(&spec.noise).ok_or_else(|| Error::Unsupported("noise does not fit in f64".into()))?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (t, u) = (model.terms(), model.monomials());
        let mut p = vec![0.0; t];
        model.param_monomials(&truth, &mut p);
        let mut c = vec![0.0; model.outputs * u];
        model.fold(&p, &mut c);
        let mut features = Vec::with_capacity(n * u);
        let mut responses = Vec::with_capacity(n * model.outputs);
        let mut x = vec![0.0; model.inputs];
        for _ in 0..n {
            for (xi, s) in x.iter_mut().zip(&sd) {
                *xi = s * rng.sample::<f64, _>(StandardNormal);
            }
            let start = features.len();
            model.features(&x, &mut features);
            let psi = &features[start..start + u];
            for row in c.chunks_exact(u.max(1)).take(model.outputs) {
                let yj: f64 = row.iter().zip(psi).map(|(a, b)| a * b).sum();
                responses.push(yj + sigma * rng.sample::<f64, _>(StandardNormal));
            }
        }
        Ok(DataSet { n, features, responses })
    }
}

impl DataSet {
    /// The features `ψ_u(x_i)` of sample i.
    pub fn features_of(&self, i: usize) -> &[f64] {
        let t = self.features.len() / self.n;
        &self.features[i * t..(i + 1) * t]
    }

    /// Copies the samples in the order `order` into `out` (same size):
    /// sample k of `out` is sample `order[k]` of `self`.
    fn gather_into(&self, order: &[u32], out: &mut DataSet) {
        let (u, k) = (self.features.len() / self.n, self.responses.len() / self.n);
        for (dst, &src) in order.iter().enumerate() {
            let src = src as usize;
            out.features[dst * u..(dst + 1) * u].copy_from_slice(&self.features[src * u..(src + 1) * u]);
            out.responses[dst * k..(dst + 1) * k].copy_from_slice(&self.responses[src * k..(src + 1) * k]);
        }
    }

    /// The response `y_i`.
    pub fn response_of(&self, i: usize) -> &[f64] {
        let k = self.responses.len() / self.n;
        &self.responses[i * k..(i + 1) * k]
    }
}

/// Loss (and optionally gradient) evaluation with preallocated buffers.
pub struct Evaluator<'a> {
    model: &'a CompiledModel,
    data: &'a DataSet,
    inv_two_sigma2: f64,
    p: Vec<f64>,
    c: Vec<f64>,
    gc: Vec<f64>,
    g: Vec<f64>,
}

impl<'a> Evaluator<'a> {
    /// A new evaluator for `model` on `data` with noise σ.
    pub fn new(model: &'a CompiledModel, data: &'a DataSet, sigma: f64) -> Self {
        Evaluator {
            model,
            data,
            inv_two_sigma2: 1.0 / (2.0 * sigma * sigma),
            p: vec![0.0; model.terms()],
            c: vec![0.0; model.outputs * model.monomials()],
            gc: vec![0.0; model.outputs * model.monomials()],
            g: vec![0.0; model.terms()],
        }
    }

    /// The mean loss `(1/2σ²|S|) Σ_{i∈S} ‖y_i − f(x_i, w)‖²` over `batch`,
    /// and its gradient into `grad` when given.
    pub fn loss(&mut self, w: &[f64], batch: &[u32], grad: Option<&mut [f64]>) -> f64 {
        let data = self.data;
        self.loss_on(data, w, batch, grad)
    }

    /// [`Evaluator::loss`] on another data set of the same model (a chain's
    /// reordered copy).
    pub fn loss_on(&mut self, data: &DataSet, w: &[f64], batch: &[u32], grad: Option<&mut [f64]>) -> f64 {
        let m = self.model;
        let u = m.monomials();
        let nout = m.outputs;
        m.param_monomials(w, &mut self.p);
        m.fold(&self.p, &mut self.c);
        let want_grad = grad.is_some();
        let sum =
            batch_sum(u, nout, &self.c, &data.features, &data.responses, batch, want_grad, &mut self.gc);
        let scale = self.inv_two_sigma2 / batch.len() as f64;
        if let Some(grad) = grad {
            grad.iter_mut().for_each(|v| *v = 0.0);
            // d/dw of scale·Σ r² is 2·scale·Σ_j r_j Σ_t c_t ψ_{u(t)} ∂P_t/∂w.
            for t in 0..m.terms() {
                self.g[t] = 2.0 * scale * m.coef[t] * self.gc[m.term_out[t] * u + m.term_mono[t]];
            }
            m.add_param_gradient(w, &self.g, grad);
        }
        sum * scale
    }
}

/// `Σ_{i∈batch} ‖C ψ_i − y_i‖²` and, with `grad`, `gc = Σ_i r_i ψ_iᵀ`
/// (outputs × monomials), for `C` = `c` (row major, `nout × u`). Small
/// shapes (u, nout ≤ 4: the linear networks of the validation suite) run a
/// kernel monomorphised on them, whose loops the compiler unrolls and keeps
/// in registers; the operations and their order are those of the generic
/// loop, so results are bit-identical either way.
#[allow(clippy::too_many_arguments)]
fn batch_sum(
    u: usize,
    nout: usize,
    c: &[f64],
    feats: &[f64],
    resp: &[f64],
    batch: &[u32],
    grad: bool,
    gc: &mut [f64],
) -> f64 {
    macro_rules! dispatch {
        ($($uu:literal, $nn:literal);*) => {
            match (u, nout, grad) {
                $(($uu, $nn, true) => return batch_kernel::<$uu, $nn, true>(c, feats, resp, batch, gc),
                  ($uu, $nn, false) => return batch_kernel::<$uu, $nn, false>(c, feats, resp, batch, gc),)*
                _ => {}
            }
        };
    }
    dispatch!(1,1; 1,2; 1,3; 1,4; 2,1; 2,2; 2,3; 2,4; 3,1; 3,2; 3,3; 3,4; 4,1; 4,2; 4,3; 4,4);
    if grad {
        gc.iter_mut().for_each(|v| *v = 0.0);
    }
    let mut sum = 0.0;
    for &i in batch {
        let i = i as usize;
        let psi = &feats[i * u..(i + 1) * u];
        let y = &resp[i * nout..(i + 1) * nout];
        for (j, &yj) in y.iter().enumerate() {
            let row = &c[j * u..(j + 1) * u];
            let r = row.iter().zip(psi).map(|(a, b)| a * b).sum::<f64>() - yj;
            sum += r * r;
            if grad {
                for (g, f) in gc[j * u..(j + 1) * u].iter_mut().zip(psi) {
                    *g += r * f;
                }
            }
        }
    }
    sum
}

/// [`batch_sum`] for fixed `U` monomials and `N` outputs.
#[inline(always)]
fn batch_kernel<const U: usize, const N: usize, const GRAD: bool>(
    c: &[f64],
    feats: &[f64],
    resp: &[f64],
    batch: &[u32],
    gc: &mut [f64],
) -> f64 {
    let mut cm = [[0.0f64; U]; N];
    for (j, row) in cm.iter_mut().enumerate() {
        row.copy_from_slice(&c[j * U..(j + 1) * U]);
    }
    let mut g = [[0.0f64; U]; N];
    let mut sum = 0.0;
    for &i in batch {
        let i = i as usize;
        let psi: &[f64; U] = feats[i * U..(i + 1) * U].try_into().expect("feature row");
        let y: &[f64; N] = resp[i * N..(i + 1) * N].try_into().expect("response row");
        for j in 0..N {
            // The generic loop's order: a fold from 0 over the products,
            // then the response.
            let mut r = 0.0;
            for k in 0..U {
                r += cm[j][k] * psi[k];
            }
            let r = r - y[j];
            sum += r * r;
            if GRAD {
                for k in 0..U {
                    g[j][k] += r * psi[k];
                }
            }
        }
    }
    if GRAD {
        for (j, row) in g.iter().enumerate() {
            gc[j * U..(j + 1) * U].copy_from_slice(row);
        }
    }
    sum
}

/// The seed of item `index` (a chain, a sweep member) under a user seed:
/// `(seed, index)` mixed by the SplitMix64 finaliser, so items get
/// unrelated streams and a result never depends on which thread ran it.
pub fn derived_seed(seed: u64, index: usize) -> u64 {
    let mut z = seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// RMSprop constants of pSGLD (Li et al. 2016 use α = 0.99, small δ).
const RMS_ALPHA: f64 = 0.99;
const RMS_DELTA: f64 = 1e-5;

/// Samples per shuffled block of the epoch-wise minibatch order.
const SHUFFLE_BLOCK: usize = 16;

/// Most draws per chain on which the MALA acceptance diagnostic is computed.
const MALA_SAMPLES: usize = 4096;

/// Burn-in steps per ε update of [`StepAdaptation`]; the rejection is
/// measured on every [`ADAPT_EVERY`]-th step of the window.
pub const ADAPT_WINDOW: usize = 2000;
const ADAPT_EVERY: usize = 4;

struct ChainContext<'a> {
    model: &'a CompiledModel,
    data: &'a DataSet,
    sigma: f64,
    center: &'a [f64],
    nbeta: f64,
    baseline: f64,
    /// Per-sample loss `‖y_i − f(x_i, w*)‖²/2σ²` (for the control variate).
    star_loss: &'a [f64],
    s: &'a LlcSettings,
}

/// One chain's complete state, so that a chain can stop after its
/// adaptation phase and resume with the pooled ε.
struct ChainState<'a> {
    rng: ChaCha8Rng,
    ev: Evaluator<'a>,
    w: Vec<f64>,
    grad: Vec<f64>,
    drift: Vec<f64>,
    precond: Vec<f64>,
    sq_avg: Vec<f64>,
    w_new: Vec<f64>,
    grad_new: Vec<f64>,
    order: Vec<u32>,
    block_order: Vec<u32>,
    cursor: usize,
    local: DataSet,
    local_star: Vec<f64>,
    window: Vec<u32>,
    trace: Vec<f64>,
    accept_sum: f64,
    mala_count: usize,
    eps: f64,
    window_rejection: f64,
    window_count: usize,
    diverged: bool,
}

/// The steps `0..adaptation_end(s)` adapt ε (whole windows in the first
/// half of the burn-in); the rest of the burn-in runs at the pooled ε
/// before any draw is recorded.
fn adaptation_end(s: &LlcSettings) -> usize {
    if s.adapt.is_some() { s.burn_in / 2 / ADAPT_WINDOW * ADAPT_WINDOW } else { 0 }
}

impl<'a> ChainState<'a> {
    fn new(cx: &ChainContext<'a>, chain: usize) -> Self {
        let d = cx.model.dim;
        let n = cx.data.n;
        ChainState {
            rng: ChaCha8Rng::seed_from_u64(derived_seed(cx.s.seed, chain)),
            ev: Evaluator::new(cx.model, cx.data, cx.sigma),
            w: cx.center.to_vec(),
            grad: vec![0.0; d],
            drift: vec![0.0; d],
            precond: vec![1.0; d],
            sq_avg: vec![0.0; d],
            w_new: vec![0.0; d],
            grad_new: vec![0.0; d],
            order: (0..n as u32).collect(),
            block_order: (0..n.div_ceil(SHUFFLE_BLOCK) as u32).collect(),
            cursor: n,
            // Allocated by `advance` (see `ensure_local`).
            local: DataSet { n: 0, features: vec![], responses: vec![] },
            local_star: vec![],
            window: vec![0; cx.s.batch],
            trace: Vec::with_capacity(cx.s.draws.min(1 << 16)),
            accept_sum: 0.0,
            mala_count: 0,
            eps: cx.s.epsilon,
            window_rejection: 0.0,
            window_count: 0,
            diverged: false,
        }
    }

    /// The chain reads its epoch's samples from a copy laid out in the
    /// shuffled order, so a minibatch is a contiguous slice: sequential
    /// memory access (measured: 1.8× less CPU time for rrr(3,3,2,1) at
    /// n = 10⁶, where the data set outgrows the cache). The copy exists
    /// only while the chain runs ([`ChainState::release_local`] between the
    /// two phases), so at most one copy per thread is alive, as before the
    /// adaptation phase existed; rebuilt from `order`, it is the same copy.
    fn ensure_local(&mut self, cx: &ChainContext) {
        if self.local.n == cx.data.n {
            return;
        }
        self.local = cx.data.clone();
        if self.cursor < self.order.len() {
            cx.data.gather_into(&self.order, &mut self.local);
        }
        self.local_star = if cx.star_loss.is_empty() {
            vec![]
        } else {
            self.order.iter().map(|&i| cx.star_loss[i as usize]).collect()
        };
    }

    fn release_local(&mut self) {
        self.local = DataSet { n: 0, features: vec![], responses: vec![] };
        self.local_star = vec![];
    }

    /// Runs the steps `from..to` of the chain (step indices count from the
    /// start of the burn-in).
    fn advance(&mut self, cx: &ChainContext, from: usize, to: usize) {
        if from >= to || self.diverged {
            return;
        }
        self.ensure_local(cx);
        let s = cx.s;
        let d = cx.model.dim;
        let n = cx.data.n;
        let mala_every = s.draws.div_ceil(MALA_SAMPLES).max(1);
        let adapt_until = adaptation_end(s);
        let potential = |loss: f64, w: &[f64]| {
            cx.nbeta * loss
                + 0.5 * s.gamma * w.iter().zip(cx.center).map(|(a, b)| (a - b) * (a - b)).sum::<f64>()
        };
        let ChainState {
            rng,
            ev,
            w,
            grad,
            drift,
            precond,
            sq_avg,
            w_new,
            grad_new,
            order,
            block_order,
            cursor,
            local,
            local_star,
            window,
            trace,
            accept_sum,
            mala_count,
            eps,
            window_rejection,
            window_count,
            diverged,
        } = self;
        if *diverged {
            return;
        }
        for step in from..to {
            // Epoch-wise shuffled minibatches: Fisher–Yates per epoch on
            // blocks of SHUFFLE_BLOCK consecutive samples. The samples are
            // drawn iid, so over data sets a batch of shuffled blocks is
            // distributed as a batch of shuffled samples; shuffling blocks
            // makes the epoch's copy a sequential read (a per-sample
            // shuffle at n = 10⁶ costs a cache miss per sample, more than
            // the SGLD step itself).
            if *cursor + s.batch > order.len() {
                for i in (1..block_order.len()).rev() {
                    let j = rng.random_range(0..=i);
                    block_order.swap(i, j);
                }
                let mut k = 0;
                for &blk in block_order.iter() {
                    let start = blk as usize * SHUFFLE_BLOCK;
                    for i in start..(start + SHUFFLE_BLOCK).min(n) {
                        order[k] = i as u32;
                        k += 1;
                    }
                }
                *cursor = 0;
                cx.data.gather_into(order, local);
                for (dst, &src) in local_star.iter_mut().zip(order.iter()) {
                    *dst = cx.star_loss[src as usize];
                }
            }
            for (k, slot) in window.iter_mut().enumerate() {
                *slot = (*cursor + k) as u32;
            }
            let batch = &window[..];
            *cursor += s.batch;
            let loss = ev.loss_on(local, w, batch, Some(grad));
            if s.sampler == Sampler::Rmsprop {
                for i in 0..d {
                    sq_avg[i] = RMS_ALPHA * sq_avg[i] + (1.0 - RMS_ALPHA) * grad[i] * grad[i];
                    precond[i] = 1.0 / (RMS_DELTA + sq_avg[i].sqrt());
                }
            }
            for i in 0..d {
                drift[i] = cx.nbeta * grad[i] + s.gamma * (w[i] - cx.center[i]);
            }
            let record = step >= s.burn_in && (step - s.burn_in + 1).is_multiple_of(s.thin);
            for i in 0..d {
                let noise: f64 = rng.sample(StandardNormal);
                w_new[i] = w[i] - 0.5 * *eps * precond[i] * drift[i] + (*eps * precond[i]).sqrt() * noise;
            }
            if record {
                trace.push(if s.control_variate {
                    let at_star =
                        batch.iter().map(|&i| local_star[i as usize]).sum::<f64>() / batch.len() as f64;
                    loss - at_star + cx.baseline
                } else {
                    loss
                });
            }
            // MALA acceptance of this step as a Metropolis proposal, on the
            // same batch (potential and gradient at the proposed point). It
            // costs a second gradient, so long chains evaluate it on at most
            // MALA_SAMPLES evenly spaced draws (a diagnostic mean, not the
            // estimate), and adaptation on every ADAPT_EVERY-th step.
            let diagnose = record && (trace.len() - 1) % mala_every == 0;
            let adapting = step < adapt_until;
            if diagnose || (adapting && step % ADAPT_EVERY == 0) {
                let loss_new = ev.loss_on(local, w_new, batch, Some(grad_new));
                let (mut fwd, mut bwd) = (0.0, 0.0);
                for i in 0..d {
                    let drift_new = cx.nbeta * grad_new[i] + s.gamma * (w_new[i] - cx.center[i]);
                    let var = *eps * precond[i];
                    let a = w_new[i] - w[i] + 0.5 * var * drift[i];
                    let b = w[i] - w_new[i] + 0.5 * var * drift_new;
                    fwd += a * a / (2.0 * var);
                    bwd += b * b / (2.0 * var);
                }
                let log_a = potential(loss, w) - potential(loss_new, w_new) + fwd - bwd;
                let acceptance = if log_a.is_nan() { 0.0 } else { log_a.min(0.0).exp() };
                if diagnose {
                    *mala_count += 1;
                    *accept_sum += acceptance;
                } else {
                    *window_rejection += 1.0 - acceptance;
                    *window_count += 1;
                }
            }
            if let Some(a) = s.adapt.filter(|_| adapting && (step + 1) % ADAPT_WINDOW == 0) {
                *eps = a.next_epsilon(*eps, s.epsilon, *window_rejection / (*window_count).max(1) as f64);
                (*window_rejection, *window_count) = (0.0, 0);
            }
            std::mem::swap(w, w_new);
            if !w.iter().all(|v| v.is_finite()) {
                *diverged = true;
                return;
            }
        }
    }

    fn finish(self, cx: &ChainContext) -> ChainResult {
        if self.diverged {
            return ChainResult {
                lambda: f64::NAN,
                mean_loss: f64::NAN,
                mala_acceptance: f64::NAN,
                epsilon: self.eps,
                diverged: true,
                trace: self.trace,
            };
        }
        let mean_loss = self.trace.iter().sum::<f64>() / self.trace.len() as f64;
        ChainResult {
            lambda: cx.nbeta * (mean_loss - cx.baseline),
            mean_loss,
            mala_acceptance: self.accept_sum / self.mala_count as f64,
            epsilon: self.eps,
            diverged: false,
            trace: self.trace,
        }
    }
}

/// The ε every chain uses after the adaptation phase: the median over the
/// non-diverged chains of their adapted ε (the mean of the two middle
/// logarithms for an even count). Why pool: a chain's last windows only see
/// where that chain happens to be; on nc(1,2) a chain that ends its
/// adaptation deep in the stiff arm a ≈ 0 adapts ε 30× down and then stays
/// stuck there, at twice the λ̂ of the others (docs/validation.md). The
/// median of independent adaptations is robust to such chains. `None` when
/// every chain diverged.
pub fn pooled_epsilon(adapted: &[f64]) -> Option<f64> {
    let mut logs: Vec<f64> = adapted.iter().filter(|e| e.is_finite() && **e > 0.0).map(|e| e.ln()).collect();
    if logs.is_empty() {
        return None;
    }
    logs.sort_by(f64::total_cmp);
    let k = logs.len();
    Some(((logs[(k - 1) / 2] + logs[k / 2]) / 2.0).exp())
}

/// Estimates the LLC of a problem with a regression model (see the module
/// documentation). Errors if the problem has no [`ModelSpec`].
pub fn run(problem: &Problem, settings: &LlcSettings) -> Result<LlcEstimate> {
    run_with_progress(problem, settings, &|| {})
}

/// [`run`], calling `tick` once per chain after its adaptation phase and
/// once per chain when it has finished (2 × chains calls in all; for a
/// progress bar, it does not change the result).
pub fn run_with_progress(
    problem: &Problem,
    settings: &LlcSettings,
    tick: &(dyn Fn() + Sync),
) -> Result<LlcEstimate> {
    settings.validate()?;
    let spec = problem.model.as_ref().ok_or_else(|| {
        Error::Usage(
            "LLC estimation needs a regression model (input/output statements); \
             for a bare loss use the SGLD estimator on K"
                .into(),
        )
    })?;
    if problem.one_sided() {
        // The chains move freely around the truth: they would sample the
        // side the domain excludes (docs/theory.md §2.6).
        return Err(Error::Unsupported(
            "the minibatch LLC samples a full neighbourhood of the truth, but the domain is one-sided \
             there; `rlct estimate` samples the one-sided box"
                .into(),
        ));
    }
    let model = CompiledModel::new(spec, problem.dim())?;
    let data = DataSet::draw(&model, spec, settings.n, settings.seed)?;
    let sigma = spec.noise.to_f64().unwrap_or(f64::NAN);
    let center: Vec<f64> = problem.point.iter().map(|c| c.to_f64().unwrap_or(f64::NAN)).collect();
    if !sigma.is_finite() || center.iter().any(|c| !c.is_finite()) {
        return Err(Error::Unsupported("the point or the noise does not fit in f64".into()));
    }
    let all: Vec<u32> = (0..data.n as u32).collect();
    let mut ev = Evaluator::new(&model, &data, sigma);
    let baseline = ev.loss(&center, &all, None);
    let star_loss: Vec<f64> = if settings.control_variate {
        all.iter().map(|&i| ev.loss(&center, &[i], None)).collect()
    } else {
        vec![]
    };
    let nbeta = settings.nbeta_value();
    let cx = ChainContext {
        model: &model,
        data: &data,
        sigma,
        center: &center,
        nbeta,
        baseline,
        star_loss: &star_loss,
        s: settings,
    };
    let start = Instant::now();
    // Two phases: every chain adapts ε on its own, the adapted values are
    // pooled (a function of all chains in index order, so the result does
    // not depend on the thread count), then every chain finishes its
    // burn-in and records with the pooled ε.
    let adapted = adaptation_end(settings);
    let mut states: Vec<ChainState> = (0..settings.chains)
        .into_par_iter()
        .map(|c| {
            let mut st = ChainState::new(&cx, c);
            st.advance(&cx, 0, adapted);
            st.release_local();
            tick();
            st
        })
        .collect();
    if adapted > 0 {
        let live: Vec<f64> = states.iter().filter(|st| !st.diverged).map(|st| st.eps).collect();
        if let Some(eps) = pooled_epsilon(&live) {
            states.iter_mut().for_each(|st| st.eps = eps);
        }
    }
    let total = settings.burn_in + settings.draws * settings.thin;
    let chains: Vec<ChainResult> = states
        .into_par_iter()
        .map(|mut st| {
            st.advance(&cx, adapted, total);
            let done = st.finish(&cx);
            tick();
            done
        })
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    let ok: Vec<f64> = chains.iter().filter(|c| !c.diverged).map(|c| c.lambda).collect();
    let (lambda, stderr) = mean_and_stderr(&ok);
    let steps = settings.chains * (settings.burn_in + settings.draws * settings.thin);
    Ok(LlcEstimate {
        lambda,
        stderr,
        nbeta,
        baseline_loss: baseline,
        chains,
        steps_per_second: steps as f64 / seconds.max(1e-9),
        seconds,
        settings: settings.clone(),
        correction: Default::default(),
    })
}

/// Mean and standard error (sample sd / √k) of `v`; NaN where undefined.
pub fn mean_and_stderr(v: &[f64]) -> (f64, f64) {
    let k = v.len() as f64;
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mean = v.iter().sum::<f64>() / k;
    if v.len() < 2 {
        return (mean, f64::NAN);
    }
    let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (k - 1.0);
    (mean, (var / k).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Family;

    fn rrr332() -> Problem {
        Family::Rrr { inputs: 3, outputs: 3, hidden: 2, rank: 1 }.problem().unwrap()
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let p = rrr332();
        let spec = p.model.as_ref().unwrap();
        let m = CompiledModel::new(spec, p.dim()).unwrap();
        let data = DataSet::draw(&m, spec, 50, 3).unwrap();
        let mut ev = Evaluator::new(&m, &data, 1.0);
        let w: Vec<f64> = (0..p.dim()).map(|i| 0.3 * (i as f64).sin() + 0.1).collect();
        let batch: Vec<u32> = (0..50).collect();
        let mut g = vec![0.0; p.dim()];
        let l0 = ev.loss(&w, &batch, Some(&mut g));
        for i in 0..p.dim() {
            let h = 1e-6;
            let mut wp = w.clone();
            wp[i] += h;
            let mut wm = w.clone();
            wm[i] -= h;
            let fd = (ev.loss(&wp, &batch, None) - ev.loss(&wm, &batch, None)) / (2.0 * h);
            assert!((fd - g[i]).abs() < 1e-6 * (1.0 + g[i].abs()), "coordinate {i}: {fd} vs {}", g[i]);
        }
        assert!(l0 > 0.0);
    }

    #[test]
    fn empirical_loss_at_truth_is_half_noise_variance() {
        // E‖noise‖²/(2σ²) = N/2 per sample for N outputs.
        let p = rrr332();
        let spec = p.model.as_ref().unwrap();
        let m = CompiledModel::new(spec, p.dim()).unwrap();
        let n = 20_000;
        let data = DataSet::draw(&m, spec, n, 1).unwrap();
        let all: Vec<u32> = (0..n as u32).collect();
        let center: Vec<f64> = p.point.iter().map(|c| c.to_f64().unwrap()).collect();
        let l = Evaluator::new(&m, &data, 1.0).loss(&center, &all, None);
        // sd of the mean of (χ²_3)/2 is sqrt(6)/2/sqrt(n) ≈ 0.0087.
        assert!((l - 1.5).abs() < 4.0 * 0.0087, "{l}");
    }

    #[test]
    fn step_adaptation_moves_towards_the_target_within_bounds() {
        let close = |x: f64, y: f64| (x / y - 1.0).abs() < 1e-12;
        let a = StepAdaptation { target_rejection: 1e-3, max_scale: 10.0 };
        assert!(close(a.next_epsilon(2e-5, 1e-5, 1e-3), 2e-5), "at the target ε stays");
        let hot = a.next_epsilon(2e-5, 1e-5, 8e-3);
        assert!(close(hot, 1e-5), "8× too many rejections halve ε: {hot}");
        assert!(close(a.next_epsilon(2e-5, 1e-5, 0.0), 4e-5), "no rejection: at most doubled");
        assert!(close(a.next_epsilon(8e-5, 1e-5, 0.0), 1e-4), "never above ε·max_scale");
        assert!(close(a.next_epsilon(1.5e-6, 1e-5, 0.5), 1e-6), "never below ε/max_scale");
        let mid = a.next_epsilon(1e-5, 1e-5, 2e-3);
        assert!(mid < 1e-5 && mid > 0.5e-5, "{mid}");
    }

    #[test]
    fn pooled_epsilon_is_the_median_and_ignores_outliers() {
        let close = |x: Option<f64>, y: f64| x.is_some_and(|x| (x / y - 1.0).abs() < 1e-12);
        assert!(close(pooled_epsilon(&[1e-5, 3e-6, 1e-4]), 1e-5));
        assert!(close(pooled_epsilon(&[1e-4, 1e-6, 1e-5, 1e-3]), (1e-5f64 * 1e-4).sqrt()));
        // One chain stuck in a stiff region does not move the pooled value.
        assert!(close(pooled_epsilon(&[1e-4, 1e-4, 2.5e-6, 1e-4, 9e-5]), 1e-4));
        assert_eq!(pooled_epsilon(&[f64::NAN]), None);
        assert_eq!(pooled_epsilon(&[]), None);
    }

    #[test]
    fn errors_without_model_and_on_bad_settings() {
        let mut p = rrr332();
        let mut s = LlcSettings::tuned();
        s.epsilon = -1.0;
        assert!(matches!(run(&p, &s), Err(Error::Usage(_))));
        s.epsilon = 1e-5;
        s.adapt = Some(StepAdaptation { target_rejection: 1.5, max_scale: 10.0 });
        assert!(matches!(run(&p, &s), Err(Error::Usage(_))));
        s.adapt = Some(StepAdaptation { target_rejection: 1e-3, max_scale: 0.5 });
        assert!(matches!(run(&p, &s), Err(Error::Usage(_))));
        p.model = None;
        assert!(matches!(run(&p, &LlcSettings::tuned()), Err(Error::Usage(_))));
    }
}
