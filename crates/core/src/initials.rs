//! The initials avatar: which letter it shows and which colour it has.

use crate::count::{find_cluster, trim_text, Clusters};

/// The avatar's text: the first visible grapheme of the name, uppercased where the
/// script has case ("Priyanka N" gives "P", "अमन" gives "अ"), or "?" for a name with
/// nothing visible.
#[cfg(feature = "tables")]
pub fn initial(name: &str) -> String {
    initial_with(name, str::to_uppercase, &crate::count::Tables)
}

/// [`initial`] with the platform's own case mapping: the widget passes the browser's
/// `toUpperCase` (the same Unicode mapping) and so ships no case tables of its own
/// (17 KB of wasm).
pub fn initial_with(name: &str, to_uppercase: impl Fn(&str) -> String, clusters: &impl Clusters) -> String {
    // The trimmed name starts with a visible, non-space character, so its first
    // cluster is the one to show.
    let Some(first) = find_cluster(trim_text(name), clusters, |_| true) else {
        return "?".to_string();
    };
    let upper = to_uppercase(first);
    // "ß" becomes "SS": keep one cluster, as the avatar has room for one.
    if find_cluster(&upper, clusters, |_| true).map(str::len) == Some(upper.len()) {
        upper
    } else {
        first.to_string()
    }
}

/// How many avatar colours the stylesheet defines (`--rc-avatar-0` to `--rc-avatar-7`).
pub const AVATAR_SLOTS: u32 = 8;

/// Which of the stylesheet's avatar colours a name gets: derived from the name, stable
/// across platforms (FNV-1a), so a reader keeps their colour on every page.
pub fn avatar_slot(name: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in trim_text(name).bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % AVATAR_SLOTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_names_give_p_a_s_v_k() {
        let names = ["Priyanka N", "Aman W", "Sarah B", "Vikram M", "Kriti O"];
        let got: Vec<String> = names.iter().map(|n| initial(n)).collect();
        assert_eq!(got, ["P", "A", "S", "V", "K"]);
    }

    #[test]
    fn a_lowercase_name_gets_an_uppercase_initial() {
        assert_eq!(initial("  émile"), "É");
    }

    #[test]
    fn devanagari_and_gurmukhi_keep_their_whole_first_cluster() {
        assert_eq!(initial("स्नेहा"), "स्ने");
        assert_eq!(initial("ਸਤਿ"), "ਸ");
    }

    #[test]
    fn an_emoji_name_takes_the_whole_cluster() {
        assert_eq!(initial("👩\u{200D}💻 Dev"), "👩\u{200D}💻");
    }

    #[test]
    fn invisible_leading_characters_are_skipped() {
        assert_eq!(initial("\u{202E}admin"), "A");
        assert_eq!(initial("\u{200B}\u{200B}zoe"), "Z");
    }

    #[test]
    fn a_name_with_nothing_visible_gives_a_question_mark() {
        assert_eq!(initial(""), "?");
        assert_eq!(initial("\u{200B}  "), "?");
    }

    #[test]
    fn sharp_s_stays_one_letter() {
        assert_eq!(initial("ßa"), "ß");
    }

    #[test]
    fn the_colour_slots_are_fnv_1a_of_the_trimmed_name_as_the_loader_computes_them() {
        // The loader paints the first page before the wasm arrives with its own copy of
        // this hash (loader/reader-comments.js, avatarSlot): these are FNV-1a 32-bit of
        // the UTF-8 bytes, modulo 8, computed independently.
        let expected = [("Priyanka N", 4), ("Aman W", 5), ("Sarah B", 6), ("Vikram M", 0), ("Kriti O", 1), ("अमन", 2)];
        for (name, slot) in expected {
            assert_eq!(avatar_slot(name), slot, "{name}");
        }
        assert_eq!(avatar_slot("\u{200B} Vikram M \u{FEFF}"), 0, "trimmed first");
    }

    #[test]
    fn a_letter_whose_capital_is_one_longer_cluster_is_capitalised() {
        // "ǉ" (2 bytes) capitalises to "Ǉ" and "ﬀ" to "FF": one cluster stays, two do not.
        assert_eq!(initial("ǉubica"), "Ǉ");
        assert_eq!(initial("ﬀoo"), "ﬀ");
        assert_eq!(initial("ŉ"), "ŉ", "ŉ capitalises to ʼN, two clusters");
    }

    #[test]
    fn the_colour_slot_is_stable_and_spread_over_the_palette() {
        assert_eq!(avatar_slot("Priyanka N"), avatar_slot(" Priyanka N "));
        let names = ["Priyanka N", "Aman W", "Sarah B", "Vikram M", "Kriti O", "Ravi", "Jo", "Li"];
        let slots: std::collections::BTreeSet<u32> = names.iter().map(|n| avatar_slot(n)).collect();
        assert!(slots.iter().all(|s| *s < AVATAR_SLOTS));
        assert!(slots.len() >= 4, "eight names share only {} colours", slots.len());
    }
}
