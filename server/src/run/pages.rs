//! The page cache: the rendered bytes of the comment pages readers asked for recently
//! (every reader sees a page alike when it asks without a `Reader-Key`), with their
//! entity tag and, once a client asked for them, their brotli and gzip bodies; answered
//! from memory while the page's thread is at the version it was rendered at.
//!
//! - **Never stale.** A thread's version (schema 15) moves, by the store's own triggers,
//!   with every change to its comments or to whether it is closed, whoever writes: this
//!   instance, another one, the command line. Every answer from memory is preceded by a
//!   read of the version that *began after the request arrived*, so a page is never
//!   older than a write acknowledged before the read began, on any instance
//!   ([`Pages::version`]). On SQLite that read is one row, read at once on the request's
//!   own thread, and not even that while the WAL index's header (which every commit,
//!   from any process, rewrites) is what it was when the version was read. On
//!   PostgreSQL the version of a thread already read is known from then on, without
//!   a statement, while this instance hears the store's announcements and holds its
//!   lease (store/watch.rs: a write is acknowledged only once every instance holding
//!   a lease has heard it, so a version known is never older than an acknowledged
//!   write). A version not known is read (a round trip), shared: requests that arrive
//!   while one read is under way wait for the next, which asks for all their threads
//!   in one statement.
//! - **Rendered once.** Requests that miss the same page at the same version wait for
//!   one rendering.
//! - **Bounded.** Every byte kept is counted (bodies, keys, bookkeeping); past the limit
//!   (`--page-cache-mb`, 64 MiB by default; 0 turns the cache off) the page used least
//!   recently goes first. A page larger than the whole limit is not kept. An eighth of
//!   the limit is for the ready answers (run/ready.rs: [`Answer`]), forgotten all at
//!   once when they would go past it.
//! - **Nothing personal.** A request with a `Reader-Key` never reaches this cache.

use crate::error::{blocking, Error};
use crate::run::settings::CachePolicy;
use crate::store::watch::Watch;
use crate::store::{lock, ChangeMark, Store};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use tokio::sync::{oneshot, OnceCell};

/// What a kept page costs beyond its bytes and its key (the map entries, the tick, the
/// `Rendered` itself): counted so that many small pages stay within the limit too.
const OVERHEAD: usize = 256;

/// Bodies smaller than this are sent as they are (compression would not pay).
const COMPRESS_FROM: usize = 256;

/// A content coding the client accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// The coding to send for this `Accept-Encoding`: the one with the highest weight
    /// among brotli and gzip (brotli on a tie), or none. A weight of 0 refuses.
    pub fn choose(accept: Option<&str>) -> Coding {
        let Some(accept) = accept else { return Coding::Identity };
        let (mut br, mut gzip, mut any) = (None, None, None);
        for part in accept.split(',') {
            let mut pieces = part.split(';');
            let name = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let weight = pieces
                .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match name.as_str() {
                "br" => br = Some(weight),
                "gzip" | "x-gzip" => gzip = Some(weight),
                "*" => any = Some(weight),
                _ => {}
            }
        }
        let (br, gzip) = (br.or(any).unwrap_or(0.0), gzip.or(any).unwrap_or(0.0));
        match (br, gzip) {
            (b, g) if b > 0.0 && b >= g => Coding::Brotli,
            (_, g) if g > 0.0 => Coding::Gzip,
            _ => Coding::Identity,
        }
    }

    /// The `Content-Encoding` it is sent with.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Coding::Brotli => Some("br"),
            Coding::Gzip => Some("gzip"),
            Coding::Identity => None,
        }
    }
}

/// A rendered page: its JSON text, its entity tag, and its compressed bodies once made.
pub struct Rendered {
    body: Bytes,
    /// 128 bits of the body's SHA-256, in hex: the tag of every coding of it (each
    /// coding's own tag adds a suffix: [`Rendered::tag`]).
    hash: String,
    /// The tags as sent, for the body as it is, in brotli and in gzip.
    tags: [HeaderValue; 3],
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

impl Rendered {
    /// A page of JSON text.
    pub fn new(body: String) -> Rendered {
        let digest = Sha256::digest(body.as_bytes());
        let hash: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        // Hex digits and quotes: always a valid header value.
        let tags = ["", "-br", "-gz"].map(|suffix| {
            HeaderValue::from_str(&format!("\"{hash}{suffix}\"")).unwrap_or(HeaderValue::from_static("\"\""))
        });
        Rendered { body: Bytes::from(body), hash, tags, brotli: OnceLock::new(), gzip: OnceLock::new() }
    }

