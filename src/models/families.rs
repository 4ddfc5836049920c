//! Model families as [`Problem`] generators, each with its program text in
//! the language (for `rlct model --emit`) and its closed form.
//!
//! Linear networks (reduced-rank regression is the two-layer case) sit at a
//! *most singular* true point: every layer is `[I_r 0; 0 0]`, so the true
//! product has rank `r` and unused hidden units have zero weights in and
//! out (docs/theory.md §7: the closed forms are the pairs of such points).

use super::closed_form::{self, ClosedForm};
use crate::poly::{Poly, Rat, rat};
use crate::problem::{Loss, ModelSpec};
use crate::{Error, Problem, Result};
use num_traits::{One, Zero};

/// A textbook family member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Family {
    /// Reduced-rank regression `y = BAx`, `A ∈ ℝ^{H×M}`, `B ∈ ℝ^{N×H}`,
    /// true rank `r`.
    Rrr {
        /// M.
        inputs: usize,
        /// N.
        outputs: usize,
        /// H.
        hidden: usize,
        /// r.
        rank: usize,
    },
    /// Deep linear network `y = W_L⋯W_1 x` with widths `H₁ … H_{L+1}`.
    Dln {
        /// Input width first, output width last.
        widths: Vec<usize>,
        /// Rank of the true product.
        rank: usize,
    },
    /// Normal-crossing regression `y = (Π w_j^{k_j})·x`, `K = ½ w^{2k}`,
    /// with prior `|w^h|`.
    NormalCrossing {
        /// Exponents `k_j`.
        k: Vec<u32>,
        /// Prior exponents `h_j`.
        h: Vec<u32>,
    },
    /// Central hyperplane arrangement `K = (Π l_j^{s_j})²`.
    Arrangement {
        /// Coefficient vectors of the linear forms `l_j`.
        forms: Vec<Vec<Rat>>,
        /// Multiplicities `s_j`.
        mult: Vec<u32>,
    },
}

/// One line of `rlct model list`: name, usage, citation.
pub const CATALOGUE: &[(&str, &str, &str)] = &[
    (
        "rrr",
        "rlct model rrr --inputs M --outputs N --hidden H --rank r",
        "reduced-rank regression, Aoyagi & Watanabe 2005",
    ),
    ("dln", "rlct model dln --widths H1,H2,...,HL+1 --rank r", "deep linear network, Aoyagi 2024"),
    ("nc", "rlct model nc --k 1,2 [--prior 0,1]", "normal-crossing regression y = w^k x, Watanabe 2009"),
    (
        "arrangement",
        "rlct model arrangement --forms '1,0;0,1;1,1' [--mult 1,1,1]",
        "hyperplane arrangement (Π l_j^s_j)², lct via flats (Mustaţă 2006); λ only",
    ),
];

/// Variable names `x, y, z` for up to three variables, else `w1 … wd`.
fn scalar_names(d: usize) -> Vec<String> {
    if d <= 3 {
        ["x", "y", "z"][..d].iter().map(|s| s.to_string()).collect()
    } else {
        (1..=d).map(|i| format!("w{i}")).collect()
    }
}

/// `w1 … wd`: the normal-crossing regression keeps `x`, `y` for data.
fn weight_names(d: usize) -> Vec<String> {
    (1..=d).map(|i| format!("w{i}")).collect()
}

/// `[I_r 0; 0 0]` of size rows × cols.
fn truncated_identity(rows: usize, cols: usize, r: usize) -> Vec<Vec<Rat>> {
    (0..rows)
        .map(|i| (0..cols).map(|j| if i == j && i < r { Rat::one() } else { Rat::zero() }).collect())
        .collect()
}

fn matrix_literal(m: &[Vec<Rat>]) -> String {
    let rows: Vec<String> = m
        .iter()
        .map(|r| format!("[{}]", r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(",")))
        .collect();
    format!("[{}]", rows.join(","))
}

/// Product of polynomial matrices.
fn matmul(a: &[Vec<Poly>], b: &[Vec<Poly>], n: usize) -> Vec<Vec<Poly>> {
    let inner = b.len();
    let cols = b.first().map_or(0, |r| r.len());
    a.iter()
        .map(|row| {
            (0..cols).map(|j| (0..inner).fold(Poly::zero(n), |acc, k| &acc + &(&row[k] * &b[k][j]))).collect()
        })
        .collect()
}

