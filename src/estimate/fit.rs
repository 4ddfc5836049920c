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

/// A term beyond leading order in the fitted scaling law (docs/theory.md
/// §6.1): `V(ε) = Σ_k c_k ε^{λ_k} (log 1/ε)^{m_k − 1}` over the poles of
/// ζ, so at reachable ε the leading term carries a relative correction
/// `ε^δ` (the next pole δ above λ; in high dimension poles are dense and δ
/// small) or, for m > 1, a power of `1/log(1/ε)`. The fitted model is
/// `log V = λ log ε + (m−1) log log(1/ε) + c + b·g(log ε)` with one `g`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Correction {
    /// Leading order only.
    None,
    /// `g = ε^δ` (a second pole δ above λ).
    Power(f64),
    /// `g = 1/log(1/ε)` (the next term of the logarithmic expansion).
    InverseLog,
}

impl Correction {
    /// The candidates the volume estimator compares, leading order first.
    pub const ALL: [Correction; 5] = [
        Correction::None,
        Correction::Power(0.25),
        Correction::Power(0.5),
        Correction::Power(1.0),
        Correction::InverseLog,
    ];

    fn regressor(self, log_eps: f64) -> Option<f64> {
        match self {
            Correction::None => None,
            Correction::Power(d) => Some((d * log_eps).exp()),
            Correction::InverseLog => Some(1.0 / -log_eps),
        }
    }

    /// A short name for reports (`leading`, `eps^0.25`, `1/log`).
    pub fn name(self) -> String {
        match self {
            Correction::None => "leading".into(),
            Correction::Power(d) => format!("eps^{d}"),
            Correction::InverseLog => "1/log".into(),
        }
    }
}

/// One run's fit of one model: λ and the mean squared residual.
#[derive(Clone, Copy, Debug)]
pub struct ModelFit {
    /// Fitted λ.
    pub lambda: f64,
    /// Mean squared residual of `log V` (the models share the points, so
    /// this ranks them).
    pub mse: f64,
}

/// Least-squares fit of `log V − (m−1) log log(1/ε) = λ log ε + b g + c`
/// on `points` (all with `log ε < 0`, and `< −1` when `m > 1` or `g` is
/// `1/log`: see [`tail_points`]).
pub fn fit_model(points: &[(f64, f64)], m: usize, corr: Correction) -> Option<ModelFit> {
    let a = m as f64 - 1.0;
    let k = if corr == Correction::None { 2 } else { 3 };
    if points.len() < k + 3 {
        return None;
    }
    // Normal equations on centred columns [log ε, g] (intercept eliminated).
    let n = points.len() as f64;
    let cols: Vec<([f64; 2], f64)> = points
        .iter()
        .map(|&(le, lv)| ([le, corr.regressor(le).unwrap_or(0.0)], lv - log_factor(a, le)))
        .collect();
    let mut mean = ([0.0; 2], 0.0);
    for (x, y) in &cols {
        mean.0[0] += x[0] / n;
        mean.0[1] += x[1] / n;
        mean.1 += y / n;
    }
    let (mut s00, mut s01, mut s11, mut s0y, mut s1y) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (x, y) in &cols {
        let (u, v, w) = (x[0] - mean.0[0], x[1] - mean.0[1], y - mean.1);
        s00 += u * u;
        s01 += u * v;
        s11 += v * v;
        s0y += u * w;
        s1y += v * w;
    }
    let (lambda, b) = if k == 2 {
        if !(s00 > 0.0) {
            return None;
        }
        (s0y / s00, 0.0)
    } else {
        let det = s00 * s11 - s01 * s01;
        if !(det.abs() > 1e-10 * s00 * s11) {
            return None;
        }
        ((s0y * s11 - s1y * s01) / det, (s1y * s00 - s0y * s01) / det)
    };
    let mse = cols
        .iter()
        .map(|(x, y)| {
            let r = (y - mean.1) - lambda * (x[0] - mean.0[0]) - b * (x[1] - mean.0[1]);
            r * r
        })
        .sum::<f64>()
        / n;
    (lambda.is_finite() && mse.is_finite()).then_some(ModelFit { lambda, mse })
}

