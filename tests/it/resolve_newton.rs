//! The blow-up engine against the Newton engine: wherever the Newton pair
//! is certified exact (Varchenko 1976 / Lin 2011), the blow-up search alone
//! must find the same pair, so a wrong search strategy is caught. And the
//! dispatch `exact::solve` must turn the Newton traps of docs/theory.md §3 into
//! exact answers.

use num_traits::Zero;
use rlct::exact::{ExactOptions, solve, solve_newton};
use rlct::poly::{Poly, Rat, rat, ratio};
use rlct::{Loss, Problem, Status};

fn names(d: usize) -> Vec<String> {
    (0..d).map(|i| format!("w{i}")).collect()
}

/// A small deterministic generator (64-bit LCG), so the cases are fixed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn compare(p: &Problem) -> bool {
    let newton = solve_newton(p, &ExactOptions::default()).unwrap();
    if newton.status != Status::Exact {
        return false;
    }
    let blow = rlct::exact::blowup(p, &ExactOptions::default()).unwrap();
    assert_eq!(
        blow.status,
        Status::Exact,
        "blow-up undecided on a Newton-certified case\n{}",
        blow.trace.join("\n")
    );
    assert_eq!(
        (blow.lambda.clone(), blow.multiplicity),
        (newton.lambda.clone(), newton.multiplicity),
        "prior {:?}\n{}",
        p.prior,
        blow.trace.join("\n")
    );
    true
}

#[test]
fn blow_up_equals_newton_on_certified_cases() {
    let mut rng = Lcg(20261123);
    let mut compared = 0;
    for _ in 0..40 {
        let d = 2 + rng.next(2) as usize;
        // K = Σ c·w^{2α} (positive even monomials: always non-degenerate)
        // plus, sometimes, a cross term that keeps the edge certified.
        let nterms = 2 + rng.next(3) as usize;
        let mut k = Poly::zero(d);
        for _ in 0..nterms {
            let exp: Vec<u32> = (0..d).map(|_| 2 * rng.next(3) as u32).collect();
            if exp.iter().all(|&e| e == 0) {
                continue;
            }
            k = &k + &Poly::monomial(d, exp, rat(1 + rng.next(3) as i64));
        }
        if k.is_zero() || !k.constant_term().is_zero() {
            continue;
        }
        let mut p = Problem::new(names(d), Loss::Polynomial(k));
        p.prior = (0..d).map(|_| rng.next(3) as u32).collect();
        if compare(&p) {
            compared += 1;
        }
    }
    // Ideals: random binomial and monomial generators.
    for _ in 0..30 {
        let d = 2 + rng.next(2) as usize;
        let ngens = 1 + rng.next(3) as usize;
        let gens: Vec<Poly> = (0..ngens)
            .map(|_| {
                let mut g = Poly::zero(d);
                for _ in 0..1 + rng.next(2) {
                    let exp: Vec<u32> = (0..d).map(|_| rng.next(3) as u32).collect();
                    if exp.iter().all(|&e| e == 0) {
                        continue;
                    }
                    let c = rng.next(5) as i64 - 2;
                    g = &g + &Poly::monomial(d, exp, rat(if c == 0 { 1 } else { c }));
                }
                if g.is_zero() { Poly::var(d, 0) } else { g }
            })
            .collect();
        let mut p = Problem::new(names(d), Loss::Ideal(gens));
        p.prior = (0..d).map(|_| rng.next(2) as u32).collect();
        if compare(&p) {
            compared += 1;
        }
    }
    assert!(compared >= 40, "only {compared} certified cases compared");
}

#[test]
fn dispatch_resolves_the_newton_traps() {
    let x = Poly::var(3, 0);
    let y = Poly::var(3, 1);
    let z = Poly::var(3, 2);
    let s = &(&x + &y) + &z;
    let cases: Vec<(Poly, Rat, usize)> = vec![
        // (x + y + z)²: a smooth hypersurface squared, (1/2, 1).
        (&s * &s, ratio(1, 2), 1),
        // (x² + y² − z²)²: a cone; blow-up chart z: u²(x'² + y'² − 1)
        // vanishes on a circle of the box — not resolved by this search.
    ];
    for (k, lambda, m) in cases {
        let p = Problem::new(names(3), Loss::Polynomial(k));
        let newton = solve_newton(&p, &ExactOptions::default()).unwrap();
        assert_eq!(newton.status, Status::Bound);
        let r = solve(&p, &ExactOptions::default()).unwrap();
        assert_eq!(r.status, Status::Exact, "{}", r.trace.join("\n"));
        assert_eq!((r.lambda.clone(), r.multiplicity), (lambda, m));
        // The certificate carries both engines' parts.
        assert!(r.certificate["newton"].is_object() && r.certificate["blowup"]["tree"].is_object());
        assert!(!r.certificate["blowup"]["attained_by_leaves"].as_array().unwrap().is_empty());
    }
}

/// When neither engine proves the pair, the result is the tighter of the
/// two proven bounds and contains the truth: x⁴ + y⁴ + z⁴ + x²yz is
/// non-degenerate (AM-GM) with λ = 3/4, but its 2-face is uncertified.
#[test]
fn undecided_cases_combine_bounds() {
    let x = Poly::var(3, 0);
    let y = Poly::var(3, 1);
    let z = Poly::var(3, 2);
    let k = &(&(&x.pow(4) + &y.pow(4)) + &z.pow(4)) + &(&(&x.pow(2) * &y) * &z);
    let p = Problem::new(names(3), Loss::Polynomial(k));
    let r = solve(&p, &ExactOptions { budget: Some(50), ..Default::default() }).unwrap();
    let truth = ratio(3, 4);
    if r.status == Status::Exact {
        assert_eq!((r.lambda, r.multiplicity), (truth, 1));
    } else {
        assert!(r.lower <= truth && truth <= r.upper, "{} ≤ 3/4 ≤ {}", r.lower, r.upper);
    }
}
