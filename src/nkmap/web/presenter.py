"""The classroom page's presenter view: large type, the step panel, the compare summary, the arrow-key script and
the map labels that give a step's places in English, Azerbaijani and Armenian.

Sizes are in `vw` with a floor and a ceiling (`clamp`), so one stylesheet reads at 1366x768 and at 1920x1080.
Every value that comes from data or a story file passes through `popups.text` before it is placed in markup.
"""

from __future__ import annotations

import json
from typing import Iterable

import folium
from jinja2 import Template

from nkmap.data import story
from nkmap.text.story_panel import area_head_html as area_head_html
from nkmap.text.story_panel import compare_html as compare_html
from nkmap.text.story_panel import counter_html as counter_html
from nkmap.text.story_panel import label_html as label_html
from nkmap.text.story_panel import names_html as names_html
from nkmap.text.story_panel import sources_html as sources_html
from nkmap.text.story_panel import step_html as step_html
from nkmap.text.story_panel import step_texts as step_texts
from nkmap.web.plain_render import PlainRendered

#: Height the page leaves for the map below the step controls (the rest of the window is the map and panel).
MAP_OFFSET_PX = 160
COMPARE_OFFSET_PX = 245  # compare has a second row of controls (the dates)
PAGE_CSS = f"""
<style>
[data-testid="stMainBlockContainer"] {{ padding: 3.9rem 1.2rem 0.4rem 1.2rem; max-width: 100%; }}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {{ gap: 0.45rem; }}
.st-key-story_prev button, .st-key-story_next button {{ min-height: 2.5rem; padding-top: 0; padding-bottom: 0; }}
.st-key-story_prev button p, .st-key-story_next button p {{ font-size: clamp(17px, 1.3vw, 26px); font-weight: 700; }}
.st-key-cl_mapbox iframe {{ height: max(360px, calc(100vh - {MAP_OFFSET_PX}px)) !important; }}
.st-key-cl_comparebox iframe {{ height: max(360px, calc(100vh - {COMPARE_OFFSET_PX}px)) !important; }}
.st-key-cl_textbox {{ max-height: max(360px, calc(100vh - {MAP_OFFSET_PX}px)); overflow-y: auto; padding-right: 6px; }}
.st-key-cl_keys {{ position: absolute; width: 0; height: 0; overflow: hidden; }}
.nk-counter {{ font-size: clamp(18px, 1.45vw, 30px); font-weight: 700; text-align: center; line-height: 2.5rem;
  font-variant-numeric: tabular-nums; }}
.nk-step, .nk-compare {{ font-size: clamp(17px, 1.42vw, 29px); line-height: 1.38; color: #000; }}
.nk-step .nk-date {{ font-size: 1.4em; font-weight: 800; line-height: 1.15; }}
.nk-step .nk-title {{ font-size: 1.12em; font-weight: 700; margin: 0.15em 0 0.35em 0; }}
.nk-step .nk-caption {{ margin-bottom: 0.45em; }}
.nk-step .nk-wording {{ font-size: 0.9em; margin: 0.25em 0; padding-left: 0.5em; border-left: 5px solid #000; }}
.nk-step .nk-who, .nk-compare .nk-who {{ font-weight: 700; }}
.nk-names {{ border-collapse: collapse; font-size: 0.88em; margin: 0.35em 0; }}
.nk-names th {{ font-size: 0.72em; font-weight: 600; text-align: left; color: #333; padding: 0 0.6em 0 0; }}
.nk-names td {{ padding: 0.05em 0.6em 0.05em 0; border-top: 1px solid #bbb; }}
.nk-areas {{ font-size: 0.82em; margin-top: 0.4em; }}
.nk-areas .row {{ display: flex; align-items: center; gap: 0.4em; }}
.nk-areas .num {{ font-variant-numeric: tabular-nums; font-weight: 700; }}
.nk-sw {{ display: inline-block; width: 1.1em; height: 0.8em; border: 2px solid #000; flex: none; }}
.nk-muted {{ color: #333; font-size: 0.7em; }}
.nk-sources {{ font-size: 0.58em; color: #222; margin-top: 0.5em; }}
.nk-sources ol {{ margin: 0.2em 0 0 0; padding-left: 1.4em; }}
.nk-sources a {{ word-break: break-all; }}
.nk-compare .nk-head {{ font-size: 1.05em; font-weight: 700; margin-bottom: 0.3em; }}
.nk-compare ul {{ margin: 0.2em 0 0.5em 0; padding-left: 1.1em; }}
.nk-compare .big {{ font-size: 1.25em; font-weight: 800; font-variant-numeric: tabular-nums; }}
.nk-area-head {{ font-size: clamp(17px, 1.42vw, 29px); line-height: 1.3; }}
</style>
"""

