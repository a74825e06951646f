/* The static classroom page (nkmap.export.export_classroom): stories stepped with arrow keys, PageUp/PageDown (a
   presenter's clicker) and buttons; projector type; two dates side by side with the ground that changed hands; the
   area-over-time chart, whose clicks move the map. The address holds ?story=<id>&step=<n> (the app's Classroom
   page's names) and projector=1.

   Every text put into HTML comes escaped from Python (the step panel, labels, side names) or is a number or a
   date formatted here; nothing from the address is written into the page. */
(function () {
  "use strict";
  var _ = NKMap.t;
  var D = NKMap.localised ? NKMap.localised("classroom", JSON.parse(document.getElementById("nk-data").textContent))
    : JSON.parse(document.getElementById("nk-data").textContent);
  /** `v` with `decimals` decimals, grouped and pointed as the language writes numbers (D.number: CLDR's symbols,
      from Python: a browser's Intl may have no data for Azerbaijani or Armenian and write 12,000). */
  function fmtNumber(v, decimals) {
    var parts = Math.abs(v).toFixed(decimals).split("."), sign = v < 0 && Number(parts.join(".")) !== 0 ? "-" : "";
    return sign + parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, D.number.group) + (parts[1] ? D.number.decimal + parts[1] : "");
  }
  var M = D.map, C = M.control, CMP = D.compare;
  var dates = NKMap.dates(M.start, M.months, M.lang);
  var colours = M.sides.map(function (s) { return s.color; });
  var body = document.body;
  function $(id) { return document.getElementById(id); }

  function epochOf(day) { var e = 0; while (e < C.epochs.length && C.epochs[e] <= day) { e++; } return e; }
  function sideOf(piece, ep) { return parseInt(C.assign[ep].charAt(piece), 10) - 1; }
  /** '1,234 km²' from 10 up, '4.5 km²' below, as nkmap.text.popups.fmt_km2. */
  function km2(v) {
    var big = Math.abs(v) >= 10;
    return _("{area} km²", { area: fmtNumber(Number(v), big ? 0 : 1) });
  }
  function popupHtml(p) { return NKMap.popupWithSources(p, M.sources, M.noSources); }

  /* ---------------------------------------------------------------- a map that steps through the timeline */
  function timelineMap(elementId, onlyLayers) {
    var map = NKMap.viewRenderers(L.map(elementId, { zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 5, maxZoom: 14, keyboard: false }));
    NKMap.attribution(map);
    map.attributionControl.addAttribution(_("Borders: Natural Earth · nkmap"));
    map.fitBounds(M.bounds);
    L.control.scale({ imperial: false }).addTo(map);
    NKMap.panes(map, [{ name: "nk-control", z: 410, opacity: C.style.fillOpacity !== undefined ? Math.min(C.style.fillOpacity + 0.1, 1) : 0.55 },
      { name: "nk-highlight", z: 640 }]);
    var current = 0, epoch = -1;
    var pieces = NKMap.pieceSet(C, "nk-control", function (i) {
      var s = sideOf(i, epoch), hist = C.history[i] || [], f = null;
      for (var k = 0; k < hist.length; k++) { if (hist[k][0] <= current) { f = hist[k][1]; } }
      return '<div class="nk-dates"><b>' + dates.longDate(current) + ":</b> " + (s >= 0 ? M.sides[s].label : "–") +
        "</div>" + (f !== null ? popupHtml(C.features[f]) : "");
    });
    var layers = M.layers.filter(function (spec) { return !onlyLayers || onlyLayers.indexOf(spec.id) >= 0; })
      .map(function (spec) {
        var pane = "nk-" + spec.id;
        NKMap.panes(map, [{ name: pane, z: spec.pane }]);
        return { spec: spec, pane: pane, group: L.featureGroup(), items: spec.features.map(function (f) { return { f: f, layer: null }; }) };
      });

    function makeLayer(st, item) {
      var p = item.f.properties, layer, style = Object.assign({}, st.spec.style, p.style);
      if (item.f.geometry.type === "Point") {
        var c = item.f.geometry.coordinates;
        layer = L.circleMarker([c[1], c[0]], Object.assign({ pane: st.pane }, style));
      } else {
        layer = L.geoJSON(item.f, { pane: st.pane, style: function () { return style; } });
      }
      if (p.popup) { layer.bindPopup(function () { return popupHtml(p.popup); }, { maxWidth: 360 }); }
      if (p.label && p.labelAt) {
        var lab = new NKMap.Label({ permanent: true, direction: "center", className: "nk-label nk-country" }).setLatLng(p.labelAt).setContent(p.label);
        layer = L.featureGroup([layer]).on("add", function () { map.addLayer(lab); }).on("remove", function () { map.removeLayer(lab); });
      } else if (p.label) {
        layer.bindTooltip(new NKMap.Label({ permanent: true, direction: "right", offset: [5, 0], className: "nk-label" }).setContent(p.label));
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
    /** The map on `day` with the layers `shown` (ids; the control pieces are the layer "control"). */
    function show(day, shown) {
      current = Math.max(0, Math.min(M.days, day));
      var ep = epochOf(current);
      if (ep !== epoch) { epoch = ep; pieces.paint(ep, colours); }
      var wantControl = shown.indexOf("control") >= 0;
      if (wantControl && !map.hasLayer(pieces.group)) { pieces.group.addTo(map); }
      if (!wantControl && map.hasLayer(pieces.group)) { map.removeLayer(pieces.group); }
      layers.forEach(function (st) {
        var visible = shown.indexOf(st.spec.id) >= 0;
        if (visible && !map.hasLayer(st.group)) { st.group.addTo(map); }
        if (!visible && map.hasLayer(st.group)) { map.removeLayer(st.group); }
        if (!visible) { return; }
        var eventDay = st.spec.id === "events" ? latestEventDay(st.items, current) : null;
        st.items.forEach(function (it) {
          var p = it.f.properties;
          var on = st.spec.id === "events" ? p.from === eventDay : (p.from <= current && current <= p.to);
          if (on && !it.layer) { it.layer = makeLayer(st, it); }
          if (on && st.spec.id === "places" && it.layer.setStyle) {
            var s = p.piece >= 0 ? sideOf(p.piece, ep) : -1, fill = s >= 0 ? colours[s] : "#999999";
            if (it.layer.options.fillColor !== fill) { it.layer.setStyle({ fillColor: fill }); }  // restyling rewrites every attribute
          }
          if (it.layer) {
            if (on && !st.group.hasLayer(it.layer)) { st.group.addLayer(it.layer); }
            if (!on && st.group.hasLayer(it.layer)) { st.group.removeLayer(it.layer); }
          }
        });
      });
      map.getContainer().setAttribute("data-day", dates.isoOf(current));
    }
    return { map: map, show: show, day: function () { return current; }, epoch: function () { return epoch; } };
  }

  /* ---------------------------------------------------------------- address: ?story=<id>&step=<n>&projector=1 */
  var params = new URLSearchParams(location.search);
  function writeAddress() {
    try { history.replaceState(null, "", "?" + params.toString() + location.hash); } catch (e) { /* some file:// setups refuse */ }
  }

  /* ---------------------------------------------------------------- story mode */
  var main = timelineMap("cl-map", null);
  var stepOverlay = L.featureGroup().addTo(main.map);
  var stories = D.stories;
  var storyIdx = 0, stepNo = 1, mode = "story", chartDay = null;
  var cmpA = 0, cmpB = M.days;

  function currentStory() { return stories[storyIdx]; }
  function currentStep() { return currentStory().steps[stepNo - 1]; }

  function drawOverlay(step) {
    stepOverlay.clearLayers();
    step.highlight.forEach(function (f) {
      L.geoJSON(f, { pane: "nk-highlight", style: CMP.casing, interactive: false }).addTo(stepOverlay);
      L.geoJSON(f, { pane: "nk-highlight", style: Object.assign({}, CMP.highlight, { fillOpacity: 0.12 }) })
        .bindTooltip(f.properties.tooltip, { sticky: true }).addTo(stepOverlay);
    });
    step.labels.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], { pane: "nk-highlight", radius: 6, color: "#000", weight: 2.5, fillColor: "#fff",
        fillOpacity: 1, interactive: false }).addTo(stepOverlay);
      new NKMap.Label({ permanent: true, direction: "top", offset: [0, -8], className: "nk-story-label", interactive: false })
        .setLatLng([p.lat, p.lon]).setContent(p.html).addTo(stepOverlay);
    });
  }

  function stamp(el, day) { el.textContent = dates.longDate(day); }

  function showStep() {
    var st = currentStory(), step = currentStep(), n = st.steps.length;
    main.show(step.day, step.layers);
    main.map.setView([step.view[0], step.view[1]], step.view[2], { animate: false });
    drawOverlay(step);
    $("cl-panel").innerHTML = step.panel;  // escaped by Python (nkmap.text.story_panel)
    $("cl-counter").textContent = _("Step {n} of {total}", { n: step.n, total: n });
    $("cl-prev").disabled = step.n === 1;
    $("cl-next").disabled = step.n === n;
    stamp($("cl-map-date"), step.day);
    $("cl-story-title").innerHTML = st.title;
    body.setAttribute("data-story", st.id);
    body.setAttribute("data-step", String(step.n));
    body.setAttribute("data-day", dates.isoOf(step.day));
    params.set("story", st.id);
    params.set("step", String(step.n));
    writeAddress();
  }
  function go(delta) {
    var n = currentStory().steps.length, next = Math.max(1, Math.min(n, stepNo + delta));
    if (next !== stepNo) { stepNo = next; chartDay = null; compareFromStep(); showStep(); }
  }

  var chooser = $("cl-story");
  chooser.innerHTML = stories.map(function (s, i) { return '<option value="' + i + '">' + s.title + "</option>"; }).join("");
  if (stories.length < 2) { $("cl-story-box").hidden = true; } else { $("cl-story-title").hidden = true; }
  chooser.addEventListener("change", function () {
    storyIdx = Number(chooser.value); stepNo = 1; chartDay = null; compareFromStep(); setMode("story");
  });
  $("cl-prev").addEventListener("click", function () { go(-1); });
  $("cl-next").addEventListener("click", function () { go(1); });

  document.addEventListener("keydown", function (ev) {
    if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey || mode !== "story") { return; }
    var t = ev.target;
    if (t && t.closest && t.closest("input, textarea, select, [contenteditable='true']")) { return; }
    if (ev.key === "ArrowRight" || ev.key === "PageDown") { go(1); ev.preventDefault(); }
    else if (ev.key === "ArrowLeft" || ev.key === "PageUp") { go(-1); ev.preventDefault(); }
  });

  /* ---------------------------------------------------------------- compare two dates */
  var cmpMaps = null;
  var CMP_LAYERS = ["countries", "districts", "nkao", "control", "lachin_corridor", "contact_line"];  // as the app's compare view
  function compareFromStep() {
    // The app's default pair: the previous step and this one (or this one and the next), so "what changed?" follows the lesson.
    var steps = currentStory().steps, step = currentStep();
    var prev = steps[stepNo - 2], next = steps[stepNo];
    cmpA = prev ? prev.day : step.day;
    cmpB = prev ? step.day : (next ? next.day : M.days);
  }
  function makeCompareMaps() {
    var a = timelineMap("cl-map-a", CMP_LAYERS), b = timelineMap("cl-map-b", CMP_LAYERS);
    var lock = false;
    function follow(x, y) {
      x.map.on("move zoomend", function () {
        if (lock) { return; }
        lock = true; y.map.setView(x.map.getCenter(), x.map.getZoom(), { animate: false }); lock = false;
      });
    }
    follow(a, b); follow(b, a);
    a.changed = L.featureGroup().addTo(a.map);
    b.changed = L.featureGroup().addTo(b.map);
    return [a, b];
  }
  function showCompare() {
    if (!cmpMaps) { cmpMaps = makeCompareMaps(); }
    var lo = Math.max(0, Math.min(cmpA, cmpB)), hi = Math.min(M.days, Math.max(cmpA, cmpB));
    cmpMaps.forEach(function (m) { m.map.invalidateSize(); });
    cmpMaps[0].show(lo, CMP_LAYERS);
    cmpMaps[1].show(hi, CMP_LAYERS);
    stamp($("cl-stamp-a"), lo);
    stamp($("cl-stamp-b"), hi);
    $("cl-date-a").value = dates.isoOf(lo);
    $("cl-date-b").value = dates.isoOf(hi);
    var ea = epochOf(lo), eb = epochOf(hi);
    var moves = ea === eb ? [] : (CMP.pairs[ea + "-" + eb] || []);
    // The changed ground: the pieces whose holder differs, in the directions nkmap.model.compare kept.
    var biggest = {};
    cmpMaps.forEach(function (m) { m.changed.clearLayers(); });
    C.pieces.forEach(function (geom, k) {
      var s1 = sideOf(k, ea), s2 = sideOf(k, eb);
      var dir = moves.filter(function (t) { return t[0] === s1 && t[1] === s2; })[0];
      if (s1 === s2 || !dir) { return; }
      var key = s1 + ">" + s2;
      if (!biggest[key] || CMP.pieceKm2[k] > CMP.pieceKm2[biggest[key]]) { biggest[key] = k; }
      cmpMaps.forEach(function (m) {
        L.geoJSON(geom, { pane: "nk-highlight", style: CMP.casing, interactive: false }).addTo(m.changed);
        L.geoJSON(geom, { pane: "nk-highlight", style: CMP.highlight, interactive: false }).addTo(m.changed);
      });
    });
    moves.forEach(function (t) {
      var k = biggest[t[0] + ">" + t[1]];
      if (k === undefined) { return; }
      cmpMaps.forEach(function (m) {
        new NKMap.Label({ permanent: true, direction: "center", className: "nk-km2", interactive: false })
          .setLatLng(CMP.pieceAt[k]).setContent(km2(t[2])).addTo(m.changed);
      });
    });
    $("cl-compare-sum").innerHTML = compareSummary(lo, hi, ea, eb, moves);
    body.setAttribute("data-compare", dates.isoOf(lo) + "|" + dates.isoOf(hi));
  }
  function swatch(i) { return '<span class="nk-sw" style="background:' + colours[i] + '"></span>'; }
  function compareSummary(lo, hi, ea, eb, moves) {
    var out = '<div class="nk-compare"><div class="nk-head">' + _("From {earlier} to {later}", { earlier: dates.longDate(lo), later: dates.longDate(hi) }) + "</div>";
    if (moves.length) {
      var total = moves.reduce(function (s, t) { return s + t[2]; }, 0);
      out += '<div><span class="nk-sw" style="background:' + CMP.highlight.fillColor + ';border-style:dashed"></span> ' + _("Changed hands:") + " " +
        '<span class="big" data-total-km2="' + total.toFixed(1) + '">' + km2(total) + "</span></div><ul>" +
        moves.map(function (t) {
          return '<li><span class="big">' + km2(t[2]) + "</span><br>" + swatch(t[0]) + " " + CMP.sideLabels[t[0]] +
            " &rarr; " + swatch(t[1]) + " " + CMP.sideLabels[t[1]] + "</li>";
        }).join("") + "</ul>";
    } else {
      out += '<div class="big" data-total-km2="0">' + _("No land changed hands between these dates.") + "</div>";
    }
    out += '<div class="nk-areas"><b>' + _("Net change") + "</b>";
    CMP.sideLabels.forEach(function (label, i) {
      var net = Math.round(((CMP.areas[eb][i] || 0) - (CMP.areas[ea][i] || 0)) * 10) / 10;
      if (Math.abs(net) < 0.05 && !(CMP.areas[eb][i] > 0)) { return; }
      var text = Math.abs(net) < 0.05 ? _("no change") : (net > 0 ? "+" : "") + km2(net);
      out += '<div class="row">' + swatch(i) + "<span>" + label + ':</span><span class="num">' + text + "</span></div>";
    });
    return out + '</div><div class="nk-muted">' + _("Areas are modelled from dated, sourced claims and handovers (approximate).") + " " +
      _("The maps move together: pan or zoom either one.") + "</div></div>";
  }
  var preset = $("cl-preset");
  preset.innerHTML = '<option value="">' + _("Choose a pair of dates…") + "</option>" + CMP.presets.map(function (p, i) {
    return '<option value="' + i + '">' + p.label + "</option>";
  }).join("");
  preset.addEventListener("change", function () {
    var p = CMP.presets[Number(preset.value)];
    if (preset.value !== "" && p) { cmpA = p.a; cmpB = p.b; showCompare(); }
    preset.value = "";
  });
  ["cl-date-a", "cl-date-b"].forEach(function (id, i) {
    var input = $(id);
    input.min = dates.isoOf(0); input.max = dates.isoOf(M.days);
    input.addEventListener("change", function () {
      var day = dates.dayOf(input.value);
      if (day === null || day < 0 || day > M.days) { return; }
      if (i === 0) { cmpA = day; } else { cmpB = day; }
      showCompare();
    });
  });

  /* ---------------------------------------------------------------- the area-over-time chart */
  var CH = D.chart, spanIdx = 0, SVGNS = "http://www.w3.org/2000/svg";
  var spanSel = $("cl-span");
  spanSel.innerHTML = CH.spans.map(function (s, i) { return '<option value="' + i + '">' + s.label + "</option>"; }).join("");
  spanSel.addEventListener("change", function () { spanIdx = Number(spanSel.value); drawChart(); });
  function svgEl(name, attrs, parent) {
    var el = document.createElementNS(SVGNS, name);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(el); }
    return el;
  }
  var chartScale = null;
  function drawChart() {
    var svg = $("cl-chart"), box = svg.getBoundingClientRect();
    var W = Math.max(260, box.width || 600), H = Math.max(200, box.height || 360);
    var pad = { l: 64, r: 14, t: 14, b: 30 };
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    var from = CH.spans[spanIdx].from, to = M.days;
    var idx = CH.days.map(function (d, i) { return i; }).filter(function (i) { return CH.days[i] >= from && CH.days[i] <= to; });
    var top = 0;
    CH.series.forEach(function (s) { idx.forEach(function (i) { top = Math.max(top, s.km2[i]); }); });
    var tick = Math.pow(10, Math.floor(Math.log10(Math.max(top, 1) / 4)));
    tick = [1, 2, 2.5, 5, 10].map(function (m) { return m * tick; }).filter(function (t) { return top / t <= 5; })[0];
    top = Math.max(tick, Math.ceil(top * 1.04 / tick) * tick);
    function x(day) { return pad.l + (day - from) / Math.max(1, to - from) * (W - pad.l - pad.r); }
    function y(v) { return H - pad.b - v / top * (H - pad.t - pad.b); }
    chartScale = { from: from, to: to, W: W, pad: pad, idx: idx };
    var axis = svgEl("g", { "class": "cl-axis" }, svg);
    for (var v = 0; v <= top; v += tick) {
      var yy = y(v);
      svgEl("line", { x1: pad.l, x2: W - pad.r, y1: yy, y2: yy, "class": "cl-grid" }, axis);
      svgEl("text", { x: pad.l - 6, y: yy + 4, "text-anchor": "end" }, axis).textContent = fmtNumber(Math.round(v), 0);
    }
    var y0 = Number(dates.isoOf(from).slice(0, 4)), y1 = Number(dates.isoOf(to).slice(0, 4));
    var every = Math.max(1, Math.ceil((y1 - y0) / 8));
    for (var yr = y0 + 1; yr <= y1; yr += every) {
      var d = dates.dayOf(yr + "-01-01");
      svgEl("text", { x: x(d), y: H - 8, "text-anchor": "middle" }, axis).textContent = String(yr);
    }
    CH.series.forEach(function (s) {
      var path = "";
      idx.forEach(function (i, n) {
        path += (n === 0 ? "M" + x(CH.days[i]) + " " + y(s.km2[i]) : "H" + x(CH.days[i]) + "V" + y(s.km2[i]));
      });
      path += "H" + x(to);
      svgEl("path", { d: path, fill: "none", stroke: s.color, "stroke-width": 4, "class": "cl-line" }, svg);
      idx.forEach(function (i) {
        var dot = svgEl("circle", { cx: x(CH.days[i]), cy: y(s.km2[i]), r: 4.5, fill: s.color, "data-day": dates.isoOf(CH.days[i]) }, svg);
        svgEl("title", {}, dot).textContent = dates.longDate(CH.days[i]) + ": " + km2(s.km2[i]);
      });
    });
    if (chartDay !== null && chartDay >= from) {
      svgEl("line", { x1: x(chartDay), x2: x(chartDay), y1: pad.t, y2: H - pad.b, "class": "cl-rule" }, svg);
    }
  }
  function areaHead(day) {
    var at = 0;
    CH.days.forEach(function (d, i) { if (d <= day) { at = i; } });
    var parts = CH.series.filter(function (s) { return s.km2[at] > 0; }).map(function (s) {
      return '<span class="cl-nowrap"><span class="nk-sw" style="background:' + s.color + '"></span> ' + s.label + ": <b>" + km2(s.km2[at]) + "</b></span>";
    });
    $("cl-area-head").innerHTML = "<b>" + dates.longDate(day) + "</b> &nbsp; " + parts.join(" &nbsp; ");
    $("cl-area-head").setAttribute("data-date", dates.isoOf(day));
  }
  $("cl-chart").addEventListener("click", function (ev) {
    if (!chartScale) { return; }
    var box = ev.currentTarget.getBoundingClientRect(), s = chartScale;
    var px = (ev.clientX - box.left) * s.W / box.width;
    var day = s.from + (px - s.pad.l) / (s.W - s.pad.l - s.pad.r) * (s.to - s.from);
    // The nearest point of the series (the dates the areas change), as the app's chart picks its nearest point.
    var best = s.idx[0];
    s.idx.forEach(function (i) { if (Math.abs(CH.days[i] - day) < Math.abs(CH.days[best] - day)) { best = i; } });
    showChartDay(CH.days[best]);
  });
  function showChartDay(day) {
    chartDay = day;
    main.show(day, D.defaultLayers);
    stepOverlay.clearLayers();
    stamp($("cl-map-date"), day);
    body.setAttribute("data-day", dates.isoOf(day));
    areaHead(day);
    drawChart();
  }

  /* ---------------------------------------------------------------- modes, projector, start */
  function setMode(next) {
    mode = next;
    body.setAttribute("data-mode", mode);
    Array.prototype.forEach.call(document.querySelectorAll("#cl-modes button"), function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-mode") === mode));
    });
    main.map.invalidateSize();
    if (mode === "story") { showStep(); }
    if (mode === "compare") { showCompare(); }
    if (mode === "chart") { showChartDay(chartDay !== null ? chartDay : stories.length ? currentStep().day : M.initial); }
  }
  Array.prototype.forEach.call(document.querySelectorAll("#cl-modes button"), function (b) {
    b.addEventListener("click", function () { setMode(b.getAttribute("data-mode")); });
  });
  function setProjector(on) {
    body.classList.toggle("cl-projector", on);
    $("cl-projector").setAttribute("aria-pressed", String(on));
    if (on) { params.set("projector", "1"); } else { params.delete("projector"); }
    writeAddress();
    main.map.invalidateSize();
    relabel();
    if (mode === "chart") { drawChart(); }
  }
  function relabel() {  // the labels' type follows projector type and the window's width (vw)
    NKMap.remeasureLabels(main.map);
    if (cmpMaps) { cmpMaps.forEach(function (m) { NKMap.remeasureLabels(m.map); }); }
  }
  $("cl-projector").addEventListener("click", function () { setProjector(!body.classList.contains("cl-projector")); });
  window.addEventListener("resize", function () {
    main.map.invalidateSize();
    if (cmpMaps) { cmpMaps.forEach(function (m) { m.map.invalidateSize(); }); }
    relabel();
    if (mode === "chart") { drawChart(); }
  });

  if (!stories.length) {
    $("cl-panel").textContent = _("This dataset has no story (a story is a file in geo/stories/; see docs/stories.md).");
    setMode("chart");
  } else {
    // Unknown values fall back as in the app: the first story, step 1.
    var wanted = params.get("story"), found = -1;
    stories.forEach(function (s, i) { if (s.id === wanted) { found = i; } });
    storyIdx = found >= 0 ? found : 0;
    chooser.value = String(storyIdx);
    var raw = (params.get("step") || "").trim(), n = /^[0-9]{1,6}$/.test(raw) ? Number(raw) : 0;
    stepNo = n >= 1 && n <= currentStory().steps.length ? n : 1;  // as the app's pagestate.parse_step_number
    if (params.get("projector") === "1") { setProjector(true); }
    compareFromStep();
    setMode("story");
  }
  window.nkClassroom = { main: main, compareMaps: function () { return cmpMaps; }, setMode: setMode, go: go };
})();
