//! The spam defences measured on a small labelled corpus (fixtures/spam/corpus.jsonl:
//! spam and ham in English, Hindi and Punjabi) with a starter list of blocked words
//! (fixtures/spam/blocked-words.txt): each rule's catches and wrong holds, printed (run
//! with `--nocapture` to see the table), and every comment posted through the real
//! server, which holds exactly what the rules together say.

mod common;
use common::*;
use reader_comments_server::rules::blocked::first_blocked;
use reader_comments_server::Moderation;
use serde_json::{json, Value};

const CORPUS: &str = include_str!("../../fixtures/spam/corpus.jsonl");
const BLOCKED: &str = include_str!("../../fixtures/spam/blocked-words.txt");

struct Item {
    spam: bool,
    lang: String,
    author: String,
    body: String,
    website: String,
}

fn corpus() -> Vec<Item> {
    CORPUS
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            let s = |k: &str| v[k].as_str().expect(k).to_string();
            Item {
                spam: s("label") == "spam",
                lang: s("lang"),
                author: s("author"),
                body: s("body"),
                website: s("website"),
            }
        })
        .collect()
}

fn phrases() -> Vec<String> {
    BLOCKED.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
}

/// Which rules hold an item: (link, blocked word, honeypot).
fn rules(item: &Item, phrases: &[String]) -> [bool; 3] {
    [
        Moderation::Links.holds(&item.author, &item.body),
        first_blocked(&item.author, phrases).is_some() || first_blocked(&item.body, phrases).is_some(),
        !item.website.trim().is_empty(),
    ]
}

#[tokio::test]
async fn each_rule_on_the_labelled_corpus_and_the_server_holds_what_they_say() {
    let (items, phrases) = (corpus(), phrases());
    assert_eq!(items.len(), 36);
    let app = App::new("spam", |_| {});
    for phrase in &phrases {
        app.state.db.set_blocked(phrase, true, 0).expect("blocked");
    }
    let mut lines = vec!["rule             language  spam caught   ham wrongly held".to_string()];
    for (rule, name) in ["links", "blocked words", "honeypot", "all together"].iter().enumerate() {
        for lang in ["en", "hi", "pa", "all"] {
            let of = |spam: bool| items.iter().filter(move |i| i.spam == spam && (lang == "all" || i.lang == lang));
            let held = |i: &&Item| {
                let r = rules(i, &phrases);
                if rule == 3 {
                    r.iter().any(|x| *x)
                } else {
                    r[rule]
                }
            };
            let (spam, ham) = (of(true).count(), of(false).count());
            let (caught, wrong) = (of(true).filter(held).count(), of(false).filter(held).count());
            lines.push(format!(
                "{name:<16} {lang:<9} {caught:>2}/{spam:<2} {:>5.1}%   {wrong:>2}/{ham:<2} {:>5.1}%",
                100.0 * caught as f64 / spam as f64,
                100.0 * wrong as f64 / ham as f64
            ));
        }
    }
    println!("{}", lines.join("\n"));

    for (n, item) in items.iter().enumerate() {
        let doc = json!({"author": item.author, "body": item.body, "website": item.website}).to_string();
        let r = app.post(&format!("corpus-{n}"), &doc, None).await;
        let expected = if rules(item, &phrases).iter().any(|x| *x) { 202 } else { 201 };
        assert_eq!(r.status, expected, "{} {}: {}", item.lang, item.author, r.body);
    }
    // Sentinels: disguises are caught, look-alike innocent words are not.
    let find = |author: &str| items.iter().find(|i| i.author == author).expect(author);
    for disguised in ["Lucky", "Pharma", "जीत", "ਜਿੱਤ"] {
        assert!(rules(find(disguised), &phrases)[1], "{disguised} is caught by the blocked words");
    }
    for innocent in ["Meera S", "Ravi K", "Tom B", "Farah Q", "सीमा", "ਅਮਨ"] {
        assert!(!rules(find(innocent), &phrases)[1], "{innocent} is not held by the blocked words");
    }
}
