//! What a thread key may be, wherever one arrives: the API's path, the moderation pages'
//! forms and addresses, the command line, an import.

/// A thread key: 1 to 128 letters, digits, dots, dashes or underscores, not starting
/// with a dot.
pub fn valid_thread(key: &str) -> bool {
    (1..=128).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !key.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::valid_thread;

    #[test]
    fn a_thread_key_is_short_plain_ascii_not_starting_with_a_dot() {
        for good in ["t", "india-canada-liaison", "a.b_c-1", &"k".repeat(128)] {
            assert!(valid_thread(good), "{good}");
        }
        for bad in ["", ".hidden", "a/b", "a b", "é", &"k".repeat(129), "../x"] {
            assert!(!valid_thread(bad), "{bad}");
        }
    }
}
