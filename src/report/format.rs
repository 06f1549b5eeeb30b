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

/// A number rounded for reading: no decimals from 100, one from 1, two below 1; thousands
/// separated by commas; never `-0`.
pub(crate) fn num(value: f64) -> String {
    let magnitude = value.abs();
    let decimals = if magnitude >= 99.95 {
        0
    } else if magnitude >= 0.995 {
        1
    } else {
        2
    };
    fixed(value, decimals)
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

/// A share (0-1) as a percentage: `12%`, or `4.5%` below 10%.
pub(crate) fn pct(share: f64) -> String {
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
        assert_eq!(num(0.123), "0.12");
        assert_eq!(num(-0.001), "0.00");
        assert_eq!(num(-250.0), "-250");
        assert_eq!(usd_m(12_345_678.0), "USD 12.3 M");
        assert_eq!(pct(0.256), "26%");
        assert_eq!(pct(0.045), "4.5%");
        assert_eq!(pct(0.08), "8%");
        assert_eq!(years(520), "10 years");
        assert_eq!(years(130), "2.5 years");
    }

    #[test]
    fn escapes_html() {
        assert_eq!(html("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
