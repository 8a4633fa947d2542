//! Readers signed in with the site's own accounts (`--sign-in`, docs/deploy.md): the
//! site signs a short-lived JWT for its logged-in reader, the widget sends it as
//! `Authorization: Bearer …` with a post, a recommend or a report, and this module says
//! who it names, or why it is refused. No cookie of ours is involved.
//!
//! The token is checked with `jsonwebtoken` against one key and its one algorithm
//! family: HS256 with a shared secret, or RS256 / EdDSA with the site's public key.
//! `alg: none`, another algorithm, a bad signature, an expired or not-yet-valid token,
//! one valid for more than 24 hours, and one without `sub` or `name` are all refused.

use crate::problem::Problem;
use crate::store::{ReadError, Store};
use axum::http::StatusCode;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use reader_comments_core::time::format_rfc3339;
use serde::Deserialize;
use serde_json::json;

/// Whether readers sign in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignInMode {
    /// Anonymous comments only; a token sent is ignored.
    #[default]
    Off,
    /// A signed-in reader posts under the account's name, marked verified; others post
    /// as before.
    Optional,
    /// Everyone reads; only signed-in readers post, reply, recommend and report.
    Required,
}

impl std::str::FromStr for SignInMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "off" => Ok(SignInMode::Off),
            "optional" => Ok(SignInMode::Optional),
            "required" => Ok(SignInMode::Required),
            other => Err(format!("sign-in must be off, optional or required, not {other:?}")),
        }
    }
}

impl SignInMode {
    /// The mode as the contract's capabilities spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            SignInMode::Off => "off",
            SignInMode::Optional => "optional",
            SignInMode::Required => "required",
        }
    }
}

/// The longest a token may be valid for, ahead of now.
pub const MAX_LIFETIME_S: u64 = 24 * 3600;

/// Seconds of clock difference between the site and this server forgiven.
pub const LEEWAY_S: u64 = 60;

/// How tokens are checked: the key and the one algorithm it is for.
#[derive(Clone)]
pub struct Verifier {
    key: DecodingKey,
    algorithm: Algorithm,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Verifier({:?})", self.algorithm)
    }
}

impl Verifier {
    /// HS256 with a secret shared with the site: at least 32 bytes.
    pub fn secret(secret: &[u8]) -> Result<Verifier, String> {
        if secret.len() < 32 {
            return Err("the sign-in secret must be at least 32 bytes (for example 64 random hex digits)".into());
        }
        Ok(Verifier { key: DecodingKey::from_secret(secret), algorithm: Algorithm::HS256 })
    }

    /// The site's public key in PEM: RSA (RS256) or Ed25519 (EdDSA).
    pub fn public_key(pem: &[u8]) -> Result<Verifier, String> {
        if let Ok(key) = DecodingKey::from_rsa_pem(pem) {
            return Ok(Verifier { key, algorithm: Algorithm::RS256 });
        }
        if let Ok(key) = DecodingKey::from_ed_pem(pem) {
            return Ok(Verifier { key, algorithm: Algorithm::EdDSA });
        }
        Err("the sign-in key is not an RSA or Ed25519 public key in PEM".into())
    }

    /// The algorithm tokens must be signed with.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

/// How the server takes signed-in readers.
#[derive(Clone, Debug, Default)]
pub struct SignIn {
    /// Off, optional or required.
    pub mode: SignInMode,
    /// The key tokens are checked with (always present unless the mode is off).
    pub verifier: Option<Verifier>,
    /// Where a reader signs in (`required`: the widget links there with the article's
    /// address to come back to).
    pub url: Option<String>,
}

/// The reader a valid token names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The site's account id (`sub`).
    pub id: String,
    /// The display name (`name`), normalised as an author's name is.
    pub name: String,
    /// The e-mail address, when the site says it is verified.
    pub email: Option<String>,
    /// The token has the `staff` role.
    pub staff: bool,
}

/// The claims read from a token; anything else in it is ignored.
#[derive(Deserialize)]
struct Claims {
    sub: String,
    name: Option<String>,
    exp: u64,
    email: Option<String>,
    email_verified: Option<bool>,
    #[serde(default)]
    roles: Vec<String>,
}

