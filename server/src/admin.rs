//! `/admin`: the newsroom's moderation pages (issue 13), server-rendered, working without
//! JavaScript, on their own paths: the widget's API never reads a cookie.
//!
//! - Moderators are made on the command line (`moderator add NAME`); their passwords are
//!   kept as Argon2id hashes.
//! - Signing in sets one cookie, `__Host-rc-admin` (HttpOnly, Secure, SameSite=Strict,
//!   12 hours); the store keeps only a hash of its token. Browsers keep `Secure` cookies
//!   from `http://localhost` and `http://127.0.0.1`, so the demo works on plain HTTP there;
//!   anywhere else the pages must be served over HTTPS.
//! - Every form carries the session's CSRF token, and a post whose `Origin` is not the
//!   server's own is refused (403) before anything else.
//! - A wrong name or password gets the same answer, after the same work (a hash is
//!   checked even for an unknown name), and a delay that doubles with each failure for
//!   that name (up to 8 s).
//! - Without a session, a page redirects to the sign-in page (303, nothing else shown)
//!   and an action answers 403.

mod actions;
mod answer;
mod history;
mod pages;
mod respond;
mod session;
mod views;

use crate::run::state::AppState;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

/// The moderation pages' routes.
pub fn routes(app: Arc<AppState>) -> Router {
    Router::new()
        .route("/admin", get(views::queue))
        .route("/admin/sign-in", get(session::sign_in_page).post(session::sign_in))
        .route("/admin/actions", post(actions::comments))
        .route("/admin/threads", get(views::threads).post(actions::threads))
        .route("/admin/audit", get(views::audit))
        .route("/admin/words", get(views::words).post(actions::words))
        .route("/admin/bans", get(views::bans).post(actions::bans))
        .route("/admin/comments", get(views::published))
        .route("/admin/reported", get(views::reported))
        .route("/admin/rejected", get(views::rejected))
        .route("/admin/commenter", get(history::page).post(history::decide))
        .route("/admin/account", post(history::account))
        .route("/admin/account/export", get(history::export_account))
        .route("/admin/account/delete", post(history::delete_account))
        .route("/admin/answer", get(answer::page).post(answer::post))
        .route("/admin/sign-out", post(session::sign_out))
        .route("/admin/admin.css", get(views::stylesheet))
        .route("/admin/admin.js", get(views::script))
        .with_state(app)
}
