//! Exact decimals for `currency` fields, and `percent` and `double` fields with
//! a scale.
//!
//! Salesforce keeps such values as decimals whose whole part fits the declared
//! precision less the scale (`currency(18, 2)` holds `9999999999999999.99`,
//! which no `f64` does); through the API it keeps every fraction digit given. The
//! store keeps them as canonical text ([`super::cell::Cell::Decimal`]): an
//! optional `-`, the whole digits without leading zeros (`0` if none), and the
//! fraction digits without trailing zeros after a `.` if any are left
//! (`50000`, `12.5`, `-0.01`). Everything here works on digit strings; no value
//! passes through `f64`.

/// A decimal number split into digit strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digits {
    negative: bool,
    /// Whole digits, without leading zeros (empty for zero).
    whole: String,
    /// Fraction digits, without trailing zeros.
    fraction: String,
}

/// The largest exponent read: beyond it, a number fits no field anyway.
const MAX_EXPONENT: i64 = 400;

impl Digits {
    /// Parses a JSON number's text, or a string holding a number: `-1.5`,
    /// `1.0E7`, `2.5e-3`, `+7`, `.5`. `None` for anything else.
    pub fn parse(text: &str) -> Option<Digits> {
        let (negative, unsigned) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(at) => {
                let exp = &unsigned[at + 1..];
                let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let exp: i64 = exp.parse().ok()?;
                if exp.abs() > MAX_EXPONENT {
                    return None;
                }
                (&unsigned[..at], exp)
            }
            None => (unsigned, 0),
        };
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if (int_part.is_empty() && frac_part.is_empty())
            || mantissa.ends_with('.')
            || !int_part.bytes().all(|b| b.is_ascii_digit())
            || !frac_part.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let all: String = [int_part, frac_part].concat();
        // The decimal point sits after `point` digits of `all` (may be outside it).
        let point = i64::try_from(int_part.len()).ok()? + exponent;
        let len = i64::try_from(all.len()).ok()?;
        let (whole, fraction) = if point <= 0 {
            let zeros = usize::try_from(-point).ok()?;
            (String::new(), format!("{}{all}", "0".repeat(zeros)))
        } else if point >= len {
            let zeros = usize::try_from(point - len).ok()?;
            (format!("{all}{}", "0".repeat(zeros)), String::new())
        } else {
            let at = usize::try_from(point).ok()?;
            (all[..at].to_owned(), all[at..].to_owned())
        };
        Some(
            Digits {
                negative,
                whole: whole.trim_start_matches('0').to_owned(),
                fraction: fraction.trim_end_matches('0').to_owned(),
            }
            .tidy(),
        )
    }

    /// Zero is never negative.
    fn tidy(mut self) -> Digits {
        if self.whole.is_empty() && self.fraction.is_empty() {
            self.negative = false;
        }
        self
    }

    /// How many digits the whole part has.
    pub fn whole_digits(&self) -> usize {
        self.whole.len()
    }

    /// The canonical text the store keeps.
    pub fn canonical(&self) -> String {
        let mut out = String::with_capacity(self.whole.len() + self.fraction.len() + 3);
        if self.negative {
            out.push('-');
        }
        out.push_str(if self.whole.is_empty() {
            "0"
        } else {
            &self.whole
        });
        if !self.fraction.is_empty() {
            out.push('.');
            out.push_str(&self.fraction);
        }
        out
    }
}

/// A stored decimal as Salesforce writes it in JSON: at least one fraction
/// digit (`50000.0`, `12.5`, `9999999999999999.99`), never an exponent.
pub fn json_number(canonical: &str) -> String {
    if canonical.contains('.') {
        canonical.to_owned()
    } else {
        format!("{canonical}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> Option<String> {
        Digits::parse(text).map(|d| d.canonical())
    }

    #[test]
    fn numbers_read_exactly_into_canonical_text() {
        for (text, expected) in [
            ("9999999999999999.99", "9999999999999999.99"),
            ("-9999999999999999.99", "-9999999999999999.99"),
            ("0.01", "0.01"),
            ("50000", "50000"),
            ("50000.0", "50000"),
            ("0050.500", "50.5"),
            ("1.0E7", "10000000"),
            ("1.5e+2", "150"),
            ("2.5e-3", "0.0025"),
            ("12345e-2", "123.45"),
            ("+7", "7"),
            (".5", "0.5"),
            ("-0", "0"),
            ("-0.000", "0"),
            ("0", "0"),
            (
                "12345678901234567890.123456789012",
                "12345678901234567890.123456789012",
            ),
        ] {
            assert_eq!(canonical(text).as_deref(), Some(expected), "{text}");
        }
        for bad in [
            "", "-", ".", "1.", "1e", "1e+", "abc", "1,5", "0x10", "1e999", "--1", "1 ",
        ] {
            assert_eq!(canonical(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn json_numbers_have_a_fraction_digit() {
        assert_eq!(json_number("50000"), "50000.0");
        assert_eq!(json_number("-0.01"), "-0.01");
        assert_eq!(json_number("0"), "0.0");
    }
}
