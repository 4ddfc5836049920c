//! `rlct completions SHELL` (issue #14): every script names every
//! subcommand and long flag, and the bash script, loaded into bash,
//! completes a subcommand prefix and a flag prefix.

use std::io::Write;
use std::process::{Command, Stdio};

const SUBCOMMANDS: &[&str] =
    &["exact", "estimate", "analyze", "model", "llc", "validate", "sweep", "completions"];

fn script(shell: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_rlct")).args(["completions", shell]).output().unwrap();
    assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_shell_names_every_subcommand_and_flag() {
    for shell in ["bash", "zsh", "fish"] {
        let s = script(shell);
        for word in SUBCOMMANDS.iter().chain(&["time-limit", "json", "range", "expect"]) {
            assert!(s.contains(word), "{shell} completion lacks {word}");
        }
    }
    assert!(script("zsh").starts_with("#compdef rlct"));
    assert!(script("fish").contains("complete -c rlct"));
}

/// What bash's completion function offers for the words typed so far.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let line = format!(
        "{}\nCOMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}\n\
         _rlct rlct '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script("bash"),
        words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" "),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let mut child = Command::new("bash")
        .arg("-s")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash");
    child.stdin.take().unwrap().write_all(line.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completes_subcommands_and_flags() {
    assert_eq!(bash_complete(&["rlct", "ana"]), ["analyze"]);
    assert_eq!(bash_complete(&["rlct", "an"]), ["analyze", "answer-key"]);
    let e: Vec<String> = bash_complete(&["rlct", "e"]);
    assert!(e.contains(&"exact".to_string()) && e.contains(&"estimate".to_string()), "{e:?}");
    assert!(bash_complete(&["rlct", "exact", "--time"]).contains(&"--time-limit".to_string()));
    assert!(bash_complete(&["rlct", "completions", "z"]).contains(&"zsh".to_string()));
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_rlct")).args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bash"));
}
