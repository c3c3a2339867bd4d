//! Record ids: 18-character, checksummed, and decodable back to their row.
//!
//! The fake org mints ids as `<key prefix><"Fk0"><9 base-62 digits of the row number>`
//! plus the three checksum characters Salesforce derives from the case of the first
//! fifteen. Because the row number is inside the id, finding a record by id needs no
//! index: the key prefix names the table, the digits name the row.

use std::fmt;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const CHECKSUM_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
/// The pod and reserved characters every minted id carries after its key prefix.
const POD: &[u8; 3] = b"Fk0";

/// An 18-character Salesforce record id, stored inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SfId([u8; 18]);

/// Why a string is not an id (the store maps this to `MALFORMED_ID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdShape {
    /// 15 or 18 ASCII letters and digits with a valid checksum.
    Valid,
    /// Anything else.
    Malformed,
}

/// The three checksum characters of a 15-character id.
fn checksum(first15: &[u8]) -> [u8; 3] {
    let mut out = [0u8; 3];
    for (chunk, slot) in first15.chunks(5).zip(out.iter_mut()) {
        let bits = chunk
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_uppercase())
            .fold(0usize, |acc, (i, _)| acc | (1 << i));
        *slot = CHECKSUM_ALPHABET[bits];
    }
    out
}

impl SfId {
    /// Mints the id of row `row` of the object with key prefix `prefix`.
    pub fn mint(prefix: [u8; 3], row: u64) -> SfId {
        let mut chars = [0u8; 18];
        chars[..3].copy_from_slice(&prefix);
        chars[3..6].copy_from_slice(POD);
        let mut n = row;
        for slot in chars[6..15].iter_mut().rev() {
            // `n % 62` is below 62, so the index is in bounds.
            *slot = BASE62[(n % 62) as usize];
            n /= 62;
        }
        let sum = checksum(&chars[..15]);
        chars[15..].copy_from_slice(&sum);
        SfId(chars)
    }

    /// Parses a 15- or 18-character id (checksum-validated), as Salesforce accepts both.
    pub fn parse(s: &str) -> Option<SfId> {
        let bytes = s.as_bytes();
        if (bytes.len() != 15 && bytes.len() != 18) || !bytes.iter().all(u8::is_ascii_alphanumeric)
        {
            return None;
        }
        let sum = checksum(&bytes[..15]);
        if bytes.len() == 18 && !bytes[15..].eq_ignore_ascii_case(&sum) {
            return None;
        }
        let mut chars = [0u8; 18];
        chars[..15].copy_from_slice(&bytes[..15]);
        chars[15..].copy_from_slice(&sum);
        Some(SfId(chars))
    }

    /// Whether `s` looks like an id at all.
    pub fn shape(s: &str) -> IdShape {
        match SfId::parse(s) {
            Some(_) => IdShape::Valid,
            None => IdShape::Malformed,
        }
    }

    /// The 18-character form.
    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII alphanumerics.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The first three characters, naming the object.
    pub fn key_prefix(&self) -> [u8; 3] {
        [self.0[0], self.0[1], self.0[2]]
    }

    /// The row number of an id this org minted, or `None` for a foreign id.
    pub fn row(&self) -> Option<u64> {
        if &self.0[3..6] != POD {
            return None;
        }
        self.0[6..15].iter().try_fold(0u64, |acc, c| {
            let digit = BASE62.iter().position(|b| b == c)?;
            Some(acc * 62 + digit as u64)
        })
    }
}

impl fmt::Display for SfId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for SfId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SfId({})", self.as_str())
    }
}

/// The three bytes of a key prefix, if `prefix` is one.
pub fn key_prefix_bytes(prefix: &str) -> Option<[u8; 3]> {
    let b = prefix.as_bytes();
    if b.len() == 3 && b.iter().all(u8::is_ascii_alphanumeric) {
        Some([b[0], b[1], b[2]])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_ids_round_trip_to_their_row() {
        for row in [0u64, 1, 61, 62, 999_999, 13_537_086_546_263_551] {
            let id = SfId::mint(*b"001", row);
            assert_eq!(id.row(), Some(row), "{id}");
            assert_eq!(SfId::parse(id.as_str()), Some(id));
            assert_eq!(SfId::parse(&id.as_str()[..15]), Some(id));
        }
    }

    #[test]
    fn known_checksum_is_accepted_and_a_wrong_one_is_not() {
        assert!(SfId::parse("0013600000Ta4aQaar").is_some());
        assert!(SfId::parse("0013600000Ta4aQAAA").is_none());
        assert!(SfId::parse("not-an-id").is_none());
    }

    #[test]
    fn foreign_ids_have_no_row() {
        let id = SfId::parse("001Da00000xnAkBIAU").expect("recorded id");
        assert_eq!(id.row(), None);
    }
}
