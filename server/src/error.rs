//! The server's one error type. Each variant has its own status and a message that is
//! true for the request it answers; the cause of a server-side failure travels with the
//! response to the logging layer ([`log_failures`]), the one place that logs it.

use crate::problem::Problem;
use crate::store::{ReadError, WriteError};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why a request was not answered as asked.
#[derive(Debug)]
pub enum Error {
    /// The client's request was refused; the problem document says why.
    Refused(Problem),
    /// The comments could not be read.
    Read(ReadError),
    /// A comment could not be stored.
    Write(WriteError),
    /// The work for the request stopped before it finished (a panic in a worker).
    Task(tokio::task::JoinError),
    /// A fault of the server's own set-up.
    Internal(&'static str),
}

impl From<Problem> for Error {
    fn from(p: Problem) -> Self {
        Error::Refused(p)
    }
}

impl From<ReadError> for Error {
    fn from(e: ReadError) -> Self {
        Error::Read(e)
    }
}

impl From<WriteError> for Error {
    fn from(e: WriteError) -> Self {
        Error::Write(e)
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(e: tokio::task::JoinError) -> Self {
        Error::Task(e)
    }
}

/// What went wrong on the server's side, attached to the response for the log.
#[derive(Clone, Debug)]
pub struct Cause(pub String);

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (problem, cause) = match self {
            Error::Refused(problem) => return problem.into_response(),
            // The store cannot be reached for now (PostgreSQL down): 503, try again.
            Error::Read(e) if e.unavailable => (Problem::unavailable_to_read(), e.to_string()),
            Error::Read(e) => (
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Storage error",
                    "The comments could not be loaded. Please try again.",
                ),
                e.to_string(),
            ),
            // Logged by the store when the fault begins and when it clears, not here.
            Error::Write(WriteError::Unavailable(_)) => return Problem::unavailable().into_response(),
            Error::Write(e) => (
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Storage error",
                    "The comment could not be saved. Please try again.",
                ),
                e.to_string(),
            ),
            Error::Task(e) => (
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    "The server could not finish this request. Please try again.",
                ),
                format!("a request's worker stopped: {e}"),
            ),
            Error::Internal(what) => (
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    "The server could not finish this request. Please try again.",
                ),
                what.to_string(),
            ),
        };
        let mut response = problem.into_response();
        response.extensions_mut().insert(Cause(cause));
        response
    }
}

/// The logging layer (`axum::middleware::map_response`): logs the cause of every
/// server-side failure once, with the request's method and path.
pub async fn log_failures(method: axum::http::Method, uri: axum::http::Uri, response: Response) -> Response {
    if let Some(Cause(cause)) = response.extensions().get::<Cause>() {
        tracing::error!(%method, path = uri.path(), status = response.status().as_u16(), "{cause}");
    }
    response
}

/// Runs blocking database work off the async threads.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    Ok(tokio::task::spawn_blocking(f).await?)
}
