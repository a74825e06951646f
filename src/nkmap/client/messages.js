/* The interface's words in the browser: NKMap.t("Step {n} of {total}", {n: 3, total: 9}).
   Python ships the page's language and its catalogue (nkmap.text.messages: English -> the language, only the
   messages the browser code uses) as NKMap.setMessages(lang, catalogue); a message missing from it shows in English.
   Strings passed to NKMap.t (or to a local `_`) are extracted by scripts/update_catalogues.py, so write them as
   literals. Placeholders are filled after translation, so a translation may move them. */
(function () {
  "use strict";
  var NKMap = window.NKMap = window.NKMap || {};
  var catalogue = {};
  NKMap.lang = NKMap.lang || "en";
  NKMap.setMessages = function (lang, messages) { NKMap.lang = lang; catalogue = messages || {}; };
  NKMap.t = function (message, fields) {
    var text = Object.prototype.hasOwnProperty.call(catalogue, message) ? catalogue[message] : message;
    if (!fields) { return text; }
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(fields, name) ? String(fields[name]) : whole;
    });
  };
})();
