//! Lowering of the models that become ideals rather than a polynomial
//! population loss: `model categorical` (with `outcome` variables),
//! `model covariance` (docs/theory.md §2.10) and regression outputs with
//! analytic activations (docs/theory.md §2.11). The mathematics and its
//! checks live in `crate::problem::{categorical, covariance, analytic}`;
//! this file reads the statements and attaches spans to the errors.

use super::{Kind, Lowerer, Result, Statements, not_keyword, output_expr, span_range, statement_head};
use crate::dsl::syntax::Rule;
use crate::dsl::value::{MAX_VARIABLES, Value};
use crate::poly::{Poly, Rat};
use crate::problem::Loss;
use crate::problem::analytic::{self, Activation, AnalyticError, AnalyticOutput, Unit};
use crate::problem::categorical::{self, CategoricalError};
use crate::problem::covariance::{self, CovarianceError};
use pest::iterators::Pair;
use std::ops::Range;

/// Largest number of cells of a categorical table (outcome combinations
/// times entries), checked before any cell is built.
const MAX_CELLS: usize = 1024;
/// Largest number of activation calls in the outputs.
const MAX_CALLS: usize = 64;

/// The activation calls of the outputs being lowered: call `i` is the
/// variable `base + i` of the output polynomials.
pub(super) struct Calls {
    base: usize,
    count: usize,
    /// The activation, its argument (a polynomial over all variables) and
    /// where it is written.
    calls: Vec<(Activation, Poly, Range<usize>)>,
    /// Inside an activation's argument (nesting is not supported).
    inside: bool,
}

/// A declared outcome: its first variable, its number of entries, and the
/// values each entry takes.
pub(super) struct Outcome {
    first: usize,
    len: usize,
    values: Vec<Rat>,
}

/// The `outcome_item` pairs of the `outcome` statements.
pub(super) fn outcome_items<'i>(outcomes: &[Pair<'i, Rule>]) -> Vec<Pair<'i, Rule>> {
    outcomes.iter().flat_map(|s| s.clone().into_inner().filter(not_keyword)).collect()
}

/// The calls of activations (`tanh(...)`, …) under `pairs`.
fn activation_calls<'i>(pairs: &[Pair<'i, Rule>]) -> Vec<Pair<'i, Rule>> {
    pairs
        .iter()
        .flat_map(|s| s.clone().into_inner().flatten())
        .filter(|p| p.as_rule() == Rule::unknown_call)
        .filter(|p| {
            p.clone().into_inner().next().is_some_and(|n| Activation::from_name(n.as_str()).is_some())
        })
        .collect()
}

