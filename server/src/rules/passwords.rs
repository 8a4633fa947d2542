//! Moderators' passwords, kept as Argon2id hashes with a fresh salt each; an unknown
//! name is checked against a hash too, so that the answer takes as long. At most
//! [`AT_ONCE`] hashes are computed at once (each takes tens of milliseconds of a core):
//! guessing in parallel waits its turn instead of taking the whole machine.

/// A hash checked when the name is unknown, so that the answer takes as long (made once).
pub fn dummy_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no such moderator").unwrap_or_default()).clone()
}

/// An Argon2id hash of `password` (a fresh random salt).
pub fn hash_password(password: &str) -> Result<String, String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` is the one `hash` was made from.
pub fn verify(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// How many passwords are hashed at once, at most.
pub const AT_ONCE: usize = 2;

/// The turns of the password hashing: hold one while hashing.
pub fn turns() -> &'static tokio::sync::Semaphore {
    static TURNS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);
    &TURNS
}
