//! Component tests in headless Chromium (wasm-bindgen-test): mount a widget into a fresh
//! element, act as a reader would, and read the DOM. Endpoints are real browser fetches
//! of Blob URLs holding the fixture JSON; posting to a Blob URL is refused by the
//! browser, which is what an unreachable endpoint looks like.

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use reader_comments::config::{self, Config};
use reader_comments::CommentSection;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &str = include_str!("../fixtures/seed-comments.json");
const XSS: &str = include_str!("../fixtures/xss-payloads.json");

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().expect("window").set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits up to 5 s for `check` to hold.
async fn until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..250 {
        if check() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for: {what}");
}

/// A URL the browser serves `body` from, with a content type.
fn blob_url(body: &str, mime: &str) -> String {
    let parts = js_sys::Array::of1(&body.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).expect("blob");
    web_sys::Url::create_object_url_with_blob(&blob).expect("object url")
}

fn config_for(endpoint: &str) -> Config {
    config_with(endpoint, &[])
}

/// A configuration with more attributes than the endpoint.
fn config_with(endpoint: &str, attributes: &[(&str, &str)]) -> Config {
    let mut all: Vec<(String, String)> = attributes.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    all.push(("endpoint".into(), endpoint.into()));
    let lookup = move |name: &str| all.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    config::parse(lookup, "en", reader_comments::json::parse).expect("valid config")
}

/// Mounts a widget into a new element of the page and returns that element.
fn mount(config: Config) -> HtmlElement {
    let host: HtmlElement = document().create_element("div").expect("div").dyn_into().expect("html element");
    document().body().expect("body").append_child(&host).expect("append");
    let handle = leptos::mount::mount_to(host.clone(), move || view! { <CommentSection config /> });
    handle.forget();
    host
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("selector");
    (0..nodes.length()).filter_map(|i| nodes.item(i)).map(|n| n.text_content().unwrap_or_default()).collect()
}

fn text(root: &Element, selector: &str) -> String {
    texts(root, selector).join("|")
}

/// Whether the element is on the page and not hidden.
fn is_shown(root: &Element, selector: &str) -> bool {
    root.query_selector(selector).ok().flatten().is_some_and(|e| !e.has_attribute("hidden"))
}

fn textarea(root: &Element) -> HtmlTextAreaElement {
    root.query_selector("textarea").ok().flatten().expect("a textarea").dyn_into().expect("textarea")
}

fn type_into_textarea(root: &Element, value: &str) {
    let area = textarea(root);
    area.set_value(value);
    area.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
}

fn type_name(root: &Element, value: &str) {
    let input: HtmlInputElement =
        root.query_selector("input[name=author]").ok().flatten().expect("name input").dyn_into().expect("input");
    input.set_value(value);
    input.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
}

fn click_submit(root: &Element) {
    let button: HtmlElement =
        root.query_selector("button[type=submit]").ok().flatten().expect("submit").dyn_into().expect("button");
    button.click();
}

#[wasm_bindgen_test]
async fn the_seed_comments_render_with_their_initials_names_and_text() {
    let host = mount(config_for(&blob_url(SEED, "application/json")));
    until("five comments", || texts(&host, ".rc-comment").len() == 5).await;
    assert_eq!(texts(&host, ".rc-avatar"), ["P", "A", "S", "V", "K"]);
    assert_eq!(texts(&host, ".rc-comment__author")[0], "Priyanka N");
    assert!(text(&host, ".rc-comment__body").contains("Cooperation on cybersecurity is crucial."));
    assert_eq!(text(&host, ".rc-heading"), "Reader Comments (5)");
    let avatar = host.query_selector(".rc-avatar").ok().flatten().expect("avatar");
    assert_eq!(avatar.get_attribute("aria-hidden").as_deref(), Some("true"));
    let time = host.query_selector("time").ok().flatten().expect("a time element");
    assert_eq!(time.get_attribute("datetime").as_deref(), Some("2026-02-08T09:12:00Z"));
}

#[wasm_bindgen_test]
async fn the_counter_follows_typing_by_visible_characters() {
    let host = mount(config_for(&blob_url("[]", "application/json")));
    until("the form", || host.query_selector("textarea").ok().flatten().is_some()).await;
    assert_eq!(text(&host, ".rc-counter"), "0/50");
    assert_eq!(text(&host, ".rc-hint"), "Minimum 50 characters");
    type_into_textarea(&host, &"a".repeat(49));
    until("49/50", || text(&host, ".rc-counter") == "49/50").await;
    type_into_textarea(&host, &"a".repeat(50));
    until("50/50", || text(&host, ".rc-counter") == "50/50").await;
    let counter = host.query_selector(".rc-counter").ok().flatten().expect("counter");
    assert!(counter.class_name().contains("rc-counter--reached"));
    type_into_textarea(&host, "👨\u{200D}👩\u{200D}👧\u{200D}👦 नमस्ते");
    until("family + namaste = 5", || text(&host, ".rc-counter") == "5/50").await;
    type_into_textarea(&host, &format!("a{}", "\u{200B}".repeat(49)));
    until("zero-width padding = 1", || text(&host, ".rc-counter") == "1/50").await;
}

#[wasm_bindgen_test]
async fn the_count_is_announced_politely_only_after_a_pause() {
    let host = mount(config_for(&blob_url("[]", "application/json")));
    until("the form", || host.query_selector("textarea").ok().flatten().is_some()).await;
    let live = || text(&host, "form [aria-live=polite]");
    type_into_textarea(&host, "abc");
    sleep(300).await;
    type_into_textarea(&host, "abcd");
    sleep(300).await;
    assert_eq!(live(), "", "announced while the reader was still typing");
    until("announcement after the pause", || live() == "You need 46 more characters").await;
}

#[wasm_bindgen_test]
async fn forty_nine_characters_are_refused_next_to_the_field_and_never_sent() {
    let host = mount(config_for(&blob_url("[]", "application/json")));
    until("the form", || host.query_selector("textarea").ok().flatten().is_some()).await;
    type_name(&host, "Priyanka N");
    type_into_textarea(&host, &"a".repeat(49));
    click_submit(&host);
    until("the error", || text(&host, ".rc-error").contains("Add 1 more character")).await;
    let area = textarea(&host);
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = area.get_attribute("aria-describedby").unwrap_or_default();
    let error_id = host.query_selector(".rc-error").ok().flatten().map(|e| e.id()).unwrap_or_default();
    assert!(described.split(' ').any(|id| id == error_id), "{described} lacks {error_id}");
    sleep(200).await;
    // Had it been sent, the Blob endpoint would have refused the POST with a message.
    assert_eq!(text(&host, ".rc-fail"), "");
    assert_eq!(area.value(), "a".repeat(49), "the draft stays in the field");
}

