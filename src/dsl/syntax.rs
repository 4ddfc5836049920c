//! The pest parser for `grammar/rlct.pest`, a nesting-depth pre-scan that
//! keeps the recursive-descent parser and the lowering off deep stacks, and
//! the mapping of pest errors to [`Diagnostic`]s with human rule names.

use crate::error::Diagnostic;
use pest::Parser;
use pest::iterators::Pair;
use pest_derive::Parser;

/// The generated parser.
#[derive(Parser)]
#[grammar = "../grammar/rlct.pest"]
pub(crate) struct RlctParser;

/// Deepest nesting of `( [ ||` accepted. Each level costs a bounded number
/// of stack frames in pest and in the lowering, so this bounds both.
pub(crate) const MAX_NESTING: usize = 200;

/// Which reading of the text succeeded.
pub(crate) enum Parsed<'i> {
    /// A list of statements (the `program` rule's children).
    Statements(Pair<'i, Rule>),
    /// A single expression standing for `K = <expr>;`.
    Bare(Pair<'i, Rule>),
}

/// Builds a diagnostic for `source`.
pub(crate) fn diagnostic(
    source: &str,
    file: &str,
    span: std::ops::Range<usize>,
    message: impl Into<String>,
    label: impl Into<String>,
) -> Diagnostic {
    let len = source.len();
    let start = span.start.min(len);
    let end = span.end.clamp(start, len);
    Diagnostic {
        message: message.into(),
        file: file.to_string(),
        source: source.to_string(),
        span: start..end,
        label: label.into(),
    }
}

/// Parses `source`: statements first; if that fails, as one bare
/// expression. When both fail, reports the error of the reading that got
/// further into the text (statements on a tie), the more plausible one.
pub(crate) fn parse<'i>(source: &'i str, file: &str) -> Result<Parsed<'i>, Diagnostic> {
    check_nesting(source, file)?;
    pest::set_error_detail(true);
    let stmt_err = match RlctParser::parse(Rule::program, source) {
        Ok(mut pairs) => return Ok(Parsed::Statements(pairs.next().expect("program pair"))),
        Err(e) => e,
    };
    let bare_err = match RlctParser::parse(Rule::bare_program, source) {
        Ok(mut pairs) => {
            let program = pairs.next().expect("bare program pair");
            let expr = program.into_inner().find(|p| p.as_rule() == Rule::expr).expect("expression");
            return Ok(Parsed::Bare(expr));
        }
        Err(e) => e,
    };
    // A bare expression has no `;` before its end: past one, the text is
    // meant as statements whatever reading got further.
    let bare_pos = furthest_position(&bare_err);
    let bare_plausible = !source[..bare_pos.min(source.len())].contains(';');
    let err = if bare_plausible && bare_pos > furthest_position(&stmt_err) { bare_err } else { stmt_err };
    Err(pest_error_to_diagnostic(source, file, &err))
}

/// The furthest position any attempt reached, literal tokens included.
fn furthest_position(e: &pest::error::Error<Rule>) -> usize {
    let attempts = e.parse_attempts().map(|a| a.max_position).unwrap_or(0);
    error_position(e).max(attempts)
}

fn error_position(e: &pest::error::Error<Rule>) -> usize {
    match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

/// Rejects input nested deeper than [`MAX_NESTING`] before pest sees it
/// (pest and the lowering recurse once per level; 100000 `(` would
/// overflow the stack). `||` opens a norm when it follows an operator, an
/// opening bracket or the start of a statement, and closes one otherwise.
fn check_nesting(source: &str, file: &str) -> Result<(), Diagnostic> {
    let bytes = source.as_bytes();
    let mut stack: Vec<usize> = Vec::new();
    // Whether the previous significant token ends an operand.
    let mut after_operand = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' => {
                stack.push(i);
                after_operand = false;
            }
            b')' | b']' => {
                stack.pop();
                after_operand = true;
            }
            b'|' if bytes.get(i + 1) == Some(&b'|') => {
                if after_operand {
                    stack.pop();
                    after_operand = true;
                } else {
                    stack.push(i);
                    after_operand = false;
                }
                i += 2;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'\'' || c == b'$' => {
                after_operand = true;
            }
            _ => after_operand = false,
        }
        if stack.len() > MAX_NESTING {
            return Err(diagnostic(
                source,
                file,
                i..i + 1,
                format!("nesting too deep: more than {MAX_NESTING} levels of brackets"),
                "too deep",
            ));
        }
        i += 1;
    }
    Ok(())
}

