/* Find a place in the browser: window.NKPlaceSearch, no DOM. A port of nkmap.model.gazetteer's query side:
   `fold` and `spellingKey` fold a typed query as gazetteer.fold / spelling_key fold the names (the letter
   tables come from Python, gazetteer.fold_tables; tests/test_explorer_finder.py runs both over tricky names),
   `search` ranks as gazetteer.search_index (tiers name, spelling, prefix, contains, similar; then the place's
   type and name), and `fromLink` resolves a `place=` value as nkmap.web.place_finder.from_link.
   The names come folded and keyed from Python (html_places.finder_data), so only the query is folded here.

   NKPlaceSearch.of(finderData) -> {fold, spellingKey, search(query, limit), fromLink(value), place(id)} */
(function () {
  "use strict";
  var CONTROL = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g;
  var TIERS = ["name", "spelling", "prefix", "contains", "similar"];
  var made = [];
  // The page's language (client/messages.js); English where the search runs without it.
  var _ = window.NKMap && window.NKMap.t ? window.NKMap.t : function (text, fields) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return fields && name in fields ? String(fields[name]) : whole; });
  };

  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }
  function codePoints(s) { return Array.from(s); }
  function cut(s, n) { var cps = codePoints(s); return cps.length <= n ? s : cps.slice(0, n).join(""); }
  function hex(n) { return n.toString(16); }

  /** difflib.SequenceMatcher(None, a, b).ratio() for short strings (no junk, no autojunk: keys are < 200). */
  function ratio(a, b) {
    var b2j = {};
    for (var j = 0; j < b.length; j++) { (b2j[b[j]] = b2j[b[j]] || []).push(j); }
    function longest(alo, ahi, blo, bhi) {
      var besti = alo, bestj = blo, bestsize = 0, j2len = {};
      for (var i = alo; i < ahi; i++) {
        var next = {}, js = b2j[a[i]] || [];
        for (var k = 0; k < js.length; k++) {
          var jj = js[k];
          if (jj < blo) { continue; }
          if (jj >= bhi) { break; }
          var size = next[jj] = (j2len[jj - 1] || 0) + 1;
          if (size > bestsize) { besti = i - size + 1; bestj = jj - size + 1; bestsize = size; }
        }
        j2len = next;
      }
      return [besti, bestj, bestsize];
    }
    var matched = 0, queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      var q = queue.pop(), m = longest(q[0], q[1], q[2], q[3]);
      if (m[2]) {
        matched += m[2];
        if (q[0] < m[0] && q[2] < m[1]) { queue.push([q[0], m[0], q[2], m[1]]); }
        if (m[0] + m[2] < q[1] && m[1] + m[2] < q[3]) { queue.push([m[0] + m[2], q[1], m[1] + m[2], q[3]]); }
      }
    }
    var total = a.length + b.length;
    return total ? 2 * matched / total : 1;
  }

  /** difflib.get_close_matches(word, keys, n, cutoff): best first, ties by the key, as heapq.nlargest orders them. */
  function closeMatches(word, keys, n, cutoff) {
    var found = [];
    keys.forEach(function (x) {
      var lo = Math.min(x.length, word.length), total = x.length + word.length;
      if (total && 2 * lo / total < cutoff) { return; }  // real_quick_ratio: cannot reach the cutoff
      var r = ratio(x, word);
      if (r >= cutoff) { found.push([r, x]); }
    });
    found.sort(function (p, q) { return q[0] - p[0] || (q[1] < p[1] ? -1 : q[1] > p[1] ? 1 : 0); });
    return found.slice(0, n).map(function (p) { return p[1]; });
  }

  function make(F) {
    var T = F.fold;
    var combining = new RegExp("[" + T.combining.map(function (r) {
      return "\\u{" + hex(r[0]) + "}-\\u{" + hex(r[1]) + "}";
    }).join("") + "]", "gu");
    var keyMap = {};
    T.keyRules.forEach(function (r) { keyMap[r[0]] = r[1]; });
    var keyPattern = new RegExp(T.keyRules.map(function (r) { return r[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), "g");

    function armenianWord(word) {
      return codePoints(word.split("ու").join("u")).map(function (ch, i) {
        if (i === 0 && ch === "ե") { return "ye"; }  // word-initial ye (Yeghtsahogh), vo (Vorotan)
        if (i === 0 && ch === "ո") { return "vo"; }
        return has(T.armenian, ch) ? T.armenian[ch] : ch;
      }).join("");
    }
    /** gazetteer.fold: plain lower-case Latin words ('Şuşa' -> 'susa', 'Шуша' -> 'shusha'). */
    function fold(text) {
      var t = String(text === undefined || text === null ? "" : text).normalize("NFC").toLowerCase();
      t = t.replace(/[\u0561-\u0587]+/g, armenianWord);
      t = codePoints(t).map(function (ch) { return has(T.translit, ch) ? T.translit[ch] : ch; }).join("");
      t = t.normalize("NFKD").replace(combining, "");
      t = t.replace(/['’ʼ`]/g, "").replace(/[^a-z0-9]/g, " ");
      return t.split(" ").filter(Boolean).join(" ");
    }
    function wordKey(word) {
      var key = word.replace(keyPattern, function (m) { return keyMap[m]; }).replace(/(.)\1+/g, "$1");
      key = key.replace(/(?<=[bcdfklmnprstvz])i(?=[aou])/g, "");
      return key.indexOf("vo") === 0 ? key.slice(1) : key;
    }
    function spellingKey(text) { return fold(text).split(" ").filter(Boolean).map(wordKey).join(""); }

    // The index as Python built it: [place number, name, folded, word keys, primary].
    var names = F.names, places = F.places, byKey = {}, byFolded = {}, byId = {};
    names.forEach(function (n, i) {
      (byKey[n[3][0]] = byKey[n[3][0]] || []).push(i);
      (byFolded[n[2]] = byFolded[n[2]] || []).push(i);
    });
    places.forEach(function (p) { byId[p.id] = p; });
    var fuzzyKeys = Object.keys(byKey).filter(function (k) { return k.length >= T.minFuzzyKey; }).sort();

    function less(a, b) {  // lexicographic on [tier, not primary, -score, name number]
      for (var k = 0; k < a.length; k++) { if (a[k] !== b[k]) { return a[k] < b[k]; } }
      return false;
    }
    /** gazetteer.search_index: [{id, place, name (the name that matched), tier, how, score, didYouMean}], best first. */
    function search(query, limit) {
      limit = limit === undefined ? 10 : limit;
      var raw = cut(String(query === undefined || query === null ? "" : query).replace(CONTROL, " "), T.maxQuery);
      var qFold = fold(raw), qKey = qFold.split(" ").filter(Boolean).map(wordKey).join("");
      if (!qKey || limit <= 0) { return []; }
      var best = {};
      function offer(i, tier, score) {
        var n = names[i], cand = [tier, n[4] ? 0 : 1, -score, i];
        if (!has(best, n[0]) || less(cand, best[n[0]])) { best[n[0]] = cand; }
      }
      (byFolded[qFold] || []).forEach(function (i) { offer(i, 0, 1); });
      (byKey[qKey] || []).forEach(function (i) { offer(i, 1, 1); });
      for (var i = 0; i < names.length; i++) {
        var n = names[i], keys = n[3];
        if (has(best, n[0]) && best[n[0]][0] <= 2) { continue; }
        if (keys[0].indexOf(qKey) === 0) {
          offer(i, 2, n[2].indexOf(qFold) === 0 ? 1.0 : 0.95);  // as typed first, then other spellings
        } else if (qKey.length < 3) {
          continue;  // one or two letters inside a name match almost everything
        } else if (keys.slice(1).some(function (k) { return k.indexOf(qKey) === 0; })) {
          offer(i, 3, 1.0);
        } else if (keys[0].indexOf(qKey) >= 0) {
          offer(i, 3, 0.9);
        }
      }
      if (!Object.keys(best).length && qKey.length >= T.minFuzzyKey) {
        closeMatches(qKey, fuzzyKeys, Math.max(limit, 5) * 2, T.fuzzyCutoff).forEach(function (key) {
          var score = ratio(qKey, key);
          byKey[key].forEach(function (i) { offer(i, 4, score); });
        });
      }
      var ranked = Object.keys(best).map(Number).sort(function (a, b) {
        var x = best[a], y = best[b];
        for (var k = 0; k < 3; k++) { if (x[k] !== y[k]) { return x[k] - y[k]; } }
        return places[a].order - places[b].order;
      });
      return ranked.slice(0, limit).map(function (p) {
        var c = best[p];
        return { id: places[p].id, place: places[p], name: names[c[3]][1], tier: c[0], how: TIERS[c[0]],
          score: Math.round(-c[2] * 1000) / 1000, didYouMean: c[0] === 4 };
      });
    }

    /** 'Shusha / Shushi (Şuşa)': place_finder.short_name. */
    function shortName(p) {
      var az = p.az ? fold(p.az).split(" ")[0] : "";
      return p.az && fold(p.name).indexOf(az) < 0 ? p.name + " (" + p.az + ")" : p.name;
    }
    function shown(text, limit) {
      var raw = String(text).replace(CONTROL, " ").split(/\s+/).filter(Boolean).join(" ");
      return codePoints(raw).length <= limit ? raw : cut(raw, limit - 1) + "…";
    }
    /** place_finder.from_link: {id} for a value naming one place (an id, or a name that matches one place
        better than any other), else {message} saying what is shown instead (plain text). */
    function fromLink(value) {
      var raw = String(value === undefined || value === null ? "" : value);
      if (has(byId, raw.trim())) { return { id: raw.trim() }; }
      var reason = null, candidates = [], query = raw.replace(CONTROL, " ").trim();
      if (!query) {
        reason = _("Cannot search for that: the query is empty: type part of a place's name, e.g. Shusha, Şuşa or Шуша");
      } else if (codePoints(query).length > T.maxQuery) {
        reason = _("Cannot search for that: the query is {n} characters long; a place name is at most {max}",
          { n: codePoints(query).length.toLocaleString("en"), max: T.maxQuery });
      } else if (!spellingKey(query)) {
        reason = _("Cannot search for that: '{query}' has no letters or digits to search for", { query: shown(query, 40) });
      } else {
        var plain = cut(query.replace(CONTROL, "").trim(), T.maxQuery);
        if (has(byId, plain)) { return { id: plain }; }
        var top = search(plain, 5), first = top[0];
        var tied = top.filter(function (m) { return !m.didYouMean && m.tier === first.tier && m.score === first.score; });
        if (tied.length === 1) { return { id: tied[0].id }; }
        candidates = search(query, 6);
        var q = shown(query, 40);
        reason = !candidates.length ? _("No place called '{query}' in the data", { query: q })
          : candidates[0].didYouMean ? _("No place called '{query}'. Did you mean one of these?", { query: q })
          : _("Several places match '{query}'. Choose one:", { query: q });
      }
      var hints = candidates.slice(0, 4).map(function (m) { return shortName(m.place); });
      var message = _("Place in the link ('{value}'): {problem}.", { value: raw.trim() ? shown(raw, 40) : "", problem: reason.replace(/\.+$/, "") });
      if (hints.length) { message += " " + _("Matching or similar: {names}.", { names: hints.join(", ") }); }
      return { id: null, message: message + " " + _("Showing the map without a place; use Find a place to choose one.") };
    }

    return { fold: fold, spellingKey: spellingKey, search: search, fromLink: fromLink, shortName: shortName,
      place: function (id) { return has(byId, id) ? byId[id] : null; },
      number: function (id) { return places.indexOf(byId[id]); } };
  }

  window.NKPlaceSearch = {
    /** The search over one page's finder data (built once per data object). */
    of: function (finderData) {
      for (var i = 0; i < made.length; i++) { if (made[i][0] === finderData) { return made[i][1]; } }
      var s = make(finderData);
      made.push([finderData, s]);
      return s;
    },
    ratio: ratio
  };
})();
