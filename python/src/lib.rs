//! `rlct._rlct`: the compiled half of the Python package. Every function
//! calls the same driver as the CLI (`rlct::drivers`) and returns the same
//! JSON text that the CLI prints with `--json`, which `rlct/__init__.py`
//! turns into Python objects; only `sample` returns numbers directly.
//!
//! Long calls run on a worker thread with the GIL released; the calling
//! thread wakes at least every 100 ms to run Python's signal handlers, so
//! Ctrl-C raises `KeyboardInterrupt` within a second. The abandoned worker
//! stops at its deadline (exact engine) or finishes its runs and is
//! dropped (estimators).

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rlct::drivers::analysis::{self, Hooks, MethodChoice, RunSettings};
use rlct::models::Family;
use rlct::{Error, Problem};

pyo3::create_exception!(
    rlct,
    InputError,
    PyValueError,
    "Invalid program text: `.line` and `.column` (1-based) locate the error, `.message` says what is \
     wrong, `str(e)` is the CLI's caret rendering."
);
pyo3::create_exception!(
    rlct,
    LimitError,
    PyRuntimeError,
    "A time or size limit was reached before any result existed (the CLI's exit code 5)."
);
pyo3::create_exception!(
    rlct,
    EstimatorError,
    PyRuntimeError,
    "The estimator gave up on valid input (the CLI's exit code 4)."
);

/// The name programs given as text carry in messages.
const SOURCE_NAME: &str = "<python>";

/// Maps the crate's error to the Python exception of the same meaning.
fn to_py(e: Error) -> PyErr {
    match e {
        Error::Input(d) => {
            let (line, column) = d.line_col();
            let err = InputError::new_err(d.render());
            Python::attach(|py| {
                let v = err.value(py);
                let _ = v.setattr("line", line);
                let _ = v.setattr("column", column);
                let _ = v.setattr("message", d.message.clone());
                let _ = v.setattr("label", d.label.clone());
            });
            err
        }
        Error::Unsupported(_) | Error::Usage(_) => PyValueError::new_err(e.to_string()),
        Error::Limit(_) => LimitError::new_err(e.to_string()),
        Error::Estimator(_) => EstimatorError::new_err(e.to_string()),
        Error::Internal(_) | Error::BrokenPipe => PyRuntimeError::new_err(e.to_string()),
    }
}

/// Runs `f` with the GIL released, checking for signals every 100 ms.
fn detached<T: Send>(
    py: Python<'_>,
    f: impl FnOnce(&mut dyn FnMut() -> rlct::Result<()>) -> rlct::Result<T> + Send,
) -> PyResult<T> {
    let mut interrupted: Option<PyErr> = None;
    let res = py.detach(|| {
        let mut wait = || match Python::attach(|py| py.check_signals()) {
            Ok(()) => Ok(()),
            Err(e) => {
                interrupted = Some(e);
                Err(Error::Internal("interrupted".into()))
            }
        };
        f(&mut wait)
    });
    match interrupted {
        Some(e) => Err(e),
        None => res.map_err(to_py),
    }
}

/// `f` on a worker thread (64 MiB stack), detached and interruptible.
fn on_worker<T: Send + 'static>(
    py: Python<'_>,
    f: impl FnOnce() -> rlct::Result<T> + Send + 'static,
) -> PyResult<T> {
    detached(py, move |wait| rlct::drivers::on_worker(f, wait))
}

fn to_text(v: &serde_json::Value) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Parses a program on a worker thread.
fn parse(py: Python<'_>, program: &str) -> PyResult<Problem> {
    let src = program.to_string();
    on_worker(py, move || rlct::dsl::parse_program(&src, SOURCE_NAME))
}

/// A program's problem, or a built-in family's (`family` wins).
fn load(py: Python<'_>, program: Option<&str>, family: Option<&str>) -> PyResult<(Problem, Option<Family>)> {
    match (program, family) {
        (_, Some(f)) => {
            let fam = Family::parse(f).map_err(to_py)?;
            Ok((fam.problem().map_err(to_py)?, Some(fam)))
        }
        (Some(p), None) => Ok((parse(py, p)?, None)),
        (None, None) => Err(PyTypeError::new_err("give a program or a family")),
    }
}

