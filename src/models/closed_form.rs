//! Closed-form (λ, m) of textbook families, each with its source
//! (docs/theory.md §2 and §7). Everything here is exact rational arithmetic: these
//! values are the ground truth the estimators are validated against.

use crate::poly::{Rat, rat, ratio};
use crate::{Error, Result};
use num_traits::{Signed, Zero};
use serde::Serialize;

/// A closed-form pair with the theorem it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClosedForm {
    /// The real log canonical threshold λ.
    #[serde(serialize_with = "crate::report::ser_rat")]
    pub lambda: Rat,
    /// The multiplicity m, when the source gives one.
    pub multiplicity: Option<usize>,
    /// Where the formula comes from.
    pub citation: String,
}

/// Reduced-rank regression `K = ‖BA − B₀A₀‖²`, `A ∈ ℝ^{H×M}`,
/// `B ∈ ℝ^{N×H}`, true rank `r`, at a most singular true point.
///
/// Aoyagi & Watanabe, "Stochastic complexities of reduced rank regression
/// in Bayesian estimation", Neural Networks 18 (2005), Theorem 1; the four
/// cases as in docs/theory.md §7.
pub fn rrr(inputs: usize, outputs: usize, hidden: usize, rank: usize) -> Result<ClosedForm> {
    let (m, n, h, r) = (inputs as i64, outputs as i64, hidden as i64, rank as i64);
    if m == 0 || n == 0 || h == 0 {
        return Err(Error::Usage("reduced-rank regression needs M, N, H ≥ 1".into()));
    }
    if r > m.min(n).min(h) {
        return Err(Error::Usage(format!("true rank {r} exceeds min(M, N, H) = {}", m.min(n).min(h))));
    }
    let citation = "Aoyagi & Watanabe 2005, Neural Networks 18, Theorem 1".to_string();
    let (lambda, mult) = if m + h < n + r {
        (ratio(h * m - h * r + n * r, 2), 1)
    } else if n + h < m + r {
        (ratio(h * n - h * r + m * r, 2), 1)
    } else if m + n < h + r {
        (ratio(m * n, 2), 1)
    } else {
        let s = 2 * (h + r) * (m + n) - (m - n) * (m - n) - (h + r) * (h + r);
        if (m + n + h + r) % 2 == 0 { (ratio(s, 8), 1) } else { (ratio(s + 1, 8), 2) }
    };
    Ok(ClosedForm { lambda, multiplicity: Some(mult), citation })
}

/// Deep linear network `K = ‖W_L⋯W_1 − W₀‖²` with widths
/// `H₁ (input), …, H_{L+1} (output)` and a true product of rank `r`, at a
/// most singular true point.
///
/// Aoyagi, "Consideration on the learning efficiency of multiple-layered
/// neural networks with linear units", Neural Networks 172 (2024),
/// Theorem 1, as stated in docs/theory.md §7 with m = a(ℓ−a) + 1.
pub fn dln(widths: &[usize], rank: usize) -> Result<ClosedForm> {
    if widths.len() < 2 {
        return Err(Error::Usage("a linear network needs at least two widths (input and output)".into()));
    }
    if widths.contains(&0) {
        return Err(Error::Usage("every width must be at least 1".into()));
    }
    let min_w = *widths.iter().min().expect("non-empty");
    if rank > min_w {
        return Err(Error::Usage(format!("true rank {rank} exceeds the smallest width {min_w}")));
    }
    match crate::resolve::chain::aoyagi(widths, rank) {
        Some((lambda, m)) => Ok(ClosedForm {
            lambda,
            multiplicity: Some(m),
            citation: "Aoyagi 2024, Neural Networks 172, Theorem 1 (m = a(ℓ−a)+1)".into(),
        }),
        None => Err(Error::Internal(format!(
            "no ℓ satisfies Aoyagi's conditions for widths {widths:?}, rank {rank}"
        ))),
    }
}

/// Normal crossing `K = w^(2k)` (times a positive unit) with prior
/// `|w^h|`: λ = min over `k_j > 0` of `(h_j+1)/(2k_j)`, m = the number of
/// minimisers (docs/theory.md §2; Watanabe, Algebraic Geometry and Statistical
/// Learning Theory, 2009, Remark 6.6 / §2.4).
pub fn normal_crossing(k: &[u32], h: &[u32]) -> Result<ClosedForm> {
    if k.len() != h.len() {
        return Err(Error::Usage("k and h need one entry per variable".into()));
    }
    let mut best: Option<(Rat, usize)> = None;
    for (&kj, &hj) in k.iter().zip(h) {
        if kj == 0 {
            continue;
        }
        let v = ratio(hj as i64 + 1, 2 * kj as i64);
        best = match best {
            Some((b, c)) if b == v => Some((b, c + 1)),
            Some((b, c)) if b < v => Some((b, c)),
            _ => Some((v, 1)),
        };
    }
    let (lambda, m) = best.ok_or_else(|| Error::Usage("a normal crossing needs some k_j > 0".into()))?;
    Ok(ClosedForm {
        lambda,
        multiplicity: Some(m),
        citation: "normal crossing (Watanabe 2009, Algebraic Geometry and Statistical Learning Theory, §6)"
            .into(),
    })
}

