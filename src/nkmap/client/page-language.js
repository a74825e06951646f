/* The static site's pages in the reader's language (index.html and classroom.html; nkmap.site.languages).

   The page is written in English, its data (#nk-data) too. `?lang=az` (or `#...&lang=az` on a file:// page, where
   the explorer keeps its state in the hash) asks for another language: NKMap.loadLanguage writes a <script> for
   lang/<lang>.<page>.js into the page while it is being parsed, so the file runs before the page's own scripts. That
   file calls NKMap.setMessages (client/messages.js) and NKMap.addTranslation(page, patch); the page's script then
   reads its data through NKMap.localised(page, data), which applies the patch: the English data with the
   language's texts put in (the geometry is the same in every language, so it is shipped once).

   A patch mirrors the data: {key: patch} goes into a value (a list by index), {"=": value} replaces it, and
   {"~": [ops]} rebuilds a long text from the English one's tokens (a tag, or the text between two tags): an op is a
   text to insert or [first, count] to copy English tokens, so the English citations and names inside a translated
   card are not shipped again. A text used more than once is shipped once in the file's table: {"#": n}, or the
   number n as an op. {"@": "explorer"} is the explorer's whole patch (the classroom's map is the explorer's).

   The language chooser (#nk-languages, its links marked by their lang) links to the same page in each language with the address's date, view,
   place and story kept; the site's links (#nk-site) lead to the pages of the language shown. */
