//! Durability under load and crashes: concurrent posters with retries leave exactly the
//! acknowledged comments, and `kill -9` during writes loses none that was acknowledged.

mod common;
use common::*;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn fifty_posters_times_twenty_with_retries_store_each_comment_exactly_once() {
    let server = start(&temp_db("concurrent"), &["--rate-limit", "off"]);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..50)
        .map(|poster| {
            let (addr, acknowledged) = (server.addr.clone(), acknowledged.clone());
            std::thread::spawn(move || {
                for n in 0..20 {
                    let key = format!("p{poster}-n{n}");
                    let body = comment(
                        &format!("Poster {poster}"),
                        &format!("Comment {n} from poster {poster}, long enough to pass the rule."),
                    );
                    let first = post_json(&addr, "load", &body, Some(&key)).expect("post");
                    assert_eq!(first.status, 201, "{}", first.body);
                    // Every fourth is retried, as a reader would after a lost answer.
                    if n % 4 == 0 {
                        let retry = post_json(&addr, "load", &body, Some(&key)).expect("retry");
                        // The same comment; only the edit token is new (it replaces the first).
                        let without_token = |r: &common::Response| {
                            let mut doc = r.json();
                            doc["edit_token"].take();
                            doc
                        };
                        assert_eq!(without_token(&retry), without_token(&first));
                    }
                    acknowledged.lock().expect("lock").push(first.json()["id"].as_str().expect("id").to_string());
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("poster");
    }
    let stored = all_comments(&server.addr, "load");
    let ids: HashSet<String> = stored.iter().filter_map(|c| c["id"].as_str().map(str::to_string)).collect();
    assert_eq!(stored.len(), 1000);
    assert_eq!(ids.len(), 1000, "no duplicates");
    let acked = acknowledged.lock().expect("lock");
    assert_eq!(acked.len(), 1000);
    assert!(acked.iter().all(|id| ids.contains(id)));
}

#[test]
fn kill_dash_nine_during_writes_loses_no_acknowledged_comment() {
    let db = temp_db("kill9");
    let mut server = start(&db, &["--rate-limit", "off"]);
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop_at = Instant::now() + Duration::from_millis(1500);
    let handles: Vec<_> = (0..8)
        .map(|writer| {
            let (addr, acknowledged) = (server.addr.clone(), acknowledged.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                loop {
                    let body =
                        comment("Writer", &format!("Writer {writer} comment {n}, written while the server may die."));
                    match post_json(&addr, "crash", &body, Some(&format!("w{writer}-{n}"))) {
                        Ok(res) if res.status == 201 => acknowledged
                            .lock()
                            .expect("lock")
                            .push(res.json()["id"].as_str().unwrap_or_default().to_string()),
                        Ok(_) | Err(_) => {
                            if Instant::now() > stop_at {
                                return;
                            }
                        }
                    }
                    n += 1;
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1000));
    // SIGKILL: no shutdown, no flush beyond what each 201 already promised.
    server.child.kill().expect("kill -9");
    server.child.wait().expect("reaped");
    for h in handles {
        h.join().expect("writer");
    }
    let acked = acknowledged.lock().expect("lock").clone();
    assert!(acked.len() > 10, "only {} writes were acknowledged before the kill", acked.len());
    let again = start(&db, &["--rate-limit", "off"]);
    let stored: HashSet<String> =
        all_comments(&again.addr, "crash").iter().filter_map(|c| c["id"].as_str().map(str::to_string)).collect();
    let lost: Vec<&String> = acked.iter().filter(|id| !stored.contains(*id)).collect();
    assert!(lost.is_empty(), "{} acknowledged comments lost: {lost:?}", lost.len());
}
