//! What can be wrong with a mapping spec, and how it is reported: each problem
//! with the spec's line and column and the fix.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// A problem found while checking the spec, positioned by byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Bytes of the spec the problem is at.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

impl SpecError {
    /// A problem at `span`.
    pub fn new(span: Range<usize>, message: impl Into<String>, fix: impl Into<String>) -> Self {
        SpecError {
            span,
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// The 1-based line and column of the span's start in `source`.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        let start = self.span.start.min(source.len());
        let before = source.get(..start).unwrap_or(source);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    /// The problem with its position resolved.
    pub fn locate(self, source: &str) -> Problem {
        let (line, column) = self.line_col(source);
        Problem {
            line,
            column,
            message: self.message,
            fix: self.fix,
        }
    }
}

/// A problem of the spec, at a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

/// Why the unified mappers could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum UnifiedError {
    /// A file or directory could not be read or written.
    #[error(transparent)]
    Io(#[from] crate::error::IoError),
    /// The spec does not fit the describes; every problem is listed.
    #[error("{}", render(path, problems))]
    Invalid {
        /// The spec file.
        path: PathBuf,
        /// The problems, in the spec's order.
        problems: Vec<Problem>,
    },
}

fn render(path: &std::path::Path, problems: &[Problem]) -> String {
    let mut out = format!(
        "`{}` does not fit the describes ({} problem{}):",
        path.display(),
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        out.push_str(&format!(
            "\n{}:{}:{}: {}\n    fix: {}",
            path.display(),
            p.line,
            p.column,
            p.message,
            p.fix
        ));
    }
    out
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} (fix: {})",
            self.line, self.column, self.message, self.fix
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_lines_and_character_columns() {
        let source = "a = 1\nbé = \"x\"\n";
        assert_eq!(SpecError::new(0..1, "m", "f").line_col(source), (1, 1));
        let at = source.find('"').expect("a quote");
        assert_eq!(
            SpecError::new(at..at + 1, "m", "f").line_col(source),
            (2, 6)
        );
        assert_eq!(SpecError::new(999..1000, "m", "f").line_col(source), (3, 1));
    }

    #[test]
    fn display_lists_every_problem_with_its_fix() {
        let e = UnifiedError::Invalid {
            path: "schemas/unified.toml".into(),
            problems: vec![
                Problem {
                    line: 3,
                    column: 10,
                    message: "bad".into(),
                    fix: "do this".into(),
                },
                Problem {
                    line: 9,
                    column: 1,
                    message: "worse".into(),
                    fix: "do that".into(),
                },
            ],
        };
        assert_eq!(
            e.to_string(),
            "`schemas/unified.toml` does not fit the describes (2 problems):\n\
             schemas/unified.toml:3:10: bad\n    fix: do this\n\
             schemas/unified.toml:9:1: worse\n    fix: do that"
        );
        let io = UnifiedError::Io(crate::error::IoError {
            action: "read",
            path: "x.toml".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
        assert_eq!(io.to_string(), "cannot read `x.toml`");
        let source = std::error::Error::source(&io).map(ToString::to_string);
        assert_eq!(
            source.as_deref(),
            Some("no such file"),
            "the cause is the source, said once"
        );
    }
}