/// A chain of parameter matrices `W_L ⋯ W_1` (names given first to last
/// layer) as a regression at the most singular rank-`r` point.
struct LinearNetwork {
    names: Vec<String>,
    widths: Vec<usize>,
    rank: usize,
}

impl LinearNetwork {
    /// (rows, cols) of layer s: `H_{s+1} × H_s`.
    fn shape(&self, s: usize) -> (usize, usize) {
        (self.widths[s + 1], self.widths[s])
    }

    fn problem(&self) -> Problem {
        let layers = self.names.len();
        let mut variables = Vec::new();
        let mut truth = Vec::new();
        for s in 0..layers {
            let (rows, cols) = self.shape(s);
            let t = truncated_identity(rows, cols, self.rank);
            for (i, row) in t.iter().enumerate() {
                for (j, c) in row.iter().enumerate() {
                    variables.push(format!("{}[{},{}]", self.names[s], i + 1, j + 1));
                    truth.push(c.clone());
                }
            }
        }
        let d = variables.len();
        let mut offset = 0;
        let mut product: Option<Vec<Vec<Poly>>> = None;
        for s in 0..layers {
            let (rows, cols) = self.shape(s);
            let w: Vec<Vec<Poly>> =
                (0..rows).map(|i| (0..cols).map(|j| Poly::var(d, offset + i * cols + j)).collect()).collect();
            offset += rows * cols;
            product = Some(match product {
                None => w,
                Some(p) => matmul(&w, &p, d),
            });
        }
        let product = product.expect("at least one layer");
        let (out, inp) = (self.widths[layers], self.widths[0]);
        let target = truncated_identity(out, inp, self.rank);
        let generators: Vec<Poly> = (0..out)
            .flat_map(|i| (0..inp).map(move |j| (i, j)))
            .map(|(i, j)| &product[i][j] - &Poly::constant(d, target[i][j].clone()))
            .collect();
        // Outputs f_i(x, w) = Σ_j P_ij(w) x_j, in parameters then inputs.
        let n = d + inp;
        let embed: Vec<usize> = (0..d).collect();
        let outputs = (0..out)
            .map(|i| {
                (0..inp).fold(Poly::zero(n), |acc, j| {
                    &acc + &(&product[i][j].embed(n, &embed) * &Poly::var(n, d + j))
                })
            })
            .collect();
        let spec = ModelSpec {
            inputs: (1..=inp).map(|j| format!("x[{j}]")).collect(),
            input_variance: vec![rat(1); inp],
            outputs,
            noise: rat(1),
            truth: truth.clone(),
        };
        let domain = truth.iter().map(|c| (c - rat(1), c + rat(1))).collect();
        Problem {
            variables,
            loss: Loss::Ideal(generators),
            prior: vec![0; d],
            real_prior: None,
            point: truth,
            domain,
            model: Some(spec),
        }
    }

    fn program(&self) -> String {
        let layers = self.names.len();
        let decls: Vec<String> = (0..layers)
            .map(|s| {
                let (r, c) = self.shape(s);
                format!("{}[{r},{c}]", self.names[s])
            })
            .collect();
        let chain: Vec<&str> = self.names.iter().rev().map(|s| s.as_str()).collect();
        let truths: Vec<String> = (0..layers)
            .map(|s| {
                let (r, c) = self.shape(s);
                format!("{} = {}", self.names[s], matrix_literal(&truncated_identity(r, c, self.rank)))
            })
            .collect();
        format!(
            "param {};\ninput x[{}];\noutput y = {}*x;\nnoise 1;\ntruth {};\n",
            decls.join(", "),
            self.widths[0],
            chain.join("*"),
            truths.join(", ")
        )
    }
}

impl Family {
    fn network(&self) -> Option<LinearNetwork> {
        match self {
            Family::Rrr { inputs, outputs, hidden, rank } => Some(LinearNetwork {
                names: vec!["A".into(), "B".into()],
                widths: vec![*inputs, *hidden, *outputs],
                rank: *rank,
            }),
            Family::Dln { widths, rank } => Some(LinearNetwork {
                names: (1..widths.len()).map(|s| format!("W{s}")).collect(),
                widths: widths.clone(),
                rank: *rank,
            }),
            _ => None,
        }
    }

