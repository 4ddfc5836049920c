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

#[allow(dead_code)]
/// A rational in (1/8, 7/8) with a small denominator.
pub fn interior(d: &mut Draw) -> rlct::poly::Rat {
    use rlct::poly::ratio;
    loop {
        let q = d.int(3, 9);
        let p = d.int(1, q - 1);
        let r = ratio(p, q);
        if r > ratio(1, 8) && r < ratio(7, 8) {
            return r;
        }
    }
}

#[allow(dead_code)]
/// The binary naive Bayes program with `n` features (docs/theory.md §7.6):
/// parameters t (the class weight), a_i and b_i (P(x_i = 1 | class)),
/// declared in the order `order` of (t, a_1..a_n, b_1..b_n); the ideal of
/// the 2^n − 1 free cell probabilities minus those of the true
/// distribution (t0, a0, b0); the point at (t0, a0, b0).
pub fn naive_bayes(
    n: usize,
    t0: &rlct::poly::Rat,
    a0: &[rlct::poly::Rat],
    b0: &[rlct::poly::Rat],
    order: &[usize],
) -> String {
    use rlct::poly::{Rat, rat};
    let mut names = vec!["t".to_string()];
    names.extend((1..=n).map(|i| format!("a{i}")));
    names.extend((1..=n).map(|i| format!("b{i}")));
    let mut gens = Vec::new();
    for cell in 0..(1usize << n) - 1 {
        let bit = |i: usize| (cell >> (n - 1 - i)) & 1 == 1;
        let factor =
            |v: &str, i: usize| if bit(i) { format!("{v}{}", i + 1) } else { format!("(1-{v}{})", i + 1) };
        let value = |v: &[Rat], i: usize| if bit(i) { v[i].clone() } else { rat(1) - &v[i] };
        let pa: Rat = (0..n).map(|i| value(a0, i)).product();
        let pb: Rat = (0..n).map(|i| value(b0, i)).product();
        let p0 = t0 * pa + (rat(1) - t0) * pb;
        let fa: Vec<String> = (0..n).map(|i| factor("a", i)).collect();
        let fb: Vec<String> = (0..n).map(|i| factor("b", i)).collect();
        gens.push(format!("t*{} + (1-t)*{} - ({p0})", fa.join("*"), fb.join("*")));
    }
    let mut at = vec![format!("t = {t0}")];
    at.extend((0..n).map(|i| format!("a{} = {}", i + 1, a0[i])));
    at.extend((0..n).map(|i| format!("b{} = {}", i + 1, b0[i])));
    let declared: Vec<&str> = order.iter().map(|&k| names[k].as_str()).collect();
    format!(
        "param {}; ideal <{}>; at {}; domain [-1/8, 1/8];",
        declared.join(", "),
        gens.join(", "),
        at.join(", ")
    )
}