#[wasm_bindgen_test]
async fn a_missing_name_is_refused() {
    let host = mount(config_for(&blob_url("[]", "application/json")));
    until("the form", || host.query_selector("textarea").ok().flatten().is_some()).await;
    type_into_textarea(&host, &"b".repeat(60));
    click_submit(&host);
    until("the name error", || text(&host, ".rc-error").contains("Enter your name")).await;
}

#[wasm_bindgen_test]
async fn an_unreachable_endpoint_fails_the_post_clearly_and_keeps_the_draft() {
    let endpoint = blob_url("[]", "application/json");
    let host = mount(config_for(&endpoint));
    until("the form", || host.query_selector("textarea").ok().flatten().is_some()).await;
    let body = "I read the whole article and I think the liaison officers are a good idea.";
    type_name(&host, "Aman W");
    type_into_textarea(&host, body);
    click_submit(&host);
    until("the failure", || text(&host, ".rc-fail").contains("Your comment was not posted.")).await;
    assert!(text(&host, ".rc-fail").contains("still here"));
    assert_eq!(textarea(&host).value(), body);
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(&format!("reader-comments:draft:{endpoint}")).ok().flatten())
        .expect("a saved draft");
    assert!(stored.contains(body), "{stored}");
    let button = host.query_selector("button[type=submit]").ok().flatten().expect("button");
    assert_eq!(button.get_attribute("aria-disabled"), None, "the button is usable again");
}

#[wasm_bindgen_test]
async fn a_saved_draft_is_restored_with_its_count() {
    let endpoint = blob_url("[]", "application/json");
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten()).expect("storage");
    let saved = r#"{"v":1,"author":"Kriti O","body":"Saved before the reload","key":"abc123"}"#;
    storage.set_item(&format!("reader-comments:draft:{endpoint}"), saved).expect("set");
    assert_eq!(reader_comments::draft::load(&endpoint).map(|d| d.body).as_deref(), Some("Saved before the reload"));
    let host = mount(config_for(&endpoint));
    until("the form", || host.query_selector("textarea").ok().flatten().is_some()).await;
    until("the restored text", || textarea(&host).value() == "Saved before the reload").await;
    assert_eq!(text(&host, ".rc-counter"), "23/50");
}

#[wasm_bindgen_test]
async fn html_instead_of_json_shows_an_error_with_retry() {
    let host = mount(config_for(&blob_url("<!doctype html><h1>502 Bad Gateway</h1>", "text/html")));
    until("the error state", || is_shown(&host, ".rc-state--error")).await;
    assert!(text(&host, ".rc-state--error").contains("Comments could not be loaded."));
    assert!(texts(&host, ".rc-state--error button").iter().any(|b| b == "Try again"));
    assert!(host.query_selector("textarea").ok().flatten().is_some(), "the form stays usable");
}

#[wasm_bindgen_test]
async fn truncated_json_shows_an_error() {
    let truncated = &SEED[..SEED.len() / 2];
    let host = mount(config_for(&blob_url(truncated, "application/json")));
    until("the error state", || text(&host, ".rc-state--error").contains("cannot read")).await;
}

#[wasm_bindgen_test]
async fn invalid_items_are_skipped_and_the_rest_render() {
    let body = r#"{"comments":[{"id":1,"name":"Isso User","text":"from isso"},{"author":"no id"},
        {"id":"x","nick":"Waline User","content":"from waline","createdAt":"2026-02-08T10:00:00Z"}],"next":null}"#;
    let host = mount(config_for(&blob_url(body, "application/json")));
    until("two comments", || texts(&host, ".rc-comment").len() == 2).await;
    assert_eq!(texts(&host, ".rc-comment__author"), ["Isso User", "Waline User"]);
}

#[wasm_bindgen_test]
async fn initials_are_uppercased_by_the_browser_as_by_the_core() {
    let body = r#"[{"id":"1","author":"émile","body":"x"},{"id":"2","author":"ßa","body":"x"},{"id":"3","author":"स्नेहा","body":"x"}]"#;
    let host = mount(config_for(&blob_url(body, "application/json")));
    until("three comments", || texts(&host, ".rc-comment").len() == 3).await;
    let expected: Vec<String> = ["émile", "ßa", "स्नेहा"].iter().map(|n| reader_comments::core::initial(n)).collect();
    assert_eq!(texts(&host, ".rc-avatar"), expected);
    assert_eq!(expected, ["É", "ß", "स्ने"]);
}

