//! Snapshot tests of the `rlct exact --trace` text (issue #14 item 5,
//! issue #11 item 4): the whole text of a few traces is compared with
//! `tests/it/snapshots/NAME.txt`, so any change of the trace shows up as a
//! diff to review. `RLCT_UPDATE_SNAPSHOTS=1 cargo test --test it
//! trace_snapshots::` rewrites the files. Besides the snapshots, the
//! properties the readable trace must keep are asserted on every trace:
//! no `*`-suffixed coordinate names, translations spelled out, the
//! attaining leaves marked.

use std::process::Command;

/// Compares `text` with the stored snapshot `name` (or writes it when
/// `RLCT_UPDATE_SNAPSHOTS` is set).
pub fn assert_snapshot(name: &str, text: &str) {
    let path = std::path::Path::new("tests/it/snapshots").join(format!("{name}.txt"));
    if std::env::var_os("RLCT_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (RLCT_UPDATE_SNAPSHOTS=1 writes it)", path.display()));
    if want != text {
        let first = want.lines().zip(text.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "trace {name} differs from {} at line {}:\n  stored: {:?}\n  now:    {:?}\nwhole text now:\n{text}",
            path.display(),
            first + 1,
            want.lines().nth(first).unwrap_or(""),
            text.lines().nth(first).unwrap_or("")
        );
    }
}

/// `rlct exact --trace ARGS`, its standard output.
pub fn trace(args: &[&str]) -> String {
    let out =
        Command::new(env!("CARGO_BIN_EXE_rlct")).arg("exact").arg("--trace").args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The properties of a readable trace.
fn readable(text: &str) {
    for line in text.lines() {
        // A coordinate name never ends in `*` (it reads as a product).
        let starred = line
            .split(|c: char| c.is_whitespace() || ",()[]|".contains(c))
            .any(|w| w.len() > 1 && w.ends_with('*') && w != "t*");
        assert!(!starred, "a starred name: {line}");
        assert!(!line.contains("‖<0>‖"), "a zero ideal shown as a norm: {line}");
    }
    assert!(text.contains("◀ attains"), "no attaining leaf marked:\n{text}");
}

#[test]
fn cusp_by_coordinate_blow_ups() {
    let t = trace(&["--charts", "coordinate", "examples/cusp.rlct"]);
    readable(&t);
    assert_snapshot("cusp_coordinate", &t);
}

#[test]
fn cusp_by_toric_charts_away_from_the_origin() {
    // The point (1, 0): the hyperplane factor's translation is spelled out.
    let t = trace(&["--charts", "toric", "-e", "param x, y; K = ((x - 1)^2 - y^3)^2; at x = 1, y = 0;"]);
    readable(&t);
    assert!(t.contains("= τ1 − 1 (translation)"), "{t}");
    assert_snapshot("cusp_toric_translated", &t);
}

#[test]
fn nodal_cubic_by_coordinate_blow_ups() {
    let t = trace(&["--charts", "coordinate", "-e", "(y^2 - x^2 - x^3)^2"]);
    readable(&t);
    assert!(t.starts_with("λ = 1/2, m = 2"), "{t}");
    assert_snapshot("nodal_cubic_coordinate", &t);
}

#[test]
fn cusp_by_toric_charts() {
    let t = trace(&["--charts", "toric", "-e", "K = (y^2 - x^3)^2;"]);
    readable(&t);
    assert_snapshot("cusp_toric", &t);
}

#[test]
fn monomial_ideal_and_a_unit_generator() {
    let t = trace(&["-e", "param x, y, z; ideal <y^2 - x^3, z^2 - y^3>;"]);
    readable(&t);
    assert!(t.contains("(a unit: the generator"), "{t}");
    assert_snapshot("space_curve", &t);
}
