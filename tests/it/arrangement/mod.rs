//! The flat formula for central hyperplane arrangements (docs/theory.md §7),
//! shared by the integration tests: f = Π l_j^{s_j},
//! lct(f) = min over flats W of codim W / Σ_{j: W ⊆ ker l_j} s_j, and
//! λ(f²) = lct/2.

use num_bigint::BigInt;
use rlct::poly::{Rat, rat};

/// Rank over ℚ.
pub fn rank(rows: &[Vec<Rat>]) -> usize {
    rlct::newton::rank(rows)
}

/// λ(f²) for integer forms with multiplicities `s` (every flat is the
/// span-closure of a subset of the forms).
pub fn arrangement_lambda(forms: &[Vec<i64>], s: &[u32]) -> Rat {
    let rows: Vec<Vec<Rat>> = forms.iter().map(|f| f.iter().map(|&c| rat(c)).collect()).collect();
    let mut best: Option<Rat> = None;
    for mask in 1u32..(1 << forms.len()) {
        let sub: Vec<Vec<Rat>> =
            (0..forms.len()).filter(|i| mask >> i & 1 == 1).map(|i| rows[i].clone()).collect();
        let codim = rank(&sub);
        let weight: u32 = (0..rows.len())
            .filter(|&j| {
                let mut with = sub.clone();
                with.push(rows[j].clone());
                rank(&with) == codim
            })
            .map(|j| s[j])
            .sum();
        let v = Rat::new(BigInt::from(codim), BigInt::from(weight));
        best = Some(best.map_or(v.clone(), |b: Rat| b.min(v)));
    }
    best.unwrap() / rat(2)
}
