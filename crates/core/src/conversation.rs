//! Contract v1.1's conversation (`docs/contract.md`): what an endpoint says it offers
//! (`capabilities`), the orders it sorts in, and where each comment of a thread goes
//! when replies come as one flat list with `parent_id`s.

use crate::json::Json;

/// An order a thread can be listed in (`?sort=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// Oldest first.
    Oldest,
    /// Newest first.
    Newest,
    /// Most recommended first, then oldest.
    Top,
    /// Contract v1.2: only the comments the newsroom features, the latest featured first.
    Featured,
}

impl Sort {
    /// Every order, in the contract's order.
    pub const ALL: [Sort; 4] = [Sort::Oldest, Sort::Newest, Sort::Top, Sort::Featured];

    /// The contract's name (`oldest`, `newest`, `top`, `featured`).
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Oldest => "oldest",
            Sort::Newest => "newest",
            Sort::Top => "top",
            Sort::Featured => "featured",
        }
    }

    /// The order named `name`, if it is one.
    pub fn from_name(name: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// The reasons a reader may give for reporting a comment (contract v1.1 reports), as
/// sent, in the order the widget offers them.
pub const REPORT_REASONS: [&str; 3] = ["spam", "abuse", "other"];

/// Why a moderator may reject a comment (contract v1.2 reasons), as stored and sent, with
/// the English words a moderator picks from and an author reads; the widget shows its own
/// translation of each code, and the endpoint's `text` for a code it does not know.
pub const REJECT_REASONS: [(&str, &str); 7] = [
    ("off_topic", "Off-topic"),
    ("abuse", "Abusive or hateful"),
    ("spam", "Spam or advertising"),
    ("personal_information", "Shares personal information"),
    ("misinformation", "Misinformation"),
    ("duplicate", "A duplicate of another comment"),
    ("other", "Other"),
];

/// What an endpoint offers beyond v1. A member absent from `capabilities` is that
/// feature off; no `capabilities` at all is a v1 endpoint (`Page::capabilities` is
/// then `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// Replies can be posted and are shown under their comment.
    pub replies: bool,
    /// Comments can be recommended.
    pub recommend: bool,
    /// Seconds after posting during which its author may edit or delete a comment;
    /// `None`: no editing.
    pub edit_window_s: Option<u64>,
    /// The orders the endpoint sorts in; empty: its own order only.
    pub sort: Vec<Sort>,
    /// Readers can report a comment to the moderators.
    pub report: bool,
    /// Contract v1.2: an author can ask what became of their comments (`POST
    /// {endpoint}/own`).
    pub own_status: bool,
    /// Contract v1.2: which comments wait for a moderator (`links`, `first`, `all`; the
    /// names this widget knows, in the endpoint's order).
    pub holds: Vec<&'static str>,
    /// Contract v1.3: readers sign in with the site's accounts, if the endpoint says.
    pub sign_in: Option<SignInOffer>,
    /// Contract v1.3: a signed-in reader may ask to be told by e-mail (`"notify": true`
    /// with a post).
    pub notify: bool,
}

/// How an endpoint takes readers signed in with the site's accounts (contract v1.3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignInOffer {
    /// Only signed-in readers post, reply, recommend and report (else it is optional).
    pub required: bool,
    /// Where a reader signs in (http or https), if the endpoint said.
    pub url: Option<String>,
}

/// `capabilities.sign_in`: `{"mode": "optional" | "required", "url"}`; anything else
/// is no sign-in.
fn decode_sign_in<V: Json>(value: &V) -> Option<SignInOffer> {
    let offer = value.member("sign_in")?;
    let required = match offer.member("mode")?.string()?.as_str() {
        "optional" => false,
        "required" => true,
        _ => return None,
    };
    let url = offer.member("url").and_then(|u| u.string()).filter(|u| {
        let lower = u.to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    });
    Some(SignInOffer { required, url })
}

