//! Corrections from what the exact engine proves (`estimate::correct`,
//! docs/estimators.md): with a certified m, the thermodynamic, SGLD and LLC
//! estimates report `raw + (m−1)/log t` beside the raw value and say which
//! m and where it came from; a model-choice m never corrects; an estimate
//! outside the proven interval (the exact λ when exact) by more than 3 of
//! its standard errors is flagged, and only then.

use crate::draw;
use assert_cmd::Command;
use rlct::drivers::analysis::{self, EstimateOutput, Hooks, MethodChoice, RunSettings};
use rlct::estimate::{EstimateOptions, Method, SgldOptions, estimate, verdict::verdict};
use rlct::poly::Rat;
use rlct::report::Correction;
use rlct::{ExactResult, Status};
use std::time::Instant;

/// The flag is set exactly when the judged value (corrected if any, else
/// raw) is more than 3 se outside `[lo, hi]`.
fn assert_flag_consistent(name: &str, raw: f64, se: f64, c: &Correction, lo: f64, hi: f64) {
    let v = c.lambda_corrected.unwrap_or(raw);
    let outside = v > hi + 3.0 * se || v < lo - 3.0 * se;
    assert_eq!(c.outside_proven.is_some(), outside, "{name}: {v} ± {se} against [{lo}, {hi}]: {c:?}");
    if let Some(f) = &c.outside_proven {
        let which = if c.lambda_corrected.is_some() { "corrected for m" } else { "raw" };
        assert!(f.contains(which) && f.contains(name), "{f}");
    }
}

const SMALL: RunSettings = RunSettings {
    runs: 4,
    depth: Some(20.0),
    sgld_chains: 4,
    sgld_draws: 20_000,
    method: Some(MethodChoice::All),
    ..RunSettings::DEFAULT
};

/// Random monomials K = Π x_i^{2k_i} (flat prior): λ = min 1/(2k_i) and m
/// the number of i attaining it (docs/theory.md §2.2), certified by the
/// engine; `rlct estimate --method all` corrects thermodynamic and SGLD with
/// that m, beside the raw values.
#[test]
fn certified_m_corrects_thermodynamic_and_sgld_beside_the_raw_values() {
    let mut rng = draw::Draw(1313);
    for case in 0..3 {
        let d = rng.int(2, 4) as usize;
        let ks: Vec<i64> = (0..d).map(|_| rng.int(1, 3)).collect();
        let kmax = *ks.iter().max().unwrap();
        let m = ks.iter().filter(|&&k| k == kmax).count();
        let lam = 1.0 / (2.0 * kmax as f64);
        let vars: Vec<String> = (0..d).map(|i| format!("x{i}")).collect();
        let k: Vec<String> = vars.iter().zip(&ks).map(|(v, k)| format!("{v}^{}", 2 * k)).collect();
        let program = format!("param {};\nK = {};", vars.join(", "), k.join("*"));
        let p = rlct::dsl::parse_program(&program, "t").unwrap();
        let s = RunSettings { seed: case, ..SMALL };
        let out = analysis::estimate(&p, &s, Instant::now(), &Hooks::default()).unwrap();
        let EstimateOutput::Estimates { estimates: est, exact } = out else { panic!("not llc") };
        let ex = exact.unwrap().unwrap();
        assert_eq!((ex.status, ex.multiplicity), (Status::Exact, m), "{program}");
        let v = est.volume.as_ref().unwrap();
        let t = &v.thermodynamic;
        let sg = est.sgld.as_ref().unwrap();
        let log_b = sg.settings.inverse_temperature.ln();
        for (name, raw, se, c, log_t) in [
            ("thermodynamic", t.lambda_raw, t.stderr, &t.correction, t.log_beta),
            ("SGLD", sg.lambda, sg.stderr, &sg.correction, log_b),
        ] {
            assert_eq!(c.corrected_for_m, Some(m), "{program}: {name}");
            assert_eq!(c.corrected_m_source.as_deref(), Some("exact"));
            let want = raw + (m as f64 - 1.0) / log_t;
            assert!((c.lambda_corrected.unwrap() - want).abs() < 1e-12, "{name}: {c:?} vs {want}");
            assert_flag_consistent(name, raw, se, c, lam, lam);
        }
        // The raw values stay where they were.
        assert_eq!(t.lambda, t.lambda_raw + (m as f64 - 1.0) / t.log_beta);
    }
}

/// Without a certified or given m nothing is corrected (the thermodynamic
/// `lambda` still uses the fit's model-choice m, and says so in the text).
#[test]
fn a_model_choice_m_never_corrects() {
    let p = rlct::dsl::parse_program("x^2*y^2", "t").unwrap();
    let opts = EstimateOptions {
        method: Method::All,
        runs: 4,
        depth: 20.0,
        log_eps_target: None,
        sgld: SgldOptions { chains: 2, draws: 10_000, ..Default::default() },
        ..Default::default()
    };
    let est = estimate(&p, &opts).unwrap();
    let v = est.volume.unwrap();
    assert_eq!(v.multiplicity_source, "model-choice");
    assert_eq!(v.thermodynamic.correction, Correction::default());
    assert_eq!(est.sgld.unwrap().correction, Correction::default());
}

fn interval(lo: i64, hi: i64) -> ExactResult {
    ExactResult {
        lambda: Rat::from_integer(hi.into()),
        multiplicity: 1,
        status: Status::Interval,
        lower: Rat::from_integer(lo.into()),
        upper: Rat::from_integer(hi.into()),
        method: "test".into(),
        variables: vec![],
        certificate: serde_json::Value::Null,
        trace: vec![],
        stopped: None,
    }
}