/// `rlct exact --json`.
#[pyfunction]
#[pyo3(signature = (program, budget=None, time_limit=None, charts=None, no_theorems=false))]
fn exact(
    py: Python<'_>,
    program: &str,
    budget: Option<usize>,
    time_limit: Option<f64>,
    charts: Option<&str>,
    no_theorems: bool,
) -> PyResult<String> {
    if let Some(t) = time_limit {
        rlct::limits::parse_time_limit(&t.to_string()).map_err(PyValueError::new_err)?;
    }
    let toric = match charts {
        None => None,
        Some("toric") => Some(true),
        Some("coordinate") => Some(false),
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "charts must be 'coordinate' or 'toric', got {other:?}"
            )));
        }
    };
    let opts = rlct::exact::ExactOptions { budget, toric, skip_theorems: no_theorems, ..Default::default() };
    // The same object as `rlct exact --json` (second proof, label).
    let res = detached(py, |wait| rlct::drivers::exact_json(program, SOURCE_NAME, opts, time_limit, wait))?;
    serde_json::to_string(&res).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// The estimator settings from keyword arguments (the CLI's flag names with
/// `_` for `-`).
fn run_settings(kw: Option<&Bound<'_, PyDict>>) -> PyResult<RunSettings> {
    let mut s = RunSettings::DEFAULT;
    let Some(kw) = kw else { return Ok(s) };
    for (k, v) in kw.iter() {
        let key: String = k.extract()?;
        if v.is_none() {
            continue;
        }
        match key.as_str() {
            "method" => s.method = Some(MethodChoice::parse(&v.extract::<String>()?).map_err(to_py)?),
            "seed" => s.seed = v.extract()?,
            "threads" => s.threads = Some(v.extract()?),
            "max_evals" => s.max_evals = Some(v.extract()?),
            "time_limit" => {
                let t: f64 = v.extract()?;
                rlct::limits::parse_time_limit(&t.to_string()).map_err(PyValueError::new_err)?;
                s.time_limit = Some(t);
            }
            "runs" => s.runs = v.extract()?,
            "live" => s.live = v.extract()?,
            "depth" => s.depth = Some(v.extract()?),
            "steps" => s.steps = Some(v.extract()?),
            "multiplicity" => s.multiplicity = Some(v.extract()?),
            "exact_timeout" => {
                let t: f64 = v.extract()?;
                rlct::limits::parse_time_limit(&t.to_string()).map_err(PyValueError::new_err)?;
                s.exact_timeout = t;
            }
            "sgld_n" => s.sgld_n = v.extract()?,
            "sgld_chains" => s.sgld_chains = v.extract()?,
            "sgld_draws" => s.sgld_draws = v.extract()?,
            "sgld_step" => s.sgld_step = Some(v.extract()?),
            _ => return Err(PyTypeError::new_err(format!("unexpected keyword argument '{key}'"))),
        }
    }
    Ok(s)
}

/// `rlct estimate --json`.
#[pyfunction]
#[pyo3(signature = (program, **settings))]
fn estimate(py: Python<'_>, program: String, settings: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
    let s = run_settings(settings)?;
    let started = std::time::Instant::now();
    let out = on_worker(py, move || {
        let problem = rlct::dsl::parse_program(&program, SOURCE_NAME)?;
        analysis::estimate(&problem, &s, started, &Hooks::default())
    })?;
    to_text(&out.to_json())
}

/// `rlct analyze --json`, and whether the verdict is `disagree`.
#[pyfunction]
#[pyo3(signature = (program, **settings))]
fn analyze(py: Python<'_>, program: String, settings: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
    let s = run_settings(settings)?;
    let started = std::time::Instant::now();
    let out = on_worker(py, move || {
        let problem = rlct::dsl::parse_program(&program, SOURCE_NAME)?;
        analysis::analyze(&problem, &s, started, &Hooks::default())
    })?;
    to_text(&out.to_json())
}

/// `rlct model FAMILY --json` from a family name such as `rrr(3,3,2,1)`,
/// or from the arrangement's forms (`'1,0;0,1;1,1'`) and multiplicities.
#[pyfunction]
#[pyo3(signature = (name=None, forms=None, mult=None))]
fn model(name: Option<&str>, forms: Option<&str>, mult: Option<Vec<u32>>) -> PyResult<String> {
    let fam = match (name, forms) {
        (_, Some(forms)) => {
            let forms = rlct::models::families::parse_forms(forms).map_err(to_py)?;
            let mult = mult.unwrap_or_else(|| vec![1; forms.len()]);
            Family::Arrangement { forms, mult }
        }
        (Some(name), None) => Family::parse(name).map_err(to_py)?,
        (None, None) => return Err(PyTypeError::new_err("give a family name or forms")),
    };
    to_text(&rlct::drivers::model_json(&fam).map_err(to_py)?)
}

