//! Parsing and lowering: each construct gives the expected `Problem`,
//! compared with polynomials built by hand.

use rlct::dsl::parse_program;
use rlct::poly::{Poly, Rat, rat, ratio};
use rlct::problem::Loss;
use rlct::{Error, Problem};

fn parse(src: &str) -> Problem {
    match parse_program(src, "test.rlct") {
        Ok(p) => p,
        Err(Error::Input(d)) => panic!("unexpected error:\n{}", d.render()),
        Err(e) => panic!("unexpected error: {e}"),
    }
}

/// K itself, whether the program kept it as a polynomial or (written as a
/// sum of squares) as the ideal of its bases. Leaked: test-only, tiny.
fn k(p: &Problem) -> &'static Poly {
    Box::leak(Box::new(p.k()))
}

fn var(n: usize, i: usize) -> Poly {
    Poly::var(n, i)
}

fn c(n: usize, r: Rat) -> Poly {
    Poly::constant(n, r)
}

#[test]
fn bare_expression_infers_variables_in_order_of_appearance() {
    let p = parse("y^2*x^4 + z^2");
    assert_eq!(p.variables, ["y", "x", "z"]);
    let expect = &(&var(3, 0).pow(2) * &var(3, 1).pow(4)) + &var(3, 2).pow(2);
    assert_eq!(k(&p), &expect);
    assert_eq!(p.prior, [0, 0, 0]);
    assert_eq!(p.point, [rat(0), rat(0), rat(0)]);
    assert_eq!(p.domain, vec![(rat(-1), rat(1)); 3]);
    assert!(p.model.is_none());
}

#[test]
fn declared_parameters_keep_declaration_order() {
    let p = parse("param x, y, z; K = z^2 + x^2*y^2;");
    assert_eq!(p.variables, ["x", "y", "z"]);
    assert_eq!(k(&p), &(&var(3, 2).pow(2) + &(&var(3, 0) * &var(3, 1)).pow(2)));
}

#[test]
fn literals_are_exact() {
    // 0.1 = 1/10, 1e-3 = 1/1000, 2.5e1 = 25, 3/4 stays 3/4.
    let p = parse("K = 0.1*x^2 + 1e-3*x^4 + 2.5e1*x^6 + 3/4*x^8 + x^2/(1+1);");
    let x = var(1, 0);
    let expect = [(ratio(1, 10) + ratio(1, 2), 2), (ratio(1, 1000), 4), (rat(25), 6), (ratio(3, 4), 8)]
        .iter()
        .fold(Poly::zero(1), |acc, (coef, e)| &acc + &x.pow(*e).scale(coef));
    assert_eq!(k(&p), &expect);
}

#[test]
fn operators_and_precedence() {
    // -x^2 is -(x^2); unary minus binds looser than ^; left-assoc minus.
    let p = parse("param x, y; K = (x - y - -x)^2 + (-x^2 + x^2)^4 + 2*3^2*y^2;");
    let (x, y) = (var(2, 0), var(2, 1));
    let two_x_minus_y = &x.scale(&rat(2)) - &y;
    assert_eq!(k(&p), &(&two_x_minus_y.pow(2) + &y.pow(2).scale(&rat(18))));
}

