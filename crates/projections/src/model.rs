//! The read-model contract (a named, versioned fold) and the slot that carries a model's checkpoint.

use serde::{Serialize, de::DeserializeOwned};

use crate::envelope::Envelope;

/// A read model: a fold over the log with a stable name and a version.
///
/// Bump `VERSION` whenever the fold or the stored shape changes: a snapshot of
/// another version is ignored and the model rebuilds itself from the log.
pub trait ReadModel: Default + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Stable name, used as the snapshot key.
    const NAME: &'static str;
    /// Version of the fold and of its snapshot format.
    const VERSION: u32;
    /// Fold one event.
    fn apply(&mut self, env: &Envelope<'_>);
}

/// The first bytes of every snapshot: the format (postcard, revision 1).
pub const SNAPSHOT_MAGIC: [u8; 4] = *b"DSP1";

/// A model with the position of the last event folded into it.
#[derive(Debug, Default, Clone)]
pub struct Slot<M> {
    pub model: M,
    pub checkpoint: u64,
}

impl<M: ReadModel> Slot<M> {
    /// Fold `env` unless the model already holds it (its checkpoint is at or past the position).
    #[inline]
    pub fn apply(&mut self, env: &Envelope<'_>) {
        if env.position > self.checkpoint {
            self.model.apply(env);
            self.checkpoint = env.position;
        }
    }

    /// Record that every event up to `position` has been seen (e.g. events no model folds).
    #[inline]
    pub fn advance(&mut self, position: u64) {
        if position > self.checkpoint {
            self.checkpoint = position;
        }
    }

    /// Encode the model for the snapshot table: [`SNAPSHOT_MAGIC`], then postcard (compact binary, fast to load).
    pub fn encode(&self) -> Result<Vec<u8>, postcard::Error> {
        postcard::to_extend(&self.model, SNAPSHOT_MAGIC.to_vec())
    }

    /// Replace the model with a snapshot taken at `position`. Data without the magic header
    /// (another format) or that does not decode entirely is refused and changes nothing.
    pub fn restore(&mut self, position: u64, data: &[u8]) -> Result<(), postcard::Error> {
        let body = data
            .strip_prefix(SNAPSHOT_MAGIC.as_slice())
            .ok_or(postcard::Error::DeserializeBadEncoding)?;
        let (model, rest) = postcard::take_from_bytes(body)?;
        if !rest.is_empty() {
            return Err(postcard::Error::DeserializeBadEncoding);
        }
        self.model = model;
        self.checkpoint = position;
        Ok(())
    }
}
