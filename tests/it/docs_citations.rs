//! The theory is in the repository and every citation of it resolves
//! (issue #14: README, ARCHITECTURE.md, the examples and the `--trace`
//! output cited a "MATH.md §…" that was not in the repository).
//!
//! Every `§N` / `§N.M` in the sources, tests, docs, examples, Python package,
//! README and ARCHITECTURE.md must be a section heading of docs/theory.md,
//! except citations of a named book (listed below with the reason), and no
//! file may cite MATH.md. The trace strings live in `src/`, so they are
//! covered; `exact --trace` output is also checked directly.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Section numbers of docs/theory.md: headings `## §3.` / `### §3.2 …`.
fn sections() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("docs/theory.md")).expect("docs/theory.md exists");
    text.lines()
        .filter(|l| l.starts_with('#'))
        .filter_map(|l| l.split_once('§').map(|(_, r)| r))
        .map(|r| section_number(r))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The `N.M.K` right after a `§` (a trailing `.` dropped).
fn section_number(after: &str) -> String {
    let s: String = after.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    s.trim_end_matches('.').to_string()
}

/// Citations of other works: (text just before the `§`, why it is not ours).
const BOOKS: &[&str] = &[
    "*Accuracy and Stability*, ",               // Higham
    "*Convex Bodies and Algebraic Geometry*, ", // Oda
    "*Introduction to Toric Varieties*, ",      // Fulton
    "Remark 6.6 / ",                            // Watanabe 2009
    "Learning Theory, ",                        // Watanabe 2009, a chapter
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with('.') || name == "target" || name == "__pycache__" {
            continue;
        }
        if p.is_dir() {
            files(&p, out);
        } else if ["rs", "md", "rlct", "py", "toml", "pest"].iter().any(|x| name.ends_with(&format!(".{x}")))
        {
            out.push(p);
        }
    }
}

#[test]
fn every_theory_citation_resolves_and_nothing_cites_math_md() {
    let known = sections();
    assert!(known.len() >= 30, "docs/theory.md has only {} numbered sections", known.len());
    let mut list = Vec::new();
    for d in ["src", "tests", "docs", "examples", "python", "benches", "grammar"] {
        files(&root().join(d), &mut list);
    }
    for f in ["README.md", "ARCHITECTURE.md", "Cargo.toml"] {
        list.push(root().join(f));
    }
    let mut bad = Vec::new();
    let mut cites = 0;
    for p in &list {
        let Ok(text) = std::fs::read_to_string(p) else { continue };
        let rel = p.strip_prefix(root()).unwrap().display().to_string();
        if rel == "docs/theory.md" {
            continue;
        }
        // This file names the old file to forbid it.
        if !rel.ends_with("docs_citations.rs") && text.contains(concat!("MATH", ".md")) {
            bad.push(format!("{rel}: cites MATH.md"));
        }
        for (i, _) in text.match_indices('§') {
            let before = &text[..i];
            if BOOKS.iter().any(|b| before.ends_with(b)) {
                continue;
            }
            let n = section_number(&text[i + '§'.len_utf8()..]);
            if n.is_empty() {
                continue;
            }
            cites += 1;
            if !known.contains(&n) {
                let line = before.matches('\n').count() + 1;
                bad.push(format!("{rel}:{line}: §{n} is not a section of docs/theory.md"));
            }
        }
    }
    assert!(cites >= 100, "only {cites} citations found: is the scan broken?");
    assert!(bad.is_empty(), "unresolved citations:\n{}", bad.join("\n"));
}

#[test]
fn trace_citations_resolve() {
    let known = sections();
    for f in ["examples/cusp.rlct", "examples/rrr.rlct"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rlct"))
            .args(["exact", "--trace", f])
            .current_dir(root())
            .output()
            .unwrap();
        assert!(out.status.success(), "{f}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains(concat!("MATH", ".md")), "{f}:\n{text}");
        for (i, _) in text.match_indices('§') {
            let n = section_number(&text[i + '§'.len_utf8()..]);
            assert!(n.is_empty() || known.contains(&n), "{f}: trace cites §{n}:\n{text}");
        }
    }
}
