//! Route patterns: which requests a fault or a count applies to.

/// A request pattern: an optional method, then a path glob where `*` matches any
/// run of characters (slashes included).
///
/// Examples: `"*"` (everything), `"*/query*"` (query pages), `"POST */composite/sobjects"`,
/// `"GET /services/data/v59.0/sobjects/Account/*"`. Methods compare
/// case-insensitively, paths exactly; the query string is not part of the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutePattern {
    method: Option<String>,
    glob: String,
}

impl RoutePattern {
    /// Parses `"[METHOD ]glob"`.
    pub fn new(pattern: &str) -> RoutePattern {
        let pattern = pattern.trim();
        match pattern.split_once(' ') {
            Some((method, glob)) if method.chars().all(|c| c.is_ascii_alphabetic()) => {
                RoutePattern {
                    method: Some(method.to_ascii_uppercase()),
                    glob: glob.trim().to_owned(),
                }
            }
            _ => RoutePattern {
                method: None,
                glob: pattern.to_owned(),
            },
        }
    }

    /// Whether a request matches.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && glob(&self.glob, path)
    }
}

impl From<&str> for RoutePattern {
    fn from(pattern: &str) -> RoutePattern {
        RoutePattern::new(pattern)
    }
}

impl From<String> for RoutePattern {
    fn from(pattern: String) -> RoutePattern {
        RoutePattern::new(&pattern)
    }
}

/// `*`-only glob matching.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return text.is_empty();
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_methods() {
        let p = RoutePattern::new("POST */composite/sobjects");
        assert!(p.matches("post", "/services/data/v59.0/composite/sobjects"));
        assert!(!p.matches("GET", "/services/data/v59.0/composite/sobjects"));
        assert!(!p.matches("POST", "/services/data/v59.0/composite/sobjects/Account"));
        let q = RoutePattern::new("*/query*");
        assert!(q.matches("GET", "/services/data/v59.0/query"));
        assert!(q.matches("GET", "/services/data/v59.0/query/01gXX-2000"));
        assert!(!q.matches("GET", "/services/data/v59.0/sobjects"));
        assert!(RoutePattern::new("*").matches("DELETE", "/anything"));
        assert!(RoutePattern::new("/exact").matches("GET", "/exact"));
        assert!(!RoutePattern::new("/exact").matches("GET", "/exact/more"));
        assert!(RoutePattern::new("/a*b*c").matches("GET", "/aXbYc"));
        assert!(!RoutePattern::new("/a*bc").matches("GET", "/abc/"));
    }
}
