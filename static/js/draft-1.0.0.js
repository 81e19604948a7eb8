/* Keeps a draft of what is typed in a report form, so that a dropped connection or a reload
   does not lose it. Own code, version 1.0.0. The form works the same without it.
   The draft is kept in localStorage per report and version ("chitieu-draft:<report>:<version>")
   while someone types; after a failed save or a reload, a prompt offers to restore it; a
   successful save (the server marks the page with data-draft-saved) clears the report's drafts. */
(function () {
  "use strict";
  var PREFIX = "chitieu-draft:";

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function clearReport(storage, report) {
    var doomed = [];
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (key && key.indexOf(PREFIX + report + ":") === 0) { doomed.push(key); }
    }
    doomed.forEach(function (key) { storage.removeItem(key); });
  }

  function inputs(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "hidden" && el.type !== "submit" && el.type !== "button" &&
        el.name !== "csrfmiddlewaretoken";
    });
  }

  function snapshot(form) {
    var values = {};
    inputs(form).forEach(function (el) {
      if (el.type === "checkbox") { values[el.name] = el.checked; }
      else if (el.type === "radio") { if (el.checked) { values[el.name] = el.value; } }
      else { values[el.name] = el.value; }
    });
    return values;
  }

  function apply(form, values) {
    inputs(form).forEach(function (el) {
      if (!Object.prototype.hasOwnProperty.call(values, el.name)) { return; }
      var value = values[el.name];
      if (el.type === "checkbox") { el.checked = !!value; }
      else if (el.type === "radio") { el.checked = el.value === value; }
      else { el.value = value; }
    });
  }

  function differs(form, values) {
    var now = snapshot(form);
    return Object.keys(values).some(function (name) { return now[name] !== values[name]; });
  }

  function prompt(form, storage, key, values) {
    var box = document.getElementById("draft-prompt");
    if (!box) { return; }
    box.hidden = false;
    box.querySelector("[data-draft-restore]").addEventListener("click", function () {
      apply(form, values);
      box.hidden = true;
      var first = form.querySelector("input.number");
      if (first) { first.focus(); }
    });
    box.querySelector("[data-draft-discard]").addEventListener("click", function () {
      storage.removeItem(key);
      box.hidden = true;
    });
  }

  function start() {
    var storage = store();
    if (!storage) { return; }
    var clearing = document.querySelector("[data-draft-clear]");
    if (clearing) { clearReport(storage, clearing.getAttribute("data-draft-clear")); }
    var form = document.querySelector("form[data-draft-report]");
    if (!form) { return; }
    var report = form.getAttribute("data-draft-report");
    var key = PREFIX + report + ":" + form.getAttribute("data-draft-version");
    if (form.hasAttribute("data-draft-saved")) { clearReport(storage, report); }
    var kept = null;
    try { kept = JSON.parse(storage.getItem(key) || "null"); } catch (e) { kept = null; }
    if (kept && differs(form, kept)) { prompt(form, storage, key, kept); }
    var keep = function () {
      try { storage.setItem(key, JSON.stringify(snapshot(form))); } catch (e) { /* full */ }
    };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", keep);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