    /// A short name such as `rrr(3,3,2,1)` (M, N, H, r) or `dln(2-2-2,0)`.
    pub fn name(&self) -> String {
        let list = |v: &[u32]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",");
        match self {
            Family::Rrr { inputs, outputs, hidden, rank } => {
                format!("rrr({inputs},{outputs},{hidden},{rank})")
            }
            Family::Dln { widths, rank } => {
                format!("dln({},{rank})", widths.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("-"))
            }
            Family::NormalCrossing { k, h } if h.iter().all(|&x| x == 0) => format!("nc({})", list(k)),
            Family::NormalCrossing { k, h } => format!("nc({};h={})", list(k), list(h)),
            Family::Arrangement { forms, mult } => {
                format!("arrangement({} forms, s={})", forms.len(), list(mult))
            }
        }
    }

    /// Parses a short name as printed by [`Family::name`]:
    /// `rrr(M,N,H,r)`, `dln(H1-H2-…,r)` (or `dln(H1,H2,…,r)`),
    /// `nc(k1,k2,…)`, `nc(k1,…;h=h1,…)`.
    pub fn parse(text: &str) -> Result<Family> {
        let bad = || {
            Error::Usage(format!(
                "cannot read `{text}` as a family: expected rrr(M,N,H,r), dln(H1-H2-...,r) (or dln(H1,H2,...,r)) or nc(k1,k2,...)"
            ))
        };
        let t = text.trim();
        let (head, rest) = t.split_once('(').ok_or_else(bad)?;
        let inner = rest.strip_suffix(')').ok_or_else(bad)?;
        let nums = |s: &str, sep: char| -> Result<Vec<usize>> {
            s.split(sep).map(|x| x.trim().parse::<usize>().map_err(|_| bad())).collect()
        };
        let fam = match head.trim() {
            "rrr" => match nums(inner, ',')?[..] {
                [inputs, outputs, hidden, rank] => Family::Rrr { inputs, outputs, hidden, rank },
                _ => return Err(bad()),
            },
            // `dln(2-2-2-2,0)` as printed, or `dln(2,2,2,2,0)` as the widths
            // are given to `rlct model dln --widths 2,2,2,2` (the rank last).
            "dln" => {
                let (w, r) = inner.rsplit_once(',').ok_or_else(bad)?;
                let sep = if w.contains('-') { '-' } else { ',' };
                Family::Dln { widths: nums(w, sep)?, rank: r.trim().parse().map_err(|_| bad())? }
            }
            "nc" => {
                let (k, h) = match inner.split_once(";h=") {
                    Some((k, h)) => (k, Some(h)),
                    None => (inner, None),
                };
                let u32s = |s: &str| -> Result<Vec<u32>> {
                    nums(s, ',')?.into_iter().map(|x| u32::try_from(x).map_err(|_| bad())).collect()
                };
                let k = u32s(k)?;
                let h = match h {
                    Some(h) => u32s(h)?,
                    None => vec![0; k.len()],
                };
                if h.len() != k.len() {
                    return Err(bad());
                }
                Family::NormalCrossing { k, h }
            }
            _ => return Err(bad()),
        };
        fam.closed_form()?;
        Ok(fam)
    }

    /// The closed-form pair and its citation (validates the parameters).
    pub fn closed_form(&self) -> Result<ClosedForm> {
        match self {
            Family::Rrr { inputs, outputs, hidden, rank } => {
                closed_form::rrr(*inputs, *outputs, *hidden, *rank)
            }
            Family::Dln { widths, rank } => closed_form::dln(widths, *rank),
            Family::NormalCrossing { k, h } => closed_form::normal_crossing(k, h),
            Family::Arrangement { forms, mult } => closed_form::arrangement(forms, mult),
        }
    }

    /// The family member as a [`Problem`] (linear networks: the ideal of
    /// the entries of the product minus the true product, with the
    /// regression [`ModelSpec`], x ~ N(0, I), σ = 1).
    pub fn problem(&self) -> Result<Problem> {
        self.closed_form()?;
        if let Some(net) = self.network() {
            return Ok(net.problem());
        }
        match self {
            Family::NormalCrossing { k, h } => {
                let d = k.len();
                let n = d + 1;
                let mono = Poly::monomial(d, k.clone(), Rat::one());
                let output = &mono.embed(n, &(0..d).collect::<Vec<_>>()) * &Poly::var(n, d);
                let mut p = Problem::new(weight_names(d), Loss::Ideal(vec![mono]));
                p.prior = h.clone();
                p.model = Some(ModelSpec {
                    inputs: vec!["x[1]".into()],
                    input_variance: vec![rat(1)],
                    outputs: vec![output],
                    noise: rat(1),
                    truth: vec![Rat::zero(); d],
                });
                Ok(p)
            }
            Family::Arrangement { forms, mult } => {
                let d = forms[0].len();
                let f = arrangement_product(forms, mult);
                Ok(Problem::new(scalar_names(d), Loss::Ideal(vec![f])))
            }
            _ => unreachable!("linear networks handled above"),
        }
    }

    /// The member's program in the language, headed by a comment with the
    /// closed form and its source.
    pub fn program(&self) -> Result<String> {
        let cf = self.closed_form()?;
        let m = cf.multiplicity.map_or("not given by the source".to_string(), |m| m.to_string());
        let head = format!("# {}: λ = {}, m = {} ({})\n", self.name(), cf.lambda, m, cf.citation);
        let body = if let Some(net) = self.network() {
            net.program()
        } else {
            match self {
                Family::NormalCrossing { k, h } => {
                    let names = weight_names(k.len());
                    let mono = Poly::monomial(k.len(), k.clone(), Rat::one());
                    let mut s = format!(
                        "param {};\ninput x[1];\noutput y = {}*x[1];\nnoise 1;\n",
                        names.join(", "),
                        mono.display(&names)
                    );
                    if h.iter().any(|&x| x > 0) {
                        s += &format!(
                            "prior {};\n",
                            Poly::monomial(h.len(), h.clone(), Rat::one()).display(&names)
                        );
                    }
                    s
                }
                Family::Arrangement { forms, mult } => {
                    let names = scalar_names(forms[0].len());
                    let factors: Vec<String> = forms
                        .iter()
                        .zip(mult)
                        .map(|(l, &s)| {
                            let lin = linear_form(l);
                            if s == 1 {
                                format!("({})", lin.display(&names))
                            } else {
                                format!("({})^{s}", lin.display(&names))
                            }
                        })
                        .collect();
                    format!("param {};\nideal <{}>;\n", names.join(", "), factors.join("*"))
                }
                _ => unreachable!("linear networks handled above"),
            }
        };
        Ok(head + &body)
    }
}

