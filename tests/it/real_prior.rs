//! Real priors and the simplex (docs/theory.md §2.8): prior exponents that
//! are rationals > −1 (`prior |x|^(-1/2)`, `x^(1/3)`), Dirichlet factors on
//! a `domain simplex(...)`. Each exact answer against a closed form for the
//! class and, for a sample, against the volume estimator sampling the same
//! prior.

use crate::draw::Draw;
use crate::volume_check;

use rlct::dsl::parse_program;
use rlct::exact::{ExactOptions, solve};
use rlct::poly::{Rat, rat, ratio};
use rlct::{Error, Status};

fn exact(program: &str) -> rlct::ExactResult {
    let p = parse_program(program, "t").unwrap_or_else(|e| panic!("{program}: {e}"));
    solve(&p, &ExactOptions::default()).unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn assert_pair(program: &str, lambda: &Rat, m: usize) -> rlct::ExactResult {
    let r = exact(program);
    assert_eq!(r.status, Status::Exact, "{program}: {} ≤ λ ≤ {} ({})", r.lower, r.upper, r.method);
    assert_eq!((&r.lambda, r.multiplicity), (lambda, m), "{program} ({})", r.method);
    r
}

fn assert_pair_and_volume(program: &str, lambda: &Rat, m: usize) {
    let r = assert_pair(program, lambda, m);
    let p = parse_program(program, "t").unwrap();
    volume_check::assert_volume_agrees(&p, &r, program, None);
}

#[test]
fn jeffreys_prior_halves_the_threshold_of_a_square() {
    // K = w², φ ∝ |w|^(-1/2): λ = (h+1)/(2k) = (1/2)/2 = 1/4 (flat: 1/2).
    assert_pair_and_volume("param w; K = w^2; prior |w|^(-1/2);", &ratio(1, 4), 1);
    assert_pair("param w; K = w^2;", &ratio(1, 2), 1);
    // The same written without bars, and centred at a point off 0.
    assert_pair("param w; K = (w - 1)^2; at w = 1; prior w^(-1/2);", &ratio(1, 4), 1);
    // One-sided: the same λ (a monomial's threshold does not see the side).
    assert_pair_and_volume("param w; K = w^2; domain w >= 0; prior |w|^(-1/2);", &ratio(1, 4), 1);
    // Products with integer factors: x²y² with |x|^(-1/2) y: min(1/4, 1) = 1/4.
    assert_pair("param x, y; K = x^2*y^2; prior |x|^(-1/2) * y;", &ratio(1, 4), 1);
}

/// A rational h > −1 with a small denominator: h + 1 = p/q.
fn exponent(d: &mut Draw) -> Rat {
    let q = d.int(1, 4);
    let p = d.int(1, 3 * q);
    ratio(p, q) - rat(1)
}

#[test]
fn random_monomials_with_rational_exponents_match_the_closed_form() {
    // K = Π (w_i − w*_i)^{2k_i}, φ ∝ Π |w_i − w*_i|^{h_i}:
    // λ = min_i (h_i+1)/(2k_i), m = #{i attaining it} (docs/theory.md §2.8),
    // with random sides (a monomial's pair does not depend on them).
    let mut d = Draw(0x5eed_0016);
    let mut volume_checked = 0;
    for case in 0..24 {
        let n = d.int(1, 3) as usize;
        let names: Vec<String> = (1..=n).map(|i| format!("w{i}")).collect();
        let (mut factors, mut prior, mut at, mut domain) = (vec![], vec![], vec![], vec![]);
        let mut best: Option<(Rat, usize)> = None;
        for name in &names {
            let k = d.int(1, 3);
            let h = exponent(&mut d);
            let c = d.int(-2, 2);
            factors.push(format!("({name} - ({c}))^{}", 2 * k));
            prior.push(format!("|{name}|^({h})"));
            at.push(format!("{name} = {c}"));
            match d.int(0, 2) {
                0 => domain.push(format!("{name} >= {c}")),
                1 => domain.push(format!("{name} <= {c}")),
                _ => {}
            }
            let l = (&h + rat(1)) / rat(2 * k);
            best = match best {
                Some((b, m)) if b < l => Some((b, m)),
                Some((b, m)) if b == l => Some((b, m + 1)),
                _ => Some((l, 1)),
            };
        }
        let (lambda, m) = best.unwrap();
        let mut program = format!(
            "param {}; K = {}; prior {}; at {};",
            names.join(", "),
            factors.join("*"),
            prior.join(" * "),
            at.join(", ")
        );
        if !domain.is_empty() {
            program.push_str(&format!(" domain {};", domain.join(", ")));
        }
        let r = assert_pair(&program, &lambda, m);
        // A sample against the estimator, which samples the same prior.
        if case % 6 == 0 && n <= 2 {
            let p = parse_program(&program, "t").unwrap();
            volume_check::assert_volume_agrees(&p, &r, &program, None);
            volume_checked += 1;
        }
    }
    assert!(volume_checked >= 2, "the draw must put some cases through the estimator");
}

/// Three components with outcome probabilities θ = (1/2, θ_b, θ_c) of a
/// binary variable, true distribution the first component (weights at the
/// vertex (1, 0, 0)), Dirichlet(α_a, α_b, α_c) on the weights.
fn mixture(theta: (&Rat, &Rat), alpha: (&Rat, &Rat, &Rat)) -> String {
    format!(
        "param a, b, c; K = (a/2 + ({})*b + ({})*c - 1/2)^2; domain simplex(a, b, c); at a = 1, b = 0, c = 0; \
         prior dirichlet({}, {}, {});",
        theta.0, theta.1, alpha.0, alpha.1, alpha.2
    )
}

#[test]
fn dirichlet_mixture_weights_at_a_vertex_match_the_closed_form() {
    // Eliminating a = 1 − b − c: p − 1/2 = (θ_b − 1/2) b + (θ_c − 1/2) c on
    // b, c ≥ 0 with prior b^{α_b−1} c^{α_c−1} (docs/theory.md §2.8):
    // - opposite signs (the zero set crosses the quadrant):
    //   λ = min((α_b+α_c)/2, 1/2), m = 1 + [(α_b+α_c)/2 = 1/2];
    // - one sign: K ≍ (b + c)², λ = (α_b+α_c)/2, m = 1.
    // α_a is on the eliminated coordinate (a unit at a* = 1): no effect.
    //
    // The drawn class keeps the unfolded zero set rational: after b = u^{2q_b},
    // c = v^{2q_c} it is v^{2q_c} = ρ u^{2q_b} with ρ = (1/2 − θ_b)/(θ_c − 1/2);
    // for ρ = 1 (θ_c = 1 − θ_b) and q_b, q_c ∈ {1, 2, 4} (dividing each other)
    // its branches are v = ±u^{q_b/q_c} or u = ±v^{q_c/q_b}, which the blow-up
    // engine follows. A general ρ gives branches with irrational
    // coefficients (v² = ρ u⁴): the engine then returns a proven bound,
    // checked to contain the closed form below.
    let mut d = Draw(0xd1_7c_4e);
    let half = ratio(1, 2);
    let dens = [1, 2, 4];
    for case in 0..16 {
        let alpha: Vec<Rat> = (0..3).map(|_| ratio(d.int(1, 6), dens[d.pick(3)])).collect();
        let crossing = case % 2 == 0;
        let tb = ratio(d.int(1, 4), 10);
        let tc = if crossing { rat(1) - &tb } else { ratio(d.int(1, 4), 10) };
        let s = (&alpha[1] + &alpha[2]) / rat(2);
        let (lambda, m) = if !crossing {
            (s.clone(), 1)
        } else if s < half {
            (s.clone(), 1)
        } else if s == half {
            (s.clone(), 2)
        } else {
            (half.clone(), 1)
        };
        let program = mixture((&tb, &tc), (&alpha[0], &alpha[1], &alpha[2]));
        assert_pair(&program, &lambda, m);
    }
    // An irrational branch: a proven bound around the closed form 1/2.
    let r = exact(&mixture((&ratio(2, 5), &ratio(7, 10)), (&ratio(1, 3), &half, &rat(2))));
    assert!(r.lower <= half && half <= r.upper, "{} ≤ λ ≤ {}", r.lower, r.upper);
    // Through the estimator: α = 1/4 on the free weights, λ = 1/4; and at
    // α = 1/2 the two poles meet (m = 2).
    let q = ratio(1, 4);
    assert_pair_and_volume(&mixture((&ratio(1, 4), &ratio(3, 4)), (&rat(1), &q, &q)), &q, 1);
    assert_pair(&mixture((&ratio(1, 4), &ratio(3, 4)), (&rat(1), &half, &half)), &half, 2);
}

#[test]
fn a_dirichlet_factor_is_a_unit_off_the_face() {
    // Truth (1/2, 1/2, 0): a and b are positive at the point, so α_a, α_b
    // do not matter; c is at 0 with exponent α_c − 1. K = (a − b)² + c²:
    // a = 1 − b − c, K ≍ β² + c² (β = b − 1/2) on c ≥ 0: λ = 1/2 + α_c/2.
    let mut d = Draw(0x0a11);
    for _ in 0..6 {
        let (aa, ab, ac) =
            (ratio(d.int(1, 5), d.int(1, 3)), ratio(d.int(1, 5), d.int(1, 3)), ratio(d.int(1, 5), 4));
        let program = format!(
            "param a, b, c; K = (a - b)^2 + c^2; domain simplex(a, b, c); at a = 1/2, b = 1/2, c = 0; \
             prior dirichlet({aa}, {ab}, {ac});"
        );
        assert_pair(&program, &(ratio(1, 2) + &ac / rat(2)), 1);
    }
    assert_pair_and_volume(
        "param a, b, c; K = (a - b)^2 + c^2; domain simplex(a, b, c); at a = 1/2, b = 1/2, c = 0; \
         prior dirichlet(1/2);",
        &ratio(3, 4),
        1,
    );
}

#[test]
fn a_vector_parameter_is_a_simplex_of_its_entries() {
    // The same class as above with w = (a, b, c) declared as a vector.
    let q = ratio(1, 4);
    assert_pair(
        "param w[3]; K = (w[1]/2 + w[2]/4 + 3*w[3]/4 - 1/2)^2; domain simplex(w); at w = [1, 0, 0]; \
         prior dirichlet(1, 1/4, 1/4);",
        &q,
        1,
    );
}

#[test]
fn an_odd_denominator_on_both_sides_is_one_chart() {
    // |x|^(-1/3): h + 1 = 2/3, x = u³ is a bijection of the line with prior
    // |u|^1 (docs/theory.md §2.8): one chart, not two. Separate variables
    // add: (h+1)/2 + 1/2 = 1/3 + 1/2.
    let r = assert_pair("param x, y; K = x^2 + y^2; prior |x|^(-1/3);", &ratio(5, 6), 1);
    assert!(r.method.starts_with("real-prior+"), "{}", r.method);
    assert_eq!(r.certificate["one_sided"]["unfolded_prior"], serde_json::json!([1, 0]));
    // An even denominator on both sides: the two half-lines, two charts.
    let r = assert_pair("param x, y; K = x^2 + y^2; prior |x|^(-1/2);", &ratio(3, 4), 1);
    assert_eq!(r.method, "charts");
    assert_eq!(r.certificate["charts"].as_array().map(|a| a.len()), Some(2));
}

#[test]
fn bad_priors_and_simplices_are_input_errors() {
    for (program, needle) in [
        ("param w; K = w^2; prior |w|^(-1);", "integrable"),
        ("param w; K = w^2; prior |w|^(-3/2);", "integrable"),
        ("param a, b; K = (a - 1)^2; at a = 1; prior dirichlet(1/2);", "simplex"),
        ("param a, b; K = (a-1)^2 + b^2; domain simplex(a, b); at a = 1/2, b = 0;", "sum to 1/2"),
        ("param a, b; K = (a-1)^2 + b^2; domain simplex(a, b); at a = 2, b = -1;", "outside the simplex"),
        ("param a, b; K = (a-1)^2 + b^2; domain simplex(a, b), b >= 0; at a = 1;", "bound of its own"),
        (
            "param a, b, c; K = (a-1)^2 + b^2; domain simplex(a, b, c); at a = 1; prior dirichlet(1, 2);",
            "2 parameters",
        ),
        ("param a, b; K = (a-1)^2 + b^2; domain simplex(a, b); at a = 1; prior dirichlet(0, 1);", "positive"),
        ("param a, b; K = (a-1)^2 + b^2; domain simplex(a, a); at a = 1;", "twice"),
        ("param a, b; K = (a-1)^2 + b^2; domain simplex(a); at a = 1;", "at least two"),
        ("param w; K = w^2; prior |w|^(1/2000);", "at most 1024"),
    ] {
        match parse_program(program, "t") {
            Err(Error::Input(d)) => {
                let text = d.render();
                assert!(text.contains(needle), "{program}: {text}");
                assert_eq!(d.line_col().0, 1, "{program}: a location: {text}");
            }
            other => panic!("{program}: expected an input error, got {other:?}"),
        }
    }
}
