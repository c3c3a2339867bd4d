//! Writing generated create and update forms: one `Serialize` for every
//! form, driven by the form's list of set fields.
//!
//! [`#[create_form]`](macro@crate::create_form) and
//! [`#[update_form]`](macro@crate::update_form) implement [`FormBody`] for a
//! form (each set field's key and value, in declaration order: an `Option`
//! when `Some`, a [`Field`](crate::Field) unless unset, any other field
//! always) and `Serialize` through [`serialize`]. The body is what
//! `#[derive(Serialize)]` with `skip_serializing_if` on every optional field
//! writes, from one writer here instead of a derive per form.
//!
//! ```
//! use sfgen_runtime::Field;
//!
//! #[sfgen_runtime::update_form]
//! #[derive(Debug, Default)]
//! pub struct ThingUpdate {
//!     #[serde(rename = "Name")]
//!     pub name: Option<String>,
//!     #[serde(rename = "Note__c")]
//!     pub note: Field<String>,
//!     #[serde(rename = "Size__c")]
//!     pub size: Field<i64>,
//! }
//!
//! let update = ThingUpdate { note: Field::Null, size: Field::Value(3), ..Default::default() };
//! assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"Note__c":null,"Size__c":3}"#);
//! ```

use std::convert::Infallible;

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// A form's set fields, as the form attributes write it.
pub trait FormBody {
    /// The form's type name, given to `serialize_struct`.
    const NAME: &'static str;

    /// Passes each set field's key and value to `out`, in declaration order.
    ///
    /// # Errors
    /// What `out` returns.
    fn write_fields<W: FieldWriter>(&self, out: &mut W) -> Result<(), W::Error>;
}

/// Where [`FormBody::write_fields`] writes a form's set fields.
pub trait FieldWriter {
    /// Why a field could not be written.
    type Error;

    /// Writes one field.
    ///
    /// # Errors
    /// The serializer's error for the value.
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Self::Error>;
}

/// Serializes a form as a struct of its set fields: the body of a form's
/// `Serialize` impl.
///
/// # Errors
/// The serializer's error.
pub fn serialize<F: FormBody + ?Sized, S: Serializer>(
    form: &F,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    // Formats that write a struct's length first need the count of set fields.
    let mut count = Count(0);
    let Ok(()) = form.write_fields(&mut count);
    let mut fields = serializer.serialize_struct(F::NAME, count.0)?;
    form.write_fields(&mut Fields(&mut fields))?;
    fields.end()
}

/// Counts the set fields.
struct Count(usize);

impl FieldWriter for Count {
    type Error = Infallible;

    fn field<T: Serialize + ?Sized>(&mut self, _: &'static str, _: &T) -> Result<(), Infallible> {
        self.0 += 1;
        Ok(())
    }
}

/// Writes the set fields into a serializer's struct.
struct Fields<'a, S>(&'a mut S);

impl<S: SerializeStruct> FieldWriter for Fields<'_, S> {
    type Error = S::Error;

    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, value)
    }
}
