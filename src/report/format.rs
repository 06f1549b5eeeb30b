//! Words and numbers as the board reads them: strategy display names, rounded numbers with
//! thousands separators, USD millions, percentages, and HTML escaping.

/// Display name of a strategy: `_` becomes a space and the first letter is capitalised
/// (`late_engagement` -> `Late engagement`).
pub(crate) fn display_name(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Decimals that show `value` to three significant figures: none from 100, one from 10, two
/// below (never more, so a count near zero reads `0.05`, not `0.0500`).
pub(crate) fn decimals(value: f64) -> usize {
    let magnitude = value.abs();
    if magnitude >= 99.95 {
        0
    } else if magnitude >= 9.995 {
        1
    } else {
        2
    }
}

/// A number to three significant figures (whole numbers from 100), thousands separated by
/// commas; never `-0`.
pub(crate) fn num(value: f64) -> String {
    fixed(value, decimals(value))
}

/// A mean and the range around it (`low`, `high`): the mean to three significant figures and
/// the range with the same decimals, so `2.70` sits beside `0.45–5.50`, not `0.00 – 6.5`.
/// Returns (mean, range); the range is never collapsed (see [`range`]).
pub(crate) fn with_range(mean: f64, low: f64, high: f64) -> (String, String) {
    let basis = if mean == 0.0 {
        low.abs().max(high.abs())
    } else {
        mean
    };
    let d = if basis == 0.0 { 0 } else { decimals(basis) };
    (fixed(mean, d), range(low, high, d))
}

/// `low–high` with `digits` decimals, adding up to two more when the ends would otherwise
/// print the same although they differ (if they still do, `about X`); equal ends print once.
pub(crate) fn range(low: f64, high: f64, digits: usize) -> String {
    if low == high {
        return fixed(low, digits);
    }
    for d in digits..=digits + 2 {
        let (a, b) = (fixed(low, d), fixed(high, d));
        if a != b {
            return format!("{a}\u{2013}{b}");
        }
    }
    format!("about {}", fixed(low, digits))
}

/// `value` with exactly `decimals` decimals and thousands separators; never `-0`.
pub(crate) fn fixed(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let zero = text.chars().all(|c| c == '0' || c == '.');
    let sign = if value < 0.0 && !zero { "-" } else { "" };
    let grouped = group_thousands(int);
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// USD as millions: `USD 12.3 M`.
pub(crate) fn usd_m(usd: f64) -> String {
    format!("USD {} M", num(usd / 1e6))
}

/// A share (0-1) as a percentage to two significant figures: `26%`, `4.5%`, `2.0%` (not
/// `2%` beside `1.9%`), `0.45%`; exactly zero is `0%`.
pub(crate) fn pct(share: f64) -> String {
    format!("{}%", fixed(share * 100.0, pct_decimals(share)))
}

/// Decimals of [`pct`] for `share`.
pub(crate) fn pct_decimals(share: f64) -> usize {
    let p = (share * 100.0).abs();
    if p == 0.0 || p >= 9.95 {
        0
    } else if p >= 0.995 {
        1
    } else {
        2
    }
}

/// A share and its range as percentages, the mean to two significant figures and the range
/// with the same decimals: (`4.4%`, `1.1%–7.0%`); the range is never collapsed.
pub(crate) fn pct_with_range(mean: f64, low: f64, high: f64) -> (String, String) {
    let basis = if mean == 0.0 {
        low.abs().max(high.abs())
    } else {
        mean
    };
    let d = pct_decimals(basis);
    let r = range(low * 100.0, high * 100.0, d);
    let r = if let Some(v) = r.strip_prefix("about ") {
        format!("about {v}%")
    } else {
        r.replace('\u{2013}', "%\u{2013}") + "%"
    };
    (format!("{}%", fixed(mean * 100.0, d)), r)
}

/// A share given as an input (a scenario parameter) as a percentage: whole when it is whole
/// (`8%`, not `8.0%`), else to a tenth (`4.5%`).
pub(crate) fn pct_input(share: f64) -> String {
    let p = share * 100.0;
    if p.abs() >= 9.95 || (p - p.round()).abs() < 0.05 {
        format!("{}%", fixed(p, 0))
    } else {
        format!("{}%", fixed(p, 1))
    }
}

/// Weeks as years in words: `10 years`, `2.5 years`, `1 year`.
pub(crate) fn years(weeks: u64) -> String {
    let y = weeks as f64 / 52.0;
    let text = if (y - y.round()).abs() < 0.05 {
        fixed(y, 0)
    } else {
        fixed(y, 1)
    };
    if text == "1" {
        "1 year".to_string()
    } else {
        format!("{text} years")
    }
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names() {
        assert_eq!(display_name("late_engagement"), "Late engagement");
        assert_eq!(display_name("coexistence"), "Coexistence");
        assert_eq!(display_name(""), "");
    }

    #[test]
    fn numbers() {
        assert_eq!(num(1234.4), "1,234");
        assert_eq!(num(1_234_567.0), "1,234,567");
        assert_eq!(num(85.34), "85.3");
        assert_eq!(num(2.7), "2.70");
        assert_eq!(num(0.123), "0.12");
        assert_eq!(num(-0.001), "0.00");
        assert_eq!(num(-250.0), "-250");
        assert_eq!(usd_m(12_345_678.0), "USD 12.3 M");
        assert_eq!(pct(0.256), "26%");
        assert_eq!(pct(0.045), "4.5%");
        assert_eq!(pct(0.08), "8.0%");
        assert_eq!(pct(0.0201), "2.0%");
        assert_eq!(pct(0.0045), "0.45%");
        assert_eq!(pct(0.0), "0%");
        assert_eq!(years(520), "10 years");
        assert_eq!(years(130), "2.5 years");
    }

    #[test]
    fn ranges_share_one_precision_and_never_collapse() {
        assert_eq!(
            with_range(2.7, 0.0, 6.5),
            ("2.70".into(), "0.00\u{2013}6.50".into())
        );
        assert_eq!(
            with_range(684.0, 534.2, 830.0),
            ("684".into(), "534\u{2013}830".into())
        );
        assert_eq!(with_range(99.7, 87.0, 122.0).1, "87.0\u{2013}122.0");
        assert_eq!(with_range(0.0, 0.0, 0.0), ("0".into(), "0".into()));
        assert_eq!(range(97.96, 98.04, 0), "97.96\u{2013}98.04");
        assert_eq!(range(98.0001, 98.0002, 0), "about 98");
        assert_eq!(range(98.0, 98.0, 0), "98");
        assert_eq!(
            pct_with_range(0.044, 0.011, 0.07),
            ("4.4%".into(), "1.1%\u{2013}7.0%".into())
        );
        assert_eq!(pct_with_range(0.12, 0.043, 0.17).1, "4%\u{2013}17%");
        assert_eq!(pct_with_range(0.0, 0.0, 0.0), ("0%".into(), "0%".into()));
    }

    #[test]
    fn escapes_html() {
        assert_eq!(html("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
