//! Nested sampling of the prior volume `V(ε) = φ{K < ε}` (docs/theory.md §6).
//!
//! `N` live points are drawn from φ on the box. Repeatedly the live point of
//! largest `K` dies, its value is recorded as `ε_k`, and it is replaced by a
//! draw from φ restricted to `{K < ε_k}`; then `log V(ε_k) ≈ −k/N`
//! (Skilling 2006). The constrained draw is slice sampling along lines
//! (Neal 2003) with the *whole chord* of the box as the initial bracket and
//! shrinkage towards the current point, which leaves the uniform law on
//! `{K < ε} ∩ box` invariant; directions alternate between coordinate
//! axes, differences of two live points (which adapt to the shape of the
//! shrinking region) and isotropic random directions.

use super::target::Target;
use crate::poly::compiled::Scratch;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use std::time::Instant;

/// Settings of one nested-sampling run.
#[derive(Clone, Debug)]
pub struct NestedSettings {
    /// Number of live points `N`.
    pub live: usize,
    /// Stop when `log V` reaches `−depth` (and, with `log_eps_target`, the
    /// loss has fallen below it).
    pub depth: f64,
    /// Continue past `depth` until `log ε ≤ log_eps_target`, down to
    /// `log V = −max_depth` at most (`NEG_INFINITY`: stop at `depth`).
    /// High λ needs it: `log V` falls λ times faster than `log ε`, so a
    /// fixed depth spans only `depth/λ` e-folds of ε, too few to reach the
    /// asymptotic regime at λ ≳ 3 (docs/theory.md §6.1).
    pub log_eps_target: f64,
    /// See `log_eps_target`.
    pub max_depth: f64,
    /// Slice-sampling steps per replacement.
    pub steps: usize,
    /// Evaluation budget of this run (`u64::MAX`: none).
    pub max_evals: u64,
    /// Wall-clock deadline (breaks determinism; see `EstimateOptions`).
    pub deadline: Option<Instant>,
}

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Reached the requested depth.
    Depth,
    /// Ran out of evaluations.
    MaxEvals,
    /// Ran out of time.
    TimeLimit,
    /// The worst live point had `K = 0`: a set `{K = 0}` of positive
    /// volume (the loss is not zero only on a null set).
    ZeroLoss,
    /// The worst live point's `K` came within [`PRECISION_MARGIN`] of its
    /// f64 error bound: deeper levels would be rounding noise.
    Precision,
}

/// The record of one run.
#[derive(Clone, Debug)]
pub struct NestedRun {
    /// `N`.
    pub live: usize,
    /// `ε_k`, k = 1, 2, … (non-increasing).
    pub dead: Vec<f64>,
    /// `K` of the live points when the run stopped.
    pub final_live: Vec<f64>,
    /// Loss evaluations used.
    pub evals: u64,
    /// Constrained draws whose shrinkage hit its iteration cap (the point
    /// then stays where it was; a non-zero count flags a badly scaled run).
    pub stuck: u64,
    /// Why the run stopped.
    pub stop: Stop,
    /// A non-finite `K` was met (overflow); the run is unusable.
    pub non_finite: bool,
}

impl NestedRun {
    /// `log V` after the `k`-th death (`k ≥ 1`), `−k/N`.
    pub fn log_volume(&self, k: usize) -> f64 {
        -(k as f64) / self.live as f64
    }
}

/// Stop when the worst live `K` is within this factor of its rounding
/// worst-case error bound: at most 1% error on the deepest recorded level
/// (the bound is pessimistic; typical errors are smaller by ~√n).
pub const PRECISION_MARGIN: f64 = 1e2;

/// Slice-sampling bracket shrinkage cap; the region at depth `D` is at most
/// `e^{−D}` of the chord, so ~`D/ln 2` halvings suffice on average.
const MAX_SHRINK: usize = 400;

struct Workspace {
    scratch: Scratch,
    u: Vec<f64>,
    y: Vec<f64>,
    dir: Vec<f64>,
    evals: u64,
    non_finite: bool,
}

impl Workspace {
    fn k(&mut self, t: &Target, v: &[f64]) -> f64 {
        self.evals += 1;
        let k = t.k_at_v(v, &mut self.u, &mut self.scratch);
        if !k.is_finite() {
            self.non_finite = true;
        }
        k
    }
}

