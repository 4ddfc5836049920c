//! Parse hints that fit the mistake (issue #14): the missing-`;` hint
//! must not fire after a statement that already ends with `;` (it used to
//! say "add `;` here" right after one); a loss written without `K =`
//! after other statements says so, at the expression.

use std::io::Write;
use std::process::{Command, Stdio};

fn exact_stdin(program: &str) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rlct"))
        .args(["exact", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(program.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_loss_without_k_after_statements_is_named_as_such() {
    for (program, line_col) in [
        ("param x;\nx^2\n", "<stdin>:2:1"),
        ("param x, y;\nprior x;\nx^2 + y^2\n", "<stdin>:3:1"),
        ("param x, y;  # two\n\n  (x - y)^2;\n", "<stdin>:3:3"),
    ] {
        let (code, err) = exact_stdin(program);
        assert_eq!(code, Some(2), "{program:?}");
        assert!(err.contains("`K = …;`") && err.contains(line_col), "{program:?}: {err}");
        assert!(!err.contains("add `;` here"), "{program:?}: {err}");
    }
}

#[test]
fn a_really_missing_semicolon_keeps_its_hint() {
    let (code, err) = exact_stdin("param x, y\nK = x^2 + y^2;\n");
    assert_eq!(code, Some(2));
    assert!(err.contains("add `;` here") && err.contains("<stdin>:1:11"), "{err}");
}