/// `rlct model list --json`.
#[pyfunction]
fn model_list() -> PyResult<String> {
    let list: Vec<_> = rlct::models::families::CATALOGUE
        .iter()
        .map(|(name, usage, cite)| serde_json::json!({ "family": name, "usage": usage, "source": cite }))
        .collect();
    to_text(&serde_json::Value::Array(list))
}

/// The data set `rlct llc --n N --seed SEED` uses: `(x, y, n, inputs,
/// outputs, input_names)` with `x`, `y` flat row-major lists.
#[pyfunction]
#[pyo3(signature = (n, seed, program=None, family=None))]
#[allow(clippy::type_complexity)]
fn sample(
    py: Python<'_>,
    n: usize,
    seed: u64,
    program: Option<&str>,
    family: Option<&str>,
) -> PyResult<(Vec<f64>, Vec<f64>, usize, usize, usize, Vec<String>)> {
    let (problem, _) = load(py, program, family)?;
    let s = on_worker(py, move || rlct::drivers::llc::sample(&problem, n, seed))?;
    let k = s.inputs.len();
    Ok((s.x, s.y, s.n, k, s.outputs, s.inputs))
}

/// `rlct llc --json`: `preset` then `overrides` (the names of `--set`,
/// values as text).
#[pyfunction]
#[pyo3(signature = (program=None, family=None, preset="tuned", seed=0, overrides=None, threads=None, traces=false))]
#[allow(clippy::too_many_arguments)]
fn llc(
    py: Python<'_>,
    program: Option<&str>,
    family: Option<&str>,
    preset: &str,
    seed: u64,
    overrides: Option<Vec<(String, String)>>,
    threads: Option<usize>,
    traces: bool,
) -> PyResult<String> {
    let (problem, fam) = load(py, program, family)?;
    let mut settings = rlct::drivers::validate::preset(preset).map_err(to_py)?;
    settings.seed = seed;
    for (k, v) in overrides.unwrap_or_default() {
        rlct::drivers::validate::set_field(&mut settings, &k, &v).map_err(to_py)?;
    }
    let closed = fam.map(|f| f.closed_form()).transpose().map_err(to_py)?;
    let run =
        on_worker(py, move || rlct::drivers::llc::run(&problem, &settings, closed, threads, traces, &|| {}))?;
    to_text(&run.to_json().map_err(to_py)?)
}

