//! Reading Salesforce error bodies, in every shape the REST API sends them.
//!
//! - `[{"message", "errorCode", "fields"}]`: most REST errors (an array);
//! - `{"message", "errorCode"}`: a single error object (some composite resources);
//! - `{"id", "success": false, "errors": [{"statusCode", "message", "fields"}]}`: a
//!   per-record result, alone or in an array (create, sObject Collections);
//! - `["/services/data/…/sobjects/X/id", …]`: HTTP 300 from an upsert whose
//!   external id matched several records;
//! - `{"error", "error_description"}`: OAuth errors.

use serde::Deserialize;

use super::ErrorCode;

/// One error reported by Salesforce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiErrorDetail {
    /// The `errorCode` (or `statusCode`).
    pub code: ErrorCode,
    /// Salesforce's message.
    pub message: String,
    /// The fields the error is about, when Salesforce names them.
    pub fields: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Body {
    Items(Vec<Item>),
    One(Item),
    Urls(Vec<String>),
}

#[derive(Deserialize)]
struct Item {
    #[serde(rename = "errorCode", alias = "statusCode")]
    code: Option<String>,
    message: Option<String>,
    #[serde(default)]
    fields: Option<Vec<String>>,
    #[serde(default)]
    errors: Option<Vec<Item>>,
    error: Option<String>,
    error_description: Option<String>,
}

impl Item {
    fn flatten_into(self, out: &mut Vec<ApiErrorDetail>) {
        let Item {
            code,
            message,
            fields,
            errors,
            error,
            error_description,
        } = self;
        if let Some(code) = code.or(error) {
            out.push(ApiErrorDetail {
                code: ErrorCode::parse(&code),
                message: message.or(error_description).unwrap_or_default(),
                fields: fields.unwrap_or_default(),
            });
        }
        for nested in errors.into_iter().flatten() {
            nested.flatten_into(out);
        }
    }
}

/// The errors in a Salesforce error body, in the order sent.
///
/// Returns an empty list when the body is not one of the known shapes (an HTML
/// page from a proxy, an empty body); the caller then reports the status and an
/// excerpt instead.
pub fn parse_error_body(body: &[u8]) -> Vec<ApiErrorDetail> {
    let mut out = Vec::new();
    match serde_json::from_slice::<Body>(body) {
        Ok(Body::Items(items)) => items.into_iter().for_each(|i| i.flatten_into(&mut out)),
        Ok(Body::One(item)) => item.flatten_into(&mut out),
        Ok(Body::Urls(urls)) if !urls.is_empty() => out.push(ApiErrorDetail {
            code: ErrorCode::MultipleChoices,
            message: format!(
                "the external id matches {} records: {}",
                urls.len(),
                urls.join(", ")
            ),
            fields: Vec::new(),
        }),
        Ok(Body::Urls(_)) | Err(_) => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_shape() {
        let top = parse_error_body(
            br#"[{"message":"gone","errorCode":"ENTITY_IS_DELETED","fields":[]}]"#,
        );
        assert_eq!(top[0].code, ErrorCode::EntityIsDeleted);
        let one = parse_error_body(br#"{"message":"bad json","errorCode":"INVALID_FIELD"}"#);
        assert_eq!(one[0].code, ErrorCode::InvalidField);
        let record = parse_error_body(
            br#"{"id":null,"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [Name]","fields":["Name"]}]}"#,
        );
        assert_eq!(record[0].code, ErrorCode::RequiredFieldMissing);
        assert_eq!(record[0].fields, ["Name"]);
        let records = parse_error_body(
            br#"[{"success":true,"errors":[]},{"success":false,"errors":[{"statusCode":"DUPLICATE_VALUE","message":"dup","fields":null}]}]"#,
        );
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].code, ErrorCode::DuplicateValue);
        let urls = parse_error_body(
            br#"["/services/data/v23.0/sobjects/W/a","/services/data/v23.0/sobjects/W/b"]"#,
        );
        assert_eq!(urls[0].code, ErrorCode::MultipleChoices);
        let oauth = parse_error_body(br#"{"error":"invalid_grant","error_description":"expired"}"#);
        assert_eq!(oauth[0].code.as_str(), "invalid_grant");
        assert!(parse_error_body(b"<html>Service Unavailable</html>").is_empty());
        assert!(parse_error_body(b"").is_empty());
    }
}
