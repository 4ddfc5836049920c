//! The data-driven LLC estimator against what it provably targets.

use num_traits::ToPrimitive;
use rlct::Problem;
use rlct::estimate::llc::{
    self, ADAPT_WINDOW, CompiledModel, DataSet, Evaluator, LlcSettings, NBeta, Sampler, StepAdaptation,
};
use rlct::models::Family;
use rlct::poly::{Poly, rat, ratio};
use rlct::problem::{Loss, ModelSpec};

/// y = w1 x1 + w2 x2 + w3 x3 + N(0, 1) at w₀ = (1, 0, −1/2): a regular
/// model, λ = 3/2, m = 1.
fn linear_regression() -> Problem {
    let (d, n) = (3, 6);
    let f = (0..d).fold(Poly::zero(n), |acc, j| &acc + &(&Poly::var(n, j) * &Poly::var(n, d + j)));
    let truth = vec![rat(1), rat(0), ratio(-1, 2)];
    let spec = ModelSpec {
        inputs: (1..=d).map(|j| format!("x[{j}]")).collect(),
        input_variance: vec![rat(1); d],
        outputs: vec![f],
        noise: rat(1),
        truth: truth.clone(),
    };
    let mut p = Problem::new(vec!["w1".into(), "w2".into(), "w3".into()], Loss::Polynomial(Poly::zero(d)));
    p.loss = Loss::Polynomial(rlct::models::population_loss(&spec, d));
    // The estimators' box around the truth (a box with the point on its
    // edge would mean a one-sided domain, docs/theory.md §2.6).
    p.domain = truth.iter().map(|c| (c - rat(1), c + rat(1))).collect();
    p.point = truth;
    p.model = Some(spec);
    p
}

fn solve3(a: [[f64; 3]; 3], b: [f64; 3]) -> [f64; 3] {
    // Cramer's rule: fine for a well-conditioned 3×3 Gram matrix.
    let det = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(a);
    let mut x = [0.0; 3];
    for (k, xk) in x.iter_mut().enumerate() {
        let mut m = a;
        for i in 0..3 {
            m[i][k] = b[i];
        }
        *xk = det(m) / d;
    }
    x
}

