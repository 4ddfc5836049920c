//! Parse hints that fit the mistake (issue #14): the missing-`;` hint
//! must not fire after a statement that already ends with `;` (it used to
//! say "add `;` here" right after one); a loss written without `K =`
//! after other statements says so, at the expression.

use std::process::Command;

/// `rlct exact FILE` on `program` written to a file of its own; the exit
/// code and stderr with the file's name replaced by `<file>`.
fn exact_file(program: &str) -> (Option<i32>, String) {
    let n = program.len() + program.bytes().map(usize::from).sum::<usize>();
    let path = std::env::temp_dir().join(format!("rlct-hint-{}-{n}.rlct", std::process::id()));
    std::fs::write(&path, program).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rlct")).arg("exact").arg(&path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).replace(&path.display().to_string(), "<file>");
    (out.status.code(), err)
}

#[test]
fn a_loss_without_k_after_statements_is_named_as_such() {
    for (program, line_col) in [
        ("param x;\nx^2\n", "<file>:2:1"),
        ("param x, y;\nprior x;\nx^2 + y^2\n", "<file>:3:1"),
        ("param x, y;  # two\n\n  (x - y)^2;\n", "<file>:3:3"),
    ] {
        let (code, err) = exact_file(program);
        assert_eq!(code, Some(2), "{program:?}");
        assert!(err.contains("`K = …;`") && err.contains(line_col), "{program:?}: {err}");
        assert!(!err.contains("add `;` here"), "{program:?}: {err}");
    }
}

#[test]
fn a_really_missing_semicolon_keeps_its_hint() {
    let (code, err) = exact_file("param x, y\nK = x^2 + y^2;\n");
    assert_eq!(code, Some(2));
    assert!(err.contains("add `;` here") && err.contains("<file>:1:11"), "{err}");
}
