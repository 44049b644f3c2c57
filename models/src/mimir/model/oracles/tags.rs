//! O7 (tag determinism), `config-concurrency.md` §6, §1.2 E1 ([`super`] for the table).

use super::{violation, Violation, TAG_DETERMINISM};
use crate::mimir::etag::ETag;
use crate::mimir::http::{Method, Status};
use crate::mimir::model::{Exchange, World, TENANT};
use crate::mimir::tenant::Tenant;

impl<R: weft_core::Runtime> World<R> {
    pub(super) fn tag_determinism(&self, exchanges: &[Exchange]) -> Result<(), Violation> {
        let cfg = Tenant::parse(Some(TENANT.as_bytes()))
            .expect("a valid id")
            .config_key();
        let state = self.store.lock();
        let mut seen: Vec<(crate::mimir::store::StoreVersion, ETag, u64)> = Vec::new();
        for x in exchanges {
            let (Some(r), Some(Method::Get)) = (&x.response, x.request.method) else {
                continue;
            };
            let (Status::OK, Some(tag)) = (r.status, &r.etag) else {
                continue;
            };
            let read = state
                .reads
                .iter()
                .rev()
                .find(|rd| rd.reader == x.id && rd.key == cfg);
            let Some(version) = read.and_then(|rd| rd.version.clone()) else {
                continue;
            };
            if let Some((_, other, id)) = seen.iter().find(|(v, t, _)| *v == version && t != tag) {
                return violation(
                    TAG_DETERMINISM,
                    format!(
                        "GETs of the same stored version answered different ETags: request \
                         {id} got {}, request {} (on {}) got {}",
                        other.header(),
                        x.id,
                        x.server,
                        tag.header()
                    ),
                );
            }
            seen.push((version, tag.clone(), x.id));
        }
        Ok(())
    }
}