#[wasm_bindgen_test]
async fn an_empty_thread_says_so() {
    let host = mount(config_for(&blob_url(r#"{"comments":[],"next":null}"#, "application/json")));
    until("the empty state", || is_shown(&host, ".rc-state--empty")).await;
    assert!(text(&host, ".rc-state--empty").contains("No comments yet"));
    assert!(
        !is_shown(&host, ".rc-state--loading") && !is_shown(&host, ".rc-state--error"),
        "only the empty state shows"
    );
}

#[wasm_bindgen_test]
async fn every_hostile_string_renders_as_literal_text() {
    let payloads: Vec<String> = serde_json::from_str(XSS).expect("fixture");
    let items: Vec<serde_json::Value> = payloads
        .iter()
        .enumerate()
        .map(|(i, p)| serde_json::json!({"id": i.to_string(), "author": p, "body": p}))
        .collect();
    let body = serde_json::json!({ "comments": items }).to_string();
    let host = mount(config_for(&blob_url(&body, "application/json")));
    until("all payloads", || texts(&host, ".rc-comment").len() == payloads.len()).await;
    assert_eq!(texts(&host, ".rc-comment__author"), payloads);
    assert_eq!(texts(&host, ".rc-comment__body"), payloads);
    for tag in ["script", "img", "svg", "iframe", "math", "a", "style", "video", "input"] {
        let found = host.query_selector_all(&format!(".rc-list {tag}")).expect("selector").length();
        assert_eq!(found, 0, "a <{tag}> element was created from endpoint text");
    }
}

#[wasm_bindgen_test]
async fn endpoint_limits_win_over_the_attributes() {
    let body = r#"{"comments":[],"next":null,"limits":{"min_length":20,"max_length":400}}"#;
    let host = mount(config_for(&blob_url(body, "application/json")));
    until("the advertised minimum", || text(&host, ".rc-hint") == "Minimum 20 characters").await;
    assert_eq!(text(&host, ".rc-counter"), "0/20");
}

#[wasm_bindgen_test]
async fn a_failed_load_more_says_so_and_keeps_the_comments_shown() {
    // A Blob URL with "?cursor=…" appended names no Blob: the browser refuses it, as an
    // endpoint that went down between two pages would.
    let body = r#"{"comments":[{"id":"1","author":"First","body":"first page"}],"next":"c2"}"#;
    let host = mount(config_for(&blob_url(body, "application/json")));
    until("the first page", || texts(&host, ".rc-comment").len() == 1).await;
    let button: HtmlElement =
        host.query_selector(".rc-more button").ok().flatten().expect("load more").dyn_into().expect("button");
    assert_eq!(button.text_content().as_deref(), Some("Load more comments"));
    button.click();
    until("the load-more error", || text(&host, ".rc-more [role=alert]").contains("could not be loaded")).await;
    assert_eq!(texts(&host, ".rc-comment").len(), 1);
}

#[wasm_bindgen_test]
async fn a_host_without_an_endpoint_explains_itself_and_an_unmounted_one_is_torn_down() {
    let root: HtmlElement = document().create_element("div").expect("div").dyn_into().expect("html element");
    document().body().expect("body").append_child(&root).expect("append");
    let before = reader_comments::mounted_count();
    reader_comments::mount_with(root.clone(), |_| None, "en", |_| Vec::new());
    assert_eq!(reader_comments::mounted_count(), before + 1);
    let message = root.query_selector("[role=alert]").ok().flatten().and_then(|e| e.text_content()).unwrap_or_default();
    assert!(message.contains("no endpoint"), "{message}");
    reader_comments::host::unmount(root.clone());
    assert_eq!(reader_comments::mounted_count(), before);
    assert_eq!(root.child_element_count(), 0, "its view is gone");
}

/// `fixtures/decode-cases.json` decoded with the browser's JSON.parse must give what
/// the core's native test gets with serde_json (cases beyond 2^53 need the loader's
/// parse, which the end-to-end suite covers).
#[wasm_bindgen_test]
fn the_shared_decode_cases_decode_as_the_fixture_says() {
    reader_comments::core::testing::check_decode_cases(reader_comments::json::parse, |body| String::from(body), true);
}

#[wasm_bindgen_test]
async fn numeric_ids_are_kept_as_integers() {
    // Ids beyond 2^53 keep their digits through the loader's reviver: see the e2e suite.
    let body =
        r#"[{"id":9007199254740991,"author":"Big","body":"big id"},{"id":42,"author":"Small","body":"small id"}]"#;
    let host = mount(config_for(&blob_url(body, "application/json")));
    until("two comments", || texts(&host, ".rc-comment").len() == 2).await;
    let items = host.query_selector_all(".rc-comment").expect("items");
    let ids: Vec<String> = (0..items.length())
        .filter_map(|i| items.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .filter_map(|e| e.get_attribute("data-id"))
        .collect();
    assert_eq!(ids, ["9007199254740991", "42"]);
}

#[wasm_bindgen_test]
async fn a_hindi_page_gets_hindi_text_and_hindi_counts() {
    let mut config = config_with(&blob_url("[]", "application/json"), &[("locale", "hi")]);
    // The loader hands over locales/hi.json, parsed.
    let file = js_sys::JSON::parse(include_str!("../locales/hi.json")).expect("JSON");
    config.strings = config.strings.with_translation(reader_comments::translation_of(&file));
    let host = mount(config);
    until("the Hindi heading", || text(&host, ".rc-heading").starts_with("पाठकों की टिप्पणियाँ")).await;
    assert_eq!(text(&host, ".rc-hint"), "कम से कम 50 अक्षर");
    type_into_textarea(&host, "नमस्ते दुनिया");
    until("7 characters", || text(&host, ".rc-counter") == "7/50").await;
    click_submit(&host);
    until("the Hindi error", || text(&host, ".rc-error").contains("अपना नाम लिखें")).await;
}

#[wasm_bindgen_test]
async fn a_long_page_shows_page_size_comments_and_reveals_the_rest_with_load_more() {
    let items: Vec<serde_json::Value> = (1..=5)
        .map(|i| serde_json::json!({"id": i.to_string(), "author": format!("Reader {i}"), "body": "text"}))
        .collect();
    let endpoint = blob_url(&serde_json::json!({ "comments": items, "next": null }).to_string(), "application/json");
    let host = mount(config_with(&endpoint, &[("page-size", "2")]));
    until("the first two", || texts(&host, ".rc-comment").len() == 2).await;
    let more = || -> HtmlElement {
        host.query_selector(".rc-more button").ok().flatten().expect("load more").dyn_into().expect("button")
    };
    more().click();
    until("four", || texts(&host, ".rc-comment").len() == 4).await;
    more().click();
    until("all five", || texts(&host, ".rc-comment").len() == 5).await;
    until("no more button", || !is_shown(&host, ".rc-more")).await;
    assert_eq!(texts(&host, ".rc-comment__author").last().map(String::as_str), Some("Reader 5"));
}

#[wasm_bindgen_test]
async fn relative_times_are_brought_up_to_date() {
    let host = mount(config_for(&blob_url(SEED, "application/json")));
    until("five comments", || texts(&host, ".rc-comment").len() == 5).await;
    let list = host.query_selector(".rc-list").ok().flatten().expect("the list");
    // 2026-02-08T09:12:00Z is the first comment; ten minutes later it reads "10 minutes ago".
    reader_comments::relative_time::refresh_times(&list, "en", 1_770_541_920_000 + 10 * 60_000);
    assert_eq!(texts(&host, "time").first().map(String::as_str), Some("10 minutes ago"));
}

/// A comment as the list holds it.
fn shown(id: &str, author: &str, body: &str, status: reader_comments::core::Status) -> reader_comments::json::Shown {
    reader_comments::core::Comment {
        id: id.into(),
        author: author.into(),
        body: js_sys::JsString::from(body),
        created_at: None,
        status,
        ..Default::default()
    }
}

#[wasm_bindgen_test]
async fn the_list_appends_and_replaces_rows_by_id_and_rebuilds_on_reorder() {
    use reader_comments::core::Status::{Pending, Published};
    let (comments, set_comments) =
        signal(vec![shown("a", "Asha", "First words", Published), shown("b", "Bilal", "Second words", Pending)]);
    let host: HtmlElement = document().create_element("div").expect("div").dyn_into().expect("html element");
    document().body().expect("body").append_child(&host).expect("append");
    leptos::mount::mount_to(host.clone(), move || {
        view! { <reader_comments::CommentList comments locale="en".to_string() /> }
    })
    .forget();
    until("two rows", || texts(&host, ".rc-comment").len() == 2).await;
    assert_eq!(texts(&host, ".rc-badge"), ["Waiting for review — only you can see this"]);
    let row = |i: u32| host.query_selector_all(".rc-comment").expect("rows").item(i).expect("a row");
    let first_row = row(0);

    // "b" is approved (same id, new status) and "c" arrives: "a" keeps its element.
    set_comments.set(vec![
        shown("a", "Asha", "First words", Published),
        shown("b", "Bilal", "Second words, edited", Published),
        shown("c", "Chitra", "Third words", Published),
    ]);
    until("three rows", || texts(&host, ".rc-comment").len() == 3).await;
    assert!(row(0).is_same_node(Some(&first_row)), "an unchanged row is not rebuilt");
    assert_eq!(texts(&host, ".rc-comment__body"), ["First words", "Second words, edited", "Third words"]);
    assert!(texts(&host, ".rc-badge").is_empty(), "the approved comment lost its badge");
    assert!(host.query_selector(".rc-comment--pending").expect("selector").is_none());
    let ids: Vec<String> = (0..3).filter_map(|i| row(i).dyn_into::<Element>().ok()?.get_attribute("data-id")).collect();
    assert_eq!(ids, ["a", "b", "c"]);

    // Any other change (here, a new order) shows exactly the new list.
    set_comments
        .set(vec![shown("c", "Chitra", "Third words", Published), shown("a", "Asha", "First words", Published)]);
    until("two rows again", || texts(&host, ".rc-comment").len() == 2).await;
    assert_eq!(texts(&host, ".rc-comment__author"), ["Chitra", "Asha"]);
    assert_eq!(texts(&host, ".rc-avatar"), ["C", "A"]);
}

fn storage() -> web_sys::Storage {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).expect("storage")
}

fn page_of(comments: &[(String, String, String)]) -> String {
    let items: Vec<_> =
        comments.iter().map(|(id, a, b)| serde_json::json!({"id": id, "author": a, "body": b})).collect();
    serde_json::json!({ "comments": items }).to_string()
}

#[wasm_bindgen_test]
async fn huge_bodies_are_shown_cut_with_show_all_and_a_huge_answer_is_refused() {
    let megabyte = "x".repeat(1_000_000);
    let mut comments: Vec<_> = (0..3).map(|i| (format!("m{i}"), format!("Big {i}"), megabyte.clone())).collect();
    // An emoji across the cut: the cut must not leave half of it.
    comments[1].2 = format!("{}😀{}", "x".repeat(19_999), "x".repeat(100_000));
    let host = mount(config_for(&blob_url(&page_of(&comments), "application/json")));
    until("three rows", || texts(&host, ".rc-comment").len() == 3).await;
    let bodies = texts(&host, ".rc-comment__body");
    assert!(bodies.iter().all(|b| b.encode_utf16().count() <= 20_001 && b.ends_with('…')), "cut at 4 × max-length");
    assert!(!bodies[1].contains('\u{FFFD}') && bodies[1].ends_with("x…"), "no half character");
    assert_eq!(texts(&host, ".rc-comment__more"), ["Show all", "Show all", "Show all"]);
    let more: HtmlElement =
        host.query_selector(".rc-comment__more").ok().flatten().expect("button").dyn_into().expect("html");
    more.click();
    until("the whole first body", || texts(&host, ".rc-comment__body")[0].chars().count() == 1_000_000).await;
    assert_eq!(texts(&host, ".rc-comment__more").len(), 2);

    let over: Vec<_> = (0..5).map(|i| (format!("o{i}"), "Over".to_string(), megabyte.clone())).collect();
    let refused = mount(config_for(&blob_url(&page_of(&over), "application/json")));
    until("the size refusal", || text(&refused, "[role=alert]").contains("too large to show")).await;
    assert!(texts(&refused, ".rc-comment").is_empty());
}

#[wasm_bindgen_test]
async fn a_tampered_draft_key_is_replaced_and_posting_still_works() {
    let endpoint = blob_url("[]", "application/json");
    let tampered = r#"{"v":"1","author":"Meera T","body":"A draft whose key was edited by hand, with a line break in it.","key":"abc\r\nX-Evil: 1","sent":"1"}"#;
    storage().set_item(&format!("reader-comments:draft:{endpoint}"), tampered).expect("set");
    let host = mount(config_for(&endpoint));
    until("the restored draft", || textarea(&host).value().starts_with("A draft whose key")).await;
    click_submit(&host);
    // A Blob URL refuses the POST: the failure must be reported, not stuck on "Posting…".
    until("the failure", || text(&host, ".rc-fail").contains("was not posted")).await;
    assert_eq!(text(&host, "button[type=submit]"), "Post Comment");
    click_submit(&host);
    until("a second attempt fails the same way", || text(&host, ".rc-fail").contains("was not posted")).await;
    assert!(!text(&host, ".rc-fail").contains("being posted"));
    let stored = storage().get_item(&format!("reader-comments:draft:{endpoint}")).ok().flatten().unwrap_or_default();
    let key =
        serde_json::from_str::<serde_json::Value>(&stored).expect("json")["key"].as_str().unwrap_or("").to_string();
    assert!(reader_comments::draft::valid_key(&key), "{key:?}");
}

#[wasm_bindgen_test]
async fn a_repeated_id_is_shown_once_on_every_page() {
    let mut comments: Vec<_> =
        (0..300).map(|i| ("dup".to_string(), format!("Copy {i}"), format!("copy {i}"))).collect();
    comments.push(("other".into(), "Other".into(), "another id".into()));
    let host = mount(config_with(&blob_url(&page_of(&comments), "application/json"), &[("page-size", "100")]));
    until("the first page", || !texts(&host, ".rc-comment").is_empty()).await;
    assert_eq!(texts(&host, ".rc-comment__author"), ["Copy 0"]);
    for _ in 0..3 {
        let more: HtmlElement =
            host.query_selector(".rc-more button").ok().flatten().expect("more").dyn_into().expect("html");
        more.click();
        sleep(50).await;
    }
    until("the last page", || texts(&host, ".rc-comment").len() == 2).await;
    assert_eq!(texts(&host, ".rc-comment__author"), ["Copy 0", "Other"], "the first of a repeated id stays");
}

#[wasm_bindgen_test]
async fn when_storage_is_full_the_reader_is_told_the_draft_will_not_survive_a_reload() {
    // Fill the origin's storage to the last character: big pieces, then smaller ones.
    let mut n = 0;
    for size in [512 * 1024, 32 * 1024, 1024, 16, 1] {
        let filler = "x".repeat(size);
        while n < 5000 && storage().set_item(&format!("rc-test-filler-{n}"), &filler).is_ok() {
            n += 1;
        }
    }
    let host = mount(config_for(&blob_url("[]", "application/json")));
    until("the form", || host.query_selector("textarea").ok().flatten().is_some()).await;
    type_into_textarea(&host, "Words that this browser has no room left to keep for me.");
    until("the notice", || text(&host, ".rc-note").contains("will be lost if you reload")).await;
    for i in 0..=n {
        let _ = storage().remove_item(&format!("rc-test-filler-{i}"));
    }
    type_into_textarea(&host, "Words that this browser can keep again, now there is room.");
    until("the notice goes", || text(&host, ".rc-note").is_empty()).await;
}

/// The browser's clusters give the core's counts and verdicts: every case of
/// `fixtures/unicode-cases.json`, split by `Intl.Segmenter` and by the server's tables.
#[wasm_bindgen_test]
fn the_browsers_clusters_count_and_judge_every_unicode_case_as_the_server_does() {
    use reader_comments::clusters::Browser;
    use reader_comments::core::{count_visible_with, validate_body_with, Limits, Tables};
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../fixtures/unicode-cases.json")).expect("fixture");
    let mut checked = 0;
    for case in &cases {
        let (Some(value), name) = (case["value"].as_str(), case["name"].as_str().unwrap_or("?")) else { continue };
        if let Some(expected) = case["proposed_count"].as_u64() {
            assert_eq!(count_visible_with(value, &Browser) as u64, expected, "{name}");
            checked += 1;
        }
        let verdict = |v: Option<reader_comments::core::FieldError>| v.map(|e| e.code);
        assert_eq!(
            verdict(validate_body_with(value, Limits::default(), &Browser)),
            verdict(validate_body_with(value, Limits::default(), &Tables)),
            "{name}"
        );
    }
    assert!(checked >= 30, "only {checked} cases");
    for name in
        ["Priyanka N", "  émile", "ßa", "स्नेहा", "ਸਤਿ", "👩\u{200D}💻 Dev", "\u{202E}admin", "\u{200B} ", "🇮🇳 Flag"]
    {
        let upper = |g: &str| g.to_uppercase();
        assert_eq!(
            reader_comments::core::initial_with(name, upper, &Browser),
            reader_comments::core::initial_with(name, upper, &Tables),
            "{name}"
        );
    }
}

/// Typing splits only what changed; at every step of typing, deleting and pasting into
/// texts in several scripts it must count what splitting the whole text counts.
#[wasm_bindgen_test]
fn typing_recounts_only_the_edit_and_always_agrees_with_a_whole_count() {
    use reader_comments::clusters::{Browser, Typing};
    use reader_comments::core::count_visible_with;
    let typing = Typing::default();
    let texts = [
        "नमस्ते दुनिया, यह एक टिप्पणी है",
        "ਸਤ ਸ੍ਰੀ ਅਕਾਲ ਜੀ",
        "🇮🇳🇨🇦🇬🇧 flags 👨\u{200D}👩\u{200D}👧 family e\u{301}\u{302} marks",
        "plain ASCII text, typed and edited",
    ];
    for text in texts {
        let chars: Vec<char> = text.chars().collect();
        let mut typed = String::new();
        for c in &chars {
            typed.push(*c);
            assert_eq!(count_visible_with(&typed, &typing), count_visible_with(&typed, &Browser), "typing {typed:?}");
        }
        // Deleting from the middle, one character at a time, and pasting it back whole.
        let mut edited: Vec<char> = chars.clone();
        while edited.len() > chars.len() / 2 {
            edited.remove(edited.len() / 3);
            let s: String = edited.iter().collect();
            assert_eq!(count_visible_with(&s, &typing), count_visible_with(&s, &Browser), "deleting {s:?}");
        }
        assert_eq!(count_visible_with(text, &typing), count_visible_with(text, &Browser), "pasting {text:?}");
        // A regional indicator typed before a flag changes how the rest pairs up.
        let shifted = format!("🇮{text}");
        assert_eq!(count_visible_with(&shifted, &typing), count_visible_with(&shifted, &Browser), "{shifted:?}");
    }
}

/// Texts of the elements matching `selector` inside the first element matching `scope`.
fn texts_in(root: &Element, scope: &str, selector: &str) -> Vec<String> {
    let inner = root.query_selector(scope).ok().flatten().expect("scope");
    texts(&inner, selector)
}

#[wasm_bindgen_test]
async fn embedded_replies_sit_under_their_comment_with_more_to_show() {
    let answer = r#"{"comments": [
        {"id": 1, "author": "Asha", "body": "Top", "reply_count": 4, "recommends": 2, "replies": [
            {"id": 2, "author": "Bina", "body": "First reply", "parent_id": 1},
            {"id": 3, "author": "Chandra", "body": "To Bina", "parent_id": 2, "edited_at": "2026-02-08T10:00:00Z"}
        ]},
        {"id": 4, "author": "", "body": "", "status": "deleted", "reply_count": 1, "replies": [
            {"id": 5, "author": "Dev", "body": "Still here", "parent_id": 4}
        ]}
    ], "capabilities": {"replies": true, "recommend": true, "sort": ["oldest", "top"]}}"#;
    let host = mount(config_for(&blob_url(answer, "application/json")));
    until("the rows", || texts(&host, ".rc-comment").len() == 5).await;
    assert_eq!(
        texts(&host, ".rc-list > .rc-comment > .rc-comment__main > .rc-comment__meta > .rc-comment__author"),
        ["Asha", ""]
    );
    let replies = host.query_selector(".rc-replies").ok().flatten().expect("a list of replies");
    assert_eq!(replies.get_attribute("aria-label").as_deref(), Some("Replies to Asha"));
    assert_eq!(texts_in(&host, ".rc-replies", ".rc-comment__author"), ["Bina", "Chandra"]);
    assert_eq!(texts(&host, ".rc-comment__to"), ["Replying to Bina"], "only a reply to a reply says whom");
    assert_eq!(texts(&host, ".rc-comment__edited"), ["Edited"]);
    assert_eq!(texts(&host, ".rc-more-replies"), ["Show 2 more replies"], "4 said, 2 shown");
    assert!(texts(&host, ".rc-comment--deleted .rc-comment__body").contains(&"This comment was deleted".to_string()));
    let toggle = host.query_selector(".rc-recommend").ok().flatten().expect("a recommend toggle");
    assert_eq!(toggle.get_attribute("aria-pressed").as_deref(), Some("false"));
    assert_eq!(toggle.get_attribute("aria-label").as_deref(), Some("Recommend, 2 recommends: Asha's comment"));
    assert_eq!(
        texts(&host, ".rc-comment--deleted > .rc-comment__main > .rc-comment__actions").len(),
        0,
        "nothing to recommend in a deleted one"
    );
    assert_eq!(texts(&host, ".rc-select option"), ["Oldest first", "Most recommended"]);
    assert_eq!(text(&host, ".rc-heading"), "Reader Comments (7)", "five shown and two more said");
}

#[wasm_bindgen_test]
async fn a_flat_list_is_grouped_and_an_orphan_stays_at_the_top_level() {
    let answer = r#"{"comments": [
        {"id": "a", "author": "Asha", "body": "Top"},
        {"id": "b", "author": "Bina", "body": "Reply", "pid": "a"},
        {"id": "c", "author": "Chandra", "body": "Its parent is not here", "parent": "gone"},
        {"id": "d", "author": "Dev", "body": "Reply to a reply", "reply_to": "b"}
    ]}"#;
    let host = mount(config_for(&blob_url(answer, "application/json")));
    until("the rows", || texts(&host, ".rc-comment").len() == 4).await;
    assert_eq!(
        texts(&host, ".rc-list > .rc-comment > .rc-comment__main > .rc-comment__meta > .rc-comment__author"),
        ["Asha", "Chandra"]
    );
    assert_eq!(texts_in(&host, ".rc-replies", ".rc-comment__author"), ["Bina", "Dev"]);
    assert_eq!(texts(&host, ".rc-comment__to"), ["Replying to Bina"]);
    assert!(texts(&host, ".rc-recommend").is_empty(), "a v1 endpoint gets no recommend toggle");
    assert!(!is_shown(&host, ".rc-sort"), "nor a sort control");
}