/// Relative excess of mean squared residual within which a model counts as
/// plausible (its λ then enters the systematic error).
pub const PLAUSIBLE_MSE: f64 = 0.25;
/// Systematic floor, relative to λ̂: terms no candidate models.
pub const SYSTEMATIC_FLOOR: f64 = 0.01;
/// Largest m tried when m is a model choice.
pub const MAX_MODEL_M: usize = 6;

/// One candidate model (m, correction) over all runs.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Multiplicity used.
    pub m: usize,
    /// Correction term.
    pub correction: Correction,
    /// Mean of the per-run λ.
    pub lambda: f64,
    /// Standard error of `lambda` across runs.
    pub stderr: f64,
    /// Pooled mean squared residual relative to the best candidate's (≥ 1).
    pub mse_ratio: f64,
}

/// The volume fit's model choice: the selected model, its runs, and the
/// systematic error from the plausible alternatives.
#[derive(Clone, Debug)]
pub struct Choice {
    /// Every candidate, in the order tried.
    pub candidates: Vec<Candidate>,
    /// Index of the selected candidate.
    pub selected: usize,
    /// Per-run λ of the selected model (run order).
    pub per_run: Vec<f64>,
    /// Runs that entered the fit (every candidate fitted on them).
    pub runs_used: usize,
    /// `max |λ_c − λ̂|` over the plausible candidates, at least
    /// [`SYSTEMATIC_FLOOR`]·|λ̂|.
    pub systematic: f64,
    /// The leading-order candidate with the selected m.
    pub leading: usize,
}

