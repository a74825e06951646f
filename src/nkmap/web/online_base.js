// nkmap's online base map: OpenStreetMap tiles under the map's own country fills, off until the user turns it on.
//
// Offline first means quiet: while it is off no tile layer is on the map at all, so nothing is asked of the
// tile server; OpenStreetMap is credited only once a tile has actually loaded; and when the tiles cannot come
// (no internet in the classroom) the layer is taken off after the first failures and the map says so once,
// instead of asking again for every tile on every pan, zoom and date step. Turning the base map off and on
// again tries once more.
//
// Loaded once per map (nkmap.web.online_base), then `nkmapOnlineBase(map, cfg)` is called on every page rerun
// with cfg = {on, url, attribution, maxZoom, opacity, unavailable}. The map container's `data-nkmap-online`
// says where it stands (off | loading | on | unavailable) for the browser tests.
(function (root) {
  // Failures in a row (no tile loaded in between) after which a base map that had loaded gives up too.
  var GIVE_UP_AFTER = 8;

  function state(map) {
    if (!map.nkmapOnline) {
      map.nkmapOnline = { layer: null, credited: null, failed: false, notice: null, errors: 0, inRow: 0 };
    }
    return map.nkmapOnline;
  }

  function mark(map, value) {
    map.getContainer().setAttribute('data-nkmap-online', value);
  }

  function uncredit(map, st) {
    if (st.credited !== null && map.attributionControl) {
      map.attributionControl.removeAttribution(st.credited);
    }
    st.credited = null;
  }

  function dropLayer(map, st) {
    if (st.layer) {
      st.layer.off();
      map.removeLayer(st.layer);  // Leaflet also cancels the tiles still loading
      st.layer = null;
    }
    uncredit(map, st);
  }

  function showNotice(map, st, text) {
    if (st.notice) { return; }
    var Notice = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create('div', 'leaflet-control-attribution nk-online-notice');
        div.setAttribute('role', 'status');
        div.textContent = text;
        return div;
      }
    });
    st.notice = new Notice({ position: 'bottomright' }).addTo(map);
  }

  function hideNotice(st) {
    if (st.notice) { st.notice.remove(); st.notice = null; }
  }

  function giveUp(map, st, cfg) {
    dropLayer(map, st);
    st.failed = true;
    mark(map, 'unavailable');
    showNotice(map, st, cfg.unavailable);
  }

  root.nkmapOnlineBase = function (map, cfg) {
    var st = state(map);
    if (!cfg.on) {
      dropLayer(map, st);
      hideNotice(st);
      st.failed = false;  // turned off: the next time it is turned on, it tries again
      mark(map, 'off');
      return;
    }
    if (st.failed) { mark(map, 'unavailable'); return; }
    if (st.layer) { return; }
    var layer = L.tileLayer(cfg.url, { maxZoom: cfg.maxZoom, opacity: cfg.opacity });
    layer.on('tileload', function () {
      st.inRow = 0;
      if (st.credited === null && map.attributionControl) {
        map.attributionControl.addAttribution(cfg.attribution);
        st.credited = cfg.attribution;
        mark(map, 'on');
      }
    });
    layer.on('tileerror', function () {
      st.errors += 1;
      st.inRow += 1;
      if (st.credited === null || st.inRow >= GIVE_UP_AFTER) { giveUp(map, st, cfg); }
    });
    st.layer = layer;
    mark(map, 'loading');
    layer.addTo(map);
  };
})(window);
