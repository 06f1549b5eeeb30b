//! The charts' shared look: canvas size, embedded fonts (DejaVu Sans, so charts render on a
//! machine without system fonts), text sizes readable on a projected slide, the strategy colours (fixed by name: a preset has
//! the same colour in every chart of every run, sensitivity and fit charts included), and tick
//! labels.

use std::sync::OnceLock;

use plotters::style::{FontStyle, IntoFont, RGBColor, TextStyle};

/// Canvas size in pixels (16:9, for slides; the SVG has the same viewBox).
pub(crate) const SIZE: (u32, u32) = (1600, 900);
/// Outer margin, pixels.
pub(crate) const MARGIN: i32 = 36;

/// Font family every chart uses; registered from the embedded DejaVu Sans.
const FAMILY: &str = "sans-serif";
/// Chart title size (plotters size, roughly the line height in pixels).
pub(crate) const TITLE: f64 = 48.0;
/// Panel captions.
pub(crate) const CAPTION: f64 = 34.0;
/// Legend entries and axis descriptions.
pub(crate) const LABEL: f64 = 30.0;
/// Tick labels and annotations.
pub(crate) const TICK: f64 = 27.0;
/// Footnotes.
pub(crate) const FOOT: f64 = 25.0;

/// The four presets' colours, fixed by name so a preset looks the same in every chart of
/// every run (Okabe & Ito's colour-blind-safe palette, its most distinct colours as lines).
const PRESETS: [(&str, RGBColor); 4] = [
    ("confrontation", RGBColor(0xD5, 0x5E, 0x00)), // vermillion
    ("coexistence", RGBColor(0x00, 0x72, 0xB2)),   // blue
    ("cohabitation", RGBColor(0x00, 0x9E, 0x73)),  // bluish green
    ("collaboration", RGBColor(0xCC, 0x79, 0xA7)), // reddish purple
];

/// Colours of users' own strategies: the rest of Okabe & Ito's palette and dark colours from
/// Paul Tol's muted scheme, none of them a preset's (yellow, hard to see as a line, is left out).
const USER: [RGBColor; 6] = [
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x88, 0x22, 0x55), // wine (Tol)
    RGBColor(0x99, 0x99, 0x33), // olive (Tol)
    RGBColor(0x33, 0x22, 0x88), // indigo (Tol)
    RGBColor(0x4D, 0x4D, 0x4D), // dark grey
];

/// Text colour.
pub(crate) const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
/// Secondary text (footnotes).
pub(crate) const MUTED: RGBColor = RGBColor(0x44, 0x44, 0x44);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

/// The colour of strategy `name` in every chart and table: a preset's own colour (by name),
/// otherwise the next user colour in the order user strategies appear in `strategies` (the
/// run order), so every chart of a run agrees. A name not in `strategies` gets a user colour
/// from a hash of the name. Cycles after six user strategies.
pub(crate) fn strategy_colour<S: AsRef<str>>(name: &str, strategies: &[S]) -> RGBColor {
    if let Some((_, c)) = PRESETS.iter().find(|(preset, _)| *preset == name) {
        return *c;
    }
    let is_preset = |n: &str| PRESETS.iter().any(|(preset, _)| *preset == n);
    let mut users = strategies
        .iter()
        .map(AsRef::as_ref)
        .filter(|n| !is_preset(n));
    let rank = users.position(|n| n == name).unwrap_or_else(|| {
        name.bytes().fold(0usize, |h, b| {
            h.wrapping_mul(31).wrapping_add(usize::from(b))
        })
    });
    USER[rank % USER.len()]
}

/// The same colour as CSS hex (`#D55E00`), for the briefing's tables.
pub(crate) fn strategy_hex<S: AsRef<str>>(name: &str, strategies: &[S]) -> String {
    let RGBColor(r, g, b) = strategy_colour(name, strategies);
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// Registers DejaVu Sans (regular and bold) with plotters once per process.
pub(crate) fn register_fonts() -> Result<(), String> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        let regular =
            plotters::style::register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular());
        let bold = plotters::style::register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold());
        regular.is_ok() && bold.is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err("the embedded DejaVu Sans font could not be loaded".to_string())
    }
}

/// Regular text of `size` in `colour`.
pub(crate) fn text(size: f64, colour: RGBColor) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&colour)
}

/// Bold text of `size` in `colour`.
pub(crate) fn bold(size: f64, colour: RGBColor) -> TextStyle<'static> {
    // `FontDesc::style` keeps the regular glyphs: the style must be given at creation.
    (FAMILY, size, FontStyle::Bold).into_font().color(&colour)
}

/// A tick label: integers with thousands separators, otherwise up to three decimals with
/// trailing zeros trimmed; never `-0`.
pub(crate) fn tick(value: f64) -> String {
    let rounded = (value * 1000.0).round() / 1000.0;
    if rounded.fract() == 0.0 {
        return super::super::format::fixed(rounded, 0);
    }
    let text = super::super::format::fixed(rounded, 3);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_follow_the_name_not_the_position() {
        let all = [
            "confrontation",
            "coexistence",
            "late",
            "cohabitation",
            "early",
        ];
        let two = ["coexistence", "collaboration"];
        assert_eq!(
            strategy_colour("coexistence", &two),
            strategy_colour("coexistence", &all)
        );
        assert_eq!(strategy_hex("coexistence", &two), "#0072B2");
        assert_eq!(strategy_hex("confrontation", &two), "#D55E00");
        // Users' strategies take the user palette in run order, never a preset's colour.
        assert_eq!(strategy_hex("late", &all), "#E69F00");
        assert_eq!(strategy_hex("early", &all), "#56B4E9");
        let presets: Vec<RGBColor> = PRESETS.iter().map(|(_, c)| *c).collect();
        for name in ["late", "early", "unknown", "x"] {
            assert!(!presets.contains(&strategy_colour(name, &all)), "{name}");
        }
    }

    #[test]
    fn ticks_are_readable() {
        assert_eq!(tick(1500.0), "1,500");
        assert_eq!(tick(0.25), "0.25");
        assert_eq!(tick(2.5000001), "2.5");
        assert_eq!(tick(-0.0), "0");
    }
}
