//! The README's examples run as shown (issue #14, item 7).
//!
//! Every line of a ```sh block that starts with `cargo run --release -- `
//! is run with the built binary (arguments split as a POSIX shell would,
//! the trailing `# comment` dropped) and must exit 0. Where the README
//! shows what a command prints, the key lines are compared:
//! - a trailing comment of the form `# λ = …` must occur in the output, and
//!   one that shows JSON (`# JSON: {"lambda": "1/2", …}`) must agree on the
//!   fields it names;
//! - an untagged block right after the ```sh block (no heading between)
//!   shows the output of its first command: each of its lines without a
//!   Monte Carlo number (`≈`, `±`, `z =`) must be a line of the output.
//!
//! Every program block of "## The language" must also be accepted by
//! `rlct exact -` (read from standard input).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Commands not run here, each with the reason. Matched as a prefix of the
/// argument list after `cargo run --release --`.
const SKIPPED: &[(&str, &str)] = &[
    // The default validation suite runs minibatch SGLD on nine models with
    // two presets: minutes of CPU (`tests/models_cli.rs` runs a tiny one).
    ("validate", "minutes of SGLD over the whole suite"),
];

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// Splits a shell command line into words: single and double quotes,
/// backslash escapes outside single quotes, `#` at the start of a word
/// begins a comment. Returns the words and the comment.
fn shell_words(line: &str) -> (Vec<String>, Option<String>) {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' if !in_word => return (words, Some(line[i + 1..].trim().to_string())),
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                for (_, q) in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    cur.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some((_, q)) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some((_, e)) = chars.next() {
                                cur.push(e);
                            }
                        }
                        _ => cur.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some((_, e)) = chars.next() {
                    cur.push(e);
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    (words, None)
}

/// A fenced block: its info string, its lines, and whether a heading lies
/// between it and the previous block.
struct Block {
    info: String,
    lines: Vec<String>,
    heading_before: bool,
    section: String,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    let mut heading = false;
    let mut section = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(info) = t.strip_prefix("```") {
            match open.take() {
                Some(b) => {
                    out.push(b);
                    heading = false;
                }
                None => {
                    open = Some(Block {
                        info: info.trim().to_string(),
                        lines: vec![],
                        heading_before: heading,
                        section: section.clone(),
                    })
                }
            }
        } else if let Some(b) = &mut open {
            b.lines.push(t.to_string());
        } else if line.starts_with('#') {
            heading = true;
            if let Some(s) = line.strip_prefix("## ") {
                section = s.trim().to_string();
            }
        }
    }
    assert!(open.is_none(), "README.md has an unclosed code fence");
    out
}

fn run(args: &[String], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rlct"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// A shell command line as the README's reader types it: `rlct` on the
/// `PATH` (the built binary), the scratch directory as both the working
/// directory and `HOME` (so `> ~/.zfunc/_rlct` writes there).
fn run_shell(line: &str, dir: &Path) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_rlct")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// A fresh scratch directory the commands run in: `examples/` links to the
/// repository's, and the completion directories of the set-up block exist.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rlct-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for d in [".local/share/bash-completion/completions", ".zfunc", ".config/fish/completions"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    std::os::unix::fs::symlink(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"), dir.join("examples"))
        .unwrap();
    dir
}

fn has_monte_carlo_number(line: &str) -> bool {
    line.contains('≈') || line.contains('±') || line.contains("z =")
}

/// Wall-clock figures (`in 0.00 s`) differ from run to run.
fn without_timings(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find(" s") {
        let (head, tail) = rest.split_at(i);
        let num = head.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        if num.len() < head.len() && num.ends_with(' ') {
            out.push_str(num);
            out.push('#');
        } else {
            out.push_str(head);
        }
        out.push_str(" s");
        rest = &tail[2..];
    }
    out.push_str(rest);
    out
}

/// Every line of `shown` without a Monte Carlo number is a line of `got`.
fn assert_shows(shown: &[String], got: &str, what: &str) {
    let got: Vec<String> = got.lines().map(|l| without_timings(l.trim())).collect();
    for l in shown.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if has_monte_carlo_number(l) {
            continue;
        }
        assert!(
            got.contains(&without_timings(l)),
            "{what}: README shows the line\n  {l}\nnot printed; output:\n{}",
            got.join("\n")
        );
    }
}

fn assert_ok(out: &std::process::Output, cmd: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        out.status.code(),
        Some(0),
        "README command `{cmd}` failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Checks the fields a `# JSON: {...}` comment names against the output.
fn check_json_comment(comment: &str, stdout: &str, cmd: &str) {
    let Some(start) = comment.find('{') else { return };
    let shown = comment[start..].replace(", ...", "").replace(",...", "");
    let shown: serde_json::Value =
        serde_json::from_str(&shown).unwrap_or_else(|e| panic!("README comment of `{cmd}` is not JSON: {e}"));
    let got: serde_json::Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("`{cmd}` did not print JSON: {e}\n{stdout}"));
    for (k, v) in shown.as_object().unwrap() {
        assert_eq!(&got[k], v, "`{cmd}`: field {k} differs from the README");
    }
}

/// Lines of ```sh blocks that are not run here, with the reason (each is
/// run by `.ci/run` on a fresh clone instead).
const NOT_HERE: &[(&str, &str)] = &[
    ("cargo test", "this very test suite"),
    ("cargo install", "a second release build: .ci/run installs into a scratch root"),
    ("pip install", "the Python package: .ci/run builds it in a fresh virtual environment"),
];

