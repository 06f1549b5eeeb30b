//! What a fit analysis is asked: the regret criteria (`--metrics`), thresholds
//! (`--require "metric<value"`), weights (`--weights metric=w,...`), scenario-discovery
//! questions (`--question "metric:a<b"`) and PRIM's settings. [`FitSettings`] is the text as
//! given, saved as `fit.toml` beside the results (so `merge` analyses shards the same way);
//! [`FitSettings::check`] turns it into checked [`Criteria`] against the experiment's
//! strategies and outputs, before anything runs.

use serde::{Deserialize, Serialize};

use super::metrics::{self, DEFAULT_METRICS};
use super::prim::PrimParams;

/// The fit analysis settings as given (strings as on the command line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitSettings {
    /// Regret criteria, in order; the first is the primary metric.
    pub metrics: Vec<String>,
    /// Satisficing thresholds, e.g. `npv_cost_usd<60e6`.
    pub require: Vec<String>,
    /// Weights of the weighted score, e.g. `npv_cost_usd=0.5`.
    pub weights: Vec<String>,
    /// Scenario-discovery questions, e.g. `npv_cost_usd:collaboration<coexistence`; empty
    /// means the defaults (where each other strategy beats the leader on the primary metric).
    pub questions: Vec<String>,
    /// PRIM: the chosen box is the first on the trajectory with at least this density.
    pub threshold: f64,
    /// PRIM: share of the box's points peeled per step.
    pub peel_alpha: f64,
    /// PRIM: share pasted back per step.
    pub paste_alpha: f64,
    /// PRIM: peeling stops before the box would hold less than this share of the points.
    pub mass_min: f64,
}

impl Default for FitSettings {
    fn default() -> Self {
        FitSettings {
            metrics: DEFAULT_METRICS.iter().map(|s| s.to_string()).collect(),
            require: Vec::new(),
            weights: Vec::new(),
            questions: Vec::new(),
            threshold: 0.8,
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
        }
    }
}

/// A comparison in `--require`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Less,
    LessEq,
    Greater,
    GreaterEq,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Less => "<",
            Op::LessEq => "<=",
            Op::Greater => ">",
            Op::GreaterEq => ">=",
        }
    }

    /// Whether `value op threshold` holds.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Op::Less => value < threshold,
            Op::LessEq => value <= threshold,
            Op::Greater => value > threshold,
            Op::GreaterEq => value >= threshold,
        }
    }
}

/// One satisficing threshold: a context meets it when the strategy's mean over the seeds
/// at that context satisfies `metric op value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub metric: String,
    pub op: Op,
    pub value: f64,
}

impl Requirement {
    /// Reads `metric<value` (also `<=`, `>`, `>=`; spaces allowed).
    pub fn parse(text: &str) -> Result<Requirement, String> {
        let bad = || {
            format!(
                "--require \"{text}\": expected METRIC<VALUE (or <=, >, >=), e.g. \"npv_cost_usd<60e6\""
            )
        };
        let at = text.find(['<', '>']).ok_or_else(bad)?;
        let (metric, rest) = text.split_at(at);
        let (op, value) = if let Some(v) = rest.strip_prefix("<=") {
            (Op::LessEq, v)
        } else if let Some(v) = rest.strip_prefix(">=") {
            (Op::GreaterEq, v)
        } else if let Some(v) = rest.strip_prefix('<') {
            (Op::Less, v)
        } else {
            (Op::Greater, &rest[1..])
        };
        let value: f64 = value.trim().parse().map_err(|_| bad())?;
        let metric = metric.trim();
        if metric.is_empty() || !value.is_finite() {
            return Err(bad());
        }
        Ok(Requirement {
            metric: metric.to_string(),
            op,
            value,
        })
    }

    /// Canonical text, e.g. `npv_cost_usd<60000000`.
    pub fn text(&self) -> String {
        format!("{}{}{}", self.metric, self.op.text(), self.value)
    }
}

/// A scenario-discovery question: at which contexts is `first`'s mean `metric` below
/// (`less`) or above `second`'s?
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub metric: String,
    pub first: String,
    pub less: bool,
    pub second: String,
}

impl Question {
    /// Reads `metric:a<b` or `metric:a>b`.
    pub fn parse(text: &str) -> Result<Question, String> {
        let bad = || {
            format!(
                "--question \"{text}\": expected METRIC:STRATEGY<STRATEGY (or >), e.g. \"npv_cost_usd:collaboration<coexistence\""
            )
        };
        let (metric, rest) = text.split_once(':').ok_or_else(bad)?;
        let at = rest.find(['<', '>']).ok_or_else(bad)?;
        let (first, second) = (rest[..at].trim(), rest[at + 1..].trim());
        if metric.trim().is_empty() || first.is_empty() || second.is_empty() {
            return Err(bad());
        }
        Ok(Question {
            metric: metric.trim().to_string(),
            first: first.to_string(),
            less: &rest[at..=at] == "<",
            second: second.to_string(),
        })
    }