/// The human name of a rule in "expected …" messages (STYLE.md: every rule
/// gets one).
pub(crate) fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of input",
        Rule::program | Rule::bare_program => "a statement or an expression",
        Rule::param_decl => "a `param` declaration",
        Rule::declarator => "a name to declare",
        Rule::dims => "dimensions like `[2,3]`",
        Rule::input_decl => "an `input` declaration",
        Rule::input_item => "an input name",
        Rule::distribution => "a distribution `~ N(0, variance)`",
        Rule::output_def => "an `output` definition",
        Rule::output_name => "an output name",
        Rule::loss_def => "a loss `K = ...`",
        Rule::ideal_def => "an ideal `ideal <f1, f2>`",
        Rule::prior_def => "a prior",
        Rule::prior_product => "a product of prior factors",
        Rule::dirichlet => "a Dirichlet prior `dirichlet(a1, ..., an)`",
        Rule::prior_abs => "a prior factor `|x|^h`",
        Rule::prior_power => "a prior factor `x^h`",
        Rule::simplex => "a simplex `simplex(w1, ..., wn)`",
        Rule::kw_dirichlet => "`dirichlet`",
        Rule::kw_simplex => "`simplex`",
        Rule::point_def => "a point `at x = ...`",
        Rule::truth_def => "a true parameter `truth A = ...`",
        Rule::assignment => "an assignment `name = value`",
        Rule::target => "a variable name",
        Rule::index => "an index like `[1,2]`",
        Rule::domain_def => "a domain",
        Rule::domain_item => "`name in [lo, hi]`",
        Rule::domain_bound => "a bound `name >= value` or `name <= value`",
        Rule::compare => "a comparison `>=` or `<=`",
        Rule::interval => "an interval `[lo, hi]`",
        Rule::noise_def => "a noise level",
        Rule::model_def => "a model `model categorical [...]` or `model covariance [[...]]`",
        Rule::model_kind => "`categorical` or `covariance`",
        Rule::outcome_decl => "an `outcome` declaration",
        Rule::outcome_item => "an outcome `x in {0, 1}`",
        Rule::value_set => "a set of values `{0, 1}`",
        Rule::expr | Rule::product | Rule::factor | Rule::power | Rule::postfix => "an expression",
        Rule::add_op | Rule::mul_op => "an operator",
        Rule::neg => "`-`",
        Rule::exponent => "an exponent",
        Rule::transpose => "`'`",
        Rule::call => "`transpose(...)`",
        Rule::unknown_call => "a function call",
        Rule::indexed => "an indexed entry like `A[1,2]`",
        Rule::paren => "a parenthesised expression",
        Rule::norm => "a norm `||M||^2`",
        Rule::list => "a matrix literal like `[[1,0],[0,1]]`",
        Rule::number => "a number",
        Rule::integer => "an integer",
        Rule::ident => "a name",
        Rule::family_param => "a family parameter",
        Rule::WHITESPACE | Rule::COMMENT => "whitespace",
        Rule::kw_param => "`param`",
        Rule::kw_input => "`input`",
        Rule::kw_output => "`output`",
        Rule::kw_k => "`K`",
        Rule::kw_ideal => "`ideal`",
        Rule::kw_prior => "`prior`",
        Rule::kw_at => "`at`",
        Rule::kw_domain => "`domain`",
        Rule::kw_noise => "`noise`",
        Rule::kw_truth => "`truth`",
        Rule::kw_in => "`in`",
        Rule::kw_model => "`model`",
        Rule::kw_categorical => "`categorical`",
        Rule::kw_covariance => "`covariance`",
        Rule::kw_outcome => "`outcome`",
        Rule::kw_transpose => "`transpose`",
        _ => "a token",
    }
}

