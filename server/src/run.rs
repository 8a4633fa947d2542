//! Running the server: [`settings`] (what the operator chose), [`state`] (what every
//! handler shares), [`limits`] (each client's allowances), [`serve`] (connections,
//! their timeouts and caps, around the application app.rs assembles),
//! [`webhook`] (notifications of held comments, delivered from the store's outbox),
//! [`pages`] (the cache of rendered comment pages), [`ready`] (whole answers
//! to repeated reads of them, given before the router) and [`seed`] (the demo thread).

pub mod limits;
pub mod mailer;
pub mod pages;
pub mod ready;
pub mod seed;
pub mod serve;
pub mod settings;
pub mod state;
pub mod webhook;
