//! Labels beside points on a chart: candidate places around each marker, tried nearest
//! first, the first that overlaps no marker, whisker or earlier label winning, with a leader
//! line when the label sits away from its marker. Also moving markers apart that would
//! overlap, so no strategy's point hides under another's.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{Area, DrawError};
use super::theme::{INK, MUTED, TICK, text};

/// Moves marker centres (backend pixels) apart until no two are closer than `gap` pixels:
/// each overlapping pair is pushed apart along the line between them (sideways when they
/// coincide), a few rounds, so the displacement stays as small as it can.
pub(crate) fn dodge(centres: &[(i32, i32)], gap: f64) -> Vec<(i32, i32)> {
    let mut at: Vec<(f64, f64)> = centres
        .iter()
        .map(|c| (f64::from(c.0), f64::from(c.1)))
        .collect();
    for _ in 0..60 {
        let mut moved = false;
        for i in 0..at.len() {
            for j in i + 1..at.len() {
                let (dx, dy) = (at[j].0 - at[i].0, at[j].1 - at[i].1);
                let d = (dx * dx + dy * dy).sqrt();
                if d >= gap - 0.5 {
                    continue;
                }
                let (ux, uy) = if d < 1e-6 {
                    (1.0, 0.0)
                } else {
                    (dx / d, dy / d)
                };
                let push = (gap - d) / 2.0 + 0.5;
                at[i] = (at[i].0 - ux * push, at[i].1 - uy * push);
                at[j] = (at[j].0 + ux * push, at[j].1 + uy * push);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    at.iter()
        .map(|(x, y)| (x.round() as i32, y.round() as i32))
        .collect()
}

/// Label rectangles around a marker at `c` of radius `r`: right, left, above, below and the
/// four corners, first close to the marker and then further out.
fn candidates(c: (i32, i32), r: i32, w: i32, h: i32) -> Vec<Rect> {
    let mut out = Vec::new();
    for gap in [8, 40, 80, 130, 190, 260] {
        let d = r + gap;
        let spots = [
            (c.0 + d, c.1 - h / 2),
            (c.0 - d - w, c.1 - h / 2),
            (c.0 - w / 2, c.1 - d - h),
            (c.0 - w / 2, c.1 + d),
            (c.0 + d * 7 / 10, c.1 - d * 7 / 10 - h),
            (c.0 + d * 7 / 10, c.1 + d * 7 / 10),
            (c.0 - d * 7 / 10 - w, c.1 - d * 7 / 10 - h),
            (c.0 - d * 7 / 10 - w, c.1 + d * 7 / 10),
        ];
        out.extend(spots.iter().map(|&(x, y)| (x, y, x + w, y + h)));
    }
    out
}

/// A thin line from the marker's edge to the label when the label sits away from it.
fn leader(c: (i32, i32), r: i32, rect: Rect) -> Option<Vec<(i32, i32)>> {
    let near = (c.0.clamp(rect.0, rect.2), c.1.clamp(rect.1, rect.3));
    let (dx, dy) = (f64::from(near.0 - c.0), f64::from(near.1 - c.1));
    let dist = (dx * dx + dy * dy).sqrt();
    if dist <= f64::from(r) + 20.0 {
        return None;
    }
    let edge = (
        c.0 + (dx / dist * f64::from(r + 3)) as i32,
        c.1 + (dy / dist * f64::from(r + 3)) as i32,
    );
    Some(vec![edge, near])
}

/// A rectangle in backend pixels: (x0, y0, x1, y1).
pub(crate) type Rect = (i32, i32, i32, i32);

/// Whether the straight line `path` (two points) passes through any of `rects`.
fn crosses(path: &[(i32, i32)], rects: &[Rect]) -> bool {
    let (a, b) = (path[0], path[path.len() - 1]);
    let steps = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 4).max(1);
    (0..=steps).any(|i| {
        let x = a.0 + (b.0 - a.0) * i / steps;
        let y = a.1 + (b.1 - a.1) * i / steps;
        rects
            .iter()
            .any(|r| x > r.0 && x < r.2 && y > r.1 && y < r.3)
    })
}

/// Area in square pixels shared by two rectangles.
fn overlap_area(a: Rect, b: Rect) -> i64 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0);
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0);
    i64::from(w) * i64::from(h)
}

/// Places each label beside its marker (centres in backend pixels, radius `r`) at the first
/// candidate position that stays inside `bounds` and overlaps no obstacle (markers, whiskers)
/// and no label already placed; a thin leader line joins a label set away from its marker.
pub(crate) fn place_labels<DB: DrawingBackend>(
    plot: &Area<DB>,
    bounds: Rect,
    centres: &[(i32, i32)],
    r: i32,
    obstacles: Vec<Rect>,
    labels: &[String],
) -> Result<(), DrawError> {
    let style = text(TICK, INK);
    let mut taken = obstacles;
    let mut labels_taken: Vec<Rect> = Vec::new();
    let mut leaders: Vec<Vec<(i32, i32)>> = Vec::new();
    for (c, label) in centres.iter().zip(labels) {
        let (w, h) = plot.estimate_text_size(label, &style)?;
        let (w, h) = (w as i32, h as i32);
        // The first candidate with no clash wins; if every one clashes, the least bad one.
        let penalty = |rect: &Rect| {
            let outside =
                rect.0 < bounds.0 || rect.1 < bounds.1 || rect.2 > bounds.2 || rect.3 > bounds.3;
            let overlap: i64 = taken.iter().map(|t| overlap_area(*t, *rect)).sum();
            let crossing = leader(*c, r, *rect).is_some_and(|l| crosses(&l, &labels_taken))
                || leaders.iter().any(|l| crosses(l, &[*rect]));
            i64::from(outside) * 1_000_000_000 + overlap + i64::from(crossing) * 2_000
        };
        let mut best = (i64::MAX, (0, 0, 0, 0));
        for rect in candidates(*c, r, w, h) {
            let p = penalty(&rect);
            if p < best.0 {
                best = (p, rect);
            }
            if p == 0 {
                break;
            }
        }
        let rect = best.1;
        taken.push((rect.0 - 6, rect.1 - 6, rect.2 + 6, rect.3 + 6));
        labels_taken.push(rect);
        let origin = plot.get_base_pixel();
        if let Some(leader) = leader(*c, r, rect) {
            leaders.push(leader.clone());
            let local = leader.iter().map(|(x, y)| (x - origin.0, y - origin.1));
            plot.draw(&PathElement::new(
                local.collect::<Vec<_>>(),
                MUTED.stroke_width(2),
            ))?;
        }
        let anchor = Pos::new(HPos::Left, VPos::Top);
        let at = (rect.0 - origin.0, rect.1 - origin.1);
        plot.draw(&Text::new(label.clone(), at, style.pos(anchor)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_that_would_overlap_are_moved_apart_and_others_stay() {
        let centres = [(100, 100), (104, 102), (100, 100), (400, 300)];
        let moved = dodge(&centres, 32.0);
        for i in 0..moved.len() {
            for j in i + 1..moved.len() {
                let (dx, dy) = (moved[i].0 - moved[j].0, moved[i].1 - moved[j].1);
                let d = f64::from(dx * dx + dy * dy).sqrt();
                assert!(d >= 31.0, "{i} and {j} still overlap: {moved:?}");
            }
        }
        assert_eq!(moved[3], (400, 300));
        assert_eq!(dodge(&[(0, 0), (100, 0)], 32.0), vec![(0, 0), (100, 0)]);
    }
}
