/*! Reader Comments loader: the one script a page includes.
 *   <script src="https://cdn.example/reader-comments.js" defer></script>
 *   <reader-comments endpoint="https://api.example/threads/ID/comments"></reader-comments>
 * It loads the widget (JS glue, WebAssembly, stylesheet) from its own directory, so the
 * files may sit on a CDN origin that is neither the page's nor the endpoint's. Including
 * it twice is harmless. With loading="lazy" on every host, nothing is fetched until a
 * host nears the viewport.
 *
 * What this file owns and what the widget owns is in docs/loader.md: here, finding the
 * hosts and watching for hosts that come, go or change, reading attributes (the data-
 * rule), the shadow root and stylesheet of each host, the first page's prefetch, and the
 * JSON parse that keeps big integers. The widget owns every rule about the attributes'
 * values (defaults, limits, the endpoint's scheme, the timeout, the locale). */
(function () {
  "use strict";
  var w = window;
  var d = document;
  // The one global: marks the loader as present (a second copy stops here) and holds
  // the wasm memory, for diagnostics and the benchmark.
  if (w.__readerComments) return;
  var self = (w.__readerComments = {});
  var me = d.currentScript;
  var base = new URL(".", me && me.src ? me.src : d.baseURI).href;
  var SELECTOR = "reader-comments, [data-reader-comments]";
  // The largest answer the prefetch reads (the widget's api::MAX_RESPONSE_BYTES; a test
  // keeps the two equal; the widget passes its own to readText).
  var MAX_RESPONSE_BYTES = 4194304;
  var started = false;
  var widget = null;
  var mounted = new Map(); // host element -> its root element in the shadow root
  var prefetched = new Map(); // absolute URL -> { response, abort }
  var early = new Map(); // host -> { shell, view }: its first paint, until the widget mounts

  function attr(host, name) {
    return host.getAttribute(host.localName === "reader-comments" ? name : "data-" + name);
  }

  // The languages with a file in locales/ (the widget's i18n::TRANSLATED; a test keeps
  // the two equal): a page fetches only its own, beside the wasm. English is built in.
  var TRANSLATED = ["hi", "pa", "ur", "bn", "ta", "mr", "gu", "ar"];
  // The languages written right to left (the widget's i18n::RIGHT_TO_LEFT).
  var RIGHT_TO_LEFT = ["ar", "ur", "fa", "he", "ps", "sd", "ug", "yi", "dv", "ckb"];
  var translations = {}; // language -> { ready: Promise, file: object or null once here }

  function languageOf(locale) {
    return String(locale || "").split(/[-_]/)[0].toLowerCase();
  }

  // The language file of `locale`, fetched once; null for English and for a language
  // without one. A file that cannot be had leaves the widget in English (said in the
  // console), never without words.
  function translation(locale) {
    var lang = languageOf(locale);
    if (TRANSLATED.indexOf(lang) < 0) return null;
    var t = translations[lang];
    if (!t) {
      t = translations[lang] = { ready: null, file: null, done: false };
      t.ready = fetch(base + "locales/" + lang + ".json", { credentials: "omit" })
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
        .then(function (file) {
          t.file = file && typeof file === "object" ? file : null;
        })
        .catch(function (e) {
          if (w.console) w.console.warn("reader-comments: the " + lang + " strings could not be loaded; English is shown", e);
        })
        .then(function () {
          t.done = true;
        });
    }
    return t;
  }

  // The section's direction (config.rs): the host's own `dir`, else the language's.
  function dirOf(host, locale) {
    var own = (attr(host, "dir") || host.getAttribute("dir") || "").trim().toLowerCase();
    if (own === "ltr" || own === "rtl" || own === "auto") return own;
    return RIGHT_TO_LEFT.indexOf(languageOf(locale)) < 0 ? "ltr" : "rtl";
  }

  function pageLang() {
    return d.documentElement.getAttribute("lang") || navigator.language || "";
  }

  // JSON.parse that keeps the exact digits of integers too large for a double (as
  // BigInt), where the browser gives revivers the source text.
  // The first paint parses the first page before the widget does: the widget's parse of
  // the same string (once) takes that result instead of parsing megabytes twice.
  var parsedEarly = null;
  function parse(text) {
    if (parsedEarly && parsedEarly.text === text) {
      var value = parsedEarly.value;
      parsedEarly = null;
      return value;
    }
    return parseJson(text);
  }

  function parseJson(text) {
    // No run of 16 digits, no integer beyond 2^53: the plain (faster) parse is exact.
    if (!/\d{16}/.test(text)) return JSON.parse(text);
    return JSON.parse(text, function (key, value, context) {
      if (typeof value === "number" && !Number.isSafeInteger(value) && context &&
          typeof context.source === "string" && /^-?\d+$/.test(context.source)) {
        return BigInt(context.source);
      }
      return value;
    });
  }

  // A response's text, read a chunk at a time: null (and the download cancelled) once
  // it passes `max` bytes, so a hostile endpoint's hundreds of megabytes are neither
  // downloaded nor decoded in one long task. The widget reads every answer with it.
  function readText(r, max) {
    if (+r.headers.get("content-length") > max) {
      if (r.body) r.body.cancel();
      return Promise.resolve(null);
    }
    if (!r.body || !r.body.getReader || typeof TextDecoder === "undefined") {
      return r.text().then(function (t) { return t.length > max ? null : t; });
    }
    var reader = r.body.getReader();
    var decoder = new TextDecoder();
    var parts = [];
    var total = 0;
    var sinceBreak = 0;
    function next() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          parts.push(decoder.decode());
          return parts.join("");
        }
        total += chunk.value.byteLength;
        if (total > max) {
          reader.cancel();
          return null;
        }
        parts.push(decoder.decode(chunk.value, { stream: true }));
        // Chunks already received resolve one after another in the same task: let the
        // page breathe every 512 KB, so that no single task decodes megabytes.
        sinceBreak += chunk.value.byteLength;
        if (sinceBreak < 524288) return next();
        sinceBreak = 0;
        return new Promise(function (go) { setTimeout(go, 0); }).then(next);
      });
    }
    return next();
  }

  // The first page of each thread is fetched while the WebAssembly downloads and
  // compiles, instead of after. Keyed by the absolute URL the browser resolves (spaces
  // around the attribute go), which is how the widget asks for it; the widget bounds
  // the wait with its own timeout and aborts through `abort`.
  function prefetch(host) {
    var url;
    try {
      url = new URL(attr(host, "endpoint") || "", d.baseURI).href;
    } catch (e) {
      return;
    }
    if (!attr(host, "endpoint")) return;
    // The order this reader chose on this endpoint (the widget's memory.rs keeps it):
    // the first page is fetched in it, as the widget will ask for it.
    var sort = null;
    try {
      sort = w.localStorage.getItem("reader-comments:sort:" + url);
    } catch (e) {
      /* storage blocked: the endpoint's own order */
    }
    if (sort === "oldest" || sort === "newest" || sort === "top") url += (url.indexOf("?") < 0 ? "?" : "&") + "sort=" + sort;
    if (prefetched.has(url)) return prefetched.get(url).response;
    var control = new AbortController();
    // cache "no-cache": as the widget asks (api.rs), never a list from before the reader's last post.
    var response = fetch(url, { headers: { Accept: "application/json" }, signal: control.signal, cache: "no-cache" })
      .then(function (r) {
        return readText(r, MAX_RESPONSE_BYTES).then(function (text) {
          if (text === null) return { error: "too_large" };
          return { status: r.status, type: r.headers.get("content-type") || "", retry: r.headers.get("retry-after"), text: text };
        });
      })
      .catch(function () {
        return { error: control.signal.aborted ? "timeout" : "network" };
      });
    prefetched.set(url, { response: response, abort: function () { control.abort(); } });
    return response;
  }

  // ---- The first paint ---------------------------------------------------------------
  // Over a slow connection the first page arrives long before the WebAssembly (5
  // comments at 1.6 Mbps: about 550 ms against 950; docs/performance.md). Meanwhile the
  // loader paints a read-only copy of the first rows, built as the widget builds them
  // (src/comment_list.rs: an e2e test compares the two, byte for byte, and checks that
  // nothing moves when the widget takes over), and the widget replaces it in one frame
  // once it has rendered. It shows only what it can show exactly as the widget will: the
  // contract's own field names, published comments, bodies the widget would not cut,
  // RFC 3339 times; it stops at the first comment that is anything else (the widget adds
  // the rest below). Assistive technology gets the widget's list only, as before (a
  // place kept in a list that is then replaced would be lost), unless the widget cannot
  // load: then the copy stays, for everyone, with a note.
  var FIRST_ROWS = 30;
  // The core's trim_text and is_invisible (crates/core/src/count.rs): Unicode white
  // space, and the characters that render as nothing.
  var SPACE = "\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var INVISIBLE = "\\xad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u200b-\\u200f\\u202a-\\u202e" +
    "\\u2060-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\u{1bca0}-\\u{1bca3}\\u{1d173}-\\u{1d17a}\\u{e0000}-\\u{e0fff}";
  var TRIM = new RegExp("^[" + SPACE + INVISIBLE + "]+|[" + SPACE + INVISIBLE + "]+$", "gu");
  var ONLY_INVISIBLE = new RegExp("^[" + INVISIBLE + "]*$", "u");
  var ONLY_SPACE = new RegExp("^[" + SPACE + "]*$", "u");
  var LONE_SURROGATE = /\p{Cs}/u;
  var TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:Z|([+-])(\d\d):(\d\d))$/;
  var graphemes = null; // one Intl.Segmenter, made by the warm-up in start()
  var utf8 = new TextEncoder();
  var formats = {}; // locale -> Intl.RelativeTimeFormat, or null where refused
  var failed = false; // the widget could not be loaded

  function relativeFormat(locale) {
    if (!(locale in formats)) {
      try {
        formats[locale] = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
      } catch (e) {
        formats[locale] = null;
      }
    }
    return formats[locale];
  }

  // The widget's locale (config.rs): the `locale` attribute, which must be a language
  // tag, else the page's hint, whose first valid tag counts (else English). Null where
  // the widget will refuse the attribute.
  function localeOf(host) {
    var tag = /^[A-Za-z0-9_-]{1,35}$/;
    var own = (attr(host, "locale") || "").trim();
    if (own) return tag.test(own) ? own : null;
    var first = pageLang().split(/[,; \t\n]/).map(function (t) { return t.trim(); }).filter(Boolean)[0];
    return first && tag.test(first) ? first : "en";
  }

  // The avatar's letter (the core's initial_with): the first cluster of the trimmed name
  // that shows something, uppercased unless that makes it two.
  function initial(name) {
    var all = graphemes.segment(name.replace(TRIM, ""))[Symbol.iterator]();
    for (var step = all.next(); !step.done; step = all.next()) {
      var g = step.value.segment;
      if (ONLY_INVISIBLE.test(g) || ONLY_SPACE.test(g)) continue;
      var upper = g.toUpperCase();
      var clusters = graphemes.segment(upper)[Symbol.iterator]();
      clusters.next();
      return clusters.next().done ? upper : g;
    }
    return "?";
  }

  // The avatar's colour (the core's avatar_slot): FNV-1a of the trimmed name's UTF-8.
  function avatarSlot(name) {
    var bytes = utf8.encode(name.replace(TRIM, ""));
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
    return hash % 8;
  }

  // Milliseconds of an RFC 3339 time the way the core reads it (Date.UTC rolls a 30
  // February over as the core does), or null for anything else.
  function timeOf(text) {
    var m = typeof text === "string" && TIME.exec(text);
    if (!m || +m[1] < 1970 || +m[2] < 1 || +m[2] > 12 || +m[3] < 1 || +m[3] > 31 || +m[4] > 23 || +m[5] > 59 || +m[6] > 59) return null;
    var offset = m[8] ? (m[8] === "-" ? -1 : 1) * (+m[9] * 60 + +m[10]) : 0;
    var ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - offset * 60000 + +((m[7] || "") + "000").slice(0, 3);
    return ms >= 0 && ms <= 253402300799999 ? ms : null;
  }

  // The core's relative_parts: how long ago, in the unit a reader would say.
  function ago(then, now, format) {
    var diff = Math.trunc((then - now) / 1000);
    var abs = Math.abs(diff);
    if (abs <= 44) return format.format(0, "second");
    var units = [[2699, 60, "minute"], [79199, 3600, "hour"], [2246399, 86400, "day"], [27647999, 2592000, "month"], [Infinity, 31536000, "year"]];
    for (var i = 0; abs > units[i][0]; i++);
    var value = Math.floor((abs + units[i][1] / 2) / units[i][1]);
    return format.format(diff < 0 ? -value : value, units[i][2]);
  }

  // One comment as the widget would show it without a rule of its own to apply, or null.
  function plainComment(c) {
    if (!c || typeof c !== "object" || Array.isArray(c)) return null;
    var id = typeof c.id === "number" && Number.isSafeInteger(c.id) ? String(c.id) : c.id;
    if (typeof id !== "string" || !id || typeof c.author !== "string" || typeof c.body !== "string") return null;
    if (c.body.length > 2000 || LONE_SURROGATE.test(id + c.author)) return null;
    if (c.status != null && c.status !== "published" && c.status !== "approved") return null;
    // Contract v1.1: a reply, or an edited comment, is drawn with words only the widget
    // has; so is v1.2's featured comment or staff answer.
    if (c.parent_id || c.parent || c.parentId || c.pid || c.reply_to || c.edited_at != null || c.editedAt != null || c.featured === true || c.staff === true) return null;
    var at = null;
    if (c.created_at != null) {
      if ((at = timeOf(c.created_at)) === null) return null;
    } else if (c.createdAt != null || c.created != null || c.date != null || c.time != null) {
      return null;
    }
    // The widget puts a comment's replies (and "Show N more replies") inside its row:
    // the copy shows the comment and stops after it.
    var replies = c.replies || c.children;
    var last = (Array.isArray(replies) && replies.length > 0) || c.reply_count > 0 || c.replyCount > 0 || c.replies_count > 0;
    return { id: id, author: c.author, body: c.body, at: at, last: last };
  }

  function element(tag, attrs) {
    var el = d.createElement(tag);
    for (var name in attrs) el.setAttribute(name, attrs[name]);
    return el;
  }

  // A row, element for element and attribute for attribute as comment_row makes it.
  function row(c, now, format, actions) {
    var li = element("li", { class: "rc-comment", part: "comment", "data-id": c.id });
    var avatar = element("span", { class: "rc-avatar rc-avatar--" + avatarSlot(c.author), "aria-hidden": "true", part: "avatar" });
    var main = element("div", { class: "rc-comment__main" });
    var meta = element("p", { class: "rc-comment__meta" });
    var author = element("bdi", { class: "rc-comment__author", part: "author" });
    var body = element("p", { class: "rc-comment__body", dir: "auto", part: "body" });
    avatar.textContent = initial(c.author);
    author.textContent = c.author;
    body.textContent = c.body;
    meta.append(author);
    if (c.at !== null) {
      var time = element("time", { class: "rc-comment__time", datetime: new Date(c.at).toISOString().replace(".000Z", "Z") });
      time.textContent = ago(c.at, now, format);
      meta.append(time);
    }
    main.append(meta, body);
    // Where the widget puts its Recommend and Reply buttons: a line of the same height, empty.
    if (actions) main.append(element("div", { class: "rc-comment__actions" }));
    li.append(avatar, main);
    return li;
  }

  // Gives `host` its shadow root now, and paints its first rows there once both the
  // prefetched page and the stylesheet have arrived.
  function firstPaint(host, response) {
    var own = shell(host);
    var first = { shell: own, view: null, settled: null };
    early.set(host, first);
    first.settled = Promise.all([response, own.styled]).then(function (done) {
      paintFirst(host, done[0]);
    });
  }

  function setAside(view, hidden) {
    if (hidden) view.setAttribute("aria-hidden", "true");
    else view.removeAttribute("aria-hidden");
    view.inert = hidden;
  }

  // Paints the first rows of the prefetched page `result` into `host`'s shadow root, if
  // the widget has not mounted there yet and the page is one it can paint exactly.
  function paintFirst(host, result) {
    var first = early.get(host);
    var theme = (attr(host, "theme") || "auto").trim();
    var size = (attr(host, "page-size") || "100").trim();
    var locale = localeOf(host);
    var format = locale && relativeFormat(locale);
    if (!first || !graphemes || !format || !/^(auto|light|dark)$/.test(theme) || !/^\d{1,6}$/.test(size) || +size < 1) return;
    if (!result || result.status !== 200 || !/json/i.test(result.type)) return;
    var doc;
    try {
      doc = parseJson(result.text);
    } catch (e) {
      return;
    }
    parsedEarly = { text: result.text, value: doc };
    var list = Array.isArray(doc) ? doc : doc && doc.comments;
    if (!Array.isArray(list)) return;
    var ol = element("ol", { class: "rc-list", part: "list" });
    var seen = new Set();
    var now = Date.now();
    var offered = doc && doc.capabilities;
    var actions = !!(offered && (offered.recommend === true || offered.replies === true));
    // The widget's sort control sits above the list: the copy keeps its line, empty.
    var sorted = !!(offered && Array.isArray(offered.sort) && offered.sort.length > 1);
    for (var i = 0; i < list.length && i < Math.min(+size, FIRST_ROWS); i++) {
      var c = plainComment(list[i]);
      if (!c || seen.has(c.id)) break;
      seen.add(c.id);
      ol.append(row(c, now, format, actions));
      if (c.last) break;
    }
    if (!ol.firstChild) return;
    var view = element("div", { class: "rc rc--" + theme, part: "section", lang: locale, dir: dirOf(host, locale) });
    // The heading's words come with the widget; its line is kept so nothing below moves.
    // With the line of "Write a comment" beside it (its own line on a narrow screen).
    var top = element("div", { class: "rc-top" });
    var heading = element("h2", { class: "rc-heading", part: "heading" });
    heading.textContent = "\u00a0";
    top.append(heading, element("span", { class: "rc-jump" }));
    var wrap = d.createElement("div");
    wrap.append(ol);
    view.append(top);
    if (sorted) view.append(element("p", { class: "rc-sort", part: "sort" }));
    view.append(wrap);
    setAside(view, !failed);
    first.view = view;
    first.shell.shadow.append(view);
    unslot(first.shell);
  }

  // The hand-off object the widget receives once (host.rs, `Loader`).
  var handoff = {
    attr: attr,
    lang: pageLang,
    parse: parse,
    readText: readText,
    strings: function (locale) {
      var t = translation(locale);
      return t && t.file;
    },
    take: function (url) {
      var p = prefetched.get(url);
      prefetched.delete(url);
      return p;
    },
  };

  // The host's shadow root with the widget's stylesheet linked; `styled` settles once
  // the stylesheet has loaded (or failed), so nothing is shown unstyled.
  function shell(host) {
    var shadow = host.shadowRoot || host.attachShadow({ mode: "open" });
    shadow.replaceChildren();
    // A CMS host is a div; `div { display: none !important }` must not hide it.
    if (host.localName === "div") host.style.setProperty("display", "block", "important");
    var link = d.createElement("link");
    link.rel = "stylesheet";
    link.href = base + "reader-comments.css";
    var styled = new Promise(function (done) { link.onload = link.onerror = done; });
    shadow.append(link);
    // The server's HTML of the thread inside the host (comments without JavaScript):
    // shown through a slot until the first rows or the widget take its place, so the
    // section is never empty meanwhile.
    var slot = host.querySelector(".rc-static") ? d.createElement("slot") : null;
    if (slot) shadow.append(slot);
    return { shadow: shadow, styled: styled, slot: slot };
  }

  // The host's own HTML goes from view (the rows or the widget are shown instead).
  function unslot(own) {
    if (own.slot) own.slot.remove();
    own.slot = null;
  }

  // A reader who began typing in the server's plain form before the widget arrived
  // keeps the text: it becomes the widget's draft (which the widget restores, fetching
  // its writing part at once), and the plain form takes no more keys meanwhile.
  function adoptTyped(host) {
    var form = host.querySelector(".rc-static__form");
    if (!form) return;
    var author = form.querySelector('[name="author"]');
    var body = form.querySelector('[name="body"]');
    var typed = { author: author ? author.value : "", body: body ? body.value : "" };
    if (author) author.readOnly = true;
    if (body) body.readOnly = true;
    if (!typed.author && !typed.body) return;
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    var key = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    var draft = JSON.stringify({ v: "1", author: typed.author, body: typed.body, key: key, sent: "0" });
    try {
      w.localStorage.setItem("reader-comments:draft:" + (attr(host, "endpoint") || "").trim(), draft);
    } catch (e) {
      /* no storage: the plain form keeps the text on the page, read-only */
    }
  }

  function mount(host) {
    try {
      var first = early.get(host);
      early.delete(host);
      var own = first ? first.shell : shell(host);
      var root = d.createElement("div");
      root.setAttribute("part", "root");
      root.hidden = true;
      own.shadow.append(root);
      mounted.set(host, root);
      adoptTyped(host);
      widget.mount(root, host);
      if (first && first.view) {
        // The copy was painted once the page and the stylesheet were here, so the
        // widget's first render completes in the promise callbacks that follow this
        // task, before the next frame: swapping now, no frame shows both or neither.
        first.view.remove();
        unslot(own);
        root.hidden = false;
      } else {
        own.styled.then(function () {
          unslot(own);
          root.hidden = false;
        });
      }
    } catch (e) {
      if (w.console) w.console.error("reader-comments: could not mount", e);
    }
  }

  function unmount(host) {
    var root = mounted.get(host);
    if (!root) return;
    mounted.delete(host);
    widget.unmount(root);
  }

  // Mounts every host without a widget; tears down the widgets whose host left.
  function scan() {
    mounted.forEach(function (root, host) {
      if (!host.isConnected) unmount(host);
    });
    var hosts = d.querySelectorAll(SELECTOR);
    for (var i = 0; i < hosts.length; i++) {
      if (mounted.has(hosts[i])) continue;
      // A host in a language whose file is on its way is mounted once it is here.
      var t = translation(localeOf(hosts[i]));
      if (t && !t.done) t.ready.then(scan);
      else mount(hosts[i]);
    }
  }

  function run(exports) {
    widget = exports;
    widget.start(handoff);
    scan();
    // A host added later (single-page apps) is mounted, one removed is torn down, and
    // one whose configuration changes (a new endpoint, say) is mounted again.
    var names = widget.attributeNames().concat(["user-token"]);
    var filter = names.concat(names.map(function (n) { return "data-" + n; }));
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var host = records[i].target, name = records[i].attributeName;
        if (records[i].type !== "attributes") continue;
        // A signed-in reader's new token (or none: signed out) is taken in place.
        if (name === "user-token" || name === "data-user-token") {
          if (mounted.has(host)) widget.userToken(mounted.get(host), attr(host, "user-token"));
        } else unmount(host);
      }
      scan();
    }).observe(d.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: filter });
  }

  function fail(error) {
    failed = true;
    d.querySelectorAll(SELECTOR).forEach(function (host) {
      var first = early.get(host);
      if (first) {
        // Said once the first paint has had its chance (an endpoint that never answers
        // gets the widget's default wait, 15 s): the rows may yet arrive.
        var wait = new Promise(function (go) { setTimeout(go, 15000); });
        Promise.race([first.settled, wait]).then(function () { explainFailure(first); });
      } else if (!host.shadowRoot) {
        var p = d.createElement("p");
        p.setAttribute("role", "alert");
        p.textContent = "Comments could not be loaded. Please reload the page to try again.";
        host.appendChild(p);
      }
    });
    if (w.console) w.console.error("reader-comments: could not load the widget", error);
  }

  // Says, in a host given a shadow root for its first paint, that the widget could not
  // be loaded; the rows painted stay readable, now for everyone.
  function explainFailure(first) {
    var p = element("p", { class: "rc-state rc-state--error", role: "alert" });
    if (first.view) {
      p.textContent = "The rest of the comments and the form could not be loaded. Please reload the page to try again.";
      setAside(first.view, false);
      first.view.append(p);
    } else {
      p.textContent = "Comments could not be loaded. Please reload the page to try again.";
      var box = element("div", { class: "rc rc--auto", part: "section" });
      box.append(p);
      first.shell.shadow.append(box);
    }
  }

  function start() {
    if (started) return;
    started = true;
    // Each widget links this stylesheet in its shadow root; fetch it now, not at mount.
    var preload = d.createElement("link");
    preload.rel = "preload";
    preload.as = "style";
    preload.href = base + "reader-comments.css";
    d.head.appendChild(preload);
    var hosts = d.querySelectorAll(SELECTOR);
    for (var i = 0; i < hosts.length; i++) {
      translation(localeOf(hosts[i]));
      var pending = prefetch(hosts[i]);
      // A host with the server's HTML of the thread shows that until the widget is
      // here: no copy of the rows over it (its plain form may be in use).
      if (pending && !hosts[i].querySelector(".rc-static")) firstPaint(hosts[i], pending);
    }
    // The wasm download starts now, beside the glue's, not after it.
    var wasm = fetch(base + "reader-comments-app_bg.wasm");
    import(base + "reader-comments-app.js")
      .then(function (glue) {
        return glue.default({ module_or_path: wasm }).then(function (instance) {
          self.memory = instance && instance.memory;
          run(glue);
        });
      })
      .catch(fail);
    // The browser loads a locale's data the first time an Intl formatter is made for
    // it (about 13 ms), and its grapheme rules the first time a Segmenter is made (15 to
    // 30 ms; the widget counts and picks initials with one); do that now, while the
    // files are on their way, rather than in the middle of the first render. A hint
    // only: the widget decides the locale.
    try {
      if (Intl.Segmenter) {
        graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
        graphemes.segment("a")[Symbol.iterator]().next();
      }
    } catch (e) {
      /* no Segmenter: the widget counts code points */
    }
    for (var k = 0; k < hosts.length; k++) {
      var lang = localeOf(hosts[k]);
      var format = lang && relativeFormat(lang);
      if (format) format.format(-1, "day");
    }
  }

  function isLazy(el) {
    return attr(el, "loading") === "lazy";
  }

  var watcher = null;
  function consider() {
    if (started) return;
    var hosts = d.querySelectorAll(SELECTOR);
    for (var i = 0; i < hosts.length; i++) {
      if (!isLazy(hosts[i]) || !("IntersectionObserver" in w)) return start();
      if (!watcher) {
        watcher = new IntersectionObserver(
          function (entries) {
            for (var j = 0; j < entries.length; j++) {
              if (entries[j].isIntersecting) {
                watcher.disconnect();
                return start();
              }
            }
          },
          { rootMargin: "600px 0px" }
        );
      }
      watcher.observe(hosts[i]);
    }
  }

  consider();
  if (!started && "MutationObserver" in w) {
    var observer = new MutationObserver(function () {
      if (started) observer.disconnect();
      else consider();
    });
    observer.observe(d.documentElement, { childList: true, subtree: true });
  }
})();
