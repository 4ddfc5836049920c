//! The programs of the test suite whose answers are exact, in one list
//! (issue #11: every exact result of the suite goes through `rlct check`,
//! tests/it/check.rs). The examples are read from `examples/*.rlct`; the
//! program texts below are the ones the other test modules run (named by
//! module), and `problems()` adds the corpora those modules build in code.

use rlct::Problem;

/// Every `examples/*.rlct`, as (name, source).
pub fn examples() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir("examples")
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rlct"))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    v.sort();
    v
}

/// Program texts run by the test modules (by module), with exact answers.
pub const PROGRAMS: &[(&str, &str)] = &[
    ("check", "param x, y; K = x^2*y^4;"),
    ("coordinates", "param x, y; K = (y^2 - x^3)^2;"),
    ("coordinates", "param x, y; K = (x^2 - y^2)^2;"),
    ("coordinates", "param x, y; K = x^2 + y^4;"),
    ("coordinates", "param x, y; K = x^4*y^2;"),
    ("coordinates", "param x, y; K = x^4 + y^4;"),
    ("coordinates", "param x, y; K = (y^2 - x^5)^2;"),
    ("coordinates", "param x, y; K = (y^3 - x^4)^2;"),
    ("coordinates", "param x, y; K = ((y - x^2)*(y + x^2))^2;"),
    ("coordinates", "param x, y, z; K = (x*y*z)^2;"),
    ("coordinates", "param x, y, z; K = (x^2*y^2 - z^5)^2;"),
    ("coordinates", "param x, y, z; K = x^2 + y^2 + z^4;"),
    ("coordinates", "param x, y, z; K = (x^2 + y^2 - z^2)^2;"),
    ("coordinates", "param x, y, z; K = (x*y)^2 + (y*z)^2 + (z*x)^2;"),
    ("coordinates", "param x, y, z; K = (x^2 - y^2)^2 + z^4;"),
    ("coordinates", "param x, y, z; ideal <y^2 - x^3, z^2 - y^3>;"),
    ("coordinates", "param x, y; ideal <y^2 - x^3>;"),
    ("dsl_parse", "param x, y, z; K = z^2 + x^2*y^2;"),
    ("dsl_parse", "param x, y; K = (x - y - -x)^2 + (-x^2 + x^2)^4 + 2*3^2*y^2;"),
    ("dsl_parse", "param A[2,3], B[2,2]; K = ||B*A||^2;"),
    ("dsl_parse", "param A[1,2]; K = ||A' * A||^2;"),
    ("dsl_parse", "param A[1,2]; K = ||transpose(A) * A||^2;"),
    ("dsl_parse", "param v[2]; K = ||[[1,2],[0,1]]*v||^2;"),
    ("dsl_parse", "param v[2]; K = (v' * [1, -1])^2;"),
    ("dsl_parse", "param A[2,2]; K = A[1,2]^2 + A[2,1]^4;"),
    ("dsl_parse", "param x, y; ideal <x*y, y^2 - x^3>;"),
    ("dsl_parse", "param A[1,2]; ideal <A>;"),
    ("dsl_parse", "param x, y; K = (x-2)^2 + y^2; at x = 2; domain x in [-1, 3];"),
    ("dsl_parse", "param A[2,2]; K = ||A - [[1,0],[0,0]]||^2; at A = [[1,0],[0,0]];"),
    ("dsl_parse", "param A[2,2]; K = ||A - [[1,0],[0,0]]||^2; at A[1,1] = 1;"),
    ("dsl_parse", "param A[1,2], t; K = ||A||^2 + t^2; domain A in [-2, 3], [-1/2, 1/2];"),
    ("estimate_cases", "param x; K = x^2; prior x^2;"),
    ("estimate_cases", "param x; K = x^4; prior x^2;"),
    ("estimate_cases", "param x, y; K = x^2*y^2; prior x;"),
    ("estimate_cases", "param x, y; K = x^2*y^2; prior x^3*y;"),
    ("estimate_cases", "param x, y; K = x^2 + y^4; prior y^3;"),
    ("one_sided", "param x, y; K = (x + y)^2; domain x >= 0, y in [0, 1];"),
    ("one_sided", "param x, y; K = (x + y)^2;"),
    ("one_sided", "param x, y; K = x^2 + 2*x*y + y^2; domain x >= 0, y >= 0;"),
    ("one_sided", "param x, y; K = (x - y)^2; domain x >= 0, y >= 0;"),
    ("one_sided", "param x, y; K = (x + y + 1)^2; at x = 1, y = -2; domain x <= 1, y <= -2;"),
    ("one_sided", "param x, y; K = x + y; domain [0, 1];"),
    ("one_sided", "param x, y; K = x*y; domain x >= 0, y >= 0;"),
    ("one_sided", "param x; K = x; prior x; domain x >= 0;"),
    (
        "one_sided",
        "param a, c; K = ((1 - a - c)/2 + a/4 + c/5 - 1/2)^2; domain a in [0, 1/2], c in [0, 1/2];",
    ),
    (
        "one_sided",
        "param a, c; K = ((1 - a - c)/2 + a/4 + 3*c/4 - 1/2)^2; domain a in [0, 1/2], c in [0, 1/2];",
    ),
    ("one_sided", "param a, b; ideal <a*b, a*b^2>; domain a in [0, 1];"),
    ("one_sided", "param A[2,2], B[2,2]; K = ||A*B||^2; domain A >= 0, B >= 0;"),
    ("one_sided", "param A[2,2], B[2,2]; K = ||A*B||^2;"),
    ("one_sided", "param x, y, z; K = x^2 + y^2 + (z - 1)^2; at z = 1; domain x >= 0, y <= 0, z in [-1, 0];"),
    ("one_sided", "param x; K = (x - 2)^2; at x = 2; domain x >= -5;"),
    ("one_sided", "param x; K = -x; domain x <= 0;"),
    ("one_sided", "param x, y; K = x^3 + y^2; domain x >= 0;"),
    ("one_sided", "param x, y; K = (x + y)^2; domain x >= 0, y >= 0;"),
    ("one_sided", "param x, y; K = (x + y)^2; prior x; domain x >= 0, y >= 0;"),
    ("one_sided", "param x, y; K = x + y^2; domain x >= 0;"),
    ("paper_families", "param l1, l2, l3; ideal <l1*l2, l1*l3, l2*l3>;"),
    ("paper_strata", "param t, d1, d2, d3; ideal <t*d1*d2, t*d1*d3, t*d2*d3>;"),
    ("paper_strata", "param d1, d2, d3, d4; ideal <d1*d2, d1*d3, d1*d4, d2*d3, d2*d4, d3*d4>;"),
    ("paper_strata", "param l1, l2, l3, l4, r; ideal <l1*l2, l3*l4, r*l1*l3, r*l1*l4, r*l2*l3, r*l2*l4>;"),
    ("resolve_cli", "param A[3,3], B[3,3]; ideal <B*A>;"),
];

