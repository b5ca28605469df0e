//! annex.toml's product as the CSAF 2.0 product of the project's own advisories and VEX.

use crate::{DocsError, Metadata};
use annex_types::BuildTime;
use annex_vex::csaf::CsafProduct;
use annex_vuln::triage::TriagedFinding;
use sha2::Digest;

/// The CSAF product for these findings. The release date is `build_time` when it came from
/// `SOURCE_DATE_EPOCH`, else `today` at 00:00 UTC; the tracking id derives from the product
/// and the findings, so the same input gives the same document.
pub fn csaf_product(
    meta: &Metadata,
    today: chrono::NaiveDate,
    build_time: BuildTime,
    findings: &[TriagedFinding],
) -> Result<CsafProduct, DocsError> {
    let unsupported = |m: &str| DocsError::Unsupported(m.to_string());
    let namespace = meta
        .party
        .website
        .clone()
        .or_else(|| meta.product.repository.clone())
        .ok_or_else(|| {
            unsupported("CSAF names its publisher by URL: set website in [manufacturer]/[steward] or repository in [product] of annex.toml")
        })?;
    let date = match build_time.source_date_epoch() {
        Some(secs) => chrono::DateTime::from_timestamp(secs, 0)
            .ok_or_else(|| unsupported("SOURCE_DATE_EPOCH is out of range"))?,
        None => today.and_time(chrono::NaiveTime::MIN).and_utc(),
    };
    let mut hash = sha2::Sha256::new();
    hash.update(meta.product.name.as_bytes());
    hash.update(meta.product.version.as_bytes());
    for f in findings {
        hash.update(f.finding.id.as_bytes());
        hash.update(f.finding.package.name.as_bytes());
    }
    let short = annex_types::digest::hex(&hash.finalize()[..4]);
    let tracking = format!("{}-{}-{short}", meta.product.name, meta.product.version);
    let mut product = CsafProduct::new(
        meta.product.name.clone(),
        meta.product.version.clone(),
        meta.party.name.clone(),
        namespace,
        tracking,
        date,
    );
    if let Some(lang) = meta.product.languages.first() {
        product.lang = lang.clone();
    }
    Ok(product)
}