/// Turns a pest error into a located diagnostic with human rule names and
/// the literal tokens that would have fitted.
pub(crate) fn pest_error_to_diagnostic(
    source: &str,
    file: &str,
    err: &pest::error::Error<Rule>,
) -> Diagnostic {
    let rule_pos = error_position(err).min(source.len());
    let pos = furthest_position(err).min(source.len());
    let mut expected: Vec<String> = Vec::new();
    if pos > rule_pos {
        // Only a literal token failed further in (e.g. `^` after `||A||`):
        // name the tokens, the rules at `rule_pos` would mislead.
        if let Some(attempts) = err.parse_attempts() {
            for t in attempts.expected_tokens() {
                let token = t.to_string();
                let noise = token.trim().is_empty() || matches!(token.as_str(), "#" | "//" | "BUILTIN_RULE");
                if !noise && !token.contains("..") {
                    push_unique(&mut expected, format!("`{token}`"));
                }
            }
        }
    } else if let pest::error::ErrorVariant::ParsingError { positives, .. } = &err.variant {
        for r in positives {
            push_unique(&mut expected, rule_name(*r).to_string());
        }
    }
    if let Some(attempts) = err.parse_attempts().filter(|a| a.max_position == pos && pos == rule_pos) {
        for t in attempts.expected_tokens() {
            // Only separators and closers: rule names cover the rest
            // (operators are "an operator"; comments are noise).
            let token = t.to_string();
            if PUNCTUATION.contains(&token.as_str()) {
                push_unique(&mut expected, format!("`{token}`"));
            }
        }
    }
    // "an expression" already covers `(`, `[` and `||`; the keywords
    // together are "a statement".
    if expected.iter().any(|e| e == "an expression") {
        expected.retain(|e| !matches!(e.as_str(), "`(`" | "`[`" | "`||`"));
    }
    if expected.iter().any(|e| e == "a comparison `>=` or `<=`") {
        expected.retain(|e| !matches!(e.as_str(), "`<`" | "`>`"));
    }
    let keywords = expected.iter().filter(|e| KEYWORDS.contains(&e.as_str())).count();
    if keywords >= 2 {
        expected.retain(|e| !KEYWORDS.contains(&e.as_str()));
        expected.push("a statement (`param`, `K =`, `ideal`, `prior`, `at`, `domain`, ...)".into());
    }
    expected.truncate(8);
    let found = found_text(source, pos);
    let message = match expected.len() {
        0 => format!("unexpected {found}"),
        1 => format!("expected {}, found {found}", expected[0]),
        n => format!("expected {} or {}, found {found}", expected[..n - 1].join(", "), expected[n - 1]),
    };
    if let Some(d) = hint(source, file, pos, &expected) {
        return d;
    }
    let end = next_token_end(source, pos);
    diagnostic(source, file, pos..end, message, "here")
}

/// Statement keywords a misspelling is compared with (`K` and `at` are too
/// short to guess from).
const STATEMENT_WORDS: &[&str] =
    &["param", "input", "output", "ideal", "prior", "domain", "noise", "truth", "model", "outcome"];