/// docs/theory.md §8's public cases and more plane curves, as programs
/// (tests/it/resolve_cases.rs builds them in code).
pub const SECTION_8: &[&str] = &[
    "param x; K = x^2;",
    "param x, y, z; K = x^2 + y^2 + z^2;",
    "param x; K = x^4;",
    "param x, y; K = (x*y)^2;",
    "param x, y; K = x^2*y^4;",
    "param x, y; K = (x*y)^2; prior x;",
    "param x, y; K = x^2 + y^4;",
    "param x, y; K = x^4 + y^4;",
    "param x, y, z; K = (x*y)^2 + (y*z)^2 + (z*x)^2;",
    "param x, y; K = (x + y)^2;",
    "param x, y; K = (y^2 - x^3)^2;",
    "param x, y; K = (x^2 - y^2)^2;",
    "param x, y, z; K = (x*y*z)^2;",
    "param x; K = x^2; prior x;",
    "param x, y; K = x^2 + y^2; prior x;",
    "param x, y; ideal <x, y - x^2>;",
];

/// Corpora built in code by the other modules: the degenerate cases of
/// tests/it/resolve_toric.rs (curves, arrangements, matrix products).
pub fn problems() -> Vec<(String, Problem)> {
    crate::resolve_toric::degenerate_cases()
}
