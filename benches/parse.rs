//! Parse + expand benchmarks for the language: `||B*A||^2` with A, B 4×4
//! (reduced-rank regression), and the same as a model with inputs.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn parse_rrr(c: &mut Criterion) {
    let rrr = "param A[4,4], B[4,4]; K = ||B*A||^2;";
    c.bench_function("parse ||B*A||^2, A B 4x4", |b| {
        b.iter(|| rlct::dsl::parse_program(black_box(rrr), "bench").expect("parses"))
    });
    let model = "param A[4,4], B[4,4]; input x[4]; output y = B*A*x; \
                 truth A = [[1,0,0,0],[0,0,0,0],[0,0,0,0],[0,0,0,0]], B = [[1,0,0,0],[0,0,0,0],[0,0,0,0],[0,0,0,0]];";
    c.bench_function("parse rrr model 4x4 (population loss)", |b| {
        b.iter(|| rlct::dsl::parse_program(black_box(model), "bench").expect("parses"))
    });
}

criterion_group!(benches, parse_rrr);
criterion_main!(benches);
