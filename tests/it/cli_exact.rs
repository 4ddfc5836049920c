//! `rlct exact` on the command line: text, --trace, --json, exit codes.

use assert_cmd::Command;

fn rlct() -> Command {
    Command::cargo_bin("rlct").expect("binary")
}

#[test]
fn text_output_states_pair_status_and_method() {
    let out = rlct().args(["exact", "-e", "x^2*y^2"]).assert().success().get_output().stdout.clone();
    let s = String::from_utf8(out).unwrap();
    // x²y² is a sum of one square, (xy)², so it is the monomial ideal <xy>.
    assert_eq!(s.trim(), "λ = 1/2, m = 2 (exact, monomial)");
}

#[test]
fn trace_shows_polyhedron_hit_point_facets_faces() {
    let out = rlct()
        // Written as a product, not a square, so K stays a polynomial (a
        // square would be lowered to the ideal <x^2 + x*y + y^2>).
        .args(["exact", "-e", "(x^2 + x*y + y^2)*(x^2 + x*y + y^2)", "--trace"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let s = String::from_utf8(out).unwrap();
    assert!(s.starts_with("λ = 1/2, m = 1 (exact, newton-nondegenerate)"), "{s}");
    assert!(s.contains("vertices of Γ(K): (0,4) (4,0)"), "{s}");
    assert!(s.contains("hit point t*(h+1) = (2, 2)"), "{s}");
    assert!(s.contains("normals): (1, 1); multiplicity θ = 1"), "{s}");
    assert!(s.contains("face dim 1: (0,4) (1,3) (2,2) (3,1) (4,0) — sturm"), "{s}");
}

#[test]
fn json_has_the_contract_fields() {
    // (x+y)^2: Newton gives only the bound (1, 1); the blow-up engine
    // resolves it to (1/2, 1) (docs/theory.md §3 traps).
    let out =
        rlct().args(["exact", "-e", "(x+y)^2", "--json"]).assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["lambda"], "1/2");
    assert_eq!(v["multiplicity"], 1);
    assert_eq!(v["status"], "exact");
    assert_eq!(v["lower"], "1/2");
    assert_eq!(v["upper"], "1/2");
    assert_eq!(v["method"], "blowup");
    assert_eq!(v["variables"], serde_json::json!(["x", "y"]));
    assert!(v["certificate"].is_object());
}

#[test]
fn json_bound_contains_the_truth() {
    // The braid arrangement ((x-y)(y-z)(z-x))^2: docs/theory.md §7 gives
    // lct = min(1/1, 2/3) = 2/3, so λ = 1/3. With a one-node budget the
    // engine cannot finish and must say so with bounds around the truth.
    let out = rlct()
        .args(["exact", "-e", "((x-y)*(y-z)*(z-x))^2", "--budget", "1", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["status"], "bound");
    let r = |s: &serde_json::Value| -> f64 {
        let t = s.as_str().unwrap();
        match t.split_once('/') {
            Some((a, b)) => a.parse::<f64>().unwrap() / b.parse::<f64>().unwrap(),
            None => t.parse().unwrap(),
        }
    };
    assert!(r(&v["lower"]) <= 1.0 / 3.0 && 1.0 / 3.0 <= r(&v["upper"]), "{v}");
}

#[test]
fn sign_changing_loss_is_exit_code_2() {
    // x^3 + y^2 is zero at 0 but negative nearby (x < 0, y = 0): rejected.
    let out = rlct().args(["exact", "-e", "x^3 + y^2"]).assert().code(2).get_output().stderr.clone();
    assert!(!out.is_empty());
}
