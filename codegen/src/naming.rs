//! The one place Salesforce names become Rust names.
//!
//! | Salesforce name | Rust name | Rule |
//! |---|---|---|
//! | object `Account` | type `Account`, module `account` | `UpperCamelCase` / `snake_case` |
//! | field `LastName` | `last_name` | `snake_case` |
//! | `Invoice__c` | `Invoice`, `invoice` | a trailing `__c` is dropped |
//! | `npsp__Batch__c` | `NpspBatch`, `npsp_batch` | the namespace stays as a word |
//! | `Level__pc` | `level_pc` | other suffixes (`__pc`, `__s`, `__mdt`…) stay as a word |
//! | `Type` | `r#type` | keywords become raw identifiers… |
//! | `Self` | `Self_` / `self_` | …except `self`, `Self`, `super`, `crate`: `_` suffix |
//! | `My_Field__c` and `MyField__c` | `my_field`, `my_field_2` | collision: suffix `_2`, `_3`… (`2`… in types), in field order (API name, case-insensitive) |
//! | picklist `1 - High` | `_1High` | a leading digit gets `_` in a variant… |
//! | `123__c` | `N123`, `n_123` | …and `N` / `n_` in other names |
//! | picklist `A&B`, `a b` | `AB`, `AB2` | punctuation and spaces separate words |
//! | picklist `Unlisted` | `Unlisted2` | names sfgen emits itself are claimed first |
//! | picklist `日本` | `Value` | nothing ASCII left: `Value` |
//!
//! Names are built from ASCII letters and digits only; every other character
//! separates words. Every field keeps its API name in `#[serde(rename)]`.

use std::collections::HashMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust's keywords: strict, reserved and the 2018+ ones. `union`, `macro_rules`,
/// `raw` and `safe` are contextual and usable as names.
pub const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a `_` suffix instead.
pub const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// Variant names every picklist enum emits itself.
pub const RESERVED_VARIANTS: &[&str] = &["Unlisted"];

/// The module names an object never gets, and who holds each: the one table.
/// An object whose module would be one of them gets the collision suffix
/// (`Lib__c` → `lib_2`), noted in its rustdoc.
///
/// - modules every object module emits itself (an object module of that name
///   would trip `clippy::module_inception`);
/// - files Cargo gives a meaning to (`src/lib.rs`, `src/main.rs`) and the
///   unified module;
/// - crates a crate root sees by name (an object module `core` makes
///   `core::…` ambiguous: E0659);
/// - primitive types (a module `str` at the crate root would shadow `str`).
pub const RESERVED_MODULES: &[(&str, &str)] = &[
    ("fields", "the field-name module of every object module"),
    ("columns", "the typed-column module of every object module"),
    (
        "picklists",
        "the module of picklist enums that several fields share",
    ),
    ("lib", "the crate root (`src/lib.rs`)"),
    (
        "main",
        "a binary's root (`src/main.rs`), which would make the crate a binary",
    ),
    ("unified", "the unified CRM module (`src/unified.rs`)"),
    ("core", "the `core` crate"),
    ("std", "the `std` crate"),
    ("alloc", "the `alloc` crate"),
    ("proc_macro", "the `proc_macro` crate"),
    ("test", "the `test` crate"),
    ("serde", "the `serde` crate the bindings depend on"),
    (
        "sfgen_runtime",
        "the `sfgen_runtime` crate the bindings depend on",
    ),
    ("bool", "a primitive type"),
    ("char", "a primitive type"),
    ("str", "a primitive type"),
    ("f32", "a primitive type"),
    ("f64", "a primitive type"),
    ("i8", "a primitive type"),
    ("i16", "a primitive type"),
    ("i32", "a primitive type"),
    ("i64", "a primitive type"),
    ("i128", "a primitive type"),
    ("isize", "a primitive type"),
    ("u8", "a primitive type"),
    ("u16", "a primitive type"),
    ("u32", "a primitive type"),
    ("u64", "a primitive type"),
    ("u128", "a primitive type"),
    ("usize", "a primitive type"),
];

/// A name a [`Namespace`] starts with: a bare name (held by "a name sfgen
/// itself generates") or a name and who holds it.
pub trait Reserved {
    /// The name and its holder.
    fn name_and_holder(&self) -> (&str, &str);
}