    /// The page's JSON text.
    pub fn text(&self) -> &Bytes {
        &self.body
    }

    /// The strong entity tag of the page in `coding`: the body's hash, with `-br` or
    /// `-gz` for a compressed body (a strong tag names one sequence of bytes).
    pub fn tag(&self, coding: Coding) -> &HeaderValue {
        match coding {
            Coding::Identity => &self.tags[0],
            Coding::Brotli => &self.tags[1],
            Coding::Gzip => &self.tags[2],
        }
    }

    /// Whether an `If-None-Match` header names this page in any coding (or is `*`); a
    /// weak tag matches its strong twin.
    pub fn matches(&self, if_none_match: &str) -> bool {
        if_none_match.split(',').map(str::trim).any(|t| {
            let t = t.strip_prefix("W/").unwrap_or(t);
            let Some(bare) = t.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else { return t == "*" };
            bare.strip_suffix("-br").or_else(|| bare.strip_suffix("-gz")).unwrap_or(bare) == self.hash
        })
    }

    /// The coding actually sent for a client that accepts `coding` (small pages go as
    /// they are).
    pub fn sent_as(&self, coding: Coding) -> Coding {
        if self.body.len() < COMPRESS_FROM {
            Coding::Identity
        } else {
            coding
        }
    }

    /// The body in `coding` if it is made (the JSON text always is).
    pub fn body(&self, coding: Coding) -> Option<Bytes> {
        match coding {
            Coding::Identity => Some(self.body.clone()),
            Coding::Brotli => self.brotli.get().cloned(),
            Coding::Gzip => self.gzip.get().cloned(),
        }
    }

    /// Makes the body in `coding` (CPU work: called off the async threads); how many
    /// bytes it added (0 when another request made it first).
    pub fn compress(&self, coding: Coding) -> usize {
        let (slot, made) = match coding {
            Coding::Identity => return 0,
            Coding::Brotli => {
                let mut out = Vec::with_capacity(self.body.len() / 4);
                let params = brotli::enc::BrotliEncoderParams { quality: 6, lgwin: 22, ..Default::default() };
                let written = brotli::BrotliCompress(&mut &self.body[..], &mut out, &params);
                (&self.brotli, written.map(|_| out))
            }
            Coding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
                let written = encoder.write_all(&self.body).and_then(|()| encoder.finish());
                (&self.gzip, written)
            }
        };
        // An encoder that fails on bytes in memory is a bug; the page then goes uncompressed
        // (the caller finds no body and sends the text).
        let Ok(made) = made else { return 0 };
        let size = made.len();
        if slot.set(Bytes::from(made)).is_ok() {
            size
        } else {
            0
        }
    }

    /// The bytes this page holds.
    fn size(&self) -> usize {
        self.body.len()
            + self.hash.len()
            + self.brotli.get().map_or(0, Bytes::len)
            + self.gzip.get().map_or(0, Bytes::len)
    }
}

/// A kept page.
struct Slot {
    page: Arc<Rendered>,
    /// The thread's version the page was rendered at (or after).
    version: i64,
    /// When it was last used ([`Lru::order`]'s key).
    tick: u64,
    /// What it is counted as.
    size: usize,
}

/// The kept pages, least recently used first out.
#[derive(Default)]
struct Lru {
    slots: HashMap<String, Slot>,
    order: BTreeMap<u64, String>,
    tick: u64,
    bytes: usize,
}

impl Lru {
    fn cost(key: &str, page: &Rendered) -> usize {
        2 * key.len() + page.size() + OVERHEAD
    }

    /// The page kept for `key` at `version`; a page of an older version is dropped.
    fn get(&mut self, key: &str, version: i64) -> Option<Arc<Rendered>> {
        let slot = self.slots.get_mut(key)?;
        if slot.version != version {
            self.remove(key);
            return None;
        }
        self.tick += 1;
        let key = self.order.remove(&slot.tick).unwrap_or_else(|| key.to_string());
        slot.tick = self.tick;
        self.order.insert(self.tick, key);
        Some(slot.page.clone())
    }

    fn remove(&mut self, key: &str) {
        if let Some(slot) = self.slots.remove(key) {
            self.order.remove(&slot.tick);
            self.bytes -= slot.size;
        }
    }

