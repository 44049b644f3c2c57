//! ETags and the conditional request headers (`config-concurrency.md` §1.2, §1.3).
//!
//! An [`ETag`] names one stored version of a tenant's config. It is a pure function of what is
//! in the store (E1), changes with the stored bytes (E2), is strong (E3), opaque (E4) and
//! carries a scheme prefix (E5), so that a tag from another scheme never matches:
//!
//! - [`Scheme::Hash`] (`h`): `"h-" + hex(SHA-256(stored bytes))`. Equal bytes give equal tags
//!   (ABA is benign: value-CAS semantics, §6 O1).
//! - [`Scheme::Version`] (`v`): `"v-" + hex(store version token)`: lets protocol A write with
//!   one round trip ([`ETag::version`] decodes it back).
//!
//! Header syntax is RFC 9110's: `If-Match` is `*` or a comma list of entity-tags, compared
//! **strongly** (a `W/` tag parses but never matches); `If-None-Match` on a write may only be
//! `*`. Anything else is a [`HeaderError`] (400).

use std::fmt;

use sha2::{Digest, Sha256};

use super::store::StoreVersion;

/// How the server derives a config's ETag (§1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `h`: a hash of the stored bytes.
    Hash,
    /// `v`: the store's own version token.
    Version,
    /// §5 R13's bug, labelled `h` like [`Scheme::Hash`]: a hash of the config *re-marshalled*
    /// instead of the stored bytes. Mimir's `alertspb.ToProto` iterates a Go map, so the
    /// re-marshalled bytes differ from what another replica stored or hashes; modelled
    /// deterministically as another serialization (templates in reverse name order, then the
    /// Alertmanager config). Two servers, one per scheme, name one stored version with two
    /// tags (O7 fails).
    Remarshalled,
}

impl Scheme {
    /// The tag of a stored version with these bytes and this store token.
    pub fn tag(self, bytes: &[u8], version: &StoreVersion) -> ETag {
        match self {
            Scheme::Hash => ETag(format!("h-{}", hex(&Sha256::digest(bytes)))),
            Scheme::Version => ETag(format!("v-{}", hex(version.0.as_bytes()))),
            Scheme::Remarshalled => {
                let view = match super::config::UserConfig::from_stored(bytes) {
                    Ok(c) => remarshalled(&c),
                    Err(_) => bytes.to_vec(),
                };
                ETag(format!("h-{}", hex(&Sha256::digest(view))))
            }
        }
    }

    /// The scheme's prefix letter.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Hash | Scheme::Remarshalled => "h",
            Scheme::Version => "v",
        }
    }
}

/// [`Scheme::Remarshalled`]'s serialization of a config.
fn remarshalled(c: &super::config::UserConfig) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, body) in c.template_files.iter().rev() {
        out.extend_from_slice(format!("template {name}: {body}\n").as_bytes());
    }
    out.extend_from_slice(b"alertmanager_config: ");
    out.extend_from_slice(c.alertmanager_config.as_bytes());
    out
}

/// A strong entity-tag's opaque value, without quotes (`h-…` or `v-…`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ETag(pub String);

impl ETag {
    /// The header value: the opaque value in double quotes.
    pub fn header(&self) -> String {
        format!("\"{}\"", self.0)
    }

    /// Under [`Scheme::Version`], the store token the tag names (`None` for another scheme or
    /// an undecodable value: such a tag matches no stored version).
    pub fn version(&self) -> Option<StoreVersion> {
        let value = self.0.strip_prefix("v-")?;
        if value.len() % 2 != 0 {
            return None;
        }
        let bytes = (0..value.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(value.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        String::from_utf8(bytes).ok().map(StoreVersion)
    }
}

impl fmt::Display for ETag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.header())
    }
}

/// One entity-tag of a header list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityTag {
    /// `W/`: weak, never matches under strong comparison.
    pub weak: bool,
    /// The value between the quotes.
    pub opaque: String,
}

impl EntityTag {
    /// RFC 9110 §8.8.3.2 strong comparison against a current tag.
    pub fn strong_eq(&self, current: &ETag) -> bool {
        !self.weak && self.opaque == current.0
    }
}

/// A parsed `If-Match` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`: true iff a config exists.
    Any,
    /// A list: true iff the current tag is one of them (strongly).
    Tags(Vec<EntityTag>),
}

impl IfMatch {
    /// Evaluates the precondition against the current tag (`None`: no config stored).
    pub fn holds(&self, current: Option<&ETag>) -> bool {
        match (self, current) {
            (_, None) => false,
            (IfMatch::Any, Some(_)) => true,
            (IfMatch::Tags(tags), Some(cur)) => tags.iter().any(|t| t.strong_eq(cur)),
        }
    }

    /// The one strong tag of a single-tag list, if that is what it is (protocol A's one
    /// round trip applies only then).
    pub fn single(&self) -> Option<ETag> {
        match self {
            IfMatch::Tags(tags) if tags.len() == 1 && !tags[0].weak => {
                Some(ETag(tags[0].opaque.clone()))
            }
            _ => None,
        }
    }
}

/// A malformed conditional header (answered 400).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderError(pub String);

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses an `If-Match` value (RFC 9110 §13.1.1: `*` or `1#entity-tag`).
pub fn parse_if_match(raw: &[u8]) -> Result<IfMatch, HeaderError> {
    let text =
        std::str::from_utf8(raw).map_err(|_| HeaderError("If-Match is not valid UTF-8".into()))?;
    if text.trim() == "*" {
        return Ok(IfMatch::Any);
    }
    let mut tags = Vec::new();
    for item in text.split(',') {
        let item = item.trim_matches([' ', '\t']);
        if item.is_empty() {
            continue; // RFC 9110 §5.6.1: empty list elements are ignored.
        }
        tags.push(parse_entity_tag(item)?);
    }
    if tags.is_empty() {
        return Err(HeaderError("If-Match has no entity-tag".into()));
    }
    Ok(IfMatch::Tags(tags))
}

/// Parses an `If-None-Match` value on a write: only `*` is supported (§1.3).
pub fn parse_if_none_match(raw: &[u8]) -> Result<(), HeaderError> {
    match std::str::from_utf8(raw).map(str::trim) {
        Ok("*") => Ok(()),
        _ => Err(HeaderError(
            "If-None-Match on a write must be \"*\" (create only)".into(),
        )),
    }
}

fn parse_entity_tag(item: &str) -> Result<EntityTag, HeaderError> {
    let (weak, quoted) = match item.strip_prefix("W/") {
        Some(rest) => (true, rest),
        None => (false, item),
    };
    let opaque = quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| HeaderError(format!("entity-tag {item:?} is not quoted")))?;
    // etagc = %x21 / %x23-7E / obs-text (obs-text: bytes 0x80-0xFF, here any non-ASCII char).
    if let Some(bad) = opaque
        .chars()
        .find(|&c| !(c == '\x21' || ('\x23'..='\x7e').contains(&c) || !c.is_ascii()))
    {
        return Err(HeaderError(format!(
            "entity-tag {item:?} holds the character {bad:?}"
        )));
    }
    Ok(EntityTag {
        weak,
        opaque: opaque.to_owned(),
    })
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
