//! Textbook model families and their closed forms, and the exact
//! population loss of a stated regression model.

pub mod gaussian;

pub use gaussian::population_loss;
pub mod closed_form;
pub mod families;

pub use closed_form::ClosedForm;
pub use families::Family;
pub mod sweep;
pub mod validate;
