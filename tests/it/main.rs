//! The integration tests, compiled as ONE test binary (issue #14: 22
//! binaries each linking the library made the cold first run take most of
//! twenty minutes). Each former `tests/NAME.rs` is the module `NAME` here;
//! run one of them with `cargo test --test it NAME::`.
//!
//! Helpers shared between modules are modules too (`crate::draw`,
//! `crate::arrangement`, `crate::volume_check`). A new test file goes in
//! `tests/it/` with a `mod` line below.

// Shared helpers.
mod arrangement;
mod draw;
mod volume_check;

// Test modules (one per former integration-test binary).
mod analyze_cli;
mod calibrate_cli;
mod chain_class;
mod check;
mod cli_errors;
mod cli_exact;
mod comparison;
mod completions;
mod coordinates;
mod corpus;
mod corrections;
mod docs_citations;
mod dsl_fuzz;
mod dsl_parse;
mod estimate_cases;
mod estimate_determinism;
mod estimate_robustness;
mod exact_table;
mod exact_vs_volume;
mod families_vs_volume;
mod global;
mod limits;
mod linear_fibre;
mod model_statements;
mod models_cli;
mod models_closed_form;
mod models_llc;
mod multi_files;
mod newcomer;
mod newton_props;
mod notes_cli;
mod one_sided;
mod paper_families;
mod paper_strata;
mod parse_hints;
mod python_layers;
mod readme;
mod real_prior;
mod resolve_cases;
mod resolve_cli;
mod resolve_heldout;
mod resolve_newton;
mod resolve_smooth;
mod resolve_toric;
mod sweep_cli;
mod time_limits;
mod trace_snapshots;
mod volume_uncertainty;
