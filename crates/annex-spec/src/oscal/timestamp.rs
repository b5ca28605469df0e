//! Deterministic document timestamps: `SOURCE_DATE_EPOCH`, else the date a version names,
//! else 1970-01-01.

use annex_types::BuildTime;

pub(super) const FIXED_EPOCH: &str = "1970-01-01T00:00:00Z";

pub(super) fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(super) fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
pub(super) fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The date a version names (`v2026.02.19`, `2026-02`), if any.
pub(super) fn version_date(version: &str) -> Option<(i64, i64, i64)> {
    let start = version.find(|c: char| c.is_ascii_digit())?;
    let runs: Vec<&str> = version[start..]
        .split(['.', '-', '/'])
        .take(3)
        .map(|r| {
            let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            &r[..end]
        })
        .collect();
    let year = runs.first().filter(|r| r.len() == 4)?.parse::<i64>().ok()?;
    let month = runs
        .get(1)
        .filter(|r| !r.is_empty() && r.len() <= 2)?
        .parse::<i64>()
        .ok()?;
    if !(1900..=2999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let day = runs
        .get(2)
        .filter(|r| !r.is_empty() && r.len() <= 2)
        .and_then(|r| r.parse::<i64>().ok())
        .filter(|d| (1..=days_in_month(year, month)).contains(d))
        .unwrap_or(1);
    Some((year, month, day))
}

/// The document timestamp: `SOURCE_DATE_EPOCH` (as the caller passed it in `build_time`)
/// when it is a date the schema allows, else the version's date, else 1970-01-01.
pub fn timestamp(build_time: BuildTime, version: &str) -> String {
    // Up to 2999-12-31: the schema's date-time pattern allows years 1900 to 2999.
    if let Some(secs) = build_time
        .source_date_epoch()
        .filter(|s| (0..32_503_680_000).contains(s))
    {
        let (y, m, d) = civil(secs.div_euclid(86_400));
        let t = secs.rem_euclid(86_400);
        if (1900..=2999).contains(&y) {
            return format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
                t / 3600,
                t % 3600 / 60,
                t % 60
            );
        }
    }
    match version_date(version) {
        Some((y, m, d)) => format!("{y:04}-{m:02}-{d:02}T00:00:00Z"),
        None => FIXED_EPOCH.to_string(),
    }
}

/// [`timestamp`] for the raw variable, as the CLI reads it (an unusable value counts as
/// unset).
#[cfg(test)]
fn timestamp_from(source_date_epoch: Option<&str>, version: &str) -> String {
    timestamp(
        BuildTime::from_source_date_epoch(source_date_epoch).unwrap_or_default(),
        version,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(version_date("v2026.02.19"), Some((2026, 2, 19)));
        assert_eq!(version_date("2026.11"), Some((2026, 11, 1)));
        assert_eq!(version_date("2024/2847"), None);
        assert_eq!(version_date("1.2.3"), None);
        assert_eq!(version_date("2023-02-29"), Some((2023, 2, 1)));
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_503), (2026, 2, 19));
        assert_eq!(timestamp_from(None, "v2026.02.19"), "2026-02-19T00:00:00Z");
        assert_eq!(timestamp_from(None, "2024/2847"), FIXED_EPOCH);
        assert_eq!(
            timestamp_from(Some("1771504496"), "v2026.02.19"),
            "2026-02-19T12:34:56Z"
        );
        assert_eq!(
            timestamp_from(Some("junk"), "2026.11"),
            "2026-11-01T00:00:00Z"
        );
        assert_eq!(timestamp_from(Some("-5"), ""), FIXED_EPOCH);
        assert_eq!(timestamp_from(Some("99999999999"), ""), FIXED_EPOCH);
    }
}
