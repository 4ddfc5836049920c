//! Lowering of a parsed program to a [`Problem`]: scopes, expression
//! expansion to exact polynomials, statements, and semantic errors with
//! spans.

use super::checks;
mod models;
use super::syntax::{Parsed, Rule, diagnostic};
use super::value::{
    MAX_DEGREE, MAX_EXPONENT, MAX_PRODUCTS, MAX_TOTAL_PRODUCTS, MAX_VARIABLES, Value, power_terms_bound,
};
use crate::error::Error;
use crate::poly::{Poly, Rat, rat};
use crate::problem::{Loss, ModelSpec, Problem};
use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};
use pest::Span;
use pest::iterators::Pair;
use std::collections::HashMap;
use std::ops::Range;

type Result<T> = std::result::Result<T, Error>;

/// Whether a name is a parameter (a variable of the loss) or a model input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Param,
    Input,
}

/// A declared (or inferred) name: a scalar, a vector `v[n]` or a matrix
/// `A[r,c]`, occupying consecutive variable indices from `first`.
#[derive(Clone, Debug)]
struct Symbol {
    name: String,
    kind: Kind,
    rows: usize,
    cols: usize,
    /// Declared as `v[n]` (indexed `v[i]`) rather than `A[r,c]`.
    vector: bool,
    scalar: bool,
    first: usize,
}

impl Symbol {
    fn entry_name(&self, i: usize, j: usize) -> String {
        if self.scalar {
            self.name.clone()
        } else if self.vector {
            format!("{}[{}]", self.name, i + 1)
        } else {
            format!("{}[{},{}]", self.name, i + 1, j + 1)
        }
    }

    fn len(&self) -> usize {
        self.rows * self.cols
    }

    fn shape(&self) -> String {
        if self.scalar {
            "a scalar".into()
        } else if self.vector {
            format!("a vector of length {}", self.rows)
        } else {
            format!("a {}×{} matrix", self.rows, self.cols)
        }
    }
}

/// The statements of a program, grouped by kind, in source order.
#[derive(Default)]
struct Statements<'i> {
    params: Vec<Pair<'i, Rule>>,
    inputs: Vec<Pair<'i, Rule>>,
    outputs: Vec<Pair<'i, Rule>>,
    losses: Vec<Pair<'i, Rule>>,
    priors: Vec<Pair<'i, Rule>>,
    points: Vec<Pair<'i, Rule>>,
    truths: Vec<Pair<'i, Rule>>,
    domains: Vec<Pair<'i, Rule>>,
    noises: Vec<Pair<'i, Rule>>,
    /// `model categorical …` / `model covariance …` (docs/theory.md §2.10).
    models: Vec<Pair<'i, Rule>>,
    /// `outcome x in {…}`: the finite variables of a categorical model.
    outcomes: Vec<Pair<'i, Rule>>,
}

/// A `simplex(w1, ..., wn)` of the domain: its variables in the order
/// written, and its span.
struct Simplex {
    vars: Vec<usize>,
    span: Range<usize>,
}

/// Lowering state: the source (for diagnostics), the scope, and the
/// program-wide expansion budget.
pub(crate) struct Lowerer<'s> {
    source: &'s str,
    file: &'s str,
    symbols: Vec<Symbol>,
    by_name: HashMap<String, usize>,
    nparams: usize,
    nvars: usize,
    products_used: u64,
    /// While the outputs of a model with activations are lowered: the
    /// activation calls met so far (docs/theory.md §2.11).
    activations: Option<models::Calls>,
    /// The point of a model lowered to an ideal (categorical, covariance,
    /// activations): its truth, read by `finish` instead of `at`.
    stated_truth: Option<Vec<Rat>>,
}

/// Lowers a parsed program.
pub(crate) fn lower(source: &str, file: &str, parsed: Parsed<'_>) -> crate::Result<Problem> {
    let mut lw = Lowerer {
        source,
        file,
        symbols: Vec::new(),
        by_name: HashMap::new(),
        nparams: 0,
        nvars: 0,
        products_used: 0,
        activations: None,
        stated_truth: None,
    };
    match parsed {
        Parsed::Bare(expr) => {
            lw.infer_params(std::slice::from_ref(&expr), &[])?;
            lw.nparams = lw.nvars;
            let (loss, spans) = lw.loss_of(expr)?;
            lw.finish(loss, spans, &Statements::default(), None)
        }
        Parsed::Statements(program) => lw.lower_statements(program),
    }
}

/// One summand `b_1^{2k_1}·…·b_r^{2k_r}` (optionally times one `||M||^2`)
/// of a sum of squares: it is the square of `Π b_i^{k_i}` (times each entry
/// of `M`).
struct SquareTerm<'i> {
    /// Bases with half their (even) exponents.
    factors: Vec<(Pair<'i, Rule>, u32)>,
    /// The matrix of a squared norm factor, if any.
    norm: Option<Pair<'i, Rule>>,
    /// Where the summand is written.
    span: Span<'i>,
}

/// The summands when `expr` is literally a sum of products of even powers
/// and at most one squared norm each (`f^2 + z^2*g^2 + ||M||^2 + h^4`);
/// `None` otherwise. Purely syntactic: nothing is lowered.
fn square_bases<'i>(expr: &Pair<'i, Rule>) -> Option<Vec<SquareTerm<'i>>> {
    let is_two = |e: Option<Pair<'i, Rule>>| e.is_some_and(|e| e.as_str().trim() == "2");
    let mut terms = Vec::new();
    for part in expr.clone().into_inner().filter(not_keyword) {
        match part.as_rule() {
            Rule::add_op if part.as_str() == "+" => {}
            Rule::product => {
                let mut term = SquareTerm { factors: Vec::new(), norm: None, span: part.as_span() };
                for factor in part.into_inner().filter(not_keyword) {
                    match factor.as_rule() {
                        Rule::mul_op if factor.as_str() == "*" => continue,
                        Rule::factor => {}
                        _ => return None,
                    }
                    let mut inner = factor.into_inner().filter(not_keyword);
                    let (Some(power), None) = (inner.next(), inner.next()) else { return None };
                    if power.as_rule() != Rule::power {
                        return None;
                    }
                    let mut it = power.into_inner().filter(not_keyword);
                    let base = it.next()?;
                    match it.next() {
                        Some(exp) => {
                            let e: u32 = exp.as_str().trim().parse().ok()?;
                            if e == 0 || e % 2 != 0 || e > 64 {
                                return None;
                            }
                            term.factors.push((base, e / 2));
                        }
                        None => {
                            // A squared norm: a `postfix` holding a lone `norm`.
                            let mut prim = base.into_inner().filter(not_keyword);
                            let (Some(norm), None) = (prim.next(), prim.next()) else { return None };
                            if norm.as_rule() != Rule::norm || term.norm.is_some() {
                                return None;
                            }
                            let mut nit = norm.into_inner().filter(not_keyword);
                            let arg = nit.next()?;
                            if !is_two(nit.next()) {
                                return None;
                            }
                            term.norm = Some(arg);
                        }
                    }
                }
                terms.push(term);
            }
            _ => return None,
        }
    }
    Some(terms)
}

fn span_range(s: &Span<'_>) -> Range<usize> {
    s.start()..s.end()
}