/// `rlct answer-key --format jsonl` as one JSON array: the default key, or
/// the named families (the key's spelling).
#[pyfunction]
#[pyo3(signature = (families=None, time_limit=None))]
fn answer_key(py: Python<'_>, families: Option<Vec<String>>, time_limit: Option<f64>) -> PyResult<String> {
    let limit = time_limit.unwrap_or(rlct::limits::DEFAULT_EXACT_TIME_LIMIT_SECS);
    rlct::limits::parse_time_limit(&limit.to_string()).map_err(PyValueError::new_err)?;
    let rows = on_worker(py, move || {
        let fams = match families {
            None => rlct::drivers::answer_key::default_families(),
            Some(names) => names
                .iter()
                .map(|n| rlct::drivers::answer_key::parse_key_name(n))
                .collect::<rlct::Result<_>>()?,
        };
        fams.iter().map(|f| rlct::drivers::answer_key::row(f, limit)).collect::<rlct::Result<Vec<_>>>()
    })?;
    serde_json::to_string(&rows).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// `rlct score --json` on JSON Lines `text` (named `name` in messages),
/// joined with the key rows in `key` (JSON Lines; families not in it are
/// solved on demand).
#[pyfunction]
#[pyo3(signature = (text, name="<estimates>", key=None))]
fn score(py: Python<'_>, text: String, name: &str, key: Option<String>) -> PyResult<String> {
    let name = name.to_string();
    let s = on_worker(py, move || {
        let rows = match key {
            Some(k) => rlct::drivers::answer_key::parse_rows(&k, "<key>")?,
            None => vec![],
        };
        rlct::drivers::score::score(&text, &name, &rows)
    })?;
    serde_json::to_string(&s).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// `rlct sweep --format jsonl` as one JSON array: `ranges` as `a=1..5`,
/// `expect` a formula, `estimate` `None`, `"volume"` or `"llc"` (with
/// `runs`/`live`, or `preset` and `overrides`).
#[pyfunction]
#[pyo3(signature = (program, ranges, expect=None, shard=None, estimate=None, seed=0, runs=8, live=100, preset="tuned", overrides=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn sweep(
    py: Python<'_>,
    program: String,
    ranges: Vec<String>,
    expect: Option<String>,
    shard: Option<String>,
    estimate: Option<String>,
    seed: u64,
    runs: usize,
    live: usize,
    preset: &str,
    overrides: Option<Vec<(String, String)>>,
    threads: Option<usize>,
) -> PyResult<String> {
    use rlct::drivers::sweep as sw;
    let ranges =
        ranges.iter().map(|r| sw::parse_range(r)).collect::<rlct::Result<Vec<_>>>().map_err(to_py)?;
    let expect = expect.as_deref().map(sw::Formula::parse).transpose().map_err(to_py)?;
    let shard = rlct::drivers::shard::resolve(shard.as_deref()).map_err(to_py)?;
    let method = match estimate.as_deref() {
        None => None,
        Some("volume") => {
            if runs < 2 || live < 2 {
                return Err(PyValueError::new_err("runs and live must be at least 2"));
            }
            Some(sw::EstimateMethod::Volume { runs, live })
        }
        Some("llc") => {
            let mut s = rlct::drivers::validate::preset(preset).map_err(to_py)?;
            for (k, v) in overrides.unwrap_or_default() {
                rlct::drivers::validate::set_field(&mut s, &k, &v).map_err(to_py)?;
            }
            Some(sw::EstimateMethod::Llc(Box::new(s)))
        }
        Some(other) => {
            return Err(PyValueError::new_err(format!("estimate must be 'volume' or 'llc', got {other:?}")));
        }
    };
    let members = sw::shard_members(&program, &ranges, shard).map_err(to_py)?;
    let rows = on_worker(py, move || {
        let pool = rlct::drivers::llc::thread_pool(threads)?;
        Ok(pool
            .install(|| sw::run_members(&program, &members, expect.as_ref(), method.as_ref(), seed, &|| {})))
    })?;
    serde_json::to_string(&rows).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// `rlct validate --format jsonl` as one JSON array (built-in families only).
#[pyfunction]
#[pyo3(signature = (families=None, presets=None, grid=None, set=None, seed=0, shard=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn validate(
    py: Python<'_>,
    families: Option<Vec<String>>,
    presets: Option<Vec<String>>,
    grid: Option<Vec<String>>,
    set: Option<Vec<String>>,
    seed: u64,
    shard: Option<String>,
    threads: Option<usize>,
) -> PyResult<String> {
    use rlct::drivers::validate as v;
    let presets = presets.unwrap_or_else(|| vec!["devinterp".into(), "tuned".into()]);
    let configs = v::configurations(&presets, &set.unwrap_or_default(), &grid.unwrap_or_default(), seed)
        .map_err(to_py)?;
    let models = v::family_models(&families.unwrap_or_default()).map_err(to_py)?;
    let shard = rlct::drivers::shard::resolve(shard.as_deref()).map_err(to_py)?;
    let jobs = v::jobs(models.len(), configs.len(), shard);
    let rows = on_worker(py, move || {
        let pool = rlct::drivers::llc::thread_pool(threads)?;
        jobs.iter()
            .map(|&(m, c)| pool.install(|| v::run_one(&models[m], &configs[c])))
            .collect::<rlct::Result<Vec<_>>>()
    })?;
    serde_json::to_string(&rows).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// The compiled module.
#[pymodule]
fn _rlct(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("LimitError", py.get_type::<LimitError>())?;
    m.add("EstimatorError", py.get_type::<EstimatorError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(exact, m)?)?;
    m.add_function(wrap_pyfunction!(estimate, m)?)?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(model, m)?)?;
    m.add_function(wrap_pyfunction!(model_list, m)?)?;
    m.add_function(wrap_pyfunction!(sample, m)?)?;
    m.add_function(wrap_pyfunction!(llc, m)?)?;
    m.add_function(wrap_pyfunction!(answer_key, m)?)?;
    m.add_function(wrap_pyfunction!(score, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    Ok(())
}
