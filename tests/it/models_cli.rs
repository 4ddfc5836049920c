//! `rlct model`, `rlct llc`, `rlct validate` end to end.

use assert_cmd::Command;

fn rlct() -> Command {
    Command::cargo_bin("rlct").unwrap()
}

#[test]
fn model_prints_program_and_closed_form_and_emits() {
    let dir = std::env::temp_dir().join(format!("rlct-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rrr.rlct");
    let out = rlct()
        .args(["model", "rrr", "--inputs", "3", "--outputs", "3", "--hidden", "2", "--rank", "1", "--emit"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("output y = B*A*x;") && text.contains("λ = 7/2, m = 2"), "{text}");
    let emitted = std::fs::read_to_string(&file).unwrap();
    assert!(emitted.starts_with("# rrr(3,3,2,1)"));
    // The emitted file is a valid program for the estimator.
    let out = rlct()
        .arg("llc")
        .arg(&file)
        .args(["--chains", "2", "--burn-in", "10", "--draws", "10", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["chains"].as_array().unwrap().len(), 2);
    std::fs::remove_dir_all(&dir).ok();

    let out = rlct().args(["model", "dln", "--widths", "2,2,2,2", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["lambda"].as_str(), v["multiplicity"].as_u64()), (Some("3/2"), Some(3)));
    let out = rlct().args(["model", "list"]).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("arrangement"));
}

#[test]
fn bad_model_parameters_exit_2() {
    for args in [
        vec!["model", "rrr", "--inputs", "2", "--outputs", "2", "--hidden", "1", "--rank", "2"],
        vec!["model", "arrangement", "--forms", "1,0;x"],
        vec!["model", "dln", "--widths", "2,0,2"],
        vec!["llc", "-e", "x^2"],
        vec!["llc", "--family", "rrr(2,2)"],
        vec!["llc", "--family", "rrr(2,2,2,0)", "--epsilon", "-1"],
        vec!["validate", "--families", "nc(1)", "--grid", "eps"],
    ] {
        let out = rlct().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}

#[test]
fn validate_one_model_tiny_budget_csv() {
    let out = rlct()
        .args(["validate", "--families", "nc(1)", "--presets", "tuned", "--format", "csv"])
        .args(["--set", "n=500", "chains=2", "burn_in=100", "draws=50", "thin=1", "--grid", "gamma=0,1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].starts_with("nc(1),1/2,1,tuned gamma=0,"), "{text}");
    assert!(lines[2].starts_with("nc(1),1/2,1,tuned gamma=1,"), "{text}");
    let est: f64 = lines[1].split(',').nth(4).unwrap().parse().unwrap();
    assert!(est.is_finite());
}

#[test]
fn validate_takes_json_families_separated_by_commas_and_stdin() {
    // `nc(1),nc(1,2)` is two families (the split respects parentheses).
    let tiny = ["--presets", "tuned", "--set", "n=500", "chains=2", "burn_in=100", "draws=50", "thin=1"];
    for fams in [vec!["nc(1),nc(1,2)"], vec!["nc(1);nc(1,2)"], vec!["nc(1)", "--families", "nc(1,2)"]] {
        let out =
            rlct().arg("validate").arg("--families").args(&fams).args(tiny).arg("--json").output().unwrap();
        assert!(out.status.success(), "{fams:?}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let rows: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(rows.len(), 2, "{text}");
        assert_eq!(rows[1]["model"], "nc(1,2)");
        assert_eq!(rows[1]["multiplicity"], 1);
    }
    // CSV has the JSON field names.
    let out =
        rlct().args(["validate", "--families", "nc(1)", "--format", "csv"]).args(tiny).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("model,lambda,multiplicity,config,"), "{text}");
    // The table (the default) has the same column names.
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let out = rlct().args(["validate", "--families", "nc(1)"]).args(tiny).output().unwrap();
    assert!(out.stderr.is_empty(), "no progress bar when stderr is not a terminal");
    let table = String::from_utf8(out.stdout).unwrap();
    assert_eq!(table.lines().next().unwrap().split_whitespace().collect::<Vec<_>>(), header, "{table}");
    assert_eq!(table.lines().nth(1).unwrap().split_whitespace().count(), header.len(), "{table}");
    // A program file `-` from stdin.
    let out = rlct()
        .args(["validate", "--families", "nc(1)", "-", "--format", "csv"])
        .args(tiny)
        .write_stdin("param w; input x[1]; output y = w^2*x[1]; noise 1;")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    // The family, then the file (FILE after --families is not a family).
    assert!(text.lines().nth(1).unwrap().starts_with("nc(1),1/2,1,tuned,"), "{text}");
    assert!(text.lines().nth(2).unwrap().starts_with("<stdin>,1/4,1,tuned,"), "{text}");
}

#[test]
fn family_names_have_one_spelling_everywhere() {
    let model = |args: &[&str]| {
        let out = rlct().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let a = model(&["model", "dln", "--widths", "2,2,2,2"]);
    assert_eq!(model(&["model", "dln", "--widths", "2-2-2-2"]), a);
    assert!(a.starts_with("# dln(2-2-2-2,0): λ = 3/2, m = 3"), "{a}");
    // model list --json is one JSON array.
    let list: serde_json::Value = serde_json::from_str(&model(&["model", "list", "--json"])).unwrap();
    assert!(list.as_array().unwrap().iter().any(|f| f["family"] == "dln"), "{list}");
}

#[test]
fn llc_family_prints_its_closed_form_and_relative_error() {
    let tiny = ["--n", "500", "--chains", "2", "--burn-in", "100", "--draws", "50", "--thin", "1"];
    let out = rlct().args(["llc", "--family", "nc(1,2)"]).args(tiny).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "no progress bar when stderr is not a terminal");
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().find(|l| l.starts_with("closed form: λ = 1/4, m = 1 [")).expect(&text);
    assert!(line.contains("relative error of λ̂"), "{text}");
    assert!(!text.contains("biased low"), "m = 1 has no m > 1 note: {text}");
    let out = rlct().args(["llc", "--family", "nc(1,1)", "--json"]).args(tiny).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["closed_form"]["lambda"], "1/2");
    assert!(v["closed_form"]["relative_error"].is_number(), "{v}");
}