impl<'s> Lowerer<'s> {
    fn err(&self, span: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> Error {
        Error::Input(Box::new(diagnostic(self.source, self.file, span, message, label)))
    }

    fn lower_statements(&mut self, program: Pair<'_, Rule>) -> crate::Result<Problem> {
        let mut st = Statements::default();
        for s in program.into_inner().filter(not_keyword) {
            match s.as_rule() {
                Rule::param_decl => st.params.push(s),
                Rule::input_decl => st.inputs.push(s),
                Rule::output_def => st.outputs.push(s),
                Rule::loss_def | Rule::ideal_def => st.losses.push(s),
                Rule::prior_def => st.priors.push(s),
                Rule::point_def => st.points.push(s),
                Rule::truth_def => st.truths.push(s),
                Rule::domain_def => st.domains.push(s),
                Rule::noise_def => st.noises.push(s),
                Rule::model_def => st.models.push(s),
                Rule::outcome_decl => st.outcomes.push(s),
                _ => {}
            }
        }
        // Parameters first (indices 0..nparams), then inputs, as ModelSpec wants.
        for p in &st.params {
            for decl in p.clone().into_inner().filter(not_keyword) {
                self.declare(decl, Kind::Param)?;
            }
        }
        let input_decls: Vec<Pair<'_, Rule>> =
            st.inputs.iter().flat_map(|p| p.clone().into_inner().filter(not_keyword)).collect();
        if st.params.is_empty() {
            let mut exprs: Vec<Pair<'_, Rule>> = Vec::new();
            for s in st.losses.iter().chain(&st.outputs).chain(&st.models) {
                exprs
                    .extend(s.clone().into_inner().filter(not_keyword).filter(|p| p.as_rule() == Rule::expr));
            }
            let outcome_decls = models::outcome_items(&st.outcomes);
            let input_names: Vec<String> = input_decls
                .iter()
                .chain(&outcome_decls)
                .map(|item| item.clone().into_inner().find(not_keyword).expect("declarator"))
                .map(|d| d.into_inner().find(not_keyword).expect("ident").as_str().to_string())
                .collect();
            self.infer_params(&exprs, &input_names)?;
        }
        self.nparams = self.nvars;
        let mut variances: Vec<Rat> = Vec::new();
        for item in &input_decls {
            let mut it = item.clone().into_inner().filter(not_keyword);
            let decl = it.next().expect("declarator");
            let idx = self.declare(decl, Kind::Input)?;
            let variance = match it.next() {
                Some(dist) => self.input_variance(dist)?,
                None => Rat::one(),
            };
            variances.extend(std::iter::repeat_n(variance, self.symbols[idx].len()));
        }
        let outcomes = self.declare_outcomes(&st.outcomes)?;
        if !st.models.is_empty() || !st.outcomes.is_empty() {
            return self.lower_stated_model(&st, outcomes);
        }

        // The loss: exactly one of `K =`, `ideal <...>`, or a model.
        if let Some(second) = st.losses.get(1) {
            return Err(self.err(
                statement_head(second),
                "the loss is defined twice",
                "second definition; keep one `K = ...` or `ideal <...>`",
            ));
        }
        if let (Some(l), Some(_)) = (st.losses.first(), st.outputs.first()) {
            return Err(self.err(
                statement_head(l),
                "a model (`output`) and an explicit loss both define the loss",
                "remove this, or the `output` statements",
            ));
        }
        if st.outputs.is_empty() {
            for (what, list) in [("input", &st.inputs), ("truth", &st.truths), ("noise", &st.noises)] {
                if let Some(s) = list.first() {
                    return Err(self.err(
                        statement_head(s),
                        format!("`{what}` belongs to a model, but the program has no `output`"),
                        "needs an `output` statement",
                    ));
                }
            }
        }
        if !st.outputs.is_empty() {
            if models::has_activation(&st.outputs) {
                return self.lower_activation_model(&st);
            }
            return self.lower_model(&st, variances);
        }
        let Some(loss_stmt) = st.losses.first().cloned() else {
            let end = self.source.len();
            return Err(self.err(
                end..end,
                "the program defines no loss: add `K = <expr>;` or `ideal <f1, f2>;`",
                "no loss",
            ));
        };
        let loss_span = loss_stmt.as_span();
        // One span per generator (for K itself: its expression).
        let mut spans = Vec::new();
        let loss = match loss_stmt.as_rule() {
            Rule::loss_def => {
                let expr = loss_stmt.into_inner().find(not_keyword).expect("loss expression");
                let (loss, s) = self.loss_of(expr)?;
                spans = s;
                loss
            }
            _ => {
                let mut gens = Vec::new();
                for g in loss_stmt.into_inner().filter(not_keyword) {
                    let gspan = g.as_span();
                    let v = self.expr(g)?;
                    for p in v.into_entries() {
                        let p = self.params_only(p, &gspan, "the loss")?;
                        if !p.is_zero() {
                            gens.push(p);
                            spans.push(span_range(&gspan));
                        }
                    }
                }
                if gens.is_empty() {
                    return Err(self.err(
                        span_range(&loss_span),
                        "the ideal is empty (or all its generators are zero): the loss would be 0",
                        "empty ideal",
                    ));
                }
                Loss::Ideal(gens)
            }
        };
        self.finish(loss, spans, &st, None)
    }

    /// The model form (issue #4): population loss of `output`s at `truth`.
    fn lower_model(&mut self, st: &Statements<'_>, input_variance: Vec<Rat>) -> crate::Result<Problem> {
        self.no_point_in_model(st)?;
        let mut outputs = Vec::new();
        for o in &st.outputs {
            outputs.extend(self.expr(output_expr(o))?.into_entries());
        }
        let noise = self.noise(st)?;
        let truth = self.assignments(&st.truths, "truth")?;
        let inputs = self.entry_names(Kind::Input);
        let spec = ModelSpec { inputs, input_variance, outputs, noise, truth };
        let k = crate::problem::population_loss(&spec, self.nparams);
        let span = st.outputs[0].as_span();
        if k.is_zero() {
            return Err(self.err(
                span_range(&span),
                "the population loss is identically zero: the outputs do not depend on the parameters",
                "constant in the parameters",
            ));
        }
        self.finish(Loss::Polynomial(k), vec![span_range(&span)], st, Some(spec))
    }

    /// The names of all entries of the symbols of one kind, in order.
    fn entry_names(&self, kind: Kind) -> Vec<String> {
        self.symbols
            .iter()
            .filter(|s| s.kind == kind)
            .flat_map(|s| (0..s.rows).flat_map(move |i| (0..s.cols).map(move |j| s.entry_name(i, j))))
            .collect()
    }

    /// Prior, point, domain, and the checks on the loss at the point.
    fn finish(
        &mut self,
        loss: Loss,
        loss_spans: Vec<Range<usize>>,
        st: &Statements<'_>,
        model: Option<ModelSpec>,
    ) -> crate::Result<Problem> {
        let variables = self.entry_names(Kind::Param);
        let point = match (&model, self.stated_truth.take()) {
            (Some(spec), _) => spec.truth.clone(),
            (None, Some(truth)) => truth,
            (None, None) => self.assignments(&st.points, "at")?,
        };
        let (domain, simplices) = self.domain(&st.domains, &point)?;
        let prior = self.prior(&st.priors, &point, &simplices)?;
        let has_model = model.is_some();
        let mut problem =
            Problem { variables, loss, prior: Vec::new(), real_prior: None, point, domain, model };
        problem.set_prior_exponents(prior);
        if let (Some(sx), true) = (simplices.first(), has_model) {
            return Err(self.err(
                sx.span.clone(),
                "a simplex domain with a stated model is not supported yet: write the loss",
                "with a model",
            ));
        }
        if !simplices.is_empty() {
            let vars: Vec<Vec<usize>> = simplices.iter().map(|s| s.vars.clone()).collect();
            problem = crate::problem::simplex::eliminate(problem, &vars)
                .map_err(|(i, m)| self.err(simplices[i].span.clone(), m, "no coordinate to eliminate"))?;
        }
        if !has_model {
            checks::check_loss_at_point(&problem.loss, &problem.variables, &problem.point, &problem.domain)
                .map_err(|m| {
                let span = loss_spans.get(m.generator.unwrap_or(0)).cloned().unwrap_or(0..0);
                self.err(span, m.message, m.label)
            })?;
        }
        Ok(problem)
    }

    // ---------------------------------------------------------------- scope

    /// Declares a name from a `declarator` pair; returns its symbol index.
    fn declare(&mut self, decl: Pair<'_, Rule>, kind: Kind) -> Result<usize> {
        let mut it = decl.into_inner().filter(not_keyword);
        let ident = it.next().expect("ident");
        let name = ident.as_str().to_string();
        let span = span_range(&ident.as_span());
        let (rows, cols, vector, scalar) = match it.next() {
            None => (1, 1, false, true),
            Some(dims) => {
                let vals = self.index_values(dims)?;
                let dspan = span.clone();
                if vals.contains(&0) {
                    return Err(self.err(dspan, format!("`{name}` has a zero dimension"), "zero-sized"));
                }
                match vals.as_slice() {
                    [n] => (*n, 1, true, false),
                    [r, c] => (*r, *c, false, false),
                    _ => unreachable!("grammar allows one or two dimensions"),
                }
            }
        };
        if let Some(&prev) = self.by_name.get(&name) {
            let what = if self.symbols[prev].kind == Kind::Input { "an input" } else { "a parameter" };
            return Err(self.err(span, format!("`{name}` is already declared as {what}"), "redeclared"));
        }
        if rows.saturating_mul(cols).saturating_add(self.nvars) > MAX_VARIABLES {
            return Err(self.err(span, format!("too many variables (limit {MAX_VARIABLES})"), "too large"));
        }
        let sym = Symbol { name: name.clone(), kind, rows, cols, vector, scalar, first: self.nvars };
        self.nvars += sym.len();
        self.symbols.push(sym);
        self.by_name.insert(name, self.symbols.len() - 1);
        Ok(self.symbols.len() - 1)
    }

    /// Without `param` statements: the variables are the names in the loss
    /// (or the outputs), in order of first appearance, inputs excluded.
    fn infer_params(&mut self, exprs: &[Pair<'_, Rule>], inputs: &[String]) -> Result<()> {
        // The names of called functions (`tanh` in `tanh(b*x)`) are not variables.
        let calls: std::collections::HashSet<usize> = exprs
            .iter()
            .flat_map(|e| e.clone().into_inner().flatten())
            .filter(|p| p.as_rule() == Rule::unknown_call)
            .filter_map(|p| p.into_inner().next().map(|n| n.as_span().start()))
            .collect();
        for e in exprs {
            for p in e.clone().into_inner().flatten() {
                if p.as_rule() == Rule::ident && calls.contains(&p.as_span().start()) {
                    continue;
                }
                match p.as_rule() {
                    Rule::indexed => {
                        let ident = p.clone().into_inner().find(not_keyword).expect("ident");
                        let name = ident.as_str();
                        if !inputs.iter().any(|i| i == name) {
                            return Err(self.err(
                                span_range(&ident.as_span()),
                                format!("`{name}` is indexed but not declared: declare it, e.g. `param {name}[2,3];`"),
                                "undeclared matrix",
                            ));
                        }
                    }
                    Rule::ident => {
                        let name = p.as_str();
                        if self.by_name.contains_key(name) || inputs.iter().any(|i| i == name) {
                            continue;
                        }
                        let span = span_range(&p.as_span());
                        let sym = Symbol {
                            name: name.to_string(),
                            kind: Kind::Param,
                            rows: 1,
                            cols: 1,
                            vector: false,
                            scalar: true,
                            first: self.nvars,
                        };
                        if self.nvars + 1 > MAX_VARIABLES {
                            return Err(self.err(
                                span,
                                format!("too many variables (limit {MAX_VARIABLES})"),
                                "here",
                            ));
                        }
                        self.nvars += 1;
                        self.symbols.push(sym);
                        self.by_name.insert(name.to_string(), self.symbols.len() - 1);
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// The 1-based integers of a `dims` or `index` pair, as written.
    fn index_values(&self, pair: Pair<'_, Rule>) -> Result<Vec<usize>> {
        let mut out = Vec::new();
        for v in pair.into_inner().filter(not_keyword) {
            let span = span_range(&v.as_span());
            match v.as_rule() {
                Rule::family_param => return Err(self.unbound_family(&v)),
                _ => match v.as_str().parse::<usize>() {
                    Ok(n) if n <= MAX_VARIABLES => out.push(n),
                    _ => return Err(self.err(span, format!("`{}` is too large", v.as_str()), "too large")),
                },
            }
        }
        Ok(out)
    }

    fn unbound_family(&self, p: &Pair<'_, Rule>) -> Error {
        self.err(
            span_range(&p.as_span()),
            format!("unbound family parameter `{}` (only `rlct sweep` substitutes these)", p.as_str()),
            "unbound",
        )
    }

    /// Looks a name up; errors for undeclared names.
    fn lookup(&self, ident: &Pair<'_, Rule>) -> Result<&Symbol> {
        match self.by_name.get(ident.as_str()) {
            Some(&i) => Ok(&self.symbols[i]),
            None => Err(self.err(
                span_range(&ident.as_span()),
                format!("`{}` is not declared", ident.as_str()),
                "undeclared; add it to a `param` statement",
            )),
        }
    }

    /// The 0-based entry `(i, j)` of `sym` addressed by an `index` pair.
    fn entry_of(&self, sym: &Symbol, index: Pair<'_, Rule>) -> Result<(usize, usize)> {
        let span = span_range(&index.as_span());
        let vals = self.index_values(index)?;
        let (i, j) = match (vals.as_slice(), sym.scalar, sym.vector) {
            (_, true, _) => {
                return Err(self.err(
                    span,
                    format!("`{}` is a scalar and cannot be indexed", sym.name),
                    "not a matrix",
                ));
            }
            ([i], _, true) => (*i, 1),
            ([i, j], _, false) => (*i, *j),
            (_, _, true) => {
                return Err(self.err(
                    span,
                    format!("`{}` is a vector: index it as `{}[i]`", sym.name, sym.name),
                    "one index",
                ));
            }
            (_, _, false) => {
                return Err(self.err(
                    span,
                    format!("`{}` is a matrix: index it as `{}[i,j]`", sym.name, sym.name),
                    "two indices",
                ));
            }
        };
        if i == 0 || j == 0 || i > sym.rows || j > sym.cols {
            return Err(self.err(
                span,
                format!("index out of range: `{}` is {} (indices start at 1)", sym.name, sym.shape()),
                "out of range",
            ));
        }
        Ok((i - 1, j - 1))
    }

    // ----------------------------------------------------------- statements

    fn input_variance(&mut self, dist: Pair<'_, Rule>) -> Result<Rat> {
        let mut it = dist.into_inner().filter(not_keyword);
        let mean = it.next().expect("mean");
        let var = it.next().expect("variance");
        let mspan = span_range(&mean.as_span());
        if !self.constant(mean)?.is_zero() {
            return Err(self.err(mspan, "inputs must have mean zero: `~ N(0, variance)`", "mean must be 0"));
        }
        self.positive_constant(var, "the input variance", "variance > 0")
    }

    /// The loss expression: a scalar polynomial in the parameters.
    fn loss_poly(&mut self, expr: Pair<'_, Rule>) -> Result<Poly> {
        let span = span_range(&expr.as_span());
        let p = self.scalar_in_params(expr, "the loss", "non-scalar loss; `||M||^2` gives a scalar")?;
        if p.is_zero() {
            return Err(self.err(span, "the loss is identically zero", "K = 0"));
        }
        Ok(p)
    }

    /// The loss `K = <expr>`: an ideal when the expression is written as a
    /// sum of squares (`f^2 + ||M||^2 + …`), otherwise the polynomial.
    ///
    /// `Σ f_i²` *is* the loss of the ideal `⟨f_1, …⟩` (same K, exactly), and
    /// the pair depends only on the ideal (docs/theory.md §2, equivalence). Keeping
    /// the generators lets the exact engines resolve the ideal instead of
    /// the expanded K (reduced-rank regression written `||B*A||^2` is
    /// resolved as `⟨entries of BA⟩`), and lets the estimators evaluate K
    /// without the cancellation of an expanded square.
    fn loss_of(&mut self, expr: Pair<'_, Rule>) -> Result<(Loss, Vec<Range<usize>>)> {
        let span = span_range(&expr.as_span());
        let Some(bases) = square_bases(&expr) else {
            return Ok((Loss::Polynomial(self.loss_poly(expr)?), vec![span]));
        };
        // Each base is lowered once; K = Σ bases² is the same polynomial the
        // expression denotes (`f^2` is f·f, `||M||^2` the sum of the squared
        // entries), so it is never expanded here.
        let mut gens = Vec::new();
        for term in bases {
            // The scalar base Π b_i^{k_i}, then the entries of the norm's matrix.
            let tspan = term.span;
            let mut scalar = Poly::one(self.nvars);
            for (base, half) in term.factors {
                let bspan = base.as_span();
                let p = match self.expr(base)?.into_scalar() {
                    Ok(p) => p,
                    Err(m) => {
                        return Err(self.err(
                            span_range(&bspan),
                            format!("only scalars have powers, but this is {}", m.describe()),
                            "write the matrix product out",
                        ));
                    }
                };
                // Checked like every other expansion (size and degree caps).
                let powered = self.pow(&p, half, span_range(&tspan))?;
                scalar = self.mul_poly(&scalar, &powered, span_range(&tspan))?;
            }
            let entries = match term.norm {
                Some(arg) => {
                    let mut out = Vec::new();
                    for e in self.expr(arg)?.into_entries() {
                        out.push(self.mul_poly(&e, &scalar, span_range(&tspan))?);
                    }
                    out
                }
                None => vec![scalar],
            };
            for p in entries {
                let p = self.params_only(p, &tspan, "the loss")?;
                if !p.is_zero() {
                    gens.push(p);
                }
            }
        }
        if gens.is_empty() {
            return Err(self.err(span, "the loss is identically zero", "K = 0"));
        }
        let spans = vec![span; gens.len()];
        Ok((Loss::Ideal(gens), spans))
    }

    /// Lowers `expr` (the loss or the prior, named `what`) to a scalar
    /// polynomial in the parameters alone.
    fn scalar_in_params(&mut self, expr: Pair<'_, Rule>, what: &str, label: &str) -> Result<Poly> {
        let span = expr.as_span();
        let v = self.expr(expr)?;
        let p = v.into_scalar().map_err(|m| {
            self.err(
                span_range(&span),
                format!("{what} must be a scalar, but this is {}", m.describe()),
                label.to_string(),
            )
        })?;
        self.params_only(p, &span, what)
    }

    /// Restricts a polynomial over parameters and inputs to the parameters;
    /// an input occurring in it is an error.
    fn params_only(&self, p: Poly, span: &Span<'_>, what: &str) -> Result<Poly> {
        if self.nvars == self.nparams {
            return Ok(p);
        }
        let used = p.used_vars();
        if let Some(i) = (self.nparams..self.nvars).find(|&i| used[i]) {
            let name = self.variable_name(i);
            return Err(self.err(
                span_range(span),
                format!("{what} uses the input `{name}`; only `output` may use inputs"),
                "uses an input",
            ));
        }
        let np = self.nparams;
        Ok(Poly::from_terms(np, p.terms().iter().map(|t| (t.exp[..np].to_vec(), t.coef.clone()))))
    }

    fn variable_name(&self, i: usize) -> String {
        let s = self.symbols.iter().find(|s| s.first <= i && i < s.first + s.len()).expect("variable index");
        let k = i - s.first;
        s.entry_name(k / s.cols, k % s.cols)
    }

    /// The prior exponents `h_i` (centred at the point, rationals > −1):
    /// a monomial expression (integer exponents), or a product of factors
    /// `|x|^h`, `x^h` and `dirichlet(α…)` over the domain's simplex, whose
    /// factor `w_i^{α_i − 1}` is a unit where `w*_i > 0` and `|w_i − w*_i|^{α_i − 1}`
    /// where `w*_i = 0` (docs/theory.md §2.8).
    fn prior(&mut self, priors: &[Pair<'_, Rule>], point: &[Rat], simplices: &[Simplex]) -> Result<Vec<Rat>> {
        let mut h = vec![Rat::zero(); self.nparams];
        let stmt = match priors {
            [] => return Ok(h),
            [p] => p,
            [_, second, ..] => {
                return Err(self.err(statement_head(second), "the prior is given twice", "again"));
            }
        };
        let body = stmt.clone().into_inner().find(not_keyword).expect("prior expression");
        let span = body.as_span();
        if body.as_rule() == Rule::expr {
            let p = self.scalar_in_params(body, "the prior", "not a monomial")?;
            if !p.is_monomial() || !p.terms()[0].coef.is_positive() {
                return Err(self.err(
                    span_range(&span),
                    "the prior must be a monomial with a positive coefficient, like `x^2*y`, or a product of \
                     factors `|x|^(-1/2)`, `dirichlet(1/2, 1/2)` (φ ∝ |w^h| near the point)",
                    "not a positive monomial",
                ));
            }
            return Ok(p.terms()[0].exp.iter().map(|&e| Rat::from_integer(e.into())).collect());
        }
        for factor in body.into_inner().filter(not_keyword) {
            let fspan = span_range(&factor.as_span());
            if factor.as_rule() == Rule::dirichlet {
                let [simplex] = simplices else {
                    return Err(self.err(
                        fspan,
                        format!(
                            "`dirichlet` needs exactly one `simplex(...)` in the domain, found {}",
                            simplices.len()
                        ),
                        "which simplex?",
                    ));
                };
                let mut alpha = Vec::new();
                for a in factor.into_inner().filter(not_keyword) {
                    let aspan = span_range(&a.as_span());
                    let c = self.constant(a)?;
                    if !c.is_positive() {
                        return Err(self.err(
                            aspan,
                            format!("a Dirichlet parameter must be positive, got {c}"),
                            "α ≤ 0",
                        ));
                    }
                    alpha.push(c);
                }
                let n = simplex.vars.len();
                if alpha.len() == 1 {
                    alpha = vec![alpha[0].clone(); n];
                }
                if alpha.len() != n {
                    return Err(self.err(
                        fspan,
                        format!(
                            "`dirichlet` has {} parameters for a simplex of {n} coordinates",
                            alpha.len()
                        ),
                        format!("give {n} (or one for all)"),
                    ));
                }
                for (&k, a) in simplex.vars.iter().zip(alpha) {
                    // A unit where w*_k > 0 (no effect on the pair).
                    if point[k].is_zero() {
                        h[k] += a - Rat::one();
                    }
                }
                continue;
            }
            let mut it = factor.into_inner().filter(not_keyword);
            let target = it.next().expect("target");
            let ident = target.clone().into_inner().find(not_keyword).expect("ident");
            if self.by_name.get(ident.as_str()).is_some_and(|&si| self.symbols[si].kind == Kind::Input) {
                return Err(self.err(
                    span_range(&ident.as_span()),
                    format!("the prior uses the input `{}`; only `output` may use inputs", ident.as_str()),
                    "uses an input",
                ));
            }
            let (idx, rows, cols, _) = self.target(target, "prior")?;
            let e = match it.next() {
                Some(exp) => self.rational_exponent(exp)?,
                None => Rat::one(),
            };
            for k in self.entries(idx, cols, rows * cols) {
                h[k] += e.clone();
            }
        }
        // The unfolding multiplies degrees by up to twice the denominator
        // of h + 1 (docs/theory.md §2.8): keep both parts small.
        let limit = Rat::from_integer(1024.into());
        if let Some(k) = (0..h.len()).find(|&k| {
            let e = &h[k] + Rat::one();
            e.numer().abs() > *limit.numer() || e.denom() > limit.numer()
        }) {
            return Err(self.err(
                span_range(&span),
                format!(
                    "the prior exponent of `{}` is {}: numerator and denominator of h + 1 must be at most 1024",
                    self.variable_name(k),
                    h[k]
                ),
                "exponent too large",
            ));
        }
        if let Some(k) = (0..h.len()).find(|&k| h[k] <= -Rat::one()) {
            return Err(self.err(
                span_range(&span),
                format!(
                    "the prior exponent of `{}` is {}: |w|^h is integrable near the point only for h > −1",
                    self.variable_name(k),
                    h[k]
                ),
                "not integrable",
            ));
        }
        Ok(h)
    }

    /// Point values (`at`) or the true parameter (`truth`); zero default.
    fn assignments(&mut self, stmts: &[Pair<'_, Rule>], keyword: &str) -> Result<Vec<Rat>> {
        let mut point: Vec<Option<Rat>> = vec![None; self.nparams];
        for s in stmts {
            for a in s.clone().into_inner().filter(not_keyword) {
                let mut it = a.into_inner().filter(not_keyword);
                let target = it.next().expect("target");
                let value = it.next().expect("value");
                let vspan = value.as_span();
                let (idx, rows, cols, tspan) = self.target(target, keyword)?;
                let v = self.expr(value)?;
                let entries = match (v, rows * cols) {
                    (Value::Scalar(p), 1) => vec![p],
                    (Value::Matrix { rows: r, cols: c, entries }, _) if r == rows && c == cols => entries,
                    (v, _) => {
                        let want = if rows * cols == 1 {
                            "a scalar".to_string()
                        } else {
                            format!("a {rows}×{cols} matrix")
                        };
                        return Err(self.err(
                            span_range(&vspan),
                            format!("the value must be {want}, but this is {}", v.describe()),
                            "wrong shape",
                        ));
                    }
                };
                let mut values = Vec::with_capacity(entries.len());
                for p in entries {
                    if !p.is_constant() {
                        return Err(self.err(
                            span_range(&vspan),
                            "a point value must be a constant",
                            "not constant",
                        ));
                    }
                    values.push(p.constant_term());
                }
                self.fill_slots(&mut point, (idx, cols, tspan), values, "is given a value twice")?;
            }
        }
        // A `truth` is the whole true parameter: one that leaves a
        // parameter out would silently set it to 0 (issue #14). Without any
        // `truth`, and for `at`, the default 0 is documented.
        if keyword == "truth"
            && let Some(first) = stmts.first()
            && point.iter().any(Option::is_none)
        {
            let missing: Vec<&str> = self
                .symbols
                .iter()
                .filter(|s| s.kind == Kind::Param && (s.first..s.first + s.len()).any(|v| point[v].is_none()))
                .map(|s| s.name.as_str())
                .collect();
            return Err(self.err(
                statement_head(first),
                format!(
                    "`truth` does not give {}: state every parameter's true value (e.g. `{} = 0`, or a zero matrix)",
                    missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "),
                    missing[0]
                ),
                "incomplete true parameter",
            ));
        }
        Ok(point.into_iter().map(|v| v.unwrap_or_else(Rat::zero)).collect())
    }

    /// Stores `values` (row-major over a target of `cols` columns starting
    /// at variable `idx`) into `slots`; a slot filled twice is an error.
    fn fill_slots<T>(
        &self,
        slots: &mut [Option<T>],
        (idx, cols, tspan): (usize, usize, Range<usize>),
        values: Vec<T>,
        twice: &str,
    ) -> Result<()> {
        let sym_cols = self.symbol_cols(idx);
        for (k, v) in values.into_iter().enumerate() {
            let slot = idx + (k / cols) * sym_cols + k % cols;
            if slots[slot].is_some() {
                return Err(self.err(tspan, format!("`{}` {twice}", self.variable_name(slot)), "again"));
            }
            slots[slot] = Some(v);
        }
        Ok(())
    }

    fn symbol_cols(&self, var: usize) -> usize {
        self.symbols.iter().find(|s| s.first <= var && var < s.first + s.len()).map(|s| s.cols).unwrap_or(1)
    }

    /// A `target` (name or entry) of a parameter: first variable index and
    /// the shape it addresses.
    fn target(&self, target: Pair<'_, Rule>, keyword: &str) -> Result<(usize, usize, usize, Range<usize>)> {
        let tspan = span_range(&target.as_span());
        let mut it = target.into_inner().filter(not_keyword);
        let ident = it.next().expect("ident");
        let Some(&si) = self.by_name.get(ident.as_str()) else {
            return Err(self.err(
                span_range(&ident.as_span()),
                format!(
                    "`{keyword}` gives a value to `{}`, which is not a variable of the problem",
                    ident.as_str()
                ),
                "unknown variable",
            ));
        };
        let sym = &self.symbols[si];
        if sym.kind == Kind::Input {
            return Err(self.err(
                span_range(&ident.as_span()),
                format!("`{}` is a model input, not a parameter", sym.name),
                "an input",
            ));
        }
        match it.next() {
            None => Ok((sym.first, sym.rows, sym.cols, tspan)),
            Some(index) => {
                let (i, j) = self.entry_of(sym, index)?;
                Ok((sym.first + i * sym.cols + j, 1, 1, tspan))
            }
        }
    }

    /// The absolute box per variable. `x in [lo, hi]` is relative to the
    /// point (`lo ≤ 0 ≤ hi`; a 0 puts the point on the boundary, a
    /// one-sided parameter); `x >= c` and `x <= c` are absolute half-lines
    /// (the parameter space), cut to the default box for the estimators.
    /// The default box is the global `[lo, hi]` or `[-1, 1]`.
    fn domain(&mut self, stmts: &[Pair<'_, Rule>], point: &[Rat]) -> Result<(Vec<(Rat, Rat)>, Vec<Simplex>)> {
        let mut global: Option<(Rat, Rat)> = None;
        let mut simplices: Vec<Simplex> = Vec::new();
        // Absolute bounds, each with whether it was a half-line (cut to the
        // default box) and the span of its statement.
        type Slot = Option<(Rat, bool, Range<usize>)>;
        let mut lower: Vec<Slot> = vec![None; self.nparams];
        let mut upper: Vec<Slot> = vec![None; self.nparams];
        for s in stmts {
            for item in s.clone().into_inner().filter(not_keyword) {
                let ispan = span_range(&item.as_span());
                match item.as_rule() {
                    Rule::interval => {
                        if global.is_some() {
                            return Err(self.err(ispan, "the domain `[lo, hi]` is given twice", "again"));
                        }
                        global = Some(self.interval(item)?);
                    }
                    Rule::simplex => simplices.push(self.simplex(item, point, &simplices)?),
                    Rule::domain_item => {
                        let mut it = item.into_inner().filter(not_keyword);
                        let target = it.next().expect("target");
                        let (idx, rows, cols, tspan) = self.target(target, "domain")?;
                        let (lo, hi) = self.interval(it.next().expect("interval"))?;
                        let n = rows * cols;
                        let entries = self.entries(idx, cols, n);
                        let lows = entries.iter().map(|&k| (&point[k] + &lo, false, ispan.clone()));
                        let highs = entries.iter().map(|&k| (&point[k] + &hi, false, ispan.clone()));
                        let twice = "has its domain given twice";
                        self.fill_slots(&mut lower, (idx, cols, tspan.clone()), lows.collect(), twice)?;
                        self.fill_slots(&mut upper, (idx, cols, tspan), highs.collect(), twice)?;
                    }
                    _ => {
                        let mut it = item.into_inner().filter(not_keyword);
                        let target = it.next().expect("target");
                        let shown_target = target.as_str().trim().to_string();
                        let (idx, rows, cols, tspan) = self.target(target, "domain")?;
                        let cmp = it.next().expect("compare");
                        if matches!(cmp.as_str(), ">" | "<") {
                            let closed = if cmp.as_str() == ">" { ">=" } else { "<=" };
                            return Err(self.err(
                                span_range(&cmp.as_span()),
                                format!(
                                    "a domain is closed: write `{closed}` (a boundary has volume zero, so \
                                     the answer is the same, and the point may lie on it)"
                                ),
                                format!("use `{closed}`"),
                            ));
                        }
                        let at_least = matches!(cmp.as_str(), ">=" | "≥");
                        let c = self.constant(it.next().expect("bound"))?;
                        let entries = self.entries(idx, cols, rows * cols);
                        for &k in &entries {
                            let outside = if at_least { point[k] < c } else { point[k] > c };
                            if outside {
                                return Err(self.err(
                                    ispan,
                                    format!(
                                        "the point has `{}` = {}, outside the domain `{shown_target} {} {c}`",
                                        self.variable_name(k),
                                        point[k],
                                        if at_least { ">=" } else { "<=" }
                                    ),
                                    "the point is outside",
                                ));
                            }
                        }
                        let values = vec![(c, true, ispan.clone()); entries.len()];
                        let (slots, twice) = if at_least {
                            (&mut lower, "has its lower bound given twice")
                        } else {
                            (&mut upper, "has its upper bound given twice")
                        };
                        self.fill_slots(slots, (idx, cols, tspan), values, twice)?;
                    }
                }
            }
        }
        let (dlo, dhi) = global.unwrap_or((rat(-1), rat(1)));
        let mut out = Vec::with_capacity(point.len());
        for (k, w) in point.iter().enumerate() {
            let lo = match &lower[k] {
                Some((c, true, _)) => c.clone().max(w + &dlo),
                Some((c, false, _)) => c.clone(),
                None => w + &dlo,
            };
            let hi = match &upper[k] {
                Some((c, true, _)) => c.clone().min(w + &dhi),
                Some((c, false, _)) => c.clone(),
                None => w + &dhi,
            };
            if lo >= hi {
                let span = upper[k].as_ref().or(lower[k].as_ref()).map(|s| s.2.clone()).unwrap_or(0..0);
                return Err(self.err(
                    span,
                    format!(
                        "the domain of `{}` is the single point {w}: a parameter needs an interval around \
                         or beside its point",
                        self.variable_name(k)
                    ),
                    "empty interval",
                ));
            }
            out.push((lo, hi));
        }
        // A simplex coordinate's box comes from the simplex (a box inside
        // it, `problem::simplex`): a bound of its own is a conflict.
        for sx in &simplices {
            if let Some(&k) = sx.vars.iter().find(|&&k| lower[k].is_some() || upper[k].is_some()) {
                return Err(self.err(
                    sx.span.clone(),
                    format!("`{}` is on a simplex and also has a bound of its own", self.variable_name(k)),
                    "bounded twice",
                ));
            }
        }
        Ok((out, simplices))
    }

    /// `simplex(w1, ..., wn)`: distinct parameters, not on another simplex,
    /// with the point on the simplex (`w*_i ≥ 0`, `Σ w*_i = 1`).
    fn simplex(&mut self, item: Pair<'_, Rule>, point: &[Rat], earlier: &[Simplex]) -> Result<Simplex> {
        let span = span_range(&item.as_span());
        let mut vars: Vec<usize> = Vec::new();
        for target in item.into_inner().filter(not_keyword) {
            let (idx, rows, cols, tspan) = self.target(target, "domain")?;
            for k in self.entries(idx, cols, rows * cols) {
                if vars.contains(&k) || earlier.iter().any(|s| s.vars.contains(&k)) {
                    return Err(self.err(
                        tspan,
                        format!("`{}` is on a simplex twice", self.variable_name(k)),
                        "again",
                    ));
                }
                vars.push(k);
            }
        }
        if vars.len() < 2 {
            return Err(self.err(span, "a simplex needs at least two coordinates", "one coordinate"));
        }
        if let Some(&k) = vars.iter().find(|&&k| point[k].is_negative()) {
            return Err(self.err(
                span,
                format!(
                    "the point has `{}` = {}, outside the simplex (coordinates ≥ 0)",
                    self.variable_name(k),
                    point[k]
                ),
                "the point is outside",
            ));
        }
        let total = vars.iter().fold(Rat::zero(), |acc, &k| acc + &point[k]);
        if total != Rat::one() {
            return Err(self.err(
                span,
                format!("the point's coordinates on the simplex sum to {total}, not 1: set them with `at`"),
                "the point is not on the simplex",
            ));
        }
        Ok(Simplex { vars, span })
    }

    /// The variable indices of the `n` entries a target addresses (row-major
    /// from `idx`, `cols` per row).
    fn entries(&self, idx: usize, cols: usize, n: usize) -> Vec<usize> {
        let sym_cols = self.symbol_cols(idx);
        (0..n).map(|k| idx + (k / cols) * sym_cols + k % cols).collect()
    }

    fn interval(&mut self, pair: Pair<'_, Rule>) -> Result<(Rat, Rat)> {
        let span = span_range(&pair.as_span());
        let mut it = pair.into_inner().filter(not_keyword);
        let lo = self.constant(it.next().expect("lo"))?;
        let hi = self.constant(it.next().expect("hi"))?;
        if lo.is_positive() || hi.is_negative() || lo >= hi {
            return Err(self.err(
                span,
                format!(
                    "a domain [{lo}, {hi}] must contain the point: need lo ≤ 0 ≤ hi and lo < hi (bounds are \
                     relative to the point; a bound 0 puts the point on the boundary)"
                ),
                "need lo ≤ 0 ≤ hi",
            ));
        }
        Ok((lo, hi))
    }

    /// Lowers an expression that must be a positive rational constant.
    fn positive_constant(&mut self, expr: Pair<'_, Rule>, what: &str, label: &str) -> Result<Rat> {
        let span = span_range(&expr.as_span());
        let c = self.constant(expr)?;
        if !c.is_positive() {
            return Err(self.err(span, format!("{what} must be positive, got {c}"), label.to_string()));
        }
        Ok(c)
    }

    /// Lowers an expression that must be a rational constant.
    fn constant(&mut self, expr: Pair<'_, Rule>) -> Result<Rat> {
        let span = span_range(&expr.as_span());
        let v = self.expr(expr)?;
        match v.into_scalar() {
            Ok(p) if p.is_constant() => Ok(p.constant_term()),
            Ok(_) => {
                Err(self.err(span, "expected a constant, but this depends on variables", "not constant"))
            }
            Err(m) => Err(self.err(
                span,
                format!("expected a scalar constant, but this is {}", m.describe()),
                "not a scalar",
            )),
        }
    }

    // ---------------------------------------------------------- expressions

    /// Lowers an expression-like pair to a value. Recursion depth is bounded
    /// by the nesting pre-scan (syntax::MAX_NESTING).
    fn expr(&mut self, pair: Pair<'_, Rule>) -> Result<Value> {
        match pair.as_rule() {
            Rule::expr => {
                let mut it = pair.into_inner().filter(not_keyword);
                let mut acc = self.expr(it.next().expect("operand"))?;
                while let Some(op) = it.next() {
                    let rhs = self.expr(it.next().expect("operand"))?;
                    acc = self.add(acc, rhs, op.as_str() == "-", span_range(&op.as_span()))?;
                }
                Ok(acc)
            }
            Rule::product => {
                let mut it = pair.into_inner().filter(not_keyword);
                let mut acc = self.expr(it.next().expect("operand"))?;
                while let Some(op) = it.next() {
                    let rhs_pair = it.next().expect("operand");
                    let rspan = span_range(&rhs_pair.as_span());
                    let rhs = self.expr(rhs_pair)?;
                    let ospan = span_range(&op.as_span());
                    acc = if op.as_str() == "/" {
                        self.divide(acc, rhs, rspan)?
                    } else {
                        self.mul(acc, rhs, ospan)?
                    };
                }
                Ok(acc)
            }
            Rule::factor => {
                let mut negate = false;
                let mut value = None;
                for p in pair.into_inner().filter(not_keyword) {
                    match p.as_rule() {
                        Rule::neg => negate = !negate,
                        _ => value = Some(self.expr(p)?),
                    }
                }
                let v = value.expect("factor operand");
                Ok(if negate { v.map(|p| -p) } else { v })
            }
            Rule::power => {
                let mut it = pair.into_inner().filter(not_keyword);
                let base_pair = it.next().expect("base");
                let bspan = span_range(&base_pair.as_span());
                let base = self.expr(base_pair)?;
                match it.next() {
                    None => Ok(base),
                    Some(exp) => {
                        let k = self.exponent(exp)?;
                        let p = base.into_scalar().map_err(|m| {
                            self.err(
                                bspan.clone(),
                                format!("only scalars have powers, but this is {}", m.describe()),
                                "write the matrix product out",
                            )
                        })?;
                        Ok(Value::Scalar(self.pow(&p, k, bspan)?))
                    }
                }
            }
            Rule::postfix => {
                let mut it = pair.into_inner().filter(not_keyword);
                let mut v = self.expr(it.next().expect("primary"))?;
                for _ in it {
                    v = v.transpose();
                }
                Ok(v)
            }
            Rule::number => {
                let r = self.number(&pair)?;
                Ok(Value::Scalar(Poly::constant(self.nvars, r)))
            }
            Rule::family_param => Err(self.unbound_family(&pair)),
            Rule::unknown_call if self.activations.is_some() => self.activation_call(pair),
            Rule::unknown_call => {
                let name = pair.clone().into_inner().next().expect("function name");
                if crate::problem::analytic::Activation::from_name(name.as_str()).is_some() {
                    return Err(self.err(
                        span_range(&name.as_span()),
                        format!(
                            "unknown function `{0}` here: the loss must be a polynomial (`{0}` is an activation, \
                             allowed only in an `output` of a regression model)",
                            name.as_str()
                        ),
                        "only in `output`",
                    ));
                }
                Err(self.err(
                    span_range(&name.as_span()),
                    format!(
                        "unknown function `{}`: the loss must be a polynomial (the only function is `transpose`)",
                        name.as_str()
                    ),
                    "not a polynomial operation",
                ))
            }
            Rule::call | Rule::paren => {
                let inner = pair.clone().into_inner().find(not_keyword).expect("argument");
                let v = self.expr(inner)?;
                Ok(if pair.as_rule() == Rule::call { v.transpose() } else { v })
            }
            Rule::ident => {
                let sym = self.lookup(&pair)?;
                let n = self.nvars;
                if sym.scalar {
                    return Ok(Value::Scalar(Poly::var(n, sym.first)));
                }
                let entries = (0..sym.len()).map(|k| Poly::var(n, sym.first + k)).collect();
                Ok(Value::Matrix { rows: sym.rows, cols: sym.cols, entries })
            }
            Rule::indexed => {
                let mut it = pair.into_inner().filter(not_keyword);
                let ident = it.next().expect("ident");
                let sym = self.lookup(&ident)?.clone();
                let (i, j) = self.entry_of(&sym, it.next().expect("index"))?;
                Ok(Value::Scalar(Poly::var(self.nvars, sym.first + i * sym.cols + j)))
            }
            Rule::norm => {
                let mut it = pair.into_inner().filter(not_keyword);
                let inner = self.expr(it.next().expect("norm argument"))?;
                let exp = it.next().expect("norm exponent");
                let espan = span_range(&exp.as_span());
                if self.exponent(exp)? != 2 {
                    return Err(self.err(
                        espan,
                        "only the squared norm `||M||^2` is a polynomial",
                        "must be 2",
                    ));
                }
                let mut acc = Poly::zero(self.nvars);
                let sp = espan.clone();
                for e in inner.into_entries() {
                    let sq = self.mul_poly(&e, &e, sp.clone())?;
                    acc = &acc + &sq;
                }
                Ok(Value::Scalar(acc))
            }
            Rule::list => self.list(pair),
            r => Err(Error::Internal(format!("unexpected rule {r:?} in an expression"))),
        }
    }

    /// `[a, b, c]` is a column vector; `[[1,0],[0,1]]` (every item itself a
    /// literal list) is a matrix given by rows.
    fn list(&mut self, pair: Pair<'_, Rule>) -> Result<Value> {
        let items: Vec<Pair<'_, Rule>> = pair.into_inner().filter(not_keyword).collect();
        let rows_given = items.iter().all(|it| as_list_literal(it).is_some());
        if rows_given {
            let mut entries = Vec::new();
            let mut cols = None;
            let nrows = items.len();
            for it in items {
                let row = as_list_literal(&it).expect("row literal");
                let rspan = span_range(&row.as_span());
                let mut n = 0;
                for e in row.into_inner().filter(not_keyword) {
                    entries.push(self.scalar_entry(e)?);
                    n += 1;
                }
                match cols {
                    None => cols = Some(n),
                    Some(c) if c != n => {
                        return Err(self.err(
                            rspan,
                            format!("this row has {n} entries, the first has {c}"),
                            "rows differ in length",
                        ));
                    }
                    _ => {}
                }
            }
            return Ok(Value::Matrix { rows: nrows, cols: cols.unwrap_or(0), entries });
        }
        let mut entries = Vec::new();
        for e in items {
            entries.push(self.scalar_entry(e)?);
        }
        Ok(Value::Matrix { rows: entries.len(), cols: 1, entries })
    }

    fn scalar_entry(&mut self, e: Pair<'_, Rule>) -> Result<Poly> {
        let span = span_range(&e.as_span());
        self.expr(e)?.into_scalar().map_err(|m| {
            self.err(
                span,
                format!("a matrix entry must be a scalar, but this is {}", m.describe()),
                "not a scalar",
            )
        })
    }

    /// The value of an `exponent`: a rational constant (a prior's `|x|^(-1/2)`).
    fn rational_exponent(&mut self, pair: Pair<'_, Rule>) -> Result<Rat> {
        let mut negate = false;
        let mut value = None;
        for p in pair.into_inner().filter(not_keyword) {
            match p.as_rule() {
                Rule::neg => negate = true,
                _ => {
                    let pspan = span_range(&p.as_span());
                    let v = self.expr(p)?;
                    value = Some(match v.into_scalar() {
                        Ok(q) if q.is_constant() => q.constant_term(),
                        _ => {
                            return Err(self.err(pspan, "an exponent must be a constant", "not constant"));
                        }
                    });
                }
            }
        }
        let e = value.expect("exponent value");
        Ok(if negate { -e } else { e })
    }

    /// A non-negative integer exponent no larger than [`MAX_EXPONENT`].
    fn exponent(&mut self, pair: Pair<'_, Rule>) -> Result<u32> {
        let span = span_range(&pair.as_span());
        let e = self.rational_exponent(pair)?;
        if !e.is_integer() {
            return Err(self.err(
                span,
                format!("fractional exponent {e}: exponents must be non-negative integers"),
                "not an integer",
            ));
        }
        if e.is_negative() {
            return Err(self.err(
                span,
                format!("negative exponent {e}: exponents must be non-negative integers"),
                "negative",
            ));
        }
        match e.to_integer().to_u64() {
            Some(k) if k <= MAX_EXPONENT => Ok(k as u32),
            _ => {
                Err(self.err(span, format!("exponent {e} is too large (limit {MAX_EXPONENT})"), "too large"))
            }
        }
    }

    /// An exact decimal literal: `0.1` is 1/10, `1e-3` is 1/1000.
    fn number(&self, pair: &Pair<'_, Rule>) -> Result<Rat> {
        let text = pair.as_str();
        let span = span_range(&pair.as_span());
        let (mantissa, exp10) = match text.find(['e', 'E']) {
            Some(i) => {
                let e: i64 = text[i + 1..].parse().unwrap_or(i64::MAX);
                if e.unsigned_abs() > 1000 {
                    return Err(self.err(
                        span,
                        "the power of ten in this number is too large (limit 1000)",
                        "too large",
                    ));
                }
                (&text[..i], e)
            }
            None => (text, 0),
        };
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = format!("{int_part}{frac_part}");
        let n: BigInt = if digits.is_empty() { BigInt::zero() } else { digits.parse().expect("digits") };
        let shift = exp10 - frac_part.len() as i64;
        let ten = BigInt::from(10);
        let r = if shift >= 0 {
            Rat::from_integer(n * num_traits::pow(ten, shift as usize))
        } else {
            Rat::new(n, num_traits::pow(ten, (-shift) as usize))
        };
        Ok(r)
    }

    // --------------------------------------------------------- arithmetic

    fn add(&self, a: Value, b: Value, negate: bool, op: Range<usize>) -> Result<Value> {
        let f = |x: &Poly, y: &Poly| if negate { x - y } else { x + y };
        match (a, b) {
            (Value::Scalar(x), Value::Scalar(y)) => Ok(Value::Scalar(f(&x, &y))),
            (Value::Matrix { rows, cols, entries: x }, Value::Matrix { rows: r2, cols: c2, entries: y })
                if rows == r2 && cols == c2 =>
            {
                Ok(Value::Matrix { rows, cols, entries: x.iter().zip(&y).map(|(p, q)| f(p, q)).collect() })
            }
            (a, b) => {
                let verb = if negate { "subtract" } else { "add" };
                Err(self.err(
                    op,
                    format!("cannot {verb} {} and {}", a.describe(), b.describe()),
                    "dimension mismatch",
                ))
            }
        }
    }

    fn mul(&mut self, a: Value, b: Value, op: Range<usize>) -> Result<Value> {
        match (a, b) {
            (Value::Scalar(x), Value::Scalar(y)) => Ok(Value::Scalar(self.mul_poly(&x, &y, op)?)),
            (Value::Scalar(s), m @ Value::Matrix { .. }) | (m @ Value::Matrix { .. }, Value::Scalar(s)) => {
                let Value::Matrix { rows, cols, entries } = m else { unreachable!() };
                let mut out = Vec::with_capacity(entries.len());
                for e in &entries {
                    out.push(self.mul_poly(&s, e, op.clone())?);
                }
                Ok(Value::Matrix { rows, cols, entries: out })
            }
            (Value::Matrix { rows, cols, entries: x }, Value::Matrix { rows: r2, cols: c2, entries: y }) => {
                if cols != r2 {
                    return Err(self.err(
                        op,
                        format!("cannot multiply a {rows}×{cols} matrix by a {r2}×{c2} matrix"),
                        "inner dimensions differ",
                    ));
                }
                let mut out = Vec::with_capacity(rows * c2);
                for i in 0..rows {
                    for j in 0..c2 {
                        let mut acc = Poly::zero(self.nvars);
                        for k in 0..cols {
                            let prod = self.mul_poly(&x[i * cols + k], &y[k * c2 + j], op.clone())?;
                            acc = &acc + &prod;
                        }
                        out.push(acc);
                    }
                }
                Ok(Value::Matrix { rows, cols: c2, entries: out })
            }
        }
    }

    fn divide(&self, a: Value, b: Value, rspan: Range<usize>) -> Result<Value> {
        let d = match b.into_scalar() {
            Ok(p) if p.is_constant() => p.constant_term(),
            Ok(_) => {
                return Err(self.err(
                    rspan,
                    "division by a non-constant: the loss must be a polynomial",
                    "depends on variables",
                ));
            }
            Err(m) => {
                return Err(self.err(rspan, format!("cannot divide by {}", m.describe()), "not a scalar"));
            }
        };
        if d.is_zero() {
            return Err(self.err(rspan, "division by zero", "is zero"));
        }
        let inv = d.recip();
        Ok(a.map(|p| p.scale(&inv)))
    }

    /// Checked product: refuses before multiplying when the work or the
    /// degree would pass the limits.
    fn mul_poly(&mut self, a: &Poly, b: &Poly, span: Range<usize>) -> Result<Poly> {
        let work = (a.len() as u64).saturating_mul(b.len() as u64);
        if work > MAX_PRODUCTS || self.products_used.saturating_add(work) > MAX_TOTAL_PRODUCTS {
            return Err(self.err(
                span,
                format!(
                    "expansion too large: multiplying polynomials of {} and {} terms passes the limit of {MAX_PRODUCTS} term products (or {MAX_TOTAL_PRODUCTS} in all)",
                    a.len(),
                    b.len()
                ),
                "too large to expand",
            ));
        }
        if a.degree() as u64 + b.degree() as u64 > MAX_DEGREE {
            return Err(self.err(
                span,
                format!("degree too large (limit {MAX_DEGREE})"),
                "too large to expand",
            ));
        }
        self.products_used += work;
        Ok(a * b)
    }

    /// Checked power by repeated squaring.
    fn pow(&mut self, p: &Poly, k: u32, span: Range<usize>) -> Result<Poly> {
        if k == 0 {
            return Ok(Poly::one(self.nvars));
        }
        if p.is_zero() || k == 1 {
            return Ok(p.clone());
        }
        if p.degree() as u64 * k as u64 > MAX_DEGREE {
            return Err(self.err(
                span,
                format!("degree too large (limit {MAX_DEGREE})"),
                "too large to expand",
            ));
        }
        if power_terms_bound(p.len(), k as u64) > MAX_PRODUCTS {
            return Err(self.err(
                span,
                format!("expansion too large: a polynomial of {} terms to the power {k} may have more than {MAX_PRODUCTS} terms", p.len()),
                "too large to expand",
            ));
        }
        let mut base = p.clone();
        let mut acc: Option<Poly> = None;
        let mut e = k;
        loop {
            if e & 1 == 1 {
                acc = Some(match acc {
                    None => base.clone(),
                    Some(a) => self.mul_poly(&a, &base, span.clone())?,
                });
            }
            e >>= 1;
            if e == 0 {
                break;
            }
            base = self.mul_poly(&base, &base, span.clone())?;
        }
        Ok(acc.expect("k >= 1"))
    }
}

/// The expression of an `output` statement.
fn output_expr<'i>(o: &Pair<'i, Rule>) -> Pair<'i, Rule> {
    o.clone().into_inner().filter(not_keyword).find(|p| p.as_rule() == Rule::expr).expect("output expression")
}

impl Lowerer<'_> {
    /// A model's point is its truth: `at` is an error.
    fn no_point_in_model(&self, st: &Statements<'_>) -> Result<()> {
        match st.points.first() {
            Some(p) => Err(self.err(
                statement_head(p),
                "a model's point is its true parameter: use `truth` instead of `at`",
                "use `truth`",
            )),
            None => Ok(()),
        }
    }

    /// The noise standard deviation σ (1 unless stated; at most one `noise`).
    fn noise(&mut self, st: &Statements<'_>) -> Result<Rat> {
        match st.noises.as_slice() {
            [] => Ok(Rat::one()),
            [n] => {
                let e = n.clone().into_inner().find(not_keyword).expect("noise expression");
                self.positive_constant(e, "the noise standard deviation", "σ > 0")
            }
            [_, second, ..] => Err(self.err(statement_head(second), "`noise` is given twice", "again")),
        }
    }
}

/// Keyword tokens carry no meaning after parsing.
fn not_keyword(p: &Pair<'_, Rule>) -> bool {
    !matches!(
        p.as_rule(),
        Rule::kw_param
            | Rule::kw_input
            | Rule::kw_output
            | Rule::kw_k
            | Rule::kw_ideal
            | Rule::kw_prior
            | Rule::kw_at
            | Rule::kw_domain
            | Rule::kw_noise
            | Rule::kw_truth
            | Rule::kw_in
            | Rule::kw_dirichlet
            | Rule::kw_simplex
            | Rule::kw_model
            | Rule::kw_outcome
            | Rule::kw_transpose
    )
}

/// The span of a statement's first word (its keyword), for messages about
/// the whole statement.
fn statement_head(stmt: &Pair<'_, Rule>) -> Range<usize> {
    let s = stmt.as_span();
    let text = s.as_str();
    let len = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len()).max(1);
    s.start()..(s.start() + len).min(s.end())
}

/// The `list` pair an expression consists of, when it is nothing but a
/// list literal (no operator, sign, power or transpose around it).
fn as_list_literal<'i>(expr: &Pair<'i, Rule>) -> Option<Pair<'i, Rule>> {
    let mut p = expr.clone();
    loop {
        match p.as_rule() {
            Rule::list => return Some(p),
            Rule::expr | Rule::product | Rule::factor | Rule::power | Rule::postfix => {
                let mut it = p.clone().into_inner().filter(not_keyword);
                let only = it.next()?;
                if it.next().is_some() {
                    return None;
                }
                p = only;
            }
            _ => return None,
        }
    }
}
