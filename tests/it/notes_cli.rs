//! Notes and caveats are printed only when their condition holds (issue #14).

use assert_cmd::Command;

fn rlct() -> Command {
    Command::cargo_bin("rlct").unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = rlct().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    // Progress bars are hidden when stderr is not a terminal.
    assert!(!String::from_utf8_lossy(&out.stderr).contains('['), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sgld_multiplicity_caveat_only_for_m_above_one() {
    // The cusp (y² − x³)²: λ = 5/12, m = 1 (exact).
    let m1 = stdout(&["analyze", "examples/cusp.rlct"]);
    assert!(!m1.contains("m > 1"), "{m1}");
    assert!(m1.contains("m = 1, so no finite-B multiplicity bias"), "{m1}");
    // x²y²: m = 2, the caveat stays.
    let m2 = stdout(&["analyze", "-e", "x^2*y^2"]);
    assert!(m2.contains("SGLD is biased for m > 1"), "{m2}");
    assert!(m2.contains("with m = 2: expected bias"), "{m2}");
}

#[test]
fn precision_note_suggests_an_ideal_only_to_an_expanded_loss() {
    let args = ["estimate", "--method", "volume", "--depth", "60", "--runs", "4", "--live", "50", "-e"];
    // (y − x − x²)² expanded: its terms cancel, the note suggests the ideal.
    let expanded = "K = y^2 - 2*x*y - 2*x^2*y + x^2 + 2*x^3 + x^4;";
    let text = stdout(&[&args[..], &[expanded]].concat());
    assert!(text.contains("floating-point floor"), "{text}");
    assert!(text.contains("`ideal <f>;`"), "{text}");
    // Already an ideal: the floor is reported, the advice is not.
    let text = stdout(&[&args[..], &["ideal <y - x - x^2>;"]].concat());
    assert!(text.contains("floating-point floor"), "{text}");
    assert!(!text.contains("`ideal <f>;`"), "{text}");
}

#[test]
fn every_program_command_reads_stdin() {
    for args in [
        vec!["exact", "-"],
        vec!["estimate", "-", "--method", "volume", "--runs", "2", "--live", "20", "--depth", "8"],
        vec!["analyze", "-", "--method", "volume", "--runs", "2", "--live", "20", "--depth", "8"],
    ] {
        let out = rlct().args(&args).write_stdin("x^2*y^4").output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("λ"), "{args:?}");
    }
    // A parse error names the input `<stdin>`.
    let out = rlct().args(["exact", "-"]).write_stdin("x^2 +").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("<stdin>:1:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
