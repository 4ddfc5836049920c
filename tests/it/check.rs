//! `rlct check`: certificates of `rlct exact --json` re-verified by the
//! independent checker (round trips over classes of losses), and every
//! single-field alteration rejected.

use crate::corpus;
use rlct::check::{Verified, check};
use rlct::{Rat, poly::ratio};
use serde_json::Value;
use std::process::Command;

fn exact_json(args: &[&str]) -> Value {
    let out =
        Command::new(env!("CARGO_BIN_EXE_rlct")).arg("exact").arg("--json").args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn verified(doc: &Value) -> Verified {
    check(doc).unwrap_or_else(|f| panic!("not verified: {f}"))
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The class of cusps y^a − x^b (a, b coprime), resolved by coordinate
/// blow-ups: λ = (1/a + 1/b)/2 for K = (y^a − x^b)², m = 1.
#[test]
fn cusps_round_trip_with_their_closed_form() {
    let mut seen = 0;
    for a in 2..=5u32 {
        for b in a + 1..=7u32 {
            if gcd(a, b) != 1 {
                continue;
            }
            let prog = format!("param x, y; K = (y^{a} - x^{b})^2;");
            let doc = exact_json(&["--charts", "coordinate", "-e", &prog]);
            let v = verified(&doc);
            let want = (ratio(1, a as i64) + ratio(1, b as i64)) / Rat::from_integer(2.into());
            assert_eq!((v.lambda, v.m), (want, 1), "{prog}");
            seen += 1;
        }
    }
    assert!(seen >= 8);
}

/// Reduced-rank regression at the zero map by blow-ups (no theorem), for
/// all sizes M, N, H ≤ 3, against Aoyagi–Watanabe's closed form.
#[test]
fn reduced_rank_regression_round_trips() {
    for m in 1..=3usize {
        for n in 1..=3usize {
            for h in 1..=3usize {
                if m * n * h == 1 {
                    continue;
                }
                let prog = format!("param A[{h},{m}], B[{n},{h}]; K = ||B*A||^2;");
                let doc = exact_json(&["--no-theorems", "-e", &prog]);
                let v = match check(&doc) {
                    Ok(v) => v,
                    Err(f) => {
                        // Only steps the checker names as not re-verifiable
                        // may fail; never a wrong result.
                        assert!(f.why.contains("cannot be re-verified"), "{prog}: {f}");
                        continue;
                    }
                };
                let claimed: Rat = doc["lambda"].as_str().unwrap().parse().unwrap();
                assert_eq!(v.lambda, claimed, "{prog}");
                let cf = rlct::models::closed_form::rrr(m, n, h, 0).unwrap();
                assert_eq!((v.lambda, Some(v.m)), (cf.lambda, cf.multiplicity), "{prog}");
            }
        }
    }
}

/// What `rlct exact --json` prints for a problem (the library path: solve,
/// then the second proof by blow-ups when another engine answered).
fn doc_of(p: &rlct::Problem) -> Value {
    let opts = rlct::exact::ExactOptions::default();
    let mut r = rlct::exact::solve(p, &opts).expect("solve");
    rlct::exact::attach_resolution_certificate(p, &opts, &mut r);
    serde_json::to_value(&r).unwrap()
}

/// Every exact result of the suite's programs (tests/it/corpus.rs: the
/// examples, the program texts of the test modules, docs/theory.md §8,
/// the degenerate cases built in code) goes through the checker: each is
/// verified with the claimed pair, or refused as a step of a kind the
/// checker names as not re-verifiable; never refuted (that would be a
/// wrong certificate or a wrong checker). The verified share is measured
/// and must not fall below what this session reached (issue #11).
#[test]
fn every_exact_result_of_the_suite_is_verified_or_named_unverified() {
    let mut cases: Vec<(String, rlct::Problem)> = Vec::new();
    let parse = |name: &str, src: &str| rlct::dsl::parse_program(src, name).expect(name);
    for (name, src) in corpus::examples() {
        cases.push((name.clone(), parse(&name, &src)));
    }
    for (module, src) in corpus::PROGRAMS {
        cases.push((format!("{module}: {src}"), parse(module, src)));
    }
    for src in corpus::SECTION_8 {
        cases.push((src.to_string(), parse("section 8", src)));
    }
    cases.extend(corpus::problems());
    let (mut exact, mut verified) = (0usize, 0usize);
    let mut unverified: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut refuted = Vec::new();
    for (label, p) in &cases {
        let doc = doc_of(p);
        if doc["status"] != "exact" {
            continue;
        }
        exact += 1;
        match check(&doc) {
            Ok(v) => {
                let claimed: Rat = doc["lambda"].as_str().unwrap().parse().unwrap();
                assert_eq!((v.lambda, Some(v.m as u64)), (claimed, doc["multiplicity"].as_u64()), "{label}");
                verified += 1;
            }
            Err(f) => match &f.unverified {
                Some(kind) => unverified.entry(kind.clone()).or_default().push(label.clone()),
                None => refuted.push(format!("{label}: {f}")),
            },
        }
    }
    eprintln!("{verified} of {exact} exact results verified; not re-verifiable:");
    for (kind, labels) in &unverified {
        eprintln!("  {kind}: {} ({})", labels.len(), labels.join("; "));
    }
    assert!(refuted.is_empty(), "refuted certificates:\n{}", refuted.join("\n"));
    assert!(exact >= 80, "only {exact} exact results in the corpus");
    // Measured this session: see the README's table (rlct check coverage).
    assert!(verified * 100 >= 88 * exact, "only {verified} of {exact} verified");
}

/// The JSON pointer of the certificate in the document.
fn cert_path(doc: &Value) -> String {
    fn find(v: &Value, path: String) -> Option<String> {
        if v.get("format").and_then(Value::as_str) == Some("rlct-certificate/1") {
            return Some(path);
        }
        match v {
            Value::Object(o) => o.iter().find_map(|(k, c)| find(c, format!("{path}/{k}"))),
            _ => None,
        }
    }
    find(doc, String::new()).expect("a certificate")
}

fn cert(doc: &mut Value) -> &mut Value {
    let p = cert_path(doc);
    doc.pointer_mut(&p).unwrap()
}

/// The pointers of all tree nodes, preorder.
fn node_paths(doc: &Value) -> Vec<String> {
    fn walk(v: &Value, path: String, out: &mut Vec<String>) {
        out.push(path.clone());
        if let Some(cs) = v.get("children").and_then(Value::as_array) {
            for (i, c) in cs.iter().enumerate() {
                walk(c, format!("{path}/children/{i}"), out);
            }
        }
    }
    let root = format!("{}/tree", cert_path(doc));
    let mut out = Vec::new();
    walk(doc.pointer(&root).unwrap(), root, &mut out);
    out
}

fn rejected(doc: &Value, what: &str) {
    match check(doc) {
        Ok(v) => panic!("altered {what}, but verified: λ = {}, m = {}", v.lambda, v.m),
        Err(f) => assert!(!f.why.is_empty(), "{what}"),
    }
}

fn cusp() -> Value {
    exact_json(&["--charts", "coordinate", "examples/cusp.rlct"])
}

#[test]
fn every_altered_field_is_rejected() {
    altered_fields_rejected(&cusp(), true);
}

/// The same alterations on a certificate with a monomial-ideal leaf, and
/// the fields of the kinds covered since: the leaf's Newton LP
/// certificate, toric charts in three variables.
#[test]
fn altered_fields_of_newton_and_toric_certificates_are_rejected() {
    let mono = exact_json(&["-e", "param x, y, z; K = (x*y)^2 + (y*z)^2 + (z*x)^2;"]);
    altered_fields_rejected(&mono, false);

    // The Newton certificate: τ-distance, a primal weight, a point, a
    // normal's entry; a normal dropped (the ranks no longer pin the face).
    type Edit = fn(&mut Value) -> bool;
    let edits: &[(&str, Edit)] = &[
        ("τ-distance", |n| n.pointer_mut("/data/newton/t").map(|v| *v = Value::from("3")).is_some()),
        ("primal weight", |n| {
            n.pointer_mut("/data/newton/weights/0").map(|v| *v = Value::from("1/7")).is_some()
        }),
        ("primal point", |n| {
            n.pointer_mut("/data/newton/points/0/0")
                .map(|v| *v = Value::from(v.as_u64().unwrap() + 2))
                .is_some()
        }),
        ("normal entry", |n| {
            n.pointer_mut("/data/newton/normals/0/0").map(|v| *v = Value::from("5")).is_some()
        }),
        ("a normal dropped", |n| {
            n.pointer_mut("/data/newton/normals").and_then(Value::as_array_mut).map(|a| a.pop()).is_some()
        }),
        ("leaf rule", |n| {
            if n["move"] != "monomial-ideal" {
                return false;
            }
            n["move"] = Value::from("unit");
            true
        }),
    ];
    let paths = node_paths(&mono);
    for (what, edit) in edits {
        let mut hits = 0;
        for p in &paths {
            let mut d = mono.clone();
            if !edit(d.pointer_mut(p).unwrap()) {
                continue;
            }
            rejected(&d, &format!("{what} at {p}"));
            hits += 1;
        }
        assert!(hits >= 1, "no node has a {what}");
    }

    // Toric charts in three variables: an exponent of a chart map, a
    // sub-chart dropped (the cones no longer cover the orthant, or the
    // fibre loses a component). The checker verifies a modification before
    // its charts, so each alteration is refuted (not merely left
    // unverified) even on a certificate that later uses a kind the checker
    // cannot re-verify.
    let toric = exact_json(&["-e", "param x, y, z; ideal <y^2 - x^3, z^2 - y^3>;"]);
    let refuted = |d: &Value, what: &str| match check(d) {
        Ok(_) => panic!("altered {what}, but verified"),
        Err(f) => assert!(f.unverified.is_none(), "altered {what}, but only: {f}"),
    };
    // Only the modifications checked before the first step the checker
    // cannot re-verify (preorder ids).
    let first = check(&toric).err().and_then(|f| f.step.trim_start_matches('#').parse::<u64>().ok());
    let paths = node_paths(&toric);
    let (mut exps, mut drops) = (0, 0);
    for p in &paths {
        let node = toric.pointer(p).unwrap();
        if node["move"] != "toric-charts"
            || node["kind"] != "split"
            || node["children"][0]["data"]["pre"]["beta"].as_array().map_or(0, Vec::len) < 3
            || first.is_some_and(|f| node["id"].as_u64().unwrap() >= f)
        {
            continue;
        }
        let n = node["children"].as_array().unwrap().len();
        for i in 0..n {
            let mut d = toric.clone();
            d.pointer_mut(&format!("{p}/children")).unwrap().as_array_mut().unwrap().remove(i);
            refuted(&d, &format!("toric sub-chart {i} dropped at {p}"));
            drops += 1;
            let mut d = toric.clone();
            let e = d.pointer_mut(&format!("{p}/children/{i}/data/link/pullback/0/0/1/0")).unwrap();
            *e = Value::from(e.as_u64().unwrap() + 1);
            refuted(&d, &format!("toric map exponent of sub-chart {i} at {p}"));
            exps += 1;
        }
    }
    assert!(drops >= 3 && exps >= 3, "{drops} {exps}");
}

/// Alters one field at a time in `doc` (which must verify) and asserts
/// each alteration is rejected. `substitutions`: the certificate has
/// charts with substitutions.
fn altered_fields_rejected(doc: &Value, substitutions: bool) {
    let doc = doc.clone();
    verified(&doc);

    // λ and m, at the top and in the certificate's claim.
    let mut d = doc.clone();
    d["lambda"] = Value::from("1/3");
    rejected(&d, "top-level lambda");
    let mut d = doc.clone();
    d["multiplicity"] = Value::from(2);
    rejected(&d, "top-level m");
    let mut d = doc.clone();
    cert(&mut d)["claim"]["lambda"] = Value::from("1/2");
    rejected(&d, "claimed lambda");

    // A substitution coefficient, in every chart that has one.
    let mut changed = 0;
    let paths = node_paths(&doc);
    for p in &paths {
        let mut d = doc.clone();
        let Some(map) = d.pointer_mut(&format!("{p}/data/link/pullback/0/0/0")) else { continue };
        *map = Value::from("2");
        rejected(&d, &format!("substitution coefficient at {p}"));
        changed += 1;
    }
    assert!(!substitutions || changed >= 3, "only {changed} substitutions");

    // A generator coefficient, a prior exponent, a region bound, a leaf
    // rule and a recorded value, at every node that has one.
    type Edit = fn(&mut Value) -> bool;
    let edits: &[(&str, Edit)] = &[
        ("generator coefficient", |n| {
            n.pointer_mut("/data/pre/gens/0/0/0").map(|c| *c = Value::from("7/3")).is_some()
        }),
        ("normalised generator", |n| {
            n.pointer_mut("/data/chart/gens/0/0/0").map(|c| *c = Value::from("5")).is_some()
        }),
        ("prior exponent", |n| {
            n.pointer_mut("/data/pre/h/0").map(|h| *h = Value::from(h.as_u64().unwrap() + 1)).is_some()
        }),
        ("monomial factor", |n| {
            n.pointer_mut("/data/chart/beta/0").map(|b| *b = Value::from(b.as_u64().unwrap() + 1)).is_some()
        }),
        ("region bound", |n| {
            let Some(r) = n.pointer_mut("/data/pre/region").and_then(Value::as_array_mut) else {
                return false;
            };
            let Some(b) = r.iter_mut().find(|b| b.is_array()) else { return false };
            b[0] = Value::from("-1/2");
            true
        }),
        ("leaf rule", |n| {
            if n["kind"] != "leaf" || n["move"] != "unit" {
                return false;
            }
            n["move"] = Value::from("smooth-point");
            true
        }),
        ("recorded value", |n| {
            let Some(l) = n.pointer_mut("/value/exact/lambda") else { return false };
            *l = Value::from("1/7");
            true
        }),
    ];
    for (what, edit) in edits {
        let mut hits = 0;
        for p in &paths {
            let mut d = doc.clone();
            if !edit(d.pointer_mut(p).unwrap()) {
                continue;
            }
            // (A unit leaf relabelled as a smooth point: the checker must
            // recompute, and reject, rather than trust the label.)
            rejected(&d, &format!("{what} at {p}"));
            hits += 1;
        }
        assert!(hits >= 1 || !substitutions, "no node has a {what}");
    }

    // The input loss.
    let mut d = doc.clone();
    cert(&mut d)["loss"]["gens"][0][0][0] = Value::from("2");
    rejected(&d, "input generator");
    let mut d = doc.clone();
    cert(&mut d)["loss"]["prior"][0] = Value::from(1);
    rejected(&d, "input prior");
}

#[test]
fn unverifiable_kinds_and_garbage_fail_closed() {
    // Toric charts in three variables are not re-verified yet: refused,
    // never passed.
    let doc = exact_json(&["examples/quadric_cone.rlct"]);
    let f = check(&doc).unwrap_err();
    assert!(f.why.contains("cannot be re-verified"), "{f}");
    // A Newton / monomial result carries a second proof by blow-ups.
    let doc = exact_json(&["-e", "param x, y; K = x^2*y^4;"]);
    assert_eq!(doc["method"], "monomial");
    let v = verified(&doc);
    assert_eq!((v.lambda, v.m), (ratio(1, 4), 1));
    // The claim must be exact: a bound is never "verified".
    let mut d = doc.clone();
    d["status"] = Value::from("bound");
    rejected(&d, "status");
    // Not a certificate at all.
    assert!(check(&serde_json::json!({"lambda": "1/2"})).is_err());
}

#[test]
fn cli_exit_codes() {
    let dir = std::env::temp_dir().join(format!("rlct-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.json");
    let doc = cusp();
    std::fs::write(&good, doc.to_string()).unwrap();
    let run =
        |p: &std::path::Path| Command::new(env!("CARGO_BIN_EXE_rlct")).arg("check").arg(p).output().unwrap();
    let out = run(&good);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("verified: λ = 5/12, m = 1"));
    let bad = dir.join("bad.json");
    let mut d = doc.clone();
    d["lambda"] = Value::from("1/3");
    std::fs::write(&bad, d.to_string()).unwrap();
    let out = run(&bad);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("not verified: step claim"));
    let junk = dir.join("junk.json");
    std::fs::write(&junk, "{ not json").unwrap();
    assert_eq!(run(&junk).status.code(), Some(2));
}