/// Runs one nested-sampling pass.
pub fn run(target: &Target, set: &NestedSettings, rng: &mut ChaCha8Rng) -> NestedRun {
    let d = target.dim();
    let n = set.live.max(2);
    let mut ws = Workspace {
        scratch: target.loss.scratch(),
        u: vec![0.0; d],
        y: vec![0.0; d],
        dir: vec![0.0; d],
        evals: 0,
        non_finite: false,
    };
    let mut live = vec![0.0; n * d];
    let mut klive = vec![0.0; n];
    for j in 0..n {
        for i in 0..d {
            live[j * d + i] = target.vlo[i] + (target.vhi[i] - target.vlo[i]) * rng.random::<f64>();
        }
        klive[j] = ws.k(target, &live[j * d..(j + 1) * d]);
    }
    let min_deaths = (set.depth * n as f64).ceil() as usize;
    let max_deaths = (set.max_depth.max(set.depth) * n as f64).ceil() as usize;
    // Grown on demand: the depth bounds the deaths, but a run stopped by
    // its evaluation budget or deadline records far fewer.
    let mut dead = Vec::with_capacity(min_deaths.min(1 << 16));
    let mut stuck = 0;
    let mut x = vec![0.0; d];
    let stop = loop {
        if ws.non_finite {
            break Stop::Depth;
        }
        if dead.len() >= max_deaths
            || (dead.len() >= min_deaths && dead.last().is_some_and(|&e: &f64| e.ln() <= set.log_eps_target))
        {
            break Stop::Depth;
        }
        if ws.evals >= set.max_evals {
            break Stop::MaxEvals;
        }
        if set.deadline.is_some_and(|t| Instant::now() >= t) {
            break Stop::TimeLimit;
        }
        let worst = argmax(&klive);
        let eps = klive[worst];
        if eps <= 0.0 {
            break Stop::ZeroLoss;
        }
        let (_, err) = target.k_error_at_v(&live[worst * d..(worst + 1) * d], &mut ws.u, &mut ws.scratch);
        if eps <= PRECISION_MARGIN * err {
            break Stop::Precision;
        }
        dead.push(eps);
        let mut start = rng.random_range(0..n - 1);
        if start >= worst {
            start += 1;
        }
        x.copy_from_slice(&live[start * d..(start + 1) * d]);
        let mut kx = klive[start];
        for step in 0..set.steps {
            choose_direction(step, target, &live, n, rng, &mut ws.dir);
            match slice_step(target, &mut x, eps, rng, &mut ws) {
                Some(k) => kx = k,
                None => stuck += 1,
            }
        }
        live[worst * d..(worst + 1) * d].copy_from_slice(&x);
        klive[worst] = kx;
    };
    NestedRun { live: n, dead, final_live: klive, evals: ws.evals, stuck, stop, non_finite: ws.non_finite }
}

fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// Direction of the `step`-th slice move: axis, live-point difference, or
/// isotropic, in turn. Directions are scaled by the box so that the three
/// kinds are comparable on anisotropic boxes.
fn choose_direction(step: usize, t: &Target, live: &[f64], n: usize, rng: &mut ChaCha8Rng, dir: &mut [f64]) {
    let d = dir.len();
    match step % 3 {
        0 => {
            dir.iter_mut().for_each(|x| *x = 0.0);
            let i = rng.random_range(0..d);
            dir[i] = t.vhi[i] - t.vlo[i];
        }
        1 => {
            let a = rng.random_range(0..n);
            let mut b = rng.random_range(0..n - 1);
            if b >= a {
                b += 1;
            }
            for i in 0..d {
                dir[i] = live[a * d + i] - live[b * d + i];
            }
            if dir.iter().all(|&x| x == 0.0) {
                let i = rng.random_range(0..d);
                dir[i] = t.vhi[i] - t.vlo[i];
            }
        }
        _ => {
            for i in 0..d {
                let z: f64 = rng.sample(StandardNormal);
                dir[i] = z * (t.vhi[i] - t.vlo[i]);
            }
        }
    }
}

/// One slice move of `x` along `ws.dir` inside `{K < eps} ∩ box`, with the
/// whole chord as the bracket. Returns the new `K(x)`, or `None` (and leaves
/// `x`) when the shrinkage cap was hit.
fn slice_step(t: &Target, x: &mut [f64], eps: f64, rng: &mut ChaCha8Rng, ws: &mut Workspace) -> Option<f64> {
    let (mut tmin, mut tmax) = (f64::NEG_INFINITY, f64::INFINITY);
    for i in 0..x.len() {
        let di = ws.dir[i];
        if di != 0.0 {
            let (a, b) = ((t.vlo[i] - x[i]) / di, (t.vhi[i] - x[i]) / di);
            tmin = tmin.max(a.min(b));
            tmax = tmax.min(a.max(b));
        }
    }
    if !(tmin < 0.0 && tmax > 0.0) {
        return None;
    }
    for _ in 0..MAX_SHRINK {
        let s = tmin + (tmax - tmin) * rng.random::<f64>();
        for i in 0..x.len() {
            ws.y[i] = x[i] + s * ws.dir[i];
        }
        let y = std::mem::take(&mut ws.y);
        let k = ws.k(t, &y);
        ws.y = y;
        if k < eps {
            x.copy_from_slice(&ws.y);
            return Some(k);
        }
        if ws.non_finite {
            return None;
        }
        if s < 0.0 {
            tmin = s;
        } else {
            tmax = s;
        }
    }
    None
}
