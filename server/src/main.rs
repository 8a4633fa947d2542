//! `reader-comments-server`: the reference server of the Reader Comments contract.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    reader_comments_server::cli::run().await
}