impl Reserved for &str {
    fn name_and_holder(&self) -> (&str, &str) {
        (self, "a name sfgen itself generates")
    }
}

impl Reserved for (&str, &str) {
    fn name_and_holder(&self) -> (&str, &str) {
        (self.0, self.1)
    }
}

/// The longest generated package name accepted (crates.io's limit).
pub const MAX_CRATE_NAME: usize = 64;

/// Why Cargo (or the crate's own dependencies) cannot take `name` as the
/// generated package's name, as the end of a sentence, or `None` when it can:
/// ASCII letters, digits, `-` and `_`, starting with a letter, at most
/// [`MAX_CRATE_NAME`] long, and, as a library name (`-` read as `_`), neither a
/// keyword nor a crate of the standard library or the bindings' dependencies.
pub fn crate_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".to_owned());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
    {
        let what = if c == ' ' {
            "a space".to_owned()
        } else if c.is_control() || c.is_whitespace() {
            format!("the character U+{:04X}", u32::from(c))
        } else {
            format!("`{c}`")
        };
        return Some(format!(
            "holds {what}; a package name holds only ASCII letters, digits, `-` and `_`"
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some("does not start with a letter".to_owned());
    }
    if name.len() > MAX_CRATE_NAME {
        return Some(format!(
            "is {} characters long; at most {MAX_CRATE_NAME} are accepted",
            name.len()
        ));
    }
    let lib = name.replace('-', "_");
    if KEYWORDS.contains(&lib.as_str()) {
        return Some(format!("is the Rust keyword `{lib}`"));
    }
    if ["core", "std", "alloc", "proc_macro", "test"].contains(&lib.as_str()) {
        return Some(format!("names `{lib}`, a crate of Rust's standard library"));
    }
    if ["serde", "sfgen_runtime"].contains(&lib.as_str()) {
        return Some(format!("names `{lib}`, a crate the bindings depend on"));
    }
    None
}

/// Checks the generated package's name: [`crate_name_problem`] as an error.
pub fn check_crate_name(name: &str) -> Result<(), crate::Error> {
    match crate_name_problem(name) {
        None => Ok(()),
        Some(problem) => Err(crate::Error::InvalidCrateName {
            name: name.to_owned(),
            problem,
        }),
    }
}

/// The fallback when a name has no ASCII letter or digit.
const EMPTY_SNAKE: &str = "value";
const EMPTY_CAMEL: &str = "Value";

/// A Rust identifier: what code says (`r#type`) and its bare form (`type`),
/// from which constants and setters are derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// As written in code: `r#type`, `self_`, `last_name`.
    pub code: String,
    /// Without `r#`: `type`, `self_`, `last_name`.
    pub bare: String,
}

impl Ident {
    /// Escapes a keyword: `r#` where Rust allows it, a `_` suffix otherwise.
    pub fn new(name: String) -> Ident {
        if NOT_RAW.contains(&name.as_str()) {
            let bare = format!("{name}_");
            Ident {
                code: bare.clone(),
                bare,
            }
        } else if KEYWORDS.contains(&name.as_str()) {
            Ident {
                code: format!("r#{name}"),
                bare: name,
            }
        } else {
            Ident {
                code: name.clone(),
                bare: name,
            }
        }
    }

    /// What other names are built from: the bare name without the `_` that
    /// escapes `self`, `Self`, `super` and `crate` (`Self_` → `Self`, so that
    /// `Self` + `Update` is `SelfUpdate`, not `Self_Update`).
    pub fn stem(&self) -> &str {
        match self.bare.strip_suffix('_') {
            Some(keyword) if NOT_RAW.contains(&keyword) => keyword,
            _ => &self.bare,
        }
    }

    /// The `SCREAMING_SNAKE_CASE` constant for a snake-case name: `TYPE`,
    /// `LAST_NAME`, `MY_FIELD_2`. Snake-case names hold only lowercase ASCII
    /// letters, digits and `_`, so this is one-to-one.
    pub fn constant(&self) -> String {
        self.bare.to_ascii_uppercase()
    }
}

