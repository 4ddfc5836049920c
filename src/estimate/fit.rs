//! Fits of the volume-scaling law and the thermodynamic curve of one
//! nested-sampling run (docs/theory.md §1, §6):
//!
//! - `log V = λ log ε + (m−1) log log(1/ε) + c` over the small-ε tail, with
//!   `m` given (one free slope) or free (a real-valued diagnostic only: it is
//!   biased low at reachable ε, so `m` is never asserted from it);
//! - `β·E_β[K]` from `Z(β) = Σ_k e^{−βε_k} ΔV_k`, and its leading-order
//!   extrapolation `λ ≈ β E_β[K] + (m−1)/log β`.

use super::nested::NestedRun;

/// The part of a run the fits use: deaths with `log V ∈ [−depth, −start]`.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// Shallowest `−log V` used (skips the large-ε, boundary-dominated part).
    pub start: f64,
}

/// One run's tail points `(log ε_k, log V_k)`, optionally restricted to
/// `ε < 1/e` (where `log log(1/ε) > 0`).
pub fn tail_points(run: &NestedRun, w: Window, need_loglog: bool) -> Vec<(f64, f64)> {
    run.dead
        .iter()
        .enumerate()
        .map(|(k, &e)| (e.ln(), run.log_volume(k + 1)))
        .filter(|&(le, lv)| lv <= -w.start && (!need_loglog || le < -1.0))
        .collect()
}

