//! The library's layers (ARCHITECTURE.md, "Layers") and the drivers the
//! Python package calls: the exact layer imports neither the estimators
//! nor the drivers nor the CLI; the library without default features
//! depends on no clap/indicatif; `drivers::llc::sample` returns the data
//! set `rlct llc` estimates on.

use rlct::drivers;
use rlct::estimate::llc::{CompiledModel, DataSet};
use rlct::models::Family;
use std::path::Path;

/// Every `.rs` file under `path` (or `path` itself).
fn sources(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            sources(&e.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn lower_layers_import_no_estimator_driver_or_cli() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lower = [
        "dsl",
        "exact",
        "resolve",
        "newton",
        "poly",
        "lp.rs",
        "univariate.rs",
        "comparison.rs",
        "problem",
        "models",
        "report.rs",
        "limits.rs",
        "error.rs",
    ];
    let mut files = vec![];
    for l in lower {
        let p = root.join(l);
        assert!(p.exists(), "{} moved: update this test and ARCHITECTURE.md", p.display());
        sources(&p, &mut files);
    }
    assert!(files.len() > 20);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for upper in ["crate::estimate", "crate::drivers", "crate::cli", "rayon::", "rand::"] {
                assert!(
                    !code.contains(upper),
                    "{}:{}: imports {upper} from a lower layer",
                    f.display(),
                    i + 1
                );
            }
        }
    }
}

#[test]
fn library_without_default_features_has_no_clap() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["tree", "--offline", "--no-default-features", "-e", "normal", "--prefix", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.lines().any(|l| l.starts_with("num-bigint")), "{tree}");
    for dep in ["clap", "indicatif", "rayon", "rand"] {
        assert!(!tree.lines().any(|l| l.starts_with(&format!("{dep} "))), "{dep} in:\n{tree}");
    }
}

#[test]
fn sample_is_the_data_set_llc_uses() {
    // Families with several inputs, outputs and input monomials: the inputs
    // `sample` regenerates give exactly the features the estimator stored,
    // and the responses are its responses.
    for name in ["rrr(3,3,2,1)", "rrr(2,4,3,0)", "dln(2-3-2,1)", "nc(1,2)"] {
        let fam = Family::parse(name).unwrap();
        let p = fam.problem().unwrap();
        let spec = p.model.as_ref().unwrap();
        for seed in [0u64, 7, 123] {
            let n = 40;
            let s = drivers::llc::sample(&p, n, seed).unwrap();
            let model = CompiledModel::new(spec, p.dim()).unwrap();
            let data = DataSet::draw(&model, spec, n, seed).unwrap();
            let k = s.inputs.len();
            assert_eq!((s.x.len(), s.y.len()), (n * k, n * s.outputs));
            let mut feats = vec![];
            for i in 0..n {
                feats.clear();
                model.features(&s.x[i * k..(i + 1) * k], &mut feats);
                assert_eq!(&feats[..], data.features_of(i), "{name} seed {seed} row {i}");
                assert_eq!(&s.y[i * s.outputs..(i + 1) * s.outputs], data.response_of(i));
            }
        }
    }
}

#[test]
fn exact_within_equals_solve_and_locates_errors() {
    let mut never = || Ok(());
    for text in ["x^2*y^2", "param a, b;\nideal <a*b, a^2>;", "(x + y)^2 + z^4"] {
        let p = rlct::dsl::parse_program(text, "<t>").unwrap();
        let direct = rlct::exact::solve(&p, &Default::default()).unwrap();
        let within = drivers::exact_within(text, "<t>", Default::default(), None, &mut never).unwrap();
        assert_eq!(serde_json::to_value(&direct).unwrap(), serde_json::to_value(&within).unwrap());
    }
    match drivers::exact_within("param x;\nK = x + q;", "<t>", Default::default(), None, &mut never) {
        Err(rlct::Error::Input(d)) => assert_eq!(d.line_col(), (2, 9)),
        other => panic!("expected an input error, got {other:?}"),
    }
    // The wait hook can end the wait (as Ctrl-C does from Python).
    let mut stop = || Err(rlct::Error::Internal("stop".into()));
    let slow = "(x^2-y^3)^2 + (y^2-z^3)^2 + (z^2 - w^5)^2 + (x*y*z*w - v^7)^2";
    let t = std::time::Instant::now();
    let r = drivers::exact_within(slow, "<t>", Default::default(), Some(30.0), &mut stop);
    assert!(matches!(r, Err(rlct::Error::Internal(_))), "{r:?}");
    assert!(t.elapsed().as_secs_f64() < 2.0);
}

// ---- the answer key, the scorer, shards and merge through the CLI ----