/// The names of [`Capabilities::holds`] a widget knows.
pub const HOLDS: [&str; 3] = ["links", "first", "all"];

/// Reads `capabilities`. Anything unreadable is that feature off (a v1.1 endpoint that
/// says something odd gets v1 behaviour for it, never an error).
pub fn decode_capabilities<V: Json>(value: &V) -> Capabilities {
    let flag = |name: &str| value.member(name).and_then(|v| v.boolean()).unwrap_or(false);
    let window = value.member("edit_window_s").and_then(|v| v.number());
    let sort = value.member("sort");
    let names = sort.as_ref().map_or(0, |s| s.array_len().unwrap_or(0));
    let mut orders = Vec::new();
    for index in 0..names {
        let order =
            sort.as_ref().and_then(|s| s.item(index)).and_then(|v| v.string()).and_then(|n| Sort::from_name(&n));
        if let Some(order) = order.filter(|o| !orders.contains(o)) {
            orders.push(order);
        }
    }
    Capabilities {
        replies: flag("replies"),
        recommend: flag("recommend"),
        edit_window_s: window.filter(|w| *w >= 1.0 && w.fract() == 0.0 && *w <= 31_536_000.0).map(|w| w as u64),
        sort: orders,
        report: flag("report"),
        own_status: flag("own_status"),
        holds: {
            let list = value.member("holds");
            let names = list.as_ref().map_or(0, |l| l.array_len().unwrap_or(0));
            let said: Vec<String> =
                (0..names).filter_map(|i| list.as_ref().and_then(|l| l.item(i)).and_then(|v| v.string())).collect();
            HOLDS.into_iter().filter(|h| said.iter().any(|s| s == h)).collect()
        },
        sign_in: decode_sign_in(value),
        notify: flag("notify"),
    }
}

/// Where one comment of a thread goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    /// The index of the top-level comment it sits under (its own for a top-level one).
    pub root: usize,
    /// The index of the comment it answers, if that is in the list.
    pub parent: Option<usize>,
}