/// Whether some output calls an activation.
pub(super) fn has_activation(outputs: &[Pair<'_, Rule>]) -> bool {
    !activation_calls(outputs).is_empty()
}

impl Lowerer<'_> {
    /// Declares the `outcome` variables (as inputs: they never become
    /// parameters) with their value sets.
    pub(super) fn declare_outcomes(&mut self, outcomes: &[Pair<'_, Rule>]) -> Result<Vec<Outcome>> {
        let mut out = Vec::new();
        for item in outcome_items(outcomes) {
            let mut it = item.into_inner().filter(not_keyword);
            let decl = it.next().expect("declarator");
            let set = it.next().expect("value set");
            let idx = self.declare(decl, Kind::Input)?;
            let mut values: Vec<Rat> = Vec::new();
            for v in set.into_inner().filter(not_keyword) {
                let span = span_range(&v.as_span());
                let r = self.constant(v)?;
                if values.contains(&r) {
                    return Err(self.err(span, "this outcome value is listed twice", "repeated"));
                }
                values.push(r);
            }
            let sym = &self.symbols[idx];
            out.push(Outcome { first: sym.first, len: sym.len(), values });
        }
        Ok(out)
    }

    /// `model categorical …` or `model covariance …` (docs/theory.md §2.10):
    /// the loss becomes the ideal of the cell (entry) differences at the
    /// truth, once the equivalence's hypotheses are checked.
    pub(super) fn lower_stated_model(
        &mut self,
        st: &Statements<'_>,
        outcomes: Vec<Outcome>,
    ) -> crate::Result<Problem> {
        let model = match st.models.as_slice() {
            [m] => m.clone(),
            [] => {
                return Err(self.err(
                    statement_head(&st.outcomes[0]),
                    "`outcome` belongs to a categorical model, but the program has no `model categorical`",
                    "needs `model categorical [...]`",
                ));
            }
            [_, second, ..] => {
                return Err(self.err(statement_head(second), "the model is given twice", "again"));
            }
        };
        let conflicts = [
            (&st.losses, "a model and an explicit loss both define the loss", "remove this, or the `model`"),
            (&st.outputs, "a `model` and an `output` both define the loss", "remove this, or the `model`"),
            (
                &st.inputs,
                "`input` belongs to a regression model; the finite variables of a categorical model are `outcome`s",
                "use `outcome x in {0, 1}`",
            ),
            (&st.noises, "`noise` belongs to a regression model", "remove this"),
            (&st.points, "a model's point is its true parameter: use `truth` instead of `at`", "use `truth`"),
        ];
        for (list, message, label) in conflicts {
            if let Some(s) = list.first() {
                return Err(self.err(statement_head(s), message, label));
            }
        }
        let mut it = model.clone().into_inner().filter(not_keyword);
        let kind = it.next().expect("model kind");
        let expr = it.next().expect("model expression");
        let span = span_range(&expr.as_span());
        let value = self.expr(expr)?;
        let truth = self.assignments(&st.truths, "truth")?;
        let gens = if kind.as_str() == "categorical" {
            let cells = self.cells(value, &outcomes, span.clone())?;
            categorical::cell_ideal(&cells, &truth).map_err(|e| match e {
                CategoricalError::TooFewCells => {
                    self.err(span.clone(), "a categorical model needs at least two cells", "one cell")
                }
                CategoricalError::NotNormalised(excess) => self.err(
                    span.clone(),
                    format!(
                        "the cell probabilities must sum to 1 for every parameter, but their sum minus 1 is {}",
                        excess.display(&self.entry_names(Kind::Param))
                    ),
                    "not a probability table",
                ),
                CategoricalError::NonPositive { index, value } => self.err(
                    span.clone(),
                    format!(
                        "cell {} has the true probability {value}: KL ≍ Σ (p − p₀)² needs every true cell positive \
                         (docs/theory.md §2.10); drop the empty cells or state a truth inside the simplex",
                        index + 1
                    ),
                    "a true cell is not positive",
                ),
            })?
        } else {
            if let Some(o) = st.outcomes.first() {
                return Err(self.err(
                    statement_head(o),
                    "`outcome` belongs to a categorical model",
                    "remove this",
                ));
            }
            let (d, entries) = match value {
                Value::Scalar(p) => (1, vec![p]),
                Value::Matrix { rows, cols, entries } if rows == cols => (rows, entries),
                m => {
                    return Err(self.err(
                        span,
                        format!("a covariance must be a square matrix, but this is {}", m.describe()),
                        "not square",
                    ));
                }
            };
            covariance::covariance_ideal(d, &entries, &truth).map_err(|e| match e {
                CovarianceError::NotSquare => self.err(span.clone(), "a covariance must be a square matrix", "not square"),
                CovarianceError::NotSymmetric(i, j) => self.err(
                    span.clone(),
                    format!("a covariance must be symmetric, but entries ({0},{1}) and ({1},{0}) differ", i + 1, j + 1),
                    "not symmetric",
                ),
                CovarianceError::NotPositiveDefinite { k, pivot } => self.err(
                    span.clone(),
                    format!(
                        "the true covariance is not positive definite (pivot {} of its elimination is {pivot}): \
                         KL ≍ ‖Σ − Σ₀‖² needs Σ₀ > 0 (docs/theory.md §2.10)",
                        k + 1
                    ),
                    "Σ₀ not positive definite",
                ),
            })?
        };
        if gens.is_empty() {
            return Err(self.err(
                span,
                "the model does not depend on the parameters: the loss would be 0",
                "constant",
            ));
        }
        self.stated_truth = Some(truth);
        let spans = vec![span; gens.len()];
        self.finish(Loss::Ideal(gens), spans, st, None)
    }

    /// The cells of a categorical table: every entry of `value` at every
    /// combination of outcome values, as polynomials in the parameters.
    fn cells(&self, value: Value, outcomes: &[Outcome], span: Range<usize>) -> Result<Vec<Poly>> {
        let entries = value.into_entries();
        let np = self.nparams;
        let mut count = entries.len();
        for o in outcomes {
            for _ in 0..o.len {
                count = count.saturating_mul(o.values.len());
            }
        }
        if count > MAX_CELLS {
            return Err(self.err(
                span,
                format!("the table has {count} cells (limit {MAX_CELLS})"),
                "too many cells",
            ));
        }
        // Each slot of the outcomes (one per entry of each outcome) with its values.
        let slots: Vec<(usize, &[Rat])> = outcomes
            .iter()
            .flat_map(|o| (0..o.len).map(move |k| (o.first + k, o.values.as_slice())))
            .collect();
        let mut cells = Vec::with_capacity(count);
        let mut choice = vec![0usize; slots.len()];
        loop {
            let subs: Vec<Poly> = (0..self.nvars)
                .map(|i| match slots.iter().position(|(v, _)| *v == i) {
                    Some(s) => Poly::constant(np, slots[s].1[choice[s]].clone()),
                    None if i < np => Poly::var(np, i),
                    None => Poly::zero(np),
                })
                .collect();
            for e in &entries {
                cells.push(e.compose(&subs));
            }
            // The next combination, last slot fastest.
            let mut k = slots.len();
            loop {
                if k == 0 {
                    return Ok(cells);
                }
                k -= 1;
                choice[k] += 1;
                if choice[k] < slots[k].1.len() {
                    break;
                }
                choice[k] = 0;
            }
        }
    }

    /// A regression model whose outputs call activations (docs/theory.md
    /// §2.11): each output `c(w) + Σ a_h(w)·φ(b_h(w)·x)` becomes the finite
    /// ideal of its Taylor coefficients in x.
    pub(super) fn lower_activation_model(&mut self, st: &Statements<'_>) -> crate::Result<Problem> {
        self.no_point_in_model(st)?;
        let head = statement_head(&st.outputs[0]);
        let np = self.nparams;
        if self.nvars != np + 1 {
            return Err(self.err(
                head,
                "an output with activations needs exactly one scalar input (`input x`): the number of Taylor \
                 coefficients is proven for one input (docs/theory.md §2.11)",
                "one scalar input",
            ));
        }
        let count = activation_calls(&st.outputs).len();
        if count > MAX_CALLS {
            return Err(self.err(
                head,
                format!("too many activation calls ({count}, limit {MAX_CALLS})"),
                "too many",
            ));
        }
        if self.nvars + count > MAX_VARIABLES {
            return Err(self.err(head, format!("too many variables (limit {MAX_VARIABLES})"), "too large"));
        }
        let base = self.nvars;
        self.nvars += count;
        self.activations = Some(Calls { base, count, calls: Vec::new(), inside: false });
        let mut outputs: Vec<(Poly, Range<usize>)> = Vec::new();
        for o in &st.outputs {
            let expr = output_expr(o);
            let span = span_range(&expr.as_span());
            let lowered = self.expr(expr);
            let v = match lowered {
                Ok(v) => v,
                Err(e) => {
                    self.activations = None;
                    self.nvars = base;
                    return Err(e);
                }
            };
            outputs.extend(v.into_entries().into_iter().map(|p| (p, span.clone())));
        }
        let calls = self.activations.take().expect("calls").calls;
        self.nvars = base;
        // σ scales K only; it must still be a valid noise level.
        self.noise(st)?;
        // The slopes b(w) of the calls: linear in x, no bias.
        let mut slopes = Vec::with_capacity(calls.len());
        for (act, arg, span) in &calls {
            let mut terms = Vec::new();
            for t in arg.terms() {
                if t.exp[np] != 1 {
                    return Err(self.err(
                        span.clone(),
                        format!(
                            "the argument of `{}` must be (parameters)·x: linear in the input, without a bias \
                             (docs/theory.md §2.11)",
                            act.name()
                        ),
                        "not b·x",
                    ));
                }
                terms.push((t.exp[..np].to_vec(), t.coef.clone()));
            }
            slopes.push(Poly::from_terms(np, terms));
        }
        let truth = self.assignments(&st.truths, "truth")?;
        let mut gens = Vec::new();
        let mut spans = Vec::new();
        for (poly, span) in outputs {
            let out = self.analytic_output(&poly, &calls, &slopes, base, span.clone())?;
            let ideal = analytic::coefficient_ideal(&out, &truth).map_err(|e| {
                let message = match e {
                    AnalyticError::TooManyOrders(k) => {
                        format!("the output needs {k} Taylor coefficients (limit {})", analytic::MAX_ORDERS)
                    }
                    AnalyticError::TooLarge { limit } => {
                        format!("expanding the powers of a slope takes more than {limit} term products")
                    }
                    AnalyticError::VanishingCoefficient(k) => {
                        format!("the Taylor coefficient {k} of `{}` vanishes", out.activation.name())
                    }
                };
                self.err(span.clone(), message, "too large")
            })?;
            spans.extend(std::iter::repeat_n(span, ideal.generators.len()));
            gens.extend(ideal.generators);
        }
        if gens.is_empty() {
            return Err(self.err(
                span_range(&st.outputs[0].as_span()),
                "the population loss is identically zero: the outputs do not depend on the parameters",
                "constant in the parameters",
            ));
        }
        self.stated_truth = Some(truth);
        self.finish(Loss::Ideal(gens), spans, st, None)
    }

    /// Splits one output polynomial (parameters, the input x, one variable
    /// per call) into `c(w) + Σ a_h(w)·φ_h`, refusing every other shape.
    fn analytic_output(
        &self,
        poly: &Poly,
        calls: &[(Activation, Poly, Range<usize>)],
        slopes: &[Poly],
        base: usize,
        span: Range<usize>,
    ) -> Result<AnalyticOutput> {
        let np = self.nparams;
        let shape = |what: &str| {
            self.err(
                span.clone(),
                format!(
                    "{what}: an output with activations must read c(w) + Σ a_h(w)·φ(b_h(w)·x) \
                     (docs/theory.md §2.11)"
                ),
                "unsupported output shape",
            )
        };
        let mut weights: Vec<Vec<(Vec<u32>, Rat)>> = vec![Vec::new(); calls.len()];
        let mut constant = Vec::new();
        for t in poly.terms() {
            let used: Vec<usize> = (0..calls.len()).filter(|&c| t.exp[base + c] > 0).collect();
            let degree: u32 = used.iter().map(|&c| t.exp[base + c]).sum();
            if degree > 1 {
                return Err(shape("a product or power of activations"));
            }
            if t.exp[np] > 0 {
                return Err(shape(if degree == 0 {
                    "a term with the input outside every activation"
                } else {
                    "an activation multiplied by the input"
                }));
            }
            let key = (t.exp[..np].to_vec(), t.coef.clone());
            match used.first() {
                Some(&c) => weights[c].push(key),
                None => constant.push(key),
            }
        }
        let mut units = Vec::new();
        let mut activation = None;
        for (c, w) in weights.into_iter().enumerate() {
            let weight = Poly::from_terms(np, w);
            if weight.is_zero() {
                continue;
            }
            let act = calls[c].0;
            if activation.is_some_and(|a| a != act) {
                return Err(shape("two different activations in one output"));
            }
            activation = Some(act);
            units.push(Unit { weight, slope: slopes[c].clone() });
        }
        Ok(AnalyticOutput {
            activation: activation.unwrap_or(Activation::Tanh),
            units,
            constant: Poly::from_terms(np, constant),
        })
    }

    /// `tanh(u)` (or sin, exp, sigmoid) in an output: records the call and
    /// stands for it by its own variable.
    pub(super) fn activation_call(&mut self, pair: Pair<'_, Rule>) -> Result<Value> {
        let mut it = pair.clone().into_inner().filter(not_keyword);
        let name = it.next().expect("function name");
        let nspan = span_range(&name.as_span());
        let Some(act) = Activation::from_name(name.as_str()) else {
            return Err(self.err(
                nspan,
                format!("unknown function `{}`: an output may call tanh, sin, exp or sigmoid", name.as_str()),
                "unknown function",
            ));
        };
        let args: Vec<Pair<'_, Rule>> = it.collect();
        if args.len() != 1 {
            return Err(self.err(nspan, format!("`{}` takes one argument", act.name()), "one argument"));
        }
        let state = self.activations.as_mut().expect("in an output");
        if state.inside {
            return Err(self.err(
                nspan,
                "an activation inside an activation's argument is not supported",
                "nested",
            ));
        }
        state.inside = true;
        let aspan = args[0].as_span();
        let v = self.expr(args[0].clone());
        if let Some(s) = self.activations.as_mut() {
            s.inside = false;
        }
        let p = v?.into_scalar().map_err(|m| {
            self.err(
                span_range(&aspan),
                format!("an activation's argument must be a scalar, not {}", m.describe()),
                "not a scalar",
            )
        })?;
        let state = self.activations.as_mut().expect("in an output");
        let slot = state.calls.len();
        if slot >= state.count {
            return Err(crate::Error::Internal("more activation calls lowered than counted".into()));
        }
        let var = state.base + slot;
        state.calls.push((act, p, span_range(&pair.as_span())));
        Ok(Value::Scalar(Poly::var(self.nvars, var)))
    }
}

use crate::problem::Problem;
