/*! Reader Comments loader: the one script a page includes.
 *   <script src="https://cdn.example/reader-comments.js" defer></script>
 *   <reader-comments endpoint="https://api.example/threads/ID/comments"></reader-comments>
 * It loads the widget (JS glue, WebAssembly, stylesheet) from its own directory, so the
 * files may sit on a CDN origin that is neither the page's nor the endpoint's. Including
 * it twice is harmless. With loading="lazy" on every host, nothing is fetched until a
 * host nears the viewport. */
(function () {
  "use strict";
  var w = window;
  if (w.__readerCommentsBase !== undefined) return;
  var me = document.currentScript;
  var base = new URL(".", me && me.src ? me.src : document.baseURI).href;
  w.__readerCommentsBase = base;
  var SELECTOR = "reader-comments, [data-reader-comments]";
  var started = false;
  var prefetched = {};

  function attr(el, name) {
    return el.getAttribute(el.localName === "reader-comments" ? name : "data-" + name);
  }

  // The first page of each thread is fetched while the WebAssembly downloads and
  // compiles, instead of after; the widget takes it (once) from here.
  w.__readerCommentsPrefetch = function (endpoint) {
    var p = prefetched[endpoint];
    delete prefetched[endpoint];
    return p;
  };
  function prefetch(host) {
    var endpoint = attr(host, "endpoint");
    if (!endpoint || Object.prototype.hasOwnProperty.call(prefetched, endpoint)) return;
    var url;
    try {
      url = new URL(endpoint, document.baseURI);
    } catch (e) {
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return;
    var secs = parseInt(attr(host, "timeout"), 10);
    if (!(secs > 0 && secs <= 300)) secs = 15;
    var control = new AbortController();
    var timer = setTimeout(function () { control.abort(); }, secs * 1000);
    prefetched[endpoint] = fetch(url.href, { headers: { Accept: "application/json" }, signal: control.signal })
      .then(function (r) {
        return r.text().then(function (text) {
          return { status: r.status, type: r.headers.get("content-type") || "", retry: r.headers.get("retry-after"), text: text };
        });
      })
      .catch(function () {
        return { error: control.signal.aborted ? "timeout" : "network" };
      })
      .finally(function () { clearTimeout(timer); });
  }

  function fail(error) {
    var hosts = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < hosts.length; i++) {
      var p = document.createElement("p");
      p.setAttribute("role", "alert");
      p.textContent = "Comments could not be loaded. Please reload the page to try again.";
      if (!hosts[i].shadowRoot) hosts[i].appendChild(p);
    }
    if (w.console) w.console.error("reader-comments: could not load the widget", error);
  }

  // JSON.parse that keeps the exact digits of integers too large for a double (as
  // BigInt), where the browser gives revivers the source text. The widget uses it when
  // present, plain JSON.parse otherwise.
  w.__readerCommentsParse = function (text) {
    // No run of 16 digits, no integer beyond 2^53: the plain (faster) parse is exact.
    if (!/\d{16}/.test(text)) return JSON.parse(text);
    return JSON.parse(text, function (key, value, context) {
      if (typeof value === "number" && !Number.isSafeInteger(value) && context &&
          typeof context.source === "string" && /^-?\d+$/.test(context.source)) {
        return BigInt(context.source);
      }
      return value;
    });
  };

  function start() {
    if (started) return;
    started = true;
    // Each widget links this stylesheet in its shadow root; fetch it now, not at mount.
    var preload = document.createElement("link");
    preload.rel = "preload";
    preload.as = "style";
    preload.href = base + "reader-comments.css";
    document.head.appendChild(preload);
    var hosts = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < hosts.length; i++) prefetch(hosts[i]);
    // The wasm download starts now, beside the glue's, not after it.
    var wasm = fetch(base + "reader-comments-app_bg.wasm");
    import(base + "reader-comments-app.js")
      .then(function (glue) {
        return glue.default({ module_or_path: wasm });
      })
      .then(function (wasm) {
        // Kept for diagnostics and the benchmark's memory figure.
        w.__readerCommentsMemory = wasm && wasm.memory;
      })
      .catch(fail);
    // The browser loads a locale's data the first time an Intl formatter is made for
    // it (about 13 ms); do that now, while the files are on their way, rather than in
    // the middle of the first render.
    var warmed = {};
    for (var k = 0; k < hosts.length; k++) {
      var lang = attr(hosts[k], "locale") || document.documentElement.lang || navigator.language || "en";
      if (warmed[lang]) continue;
      warmed[lang] = true;
      try {
        new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(-1, "day");
      } catch (e) {
        /* an invalid tag: the widget says so itself */
      }
    }
  }

  function isLazy(el) {
    return (el.getAttribute("loading") || el.getAttribute("data-loading")) === "lazy";
  }

  var watcher = null;
  function consider() {
    if (started) return;
    var hosts = document.querySelectorAll(SELECTOR);
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
    observer.observe(document.documentElement, { childList: true, subtree: true });
  }
})();
