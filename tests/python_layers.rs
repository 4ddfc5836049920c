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
        "dsl", "exact.rs", "resolve", "newton", "poly", "lp.rs", "univariate.rs", "comparison.rs", "problem",
        "models", "report.rs", "limits.rs", "error.rs",
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
                assert!(!code.contains(upper), "{}:{}: imports {upper} from a lower layer", f.display(), i + 1);
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
