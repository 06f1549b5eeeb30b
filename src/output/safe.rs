//! User text made safe where it lands: echoed in an error message (control characters
//! escaped, a long value cut short) or written into a CSV cell (neutralised against formula
//! injection, as spreadsheet-safe exporters do). Numbers cohabit writes itself never pass
//! through here, so they stay byte-identical.

use std::borrow::Cow;

/// Most characters of user text echoed in a message.
const ECHO: usize = 60;

/// User text as echoed in messages: control characters escaped, at most 60 characters (a
/// 50 MB value is not printed back).
pub fn brief(text: &str) -> String {
    brief_to(text, ECHO)
}

/// [`brief`] with room for `max` characters (a command line, a parser's message).
pub fn brief_to(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == max {
            out.push_str(&format!("... ({} bytes in all)", text.len()));
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that make a spreadsheet read a cell as a formula (OWASP's list).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// User text for a CSV cell: text starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'`, so a spreadsheet shows it as text instead of running it as a
/// formula (`=cmd|' /C calc'!A0`, `@SUM(...)`, `+HYPERLINK(...)`). Text that already starts
/// with `'` before such a character gets one more, so [`from_csv_cell`] undoes it exactly.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if needs_quote(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

fn needs_quote(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// The text of a cell written by [`csv_cell`].
pub fn from_csv_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_read_back() {
        let texts = [
            "=cmd|' /C calc'!A0",
            "@SUM(A1:A9)",
            "+HYPERLINK(\"x\")",
            "-2+3",
            "\tx",
            "'=x",
        ];
        for text in texts {
            let cell = csv_cell(text);
            assert!(cell.starts_with('\''), "{text}");
            assert_eq!(from_csv_cell(&cell), text);
        }
        for text in ["chief", "late_engagement", "1.5", "'quoted", ""] {
            assert_eq!(csv_cell(text), text);
            assert_eq!(from_csv_cell(text), text);
        }
    }

    #[test]
    fn echoes_are_short_and_one_line() {
        assert_eq!(brief("a\nb"), "a\\nb");
        let long = "x".repeat(50_000_000);
        let b = brief(&long);
        assert!(
            b.len() < 100 && b.ends_with("(50000000 bytes in all)"),
            "{b}"
        );
    }
}
