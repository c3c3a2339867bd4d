//! Splits a SOQL string into tokens, each with its byte offset for error
//! positions. Keywords are plain identifiers here; the parser matches them
//! case-insensitively. String literals keep their raw text (between the
//! quotes): how escapes decode depends on where the literal stands (`LIKE`
//! allows `\%` and `\_`), so the parser decodes them.

use super::error::{SoqlError, MALFORMED_QUERY};
use super::literal;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `!=` or `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// A name or keyword: `[A-Za-z_][A-Za-z0-9_]*`.
    Ident,
    /// A string literal; the token's text is the raw content between the quotes.
    Str,
    /// A number: `[+-]?digits[.digits]`.
    Number,
    /// A date literal `YYYY-MM-DD`.
    Date(chrono::NaiveDate),
    /// A dateTime literal, as UTC milliseconds since the epoch.
    DateTime(i64),
    /// A comparison operator.
    Op(CmpOp),
    /// `.`
    Dot,
    /// `,`
    Comma,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `:`
    Colon,
    /// Any other character, which no rule of the grammar accepts.
    Other,
    /// The end of the query.
    Eof,
}

/// One token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Token<'q> {
    /// What it is.
    pub kind: TokenKind,
    /// Its text (for `Str`, the raw content between the quotes).
    pub text: &'q str,
    /// Byte offset of its first character in the query.
    pub pos: usize,
}

impl Token<'_> {
    /// Whether this is the keyword `kw` (given in upper case), in any case.
    pub fn is_kw(&self, kw: &str) -> bool {
        self.kind == TokenKind::Ident && self.text.eq_ignore_ascii_case(kw)
    }

    /// The token as Salesforce names it in "unexpected token: ..." messages.
    pub fn display(&self) -> String {
        match self.kind {
            TokenKind::Eof => "<EOF>".to_owned(),
            TokenKind::Str => format!("'{}'", self.text),
            _ => self.text.to_owned(),
        }
    }
}

/// Tokenizes `query`; the last token is always `Eof`.
pub fn tokenize(query: &str) -> Result<Vec<Token<'_>>, SoqlError> {
    let mut tokens = Vec::new();
    let bytes = query.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind = match c {
            b'\'' => {
                let end = string_end(query, start)?;
                tokens.push(Token {
                    kind: TokenKind::Str,
                    text: &query[start + 1..end],
                    pos: start,
                });
                i = end + 1;
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                i = scan_while(bytes, i, |b| b.is_ascii_alphanumeric() || b == b'_');
                TokenKind::Ident
            }
            b'0'..=b'9' => {
                let (kind, end) = number_or_date(query, start)?;
                i = end;
                kind
            }
            b'-' | b'+' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let (kind, end) = number_or_date(query, start)?;
                i = end;
                kind
            }
            b'=' => {
                i += 1;
                TokenKind::Op(CmpOp::Eq)
            }
            b'!' if bytes.get(i + 1) == Some(&b'=') => {
                i += 2;
                TokenKind::Op(CmpOp::Ne)
            }
            b'<' => match bytes.get(i + 1) {
                Some(b'=') => {
                    i += 2;
                    TokenKind::Op(CmpOp::Le)
                }
                Some(b'>') => {
                    i += 2;
                    TokenKind::Op(CmpOp::Ne)
                }
                _ => {
                    i += 1;
                    TokenKind::Op(CmpOp::Lt)
                }
            },
            b'>' => {
                if bytes.get(i + 1) == Some(&b'=') {
                    i += 2;
                    TokenKind::Op(CmpOp::Ge)
                } else {
                    i += 1;
                    TokenKind::Op(CmpOp::Gt)
                }
            }
            b'.' => {
                i += 1;
                TokenKind::Dot
            }
            b',' => {
                i += 1;
                TokenKind::Comma
            }
            b'(' => {
                i += 1;
                TokenKind::LParen
            }
            b')' => {
                i += 1;
                TokenKind::RParen
            }
            b':' => {
                i += 1;
                TokenKind::Colon
            }
            _ => {
                let width = query[i..].chars().next().map_or(1, char::len_utf8);
                i += width;
                TokenKind::Other
            }
        };
        tokens.push(Token {
            kind,
            text: &query[start..i],
            pos: start,
        });
    }
    tokens.push(Token {
        kind: TokenKind::Eof,
        text: "",
        pos: query.len(),
    });
    Ok(tokens)
}

fn scan_while(bytes: &[u8], mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
    while i < bytes.len() && keep(bytes[i]) {
        i += 1;
    }
    i
}

/// Byte offset of the quote closing the string literal opened at `start`.
fn string_end(query: &str, start: usize) -> Result<usize, SoqlError> {
    let bytes = query.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\'' => return Ok(i),
            _ => i += 1,
        }
    }
    Err(SoqlError::at(
        MALFORMED_QUERY,
        query,
        start,
        &format!("unterminated string literal: {}", &query[start..]),
    ))
}

/// A number, a date (`YYYY-MM-DD`) or a dateTime (`YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm|±hhmm)`)
/// starting at `start`; returns the token kind and the offset after it.
fn number_or_date(query: &str, start: usize) -> Result<(TokenKind, usize), SoqlError> {
    let bytes = query.as_bytes();
    let digits_start = if bytes[start].is_ascii_digit() {
        start
    } else {
        start + 1
    };
    let int_end = scan_while(bytes, digits_start, |b| b.is_ascii_digit());
    let is_date =
        digits_start == start && int_end - start == 4 && bytes.get(int_end) == Some(&b'-');
    if !is_date {
        let mut end = int_end;
        if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
            end = scan_while(bytes, end + 1, |b| b.is_ascii_digit());
        }
        return Ok((TokenKind::Number, end));
    }
    // The longest run that can belong to a date or dateTime literal.
    let end = scan_while(bytes, start, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b':' | b'.')
    });
    let text = &query[start..end];
    let malformed = || {
        SoqlError::at(
            MALFORMED_QUERY,
            query,
            start,
            &format!("invalid date or dateTime literal: {text}"),
        )
    };
    let kind = if text.len() == 10 {
        TokenKind::Date(literal::parse_date(text).ok_or_else(malformed)?)
    } else {
        TokenKind::DateTime(literal::parse_datetime_literal(text).ok_or_else(malformed)?)
    };
    Ok((kind, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(query: &str) -> Vec<TokenKind> {
        tokenize(query)
            .expect("query tokenizes")
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn operators() {
        use CmpOp::*;
        assert_eq!(
            kinds("= != <> < <= > >="),
            vec![
                TokenKind::Op(Eq),
                TokenKind::Op(Ne),
                TokenKind::Op(Ne),
                TokenKind::Op(Lt),
                TokenKind::Op(Le),
                TokenKind::Op(Gt),
                TokenKind::Op(Ge),
                TokenKind::Eof
            ]
        );
    }

    #[test]
    fn numbers_dates_and_datetimes() {
        let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 31).expect("valid date");
        let tokens = tokenize("-5 12.50 2024-01-31 2024-01-31T10:00:00Z").expect("tokenizes");
        assert_eq!(tokens[0].kind, TokenKind::Number);
        assert_eq!(tokens[0].text, "-5");
        assert_eq!(tokens[1].text, "12.50");
        assert_eq!(tokens[2].kind, TokenKind::Date(date));
        assert!(matches!(tokens[3].kind, TokenKind::DateTime(_)));
    }

    #[test]
    fn string_keeps_raw_escapes() {
        let tokens = tokenize(r"Name = 'Bob\'s \\ BBQ'").expect("tokenizes");
        assert_eq!(tokens[2].kind, TokenKind::Str);
        assert_eq!(tokens[2].text, r"Bob\'s \\ BBQ");
    }

    #[test]
    fn unterminated_string_is_malformed() {
        let err = tokenize("SELECT Id FROM Account WHERE Name = 'abc").expect_err("must fail");
        assert_eq!(err.error_code, MALFORMED_QUERY);
    }

    #[test]
    fn bad_date_is_malformed() {
        let err = tokenize("CloseDate = 2024-02-30").expect_err("must fail");
        assert_eq!(err.error_code, MALFORMED_QUERY);
    }

    #[test]
    fn positions_are_byte_offsets() {
        let tokens = tokenize("SELECT  Id").expect("tokenizes");
        assert_eq!(tokens[1].pos, 8);
        assert_eq!(tokens[2].pos, 10);
    }
}