/// With a full batch, SGLD is the unadjusted Langevin algorithm; on the
/// Gaussian posterior of a linear model with precision P = nβH + γI its
/// stationary law is Gaussian with mean m (the posterior mean) and
/// covariance (P(I − εP/4))⁻¹ exactly. So, *given the data set*,
/// E[λ̂] = nβ (L_n(m) + ½ tr(H Σ_ε) − L_n(w*)) is computable in closed
/// form, and the estimate must match it within its chain standard error.
/// (The gap between that target and λ = d/2 is the finite-n term
/// −nβ(L_n(w*) − L_n(ŵ)) ≈ −χ²_d/(2 log n), documented in docs/validation.md.)
#[test]
fn full_batch_sgld_matches_its_exact_gaussian_target() {
    let p = linear_regression();
    let spec = p.model.as_ref().unwrap();
    let settings = LlcSettings {
        n: 2000,
        batch: 2000,
        epsilon: 2e-4,
        gamma: 10.0,
        nbeta: NBeta::NOverLogN,
        chains: 8,
        burn_in: 500,
        draws: 1000,
        thin: 1,
        seed: 7,
        sampler: Sampler::Sgld,
        control_variate: false,
        adapt: None,
    };
    let est = llc::run(&p, &settings).unwrap();

    let model = CompiledModel::new(spec, 3).unwrap();
    let data = DataSet::draw(&model, spec, settings.n, settings.seed).unwrap();
    let n = settings.n as f64;
    let nb = settings.nbeta_value();
    // Term t of the compiled model is w_{param[t]} x_{param[t]} (terms are
    // stored in exponent order): find param[t] from P_t(e_k).
    let param: Vec<usize> = (0..3)
        .map(|t| {
            (0..3)
                .find(|&k| {
                    let mut e = vec![0.0; 3];
                    e[k] = 1.0;
                    let mut pt = vec![0.0; 3];
                    model.param_monomials(&e, &mut pt);
                    pt[t] == 1.0
                })
                .unwrap()
        })
        .collect();
    let (mut h, mut xy) = ([[0.0; 3]; 3], [0.0; 3]);
    for i in 0..settings.n {
        let phi = data.features_of(i);
        let mut x = [0.0; 3];
        for t in 0..3 {
            x[param[t]] = phi[t];
        }
        let y = data.response_of(i)[0];
        for a in 0..3 {
            xy[a] += x[a] * y / n;
            for b in 0..3 {
                h[a][b] += x[a] * x[b] / n;
            }
        }
    }
    let w_star: Vec<f64> = p.point.iter().map(|c| c.to_f64().unwrap()).collect();
    let w_hat = solve3(h, xy);
    let mut prec = [[0.0; 3]; 3];
    let mut rhs = [0.0; 3];
    for a in 0..3 {
        for b in 0..3 {
            prec[a][b] = nb * h[a][b] + if a == b { settings.gamma } else { 0.0 };
            rhs[a] += nb * h[a][b] * w_hat[b];
        }
        rhs[a] += settings.gamma * w_star[a];
    }
    let mean = solve3(prec, rhs);
    // ULA covariance (P − εP²/4)⁻¹; tr(H Σ) column by column.
    let mut ula = [[0.0; 3]; 3];
    for a in 0..3 {
        for b in 0..3 {
            let p2: f64 = (0..3).map(|k| prec[a][k] * prec[k][b]).sum();
            ula[a][b] = prec[a][b] - settings.epsilon * p2 / 4.0;
        }
    }
    let mut tr = 0.0;
    for k in 0..3 {
        let col = solve3(ula, [h[0][k], h[1][k], h[2][k]]);
        tr += col[k];
    }
    let all: Vec<u32> = (0..settings.n as u32).collect();
    let mut ev = Evaluator::new(&model, &data, 1.0);
    let target = nb * (ev.loss(&mean, &all, None) + 0.5 * tr - ev.loss(&w_star, &all, None));
    let z = (est.lambda - target) / est.stderr;
    eprintln!("λ̂ = {} ± {}, target {target}, z = {z}", est.lambda, est.stderr);
    assert!(z.abs() < 4.0, "λ̂ = {} ± {}, exact target {target}, z = {z}", est.lambda, est.stderr);
    // And the target is the regular λ = 3/2 up to the finite-n term.
    assert!((target - 1.5).abs() < 1.0, "{target}");
    assert!(est.chains.iter().all(|c| c.mala_acceptance > 0.9 && !c.diverged));
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let p = Family::Rrr { inputs: 2, outputs: 2, hidden: 2, rank: 1 }.problem().unwrap();
    let mut s = LlcSettings::tuned();
    s.n = 1000;
    s.chains = 3;
    s.burn_in = 50;
    s.draws = 50;
    s.seed = 11;
    s.sampler = Sampler::Rmsprop;
    let run_with = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| llc::run(&p, &s).unwrap())
    };
    let (a, b) = (run_with(1), run_with(2));
    assert_eq!(a.lambda.to_bits(), b.lambda.to_bits());
    for (x, y) in a.chains.iter().zip(&b.chains) {
        assert_eq!(x.trace, y.trace);
    }
    // Different chains see different noise.
    assert_ne!(a.chains[0].trace, a.chains[1].trace);
    // A different seed gives a different estimate.
    s.seed = 12;
    assert_ne!(llc::run(&p, &s).unwrap().lambda.to_bits(), a.lambda.to_bits());
}

/// The control variate records `L_B(w) − L_B(w*) + L_n(w*)` instead of
/// `L_B(w)` and touches nothing else, so with the same seed the chains are
/// the same and the traces differ by `L_n(w*) − L_B(w*)`, whose mean over
/// uniformly drawn batches is 0 (the estimand is unchanged); and it removes
/// most of the per-draw noise.
#[test]
fn control_variate_keeps_the_expectation_and_cuts_the_noise() {
    let p = Family::Rrr { inputs: 2, outputs: 2, hidden: 2, rank: 1 }.problem().unwrap();
    let mut s = LlcSettings::tuned();
    s.n = 4000;
    s.batch = 64;
    s.chains = 2;
    s.burn_in = 1000;
    s.draws = 20_000;
    s.seed = 5;
    s.control_variate = false;
    let plain = llc::run(&p, &s).unwrap();
    s.control_variate = true;
    let cv = llc::run(&p, &s).unwrap();
    let sd = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
    };
    for (a, b) in plain.chains.iter().zip(&cv.chains) {
        assert_eq!(a.mala_acceptance.to_bits(), b.mala_acceptance.to_bits(), "same dynamics");
        let diff: Vec<f64> = b.trace.iter().zip(&a.trace).map(|(x, y)| x - y).collect();
        let (mean, se) = llc::mean_and_stderr(&diff);
        // Draws are batches of an epoch-wise shuffle: close to independent.
        assert!(mean.abs() < 4.0 * se, "control term mean {mean} ± {se}");
        let (sd_plain, sd_cv) = (sd(&a.trace), sd(&b.trace));
        assert!(sd_cv < sd_plain / 3.0, "trace sd {sd_cv} with, {sd_plain} without");
    }
}

