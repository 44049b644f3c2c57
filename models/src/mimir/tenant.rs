//! Tenants and the keys they own (`config-concurrency.md` §1.1, §4.1, §4.5).
//!
//! A tenant id comes from `X-Scope-OrgID` and becomes part of object keys, so it is validated
//! before anything else (§1.4 step 1, 401 when missing or invalid) with Mimir's rules for
//! tenant ids: 1 to 150 characters from `[A-Za-z0-9]` and `!-_.*'()`, not `.` or `..`. No
//! valid id holds `/`, NUL or anything outside ASCII, so no key built from one can leave its
//! prefix.

use std::fmt;

/// Longest tenant id accepted (Mimir's `tenant.MaxTenantIDLength`).
pub const MAX_TENANT_LEN: usize = 150;

/// A validated tenant id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tenant(String);

/// Why a tenant id was refused (answered 401).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TenantError {
    /// No `X-Scope-OrgID`.
    Missing,
    /// Present but not a valid id; the text says why.
    Invalid(String),
}

impl fmt::Display for TenantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TenantError::Missing => f.write_str("no org id (X-Scope-OrgID)"),
            TenantError::Invalid(why) => write!(f, "invalid org id: {why}"),
        }
    }
}

impl Tenant {
    /// Validates a raw header value.
    pub fn parse(raw: Option<&[u8]>) -> Result<Tenant, TenantError> {
        let raw = raw.ok_or(TenantError::Missing)?;
        if raw.is_empty() {
            return Err(TenantError::Missing);
        }
        if raw.len() > MAX_TENANT_LEN {
            return Err(TenantError::Invalid(format!(
                "longer than {MAX_TENANT_LEN} bytes"
            )));
        }
        if let Some(&bad) = raw
            .iter()
            .find(|&&b| !(b.is_ascii_alphanumeric() || b"!-_.*'()".contains(&b)))
        {
            return Err(TenantError::Invalid(format!(
                "byte 0x{bad:02x} is not allowed"
            )));
        }
        let id = std::str::from_utf8(raw).expect("ASCII checked above");
        if id == "." || id == ".." {
            return Err(TenantError::Invalid(format!("{id:?} is not allowed")));
        }
        Ok(Tenant(id.to_owned()))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `K_cfg`: the config object, `alerts/<tenant>` (Mimir's bucket layout).
    pub fn config_key(&self) -> String {
        format!("alerts/{}", self.0)
    }

    /// `K_lock`: protocol B's lock object, under its own prefix so that it never shows up as a
    /// phantom tenant in `alerts/` (§4.1, §5 R15).
    pub fn lock_key(&self) -> String {
        format!("alertmanager-locks/{}/config", self.0)
    }

    /// Protocol C's version slot `n` (§4.5): `alertmanager-versions/<tenant>/v<20 digits>`.
    pub fn version_key(&self, n: u64) -> String {
        format!("alertmanager-versions/{}/v{n:020}", self.0)
    }
}

impl fmt::Display for Tenant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
