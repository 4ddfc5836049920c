//! Throughput of the compiled evaluator: value + gradient of ‖BA‖² (true
//! map 0) with 2×2 and 4×4 matrices (8 and 32 variables), from the ideal's
//! generators and from the expanded polynomial.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rlct::estimate::cases::reduced_rank_zero;
use rlct::poly::compiled::CompiledLoss;
use std::hint::black_box;

/// Nanoseconds this thread has spent on a CPU (Linux schedstat), so that
/// throughput can be stated per CPU-second on a shared, loaded machine.
fn thread_cpu_ns() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Prints evaluations per wall-second and per CPU-second of one thread.
fn per_cpu_second(name: &str, loss: &CompiledLoss, points: &[Vec<f64>]) {
    let mut s = loss.scratch();
    let mut grad = vec![0.0; loss.nvars()];
    let rounds = 200_000usize;
    let (t0, c0) = (std::time::Instant::now(), thread_cpu_ns());
    let mut acc = 0.0;
    for _ in 0..rounds {
        for w in points {
            acc += loss.value_grad(black_box(w), &mut grad, &mut s);
        }
    }
    black_box(acc);
    let n = (rounds * points.len()) as f64;
    let wall = t0.elapsed().as_secs_f64();
    let cpu = thread_cpu_ns().zip(c0).map(|(a, b)| (a - b) * 1e-9);
    eprintln!(
        "{name}: {:.1} M evals/s wall, {} M evals per CPU-second",
        n / wall / 1e6,
        cpu.map(|c| format!("{:.1}", n / c / 1e6)).unwrap_or("?".into())
    );
}

fn bench_eval(c: &mut Criterion) {
    let mut g = c.benchmark_group("value_grad");
    for size in [2usize, 4] {
        let p = reduced_rank_zero(size, size, size);
        let (gens, _) = p.local_generators();
        let d = p.dim();
        let points: Vec<Vec<f64>> =
            (0..64).map(|k| (0..d).map(|i| ((k * 31 + i * 17) % 97) as f64 / 97.0 - 0.5).collect()).collect();
        g.throughput(Throughput::Elements(points.len() as u64));
        for (name, loss) in [
            ("generators", CompiledLoss::sum_of_squares(&gens)),
            ("expanded", CompiledLoss::polynomial(&p.k())),
        ] {
            per_cpu_second(&format!("BA {size}x{size} {name}"), &loss, &points);
            let mut s = loss.scratch();
            let mut grad = vec![0.0; d];
            g.bench_function(format!("BA {size}x{size} ({d} vars), {name}"), |b| {
                b.iter(|| {
                    let mut acc = 0.0;
                    for w in &points {
                        acc += loss.value_grad(black_box(w), &mut grad, &mut s) + grad[0];
                    }
                    acc
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench_eval);
criterion_main!(benches);