/// 401 with a code the widget acts on, and a detail for the site's developers.
fn refused(code: &'static str, detail: impl Into<String>) -> Problem {
    let title = match code {
        "sign_in_expired" => "Your sign-in has expired",
        "sign_in_required" => "Sign in to comment",
        _ => "Your sign-in could not be checked",
    };
    Problem::new(StatusCode::UNAUTHORIZED, title, detail).coded(code)
}

/// The 401 of a change made without signing in where the server requires it.
pub fn required() -> Problem {
    refused("sign_in_required", "This site asks readers to sign in before they comment, recommend or report.")
}

impl SignIn {
    /// The account `token` names, or the problem that refuses it. `exp` and `nbf` are
    /// checked against the clock (by jsonwebtoken); `now_s` (seconds since the epoch)
    /// bounds how far ahead `exp` may be.
    pub fn verify(&self, token: &str, now_s: u64) -> Result<Account, Problem> {
        let Some(verifier) = &self.verifier else { return Err(refused("sign_in_invalid", "Sign-in is off.")) };
        let mut rules = Validation::new(verifier.algorithm);
        rules.leeway = LEEWAY_S;
        rules.validate_nbf = true;
        rules.validate_aud = false;
        rules.set_required_spec_claims(&["exp", "sub"]);
        let claims = decode::<Claims>(token, &verifier.key, &rules).map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => refused("sign_in_expired", "The sign-in token has expired."),
            ErrorKind::ImmatureSignature => refused("sign_in_invalid", "The sign-in token is not valid yet (nbf)."),
            ErrorKind::InvalidAlgorithm => {
                refused("sign_in_invalid", format!("The sign-in token must be signed with {:?}.", verifier.algorithm))
            }
            ErrorKind::InvalidSignature => refused("sign_in_invalid", "The sign-in token's signature is not valid."),
            _ => refused("sign_in_invalid", format!("The sign-in token could not be read ({e}).")),
        })?;
        let claims = claims.claims;
        if claims.exp > now_s + MAX_LIFETIME_S + LEEWAY_S {
            return Err(refused("sign_in_invalid", "A sign-in token may be valid for at most 24 hours (exp)."));
        }
        let id = claims.sub.trim();
        if !valid_account_id(id) {
            return Err(refused("sign_in_invalid", "The sign-in token's sub must be 1 to 200 characters."));
        }
        let name = claims.name.unwrap_or_default();
        if let Some(error) = reader_comments_core::validate_author(&name) {
            let detail = format!("The sign-in token's name is not one a reader could use: {}", error.message());
            return Err(refused("sign_in_invalid", detail));
        }
        let email = claims.email.filter(|e| claims.email_verified == Some(true) && e.contains('@') && e.len() <= 254);
        Ok(Account {
            id: id.to_string(),
            name: reader_comments_core::validate::normalize(&name),
            email,
            staff: claims.roles.iter().any(|r| r == "staff"),
        })
    }
}

/// Everything the store keeps about a signed-in reader's account, as JSON for its owner
/// (`account export`, and a moderator's download in `/admin`): its comments wherever
/// they stand, its rejected ones with the moderators' reasons, its suspension or ban,
/// and the address e-mail goes to when it asked for e-mail.
pub fn export(store: &Store, account: &str, now_ms: i64) -> Result<serde_json::Value, ReadError> {
    let history = store.account_history(account, now_ms)?;
    let comments: Vec<_> = history
        .comments
        .iter()
        .map(|(c, _)| {
            let mut one = json!(c.comment);
            one["thread"] = json!(c.thread);
            one
        })
        .collect();
    let rejected: Vec<_> = history
        .rejected
        .iter()
        .map(|r| {
            json!({
                "id": r.comment.id, "thread": r.thread, "author": r.comment.author, "body": r.comment.body,
                "created_at": r.comment.created_at.map(format_rfc3339), "rejected_at": format_rfc3339(r.at),
                "reason": r.reason, "note": r.note,
            })
        })
        .collect();
    let bar = history.account.and_then(|(_, bar)| bar).map(
        |b| json!({"until": b.until.map(format_rfc3339), "reason": b.reason, "by": b.by, "at": format_rfc3339(b.at)}),
    );
    Ok(json!({
        "account": account,
        "exported_at": format_rfc3339(now_ms),
        "comments": comments,
        "rejected": rejected,
        "suspension": bar,
        "email_notifications": store.subscriber(account)?,
    }))
}

