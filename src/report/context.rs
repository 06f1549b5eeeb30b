//! The scenario's context in words, read from `scenario.toml` by dotted key: the gold price,
//! the miners, the chiefs, officials, security forces and government, the company's discount
//! rate, and per strategy its preset and engagement. Keys that are missing or of an
//! unexpected type are skipped.

use super::format::{display_name, num, pct_input as pct, years};

/// One context line: what it is and its value in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parameter {
    /// What the parameter is.
    pub label: &'static str,
    /// Its value with unit.
    pub value: String,
}

/// A strategy's set-up as the scenario resolved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StrategySetup {
    /// The strategy's name (as in runs.csv).
    pub name: String,
    /// The preset it starts from, if any.
    pub preset: Option<String>,
    /// Engagement channel, in words.
    pub channel: Option<String>,
    /// When engagement starts, in words.
    pub start: Option<String>,
}

/// How to word a numeric value.
#[derive(Clone, Copy)]
enum Unit {
    Count,
    Share,
    AnnualShare,
    Scale01,
    Weeks,
    UsdPerGram,
    UsdPerWeek,
}

const KEYS: [(&str, &str, Unit); 16] = [
    ("weeks", "Horizon", Unit::Weeks),
    (
        "economy.gold_price_usd_per_g",
        "Gold price at the start",
        Unit::UsdPerGram,
    ),
    (
        "economy.price_volatility",
        "Gold price volatility",
        Unit::AnnualShare,
    ),
    (
        "economy.alternative_income_usd_week",
        "Alternative income outside mining (farming, wage work)",
        Unit::UsdPerWeek,
    ),
    (
        "economy.buyer_price_share",
        "Share of the gold price informal buyers pay miners",
        Unit::Share,
    ),
    (
        "miners.initial",
        "Artisanal miners at the start",
        Unit::Count,
    ),
    ("miners.migrant_share", "Migrants among them", Unit::Share),
    (
        "miners.criminal_financed_share",
        "Miners financed by criminal networks",
        Unit::Share,
    ),
    ("chiefs.count", "Customary chiefs", Unit::Count),
    (
        "chiefs.legitimacy",
        "Chiefs' legitimacy (how far miners follow them)",
        Unit::Scale01,
    ),
    (
        "chiefs.levy_share",
        "Chiefs' levy on miners' ore",
        Unit::Share,
    ),
    (
        "officials.corruption",
        "Corruption of local officials",
        Unit::Scale01,
    ),
    (
        "officials.permit_weeks",
        "Time to obtain an ASM permit",
        Unit::Weeks,
    ),
    (
        "security.abuse_propensity",
        "Propensity of security forces to abuse",
        Unit::Scale01,
    ),
    (
        "government.repression_history",
        "History of state repression (erodes trust in government)",
        Unit::Scale01,
    ),
    (
        "company.discount_rate",
        "Company discount rate (for NPV)",
        Unit::AnnualShare,
    ),
];

/// Looks up a dotted key (`economy.price_volatility`) in a TOML table.
fn lookup<'a>(table: &'a toml::Table, dotted: &str) -> Option<&'a toml::Value> {
    let mut parts = dotted.split('.');
    let mut value = table.get(parts.next()?)?;
    for part in parts {
        value = value.as_table()?.get(part)?;
    }
    Some(value)
}

