//! `rlct llc` without a command line, and the synthetic data set behind
//! it ([`sample`]) for estimators outside rlct.

use crate::estimate::correct;
use crate::estimate::llc::{self, CompiledModel, DataSet, LlcEstimate, LlcSettings};
use crate::models::ClosedForm;
use crate::{Error, Problem, Result};
use num_traits::ToPrimitive;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// A data set drawn from a stated regression model at its truth: row `i`
/// of `x` (n × inputs, row-major) and of `y` (n × outputs).
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// Number of rows n.
    pub n: usize,
    /// Input names, in column order.
    pub inputs: Vec<String>,
    /// Number of outputs.
    pub outputs: usize,
    /// Inputs, row-major.
    pub x: Vec<f64>,
    /// Responses, row-major.
    pub y: Vec<f64>,
}

/// The data set `rlct llc --n n --seed seed` estimates on: the responses
/// are `DataSet::draw`'s; the inputs are regenerated from the same stream
/// (per row: one standard normal per input scaled by its standard
/// deviation, then one per output for the noise), which
/// `tests/python_layers.rs` checks against the data set's features.
pub fn sample(problem: &Problem, n: usize, seed: u64) -> Result<Sample> {
    let spec = problem.model.as_ref().ok_or_else(|| {
        Error::Usage("sampling needs a stated regression model (input/output/truth statements)".into())
    })?;
    if n == 0 || n > crate::limits::MAX_LLC_N {
        return Err(Error::Usage(format!(
            "n must be in 1..={} (crate::limits), got {n}",
            crate::limits::MAX_LLC_N
        )));
    }
    let model = CompiledModel::new(spec, problem.dim())?;
    let data = DataSet::draw(&model, spec, n, seed)?;
    let sd: Vec<f64> = spec
        .input_variance
        .iter()
        .map(|v| v.to_f64().map(f64::sqrt).filter(|s| s.is_finite()))
        .collect::<Option<_>>()
        .ok_or_else(|| Error::Unsupported("input variance does not fit in f64".into()))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (k, outputs) = (spec.inputs.len(), model.outputs);
    let mut x = Vec::with_capacity(n * k);
    let mut y = Vec::with_capacity(n * outputs);
    for i in 0..n {
        for s in &sd {
            x.push(s * rng.sample::<f64, _>(StandardNormal));
        }
        for _ in 0..outputs {
            let _: f64 = rng.sample(StandardNormal);
        }
        y.extend_from_slice(data.response_of(i));
    }
    Ok(Sample { n, inputs: spec.inputs.clone(), outputs, x, y })
}

/// A finished `rlct llc` run.
#[derive(Clone, Debug)]
pub struct LlcRun {
    /// The estimate (traces cleared unless asked for).
    pub estimate: LlcEstimate,
    /// The closed form, when the model is a built-in family.
    pub closed_form: Option<ClosedForm>,
}

impl LlcRun {
    /// `(λ̂ − λ) / λ` against the closed form.
    pub fn relative_error(&self) -> Option<f64> {
        let cf = self.closed_form.as_ref()?;
        let exact = cf.lambda.to_f64().unwrap_or(f64::NAN);
        Some((self.estimate.lambda - exact) / exact)
    }

    /// The object `rlct llc --json` prints.
    pub fn to_json(&self) -> Result<serde_json::Value> {
        let mut v = serde_json::to_value(&self.estimate).map_err(|e| Error::Internal(e.to_string()))?;
        if let (Some(cf), Some(rel)) = (&self.closed_form, self.relative_error()) {
            v["closed_form"] = serde_json::json!({
                "lambda": cf.lambda.to_string(),
                "multiplicity": cf.multiplicity,
                "source": cf.citation,
                "relative_error": rel,
            });
        }
        Ok(v)
    }
}

/// Runs the data-driven estimator on a pool of `threads` workers (`None`:
/// one per core; the estimate does not depend on it), calling `tick` twice
/// per chain.
pub fn run(
    problem: &Problem,
    settings: &LlcSettings,
    closed_form: Option<ClosedForm>,
    threads: Option<usize>,
    traces: bool,
    tick: &(dyn Fn() + Sync),
) -> Result<LlcRun> {
    let pool = thread_pool(threads)?;
    let mut estimate = pool.install(|| llc::run_with_progress(problem, settings, tick))?;
    if !traces {
        estimate.chains.iter_mut().for_each(|c| c.trace.clear());
    }
    // A family's cited closed form plays the exact engine's part: its m
    // corrects the estimate beside the raw value, its λ flags an estimate
    // far from it (`estimate::correct`).
    if let Some(cf) = &closed_form {
        let m = cf.multiplicity.map(|m| (m, "closed-form"));
        estimate.correction = correct::for_m(estimate.lambda, m, estimate.nbeta.ln());
        if let Some(lam) = cf.lambda.to_f64() {
            let what = format!("the closed form λ = {} [{}]", cf.lambda, cf.citation);
            estimate.correction.outside_proven = correct::outside(
                "LLC",
                estimate.lambda,
                estimate.stderr,
                &estimate.correction,
                (lam, lam),
                &what,
            );
        }
    }
    Ok(LlcRun { estimate, closed_form })
}

/// A rayon pool of `threads` workers (`None` or 0: one per core).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Internal(e.to_string()))
}
