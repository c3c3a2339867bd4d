//! Recursive-descent parser for the SOQL subset. Syntax errors are
//! `MALFORMED_QUERY` "unexpected token: X" with Salesforce's position header;
//! recognised features outside the subset are `MALFORMED_QUERY` saying so.

use super::ast::{
    AggregateCall, AggregateFn, Cond, FieldPath, Ident, LikeOperand, Literal, LiteralAt, Nulls,
    OrderKey, Query, Select, SelectItem, TypeOf,
};
use super::error::{SoqlError, MALFORMED_QUERY, NUMBER_OUTSIDE_VALID_RANGE};
use super::lexer::{tokenize, Token, TokenKind};
use super::literal;

/// Salesforce's maximum `OFFSET`.
pub const MAX_OFFSET: u64 = 2000;

/// Words SOQL reserves: never a field, object or alias name.
const RESERVED: &[&str] = &[
    "AND", "ASC", "DESC", "EXCLUDES", "FIRST", "FROM", "GROUP", "HAVING", "IN", "INCLUDES", "LAST",
    "LIKE", "LIMIT", "NOT", "NULL", "NULLS", "OR", "SELECT", "WHERE", "WITH",
];

/// Clause keywords that end a `FROM` (so they are not an alias).
const CLAUSE_KEYWORDS: &[&str] = &[
    "WHERE", "ORDER", "LIMIT", "OFFSET", "USING", "WITH", "GROUP", "HAVING", "FOR", "UPDATE", "ALL",
];

/// Clauses SOQL has and this subset does not, by their first keyword.
const UNSUPPORTED_CLAUSES: &[(&str, &str)] = &[
    ("USING", "USING SCOPE"),
    (
        "WITH",
        "WITH (SECURITY_ENFORCED, USER_MODE, DATA CATEGORY, ...)",
    ),
    ("FOR", "FOR VIEW / FOR REFERENCE / FOR UPDATE"),
    ("UPDATE", "UPDATE TRACKING / UPDATE VIEWSTAT"),
    ("ALL", "ALL ROWS"),
];

/// Parses a SOQL query.
pub fn parse(query: &str) -> Result<Query, SoqlError> {
    let tokens = tokenize(query)?;
    Parser {
        query,
        tokens,
        at: 0,
    }
    .query()
}

struct Parser<'q> {
    query: &'q str,
    tokens: Vec<Token<'q>>,
    at: usize,
}

