//! The XML of a foreign export read into a tree of elements, without a DTD: a file that
//! declares one, or uses an entity other than XML's five and character references, is
//! refused (no external entity is ever resolved), and so is one whose elements nest
//! deeper than [`MAX_DEPTH`] (an export nests a few levels; a hostile file nesting
//! thousands would exhaust the stack that takes the tree apart).

use quick_xml::events::Event;
use std::io::BufRead;

/// An element of the file: its name as written (`wp:comment`), attributes, text.
#[derive(Default, Debug)]
pub struct Node {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    /// The children called `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    /// The trimmed text of the child `name` ("" without one).
    pub fn text_of(&self, name: &str) -> String {
        self.child(name).map(|c| c.text.trim().to_string()).unwrap_or_default()
    }
    /// The value of the attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// How deep elements may nest (Disqus' and WordPress' exports nest five or six).
pub const MAX_DEPTH: usize = 100;

/// How many lines an event's own bytes end (to say on which line a problem is).
fn lines_in(event: &Event<'_>) -> usize {
    let bytes: &[u8] = match event {
        Event::Start(e) | Event::Empty(e) => e.as_ref(),
        Event::End(e) => e.as_ref(),
        Event::Text(t) => t.as_ref(),
        Event::CData(c) => c.as_ref(),
        Event::Comment(c) => c.as_ref(),
        _ => &[],
    };
    bytes.iter().filter(|b| **b == b'\n').count()
}

/// The document's root element.
pub fn read_tree(input: impl BufRead) -> Result<Node, String> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut stack = vec![Node::default()];
    let mut buf = Vec::new();
    let mut line = 1;
    let at = |reader: &quick_xml::Reader<_>| format!("at byte {}", reader.buffer_position());
    loop {
        let event =
            reader.read_event_into(&mut buf).map_err(|e| format!("not well-formed XML {}: {e}", at(&reader)))?;
        if matches!(event, Event::Start(_)) && stack.len() > MAX_DEPTH {
            return Err(format!("elements nested deeper than {MAX_DEPTH} levels, on line {line}"));
        }
        line += lines_in(&event);
        match event {
            Event::DocType(_) => return Err("the file declares a DTD, which an import never reads".into()),
            Event::Start(ref e) | Event::Empty(ref e) => {
                let mut node =
                    Node { name: String::from_utf8_lossy(e.name().as_ref()).into_owned(), ..Node::default() };
                for attribute in e.attributes() {
                    let attribute = attribute.map_err(|e| format!("a bad attribute {}: {e}", at(&reader)))?;
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| format!("a bad attribute value {}: {e}", at(&reader)))?;
                    node.attributes.push((String::from_utf8_lossy(attribute.key.as_ref()).into_owned(), value.into()));
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(node);
                } else if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
            Event::End(_) => {
                let node = stack.pop().filter(|_| !stack.is_empty()).ok_or("an end tag without its start")?;
                stack.last_mut().ok_or("an end tag without its start")?.children.push(node);
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| format!("text that is not UTF-8 {}: {e}", at(&reader)))?;
                stack.last_mut().ok_or("text outside the document")?.text.push_str(&text);
            }
            Event::CData(c) => {
                let text = String::from_utf8_lossy(&c).into_owned();
                stack.last_mut().ok_or("text outside the document")?.text.push_str(&text);
            }
            Event::GeneralRef(r) => {
                let c = match &*r {
                    b"amp" => Some('&'),
                    b"lt" => Some('<'),
                    b"gt" => Some('>'),
                    b"quot" => Some('"'),
                    b"apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                let name = String::from_utf8_lossy(&r).into_owned();
                let c = c.ok_or(format!("the entity &{name}; {}, which an import never resolves", at(&reader)))?;
                stack.last_mut().ok_or("text outside the document")?.text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if stack.len() != 1 {
        return Err("the file ends inside an element".into());
    }
    stack.pop().and_then(|document| document.children.into_iter().next()).ok_or_else(|| "the file is empty".into())
}