/// Least-squares slope of `log V − (m−1) log log(1/ε)` against `log ε`.
pub fn fit_lambda_given_m(points: &[(f64, f64)], m: usize) -> Option<f64> {
    let a = (m as f64) - 1.0;
    let ys: Vec<(f64, f64)> = points.iter().map(|&(le, lv)| (le, lv - log_factor(a, le))).collect();
    if ys.len() < 3 {
        return None;
    }
    let n = ys.len() as f64;
    let mx = ys.iter().map(|p| p.0).sum::<f64>() / n;
    let my = ys.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = ys.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = ys.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// Least-squares fit with `m` free: returns `(λ, m)` with `m` real.
pub fn fit_lambda_free_m(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    if points.len() < 4 {
        return None;
    }
    // Normal equations of y = λ x + a z + c on centred data.
    let n = points.len() as f64;
    let (mx, mz, my) =
        points.iter().fold((0.0, 0.0, 0.0), |s, &(le, lv)| (s.0 + le, s.1 + loglog(le), s.2 + lv));
    let (mx, mz, my) = (mx / n, mz / n, my / n);
    let (mut sxx, mut sxz, mut szz, mut sxy, mut szy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(le, lv) in points {
        let (x, z, y) = (le - mx, loglog(le) - mz, lv - my);
        sxx += x * x;
        sxz += x * z;
        szz += z * z;
        sxy += x * y;
        szy += z * y;
    }
    let det = sxx * szz - sxz * sxz;
    if !(det.abs() > 1e-12 * sxx * szz) {
        return None;
    }
    let lambda = (sxy * szz - szy * sxz) / det;
    let a = (szy * sxx - sxy * sxz) / det;
    Some((lambda, a + 1.0))
}

fn loglog(log_eps: f64) -> f64 {
    (-log_eps).ln()
}

/// `(m−1)·log log(1/ε)`, and exactly 0 when `m = 1`: the m = 1 fit also
/// uses points with `ε ≥ 1` (high λ reaches the window's top there), where
/// `log log(1/ε)` is NaN and `0·NaN` would poison the fit.
pub fn log_factor(a: f64, log_eps: f64) -> f64 {
    if a == 0.0 { 0.0 } else { a * loglog(log_eps) }
}

/// `β·E_β[K]` of one run at `log β`, from the dead points (weights
/// `ΔV_k = V_{k−1} − V_k`) and the final live points (each `V_end/N`).
/// Computed in log space: deep runs have `ΔV` far below f64's range.
pub fn beta_mean_k(run: &NestedRun, log_beta: f64) -> f64 {
    let beta = log_beta.exp();
    let n = run.live as f64;
    // log ΔV_k = −(k−1)/N + log(1 − e^{−1/N}).
    let log_dv = (-(1.0 / n)).exp_m1().neg_ln();
    let mut terms: Vec<(f64, f64)> = Vec::with_capacity(run.dead.len() + run.live);
    for (k, &e) in run.dead.iter().enumerate() {
        terms.push((-beta * e + log_dv - k as f64 / n, e));
    }
    let log_end = run.log_volume(run.dead.len()) - n.ln();
    for &e in &run.final_live {
        terms.push((-beta * e + log_end, e));
    }
    let top = terms.iter().map(|t| t.0).fold(f64::NEG_INFINITY, f64::max);
    let (mut z, mut zk) = (0.0, 0.0);
    for (lw, e) in terms {
        let w = (lw - top).exp();
        z += w;
        zk += w * e;
    }
    beta * zk / z
}

trait NegLn {
    fn neg_ln(self) -> f64;
}

impl NegLn for f64 {
    /// `log(−x)` for `x = e^{−1/N} − 1 < 0`.
    fn neg_ln(self) -> f64 {
        (-self).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::nested::Stop;

    fn synthetic(lambda: f64, m: usize, n: usize, depth: f64) -> NestedRun {
        // Exact V(ε) = ε^λ (log 1/ε)^{m−1} inverted at V = e^{−k/N} by
        // bisection in log ε: the fits must recover λ (and m) exactly.
        let dead = (1..=(depth * n as f64) as usize)
            .map(|k| {
                let lv = -(k as f64) / n as f64;
                let (mut a, mut b) = (-1e4, -1.0);
                for _ in 0..200 {
                    let c = 0.5 * (a + b);
                    let v = lambda * c + (m as f64 - 1.0) * (-c).ln();
                    if v > lv { b = c } else { a = c }
                }
                (0.5 * (a + b)).exp()
            })
            .collect();
        NestedRun {
            live: n,
            dead,
            final_live: vec![],
            evals: 0,
            stuck: 0,
            stop: Stop::Depth,
            non_finite: false,
        }
    }

    #[test]
    fn fits_recover_exact_scaling_laws() {
        for (lambda, m) in [(0.5, 1), (0.25, 2), (1.0, 3)] {
            let run = synthetic(lambda, m, 50, 30.0);
            let pts = tail_points(&run, Window { start: 5.0 }, true);
            let l = fit_lambda_given_m(&pts, m).unwrap();
            assert!((l - lambda).abs() < 1e-3 * lambda, "{l} vs {lambda}");
            let (lf, mf) = fit_lambda_free_m(&pts).unwrap();
            assert!((lf - lambda).abs() < 1e-2 * lambda, "{lf}");
            assert!((mf - m as f64).abs() < 0.05, "{mf}");
            // With the wrong m the slope moves.
            let wrong = fit_lambda_given_m(&pts, m + 1).unwrap();
            assert!((wrong - lambda).abs() > 1e-2 * lambda);
        }
    }

    #[test]
    fn m_one_fit_accepts_points_above_eps_one() {
        // V = ε^6 on log ε ∈ [−4, 0.5]: a high λ puts the window's top
        // above ε = 1, where log log(1/ε) is undefined; m = 1 must not use it.
        let pts: Vec<(f64, f64)> =
            (0..20).map(|k| -4.0 + 0.225 * k as f64).map(|le| (le, 6.0 * le)).collect();
        let l = fit_lambda_given_m(&pts, 1).unwrap();
        assert!((l - 6.0).abs() < 1e-9, "{l}");
    }

    #[test]
    fn thermodynamic_curve_of_power_law() {
        // V = ε^λ: Z(β) = Γ(λ+1) β^{−λ}, so β E_β[K] = λ exactly.
        let run = synthetic(0.75, 1, 200, 40.0);
        for lb in [5.0, 10.0, 20.0] {
            let v = beta_mean_k(&run, lb);
            assert!((v - 0.75).abs() < 0.02, "log β = {lb}: {v}");
        }
    }
}
