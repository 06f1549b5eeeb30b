//! The charts' shared look: canvas size, embedded fonts (DejaVu Sans, so charts render on a
//! machine without system fonts), text sizes readable on a projected slide, the Okabe-Ito
//! strategy colours (the same strategy has the same colour in every chart), and tick labels.

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

/// Okabe & Ito's colour-blind-safe palette, ordered so that the first colours are the most
/// distinct as lines on white (yellow, hard to see as a line, comes last), then two dark
/// colours from Paul Tol's muted scheme for a ninth and tenth strategy.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xF0, 0xE4, 0x42), // yellow
    RGBColor(0x88, 0x22, 0x55), // wine (Tol)
    RGBColor(0x99, 0x99, 0x33), // olive (Tol)
];

/// Text colour.
pub(crate) const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
/// Secondary text (footnotes).
pub(crate) const MUTED: RGBColor = RGBColor(0x44, 0x44, 0x44);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

/// Colour of the strategy at run-order index `i` (cycles after ten strategies).
pub(crate) fn strategy_colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The same colour as CSS hex (`#D55E00`), for the briefing's tables.
pub(crate) fn strategy_hex(i: usize) -> String {
    let RGBColor(r, g, b) = strategy_colour(i);
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
    fn ticks_are_readable() {
        assert_eq!(tick(1500.0), "1,500");
        assert_eq!(tick(0.25), "0.25");
        assert_eq!(tick(2.5000001), "2.5");
        assert_eq!(tick(-0.0), "0");
    }
}
