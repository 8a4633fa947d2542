//! `POST /api/threads/{thread}/comments`: adds a comment or a reply (contracts v1 and
//! v1.1, docs/contract.md), or replays the answer to its idempotency key. The handler
//! reads as the contract's steps.

use super::checks::{account_allowed, charged, json_response, not_banned, still_open};
use super::extract::{ChangeThread, ClientIp, JsonObject, Posted, Reader, SignedIn};
use super::plain;
use super::words::Words;
use crate::error::{blocking, Error};
use crate::problem::Problem;
use crate::rules::accounts::Account;
use crate::rules::bans::client_hash;
use crate::rules::holding;
use crate::rules::idempotency::{self, fingerprint};
use crate::rules::plain_text::one_line;
use crate::rules::time::now_ms;
use crate::rules::tokens::new_token;
use crate::run::limits::Allowance;
use crate::run::state::{origin_of, AppState};
use crate::store::{token_hash, Article, NewRow, Parent, PostKey, WriteError};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use reader_comments_core::validate::normalize;
use reader_comments_core::{validate_comment, Comment, FieldError, Limits, Status};
use serde_json::{json, Value};
use std::net::IpAddr;
use std::sync::Arc;

/// The answer to an accepted post: 201 when published, 202 when held, with the
/// comment's edit token (contract v1.1), given only here.
fn posted(comment: &Comment, edit_token: &str) -> Response {
    let status = if comment.status == Status::Pending { StatusCode::ACCEPTED } else { StatusCode::CREATED };
    let mut body = json!(comment);
    body["edit_token"] = json!(edit_token);
    json_response(status, body)
}

/// The answer to a post whose idempotency key was used before: the first answer again
/// (with a new edit token, whose hash replaces the first one's), 422 when the key came
/// with another comment, `None` when the key is new. Blocking: on a worker thread.
fn replayed(app: &AppState, thread: &str, key: &str, print: &str, hash: &str) -> Result<Option<Comment>, Error> {
    let Some(replay) = app.db.replay(thread, key)? else { return Ok(None) };
    if replay.fingerprint != print {
        return Err(idempotency::reused().into());
    }
    // Only the hash of the first answer's token is stored: the replay (which only the
    // holder of the key can ask for) gets a new one, replacing it.
    app.db.set_token(replay.comment.id.parse::<i64>().unwrap_or_default(), hash)?;
    Ok(Some(replay.comment))
}

/// A new edit token and the hash the store keeps of it.
fn new_edit_token() -> Result<(String, String), Error> {
    let token = new_token().ok_or(Error::Internal("no randomness for an edit token"))?;
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// A new comment as the reader sent it, checked against the contract's rules and
/// normalised for storage.
#[derive(Clone)]
struct NewComment {
    author: String,
    body: String,
    /// The comment it answers, as sent (contract v1.1).
    parent: Option<String>,
    /// The field people never see was filled: a bot.
    honeypot: bool,
    /// The article it was written under (contract v1.2), when the widget said.
    article: Option<Article>,
    /// The signed-in reader's account: the comment is theirs, under its name.
    account: Option<Account>,
    /// The reader asks to be told by e-mail of replies and decisions (contract v1.3).
    notify: bool,
}

impl NewComment {
    /// A signed-in reader posts under the account's name, whatever `author` says.
    fn read(doc: &JsonObject, account: Option<Account>) -> Result<NewComment, Problem> {
        let author = match &account {
            Some(account) => account.name.clone(),
            None => doc.text("author")?,
        };
        let body = doc.text("body")?;
        let parent = match doc.0.get("parent_id") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => return Err(parent_not_found()),
        };
        let errors = validate_comment(&author, &body, Limits::default());
        if !errors.is_empty() {
            let hostile = errors.iter().any(|e| matches!(e.code, "control_characters" | "stacked_marks"));
            let status = if hostile { StatusCode::BAD_REQUEST } else { StatusCode::UNPROCESSABLE_ENTITY };
            return Err(Problem::invalid(status, errors));
        }
        let honeypot = !doc.text("website")?.trim().is_empty();
        let article = article_of(doc);
        let notify = doc.0.get("notify").and_then(Value::as_bool).unwrap_or(false);
        Ok(NewComment {
            author: normalize(&author),
            body: normalize(&body),
            parent,
            honeypot,
            article,
            account,
            notify,
        })
    }
}