/// Chooses the scaling-law model from the runs' tail points (one point set
/// per run, shared by every candidate so that residuals are comparable).
/// `ms`: the multiplicities to try (one when m is given or certified).
///
/// Selection: every (m, correction) is fitted per run; the pooled mean
/// squared residual ranks them. Plausible models are those within
/// [`PLAUSIBLE_MSE`] of the best; among them the leading-order model is
/// preferred (fewest parameters, least variance), otherwise the best. The
/// systematic error is the largest distance from the selected λ̂ to a
/// plausible model's λ̂: where the data cannot tell the models apart, their
/// disagreement is part of the uncertainty.
pub fn choose(points: &[Vec<(f64, f64)>], ms: &[usize]) -> Option<Choice> {
    let mut per: Vec<(usize, Correction, Vec<ModelFit>)> = vec![];
    for &m in ms {
        for c in Correction::ALL {
            per.push((m, c, vec![]));
        }
    }
    let mut runs_used = 0;
    for pts in points {
        let fits: Vec<Option<ModelFit>> = per.iter().map(|(m, c, _)| fit_model(pts, *m, *c)).collect();
        if fits.iter().all(|f| f.is_some()) {
            runs_used += 1;
            for (slot, f) in per.iter_mut().zip(fits) {
                slot.2.extend(f);
            }
        }
    }
    if runs_used < 2 {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let mses: Vec<f64> = per.iter().map(|p| mean(&p.2.iter().map(|f| f.mse).collect::<Vec<_>>())).collect();
    let best = mses.iter().copied().fold(f64::INFINITY, f64::min);
    let candidates: Vec<Candidate> = per
        .iter()
        .zip(&mses)
        .map(|((m, c, fits), &mse)| {
            let (lambda, stderr) =
                super::llc::mean_and_stderr(&fits.iter().map(|f| f.lambda).collect::<Vec<_>>());
            Candidate {
                m: *m,
                correction: *c,
                lambda,
                stderr,
                mse_ratio: if best > 0.0 { mse / best } else { 1.0 },
            }
        })
        .collect();
    let plausible = |c: &Candidate| c.mse_ratio <= 1.0 + PLAUSIBLE_MSE;
    let by_mse = (0..candidates.len()).min_by(|&a, &b| mses[a].total_cmp(&mses[b]))?;
    let selected = (0..candidates.len())
        .filter(|&i| candidates[i].correction == Correction::None && plausible(&candidates[i]))
        .min_by(|&a, &b| mses[a].total_cmp(&mses[b]))
        .unwrap_or(by_mse);
    let lam = candidates[selected].lambda;
    let spread =
        candidates.iter().filter(|c| plausible(c)).map(|c| (c.lambda - lam).abs()).fold(0.0, f64::max);
    let systematic = spread.max(SYSTEMATIC_FLOOR * lam.abs());
    let m_sel = candidates[selected].m;
    let leading = candidates.iter().position(|c| c.m == m_sel && c.correction == Correction::None)?;
    let per_run = per[selected].2.iter().map(|f| f.lambda).collect();
    Some(Choice { candidates, selected, per_run, runs_used, systematic, leading })
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
        run_between(|c| lambda * c + (m as f64 - 1.0) * (-c).ln(), (-1e4, -1.0), n, depth)
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

    /// A run whose curve is exactly `log V = f(log ε)` (f increasing),
    /// inverted by bisection at `log V = −k/N`.
    fn run_from(f: impl Fn(f64) -> f64, n: usize, depth: f64) -> NestedRun {
        run_between(f, (-1e3, 0.0), n, depth)
    }

    /// [`run_from`] with the bisection bracket of log ε given.
    fn run_between(f: impl Fn(f64) -> f64, (lo, hi): (f64, f64), n: usize, depth: f64) -> NestedRun {
        let dead = (1..=(depth * n as f64) as usize)
            .map(|k| {
                let lv = -(k as f64) / n as f64;
                let (mut a, mut b) = (lo, hi);
                for _ in 0..200 {
                    let c = 0.5 * (a + b);
                    if f(c) > lv { b = c } else { a = c }
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
    fn choice_corrects_a_second_pole_and_reports_the_spread() {
        // log V = 3 log ε − 3 ε^{1/2} (V = ε³(1 − 3 ε^{1/2} + …)): the
        // leading-order slope is biased low at reachable ε; the ε^{1/2}
        // model is exact, so it wins, recovers λ, and the systematic error
        // covers what the plausible models say.
        let f = |le: f64| 3.0 * le - 3.0 * (0.5 * le).exp();
        let pts: Vec<_> =
            (0..3).map(|_| tail_points(&run_from(f, 50, 40.0), Window { start: 5.0 }, true)).collect();
        let c = choose(&pts, &[1]).unwrap();
        let sel = &c.candidates[c.selected];
        assert_eq!(sel.correction, Correction::Power(0.5));
        assert!((sel.lambda - 3.0).abs() < 2e-3, "{}", sel.lambda);
        let lead = &c.candidates[c.leading];
        assert!(lead.lambda < 2.97, "the leading order is biased: {}", lead.lambda);
        assert!(c.systematic >= SYSTEMATIC_FLOOR * 3.0 * 0.999);
        for k in c.candidates.iter().filter(|k| k.mse_ratio <= 1.0 + PLAUSIBLE_MSE) {
            assert!((k.lambda - sel.lambda).abs() <= c.systematic + 1e-12);
        }
    }

    #[test]
    fn choice_keeps_the_leading_order_on_a_pure_power_law() {
        let pts: Vec<_> =
            (0..2).map(|_| tail_points(&synthetic(0.75, 1, 50, 30.0), Window { start: 5.0 }, true)).collect();
        let c = choose(&pts, &[1]).unwrap();
        let sel = &c.candidates[c.selected];
        assert_eq!(sel.correction, Correction::None);
        assert!((sel.lambda - 0.75).abs() < 1e-3);
        assert!((c.systematic - SYSTEMATIC_FLOOR * sel.lambda).abs() < 1e-3, "{}", c.systematic);
    }

    #[test]
    fn choice_of_m_on_exact_laws() {
        for m in [1, 2, 4] {
            let pts: Vec<_> = (0..2)
                .map(|_| tail_points(&synthetic(0.5, m, 50, 40.0), Window { start: 5.0 }, true))
                .collect();
            let c = choose(&pts, &[1, 2, 3, 4, 5]).unwrap();
            let sel = &c.candidates[c.selected];
            assert_eq!(sel.m, m, "{:?}", c.candidates);
            assert!((sel.lambda - 0.5).abs() < 5e-3, "{}", sel.lambda);
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
