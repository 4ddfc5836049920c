//! The crate's error type. Input errors carry a [`Diagnostic`] with a span
//! and render with line, column and a caret; they map to exit code 2.

use std::ops::Range;

/// A located message about the user's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file name (or `<-e>` for a program given on the command line).
    pub file: String,
    /// The whole source text.
    pub source: String,
    /// Byte range of the offending text.
    pub span: Range<usize>,
    /// Short label printed under the caret.
    pub label: String,
}

impl Diagnostic {
    /// 1-based line and column (in characters) of the span's start.
    pub fn line_col(&self) -> (usize, usize) {
        let start = self.span.start.min(self.source.len());
        let before = &self.source[..floor_char_boundary(&self.source, start)];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map(|s| s.chars().count()).unwrap_or(0) + 1;
        (line, col)
    }

    /// Renders `error: msg\n --> file:line:col\n  |\n3 | text\n  |   ^^^ label`.
    pub fn render(&self) -> String {
        let (line, col) = self.line_col();
        let text = self.source.lines().nth(line - 1).unwrap_or("");
        let width = {
            let end = self.span.end.max(self.span.start + 1);
            let in_line = text.chars().count().saturating_sub(col - 1);
            let span_chars = self
                .source
                .get(
                    floor_char_boundary(&self.source, self.span.start)
                        ..floor_char_boundary(&self.source, end.min(self.source.len())),
                )
                .map(|s| s.chars().take_while(|&c| c != '\n').count())
                .unwrap_or(1);
            span_chars.clamp(1, in_line.max(1))
        };
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        format!(
            "error: {msg}\n{pad}--> {file}:{line}:{col}\n{pad} |\n{line} | {text}\n{pad} | {sp}{carets} {label}\n",
            msg = self.message,
            file = self.file,
            sp = " ".repeat(col - 1),
            carets = "^".repeat(width),
            label = self.label,
        )
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.render())
    }
}

/// Everything that can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid input: parse or semantic error with a location. Exit code 2.
    #[error("{0}")]
    Input(Box<Diagnostic>),
    /// Valid input the tool does not handle (with the reason). Exit code 2.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// Invalid command-line usage not caught by clap. Exit code 2.
    #[error("{0}")]
    Usage(String),
    /// The estimator gave up on valid input (too few tail points to fit,
    /// the loss overflowed f64 on the domain, the machine refused worker
    /// threads): not the user's mistake, not a bug. Exit code 4.
    #[error("estimation failed: {0}")]
    Estimator(String),
    /// A time or size limit was reached before any result (or proven
    /// bound) existed; the message names the limit and how to raise it.
    /// Exit code 5.
    #[error("limit reached: {0}")]
    Limit(String),
    /// A bug or an unexpected numerical failure. Exit code 1.
    #[error("internal error: {0}")]
    Internal(String),
    /// The reader of our output went away (e.g. `| head`): not an error,
    /// the program stops quietly with exit code 0.
    #[error("broken pipe")]
    BrokenPipe,
}

impl Error {
    /// The process exit code for this error (DESIGN.md).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) | Error::Unsupported(_) | Error::Usage(_) => 2,
            Error::Estimator(_) => 4,
            Error::Limit(_) => 5,
            Error::Internal(_) => 1,
            Error::BrokenPipe => 0,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(Box::new(d))
    }
}

/// Crate result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_line_and_column() {
        let d = Diagnostic {
            message: "unknown variable `z`".into(),
            file: "t.rlct".into(),
            source: "param x;\nK = x^2 + z;\n".into(),
            span: 19..20,
            label: "not declared".into(),
        };
        assert_eq!(d.line_col(), (2, 11));
        let r = d.render();
        assert!(r.contains("t.rlct:2:11"), "{r}");
        assert!(r.contains("\n  |           ^ not declared"), "{r}");
    }
}
