//! An SVG badge: the profile and how many of its applicable requirements pass
//! (`OSPS L1 · 22/24`). Green only when every applicable requirement passes, red when one
//! fails, amber otherwise (something needs review, was not run, or is unknown).

use crate::status::{passed_of_applicable, profile_label};
use annex_assess::{Assessment, Status};
use annex_types::xml::escape as esc;

/// Width in pixels of `s` in 11px Verdana, estimated per character class so the badge
/// needs no font metrics and stays deterministic.
fn text_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | '\'' | '|' | '!' | ' ' => 4,
            'f' | 't' | 'r' | 'I' | '/' | '(' | ')' | '·' => 5,
            'm' | 'w' | 'M' | 'W' => 10,
            c if c.is_ascii_uppercase() => 8,
            c if c.is_ascii_digit() => 7,
            _ => 7,
        })
        .sum()
}

/// The badge as a standalone SVG document.
pub fn badge(a: &Assessment) -> String {
    let label = profile_label(&a.profile.id);
    let (passed, applicable) = passed_of_applicable(a);
    let message = format!("{passed}/{applicable}");
    let color = if a.summary.count(Status::Fail) > 0 {
        "#e05d44"
    } else if passed == applicable {
        "#44cc11"
    } else {
        "#dfb317"
    };
    let lw = text_width(&label) + 12;
    let mw = text_width(&message) + 12;
    let w = lw + mw;
    let (label, message) = (esc(&label), esc(&message));
    let title = format!("{label} · {message} requirements pass");
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" role="img" aria-label="{title}">
<title>{title}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="{w}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{mw}" height="20" fill="{color}"/><rect width="{w}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="{lx}" y="14">{label}</text>
<text x="{mx}" y="14">{message}</text>
</g>
</svg>
"##,
        lx = lw / 2,
        mx = lw + mw / 2,
    )
}