#[test]
fn reduced_rank_regression_norm_expands_to_entries() {
    // ||B*A||^2 for A 2×3, B 2×2: the sum of squares of the entries of BA.
    let p = parse("param A[2,3], B[2,2]; K = ||B*A||^2;");
    let names: Vec<String> =
        ["A[1,1]", "A[1,2]", "A[1,3]", "A[2,1]", "A[2,2]", "A[2,3]", "B[1,1]", "B[1,2]", "B[2,1]", "B[2,2]"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    assert_eq!(p.variables, names);
    let n = 10;
    let a = |i: usize, j: usize| var(n, i * 3 + j);
    let b = |i: usize, j: usize| var(n, 6 + i * 2 + j);
    let mut expect = Poly::zero(n);
    for i in 0..2 {
        for j in 0..3 {
            let entry = &(&b(i, 0) * &a(0, j)) + &(&b(i, 1) * &a(1, j));
            expect = &expect + &(&entry * &entry);
        }
    }
    assert_eq!(k(&p), &expect);
    // Written as a squared norm, the loss is kept as the ideal of BA's entries.
    match &p.loss {
        Loss::Ideal(gens) => assert_eq!(gens.len(), 6),
        Loss::Polynomial(_) => panic!("||B*A||^2 should lower to the ideal of its entries"),
    }
    // A fourth power is the square of a square; a product of even powers
    // the square of a product: K = Σ bases² exactly, as an ideal.
    let q = parse("param A[2,3], B[2,2]; K = ||B*A||^2 + A[1,1]^4 + A[1,2]^2*B[1,1]^2;");
    match &q.loss {
        Loss::Ideal(gens) => {
            assert_eq!(gens.len(), 8);
            assert!(gens.contains(&a(0, 0).pow(2)) && gens.contains(&(&a(0, 1) * &b(0, 0))));
        }
        Loss::Polynomial(_) => panic!("a sum of squares should lower to an ideal"),
    }
    let expanded = &(&expect + &a(0, 0).pow(4)) + &(&a(0, 1) * &b(0, 0)).pow(2);
    assert_eq!(k(&q), &expanded);
    // An odd power, a quotient or a coefficient keeps the polynomial form.
    for text in ["K = x^2 + y^3;", "K = x^2/2;", "K = 2*x^2;", "K = -x^2*y^2 + x^2;"] {
        if let Ok(p) = rlct::dsl::parse_program(text, "t") {
            assert!(matches!(p.loss, Loss::Polynomial(_)), "{text}");
        }
    }
}

#[test]
fn transpose_and_matrix_literals() {
    // A' * A is 2×2 for A 1×2; its trace via entries; ||[[1,0],[0,1]] - I||
    // style literals; transpose(A) equals A'.
    let p1 = parse("param A[1,2]; K = ||A' * A||^2;");
    let p2 = parse("param A[1,2]; K = ||transpose(A) * A||^2;");
    assert_eq!(k(&p1), k(&p2));
    let (a, b) = (var(2, 0), var(2, 1));
    let s = &a.pow(2) + &b.pow(2);
    assert_eq!(k(&p1), &s.pow(2));
    // A 2×2 literal times a vector: [[1,2],[0,1]]*v = (v1 + 2 v2, v2).
    let p = parse("param v[2]; K = ||[[1,2],[0,1]]*v||^2;");
    assert_eq!(p.variables, ["v[1]", "v[2]"]);
    let (v1, v2) = (var(2, 0), var(2, 1));
    assert_eq!(k(&p), &(&(&v1 + &v2.scale(&rat(2))).pow(2) + &v2.pow(2)));
    // A flat list is a column vector; 1×1 results are scalars.
    let p = parse("param v[2]; K = (v' * [1, -1])^2;");
    assert_eq!(k(&p), &(&v1 - &v2).pow(2));
    // Entries by index.
    let p = parse("param A[2,2]; K = A[1,2]^2 + A[2,1]^4;");
    assert_eq!(k(&p), &(&var(4, 1).pow(2) + &var(4, 2).pow(4)));
}

#[test]
fn ideal_gives_generators() {
    let p = parse("param x, y; ideal <x*y, y^2 - x^3>;");
    let (x, y) = (var(2, 0), var(2, 1));
    assert_eq!(p.loss, Loss::Ideal(vec![&x * &y, &y.pow(2) - &x.pow(3)]));
    assert_eq!(p.k(), &(&x * &y).pow(2) + &(&y.pow(2) - &x.pow(3)).pow(2));
    // A matrix generator stands for its entries.
    let p = parse("param A[1,2]; ideal <A>;");
    assert_eq!(p.loss, Loss::Ideal(vec![var(2, 0), var(2, 1)]));
}

#[test]
fn prior_point_and_domain_are_lowered() {
    let p = parse(
        "param x, y;\n\
         K = (x - 1/2)^2 * y^2;   # zero at the point\n\
         prior 3*x^2*y;           // positive constant allowed\n\
         at x = 1/2, y = 0;\n\
         domain [-1/4, 1/2];\n",
    );
    assert_eq!(p.prior, [2, 1]);
    assert_eq!(p.point, [ratio(1, 2), rat(0)]);
    assert_eq!(p.domain, vec![(ratio(1, 4), rat(1)), (ratio(-1, 4), ratio(1, 2))]);
    // Per-variable domains, relative to the point; the rest default.
    let p = parse("param x, y; K = (x-2)^2 + y^2; at x = 2; domain x in [-1, 3];");
    assert_eq!(p.domain, vec![(rat(1), rat(5)), (rat(-1), rat(1))]);
    // `prior 1` is flat.
    assert_eq!(parse("K = x^2; prior 1;").prior, [0]);
}

#[test]
fn matrix_points() {
    let p = parse("param A[2,2]; K = ||A - [[1,0],[0,0]]||^2; at A = [[1,0],[0,0]];");
    assert_eq!(p.point, [rat(1), rat(0), rat(0), rat(0)]);
    let q = parse("param A[2,2]; K = ||A - [[1,0],[0,0]]||^2; at A[1,1] = 1;");
    assert_eq!(q.point, p.point);
    assert_eq!(k(&p), k(&q));
    let a11 = &var(4, 0) - &c(4, rat(1));
    let expect = &(&(&a11.pow(2) + &var(4, 1).pow(2)) + &var(4, 2).pow(2)) + &var(4, 3).pow(2);
    assert_eq!(k(&p), &expect);
}

#[test]
fn model_form_lowers_to_population_loss() {
    // y = b*a*x with x ~ N(0, 4), σ = 1/2, truth a = 1, b = 0:
    // K = E(b a x - 0)^2 / (2σ^2) = 4 (ab)^2 / (1/2) = 8 (ab)^2.
    let p = parse("param a, b; input x ~ N(0, 4); output y = b*a*x; noise 1/2; truth a = 1, b = 0;");
    let (a, b) = (var(2, 0), var(2, 1));
    assert_eq!(k(&p), &(&a * &b).pow(2).scale(&rat(8)));
    assert_eq!(p.point, [rat(1), rat(0)]);
    let spec = p.model.as_ref().expect("model");
    assert_eq!(spec.inputs, ["x"]);
    assert_eq!(spec.input_variance, [rat(4)]);
    assert_eq!(spec.noise, ratio(1, 2));
    assert_eq!(spec.outputs.len(), 1);
    assert_eq!(spec.outputs[0].nvars(), 3);
}

#[test]
fn rrr_model_example_matches_norm_form() {
    // With x ~ N(0, I) and σ = 1, K = ||BA - B0 A0||^2 / 2.
    let src =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/rrr_model.rlct")).unwrap();
    let model = parse(&src);
    let norm = parse(
        "param A[2,3], B[3,2];\n\
         K = ||B*A - [[1,0],[0,0],[0,0]]*[[1,0,0],[0,0,0]]||^2 / 2;\n\
         at A = [[1,0,0],[0,0,0]], B = [[1,0],[0,0],[0,0]];",
    );
    assert_eq!(model.variables, norm.variables);
    assert_eq!(k(&model), k(&norm));
    assert_eq!(model.point, norm.point);
    let spec = model.model.as_ref().unwrap();
    assert_eq!(spec.inputs, ["x[1]", "x[2]", "x[3]"]);
    assert_eq!(spec.outputs.len(), 3);
}

#[test]
fn statements_tolerate_missing_final_semicolon_and_comments() {
    let p = parse("# leading comment\nparam x // trailing\n; K = x^2");
    assert_eq!(k(&p), &var(1, 0).pow(2));
}

#[test]
fn all_examples_parse() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("rlct") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        let p = parse(&src);
        assert!(!p.k().is_zero(), "{}", path.display());
        // Every example states its known λ in a comment.
        assert!(src.contains("λ ="), "{} has no stated λ", path.display());
        count += 1;
    }
    assert!(count >= 7, "only {count} examples");
}

