//! Minibatch SGLD throughput of the data-driven LLC estimator on
//! reduced-rank regression (3,3,2) with batch 64 (target ≥ 500,000
//! steps/s on one core; each iteration includes drawing the data set and
//! the per-sample baseline). Run: `cargo bench --bench llc`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rlct::estimate::llc::{self, LlcSettings, Sampler};
use rlct::models::Family;

fn sgld_steps(c: &mut Criterion) {
    let steps = 20_000;
    let mut group = c.benchmark_group("llc");
    group.throughput(Throughput::Elements(steps as u64));
    group.sample_size(10);
    for (name, fam) in [
        ("rrr(3,3,2,1)", Family::Rrr { inputs: 3, outputs: 3, hidden: 2, rank: 1 }),
        ("rrr(4,4,3,1)", Family::Rrr { inputs: 4, outputs: 4, hidden: 3, rank: 1 }),
    ] {
        let p = fam.problem().unwrap();
        for sampler in [Sampler::Sgld, Sampler::Rmsprop] {
            let mut s = LlcSettings::tuned();
            // The setting: n = 10⁴, batch 64 (the tuned preset uses
            // a larger data set and batch; this measures the kernel).
            s.n = 10_000;
            s.batch = 64;
            s.chains = 1;
            s.burn_in = steps - 1;
            s.draws = 1;
            s.sampler = sampler;
            // The plain step: burn-in adaptation would add a MALA check on
            // every 4th step of the first half.
            s.adapt = None;
            group.bench_function(format!("{name} batch 64 {sampler:?}"), |b| {
                b.iter(|| llc::run(&p, &s).unwrap())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, sgld_steps);
criterion_main!(benches);
