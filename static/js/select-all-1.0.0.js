// "Select all shown": a checkbox, shown only when script runs, that ticks or clears every
// checkbox of the list it names (data-select-all = the list's id); the form works without it.
(function () {
  var toggles = document.querySelectorAll("[data-select-all]");
  toggles.forEach(function (toggle) {
    var list = document.getElementById(toggle.getAttribute("data-select-all"));
    if (!list) return;
    var boxes = list.querySelectorAll("input[type=checkbox]");
    var holder = toggle.closest(".select-all");
    if (holder) holder.hidden = false;
    toggle.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = toggle.checked; });
    });
  });
})();
