//! `Snap<T>`: a dashboard view behind an `Arc`, changed in place when no reader holds it, read by cloning the `Arc`.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value readers take a cheap handle to; the fold copies it only if a reader still holds the old one.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Snap<T>(Arc<T>);

impl<T: Clone> Snap<T> {
    /// A handle to the current value (an `Arc` clone: constant time).
    pub fn get(&self) -> Arc<T> {
        self.0.clone()
    }

    /// The value, for the fold to change.
    pub fn make_mut(&mut self) -> &mut T {
        Arc::make_mut(&mut self.0)
    }
}

impl<T> std::ops::Deref for Snap<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Serialize> Serialize for Snap<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.as_ref().serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Snap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(|v| Snap(Arc::new(v)))
    }
}
