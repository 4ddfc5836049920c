//! Held-out cases: losses drawn at random (a fixed seed), not chosen by
//! hand, against a closed form the engine does not use.
//!
//! Central hyperplane arrangements with multiplicities, f = Π l_j^{s_j}:
//! lct(f) = min over flats W of codim W / Σ_{j: W ⊆ ker l_j} s_j and
//! λ(f²) = lct/2 (MATH.md §7; real = complex for real central
//! arrangements). In the plane the multiplicity is known too: one blow-up
//! of the origin separates the lines, so the exceptional divisor E (pole
//! 2/S, S = Σ s_j) meets each strict transform (pole 1/s_j) transversally
//! and the lines are pairwise disjoint: m = 2 exactly when 2/S equals the
//! smallest 1/s_j, else 1.
//!
//! Whatever the engine returns must contain the truth; an exact claim must
//! equal it.

use rlct::exact::{ExactOptions, solve};
use rlct::poly::{Poly, rat};
use rlct::{Loss, Problem, Status};

mod arrangement;
use arrangement::{arrangement_lambda, rank};

/// A small deterministic generator (SplitMix64), so the cases are fixed.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

/// `count` pairwise independent integer linear forms in `n` variables.
fn forms(d: &mut Draw, n: usize, count: usize) -> Vec<Vec<i64>> {
    let mut out: Vec<Vec<i64>> = Vec::new();
    while out.len() < count {
        let l: Vec<i64> = (0..n).map(|_| d.int(-3, 3)).collect();
        let r = |a: &[i64]| rank(&[a.iter().map(|&c| rat(c)).collect()]);
        if r(&l) == 0 {
            continue;
        }
        let independent = out
            .iter()
            .all(|o| rank(&[o.iter().map(|&c| rat(c)).collect(), l.iter().map(|&c| rat(c)).collect()]) == 2);
        if independent {
            out.push(l);
        }
    }
    out
}

fn problem(n: usize, forms: &[Vec<i64>], s: &[u32]) -> Problem {
    let f = forms.iter().zip(s).fold(Poly::one(n), |acc, (l, &sj)| {
        let lin = l.iter().enumerate().fold(Poly::zero(n), |a, (i, &c)| &a + &Poly::var(n, i).scale(&rat(c)));
        &acc * &lin.pow(sj)
    });
    Problem::new((0..n).map(|i| format!("w{i}")).collect(), Loss::Ideal(vec![f]))
}

#[test]
fn random_line_arrangements_in_the_plane() {
    let mut d = Draw(2026);
    for case in 0..40 {
        let count = d.int(1, 4) as usize;
        let fs = forms(&mut d, 2, count);
        let s: Vec<u32> = (0..count).map(|_| d.int(1, 3) as u32).collect();
        let truth = arrangement_lambda(&fs, &s);
        let total: u32 = s.iter().sum();
        let smax = *s.iter().max().unwrap();
        // m = 2 iff the origin's pole 2/S ties with the largest line pole 1/s_max.
        let m = if count >= 2 && 2 * smax == total { 2 } else { 1 };
        let r = solve(&problem(2, &fs, &s), &ExactOptions::default()).unwrap();
        let what = format!("case {case}: forms {fs:?}, powers {s:?}");
        assert_eq!(r.status, Status::Exact, "{what}: {} ≤ λ ≤ {}", r.lower, r.upper);
        assert_eq!((r.lambda, r.multiplicity), (truth, m), "{what}");
    }
}

#[test]
fn random_plane_arrangements_in_space() {
    let mut d = Draw(7);
    for case in 0..24 {
        let count = d.int(2, 4) as usize;
        let fs = forms(&mut d, 3, count);
        let s: Vec<u32> = (0..count).map(|_| d.int(1, 2) as u32).collect();
        let truth = arrangement_lambda(&fs, &s);
        let r = solve(&problem(3, &fs, &s), &ExactOptions::default()).unwrap();
        let what = format!("case {case}: forms {fs:?}, powers {s:?}");
        // Never wrong, and (with affine factors as coordinates) exact.
        assert!(r.lower <= truth && truth <= r.upper, "{what}: {} ≤ {truth} ≤ {}", r.lower, r.upper);
        assert_eq!(r.status, Status::Exact, "{what}: {} ≤ λ ≤ {}", r.lower, r.upper);
        assert_eq!(r.lambda, truth, "{what}");
    }
}
