//! The one view of a parsed JSON value that the contract's rules read (model.rs
//! and conversation.rs are written against it).

/// A parsed JSON value, as far as reading the contract needs: serde_json's `Value` on
/// the server, the browser's `JSON.parse` result in the widget. The contract's rules are
/// written once against it, so both read an endpoint alike; `fixtures/decode-cases.json`
/// is decoded by both implementations in their tests and must give the same result.
pub trait Json: Sized + Clone {
    /// How a comment's body is kept: `String` natively; in the browser, the parsed
    /// JavaScript string itself, so that text only displayed never crosses into wasm.
    type Text: Clone + std::fmt::Debug + PartialEq;
    /// The member `key` of an object; `None` when absent or `null`, or not an object.
    fn member(&self, key: &str) -> Option<Self>;
    /// The text of a string.
    fn string(&self) -> Option<String>;
    /// A string kept as [`Json::Text`].
    fn text(&self) -> Option<Self::Text>;
    /// The value of a number.
    fn number(&self) -> Option<f64>;
    /// The value of `true` or `false`.
    fn boolean(&self) -> Option<bool>;
    /// The digits of an integer written without a fraction or exponent, exactly, however
    /// large (`12345678901234567890123`); `None` for any other value.
    fn integer_digits(&self) -> Option<String>;
    /// True for an object (not an array, not `null`).
    fn is_object(&self) -> bool;
    /// The members of an object, in order.
    fn entries(&self) -> Option<Vec<(String, Self)>>;
    /// The length of an array.
    fn array_len(&self) -> Option<usize>;
    /// Item `index` of an array.
    fn item(&self, index: usize) -> Option<Self>;
}
