//! Comments without JavaScript (api/plain.rs), against the application in-process on a
//! real store: the thread as an HTML fragment (published comments only, as text, with
//! schema.org markup, kept and revalidated like the JSON), and a plain form's post by
//! the same rules as the widget's (origin, honeypot, holds, rate limit), answered with
//! a redirect to the article, a page, or the form again with the reader's words.

mod common;
use common::*;
use serde_json::json;

const SITE: &str = "https://news.example";
const ARTICLE: &str = "https://news.example/2026/12/liaison-office?utm=x";
const BODY: &str = "A comment that is comfortably longer than the fifty character minimum.";
const HTML: (&str, &str) = ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
const LIST: &str = "/api/threads/t/comments";

fn app(name: &str) -> App {
    App::new(name, |s| s.allow_origins = vec![SITE.into()])
}

async fn fragment(app: &App, query: &str) -> Response {
    let r = app.send("GET", &format!("{LIST}{query}"), &[HTML], b"").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    r
}

async fn post_form(app: &App, pairs: &[(&str, &str)], origin: Option<&str>) -> Response {
    let mut headers = vec![FORM];
    if let Some(origin) = origin {
        headers.push(("Origin", origin));
    }
    app.send("POST", LIST, &headers, &form(pairs)).await
}

#[tokio::test]
async fn the_fragment_shows_published_comments_as_text_with_schema_org_and_never_a_held_or_deleted_one() {
    let app = app("plain-fragment");
    let hostile = format!("<script>alert(1)</script> & \"quotes\" — {BODY}");
    let first = app.post("t", &comment("Asha <b>Rao</b>", &hostile), None).await;
    assert_eq!(first.status, 201);
    let first_id = first.json()["id"].as_str().expect("an id").to_string();
    let reply = json!({"author": "Ravi Kumar", "body": format!("{BODY} (a reply)"), "parent_id": first_id}).to_string();
    assert_eq!(app.post("t", &reply, None).await.status, 201);
    let held = app.post("t", &comment("Linker", &format!("{BODY} https://example.com/held")), None).await;
    assert_eq!(held.status, 202);
    let gone = app.post("t", &comment("Gone Person", &format!("{BODY} (to be deleted)")), None).await;
    let gone_id = gone.json()["id"].as_str().expect("an id").to_string();
    let gone_reply = json!({"author": "Stays", "body": format!("{BODY} (under a deleted one)"), "parent_id": gone_id});
    assert_eq!(app.post("t", &gone_reply.to_string(), None).await.status, 201);
    let out = command(&app.db, &["delete", &gone_id], None);
    assert!(out.status.success());

    let r = fragment(&app, &format!("?article={}", url_encode(ARTICLE))).await;
    let page = &r.body;
    assert!(r.header("vary").is_some_and(|v| v.contains("Accept")), "{:?}", r.header("vary"));
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"),
        "the body is text: {page}"
    );
    assert!(!page.contains("<script>") && !page.contains("<b>Rao"), "nothing a reader wrote is markup");
    assert!(page.contains("Asha &lt;b&gt;Rao&lt;/b&gt;"));
    assert!(page.contains(r#"itemtype="https://schema.org/Comment""#));
    assert!(page.contains(r#"itemprop="author""#) && page.contains(r#"itemprop="dateCreated" datetime=""#));
    assert!(page.contains(r#"itemprop="comment""#), "the reply is the comment's comment");
    assert!(page.contains("(a reply)") && page.contains("(under a deleted one)"));
    assert!(!page.contains("example.com/held") && !page.contains("Linker"), "a held comment is never in it");
    assert!(!page.contains("(to be deleted)") && !page.contains("Gone Person"), "nor a deleted one's name or text");
    assert!(page.contains("This comment was deleted"));
    // The form: posts here, goes back to the article (without its fragment), a honeypot.
    assert!(page.contains(r#"<form class="rc-static__form" method="post" action=""#));
    assert!(page.contains(r#"name="return" value="https://news.example/2026/12/liaison-office?utm=x""#));
    assert!(page.contains(r#"name="website""#) && page.contains("Minimum 50 characters"));
    // Kept and revalidated like the JSON; the JSON itself is unchanged and varies too.
    let tag = r.header("etag").expect("an ETag").to_string();
    let again = app
        .send("GET", &format!("{LIST}?article={}", url_encode(ARTICLE)), &[HTML, ("If-None-Match", &tag)], b"")
        .await;
    assert_eq!(again.status, 304);
    let as_json = app.get(LIST).await;
    assert_eq!(as_json.header("content-type"), Some("application/json"));
    assert!(as_json.header("vary").is_some_and(|v| v.contains("Accept")));
    assert_eq!(as_json.json()["comments"].as_array().map(Vec::len), Some(2));
    // Another article address than the site's is not a place to go back to.
    let elsewhere = fragment(&app, &format!("?article={}", url_encode("https://evil.example/x"))).await;
    assert!(!elsewhere.body.contains("evil.example"));
}

#[tokio::test]
async fn a_plain_forms_post_is_published_and_goes_back_to_the_article_at_the_comment() {
    let app = app("plain-post");
    let r =
        post_form(&app, &[("author", "अनीता"), ("body", BODY), ("website", ""), ("return", ARTICLE)], Some(SITE)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let listed = app.all_comments("t").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["author"], json!("अनीता"));
    let id = listed[0]["id"].as_str().expect("an id");
    assert_eq!(r.header("location"), Some(format!("{ARTICLE}#comment-{id}").as_str()));
    // The next fragment has it (the kept page was dropped by the write).
    assert!(fragment(&app, "").await.body.contains(&format!(r#"id="comment-{id}""#)));
    // Without an article of the site's to go back to: a page that says it.
    let r =
        post_form(&app, &[("author", "Ravi"), ("body", BODY), ("return", "https://evil.example/")], Some(SITE)).await;
    assert_eq!(r.status, 201);
    assert!(r.body.contains("Thank you. Your comment has been posted.") && !r.body.contains("evil.example"));
}

#[tokio::test]
async fn a_refused_plain_post_comes_back_with_the_readers_words_and_why() {
    let app = App::new("plain-refused", |s| {
        s.allow_origins = vec![SITE.into()];
        s.rate = reader_comments_server::parse_rate("2/min").expect("a rate");
    });
    // Too short: the form again, 422, the name and text kept (as text), the reason.
    let short = "Too short <b>still</b> mine";
    let r = post_form(&app, &[("author", "Asha"), ("body", short), ("return", ARTICLE)], Some(SITE)).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Too short &lt;b&gt;still&lt;/b&gt; mine</textarea>"), "{}", r.body);
    assert!(r.body.contains(r#"value="Asha""#));
    assert!(r.body.contains(r#"role="alert""#) && r.body.contains("50"), "{}", r.body);
    assert!(r.body.contains(r#"href="https://news.example/2026/12/liaison-office?utm=x""#), "a way back");
    assert_eq!(app.all_comments("t").await.len(), 0);
    // Held (a link): a page that says a moderator reviews it.
    let linked = format!("{BODY} https://example.com/x");
    let r = post_form(&app, &[("author", "Asha"), ("body", &linked), ("return", ARTICLE)], Some(SITE)).await;
    assert_eq!(r.status, 202);
    assert!(r.body.contains("Your comment is awaiting moderation"), "{}", r.body);
    // The honeypot: answered alike, nothing stored.
    let r = post_form(&app, &[("author", "Bot"), ("body", BODY), ("website", "http://spam")], Some(SITE)).await;
    assert_eq!(r.status, 202);
    assert!(!store_holds(&app.db, "http://spam") && !store_holds(&app.db, "Bot"));
    // Past the allowance (two a minute, the honeypot's counted): the words come back.
    let r = post_form(&app, &[("author", "Asha"), ("body", BODY)], Some(SITE)).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains(BODY) && r.body.contains(r#"role="alert""#));
    // Another site's form: refused before anything is read.
    let r = post_form(&app, &[("author", "Asha"), ("body", BODY)], Some("https://evil.example")).await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn a_closed_thread_has_no_form_and_a_plain_post_to_it_keeps_the_words() {
    let app = app("plain-closed");
    assert_eq!(app.post("t", &comment("Asha", BODY), None).await.status, 201);
    assert!(command(&app.db, &["close", "t"], None).status.success());
    let page = fragment(&app, "").await.body;
    assert!(page.contains("Comments on this article are closed.") && !page.contains("<form"));
    let r = post_form(&app, &[("author", "Ravi"), ("body", BODY)], Some(SITE)).await;
    assert!(r.status >= 400 && r.status < 500, "{}", r.status);
    assert!(r.body.contains(BODY) && r.body.contains(r#"role="alert""#), "{}", r.body);
}

#[tokio::test]
async fn the_fragment_and_its_answers_speak_the_language_the_site_asks_for() {
    let app = app("plain-languages");
    assert_eq!(app.post("t", &comment("عائشہ Rao", BODY), None).await.status, 201);
    // Urdu: right to left, the widget's words, the name isolated, the language carried.
    let page = fragment(&app, "?locale=ur-PK").await.body;
    assert!(page.contains(r#"lang="ur" dir="rtl""#), "{page}");
    assert!(page.contains("قارئین کے تبصرے") && page.contains("تبصرہ بھیجیں"), "{page}");
    assert!(page.contains(r#"<bdi itemprop="name">عائشہ Rao</bdi>"#), "{page}");
    assert!(page.contains(r#"name="locale" value="ur""#));
    // Bengali: its digits in the hint; a language without a file: English.
    assert!(fragment(&app, "?locale=bn").await.body.contains("কমপক্ষে ৫০টি অক্ষর"));
    let english = fragment(&app, "?locale=fr").await.body;
    assert!(english.contains(r#"lang="en" dir="ltr""#) && english.contains("Minimum 50 characters"));
    // Each language is kept apart (the page cache's key has it).
    assert!(fragment(&app, "?locale=ur").await.body.contains("قارئین کے تبصرے"));
    // A refused post comes back in the form's language: Hindi, with its count.
    let short = "यह टिप्पणी छोटी है";
    let r = post_form(&app, &[("author", "आशा"), ("body", short), ("locale", "hi")], Some(SITE)).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r#"<html lang="hi" dir="ltr">"#), "{}", r.body);
    assert!(r.body.contains("और अक्षर जोड़ें") && r.body.contains("आपकी टिप्पणी नहीं भेजी जा सकी।"), "{}", r.body);
    assert!(r.body.contains(short), "the words are kept");
    // Held, in Arabic.
    let linked = format!("{BODY} https://example.com/x");
    let r = post_form(&app, &[("author", "Asha"), ("body", &linked), ("locale", "ar")], Some(SITE)).await;
    assert_eq!(r.status, 202);
    assert!(r.body.contains(r#"dir="rtl""#) && r.body.contains("تعليقك بانتظار المراجعة"), "{}", r.body);
}

#[tokio::test]
async fn a_form_sent_twice_is_stored_once_and_both_go_back_to_the_same_comment() {
    let app = app("plain-twice");
    let pairs = [("author", "Asha"), ("body", BODY), ("return", ARTICLE)];
    // One after the other (a reload that posts the form again).
    let first = post_form(&app, &pairs, Some(SITE)).await;
    let again = post_form(&app, &pairs, Some(SITE)).await;
    assert_eq!((first.status, again.status), (303, 303), "{}", again.body);
    assert_eq!(first.header("location"), again.header("location"));
    // At once (a double click): the second waits for the first and answers alike.
    let other = [("author", "Ravi"), ("body", BODY), ("return", ARTICLE)];
    let (a, b) = tokio::join!(post_form(&app, &other, Some(SITE)), post_form(&app, &other, Some(SITE)));
    assert_eq!((a.status, b.status), (303, 303), "{} {}", a.body, b.body);
    assert_eq!(a.header("location"), b.header("location"));
    let stored = app.all_comments("t").await;
    assert_eq!(stored.len(), 2, "one comment each: {stored:?}");
    // Different words from the same reader are another comment.
    let more = format!("{BODY} And a second thought.");
    let r = post_form(&app, &[("author", "Asha"), ("body", &more), ("return", ARTICLE)], Some(SITE)).await;
    assert_eq!(r.status, 303);
    assert_ne!(r.header("location"), first.header("location"));
    assert_eq!(app.all_comments("t").await.len(), 3);
}