/// Replaces everything that is not an ASCII letter or digit with a space, so
/// heck sees word boundaries there.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Drops the `__c` custom suffix; other suffixes stay as words.
fn strip_custom(api_name: &str) -> &str {
    api_name
        .strip_suffix("__c")
        .filter(|s| !s.is_empty())
        .unwrap_or(api_name)
}

/// A leading digit cannot start an identifier: it gets `prefix`.
fn no_leading_digit(name: String, prefix: &str) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{name}")
    } else {
        name
    }
}

/// The `snake_case` name of a field or module, before collisions and keywords.
///
/// A leading digit gets `n_` (`123__c` → `n_123`), not `_`: a leading `_`
/// would make `with_` + name a double underscore (`with__123`, not snake case)
/// and a module `_123` would clash with the type `_123`.
pub fn snake(api_name: &str) -> String {
    let s = ascii_words(strip_custom(api_name)).to_snake_case();
    if s.is_empty() {
        EMPTY_SNAKE.to_owned()
    } else {
        no_leading_digit(s, "n_")
    }
}

/// The `UpperCamelCase` name of an object (or a part of a type name), before
/// collisions and keywords.
///
/// A leading digit gets `N` (`123__c` → `N123`), so that the name also reads
/// as camel case inside others (`NewN123`, not `New_123`).
pub fn camel(api_name: &str) -> String {
    let s = ascii_words(strip_custom(api_name)).to_upper_camel_case();
    if s.is_empty() {
        EMPTY_CAMEL.to_owned()
    } else {
        no_leading_digit(s, "N")
    }
}

/// The name of a picklist value's variant, before collisions and keywords.
/// Unlike [`camel`], a value's `__c` is kept (it is data, not an API name),
/// and a leading digit gets `_` (`1 - High` → `_1High`): a variant is never
/// part of another name.
pub fn variant(value: &str) -> String {
    let s = ascii_words(value).to_upper_camel_case();
    if s.is_empty() {
        EMPTY_CAMEL.to_owned()
    } else {
        no_leading_digit(s, "_")
    }
}

/// How collision suffixes join a name: `my_field_2` or `Invoice2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`: suffix `_2`.
    Snake,
    /// `UpperCamelCase`: suffix `2`.
    Camel,
}

/// A name given out by a [`Namespace`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// The identifier.
    pub ident: Ident,
    /// When the natural name was taken: who holds it, and that natural name.
    pub displaced_by: Option<(String, String)>,
}

impl Claimed {
    /// A sentence for the item's rustdoc explaining a collision suffix, if any.
    pub fn note(&self) -> Option<String> {
        self.displaced_by.as_ref().map(|(holder, natural)| {
            format!(
                "Named `{}` because `{natural}` is taken by {holder}.",
                self.ident.bare
            )
        })
    }
}

/// One scope of names (a struct's fields, a module's types, an enum's
/// variants). Names are given out first come, first served; callers claim in a
/// deterministic order (sorted API names, describe order for picklist values).
#[derive(Debug, Clone)]
pub struct Namespace {
    case: Case,
    /// Bare name → who holds it (for collision notes).
    taken: HashMap<String, String>,
}

impl Namespace {
    /// An empty namespace.
    pub fn new(case: Case) -> Namespace {
        Namespace {
            case,
            taken: HashMap::new(),
        }
    }

    /// A namespace whose `reserved` names are taken from the start.
    pub fn with_reserved<R: Reserved>(case: Case, reserved: &[R]) -> Namespace {
        let mut ns = Namespace::new(case);
        for r in reserved {
            let (name, holder) = r.name_and_holder();
            ns.taken.insert(name.to_owned(), holder.to_owned());
        }
        ns
    }

