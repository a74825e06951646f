/* The explorer: nkmap's standalone page (nkmap.export.export_html; the static site's index.html). Steps through
   the days in the browser from the data Python computed (html_data.HtmlData, in #nk-data): control pieces
   recoloured per epoch, the other layers shown on the days they are in force, the "On this date" panel, play
   with the app's speeds and periods, and the address (?date=&layers=&view=&place=&palette=, as the app's
   nkmap.web.pagestate) kept in step so a link to the page and to the app are interchangeable.

   API for code built on the page (window.NKExplorer):
     map                 the Leaflet map
     data                the page's data (html_data.HtmlData): sides, layers, panel, periods, speeds, places' ids
     dates               {isoOf(day), dayOf(iso), longDate(day)}: day numbers from data.start
     day(), iso()        the date shown (day number, ISO text)
     setDay(isoOrDay)    show a date (ISO text or day number); the period widens when the date lies outside it
     onDay(cb)           cb(iso, day) after every date shown (and once at once for the current date)
     place(), setPlace(id | null), onPlace(cb)   the place named in the address (`place=`); cb(id) on change
     placeUrl(id)        the place's own page on the static site (places/<id>.html), or null in a lone file
     layers(), setLayers([ids]), palette(), setPalette(id)
     note(text)          a short note above the map (text, never HTML)
*/
(function () {
  "use strict";
  var _ = NKMap.t;
  var D = NKMap.localised ? NKMap.localised("explorer", JSON.parse(document.getElementById("nk-data").textContent))
    : JSON.parse(document.getElementById("nk-data").textContent);
  var dates = NKMap.dates(D.start, D.months, D.lang);
  var isoOf = dates.isoOf, longDate = dates.longDate, fmtKm2 = NKMap.fmtKm2;
  var $ = function (id) { return document.getElementById(id); };
  // explorer.html is written in English: its fixed words in the page's language (NKMap.t, client/messages.js).
  [["nk-bar", "aria-label", _("Date and display")], ["nk-prev", "aria-label", _("previous day")],
    ["nk-slider", "aria-label", _("date")], ["nk-next", "aria-label", _("next day")],
    ["nk-speed", "aria-label", _("speed")], ["nk-period", "aria-label", _("period (slider and play)")],
    ["nk-jump", "aria-label", _("key dates and events")], ["nk-palette", "aria-label", _("colours")],
    ["nk-warn-close", "aria-label", _("dismiss")], ["nk-panel", "aria-label", _("On this date")]
  ].forEach(function (a) { var el = $(a[0]); if (el) { el.setAttribute(a[1], a[2]); } });
  $("nk-panel-btn").textContent = _("On this date");
  $("nk-legend-btn").textContent = _("Key");

  var map = L.map("map", { zoomSnap: 0.25, minZoom: 5, maxZoom: 14 });
  NKMap.attribution(map);
  map.attributionControl.addAttribution(_("Borders: Natural Earth · nkmap"));
  map.fitBounds(D.bounds);
  L.control.scale({ imperial: false }).addTo(map);
  // Leaflet 1.9 makes every shape with a tooltip or popup focusable: hundreds of Tab stops between the date controls
  // and the panel. The map is one stop (arrow keys pan, +/- zoom); the panel says in words what the shapes show.
  map.on("layeradd", function (e) {
    var el = e.layer.getElement && e.layer.getElement();
    if (el) { el.setAttribute("tabindex", "-1"); }
  });
  function pane(name, z, opacity) { NKMap.panes(map, [{ name: name, z: z, opacity: opacity }]); return name; }

  var paletteId = D.palette;
  function sideColours() {
    var p = D.palettes.filter(function (x) { return x.id === paletteId; })[0];
    return p ? p.sides : D.sides.map(function (s) { return s.color; });
  }

  // Control: every piece drawn once, opaque, in a pane that is see-through as a whole (no seams between pieces).
  var C = D.control;
  var controlPane = pane("nk-control", 410, C.style.fillOpacity !== undefined ? Math.min(C.style.fillOpacity + 0.1, 1) : 0.55);
  var pieces = NKMap.pieceSet(C, controlPane, function (i) { return piecePopup(i); });
  var groups = { control: pieces.group };

  var current = 0, epoch = -1;
  var epochOf = pieces.epochOf, sideIndexOf = pieces.sideOf;
  function popupHtml(p) { return NKMap.popupWithSources(p, D.sources, D.noSources); }
  function piecePopup(i) {
    var s = sideIndexOf(i, epoch), hist = C.history[i] || [], f = null;
    for (var k = 0; k < hist.length; k++) { if (hist[k][0] <= current) { f = hist[k][1]; } }
    var head = '<div class="nk-dates"><b>' + longDate(current) + ":</b> " +
      (s >= 0 ? D.sides[s].label : "–") + "</div>";
    return head + (f !== null ? popupHtml(C.features[f]) : "");
  }

  // Other layers: each feature drawn when first needed, shown on the days it is in force.
  var overlays = {};
  var layerState = D.layers.map(function (spec) {
    var group = L.featureGroup();
    var paneName = pane("nk-" + spec.id, spec.pane);
    var items = spec.features.map(function (f) { return { f: f, layer: null }; });
    overlays[spec.title] = group;
    groups[spec.id] = group;
    return { spec: spec, group: group, pane: paneName, items: items };
  });
  overlays[C.title] = pieces.group;

  function makeLayer(st, item) {
    var p = item.f.properties, layer, style = Object.assign({}, st.spec.style, p.style);
    if (item.f.geometry.type === "Point") {
      var c = item.f.geometry.coordinates;
      layer = L.circleMarker([c[1], c[0]], Object.assign({ pane: st.pane }, style));
    } else {
      layer = L.geoJSON(item.f, { pane: st.pane, style: function () { return style; } });
    }
    if (p.popup) { layer.bindPopup(function () { return popupHtml(p.popup); }, { maxWidth: 360 }); }
    if (p.label) {
      if (p.labelAt) {
        var lab = L.tooltip({ permanent: true, direction: "center", className: "nk-label nk-country" })
          .setLatLng(p.labelAt).setContent(p.label);
        layer = L.featureGroup([layer]).on("add", function () { map.addLayer(lab); }).on("remove", function () { map.removeLayer(lab); });
      } else {
        layer.bindTooltip(p.label, { permanent: true, direction: "right", offset: [5, 0], className: "nk-label" });
      }
    } else if (p.tooltip) {
      layer.bindTooltip(p.tooltip, { sticky: true });
    }
    return layer;
  }

  function latestEventDay(items, day) {
    var best = null;
    items.forEach(function (it) { var f = it.f.properties.from; if (f <= day && (best === null || f > best)) { best = f; } });
    return best;
  }

  // ---- periods, play, the date shown ---------------------------------------------------------------------
  function periodById(id) { return D.periods.filter(function (p) { return p.id === id; })[0]; }
  /** As pagestate.period_for: the period asked for if it holds the day, else the first that does. */
  function periodFor(id, day) {
    var asked = periodById(id);
    if (asked && (day === undefined || (asked.start <= day && day <= asked.end))) { return asked; }
    for (var i = 0; i < D.periods.length; i++) {
      var p = D.periods[i];
      if (day === undefined || (p.start <= day && day <= p.end)) { return p; }
    }
    return D.periods[D.periods.length - 1] || { id: "all", start: 0, end: D.days };
  }
  var period = periodFor(D.defaultPeriod, D.initial);
  var dayCallbacks = [], placeCallbacks = [], placeId = null, ready = false;

  function show(day) {
    current = Math.max(0, Math.min(D.days, day));
    if (!(period.start <= current && current <= period.end)) { setPeriod(periodFor(period.id, current).id, true); }
    var ep = epochOf(current), colours = sideColours();
    if (ep !== epoch) {
      epoch = ep;
      pieces.paint(ep, colours);
    }
    layerState.forEach(function (st) {
      var eventDay = st.spec.id === "events" ? latestEventDay(st.items, current) : null;
      st.items.forEach(function (it) {
        var p = it.f.properties;
        var on = st.spec.id === "events" ? p.from === eventDay : (p.from <= current && current <= p.to);
        if (on && !it.layer) { it.layer = makeLayer(st, it); }
        if (on && st.spec.id === "places" && it.layer.setStyle) {
          var s = p.piece >= 0 ? sideIndexOf(p.piece, ep) : -1;
          it.layer.setStyle({ fillColor: s >= 0 ? colours[s] : "#999999" });
        }
        if (it.layer) {
          if (on && !st.group.hasLayer(it.layer)) { st.group.addLayer(it.layer); }
          if (!on && st.group.hasLayer(it.layer)) { st.group.removeLayer(it.layer); }
        }
      });
    });
    $("nk-date").textContent = longDate(current);
    var slider = $("nk-slider");
    if (Number(slider.value) !== current) { slider.value = current; }
    var key = null;
    D.keyDates.forEach(function (k) { if (k.day <= current) { key = k; } });
    // key.label comes escaped from Python; the date is the language's, as the panel writes it.
    $("nk-key").innerHTML = key ? _("Latest key date: {date} – {label}", { date: longDate(key.day), label: key.label }) : "";
    var areas = C.areas[ep] || [];
    areaCells.forEach(function (el, i) { if (el) { el.textContent = fmtKm2(areas[i]); } });
    renderPanel();
    document.body.setAttribute("data-day", isoOf(current));
    writeAddress();
    dayCallbacks.forEach(function (cb) { cb(isoOf(current), current); });
  }

  function renderPanel() {
    var P = D.panel, day = String(current), out = ["<h2>" + _("On {date}", { date: longDate(current) }) + "</h2>"];
    if (P.keys[day]) { out.push('<div class="nk-keydate">' + P.keys[day] + "</div>"); }
    var evDay = null;
    P.eventDays.forEach(function (d) { if (d <= current) { evDay = d; } });
    if (evDay === null) {
      out.push('<p class="nk-muted">' + _("No recorded event on or before this date.") + "</p>");
    } else {
      out.push(evDay === current ? "<h3>" + _("Events on this date") + "</h3>"
        : "<h3>" + _("Latest events before this date") + ' <span class="nk-muted">(' + longDate(evDay) + ")</span></h3>");
      out.push('<ul class="nk-events">' + P.events[String(evDay)].join("") + "</ul>");
    }
    if (P.changes[day]) { out.push("<h3>" + _("Changed hands on this date") + '</h3><ul class="nk-changes">' + P.changes[day].join("") + "</ul>"); }
    if (P.announced[day]) {
      var n = P.announced[day].length;
      var announced = n === 1 ? _("Azerbaijan announced the capture of 1 place on this date")
        : _("Places whose capture Azerbaijan announced on this date: {n}", { n: n });
      out.push('<details class="nk-announced"' + (n <= 12 ? " open" : "") + "><summary><b>" + announced +
        '</b> <span class="nk-muted">(' + _("claims") + ")</span></summary><ul>" + P.announced[day].join("") + "</ul></details>");
    }
    var rows = (P.areas[epoch] || []).map(function (r) {
      return '<tr><td>' + r[0] + '</td><td class="num">' + r[1] + '</td><td class="num">' + (current >= P.warStart ? r[2] : "&ndash;") + "</td></tr>";
    }).join("");
    out.push('<table class="nk-areas"><tr><th>' + _("Held by") + '</th><th class="num">' + _("Area") + '</th><th class="num">' +
      _("Since 27 Sep 2020") + "</th></tr>" + rows + '</table><p class="nk-muted">' +
      _("Area of the modelled region each side held (approximate; an equal-area projection).") + "</p>");
    $("nk-panel-body").innerHTML = out.join("");
  }

  // ---- legend -----------------------------------------------------------------------------------------------
  var legendDiv = NKMap.legendBox(map, "bottomright", "nk-legend");
  // On a phone the legend scrolls inside its box: a Tab stop of its own lets the keyboard scroll it too.
  legendDiv.id = "nk-legend";
  legendDiv.setAttribute("tabindex", "0");
  legendDiv.setAttribute("role", "region");
  legendDiv.setAttribute("aria-label", $("nk-legend-btn").textContent);
  $("nk-legend-btn").setAttribute("aria-controls", "nk-legend");
  var areaCells = [];
  function fillLegend() {
    var colours = sideColours();
    areaCells = NKMap.fillLegend(legendDiv, {
      heading: D.ui.area_heading,
      sides: D.sides.map(function (s, i) { return { label: s.label, color: colours[i] }; }),
      symbols: D.legend
    });
  }
  fillLegend();
  L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(map);

  // ---- controls ---------------------------------------------------------------------------------------------
  var slider = $("nk-slider");
  function setPeriod(id, keepDay) {
    period = periodById(id) || period;
    slider.min = period.start;
    slider.max = period.end;
    $("nk-period").value = period.id;
    if (!keepDay && !(period.start <= current && current <= period.end)) {
      show(Math.min(Math.max(current, period.start), period.end));
    }
  }
  function step(days) { stopPlaying(); show(Math.min(Math.max(current + days, period.start), period.end)); }
  slider.addEventListener("input", function () { stopPlaying(); show(Number(slider.value)); });
  $("nk-prev").addEventListener("click", function () { step(-1); });
  $("nk-next").addEventListener("click", function () { step(1); });
  var jump = $("nk-jump");
  jump.innerHTML = '<option value="">' + D.ui.date_label + "…</option>" + D.jumps.map(function (k) {
    return '<option value="' + k.day + '">' + k.label + "</option>";
  }).join("");
  jump.addEventListener("change", function () { if (jump.value !== "") { stopPlaying(); show(Number(jump.value)); } });
  var periodSel = $("nk-period");
  periodSel.innerHTML = D.periods.map(function (p) { return '<option value="' + p.id + '">' + p.label + "</option>"; }).join("");
  periodSel.addEventListener("change", function () { stopPlaying(); setPeriod(periodSel.value, false); });
  var speedSel = $("nk-speed");
  // The play speeds (nkmap.model.periods.SPEEDS) in the page's language, by their ids.
  var SPEED_LABELS = { "day": _("1 day per second"), "day-fast": _("2 days per second"), "week": _("1 week per second"),
    "month": _("1 month per second") };
  speedSel.innerHTML = D.speeds.map(function (s) {
    return '<option value="' + s.id + '">' + (SPEED_LABELS[s.id] || s.label) + "</option>";
  }).join("");
  speedSel.value = D.defaultSpeed;
  speedSel.addEventListener("change", function () { if (timer) { startPlaying(); } });
  var paletteSel = $("nk-palette");
  var PALETTE_LABELS = { "default": _("Standard colours"), "high_contrast": _("High contrast (colour-blind safe)") };
  paletteSel.innerHTML = D.palettes.map(function (p) {
    return '<option value="' + p.id + '">' + (PALETTE_LABELS[p.id] || p.label) + "</option>";
  }).join("");
  paletteSel.addEventListener("change", function () { setPalette(paletteSel.value); });

  var playBtn = $("nk-play"), timer = null;
  function speed() { return D.speeds.filter(function (s) { return s.id === speedSel.value; })[0] || D.speeds[0]; }
  function stopPlaying() {
    if (timer) { clearInterval(timer); timer = null; }
    playBtn.textContent = "► " + D.ui.play;
    playBtn.setAttribute("aria-pressed", "false");
  }
  /** As the app's play: from the period's start when at its end, `days` per frame, stopping at the end. */
  function startPlaying() {
    if (timer) { clearInterval(timer); }
    if (!(period.start <= current && current < period.end)) { show(period.start); }
    var sp = speed();
    playBtn.textContent = "❚❚ " + D.ui.pause;
    playBtn.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      var next = Math.min(current + sp.days, period.end);
      show(next);
      if (next >= period.end) { stopPlaying(); }
    }, sp.ms);
  }
  playBtn.addEventListener("click", function () { if (timer) { stopPlaying(); } else { startPlaying(); } });
  stopPlaying();
  document.addEventListener("keydown", function (ev) {
    if (ev.target && (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT")) { return; }
    if (ev.key === "ArrowLeft") { step(-1); }
    if (ev.key === "ArrowRight") { step(1); }
  });

  // The panel and the legend fold away behind buttons (folded from the start on a narrow screen).
  function fold(which, open) {
    document.body.classList.toggle("nk-" + which + "-open", open);
    $("nk-" + which + "-btn").setAttribute("aria-expanded", open ? "true" : "false");
    map.invalidateSize();
  }
  var narrow = window.matchMedia && window.matchMedia("(max-width: 700px)").matches;
  fold("panel", !narrow);
  fold("legend", !narrow);
  ["panel", "legend"].forEach(function (which) {
    $("nk-" + which + "-btn").addEventListener("click", function () {
      fold(which, !document.body.classList.contains("nk-" + which + "-open"));
    });
  });

  // ---- layers and palette -----------------------------------------------------------------------------------
  function visibleLayers() { return D.layerIds.filter(function (id) { return groups[id] && map.hasLayer(groups[id]); }); }
  function setLayers(ids) {
    D.layerIds.forEach(function (id) {
      var g = groups[id];
      if (!g) { return; }
      var on = ids.indexOf(id) >= 0;
      if (on && !map.hasLayer(g)) { map.addLayer(g); }
      if (!on && map.hasLayer(g)) { map.removeLayer(g); }
    });
    writeAddress();
  }
  map.on("overlayadd overlayremove", writeAddress);
  function setPalette(id) {
    if (!D.palettes.some(function (p) { return p.id === id; })) { return; }
    paletteId = id;
    paletteSel.value = id;
    epoch = -1;  // repaint every piece
    fillLegend();
    show(current);
  }

  // ---- the address --------------------------------------------------------------------------------------------
  var viewSet = false, notes = [];
  function note(text) {
    notes.push(String(text));
    var box = $("nk-warn");
    box.hidden = false;
    $("nk-warn-text").textContent = notes.join(" ");
  }
  $("nk-warn-close").addEventListener("click", function () { $("nk-warn").hidden = true; });
  function shown(raw, n) { raw = String(raw); return raw.length <= n ? raw : raw.slice(0, n) + "..."; }
  function readParams() {
    var out = {};
    [location.search.slice(1), location.hash.slice(1)].forEach(function (part) {
      part.split("&").forEach(function (kv) {
        if (!kv) { return; }
        var i = kv.indexOf("=");
        if (i < 0) {  // an old link: '#2020-11-10'
          if (/^\d{4}-\d{2}-\d{2}$/.test(kv)) { out.date = kv; }
          return;
        }
        var k = kv.slice(0, i), v = kv.slice(i + 1).replace(/\+/g, " ");
        try { v = decodeURIComponent(v); } catch (e) { /* a malformed escape: judged as it stands */ }
        out[k] = v;
      });
    });
    return out;
  }
  var DECIMAL = /^[+-]?(?:[0-9]{1,12}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})$/;
  /** As pagestate.parse_view: 'lat,lon,zoom' inside the map's limits, else an Error saying what is wrong. */
  function parseView(text) {
    var parts = text.split(",");
    if (parts.length !== 3) { throw new Error(_("expected lat,lon,zoom")); }
    parts.forEach(function (p) { if (!DECIMAL.test(p.trim())) { throw new Error(_("'{value}' is not a plain number", { value: shown(p.trim(), 20) })); } });
    var lat = Number(parts[0]), lon = Number(parts[1]), zoom = Number(parts[2]);
    if (zoom !== Math.round(zoom)) { throw new Error(_("zoom must be a whole number")); }
    if (!(lat >= -85 && lat <= 85 && lon >= -180 && lon <= 180)) { throw new Error(_("latitude or longitude out of range")); }
    if (zoom < D.viewZooms[0] || zoom > D.viewZooms[1]) { throw new Error(_("zoom must be {min} to {max}", { min: D.viewZooms[0], max: D.viewZooms[1] })); }
    return [lat, lon, zoom];
  }
  function writeAddress() {
    if (!ready) { return; }
    var q = "date=" + isoOf(current) + "&layers=" + visibleLayers().join(",");
    if (viewSet) {
      var c = map.getCenter(), z = Math.min(Math.max(Math.round(map.getZoom()), D.viewZooms[0]), D.viewZooms[1]);
      q += "&view=" + c.lat.toFixed(4) + "," + c.lng.toFixed(4) + "," + z;
    }
    if (paletteId !== "default") { q += "&palette=" + encodeURIComponent(paletteId); }
    if (placeId) { q += "&place=" + encodeURIComponent(placeId); }
    if (NKMap.lang && NKMap.lang !== "en") { q += "&lang=" + encodeURIComponent(NKMap.lang); }
    // On a web server the query, as the app's; a file:// page may not change its query, so there the hash.
    var url = /^https?:$/.test(location.protocol) ? location.pathname + "?" + q : "#" + q;
    try { history.replaceState(null, "", url); } catch (e) { /* a sandboxed frame: the page still works */ }
  }

  var params = readParams(), initial = NK_INITIAL !== null ? NK_INITIAL : D.initial;
  if (params.date !== undefined) {
    var asked = dates.dayOf(params.date);
    if (asked === null) {
      note(_("Date in the link ('{value}') is not a date like 2020-11-10. Showing {date} instead.", { value: shown(params.date, 20), date: longDate(initial) }));
    } else if (asked < 0 || asked > D.days) {
      note(_("Date in the link ({value}) is outside the timeline ({first} to {last}). Showing {date} instead.",
        { value: params.date, first: longDate(0), last: longDate(D.days), date: longDate(initial) }));
    } else {
      initial = asked;
    }
  }
  var layers = D.layerIds.filter(function (id) {
    return id === "control" ? C.visible !== false : D.layers.some(function (l) { return l.id === id && l.visible; });
  });
  if (params.layers !== undefined) {
    var wanted = params.layers.split(",").map(function (t) { return t.trim(); }).filter(Boolean);
    var unknown = wanted.filter(function (t) { return D.layerIds.indexOf(t) < 0; });
    var chosen = D.layerIds.filter(function (id) { return wanted.indexOf(id) >= 0; });
    if (unknown.length) {
      note(_("Unknown layer(s) in the link: {names}. Known layers: {known}.", {
        names: unknown.slice(0, 5).map(function (u) { return shown(u, 30); }).join(", "), known: D.layerIds.join(", ") }));
    }
    if (chosen.length || !params.layers.trim()) { layers = chosen; } else { note(_("No known layer in the link; showing the default layers.")); }
  }
  if (params.view !== undefined) {
    try {
      var v = parseView(params.view);
      map.setView([v[0], v[1]], v[2], { animate: false });
      viewSet = true;
    } catch (err) {
      note(_("Map view in the link ('{value}'): {problem}. Showing the default view.", { value: shown(params.view, 40), problem: err.message }));
    }
  }
  if (params.palette !== undefined) {
    if (D.palettes.some(function (p) { return p.id === params.palette; })) { paletteId = params.palette; fillLegend(); } else {
      note(_("Unknown palette in the link; use one of {ids}.", { ids: D.palettes.map(function (p) { return p.id; }).join(", ") }));
    }
  }
  paletteSel.value = paletteId;
  if (params.place !== undefined) {
    var byName = window.NKPlaceSearch && D.finder ? NKPlaceSearch.of(D.finder).fromLink(params.place) : null;
    if (D.placeIds.indexOf(params.place) >= 0) { placeId = params.place; } else if (byName) {
      if (byName.id) { placeId = byName.id; } else { note(byName.message); }
    } else {
      note(_("Place in the link ('{value}') is not a place on this map. Showing the map without a place.", { value: shown(params.place, 40) }));
    }
  }
  setLayers(layers);
  period = periodFor(D.defaultPeriod, initial);
  setPeriod(period.id, true);
  ready = true;
  show(initial);
  map.on("moveend", function () { viewSet = true; writeAddress(); });

  function setPlace(id) {
    placeId = id && D.placeIds.indexOf(id) >= 0 ? id : null;
    writeAddress();
    placeCallbacks.forEach(function (cb) { cb(placeId); });
  }
  window.NKExplorer = {
    map: map,
    data: D,
    dates: dates,
    day: function () { return current; },
    iso: function () { return isoOf(current); },
    setDay: function (d) { var i = typeof d === "number" ? d : dates.dayOf(d); if (i !== null) { stopPlaying(); show(i); } },
    onDay: function (cb) { dayCallbacks.push(cb); cb(isoOf(current), current); },
    place: function () { return placeId; },
    setPlace: setPlace,
    onPlace: function (cb) { placeCallbacks.push(cb); },
    placeUrl: function (id) {
      if (!D.siteLinks) { return null; }
      return (NKMap.lang && NKMap.lang !== "en" ? NKMap.lang + "/" : "") + "places/" + encodeURIComponent(id) + ".html";
    },
    layers: visibleLayers,
    setLayers: setLayers,
    palette: function () { return paletteId; },
    setPalette: setPalette,
    note: note
  };
  window.nkmap = { map: map, show: show, day: function () { return current; }, isoOf: isoOf };
})();
