//! Rustdoc text from describe labels and help text, sanitized so that neither
//! rustdoc nor clippy has anything to say about it.

use proc_macro2::TokenStream;
use quote::quote;

/// Characters Markdown gives a meaning to anywhere in a line.
const ESCAPED: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '#', '$',
];

/// Turns free text (a label, help text) into doc lines: control and
/// bidirectional characters dropped, tabs made spaces, lines trimmed, Markdown
/// punctuation escaped, line starts that would open a list, quote or heading
/// escaped, and URLs made autolinks.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .map(|line| {
            let clean: String = line
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .filter(|c| !c.is_control() && !is_bidi(*c))
                .collect();
            escape_line(clean.trim())
        })
        .collect();
    // No leading, trailing or doubled blank lines.
    lines.dedup_by(|a, b| a.is_empty() && b.is_empty());
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// Sanitizes text placed inside a line (labels, values): like [`sanitize`],
/// joined into one line, without the line-start escapes.
pub fn inline(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !is_bidi(*c))
        .collect();
    let words: Vec<&str> = one_line.split(' ').filter(|w| !w.is_empty()).collect();
    escape_words(&words.join(" "))
}

/// Escapes what would open a list or heading when `line` starts a doc line.
pub fn line_start(line: String) -> String {
    if line.starts_with(['-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line
}

/// Text in a code span: `` `value` ``, or escaped text when it holds a backtick.
pub fn code(text: &str) -> String {
    let one_line: String = text
        .chars()
        .filter(|c| !c.is_control() && !is_bidi(*c))
        .collect();
    if one_line.contains('`') || one_line.trim().is_empty() || one_line.trim() != one_line {
        format!("\"{}\"", escape_words(&one_line))
    } else {
        format!("`{one_line}`")
    }
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Escapes a free-text line: Markdown punctuation everywhere, block markers
/// at its start (`>` and `#` are escaped everywhere already).
fn escape_line(line: &str) -> String {
    line_start(escape_words(line))
}

fn escape_words(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            if word.starts_with("http://") || word.starts_with("https://") {
                // An autolink keeps rustdoc's `bare_urls` quiet; `<`/`>` cannot be in it.
                let url: String = word
                    .chars()
                    .filter(|c| !matches!(c, '<' | '>' | '`'))
                    .collect();
                format!("<{url}>")
            } else {
                let mut out = String::with_capacity(word.len());
                for c in word.chars() {
                    if ESCAPED.contains(&c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `#[doc]` attributes, one per line.
pub fn attrs<S: AsRef<str>>(lines: &[S]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        let l = l.as_ref();
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc]` attributes, one per line.
pub fn inner_attrs<S: AsRef<str>>(lines: &[S]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        let l = l.as_ref();
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// Paragraphs joined with blank lines, empty ones skipped.
pub fn paragraphs(parts: Vec<Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_are_escaped() {
        assert_eq!(
            sanitize("Use <b>bold</b> & [links]"),
            ["Use \\<b\\>bold\\</b\\> \\& \\[links\\]"]
        );
        assert_eq!(
            sanitize("snake_case *and* `code`"),
            ["snake\\_case \\*and\\* \\`code\\`"]
        );
    }

    #[test]
    fn block_starts_are_escaped() {
        assert_eq!(
            sanitize("- one\n+ two\n> quote\n1. first\n2) second\n# head\n===\nplain"),
            [
                "\\- one",
                "\\+ two",
                "\\> quote",
                "1\\. first",
                "2\\) second",
                "\\# head",
                "\\===",
                "plain"
            ]
        );
    }

    #[test]
    fn urls_become_autolinks() {
        assert_eq!(
            sanitize("See https://example.com/a_b?x=1 now"),
            ["See <https://example.com/a_b?x=1> now"]
        );
    }

    #[test]
    fn whitespace_controls_and_bidi_are_cleaned() {
        assert_eq!(
            sanitize("\n\n  a\tb \u{202E}c\u{7}  \r\n\n\n\nd\n\n"),
            ["a b c", "", "d"]
        );
        assert_eq!(inline("Two\nlines"), "Two lines");
        assert_eq!(inline("API v50.0 - 1. x"), "API v50.0 - 1. x");
        assert_eq!(line_start(inline("1. Stage")), "1\\. Stage");
    }

    #[test]
    fn code_spans() {
        assert_eq!(code("1 - High"), "`1 - High`");
        assert_eq!(code("a`b"), "\"a\\`b\"");
        assert_eq!(code(" padded"), "\" padded\"");
    }
}
