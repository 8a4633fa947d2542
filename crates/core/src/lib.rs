//! The comment model and the rules that the Reader Comments widget and its reference
//! server must agree on: how characters are counted, what makes a comment valid, how an
//! initials avatar is chosen, and how an endpoint's JSON is read.

pub mod conversation;
pub mod count;
pub mod initials;
pub mod json;
pub mod model;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod time;
pub mod validate;

pub use conversation::{
    decode_capabilities, place, Capabilities, Place, SignInOffer, Sort, REJECT_REASONS, REPORT_REASONS,
};
#[cfg(feature = "tables")]
pub use count::{count_visible, Tables};
pub use count::{count_visible_with, find_cluster, is_invisible, Clusters};
#[cfg(feature = "tables")]
pub use initials::initial;
pub use initials::{avatar_slot, initial_with, AVATAR_SLOTS};
pub use model::{
    decode_comment, decode_created, decode_page_head, decode_page_value, decode_posted_value, decode_problem_value,
    json_object, json_string, Comment, Json, Page, ProblemDetails, ProblemField, Rest, Status,
};
#[cfg(feature = "serde_json")]
pub use model::{decode_page, decode_posted, decode_problem};
pub use validate::{
    fill, message_template, normalize, validate_author_with, validate_body_with, validate_comment_with, FieldError,
    Limits, MAX_AUTHOR,
};
#[cfg(feature = "tables")]
pub use validate::{validate_author, validate_body, validate_comment};