/// Clicks the first element matching `selector` inside `root`.
fn click(root: &Element, selector: &str) {
    let el: HtmlElement = root
        .query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .expect("html element");
    el.click();
}

/// Whether the page's focus is on the first element matching `selector` inside `root`.
fn has_focus(root: &Element, selector: &str) -> bool {
    let active = document().active_element();
    root.query_selector(selector).ok().flatten().is_some_and(|el| active.as_ref() == Some(&el))
}

/// An RFC 3339 time `minutes_ago` minutes before now.
fn minutes_ago(minutes: f64) -> String {
    let when = js_sys::Date::new(&(js_sys::Date::now() - minutes * 60_000.0).into());
    String::from(when.to_iso_string())
}

#[wasm_bindgen_test]
async fn a_reply_form_opens_under_its_comment_with_the_main_forms_rules_and_keeps_one_draft_per_comment() {
    let answer = r#"{"comments": [
        {"id": 1, "author": "Asha", "body": "Top"},
        {"id": 2, "author": "Bina", "body": "Another"}
    ], "capabilities": {"replies": true}}"#;
    let endpoint = blob_url(answer, "application/json");
    let host = mount(config_for(&endpoint));
    until("the rows", || texts(&host, ".rc-comment").len() == 2).await;
    let labels: Vec<_> = (0..2)
        .map(|i| host.query_selector_all(".rc-reply").expect("sel").item(i).and_then(|b| b.dyn_into::<Element>().ok()))
        .map(|b| b.and_then(|b| b.get_attribute("aria-label")).unwrap_or_default())
        .collect();
    assert_eq!(labels, ["Reply to Asha", "Reply to Bina"], "each button says whose comment");
    type_name(&host, "Kriti O");
    sleep(20).await; // a reader's next click is another task: the draft is saved by then
    click(&host, "[data-id='1'] .rc-reply");
    until("the reply form", || host.query_selector("[data-id='1'] .rc-reply-form textarea").ok().flatten().is_some())
        .await;
    let form = host.query_selector("[data-id='1'] .rc-reply-form").ok().flatten().expect("form");
    assert!(has_focus(&form, "textarea"), "the focus moves into the form");
    assert_eq!(text(&form, ".rc-form__heading"), "Reply to Asha");
    let name: HtmlInputElement =
        form.query_selector("input[name=author]").ok().flatten().expect("name").dyn_into().expect("input");
    until("the reader's name filled in", || name.value() == "Kriti O").await;
    type_into_textarea(&form, "Too short");
    until("the live counter", || text(&form, ".rc-counter") == "9/50").await;
    click_submit(&form);
    until("the length error", || text(&form, ".rc-error").contains("Add 41 more characters")).await;
    assert_eq!(text(&form, ".rc-fail"), "", "nothing was sent");
    // Cancel closes it, the focus going back to Reply; opening it again brings the draft.
    click(&form, ".rc-form__cancel");
    until("the form closed", || host.query_selector(".rc-reply-form").ok().flatten().is_none()).await;
    assert!(has_focus(&host, "[data-id='1'] .rc-reply"));
    click(&host, "[data-id='2'] .rc-reply");
    until("Bina's form", || host.query_selector("[data-id='2'] .rc-reply-form textarea").ok().flatten().is_some())
        .await;
    assert_eq!(textarea(&host.query_selector(".rc-reply-form").ok().flatten().expect("f")).value(), "");
    click(&host, "[data-id='1'] .rc-reply");
    until("Asha's form again", || {
        host.query_selector("[data-id='1'] .rc-reply-form textarea").ok().flatten().is_some()
            && host.query_selector("[data-id='2'] .rc-reply-form").ok().flatten().is_none()
    })
    .await;
    let form = host.query_selector("[data-id='1'] .rc-reply-form").ok().flatten().expect("form");
    until("its draft kept", || textarea(&form).value() == "Too short").await;
    // A reply the endpoint cannot take (a Blob URL refuses posts): told, and kept.
    let body = "A reply long enough to pass the rule of fifty characters, in full.";
    type_into_textarea(&form, body);
    click_submit(&form);
    until("the failure", || text(&form, ".rc-fail").contains("was not posted")).await;
    assert_eq!(textarea(&form).value(), body);
    let stored = storage().get_item(&format!("reader-comments:draft:{endpoint}#reply:1")).ok().flatten();
    assert!(stored.is_some_and(|s| s.contains(body)), "the reply's own draft is saved");
    assert_eq!(texts(&host, ".rc-comment").len(), 2, "nothing was added");
}