    /// Claims `natural` for `holder` (e.g. "`MyField__c`"), or the first free
    /// `natural_2`, `natural_3`, … when it is taken.
    pub fn claim(&mut self, natural: String, holder: &str) -> Claimed {
        let escaped = Ident::new(natural.clone());
        if !self.taken.contains_key(&escaped.bare) {
            self.taken.insert(escaped.bare.clone(), holder.to_owned());
            return Claimed {
                ident: escaped,
                displaced_by: None,
            };
        }
        let displaced_by = self
            .taken
            .get(&escaped.bare)
            .map(|h| (h.clone(), escaped.bare.clone()));
        let sep = match self.case {
            Case::Snake => "_",
            Case::Camel => "",
        };
        let mut n = 2u32;
        loop {
            let candidate = format!("{natural}{sep}{n}");
            if !self.taken.contains_key(&candidate) {
                self.taken.insert(candidate.clone(), holder.to_owned());
                return Claimed {
                    ident: Ident::new(candidate),
                    displaced_by,
                };
            }
            n += 1;
        }
    }

    /// Marks `name` as taken without handing it out.
    pub fn reserve(&mut self, name: &str, holder: &str) {
        self.taken
            .entry(name.to_owned())
            .or_insert_with(|| holder.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(api: &str) -> String {
        Ident::new(snake(api)).code
    }

    /// One test per keyword: a field of that name becomes a usable identifier.
    macro_rules! keyword_tests {
        ($($test:ident: $kw:literal => $code:literal,)*) => {
            $(
                #[test]
                fn $test() {
                    assert!(KEYWORDS.contains(&$kw), "{} is in the keyword table", $kw);
                    let ident = Ident::new($kw.to_owned());
                    assert_eq!(ident.code, $code);
                    syn::parse_str::<syn::Ident>(&ident.code).expect("a valid identifier");
                }
            )*

            #[test]
            fn every_keyword_has_a_test() {
                let tested = [$($kw),*];
                for kw in KEYWORDS {
                    assert!(tested.contains(kw), "no test for keyword `{kw}`");
                }
                assert_eq!(tested.len(), KEYWORDS.len());
            }
        };
    }

    keyword_tests! {
        keyword_abstract: "abstract" => "r#abstract",
        keyword_as: "as" => "r#as",
        keyword_async: "async" => "r#async",
        keyword_await: "await" => "r#await",
        keyword_become: "become" => "r#become",
        keyword_box: "box" => "r#box",
        keyword_break: "break" => "r#break",
        keyword_const: "const" => "r#const",
        keyword_continue: "continue" => "r#continue",
        keyword_crate: "crate" => "crate_",
        keyword_do: "do" => "r#do",
        keyword_dyn: "dyn" => "r#dyn",
        keyword_else: "else" => "r#else",
        keyword_enum: "enum" => "r#enum",
        keyword_extern: "extern" => "r#extern",
        keyword_false: "false" => "r#false",
        keyword_final: "final" => "r#final",
        keyword_fn: "fn" => "r#fn",
        keyword_for: "for" => "r#for",
        keyword_gen: "gen" => "r#gen",
        keyword_if: "if" => "r#if",
        keyword_impl: "impl" => "r#impl",
        keyword_in: "in" => "r#in",
        keyword_let: "let" => "r#let",
        keyword_loop: "loop" => "r#loop",
        keyword_macro: "macro" => "r#macro",
        keyword_match: "match" => "r#match",
        keyword_mod: "mod" => "r#mod",
        keyword_move: "move" => "r#move",
        keyword_mut: "mut" => "r#mut",
        keyword_override: "override" => "r#override",
        keyword_priv: "priv" => "r#priv",
        keyword_pub: "pub" => "r#pub",
        keyword_ref: "ref" => "r#ref",
        keyword_return: "return" => "r#return",
        keyword_self: "self" => "self_",
        keyword_self_type: "Self" => "Self_",
        keyword_static: "static" => "r#static",
        keyword_struct: "struct" => "r#struct",
        keyword_super: "super" => "super_",
        keyword_trait: "trait" => "r#trait",
        keyword_true: "true" => "r#true",
        keyword_try: "try" => "r#try",
        keyword_type: "type" => "r#type",
        keyword_typeof: "typeof" => "r#typeof",
        keyword_unsafe: "unsafe" => "r#unsafe",
        keyword_unsized: "unsized" => "r#unsized",
        keyword_use: "use" => "r#use",
        keyword_virtual: "virtual" => "r#virtual",
        keyword_where: "where" => "r#where",
        keyword_while: "while" => "r#while",
        keyword_yield: "yield" => "r#yield",
    }

    #[test]
    fn salesforce_field_names() {
        assert_eq!(field("LastName"), "last_name");
        assert_eq!(field("Type"), "r#type");
        assert_eq!(field("Self"), "self_");
        assert_eq!(field("Id"), "id");
        assert_eq!(field("Invoice__c"), "invoice");
        assert_eq!(
            field("npsp__Matching_Gift_Amount_Max__c"),
            "npsp_matching_gift_amount_max"
        );
        assert_eq!(field("npo02__AverageAmount__pc"), "npo02_average_amount_pc");
        assert_eq!(field("Loc__Latitude__s"), "loc_latitude_s");
        assert_eq!(field("__c"), "c");
    }

    #[test]
    fn stems_drop_only_the_keyword_escape() {
        assert_eq!(Ident::new("Self".into()).stem(), "Self");
        assert_eq!(Ident::new("self".into()).stem(), "self");
        assert_eq!(Ident::new("type".into()).stem(), "type");
        assert_eq!(Ident::new("Invoice2".into()).stem(), "Invoice2");
        assert_eq!(Ident::new("Self_".into()).stem(), "Self");
    }

    #[test]
    fn constants_keep_collision_suffixes() {
        assert_eq!(Ident::new("my_field_2".into()).constant(), "MY_FIELD_2");
        assert_eq!(Ident::new("type".into()).constant(), "TYPE");
        assert_eq!(Ident::new("self".into()).constant(), "SELF_");
    }

    #[test]
    fn object_names() {
        assert_eq!(camel("Account"), "Account");
        assert_eq!(camel("OpportunityContactRole"), "OpportunityContactRole");
        assert_eq!(snake("OpportunityContactRole"), "opportunity_contact_role");
        assert_eq!(camel("npsp__Batch__c"), "NpspBatch");
        assert_eq!(camel("Feed__mdt"), "FeedMdt");
        assert_eq!(Ident::new(camel("Self")).code, "Self_");
        assert_eq!(Ident::new(camel("Option")).code, "Option");
    }

    #[test]
    fn leading_digits() {
        assert_eq!(camel("123__c"), "N123");
        assert_eq!(snake("123__c"), "n_123");
        assert_eq!(snake("_123__c"), "n_123");
        assert_eq!(snake("9Lives"), "n_9lives");
        assert_eq!(camel("9Lives"), "N9lives");
        // Nothing that starts or doubles an underscore, whatever the input.
        for api in [
            "123__c", "_1_2__c", "__x__c", "ö123", "x__1__y", "1 2 3", "_", "__c",
        ] {
            let s = snake(api);
            assert!(!s.starts_with('_') && !s.contains("__"), "{api} → {s}");
            let c = camel(api);
            assert!(!c.contains('_'), "{api} → {c}");
        }
    }

    #[test]
    fn picklist_values() {
        assert_eq!(variant("1 - High"), "_1High");
        assert_eq!(variant("--None--"), "None");
        assert_eq!(variant("A&B"), "AB");
        assert_eq!(variant("Customer - Direct"), "CustomerDirect");
        assert_eq!(variant("Household__c.Name"), "HouseholdCName");
        assert_eq!(variant("日本"), "Value");
        assert_eq!(variant("Straße"), "StraE");
        for v in ["1 - High", "--None--", "A&B", "日本", "Self"] {
            syn::parse_str::<syn::Ident>(&Ident::new(variant(v)).code).expect("a valid identifier");
        }
    }

    #[test]
    fn collisions_are_suffixed_in_claim_order_and_noted() {
        let mut ns = Namespace::new(Case::Snake);
        let a = ns.claim(snake("MyField__c"), "`MyField__c`");
        let b = ns.claim(snake("My_Field__c"), "`My_Field__c`");
        let c = ns.claim(snake("My_Field_2__c"), "`My_Field_2__c`");
        assert_eq!(
            (
                a.ident.code.as_str(),
                b.ident.code.as_str(),
                c.ident.code.as_str()
            ),
            ("my_field", "my_field_2", "my_field_2_2")
        );
        assert_eq!(a.note(), None);
        assert_eq!(
            b.note().as_deref(),
            Some("Named `my_field_2` because `my_field` is taken by `MyField__c`.")
        );
    }

    #[test]
    fn reserved_names_are_never_handed_out() {
        let mut ns = Namespace::with_reserved(Case::Camel, RESERVED_VARIANTS);
        let other = ns.claim(variant("Other"), "`Other`");
        assert_eq!(other.ident.code, "Other", "the org's `Other` is `Other`");
        let unlisted = ns.claim(variant("Unlisted"), "`Unlisted`");
        assert_eq!(unlisted.ident.code, "Unlisted2");
        assert_eq!(
            unlisted.note().as_deref(),
            Some("Named `Unlisted2` because `Unlisted` is taken by a name sfgen itself generates.")
        );
        let mut ab = Namespace::new(Case::Camel);
        let names: Vec<String> = ["A&B", "a b", "a-b"]
            .iter()
            .map(|v| ab.claim(variant(v), v).ident.code)
            .collect();
        assert_eq!(names, ["AB", "AB2", "AB3"]);
    }

    #[test]
    fn reserved_modules_are_renamed_with_a_note() {
        let mut ns = Namespace::with_reserved(Case::Snake, RESERVED_MODULES);
        let names: Vec<String> = [
            "Lib__c",
            "Main__c",
            "Core__c",
            "Std__c",
            "Serde__c",
            "Unified__c",
            "Str__c",
            "Fields__c",
            "Sfgen_Runtime__c",
        ]
        .iter()
        .map(|api| ns.claim(snake(api), api).ident.code)
        .collect();
        assert_eq!(
            names,
            [
                "lib_2",
                "main_2",
                "core_2",
                "std_2",
                "serde_2",
                "unified_2",
                "str_2",
                "fields_2",
                "sfgen_runtime_2"
            ]
        );
        let mut ns = Namespace::with_reserved(Case::Snake, RESERVED_MODULES);
        assert_eq!(
            ns.claim(snake("Lib__c"), "object `Lib__c`")
                .note()
                .as_deref(),
            Some("Named `lib_2` because `lib` is taken by the crate root (`src/lib.rs`).")
        );
        let names: Vec<&str> = RESERVED_MODULES.iter().map(|(n, _)| *n).collect();
        for name in &names {
            assert_eq!(snake(name), *name, "a reserved module is a snake-case name");
        }
    }

    #[test]
    fn crate_names() {
        for ok in ["sfgen-generated", "acme_salesforce", "a", "Bindings2"] {
            assert_eq!(crate_name_problem(ok), None, "{ok}");
        }
        let cases = [
            ("", "is empty"),
            (
                "a b",
                "holds a space; a package name holds only ASCII letters, digits, `-` and `_`",
            ),
            ("1abc", "does not start with a letter"),
            ("-x", "does not start with a letter"),
            ("_x", "does not start with a letter"),
            (
                "a/b",
                "holds `/`; a package name holds only ASCII letters, digits, `-` and `_`",
            ),
            (
                "a\nb",
                "holds the character U+000A; a package name holds only ASCII letters, digits, `-` and `_`",
            ),
            ("fn", "is the Rust keyword `fn`"),
            ("self", "is the Rust keyword `self`"),
            ("std", "names `std`, a crate of Rust's standard library"),
            ("sfgen-runtime", "names `sfgen_runtime`, a crate the bindings depend on"),
        ];
        for (name, problem) in cases {
            assert_eq!(
                crate_name_problem(name).as_deref(),
                Some(problem),
                "{name:?}"
            );
        }
        assert!(crate_name_problem(&"a".repeat(MAX_CRATE_NAME + 1)).is_some());
        assert_eq!(
            check_crate_name("a b").map_err(|e| e.to_string()),
            Err(
                "the crate name \"a b\" (`--crate-name`, or `crate-name` in the project file) \
                 is not a package name Cargo accepts: it holds a space; a package name holds only \
                 ASCII letters, digits, `-` and `_`"
                    .to_owned()
            )
        );
    }

    #[test]
    fn keyword_collisions_compare_bare_names() {
        let mut ns = Namespace::new(Case::Snake);
        assert_eq!(ns.claim("type".into(), "`Type`").ident.code, "r#type");
        assert_eq!(ns.claim("type".into(), "`Type__c`").ident.code, "type_2");
    }
}
