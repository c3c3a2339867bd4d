//! How figures are printed: one line each, the goal beside it.

use std::fmt;

/// Whether a figure meets its goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A count goal (figures 1–4) is met.
    Met,
    /// A count goal is missed: the run exits non-zero.
    Missed,
    /// A ratio or time goal is met (printed, never asserted).
    Within,
    /// A ratio or time goal is missed (printed, never asserted).
    Outside,
    /// A figure without a goal (details, itemised calls).
    Info,
}

impl Verdict {
    /// A count goal's verdict.
    pub fn count(met: bool) -> Verdict {
        if met {
            Verdict::Met
        } else {
            Verdict::Missed
        }
    }

    /// A ratio or time goal's verdict.
    pub fn measure(met: bool) -> Verdict {
        if met {
            Verdict::Within
        } else {
            Verdict::Outside
        }
    }

    fn mark(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Missed => "MISSED",
            Verdict::Within => "met",
            Verdict::Outside => "missed",
            Verdict::Info => "",
        }
    }
}

/// One printed line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The figure's number in the issue (1–10).
    pub figure: u8,
    /// What was measured.
    pub what: String,
    /// The figure itself.
    pub value: String,
    /// The goal; empty for a detail line under a figure.
    pub goal: String,
    /// How it compares with the goal.
    pub verdict: Verdict,
}

impl Line {
    /// A figure with a goal (or a word such as `itemised` where it has none).
    pub fn goal(
        figure: u8,
        what: impl Into<String>,
        value: impl Into<String>,
        goal: impl Into<String>,
        verdict: Verdict,
    ) -> Line {
        Line {
            figure,
            what: what.into(),
            value: value.into(),
            goal: goal.into(),
            verdict,
        }
    }

    /// A detail under a figure.
    pub fn info(figure: u8, what: impl Into<String>, value: impl Into<String>) -> Line {
        Line {
            figure,
            what: what.into(),
            value: value.into(),
            goal: String::new(),
            verdict: Verdict::Info,
        }
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.goal.is_empty() {
            return write!(f, "      {}: {}", self.what, self.value);
        }
        write!(
            f,
            "[{}] {:<62} {:>12}   goal {:<9} {}",
            self.figure,
            self.what,
            self.value,
            self.goal,
            self.verdict.mark()
        )
    }
}

/// A ratio with two decimals.
pub fn ratio(value: f64) -> String {
    format!("{value:.2}")
}

/// Seconds with one or two decimals.
pub fn seconds(secs: f64) -> String {
    if secs < 10.0 {
        format!("{secs:.2} s")
    } else {
        format!("{secs:.1} s")
    }
}

/// kB as MiB.
pub fn mib(kb: u64) -> String {
    format!("{:.1} MiB", kb as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_show_the_goal_and_the_verdict() {
        let line = Line::goal(1, "HTTP calls", "1.00", "1.00", Verdict::count(true));
        let text = line.to_string();
        assert!(text.starts_with("[1] HTTP calls"), "{text}");
        assert!(text.ends_with("goal 1.00      met"), "{text}");
        let missed = Line::goal(4, "refreshes", "2", "= 1", Verdict::count(false)).to_string();
        assert!(missed.ends_with("MISSED"), "{missed}");
        assert_eq!(
            Line::info(2, "Bulk", "5 calls").to_string(),
            "      Bulk: 5 calls"
        );
        assert_eq!(seconds(1.234), "1.23 s");
        assert_eq!(seconds(61.25), "61.2 s");
        assert_eq!(mib(2048), "2.0 MiB");
    }
}
