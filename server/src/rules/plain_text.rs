//! Comments imported from other systems are HTML (Disqus) or text with some HTML
//! (WordPress); ours are plain text. This turns such a message into the text a reader
//! saw: paragraphs with a blank line between them, line breaks kept, links as their
//! text with the address after it, entities decoded, everything else (tags, scripts,
//! styles, comments) dropped. The result is stored and shown as text, never as HTML.

/// Tags that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "blockquote",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "table",
    "tr",
    "section",
    "article",
    "figure",
    "hr",
];
/// Tags whose content is not text a reader saw.
const HIDDEN: &[&str] = &["script", "style", "template", "head", "title", "noscript", "iframe", "object"];

/// Text from a client that is shown on one line (a moderator's note, an article's
/// headline): white space runs made one space, control characters dropped, at most
/// `most` characters.
pub fn one_line(text: &str, most: usize) -> String {
    let spaced = text.split_whitespace().collect::<Vec<_>>().join(" ");
    spaced.chars().filter(|c| !c.is_control()).take(most).collect()
}

/// The plain text of `html`. With `newlines`, the input's own line breaks count (as
/// WordPress stores comments: a blank line between paragraphs); without, they are
/// spaces (as in HTML).
pub fn plain_text(html: &str, newlines: bool) -> String {
    let mut out = Text::default();
    let mut rest = html;
    let mut link: Option<(String, usize)> = None;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(tail) = rest.strip_prefix("<!--") {
                rest = tail.find("-->").map_or("", |end| &tail[end + 3..]);
                continue;
            }
            let Some((tag, after)) = tag_at(rest) else {
                out.push_char('<');
                rest = &rest[1..];
                continue;
            };
            rest = after;
            let name = tag.name.as_str();
            if HIDDEN.contains(&name) && !tag.closing && !tag.self_closing {
                let close = format!("</{name}");
                rest = find_ascii_case_insensitive(rest, &close).map_or("", |at| {
                    let tail = &rest[at..];
                    tail.find('>').map_or("", |end| &tail[end + 1..])
                });
            } else if name == "br" {
                out.line_break();
            } else if BLOCKS.contains(&name) {
                out.paragraph();
            } else if name == "a" && !tag.closing {
                link = tag.href.map(|href| (href, out.text.len()));
            } else if name == "a" {
                if let Some((href, start)) = link.take() {
                    let shown = out.text[start..].trim().to_string();
                    if (href.starts_with("https://") || href.starts_with("http://")) && shown != href {
                        out.push_str(&format!(" ({href})"));
                    }
                }
            }
            continue;
        }
        if c == '&' {
            if let Some((decoded, after)) = entity_at(rest) {
                out.push_char(decoded);
                rest = after;
                continue;
            }
        }
        match c {
            '\n' if newlines => {
                if rest[1..].trim_start_matches([' ', '\t', '\r']).starts_with('\n') {
                    out.paragraph();
                    rest = rest[1..].trim_start_matches([' ', '\t', '\r', '\n']);
                    continue;
                }
                out.line_break();
            }
            c if c.is_whitespace() => out.space(),
            c => out.push_char(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out.finish()
}

/// The text being built: spaces collapse, a paragraph break is one blank line.
#[derive(Default)]
struct Text {
    text: String,
    pending: Option<&'static str>,
}

impl Text {
    fn push_char(&mut self, c: char) {
        self.flush();
        self.text.push(c);
    }
    fn push_str(&mut self, s: &str) {
        self.flush();
        self.text.push_str(s);
    }
    fn flush(&mut self) {
        if let Some(gap) = self.pending.take() {
            if !self.text.is_empty() {
                self.text.push_str(gap);
            }
        }
    }
    fn space(&mut self) {
        if self.pending.is_none() {
            self.pending = Some(" ");
        }
    }
    fn line_break(&mut self) {
        if self.pending != Some("\n\n") {
            self.pending = Some("\n");
        }
    }
    fn paragraph(&mut self) {
        self.pending = Some("\n\n");
    }
    fn finish(self) -> String {
        self.text.lines().map(str::trim).collect::<Vec<_>>().join("\n").trim().to_string()
    }
}

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    href: Option<String>,
}