#[wasm_bindgen_test]
async fn the_recommend_toggle_changes_at_once_and_goes_back_with_a_message_when_the_endpoint_refuses() {
    let answer = r#"{"comments": [{"id": 1, "author": "Priyanka N", "body": "Top", "recommends": 12}],
        "capabilities": {"recommend": true}}"#;
    let endpoint = blob_url(answer, "application/json");
    let host = mount(config_for(&endpoint));
    until("the toggle", || host.query_selector(".rc-recommend").ok().flatten().is_some()).await;
    let toggle = host.query_selector(".rc-recommend").ok().flatten().expect("toggle");
    assert_eq!(toggle.get_attribute("aria-label").as_deref(), Some("Recommend, 12 recommends: Priyanka N's comment"));
    assert_eq!(text(&host, ".rc-recommend__count"), "12");
    // Every state the button goes through (records keep the value each change replaced).
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let record = seen.clone();
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
        for r in records.iter().filter_map(|r| r.dyn_into::<web_sys::MutationRecord>().ok()) {
            record.borrow_mut().extend(r.old_value());
        }
    });
    let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).expect("an observer");
    let options = web_sys::MutationObserverInit::new();
    options.set_attributes(true);
    options.set_attribute_old_value(true);
    options.set_attribute_filter(&js_sys::Array::of1(&JsValue::from_str("aria-pressed")));
    observer.observe_with_options(&toggle, &options).expect("observing");
    callback.forget();
    // (A scripted click moves no focus: the toggle is given it, as a reader's press would.)
    toggle.dyn_ref::<HtmlElement>().expect("a button").focus().expect("focus");
    click(&host, ".rc-recommend");
    until("the message", || text(&host, ".rc-row-error").contains("Your recommend was not saved.")).await;
    let toggle = host.query_selector(".rc-recommend").ok().flatten().expect("toggle");
    let line = host.query_selector(".rc-row-error").ok().flatten().expect("the line");
    assert_eq!(line.get_attribute("role").as_deref(), Some("alert"));
    let actions = toggle.parent_element().expect("the row's buttons");
    assert_eq!(actions.next_element_sibling().as_ref(), Some(&line), "said under the toggle, in its row");
    assert!(text(&host, ".rc-action-error").is_empty(), "not at the list's end");
    assert!(has_focus(&host, ".rc-recommend"), "the focus stays on the toggle");
    assert_eq!(toggle.get_attribute("aria-pressed").as_deref(), Some("false"), "rolled back");
    assert_eq!(text(&host, ".rc-recommend__count"), "12");
    let states: Vec<String> = seen.borrow().clone();
    assert_eq!(states, ["false", "true"], "pressed at once, then back");
    let remembered = storage().get_item(&format!("reader-comments:recommended:{endpoint}")).ok().flatten();
    assert!(!remembered.unwrap_or_default().split(' ').any(|id| id == "1"), "not remembered as recommended");
}

