(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("nk-data").textContent);
  var dates = NKMap.dates(D.start, D.months, D.lang);
  var isoOf = dates.isoOf, longDate = dates.longDate, fmtKm2 = NKMap.fmtKm2;

  var map = L.map("map", { zoomSnap: 0.25, minZoom: 5, maxZoom: 14 });
  NKMap.attribution(map);
  map.attributionControl.addAttribution("Borders: Natural Earth · nkmap");
  map.fitBounds(D.bounds);
  L.control.scale({ imperial: false }).addTo(map);
  function pane(name, z, opacity) { NKMap.panes(map, [{ name: name, z: z, opacity: opacity }]); return name; }

  // Control: every piece drawn once, opaque, in a pane that is see-through as a whole (no seams between pieces).
  var C = D.control;
  var controlPane = pane("nk-control", 410, C.style.fillOpacity !== undefined ? Math.min(C.style.fillOpacity + 0.1, 1) : 0.55);
  var pieces = NKMap.pieceSet(C, controlPane, function (i) { return piecePopup(i); });
  var controlGroup = pieces.group;
  controlGroup.addTo(map);

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
    var items = spec.features.map(function (f) {
      return { f: f, layer: null };
    });
    overlays[spec.title] = group;
    if (spec.visible) { group.addTo(map); }
    return { spec: spec, group: group, pane: paneName, items: items };
  });
  overlays[C.title] = controlGroup;

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

  function show(day) {
    current = Math.max(0, Math.min(D.days, day));
    var ep = epochOf(current);
    if (ep !== epoch) {
      epoch = ep;
      pieces.paint(ep, D.sides.map(function (s) { return s.color; }));
    }
    layerState.forEach(function (st) {
      var eventDay = st.spec.id === "events" ? latestEventDay(st.items, current) : null;
      st.items.forEach(function (it) {
        var p = it.f.properties;
        var on = st.spec.id === "events" ? p.from === eventDay : (p.from <= current && current <= p.to);
        if (on && !it.layer) { it.layer = makeLayer(st, it); }
        if (on && st.spec.id === "places" && it.layer.setStyle) {
          var s = p.piece >= 0 ? sideIndexOf(p.piece, ep) : -1;
          it.layer.setStyle({ fillColor: s >= 0 ? D.sides[s].color : "#999999" });
        }
        if (it.layer) {
          if (on && !st.group.hasLayer(it.layer)) { st.group.addLayer(it.layer); }
          if (!on && st.group.hasLayer(it.layer)) { st.group.removeLayer(it.layer); }
        }
      });
    });
    document.getElementById("nk-date").textContent = longDate(current);
    var slider = document.getElementById("nk-slider");
    if (Number(slider.value) !== current) { slider.value = current; }
    var key = null;
    D.keyDates.forEach(function (k) { if (k.day <= current) { key = k; } });
    document.getElementById("nk-key").innerHTML = key ? D.ui.latest + ": " + isoOf(key.day) + " – " + key.label : "";
    var areas = C.areas[ep] || [];
    D.sides.forEach(function (s, i) {
      var el = document.getElementById("nk-area-" + i);
      if (el) { el.textContent = fmtKm2(areas[i]); }
    });
    if (history.replaceState) { history.replaceState(null, "", "#" + isoOf(current)); }
    document.body.setAttribute("data-day", isoOf(current));
  }

  // Legend: sides with their area on the date, then the line and point styles.
  (function () {
    var div = NKMap.legendBox(map, "bottomright", "nk-legend");
    NKMap.fillLegend(div, { heading: D.ui.area_heading, sides: D.sides, symbols: D.legend });
  })();
  L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(map);

  // Date controls: slider, previous/next day, key dates, play (steps from one change of control to the next).
  var slider = document.getElementById("nk-slider");
  slider.max = D.days;
  slider.addEventListener("input", function () { show(Number(slider.value)); });
  document.getElementById("nk-prev").addEventListener("click", function () { show(current - 1); });
  document.getElementById("nk-next").addEventListener("click", function () { show(current + 1); });
  var jump = document.getElementById("nk-jump");
  jump.innerHTML = '<option value="">' + D.ui.date_label + "…</option>" + D.keyDates.map(function (k) {
    return '<option value="' + k.day + '">' + isoOf(k.day) + " – " + k.label + "</option>";
  }).join("");
  jump.addEventListener("change", function () { if (jump.value !== "") { show(Number(jump.value)); } });
  var stops = C.epochs.concat(D.keyDates.map(function (k) { return k.day; }))
    .filter(function (d) { return d >= 0 && d <= D.days; }).sort(function (a, b) { return a - b; });
  var playBtn = document.getElementById("nk-play"), timer = null;
  function setPlaying(on) {
    if (timer) { clearInterval(timer); timer = null; }
    playBtn.textContent = on ? "❚❚ " + D.ui.pause : "► " + D.ui.play;
    if (on) {
      timer = setInterval(function () {
        var next = stops.filter(function (d) { return d > current; })[0];
        if (next === undefined) { setPlaying(false); return; }
        show(next);
      }, 900);
    }
  }
  playBtn.addEventListener("click", function () { setPlaying(!timer); });
  setPlaying(false);
  document.addEventListener("keydown", function (ev) {
    if (ev.target && (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT")) { return; }
    if (ev.key === "ArrowLeft") { show(current - 1); }
    if (ev.key === "ArrowRight") { show(current + 1); }
  });

  var fromHash = /^#(\d{4}-\d{2}-\d{2})$/.exec(location.hash || "");
  var initial = NK_INITIAL !== null ? NK_INITIAL : D.initial;
  if (fromHash) {
    var i = dates.dayOf(fromHash[1]);
    if (i !== null && i >= 0 && i <= D.days) { initial = i; }
  }
  show(initial);
  window.nkmap = { map: map, show: show, day: function () { return current; }, isoOf: isoOf };
})();
