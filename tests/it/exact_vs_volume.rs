//! Exact answers away from the origin, each checked twice: against its
//! source (a closed form or a hand derivation) and against the volume
//! estimator with m fixed by the exact engine (a disagreement is a bug).

use crate::volume_check;

use rlct::exact::{ExactOptions, solve};
use rlct::poly::ratio;
use rlct::{Status, dsl::parse_program};

fn check(program: &str, lambda: (i64, i64), m: usize) {
    let p = parse_program(program, "t").unwrap();
    let r = solve(&p, &ExactOptions::default()).unwrap();
    assert_eq!(r.status, Status::Exact, "{program}: {} ≤ λ ≤ {} ({})", r.lower, r.upper, r.method);
    assert_eq!(r.lambda, ratio(lambda.0, lambda.1), "{program}");
    assert_eq!(r.multiplicity, m, "{program}");
    volume_check::assert_volume_agrees(&p, &r, program, None);
}

#[test]
fn smooth_curve_through_a_point_off_the_origin() {
    // xy = 1 is a smooth curve: near (1, 1) the ideal is <u + v + uv>, a
    // coordinate after the unit pivot v* = (1+u)v + u: λ = 1/2, m = 1.
    check("ideal <x*y - 1>; at x = 1, y = 1; domain [-1/2, 1/2];", (1, 2), 1);
}

#[test]
fn reduced_rank_regression_of_rank_one_at_a_most_singular_true_point() {
    // (M, N, H, r) = (2, 2, 2, 1): Aoyagi & Watanabe 2005, case 1:
    // s = 2(H+r)(M+N) − (M−N)² − (H+r)² = 24 − 0 − 9 = 15, M+N+H+r = 7 odd,
    // λ = (s+1)/8 = 2, m = 2. Stated as a model, resolved through the
    // coefficient ideal of BA − B₀A₀ (regression equivalence, docs/theory.md §2).
    check(
        "param A[2,2], B[2,2]; input x[2]; output y = B*A*x; \
         truth A = [[1,0],[0,0]], B = [[1,0],[0,0]]; domain [-1/2, 1/2];",
        (2, 1),
        2,
    );
    // (3, 2, 2, 1): case 1 with s = 2·3·5 − 1 − 9 = 20, 3+2+2+1 = 8 even: λ = 5/2, m = 1.
    check(
        "param A[2,3], B[2,2]; ideal <B*A - [[1,0,0],[0,0,0]]>; \
         at A = [[1,0,0],[0,0,0]], B = [[1,0],[0,0]]; domain [-1/2, 1/2];",
        (5, 2),
        1,
    );
}

#[test]
fn degenerate_plane_curves_and_arrangements() {
    // y² − x⁵: lct = 1/2 + 1/5 = 7/10 (quasi-homogeneous with weights
    // (2, 5)); K = f² halves it: λ = 7/20, m = 1.
    check("K = (y^2 - x^5)^2;", (7, 20), 1);
    // x³ − y³ = (x − y)(x² + xy + y²): one blow-up of the origin gives
    // u³(1 − v³)·unit with Jacobian |u|: poles 2/3 (divisor) and 1 (the
    // line), so lct = 2/3 and λ = 1/3, m = 1.
    check("K = (x^3 - y^3)^2;", (1, 3), 1);
    // Two lines through 0 (docs/theory.md §7): flats give min(1/1, 1/1, 2/2) = 1,
    // attained by the point and both lines at once: λ = 1/2, m = 2.
    check("K = (x - y)^2*(x + y)^2;", (1, 2), 2);
}

#[test]
fn smooth_space_curve_is_codimension_two() {
    // <y − x², z − x³> is a smooth curve: two independent local
    // coordinates vanish on it, λ = 2/2 = 1, m = 1 (docs/theory.md §2 regular
    // part after the pivots).
    check("ideal <y - x^2, z - x^3>;", (1, 1), 1);
}

#[test]
fn deep_linear_networks_resolved_by_common_factors() {
    // 1-2-1-2 at the zero map: the coefficient ideal is q·<c1, c2> with
    // q = a1 b1 + a2 b2, so K ≍ q²·(c1² + c2²), a product in separate
    // variables (docs/theory.md §2): q² has λ = 1/2 (q is a rank-4 quadric whose
    // zero set is smooth off the origin; the origin's blow-up gives
    // 4/4 = 1), c1² + c2² has λ = 1: λ = 1/2, m = 1. Aoyagi 2024 agrees:
    // Σ = all four, ℓ = 3, S = 6, a = 3, λ = −6 + 13/2 = 1/2, m = 1.
    check(
        "param W1[2,1], W2[1,2], W3[2,1]; input x[1]; output y = W3*W2*W1*x; \
         truth W1 = [[0],[0]], W2 = [[0,0]], W3 = [[0],[0]];",
        (1, 2),
        1,
    );
    // 2-2-2-1: one trilinear generator c^T B A, resolved by centres that
    // separate a layer. Aoyagi 2024: Δ = (1, 2, 2, 2), ℓ = 3, S = 7,
    // a = 1: λ = 1/6 − 49/6 + 9 = 1, m = a(ℓ − a) + 1 = 3.
    check(
        "param W1[2,2], W2[2,2], W3[1,2]; input x[2]; output y = W3*W2*W1*x; \
         truth W1 = [[0,0],[0,0]], W2 = [[0,0],[0,0]], W3 = [[0,0]];",
        (1, 1),
        3,
    );
    // 2-2-2-2: quotient shifts with interreduction (resolve/reduce.rs)
    // turn the charts' C·(a + b, e + f)ᵀ, s·C·(a, e)ᵀ + t·C·(b, f)ᵀ into
    // products. Aoyagi 2024: λ = 3/2, m = a(ℓ − a) + 1 = 3.
    check(
        "param W1[2,2], W2[2,2], W3[2,2]; input x[2]; output y = W3*W2*W1*x; \
         truth W1 = [[0,0],[0,0]], W2 = [[0,0],[0,0]], W3 = [[0,0],[0,0]];",
        (3, 2),
        3,
    );
    // Four layers, 2-2-2-2-1: quotient shifts from a polynomial coefficient
    // (1 + p)·(w + v) (resolve/reduce.rs). Aoyagi 2024: λ = 1, m = 4.
    check(
        "param W1[2,2], W2[2,2], W3[2,2], W4[1,2]; input x[2]; output y = W4*W3*W2*W1*x; \
         truth W1 = [[0,0],[0,0]], W2 = [[0,0],[0,0]], W3 = [[0,0],[0,0]], W4 = [[0,0]];",
        (1, 1),
        4,
    );
    // 2-2-2-2 at a true map of rank 1: the block coefficient change
    // (resolve/reduce.rs). Aoyagi 2024: λ = 2, m = 3.
    check(
        "param W1[2,2], W2[2,2], W3[2,2]; input x[2]; output y = W3*W2*W1*x; \
         truth W1 = [[1,0],[0,0]], W2 = [[1,0],[0,0]], W3 = [[1,0],[0,0]]; domain [-1/2, 1/2];",
        (2, 1),
        3,
    );
}

