//! `rlct sweep` end to end (Newton settles monomials exactly).

use assert_cmd::Command;

fn rlct() -> Command {
    Command::cargo_bin("rlct").unwrap()
}

#[test]
fn monomial_family_matches_its_formula() {
    let out = rlct()
        .args(["sweep", "-e", "x^(2*$a)*y^(2*$b)", "--range", "a=1..3", "--range", "b=1..2"])
        .args(["--expect", "min(1/(2*a),1/(2*b))", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "a,b,lambda,multiplicity,status,method,expected,matches,error");
    assert_eq!(lines.len(), 7, "{text}");
    // Members in order a outer, b inner; (2,2) has m = 2 (both exponents tie).
    assert!(lines[1].starts_with("1,1,1/2,2,exact,"), "{text}");
    assert!(lines[4].starts_with("2,2,1/4,2,exact,"), "{text}");
    assert!(lines[6].starts_with("3,2,1/6,1,exact,"), "{text}");
    assert!(lines[1..].iter().all(|l| l.ends_with(",true,")), "{text}");
}

#[test]
fn wrong_formula_lists_mismatches_first_as_json_lines() {
    let out = rlct()
        .args([
            "sweep",
            "-e",
            "x^(2*$a)",
            "--range",
            "a=1..3",
            "--expect",
            "1/(2*a) + (a-2)*(a-3)",
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    // A member contradicts the formula: exit 3, with a summary on stderr.
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sweep: 1 of 3 members contradict --expect (a=1)"), "{err}");
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["matches"], false);
    assert_eq!(rows[0]["parameters"][0][1], 1);
    assert_eq!(rows[1]["matches"], true);
    assert_eq!(rows[1]["lambda"], "1/4");
}

#[test]
fn shards_split_the_members() {
    let run = |shard: &str| {
        let out = rlct()
            .args(["sweep", "-e", "x^(2*$a)", "--range", "a=1..5", "--format", "csv", "--shard", shard])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().lines().skip(1).map(String::from).collect::<Vec<_>>()
    };
    let (a, b) = (run("0/2"), run("1/2"));
    assert_eq!((a.len(), b.len()), (3, 2));
    assert!(a[0].starts_with("1,") && b[0].starts_with("2,"));
}

#[test]
fn bad_input_exits_2_without_panic() {
    for args in [
        vec!["sweep", "-e", "x^(2*$a)", "--range", "a=3..1"],
        vec!["sweep", "-e", "x^(2*$a)"],
        vec!["sweep", "-e", "x^(2*$a)", "--range", "a=1..2", "--expect", "1/(a"],
        vec!["sweep", "-e", "x^(2*$a)", "--range", "a=1..2", "--shard", "2/2"],
    ] {
        let out = rlct().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    // A member the language rejects (negative exponent) is reported in its row.
    let out = rlct().args(["sweep", "-e", "x^$a", "--range", "a=-1..1", "--format", "csv"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().nth(1).unwrap().starts_with("-1,,,error,"), "{text}");
}

/// `x^(2a) y^2`: λ = min(1/(2a), 1/2), m = 2 at a = 1 and 1 at a = 2
/// (Newton: the monomial's normal crossing).
const MONOMIAL: &str = "x^(2*$a)*y^2";

fn sweep_output(args: &[&str], threads: &str) -> String {
    let out = rlct().env("RAYON_NUM_THREADS", threads).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn estimated_sweep_adds_estimate_columns_that_agree() {
    let args = [
        "sweep",
        "-e",
        MONOMIAL,
        "--range",
        "a=1..2",
        "--estimate",
        "--runs",
        "4",
        "--live",
        "50",
        "--format",
        "csv",
    ];
    let text = sweep_output(&args, "2");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "a,lambda,multiplicity,status,method,expected,matches,error,estimator,estimate,stderr,z,verdict,note"
    );
    assert_eq!(lines.len(), 3, "{text}");
    for (line, lambda) in lines[1..].iter().zip([0.5, 0.25]) {
        let cols: Vec<&str> = line.split(',').collect();
        assert_eq!(cols[8], "volume", "{line}");
        let (est, se): (f64, f64) = (cols[9].parse().unwrap(), cols[10].parse().unwrap());
        // The volume verdict's own rule: |z| ≤ 4 with a 2% systematic floor.
        let sigma = (se * se + (0.02 * lambda) * (0.02 * lambda)).sqrt();
        assert!((est - lambda).abs() <= 4.0 * sigma, "{line}");
        assert!(se > 0.0 && se < 0.1 * lambda, "{line}");
        assert_eq!(cols[12], "agree", "{line}");
    }
    // Deterministic whatever the thread count.
    assert_eq!(sweep_output(&args, "1"), text);
    // A shard's rows equal the same members of the whole sweep (each
    // member is seeded from (seed, its index in the whole sweep)).
    let mut sharded = args.to_vec();
    sharded.extend(["--shard", "1/2"]);
    let shard = sweep_output(&sharded, "2");
    assert_eq!(shard.lines().nth(1), Some(lines[2]), "{shard}");
    // Another seed gives other estimates.
    let mut seeded = args.to_vec();
    seeded.extend(["--seed", "1"]);
    assert_ne!(sweep_output(&seeded, "2"), text);
}

/// y = w1·x1 + w2^k·x2 + N(0, 1) at w = 0: K = (w1² + w2^(2k))/2, so
/// λ = 1/2 + 1/(2k), m = 1 (Newton: a sum of independent monomials).
#[test]
fn llc_estimated_sweep_in_json_lines() {
    let program = "param w1, w2; input x[2]; output y = w1*x[1] + w2^$k*x[2]; noise 1;";
    let args = [
        "sweep",
        "-e",
        program,
        "--range",
        "k=1..2",
        "--estimate",
        "--estimate-method",
        "llc",
        "--set",
        "n=20000",
        "batch=64",
        "eps=1e-5",
        "gamma=1",
        "nbeta=n-log-n",
        "chains=4",
        "burn_in=5000",
        "draws=20000",
        "--format",
        "jsonl",
    ];
    let text = sweep_output(&args, "2");
    let rows: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 2, "{text}");
    for (row, lambda) in rows.iter().zip([1.0, 0.75]) {
        let e = &row["estimate"];
        assert_eq!(e["method"], "llc", "{row}");
        let (est, se) = (e["lambda"].as_f64().unwrap(), e["stderr"].as_f64().unwrap());
        assert!(se > 0.0, "{row}");
        // The LLC verdict's rule: within 4 se plus the validated 10% bias bound.
        assert!((est - lambda).abs() <= 4.0 * se + 0.1 * lambda, "{row}");
        assert_eq!(e["verdict"], "agree", "{row}");
        assert!(e["z"].is_number(), "{row}");
    }
    assert_eq!(sweep_output(&args, "1"), text);
}

#[test]
fn estimate_errors_are_usage_errors_or_row_notes() {
    // --estimate-method without --estimate, and too few runs: exit 2.
    for args in [
        vec!["sweep", "-e", MONOMIAL, "--range", "a=1..2", "--estimate-method", "llc"],
        vec!["sweep", "-e", MONOMIAL, "--range", "a=1..2", "--estimate", "--runs", "1"],
        vec![
            "sweep",
            "-e",
            MONOMIAL,
            "--range",
            "a=1..2",
            "--estimate",
            "--estimate-method",
            "llc",
            "--set",
            "eps=x",
        ],
    ] {
        let out = rlct().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    // LLC on a bare loss (no regression model): the row says why, inconclusive.
    let text = sweep_output(
        &[
            "sweep",
            "-e",
            MONOMIAL,
            "--range",
            "a=1..1",
            "--estimate",
            "--estimate-method",
            "llc",
            "--format",
            "csv",
        ],
        "2",
    );
    let row = text.lines().nth(1).unwrap();
    assert!(row.contains(",llc,,,,inconclusive,") && row.contains("regression model"), "{row}");
}

#[test]
fn every_format_has_the_same_fields_and_json_is_json_lines() {
    let base = ["sweep", "-e", "x^(2*$a)*y^2", "--range", "a=1..2", "--expect", "min(1/(2*a), 1/2)"];
    let run = |extra: &[&str]| {
        let out = rlct().args(base).args(extra).output().unwrap();
        assert!(out.status.success(), "{extra:?}: {}", String::from_utf8_lossy(&out.stderr));
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        // Only the summary: no progress bar when stderr is not a terminal.
        assert_eq!(err.trim(), "sweep: all 2 members with an answer match --expect", "{err}");
        String::from_utf8(out.stdout).unwrap()
    };
    let csv = run(&["--format", "csv"]);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    // The table (the default) is aligned, not CSV, and has the same columns.
    let table = run(&[]);
    assert_eq!(run(&["--format", "table"]), table);
    assert!(!table.contains(','), "{table}");
    assert_eq!(table.lines().next().unwrap().split_whitespace().collect::<Vec<_>>(), header);
    assert_eq!(table.lines().count(), 3, "{table}");
    // --json is --format jsonl; its fields are the CSV columns after the
    // parameters, and `matches` is a boolean.
    let json = run(&["--json"]);
    assert_eq!(run(&["--format", "jsonl"]), json);
    for line in json.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for col in &header[1..] {
            assert!(v.get(*col).is_some(), "{col} missing in {line}");
        }
        assert_eq!(v["matches"], true, "{line}");
    }
}

#[test]
fn program_from_stdin() {
    let out = rlct()
        .args(["sweep", "-", "--range", "a=1..2", "--format", "csv"])
        .write_stdin("x^(2*$a)")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().nth(2).unwrap().starts_with("2,1/4,1,exact,"), "{text}");
}
