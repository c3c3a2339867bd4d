//! The `#[serde(...)]` field attributes the record and form macros read: the
//! same vocabulary as serde's derives, so a generated struct reads as one.

use syn::{Data, DeriveInput, LitStr};

/// What `#[serde(...)]` says of a field.
#[derive(Default)]
pub(crate) struct SerdeField {
    /// `rename = "…"`: the field's key.
    rename: Option<String>,
    /// `default`: a missing key is the type's default.
    pub(crate) default: bool,
    /// `with = "module"`: `module::serialize` and `module::deserialize`.
    with: Option<syn::Path>,
    /// `deserialize_with = "function"`.
    deserialize_with: Option<syn::Path>,
    /// `serialize_with = "function"`.
    serialize_with: Option<syn::Path>,
}

impl SerdeField {
    /// Reads a field's `#[serde]` attributes.
    ///
    /// # Errors
    /// An attribute these macros do not read (they would not do what serde's
    /// derive does with it), or a value that is not a string literal.
    pub(crate) fn read(field: &syn::Field) -> syn::Result<Self> {
        let mut out = Self::default();
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                let path = &meta.path;
                if path.is_ident("rename") {
                    out.rename = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if path.is_ident("default") {
                    out.default = true;
                } else if path.is_ident("with") {
                    out.with = Some(meta.value()?.parse::<LitStr>()?.parse()?);
                } else if path.is_ident("deserialize_with") {
                    out.deserialize_with = Some(meta.value()?.parse::<LitStr>()?.parse()?);
                } else if path.is_ident("serialize_with") {
                    out.serialize_with = Some(meta.value()?.parse::<LitStr>()?.parse()?);
                } else {
                    return Err(meta.error(
                        "sfgen's record and form attributes read `rename`, `default`, `with`, \
                         `deserialize_with` and `serialize_with`",
                    ));
                }
                Ok(())
            })?;
        }
        Ok(out)
    }

    /// The key: `rename`, or the field's name.
    pub(crate) fn key(&self, ident: &syn::Ident) -> String {
        self.rename
            .clone()
            .unwrap_or_else(|| crate::name_text(ident))
    }

    /// The function a value is decoded with, when not its type's own `Deserialize`.
    pub(crate) fn decode_with(&self) -> Option<syn::Path> {
        self.deserialize_with.clone().or_else(|| {
            let module = self.with.as_ref()?;
            Some(syn::parse_quote!(#module::deserialize))
        })
    }

    /// The function a value is written with, when not its type's own `Serialize`.
    pub(crate) fn encode_with(&self) -> Option<syn::Path> {
        self.serialize_with.clone().or_else(|| {
            let module = self.with.as_ref()?;
            Some(syn::parse_quote!(#module::serialize))
        })
    }
}

/// Removes the fields' `#[serde]` attributes, once read: the form macros
/// always, as they write `Serialize` themselves.
pub(crate) fn strip(input: &mut DeriveInput) {
    if let Data::Struct(data) = &mut input.data {
        for field in data.fields.iter_mut() {
            field.attrs.retain(|a| !a.path().is_ident("serde"));
        }
    }
}

/// Removes the fields' `#[serde]` attributes when no `Serialize` derive
/// follows to own them (a project may leave `Serialize` off its records).
pub(crate) fn strip_unowned_serde_attributes(input: &mut DeriveInput) {
    if derives_serialize(&input.attrs) {
        return;
    }
    strip(input);
}

/// Whether a `#[derive(...)]` among `attrs` names `Serialize` (by any path).
fn derives_serialize(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            // A derive list that does not parse is left for rustc to report.
            let _ = a.parse_nested_meta(|meta| {
                found |= meta
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "Serialize");
                Ok(())
            });
            found
        })
}