    /// Canonical text, e.g. `npv_cost_usd:collaboration<coexistence`.
    pub fn text(&self) -> String {
        let op = if self.less { '<' } else { '>' };
        format!("{}:{}{op}{}", self.metric, self.first, self.second)
    }

    /// The question where `challenger` does better than `leader` on `metric`.
    pub fn beats(metric: &str, challenger: &str, leader: &str) -> Question {
        Question {
            metric: metric.to_string(),
            first: challenger.to_string(),
            less: metrics::direction(metric) != metrics::Direction::Higher,
            second: leader.to_string(),
        }
    }
}

/// The checked settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Criteria {
    /// Regret criteria; the first is the primary metric.
    pub metrics: Vec<String>,
    pub requirements: Vec<Requirement>,
    /// (metric, weight), weights summing to 1; empty when no weights were given.
    pub weights: Vec<(String, f64)>,
    /// Explicit questions (empty: the defaults, decided once the regrets are known).
    pub questions: Vec<Question>,
    pub prim: PrimParams,
}

impl Criteria {
    /// Every metric the analysis reads, without repeats, in first-use order.
    pub fn needed(&self) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        let more = self.requirements.iter().map(|r| &r.metric);
        let more = more.chain(self.weights.iter().map(|(m, _)| m));
        let more = more.chain(self.questions.iter().map(|q| &q.metric));
        for m in self.metrics.iter().chain(more) {
            if !all.contains(m) {
                all.push(m.clone());
            }
        }
        all
    }
}

impl FitSettings {
    /// Checks the settings against the experiment's `strategies` and `outputs`.
    pub fn check(&self, strategies: &[String], outputs: &[String]) -> Result<Criteria, String> {
        if strategies.len() < 2 {
            return Err(format!(
                "fit compares strategies: it needs at least two, got {}",
                strategies.len()
            ));
        }
        if self.metrics.is_empty() {
            return Err("--metrics: expected at least one metric".into());
        }
        metrics::check(&self.metrics, outputs, "--metrics", true)?;
        let requirements = self
            .require
            .iter()
            .map(|r| Requirement::parse(r))
            .collect::<Result<Vec<_>, _>>()?;
        let names: Vec<String> = requirements.iter().map(|r| r.metric.clone()).collect();
        metrics::check(&names, outputs, "--require", false)?;
        let weights = self.checked_weights(outputs)?;
        let questions = self
            .questions
            .iter()
            .map(|q| Question::parse(q))
            .collect::<Result<Vec<_>, _>>()?;
        for q in &questions {
            metrics::check(
                std::slice::from_ref(&q.metric),
                outputs,
                "--question",
                false,
            )?;
            for s in [&q.first, &q.second] {
                if !strategies.contains(s) {
                    return Err(format!(
                        "--question \"{}\": no strategy \"{s}\" in this experiment; expected some of: {}",
                        q.text(),
                        strategies.join(", ")
                    ));
                }
            }
            if q.first == q.second {
                return Err(format!(
                    "--question \"{}\": expected two different strategies",
                    q.text()
                ));
            }
        }
        let prim = PrimParams {
            peel_alpha: self.peel_alpha,
            paste_alpha: self.paste_alpha,
            mass_min: self.mass_min,
            threshold: self.threshold,
        };
        prim.check()?;
        Ok(Criteria {
            metrics: self.metrics.clone(),
            requirements,
            weights,
            questions,
            prim,
        })
    }

    fn checked_weights(&self, outputs: &[String]) -> Result<Vec<(String, f64)>, String> {
        let mut weights: Vec<(String, f64)> = Vec::new();
        for w in &self.weights {
            let bad = || format!("--weights \"{w}\": expected METRIC=WEIGHT, a weight >= 0");
            let (metric, value) = w.split_once('=').ok_or_else(bad)?;
            let value: f64 = value.trim().parse().map_err(|_| bad())?;
            if !value.is_finite() || value < 0.0 {
                return Err(bad());
            }
            let metric = metric.trim().to_string();
            if weights.iter().any(|(m, _)| *m == metric) {
                return Err(format!("--weights: metric `{metric}` appears twice"));
            }
            weights.push((metric, value));
        }
        let names: Vec<String> = weights.iter().map(|(m, _)| m.clone()).collect();
        metrics::check(&names, outputs, "--weights", true)?;
        let total: f64 = weights.iter().map(|(_, w)| w).sum();
        if !weights.is_empty() && total <= 0.0 {
            return Err("--weights: expected at least one weight above 0".into());
        }
        Ok(weights.into_iter().map(|(m, w)| (m, w / total)).collect())
    }

