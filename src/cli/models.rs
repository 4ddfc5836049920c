//! `rlct model`, `rlct llc`, `rlct validate`, `rlct sweep`: thin glue over
//! `models`, `estimate::llc` and `sweep`.

use super::io_err;
use crate::models::{Family, families};
use crate::{Error, Result};
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `rlct model`.
#[derive(Args, Debug)]
pub struct ModelArgs {
    #[command(subcommand)]
    pub family: FamilyCommand,
    /// Write the program to this file.
    #[arg(long, global = true, value_name = "FILE")]
    pub emit: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long, global = true)]
    pub json: bool,
}

/// The families.
#[derive(Subcommand, Debug)]
pub enum FamilyCommand {
    /// List the families.
    List,
    /// Reduced-rank regression y = BAx (Aoyagi & Watanabe 2005).
    Rrr {
        /// M, the number of inputs.
        #[arg(long)]
        inputs: usize,
        /// N, the number of outputs.
        #[arg(long)]
        outputs: usize,
        /// H, the number of hidden units.
        #[arg(long)]
        hidden: usize,
        /// r, the rank of the true map.
        #[arg(long, default_value_t = 0)]
        rank: usize,
    },
    /// Deep linear network y = W_L…W_1 x (Aoyagi 2024).
    Dln {
        /// Widths H1 (input), ..., H_{L+1} (output), e.g. 3,2,4.
        #[arg(long, value_delimiter = ',', required = true)]
        widths: Vec<usize>,
        /// Rank of the true product.
        #[arg(long, default_value_t = 0)]
        rank: usize,
    },
    /// Normal-crossing regression y = (Π w_j^k_j)·x.
    Nc {
        /// Exponents k, e.g. 1,2.
        #[arg(long, value_delimiter = ',', required = true)]
        k: Vec<u32>,
        /// Prior exponents h (default 0).
        #[arg(long, value_delimiter = ',')]
        prior: Vec<u32>,
    },
    /// Hyperplane arrangement K = (Π l_j^s_j)² (λ only).
    Arrangement {
        /// Linear forms as coefficient rows, e.g. '1,0;0,1;1,1'.
        #[arg(long)]
        forms: String,
        /// Multiplicities s_j (default all 1).
        #[arg(long, value_delimiter = ',')]
        mult: Vec<u32>,
    },
}

fn family_of(cmd: &FamilyCommand) -> Result<Option<Family>> {
    Ok(Some(match cmd {
        FamilyCommand::List => return Ok(None),
        FamilyCommand::Rrr { inputs, outputs, hidden, rank } => {
            Family::Rrr { inputs: *inputs, outputs: *outputs, hidden: *hidden, rank: *rank }
        }
        FamilyCommand::Dln { widths, rank } => Family::Dln { widths: widths.clone(), rank: *rank },
        FamilyCommand::Nc { k, prior } => {
            let h = if prior.is_empty() { vec![0; k.len()] } else { prior.clone() };
            Family::NormalCrossing { k: k.clone(), h }
        }
        FamilyCommand::Arrangement { forms, mult } => {
            let forms = families::parse_forms(forms)?;
            let mult = if mult.is_empty() { vec![1; forms.len()] } else { mult.clone() };
            Family::Arrangement { forms, mult }
        }
    }))
}

/// Runs `rlct model`.
pub fn run_model(args: &ModelArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let Some(fam) = family_of(&args.family)? else {
        for (name, usage, cite) in families::CATALOGUE {
            if args.json {
                let v = serde_json::json!({ "family": name, "usage": usage, "source": cite });
                writeln!(out, "{v}").map_err(io_err)?;
            } else {
                writeln!(out, "{name:<12} {cite}\n             {usage}").map_err(io_err)?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    let cf = fam.closed_form()?;
    let program = fam.program()?;
    if let Some(path) = &args.emit {
        std::fs::write(path, &program)
            .map_err(|e| Error::Usage(format!("cannot write {}: {e}", path.display())))?;
    }
    if args.json {
        let p = fam.problem()?;
        let v = serde_json::json!({
            "family": fam.name(),
            "lambda": cf.lambda.to_string(),
            "multiplicity": cf.multiplicity,
            "source": cf.citation,
            "variables": p.variables,
            "program": program,
        });
        writeln!(out, "{v}").map_err(io_err)?;
    } else {
        write!(out, "{program}").map_err(io_err)?;
        let m = cf.multiplicity.map_or("(not given by the source)".into(), |m| m.to_string());
        writeln!(out, "\nλ = {}, m = {}  [{}]", cf.lambda, m, cf.citation).map_err(io_err)?;
    }
    Ok(ExitCode::SUCCESS)
}