fn error_of(src: &str) -> rlct::Diagnostic {
    match parse_program(src, "t.rlct") {
        Err(Error::Input(d)) => *d,
        Ok(p) => panic!("expected an error for {src:?}, got {p:?}"),
        Err(e) => panic!("expected an input error for {src:?}, got {e}"),
    }
}

/// (program, words the message must contain, text under the caret)
const ERRORS: &[(&str, &str, &str)] = &[
    ("param x; K = x^2 + z;", "not declared", "z"),
    ("param x, x; K = x^2;", "already declared", "x"),
    ("K = x^-2;", "negative exponent", "-2"),
    ("K = x^(1/2);", "fractional exponent", "(1/2)"),
    ("K = x^100000;", "too large", "100000"),
    ("K = (x+y+z+w)^200;", "expansion too large", "(x+y+z+w)"),
    ("K = x^2/y;", "non-constant", "y"),
    ("K = x^2/(1-1);", "division by zero", "(1-1)"),
    ("param A[2,3], B[2,2]; K = ||A*B||^2;", "cannot multiply a 2×3 matrix by a 2×2 matrix", "*"),
    ("param A[0,2]; K = 1;", "zero dimension", "A"),
    ("param A[2,2]; K = A[3,1]^2;", "out of range", "[3,1]"),
    ("ideal <>;", "ideal is empty", "ideal <>"),
    ("K = x^2; K = x^4;", "defined twice", "K"),
    ("param x;", "defines no loss", ""),
    ("K = x^2; at y = 1;", "not a variable", "y"),
    ("K = x^2 + 1;", "K = 1", "x^2 + 1"),
    ("K = x^2 - y^2;", "negative", "x^2 - y^2"),
    ("K = x^2; prior x + 1;", "monomial", "x + 1"),
    ("K = x^2; prior -x;", "monomial", "-x"),
    ("param A[2,2]; K = ||A||^2 + A;", "cannot add a scalar and a 2×2 matrix", "+"),
    ("param A[2,2]; K = A^2;", "only scalars have powers", "A"),
    ("param A[2,2]; K = A;", "must be a scalar", "A"),
    ("K = $a * x^2;", "unbound family parameter", "$a"),
    ("K = x^2 +;", "expected an expression", ";"),
    ("param A[2,2]; K = ||A||^2; at A = 1;", "must be a 2×2 matrix", "1"),
    ("param x; K = x^2; at x = [1, 2];", "must be a scalar", "[1, 2]"),
    ("param A[2]; K = A[1,1]^2;", "vector", "[1,1]"),
    ("K = ||x||^3;", "squared norm", "3"),
    ("K = 0;", "identically zero", "0"),
    ("param a; input x; K = a^2; output y = a*x;", "both define the loss", "K"),
    ("param a; input x; output y = a*x; noise 0;", "must be positive", "0"),
    ("param a; K = a^2; noise 1;", "no `output`", "noise"),
    ("K = x^2; domain [1/2, 1];", "lo ≤ 0 ≤ hi", "[1/2, 1]"),
    ("K = x^2; domain x >= 1;", "outside the domain", "x >= 1"),
    ("K = x^2; domain x < 1;", "a domain is closed", "<"),
    ("K = exp(x) - 1 - x;", "unknown function `exp`", "exp"),
    ("param a; input x; output y = a*x; truth x = 1;", "model input", "x"),
    ("param a; input x; output y = a*x; prior x;", "uses the input `x`", "x"),
    ("param x; K = x^2; at x = y;", "not declared", "y"),
    ("param x, y; K = x^2; at x = y;", "constant", "y"),
];