/// The article sent with a post (contract v1.2: `"article": {"title", "url"}`): the
/// headline as one line of at most 300 characters, the address when it is http(s) and at
/// most 2,000 characters (whether it is on the site's origins is checked by
/// [`on_site`]). Anything else in it is ignored: it is context for moderators, never a
/// reason to refuse a comment.
fn article_of(doc: &JsonObject) -> Option<Article> {
    let sent = doc.0.get("article")?.as_object()?;
    let text = |name: &str| sent.get(name).and_then(Value::as_str);
    let title = text("title").map(|t| one_line(t, 300)).filter(|t| !t.is_empty());
    let url = text("url").map(str::trim).filter(|u| u.len() <= 2000 && origin_of(u).is_some()).map(String::from);
    (title.is_some() || url.is_some()).then_some(Article { title, url })
}

/// The article with its address kept only when it is on one of the site's origins (an
/// allowed origin, or this server's own): another site's address is dropped.
fn on_site(app: &AppState, mut article: Article) -> Option<Article> {
    article.url = article.url.filter(|url| app.on_site(url));
    (article.title.is_some() || article.url.is_some()).then_some(article)
}

/// The 422 of a reply to a comment that is unknown, held, deleted or in another thread.
fn parent_not_found() -> Problem {
    let error = FieldError { field: "parent_id", code: "not_found", amount: None, limit: None };
    Problem::invalid(StatusCode::UNPROCESSABLE_ENTITY, vec![error])
}

/// The comment a reply answers and the top-level comment it sits under. Blocking.
fn find_parent(app: &AppState, thread: &str, parent: &str) -> Result<Parent, Error> {
    let Some(id) = parent.parse::<i64>().ok().filter(|id| *id > 0) else { return Err(parent_not_found().into()) };
    match app.db.find(thread, id)? {
        Some(found) if found.comment.status == Status::Published => Ok(Parent { id, root: found.root.unwrap_or(id) }),
        _ => Err(parent_not_found().into()),
    }
}

/// What became of a post: the comment and its edit token (a new one for a replay).
enum Accepted {
    /// The comment an idempotency key used before stored, again.
    Replayed(Comment, String),
    /// Stored (or, for a bot, answered as if held).
    New(Comment, String),
}

/// `POST`: stores a comment (or replays the answer to its idempotency key); a plain
/// form's post (comments without JavaScript) is answered in HTML ([`from_form`]).
pub async fn create(
    State(app): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    ChangeThread(thread): ChangeThread,
    Reader(reader): Reader,
    SignedIn(account): SignedIn,
    headers: HeaderMap,
    body: Result<Posted, Problem>,
) -> Result<Response, Error> {
    match body? {
        Posted::Json(doc) => {
            // Only a post that would be stored spends the client's allowance: a refused
            // one (a malformed body) must not lock the reader out, nor may the replay of
            // one already stored.
            let new = NewComment::read(&doc, account)?;
            let key = idempotency::key_from(&headers)?;
            Ok(match accept(&app, client, thread, reader, new, key).await? {
                Accepted::Replayed(comment, token) | Accepted::New(comment, token) => posted(&comment, &token),
            })
        }
        Posted::Form(doc) => Ok(from_form(&app, client, thread, (reader, account), &doc).await),
    }
}

/// How many times (every 100 ms) a form sent again waits for the first to be stored.
const FORM_WAITS: u32 = 50;

