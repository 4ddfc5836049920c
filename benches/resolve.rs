//! Time to the exact (λ, m) of reduced-rank regression ‖BA‖² (true rank 0)
//! by the blow-up engine. Targets: (2,2,2) < 0.1 s, (3,3,3) < 10 s. Also
//! three-layer deep linear networks.

use criterion::{Criterion, criterion_group, criterion_main};
use rlct::exact::ExactOptions;
use rlct::{Loss, Problem, Status};
use std::hint::black_box;
use std::time::Duration;

fn rrr(c: &mut Criterion) {
    let mut group = c.benchmark_group("resolve_rrr");
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    for (m, n, h) in [(2, 2, 2), (3, 3, 2), (3, 3, 3), (4, 4, 3)] {
        let (names, gens) = rlct::resolve::matrix_product_ideal(&[m, h, n]);
        let problem = Problem::new(names, Loss::Ideal(gens));
        group.bench_function(format!("M{m}_N{n}_H{h}"), |b| {
            b.iter(|| {
                let r = rlct::exact::solve(black_box(&problem), &ExactOptions::default()).unwrap();
                assert_eq!(r.status, Status::Exact);
                r
            })
        });
    }
    group.finish();
}

/// Three-layer deep linear networks at the zero map (Aoyagi 2024): the
/// separable-factor rule (1-2-1-2), layer centres (2-2-2-1, 1-2-2-2) and
/// quotient shifts with interreduction (2-2-2-2).
fn dln(c: &mut Criterion) {
    let mut group = c.benchmark_group("resolve_dln");
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    for widths in [[1, 2, 1, 2], [2, 2, 2, 1], [1, 2, 2, 2], [2, 2, 2, 2]] {
        let (names, gens) = rlct::resolve::matrix_product_ideal(&widths);
        let problem = Problem::new(names, Loss::Ideal(gens));
        let label = widths.iter().map(|w| w.to_string()).collect::<Vec<_>>().join("-");
        group.bench_function(format!("widths_{label}"), |b| {
            b.iter(|| rlct::exact::blowup(black_box(&problem), &ExactOptions::default()).unwrap())
        });
    }
    group.finish();
}

/// Reduced-rank regression at a most singular true point of rank 1 (the
/// block coefficient change), from the built-in family's problem.
fn rrr_rank_one(c: &mut Criterion) {
    let mut group = c.benchmark_group("resolve_rrr_rank1");
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    for (m, n, h) in [(3, 3, 2), (4, 4, 3)] {
        let problem =
            rlct::models::Family::Rrr { inputs: m, outputs: n, hidden: h, rank: 1 }.problem().unwrap();
        group.bench_function(format!("M{m}_N{n}_H{h}_r1"), |b| {
            b.iter(|| {
                let r = rlct::exact::solve(black_box(&problem), &ExactOptions::default()).unwrap();
                assert_eq!(r.status, Status::Exact);
                r
            })
        });
    }
    group.finish();
}

criterion_group!(benches, rrr, rrr_rank_one, dln);
criterion_main!(benches);
