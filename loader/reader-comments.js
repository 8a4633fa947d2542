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

  function attr(host, name) {
    return host.getAttribute(host.localName === "reader-comments" ? name : "data-" + name);
  }

  function pageLang() {
    return d.documentElement.getAttribute("lang") || navigator.language || "";
  }

  // JSON.parse that keeps the exact digits of integers too large for a double (as
  // BigInt), where the browser gives revivers the source text.
  function parse(text) {
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
    if (!attr(host, "endpoint") || prefetched.has(url)) return;
    var control = new AbortController();
    var response = fetch(url, { headers: { Accept: "application/json" }, signal: control.signal })
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
  }

  // The hand-off object the widget receives once (host.rs, `Loader`).
  var handoff = {
    attr: attr,
    lang: pageLang,
    parse: parse,
    readText: readText,
    take: function (url) {
      var p = prefetched.get(url);
      prefetched.delete(url);
      return p;
    },
  };

  function mount(host) {
    try {
      var shadow = host.shadowRoot || host.attachShadow({ mode: "open" });
      shadow.replaceChildren();
      // A CMS host is a div; `div { display: none !important }` must not hide it.
      if (host.localName === "div") host.style.setProperty("display", "block", "important");
      var link = d.createElement("link");
      link.rel = "stylesheet";
      link.href = base + "reader-comments.css";
      var root = d.createElement("div");
      root.setAttribute("part", "root");
      // Hidden until the stylesheet arrives, so the reader never sees it unstyled.
      root.hidden = true;
      link.onload = link.onerror = function () { root.hidden = false; };
      shadow.append(link, root);
      mounted.set(host, root);
      widget.mount(root, host);
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
    for (var i = 0; i < hosts.length; i++) if (!mounted.has(hosts[i])) mount(hosts[i]);
  }

  function run(exports) {
    widget = exports;
    widget.start(handoff);
    scan();
    // A host added later (single-page apps) is mounted, one removed is torn down, and
    // one whose configuration changes (a new endpoint, say) is mounted again.
    var names = widget.attributeNames();
    var filter = names.concat(names.map(function (n) { return "data-" + n; }));
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (records[i].type === "attributes") unmount(records[i].target);
      }
      scan();
    }).observe(d.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: filter });
  }

  function fail(error) {
    var hosts = d.querySelectorAll(SELECTOR);
    for (var i = 0; i < hosts.length; i++) {
      var p = d.createElement("p");
      p.setAttribute("role", "alert");
      p.textContent = "Comments could not be loaded. Please reload the page to try again.";
      if (!hosts[i].shadowRoot) hosts[i].appendChild(p);
    }
    if (w.console) w.console.error("reader-comments: could not load the widget", error);
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
    for (var i = 0; i < hosts.length; i++) prefetch(hosts[i]);
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
      if (Intl.Segmenter) new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment("a")[Symbol.iterator]().next();
    } catch (e) {
      /* no Segmenter: the widget counts code points */
    }
    var warmed = {};
    for (var k = 0; k < hosts.length; k++) {
      var lang = attr(hosts[k], "locale") || pageLang() || "en";
      if (warmed[lang]) continue;
      warmed[lang] = true;
      try {
        new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(-1, "day");
      } catch (e) {
        /* not a tag the browser knows: the widget falls back itself */
      }
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
