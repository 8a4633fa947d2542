//! Accepting and serving connections, bounded so that slow or half-open clients cannot
//! take the server down: a deadline for each request's headers (which is also how long
//! an idle keep-alive connection may stay), a deadline for its body, a cap on open
//! connections (below the process's file limit) and on each client's share of them,
//! with load shed by a 503 problem document, and a graceful shutdown with a deadline.

use super::ready::Front;
use super::settings::ConnectionLimits;
use super::state::AppState;
use crate::rules::clients::ClientKey;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How often the rate limiters forget clients whose allowance is whole again.
pub const PRUNE_EVERY: Duration = Duration::from_secs(60);
/// How often the changes PostgreSQL records per thread are folded into their counts
/// (store/reading.rs: a thread's version is read as a count of what is not folded).
pub const FOLD_EVERY: Duration = Duration::from_secs(10);

/// Raises the soft limit on open files to the hard one, and gives the connection cap
/// that leaves room below it for the database's files and the server's own.
pub fn connection_cap(wanted: usize) -> usize {
    const RESERVED: u64 = 64;
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit and setrlimit only read and write the struct passed.
        let soft = unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                return wanted.min(1024 - RESERVED as usize);
            }
            if limit.rlim_cur < limit.rlim_max {
                let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    limit.rlim_cur = limit.rlim_max;
                }
            }
            limit.rlim_cur
        };
        wanted.min(soft.saturating_sub(RESERVED).max(1) as usize)
    }
    #[cfg(not(unix))]
    {
        wanted
    }
}

/// Open connections, in all and per client.
struct Slots {
    open: usize,
    per_client: HashMap<ClientKey, usize>,
}

/// One connection's place in [`Slots`]; given back when dropped.
struct Slot {
    slots: Arc<Mutex<Slots>>,
    client: Option<ClientKey>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.open -= 1;
        if let Some(client) = self.client {
            if let Some(n) = slots.per_client.get_mut(&client) {
                *n -= 1;
                if *n == 0 {
                    slots.per_client.remove(&client);
                }
            }
        }
    }
}

fn take_slot(slots: &Arc<Mutex<Slots>>, limits: &ConnectionLimits, peer: IpAddr, trusted: &[IpAddr]) -> Option<Slot> {
    let mut s = slots.lock().unwrap_or_else(|p| p.into_inner());
    if s.open >= limits.max {
        return None;
    }
    let client = (!trusted.contains(&peer)).then(|| ClientKey::of(peer));
    if let Some(client) = client {
        let n = s.per_client.entry(client).or_insert(0);
        if *n >= limits.per_client {
            return None;
        }
        *n += 1;
    }
    s.open += 1;
    Some(Slot { slots: slots.clone(), client })
}

/// Answers a connection over the caps with 503 and closes it, without reading it.
fn shed(mut stream: TcpStream) {
    const BODY: &str = r#"{"type":"about:blank","title":"Too busy","status":503,"detail":"The comment service is too busy right now. Please try again in a few seconds."}"#;
    tokio::spawn(async move {
        let response = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\nretry-after: 5\r\n\
             cache-control: no-store\r\nx-content-type-options: nosniff\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{BODY}",
            BODY.len()
        );
        let _ = tokio::time::timeout(Duration::from_secs(2), stream.write_all(response.as_bytes())).await;
    });
}

/// A refusal of oversized request headers as a problem document, as every other refusal
/// is. The router's own limit (16 KiB: app.rs) answers most; headers larger than hyper's
/// read buffer (about 400 KB) never reach it, and hyper answers those itself with a bare
/// `431`: [`ProblemHeads`] puts this in its place.
const HEADERS_TOO_LARGE: &str = r#"{"type":"about:blank","title":"Headers too large","status":431,"detail":"A request may carry at most 100 headers and 16384 bytes of them."}"#;

/// A connection whose bare `431` from hyper (headers beyond its buffer) is answered with
/// [`HEADERS_TOO_LARGE`] instead; every other byte passes as it is. Hyper closes the
/// connection after that answer, so nothing follows it; but the client may still be
/// sending its headers, and a socket closed with bytes unread resets the connection,
/// which can throw away the answer before the client reads it. So, after a 431, the
/// close lingers: the server's side is shut, and what the client still sends is read
/// and dropped, for at most [`LINGER`] and [`LINGER_BYTES`].
struct ProblemHeads<S> {
    inner: S,
    /// The problem document still to write, and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
    /// After a 431: the end of the lingering close, once it began, and the bytes dropped.
    linger: Option<(Option<Pin<Box<tokio::time::Sleep>>>, usize)>,
}

/// How long a close after a 431 waits for the client to stop sending.
const LINGER: Duration = Duration::from_secs(2);
/// How many bytes a close after a 431 reads and drops at most.
const LINGER_BYTES: usize = 64 * 1024 * 1024;

impl<S> ProblemHeads<S> {
    fn new(inner: S) -> Self {
        ProblemHeads { inner, pending: None, linger: None }
    }

