//! Textbook model families and their closed forms.
//!
//! Layer: above `dsl` and `exact` (closed forms call the chain theorem and
//! exact ranks), below `estimate` and `drivers`; nothing here imports the
//! estimators, so the crate builds without them (`--no-default-features`).
//! The population loss of a stated regression model lives next to
//! `Problem` (`crate::problem::gaussian`); it is re-exported here for old
//! paths.

pub use crate::problem::gaussian::{self, population_loss};
pub mod closed_form;
pub mod families;

pub use closed_form::ClosedForm;
pub use families::Family;