/// Rank of a list of rational vectors (Gaussian elimination over ℚ).
pub fn rank(rows: &[Vec<Rat>]) -> usize {
    crate::newton::rank(rows)
}

/// A flat of a central arrangement: the hyperplanes containing it (a
/// closed set) and its codimension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flat {
    /// Indices of the hyperplanes `ker l_j ⊇ W`, sorted.
    pub hyperplanes: Vec<usize>,
    /// `codim W` = the rank of those forms.
    pub codim: usize,
}

/// Every flat of the central arrangement `{ker l_j}` (the whole space
/// excluded), by closing subsets under "add one hyperplane".
pub fn flats(forms: &[Vec<Rat>]) -> Vec<Flat> {
    let closure = |set: &[usize]| -> Flat {
        let rows: Vec<Vec<Rat>> = set.iter().map(|&j| forms[j].clone()).collect();
        let codim = rank(&rows);
        // W ⊆ ker l_k iff l_k lies in the span of the forms defining W.
        let hyperplanes = (0..forms.len())
            .filter(|&k| {
                let mut with = rows.clone();
                with.push(forms[k].clone());
                rank(&with) == codim
            })
            .collect();
        Flat { hyperplanes, codim }
    };
    let mut out: Vec<Flat> = Vec::new();
    let mut frontier: Vec<Flat> =
        (0..forms.len()).filter(|&j| forms[j].iter().any(|c| !c.is_zero())).map(|j| closure(&[j])).collect();
    while let Some(f) = frontier.pop() {
        if out.contains(&f) {
            continue;
        }
        for (k, form) in forms.iter().enumerate() {
            if !f.hyperplanes.contains(&k) && form.iter().any(|c| !c.is_zero()) {
                let mut set = f.hyperplanes.clone();
                set.push(k);
                let g = closure(&set);
                if !out.contains(&g) {
                    frontier.push(g);
                }
            }
        }
        out.push(f);
    }
    out.sort_by(|a, b| (a.codim, &a.hyperplanes).cmp(&(b.codim, &b.hyperplanes)));
    out
}

/// Hyperplane arrangement `K = (Π l_j^{s_j})²` with linear forms `l_j`
/// (coefficient vectors) through 0: λ = lct/2 with
/// lct = min over flats W of codim(W) / Σ_{W ⊆ ker l_j} s_j
/// (Mustaţă 2006, "Multiplier ideals of hyperplane arrangements",
/// Trans. AMS 358, Cor. 0.3; real = complex for real central arrangements,
/// docs/theory.md §7). Gives λ only.
pub fn arrangement(forms: &[Vec<Rat>], mult: &[u32]) -> Result<ClosedForm> {
    if forms.is_empty() || forms.len() != mult.len() {
        return Err(Error::Usage(
            "an arrangement needs at least one form and one multiplicity per form".into(),
        ));
    }
    let d = forms[0].len();
    if forms.iter().any(|f| f.len() != d) || d == 0 {
        return Err(Error::Usage("every linear form needs the same number (≥ 1) of coefficients".into()));
    }
    if forms.iter().any(|f| f.iter().all(|c| c.is_zero())) {
        return Err(Error::Usage("a linear form is zero".into()));
    }
    if mult.contains(&0) {
        return Err(Error::Usage("multiplicities must be at least 1".into()));
    }
    let mut lct: Option<Rat> = None;
    for f in flats(forms) {
        let s: i64 = f.hyperplanes.iter().map(|&j| mult[j] as i64).sum();
        let v = ratio(f.codim as i64, s);
        if lct.as_ref().is_none_or(|b| v < *b) {
            lct = Some(v);
        }
    }
    let lct = lct.expect("a non-zero form gives a flat");
    debug_assert!(lct.is_positive() && lct <= rat(d as i64));
    Ok(ClosedForm {
        lambda: lct / rat(2),
        multiplicity: None,
        citation: "hyperplane arrangement lct via flats (Mustaţă 2006, Trans. AMS 358, Cor. 0.3), λ = lct/2"
            .into(),
    })
}

