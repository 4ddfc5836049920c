//! Textbook model families and their closed forms, and the exact
//! population loss of a stated regression model.

pub mod gaussian;

pub use gaussian::population_loss;
