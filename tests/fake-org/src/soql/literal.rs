//! Literal values: string escapes (decoding, and [`quote`] for the reverse),
//! `LIKE` patterns, date and dateTime literals and relative date literals
//! (`TODAY`, `LAST_N_DAYS:n`, ...).

use chrono::{DateTime, Datelike, Days, Months, NaiveDate};

/// One element of a `LIKE` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LikeTok {
    /// A character matched case-insensitively (escaped `\%` and `\_` become these).
    Char(char),
    /// `_`: exactly one character.
    One,
    /// `%`: any run of characters, possibly empty.
    Many,
}

/// A decoded character and whether it came from an escape sequence.
struct Piece {
    ch: char,
    escaped: bool,
}

/// The message Salesforce gives for a bad escape sequence.
fn illegal_sequence(raw: &str, seq: &str) -> String {
    format!("Invalid string literal '{raw}'. Illegal character sequence '{seq}' in string literal.")
}

/// Decodes the escapes of a string literal's raw content. `\%` and `\_` are
/// allowed only when `like` is set (Salesforce allows them in `LIKE` only).
fn decode(raw: &str, like: bool) -> Result<Vec<Piece>, String> {
    let mut out = Vec::with_capacity(raw.len());
    let mut chars = raw.char_indices();
    while let Some((_, c)) = chars.next() {
        if c != '\\' {
            out.push(Piece {
                ch: c,
                escaped: false,
            });
            continue;
        }
        let Some((i, e)) = chars.next() else {
            return Err(illegal_sequence(raw, "\\"));
        };
        let ch = match e {
            'n' | 'N' => '\n',
            'r' | 'R' => '\r',
            't' | 'T' => '\t',
            'b' | 'B' => '\u{8}',
            'f' | 'F' => '\u{c}',
            '"' | '\'' | '\\' => e,
            '%' | '_' if like => e,
            'u' => {
                let hex = raw
                    .get(i + 1..i + 5)
                    .filter(|h| h.chars().all(|h| h.is_ascii_hexdigit()));
                let Some(hex) = hex else {
                    return Err(illegal_sequence(raw, "\\u"));
                };
                for _ in 0..4 {
                    chars.next();
                }
                let unit =
                    u32::from_str_radix(hex, 16).map_err(|_| illegal_sequence(raw, "\\u"))?;
                let Some(ch) = char::from_u32(unit) else {
                    return Err(illegal_sequence(raw, &format!("\\u{hex}")));
                };
                ch
            }
            other => return Err(illegal_sequence(raw, &format!("\\{other}"))),
        };
        out.push(Piece { ch, escaped: true });
    }
    Ok(out)
}

/// Decodes a string literal outside `LIKE`; the error is Salesforce's message.
pub fn decode_string(raw: &str) -> Result<String, String> {
    Ok(decode(raw, false)?.into_iter().map(|p| p.ch).collect())
}

/// Decodes a `LIKE` pattern: unescaped `%` and `_` are wildcards.
pub fn decode_like(raw: &str) -> Result<Vec<LikeTok>, String> {
    Ok(decode(raw, true)?
        .into_iter()
        .map(|p| match (p.ch, p.escaped) {
            ('%', false) => LikeTok::Many,
            ('_', false) => LikeTok::One,
            (c, _) => LikeTok::Char(c),
        })
        .collect())
}

/// Appends the escape of `c` (or `c` itself) as SOQL needs it in a string literal.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\'' => out.push_str("\\'"),
        '"' => out.push_str("\\\""),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        _ => out.push(c),
    }
}

/// `s` as a SOQL string literal, quotes included: `Bob's` becomes `'Bob\'s'`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    s.chars().for_each(|c| push_escaped(&mut out, c));
    out.push('\'');
    out
}

/// `s` as a `LIKE` pattern matching exactly `s`: [`quote`] plus `\%` and `\_`.
pub fn quote_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '%' => out.push_str("\\%"),
            '_' => out.push_str("\\_"),
            _ => push_escaped(&mut out, c),
        }
    }
    out.push('\'');
    out
}

/// Whether `value` matches `pattern`, case-insensitively (by upper case, as
/// Salesforce compares). Greedy matching with one backtrack point: linear in
/// practice, no allocation.
pub fn like_matches(pattern: &[LikeTok], value: &str) -> bool {
    let same = |a: char, b: char| {
        a == b
            || if a.is_ascii() && b.is_ascii() {
                a.eq_ignore_ascii_case(&b)
            } else {
                a.to_uppercase().eq(b.to_uppercase())
            }
    };
    let (mut p, mut v) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        let c = value[v..].chars().next();
        match (pattern.get(p), c) {
            (Some(LikeTok::Many), _) => {
                star = Some((p, v));
                p += 1;
                continue;
            }
            (Some(LikeTok::One), Some(c)) => {
                p += 1;
                v += c.len_utf8();
                continue;
            }
            (Some(LikeTok::Char(pc)), Some(c)) if same(*pc, c) => {
                p += 1;
                v += c.len_utf8();
                continue;
            }
            (None, None) => return true,
            _ => {}
        }
        // Mismatch: let the last `%` swallow one more character, if it can.
        match star {
            Some((sp, sv)) => match value[sv..].chars().next() {
                Some(c) => {
                    star = Some((sp, sv + c.len_utf8()));
                    p = sp + 1;
                    v = sv + c.len_utf8();
                }
                None => return false,
            },
            None => return false,
        }
    }
}