    /// fit.toml: the settings as TOML, with a header saying what the file is.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).expect("fit settings serialise");
        format!("# The analysis settings of `cohabit fit` (read again by `cohabit merge`).\n{body}")
    }

    /// Reads fit.toml.
    pub fn from_toml(text: &str) -> Result<FitSettings, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn requirements_read_every_comparison() {
        let r = Requirement::parse("npv_cost_usd<60e6").unwrap();
        assert_eq!(
            (r.metric.as_str(), r.op, r.value),
            ("npv_cost_usd", Op::Less, 60e6)
        );
        assert_eq!(r.text(), "npv_cost_usd<60000000");
        assert_eq!(
            Requirement::parse("fatalities <= 2").unwrap().op,
            Op::LessEq
        );
        assert_eq!(
            Requirement::parse("trust_final>0.5").unwrap().op,
            Op::Greater
        );
        assert_eq!(
            Requirement::parse("trust_final>=0.5").unwrap().op,
            Op::GreaterEq
        );
        for bad in ["npv_cost_usd", "<3", "x<abc", "x<inf", "x=3"] {
            assert!(Requirement::parse(bad).is_err(), "{bad}");
        }
        assert!(Op::LessEq.holds(2.0, 2.0) && !Op::Less.holds(2.0, 2.0));
    }

    #[test]
    fn questions_read_and_print() {
        let q = Question::parse("npv_cost_usd:collaboration<coexistence").unwrap();
        assert!(q.less);
        assert_eq!(q.text(), "npv_cost_usd:collaboration<coexistence");
        let q = Question::parse("trust_final: a > b").unwrap();
        assert_eq!(q.text(), "trust_final:a>b");
        assert!(Question::parse("npv_cost_usd:a").is_err());
        assert!(Question::parse("a<b").is_err());
        assert!(!Question::beats("mean_income_usd_week", "a", "b").less);
    }

    #[test]
    fn check_refuses_bad_settings_with_clear_words() {
        let strategies = names(&["a", "b"]);
        let outputs = names(&["npv_cost_usd", "fatalities", "arrivals"]);
        let mut s = FitSettings {
            metrics: names(&["npv_cost_usd"]),
            ..FitSettings::default()
        };
        assert!(s.check(&strategies, &outputs).is_ok());
        assert!(
            s.check(&names(&["a"]), &outputs)
                .unwrap_err()
                .contains("at least two")
        );
        s.metrics = names(&["arrivals"]);
        assert!(
            s.check(&strategies, &outputs)
                .unwrap_err()
                .contains("no better direction")
        );
        s.metrics = names(&["npv_cost_usd"]);
        s.require = names(&["nope<3"]);
        assert!(
            s.check(&strategies, &outputs)
                .unwrap_err()
                .contains("unknown metric `nope`")
        );
        s.require = names(&["arrivals<3"]);
        assert!(s.check(&strategies, &outputs).is_ok());
        s.questions = names(&["npv_cost_usd:a<c"]);
        assert!(
            s.check(&strategies, &outputs)
                .unwrap_err()
                .contains("no strategy \"c\"")
        );
        s.questions = names(&["npv_cost_usd:a<a"]);
        assert!(
            s.check(&strategies, &outputs)
                .unwrap_err()
                .contains("two different")
        );
        s.questions.clear();
        s.weights = names(&["npv_cost_usd=3", "fatalities=1"]);
        let c = s.check(&strategies, &outputs).unwrap();
        assert_eq!(c.weights[0], ("npv_cost_usd".to_string(), 0.75));
        assert_eq!(
            c.needed(),
            names(&["npv_cost_usd", "arrivals", "fatalities"])
        );
        s.weights = names(&["npv_cost_usd=-1"]);
        assert!(s.check(&strategies, &outputs).is_err());
        s.weights = names(&["npv_cost_usd=0"]);
        assert!(
            s.check(&strategies, &outputs)
                .unwrap_err()
                .contains("above 0")
        );
        s.weights.clear();
        s.peel_alpha = 0.6;
        assert!(s.check(&strategies, &outputs).unwrap_err().contains("peel"));
    }

    #[test]
    fn settings_round_trip_through_toml() {
        let s = FitSettings {
            require: names(&["npv_cost_usd<60000000"]),
            questions: names(&["npv_cost_usd:a<b"]),
            ..FitSettings::default()
        };
        let text = s.to_toml();
        assert!(text.starts_with("# The analysis settings"));
        assert_eq!(FitSettings::from_toml(&text).unwrap(), s);
        assert!(FitSettings::from_toml("metrics = 3").is_err());
    }
}
