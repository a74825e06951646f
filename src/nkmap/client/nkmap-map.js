/* nkmap's shared map renderer: window.NKMap, used by the standalone explorer page (explorer.js), the app's
   per-date layers (layer-slots.js) and the classroom's compare view (compare.js). Needs Leaflet (window.L).

   Every text the functions put into HTML either comes already escaped from Python (popups, labels: nkmap.text)
   or goes through NKMap.escape here; nothing else is concatenated into markup. */
(function () {
  "use strict";
  var NKMap = window.NKMap = window.NKMap || {};

  NKMap.ATTRIBUTION_PREFIX = '<a href="https://leafletjs.com" title="Leaflet, BSD-2 licence">Leaflet</a>';
  NKMap.DAY_MS = 86400000;

  /** Text made safe for innerHTML (for what the browser itself composes: link parameters, notes). */
  NKMap.escape = function (text) {
    return String(text === undefined || text === null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };

  /** One pane per layer, in a fixed z-order: [{name, z, opacity?}]. A pane that exists keeps its settings
      (the app's base map runs this on every rerun of its script). Returns the map. */
  NKMap.panes = function (map, panes) {
    panes.forEach(function (p) {
      if (map.getPane(p.name)) { return; }
      var el = map.createPane(p.name);
      el.style.zIndex = p.z;
      if (p.opacity !== undefined && p.opacity !== null) { el.style.opacity = p.opacity; }
    });
    return map;
  };

  NKMap.attribution = function (map) { map.attributionControl.setPrefix(NKMap.ATTRIBUTION_PREFIX); };

  /** Leaflet 1.9's SVG renderer without the repeated work of a view reset. `setView` to another zoom without
      animation projects each path twice and rewrites its outline three times ('zoomend' projects, 'moveend'
      redraws, then 'viewreset' redraws with the old numbers, projects and redraws again): with ~1,000 paths
      that was half of a classroom story step. This one projects once per zoom and pixel origin and redraws once
      per view, and writes an outline only when it changed (offscreen paths stay 'M0 0'); paths added or
      restyled in between draw themselves, as in Leaflet. Relies on Leaflet 1.9's renderer internals. */
  NKMap.ViewRenderer = L.SVG.extend({
    _nkView: function () { return this._map.getZoom() + "@" + this._map.getPixelOrigin(); },
    _nkProject: function () {
      var view = this._nkView();
      if (view === this._nkProjected) { return; }
      this._nkProjected = view;
      for (var id in this._layers) { this._layers[id]._project(); }
    },
    _onZoomEnd: function () { this._nkProject(); },
    _reset: function () {  // L.Renderer's _reset, projecting before (not after) the redraw
      this._nkProject();
      this._update();
      this._updateTransform(this._center, this._zoom);
    },
    _updatePaths: function () {  // on the renderer's 'update' (its bounds were just recomputed)
      this._nkProject();  // a far pan resets the view at the same zoom: no 'zoomend' came first
      var drawn = this._nkView() + "/" + this._bounds.min + this._bounds.max;
      if (drawn === this._nkDrawn) { return; }
      this._nkDrawn = drawn;
      L.SVG.prototype._updatePaths.call(this);
    },
    _setPath: function (layer, d) {  // an outline written again restyles the path even when it is the same
      if (layer._path.getAttribute("d") !== d) { layer._path.setAttribute("d", d); }
    }
  });

  /** Paths on `map` drawn by NKMap.ViewRenderer (Leaflet makes one renderer per pane, through
      Map._createRenderer). Returns the map. */
  NKMap.viewRenderers = function (map) {
    map._createRenderer = function (options) { return new NKMap.ViewRenderer(options); };
    return map;
  };

  /** A permanent label that measures itself once. Leaflet repositions every tooltip on 'zoom' and again on
      'viewreset', reading its size each time just after the previous label moved: one forced style and layout
      per label, twice per zoom. This one is measured when added or given new content (update(), and
      NKMap.remeasureLabels after a style change such as the classroom's projector type) and moves only when
      its place on the layer moved. Directions other than center, right and top are placed as in Leaflet. */
  NKMap.Label = L.Tooltip.extend({
    getEvents: function () {
      var events = L.Tooltip.prototype.getEvents.call(this);
      events.zoom = events.viewreset = this._nkFollowView;
      return events;
    },
    update: function () {
      this._nkSize = null;
      L.Tooltip.prototype.update.call(this);
    },
    _nkFollowView: function () {
      if (this._nkAt && this._nkAt.equals(this._map.latLngToLayerPoint(this._latlng))) { return; }
      this._updatePosition();
    },
    _updatePosition: function () {
      this._nkAt = this._map.latLngToLayerPoint(this._latlng);
      this._setPosition(this._nkAt);
    },
    _animateZoom: function (e) {
      this._nkAt = null;
      L.Tooltip.prototype._animateZoom.call(this, e);
    },
    _setPosition: function (pos) {
      var dir = this.options.direction, c = this._container, size = this._nkSize;
      if (dir !== "center" && dir !== "right" && dir !== "top") { L.Tooltip.prototype._setPosition.call(this, pos); return; }
      if (!size) {
        size = L.point(c.offsetWidth, c.offsetHeight);
        if (size.x > 0) { this._nkSize = size; }  // one added while its map is hidden is measured again
        L.DomUtil.addClass(c, "leaflet-tooltip-" + dir);
      }
      var sub = dir === "center" ? [size.x / 2, size.y / 2] : (dir === "top" ? [size.x / 2, size.y] : [0, size.y / 2]);
      L.DomUtil.setPosition(c, pos.subtract(L.point(sub[0], sub[1], true)).add(L.point(this.options.offset)).add(this._getAnchor()));
    }
  });

  /** Every NKMap.Label on `map` measured and placed again (after a change of style that changes their size). */
  NKMap.remeasureLabels = function (map) {
    map.eachLayer(function (layer) { if (layer instanceof NKMap.Label) { layer.update(); } });
  };

  /** Day numbers from the timeline's start <-> ISO dates and long dates ('10 November 2020', '10 նոյեմբերի 2020':
      day, month, year in every language, as nkmap.text.messages writes them), all in UTC so a day is a day in every
      time zone. `months`: the twelve month names (in the form a date takes: genitive in hy and ru). */
  NKMap.dates = function (startIso, months, lang) {
    var startMs = Date.parse(startIso + "T00:00:00Z");
    return {
      isoOf: function (i) { return new Date(startMs + i * NKMap.DAY_MS).toISOString().slice(0, 10); },
      dayOf: function (iso) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(String(iso))) { return null; }
        var ms = Date.parse(iso + "T00:00:00Z");
        if (isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== iso) { return null; }  // 2020-02-31
        return Math.round((ms - startMs) / NKMap.DAY_MS);
      },
      longDate: function (i) {
        var d = new Date(startMs + i * NKMap.DAY_MS), m = months[d.getUTCMonth()];
        return d.getUTCDate() + " " + m + " " + d.getUTCFullYear();
      }
    };
  };

  /** km² with thin spaces between thousands ('4 400'); '–' for none. */
  NKMap.fmtKm2 = function (v) { return v ? String(v).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f") : "–"; };

  /** A popup cut from its source list ({html, src: [numbers]}) put back together from the shared table of
      escaped citations; a popup without `src` is complete already. */
  NKMap.popupWithSources = function (p, sources, noSources) {
    if (p.src === undefined) { return p.html; }
    var list = p.src.length ? '<div class="nk-sources">' + (NKMap.t ? NKMap.t("Sources:") : "Sources:") + "<ol>" +
      p.src.map(function (n) { return "<li>" + sources[n] + "</li>"; }).join("") + "</ol></div>" : noSources;
    return p.html + list + "</div>";
  };

  /** A FeatureCollection drawn in `pane`, each feature with its own `properties.style` and escaped `popup`,
      `tooltip` and `label` (at `labelAt` [lon, lat], or beside a point); `casing` draws a dark edge under a
      highlight. `popup(p)` may replace the popup (the app fills in the holder of a painted place). */
  NKMap.geoJsonLayer = function (data, pane, opts) {
    opts = opts || {};
    var group = L.featureGroup();
    var cased = data.features.filter(function (f) { return f.properties.casing; });
    if (cased.length) {  // a dark edge under the highlight, so it reads over any fill
      L.geoJson({ type: "FeatureCollection", features: cased },
        { pane: pane, style: function (f) { return f.properties.casing; } }).addTo(group);
    }
    L.geoJson(data, {
      pane: pane,
      style: function (f) { return f.properties.style; },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, Object.assign({ pane: pane }, f.properties.style));
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        if (p.popup) { layer.bindPopup(opts.popup ? opts.popup(p) : p.popup, { maxWidth: 360, maxHeight: 420 }); }
        if (p.label && !p.labelAt) {
          layer.bindTooltip(p.label, { permanent: true, direction: "right", offset: [4, 0], className: p.labelClass || "nk-label" });
        } else if (p.tooltip) {
          layer.bindTooltip(p.tooltip, { sticky: f.geometry && f.geometry.type.indexOf("Point") < 0 });
        }
        if (p.label && p.labelAt) {
          L.tooltip({ permanent: true, direction: "center", className: p.labelClass || (p.casing ? "nk-km2" : "nk-label"), interactive: false })
            .setLatLng([p.labelAt[1], p.labelAt[0]]).setContent(p.label).addTo(group);
        }
      }
    }).addTo(group);
    return group;
  };

  /** A box on the map (a Leaflet control) whose clicks and scrolls stay in it; returns its element. */
  NKMap.legendBox = function (map, position, className) {
    var Box = L.Control.extend({ onAdd: function () {
      var div = L.DomUtil.create("div", className);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    } });
    return new Box({ position: position }).addTo(map).getContainer();
  };

  /** Fills a legend box: a heading, one row per side (swatch, name, and an element for its area, returned in
      side order), then one row per symbol. Labels and swatches come escaped from Python (html_data). */
  NKMap.fillLegend = function (div, legend) {
    var out = '<div class="nk-head">' + legend.heading + "</div>";
    legend.sides.forEach(function (s, i) {
      out += '<div class="nk-side"><span class="nk-sw" style="background:' + s.color + ';opacity:0.7"></span>' +
        "<span>" + s.label + '</span><span class="nk-area" id="nk-area-' + i + '"></span></div>';
    });
    legend.symbols.forEach(function (e) { out += '<div class="nk-line">' + e.swatch + "<span>" + e.label + "</span></div>"; });
    div.innerHTML = out;
    return legend.sides.map(function (s, i) { return div.querySelector("#nk-area-" + i); });
  };

  /** Control as fixed pieces recoloured per date (nkmap.model.control_pieces): every piece drawn once, opaque,
      in `pane` (which is see-through as a whole, so pieces show no seams). `control.pieces` are geometries,
      `control.epochs` the days the holders change, `control.assign[epoch]` one digit per piece (0 nobody,
      1.. the side's number). `popup(i)` gives a piece's popup when it is opened.
      Returns {group, layers, epochOf(day), sideOf(piece, epoch), paint(epoch, colours)}. */
  NKMap.pieceSet = function (control, pane, popup) {
    var group = L.featureGroup(), layers = [];
    control.pieces.forEach(function (geom, i) {
      var layer = L.geoJSON({ type: "Feature", geometry: geom, properties: {} },
        { pane: pane, style: { stroke: true, weight: 1, opacity: 1, fillOpacity: 1 } });
      layer.nkPiece = i;
      if (popup) { layer.bindPopup(function () { return popup(i); }, { maxWidth: 360 }); }
      layers.push(layer);
      group.addLayer(layer);
    });
    function epochOf(day) { var e = 0; while (e < control.epochs.length && control.epochs[e] <= day) { e++; } return e; }
    function sideOf(piece, ep) { return parseInt(control.assign[ep].charAt(piece), 10) - 1; }
    var painted = [];  // each piece's colour now: a new epoch restyles only the pieces whose colour changed
    function paint(ep, colours) {
      layers.forEach(function (layer, i) {
        var s = sideOf(i, ep);
        var color = s >= 0 ? colours[s] : "#000000";
        if (painted[i] === (s >= 0 ? color : "")) { return; }
        painted[i] = s >= 0 ? color : "";
        layer.setStyle({ color: color, fillColor: color, opacity: s >= 0 ? 1 : 0, fillOpacity: s >= 0 ? 1 : 0 });
      });
    }
    return { group: group, layers: layers, epochOf: epochOf, sideOf: sideOf, paint: paint };
  };
})();