/// The diagnostics for the obvious mistakes, in place of the generic
/// "expected …" one: `x**2` (powers are `^`), a misspelt statement keyword
/// (`parm x;`: did you mean `param`?), and a missing `;` at the end of a
/// line (reported where the statement ends, not where the next begins).
fn hint(source: &str, file: &str, pos: usize, expected: &[String]) -> Option<Diagnostic> {
    let bytes = source.as_bytes();
    // `**`: the error is at the second `*`.
    if bytes.get(pos) == Some(&b'*') && pos > 0 && bytes[pos - 1] == b'*' {
        return Some(diagnostic(
            source,
            file,
            pos - 1..pos + 1,
            "`**` is not an operator: powers are written with `^`, e.g. `x^2`",
            "use `^`",
        ));
    }
    // The statement the error is in: from after the last `;` before `pos`
    // (comments skipped), its first word.
    let stmt_start = code_before(source, pos).rfind(';').map_or(0, |i| i + 1);
    // (A statement starting with `(` has no first word: the later hints
    // still apply.)
    let (word_start, word) = first_word(source, stmt_start).unwrap_or((usize::MAX, ""));
    if word_start <= pos && !STATEMENT_WORDS.contains(&word) && word.len() >= 3 {
        let after = source[word_start + word.len()..].trim_start();
        let starts_operand = after.chars().next().is_some_and(|c| c.is_alphabetic() || "<[$_".contains(c));
        let best = STATEMENT_WORDS
            .iter()
            .map(|k| (edit_distance(&word.to_ascii_lowercase(), k), *k))
            .filter(|&(d, k)| d <= 2 && d < k.len() / 2 + 1)
            .min();
        if let (true, Some((_, k))) = (starts_operand, best) {
            return Some(diagnostic(
                source,
                file,
                word_start..word_start + word.len(),
                format!("unknown statement `{word}`: did you mean `{k}`?"),
                format!("did you mean `{k}`?"),
            ));
        }
    }
    // A missing `;`: `;` would have fitted, and the offending token starts
    // a later line than the code before it ends.
    if expected.iter().any(|e| e == "`;`") {
        let before = code_before(source, pos);
        let end = before.trim_end().len();
        // After a complete statement a missing `;` is not the mistake: an
        // expression standing as a statement is a loss without `K =` (a
        // bare expression is a program only on its own).
        if before.trim_end().ends_with(';') {
            let found = found_text(source, pos);
            return Some(diagnostic(
                source,
                file,
                pos..next_token_end(source, pos),
                format!(
                    "a statement cannot start with {found}: after other statements the loss is written \
                     `K = …;` (a bare expression is a whole program only on its own)"
                ),
                "write `K = ` before the loss",
            ));
        }
        if end > 0 && source[end..pos].contains('\n') {
            let found = found_text(source, pos);
            return Some(diagnostic(
                source,
                file,
                end..end + 1,
                format!("expected `;` at the end of this statement (the next statement starts with {found})"),
                "add `;` here",
            ));
        }
    }
    None
}

/// `source[..pos]` with comments blanked out byte for byte (the same
/// length, so offsets stay valid).
fn code_before(source: &str, pos: usize) -> String {
    let mut out = String::with_capacity(pos);
    for line in source[..pos].split_inclusive('\n') {
        let cut = [line.find('#'), line.find("//")].into_iter().flatten().min().unwrap_or(line.len());
        out.push_str(&line[..cut]);
        out.extend(line[cut..].bytes().map(|c| if c == b'\n' { '\n' } else { ' ' }));
    }
    out
}

/// The first word (letters, digits, `_`) at or after `from`, skipping
/// whitespace, comments and `;`.
fn first_word(source: &str, from: usize) -> Option<(usize, &str)> {
    let mut i = from;
    let b = source.as_bytes();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b';') {
            i += 1;
        }
        if i < b.len() && (b[i] == b'#' || (b[i] == b'/' && b.get(i + 1) == Some(&b'/'))) {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        break;
    }
    let rest = source.get(i..)?;
    let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    (len > 0).then(|| (i, &rest[..len]))
}

/// Levenshtein distance (ASCII keywords; short words).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Human names of the statement keywords.
const KEYWORDS: &[&str] = &[
    "`param`",
    "`input`",
    "`output`",
    "`K`",
    "`ideal`",
    "`prior`",
    "`at`",
    "`domain`",
    "`noise`",
    "`truth`",
    "`model`",
    "`outcome`",
];

/// Literal tokens worth naming in "expected …" (closers and separators,
/// which have no rule of their own).
const PUNCTUATION: &[&str] = &[";", ",", ")", "]", ">", "||", "=", "^", "(", "[", "<", "~"];

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

fn found_text(source: &str, pos: usize) -> String {
    let rest = &source[pos..];
    match rest.chars().next() {
        None => "end of input".to_string(),
        Some(_) => {
            let end = next_token_end(source, pos) - pos;
            format!("`{}`", &rest[..end])
        }
    }
}

/// End of the token starting at `pos` (a word, or one character).
fn next_token_end(source: &str, pos: usize) -> usize {
    let rest = &source[pos..];
    let mut chars = rest.char_indices();
    match chars.next() {
        None => pos,
        Some((_, '|')) if rest.starts_with("||") => pos + 2,
        Some((_, c)) if c.is_alphanumeric() || c == '_' => {
            pos + rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len())
        }
        Some((_, c)) => pos + c.len_utf8(),
    }
}