    /// Keeps `page` for `key` at `version` (unless a newer one is kept), then lets the
    /// least recently used go until the cache is within `limit`.
    fn insert(&mut self, key: String, version: i64, page: Arc<Rendered>, limit: usize) {
        if self.slots.get(&key).is_some_and(|s| s.version > version || Arc::ptr_eq(&s.page, &page)) {
            return;
        }
        self.remove(&key);
        let size = Lru::cost(&key, &page);
        if size > limit {
            return;
        }
        self.tick += 1;
        self.bytes += size;
        self.order.insert(self.tick, key.clone());
        self.slots.insert(key, Slot { page, version, tick: self.tick, size });
        self.shrink(limit);
    }

    /// `page`, kept for `key`, grew (a compressed body was added): counted.
    fn grew(&mut self, key: &str, page: &Arc<Rendered>, limit: usize) {
        let Some(slot) = self.slots.get_mut(key).filter(|s| Arc::ptr_eq(&s.page, page)) else { return };
        let size = Lru::cost(key, page);
        self.bytes = self.bytes - slot.size + size;
        slot.size = size;
        self.shrink(limit);
    }

    fn shrink(&mut self, limit: usize) {
        while self.bytes > limit {
            let Some((_, key)) = self.order.pop_first() else { break };
            if let Some(slot) = self.slots.remove(&key) {
                self.bytes -= slot.size;
            }
        }
    }
}

/// The threads whose versions are asked for, waiting for the next read.
#[derive(Default)]
struct Gate {
    waiting: Vec<(String, oneshot::Sender<Result<i64, String>>)>,
    /// A reader of versions is at work (it takes the waiting ones when its read ends).
    running: bool,
}

/// Threads' versions as read when the store's change mark was `mark`.
#[derive(Default)]
struct Known {
    mark: Option<ChangeMark>,
    versions: HashMap<String, i64>,
}

/// The most versions [`Known`] keeps (it starts again empty past this).
const KNOWN_MOST: usize = 65_536;

/// A rendering under way, that every request for the same page and version awaits.
type Filling = Arc<OnceCell<Arc<Rendered>>>;

/// The whole answer to a request for a page, as the application gave it (run/ready.rs).
pub struct Answer {
    /// The page's thread.
    pub thread: String,
    /// The page's key.
    pub key: String,
    /// The page (not kept alive by the answer: the page cache decides).
    pub page: Weak<Rendered>,
    /// Which of its bodies was sent.
    pub coding: Coding,
    /// The status and the headers sent.
    pub status: StatusCode,
    pub headers: HeaderMap,
}

impl Answer {
    /// What it is counted as, kept under a request key of `key_len` bytes.
    fn size(&self, key_len: usize) -> usize {
        let headers: usize = self.headers.iter().map(|(k, v)| k.as_str().len() + v.len() + 32).sum();
        key_len + self.thread.len() + self.key.len() + headers + OVERHEAD
    }
}

/// The ready answers, by request key, and the bytes they are counted as.
#[derive(Default)]
struct Answers {
    by_request: HashMap<String, Arc<Answer>>,
    bytes: usize,
}

/// The page cache (see the module's documentation).
pub struct Pages {
    db: Arc<Store>,
    /// The `Cache-Control` of every page (the operator's policy).
    cache_control: HeaderValue,
    /// The most bytes kept; 0: the cache is off.
    limit: usize,
    lru: Mutex<Lru>,
    /// The ready answers (within an eighth of `limit`).
    answers: Mutex<Answers>,
    gate: Mutex<Gate>,
    /// The renderings under way: one per page and version.
    filling: Mutex<HashMap<(String, i64), Filling>>,
    /// The versions read since the store's change mark was last seen to move (SQLite):
    /// while it has not, they are still the versions.
    known: Mutex<Known>,
    /// PostgreSQL: the versions known current from the store's announcements, while
    /// this instance's lease holds (store/watch.rs).
    watch: Option<Arc<Watch>>,
    /// Pages answered from memory, and pages rendered, since the start.
    hits: AtomicU64,
    renders: AtomicU64,
    /// Statements that read versions (PostgreSQL), since the start.
    version_reads: AtomicU64,
}

impl Pages {
    /// A cache of at most `limit` bytes over `db` (0: off).
    pub fn new(db: Arc<Store>, limit: usize, policy: CachePolicy) -> Pages {
        Pages {
            cache_control: HeaderValue::from_str(&policy.header()).unwrap_or(HeaderValue::from_static("no-cache")),
            limit,
            lru: Mutex::default(),
            answers: Mutex::default(),
            gate: Mutex::default(),
            filling: Mutex::default(),
            known: Mutex::default(),
            watch: if limit > 0 { db.watch_pages() } else { None },
            db,
            hits: AtomicU64::new(0),
            renders: AtomicU64::new(0),
            version_reads: AtomicU64::new(0),
        }
    }

