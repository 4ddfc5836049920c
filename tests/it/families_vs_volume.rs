//! The tables of exact answers, each member checked against the
//! volume estimator through `rlct sweep --estimate` (m fixed by the exact
//! engine, |z| ≤ 4 on the reported standard error, the verdict's rule):
//! reduced-rank regression at the zero map for all M, N, H ≤ 3, and deep
//! linear networks with three layers of width ≤ 2. Their exact pairs are
//! compared with the Aoyagi–Watanabe and Aoyagi formulas in
//! `tests/resolve_cases.rs`; here every one is also a Monte Carlo check.

use assert_cmd::Command;

/// Runs a sweep with `--estimate --format jsonl` and checks every member:
/// exact, and the volume estimate agrees.
fn sweep_agrees(program: &str, ranges: &[&str], members: usize) {
    let mut cmd = Command::cargo_bin("rlct").unwrap();
    cmd.args(["sweep", "-e", program, "--estimate", "--format", "jsonl", "--seed", "3"]);
    for r in ranges {
        cmd.args(["--range", r]);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), members, "{text}");
    for row in &rows {
        assert_eq!(row["status"], "exact", "{row}");
        let est = &row["estimate"];
        assert_eq!(est["method"], "volume", "{row}");
        let z = est["z"].as_f64().unwrap_or(f64::NAN);
        assert!(z.abs() <= 4.0, "volume disagrees: {row}");
        assert_eq!(est["verdict"], "agree", "{row}");
    }
}

#[test]
fn reduced_rank_regression_up_to_three() {
    sweep_agrees(
        "param A[$h,$m], B[$n,$h]; input x[$m]; output y = B*A*x;",
        &["m=1..3", "n=1..3", "h=1..3"],
        27,
    );
}

#[test]
fn deep_linear_networks_three_layers_width_at_most_two() {
    sweep_agrees(
        "param W1[$b,$a], W2[$c,$b], W3[$d,$c]; input x[$a]; output y = W3*W2*W1*x;",
        &["a=1..2", "b=1..2", "c=1..2", "d=1..2"],
        16,
    );
}
