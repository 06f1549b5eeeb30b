//! Keeping a chart readable whatever the spread between strategies: which values are so far
//! above the rest that drawing them to scale would flatten the others into slivers (e.g. 684
//! conflict incidents beside 22, 15 and 16). The comparison chart draws such a bar with a
//! break in it and its value written beside it; the trade-off chart zooms on the others and
//! points to the outlier at the edge. Both say so in a footnote.

/// A value is drawn off the scale when its mean is more than this many times the largest mean
/// of the rest.
pub(crate) const OFF_SCALE: f64 = 3.0;

/// Per value `(mean, upper end)`, whether it goes off the scale: the largest means, as many
/// as leave the widest such gap, where the smallest of them exceeds [`OFF_SCALE`] times the
/// largest mean of the rest, keeping at least `keep` values on the scale. (So 713 and 335
/// beside 32, 26, 21 and 17 both go off, though 713 is not three times 335. Upper ends only
/// set the scale of the values kept on it: a wide interval from few seeds must not pull an
/// outlier back onto the scale.)
pub(crate) fn off_scale(values: &[(f64, f64)], keep: usize) -> Vec<bool> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|a, b| values[*b].0.total_cmp(&values[*a].0).then(a.cmp(b)));
    let most = values.len().saturating_sub(keep.max(1));
    // Sorted from the largest: the k largest go off when the k-th exceeds OFF_SCALE times
    // the (k+1)-th; the most that do.
    let cut = (1..=most)
        .filter(|&k| {
            let (top_low, rest_high) = (values[order[k - 1]].0, values[order[k]].0);
            rest_high > 0.0 && top_low > OFF_SCALE * rest_high
        })
        .max()
        .unwrap_or(0);
    let mut out = vec![false; values.len()];
    for &i in &order[..cut] {
        out[i] = true;
    }
    out
}

/// The largest upper end among the values kept on the scale (0 if none).
pub(crate) fn scale_max(values: &[(f64, f64)], off: &[bool]) -> f64 {
    values
        .iter()
        .zip(off)
        .filter(|(_, o)| !**o)
        .map(|((m, h), _)| m.max(*h))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outlier_goes_off_the_scale_and_the_rest_stay() {
        let conflict = [(684.0, 762.0), (22.0, 30.0), (15.1, 19.0), (15.8, 22.0)];
        assert_eq!(off_scale(&conflict, 2), vec![true, false, false, false]);
        assert_eq!(scale_max(&conflict, &off_scale(&conflict, 2)), 30.0);
        let cost = [(152.0, 170.0), (51.0, 61.0), (60.0, 69.0), (66.5, 75.0)];
        assert_eq!(off_scale(&cost, 2), vec![false; 4]);
        // Two strategies far apart: with two kept on the scale, none goes off it.
        assert_eq!(
            off_scale(&[(684.0, 700.0), (22.0, 30.0)], 2),
            vec![false; 2]
        );
        assert_eq!(
            off_scale(&[(684.0, 700.0), (22.0, 30.0)], 1),
            vec![true, false]
        );
        // Wide intervals of the rest do not pull an outlier back onto the scale.
        let wide = [
            (7905.0, 13500.0),
            (1504.0, 3600.0),
            (570.0, 1600.0),
            (1166.0, 3000.0),
        ];
        assert_eq!(off_scale(&wide, 2), vec![true, false, false, false]);
        // Two outliers in a row.
        let two = [(900.0, 950.0), (200.0, 220.0), (10.0, 12.0), (9.0, 11.0)];
        assert_eq!(off_scale(&two, 2), vec![true, true, false, false]);
        // Two outliers not three times apart, far above the rest: both go off, so the rest
        // are drawn to a scale that shows them.
        let apart = [
            (713.0, 750.0),
            (32.1, 35.0),
            (16.8, 19.0),
            (20.6, 23.0),
            (335.0, 396.0),
            (26.2, 29.0),
        ];
        let off = off_scale(&apart, 2);
        assert_eq!(off, vec![true, false, false, false, true, false]);
        assert_eq!(scale_max(&apart, &off), 35.0);
        // No gap wide enough anywhere: all stay.
        let even = [(100.0, 110.0), (60.0, 70.0), (30.0, 35.0), (15.0, 20.0)];
        assert_eq!(off_scale(&even, 2), vec![false; 4]);
        assert_eq!(off_scale(&[(0.0, 0.0), (0.0, 0.0)], 1), vec![false; 2]);
    }
}