/// A thread with the reader's own comment (1), someone else's (2) and the reader's own
/// from two hours ago (3), on an endpoint with a 15-minute edit window.
fn own_thread() -> (String, HtmlElement) {
    let answer = format!(
        r#"{{"comments": [
        {{"id": 1, "author": "Asha", "body": "My own words, written a minute ago.", "created_at": "{}"}},
        {{"id": 2, "author": "Bina", "body": "Someone else's", "created_at": "{}"}},
        {{"id": 3, "author": "Asha", "body": "Mine, long ago", "created_at": "{}"}}
    ], "capabilities": {{"edit_window_s": 900}}}}"#,
        minutes_ago(1.0),
        minutes_ago(1.0),
        minutes_ago(120.0)
    );
    let endpoint = blob_url(&answer, "application/json");
    storage().set_item(&format!("reader-comments:tokens:{endpoint}"), r#"{"1":"t1","3":"t3"}"#).expect("set");
    let host = mount(config_for(&endpoint));
    (endpoint, host)
}

#[wasm_bindgen_test]
async fn edit_shows_only_on_the_readers_comment_in_its_window_keeps_the_rules_and_a_failed_save_loses_nothing() {
    let (_, host) = own_thread();
    until("the rows", || texts(&host, ".rc-comment").len() == 3).await;
    assert_eq!(texts(&host, ".rc-edit").len(), 1, "only one comment is the reader's and still open");
    assert!(host.query_selector("[data-id='1'] .rc-edit").ok().flatten().is_some());
    assert!(host.query_selector("[data-id='1'] .rc-delete").ok().flatten().is_some());
    click(&host, "[data-id='1'] .rc-edit");
    until("the edit form", || host.query_selector("[data-id='1'] .rc-edit-form textarea").ok().flatten().is_some())
        .await;
    let row = host.query_selector("[data-id='1']").ok().flatten().expect("row");
    let form = row.query_selector(".rc-edit-form").ok().flatten().expect("form");
    assert!(has_focus(&form, "textarea"));
    until("the form starting from the comment", || textarea(&form).value() == "My own words, written a minute ago.")
        .await;
    assert!(!is_shown(&row, ".rc-comment__body"), "the text it replaces is hidden");
    click_submit(&form);
    until("the length error", || text(&form, ".rc-error").contains("more characters")).await;
    let body = "My own words, written a minute ago, and now a little longer than that.";
    type_into_textarea(&form, body);
    let count = format!("{}/50", body.chars().count());
    until("the counter", || text(&form, ".rc-counter") == count).await;
    click_submit(&form);
    until("the failure", || text(&form, ".rc-fail").contains("Your change was not saved.")).await;
    assert_eq!(textarea(&form).value(), body, "the change is kept");
    assert_eq!(text(&row, ".rc-comment__body"), "My own words, written a minute ago.");
    // Escape closes it, keeps the change as a draft, and gives the text back.
    let escape = web_sys::KeyboardEventInit::new();
    escape.set_key("Escape");
    escape.set_bubbles(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &escape).expect("event");
    textarea(&form).dispatch_event(&event).expect("dispatch");
    until("closed", || row.query_selector(".rc-edit-form").ok().flatten().is_none()).await;
    assert!(is_shown(&row, ".rc-comment__body"));
    assert!(has_focus(&row, ".rc-edit"));
    click(&row, ".rc-edit");
    until("open again", || row.query_selector(".rc-edit-form textarea").ok().flatten().is_some()).await;
    until("the change kept as a draft", || textarea(&row).value() == body).await;
}

