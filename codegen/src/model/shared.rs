//! Picklist enums that several fields share: fields whose describes list the
//! same API values in the same order (Billing/Shipping/Mailing `GeocodeAccuracy`,
//! `LeadSource` on four objects) get one enum in the `picklists` module, and
//! each field's per-object name becomes an alias of it, so the public names
//! stay and the values are defined once.

use std::collections::BTreeMap;

use super::{Model, PicklistEnum, SharedPicklist, TypePath};
use crate::naming::{self, Case, Ident, Namespace};

/// The module that holds shared picklist enums.
pub const MODULE: &str = "picklists";

/// Moves every value list used by two or more picklist fields into
/// [`Model::shared_picklists`], pointing each user at it.
pub fn share(model: &mut Model) {
    // Value lists → the (object, picklist) indices that have them, in model order.
    let mut groups: BTreeMap<Vec<&str>, Vec<(usize, usize)>> = BTreeMap::new();
    for (o, object) in model.objects.iter().enumerate() {
        for (p, picklist) in object.picklists.iter().enumerate() {
            if picklist.variants.is_empty() {
                continue;
            }
            let values = picklist.variants.iter().map(|v| v.value.as_str()).collect();
            groups.entry(values).or_default().push((o, p));
        }
    }
    let mut groups: Vec<Vec<(usize, usize)>> = groups
        .into_values()
        .filter(|users| users.len() > 1)
        .collect();
    if groups.is_empty() {
        return;
    }
    // Named in order of the first user, so names do not depend on value text.
    groups.sort();
    let module = Ident::new(MODULE.to_owned());
    let mut names = Namespace::new(Case::Camel);
    let mut shared = Vec::with_capacity(groups.len());
    for users in groups {
        let used_by: Vec<String> = users
            .iter()
            .map(|&(o, p)| {
                let object = &model.objects[o];
                format!("{}.{}", object.api_name, object.picklists[p].field_api_name)
            })
            .collect();
        let (first_o, first_p) = users[0];
        let first = &model.objects[first_o].picklists[first_p];
        // The shortest field name among the users: `GeocodeAccuracy` over
        // `BillingGeocodeAccuracy`.
        let natural = users
            .iter()
            .map(|&(o, p)| model.objects[o].picklists[p].field_api_name.as_str())
            .min_by_key(|name| (name.len(), *name))
            .unwrap_or(&first.field_api_name);
        let claimed = names.claim(
            naming::camel(natural),
            &format!("the values shared by {}", used_by.join(", ")),
        );
        let path = TypePath {
            module: module.clone(),
            name: claimed.ident.clone(),
        };
        shared.push(SharedPicklist {
            picklist: PicklistEnum {
                ident: claimed.ident.clone(),
                name_note: claimed.note(),
                shared: None,
                ..first.clone()
            },
            used_by,
        });
        for (o, p) in users {
            model.objects[o].picklists[p].shared = Some(path.clone());
        }
    }
    model.shared_picklists = shared;
}