    /// The `Cache-Control` every page is sent with.
    pub fn cache_control(&self) -> &HeaderValue {
        &self.cache_control
    }

    /// Whether pages are kept at all.
    pub fn on(&self) -> bool {
        self.limit > 0
    }

    /// The bytes kept now, pages and ready answers.
    pub fn bytes(&self) -> usize {
        lock(&self.lru).bytes + lock(&self.answers).bytes
    }

    /// The most bytes the pages may take: the limit less the ready answers' share.
    fn pages_limit(&self) -> usize {
        self.limit - self.limit / 8
    }

    /// The ready answer kept for the request `request`, if one is.
    pub fn answer(&self, request: &str) -> Option<Arc<Answer>> {
        lock(&self.answers).by_request.get(request).cloned()
    }

    /// Keeps `answer` for the request `request`; when the answers would go past their
    /// share of the limit, all those kept before are forgotten.
    pub fn keep_answer(&self, request: String, answer: Answer) {
        let size = answer.size(request.len());
        let share = self.limit / 8;
        if size > share {
            return;
        }
        let mut answers = lock(&self.answers);
        if let Some(before) = answers.by_request.remove(&request) {
            answers.bytes -= before.size(request.len());
        }
        if answers.bytes + size > share {
            answers.by_request.clear();
            answers.bytes = 0;
        }
        answers.bytes += size;
        answers.by_request.insert(request, Arc::new(answer));
    }

    /// How many ready answers are kept now.
    pub fn answers(&self) -> usize {
        lock(&self.answers).by_request.len()
    }

    /// How many pages are kept now.
    pub fn len(&self) -> usize {
        lock(&self.lru).slots.len()
    }

