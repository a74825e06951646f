/* The explorer's downloads of the date shown, built in the browser from the page's data (window.NKExplorer):
   - "GeoJSON of this date": control (one feature per side, as nkmap.model.timeline.control_on names them),
     the contact line and the places in force, each with id, names, side, valid_from/valid_to, precision and
     source ids; geometry as the page draws it (simplified to ~50 m, html_data.DISPLAY_TOLERANCE).
     File nkmap-<date>.geojson.
   - "PNG of this view": the map's SVG panes (Leaflet's SVG renderer) drawn in their order and opacity on a white
     canvas of the map's size, with the date and a credit line; no tiles. File nkmap-<date>.png. */
(function () {
  "use strict";
  var X = window.NKExplorer;
  if (!X) { return; }
  var _ = NKMap.t, D = X.data, C = D.control, map = X.map, FOREVER = 1000000;

  function save(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }
  function isoOrNull(day) { return day <= -FOREVER || day >= FOREVER ? null : X.dates.isoOf(day); }
  function polygons(geom) { return geom.type === "Polygon" ? [geom.coordinates] : geom.type === "MultiPolygon" ? geom.coordinates : []; }

  /** The features in force on `day` as a GeoJSON FeatureCollection. */
  function featuresOn(day) {
    var ep = 0, k = 0, E = D.controlEpochs || C.epochs;
    while (ep < C.epochs.length && C.epochs[ep] <= day) { ep++; }
    while (k < E.length && E[k] <= day) { k++; }
    var first = k === 0 ? 0 : E[k - 1], last = k < E.length ? E[k] - 1 : D.days;
    var features = [];
    D.sides.forEach(function (side, s) {
      var coords = [];
      C.pieces.forEach(function (geom, i) {
        if (parseInt(C.assign[ep].charAt(i), 10) - 1 === s) { coords = coords.concat(polygons(geom)); }
      });
      if (!coords.length) { return; }
      features.push({ type: "Feature", geometry: { type: "MultiPolygon", coordinates: coords }, properties: {
        layer: "control", id: "control-" + side.id + "-" + X.dates.isoOf(first), name_en: null, side: side.id,
        valid_from: X.dates.isoOf(first), valid_to: X.dates.isoOf(last), precision: null, sources: [] } });
    });
    D.layers.forEach(function (spec) {
      spec.features.forEach(function (f) {
        var p = f.properties, m = p.dl;
        if (!m || !(p.from <= day && day <= p.to)) { return; }
        var side = m.side || null;
        if (spec.id === "places") {
          var s = p.piece >= 0 ? parseInt(C.assign[ep].charAt(p.piece), 10) - 1 : -1;
          side = s >= 0 ? D.sides[s].id : null;
        }
        features.push({ type: "Feature", geometry: f.geometry, properties: {
          layer: spec.id, id: m.id, name_en: m.name_en, name_az: m.name_az, name_hy: m.name_hy, side: side,
          valid_from: isoOrNull(p.from), valid_to: isoOrNull(p.to), precision: m.precision, sources: m.sources } });
      });
    });
    return { type: "FeatureCollection", name: "nkmap " + X.dates.isoOf(day), date: X.dates.isoOf(day), features: features };
  }

  function geojson() {
    var fc = featuresOn(X.day());
    save(new Blob([JSON.stringify(fc)], { type: "application/geo+json" }), "nkmap-" + X.iso() + ".geojson");
  }

  function loadImage(svg) {
    return new Promise(function (resolve, reject) {
      var img = new Image();
      img.onload = function () { resolve(img); };
      img.onerror = function () { reject(new Error(_("an SVG layer could not be drawn"))); };
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
    });
  }
  /** The view as a PNG: SVG panes in z-order on white, then the date and the credit. */
  function png() {
    var size = map.getSize(), box = map.getContainer().getBoundingClientRect();
    var canvas = document.createElement("canvas");
    canvas.width = size.x;
    canvas.height = size.y;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, size.x, size.y);
    var panes = Array.prototype.slice.call(map.getContainer().querySelectorAll(".leaflet-pane > svg")).filter(function (svg) {
      return getComputedStyle(svg.parentNode).display !== "none";
    }).map(function (svg) {
      var clone = svg.cloneNode(true), r = svg.getBoundingClientRect();
      clone.setAttribute("width", r.width);
      clone.setAttribute("height", r.height);
      return { svg: clone, x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height,
        z: Number(getComputedStyle(svg.parentNode).zIndex) || 0, alpha: Number(getComputedStyle(svg.parentNode).opacity) };
    }).sort(function (a, b) { return a.z - b.z; });
    return Promise.all(panes.map(function (p) { return loadImage(p.svg); })).then(function (imgs) {
      imgs.forEach(function (img, i) {
        ctx.globalAlpha = isNaN(panes[i].alpha) ? 1 : panes[i].alpha;
        ctx.drawImage(img, panes[i].x, panes[i].y, panes[i].w, panes[i].h);
      });
      ctx.globalAlpha = 1;
      ctx.font = "bold 20px 'DejaVu Sans', Arial, sans-serif";
      ctx.fillStyle = "#111111";
      ctx.fillText(X.dates.longDate(X.day()), 12, 28);
      ctx.font = "12px 'DejaVu Sans', Arial, sans-serif";
      ctx.fillStyle = "#333333";
      ctx.fillText(_("nkmap · {date} · Borders: Natural Earth · Leaflet", { date: X.iso() }), 12, size.y - 10);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/png"); });
    }).then(function (blob) { save(blob, "nkmap-" + X.iso() + ".png"); })
      .catch(function (err) { X.note(_("The PNG could not be made: {problem}.", { problem: err.message })); });
  }

  var row = document.getElementById("nk-row2");
  [["nk-dl-geojson", _("GeoJSON of this date"), geojson], ["nk-dl-png", _("PNG of this view"), png]].forEach(function (b) {
    var btn = document.createElement("button");
    btn.type = "button";
    btn.id = b[0];
    btn.textContent = b[1];
    btn.addEventListener("click", b[2]);
    row.appendChild(btn);
  });
  window.NKDownloads = { featuresOn: featuresOn, geojson: geojson, png: png };
})();
