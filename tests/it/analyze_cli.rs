//! CLI tests of `rlct estimate` and `rlct analyze`: JSON shape, exit codes.

use assert_cmd::Command;
use num_traits::Zero;
use rlct::estimate::verdict::verdict;
use rlct::poly::{Rat, ratio};
use rlct::report::{Estimates, VerdictKind};
use rlct::{ExactResult, Status};

fn rlct() -> Command {
    Command::cargo_bin("rlct").unwrap()
}

const FAST: [&str; 6] = ["--runs", "4", "--depth", "20", "--sgld-draws", "20000"];

#[test]
fn estimate_json_volume() {
    let out = rlct()
        .args(["estimate", "--json", "--method", "volume", "--quiet", "-e", "x^2*y^4"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = &j["estimates"]["volume"];
    let (lam, se) = (v["lambda"].as_f64().unwrap(), v["stderr"].as_f64().unwrap());
    assert!((lam - 0.25).abs() <= 4.0 * se + 0.005, "{lam} ± {se}");
    assert_eq!(v["settings"]["seed"], 0);
    assert!(v["fit"]["m_free"].is_number() && v["thermodynamic"]["lambda"].is_number());
    assert!(j["estimates"].get("sgld").is_none());
}

#[test]
fn estimate_plot_writes_svg() {
    let dir = std::env::temp_dir().join(format!("rlct-plot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("out.svg");
    let mut args =
        vec!["estimate", "--method", "all", "--quiet", "-e", "x^2+y^4", "--plot", svg.to_str().unwrap()];
    args.extend(FAST);
    let out = rlct().args(&args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
    assert!(text.contains("volume scaling") && text.contains("SGLD traces"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("volume: λ ≈") && stdout.contains("sgld: raw λ ≈"), "{stdout}");
}

#[test]
fn bad_input_exits_2() {
    rlct().args(["estimate", "-e", "x^2 +* y"]).assert().code(2);
    rlct().args(["estimate", "--threads", "0", "-e", "x^2"]).assert().code(2);
    rlct().args(["analyze", "--time-limit", "-1", "-e", "x^2"]).assert().code(2);
}

/// `K = (x(x − 1/2)²)²` on [−1, 1]: the local pair at 0 is (1/2, 1), but the
/// box also holds the more singular point 1/2 (λ = 1/4), which the volume
/// sees.
/// An honest disagreement: exit 3 once the exact engine answers; while it
/// cannot, the verdict must be inconclusive (exit 0).
#[test]
fn analyze_local_versus_global_disagreement() {
    let mut args = vec!["analyze", "--json", "--quiet", "-e", "ideal <x*(x-1/2)^2>;"];
    args.extend(FAST);
    let out = rlct().args(&args).output().unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let code = out.status.code().unwrap();
    if j["exact"].is_null() {
        assert_eq!(j["verdict"]["verdict"], "inconclusive");
        assert_eq!(code, 0);
    } else {
        assert_eq!(j["verdict"]["verdict"], "disagree", "{j}");
        assert_eq!(code, 3);
    }
    let v = j["estimates"]["volume"]["lambda"].as_f64().unwrap();
    assert!((v - 0.25).abs() < 0.03, "{v}");
}

fn exact(lambda: Rat, status: Status, lower: Rat, m: usize) -> ExactResult {
    ExactResult {
        lambda: lambda.clone(),
        multiplicity: m,
        status,
        lower,
        upper: lambda,
        method: "test".into(),
        variables: vec!["x".into()],
        certificate: serde_json::Value::Null,
        trace: vec![],
        stopped: None,
    }
}

fn volume_only(lambda: f64, stderr: f64) -> Estimates {
    let c = rlct::estimate::cases::public_cases().remove(0);
    let o = rlct::estimate::EstimateOptions {
        runs: 2,
        depth: 8.0,
        window_start: 2.0,
        multiplicity: Some(1),
        ..Default::default()
    };
    let mut e = rlct::estimate::estimate(&c.problem, &o).unwrap();
    let v = e.volume.as_mut().unwrap();
    v.lambda = lambda;
    v.stderr = stderr;
    e
}

#[test]
fn verdict_function() {
    let half = exact(ratio(1, 2), Status::Exact, ratio(1, 2), 1);
    assert_eq!(verdict(Ok(&half), &volume_only(0.503, 0.004)).verdict, VerdictKind::Agree);
    let v = verdict(Ok(&half), &volume_only(0.25, 0.004));
    assert_eq!(v.verdict, VerdictKind::Disagree);
    assert!(v.z_volume.unwrap() < -4.0);
    // Too noisy to say anything.
    assert_eq!(verdict(Ok(&half), &volume_only(0.25, 0.2)).verdict, VerdictKind::Inconclusive);
    assert_eq!(verdict(Err("no engine"), &volume_only(0.5, 0.004)).verdict, VerdictKind::Inconclusive);
    // A bound [0, 1]: 0.5 is consistent, 1.5 is not.
    let bound = exact(ratio(1, 1), Status::Bound, Rat::zero(), 1);
    let ok = verdict(Ok(&bound), &volume_only(0.5, 0.004));
    assert_eq!(ok.verdict, VerdictKind::Agree);
    assert!(ok.reasons.iter().any(|r| r.contains("consistent")));
    assert_eq!(verdict(Ok(&bound), &volume_only(1.5, 0.004)).verdict, VerdictKind::Disagree);
}

#[test]
fn llc_method_needs_a_model() {
    // The data-driven estimator draws data from a stated model; a bare loss
    // has none, and says so with exit code 2.
    let out = assert_cmd::Command::cargo_bin("rlct")
        .unwrap()
        .args(["estimate", "--method", "llc", "-e", "x^2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("regression model"));
}
