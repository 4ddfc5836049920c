//! Monte Carlo estimators: nested sampling (volume scaling), thermodynamic curve, SGLD.
pub mod llc;
