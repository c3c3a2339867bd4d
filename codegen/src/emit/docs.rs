//! Rustdoc text from describe labels and help text, sanitized so that neither
//! rustdoc nor clippy has anything to say about it.

use proc_macro2::TokenStream;
use quote::quote;

/// Characters Markdown gives a meaning to anywhere in a line.
const ESCAPED: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '#', '$',
];

/// The most bytes of one describe text (a help text, a label, a value) that
/// go into the docs; the rest is cut with a note, so that generation and
/// compilation stay small whatever the describe says.
pub const MAX_DOC_BYTES: usize = 4096;

/// At most [`MAX_DOC_BYTES`] of `text` (cut at a character boundary), and the
/// note saying so when it was cut.
fn bounded(text: &str) -> (&str, Option<String>) {
    if text.len() <= MAX_DOC_BYTES {
        return (text, None);
    }
    let mut end = MAX_DOC_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let note = format!(
        "(cut by sfgen: the describe's text is {} bytes, the first {end} are shown)",
        text.len()
    );
    (&text[..end], Some(note))
}

/// Turns free text (a label, help text) into doc lines: at most
/// [`MAX_DOC_BYTES`] of it, control and bidirectional characters dropped,
/// tabs made spaces, lines trimmed, Markdown punctuation escaped (`*/` too),
/// line starts that would open a list, quote or heading escaped, and URLs made
/// autolinks.
pub fn sanitize(text: &str) -> Vec<String> {
    let (text, cut) = bounded(text);
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
    if let Some(note) = cut {
        lines.push(String::new());
        lines.push(note);
    }
    lines
}

/// Sanitizes text placed inside a line (labels, values): like [`sanitize`],
/// joined into one line, without the line-start escapes.
pub fn inline(text: &str) -> String {
    let (text, cut) = bounded(text);
    let one_line: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !is_bidi(*c))
        .collect();
    let words: Vec<&str> = one_line.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = escape_words(&words.join(" "));
    if let Some(note) = cut {
        out.push_str(" … ");
        out.push_str(&note);
    }
    out
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
    let (text, cut) = bounded(text);
    let one_line: String = text
        .chars()
        .filter(|c| !c.is_control() && !is_bidi(*c))
        .collect();
    let mut out =
        if one_line.contains('`') || one_line.trim().is_empty() || one_line.trim() != one_line {
            format!("\"{}\"", escape_words(&one_line))
        } else {
            format!("`{one_line}`")
        };
    if let Some(note) = cut {
        out.push_str(" … ");
        out.push_str(&note);
    }
    out
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
                let mut after_star = false;
                for c in word.chars() {
                    // `*/` would end a block comment: its `/` is escaped too.
                    if ESCAPED.contains(&c) || (c == '/' && after_star) {
                        out.push('\\');
                    }
                    after_star = c == '*';
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
    fn comment_ends_are_escaped() {
        assert_eq!(sanitize("a */ b*/c /* d"), ["a \\*\\/ b\\*\\/c /\\* d"]);
        assert!(!inline("x*/y").contains("*/"));
        assert!(!code("x*/`y").contains("*/"));
    }

    #[test]
    fn long_text_is_cut_with_a_note() {
        let help = "line */ with é\n".repeat(1_000_000);
        let lines = sanitize(&help);
        let bytes: usize = lines.iter().map(String::len).sum();
        assert!(bytes < 2 * MAX_DOC_BYTES, "{bytes} bytes");
        assert_eq!(
            lines.last().map(String::as_str),
            Some("(cut by sfgen: the describe's text is 16000000 bytes, the first 4096 are shown)")
        );
        assert!(lines.iter().all(|l| !l.contains("*/")));
        let label = "é".repeat(10_000);
        let one = inline(&label);
        assert!(one.len() < MAX_DOC_BYTES + 100, "{}", one.len());
        assert!(one.ends_with("the first 4096 are shown)"), "{one}");
        assert!(code(&label).len() < MAX_DOC_BYTES + 100);
        assert_eq!(sanitize("short"), ["short"]);
    }

    #[test]
    fn code_spans() {
        assert_eq!(code("1 - High"), "`1 - High`");
        assert_eq!(code("a`b"), "\"a\\`b\"");
        assert_eq!(code(" padded"), "\" padded\"");
    }
}
