/* The explorer's "Find a place" box and place card, built on window.NKExplorer and NKPlaceSearch.

   The box is an ARIA combobox (WAI-ARIA 1.2: input role=combobox, a listbox of options; ↓ ↑ move, Enter opens,
   Esc closes the list, then clears). Choosing a place sets `place=` in the address (NKExplorer.setPlace), rings
   the place on the map, centres it and opens its card: the card is Python's (nkmap.text.place_card, escaped, in
   the page's data) plus the line for the date shown and buttons that go to the day it changed hands. Names from
   the data are set as text, never as HTML. */
(function () {
  "use strict";
  var X = window.NKExplorer, D = X && X.data, F = D && D.finder;
  if (!X || !F || !F.places.length || !window.NKPlaceSearch) { return; }
  var _ = NKMap.t, S = NKPlaceSearch.of(F), map = X.map, FOCUS_ZOOM = 11, MAX_SHOWN = 8;
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  // ---- the box ---------------------------------------------------------------------------------------------
  var box = el("div", { id: "nk-find" });
  var label = el("label", { for: "nk-find-input", id: "nk-find-label" }, _("Find a place"));
  var input = el("input", { id: "nk-find-input", type: "search", role: "combobox", autocomplete: "off",
    spellcheck: "false", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "nk-find-list",
    placeholder: "Shusha, Şuşa, Шуша, Շուշի…", "aria-label": _("Find a place") });
  var list = el("ul", { id: "nk-find-list", role: "listbox", "aria-labelledby": "nk-find-label" });
  var status = el("div", { id: "nk-find-status", class: "nk-visually-hidden", role: "status", "aria-live": "polite" });
  list.hidden = true;
  box.append(label, input, list, status);
  document.getElementById("nk-head").insertBefore(box, document.getElementById("nk-note"));

  var results = [], active = -1;
  function closeList() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function setActive(i) {
    var items = list.querySelectorAll("[role=option]");
    if (!items.length) { return; }
    active = (i + items.length) % items.length;
    items.forEach(function (li, k) { li.setAttribute("aria-selected", k === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }
  function render() {
    var q = input.value;
    results = q.trim() ? S.search(q, MAX_SHOWN) : [];
    list.textContent = "";
    if (!q.trim()) { closeList(); status.textContent = ""; return; }
    if (!results.length) {
      list.append(el("li", { class: "nk-find-none", role: "presentation" }, _("No place called '{query}' in the data.", { query: q.trim() })));
    } else if (results[0].didYouMean) {
      list.append(el("li", { class: "nk-find-none", role: "presentation" }, _("No exact match. Did you mean:")));
    }
    results.forEach(function (m, i) {
      var p = m.place, li = el("li", { id: "nk-find-opt-" + i, role: "option", "aria-selected": "false",
        "data-place-id": p.id });
      li.append(el("span", { class: "nk-find-name" }, S.shortName(p)));
      var extra = p.where + (S.fold(S.shortName(p) + " " + p.where).indexOf(S.fold(m.name)) < 0 ? " · " + m.name : "");
      li.append(el("span", { class: "nk-find-where" }, extra));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent = results.length === 1 ? _("1 place found")
      : results.length ? _("Places found: {n}", { n: results.length }) : _("no place found");
    if (results.length) { setActive(0); } else { active = -1; input.removeAttribute("aria-activedescendant"); }
  }
  function choose(i) {
    var m = results[i];
    if (!m) { return; }
    input.value = m.place.name;
    closeList();
    open(m.id, true);
  }
  input.addEventListener("input", render);
  input.addEventListener("focus", function () { if (input.value.trim()) { render(); } });
  input.addEventListener("blur", closeList);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden) { render(); } else { setActive(active + (e.key === "ArrowDown" ? 1 : -1)); }
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (list.hidden) { render(); }
      choose(active >= 0 ? active : 0);
    } else if (e.key === "Escape") {
      if (!list.hidden) { closeList(); } else { input.value = ""; }
      e.preventDefault();
    }
  });

  // ---- the ring ---------------------------------------------------------------------------------------------
  NKMap.panes(map, [{ name: "nk-highlight", z: 640 }]);
  var ring = L.featureGroup().addTo(map);
  function drawRing(p) {
    ring.clearLayers();
    if (!p) { map.getContainer().removeAttribute("data-nkmap-place"); return; }
    var opts = { pane: "nk-highlight", interactive: false, fill: false, radius: 15 };
    L.circleMarker([p.lat, p.lon], Object.assign({ color: "#ffffff", weight: 7, opacity: 0.95 }, opts)).addTo(ring);
    L.circleMarker([p.lat, p.lon], Object.assign({ color: "#111111", weight: 3, opacity: 1, className: "nk-place-ring" }, opts)).addTo(ring);
    map.getContainer().setAttribute("data-nkmap-place", p.id);
  }

  // ---- the card ---------------------------------------------------------------------------------------------
  var card = el("section", { id: "nk-placecard", "aria-labelledby": "nk-placecard-title", tabindex: "-1" });
  card.hidden = true;
  document.getElementById("nk-main").append(card);
  var shownId = null;
  var placesLayer = (D.layers.filter(function (l) { return l.id === "places"; })[0] || { features: [] }).features;
  function pieceOf(id) {
    for (var i = 0; i < placesLayer.length; i++) { if (placesLayer[i].properties.id === id) { return placesLayer[i].properties.piece; } }
    return -1;
  }
  /** As place_finder.card_today_html: who the map shows holding the place on the date shown. */
  function todayText(id, day) {
    var C = D.control, piece = pieceOf(id), ep = 0;
    while (ep < C.epochs.length && C.epochs[ep] <= day) { ep++; }
    var s = piece >= 0 ? parseInt(C.assign[ep].charAt(piece), 10) - 1 : -1;
    var when = X.dates.longDate(day);
    if (s < 0) { return _("On {date} it lies outside the modelled area: the map shows no holder for it.", { date: when }); }
    var side = D.sides[s].id;
    return _("On {date} the map shows it held by: {side}.", { date: when, side: F.sideLabels[side] || side });
  }
  function dayButton(text, day) {
    var b = el("button", { type: "button", class: "nk-goto", "data-day": X.dates.isoOf(day) }, text);
    b.addEventListener("click", function () { X.setDay(day); });
    return b;
  }
  function fillCard(id) {
    var p = S.place(id);
    card.textContent = "";
    var head = el("div", { class: "nk-placecard-head" });
    head.append(el("h2", { id: "nk-placecard-title" }, p.name));
    var close = el("button", { type: "button", class: "nk-placecard-close", "aria-label": _("close the place card") }, "✕");
    close.addEventListener("click", function () { X.setPlace(null); });
    head.append(close);
    card.append(head, el("div", { class: "nk-card-today", "aria-live": "polite" }, todayText(id, X.day())));
    var go = el("div", { class: "nk-gotos" });
    if (p.changed !== null && p.changed >= 0 && p.changed <= D.days) {
      go.append(dayButton(_("Go to the day it changed hands ({date})", { date: X.dates.longDate(p.changed) }), p.changed));
    }
    if (p.claimed !== null && p.claimed !== p.changed && p.claimed >= 0 && p.claimed <= D.days) {
      go.append(dayButton(_("Go to the day its capture was announced ({date})", { date: X.dates.longDate(p.claimed) }), p.claimed));
    }
    if (go.childNodes.length) { card.append(go); }
    var body = el("div", { class: "nk-placecard-body" });
    body.innerHTML = F.cards[S.number(id)];  // escaped in Python (nkmap.text.place_card)
    var title = body.querySelector(".nk-card-title");
    if (title) { title.remove(); }  // the card's own heading above says it
    card.append(body);
    var url = X.placeUrl(id);
    if (url) {
      var a = el("a", { href: url, class: "nk-placecard-link" }, _("Permanent page of this place"));
      card.append(a);
    }
  }
  function open(id, focusMap) {
    if (X.place() !== id) { X.setPlace(id); } else { show(id, focusMap); }
    if (focusMap) { centre(id, true); }
  }
  function centre(id, always) {
    var p = S.place(id), at = L.latLng(p.lat, p.lon);
    if (always || !map.getBounds().contains(at)) { map.setView(at, Math.max(FOCUS_ZOOM, Math.round(map.getZoom())), { animate: false }); }
  }
  function show(id) {
    shownId = id && S.place(id) ? id : null;
    drawRing(shownId ? S.place(shownId) : null);
    if (!shownId) { card.hidden = true; card.textContent = ""; document.body.classList.remove("nk-card-open"); return; }
    fillCard(shownId);
    card.hidden = false;
    document.body.classList.add("nk-card-open");
  }
  X.onPlace(function (id) { show(id); });
  X.onDay(function (iso, day) {
    var line = card.querySelector(".nk-card-today");
    if (shownId && line) { line.textContent = todayText(shownId, day); }
  });
  if (X.place()) { show(X.place()); centre(X.place(), false); }
  window.NKFinder = { open: function (id) { open(id, true); }, search: S.search, fold: S.fold, spellingKey: S.spellingKey };
})();
