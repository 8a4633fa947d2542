//! Imports from the systems sites leave for us: Disqus' XML export and WordPress' WXR
//! file. Each becomes our threads and comments ([`Moved`]), written by the same
//! all-or-nothing, never-twice import as our own export (transfer.rs).
//!
//! - A thread's key is its Disqus identifier (WordPress: the post's slug) when it has
//!   one, else its link's path without the leading and trailing slashes; characters a
//!   key cannot hold (anything but letters, digits, dots, dashes and underscores: keys
//!   are one segment of the API's path) become dashes. Two sources that would share a
//!   key are refused by name.
//! - Authors, times and replies are kept; bodies become plain text (plain_text.rs).
//!   Deleted, spam and trashed posts are not published: one that replies answer stays
//!   as a deleted comment (no name, no text) so its replies keep their place, the rest
//!   are left out. WordPress' held comments stay held; pingbacks are left out.
//! - No e-mail or IP address is read into anything stored.
//! - The XML is read without a DTD: a file that declares one, or uses an entity other
//!   than XML's five and character references, is refused (no external entity is ever
//!   resolved).

mod xml;

use crate::rules::plain_text::plain_text;
use crate::rules::threads::valid_thread;
use crate::store::Moved;
use reader_comments_core::time::parse_rfc3339;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use xml::{read_tree, Node};

/// A source's thread key (see the module's documentation).
fn thread_key(identifier: &str, link: &str) -> String {
    let path = link.split_once("://").map_or(link, |(_, rest)| rest.split_once('/').map_or("", |(_, path)| path));
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let source = if identifier.trim().is_empty() { path.trim_matches('/') } else { identifier.trim() };
    let mut key = String::new();
    for c in source.chars() {
        let keep = c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        if keep {
            key.push(c);
        } else if !key.ends_with('-') {
            key.push('-');
        }
    }
    let key: String = key.trim_matches('-').trim_start_matches('.').chars().take(128).collect();
    key.trim_end_matches('-').to_string()
}

/// One post as read, before its thread is known to be kept.
struct Post {
    thread: String,
    id: String,
    parent: Option<String>,
    author: String,
    body: String,
    created_at: i64,
    /// "published" or "pending"; `None`: deleted, spam or trashed.
    status: Option<&'static str>,
}

/// What an import from another system brings: the comments, and each thread's key with
/// where it came from (its link and title).
pub struct Brought {
    pub rows: Vec<Moved>,
    pub threads: Vec<(String, String, String)>,
}

/// The posts as rows, each reply after what it answers: a post whose parent is not in
/// the file is top-level; a removed post stays (emptied, "deleted") only when a kept
/// reply is under it.
fn arrange(posts: Vec<Post>) -> Vec<Moved> {
    let index: HashMap<(&str, &str), usize> =
        posts.iter().enumerate().map(|(i, p)| ((p.thread.as_str(), p.id.as_str()), i)).collect();
    let parent_of = |i: usize| {
        let p = &posts[i];
        p.parent.as_deref().and_then(|parent| index.get(&(p.thread.as_str(), parent)).copied()).filter(|&j| j != i)
    };
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); posts.len()];
    let mut roots = Vec::new();
    for i in 0..posts.len() {
        match parent_of(i) {
            Some(j) => children[j].push(i),
            None => roots.push(i),
        }
    }
    // A post is needed when it is kept or a needed post is under it.
    fn needed(i: usize, posts: &[Post], children: &[Vec<usize>], memo: &mut [Option<bool>]) -> bool {
        if let Some(known) = memo[i] {
            return known;
        }
        memo[i] = Some(false);
        let below = children[i].iter().any(|&c| needed(c, posts, children, memo));
        let result = posts[i].status.is_some() || below;
        memo[i] = Some(result);
        result
    }
    let mut memo = vec![None; posts.len()];
    let by_time = |list: &mut Vec<usize>| list.sort_by_key(|&i| (posts[i].created_at, i));
    by_time(&mut roots);
    // Depth first from the oldest root, each post with the parent it is placed under;
    // posts in a loop of parents (no root above them) become top-level.
    let mut order: Vec<(usize, Option<usize>)> = Vec::new();
    let mut visited = HashSet::new();
    let mut rest: Vec<usize> = (0..posts.len()).collect();
    by_time(&mut rest);
    for start in roots.into_iter().chain(rest) {
        let mut stack = vec![(start, None)];
        while let Some((i, parent)) = stack.pop() {
            if visited.contains(&i) || !needed(i, &posts, &children, &mut memo) {
                continue;
            }
            visited.insert(i);
            order.push((i, parent));
            let mut below = children[i].clone();
            by_time(&mut below);
            stack.extend(below.into_iter().rev().map(|c| (c, Some(i))));
        }
    }
    order
        .into_iter()
        .map(|(i, parent)| {
            let p = &posts[i];
            let kept = p.status.is_some();
            Moved {
                thread: p.thread.clone(),
                id: p.id.clone(),
                parent: parent.map(|j| posts[j].id.clone()),
                author: if kept { p.author.clone() } else { String::new() },
                body: if kept { p.body.clone() } else { String::new() },
                created_at: p.created_at,
                status: p.status.unwrap_or("deleted").to_string(),
                ..Moved::default()
            }
        })
        .collect()
}