/// A date `YYYY-MM-DD`, strictly in that shape.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A SOQL dateTime literal (`YYYY-MM-DDThh:mm:ss[.fff]` then `Z`, `±hh:mm` or
/// `±hhmm`), as UTC milliseconds since the epoch.
pub fn parse_datetime_literal(s: &str) -> Option<i64> {
    if s.len() < 20 || s.as_bytes()[10] != b'T' || parse_date(&s[..10]).is_none() {
        return None;
    }
    parse_datetime_value(s)
}

/// A dateTime value as records carry it (`2024-01-31T10:00:00.000+0000`,
/// or RFC 3339 `...Z` / `...+00:00`), as UTC milliseconds since the epoch.
pub fn parse_datetime_value(s: &str) -> Option<i64> {
    if let Some(ms) = parse_salesforce_datetime(s) {
        return Some(ms);
    }
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .ok()
        .map(|dt| dt.timestamp_millis())
}

/// Salesforce's own format, `YYYY-MM-DDThh:mm:ss.sss±hhmm`, without chrono's
/// general parser: every stored dateTime is in it, and filters and sorts
/// read it once per record.
fn parse_salesforce_datetime(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let shaped = b.len() == 28
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && matches!(b[23], b'+' | b'-');
    if !shaped {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = &b[range];
        digits.iter().all(u8::is_ascii_digit).then(|| {
            digits
                .iter()
                .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'))
        })
    };
    let date = parse_date(&s[..10])?;
    let (hour, minute, second, milli) = (num(11..13)?, num(14..16)?, num(17..19)?, num(20..23)?);
    let (off_h, off_m) = (num(24..26)?, num(26..28)?);
    if hour > 23 || minute > 59 || second > 59 || off_h > 23 || off_m > 59 {
        return None;
    }
    let offset = (off_h * 60 + off_m) * 60_000 * if b[23] == b'-' { -1 } else { 1 };
    Some(epoch_days(date) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + milli - offset)
}

/// Days since 1970-01-01 (negative before).
pub fn epoch_days(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - i64::from(UNIX_EPOCH_DAYS_FROM_CE)
}

/// `NaiveDate::from_ymd(1970, 1, 1).num_days_from_ce()`.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// A relative date literal the fake org understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKeyword {
    /// `YESTERDAY`
    Yesterday,
    /// `TODAY`
    Today,
    /// `TOMORROW`
    Tomorrow,
    /// `LAST_N_DAYS:n` (and `LAST_90_DAYS`): the past n days and today.
    LastNDays(u32),
    /// `NEXT_N_DAYS:n` (and `NEXT_90_DAYS`): the n days after today.
    NextNDays(u32),
    /// `N_DAYS_AGO:n`: the single day n days ago.
    NDaysAgo(u32),
    /// `LAST_MONTH`
    LastMonth,
    /// `THIS_MONTH`
    ThisMonth,
    /// `NEXT_MONTH`
    NextMonth,
    /// `LAST_YEAR`
    LastYear,
    /// `THIS_YEAR`
    ThisYear,
    /// `NEXT_YEAR`
    NextYear,
}

/// Relative date literals Salesforce has that the fake org does not
/// (week starts depend on the locale, quarters and fiscal periods on org settings).
pub const UNSUPPORTED_DATE_KEYWORDS: &[&str] = &[
    "LAST_WEEK",
    "THIS_WEEK",
    "NEXT_WEEK",
    "THIS_QUARTER",
    "LAST_QUARTER",
    "NEXT_QUARTER",
    "THIS_FISCAL_QUARTER",
    "LAST_FISCAL_QUARTER",
    "NEXT_FISCAL_QUARTER",
    "THIS_FISCAL_YEAR",
    "LAST_FISCAL_YEAR",
    "NEXT_FISCAL_YEAR",
    "LAST_N_WEEKS",
    "NEXT_N_WEEKS",
    "LAST_N_MONTHS",
    "NEXT_N_MONTHS",
    "LAST_N_QUARTERS",
    "NEXT_N_QUARTERS",
    "LAST_N_YEARS",
    "NEXT_N_YEARS",
    "LAST_N_FISCAL_QUARTERS",
    "NEXT_N_FISCAL_QUARTERS",
    "LAST_N_FISCAL_YEARS",
    "NEXT_N_FISCAL_YEARS",
    "N_WEEKS_AGO",
    "N_MONTHS_AGO",
    "N_QUARTERS_AGO",
    "N_YEARS_AGO",
    "N_FISCAL_QUARTERS_AGO",
    "N_FISCAL_YEARS_AGO",
];

