//! Parent relationships in projections: a row reads fields of the record a
//! reference points at (`Contact` → `Account.Name`), nested as Salesforce
//! returns them (`"Account": {"Name": …}` or `null`).
//!
//! Generated code gives every reference with one generated target a
//! [`Parent`] in `<object>::parents`; a projection field of type
//! `Option<R>`, where `R` is a projection of the parent object, selects `R`'s
//! fields through it (`Account.Name`, `Account.Owner.Email` when `R` nests in
//! turn). rustc checks that the relationship is the object's and that `R`
//! projects the object it points at. A polymorphic reference (`What`, `Who`)
//! points at Salesforce's `Name` entity ([`super::name`]).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed};
use serde::Deserialize;

use super::{ChildPages, Column, Decode, Nullability, Projection};

/// The parent relationship of object `O` to object `P` (`Contact.Account`).
pub struct Parent<O, P> {
    name: &'static str,
    marker: PhantomData<fn() -> (O, P)>,
}

impl<O, P> Parent<O, P> {
    /// The relationship with this name (`Account` for `AccountId`, `Parent__r`
    /// for `Parent__c`). Generated code calls it.
    pub const fn new(name: &'static str) -> Self {
        Parent {
            name,
            marker: PhantomData,
        }
    }

    /// The relationship name, as SOQL paths and rows spell it.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<O, P> Clone for Parent<O, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O, P> Copy for Parent<O, P> {}

impl<O, P> fmt::Debug for Parent<O, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Parent({})", self.name)
    }
}

/// What a projection field of type `T` reads from object `O`: a column, or a
/// parent relationship into a nested projection. The
/// [`projection!`](crate::projection!) macro calls it; a field whose type does
/// not match what it reads does not implement it, and does not compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot fill a field of type `{T}` in a projection from `{O}`",
    label = "not a column or parent relationship of `{O}` holding `{T}`",
    note = "a projection field reads one of its object's `columns::*` (the field's type is the column's, \
            `Option` when it is nillable) or `parents::*` (an `Option` of a projection of the parent object)"
)]
pub trait ProjectField<O, T> {
    /// The `SELECT` entries it needs (`Name`, or `Account.Name, Account.Phone`).
    fn select(&self) -> Vec<String>;
    /// Its key in a row.
    fn key(&self) -> &'static str;
    /// Reads its value from a row.
    fn decode<'de, D: de::Deserializer<'de>>(&self, deserializer: D) -> Result<T, D::Error>;
    /// Adds the child lists in `value` to `lists` (only a child relationship
    /// has any).
    fn child_lists<'v>(&self, _value: &'v mut T, _lists: &mut Vec<&'v mut dyn ChildPages>) {}
}

impl<O, V, K: Nullability, D: Decode<V, K>> ProjectField<O, K::Read<V>> for Column<O, V, K, D> {
    fn select(&self) -> Vec<String> {
        vec![self.name().to_owned()]
    }

    fn key(&self) -> &'static str {
        self.name()
    }

    fn decode<'de, De: de::Deserializer<'de>>(
        &self,
        deserializer: De,
    ) -> Result<K::Read<V>, De::Error> {
        D::decode(deserializer)
    }
}

impl<O, P, R: Projection<Object = P>> ProjectField<O, Option<R>> for Parent<O, P> {
    fn select(&self) -> Vec<String> {
        R::fields()
            .into_iter()
            .map(|field| format!("{}.{field}", self.name))
            .collect()
    }

    fn key(&self) -> &'static str {
        self.name
    }

    fn decode<'de, D: de::Deserializer<'de>>(
        &self,
        deserializer: D,
    ) -> Result<Option<R>, D::Error> {
        Option::<R>::deserialize(deserializer)
    }
}

/// Reads one projection field through its [`ProjectField`]; the
/// [`projection!`](crate::projection!) macro's `Deserialize` calls it.
#[doc(hidden)]
pub struct FieldSeed<'a, C, O, T> {
    field: &'a C,
    marker: PhantomData<fn() -> (O, T)>,
}

impl<C, O, T> fmt::Debug for FieldSeed<'_, C, O, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FieldSeed")
    }
}

impl<'a, C: ProjectField<O, T>, O, T> FieldSeed<'a, C, O, T> {
    /// The seed for `field`.
    pub fn new(field: &'a C) -> Self {
        FieldSeed {
            field,
            marker: PhantomData,
        }
    }
}

impl<'de, C: ProjectField<O, T>, O, T> DeserializeSeed<'de> for FieldSeed<'_, C, O, T> {
    type Value = T;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        self.field.decode(deserializer)
    }
}