/// A name, or "Anonymous" for none.
fn name_or_anonymous(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        "Anonymous".to_string()
    } else {
        name.chars().take(200).collect()
    }
}

/// Checks the thread keys: each valid, and no two sources on one key.
fn keyed(threads: &[(String, String, String)]) -> Result<(), String> {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (key, link, _) in threads {
        if !valid_thread(key) {
            return Err(format!("the thread at {link:?} has no identifier or path to make a key of"));
        }
        if let Some(other) = seen.insert(key, link) {
            return Err(format!("{other:?} and {link:?} would both be the thread {key}"));
        }
    }
    Ok(())
}

/// Reads a Disqus export.
pub fn disqus(input: impl BufRead) -> Result<Brought, String> {
    let root = read_tree(input)?;
    if root.name != "disqus" {
        return Err(format!("not a Disqus export (its root element is <{}>, not <disqus>)", root.name));
    }
    let mut keys: HashMap<&str, String> = HashMap::new();
    let mut threads = Vec::new();
    for t in root.all("thread") {
        let (Some(id), link) = (t.attribute("dsq:id"), t.text_of("link")) else { continue };
        let key = thread_key(&t.text_of("id"), &link);
        keys.insert(id, key.clone());
        threads.push((key, link, t.text_of("title")));
    }
    let mut posts = Vec::new();
    for p in root.all("post") {
        let id = p.attribute("dsq:id").ok_or("a post without its dsq:id")?.to_string();
        let thread = p.child("thread").and_then(|t| t.attribute("dsq:id")).and_then(|t| keys.get(t));
        let thread = thread.ok_or(format!("post {id} is in no thread of the file"))?.clone();
        let created_at = parse_rfc3339(&p.text_of("createdAt")).ok_or(format!("post {id} has no time"))?;
        let removed = p.text_of("isDeleted") == "true" || p.text_of("isSpam") == "true";
        let body = plain_text(&p.child("message").map(|m| m.text.clone()).unwrap_or_default(), false);
        let author = p.child("author").map(|a| a.text_of("name")).unwrap_or_default();
        posts.push(Post {
            thread,
            parent: p.child("parent").and_then(|x| x.attribute("dsq:id")).map(str::to_string),
            author: name_or_anonymous(&author),
            status: (!removed && !body.is_empty()).then_some("published"),
            body,
            created_at,
            id,
        });
    }
    let used: HashSet<&str> = posts.iter().map(|p| p.thread.as_str()).collect();
    threads.retain(|(key, _, _)| used.contains(key.as_str()));
    keyed(&threads)?;
    Ok(Brought { rows: arrange(posts), threads })
}

/// A WordPress time ("2026-02-08 09:00:00", UTC for `comment_date_gmt`).
fn wordpress_time(text: &str) -> Option<i64> {
    parse_rfc3339(&format!("{}Z", text.trim().replacen(' ', "T", 1)))
}

/// Reads a WordPress export (WXR).
pub fn wordpress(input: impl BufRead) -> Result<Brought, String> {
    let root = read_tree(input)?;
    let channel =
        root.child("channel").filter(|_| root.name == "rss").ok_or("not a WordPress export (no <rss><channel>)")?;
    let (mut threads, mut posts) = (Vec::new(), Vec::new());
    for item in channel.all("item") {
        let comments: Vec<&Node> = item.all("wp:comment").collect();
        if comments.is_empty() {
            continue;
        }
        let link = item.text_of("link");
        let key = thread_key(&item.text_of("wp:post_name"), &link);
        threads.push((key.clone(), link, item.text_of("title")));
        for c in comments {
            let id = c.text_of("wp:comment_id");
            if !matches!(c.text_of("wp:comment_type").as_str(), "" | "comment") {
                continue;
            }
            let time = wordpress_time(&c.text_of("wp:comment_date_gmt"))
                .filter(|t| *t > 0)
                .or_else(|| wordpress_time(&c.text_of("wp:comment_date")));
            let created_at = time.ok_or(format!("comment {id} has no time"))?;
            let body = plain_text(&c.text_of("wp:comment_content"), true);
            let status = match c.text_of("wp:comment_approved").as_str() {
                "1" | "approve" => Some("published"),
                "0" | "hold" => Some("pending"),
                _ => None,
            };
            let parent = c.text_of("wp:comment_parent");
            posts.push(Post {
                thread: key.clone(),
                parent: (!parent.is_empty() && parent != "0").then_some(parent),
                author: name_or_anonymous(&c.text_of("wp:comment_author")),
                status: status.filter(|_| !body.is_empty()),
                body,
                created_at,
                id,
            });
        }
    }
    keyed(&threads)?;
    Ok(Brought { rows: arrange(posts), threads })
}

#[cfg(test)]
mod tests {
    use super::thread_key;

    #[test]
    fn a_key_is_the_identifier_or_the_links_path_in_a_keys_alphabet() {
        assert_eq!(thread_key("article-42", "https://news.example/x/"), "article-42");
        assert_eq!(thread_key("", "https://news.example/2026/02/liaison-officers/"), "2026-02-liaison-officers");
        assert_eq!(thread_key("  ", "https://news.example/a/b?utm=1#c"), "a-b");
        assert_eq!(thread_key("news/2026 story!", ""), "news-2026-story");
        assert_eq!(thread_key("", "https://news.example/"), "");
    }
}
