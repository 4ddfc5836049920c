//! End-to-end estimator timings (default settings unless noted):
//! a 2-variable loss (target: se ≤ 0.005 in under 1 s on 2 cores) and
//! ‖BA‖² with 2×2 matrices (8 variables; target: se ≤ 0.02 in under 10 s).
//! The standard errors reached are printed once before timing.

use criterion::{Criterion, criterion_group, criterion_main};
use rlct::Problem;
use rlct::estimate::cases::{public_cases, reduced_rank_zero};
use rlct::estimate::{EstimateOptions, Method, estimate};

fn case(c: &mut Criterion, name: &str, p: &Problem, m: usize, method: Method) {
    let opts = EstimateOptions { method, seed: 1, multiplicity: Some(m), ..Default::default() };
    let e = estimate(p, &opts).unwrap();
    if let Some(v) = &e.volume {
        eprintln!(
            "{name}: volume λ̂ = {:.4} ± {:.4} ({} evaluations)",
            v.lambda, v.stderr, v.settings.evaluations
        );
    }
    if let Some(s) = &e.sgld {
        eprintln!("{name}: sgld λ̂ = {:.4} ± {:.4}", s.lambda, s.stderr);
    }
    c.bench_function(name, |b| b.iter(|| estimate(p, &opts).unwrap()));
}

fn bench_estimate(c: &mut Criterion) {
    let x2y4 = public_cases().into_iter().find(|c| c.name == "x^2*y^4").unwrap();
    case(c, "volume x^2*y^4", &x2y4.problem, 1, Method::Volume);
    case(c, "sgld x^2*y^4", &x2y4.problem, 1, Method::Sgld);
    // RRR (M, N, H, r) = (2, 2, 2, 0): λ = 3/2, m = 1 (docs/theory.md §7 case 1).
    case(c, "volume ||BA||^2 2x2", &reduced_rank_zero(2, 2, 2), 1, Method::Volume);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench_estimate
}
criterion_main!(benches);