fn number(table: &toml::Table, dotted: &str) -> Option<f64> {
    match lookup(table, dotted)? {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

/// A plain number: whole numbers without decimals (`4`, `3,000`), others rounded by [`num`].
fn plain(value: f64) -> String {
    if value.fract() == 0.0 {
        super::format::fixed(value, 0)
    } else {
        num(value)
    }
}

fn words(value: f64, unit: Unit) -> String {
    match unit {
        Unit::Count => plain(value),
        Unit::Share => pct(value),
        Unit::AnnualShare => format!("{} a year", pct(value)),
        Unit::Scale01 => format!("{} on a 0-1 scale", super::format::fixed(value, 2)),
        Unit::Weeks => weeks(value),
        Unit::UsdPerGram => format!("USD {} per gram", plain(value)),
        Unit::UsdPerWeek => format!("USD {} per week", plain(value)),
    }
}

fn weeks(value: f64) -> String {
    if value >= 52.0 && value.fract() == 0.0 {
        format!("{} weeks ({})", plain(value), years(value as u64))
    } else {
        format!("{} weeks", plain(value))
    }
}

/// The scenario's key parameters in words, in a fixed reading order.
pub(crate) fn parameters(scenario: &toml::Table) -> Vec<Parameter> {
    let mut out: Vec<Parameter> = KEYS
        .iter()
        .filter_map(|(key, label, unit)| {
            let value = words(number(scenario, key)?, *unit);
            Some(Parameter { label, value })
        })
        .collect();
    if let Some(shock) = price_shock(scenario) {
        out.insert(out.len().min(3), shock);
    }
    if let Some(every) = number(scenario, "government.election_interval_weeks") {
        let value = format!("every {}", weeks(every));
        out.push(Parameter {
            label: "National elections",
            value,
        });
    }
    out
}

fn price_shock(scenario: &toml::Table) -> Option<Parameter> {
    let factor = number(scenario, "economy.price_shock_factor")?;
    let value = if (factor - 1.0).abs() < 1e-9 {
        "none".to_string()
    } else {
        let when = number(scenario, "economy.price_shock_week")
            .map(|w| format!(" from week {}", plain(w)))
            .unwrap_or_default();
        format!("gold price \u{d7} {}{when}", plain(factor))
    };
    Some(Parameter {
        label: "Gold price shock",
        value,
    })
}

/// The company's discount rate (share per year), if the scenario gives it.
pub(crate) fn discount_rate(scenario: &toml::Table) -> Option<f64> {
    number(scenario, "company.discount_rate")
}

/// The preset strategy `name` is based on, as written in the resolved scenario.
pub(crate) fn preset(scenario: &toml::Table, name: &str) -> Option<String> {
    lookup(scenario, &format!("strategies.{name}.preset"))
        .and_then(toml::Value::as_str)
        .map(str::to_string)
}

/// Per strategy in `names`, the index in `names` of the preset it is a variant of: its
/// preset is another strategy of the run (a preset run under its own name is no variant).
pub(crate) fn variants_of(scenario: &toml::Table, names: &[String]) -> Vec<Option<usize>> {
    names
        .iter()
        .map(|name| {
            let p = preset(scenario, name)?;
            (p != *name).then(|| names.iter().position(|n| *n == p))?
        })
        .collect()
}

/// Each strategy's preset and engagement, in run order.
pub(crate) fn strategies(scenario: &toml::Table, names: &[String]) -> Vec<StrategySetup> {
    names
        .iter()
        .map(|name| {
            let key = |k: &str| format!("strategies.{name}.{k}");
            let text = |k: &str| {
                lookup(scenario, &key(k))
                    .and_then(toml::Value::as_str)
                    .map(display_name)
            };
            let start = number(scenario, &key("engagement.start_week")).map(|w| {
                if w == 0.0 {
                    "from the start".to_string()
                } else {
                    format!("from week {}", plain(w))
                }
            });
            let channel = lookup(scenario, &key("engagement.channel"))
                .and_then(toml::Value::as_str)
                .map(channel_words);
            StrategySetup {
                name: name.clone(),
                preset: text("preset"),
                channel,
                start,
            }
        })
        .collect()
}

/// An engagement channel in words (`ngo` -> `Through an NGO`); unknown ones as display names.
fn channel_words(channel: &str) -> String {
    match channel {
        "none" => "None".to_string(),
        "direct" => "Direct".to_string(),
        "chief" | "chiefs" => "Through a chief".to_string(),
        "government" => "Through government".to_string(),
        "ngo" => "Through an NGO".to_string(),
        "msi" | "multi_stakeholder" => "Through a multi-stakeholder initiative".to_string(),
        other => display_name(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_known_keys_and_skips_others() {
        let t: toml::Table = "weeks = 520\n[economy]\nprice_volatility = 0.15\nprice_shock_factor = 1\n[miners]\ninitial = \"many\"\n[strategies.a]\npreset = \"co_existence\"\nengagement = { start_week = 26 }"
            .parse()
            .unwrap();
        let p = parameters(&t);
        assert_eq!(p[0].value, "520 weeks (10 years)");
        assert!(p.iter().any(|x| x.value == "15% a year"));
        assert!(
            p.iter()
                .any(|x| x.label == "Gold price shock" && x.value == "none")
        );
        assert!(!p.iter().any(|x| x.label.starts_with("Artisanal miners")));
        let s = strategies(&t, &["a".to_string(), "b".to_string()]);
        assert_eq!(s[0].preset.as_deref(), Some("Co existence"));
        assert_eq!(s[0].start.as_deref(), Some("from week 26"));
        assert_eq!(s[1].preset, None);
        let names = ["a".to_string(), "co_existence".to_string()];
        assert_eq!(variants_of(&t, &names), vec![Some(1), None]);
    }
}
