//! Newton analysis of a 10-variable even-positive polynomial with ~1000
//! terms (target < 100 ms on one core), and of small textbook cases with
//! full face enumeration.

use criterion::{Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rlct::newton::analyze;
use rlct::poly::{Poly, rat};
use std::hint::black_box;

/// Random even-positive support: exponents 2·{0..3} per variable.
fn random_even_positive(d: usize, terms: usize, seed: u64) -> Poly {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Poly::from_terms(
        d,
        (0..terms).map(|_| {
            let mut e: Vec<u32> = (0..d).map(|_| 2 * rng.random_range(0..4u32)).collect();
            if e.iter().all(|&x| x == 0) {
                e[0] = 2;
            }
            (e, rat(rng.random_range(1..10i64)))
        }),
    )
}

fn bench(c: &mut Criterion) {
    let big = random_even_positive(10, 1000, 7);
    c.bench_function("analyze 10 vars, 1000 even-positive terms", |b| {
        b.iter(|| analyze(black_box(std::slice::from_ref(&big)), false, &[0; 10]))
    });
    let x = Poly::var(3, 0);
    let y = Poly::var(3, 1);
    let z = Poly::var(3, 2);
    let s = &(&x + &y) + &z;
    let k = &(&s * &s) + &(&(&x * &y) * &z).pow(2);
    c.bench_function("analyze (x+y+z)^2 + (xyz)^2 with faces", |b| {
        b.iter(|| analyze(black_box(std::slice::from_ref(&k)), false, &[0; 3]))
    });
    let small = random_even_positive(4, 30, 11);
    c.bench_function("analyze 4 vars, 30 terms with faces", |b| {
        b.iter(|| analyze(black_box(std::slice::from_ref(&small)), false, &[0; 4]))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
