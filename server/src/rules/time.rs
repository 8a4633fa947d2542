//! Time as the store keeps it: milliseconds since the Unix epoch.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the epoch (0 if the clock is before it).
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// A moment as people read it: its RFC 3339 text, and "27 Nov 2026, 04:44:17 UTC"
/// (the RFC 3339 text again if it cannot be read).
pub fn readable_utc(ms: i64) -> (String, String) {
    let iso = reader_comments_core::time::format_rfc3339(ms);
    let text = readable(&iso).unwrap_or_else(|| iso.clone());
    (iso, text)
}

/// The date alone, as people read it: "27 Nov 2026".
pub fn readable_date(ms: i64) -> String {
    let (_, text) = readable_utc(ms);
    text.split_once(',').map_or(text.clone(), |(date, _)| date.to_string())
}

/// "2026-11-27T04:44:17.532Z" as "27 Nov 2026, 04:44:17 UTC".
fn readable(iso: &str) -> Option<String> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (date, time) = iso.split_once('T')?;
    let mut parts = date.rsplitn(3, '-');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    let month = MONTHS.get(month.parse::<usize>().ok()?.checked_sub(1)?)?;
    let day = day.trim_start_matches('0');
    Some(format!("{day} {month} {year}, {} UTC", time.get(..8)?))
}

#[cfg(test)]
mod tests {
    use super::{readable, readable_date};

    #[test]
    fn moments_read_as_day_month_year_and_utc_time() {
        assert_eq!(readable("2026-11-27T04:44:17.532Z").as_deref(), Some("27 Nov 2026, 04:44:17 UTC"));
        assert_eq!(readable("2026-01-05T00:00:00Z").as_deref(), Some("5 Jan 2026, 00:00:00 UTC"));
        assert_eq!(readable("not a time"), None);
        assert_eq!(readable_date(1_709_294_400_000), "1 Mar 2024");
    }
}
