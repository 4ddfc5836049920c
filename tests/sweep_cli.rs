//! `rlct sweep` end to end (Newton settles monomials exactly).

use assert_cmd::Command;

fn rlct() -> Command {
    Command::cargo_bin("rlct").unwrap()
}

#[test]
fn monomial_family_matches_its_formula() {
    let out = rlct()
        .args(["sweep", "-e", "x^(2*$a)*y^(2*$b)", "--range", "a=1..3", "--range", "b=1..2"])
        .args(["--expect", "min(1/(2*a),1/(2*b))"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "a,b,lambda,m,status,method,expected,match,error");
    assert_eq!(lines.len(), 7, "{text}");
    // Members in order a outer, b inner; (2,2) has m = 2 (both exponents tie).
    assert!(lines[1].starts_with("1,1,1/2,2,exact,"), "{text}");
    assert!(lines[4].starts_with("2,2,1/4,2,exact,"), "{text}");
    assert!(lines[6].starts_with("3,2,1/6,1,exact,"), "{text}");
    assert!(lines[1..].iter().all(|l| l.ends_with(",yes,")), "{text}");
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
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["matches"], "no");
    assert_eq!(rows[0]["parameters"][0][1], 1);
    assert_eq!(rows[1]["matches"], "yes");
    assert_eq!(rows[1]["lambda"], "1/4");
}

#[test]
fn shards_split_the_members() {
    let run = |shard: &str| {
        let out =
            rlct().args(["sweep", "-e", "x^(2*$a)", "--range", "a=1..5", "--shard", shard]).output().unwrap();
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
    let out = rlct().args(["sweep", "-e", "x^$a", "--range", "a=-1..1"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().nth(1).unwrap().starts_with("-1,,,error,"), "{text}");
}
