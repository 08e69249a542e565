//! String interning: ids and names stored once, referred to by a `Sym` (u32) in compact read models.

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

/// An interned string's number. Only meaningful with the [`Interner`] that issued it.
pub type Sym = u32;

/// Strings stored once; `Sym`s are dense and issued in first-seen order.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(from = "Vec<Box<str>>", into = "Vec<Box<str>>")]
pub struct Interner {
    strings: Vec<Box<str>>,
    map: FxHashMap<Box<str>, Sym>,
    /// Every symbol in the order of its string, worked out when first asked after a change.
    sorted: std::sync::OnceLock<Vec<Sym>>,
}

impl From<Vec<Box<str>>> for Interner {
    fn from(strings: Vec<Box<str>>) -> Self {
        let map = strings
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i as Sym))
            .collect();
        Interner {
            strings,
            map,
            sorted: std::sync::OnceLock::new(),
        }
    }
}

impl From<Interner> for Vec<Box<str>> {
    fn from(i: Interner) -> Self {
        i.strings
    }
}

impl Interner {
    /// The symbol of `s`, interning it if new.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.map.get(s) {
            return sym;
        }
        let sym = self.strings.len() as Sym;
        let boxed: Box<str> = s.into();
        self.strings.push(boxed.clone());
        self.map.insert(boxed, sym);
        self.sorted = std::sync::OnceLock::new();
        sym
    }

    /// Every symbol, ordered by its string (byte order): kept until a string is interned, so
    /// that listings sorted by id compare numbers instead of strings.
    pub fn sorted(&self) -> &[Sym] {
        self.sorted.get_or_init(|| {
            let mut order: Vec<Sym> = (0..self.strings.len() as Sym).collect();
            order
                .sort_unstable_by(|a, b| self.strings[*a as usize].cmp(&self.strings[*b as usize]));
            order
        })
    }

    /// The symbol of `s` if it was interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.map.get(s).copied()
    }

    /// The string of a symbol (empty for a symbol this interner never issued).
    pub fn resolve(&self, sym: Sym) -> &str {
        self.strings.get(sym as usize).map_or("", |s| s)
    }

    /// How many strings are interned.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// Whether nothing is interned.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_twice_gives_the_same_symbol_and_survives_serde() {
        let mut i = Interner::default();
        let a = i.intern("cadre-1");
        let b = i.intern("unit-1");
        assert_eq!(i.intern("cadre-1"), a);
        assert_ne!(a, b);
        let json = serde_json::to_string(&i).unwrap();
        let back: Interner = serde_json::from_str(&json).unwrap();
        assert_eq!(back.get("unit-1"), Some(b));
        assert_eq!(back.resolve(a), "cadre-1");
        assert_eq!(back.resolve(99), "");
    }

    #[test]
    fn symbols_in_string_order_follow_every_new_string() {
        let mut i = Interner::default();
        let b = i.intern("b");
        let c = i.intern("c");
        assert_eq!(i.sorted(), &[b, c]);
        let a = i.intern("a");
        assert_eq!(
            i.sorted(),
            &[a, b, c],
            "a string interned later is placed too"
        );
        let back: Interner = serde_json::from_str(&serde_json::to_string(&i).unwrap()).unwrap();
        assert_eq!(back.sorted(), &[a, b, c]);
    }
}