    /// Whether `buf` is hyper's own bare 431 (the router's has a problem document).
    fn bare_431(buf: &[u8]) -> bool {
        (buf.starts_with(b"HTTP/1.1 431 ") || buf.starts_with(b"HTTP/1.0 431 "))
            && !buf.windows(24).any(|w| w == b"application/problem+json")
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> ProblemHeads<S> {
    /// Writes what is pending of the problem document.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        while let Some((bytes, written)) = self.pending.as_mut() {
            if *written == bytes.len() {
                self.pending = None;
                break;
            }
            match Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *written += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for ProblemHeads<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for ProblemHeads<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        if self.drain(cx)?.is_pending() {
            return Poll::Pending;
        }
        if Self::bare_431(buf) {
            let response = format!(
                "HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/problem+json\r\n\
                 cache-control: no-store\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\
                 content-length: {}\r\n\r\n{HEADERS_TOO_LARGE}",
                HEADERS_TOO_LARGE.len()
            );
            self.pending = Some((response.into_bytes(), 0));
            self.linger = Some((None, 0));
            // Hyper's bytes are taken as written; the document goes in their place.
            return self.drain(cx).map(|done| done.map(|()| buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    /// Hyper writes a response's head and body in one call when the connection takes
    /// several buffers (no copy of the body into its own buffer).
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        if self.drain(cx)?.is_pending() {
            return Poll::Pending;
        }
        match bufs.iter().find(|b| !b.is_empty()) {
            Some(head) if Self::bare_431(head) => self.poll_write(cx, head),
            _ => Pin::new(&mut self.inner).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        if self.drain(cx)?.is_pending() {
            return Poll::Pending;
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        if self.drain(cx)?.is_pending() {
            return Poll::Pending;
        }
        let this = &mut *self;
        let Some((deadline, dropped)) = this.linger.as_mut() else {
            return Pin::new(&mut this.inner).poll_shutdown(cx);
        };
        if deadline.is_none() {
            if Pin::new(&mut this.inner).poll_shutdown(cx)?.is_pending() {
                return Poll::Pending;
            }
            *deadline = Some(Box::pin(tokio::time::sleep(LINGER)));
        }
        let mut scratch = [0u8; 16 * 1024];
        loop {
            if *dropped >= LINGER_BYTES || deadline.as_mut().is_some_and(|d| d.as_mut().poll(cx).is_ready()) {
                break;
            }
            let mut buf = tokio::io::ReadBuf::new(&mut scratch);
            match Pin::new(&mut this.inner).poll_read(cx, &mut buf) {
                Poll::Ready(Ok(())) if !buf.filled().is_empty() => *dropped += buf.filled().len(),
                // The client is done (or gone).
                Poll::Ready(_) => break,
                Poll::Pending => return Poll::Pending,
            }
        }
        // Done: a later call ends at once.
        *dropped = LINGER_BYTES;
        Poll::Ready(Ok(()))
    }
}

/// Serves `router` (the whole application, app.rs) until `shutdown` resolves, then
/// gives the connections in progress `shutdown_timeout` to finish and closes the rest.
pub async fn serve(
    listener: TcpListener,
    app: Arc<AppState>,
    router: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = app.settings.connections;
    let trusted = app.settings.trusted_proxies.clone();
    let pruner = tokio::spawn({
        let app = app.clone();
        async move {
            let mut tick = tokio::time::interval(FOLD_EVERY);
            for n in 0u64.. {
                tick.tick().await;
                // Off the async threads: on PostgreSQL these are queries.
                let app = app.clone();
                let _ = tokio::task::spawn_blocking(move || {
                    if let Err(e) = app.db.fold_thread_changes() {
                        tracing::warn!("folding the threads' changes failed (tried again soon): {e}");
                    }
                    if n % (PRUNE_EVERY.as_secs() / FOLD_EVERY.as_secs()) == 0 {
                        app.prune_rate_limits();
                    }
                })
                .await;
            }
        }
    });
    let router = router.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(limits.body_timeout));
    let front = Front::new(app.clone(), router);
    let slots = Arc::new(Mutex::new(Slots { open: 0, per_client: HashMap::new() }));
    let (stop, stopping) = watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment instead of spinning.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        while connections.try_join_next().is_some() {}
        let Some(slot) = take_slot(&slots, &limits, peer.ip(), &trusted) else {
            shed(stream);
            continue;
        };
        let front = front.clone();
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                let front = front.clone();
                async move { Ok::<_, Infallible>(front.call(request.map(axum::body::Body::new)).await) }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
            let connection = builder.serve_connection(TokioIo::new(ProblemHeads::new(stream)), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                // The only change ever sent is the stop.
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    pruner.abort();
    let _ = stop.send(true);
    let drained =
        tokio::time::timeout(limits.shutdown_timeout, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!("{} connections did not finish within the shutdown deadline; closed", connections.len());
        connections.abort_all();
    }
    Ok(())
}

/// The origins of the pages a server bound to `addr` serves itself (the demo page):
/// `http://addr`, and `http://localhost:port` when bound to loopback. Used when the
/// operator names no `--public-origin`.
pub fn local_origins(addr: SocketAddr) -> Vec<String> {
    let mut origins = vec![format!("http://{addr}")];
    if addr.ip().is_loopback() {
        origins.push(format!("http://localhost:{}", addr.port()));
    }
    origins
}
