(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("nk-data").textContent);
  var DAY_MS = 86400000;
  var startMs = Date.parse(D.start + "T00:00:00Z");
  function isoOf(i) { return new Date(startMs + i * DAY_MS).toISOString().slice(0, 10); }
  function longDate(i) {
    var d = new Date(startMs + i * DAY_MS), m = D.months[d.getUTCMonth()];
    if (D.lang === "hy") { return d.getUTCFullYear() + " թ. " + m + " " + d.getUTCDate(); }
    return d.getUTCDate() + " " + m + " " + d.getUTCFullYear();
  }
  function fmtKm2(v) { return v ? String(v).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f") : "–"; }

  var map = L.map("map", { zoomSnap: 0.25, minZoom: 5, maxZoom: 14 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="BSD-2-Clause">Leaflet</a>');
  map.attributionControl.addAttribution("Borders: Natural Earth · nkmap");
  map.fitBounds(D.bounds);
  L.control.scale({ imperial: false }).addTo(map);
  function pane(name, z, opacity) {
    var p = map.createPane(name); p.style.zIndex = z;
    if (opacity !== undefined) { p.style.opacity = opacity; }
    return name;
  }

  // Control: every piece drawn once, opaque, in a pane that is see-through as a whole (no seams between pieces).
  var C = D.control;
  var controlPane = pane("nk-control", 410, C.style.fillOpacity !== undefined ? Math.min(C.style.fillOpacity + 0.1, 1) : 0.55);
  var pieceLayers = [];
  var controlGroup = L.featureGroup();
  C.pieces.forEach(function (geom, i) {
    var layer = L.geoJSON({ type: "Feature", geometry: geom, properties: {} },
      { pane: controlPane, style: { stroke: true, weight: 1, opacity: 1, fillOpacity: 1 } });
    layer.nkPiece = i;
    layer.bindPopup(function () { return piecePopup(i); }, { maxWidth: 360 });
    pieceLayers.push(layer);
    controlGroup.addLayer(layer);
  });
  controlGroup.addTo(map);

  var current = 0, epoch = -1;
  function epochOf(day) { var e = 0; while (e < C.epochs.length && C.epochs[e] <= day) { e++; } return e; }
  function sideIndexOf(piece, ep) { return parseInt(C.assign[ep].charAt(piece), 10) - 1; }
  function popupHtml(p) {
    if (p.src === undefined) { return p.html; }
    var list = p.src.length ? '<div class="nk-sources">Sources:<ol>' +
      p.src.map(function (n) { return "<li>" + D.sources[n] + "</li>"; }).join("") + "</ol></div>" : D.noSources;
    return p.html + list + "</div>";
  }
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
      pieceLayers.forEach(function (layer, i) {
        var s = sideIndexOf(i, ep);
        var color = s >= 0 ? D.sides[s].color : "#000000";
        layer.setStyle({ color: color, fillColor: color, opacity: s >= 0 ? 1 : 0, fillOpacity: s >= 0 ? 1 : 0 });
      });
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
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "nk-legend");
    var out = '<div class="nk-head">' + D.ui.area_heading + "</div>";
    D.sides.forEach(function (s, i) {
      out += '<div class="nk-side"><span class="nk-sw" style="background:' + s.color + ';opacity:0.7"></span>' +
        "<span>" + s.label + '</span><span class="nk-area" id="nk-area-' + i + '"></span></div>';
    });
    D.legend.forEach(function (e) { out += '<div class="nk-line">' + e.swatch + "<span>" + e.label + "</span></div>"; });
    div.innerHTML = out;
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo(map);
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
    var i = Math.round((Date.parse(fromHash[1] + "T00:00:00Z") - startMs) / DAY_MS);
    if (i >= 0 && i <= D.days) { initial = i; }
  }
  show(initial);
  window.nkmap = { map: map, show: show, day: function () { return current; }, isoOf: isoOf };
})();