#: Runs in a zero-height components.html iframe: arrow keys (and a presentation clicker's PageUp/PageDown) click
#: the page's Previous/Next buttons. It listens on the page and on every same-origin iframe in it (the map keeps
#: focus after a click), skips keys typed into inputs and sliders, and replaces any listener an older copy left.
KEYS_HTML = """<!DOCTYPE html>
<html lang="en"><head><title>Keyboard: arrow keys step the story</title></head><body>
<script>
(function () {
  var top = window.parent, doc = top.document;
  if (top.nkmapKeys && top.nkmapKeys.detach) { try { top.nkmapKeys.detach(); } catch (e) {} }
  var attached = [];
  function typing(el) {
    if (!el || !el.closest) { return false; }
    return !!el.closest('input, textarea, select, [contenteditable="true"], [role="slider"], [role="combobox"], [role="listbox"]');
  }
  function press(which) {
    var button = doc.querySelector('.st-key-story_' + which + ' button');
    if (button && !button.disabled) { button.click(); return true; }
    return false;
  }
  function onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) { return; }
    var k = e.key, done = false;
    if (k === 'ArrowRight' || k === 'PageDown') { done = press('next'); }
    else if (k === 'ArrowLeft' || k === 'PageUp') { done = press('prev'); }
    if (done) { e.preventDefault(); }
  }
  function attach(d) {
    if (!d || attached.indexOf(d) >= 0) { return; }
    d.addEventListener('keydown', onKey, true);
    attached.push(d);
  }
  function scan() {
    attach(doc);
    Array.prototype.forEach.call(doc.querySelectorAll('iframe'), function (f) {
      try { if (f.contentWindow !== window) { attach(f.contentDocument); } } catch (e) { /* another origin */ }
    });
  }
  var timer = setInterval(scan, 700);
  scan();
  top.nkmapKeys = {detach: function () {
    clearInterval(timer);
    attached.forEach(function (d) { try { d.removeEventListener('keydown', onKey, true); } catch (e) {} });
    attached = [];
  }};
  doc.documentElement.setAttribute('data-nk-keys', 'on');
})();
</script>
</body></html>
"""

LABEL_CSS = """
.leaflet-tooltip.nk-story-label { background: rgba(255,255,255,0.93); border: 2px solid #000; border-radius: 3px;
  box-shadow: none; color: #000; padding: 2px 6px; font-size: 17px; line-height: 1.2; font-weight: 700; }
.leaflet-tooltip.nk-story-label .nk-local { font-weight: 400; font-size: 15px; }
"""


class StepOverlay(folium.FeatureGroup, PlainRendered):
    """What a story step adds to the map: its view (centre, zoom), its places labelled in English, Azerbaijani and
    Armenian, and the step on the map container (`data-nk-step`). A FeatureGroup for st_folium's
    `feature_group_to_add`, rebuilt when the step changes and removed with the previous step's group.

    The view is set here rather than through st_folium's centre/zoom arguments because Leaflet ignores a
    setView while a zoom animation runs: a teacher pressing → twice quickly would be left on the previous
    step's view. Here a view that arrives mid-animation waits for `zoomend`; and it is applied only when the
    step changes, so other reruns (a palette switch) keep the teacher's own pan and zoom."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup({});
        (function (map, group, labels, step, view, css) {
            if (!document.getElementById('nk-story-css')) {
                var s = document.createElement('style');
                s.id = 'nk-story-css';
                s.textContent = css;
                document.head.appendChild(s);
            }
            labels.forEach(function (p) {
                L.circleMarker([p.lat, p.lon], {pane: 'markerPane', radius: 6, color: '#000', weight: 2.5,
                                                fillColor: '#fff', fillOpacity: 1, interactive: false}).addTo(group);
                L.tooltip({permanent: true, direction: 'top', offset: [0, -8], className: 'nk-story-label',
                           interactive: false}).setLatLng([p.lat, p.lon]).setContent(p.html).addTo(group);
            });
            map.nkStoryView = view;
            if (view && map.nkStoryStep !== step) {
                var go = function () { var v = map.nkStoryView; if (v) { map.setView([v[0], v[1]], v[2]); } };
                if (map._animatingZoom) { map.once('zoomend', go); } else { go(); }
            }
            map.nkStoryStep = step;
            map.getContainer().setAttribute('data-nk-step', step);
        })({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.labels_json }}, {{ this.step_json }},
           {{ this.view_json }}, {{ this.css_json }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        places: Iterable[story.PlaceNames],
        step_key: str,
        view: story.StoryView | None = None,
        lang: str = "en",
    ):
        super().__init__(name="nkmap story step", control=False)
        labels = [{"lat": round(p.lat, 5), "lon": round(p.lon, 5), "html": label_html(p, lang)} for p in places]
        self.labels_json = json.dumps(labels, ensure_ascii=False).replace("</", "<\\/")
        self.step_json = json.dumps(step_key)
        self.view_json = json.dumps([view.lat, view.lon, view.zoom] if view else None)
        self.css_json = json.dumps(LABEL_CSS)


#: Characters that format, link or open HTML, LaTeX or an entity in Streamlit's Markdown.
MARKDOWN_SPECIAL = set("\\`*_[]<>$~|#!&")


def plain_markdown(message: str) -> str:
    """A message that quotes a story file (text a teacher wrote) made safe for st.error/st.warning, which render
    Markdown: one line, every formatting character backslash-escaped, so the text shows exactly as written."""
    one_line = " ".join(str(message).splitlines())
    return "".join("\\" + ch if ch in MARKDOWN_SPECIAL else ch for ch in one_line)
