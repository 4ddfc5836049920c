//! # rlct — real log canonical thresholds of polynomial losses
//!
//! `rlct` computes the real log canonical threshold λ and multiplicity m of
//! a polynomial loss `K` (the learning coefficient of Singular Learning
//! Theory) exactly where a theorem allows, proves bounds where it does not,
//! and cross-checks every answer with Monte Carlo estimators.
//!
//! The data flow (see `ARCHITECTURE.md`):
//!
//! ```text
//! text --dsl--> Problem --exact-->    ExactResult
//!                       --estimate--> Estimates
//!                       --report-->   verdict, text / JSON / SVG
//! ```
//!
//! Layers (ARCHITECTURE.md): `poly`, `lp`, `univariate`, `newton`,
//! `resolve`, `exact`, `comparison` (the exact layer), `dsl`, `problem`,
//! `models` build without the estimators; `estimate` and the drivers that
//! use it need the `estimate` feature, `cli` the `cli` feature (default).
//! `cargo build --no-default-features` builds the exact layer alone, so an
//! import of the estimators from below does not compile.

pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod comparison;
pub mod drivers;
pub mod dsl;
pub mod error;
#[cfg(feature = "estimate")]
pub mod estimate;
pub mod exact;
pub mod limits;
pub mod lp;
pub mod models;
pub mod newton;
pub mod poly;
pub mod problem;
pub mod report;
pub mod resolve;
pub mod univariate;

pub use error::{Diagnostic, Error, Result};
pub use poly::{Poly, Rat};
pub use problem::{Loss, Problem, Side};
pub use report::{ExactResult, Status};