/// The regular case `λ = d/2, m = 1` (docs/theory.md §2).
pub fn regular(d: usize) -> ClosedForm {
    ClosedForm {
        lambda: ratio(d as i64, 2),
        multiplicity: Some(1),
        citation: "regular point: positive definite Hessian (Watanabe 2009)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(c: &ClosedForm) -> (Rat, Option<usize>) {
        (c.lambda.clone(), c.multiplicity)
    }

    #[test]
    fn rrr_known_values() {
        // docs/theory.md §6/§8 tables.
        assert_eq!(pair(&rrr(2, 2, 2, 0).unwrap()), (ratio(3, 2), Some(1)));
        assert_eq!(pair(&rrr(3, 3, 2, 0).unwrap()), (ratio(5, 2), Some(1)));
        assert_eq!(pair(&rrr(3, 3, 2, 1).unwrap()), (ratio(7, 2), Some(2)));
        assert_eq!(pair(&rrr(4, 4, 3, 1).unwrap()), (rat(6), Some(1)));
        assert_eq!(pair(&rrr(2, 2, 1, 0).unwrap()), (rat(1), Some(2)));
        // Case 2 (M + H < N + r): λ = (HM − Hr + Nr)/2.
        assert_eq!(pair(&rrr(1, 4, 1, 0).unwrap()), (ratio(1, 2), Some(1)));
        // Case 4 (M + N < H + r): as many parameters as a free M×N map.
        assert_eq!(pair(&rrr(1, 1, 3, 0).unwrap()), (ratio(1, 2), Some(1)));
        // Full rank regular model: λ = (number of free parameters)/2 = (H(M+N) − H²)/2.
        assert_eq!(pair(&rrr(3, 3, 3, 3).unwrap()), (ratio(9, 2), Some(1)));
        assert!(rrr(2, 2, 2, 3).is_err());
        assert!(rrr(0, 2, 2, 0).is_err());
    }

    #[test]
    fn dln_two_layers_is_rrr() {
        for m in 1..=5 {
            for n in 1..=5 {
                for h in 1..=5 {
                    for r in 0..=m.min(n).min(h) {
                        let a = rrr(m, n, h, r).unwrap();
                        let b = dln(&[m, h, n], r).unwrap();
                        assert_eq!(pair(&a), pair(&b), "(M,N,H,r) = ({m},{n},{h},{r})");
                    }
                }
            }
        }
    }

    #[test]
    fn dln_known_values() {
        assert_eq!(pair(&dln(&[2, 2, 2, 2], 0).unwrap()), (ratio(3, 2), Some(3)));
        // Scalar three-layer network (abc)²: λ = 1/2, m = 3 (docs/theory.md §8).
        assert_eq!(pair(&dln(&[1, 1, 1, 1], 0).unwrap()), (ratio(1, 2), Some(3)));
        assert!(dln(&[2], 0).is_err());
        assert!(dln(&[2, 1, 2], 2).is_err());
    }

    #[test]
    fn normal_crossing_values() {
        assert_eq!(pair(&normal_crossing(&[1, 1], &[0, 0]).unwrap()), (ratio(1, 2), Some(2)));
        assert_eq!(pair(&normal_crossing(&[1, 2], &[0, 0]).unwrap()), (ratio(1, 4), Some(1)));
        assert_eq!(pair(&normal_crossing(&[1, 1], &[1, 0]).unwrap()), (ratio(1, 2), Some(1)));
        assert_eq!(pair(&normal_crossing(&[2, 0], &[0, 5]).unwrap()), (ratio(1, 4), Some(1)));
        assert!(normal_crossing(&[0, 0], &[0, 0]).is_err());
    }

    fn forms(v: &[&[i64]]) -> Vec<Vec<Rat>> {
        v.iter().map(|r| r.iter().map(|&x| rat(x)).collect()).collect()
    }

    #[test]
    fn arrangement_values() {
        let xy_sum = forms(&[&[1, 0], &[0, 1], &[1, 1]]);
        assert_eq!(arrangement(&xy_sum, &[1, 1, 1]).unwrap().lambda, ratio(1, 3));
        // (xy)²: a normal crossing, λ = 1/2.
        assert_eq!(arrangement(&forms(&[&[1, 0], &[0, 1]]), &[1, 1]).unwrap().lambda, ratio(1, 2));
        // x² with multiplicity 2: (x²)², λ = 1/4.
        assert_eq!(arrangement(&forms(&[&[1, 0]]), &[2]).unwrap().lambda, ratio(1, 4));
        // Repeated hyperplane (x, 2x) is the same flat: (2x²)², λ = 1/4.
        assert_eq!(arrangement(&forms(&[&[1, 0], &[2, 0]]), &[1, 1]).unwrap().lambda, ratio(1, 4));
        // Generic 4 planes in ℝ³: the origin gives 3/4 < 1, λ = 3/8.
        let a = forms(&[&[1, 0, 0], &[0, 1, 0], &[0, 0, 1], &[1, 1, 1]]);
        assert_eq!(arrangement(&a, &[1, 1, 1, 1]).unwrap().lambda, ratio(3, 8));
        assert_eq!(flats(&a).len(), 4 + 6 + 1);
        assert!(arrangement(&forms(&[&[0, 0]]), &[1]).is_err());
    }
}
