// The baseline: a plain, hand-written JavaScript comment section that fetches the same
// JSON and builds the same DOM (list with initials avatars, names, times, bodies, and a
// form with a grapheme counter). The benchmark divides our figures by this page's.
(function () {
  "use strict";
  var el0 = document.getElementById("plain");
  var endpoint = el0.getAttribute("data-endpoint");
  // The same isolation and stylesheet as the widget, so layout and style cost the same.
  var shadow = el0.attachShadow({ mode: "open" });
  var link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = "/dist/reader-comments.css";
  shadow.append(link);
  var host = document.createElement("section");
  host.className = "rc rc--auto";
  shadow.append(host);
  var seg = new Intl.Segmenter("en", { granularity: "grapheme" });
  var rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  var list = document.createElement("ol");
  list.className = "rc-list";
  var heading = document.createElement("h2");
  heading.textContent = "Reader Comments";
  host.append(heading, list);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function count(text) {
    var n = 0;
    for (var _ of seg.segment(text.trim())) n++;
    return n;
  }
  function render(comments, into) {
    var frag = document.createDocumentFragment();
    for (var c of comments) {
      var li = el("li", "rc-comment");
      li.setAttribute("data-id", c.id);
      var first = "";
      for (var s of seg.segment(c.author.trim())) { first = s.segment.toUpperCase(); break; }
      var h = 0x811c9dc5;
      var bytes = new TextEncoder().encode(c.author.trim());
      for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
      var avatar = el("span", "rc-avatar rc-avatar--" + (h % 8), first || "?");
      avatar.setAttribute("aria-hidden", "true");
      var main = el("div", "rc-comment__main");
      var meta = el("p", "rc-comment__meta");
      meta.append(el("bdi", "rc-comment__author", c.author));
      var t = el("time", "rc-comment__time", rtf.format(-Math.round((Date.now() - Date.parse(c.created_at)) / 86400000), "day"));
      t.setAttribute("datetime", c.created_at);
      meta.append(t);
      var body = el("p", "rc-comment__body", c.body);
      body.dir = "auto";
      main.append(meta, body);
      // An endpoint that offers replies gets a Reply button on each comment, as ours does.
      if (offersReplies) {
        var actions = el("div", "rc-comment__actions");
        var reply = el("button", "rc-button rc-button--link rc-reply", "Reply");
        reply.type = "button";
        reply.setAttribute("aria-label", "Reply to " + c.author);
        actions.append(reply);
        main.append(actions);
      }
      // Replies (the benchmark's threaded answer) in a list inside their comment.
      if (c.replies && c.replies.length) {
        var replies = el("ol", "rc-replies");
        replies.setAttribute("aria-label", "Replies to " + c.author);
        render(c.replies, replies);
        main.append(replies);
      }
      li.append(avatar, main);
      frag.append(li);
    }
    (into || list).append(frag);
  }
  var next = null;
  var offersReplies = false;
  var moreBox = el("div", "rc-more");
  var more = el("button", "rc-button rc-button--secondary", "Load more comments");
  moreBox.append(more);
  more.hidden = true;
  more.addEventListener("click", function () { load(next); });
  function load(cursor) {
    var url = cursor ? endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "cursor=" + encodeURIComponent(cursor) : endpoint;
    fetch(url).then(function (r) { return r.json(); }).then(function (doc) {
      offersReplies = !!(doc.capabilities && doc.capabilities.replies);
      render(doc.comments);
      next = doc.next;
      more.hidden = !next;
    });
  }
  var form = el("form", "rc-form");
  var label = el("label", "rc-label", "Your comment");
  label.htmlFor = "plain-body";
  var area = el("textarea", "rc-textarea");
  area.id = "plain-body";
  var meta = el("div", "rc-form__meta");
  var hint = el("span", "rc-hint", "Minimum 50 characters");
  var counter = el("span", "rc-counter", "0/50");
  meta.append(hint, counter);
  area.addEventListener("input", function () { counter.textContent = count(area.value) + "/50"; });
  form.append(label, area, meta);
  host.append(moreBox, el("p", "rc-guideline", "We welcome thoughtful discussions from our readers."), form);
  load(null);
})();
