//! Salesforce's date-time and time wire formats.
//!
//! Salesforce writes date-times as `2019-02-13T21:47:31.000+0000`: not RFC 3339,
//! because the offset has no colon. Times are written `21:47:31.000Z`. Dates
//! (`2019-02-13`) are plain [`chrono::NaiveDate`]s.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveTime, Utc};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// A date-time as Salesforce sends and accepts it, held in UTC.
///
/// Reads `2019-02-13T21:47:31.000+0000`, `…+00:00`, `…Z` and other offsets;
/// writes `2019-02-13T21:47:31.000+0000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SfDateTime(pub DateTime<Utc>);

/// A value that is not a Salesforce date-time or time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a Salesforce {kind} (expected e.g. `{example}`)")]
pub struct ParseError {
    value: String,
    kind: &'static str,
    example: &'static str,
}

const DATETIME_FORMATS: &[&str] = &["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%.f%:z"];

impl FromStr for SfDateTime {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DATETIME_FORMATS
            .iter()
            .find_map(|f| DateTime::parse_from_str(s, f).ok())
            .or_else(|| DateTime::parse_from_rfc3339(s).ok())
            .map(|dt| SfDateTime(dt.with_timezone(&Utc)))
            .ok_or_else(|| ParseError {
                value: s.to_owned(),
                kind: "date-time",
                example: "2019-02-13T21:47:31.000+0000",
            })
    }
}

impl fmt::Display for SfDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S%.3f+0000"))
    }
}

impl From<DateTime<Utc>> for SfDateTime {
    fn from(dt: DateTime<Utc>) -> Self {
        SfDateTime(dt)
    }
}

impl From<SfDateTime> for DateTime<Utc> {
    fn from(dt: SfDateTime) -> Self {
        dt.0
    }
}

/// A time of day as Salesforce sends and accepts it: `21:47:31.000Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SfTime(pub NaiveTime);

impl FromStr for SfTime {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bare = s.strip_suffix('Z').unwrap_or(s);
        NaiveTime::parse_from_str(bare, "%H:%M:%S%.f")
            .or_else(|_| NaiveTime::parse_from_str(bare, "%H:%M"))
            .map(SfTime)
            .map_err(|_| ParseError {
                value: s.to_owned(),
                kind: "time",
                example: "21:47:31.000Z",
            })
    }
}

impl fmt::Display for SfTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Z", self.0.format("%H:%M:%S%.3f"))
    }
}

impl From<NaiveTime> for SfTime {
    fn from(t: NaiveTime) -> Self {
        SfTime(t)
    }
}

/// Serde through `Display` and `FromStr`, borrowing the input when it can.
macro_rules! string_serde {
    ($ty:ty, $expecting:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl de::Visitor<'_> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

string_serde!(
    SfDateTime,
    "a Salesforce date-time such as 2019-02-13T21:47:31.000+0000"
);
string_serde!(SfTime, "a Salesforce time such as 21:47:31.000Z");

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn reads_salesforce_and_rfc3339_forms() {
        let expected = Utc
            .with_ymd_and_hms(2019, 2, 13, 21, 47, 31)
            .single()
            .expect("valid");
        for s in [
            "2019-02-13T21:47:31.000+0000",
            "2019-02-13T21:47:31.000+00:00",
            "2019-02-13T21:47:31Z",
            "2019-02-13T22:47:31.000+0100",
        ] {
            let parsed: SfDateTime = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(parsed.0, expected, "{s}");
        }
    }

    #[test]
    fn writes_the_salesforce_form() {
        let dt: SfDateTime = "2019-02-13T21:47:31.5Z".parse().expect("valid");
        assert_eq!(
            serde_json::to_string(&dt).expect("encodes"),
            "\"2019-02-13T21:47:31.500+0000\""
        );
        let back: SfDateTime =
            serde_json::from_str("\"2019-02-13T21:47:31.500+0000\"").expect("decodes");
        assert_eq!(back, dt);
    }

    #[test]
    fn rejects_what_is_not_a_date_time() {
        let err = "2019-02-13"
            .parse::<SfDateTime>()
            .expect_err("a date is not a date-time");
        assert_eq!(
            err.to_string(),
            "`2019-02-13` is not a Salesforce date-time (expected e.g. `2019-02-13T21:47:31.000+0000`)"
        );
    }

    #[test]
    fn times_round_trip() {
        let t: SfTime = serde_json::from_str("\"21:47:31.000Z\"").expect("decodes");
        assert_eq!(t.to_string(), "21:47:31.000Z");
        assert!("25:00:00Z".parse::<SfTime>().is_err());
    }
}