fn small_adapted(p_seed: u64) -> LlcSettings {
    let mut s = LlcSettings::tuned();
    s.n = 2000;
    s.chains = 3;
    s.burn_in = 4 * ADAPT_WINDOW;
    s.draws = 300;
    s.seed = p_seed;
    s.adapt = Some(StepAdaptation::TUNED);
    s
}

/// Burn-in adaptation keeps results independent of the thread count (each
/// chain's adapted ε is a function of its own path and seed, pooled in
/// chain order), and changes ε only at the ends of whole windows in the
/// first half of the burn-in: with less than two windows of burn-in, every
/// recorded draw is bit for bit the unadapted chain's, however many draws
/// follow.
#[test]
fn step_adaptation_is_deterministic_and_frozen_after_burn_in() {
    let p = Family::Rrr { inputs: 2, outputs: 2, hidden: 2, rank: 1 }.problem().unwrap();
    let s = small_adapted(21);
    let run_with = |threads, s: &LlcSettings| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| llc::run(&p, s).unwrap())
    };
    let (a, b) = (run_with(1, &s), run_with(2, &s));
    assert_eq!(a.lambda.to_bits(), b.lambda.to_bits());
    for (x, y) in a.chains.iter().zip(&b.chains) {
        assert_eq!(x.epsilon.to_bits(), y.epsilon.to_bits());
        assert_eq!(x.trace, y.trace);
    }
    // Two windows of adaptation moved ε, and every chain records with the
    // same pooled value.
    assert_ne!(a.chains[0].epsilon, s.epsilon);
    assert!(a.chains.iter().all(|c| c.epsilon == a.chains[0].epsilon));

    let mut short = s.clone();
    short.burn_in = 2 * ADAPT_WINDOW - 1;
    short.draws = 3 * ADAPT_WINDOW;
    let adapted = run_with(2, &short);
    short.adapt = None;
    let plain = run_with(2, &short);
    assert_eq!(adapted.lambda.to_bits(), plain.lambda.to_bits());
    for (x, y) in adapted.chains.iter().zip(&plain.chains) {
        assert_eq!(x.epsilon, short.epsilon);
        assert_eq!(x.trace, y.trace);
    }
}

/// The rule moves ε towards the target rejection from either side and
/// stays within its bounds: from a step 10× too hot on a stiff model
/// (rrr with nβ = 1000) it shrinks ε and the recorded MALA acceptance
/// rises; from a step far too small on the flat nc(1,2) it grows ε.
#[test]
fn step_adaptation_cools_stiff_and_heats_flat_models() {
    let stiff = Family::Rrr { inputs: 2, outputs: 2, hidden: 2, rank: 1 }.problem().unwrap();
    let mut s = small_adapted(3);
    // Twelve adaptation windows: room to move ε by the full max_scale.
    s.burn_in = 24 * ADAPT_WINDOW;
    s.epsilon = 1e-4;
    let rule = s.adapt.unwrap();
    let adapted = llc::run(&stiff, &s).unwrap();
    s.adapt = None;
    let plain = llc::run(&stiff, &s).unwrap();
    let acc = |e: &llc::LlcEstimate| {
        llc::mean_and_stderr(&e.chains.iter().map(|c| c.mala_acceptance).collect::<Vec<_>>()).0
    };
    for c in &adapted.chains {
        // (The pooled median goes through logarithms: allow rounding.)
        assert!(
            c.epsilon < s.epsilon && c.epsilon >= s.epsilon / rule.max_scale * (1.0 - 1e-12),
            "ε {}",
            c.epsilon
        );
    }
    assert!(acc(&adapted) > acc(&plain), "MALA acceptance {} adapted, {} not", acc(&adapted), acc(&plain));
    assert!(1.0 - acc(&adapted) < 10.0 * rule.target_rejection, "{}", acc(&adapted));

    let flat = Family::NormalCrossing { k: vec![1, 2], h: vec![0, 0] }.problem().unwrap();
    let mut s = small_adapted(4);
    s.epsilon = 1e-7;
    for c in &llc::run(&flat, &s).unwrap().chains {
        assert!(
            c.epsilon > s.epsilon && c.epsilon <= s.epsilon * rule.max_scale * (1.0 + 1e-12),
            "ε {}",
            c.epsilon
        );
    }
}