#[test]
fn reduced_rank_regression_of_full_rank_h() {
    // (M, N, H, r) = (3, 4, 3, 3): the true map has rank H, so the model
    // is regular there: λ = d/2 minus the GL(3) orbit, (3·3 + 4·3 − 9)/2 = 6,
    // m = 1 (Aoyagi & Watanabe 2005). At λ = 6 the volume fit's window
    // reaches ε > 1, where the m = 1 fit once read log log(1/ε) = NaN.
    check(
        "param A[3,3], B[4,3]; input x[3]; output y = B*A*x; \
         truth A = [[1,0,0],[0,1,0],[0,0,1]], B = [[1,0,0],[0,1,0],[0,0,1],[0,0,0]];",
        (6, 1),
        1,
    );
}

#[test]
fn reduced_rank_regression_three_three_two_rank_one() {
    // (M, N, H, r) = (3, 3, 2, 1), Aoyagi & Watanabe 2005 case 1:
    // s = 2·3·6 − 0 − 9 = 27, M+N+H+r = 9 odd: λ = (s+1)/8 = 7/2, m = 2.
    // After the unit pivots the last summand is (1 + B11)·<A2j Bk2>: the
    // separable-factor rule drops the unit (1 + B11), leaving a monomial
    // ideal (a bound before that rule).
    check(
        "param A[2,3], B[3,2]; input x[3]; output y = B*A*x; \
         truth A = [[1,0,0],[0,0,0]], B = [[1,0],[0,0],[0,0]]; domain [-1/2, 1/2];",
        (7, 2),
        2,
    );
}

#[test]
fn nodal_curves_and_smooth_branches_that_are_not_graphs_of_polynomials() {
    // y² − x² − x³ has a node at 0: two smooth branches y = ±x·√(1+x)
    // crossing transversally, analytically (xy)² locally: λ = 1/2, m = 2
    // (docs/theory.md §7, two lines). After one blow-up the branches are smooth
    // curves y'² − 2y' − x = 0 that no finite number of further blow-ups
    // makes coordinate hyperplanes; the smooth-point leaf (inverse
    // function theorem) ends them.
    check("K = (y^2 - x^2 - x^3)^2;", (1, 2), 2);
    // The folium-like node x³ + y³ + xy: tangent cone xy, same pair.
    check("K = (x^3 + y^3 + x*y)^2;", (1, 2), 2);
    // y² − x − x³ is smooth at 0 (∂/∂x = −1) but not linear in any
    // variable: a coordinate w, K ≍ w², λ = 1/2, m = 1.
    check("K = (y^2 - x - x^3)^2;", (1, 2), 1);
}

#[test]
fn plane_arrangements_in_general_position() {
    // (x − y)(y − z): after x* = x − y, y* = y − z (Jacobian 1) it is
    // x*·y*, so K ≍ (x* y*)²: λ = 1/2, m = 2.
    check("K = ((x - y)*(y - z))^2;", (1, 2), 2);
    // The braid arrangement (x − y)(y − z)(z − x): three planes through
    // the line x = y = z; flats give min(1/1, 2/3) = 2/3 (docs/theory.md §7), so
    // λ = 1/3; a line arrangement times ℝ along the common line: m = 1.
    check("K = ((x - y)*(y - z)*(z - x))^2;", (1, 3), 1);
}

#[test]
fn redundant_generators_do_not_change_the_ideal() {
    // <f, f²> = <f> for f = y³ − 2x³ = (y − cx)(y² + cxy + c²x²), c = 2^{1/3}:
    // one real line and a definite quadratic, as in (x³ − y³)²; one blow-up
    // gives the divisor pole (1+1)/(2·3) = 1/3 and the line's 1/2:
    // λ = 1/3, m = 1.
    check("ideal <y^3 - 2*x^3, (y^3 - 2*x^3)^2>;", (1, 3), 1);
    // f² + (z·f)² = f²(1 + z²) ≍ f² with f = x² − 3y², two lines of
    // irrational slope ±1/√3 crossing transversally: λ = 1/2, m = 2.
    check("K = (x^2 - 3*y^2)^2 + (z*(x^2 - 3*y^2))^2;", (1, 2), 2);
}