#[wasm_bindgen_test]
async fn delete_asks_in_the_row_keep_it_changes_nothing_and_a_refused_delete_keeps_the_comment() {
    let (endpoint, host) = own_thread();
    until("the rows", || texts(&host, ".rc-comment").len() == 3).await;
    let row = host.query_selector("[data-id='1']").ok().flatten().expect("row");
    click(&row, ".rc-delete");
    assert_eq!(text(&row, ".rc-confirm__question"), "Delete this comment? This cannot be undone.");
    assert!(has_focus(&row, ".rc-confirm-keep"), "the safe answer has the focus");
    click(&row, ".rc-confirm-keep");
    assert!(row.query_selector(".rc-confirm").ok().flatten().is_none());
    assert!(has_focus(&row, ".rc-delete"));
    click(&row, ".rc-delete");
    click(&row, ".rc-confirm-delete");
    until("the failure", || text(&row, ".rc-row-error").contains("Your comment was not deleted.")).await;
    assert!(has_focus(&row, ".rc-delete"), "the focus back on Delete, to try again");
    assert_eq!(texts(&host, ".rc-comment").len(), 3, "still there");
    assert_eq!(text(&row, ".rc-comment__body"), "My own words, written a minute ago.");
    let tokens = storage().get_item(&format!("reader-comments:tokens:{endpoint}")).ok().flatten();
    assert!(tokens.is_some_and(|t| t.contains("\"1\"")), "its token is kept for another try");
}

#[wasm_bindgen_test]
async fn a_closed_thread_says_so_instead_of_the_form_keeps_the_draft_and_offers_no_reply_or_edit() {
    let answer = format!(
        r#"{{"comments": [
        {{"id": 1, "author": "Asha", "body": "Mine", "created_at": "{}"}},
        {{"id": 2, "author": "Bina", "body": "Theirs"}}
    ], "capabilities": {{"replies": true, "recommend": true, "edit_window_s": 900}}, "closed": true}}"#,
        minutes_ago(1.0)
    );
    let endpoint = blob_url(&answer, "application/json");
    storage().set_item(&format!("reader-comments:tokens:{endpoint}"), r#"{"1":"t1"}"#).expect("set");
    let saved = r#"{"v":1,"author":"Kriti O","body":"Written before the thread closed","key":"abc123"}"#;
    storage().set_item(&format!("reader-comments:draft:{endpoint}"), saved).expect("set");
    let host = mount(config_for(&endpoint));
    until("the rows", || texts(&host, ".rc-comment").len() == 2).await;
    until("the closed note", || is_shown(&host, ".rc-closed")).await;
    assert_eq!(text(&host, ".rc-closed"), "Comments on this article are closed.");
    assert!(!is_shown(&host, ".rc-form-area"), "no form");
    assert!(texts(&host, ".rc-reply").is_empty(), "no Reply");
    assert!(texts(&host, ".rc-edit").is_empty(), "no Edit");
    assert_eq!(texts(&host, ".rc-delete").len(), 1, "the reader may still delete theirs");
    assert_eq!(texts(&host, ".rc-recommend").len(), 2, "and recommend");
    let kept = storage().get_item(&format!("reader-comments:draft:{endpoint}")).ok().flatten();
    assert!(kept.is_some_and(|d| d.contains("Written before the thread closed")), "the draft is kept");
}

