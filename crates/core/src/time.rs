//! Timestamps: reading RFC 3339 and epoch numbers, writing RFC 3339, and choosing the
//! unit of a relative time ("3 hours ago").

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses an RFC 3339 timestamp ("2026-02-08T10:30:00Z", "2026-02-08 10:30:00.5+05:30")
/// into milliseconds since the Unix epoch.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let s = text.trim();
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let year = i64::from(digits(s.get(0..4)?)?);
    let month = digits(s.get(5..7)?)?;
    let day = digits(s.get(8..10)?)?;
    let hour = digits(s.get(11..13)?)?;
    let minute = digits(s.get(14..16)?)?;
    let second = digits(s.get(17..19)?)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = s.get(19..)?;
    let mut millis = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let len = frac.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        let padded: String = frac[..len].chars().chain("000".chars()).take(3).collect();
        millis = i64::from(digits(&padded)?);
        rest = &frac[len..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            let oh = i64::from(digits(&rest[1..3])?);
            let om = i64::from(digits(&rest[4..6])?);
            sign * (oh * 60 + om)
        }
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second.min(59));
    Some((secs - offset_minutes * 60) * 1000 + millis)
}

/// Reads an epoch number: values above 10^11 are milliseconds, smaller ones seconds.
pub fn from_epoch_number(n: f64) -> Option<i64> {
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    let ms = if n > 1e11 { n } else { n * 1000.0 };
    if ms > 253_402_300_799_000.0 {
        return None;
    }
    Some(ms as i64)
}

/// Writes milliseconds since the epoch as RFC 3339 in UTC, to the second when whole.
pub fn format_rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let (h, mi, s) = (sod / 3600, sod % 3600 / 60, sod % 60);
    if millis == 0 {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{millis:03}Z")
    }
}

/// The unit and signed amount to say how long ago `then` was, as
/// `Intl.RelativeTimeFormat` takes them: (-3, "hour") reads "3 hours ago".
pub fn relative_parts(then_ms: i64, now_ms: i64) -> (i64, &'static str) {
    let diff = (then_ms - now_ms) / 1000;
    let abs = diff.abs();
    let (div, unit) = match abs {
        0..=44 => return (0, "second"),
        45..=2_699 => (60, "minute"),
        2_700..=79_199 => (3_600, "hour"),
        79_200..=2_246_399 => (86_400, "day"),
        2_246_400..=27_647_999 => (2_592_000, "month"),
        _ => (31_536_000, "year"),
    };
    let value = (abs + div / 2) / div;
    (if diff < 0 { -value } else { value }, unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_timestamps_parse_to_epoch_milliseconds() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2026-02-08T10:30:00Z"), Some(1_770_546_600_000));
    }

    #[test]
    fn offsets_and_fractions_are_honoured() {
        assert_eq!(parse_rfc3339("2026-02-08T16:00:00.250+05:30"), Some(1_770_546_600_250));
        assert_eq!(parse_rfc3339("2026-02-08 05:30:00-05:00"), Some(1_770_546_600_000));
    }

    #[test]
    fn malformed_timestamps_are_refused() {
        for bad in ["", "yesterday", "2026-13-01T00:00:00Z", "2026-02-08T10:30:00", "2026-02-08T10:30:00+0530"] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn epoch_seconds_and_milliseconds_are_both_read() {
        assert_eq!(from_epoch_number(1_770_546_600.0), Some(1_770_546_600_000));
        assert_eq!(from_epoch_number(1_770_546_600_000.0), Some(1_770_546_600_000));
        assert_eq!(from_epoch_number(-1.0), None);
        assert_eq!(from_epoch_number(f64::NAN), None);
    }

    #[test]
    fn formatting_round_trips() {
        for ms in [0, 1_770_546_600_000, 1_770_546_600_250, 951_782_400_000] {
            assert_eq!(parse_rfc3339(&format_rfc3339(ms)), Some(ms));
        }
        assert_eq!(format_rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn relative_time_picks_a_readable_unit() {
        let now = 1_770_546_600_000;
        assert_eq!(relative_parts(now - 10_000, now), (0, "second"));
        assert_eq!(relative_parts(now - 5 * 60_000, now), (-5, "minute"));
        assert_eq!(relative_parts(now - 3 * 3_600_000, now), (-3, "hour"));
        assert_eq!(relative_parts(now - 2 * 86_400_000, now), (-2, "day"));
        assert_eq!(relative_parts(now - 400 * 86_400_000, now), (-1, "year"));
    }
}
