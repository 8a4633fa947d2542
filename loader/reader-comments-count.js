// Reader Comments count badges for listing pages (issue 24): "12 comments" under each
// headline, in the page's language, without WebAssembly. Every
// <reader-comments-count endpoint="…"> and <span data-reader-comments-count
// data-endpoint="…"> on the page gets its thread's count. Against the reference server
// (an endpoint like https://host/api/threads/KEY/comments) the whole page makes one
// request per server, GET /api/counts?threads=a,b,c (cacheable); against another
// endpoint it reads the list's optional `total`, else counts the first page ("50+"
// when there are more). It never blocks the page (run after it has loaded), and a
// badge whose count cannot be had stays empty: nothing rather than a wrong number.
(function () {
  "use strict";
  var d = document;
  // [one, other] for each language, or its forms by Intl.PluralRules' category where it
  // has more than two; "{n}" is the number in the language's digits.
  var WORDS = {
    en: ["{n} comment", "{n} comments"],
    hi: ["{n} टिप्पणी", "{n} टिप्पणियाँ"],
    pa: ["{n} ਟਿੱਪਣੀ", "{n} ਟਿੱਪਣੀਆਂ"],
    ur: ["{n} تبصرہ", "{n} تبصرے"],
    bn: ["{n}টি মন্তব্য", "{n}টি মন্তব্য"],
    ta: ["{n} கருத்து", "{n} கருத்துகள்"],
    mr: ["{n} प्रतिक्रिया", "{n} प्रतिक्रिया"],
    gu: ["{n} પ્રતિભાવ", "{n} પ્રતિભાવો"],
    ar: { zero: "لا تعليقات", one: "تعليق واحد", two: "تعليقان", few: "{n} تعليقات", many: "{n} تعليقًا", other: "{n} تعليق" },
  };

  function attr(el, name) {
    return el.getAttribute(el.localName === "reader-comments-count" ? name : "data-" + name);
  }

  function show(el, n, more) {
    var lang = attr(el, "locale") || (el.closest("[lang]") || d.documentElement).lang || "en";
    var base = lang.split(/[-_]/)[0].toLowerCase();
    var forms = WORDS[base] || WORDS.en;
    var number = new Intl.NumberFormat(lang).format(n) + (more ? "+" : "");
    var form = more ? "other" : new Intl.PluralRules(WORDS[base] ? lang : "en").select(n);
    var text = forms.length ? forms[form === "one" ? 0 : 1] : forms[form] || forms.other;
    el.textContent = text.replace("{n}", number);
  }

  function json(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" }).then(function (r) {
      if (!r.ok) throw r.status;
      return r.json();
    });
  }

  function run() {
    var els = d.querySelectorAll("reader-comments-count, [data-reader-comments-count]");
    var batches = {};
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var url;
      try {
        url = new URL(attr(el, "endpoint") || "", d.baseURI);
      } catch (e) {
        continue;
      }
      var m = url.pathname.match(/^(.*)\/api\/threads\/([A-Za-z0-9._-]{1,128})\/comments\/?$/);
      if (m) {
        var server = url.origin + m[1];
        (batches[server] = batches[server] || {})[m[2]] = (batches[server][m[2]] || []).concat(el);
      } else {
        other(el, url.href);
      }
    }
    Object.keys(batches).forEach(function (server) {
      var byThread = batches[server];
      json(server + "/api/counts?threads=" + Object.keys(byThread).map(encodeURIComponent).join(","))
        .then(function (doc) {
          Object.keys(byThread).forEach(function (key) {
            var n = doc && doc.counts && doc.counts[key];
            if (typeof n === "number") byThread[key].forEach(function (el) { show(el, n); });
          });
        })
        .catch(function () {});
    });
  }

  // Another endpoint: its `total`, else the first page counted (replies with it).
  function other(el, url) {
    json(url)
      .then(function (doc) {
        if (typeof doc.total === "number") return show(el, doc.total);
        var list = Array.isArray(doc) ? doc : doc.comments;
        if (!Array.isArray(list)) return;
        var n = list.reduce(function (sum, c) { return sum + 1 + (c && Array.isArray(c.replies) ? c.replies.length : 0); }, 0);
        show(el, n, !!doc.next);
      })
      .catch(function () {});
  }

  if (d.readyState === "complete") setTimeout(run);
  else addEventListener("load", run);
})();