#[wasm_bindgen_test]
async fn report_asks_why_in_the_row_not_on_the_readers_own_comment_and_a_failed_report_keeps_the_choice_open() {
    let answer = format!(
        r#"{{"comments": [
        {{"id": 1, "author": "Asha", "body": "Mine", "created_at": "{}"}},
        {{"id": 2, "author": "Bina", "body": "Theirs"}}
    ], "capabilities": {{"report": true, "edit_window_s": 900}}}}"#,
        minutes_ago(1.0)
    );
    let endpoint = blob_url(&answer, "application/json");
    storage().set_item(&format!("reader-comments:tokens:{endpoint}"), r#"{"1":"t1"}"#).expect("set");
    let host = mount(config_for(&endpoint));
    until("the rows", || texts(&host, ".rc-comment").len() == 2).await;
    assert_eq!(texts(&host, ".rc-report").len(), 1, "not on the reader's own comment");
    let row = host.query_selector("[data-id='2']").ok().flatten().expect("row");
    let report = row.query_selector(".rc-report").ok().flatten().expect("Report");
    assert_eq!(report.get_attribute("aria-label").as_deref(), Some("Report Bina's comment"));
    click(&row, ".rc-report");
    let group = row.query_selector("fieldset.rc-report-ask").ok().flatten().expect("the question");
    assert_eq!(text(&group, "legend"), "Why should a moderator look at this comment?");
    assert_eq!(texts(&group, "label.rc-choice"), ["Spam or advertising", "Abusive or hateful", "Something else"]);
    assert_eq!(texts(&group, "input[type=radio]").len(), 3, "each reason a radio button");
    assert_eq!(texts(&group, "button"), ["Send report", "Cancel"]);
    assert!(has_focus(&group, ".rc-report-reason"), "the first reason has the focus");
    click(&row, ".rc-report-cancel");
    assert!(row.query_selector("fieldset").ok().flatten().is_none(), "Cancel closes it");
    assert!(has_focus(&row, ".rc-report"), "the focus is back on Report");
    click(&row, ".rc-report");
    click(&row, ".rc-report-send");
    assert_eq!(text(&row, ".rc-report-error"), "Choose a reason first.", "no reason: nothing sent");
    click(&row, ".rc-report-reason[value='abuse']");
    click(&row, ".rc-report-send");
    until("the failure, in the question", || text(&row, ".rc-report-error").contains("Your report was not sent."))
        .await;
    let error = row.query_selector(".rc-report-error").ok().flatten().expect("the error line");
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(texts(&row, ".rc-report-reason").len(), 3, "the reasons stay open to try again");
    let chosen = row.query_selector(".rc-report-reason:checked").ok().flatten().expect("still chosen");
    assert_eq!(chosen.get_attribute("value").as_deref(), Some("abuse"), "with the reason chosen");
    assert_eq!(texts(&row, ".rc-report"), ["Report"], "not marked as reported");
    assert!(texts(&host, ".rc-reported").is_empty());
    let reported = storage().get_item(&format!("reader-comments:reported:{endpoint}")).ok().flatten();
    assert!(reported.is_none_or(|ids| ids.is_empty()), "nothing remembered as reported");
}

#[wasm_bindgen_test]
async fn a_comment_this_browser_reported_says_reported_after_a_reload() {
    let answer = r#"{"comments": [{"id": 1, "author": "Asha", "body": "One"}, {"id": 2, "author": "Bina", "body": "Two"}],
        "capabilities": {"report": true}}"#;
    let endpoint = blob_url(answer, "application/json");
    storage().set_item(&format!("reader-comments:reported:{endpoint}"), "7 2").expect("set");
    let host = mount(config_for(&endpoint));
    until("the rows", || texts(&host, ".rc-comment").len() == 2).await;
    let reported = host.query_selector("[data-id='2']").ok().flatten().expect("row");
    assert_eq!(texts(&reported, ".rc-reported"), ["Reported"]);
    assert!(texts(&reported, ".rc-report").is_empty(), "no Report on it");
    let other = host.query_selector("[data-id='1']").ok().flatten().expect("row");
    assert_eq!(texts(&other, ".rc-report"), ["Report"]);
}

#[wasm_bindgen_test]
async fn a_post_that_fails_after_its_widget_was_unmounted_harms_nothing_and_keeps_the_draft() {
    // A widget taken off the page (a single-page app moving on) while its post is on
    // the way: the failure that comes back must not touch the disposed form (a panic
    // here would stop every widget on the page), and the draft stays saved.
    let endpoint = blob_url("[]", "application/json");
    let saved = r#"{"v":1,"author":"Meera T","body":"Posted just before the page moved on, and refused by the endpoint.","key":"k-unmounted"}"#;
    storage().set_item(&format!("reader-comments:draft:{endpoint}"), saved).expect("set");
    let root: HtmlElement = document().create_element("div").expect("div").dyn_into().expect("html element");
    document().body().expect("body").append_child(&root).expect("append");
    let attr = {
        let endpoint = endpoint.clone();
        move |name: &str| (name == "endpoint").then(|| endpoint.clone())
    };
    // A trap in the widget's tasks reaches the page as an uncaught error.
    let errors = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let record = errors.clone();
    let listener = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let message = js_sys::Reflect::get(&event, &"message".into()).ok().and_then(|m| m.as_string());
        record.borrow_mut().push(message.unwrap_or_else(|| event.type_()));
    });
    let window = web_sys::window().expect("window");
    for kind in ["error", "unhandledrejection"] {
        window.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref()).expect("listening");
    }
    reader_comments::mount_with(root.clone(), attr, "en", |_| Vec::new());
    until("the restored draft", || textarea(&root).value().starts_with("Posted just before")).await;
    click_submit(&root);
    reader_comments::host::unmount(root.clone());
    sleep(300).await;
    for kind in ["error", "unhandledrejection"] {
        window.remove_event_listener_with_callback(kind, listener.as_ref().unchecked_ref()).expect("removed");
    }
    assert_eq!(*errors.borrow(), Vec::<String>::new(), "no error escaped the widget");
    let stored = storage().get_item(&format!("reader-comments:draft:{endpoint}")).ok().flatten().unwrap_or_default();
    assert!(stored.contains("Posted just before the page moved on"), "the draft is kept: {stored}");
    // The WebAssembly is still alive: another widget mounts and shows its comments.
    let host = mount(config_for(&blob_url(SEED, "application/json")));
    until("another widget's comments", || !texts(&host, ".rc-comment").is_empty()).await;
}
