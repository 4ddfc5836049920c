//! Calibration table of the estimators on the public cases (docs/theory.md §8):
//! exact λ, volume λ̂ ± se (m given and m free), thermodynamic λ̂, SGLD λ̂,
//! wall time. `cargo run --release --example calibration > docs/calibration.md`.

use num_traits::ToPrimitive;
use rlct::estimate::cases::public_cases;
use rlct::estimate::{EstimateOptions, Method, estimate};
use std::time::Instant;

fn main() {
    let seed = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    println!("# Estimator calibration (seed {seed}, default settings, m given for the volume fit)\n");
    println!(
        "| case | λ (m) | volume λ̂ ± se | free fit: λ̂, m̂ | thermo λ̂ ± se (log β) | SGLD λ̂ ± se (acc.) | time |"
    );
    println!("|---|---|---|---|---|---|---|");
    for c in public_cases() {
        let opts = EstimateOptions {
            method: Method::All,
            seed,
            multiplicity: Some(c.multiplicity),
            ..Default::default()
        };
        let t = Instant::now();
        let est = estimate(&c.problem, &opts).expect("estimate");
        let dt = t.elapsed().as_secs_f64();
        let v = est.volume.unwrap();
        let s = est.sgld.unwrap();
        let lam = c.lambda.to_f64().unwrap();
        println!(
            "| {} | {} ({}) | {:.4} ± {:.4} (z {:+.1}) | {:.3} ± {:.3}, {:.2} ± {:.2} | {:.4} ± {:.4} ({:.1}) | {:.4} ± {:.4} ({:.3}) | {:.2} s |",
            c.name,
            c.lambda,
            c.multiplicity,
            v.lambda,
            v.stderr,
            (v.lambda - lam) / v.stderr,
            v.fit.lambda_m_free,
            v.fit.lambda_m_free_stderr,
            v.fit.m_free,
            v.fit.m_free_stderr,
            v.thermodynamic.lambda,
            v.thermodynamic.stderr,
            v.thermodynamic.log_beta,
            s.lambda,
            s.stderr,
            s.acceptance,
            dt
        );
    }
}
