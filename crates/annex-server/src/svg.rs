//! Inline SVG charts: no script, no external file.

use std::fmt::Write;

/// Points of a polyline for `values` in a `w`×`h` box (y grows downwards), scaled to `max`.
fn points(values: &[usize], w: f64, h: f64, max: usize) -> String {
    let max = max.max(1) as f64;
    let step = if values.len() > 1 {
        w / (values.len() - 1) as f64
    } else {
        0.0
    };
    let mut out = String::new();
    for (i, v) in values.iter().enumerate() {
        let x = i as f64 * step;
        let y = h - (*v as f64 / max) * h;
        let _ = write!(out, "{}{x:.1},{y:.1}", if i == 0 { "" } else { " " });
    }
    out
}

/// A small trend line of `values` (oldest first), labelled for screen readers.
pub(crate) fn sparkline(values: &[usize], label: &str) -> String {
    if values.is_empty() {
        return String::from("<span class=\"muted\">no run</span>");
    }
    let max = values.iter().copied().max().unwrap_or(1);
    format!(
        "<svg class=\"spark\" width=\"100\" height=\"24\" viewBox=\"-2 -2 104 28\" role=\"img\">\
         <title>{}</title><polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" \
         points=\"{}\"/></svg>",
        annex_types::xml::escape(label),
        points(values, 100.0, 24.0, max)
    )
}

/// Pass and fail counts over runs (oldest first), with a legend.
pub(crate) fn history(pass: &[usize], fail: &[usize]) -> String {
    if pass.is_empty() {
        return String::from("<p class=\"muted\">No successful run yet.</p>");
    }
    let max = pass
        .iter()
        .chain(fail.iter())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    let (w, h) = (600.0, 120.0);
    format!(
        "<svg class=\"history\" width=\"640\" height=\"150\" viewBox=\"-30 -10 660 150\" \
         role=\"img\"><title>pass and fail over the last {n} runs</title>\
         <line x1=\"0\" y1=\"{h}\" x2=\"{w}\" y2=\"{h}\" stroke=\"#999\"/>\
         <text x=\"-6\" y=\"4\" text-anchor=\"end\" font-size=\"10\">{max}</text>\
         <text x=\"-6\" y=\"{h}\" text-anchor=\"end\" font-size=\"10\">0</text>\
         <polyline class=\"pass\" fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\" points=\"{p}\"/>\
         <polyline class=\"fail\" fill=\"none\" stroke=\"#cf222e\" stroke-width=\"2\" points=\"{f}\"/>\
         <text x=\"0\" y=\"138\" font-size=\"11\" fill=\"#1a7f37\">pass</text>\
         <text x=\"40\" y=\"138\" font-size=\"11\" fill=\"#cf222e\">fail</text></svg>",
        n = pass.len(),
        p = points(pass, w, h, max),
        f = points(fail, w, h, max),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_scale_to_the_box() {
        assert_eq!(
            points(&[0, 5, 10], 100.0, 20.0, 10),
            "0.0,20.0 50.0,10.0 100.0,0.0"
        );
        assert_eq!(points(&[3], 100.0, 20.0, 3), "0.0,0.0");
    }

    #[test]
    fn labels_are_escaped() {
        let s = sparkline(&[1, 2], "<x>");
        assert!(s.contains("<title>&lt;x&gt;</title>"), "{s}");
        assert!(sparkline(&[], "x").contains("no run"));
    }
}
