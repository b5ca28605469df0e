//! Wording the documents share: language names, lists, links, the issue tracker, the
//! provenance line.

use crate::inputs::Inputs;
use crate::markup::{Inline, link, t, url};
use crate::metadata::is_https;

/// The English name of a language tag, or the tag.
pub(crate) fn language_name(tag: &str) -> String {
    let base = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let name = match base.as_str() {
        "en" => "English",
        "de" => "German",
        "fr" => "French",
        "es" => "Spanish",
        "it" => "Italian",
        "nl" => "Dutch",
        "pt" => "Portuguese",
        "pl" => "Polish",
        "sv" => "Swedish",
        "da" => "Danish",
        "fi" => "Finnish",
        "cs" => "Czech",
        "sk" => "Slovak",
        "hu" => "Hungarian",
        "ro" => "Romanian",
        "bg" => "Bulgarian",
        "el" => "Greek",
        "hr" => "Croatian",
        "sl" => "Slovenian",
        "et" => "Estonian",
        "lv" => "Latvian",
        "lt" => "Lithuanian",
        "ga" => "Irish",
        "mt" => "Maltese",
        "ja" => "Japanese",
        "zh" => "Chinese",
        _ => return tag.to_string(),
    };
    name.to_string()
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A value from annex.toml that is either a URL (shown as a link) or text.
pub(crate) fn text_or_link(prefix: &str, v: &str) -> Vec<Inline> {
    let v = v.trim();
    if is_https(v) || v.starts_with("http://") {
        vec![t(prefix), link(v, v), t(".")]
    } else {
        vec![t(v)]
    }
}

/// The forge's issue tracker, when the repository is on a known forge.
pub(crate) fn issue_tracker(repo: Option<&str>) -> Option<String> {
    let r = repo?.trim_end_matches('/').trim_end_matches(".git");
    if r.starts_with("https://gitlab.com/") {
        return Some(format!("{r}/-/issues"));
    }
    let known = ["https://github.com/", "https://codeberg.org/"];
    known
        .iter()
        .any(|k| r.starts_with(k))
        .then(|| format!("{r}/issues"))
}

/// The contact as an inline (mailto link or URL).
pub(crate) fn contact_inline(c: &str) -> Inline {
    url(c.trim())
}

/// "Prepared by annex on DATE from …" and what annex read.
pub(crate) fn provenance(inputs: &Inputs) -> Vec<Inline> {
    let mut sources = vec!["annex.toml".to_string()];
    if let Some(a) = inputs.assessment {
        sources.push(format!(
            "the assessment against profile {} {}",
            a.profile.id, a.profile.version
        ));
    }
    if let Some(s) = inputs.sbom_summary {
        sources.push(format!("the {} SBOM", s.format));
    }
    if let Some(f) = inputs.findings {
        sources.push(match &f.database {
            Some(db) => format!("the vulnerability findings (database {db})"),
            None => "the vulnerability findings".to_string(),
        });
    }
    vec![t(format!(
        "Prepared by annex on {} from {}. Items annex could not fill are marked TODO: complete them before publishing.",
        inputs.today,
        and_list(&sources)
    ))]
}
