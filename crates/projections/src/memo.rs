//! A value kept beside a read model for the key it was computed for (a change count, a date): recomputed when asked with another key; a copy of the model starts without it.

use std::sync::Mutex;

/// The last value computed and its key. Not serialized and not copied: a model restored from a
/// snapshot, or cloned for a dated fold, computes it again when first asked.
#[derive(Debug)]
pub struct Memo<K, V>(Mutex<Option<(K, V)>>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(Mutex::new(None))
    }
}

impl<K, V> Clone for Memo<K, V> {
    fn clone(&self) -> Self {
        Memo::default()
    }
}

impl<K: PartialEq, V: Clone> Memo<K, V> {
    /// The value kept for `key`, or `compute`'s, which is then kept.
    pub fn get_or(&self, key: K, compute: impl FnOnce() -> V) -> V {
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((k, v)) = kept.as_ref()
            && *k == key
        {
            return v.clone();
        }
        let value = compute();
        *kept = Some((key, value.clone()));
        value
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn a_value_is_kept_for_its_key_and_recomputed_for_another_and_not_copied() {
        let memo: Memo<u32, u32> = Memo::default();
        let mut calls = 0;
        let mut ask = |key| {
            memo.get_or(key, || {
                calls += 1;
                key * 10
            })
        };
        assert_eq!((ask(1), ask(1), ask(2)), (10, 10, 20));
        assert_eq!(calls, 2);
        let copy = memo.clone();
        assert_eq!(copy.get_or(2, || 0), 0, "a copy starts empty");
    }
}
