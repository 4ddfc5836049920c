//! `--time-limit` on `llc`, `validate` and `sweep` (issue #14: it existed
//! only on `estimate` and `analyze`): past the limit the command stops
//! with exit code 5, nothing on stdout and the limit named on stderr;
//! within it the output is the same as without the flag.

use std::process::Command;
use std::time::{Duration, Instant};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn rlct(args: &[&str]) -> Run {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_rlct")).args(args).output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: start.elapsed(),
    }
}

/// Work of a minute or more stopped after half a second: exit 5, quickly.
fn stops_at_the_limit(args: &[&str]) {
    let args: Vec<&str> = args.iter().copied().chain(["--time-limit", "0.5", "--quiet"]).collect();
    let r = rlct(&args);
    assert_eq!(r.code, Some(5), "{args:?}\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("limit reached") && r.stderr.contains("--time-limit 0.5 s"), "{}", r.stderr);
    // Generous: the limit, not a speed target (the machine may be loaded).
    assert!(r.elapsed < Duration::from_secs(20), "{args:?} took {:?}", r.elapsed);
}

#[test]
fn llc_stops_at_its_time_limit() {
    stops_at_the_limit(&["llc", "--family", "rrr(3,3,2,1)"]);
}

#[test]
fn validate_stops_at_its_time_limit() {
    stops_at_the_limit(&["validate"]);
}

#[test]
fn sweep_with_estimates_stops_at_its_time_limit() {
    stops_at_the_limit(&[
        "sweep",
        "-e",
        "x^(2*$a)*y^2",
        "--range",
        "a=1..8",
        "--estimate",
        "--runs",
        "40",
        "--live",
        "400",
    ]);
}

#[test]
fn calibrate_stops_at_its_time_limit() {
    stops_at_the_limit(&["calibrate", "--members", "rrr(2,2,2,0);rrr(3,3,2,0)", "--target", "rrr(4,4,3,1)"]);
}

#[test]
fn within_the_limit_the_rows_are_the_same() {
    let base = ["sweep", "-e", "x^(2*$a)*y^(2*$b)", "--range", "a=1..3", "--range", "b=1..2", "--json"];
    let free = rlct(&base);
    let limited: Vec<&str> = base.iter().copied().chain(["--time-limit", "300"]).collect();
    let limited = rlct(&limited);
    assert_eq!(free.code, Some(0), "{}", free.stderr);
    assert_eq!(limited.code, Some(0), "{}", limited.stderr);
    assert_eq!(free.stdout.lines().count(), 6);
    assert_eq!(free.stdout, limited.stdout);
}

#[test]
fn a_meaningless_time_limit_is_a_usage_error() {
    // (0 is a limit: it stops at once, exit 5, as for `exact`.)
    for (cmd, value) in [("llc", "-1"), ("validate", "abc"), ("sweep", "nan")] {
        let mut args = vec![cmd];
        if cmd == "sweep" {
            args.extend(["-e", "x^$a", "--range", "a=1..2"]);
        }
        if cmd == "llc" {
            args.extend(["--family", "rrr(2,2,1,1)"]);
        }
        args.extend(["--time-limit", value]);
        let r = rlct(&args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
    }
}
