//! A small deterministic generator (SplitMix64) shared by the tests that
//! draw random instances of a class, so every drawn case is fixed by its
//! seed and reproducible on any machine.

pub struct Draw(pub u64);

#[allow(dead_code)]
impl Draw {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A uniform integer in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
    /// A uniform index in `0..n`.
    pub fn pick(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[allow(dead_code)]
/// The Taylor-coefficient ideal of a three-layer tanh network with one
/// input, one output and `h` hidden units (docs/theory.md §7.5):
/// ⟨Σ_j a_j b_j^{2k−1} : k = 1..h⟩.
pub fn tanh_ideal(h: usize) -> String {
    let names: Vec<String> = (1..=h).map(|j| format!("a{j}, b{j}")).collect();
    let gens: Vec<String> = (1..=h)
        .map(|k| (1..=h).map(|j| format!("a{j}*b{j}^{}", 2 * k - 1)).collect::<Vec<_>>().join(" + "))
        .collect();
    format!("param {}; ideal <{}>;", names.join(", "), gens.join(", "))
}