#[allow(deprecated)] // cargo_bin: the binary of this package, as the other CLI tests use it
fn rlct() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("rlct").unwrap()
}

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn answer_key_rows_are_certified_and_match_the_closed_forms() {
    let text =
        stdout_of(rlct().args(["answer-key", "--families", "rrr(3,3,2,1),nc(1,2;h=0,1),dln(2-2-2,0)"]));
    let rows: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 3);
    // rrr(3,3,2,1): Aoyagi & Watanabe 2005, (s+1)/8 with s = 27: 7/2, m = 2.
    assert_eq!((rows[0]["lambda"].as_str(), rows[0]["multiplicity"].as_u64()), (Some("7/2"), Some(2)));
    // nc(1,2) with prior h = (0,1): min((0+1)/2, (1+1)/4) = 1/2 attained twice.
    assert_eq!((rows[1]["lambda"].as_str(), rows[1]["multiplicity"].as_u64()), (Some("1/2"), Some(2)));
    for r in &rows {
        assert_eq!(r["version"], "rlct-answer-key/1");
        assert_eq!(r["status"], "exact");
        assert_eq!(r["lambda"], r["closed_form_lambda"]);
        // The program solves to the row's pair again.
        let p = rlct::dsl::parse_program(r["program"].as_str().unwrap(), "<key>").unwrap();
        let e = rlct::exact::solve(&p, &Default::default()).unwrap();
        assert_eq!(e.lambda.to_string(), r["lambda"].as_str().unwrap());
    }
    let csv = stdout_of(rlct().args(["answer-key", "--families", "nc(1,2)", "--format", "csv"]));
    assert!(csv.starts_with(drivers::answer_key::CSV_HEADER), "{csv}");
    // One record; the program field is quoted and spans several lines.
    assert_eq!(csv.matches("\nrlct-answer-key/1,\"nc(1,2)\",").count(), 1, "{csv}");
    assert!(csv.contains(",\"# nc(1,2)"), "{csv}");
}

#[test]
fn score_reports_relative_error_and_z() {
    let dir = std::env::temp_dir().join(format!("rlct-score-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let est = dir.join("est.jsonl");
    // λ(rrr(3,3,2,1)) = 7/2: 3.15 is -10 %, z = -0.35/0.07 = -5. λ(nc(1,2)) = 1/4.
    std::fs::write(
        &est,
        "{\"family\": \"rrr(3,3,2,1)\", \"lambda_hat\": 3.15, \"stderr\": 0.07, \"estimator\": \"x\"}\n\
         {\"family\": \"nc(1,2)\", \"lambda_hat\": 0.3}\n",
    )
    .unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(rlct().arg("score").arg(&est).arg("--json"))).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert!((rows[0]["relative_error"].as_f64().unwrap() + 0.1).abs() < 1e-12);
    assert!((rows[0]["z"].as_f64().unwrap() + 5.0).abs() < 1e-9);
    assert!((rows[1]["relative_error"].as_f64().unwrap() - 0.2).abs() < 1e-12);
    assert!(rows[1]["z"].is_null());
    assert!((v["summary"]["mean_relative_error"].as_f64().unwrap() - 0.05).abs() < 1e-12);
    let table = stdout_of(rlct().arg("score").arg(&est));
    assert!(table.contains("summary: 2 rows"), "{table}");
    // A broken line: exit 2 with its line and column.
    std::fs::write(&est, "{\"family\": \"nc(1,2)\", \"lambda_hat\": 0.3}\n{\"family\": 3}\n").unwrap();
    let out = rlct().arg("score").arg(&est).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("est.jsonl:2:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sharded_sweep_merges_to_the_unsharded_table() {
    // --expect puts mismatches first in each shard; merge restores member
    // order, and --shard auto reads Slurm and HyperQueue variables.
    let dir = std::env::temp_dir().join(format!("rlct-merge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base =
        ["sweep", "-e", "x^(2*$a)*y^(2*$b)", "--range", "a=1..3", "--range", "b=1..3", "--expect", "1/(2*a)"];
    for format in ["jsonl", "csv"] {
        let whole = rlct().args(base).args(["--format", format]).output().unwrap();
        let n = 3;
        let mut files = vec![];
        for i in 0..n {
            let mut cmd = rlct();
            cmd.args(base)
                .args(["--format", format])
                .env_remove("SLURM_ARRAY_TASK_ID")
                .env_remove("HQ_TASK_ID");
            if i % 2 == 0 {
                cmd.args(["--shard", "auto"])
                    .env("SLURM_ARRAY_TASK_ID", (i + 1).to_string())
                    .env("SLURM_ARRAY_TASK_MIN", "1")
                    .env("SLURM_ARRAY_TASK_COUNT", n.to_string());
            } else {
                cmd.args(["--shard", "auto/3"]).env("HQ_TASK_ID", i.to_string());
            }
            let out = cmd.output().unwrap();
            let f = dir.join(format!("s{i}.{format}"));
            std::fs::write(&f, &out.stdout).unwrap();
            files.push(f);
        }
        let merged = stdout_of(rlct().arg("merge").args(&files));
        let whole = String::from_utf8(whole.stdout).unwrap();
        if format == "jsonl" {
            // Unsharded JSONL lists mismatches first too: compare as
            // member-ordered sets of rows.
            let mut a: Vec<&str> = whole.lines().collect();
            a.sort();
            let mut b: Vec<&str> = merged.lines().collect();
            b.sort();
            assert_eq!(a, b);
            let params: Vec<String> = merged
                .lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["parameters"].to_string())
                .collect();
            assert_eq!(params[0], "[[\"a\",1],[\"b\",1]]");
            assert_eq!(params[8], "[[\"a\",3],[\"b\",3]]");
        } else {
            assert_eq!(merged.lines().next(), whole.lines().next());
            assert_eq!(merged.lines().count(), whole.lines().count());
        }
    }
    let out = rlct()
        .args(base)
        .args(["--shard", "auto"])
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("HQ_TASK_ID")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_cancelled_deadline_is_expired() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static FLAG: AtomicBool = AtomicBool::new(false);
    let d = rlct::limits::Deadline::NONE.with_cancel(&FLAG);
    let later = rlct::limits::Deadline::after_secs(100.0).min(d);
    assert!(!d.expired() && !later.expired());
    FLAG.store(true, Ordering::Relaxed);
    assert!(d.expired() && later.expired());
    assert_ne!(d, rlct::limits::Deadline::NONE);
}