/// The inline code spans of a prose line.
fn code_spans(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

#[test]
fn readme_commands_run_as_shown() {
    let text = readme();
    let all = blocks(&text);
    let dir = scratch();
    let mut ran = 0;
    for (bi, b) in all.iter().enumerate() {
        if b.info != "sh" {
            continue;
        }
        let shown_output = all.get(bi + 1).filter(|n| n.info.is_empty() && !n.heading_before);
        let mut first = true;
        // The last `rlct …` line of the block and its output: the lines
        // after it that are not commands show what it prints.
        let mut last_shell: Option<(String, String)> = None;
        let mut shown_after: Vec<String> = Vec::new();
        for line in &b.lines {
            if line.starts_with("rlct ") {
                if let Some((cmd, out)) = last_shell.take() {
                    assert_shows(&shown_after, &out, &cmd);
                }
                shown_after.clear();
                let out = assert_ok(&run_shell(line, &dir), line);
                ran += 1;
                last_shell = Some((line.clone(), out));
                continue;
            }
            if let Some((_, why)) = NOT_HERE.iter().find(|(p, _)| line.starts_with(p)) {
                eprintln!("not run here ({why}): {line}");
                continue;
            }
            let Some(rest) = line.strip_prefix("cargo run --release -- ") else {
                if last_shell.is_some() && !line.trim().is_empty() {
                    shown_after.push(line.clone());
                }
                continue;
            };
            let (args, comment) = shell_words(rest);
            let cmd = args.join(" ");
            let is_first = std::mem::replace(&mut first, false);
            if let Some((_, why)) = SKIPPED.iter().find(|(p, _)| cmd.starts_with(p)) {
                eprintln!("skipped (long: {why}): {cmd}");
                continue;
            }
            let stdout = assert_ok(&run(&args, &dir), &cmd);
            ran += 1;
            if let Some(c) = &comment {
                if c.starts_with("λ =") {
                    let shown = c.split_once(':').map_or(c.as_str(), |(a, _)| a).trim();
                    assert!(stdout.contains(shown), "`{cmd}`: README says `{shown}`, output:\n{stdout}");
                } else if c.starts_with("JSON:") {
                    check_json_comment(c, &stdout, &cmd);
                }
            }
            if let (true, Some(shown)) = (is_first, shown_output) {
                assert_shows(&shown.lines, &stdout, &format!("`{cmd}`"));
                // A program the command writes (`--emit FILE`) is the one shown.
                if let Some(i) = args.iter().position(|a| a == "--emit") {
                    let written = std::fs::read_to_string(dir.join(&args[i + 1])).unwrap();
                    assert_shows(&shown.lines, &written, &format!("the file `{cmd}` writes"));
                }
            }
        }
        if let Some((cmd, out)) = last_shell.take() {
            assert_shows(&shown_after, &out, &cmd);
        }
    }
    assert!(ran >= 12, "only {ran} README commands found");

    // Commands in the prose, run after the blocks (the worked example's
    // file exists by then): "`rlct exact rrr1.rlct` prints `λ = 2, …`",
    // "`echo … | rlct exact -`", and a block right after a paragraph that
    // ends with `rlct …` and a colon shows that command's output.
    // A runnable span names a subcommand and an argument (`rlct llc` alone
    // names the command, it is not an example); code blocks are not prose.
    let lines: Vec<&str> = text.lines().collect();
    let mut prose = 0;
    let mut in_fence = false;
    for (i, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence {
            continue;
        }
        let spans = code_spans(line);
        for (k, span) in spans.iter().enumerate() {
            let runnable = span.starts_with("rlct ")
                && span.split_whitespace().count() >= 3
                && !span.contains(['[', '…', '|'])
                || span.starts_with("echo ") && span.contains("| rlct ");
            if !runnable {
                continue;
            }
            let next_text = line.split('`').nth(2 * k + 2).unwrap_or("");
            let prints = next_text.trim() == "prints" && spans.len() > k + 1;
            let ends_colon =
                line.trim_end().ends_with(':') && lines.get(i + 1).is_some_and(|l| l.trim().is_empty());
            let block_after = ends_colon && lines.get(i + 2).is_some_and(|l| l.trim() == "```");
            if !(prints || block_after || span.starts_with("echo ")) {
                continue;
            }
            let out = assert_ok(&run_shell(span, &dir), span);
            prose += 1;
            if prints {
                assert!(
                    out.contains(spans[k + 1]),
                    "`{span}`: README says it prints `{}`:\n{out}",
                    spans[k + 1]
                );
            }
            if block_after {
                let shown: Vec<String> =
                    lines[i + 3..].iter().take_while(|l| l.trim() != "```").map(|l| l.to_string()).collect();
                assert_shows(&shown, &out, span);
            }
        }
    }
    assert!(prose >= 3, "only {prose} commands found in the README's prose");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn readme_language_examples_are_accepted() {
    let text = readme();
    let programs: Vec<String> = blocks(&text)
        .into_iter()
        .filter(|b| b.info.is_empty() && b.section == "The language")
        .map(|b| b.lines.join("\n"))
        .collect();
    assert!(programs.len() >= 3, "{} programs in The language", programs.len());
    for p in programs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rlct"))
            .args(["exact", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), p.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "README program rejected:\n{p}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("λ"), "{p}");
    }
}

#[test]
fn shell_words_split_like_a_shell() {
    let (w, c) = shell_words(r#"sweep -e 'x^(2*$a)' --expect "min(1, 2)" a\ b  # note"#);
    assert_eq!(w, ["sweep", "-e", "x^(2*$a)", "--expect", "min(1, 2)", "a b"]);
    assert_eq!(c.as_deref(), Some("note"));
}
