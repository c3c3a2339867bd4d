//! Picklist values that survive values the bindings do not know.

use std::fmt;

use serde::{de, Deserializer, Serialize, Serializer};

/// A generated picklist enum.
///
/// Every generated picklist has a fallback variant that keeps a value the
/// describe did not list (orgs add values without regenerating bindings), so
/// [`Picklist::from_api`] cannot fail.
pub trait Picklist: Sized {
    /// The API value (not the label).
    fn as_str(&self) -> &str;
    /// The variant for an API value, or the fallback holding it.
    fn from_api(value: &str) -> Self;
}

/// A picklist value the describe did not list, as Salesforce sent it: what a
/// generated enum's `Unlisted` variant holds.
///
/// Only a generated enum's `from_api` (and so deserialization) builds one, and
/// only for a value the enum does not list; so `Unlisted` never stands for a
/// listed value, and the derived meaning of equality is the wire's. Read it with
/// [`UnlistedValue::as_str`] or `Display`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnlistedValue(Box<str>);

impl UnlistedValue {
    /// The API value.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For generated `from_api` only, after it has matched every listed value.
    #[doc(hidden)]
    pub fn __from_api(value: &str) -> Self {
        UnlistedValue(value.into())
    }
}

impl fmt::Debug for UnlistedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for UnlistedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for UnlistedValue {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Deserializes a picklist value through [`Picklist::from_api`], borrowing the
/// input where the deserializer allows. Generated `Deserialize` impls call this.
pub fn deserialize<'de, P: Picklist, D: Deserializer<'de>>(deserializer: D) -> Result<P, D::Error> {
    struct Visitor<P>(std::marker::PhantomData<P>);
    impl<P: Picklist> de::Visitor<'_> for Visitor<P> {
        type Value = P;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a picklist value")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<P, E> {
            Ok(P::from_api(v))
        }
    }
    deserializer.deserialize_str(Visitor(std::marker::PhantomData))
}

/// Serializes a picklist value as its API value. Generated `Serialize` impls call this.
pub fn serialize<P: Picklist, S: Serializer>(value: &P, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.as_str())
}

/// The trait impls every generated picklist enum shares, from its `as_str`
/// and `from_api`: [`Picklist`], `Display`, `FromStr`, `Serialize`,
/// `Deserialize`, and `PartialEq`/`Eq`/`Hash` by API value, so that two values
/// equal on the wire are equal in Rust however they were built (a listed
/// value inside the `Unlisted` fallback included). Generated code calls it;
/// not part of the public API.
#[doc(hidden)]
#[macro_export]
macro_rules! __picklist_impls {
    ($name:ident) => {
        impl $crate::Picklist for $name {
            fn as_str(&self) -> &str {
                $name::as_str(self)
            }
            fn from_api(value: &str) -> Self {
                $name::from_api(value)
            }
        }

        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::std::cmp::Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from_api(value))
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::picklist::serialize(self, serializer)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::picklist::deserialize(deserializer)
            }
        }
    };
}

/// A multi-select picklist: a set of values, sent as one string joined with `;`.
///
/// Order is kept as received (and sent back so) and duplicates are dropped;
/// equality and hashing are the set's: `A;B` equals `B;A`.
#[derive(Debug, Clone)]
pub struct MultiPicklist<P> {
    values: Vec<P>,
}

impl<P> Default for MultiPicklist<P> {
    fn default() -> Self {
        MultiPicklist { values: Vec::new() }
    }
}

impl<P: Picklist> MultiPicklist<P> {
    /// An empty selection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a value unless it is selected already.
    pub fn insert(&mut self, value: P) -> bool {
        if self.contains(&value) {
            return false;
        }
        self.values.push(value);
        true
    }

    /// Whether a value is selected.
    pub fn contains(&self, value: &P) -> bool {
        self.values.iter().any(|v| v.as_str() == value.as_str())
    }

    /// The selected values.
    pub fn iter(&self) -> impl Iterator<Item = &P> {
        self.values.iter()
    }

    /// How many values are selected.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Parses the wire form, `A;B;C`.
    pub fn from_api(joined: &str) -> Self {
        joined
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(P::from_api)
            .collect()
    }
}

impl<P: Picklist> MultiPicklist<P> {
    /// The API values, sorted: the set's identity.
    fn sorted(&self) -> Vec<&str> {
        let mut values: Vec<&str> = self.values.iter().map(P::as_str).collect();
        values.sort_unstable();
        values
    }
}

impl<P: Picklist> PartialEq for MultiPicklist<P> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.sorted() == other.sorted()
    }
}

impl<P: Picklist> Eq for MultiPicklist<P> {}

impl<P: Picklist> std::hash::Hash for MultiPicklist<P> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.sorted().hash(state)
    }
}

impl<P: Picklist> FromIterator<P> for MultiPicklist<P> {
    fn from_iter<I: IntoIterator<Item = P>>(iter: I) -> Self {
        let mut set = MultiPicklist::new();
        for v in iter {
            set.insert(v);
        }
        set
    }
}

impl<P: Picklist> fmt::Display for MultiPicklist<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.values.iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            f.write_str(v.as_str())?;
        }
        Ok(())
    }
}

impl<P: Picklist> Serialize for MultiPicklist<P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de, P: Picklist> serde::Deserialize<'de> for MultiPicklist<P> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<P>(std::marker::PhantomData<P>);
        impl<P: Picklist> de::Visitor<'_> for Visitor<P> {
            type Value = MultiPicklist<P>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("multi-select picklist values joined with `;`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MultiPicklist::from_api(v))
            }
        }
        deserializer.deserialize_str(Visitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    enum Colour {
        Red,
        Blue,
        Other(String),
    }

    impl Picklist for Colour {
        fn as_str(&self) -> &str {
            match self {
                Colour::Red => "Red",
                Colour::Blue => "Blue",
                Colour::Other(s) => s,
            }
        }
        fn from_api(value: &str) -> Self {
            match value {
                "Red" => Colour::Red,
                "Blue" => Colour::Blue,
                other => Colour::Other(other.to_owned()),
            }
        }
    }

    #[test]
    fn multipicklists_join_and_split_on_semicolons() {
        let set: MultiPicklist<Colour> =
            serde_json::from_str("\"Red;Green;Red;Blue\"").expect("decodes");
        assert_eq!(set.len(), 3);
        assert!(set.contains(&Colour::Other("Green".into())));
        assert_eq!(
            serde_json::to_string(&set).expect("encodes"),
            "\"Red;Green;Blue\""
        );
        assert!(MultiPicklist::<Colour>::from_api("").is_empty());
    }

    #[test]
    fn multipicklists_compare_as_sets() {
        use std::collections::HashSet;
        let ab = MultiPicklist::<Colour>::from_api("Red;Blue");
        let ba = MultiPicklist::<Colour>::from_api("Blue;Red;Blue");
        assert_eq!(ab, ba);
        assert_ne!(ab, MultiPicklist::<Colour>::from_api("Red"));
        let set: HashSet<_> = [ab, ba].into_iter().collect();
        assert_eq!(set.len(), 1, "equal sets hash alike");
        assert_eq!(
            set.iter().next().map(ToString::to_string).as_deref(),
            Some("Red;Blue")
        );
    }
}
