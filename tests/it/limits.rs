//! Issue #17: no flag, size or tiny input ends in a panic, an abort, a hang
//! or exit code 1. Every reproducer of the issue runs the built binary
//! under a 4 GB address-space cap (`ulimit -v`) and asserts its exit code,
//! its message and a generous time bound (a limit, not a speed target).
//! A proptest generator of hostile programs and flag values checks that
//! every exit code is in the documented set (README "Exit codes").

use proptest::prelude::*;
use std::process::Command;
use std::time::{Duration, Instant};

const CUSP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/cusp.rlct");
/// The time bound of every reproducer.
const BOUND: Duration = Duration::from_secs(60);
/// The documented exit codes (README "Exit codes"); 1 is a bug.
const DOCUMENTED: &[i32] = &[0, 2, 3, 4, 5];

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Runs `rlct ARGS` under `ulimit -v 4000000` (4 GB) and measures it; a
/// run still going at `BOUND` is killed and fails the test (a hang must
/// not hang the suite).
fn rlct(args: &[&str]) -> Run {
    use std::io::Read;
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4000000 2>/dev/null; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_rlct"))
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if start.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        // A signal (abort) has no code: -1, outside the documented set.
        code: status.and_then(|s| s.code()).unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        elapsed: start.elapsed(),
    };
    assert!(status.is_some(), "{args:?} still running after {BOUND:?}: killed");
    assert!(!run.stderr.contains("panicked"), "panic on {args:?}: {}", run.stderr);
    assert!(run.elapsed < BOUND, "{args:?} took {:?}", run.elapsed);
    run
}

fn expect(args: &[&str], code: i32, needle: &str) -> Run {
    let r = rlct(args);
    assert_eq!(r.code, code, "{args:?}\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(needle) || r.stderr.contains(needle),
        "{args:?}: `{needle}` not in\nstdout: {}\nstderr: {}",
        r.stdout,
        r.stderr
    );
    r
}

// ---- numeric flags -------------------------------------------------------

#[test]
fn huge_time_limits_are_input_errors() {
    for t in ["1e19", "2e19", "inf", "nan", "-1"] {
        expect(&["estimate", &format!("--time-limit={t}"), CUSP], 2, "time limit");
        expect(&["exact", &format!("--time-limit={t}"), CUSP], 2, "time limit");
    }
    expect(&["analyze", "--exact-timeout", "1e300", CUSP], 2, "time limit");
}

#[test]
fn huge_depth_is_an_input_error() {
    expect(&["estimate", "--max-evals", "100000", "--depth", "1e18", CUSP], 2, "--depth");
    expect(&["estimate", "--depth", "inf", CUSP], 2, "--depth");
}

#[test]
fn deep_runs_size_their_record_from_the_work_done() {
    // Was an abort allocating 800 MB: now the record grows with the
    // evaluations, and the budget leaves too few tail points (exit 4).
    let r = rlct(&["estimate", "--depth", "1e6", "--max-evals", "100000", "--quiet", CUSP]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("too few tail points"), "{}", r.stderr);
}

#[test]
fn thread_counts_are_capped_at_the_cores() {
    let r = rlct(&["estimate", "--threads", "100000", "--max-evals", "400000", "--runs", "2", CUSP]);
    assert!(r.code == 0 || r.code == 4, "{} {}", r.code, r.stderr);
    assert!(r.stderr.contains("capped at the"), "{}", r.stderr);
}

#[test]
fn other_numeric_flags_are_range_checked() {
    for (flag, v) in [
        ("--runs", "100000000"),
        ("--live", "1000000000"),
        ("--steps", "1000000000"),
        ("--sgld-chains", "100000000"),
        ("--sgld-n", "inf"),
        ("--sgld-step", "nan"),
    ] {
        expect(&["estimate", flag, v, CUSP], 2, flag);
    }
    let model = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/rrr_model.rlct");
    for (flag, v) in [("--n", "100000000000"), ("--chains", "1000000"), ("--draws", "100000000000")] {
        let r = rlct(&["llc", model, flag, v]);
        assert_eq!(r.code, 2, "{flag} {v}: {}", r.stderr);
        assert!(r.stderr.contains("limit") || r.stderr.contains("at most"), "{}", r.stderr);
    }
}

// ---- stages outside the chart search --------------------------------------

#[test]
fn sign_check_of_a_huge_degree_monomial() {
    // The sign check stored every power up to the degree (memory ∝ deg²).
    let r = expect(
        &["exact", "-e", "K = x^9999*x^9999*x^9999*x^9999*x^9999*x^9999*x^6;"],
        0,
        "λ = 1/60000, m = 1",
    );
    assert!(r.elapsed < Duration::from_secs(10), "{:?}", r.elapsed);
    expect(&["exact", "-e", "K = x^10000;"], 0, "λ = 1/10000, m = 1");
}

#[test]
fn regular_point_in_ten_thousand_variables() {
    // The exact dense Hessian of 10⁴ variables exhausted memory.
    expect(&["exact", "-e", "param A[100,100]; K = ||A||^2;", "--time-limit", "20"], 0, "λ = 5000, m = 1");
}

#[test]
fn monomial_in_five_hundred_variables() {
    let k: Vec<String> = (0..500).map(|i| format!("w{i}^2")).collect();
    expect(&["exact", "-e", &k.join("*"), "--time-limit", "20"], 0, "λ = 1/2, m = 500");
}

#[test]
fn expansion_limit_is_reported_up_front() {
    let r = expect(&["exact", "-e", "(x+y)^10000"], 2, "expansion too large");
    assert!(r.stderr.contains("limit"), "{}", r.stderr);
    assert!(r.elapsed < Duration::from_secs(10), "{:?}", r.elapsed);
}

