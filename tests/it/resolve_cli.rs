//! `rlct exact` with the blow-up engine behind it: the resolution tree in
//! `--trace` and `--json`, and `--budget` giving honest bounds.

use assert_cmd::Command;
use serde_json::Value;

fn exact(args: &[&str]) -> (Value, String) {
    let out = Command::cargo_bin("rlct").unwrap().arg("exact").args(args).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    (serde_json::from_str(&text).unwrap(), text)
}

#[test]
fn degenerate_cusp_is_exact_with_a_resolution_tree() {
    // (y² − x³)²: degenerate (the face y² − x³ vanishes on the torus),
    // λ = (1/2 + 1/3)/2 = 5/12, m = 1 (docs/theory.md §8).
    let (v, _) = exact(&["-e", "(y^2 - x^3)^2"]);
    assert_eq!(v["status"], "exact");
    assert_eq!(v["lambda"], "5/12");
    assert_eq!(v["multiplicity"], 1);
    assert_eq!(v["method"], "blowup");
    let tree = &v["certificate"]["blowup"]["tree"];
    assert!(tree["children"].as_array().is_some_and(|c| !c.is_empty()), "{tree}");
    assert!(!v["certificate"]["blowup"]["attained_by_leaves"].as_array().unwrap().is_empty());
}

#[test]
fn degenerate_line_is_a_smooth_point_leaf() {
    // x + y = 0 is smooth: w = x + y is a coordinate, K = w², (1/2, 1).
    let (v, _) = exact(&["-e", "(x + y)^2"]);
    assert_eq!(v["status"], "exact");
    assert_eq!((v["lambda"].as_str(), v["multiplicity"].as_u64()), (Some("1/2"), Some(1)));
    let rule = v["certificate"]["blowup"]["tree"]["rule"].as_str().unwrap();
    assert!(rule.contains("smooth point"), "{rule}");
}

#[test]
fn trace_prints_charts_and_leaves() {
    let out = Command::cargo_bin("rlct")
        .unwrap()
        .args(["exact", "-e", "(y^2 - x^2 - x^3)^2", "--trace", "--charts", "coordinate"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("λ = 1/2, m = 2"), "{text}");
    crate::trace_snapshots::assert_snapshot("nodal_cubic_coordinate", &text);
}

#[test]
fn reduced_rank_regression_and_its_budget() {
    let program = "param A[3,3], B[3,3]; ideal <B*A>;";
    let (v, _) = exact(&["-e", program]);
    assert_eq!(
        (v["status"].as_str(), v["lambda"].as_str(), v["multiplicity"].as_u64()),
        (Some("exact"), Some("7/2"), Some(2))
    );
    // The origin of a chain is the theorem leaf (Aoyagi–Watanabe), which
    // needs no chart: two charts are enough.
    let (v, _) = exact(&["-e", program, "--budget", "2"]);
    assert_eq!((v["status"].as_str(), v["lambda"].as_str()), (Some("exact"), Some("7/2")), "{v}");
    // Without the theorem the blow-up search cannot finish in two charts:
    // a bound containing 7/2.
    let (v, _) = exact(&["-e", program, "--budget", "2", "--no-theorems"]);
    assert_eq!(v["status"], "bound");
    let r = |s: &Value| {
        let t = s.as_str().unwrap();
        let (n, d) = t.split_once('/').unwrap_or((t, "1"));
        n.parse::<f64>().unwrap() / d.parse::<f64>().unwrap()
    };
    assert!(r(&v["lower"]) <= 3.5 && 3.5 <= r(&v["upper"]), "{v}");
}
