// A unit code field that also finds units by name: while someone types two letters or more,
// the portal's /units/pick/ is asked for the open units whose code or name contains them
// (accents optional: "tam duong" finds "Tam Đường"), shown as buttons under the field; choosing
// one writes its code in the field. Without script the field takes a code as typed, and the
// "Find a unit by name" link next to it opens the same search as a page.
(function () {
  "use strict";
  var WAIT_MS = 250;

  function button(unit, input, box) {
    var choice = document.createElement("button");
    choice.type = "button";
    choice.className = "secondary unit-pick-choice";
    choice.textContent = unit.name + " (" + unit.code + ") · " + unit.kind;
    choice.addEventListener("click", function () {
      input.value = unit.code;
      box.replaceChildren();
      input.focus();
    });
    return choice;
  }

  function show(units, input, box) {
    box.replaceChildren();
    units.forEach(function (unit) {
      var item = document.createElement("li");
      item.appendChild(button(unit, input, box));
      box.appendChild(item);
    });
    box.setAttribute("data-count", String(units.length));
  }

  function enhance(input, index) {
    var box = document.createElement("ul");
    box.className = "unit-pick-results";
    box.id = "unit-pick-results-" + index;
    box.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + box.id).trim());
    input.insertAdjacentElement("afterend", box);
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2) { box.replaceChildren(); asked = ""; return; }
        if (text === asked) return;
        asked = text;
        var url = input.getAttribute("data-unit-picker") + "?format=json&q=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { units: [] }; })
          .then(function (data) { if (asked === text) show(data.units || [], input, box); })
          .catch(function () { box.replaceChildren(); });
      }, WAIT_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") box.replaceChildren();
    });
  }

  document.querySelectorAll("input[data-unit-picker]").forEach(enhance);
})();