/// The tag at the start of `text` (which starts with `<`), and what follows it; `None`
/// when it is not a tag (a lone `<` in text).
fn tag_at(text: &str) -> Option<(Tag, &str)> {
    let body = &text[1..];
    let closing = body.starts_with('/');
    let name_start = if closing { &body[1..] } else { body };
    let name: String = name_start.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    if name.is_empty() && !name_start.starts_with('!') && !name_start.starts_with('?') {
        return None;
    }
    let mut quote = None;
    let end = body.char_indices().find(|&(_, c)| match quote {
        Some(q) if c == q => {
            quote = None;
            false
        }
        Some(_) => false,
        None if c == '"' || c == '\'' => {
            quote = Some(c);
            false
        }
        None => c == '>',
    })?;
    let inside = &body[..end.0];
    let href = attribute(inside, "href").map(|h| decode_entities(&h));
    let tag = Tag { name: name.to_ascii_lowercase(), closing, self_closing: inside.ends_with('/'), href };
    Some((tag, &body[end.0 + 1..]))
}

/// An attribute's value in a tag's inside, quoted or not.
fn attribute(inside: &str, name: &str) -> Option<String> {
    let at = find_ascii_case_insensitive(inside, &format!("{name}="))?;
    let value = &inside[at + name.len() + 1..];
    match value.chars().next()? {
        q @ ('"' | '\'') => value[1..].split(q).next().map(str::to_string),
        _ => value.split(|c: char| c.is_whitespace() || c == '>').next().map(str::to_string),
    }
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(&needle.to_ascii_lowercase())
}

/// The character of the entity at the start of `text`, and what follows it.
fn entity_at(text: &str) -> Option<(char, &str)> {
    let end = text[..text.len().min(12)].find(';')?;
    let name = &text[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" | "#39" => '\'',
        "nbsp" => ' ',
        "mdash" => '\u{2014}',
        "ndash" => '\u{2013}',
        "hellip" => '\u{2026}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201C}',
        "rdquo" => '\u{201D}',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace())?
        }
    };
    Some((c, &text[end + 1..]))
}

fn decode_entities(text: &str) -> String {
    let (mut out, mut rest) = (String::new(), text);
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        match entity_at(&rest[at..]) {
            Some((c, after)) => {
                out.push(c);
                rest = after;
            }
            None => {
                out.push('&');
                rest = &rest[at + 1..];
            }
        }
    }
    out + rest
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn paragraphs_are_separated_by_a_blank_line_and_breaks_kept() {
        assert_eq!(plain_text("<p>One\n  two</p><p>Three<br>four</p>", false), "One two\n\nThree\nfour");
        assert_eq!(plain_text("First line\nsecond\n\nNew paragraph", true), "First line\nsecond\n\nNew paragraph");
    }

    #[test]
    fn links_keep_their_address_and_entities_are_decoded() {
        let html = r#"<p>See <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow">this</a> &amp; &lt;that&gt; &#8212; &#x263A;</p>"#;
        assert_eq!(plain_text(html, false), "See this (https://example.com/a?b=1&c=2) & <that> \u{2014} \u{263A}");
        assert_eq!(plain_text(r#"<a href="https://x.example">https://x.example</a>"#, false), "https://x.example");
    }

    #[test]
    fn scripts_styles_comments_and_every_tag_are_dropped() {
        let html = "<script>alert(1)</script><style>p{}</style><!-- hidden --><b onclick=\"x()\">bold</b> <img src=x onerror=alert(1)> a < b";
        assert_eq!(plain_text(html, false), "bold a < b");
        assert_eq!(plain_text("<SCRIPT>evil()</SCRIPT>kept", false), "kept");
        assert_eq!(plain_text("<script>never closed", false), "");
    }
}
