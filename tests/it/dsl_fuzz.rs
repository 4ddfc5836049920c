//! Fuzzing the language: random strings and random soups of the grammar's
//! tokens never make `parse_program` panic, and every error's span lies
//! within the source.

use proptest::prelude::*;
use rlct::Error;
use rlct::dsl::parse_program;
use rlct::poly::{Poly, ratio};
use rlct::problem::Loss;

/// Tokens of the grammar, with a few names and numbers, for token soups.
const TOKENS: &[&str] = &[
    "param",
    "input",
    "output",
    "K",
    "ideal",
    "prior",
    "at",
    "domain",
    "noise",
    "truth",
    "in",
    "transpose",
    "x",
    "y",
    "A",
    "B",
    "v",
    "$a",
    "0",
    "1",
    "2",
    "3",
    "1/2",
    "0.1",
    "1e-3",
    "10000",
    "+",
    "-",
    "*",
    "/",
    "^",
    "'",
    "(",
    ")",
    "[",
    "]",
    "[[",
    "]]",
    ",",
    ";",
    "=",
    "<",
    ">",
    "||",
    "~",
    "N",
    "#",
    "\n",
    " ",
    "[2,2]",
    "[1,2]",
    "||^2",
    "x^2",
    "y^4",
];

fn check(src: &str) -> std::result::Result<(), TestCaseError> {
    match parse_program(src, "fuzz") {
        Ok(p) => {
            // A successful parse is a consistent problem.
            let d = p.variables.len();
            prop_assert_eq!(p.prior.len(), d);
            prop_assert_eq!(p.point.len(), d);
            prop_assert_eq!(p.domain.len(), d);
            prop_assert!(p.domain.iter().zip(&p.point).all(|((lo, hi), w)| lo < w && w < hi));
        }
        Err(Error::Input(diag)) => {
            prop_assert!(diag.span.start <= diag.span.end, "span {:?}", diag.span);
            prop_assert!(diag.span.end <= src.len(), "span {:?} past {}", diag.span, src.len());
            prop_assert!(src.is_char_boundary(diag.span.start) && src.is_char_boundary(diag.span.end));
            let r = diag.render();
            prop_assert!(r.contains("fuzz:"), "{}", r);
        }
        Err(e) => prop_assert!(false, "not an input error: {e}"),
    }
    Ok(())
}

/// Random expressions over scalars, a vector and matrices: mostly
/// well-formed text that reaches the lowering (shapes, powers, divisions).
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec![
        "x",
        "y",
        "A",
        "B",
        "v",
        "A[1,2]",
        "B[2,1]",
        "v[2]",
        "A[3,1]",
        "z",
        "0",
        "1",
        "2",
        "1/2",
        "0.5",
        "1e-2",
        "[[1,0],[0,1]]",
        "[1,2]",
        "$n",
    ])
    .prop_map(str::to_string);
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), prop::sample::select(vec!["+", "-", "*", "/"]), inner.clone())
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            (inner.clone(), prop::sample::select(vec!["0", "1", "2", "3", "-1", "1/2", "20000", "x"]))
                .prop_map(|(a, k)| format!("({a})^{k}")),
            inner.clone().prop_map(|a| format!("||{a}||^2")),
            inner.clone().prop_map(|a| format!("-({a})")),
            inner.clone().prop_map(|a| format!("({a})'")),
            inner.clone().prop_map(|a| format!("transpose({a})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("[[{a}, {b}], [{b}, {a}]]")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_strings_never_panic(src in "\\PC{0,60}") {
        check(&src)?;
    }

    #[test]
    fn token_soups_never_panic(toks in prop::collection::vec(prop::sample::select(TOKENS), 0..40)) {
        let src = toks.join(" ");
        check(&src)?;
        // Without separators too: `paramx`, `x^2y`, ...
        check(&toks.concat())?;
    }

    #[test]
    fn well_formed_prefixes_never_panic(cut in 0usize..200) {
        let src = "param A[2,2], B[2,2]; K = ||B*A - [[1,0],[0,0]]||^2 + (A[1,1]-1)^2; prior B[1,1]^2; \
                   at A = [[1,0],[0,0]]; domain [-1/2, 1/2];";
        let mut end = cut.min(src.len());
        while !src.is_char_boundary(end) {
            end -= 1;
        }
        check(&src[..end])?;
    }

    #[test]
    fn random_programs_never_panic(
        k in expression(),
        prior in expression(),
        at in expression(),
        form in 0usize..4,
    ) {
        let decl = "param x, y, A[2,2], B[2,2], v[2];";
        let src = match form {
            0 => format!("{decl} K = {k};"),
            1 => format!("{decl} K = {k}; prior {prior}; at x = {at};"),
            2 => format!("{decl} ideal <{k}, {prior}>; at A = {at};"),
            _ => format!("param A[2,2], B[2,2]; input v[2]; output y = {k}; truth A = [[0,0],[0,0]], B = {at};"),
        };
        check(&src)?;
        check(&k)?;
    }
}

/// Random polynomials in x, y, z without constant term, with rational
/// coefficients.
fn polynomial() -> impl Strategy<Value = Poly> {
    let term = (prop::collection::vec(0u32..4, 3), -20i64..20, 1i64..9);
    prop::collection::vec(term, 1..8).prop_map(|terms| {
        Poly::from_terms(
            3,
            terms.into_iter().filter(|(e, _, _)| e.iter().any(|&x| x > 0)).map(|(e, n, d)| (e, ratio(n, d))),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// `Poly::display` output reads back as the same exact polynomial.
    #[test]
    fn displayed_polynomials_parse_back(p in polynomial(), q in polynomial()) {
        prop_assume!(!p.is_zero() && !q.is_zero());
        let names: Vec<String> = ["x", "y", "z"].iter().map(|s| s.to_string()).collect();
        let src = format!("param x, y, z; ideal <{}, {}>;", p.display(&names), q.display(&names));
        let problem = parse_program(&src, "roundtrip").map_err(|e| TestCaseError::fail(format!("{src}: {e}")))?;
        prop_assert_eq!(problem.loss, Loss::Ideal(vec![p, q]));
    }
}