/// A plain form's idempotency key. The form is the same for every reader (the fragment
/// is cached), so it cannot carry one: the key is made from who sends it (the client's
/// hash of this period, as bans and limits know it) and what it says, so a form sent
/// twice (a double click, a reload that posts again) is stored once and answered alike.
fn form_key(app: &AppState, client: IpAddr, new: &NewComment) -> String {
    let sender = client_hash(&app.db, client, now_ms(), 0);
    let what = json!([sender, new.author, new.body, new.parent]).to_string();
    format!("form-{}", app.db.keyed_hash("plain form post", &what))
}

/// A plain form's post, by the same rules: a published comment goes back to the
/// article (303, at the comment), a held one gets a page that says so, and a refused
/// one the form again with the reader's words and the reason (api/plain.rs).
async fn from_form(
    app: &Arc<AppState>,
    client: IpAddr,
    thread: String,
    (reader, account): (Option<String>, Option<Account>),
    doc: &JsonObject,
) -> Response {
    let back = doc.text("return").ok().and_then(|url| plain::on_site(app, &url));
    let words = Words::for_locale(doc.text("locale").ok().as_deref());
    let result = match NewComment::read(doc, account) {
        Ok(new) => {
            let key = form_key(app, client, &new);
            let mut tries = 0;
            loop {
                let result = accept(app, client, thread.clone(), reader.clone(), new.clone(), Some(key.clone())).await;
                // The same form, sent again while the first is being stored (a double
                // click): wait for the first, then answer as it was answered.
                let in_flight = matches!(&result, Err(Error::Refused(p)) if p.said().0 == StatusCode::CONFLICT);
                if !in_flight || tries == FORM_WAITS {
                    break result;
                }
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
        Err(refused) => Err(refused.into()),
    };
    let html = |status: StatusCode, text: String| {
        let mut page = (status, text).into_response();
        let out = page.headers_mut();
        out.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        page
    };
    match result {
        Ok(Accepted::New(comment, _) | Accepted::Replayed(comment, _)) if comment.status == Status::Published => {
            let to = back.and_then(|back| HeaderValue::from_str(&format!("{back}#comment-{}", comment.id)).ok());
            match to {
                Some(to) => {
                    let mut moved = StatusCode::SEE_OTHER.into_response();
                    moved.headers_mut().insert(header::LOCATION, to);
                    moved.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                    moved
                }
                None => html(StatusCode::CREATED, plain::published_page(words)),
            }
        }
        Ok(_) => html(StatusCode::ACCEPTED, plain::held_page(back.as_deref(), words)),
        Err(failed) => {
            let (status, message) = match failed {
                // A refused field in the reader's language; another refusal (a rate
                // limit, a closed thread) in the server's words.
                Error::Refused(problem) => {
                    let (status, said) = problem.said();
                    let fields: Vec<String> = problem.field_errors().iter().map(|e| words.field_error(e)).collect();
                    (status, if fields.is_empty() { said.to_string() } else { fields.join(". ") })
                }
                // Logged as every failure is; the reader is told to try again.
                other => (other.into_response().status(), words.get(&crate::api::words::TRY_AGAIN).to_string()),
            };
            let kept = plain::Kept {
                author: doc.text("author").unwrap_or_default(),
                body: doc.text("body").unwrap_or_default(),
                message: Some(message),
            };
            html(status, plain::again_page(app, &thread, back.as_deref(), &kept, words))
        }
    }
}

/// Stores a new comment by the contract's steps (or replays the answer to its key).
async fn accept(
    app: &Arc<AppState>,
    client: IpAddr,
    thread: String,
    reader: Option<String>,
    new: NewComment,
    key: Option<String>,
) -> Result<Accepted, Error> {
    let (token, token_hash) = new_edit_token()?;
    if new.honeypot {
        charged(app, client, Allowance::Posts).await?;
        // Answer as if held, store nothing.
        let decoy = Comment {
            id: format!("h{}", now_ms()),
            author: new.author,
            body: new.body,
            created_at: Some(now_ms()),
            status: Status::Pending,
            parent_id: new.parent,
            ..Comment::default()
        };
        return Ok(Accepted::New(decoy, token));
    }
    let _claim = key.as_deref().map(|k| app.in_flight.claim(&thread, k)).transpose()?;
    // Every step that asks the store, in one turn of a worker thread (each turn is a
    // wake-up of another thread: at a few thousand posts a second they add up).
    let worker = app.clone();
    let (answer, held) = blocking(move || {
        let app = &*worker;
        let parent = new.parent.as_deref().map(|p| find_parent(app, &thread, p)).transpose()?;
        // A signed-in post's key belongs to its account too.
        let print = match (parent, &new.account) {
            (parent, Some(account)) => json!([new.author, new.body, parent.map(|p| p.id), account.id]).to_string(),
            (None, None) => fingerprint(&new.author, &new.body),
            (Some(parent), None) => json!([new.author, new.body, parent.id]).to_string(),
        };
        if let Some(key) = key.as_deref() {
            if let Some(comment) = replayed(app, &thread, key, &print, &token_hash)? {
                return Ok((Accepted::Replayed(comment, token), None));
            }
        }
        still_open(app, &thread)?;
        not_banned(app, client)?;
        if let Some(account) = &new.account {
            account_allowed(app, &account.id)?;
        }
        app.charge(Allowance::Posts, client)?;
        let client = client_hash(&app.db, client, now_ms(), 0);
        let reason = holding::reason(
            &app.db,
            app.settings.moderation,
            (&new.author, &new.body),
            (reader.as_deref(), Some(&client)),
            app.settings.trust_after,
        )?;
        let status = if reason.is_some() { Status::Pending } else { Status::Published };
        let stored = app.db.insert_row(&NewRow {
            thread: &thread,
            author: &new.author,
            body: &new.body,
            status,
            created_at: now_ms(),
            parent,
            token_hash: Some(token_hash.clone()),
            idempotency: key.as_deref().map(|key| PostKey { key, fingerprint: &print }),
            client: Some(client),
            reader,
            held_for: reason.as_ref().map(|hold| hold.why.as_str()),
            // A reader's post is never the staff's, whatever it says: only a token the
            // site signed with the staff role makes it so.
            staff: new.account.as_ref().is_some_and(|a| a.staff),
            account: new.account.as_ref().map(|a| a.id.as_str()),
        });
        let comment = match (stored, key.as_deref()) {
            // Another instance stored a post with this key meanwhile: its answer, replayed.
            (Err(WriteError::Duplicate), Some(key)) => {
                return match replayed(app, &thread, key, &print, &token_hash)? {
                    Some(comment) => Ok((Accepted::Replayed(comment, token), None)),
                    None => Err(Error::Write(WriteError::Duplicate)),
                };
            }
            (stored, _) => stored?,
        };
        // Asked to be told, with a verified address the site's token gives: kept (only then).
        if let (true, Some(Account { id, email: Some(email), .. }), Some(_)) =
            (new.notify, &new.account, &app.settings.mail)
        {
            if let Err(e) = app.db.subscribe(id, email, now_ms()) {
                tracing::warn!("a reader's e-mail subscription was not recorded: {e}");
            }
        }
        if let Some(article) = new.article.and_then(|a| on_site(app, a)) {
            // Context for moderators: a failure to record it loses no comment.
            if let Err(e) = app.db.set_article(&thread, &article) {
                tracing::warn!(thread = %thread, "the article's headline was not recorded: {e}");
            }
        }
        let held = reason.map(|hold| (thread, comment.clone(), hold.webhook));
        Ok::<_, Error>((Accepted::New(comment, token), held))
    })
    .await??;
    if let (Some(webhook), Some((thread, comment, why))) = (&app.webhook, held) {
        webhook.held(&thread, &comment, why);
    }
    Ok(answer)
}