/// Whether a keyword takes `:n`.
pub fn keyword_takes_n(name: &str) -> bool {
    matches!(
        name.to_ascii_uppercase().as_str(),
        "LAST_N_DAYS" | "NEXT_N_DAYS" | "N_DAYS_AGO"
    )
}

/// The date keyword named `name` (any case), with its `:n` when it takes one.
pub fn date_keyword(name: &str, n: Option<u32>) -> Option<DateKeyword> {
    use DateKeyword::*;
    Some(match (name.to_ascii_uppercase().as_str(), n) {
        ("YESTERDAY", None) => Yesterday,
        ("TODAY", None) => Today,
        ("TOMORROW", None) => Tomorrow,
        ("LAST_90_DAYS", None) => LastNDays(90),
        ("NEXT_90_DAYS", None) => NextNDays(90),
        ("LAST_N_DAYS", Some(n)) => LastNDays(n),
        ("NEXT_N_DAYS", Some(n)) => NextNDays(n),
        ("N_DAYS_AGO", Some(n)) => NDaysAgo(n),
        ("LAST_MONTH", None) => LastMonth,
        ("THIS_MONTH", None) => ThisMonth,
        ("NEXT_MONTH", None) => NextMonth,
        ("LAST_YEAR", None) => LastYear,
        ("THIS_YEAR", None) => ThisYear,
        ("NEXT_YEAR", None) => NextYear,
        _ => return None,
    })
}