/// Whether `id` can be a site's account id (a token's `sub`, an export's `account`): 1 to
/// 200 characters, none of them a control character.
pub fn valid_account_id(id: &str) -> bool {
    !id.is_empty() && id.chars().count() <= 200 && !id.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{encode, EncodingKey, Header};

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
    // jsonwebtoken checks `exp` and `nbf` against the clock: the tests' now is the clock's.
    fn now() -> u64 {
        crate::rules::time::now_ms() as u64 / 1000
    }

    fn optional() -> SignIn {
        SignIn { mode: SignInMode::Optional, verifier: Some(Verifier::secret(SECRET).expect("key")), url: None }
    }

    fn token(claims: serde_json::Value) -> String {
        encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(SECRET)).expect("signed")
    }

    fn code(result: Result<Account, Problem>) -> String {
        result.expect_err("refused").code().unwrap_or_default().to_string()
    }

    #[test]
    fn a_good_token_names_its_account_and_a_bad_one_is_refused_with_its_reason() {
        let good = json!({"sub": "u-42", "name": "  Asha Rao ", "exp": now() + 600, "roles": ["staff"],
                          "email": "asha@example.com", "email_verified": true});
        let account = optional().verify(&token(good), now()).expect("valid");
        assert_eq!(
            account,
            Account { id: "u-42".into(), name: "Asha Rao".into(), email: Some("asha@example.com".into()), staff: true }
        );
        let unverified = json!({"sub": "u", "name": "Ana", "exp": now() + 600, "email": "a@b.c"});
        assert_eq!(optional().verify(&token(unverified), now()).expect("valid").email, None);

        assert_eq!(
            code(optional().verify(&token(json!({"sub": "u", "name": "Ana", "exp": now() - 120})), now())),
            "sign_in_expired"
        );
        let too_long = json!({"sub": "u", "name": "Ana", "exp": now() + MAX_LIFETIME_S + 3600});
        assert_eq!(code(optional().verify(&token(too_long), now())), "sign_in_invalid");
        let early = json!({"sub": "u", "name": "Ana", "exp": now() + 600, "nbf": now() + 3600});
        assert_eq!(code(optional().verify(&token(early), now())), "sign_in_invalid");
        assert_eq!(code(optional().verify(&token(json!({"sub": "u", "exp": now() + 60})), now())), "sign_in_invalid");
        assert_eq!(
            code(optional().verify(&token(json!({"name": "Ana", "exp": now() + 60})), now())),
            "sign_in_invalid"
        );
        assert_eq!(code(optional().verify(&token(json!({"sub": "u", "name": "Ana"})), now())), "sign_in_invalid");
        // Another secret, `alg: none`, another algorithm: refused.
        let other = encode(
            &Header::new(Algorithm::HS256),
            &json!({"sub": "u", "name": "Ana", "exp": now() + 60}),
            &EncodingKey::from_secret(b"another secret that is long enough!!"),
        )
        .expect("signed");
        assert_eq!(code(optional().verify(&other, now())), "sign_in_invalid");
        let payload = token(json!({"sub": "u", "name": "Ana", "exp": now() + 60}));
        let body = payload.split('.').nth(1).expect("payload");
        let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{body}.");
        assert_eq!(code(optional().verify(&none, now())), "sign_in_invalid");
        let hs384 = encode(
            &Header::new(Algorithm::HS384),
            &json!({"sub": "u", "name": "Ana", "exp": now() + 60}),
            &EncodingKey::from_secret(SECRET),
        )
        .expect("signed");
        assert_eq!(code(optional().verify(&hs384, now())), "sign_in_invalid");
        assert_eq!(code(optional().verify("not a token", now())), "sign_in_invalid");
    }

    #[test]
    fn a_short_secret_and_a_key_that_is_no_public_key_are_refused() {
        assert!(Verifier::secret(b"short").is_err());
        assert!(Verifier::public_key(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").is_err());
    }
}
