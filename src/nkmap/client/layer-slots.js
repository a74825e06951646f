/* The app's base map (nkmap.web.mapview.MapSetup): one pane per layer in a fixed z-order, town labels keyed on
   the zoom, a plain attribution prefix. */
window.nkmapSetup = function (map, panes) {
    NKMap.panes(map, panes);
    // Town labels show from zoom 9 (CSS keyed on this attribute), so zoom 8 stays legible.
    var el = map.getContainer();
    var zoomed = function () { el.setAttribute('data-zoom', map.getZoom()); };
    map.on('zoomend', zoomed);
    zoomed();
    NKMap.attribution(map);
};

/* The app's per-date layers (nkmap.web.mapview.LayerSlots): reconcile the map with a list of slots, one per
   layer, each naming a prepared GeoJSON file (or carrying its data inline). A slot whose file changed is
   fetched and swapped in once ready (the old layer removed only after the new one is on the map), a slot
   whose paint changed is recoloured in place, a slot no longer listed is removed, the rest are not touched.
   When every slot is drawn it sets data-nkmap-date on the map container (tests and bench wait for it). */
window.nkmapLayerSlots = function (map, want, day, legend) {
    var reg = map.nkmapSlots = map.nkmapSlots || {};
    var store = map.nkmapData = map.nkmapData || {};
    var seq = map.nkmapSeq = (map.nkmapSeq || 0) + 1;
    var ids = {};
    want.forEach(function (s) { ids[s.id] = true; });
    Object.keys(reg).forEach(function (id) {
        if (!ids[id]) { if (reg[id].layer) { map.removeLayer(reg[id].layer); } delete reg[id]; }
    });
    function done() {
        if (seq !== map.nkmapSeq) { return; }
        var el = map.getContainer();
        el.setAttribute('data-nkmap-slots', want.map(function (s) { return s.id + ':' + s.key; }).join(' '));
        el.setAttribute('data-nkmap-date', day);
    }
    function load(url, inline) {
        if (inline) { return Promise.resolve(inline); }
        if (store[url]) { return Promise.resolve(store[url]); }
        return fetch(url).then(function (r) {
            if (!r.ok) { throw new Error(r.status + ' ' + r.statusText); }
            return r.json();
        }).then(function (data) { store[url] = data; return data; });
    }
    function popupOf(p) {
        return function (l) { return p.popup.replace('<!--held-->', l.nkExtra || ''); };
    }
    function build(s, data) {
        return NKMap.geoJsonLayer(data, s.pane, {popup: popupOf});
    }
    function paint(group, coat) {
        group.eachLayer(function (g) {
            if (!g.eachLayer) { return; }
            g.eachLayer(function (l) {
                var v = coat ? coat.variants[coat.byId[l.feature.properties.id]] : null;
                l.setStyle(v ? Object.assign({}, l.feature.properties.style, v.style) : l.feature.properties.style);
                l.nkExtra = v ? v.extra : '';
            });
        });
    }
    function outOfTabOrder(g) {
        // Leaflet 1.9 makes every path with a tooltip focusable: ~400 Tab stops before the panel. The map
        // is one stop (arrow keys pan, +/- zoom) and the panel says in words what the shapes show.
        g.eachLayer(function (l) {
            if (l.eachLayer) { outOfTabOrder(l); }
            else if (l.getElement && l.getElement()) { l.getElement().setAttribute('tabindex', '-1'); }
        });
    }
    var pending = 0;
    want.forEach(function (s) {
        var cur = reg[s.id] = reg[s.id] || {};
        var paintKey = s.paintKey || null;
        cur.want = s.key + '|' + paintKey;
        if (cur.key === s.key && cur.paintKey === paintKey) { return; }
        pending += 1;
        Promise.all([load(s.url, s.data), paintKey ? load(s.paint, s.paintData) : null]).then(function (res) {
            if (cur.want !== s.key + '|' + paintKey) { return; }  // a newer date asked for other files
            if (cur.key !== s.key) {
                var layer = build(s, res[0]);
                if (res[1]) { paint(layer, res[1]); }
                layer.addTo(map);
                outOfTabOrder(layer);
                if (cur.layer) { map.removeLayer(cur.layer); }
                cur.layer = layer;
                cur.key = s.key;
            } else if (res[1]) {
                paint(cur.layer, res[1]);
            }
            cur.paintKey = paintKey;
        }).catch(function (err) {
            console.error('nkmap: could not load layer ' + s.id, err);
            map.getContainer().setAttribute('data-nkmap-error', s.id);
        }).then(function () { pending -= 1; if (pending === 0) { done(); } });
    });
    if (pending === 0) { done(); }
    if (legend !== null) {
        var box = map.nkmapLegend;
        if (!box) {
            box = map.nkmapLegend = NKMap.legendBox(map, 'bottomleft', 'nk-legend-box');
        }
        if (box.nkHtml !== legend) {
            var old = box.querySelector('details');
            var open = old ? old.open : map.getSize().x >= 1000;  // fold the full list on small maps
            box.innerHTML = legend;
            box.nkHtml = legend;
            var fresh = box.querySelector('details');
            if (fresh) { fresh.open = open; }
        }
    }
};
