//! The demo thread's seed: the seed article's five comments, two replies so that the
//! conversation shows, and some recommends.

use crate::rules::time::now_ms;
use crate::store::{NewRow, Parent, Store};
use reader_comments_core::Status;

const SEED: &str = include_str!("../../../fixtures/seed-comments.json");

/// Replies on the demo thread (to the comment at the index, or to the reply before),
/// so that the conversation shows: (answered, author, text, minutes after it).
const SEED_REPLIES: [(usize, &str, &str, i64); 2] = [
    (0, "Meera S", "Agreed. A cousin in Toronto lost her savings to a fake immigration consultant; an officer who can pick up the phone would have helped.", 25),
    (5, "Priyanka N", "Exactly the kind of case I meant. Months of e-mails between two police forces help nobody.", 40),
];
/// How many readers recommend each seed comment.
const SEED_RECOMMENDS: [usize; 5] = [12, 3, 7, 1, 4];

/// Seeds the demo thread `thread`: the seed article's five comments, two replies, recommends.
pub fn seed(db: &Store, thread: &str) -> Result<(), String> {
    let page = reader_comments_core::decode_page(SEED)?;
    let mut stored: Vec<(i64, i64, i64)> = Vec::new(); // (id, top-level id, created)
    for c in page.comments {
        let created = c.created_at.unwrap_or_else(now_ms);
        let new = NewRow {
            thread,
            author: &c.author,
            body: &c.body,
            status: Status::Published,
            created_at: created,
            ..Default::default()
        };
        let row = db.insert_row(&new).map_err(|e| e.to_string())?;
        let id = row.id.parse().unwrap_or_default();
        stored.push((id, id, created));
    }
    for (index, recommends) in SEED_RECOMMENDS.iter().enumerate() {
        for n in 0..*recommends {
            let (id, _, created) = stored[index];
            db.recommend(id, &format!("seed reader {n}"), true, created).map_err(|e| e.to_string())?;
        }
    }
    for (answered, author, body, minutes) in SEED_REPLIES {
        let (parent, root, created) = stored[answered];
        let at = created + minutes * 60_000;
        let new = NewRow {
            thread,
            author,
            body,
            status: Status::Published,
            created_at: at,
            parent: Some(Parent { id: parent, root }),
            ..Default::default()
        };
        let row = db.insert_row(&new).map_err(|e| e.to_string())?;
        stored.push((row.id.parse().unwrap_or_default(), root, at));
    }
    Ok(())
}
