//! The widget's entry point: a panic hook, then a widget on every host element.

fn main() {
    reader_comments::start();
}