/// A proven interval far from every estimate flags them all (analyze's
/// reasons, `correct::annotate`'s fields and the volume note); one that
/// contains them flags none.
#[test]
fn estimates_outside_a_proven_interval_are_flagged() {
    let p = rlct::dsl::parse_program("x^2+y^4", "t").unwrap(); // λ = 3/4
    let opts = EstimateOptions {
        method: Method::All,
        runs: 4,
        depth: 20.0,
        log_eps_target: None,
        multiplicity: Some(1),
        sgld: SgldOptions { chains: 2, draws: 10_000, ..Default::default() },
        ..Default::default()
    };
    let est = estimate(&p, &opts).unwrap();
    let far = interval(5, 6);
    let ver = verdict(Ok(&far), &est);
    for name in ["thermodynamic", "SGLD"] {
        assert!(
            ver.reasons.iter().any(|r| r.contains(name) && r.contains("outside the proven interval [5, 6]"))
        );
    }
    let mut flagged = est.clone();
    rlct::estimate::correct::annotate(&mut flagged, &far);
    let v = flagged.volume.as_ref().unwrap();
    assert!(v.thermodynamic.correction.outside_proven.is_some());
    assert!(flagged.sgld.as_ref().unwrap().correction.outside_proven.is_some());
    assert!(v.notes.iter().any(|n| n.contains("misses the proven [5, 6]")), "{:?}", v.notes);
    let wide = interval(0, 2);
    let mut inside = est.clone();
    rlct::estimate::correct::annotate(&mut inside, &wide);
    assert!(inside.volume.as_ref().unwrap().thermodynamic.correction.outside_proven.is_none());
    assert!(inside.sgld.as_ref().unwrap().correction.outside_proven.is_none());
    assert!(!verdict(Ok(&wide), &est).reasons.iter().any(|r| r.contains("lies outside")));
}

/// `rlct estimate --method llc` on a model the engine solves (nc(1,1):
/// λ = 1/2, m = 2): the corrected λ̂ + 1/log nβ beside the raw λ̂, in the
/// JSON and the text, with the flag against the exact λ.
#[test]
fn llc_estimate_is_corrected_for_the_certified_m() {
    let fam = rlct::models::Family::parse("nc(1,1)").unwrap();
    let p = fam.problem().unwrap();
    let s = RunSettings { method: Some(MethodChoice::Llc), seed: 3, ..RunSettings::DEFAULT };
    let EstimateOutput::Llc(est) = analysis::estimate(&p, &s, Instant::now(), &Hooks::default()).unwrap()
    else {
        panic!("llc")
    };
    let c = &est.correction;
    assert_eq!((c.corrected_for_m, c.corrected_m_source.as_deref()), (Some(2), Some("exact")));
    assert!((c.lambda_corrected.unwrap() - (est.lambda + 1.0 / est.nbeta.ln())).abs() < 1e-12);
    assert_flag_consistent("LLC", est.lambda, est.stderr, c, 0.5, 0.5);
    let j = EstimateOutput::Llc(est.clone()).to_json();
    assert_eq!(j["estimates"]["llc"]["corrected_for_m"], 2);
    assert_eq!(j["estimates"]["llc"]["lambda_corrected"].as_f64(), c.lambda_corrected);
    // A given m is used as given (here 1, not the engine's 2).
    let given = RunSettings { multiplicity: Some(1), ..s };
    let EstimateOutput::Llc(g) = analysis::estimate(&p, &given, Instant::now(), &Hooks::default()).unwrap()
    else {
        panic!("llc")
    };
    assert_eq!(g.lambda, est.lambda, "same seed, same chains");
    assert_eq!(
        (g.correction.corrected_for_m, g.correction.corrected_m_source.as_deref()),
        (Some(1), Some("given"))
    );
    assert_eq!(g.correction.lambda_corrected, Some(g.lambda));
    // An m above d is refused.
    let bad = RunSettings { multiplicity: Some(3 + p.dim()), ..s };
    assert!(analysis::estimate(&p, &bad, Instant::now(), &Hooks::default()).is_err());
}

/// The text and JSON of `rlct estimate --method sgld` say which value is
/// raw and which is corrected, and for which m.
#[test]
fn sgld_cli_reports_raw_and_corrected() {
    let args = ["estimate", "--method", "sgld", "--quiet", "--sgld-draws", "20000", "-e", "x^2*y^2"];
    let out = Command::cargo_bin("rlct").unwrap().args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("sgld: raw λ ≈"), "{text}");
    assert!(text.contains("corrected for the certified m = 2: λ ≈"), "{text}");
    let out = Command::cargo_bin("rlct").unwrap().args(args).arg("--json").output().unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sg = &j["estimates"]["sgld"];
    assert_eq!(sg["corrected_for_m"], 2);
    assert_eq!(sg["corrected_m_source"], "exact");
    let b = sg["settings"]["inverse_temperature"].as_f64().unwrap();
    let want = sg["lambda"].as_f64().unwrap() + 1.0 / b.ln();
    assert!((sg["lambda_corrected"].as_f64().unwrap() - want).abs() < 1e-9, "{sg}");
    assert!(sg.get("outside_proven").is_some(), "the flag's key is always there: {sg}");
    let lam = 0.5;
    let se = sg["stderr"].as_f64().unwrap();
    let corrected = sg["lambda_corrected"].as_f64().unwrap();
    assert_eq!(sg["outside_proven"].is_string(), (corrected - lam).abs() > 3.0 * se, "{sg}");
}