fn linear_form(l: &[Rat]) -> Poly {
    let d = l.len();
    (0..d).fold(Poly::zero(d), |acc, j| &acc + &Poly::var(d, j).scale(&l[j]))
}

/// `Π l_j^{s_j}` as a polynomial.
pub fn arrangement_product(forms: &[Vec<Rat>], mult: &[u32]) -> Poly {
    let d = forms[0].len();
    forms.iter().zip(mult).fold(Poly::one(d), |acc, (l, &s)| &acc * &linear_form(l).pow(s))
}

/// Parses `"1,0;0,1;1,1"` (rows separated by `;`, exact rationals such as
/// `1/2`) into linear forms.
pub fn parse_forms(text: &str) -> Result<Vec<Vec<Rat>>> {
    text.split(';')
        .map(|row| {
            row.split(',')
                .map(|c| {
                    c.trim().parse::<Rat>().map_err(|_| {
                        Error::Usage(format!("cannot read `{}` as a rational coefficient", c.trim()))
                    })
                })
                .collect()
        })
        .collect()
}

/// The built-in validation suite: families with exact λ and a regression
/// model, small enough for SGLD.
pub fn validation_suite() -> Vec<Family> {
    let rrr = |inputs, outputs, hidden, rank| Family::Rrr { inputs, outputs, hidden, rank };
    vec![
        rrr(2, 2, 2, 0),
        rrr(3, 3, 2, 0),
        rrr(3, 3, 2, 1),
        rrr(4, 4, 3, 1),
        rrr(2, 2, 1, 0),
        Family::Dln { widths: vec![2, 2, 2, 2], rank: 0 },
        Family::Dln { widths: vec![3, 2, 2, 3], rank: 1 },
        Family::NormalCrossing { k: vec![1, 1], h: vec![0, 0] },
        Family::NormalCrossing { k: vec![1, 2], h: vec![0, 0] },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::population_loss;
    use crate::poly::ratio;

    #[test]
    fn rrr_population_loss_is_half_squared_distance() {
        // Isserlis: E‖(BA − B₀A₀)x‖²/2 = ½‖BA − B₀A₀‖²_F for x ~ N(0, I).
        for fam in [
            Family::Rrr { inputs: 3, outputs: 3, hidden: 2, rank: 1 },
            Family::Rrr { inputs: 2, outputs: 3, hidden: 2, rank: 2 },
            Family::Dln { widths: vec![2, 3, 2, 2], rank: 1 },
        ] {
            let p = fam.problem().unwrap();
            let spec = p.model.as_ref().unwrap();
            let k = population_loss(spec, p.dim());
            assert_eq!(k, p.k().scale(&ratio(1, 2)), "{}", fam.name());
            // The truth is a zero of K.
            assert!(k.eval(&p.point).is_zero());
        }
    }

    #[test]
    fn rrr_shapes_and_truth() {
        let p = Family::Rrr { inputs: 3, outputs: 2, hidden: 2, rank: 1 }.problem().unwrap();
        assert_eq!(p.dim(), 2 * 3 + 2 * 2);
        assert_eq!(p.variables[0], "A[1,1]");
        assert_eq!(p.variables[6], "B[1,1]");
        let ones: Vec<usize> =
            p.point.iter().enumerate().filter(|(_, c)| c.is_one()).map(|(i, _)| i).collect();
        assert_eq!(ones, vec![0, 6]);
        let Loss::Ideal(g) = &p.loss else { panic!("ideal expected") };
        assert_eq!(g.len(), 2 * 3);
        // Generator (1,1) = B11 A11 + B12 A21 − 1.
        assert_eq!(g[0].eval(&p.point), rat(0));
    }

    #[test]
    fn normal_crossing_model_loss() {
        let fam = Family::NormalCrossing { k: vec![1, 2], h: vec![1, 0] };
        let p = fam.problem().unwrap();
        let k = population_loss(p.model.as_ref().unwrap(), 2);
        assert_eq!(k, Poly::monomial(2, vec![2, 4], ratio(1, 2)));
        assert_eq!(p.prior, vec![1, 0]);
        let text = fam.program().unwrap();
        assert!(text.contains("output y = w1*w2^2*x[1];"), "{text}");
        assert!(text.contains("prior w1;"), "{text}");
    }

    #[test]
    fn programs_state_their_closed_form() {
        let text = Family::Rrr { inputs: 3, outputs: 3, hidden: 2, rank: 1 }.program().unwrap();
        assert!(text.starts_with("# rrr(3,3,2,1): λ = 7/2, m = 2"), "{text}");
        assert!(text.contains("param A[2,3], B[3,2];"), "{text}");
        assert!(text.contains("output y = B*A*x;"), "{text}");
        assert!(text.contains("truth A = [[1,0,0],[0,0,0]], B = [[1,0],[0,0],[0,0]];"), "{text}");
        let dln = Family::Dln { widths: vec![3, 2, 4], rank: 0 }.program().unwrap();
        assert!(dln.contains("param W1[2,3], W2[4,2];") && dln.contains("y = W2*W1*x"), "{dln}");
        let arr = Family::Arrangement { forms: parse_forms("1,0;0,1;1,1").unwrap(), mult: vec![1, 1, 2] };
        let text = arr.program().unwrap();
        assert!(text.contains("ideal <(x)*(y)*(x + y)^2>;"), "{text}");
        assert!(text.contains("λ = 1/4, m = not given"), "{text}");
        let p = arr.problem().unwrap();
        let Loss::Ideal(g) = &p.loss else { panic!("ideal expected") };
        assert_eq!(g[0].eval(&[rat(1), rat(2)]), rat(18));
    }

    #[test]
    fn names_round_trip() {
        for f in validation_suite() {
            assert_eq!(Family::parse(&f.name()).unwrap(), f);
        }
        assert!(Family::parse("rrr(1,2)").is_err());
        assert!(Family::parse("foo(1)").is_err());
        assert!(Family::parse("dln(2-2,5)").is_err());
        // One spelling everywhere: the widths as `--widths` takes them, and
        // the prior exponents as `name()` prints them.
        assert_eq!(Family::parse("dln(2,2,2,2,0)").unwrap(), Family::parse("dln(2-2-2-2,0)").unwrap());
        let nc = Family::NormalCrossing { k: vec![1, 2], h: vec![0, 1] };
        assert_eq!(Family::parse(&nc.name()).unwrap(), nc);
        assert!(Family::parse("nc(1,2;h=1)").is_err());
    }

    #[test]
    fn bad_parameters_are_usage_errors() {
        assert!(Family::Rrr { inputs: 2, outputs: 2, hidden: 1, rank: 2 }.problem().is_err());
        assert!(parse_forms("1,x").is_err());
        assert!(
            Family::Arrangement { forms: parse_forms("1,0;1").unwrap(), mult: vec![1, 1] }.problem().is_err()
        );
    }
}
