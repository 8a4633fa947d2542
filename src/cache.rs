//! One small cache type for the widget's memoised values (JSON member names made into
//! JS strings, `Intl` formatters, formatted relative times): a few entries found by a
//! linear scan, which for a handful of short keys costs less than hashing, with the
//! oldest entry dropped once the bound is reached.

/// A bounded list of key → value, oldest first.
pub struct SmallCache<K, V> {
    entries: Vec<(K, V)>,
    bound: usize,
}

impl<K: PartialEq, V: Clone> SmallCache<K, V> {
    /// An empty cache that keeps at most `bound` entries.
    pub const fn new(bound: usize) -> Self {
        SmallCache { entries: Vec::new(), bound }
    }

    /// The value for a key that `matches`.
    pub fn find(&self, matches: impl Fn(&K) -> bool) -> Option<V> {
        self.entries.iter().find(|(k, _)| matches(k)).map(|(_, v)| v.clone())
    }

    /// Remembers a value, dropping the oldest entry when full.
    pub fn insert(&mut self, key: K, value: V) {
        if self.entries.len() >= self.bound {
            self.entries.remove(0);
        }
        self.entries.push((key, value));
    }

    /// The value for a key that `matches`, made by `make` (and remembered) on a miss.
    pub fn get_or_insert(&mut self, matches: impl Fn(&K) -> bool, make: impl FnOnce() -> (K, V)) -> V {
        if let Some(v) = self.find(matches) {
            return v;
        }
        let (key, value) = make();
        self.insert(key, value.clone());
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_cache_forgets_its_oldest_entry() {
        let mut cache = SmallCache::new(2);
        cache.insert("a", 1);
        cache.insert("b", 2);
        assert_eq!(cache.find(|k| *k == "a"), Some(1));
        cache.insert("c", 3);
        assert_eq!(cache.find(|k| *k == "a"), None);
        assert_eq!(cache.get_or_insert(|k| *k == "c", || ("c", 9)), 3, "a hit does not remake");
        assert_eq!(cache.get_or_insert(|k| *k == "d", || ("d", 4)), 4);
        assert_eq!(cache.find(|k| *k == "b"), None);
    }
}
