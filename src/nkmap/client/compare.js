/* The classroom's compare view (nkmap.web.compare_view): two Leaflet maps, earlier and later, whose pan and
   zoom follow each other, each drawing that date's prepared layer files and the area that changed hands.
   The view is kept in the parent page's sessionStorage so choosing other dates keeps the teacher's view. */
window.nkmapCompareView = function (cfg) {
  var storage = null;
  try { storage = window.parent.sessionStorage; } catch (e) { storage = null; }
  var maps = [];
  function makeMap(id) {
    var m = L.map(id, {minZoom: cfg.minZoom, maxZoom: cfg.maxZoom, keyboard: false, zoomSnap: 0.25, zoomDelta: 0.5});
    NKMap.attribution(m);
    NKMap.panes(m, cfg.panes.concat([{name: 'nk-transfers', z: 640}]));
    nkmapOnlineBase(m, cfg.online);  // online_base.js: no tile layer unless the user turned it on
    L.control.scale({imperial: false}).addTo(m);
    return m;
  }
  function load(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(r.status + ' ' + url); }
      return r.json();
    });
  }
  function draw(m, pane, data) { NKMap.geoJsonLayer(data, pane).addTo(m); }
  var restoring = true, lock = false;
  function saveView(m) {
    if (restoring || !storage) { return; }
    var c = m.getCenter();
    try { storage.setItem(cfg.storageKey, JSON.stringify([c.lat, c.lng, m.getZoom()])); } catch (e) {}
  }
  function follow(a, b) {
    a.on('move zoomend', function () {
      if (lock) { return; }
      lock = true;
      b.setView(a.getCenter(), a.getZoom(), {animate: false});
      lock = false;
      saveView(a);
    });
  }
  var m1 = makeMap('map1'), m2 = makeMap('map2');
  maps = [m1, m2];
  follow(m1, m2);
  follow(m2, m1);
  var view = null;
  try { view = storage ? JSON.parse(storage.getItem(cfg.storageKey) || 'null') : null; } catch (e) { view = null; }
  if (view && view.length === 3) { m1.setView([view[0], view[1]], view[2]); } else { m1.fitBounds(cfg.bounds); }
  m2.setView(m1.getCenter(), m1.getZoom(), {animate: false});
  restoring = false;
  window.addEventListener('resize', function () { maps.forEach(function (m) { m.invalidateSize(); }); });
  window.nkCompare = {maps: maps};
  var jobs = [];
  [[m1, cfg.earlier], [m2, cfg.later]].forEach(function (pair) {
    var m = pair[0], side = pair[1];
    side.slots.forEach(function (s) {
      jobs.push(load(s.url).then(function (data) { draw(m, s.pane, data); }));
    });
    draw(m, 'nk-transfers', cfg.transfers);
  });
  Promise.all(jobs).then(function () {
    document.body.setAttribute('data-nk-compare', cfg.earlier.day + '|' + cfg.later.day);
  }).catch(function (err) {
    console.error('nkmap compare: could not load a layer', err);
    document.body.setAttribute('data-nk-compare-error', String(err));
  });
};