    /// Pages answered from memory and pages rendered, since the start.
    pub fn counts(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.renders.load(Ordering::Relaxed))
    }

    /// Whether no page is kept.
    /// Statements that read thread versions since the start (PostgreSQL), and whether
    /// the versions known from the store's announcements are trusted now.
    pub fn version_reads(&self) -> (u64, bool) {
        (self.version_reads.load(Ordering::Relaxed), self.watch.as_ref().is_some_and(|w| w.trusted()))
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The version of `thread`, read by a statement that began after this call.
    pub async fn version(self: &Arc<Self>, thread: &str) -> Result<i64, Error> {
        // SQLite: when nothing was committed since the version was read (the store's
        // change mark is the same: no statement, no lock), that version; else a row read
        // at once, here (a few microseconds; no thread is woken).
        if let Some(mark) = self.db.change_mark() {
            {
                let known = lock(&self.known);
                if known.mark == Some(mark) {
                    if let Some(version) = known.versions.get(thread) {
                        return Ok(*version);
                    }
                }
            }
            // Read after the mark: if the mark is still `mark` later, nothing was
            // committed since, and this is still the version.
            if let Some(read) = self.db.thread_version_at_once(thread) {
                let version = read?;
                let mut known = lock(&self.known);
                if known.mark != Some(mark) || known.versions.len() >= KNOWN_MOST {
                    known.mark = Some(mark);
                    known.versions.clear();
                }
                known.versions.insert(thread.to_string(), version);
                return Ok(version);
            }
        }
        if let Some(read) = self.db.thread_version_at_once(thread) {
            return Ok(read?);
        }
        // PostgreSQL: a version known from the announcements while the lease holds;
        // else read (and known from then on, if nothing was announced meanwhile).
        let Some(watch) = &self.watch else { return self.read_version(thread).await };
        if let Some(version) = watch.known(thread) {
            return Ok(version);
        }
        let epoch = watch.epoch();
        let version = self.read_version(thread).await?;
        watch.learn(thread, version, epoch);
        Ok(version)
    }

    /// The version of `thread` read by the next statement that reads versions (one for
    /// all the threads asked for meanwhile).
    async fn read_version(self: &Arc<Self>, thread: &str) -> Result<i64, Error> {
        let (tx, rx) = oneshot::channel();
        let start = {
            let mut gate = lock(&self.gate);
            gate.waiting.push((thread.to_string(), tx));
            !std::mem::replace(&mut gate.running, true)
        };
        if start {
            let pages = self.clone();
            // The reader of versions: it ends when nobody waits.
            tokio::spawn(async move { pages.read_versions().await });
        }
        match rx.await {
            Ok(Ok(version)) => Ok(version),
            Ok(Err(cause)) => Err(Error::Read(crate::store::ReadError { cause, unavailable: true })),
            Err(_) => Err(Error::Internal("the reader of thread versions stopped")),
        }
    }

    /// Reads the versions of every waiting thread in one statement, again and again,
    /// while requests wait.
    async fn read_versions(&self) {
        loop {
            let waiting = {
                let mut gate = lock(&self.gate);
                if gate.waiting.is_empty() {
                    gate.running = false;
                    return;
                }
                std::mem::take(&mut gate.waiting)
            };
            let mut threads: Vec<String> = waiting.iter().map(|(t, _)| t.clone()).collect();
            threads.sort_unstable();
            threads.dedup();
            self.version_reads.fetch_add(1, Ordering::Relaxed);
            let read = match self.db.thread_versions_soon(threads.clone()) {
                Some(soon) => soon.await.map_err(|e| e.cause),
                None => {
                    let db = self.db.clone();
                    match blocking(move || db.thread_versions(&threads)).await {
                        Ok(read) => read.map_err(|e| e.cause),
                        Err(_) => Err("the read of thread versions stopped".to_string()),
                    }
                }
            };
            for (thread, answer) in waiting {
                let _ = answer.send(match &read {
                    Ok(versions) => Ok(versions.get(&thread).copied().unwrap_or(0)),
                    Err(cause) => Err(cause.clone()),
                });
            }
        }
    }

    /// The page for `key` of `thread`: from memory when its thread has not changed
    /// since it was rendered, else from `render` (once for all who ask at once), kept.
    pub async fn page(
        self: &Arc<Self>,
        thread: &str,
        key: String,
        render: impl FnOnce() -> Result<String, Error> + Send + 'static,
    ) -> Result<Arc<Rendered>, Error> {
        let version = self.version(thread).await?;
        if let Some(page) = self.kept(&key, version) {
            return Ok(page);
        }
        let filling = (key, version);
        let cell = lock(&self.filling).entry(filling.clone()).or_default().clone();
        let made = cell
            .get_or_try_init(|| async move {
                self.renders.fetch_add(1, Ordering::Relaxed);
                Ok::<_, Error>(Arc::new(Rendered::new(blocking(render).await??)))
            })
            .await
            .cloned();
        {
            let mut under_way = lock(&self.filling);
            if under_way.get(&filling).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                under_way.remove(&filling);
            }
        }
        let page = made?;
        let (key, version) = filling;
        lock(&self.lru).insert(key, version, page.clone(), self.pages_limit());
        Ok(page)
    }

    /// The page kept for `key` at `version`, if it is (an answer from memory: counted).
    pub fn kept(&self, key: &str, version: i64) -> Option<Arc<Rendered>> {
        let page = lock(&self.lru).get(key, version)?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(page)
    }

    /// `page`'s body in `coding`, made now if no request asked for it before (and
    /// counted against the limit).
    pub async fn body(self: &Arc<Self>, key: &str, page: &Arc<Rendered>, coding: Coding) -> Result<Bytes, Error> {
        if let Some(body) = page.body(coding) {
            return Ok(body);
        }
        let made = page.clone();
        let added = blocking(move || made.compress(coding)).await?;
        if added > 0 {
            lock(&self.lru).grew(key, page, self.pages_limit());
        }
        Ok(page.body(coding).unwrap_or_else(|| page.text().clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coding_follows_accept_encoding_and_its_weights() {
        let cases = [
            (None, Coding::Identity),
            (Some(""), Coding::Identity),
            (Some("gzip, deflate, br, zstd"), Coding::Brotli),
            (Some("gzip"), Coding::Gzip),
            (Some("br;q=0.5, gzip"), Coding::Gzip),
            (Some("br;q=0, gzip;q=0"), Coding::Identity),
            (Some("identity"), Coding::Identity),
            (Some("*"), Coding::Brotli),
            (Some("*;q=0.1, br;q=0"), Coding::Gzip),
            (Some("GZIP;Q=1"), Coding::Gzip),
            (Some("deflate"), Coding::Identity),
        ];
        for (accept, coding) in cases {
            assert_eq!(Coding::choose(accept), coding, "{accept:?}");
        }
    }

    #[test]
    fn a_pages_tags_are_strong_per_coding_and_any_of_them_matches() {
        let page = Rendered::new("{\"comments\":[]}".into());
        let text = |coding| page.tag(coding).to_str().expect("ASCII").to_string();
        let plain = text(Coding::Identity);
        assert!(plain.starts_with('"') && plain.ends_with('"') && plain.len() == 34, "{plain}");
        assert_ne!(page.tag(Coding::Identity), Rendered::new("{\"comments\":[1]}".into()).tag(Coding::Identity));
        let [br, gz] = [text(Coding::Brotli), text(Coding::Gzip)];
        assert!(br.ends_with("-br\"") && gz.ends_with("-gz\""));
        for header in [plain.clone(), br, gz, format!("W/{plain}"), format!("\"x\", {plain}"), "*".into()] {
            assert!(page.matches(&header), "{header}");
        }
        for header in ["\"abc\"", "", &plain[1..33], &format!("\"{}-zz\"", &plain[1..33])] {
            assert!(!page.matches(header), "{header}");
        }
    }

    #[test]
    fn compressed_bodies_decode_to_the_text_and_small_pages_go_as_they_are() {
        let text = format!("{{\"comments\":[{}]}}", vec!["{\"body\":\"a comment long enough\"}"; 40].join(","));
        let page = Rendered::new(text.clone());
        assert!(page.compress(Coding::Brotli) > 0 && page.compress(Coding::Gzip) > 0);
        assert_eq!(page.compress(Coding::Brotli), 0, "made once");
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &page.body(Coding::Brotli).expect("made")[..], &mut plain).expect("brotli");
        assert_eq!(plain, text.as_bytes());
        let gzipped = page.body(Coding::Gzip).expect("made");
        let mut gunzip = flate2::read::GzDecoder::new(&gzipped[..]);
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut gunzip, &mut plain).expect("gzip");
        assert_eq!(plain, text);
        assert!(page.size() < text.len() * 2, "both compressed bodies are small");
        assert_eq!(Rendered::new("{}".into()).sent_as(Coding::Brotli), Coding::Identity);
    }

    fn page(n: usize) -> Arc<Rendered> {
        Arc::new(Rendered::new("x".repeat(n)))
    }

    #[test]
    fn the_least_recently_used_page_goes_first_and_the_bytes_stay_within_the_limit() {
        let mut lru = Lru::default();
        let limit = 3 * Lru::cost("k0", &page(1000)) + 10;
        for k in ["k0", "k1", "k2"] {
            lru.insert(k.into(), 1, page(1000), limit);
        }
        assert!(lru.get("k0", 1).is_some(), "k0 used: k1 is now the oldest");
        lru.insert("k3".into(), 1, page(1000), limit);
        assert!(lru.get("k1", 1).is_none(), "the least recently used went");
        for k in ["k0", "k2", "k3"] {
            assert!(lru.get(k, 1).is_some(), "{k} stays");
        }
        assert!(lru.bytes <= limit && lru.bytes == lru.slots.values().map(|s| s.size).sum::<usize>());
        assert_eq!(lru.order.len(), lru.slots.len());

        lru.insert("huge".into(), 1, page(limit), limit);
        assert!(lru.get("huge", 1).is_none(), "a page larger than the limit is not kept");
        assert_eq!(lru.slots.len(), 3, "and pushes nothing out");

        assert!(lru.get("k0", 2).is_none(), "a newer version of the thread: the page is gone");
        assert!(!lru.slots.contains_key("k0"));
        lru.insert("k2".into(), 0, page(10), limit);
        assert_eq!(lru.get("k2", 1).map(|p| p.text().len()), Some(1000), "an older rendering never replaces a newer");
    }

    #[test]
    fn a_compressed_body_is_counted_and_can_push_others_out() {
        let mut lru = Lru::default();
        let text = || Arc::new(Rendered::new("abc ".repeat(2000)));
        let (a, b) = (text(), text());
        let limit = Lru::cost("a", &a) + Lru::cost("b", &b);
        lru.insert("a".into(), 1, a.clone(), limit);
        lru.insert("b".into(), 1, b.clone(), limit);
        assert_eq!(lru.slots.len(), 2, "both fit exactly");
        assert!(b.compress(Coding::Gzip) > 0);
        lru.grew("b", &b, limit);
        assert!(lru.get("a", 1).is_none(), "b's gzip body is counted: a, the older, went");
        assert!(lru.bytes <= limit);
        assert_eq!(lru.slots["b"].size, Lru::cost("b", &b));
    }
}