#[test]
fn slow_stages_end_in_proven_bounds_at_the_time_limit() {
    // Sturm sequences, the Newton LPs, the square root of K and the chart
    // search: each either finishes or ends at the time limit with a proven
    // interval (exit 0), within the limit plus its grace period.
    for k in [
        "(y^2-x^9999)^2",
        "(x^500-2*y^500)^2",
        "(x+y+z+w)^60",
        "(y^2-x^3)^1000",
        "param w, v; K = (v^3 + w^2 + v)^4;",
    ] {
        let r = expect(&["exact", "-e", k, "--time-limit", "2"], 0, "λ");
        assert!(r.elapsed < Duration::from_secs(15), "{k}: {:?}", r.elapsed);
        assert!(r.stdout.contains("exact") || r.stdout.contains("stopped:"), "{k}: {}", r.stdout);
    }
}

#[test]
fn estimate_time_limit_covers_the_exact_wait() {
    let r = rlct(&["estimate", "--time-limit", "5", "--quiet", "-e", "x^10000"]);
    assert!(r.code == 0 || r.code == 4, "{} {}", r.code, r.stderr);
    assert!(r.elapsed < Duration::from_secs(20), "{:?}", r.elapsed);
}

// ---- verdicts and exit codes ----------------------------------------------

#[test]
fn early_stop_makes_the_verdict_inconclusive() {
    // The issue: max-evals stopped nested sampling and analyze said
    // "disagree" (exit 3).
    let r = expect(
        &["analyze", "--max-evals", "1000000", "--method", "volume", "--quiet", CUSP],
        0,
        "verdict: inconclusive",
    );
    assert!(r.stdout.contains("stopped early (max-evals)"), "{}", r.stdout);
}

#[test]
fn estimator_giving_up_has_its_own_exit_code() {
    let r = expect(&["estimate", "--max-evals", "3000", "--quiet", CUSP], 4, "too few tail points");
    assert!(r.stderr.starts_with("estimation failed"), "{}", r.stderr);
}

#[test]
fn overflowing_loss_has_the_estimator_exit_code() {
    // The issue: "overflowed f64" on valid input exited 2 (invalid input).
    let r = expect(
        &["estimate", "--quiet", "--method", "volume", "-e", "domain [-1e200, 1e200]; K = x^2;"],
        4,
        "overflow",
    );
    assert!(r.stderr.starts_with("estimation failed"), "{}", r.stderr);
}

// ---- hostile programs and flags -------------------------------------------

/// The number of hostile cases: `RLCT_FUZZ_CASES` or the default.
fn fuzz_cases(default: u32) -> u32 {
    std::env::var("RLCT_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Pieces of hostile programs: huge exponents, many variables, big
/// coefficients, products that expand a lot, matrices.
fn hostile_program() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("x".to_string()),
        Just("y".to_string()),
        Just("(x+y)".to_string()),
        Just("(y^2-x^3)".to_string()),
        Just("(x-2*y)".to_string()),
        Just("123456789012345678901234567890".to_string()),
        Just("1e-300".to_string()),
    ];
    let exp = prop_oneof![
        Just(0u32),
        Just(1),
        Just(2),
        Just(7),
        Just(60),
        Just(999),
        Just(9999),
        Just(10000),
        Just(10001)
    ];
    let factor = (atom, exp).prop_map(|(a, e)| format!("{a}^{e}"));
    let product = prop::collection::vec(factor, 1..4).prop_map(|v| v.join("*"));
    let sum = prop::collection::vec(product, 1..3).prop_map(|v| v.join(" + "));
    prop_oneof![
        4 => sum.prop_map(|s| format!("({s})^2")),
        1 => (1usize..60, 1usize..60).prop_map(|(r, c)| format!("param A[{r},{c}]; K = ||A||^2;")),
        1 => (1usize..400).prop_map(|n| (0..n).map(|i| format!("w{i}^2")).collect::<Vec<_>>().join("*")),
        1 => Just("K = x^3;".to_string()),
    ]
}

/// A hostile value for a numeric flag.
fn hostile_number() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "0",
        "1",
        "2",
        "-1",
        "1e19",
        "2e19",
        "1e308",
        "inf",
        "nan",
        "1e-300",
        "18446744073709551616",
        "100000",
        "3.5",
    ])
}

proptest! {
    // 12 cases in `cargo test`; `.ci/run` runs a longer campaign with
    // RLCT_FUZZ_CASES set.
    #![proptest_config(ProptestConfig { cases: fuzz_cases(12), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hostile_programs_and_flags_exit_with_documented_codes(
        program in hostile_program(),
        flag in prop::sample::select(vec![
            "--depth", "--runs", "--live", "--max-evals", "--threads", "--steps", "--multiplicity",
            "--sgld-n", "--sgld-chains", "--sgld-draws", "--exact-timeout", "--time-limit",
        ]),
        value in hostile_number(),
        exact in any::<bool>(),
    ) {
        let r = if exact {
            rlct(&["exact", "-e", &program, "--time-limit", "1", "--budget", "20"])
        } else {
            // Small, fast runs: the hostile flag comes last and wins.
            rlct(&[
                "estimate", "-e", &program, "--quiet", "--method", "all", "--runs", "2", "--live", "20",
                "--sgld-chains", "2", "--sgld-draws", "200", "--max-evals", "20000", "--time-limit", "2",
                "--exact-timeout", "1", flag, value,
            ])
        };
        prop_assert!(DOCUMENTED.contains(&r.code), "exit {} on {program:?} {flag} {value}: {}", r.code, r.stderr);
        prop_assert!(r.elapsed < Duration::from_secs(30), "{program:?} {flag} {value}: {:?}", r.elapsed);
    }
}
