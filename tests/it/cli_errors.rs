//! `rlct exact` on invalid input: exit code 2, `file:line:col` and a caret
//! in stderr, never a panic. One case per error class.

use assert_cmd::Command;

/// Runs `rlct exact FILE` on `src` written to a temporary file, and checks
/// exit code 2, the location `:line:col`, a caret line and no panic.
fn assert_error(name: &str, src: &str, line: usize, col: usize, words: &str) {
    let dir = std::env::temp_dir().join(format!("rlct-cli-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.rlct"));
    std::fs::write(&path, src).unwrap();
    let out = Command::cargo_bin("rlct").unwrap().arg("exact").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: exit code, stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{name}: panic:\n{stderr}");
    let loc = format!("{name}.rlct:{line}:{col}");
    assert!(stderr.contains(&loc), "{name}: expected {loc} in:\n{stderr}");
    assert!(
        stderr.lines().any(|l| l.trim_start().starts_with('|') && l.contains('^')),
        "{name}: no caret:\n{stderr}"
    );
    assert!(stderr.contains(words), "{name}: expected {words:?} in:\n{stderr}");
    assert!(out.stdout.is_empty(), "{name}: stdout not empty");
}

#[test]
fn syntax_error() {
    assert_error("syntax", "param x, y;\nK = x^2 +;\n", 2, 10, "expected an expression");
}

#[test]
fn syntax_error_in_bare_expression() {
    assert_error("bare", "x^2 y", 1, 5, "expected");
}

#[test]
fn undeclared_name() {
    assert_error("undeclared", "param x;\nK = x^2 + z^2;\n", 2, 11, "`z` is not declared");
}

#[test]
fn redeclared_name() {
    assert_error("redeclared", "param x, y;\nparam x;\nK = x^2;\n", 2, 7, "already declared");
}

#[test]
fn negative_exponent() {
    assert_error("negexp", "K = x^-1;", 1, 7, "negative exponent");
}

#[test]
fn fractional_exponent() {
    assert_error("fracexp", "K = x^1.5;", 1, 7, "fractional exponent");
}

#[test]
fn huge_exponent() {
    assert_error("hugeexp", "K = x^99999999999999999999;", 1, 7, "too large");
}

#[test]
fn expansion_too_large() {
    assert_error("expansion", "K = (a+b+c+d+e+f)^60;", 1, 5, "expansion too large");
}

#[test]
fn division_by_non_constant() {
    assert_error("divvar", "K = x^2 / y;", 1, 11, "non-constant");
}

#[test]
fn division_by_zero() {
    assert_error("divzero", "K = x^2 / (2 - 2);", 1, 11, "division by zero");
}

#[test]
fn dimension_mismatch() {
    assert_error("dims", "param A[2,3], B[2,2];\nK = ||A*B||^2;\n", 2, 8, "cannot multiply");
}

#[test]
fn zero_sized_matrix() {
    assert_error("zerosize", "param A[2,0];\nK = ||A||^2;\n", 1, 7, "zero dimension");
}

#[test]
fn index_out_of_range() {
    assert_error("index", "param A[2,2];\nK = A[1,3]^2;\n", 2, 6, "out of range");
}

#[test]
fn empty_ideal() {
    assert_error("emptyideal", "param x;\nideal < >;\n", 2, 1, "ideal is empty");
}

#[test]
fn loss_defined_twice() {
    assert_error("twice", "K = x^2;\nideal <x>;\n", 2, 1, "defined twice");
}

#[test]
fn loss_missing() {
    assert_error("missing", "param x;\nprior x;\n", 3, 1, "no loss");
}

#[test]
fn point_for_unknown_variable() {
    assert_error("unknownpoint", "param x;\nK = x^2;\nat y = 1;\n", 3, 4, "not a variable");
}

#[test]
fn loss_not_zero_at_point() {
    assert_error("nonzero", "param x;\nK = x^2;\nat x = 1;\n", 2, 5, "K = 1");
}

#[test]
fn loss_negative_near_point() {
    assert_error("negative", "K = x^2 - y^2;", 1, 5, "negative");
}

#[test]
fn prior_not_a_monomial() {
    assert_error("prior", "K = x^2;\nprior x + x^2;\n", 2, 7, "monomial");
}

#[test]
fn scalar_where_matrix_needed() {
    assert_error("scalarmatrix", "param A[2,2];\nK = ||A + 1||^2;\n", 2, 9, "cannot add");
}

#[test]
fn matrix_where_scalar_needed() {
    assert_error("matrixscalar", "param A[2,2];\nK = A^2;\n", 2, 5, "only scalars have powers");
}

#[test]
fn non_scalar_loss() {
    assert_error("nonscalar", "param A[2,2];\nK = A*A;\n", 2, 5, "must be a scalar");
}

#[test]
fn unbound_family_parameter() {
    assert_error("family", "K = x^$n;", 1, 7, "unbound family parameter");
}

#[test]
fn deep_nesting() {
    let src = format!("K = {}x{};", "(".repeat(100_000), ")".repeat(100_000));
    assert_error("deep", &src, 1, 205, "nesting too deep");
}

#[test]
fn model_and_loss_together() {
    assert_error(
        "modelloss",
        "param a;\ninput x;\noutput y = a*x;\nK = a^2;\n",
        4,
        1,
        "both define the loss",
    );
}

#[test]
fn inline_program_error_names_e() {
    let out = Command::cargo_bin("rlct").unwrap().args(["exact", "-e", "x^2 +"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("<-e>:1:6"), "{stderr}");
}

#[test]
fn norm_without_square() {
    assert_error("normsq", "param A[2,2];\nK = ||A||;\n", 2, 10, "expected `^`");
}

#[test]
fn misspelt_keyword_suggests_the_keyword() {
    assert_error("parm", "parm x;\nK = x^2;\n", 1, 1, "did you mean `param`?");
    assert_error("idael", "param x, y;\nidael <x*y>;\n", 2, 1, "did you mean `ideal`?");
    assert_error("domian", "K = x^2*y^2;\ndomian [-1, 1];\n", 2, 1, "did you mean `domain`?");
}

#[test]
fn double_star_suggests_caret() {
    assert_error("starstar", "param x;\nK = x**2;\n", 2, 6, "powers are written with `^`");
    assert_error("starstar_bare", "x**2*y", 1, 2, "use `^`");
}

#[test]
fn missing_semicolon_is_reported_where_the_statement_ends() {
    // At the end of line 1 (after `y`), not at the `K` of line 2.
    assert_error("semi", "param x, y\nK = x^2*y^2;\n", 1, 11, "expected `;` at the end of this statement");
    // A trailing comment and a blank line in between.
    assert_error("semi_comment", "param x, y;\nK = x^2*y^2  # loss\n\nprior x;\n", 2, 12, "add `;` here");
    // A `;` missing inside one line keeps the generic message at the token.
    assert_error("semi_inline", "param x, y K = x^2;\n", 1, 12, "expected");
}