#[test]
fn every_error_class_has_a_located_message() {
    for &(src, words, under) in ERRORS {
        let d = error_of(src);
        assert!(d.message.contains(words), "{src:?}: message {:?} lacks {words:?}", d.message);
        assert!(d.span.end <= src.len() && d.span.start <= d.span.end, "{src:?}: span {:?}", d.span);
        assert_eq!(&src[d.span.clone()], under, "{src:?}: span {:?} ({})", d.span, d.message);
        let r = d.render();
        assert!(r.contains("t.rlct:1:"), "{r}");
    }
}

#[test]
fn deep_nesting_is_rejected_with_a_location() {
    let deep = format!("K = {}x{};", "(".repeat(100_000), ")".repeat(100_000));
    let d = error_of(&deep);
    assert!(d.message.contains("nesting too deep"), "{}", d.message);
    // Just under the limit still parses (and does not overflow the stack).
    let ok = format!("K = {}x{}^2;", "(".repeat(190), ")".repeat(190));
    assert_eq!(k(&parse(&ok)), &var(1, 0).pow(2));
    let norms = format!("K = {}x{};", "||".repeat(50_000), "||^2".repeat(50_000));
    assert!(error_of(&norms).message.contains("nesting too deep"));
}

#[test]
fn model_infers_parameters_and_flattens_vector_outputs() {
    // No `param`: the parameters are the non-input names of the outputs.
    let p =
        parse("input x[2] ~ N(0, 2); output y = [a*x[1], b*x[2]]; output z = a*b*x[1]; truth a = 1, b = 0;");
    assert_eq!(p.variables, ["a", "b"]);
    let spec = p.model.as_ref().unwrap();
    assert_eq!(spec.inputs, ["x[1]", "x[2]"]);
    assert_eq!(spec.input_variance, [rat(2), rat(2)]);
    assert_eq!(spec.outputs.len(), 3);
    // K = E[(a-1)^2 x1^2 + b^2 x2^2 + (ab - 0)^2... ] / 2 with truth (1, 0):
    // = ((a-1)^2·2 + b^2·2 + (a b)^2·2) / 2.
    let (a, b) = (var(2, 0), var(2, 1));
    let am1 = &a - &c(2, rat(1));
    let expect = &(&am1.pow(2) + &b.pow(2)) + &(&a * &b).pow(2);
    assert_eq!(k(&p), &expect);
}

#[test]
fn matrix_domains_apply_to_every_entry() {
    let p = parse("param A[1,2], t; K = ||A||^2 + t^2; domain A in [-2, 3], [-1/2, 1/2];");
    assert_eq!(p.domain, vec![(rat(-2), rat(3)), (rat(-2), rat(3)), (ratio(-1, 2), ratio(1, 2))]);
}