impl<'q> Parser<'q> {
    fn peek(&self) -> &Token<'q> {
        // The last token is always Eof and `bump` never moves past it.
        &self.tokens[self.at.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, ahead: usize) -> &Token<'q> {
        &self.tokens[(self.at + ahead).min(self.tokens.len() - 1)]
    }

    fn bump(&mut self) -> Token<'q> {
        let token = self.peek().clone();
        if self.at < self.tokens.len() - 1 {
            self.at += 1;
        }
        token
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let found = self.peek().is_kw(kw);
        if found {
            self.bump();
        }
        found
    }

    fn eat(&mut self, kind: &TokenKind) -> bool {
        let found = &self.peek().kind == kind;
        if found {
            self.bump();
        }
        found
    }

    fn unexpected_token(&self, token: &Token<'_>) -> SoqlError {
        SoqlError::at(
            MALFORMED_QUERY,
            self.query,
            token.pos,
            &format!("unexpected token: {}", token.display()),
        )
    }

    fn unexpected(&self) -> SoqlError {
        self.unexpected_token(self.peek())
    }

    fn expect_kw(&mut self, kw: &str) -> Result<(), SoqlError> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn expect(&mut self, kind: &TokenKind) -> Result<(), SoqlError> {
        if self.eat(kind) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn unsupported(&self, pos: usize, feature: &str) -> SoqlError {
        SoqlError::unsupported(self.query, pos, feature)
    }

    fn query(mut self) -> Result<Query, SoqlError> {
        let query = self.query_body(false)?;
        let end = self.peek();
        if end.kind != TokenKind::Eof {
            if let Some((_, feature)) = UNSUPPORTED_CLAUSES.iter().find(|(kw, _)| end.is_kw(kw)) {
                return Err(self.unsupported(end.pos, feature));
            }
            return Err(self.unexpected());
        }
        Ok(query)
    }

    /// `SELECT ... FROM ... [WHERE] [GROUP BY] [HAVING] [ORDER BY] [LIMIT]
    /// [OFFSET]`, up to (not including) the token that ends it; `nested` for
    /// a subquery in parentheses.
    fn query_body(&mut self, nested: bool) -> Result<Query, SoqlError> {
        self.expect_kw("SELECT")?;
        let select = self.select_list(nested)?;
        self.expect_kw("FROM")?;
        let from = self.name()?;
        if self.peek().kind == TokenKind::Dot || self.peek().kind == TokenKind::Comma {
            return Err(self.unsupported(
                self.peek().pos,
                "a FROM list with relationship paths (SOQL-R syntax)",
            ));
        }
        let alias = self.alias()?;
        let filter = if self.eat_kw("WHERE") {
            Some(self.condition(false)?)
        } else {
            None
        };
        let mut group_by = Vec::new();
        if self.peek().is_kw("GROUP") && self.peek_at(1).is_kw("BY") {
            self.at += 2;
            let next = self.peek().clone();
            if (next.is_kw("ROLLUP") || next.is_kw("CUBE"))
                && self.peek_at(1).kind == TokenKind::LParen
            {
                return Err(self.unsupported(next.pos, "GROUP BY ROLLUP / CUBE"));
            }
            group_by.push(self.group_field()?);
            while self.eat(&TokenKind::Comma) {
                group_by.push(self.group_field()?);
            }
        }
        let having_pos = self.peek().pos;
        let having = if self.eat_kw("HAVING") {
            Some(self.condition(true)?)
        } else {
            None
        };
        let order = if self.peek().is_kw("ORDER") {
            self.bump();
            self.expect_kw("BY")?;
            self.order_keys()?
        } else {
            Vec::new()
        };
        let limit = if self.eat_kw("LIMIT") {
            Some(self.count_value()?.0)
        } else {
            None
        };
        let offset_pos = self.peek().pos;
        let offset = if self.eat_kw("OFFSET") {
            let (offset, _) = self.count_value()?;
            if offset > MAX_OFFSET {
                return Err(SoqlError::new(
                    NUMBER_OUTSIDE_VALID_RANGE,
                    format!("Maximum SOQL offset allowed is {MAX_OFFSET}"),
                ));
            }
            Some(offset)
        } else {
            None
        };
        let query = Query {
            text: self.query.to_owned(),
            select,
            from,
            alias,
            filter,
            group_by,
            having,
            order,
            limit,
            offset,
        };
        self.check_count_rules(&query, offset_pos)?;
        if query.having.is_some() && query.group_by.is_empty() {
            return Err(SoqlError::at(
                MALFORMED_QUERY,
                self.query,
                having_pos,
                "HAVING can only be used with GROUP BY",
            ));
        }
        Ok(query)
    }

    /// A `GROUP BY` field (functions there are outside the subset).
    fn group_field(&mut self) -> Result<FieldPath, SoqlError> {
        let token = self.peek().clone();
        if token.kind == TokenKind::Ident && self.peek_at(1).kind == TokenKind::LParen {
            return Err(self.unsupported(
                token.pos,
                &format!("the function {}() in GROUP BY", token.text),
            ));
        }
        self.field_path()
    }

    /// `COUNT()` takes no `ORDER BY` (a Salesforce rule) and, in this subset, no `OFFSET`.
    fn check_count_rules(&self, query: &Query, offset_pos: usize) -> Result<(), SoqlError> {
        if !query.is_count() {
            return Ok(());
        }
        if let Some(key) = query.order.first() {
            return Err(SoqlError::at(
                MALFORMED_QUERY,
                self.query,
                key.path.pos(),
                "ORDER BY cannot be used with COUNT()",
            ));
        }
        if query.offset.is_some() {
            return Err(self.unsupported(offset_pos, "OFFSET with COUNT()"));
        }
        if let Some(field) = query.group_by.first() {
            return Err(self.unsupported(field.pos(), "COUNT() with GROUP BY"));
        }
        Ok(())
    }

    /// A name that is not a reserved word.
    fn name(&mut self) -> Result<Ident, SoqlError> {
        let token = self.peek();
        let reserved = RESERVED.iter().any(|r| token.is_kw(r));
        if token.kind != TokenKind::Ident || reserved {
            return Err(self.unexpected());
        }
        let token = self.bump();
        Ok(Ident {
            text: token.text.to_owned(),
            pos: token.pos,
        })
    }

    fn alias(&mut self) -> Result<Option<Ident>, SoqlError> {
        let token = self.peek();
        let is_alias = token.kind == TokenKind::Ident
            && !CLAUSE_KEYWORDS.iter().any(|k| token.is_kw(k))
            && !RESERVED.iter().any(|r| token.is_kw(r));
        if is_alias {
            self.name().map(Some)
        } else {
            Ok(None)
        }
    }

    fn select_list(&mut self, nested: bool) -> Result<Select, SoqlError> {
        let first = self.peek().clone();
        if first.is_kw("COUNT")
            && self.peek_at(1).kind == TokenKind::LParen
            && self.peek_at(2).kind == TokenKind::RParen
        {
            self.at += 3;
            if self.peek().kind == TokenKind::Comma {
                return Err(SoqlError::at(
                    MALFORMED_QUERY,
                    self.query,
                    first.pos,
                    "COUNT() must be the only element in the SELECT list",
                ));
            }
            return Ok(Select::Count);
        }
        let mut items = vec![self.select_item(nested)?];
        while self.eat(&TokenKind::Comma) {
            items.push(self.select_item(nested)?);
        }
        let plain = items
            .iter()
            .all(|i| matches!(i, SelectItem::Field { alias: None, .. }));
        if !plain {
            return Ok(Select::Items(items));
        }
        Ok(Select::Fields(
            items
                .into_iter()
                .filter_map(|i| match i {
                    SelectItem::Field { path, .. } => Some(path),
                    _ => None,
                })
                .collect(),
        ))
    }

    fn select_item(&mut self, nested: bool) -> Result<SelectItem, SoqlError> {
        let token = self.peek().clone();
        if token.kind == TokenKind::LParen {
            if nested {
                return Err(self.unsupported(token.pos, "a subquery inside a subquery"));
            }
            self.bump();
            if !self.peek().is_kw("SELECT") {
                return Err(self.unexpected());
            }
            let query = self.query_body(true)?;
            self.expect(&TokenKind::RParen)?;
            return Ok(SelectItem::Subquery(Box::new(query)));
        }
        if token.is_kw("TYPEOF") && self.peek_at(1).kind == TokenKind::Ident {
            self.bump();
            return self.type_of().map(SelectItem::TypeOf);
        }
        if token.kind == TokenKind::Ident && self.peek_at(1).kind == TokenKind::LParen {
            let upper = token.text.to_ascii_uppercase();
            if upper == "COUNT" && self.peek_at(2).kind == TokenKind::RParen {
                return Err(SoqlError::at(
                    MALFORMED_QUERY,
                    self.query,
                    token.pos,
                    "COUNT() must be the only element in the SELECT list",
                ));
            }
            if AggregateFn::from_name(&upper).is_some() {
                let call = self.aggregate_call()?;
                let alias = self.item_alias()?;
                return Ok(SelectItem::Aggregate { call, alias });
            }
            let feature = if upper == "FIELDS" {
                "FIELDS()".to_owned()
            } else {
                format!("the function {}() in SELECT", token.text)
            };
            return Err(self.unsupported(token.pos, &feature));
        }
        let path = self.field_path()?;
        let alias = self.item_alias()?;
        Ok(SelectItem::Field { path, alias })
    }

    /// The alias after a `SELECT` item, if any: a name followed by `,` or `FROM`.
    fn item_alias(&mut self) -> Result<Option<Ident>, SoqlError> {
        let token = self.peek();
        let reserved = RESERVED.iter().any(|r| token.is_kw(r));
        let next = self.peek_at(1);
        let ends_item = next.kind == TokenKind::Comma || next.is_kw("FROM");
        if token.kind == TokenKind::Ident && !reserved && ends_item {
            self.name().map(Some)
        } else {
            Ok(None)
        }
    }

    /// `FN(field)` or `COUNT()`, at the function name.
    fn aggregate_call(&mut self) -> Result<AggregateCall, SoqlError> {
        let name = self.bump();
        let function =
            AggregateFn::from_name(name.text).ok_or_else(|| self.unexpected_token(&name))?;
        self.expect(&TokenKind::LParen)?;
        let arg = if function == AggregateFn::Count && self.peek().kind == TokenKind::RParen {
            None
        } else {
            Some(self.field_path()?)
        };
        self.expect(&TokenKind::RParen)?;
        Ok(AggregateCall {
            function,
            arg,
            pos: name.pos,
        })
    }

    /// `TYPEOF` after the keyword: `rel (WHEN Type THEN fields)+ [ELSE fields] END`.
    fn type_of(&mut self) -> Result<TypeOf, SoqlError> {
        let relationship = self.name()?;
        let mut whens = Vec::new();
        while self.eat_kw("WHEN") {
            let object = self.name()?;
            self.expect_kw("THEN")?;
            whens.push((object, self.field_list()?));
        }
        if whens.is_empty() {
            return Err(self.unexpected());
        }
        let otherwise = if self.eat_kw("ELSE") {
            self.field_list()?
        } else {
            Vec::new()
        };
        self.expect_kw("END")?;
        Ok(TypeOf {
            relationship,
            whens,
            otherwise,
        })
    }

    /// `field, field, ...` (at least one).
    fn field_list(&mut self) -> Result<Vec<FieldPath>, SoqlError> {
        let mut fields = vec![self.field_path()?];
        while self.eat(&TokenKind::Comma) {
            fields.push(self.field_path()?);
        }
        Ok(fields)
    }

    fn field_path(&mut self) -> Result<FieldPath, SoqlError> {
        let mut segments = vec![self.name()?];
        while self.eat(&TokenKind::Dot) {
            segments.push(self.name()?);
        }
        Ok(FieldPath { segments })
    }

    /// `cond := NOT primary | primary (AND primary)* | primary (OR primary)*`:
    /// Salesforce requires parentheses to mix AND and OR, and accepts NOT only
    /// at the start of a (parenthesized) condition.
    fn condition(&mut self, having: bool) -> Result<Cond, SoqlError> {
        if self.eat_kw("NOT") {
            let operand = self.primary(having)?;
            if self.peek().is_kw("AND") || self.peek().is_kw("OR") {
                return Err(self.unexpected());
            }
            return Ok(Cond::Not(Box::new(operand)));
        }
        let first = self.primary(having)?;
        let joiner = if self.peek().is_kw("AND") {
            "AND"
        } else if self.peek().is_kw("OR") {
            "OR"
        } else {
            return Ok(first);
        };
        let other = if joiner == "AND" { "OR" } else { "AND" };
        let mut operands = vec![first];
        while self.eat_kw(joiner) {
            if self.peek().is_kw("NOT") {
                return Err(self.unexpected());
            }
            operands.push(self.primary(having)?);
            if self.peek().is_kw(other) {
                return Err(self.unexpected());
            }
        }
        Ok(if joiner == "AND" {
            Cond::And(operands)
        } else {
            Cond::Or(operands)
        })
    }

    fn primary(&mut self, having: bool) -> Result<Cond, SoqlError> {
        if self.eat(&TokenKind::LParen) {
            let inner = self.condition(having)?;
            self.expect(&TokenKind::RParen)?;
            return Ok(inner);
        }
        self.field_expression(having)
    }

    fn field_expression(&mut self, having: bool) -> Result<Cond, SoqlError> {
        let token = self.peek().clone();
        if token.kind == TokenKind::Ident && self.peek_at(1).kind == TokenKind::LParen {
            if having && AggregateFn::from_name(token.text).is_some() {
                let call = self.aggregate_call()?;
                let TokenKind::Op(op) = self.peek().kind else {
                    return Err(self.unexpected());
                };
                self.bump();
                let value = self.value()?;
                return Ok(Cond::Aggregate { call, op, value });
            }
            let clause = if having { "HAVING" } else { "WHERE" };
            return Err(self.unsupported(
                token.pos,
                &format!("the function {}() in {clause}", token.text),
            ));
        }
        let path = self.field_path()?;
        let op_token = self.peek().clone();
        if let TokenKind::Op(op) = op_token.kind {
            self.bump();
            let value = self.value()?;
            return Ok(Cond::Compare { path, op, value });
        }
        if self.eat_kw("LIKE") {
            let pattern = if self.peek().kind == TokenKind::Str {
                let token = self.bump();
                let tokens = literal::decode_like(token.text)
                    .map_err(|m| SoqlError::at(MALFORMED_QUERY, self.query, token.pos, &m))?;
                LikeOperand::Pattern(tokens)
            } else {
                LikeOperand::Other(self.value()?)
            };
            return Ok(Cond::Like { path, pattern });
        }
        if self.eat_kw("IN") {
            if let Some(query) = self.semi_join()? {
                return Ok(Cond::InQuery {
                    path,
                    negated: false,
                    query,
                });
            }
            let values = self.value_list()?;
            return Ok(Cond::In {
                path,
                negated: false,
                values,
            });
        }
        if op_token.is_kw("NOT") && self.peek_at(1).is_kw("IN") {
            self.at += 2;
            if let Some(query) = self.semi_join()? {
                return Ok(Cond::InQuery {
                    path,
                    negated: true,
                    query,
                });
            }
            let values = self.value_list()?;
            return Ok(Cond::In {
                path,
                negated: true,
                values,
            });
        }
        if op_token.is_kw("INCLUDES") || op_token.is_kw("EXCLUDES") {
            return Err(
                self.unsupported(op_token.pos, "INCLUDES / EXCLUDES (multi-select picklists)")
            );
        }
        Err(self.unexpected())
    }

    /// `(SELECT ...)` after `IN` / `NOT IN`, if that is what follows.
    fn semi_join(&mut self) -> Result<Option<Box<Query>>, SoqlError> {
        if self.peek().kind != TokenKind::LParen || !self.peek_at(1).is_kw("SELECT") {
            return Ok(None);
        }
        self.bump();
        let query = self.query_body(true)?;
        self.expect(&TokenKind::RParen)?;
        Ok(Some(Box::new(query)))
    }

    fn value_list(&mut self) -> Result<Vec<LiteralAt>, SoqlError> {
        self.expect(&TokenKind::LParen)?;
        let mut values = vec![self.value()?];
        while self.eat(&TokenKind::Comma) {
            values.push(self.value()?);
        }
        self.expect(&TokenKind::RParen)?;
        Ok(values)
    }

    fn value(&mut self) -> Result<LiteralAt, SoqlError> {
        let token = self.peek().clone();
        let literal = match &token.kind {
            TokenKind::Str => literal::decode_string(token.text)
                .map(Literal::Str)
                .map_err(|m| SoqlError::at(MALFORMED_QUERY, self.query, token.pos, &m))?,
            TokenKind::Number => match token.text.parse::<f64>() {
                Ok(n) => Literal::Number(n),
                Err(_) => return Err(self.unexpected()),
            },
            TokenKind::Date(date) => Literal::Date(*date),
            TokenKind::DateTime(ms) => Literal::DateTime(*ms),
            TokenKind::Ident => return self.word_value(),
            _ => return Err(self.unexpected()),
        };
        self.bump();
        Ok(LiteralAt {
            literal,
            pos: token.pos,
        })
    }

    /// `true`, `false`, `null` or a relative date literal (`TODAY`, `LAST_N_DAYS:n`).
    fn word_value(&mut self) -> Result<LiteralAt, SoqlError> {
        let token = self.bump();
        let literal = match token.text.to_ascii_uppercase().as_str() {
            "TRUE" => Literal::Bool(true),
            "FALSE" => Literal::Bool(false),
            "NULL" => Literal::Null,
            upper => {
                let n = if literal::keyword_takes_n(upper) {
                    self.expect(&TokenKind::Colon)?;
                    Some(self.count_value()?.0)
                } else {
                    None
                };
                let n = n.map(u32::try_from).transpose().map_err(|_| {
                    SoqlError::new(
                        NUMBER_OUTSIDE_VALID_RANGE,
                        format!("{} is too large", token.text),
                    )
                })?;
                match literal::date_keyword(upper, n) {
                    Some(kw) => Literal::DateKeyword(kw),
                    None => {
                        if literal::UNSUPPORTED_DATE_KEYWORDS.contains(&upper) {
                            return Err(
                                self.unsupported(token.pos, &format!("the date literal {upper}"))
                            );
                        }
                        return Err(self.unexpected_token(&token));
                    }
                }
            }
        };
        Ok(LiteralAt {
            literal,
            pos: token.pos,
        })
    }

    /// A non-negative integer (LIMIT, OFFSET, the n of `LAST_N_DAYS:n`), and its position.
    fn count_value(&mut self) -> Result<(u64, usize), SoqlError> {
        let token = self.peek().clone();
        let digits =
            token.kind == TokenKind::Number && token.text.bytes().all(|b| b.is_ascii_digit());
        if !digits {
            return Err(self.unexpected());
        }
        self.bump();
        let n = token.text.parse::<u64>().map_err(|_| {
            SoqlError::new(
                NUMBER_OUTSIDE_VALID_RANGE,
                format!("{} is too large", token.text),
            )
        })?;
        Ok((n, token.pos))
    }

    fn order_keys(&mut self) -> Result<Vec<OrderKey>, SoqlError> {
        let mut keys = Vec::new();
        loop {
            let token = self.peek().clone();
            let (function, path) =
                if token.kind == TokenKind::Ident && self.peek_at(1).kind == TokenKind::LParen {
                    if AggregateFn::from_name(token.text).is_none() {
                        return Err(self.unsupported(
                            token.pos,
                            &format!("the function {}() in ORDER BY", token.text),
                        ));
                    }
                    let call = self.aggregate_call()?;
                    let Some(path) = call.arg else {
                        return Err(self.unsupported(call.pos, "COUNT() in ORDER BY"));
                    };
                    (Some(call.function), path)
                } else {
                    (None, self.field_path()?)
                };
            let descending = if self.eat_kw("DESC") {
                true
            } else {
                self.eat_kw("ASC");
                false
            };
            let nulls = if self.eat_kw("NULLS") {
                if self.eat_kw("FIRST") {
                    Nulls::First
                } else if self.eat_kw("LAST") {
                    Nulls::Last
                } else {
                    return Err(self.unexpected());
                }
            } else if descending {
                Nulls::Last
            } else {
                Nulls::First
            };
            keys.push(OrderKey {
                path,
                function,
                descending,
                nulls,
            });
            if !self.eat(&TokenKind::Comma) {
                return Ok(keys);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soql::lexer::CmpOp;

    fn ok(query: &str) -> Query {
        parse(query).unwrap_or_else(|e| panic!("{query} must parse: {e}"))
    }

    fn err(query: &str) -> SoqlError {
        match parse(query) {
            Ok(q) => panic!("{query} must fail, parsed {q:?}"),
            Err(e) => e,
        }
    }

    fn names(path: &FieldPath) -> Vec<&str> {
        path.segments.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn keywords_are_case_insensitive() {
        let q = ok("select Id, account.name from Contact where Name = 'x' order by Name desc nulls first limit 5 offset 2");
        let Select::Fields(fields) = &q.select else {
            panic!("fields expected")
        };
        assert_eq!(names(&fields[1]), vec!["account", "name"]);
        assert_eq!(q.object(), "Contact");
        assert_eq!(q.limit, Some(5));
        assert_eq!(q.offset, Some(2));
        assert_eq!(q.order[0].nulls, Nulls::First);
        assert!(q.order[0].descending);
    }

    #[test]
    fn order_by_null_defaults() {
        let q = ok("SELECT Id FROM Account ORDER BY Name, Industry DESC, Phone ASC NULLS LAST");
        let nulls: Vec<Nulls> = q.order.iter().map(|k| k.nulls).collect();
        assert_eq!(nulls, vec![Nulls::First, Nulls::Last, Nulls::Last]);
    }

    #[test]
    fn count() {
        let q = ok("SELECT COUNT() FROM Account WHERE Name LIKE 'a%' LIMIT 3");
        assert!(q.is_count());
        assert_eq!(q.limit, Some(3));
    }

    #[test]
    fn precedence_and_parentheses() {
        let q = ok("SELECT Id FROM Account WHERE (A = 1 OR B = 2) AND NOT_A_KEYWORD = 3");
        let Some(Cond::And(parts)) = &q.filter else {
            panic!("AND expected: {:?}", q.filter)
        };
        assert!(matches!(parts[0], Cond::Or(_)));
        let q = ok("SELECT Id FROM Account WHERE A = 1 AND (NOT B = 2)");
        let Some(Cond::And(parts)) = &q.filter else {
            panic!("AND expected")
        };
        assert!(matches!(parts[1], Cond::Not(_)));
        let q = ok("SELECT Id FROM Account WHERE NOT (A = 1 OR B = 2)");
        assert!(matches!(q.filter, Some(Cond::Not(_))));
    }

    #[test]
    fn mixing_and_or_without_parentheses_is_malformed() {
        let e = err("SELECT Id FROM Contact WHERE A = 'x' AND B LIKE 'test' OR C LIKE 'test'");
        assert_eq!(e.error_code, MALFORMED_QUERY);
        assert!(
            e.message
                .ends_with("ERROR at Row:1:Column:56\nunexpected token: OR"),
            "{}",
            e.message
        );
        let e = err("SELECT Id FROM Contact WHERE A = 1 OR B = 2 AND C = 3");
        assert!(
            e.message.ends_with("unexpected token: AND"),
            "{}",
            e.message
        );
    }

    #[test]
    fn not_after_and_is_malformed() {
        let e = err("SELECT Id FROM Account WHERE Name != null AND NOT (AnnualRevenue > 0)");
        assert!(
            e.message.ends_with("unexpected token: NOT"),
            "{}",
            e.message
        );
        let e = err("SELECT Id FROM Account WHERE NOT Name = 'a' AND Type = 'b'");
        assert!(
            e.message.ends_with("unexpected token: AND"),
            "{}",
            e.message
        );
    }

    #[test]
    fn operators_and_literals() {
        let q = ok("SELECT Id FROM X WHERE a <> 1 AND b != -2.5 AND c < 2024-01-31 AND d >= 2024-01-31T10:00:00+01:00 AND e = TRUE AND f = null AND g = LAST_N_DAYS:7 AND h = 'it\\'s'");
        let Some(Cond::And(parts)) = q.filter else {
            panic!("AND expected")
        };
        let ops: Vec<CmpOp> = parts
            .iter()
            .map(|c| match c {
                Cond::Compare { op, .. } => *op,
                other => panic!("compare expected, got {other:?}"),
            })
            .collect();
        assert_eq!(ops[0], CmpOp::Ne);
        assert_eq!(ops[1], CmpOp::Ne);
        let literal = |i: usize| match &parts[i] {
            Cond::Compare { value, .. } => value.literal.clone(),
            other => panic!("compare expected, got {other:?}"),
        };
        assert_eq!(literal(1), Literal::Number(-2.5));
        assert_eq!(literal(4), Literal::Bool(true));
        assert_eq!(literal(5), Literal::Null);
        assert_eq!(
            literal(6),
            Literal::DateKeyword(literal::DateKeyword::LastNDays(7))
        );
        assert_eq!(literal(7), Literal::Str("it's".to_owned()));
    }

    #[test]
    fn in_and_not_in() {
        let q = ok("SELECT Id FROM X WHERE a IN ('x', 'y') AND b NOT IN (1, 2, null)");
        let Some(Cond::And(parts)) = q.filter else {
            panic!("AND expected")
        };
        assert!(matches!(&parts[0], Cond::In { negated: false, values, .. } if values.len() == 2));
        assert!(matches!(&parts[1], Cond::In { negated: true, values, .. } if values.len() == 3));
        let e = err("SELECT Id FROM X WHERE a IN ()");
        assert!(e.message.ends_with("unexpected token: )"));
    }

    #[test]
    fn syntax_errors() {
        let cases = [
            ("SELECT FROM Account", "unexpected token: FROM"),
            ("SELECT Id Account", "unexpected token: Account"),
            ("SELECT Id FROM Account WHERE", "unexpected token: <EOF>"),
            (
                "SELECT Id FROM Account WHERE Name = ",
                "unexpected token: <EOF>",
            ),
            (
                "SELECT Id FROM Account WHERE Name = :name",
                "unexpected token: :",
            ),
            (
                "SELECT Id FROM Account LIMIT 5 OFFSET 1 LIMIT 2",
                "unexpected token: LIMIT",
            ),
            (
                "SELECT Id FROM Account OFFSET 5 LIMIT 1",
                "unexpected token: LIMIT",
            ),
            (
                "SELECT Id FROM Account WHERE Name = 'a' ;",
                "unexpected token: ;",
            ),
            ("SELECT * FROM Account", "unexpected token: *"),
            (
                "SELECT Id FROM Account WHERE Name = bogus",
                "unexpected token: bogus",
            ),
            ("SELECT Id FROM Account LIMIT -1", "unexpected token: -1"),
            ("SELECT Id, FROM Account", "unexpected token: FROM"),
            (
                "SELECT Id FROM Account WHERE (Name = 'a'",
                "unexpected token: <EOF>",
            ),
            (
                "SELECT Id FROM Account ORDER BY Name NULLS",
                "unexpected token: <EOF>",
            ),
        ];
        for (query, expected) in cases {
            let e = err(query);
            assert_eq!(e.error_code, MALFORMED_QUERY, "{query}");
            assert!(e.message.ends_with(expected), "{query}: {}", e.message);
        }
    }

    #[test]
    fn unsupported_features_say_so() {
        let cases = [
            "SELECT Id, (SELECT Id, (SELECT Id FROM Cases) FROM Contacts) FROM Account",
            "SELECT FIELDS(ALL) FROM Account LIMIT 200",
            "SELECT toLabel(Industry) FROM Account",
            "SELECT Industry, COUNT(Id) FROM Account GROUP BY ROLLUP(Industry)",
            "SELECT CALENDAR_YEAR(CreatedDate) FROM Account",
            "SELECT COUNT() FROM Account GROUP BY Industry",
            "SELECT Industry FROM Account GROUP BY CALENDAR_YEAR(CreatedDate)",
            "SELECT Industry FROM Account GROUP BY Industry HAVING FORMAT(Industry) = 'x'",
            "SELECT Id FROM Account WITH SECURITY_ENFORCED",
            "SELECT Id FROM Account USING SCOPE mine",
            "SELECT Id FROM Account LIMIT 1 FOR UPDATE",
            "SELECT Id FROM Account WHERE CALENDAR_YEAR(CreatedDate) = 2020",
            "SELECT Id FROM Account WHERE COUNT(Id) > 1",
            "SELECT Id FROM Account WHERE Tags__c INCLUDES ('a')",
            "SELECT Id FROM Account WHERE CreatedDate = THIS_QUARTER",
            "SELECT Id FROM Account ORDER BY FORMAT(Name)",
            "SELECT Id FROM Contact, Contact.Account",
            "SELECT COUNT() FROM Account LIMIT 5 OFFSET 2",
        ];
        for query in cases {
            let e = err(query);
            assert_eq!(e.error_code, MALFORMED_QUERY, "{query}");
            assert!(
                e.message.contains("outside the SOQL subset"),
                "{query}: {}",
                e.message
            );
        }
    }

    #[test]
    fn count_with_order_by_is_malformed() {
        let e = err("SELECT COUNT() FROM Account ORDER BY Name");
        assert!(e.message.ends_with("ORDER BY cannot be used with COUNT()"));
        let e = err("SELECT COUNT(), Id FROM Account");
        assert!(e
            .message
            .ends_with("COUNT() must be the only element in the SELECT list"));
        let e = err("SELECT Name, COUNT() FROM Account");
        assert!(e
            .message
            .ends_with("COUNT() must be the only element in the SELECT list"));
    }

    #[test]
    fn offset_above_2000_is_out_of_range() {
        assert_eq!(ok("SELECT Id FROM Account OFFSET 2000").offset, Some(2000));
        let e = err("SELECT Id FROM Account LIMIT 10 OFFSET 2001");
        assert_eq!(e.error_code, NUMBER_OUTSIDE_VALID_RANGE);
        assert_eq!(e.message, "Maximum SOQL offset allowed is 2000");
    }

    #[test]
    fn bad_escape_is_malformed() {
        let e = err(r"SELECT Id FROM Account WHERE Name = 'a\qb'");
        assert_eq!(e.error_code, MALFORMED_QUERY);
        assert!(e
            .message
            .ends_with(r"Illegal character sequence '\q' in string literal."));
    }

    #[test]
    fn like_keeps_escaped_wildcards() {
        let q = ok(r"SELECT Id FROM Account WHERE Name LIKE 'a\%%'");
        let Some(Cond::Like {
            pattern: LikeOperand::Pattern(p),
            ..
        }) = q.filter
        else {
            panic!("LIKE expected")
        };
        assert_eq!(
            p,
            vec![
                literal::LikeTok::Char('a'),
                literal::LikeTok::Char('%'),
                literal::LikeTok::Many
            ]
        );
    }

    #[test]
    fn alias() {
        let q = ok("SELECT a.Name FROM Account a WHERE a.Name = 'x'");
        assert_eq!(q.alias.map(|a| a.text), Some("a".to_owned()));
    }
}
