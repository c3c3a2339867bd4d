//! Which names from an org or a schemas directory sfgen accepts.
//!
//! Object and field names become file names (`<Object>.json`), Rust names and
//! the `FIELDS` lists that go into SOQL, so they are checked before anything
//! uses them: an API name is 1 to [`MAX_API_NAME`] ASCII letters, digits and
//! underscores (`Account`, `npsp__Batch__c`, `Loc__Latitude__s`). Anything
//! else (`../x`, a NUL, a space, a quote, `*/`) is refused, never cleaned up.
//!
//! A leading digit or underscore is accepted although Salesforce itself does
//! not create such names: they are harmless in a path and in SOQL, and the
//! naming rules ([`crate::naming`]) turn them into valid Rust.

/// The longest API name accepted, in bytes (Salesforce allows 40 characters
/// plus a namespace and a suffix).
pub const MAX_API_NAME: usize = 255;

/// Why `name` is not an API name, as the end of a sentence ("it holds a
/// space"), or `None` when it is one.
pub fn api_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".to_owned());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        let what = match c {
            '\0' => "a NUL character".to_owned(),
            ' ' => "a space".to_owned(),
            '"' | '\'' | '`' => format!("a quote ({c})"),
            c if c.is_control() || c.is_whitespace() => {
                format!("the character U+{:04X}", u32::from(c))
            }
            c => format!("`{c}`"),
        };
        return Some(format!(
            "holds {what}; API names hold only ASCII letters, digits and `_`"
        ));
    }
    if name.len() > MAX_API_NAME {
        return Some(format!(
            "is {} bytes long; sfgen accepts at most {MAX_API_NAME}",
            name.len()
        ));
    }
    None
}

/// Whether `name` is an API name sfgen accepts.
pub fn is_api_name(name: &str) -> bool {
    api_name_problem(name).is_none()
}

/// A name as error messages show it: quoted, with control characters escaped,
/// so that a hostile name cannot rewrite the terminal.
pub fn shown(name: &str) -> String {
    format!("{name:?}")
}

/// Why a manifest's `file` entry does not name a file inside the schemas
/// directory, or `None` when it does: a relative `/`-separated path without
/// `.`, `..` or empty parts, without a drive, backslash or control character.
pub fn manifest_file_problem(file: &str) -> Option<&'static str> {
    if file.is_empty() {
        Some("is empty")
    } else if file.starts_with('/') || file.contains(':') {
        Some("is absolute")
    } else if file.contains('\\') {
        Some("holds a backslash (use `/`)")
    } else if file.chars().any(char::is_control) {
        Some("holds a control character")
    } else if file
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        Some("has an empty, `.` or `..` part")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_names() {
        for ok in [
            "Account",
            "npsp__Batch__c",
            "Loc__Latitude__s",
            "Feed__mdt",
            "123__c",
            "_x",
            "X__x",
        ] {
            assert!(is_api_name(ok), "{ok}");
        }
        let cases = [
            ("", "is empty"),
            (
                "../../x",
                "holds `.`; API names hold only ASCII letters, digits and `_`",
            ),
            (
                "/abs/x",
                "holds `/`; API names hold only ASCII letters, digits and `_`",
            ),
            (
                "A\0B",
                "holds a NUL character; API names hold only ASCII letters, digits and `_`",
            ),
            (
                "A B",
                "holds a space; API names hold only ASCII letters, digits and `_`",
            ),
            (
                "A\"B",
                "holds a quote (\"); API names hold only ASCII letters, digits and `_`",
            ),
            (
                "A*/B",
                "holds `*`; API names hold only ASCII letters, digits and `_`",
            ),
            (
                "A\nB",
                "holds the character U+000A; API names hold only ASCII letters, digits and `_`",
            ),
            (
                "Straße",
                "holds `ß`; API names hold only ASCII letters, digits and `_`",
            ),
        ];
        for (name, problem) in cases {
            assert_eq!(api_name_problem(name).as_deref(), Some(problem), "{name:?}");
        }
        let long = "a".repeat(MAX_API_NAME + 1);
        assert!(!is_api_name(&long));
        assert!(is_api_name(&long[1..]));
        assert_eq!(shown("a\u{1b}[2J"), "\"a\\u{1b}[2J\"");
    }

    #[test]
    fn manifest_files() {
        for ok in ["Account.json", "objects/Account.json", "a.b.json"] {
            assert_eq!(manifest_file_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "../x.json",
            "/etc/passwd",
            "a/../../x",
            "a//b",
            "./a",
            "C:\\x",
            "C:x",
            "a\\..\\x",
            "a\0b",
        ] {
            assert!(manifest_file_problem(bad).is_some(), "{bad:?}");
        }
    }
}
