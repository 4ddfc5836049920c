//! Property tests of the Newton layer: the pair transforms as docs/theory.md §2
//! says under permutations, positive rescaling, and sums/products in
//! separate variables. Inputs are random even-positive polynomials (all
//! exponents even, all coefficients positive), which the certificate rules
//! always certify, so every result must be `exact`.

use proptest::prelude::*;
use rlct::exact::{ExactOptions, solve};
use rlct::poly::{Poly, Rat, rat, ratio};
use rlct::{Loss, Problem, Status};

/// Random even-positive K in `d` variables vanishing at 0, with a prior.
#[derive(Clone, Debug)]
struct Case {
    d: usize,
    terms: Vec<(Vec<u32>, (i64, i64))>,
    prior: Vec<u32>,
}

impl Case {
    fn poly(&self) -> Poly {
        Poly::from_terms(self.d, self.terms.iter().map(|(e, (n, m))| (e.clone(), ratio(*n, *m))))
    }
}

fn case(max_d: usize) -> impl Strategy<Value = Case> {
    (1..=max_d).prop_flat_map(|d| {
        let exp = prop::collection::vec(0u32..=3, d)
            .prop_filter("vanishes at 0", |e| e.iter().any(|&x| x > 0))
            .prop_map(|e| e.into_iter().map(|x| 2 * x).collect::<Vec<u32>>());
        (prop::collection::vec((exp, (1i64..6, 1i64..4)), 1..=4), prop::collection::vec(0u32..=2, d))
            .prop_map(move |(terms, prior)| Case { d, terms, prior })
    })
}

fn pair(k: &Poly, prior: &[u32]) -> (Rat, usize) {
    let names = (0..k.nvars()).map(|i| format!("w{i}")).collect();
    let mut p = Problem::new(names, Loss::Polynomial(k.clone()));
    p.prior = prior.to_vec();
    let r = solve(&p, &ExactOptions::default()).expect("even-positive losses are valid");
    assert_eq!(r.status, Status::Exact, "{}", r.trace.join("\n"));
    (r.lambda, r.multiplicity)
}

/// Moves `k`'s variables to `offset..offset+nvars` of `n` variables.
fn shifted(k: &Poly, n: usize, offset: usize) -> Poly {
    let map: Vec<usize> = (0..k.nvars()).map(|i| i + offset).collect();
    k.embed(n, &map)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn permuting_variables(c in case(3), rot in 0usize..3) {
        let k = c.poly();
        let d = c.d;
        // A rotation of the variables (any rotation amount).
        let map: Vec<usize> = (0..d).map(|i| (i + rot) % d).collect();
        let mut prior = vec![0; d];
        for i in 0..d { prior[map[i]] = c.prior[i]; }
        prop_assert_eq!(pair(&k, &c.prior), pair(&k.embed(d, &map), &prior));
    }

    #[test]
    fn positive_rescaling(c in case(3), s in (1i64..50, 1i64..50)) {
        let k = c.poly();
        let mut scaled = Poly::zero(c.d);
        for (i, t) in k.terms().iter().enumerate() {
            // A different positive factor per term keeps the support and signs.
            let f = ratio(s.0 + i as i64, s.1);
            scaled = &scaled + &Poly::monomial(c.d, t.exp.clone(), &t.coef * &f);
        }
        prop_assert_eq!(pair(&k, &c.prior), pair(&scaled, &c.prior));
    }

    #[test]
    fn sum_in_separate_variables(a in case(2), b in case(2)) {
        let n = a.d + b.d;
        let k = &shifted(&a.poly(), n, 0) + &shifted(&b.poly(), n, a.d);
        let prior: Vec<u32> = a.prior.iter().chain(&b.prior).copied().collect();
        let (l1, m1) = pair(&a.poly(), &a.prior);
        let (l2, m2) = pair(&b.poly(), &b.prior);
        prop_assert_eq!(pair(&k, &prior), (l1 + l2, m1 + m2 - 1));
    }

    #[test]
    fn product_with_monomial_in_new_variables(a in case(2), e in prop::collection::vec(0u32..=3, 1..=2), hb in 0u32..=2) {
        let db = e.len();
        prop_assume!(e.iter().any(|&x| x > 0));
        let mono = Poly::monomial(db, e.iter().map(|x| 2 * x).collect(), rat(3));
        let n = a.d + db;
        let k = &shifted(&a.poly(), n, 0) * &shifted(&mono, n, a.d);
        let hb = vec![hb; db];
        let prior: Vec<u32> = a.prior.iter().chain(&hb).copied().collect();
        let (l1, m1) = pair(&a.poly(), &a.prior);
        let (l2, m2) = pair(&mono, &hb);
        let expected = if l1 == l2 { (l1, m1 + m2) } else if l1 < l2 { (l1, m1) } else { (l2, m2) };
        prop_assert_eq!(pair(&k, &prior), expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The reported facets pass through the hit point, support Γ(K), and
    /// their normals span a space of dimension θ.
    #[test]
    fn tight_normals_support_the_hit_point(c in case(3)) {
        let k = c.poly();
        let p = rlct::newton::newton_pair(std::slice::from_ref(&k), false, &c.prior);
        prop_assert!(p.tight_normals_complete);
        let dot = |n: &[Rat], v: &[Rat]| n.iter().zip(v).map(|(a, b)| a * b).sum::<Rat>();
        for n in &p.tight_normals {
            prop_assert!(n.iter().all(|x| *x >= rat(0)));
            let at_hit = dot(n, &p.hit_point);
            for t in k.terms() {
                let e: Vec<Rat> = t.exp.iter().map(|&x| rat(x as i64)).collect();
                prop_assert!(dot(n, &e) >= at_hit);
            }
        }
        // Rank by elimination over Q.
        let mut m = p.tight_normals.clone();
        let mut rank = 0;
        for col in 0..c.d {
            if let Some(r) = (rank..m.len()).find(|&r| m[r][col] != rat(0)) {
                m.swap(rank, r);
                for i in 0..m.len() {
                    if i != rank && m[i][col] != rat(0) {
                        let f = &m[i][col] / &m[rank][col];
                        let row = m[rank].clone();
                        for (x, y) in m[i].iter_mut().zip(&row) { *x -= &f * y; }
                    }
                }
                rank += 1;
            }
        }
        prop_assert_eq!(rank, p.multiplicity);
        prop_assert_eq!(p.lambda * &p.t_star, rat(1));
    }
}