/// Places every comment of a flat list: a reply under the top-level comment its chain
/// of `parent_id`s leads to. A reply whose parent is not in the list, or whose chain
/// loops, stays at the top level, so nothing an endpoint sent is lost.
pub fn place<B>(comments: &[crate::Comment<B>]) -> Vec<Place> {
    let index: std::collections::HashMap<&str, usize> =
        comments.iter().enumerate().rev().map(|(i, c)| (c.id.as_str(), i)).collect();
    let parent_of = |i: usize| -> Option<usize> {
        let p = index.get(comments[i].parent_id.as_deref()?).copied()?;
        (p != i).then_some(p)
    };
    (0..comments.len())
        .map(|i| {
            let parent = parent_of(i);
            // A chain without a loop reaches the top level in fewer steps than there
            // are comments; one that has not by then loops, and sits at the top level.
            let mut root = i;
            for _ in 0..comments.len() {
                match parent_of(root) {
                    Some(up) => root = up,
                    None => return Place { root, parent },
                }
            }
            Place { root: i, parent: None }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Comment;
    use serde_json::json;

    fn comment(id: &str, parent: Option<&str>) -> Comment {
        Comment { id: id.into(), parent_id: parent.map(Into::into), ..Default::default() }
    }

    #[test]
    fn capabilities_read_each_feature_and_ignore_what_is_odd() {
        let c = decode_capabilities(&json!({
            "replies": true, "recommend": true, "edit_window_s": 900, "sort": ["top", "oldest", "bogus", "top"],
            "report": true
        }));
        assert_eq!(
            c,
            Capabilities {
                replies: true,
                recommend: true,
                edit_window_s: Some(900),
                sort: vec![Sort::Top, Sort::Oldest],
                report: true,
                ..Capabilities::default()
            }
        );
        let v12 = decode_capabilities(&json!({"own_status": true, "holds": ["first", "links", "odd", 3]}));
        assert_eq!((v12.own_status, v12.holds), (true, vec!["links", "first"]));
        assert_eq!(decode_capabilities(&json!({"own_status": "yes", "holds": "links"})), Capabilities::default());
        let required =
            decode_capabilities(&json!({"sign_in": {"mode": "required", "url": "https://news.example/login"}}));
        let url = Some("https://news.example/login".to_string());
        assert_eq!(required.sign_in, Some(SignInOffer { required: true, url }));
        let optional = decode_capabilities(&json!({"sign_in": {"mode": "optional", "url": "javascript:alert(1)"}}));
        assert_eq!(optional.sign_in, Some(SignInOffer { required: false, url: None }));
        assert_eq!(decode_capabilities(&json!({"sign_in": {"mode": "maybe"}})).sign_in, None);
        assert_eq!(decode_capabilities(&json!({"sign_in": true})).sign_in, None);
        let odd = decode_capabilities(&json!({"replies": "yes", "edit_window_s": -5, "sort": "top", "report": 1}));
        assert_eq!(odd, Capabilities::default());
        assert_eq!(decode_capabilities(&json!({"edit_window_s": 1.5})).edit_window_s, None);
    }

    #[test]
    fn a_flat_list_is_grouped_under_top_level_comments() {
        let list = [comment("1", None), comment("2", None), comment("3", Some("1")), comment("4", Some("3"))];
        let places = place(&list);
        assert_eq!(places[2], Place { root: 0, parent: Some(0) });
        assert_eq!(places[3], Place { root: 0, parent: Some(2) }, "a reply to a reply sits under the top level");
        assert_eq!(places[1], Place { root: 1, parent: None });
    }

    #[test]
    fn the_longest_chain_a_list_can_hold_still_reaches_its_top_level_comment() {
        // Each of n comments answers the one before: n - 1 steps up from the last.
        let ids: Vec<String> = (0..6).map(|i| i.to_string()).collect();
        let list: Vec<Comment> =
            ids.iter().enumerate().map(|(i, id)| comment(id, i.checked_sub(1).map(|p| ids[p].as_str()))).collect();
        let places = place(&list);
        for (i, p) in places.iter().enumerate() {
            assert_eq!(*p, Place { root: 0, parent: i.checked_sub(1) }, "comment {i}");
        }
    }

    #[test]
    fn a_reply_listed_before_its_parent_still_sits_under_it() {
        let list = [comment("r", Some("t")), comment("t", None), comment("rr", Some("r"))];
        assert_eq!(
            place(&list),
            [Place { root: 1, parent: Some(1) }, Place { root: 1, parent: None }, Place { root: 1, parent: Some(0) }]
        );
    }

    #[test]
    fn a_loop_below_a_comment_leaves_each_of_its_members_at_the_top_level() {
        // x answers y, y answers x, z answers x: none of them reaches a top-level comment.
        let list = [comment("x", Some("y")), comment("y", Some("x")), comment("z", Some("x"))];
        assert_eq!(
            place(&list),
            [Place { root: 0, parent: None }, Place { root: 1, parent: None }, Place { root: 2, parent: None }]
        );
    }

    #[test]
    fn orphans_and_loops_stay_at_the_top_level() {
        let list =
            [comment("a", Some("gone")), comment("b", Some("c")), comment("c", Some("b")), comment("d", Some("d"))];
        let places = place(&list);
        assert_eq!(places[0], Place { root: 0, parent: None }, "unknown parent");
        assert_eq!(places[1].root, 1, "a loop");
        assert_eq!(places[2].root, 2, "a loop");
        assert_eq!(places[3], Place { root: 3, parent: None }, "its own parent");
    }

    #[test]
    fn sorts_have_the_contract_names() {
        for sort in Sort::ALL {
            assert_eq!(Sort::from_name(sort.as_str()), Some(sort));
        }
        assert_eq!(Sort::from_name("best"), None);
    }
}
