//! The frame of every moderation page: its head (the one stylesheet and script), the
//! skip link, the navigation with the page's own link marked, the signed-in moderator's
//! sign-out forms; and the sign-in page.

use maud::{html, Markup, DOCTYPE};

/// The stylesheet of every admin page (served at `/admin/admin.css`: the pages' policy
/// allows no inline style).
pub const STYLE: &str = include_str!("../admin.css");

/// The queue's keyboard shortcuts (served at `/admin/admin.js`; the pages work without).
pub const SCRIPT: &str = include_str!("../admin.js");

/// The pages' navigation: each link, its words, and the title of the page it opens.
const NAV: [(&str, &str, &str); 8] = [
    ("/admin", "Queue", "Queue"),
    ("/admin/reported", "Reported", "Reported comments"),
    ("/admin/rejected", "Rejected", "Rejected comments"),
    ("/admin/comments", "Published", "Published comments"),
    ("/admin/threads", "Threads", "Threads"),
    ("/admin/words", "Blocked words", "Blocked words"),
    ("/admin/bans", "Bans", "Bans"),
    ("/admin/audit", "Audit log", "Audit log"),
];

/// A whole page: its title, the signed-in moderator (with sign-out forms) if any.
pub fn page(title: &str, signed_in: Option<(&str, &str)>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Reader Comments moderation" }
                link rel="stylesheet" href="/admin/admin.css";
                script src="/admin/admin.js" defer {}
            }
            body {
                a class="skip" href="#main" { "Skip to the content" }
                header {
                    h1 { "Reader Comments moderation" }
                    @if let Some((name, csrf)) = signed_in {
                        nav aria-label="Moderation" {
                            ul class="actions nav" {
                                @for (href, words, of) in NAV {
                                    li { a href=(href) aria-current=[(of == title).then_some("page")] { (words) } }
                                }
                            }
                        }
                        div class="actions" {
                            span { "Signed in as " strong { (name) } }
                            form method="post" action="/admin/sign-out" {
                                input type="hidden" name="csrf" value=(csrf);
                                button class="quiet" type="submit" { "Sign out" }
                            }
                            form method="post" action="/admin/sign-out" {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="everywhere" value="1";
                                button class="quiet" type="submit" { "Sign out everywhere" }
                            }
                        }
                    }
                }
                main id="main" tabindex="-1" { (body) }
            }
        }
    }
}

/// The sign-in form, with what went wrong if anything did.
pub fn sign_in(error: Option<&str>) -> Markup {
    page(
        "Sign in",
        None,
        html! {
            h2 { "Sign in" }
            @if let Some(error) = error {
                p class="error" role="alert" { (error) }
            }
            form method="post" action="/admin/sign-in" {
                label for="name" { "Name" }
                input id="name" name="name" type="text" autocomplete="username" required;
                label for="password" { "Password" }
                input id="password" name="password" type="password" autocomplete="current-password" required;
                p { button type="submit" { "Sign in" } }
            }
        },
    )
}
