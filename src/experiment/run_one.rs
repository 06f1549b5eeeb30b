//! `cohabit run-one`: one run, parameters as JSON in, metrics as JSON out, so that other
//! tools (EMA Workbench, Ray, Dask, ...) can drive cohabit as an external model.
//!
//! Input (every field but `strategy` optional):
//!
//! ```json
//! {"scenario": "my-site.toml", "set": {"economy.price_volatility": 0.3,
//!  "government.election_behaviour": "leniency"}, "strategy": "coexistence",
//!  "replicate": 0, "master_seed": 42, "point": 0}
//! ```
//!
//! `scenario` is a scenario file (default: the embedded default); `set` maps dotted scenario
//! keys to numbers, strings or booleans, applied like `--set`; `replicate` (default 0) and
//! `point` (default 0) pick the random future, with seed `RunSeed::new(master_seed, point,
//! replicate)` exactly as in `run` and `sweep`, so a run-one reproduces any row of their
//! runs.csv. Output, one line:
//!
//! ```json
//! {"scenario":"default","strategy":"coexistence","replicate":0,"point":0,"seed":123,
//!  "metrics":{"incursions":...,...}}
//! ```
//!
//! `metrics` holds every column of runs.csv after `seed` (keys in alphabetical order), rounded
//! as there (10 significant digits). Errors (bad JSON, unknown fields or keys, bad values)
//! go to standard error with exit code 2.

use crate::metrics::METRICS;
use crate::output::safe::{brief, brief_to};
use crate::rng::RunSeed;
use crate::scenario::{self, ScenarioSource};
use crate::sim;
use crate::stats::canonical;
use serde::Deserialize;
use std::path::PathBuf;

/// The request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub scenario: Option<PathBuf>,
    #[serde(default)]
    pub set: serde_json::Map<String, serde_json::Value>,
    pub strategy: Option<String>,
    #[serde(default)]
    pub replicate: u64,
    pub master_seed: Option<u64>,
    #[serde(default)]
    pub point: u64,
}

/// Runs the request in `text`; returns the reply (one JSON line) or what is wrong.
pub fn run_json(text: &str) -> Result<String, String> {
    let req: Request = serde_json::from_str(text)
        .map_err(|e| format!("bad JSON request: {}", brief_to(&e.to_string(), 200)))?;
    let mut set = Vec::new();
    for (key, value) in &req.set {
        let literal = match value {
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
            serde_json::Value::Number(n) => {
                let x = n
                    .as_f64()
                    .ok_or_else(|| format!("set.{}: {n} is not a number", brief(key)))?;
                toml::Value::Float(x).to_string()
            }
            serde_json::Value::String(s) => toml::Value::String(s.clone()).to_string(),
            other => {
                return Err(format!(
                    "set.{}: expected a number, string or boolean, got {}",
                    brief(key),
                    brief(&other.to_string())
                ));
            }
        };
        set.push(format!("{key}={literal}"));
    }
    if let Some(m) = req.master_seed {
        set.push(format!("master_seed={m}"));
    }
    let source = req
        .scenario
        .clone()
        .map_or(ScenarioSource::Default, ScenarioSource::File);
    let s = scenario::load(&source, &set).map_err(|e| format!("bad scenario:\n{e}"))?;
    let names = s.strategy_names();
    let Some(name) = req.strategy.clone() else {
        return Err(format!(
            "say which strategy to run: \"strategy\": one of {}",
            names.join(", ")
        ));
    };
    let Some(index) = names.iter().position(|n| *n == name) else {
        return Err(format!(
            "no strategy \"{}\" in scenario \"{}\"; expected one of {}",
            brief(&name),
            s.name,
            names.join(", ")
        ));
    };
    let seed = RunSeed::new(s.master_seed, req.point, req.replicate);
    let out = sim::run(&s, &s.strategies[index].strategy, seed);
    let mut metrics = serde_json::Map::new();
    for (m, v) in METRICS.iter().zip(out.metrics.values()) {
        metrics.insert(m.to_string(), serde_json::json!(canonical(v)));
    }
    let reply = serde_json::json!({
        "scenario": s.name,
        "strategy": name,
        "replicate": req.replicate,
        "point": req.point,
        "seed": seed.0,
        "metrics": metrics,
    });
    Ok(reply.to_string() + "\n")
}
