//! `TYPEOF`: the fields to read behind a polymorphic relationship, by the
//! type of the record it references. `WHEN Type THEN fields` names fields of
//! that object (parent paths allowed); `ELSE fields` names fields of
//! Salesforce's `Name` entity, read from whatever object is referenced.

use super::ast::{FieldPath, TypeOf};
use super::bind::{canonical, Binder, Kind, Leaf, Path, NAME_ENTITY_FIELDS};
use super::error::{SoqlError, INVALID_FIELD, INVALID_TYPE, MALFORMED_QUERY};
use super::DataSource;

/// A resolved `TYPEOF`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundTypeOf {
    /// The relationship's canonical name (`What`), the key in output rows.
    pub name: String,
    /// The foreign key holding the referenced record's id (`WhatId`).
    pub foreign_key: String,
    /// Each `WHEN`: the object's canonical name and its fields.
    pub whens: Vec<(String, Vec<Path>)>,
    /// The `ELSE` fields (`Name`-entity fields).
    pub otherwise: Vec<Path>,
}

/// Resolves a `TYPEOF` of the query `binder` resolves.
pub fn bind<S: DataSource>(
    binder: &Binder<'_, S>,
    type_of: &TypeOf,
) -> Result<BoundTypeOf, SoqlError> {
    let at = &type_of.relationship;
    let meta = binder
        .source
        .relationship(&binder.object, &at.text)
        .ok_or_else(|| binder.no_such_relationship(at))?;
    if meta.targets.len() < 2 {
        return Err(binder.error(
            MALFORMED_QUERY,
            at.pos,
            &format!(
                "TYPEOF can only be used on a polymorphic relationship; '{}' is not one",
                meta.name
            ),
        ));
    }
    let mut whens: Vec<(String, Vec<Path>)> = Vec::with_capacity(type_of.whens.len());
    for (object, fields) in &type_of.whens {
        let known = binder.source.object_name(&object.text).ok_or_else(|| {
            binder.error(
                INVALID_TYPE,
                object.pos,
                &format!("sObject type '{}' is not supported.", object.text),
            )
        })?;
        let target = meta
            .targets
            .iter()
            .find(|t| t.eq_ignore_ascii_case(known))
            .ok_or_else(|| {
                binder.error(
                    MALFORMED_QUERY,
                    object.pos,
                    &format!(
                        "'{}' is not a type the polymorphic relationship '{}' references",
                        object.text, meta.name
                    ),
                )
            })?
            .clone();
        if whens.iter().any(|(t, _)| *t == target) {
            return Err(binder.error(
                MALFORMED_QUERY,
                object.pos,
                &format!("duplicate WHEN type: {}", object.text),
            ));
        }
        let on_target = Binder::on(binder.query, binder.source, target.clone());
        let paths = distinct(binder, fields, |f| on_target.path(f))?;
        whens.push((target, paths));
    }
    let otherwise = distinct(binder, &type_of.otherwise, |f| name_field(binder, f))?;
    Ok(BoundTypeOf {
        name: meta.name,
        foreign_key: meta.foreign_key,
        whens,
        otherwise,
    })
}

/// Resolves each field with `resolve`; a field listed twice is an error.
fn distinct<S: DataSource>(
    binder: &Binder<'_, S>,
    fields: &[FieldPath],
    resolve: impl Fn(&FieldPath) -> Result<Path, SoqlError>,
) -> Result<Vec<Path>, SoqlError> {
    let mut paths: Vec<Path> = Vec::with_capacity(fields.len());
    for field in fields {
        let path = resolve(field)?;
        let key = canonical(&path);
        if paths
            .iter()
            .any(|p| canonical(p).eq_ignore_ascii_case(&key))
        {
            return Err(binder.error(
                INVALID_FIELD,
                field.pos(),
                &format!("duplicate field selected: {}", field.written()),
            ));
        }
        paths.push(path);
    }
    Ok(paths)
}

/// An `ELSE` field: a field of the `Name` entity.
fn name_field<S: DataSource>(binder: &Binder<'_, S>, field: &FieldPath) -> Result<Path, SoqlError> {
    let leaf = match field.segments.as_slice() {
        [leaf] => leaf,
        [relationship, _, ..] => return Err(binder.no_such_relationship(relationship)),
        [] => return Err(binder.error(MALFORMED_QUERY, field.pos(), "empty field path")),
    };
    let (name, kind): &(&'static str, Kind) = NAME_ENTITY_FIELDS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(&leaf.text))
        .ok_or_else(|| binder.no_such_column(leaf, "Name"))?;
    let leaf = if *name == "Type" {
        Leaf::TypeName
    } else {
        Leaf::NameField(name)
    };
    Ok(Path {
        hops: Vec::new(),
        leaf,
        kind: *kind,
    })
}
