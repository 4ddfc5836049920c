//! The `rlct` language: a pest grammar (`grammar/rlct.pest`), lowering to a
//! [`Problem`], and diagnostics with spans.
//!
//! ```
//! let p = rlct::dsl::parse_program("param x, y; K = x^2*y^4; prior x;", "example").unwrap();
//! assert_eq!(p.variables, ["x", "y"]);
//! assert_eq!(p.prior, [1, 0]);
//! ```
//!
//! # The language (DESIGN.md "The language")
//!
//! - `param x, y;` scalars, `param v[3];` vectors (entries `v[1]`…),
//!   `param A[2,3];` matrices (entries `A[1,2]`, 1-based; the variable
//!   names are exactly these strings). With `param` statements, every name
//!   must be declared; without, the variables are the names in the loss in
//!   order of first appearance.
//! - `K = <expr>;` or `ideal <f1, f2, ...>;` (K = Σ fᵢ²; a matrix generator
//!   stands for all its entries) — exactly one, once.
//! - `prior x^2*y;` φ ∝ |w^h| in the coordinates translated to the point;
//!   a positive constant factor is allowed; `prior 1;` is flat.
//! - `at x = 1/2, A[1,2] = 1, B = [[1,0],[0,0]];` the point (default 0).
//! - `domain [lo, hi];`, `domain x in [lo, hi], A in [lo, hi];` or both mixed: the
//!   parameter box, **relative to the point** (lo ≤ 0 ≤ hi, lo < hi;
//!   default [-1, 1]); stored in absolute coordinates in [`Problem::domain`].
//!   A bound 0 puts the point on the boundary: the parameter is one-sided
//!   there, and the exact engine answers for the one-sided neighbourhood
//!   (docs/theory.md §2.6). `domain x >= c, A <= c;` are **absolute**
//!   half-lines (the parameter space: weights ≥ 0, NMF factors ≥ 0), which
//!   may hold the point on their boundary; the estimators sample them cut
//!   to the default box. `>`/`<` are rejected (a domain is closed).
//! - Expressions: `+ - * /` (division by a non-zero constant only), unary
//!   `-`, `^` with a constant non-negative integer exponent (≤ 10000),
//!   exact literals (`0.1` is 1/10, `1e-3` is 1/1000), matrix products,
//!   scalar·matrix, transpose as `A'` or `transpose(A)`, matrix literals
//!   `[[1,0],[0,1]]` (rows) and `[1,2,3]` (a column vector), and `||M||^2`
//!   (the squared Frobenius norm). A 1×1 matrix counts as a scalar.
//! - Model form (issue #4): `input x[3] ~ N(0, 4);` (variance; default
//!   N(0, I)), `output y = B*A*x;` (several allowed; a vector output is one
//!   output per entry), `noise 1;` (σ > 0), `truth A = [[...]];` (without
//!   a `truth` statement the truth is 0; a `truth` must give every
//!   parameter, issue #14). The loss is the exact population loss (`problem::population_loss`)
//!   and the point is the truth.
//! - Comments `#` or `//` to end of line. Statements end with `;` (the last
//!   may omit it). A bare expression `x^2*y^2` is a whole program.
//! - `$a` family parameters are substituted by `rlct sweep` before
//!   parsing; one left in the text is an error.

mod checks;
mod lower;
mod syntax;
mod value;

use crate::{Problem, Result};

/// Parses and lowers a whole program. `file` names the source in messages.
///
/// Errors are [`crate::Error::Input`] with a byte span into `source`; no
/// input makes this panic or recurse without bound.
pub fn parse_program(source: &str, file: &str) -> Result<Problem> {
    let parsed = syntax::parse(source, file)?;
    lower::lower(source, file, parsed)
}
