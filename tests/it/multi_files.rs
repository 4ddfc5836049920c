//! Several program files in one call of `exact`, `estimate` and `analyze`
//! (issue #14): one result per file in order, each the same as the file's
//! own call; with `--json` JSON Lines, one object per file with its
//! `file`; a failing file is reported and the others still run; the exit
//! code is the worst of the files' (`rlct::cli::worst_exit_code`).

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn example(name: &str) -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/examples/").to_string() + name
}

/// A program file with a syntax error, unique to `tag`.
fn bad_file(tag: &str) -> String {
    let path: PathBuf = std::env::temp_dir().join(format!("rlct-multi-{tag}-{}.rlct", std::process::id()));
    std::fs::write(&path, "param x;\nK = x^2 + ;\n").unwrap();
    path.display().to_string()
}

fn rlct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rlct")).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The JSON of a one-file call, for comparison with a line of JSON Lines.
fn single_json(args: &[&str]) -> Value {
    let o = rlct(args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Checks that the JSON Lines of a call on `files` are, in order, the
/// one-file results (with `file` added) or, for `bad`, an error object.
fn check_json_lines(cmd: &[&str], files: &[&str], bad: &str, out: &Output) {
    let lines: Vec<Value> = stdout(out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), files.len(), "{}", stdout(out));
    for (line, file) in lines.iter().zip(files) {
        assert_eq!(line["file"], *file);
        if *file == bad {
            assert_eq!(line["exit_code"], 2);
            assert!(line["error"].as_str().unwrap().contains(":2:"), "{line}");
            continue;
        }
        let mut own = line.clone();
        own.as_object_mut().unwrap().remove("file");
        let args: Vec<&str> = cmd.iter().copied().chain([*file, "--json"]).collect();
        assert_eq!(own, single_json(&args), "{file}");
    }
}

#[test]
fn exact_text_gives_each_files_own_result_in_order() {
    let bad = bad_file("exact-text");
    let files = [example("cusp.rlct"), bad.clone(), example("normal_crossing.rlct"), example("ideal.rlct")];
    let args: Vec<&str> = ["exact"].into_iter().chain(files.iter().map(String::as_str)).collect();
    let out = rlct(&args);
    assert_eq!(out.status.code(), Some(2), "the worst of 0, 2, 0, 0");
    let text = stdout(&out);
    let mut expected = String::new();
    for f in &files {
        expected += &format!("==> {f} <==\n");
        if *f == bad {
            expected += "error (exit code 2, reported on standard error)\n";
        } else {
            let own = rlct(&["exact", f]);
            assert!(own.status.success());
            expected += &stdout(&own);
        }
    }
    assert_eq!(text, expected);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{bad}: ")) && err.contains(&format!("{bad}:2:")), "{err}");
}

#[test]
fn exact_json_is_one_line_per_file() {
    let bad = bad_file("exact-json");
    let files = [example("quadric_cone.rlct"), example("cusp.rlct"), bad.clone()];
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    let args: Vec<&str> = ["exact", "--json"].into_iter().chain(files.iter().copied()).collect();
    let out = rlct(&args);
    assert_eq!(out.status.code(), Some(2));
    check_json_lines(&["exact"], &files, &bad, &out);
}

#[test]
fn all_good_files_exit_zero() {
    let out = rlct(&["exact", "--json", &example("cusp.rlct"), &example("ideal.rlct")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout(&out).lines().count(), 2);
}

#[test]
fn estimate_and_analyze_give_each_files_seeded_result() {
    // A small nested-sampling budget: the point is that each file's
    // result is its own call's, for the same seed, not the estimate.
    let budget = ["--seed", "7", "--runs", "3", "--live", "40", "--depth", "10", "--quiet"];
    let bad = bad_file("estimate");
    let files = [example("normal_crossing.rlct"), bad.clone(), example("cusp.rlct")];
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    for cmd in [vec!["estimate"], vec!["analyze", "--method", "volume"]] {
        let base: Vec<&str> = cmd.iter().copied().chain(budget).collect();
        let args: Vec<&str> = base.iter().copied().chain(["--json"]).chain(files.iter().copied()).collect();
        let out = rlct(&args);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
        check_json_lines(&base, &files, &bad, &out);
    }
}

#[test]
fn the_worst_exit_code_ranks_an_internal_error_first() {
    use rlct::cli::worst_exit_code;
    assert_eq!(worst_exit_code([]), 0);
    assert_eq!(worst_exit_code([0, 0]), 0);
    assert_eq!(worst_exit_code([0, 3, 0]), 3);
    assert_eq!(worst_exit_code([3, 2, 0]), 2, "a failure outranks a disagreement");
    assert_eq!(worst_exit_code([4, 3]), 4);
    assert_eq!(worst_exit_code([2, 4]), 4);
    assert_eq!(worst_exit_code([5, 4, 2]), 5);
    assert_eq!(worst_exit_code([5, 1, 0]), 1);
}

#[test]
fn standard_input_only_once_and_not_with_expr() {
    let out = rlct(&["exact", "-", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only once"));
    let out = rlct(&["exact", "-e", "x^2", &example("cusp.rlct")]);
    assert_eq!(out.status.code(), Some(2));
    let two = [example("cusp.rlct"), example("ideal.rlct")];
    let out = rlct(&["estimate", "--plot", "/dev/null", &two[0], &two[1]]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--plot takes one program"));
}