impl DateKeyword {
    /// The half-open day range `[start, end)` the keyword covers when today is `today`
    /// (the fake org's user is on UTC). `None` if it falls outside chrono's calendar.
    pub fn range(self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        use DateKeyword::*;
        let day = |d: u64| Days::new(d);
        let month_start = today.with_day(1)?;
        let year_start = month_start.with_month(1)?;
        Some(match self {
            Yesterday => (today.checked_sub_days(day(1))?, today),
            Today => (today, today.checked_add_days(day(1))?),
            Tomorrow => (
                today.checked_add_days(day(1))?,
                today.checked_add_days(day(2))?,
            ),
            LastNDays(n) => (
                today.checked_sub_days(day(n.into()))?,
                today.checked_add_days(day(1))?,
            ),
            NextNDays(n) => (
                today.checked_add_days(day(1))?,
                today.checked_add_days(day(u64::from(n) + 1))?,
            ),
            NDaysAgo(n) => {
                let d = today.checked_sub_days(day(n.into()))?;
                (d, d.checked_add_days(day(1))?)
            }
            LastMonth => (month_start.checked_sub_months(Months::new(1))?, month_start),
            ThisMonth => (month_start, month_start.checked_add_months(Months::new(1))?),
            NextMonth => (
                month_start.checked_add_months(Months::new(1))?,
                month_start.checked_add_months(Months::new(2))?,
            ),
            LastYear => (year_start.checked_sub_months(Months::new(12))?, year_start),
            ThisYear => (year_start, year_start.checked_add_months(Months::new(12))?),
            NextYear => (
                year_start.checked_add_months(Months::new(12))?,
                year_start.checked_add_months(Months::new(24))?,
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_documented_escape() {
        let decoded = decode_string(r#"a\nb\Nc\rd\te\bf\fg\"h\'i\\j"#).expect("valid escapes");
        assert_eq!(decoded, "a\nb\nc\rd\te\u{8}f\u{c}g\"h'i\\j");
    }

    #[test]
    fn decodes_unicode_escape() {
        assert_eq!(decode_string(r"caf\u00e9").expect("valid"), "café");
    }

    #[test]
    fn rejects_unknown_escape_and_like_escapes_outside_like() {
        let err = decode_string(r"a\qb").expect_err("\\q is not an escape");
        assert_eq!(
            err,
            r"Invalid string literal 'a\qb'. Illegal character sequence '\q' in string literal."
        );
        assert!(decode_string(r"50\%").is_err());
        assert!(decode_string(r"a\_b").is_err());
        assert!(decode_string("trailing\\").is_err());
    }

    #[test]
    fn like_pattern_distinguishes_escaped_wildcards() {
        assert_eq!(
            decode_like(r"a%\%_\_").expect("valid"),
            vec![
                LikeTok::Char('a'),
                LikeTok::Many,
                LikeTok::Char('%'),
                LikeTok::One,
                LikeTok::Char('_'),
            ]
        );
    }

    fn like(pattern: &str, value: &str) -> bool {
        like_matches(&decode_like(pattern).expect("valid pattern"), value)
    }

    #[test]
    fn like_matching() {
        assert!(like("Ter%", "Terminal"));
        assert!(like("ter%", "TERMINAL"));
        assert!(!like("Ter%", "Ate"));
        assert!(like(r"Ter\%", "Ter%"));
        assert!(!like(r"Ter\%", "Term"));
        assert!(like(r"Ter\%%", "Ter%abc"));
        assert!(like("appl_%", "Appleton"));
        assert!(like("appl_%", "Apple"));
        assert!(!like("appl_%", "Appl"));
        assert!(like("%a%b%", "xxAyyBzz"));
        assert!(!like("%a%b%", "xxByyAzz"));
        assert!(like("%", ""));
        assert!(!like("_", ""));
        assert!(like(r"a\_b", "a_b"));
        assert!(!like(r"a\_b", "axb"));
        assert!(like("é%", "École"));
    }

    #[test]
    fn quote_escapes_reserved_characters() {
        assert_eq!(quote("Bob's \\ \"BBQ\"\n"), r#"'Bob\'s \\ \"BBQ\"\n'"#);
        assert_eq!(quote_like("50%_off"), r"'50\%\_off'");
    }

    #[test]
    fn dates_and_datetimes() {
        assert_eq!(
            parse_date("2024-01-31"),
            NaiveDate::from_ymd_opt(2024, 1, 31)
        );
        assert_eq!(parse_date("2024-1-31"), None);
        assert_eq!(parse_date("2024-02-30"), None);
        let z = parse_datetime_literal("2024-01-31T10:00:00Z").expect("Z form");
        let plus = parse_datetime_literal("2024-01-31T11:00:00+01:00").expect("+hh:mm form");
        let compact = parse_datetime_literal("2024-01-31T10:00:00.000+0000").expect("+hhmm form");
        assert_eq!(z, plus);
        assert_eq!(z, compact);
        assert_eq!(parse_datetime_literal("2024-01-31T10:00:00"), None);
        assert_eq!(
            parse_datetime_value("2024-01-31T10:00:00.000+0000"),
            Some(z)
        );
        for value in [
            "2024-01-31T10:00:00.000+0000",
            "2024-01-31T10:00:00.123-0530",
            "1969-12-31T23:59:59.999+0100",
            "2024-02-29T00:00:00.000+2359",
        ] {
            let chrono = DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f%z")
                .expect("chrono parses it")
                .timestamp_millis();
            assert_eq!(parse_salesforce_datetime(value), Some(chrono), "{value}");
        }
        assert_eq!(
            parse_salesforce_datetime("2024-01-31T24:00:00.000+0000"),
            None
        );
        let day = NaiveDate::from_ymd_opt(1970, 1, 2).expect("valid");
        assert_eq!(epoch_days(day), 1);
    }

    #[test]
    fn keyword_ranges() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("valid date");
        let today = d(2024, 3, 15);
        let range = |kw: DateKeyword| kw.range(today).expect("in range");
        assert_eq!(range(DateKeyword::Today), (d(2024, 3, 15), d(2024, 3, 16)));
        assert_eq!(
            range(DateKeyword::Yesterday),
            (d(2024, 3, 14), d(2024, 3, 15))
        );
        assert_eq!(
            range(DateKeyword::Tomorrow),
            (d(2024, 3, 16), d(2024, 3, 17))
        );
        assert_eq!(
            range(DateKeyword::LastNDays(1)),
            (d(2024, 3, 14), d(2024, 3, 16))
        );
        assert_eq!(
            range(DateKeyword::NextNDays(2)),
            (d(2024, 3, 16), d(2024, 3, 18))
        );
        assert_eq!(
            range(DateKeyword::NDaysAgo(5)),
            (d(2024, 3, 10), d(2024, 3, 11))
        );
        assert_eq!(
            range(DateKeyword::ThisMonth),
            (d(2024, 3, 1), d(2024, 4, 1))
        );
        assert_eq!(
            range(DateKeyword::LastMonth),
            (d(2024, 2, 1), d(2024, 3, 1))
        );
        assert_eq!(
            range(DateKeyword::NextMonth),
            (d(2024, 4, 1), d(2024, 5, 1))
        );
        assert_eq!(range(DateKeyword::ThisYear), (d(2024, 1, 1), d(2025, 1, 1)));
        assert_eq!(range(DateKeyword::LastYear), (d(2023, 1, 1), d(2024, 1, 1)));
        assert_eq!(range(DateKeyword::NextYear), (d(2025, 1, 1), d(2026, 1, 1)));
        assert_eq!(
            date_keyword("last_90_days", None),
            Some(DateKeyword::LastNDays(90))
        );
        assert_eq!(date_keyword("LAST_N_DAYS", None), None);
    }
}