(function () {
  "use strict";
  var NKMap = window.NKMap = window.NKMap || {};
  var LANGUAGES = ["en", "az", "hy", "ru"];
  var patches = {}, pageWords = {};
  var asked = null;  // the language the address asked for, as written, when it is not one of the site's

  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

  /** As nkmap.text.messages.parse_language: 'az', 'AZ', 'az-Latn', 'ru_RU' -> the code; null if unknown. */
  function parseLanguage(value) {
    if (typeof value !== "string") { return null; }
    var code = value.trim().replace(/_/g, "-").split("-")[0].toLowerCase();
    return LANGUAGES.indexOf(code) >= 0 ? code : null;
  }
  /** The `lang` of the address (the hash wins over the query, as the explorer reads its parameters); undefined if none. */
  function addressLanguage() {
    var found;
    [location.search.slice(1), location.hash.slice(1)].forEach(function (part) {
      part.split("&").forEach(function (kv) {
        var i = kv.indexOf("=");
        if (i > 0 && kv.slice(0, i) === "lang") {
          try { found = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " ")); } catch (e) { found = kv.slice(i + 1); }
        }
      });
    });
    return found;
  }

  NKMap.parseLanguage = parseLanguage;
  /** From lang/<lang>.<page>.js: the patch of the page's data and its words ({tag, title, description, heading}). */
  NKMap.addTranslation = function (page, patch, words, table) {
    patches[page] = { patch: patch, table: table || [] };
    pageWords = words || {};
    if (pageWords.tag) { document.documentElement.setAttribute("lang", pageWords.tag); }
    if (pageWords.title) { document.title = pageWords.title; }
    var meta = document.querySelector('meta[name="description"]');
    if (meta && pageWords.description) { meta.setAttribute("content", pageWords.description); }
  };

  /** While the page is parsed: load the language the address asks for (`page`: explorer | classroom). */
  NKMap.loadLanguage = function (page) {
    var raw = addressLanguage(), lang = raw === undefined ? "en" : parseLanguage(raw);
    if (lang === null) { asked = raw; lang = "en"; }
    if (lang === "en") { return; }
    // The classroom's map is the explorer's: its file names the explorer's patch, so that file comes first.
    var files = page === "classroom" ? ["explorer", "classroom"] : [page];
    files.forEach(function (name) { document.write('<script src="lang/' + lang + "." + name + '.js"><\/script>'); });
  };

  function token(text) { return text.match(/<[^>]*>|[^<]+|</g) || []; }
  /** `patch` applied to `value` (changed in place where it is an object); `table`: the file's shared texts. */
  function apply(value, patch, table) {
    if (has(patch, "@")) {  // another page's whole patch, for the keys this value has
      var other = patches[patch["@"]];
      if (!other) { return value; }
      Object.keys(other.patch).forEach(function (key) {
        if (has(value, key)) { value[key] = apply(value[key], other.patch[key], other.table); }
      });
      return value;
    }
    if (has(patch, "#")) { return table[patch["#"]]; }
    if (has(patch, "=")) { return patch["="]; }
    if (has(patch, "~")) {
      var tokens = token(value);
      return patch["~"].map(function (op) {
        if (typeof op === "string") { return op; }
        return typeof op === "number" ? table[op] : tokens.slice(op[0], op[0] + op[1]).join("");
      }).join("");
    }
    Object.keys(patch).forEach(function (key) { value[key] = apply(value[key], patch[key], table); });
    return value;
  }
  /** The page's data in the language shown (the data itself, changed in place). */
  NKMap.localised = function (page, data) {
    return has(patches, page) ? apply(data, patches[page].patch, patches[page].table) : data;
  };

  /** The address of this page in `lang`, with every other parameter of the query and the hash kept. */
  function addressIn(lang) {
    function withLang(part) {
      var kept = part.split("&").filter(function (kv) { return kv && kv.split("=")[0] !== "lang"; });
      if (lang !== "en") { kept.push("lang=" + lang); }
      return kept.join("&");
    }
    var query = withLang(location.search.slice(1)), hash = location.hash.slice(1);
    var page = location.pathname.split("/").pop() || "index.html";
    return page + (query ? "?" + query : "") + (hash ? "#" + (withLang(hash) || "") : "");
  }
  /** The site's links in the language shown: pages with their own copy per language live in <lang>/. */
  function siteHref(href, lang) {
    if (lang === "en" || /^[a-z][a-z0-9+.-]*:|^[#/]/i.test(href)) { return href; }
    if (/^(index|classroom)\.html/.test(href)) { return href + (href.indexOf("?") < 0 ? "?" : "&") + "lang=" + lang; }
    return lang + "/" + href;
  }

  function ready() {
    var _ = NKMap.t, lang = NKMap.lang || "en";
    // The page's fixed words (written in English in its HTML): data-t="text aria-label title" names what to translate.
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (el) {
      el.getAttribute("data-t").split(" ").forEach(function (what) {
        if (what === "text") { el.textContent = _(el.textContent.trim()); } else if (el.hasAttribute(what)) {
          el.setAttribute(what, _(el.getAttribute(what)));
        }
      });
    });
    if (pageWords.heading) {
      var h1 = document.querySelector("h1");
      if (h1) { h1.textContent = pageWords.heading; }
    }
    Object.keys(pageWords.texts || {}).forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { el.textContent = pageWords.texts[id]; }
    });
    var chooser = document.getElementById("nk-languages");
    if (chooser) {
      chooser.setAttribute("aria-label", _("Language"));
      Array.prototype.forEach.call(chooser.querySelectorAll("a[lang]"), function (el) {
        var code = parseLanguage(el.getAttribute("lang"));
        if (code === lang) {
          el.setAttribute("aria-current", "page");
          el.removeAttribute("href");
        } else {
          el.removeAttribute("aria-current");
          el.setAttribute("href", addressIn(code));
          // The explorer changes its address as the reader moves: the link follows it when it is followed.
          el.addEventListener("click", function () { el.setAttribute("href", addressIn(code)); });
          el.addEventListener("focus", function () { el.setAttribute("href", addressIn(code)); });
          el.addEventListener("mouseenter", function () { el.setAttribute("href", addressIn(code)); });
        }
      });
    }
    var words = { "index.html": _("Map"), "classroom.html": _("Classroom"), "places/index.html": _("Places"),
      "data/index.html": _("Data") };
    Array.prototype.forEach.call(document.querySelectorAll("#nk-site a, #cl-site a"), function (a) {
      var href = a.getAttribute("href");
      if (has(words, href)) { a.textContent = words[href]; }
      a.setAttribute("href", siteHref(href, lang));
    });
    if (asked !== null) {
      var text = _("Unknown language '{value}' in the link: showing English. Languages: {codes}.",
        { value: String(asked).slice(0, 20), codes: LANGUAGES.join(", ") });
      if (window.NKExplorer) { window.NKExplorer.note(text); } else if (chooser) {
        var note = document.createElement("span");
        note.className = "nk-lang-note";
        note.setAttribute("role", "status");
        note.textContent = text;
        chooser.appendChild(note);
      }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
