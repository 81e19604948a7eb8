// The print pages' one button: shown only when script runs, it opens the browser's print dialog.
(function () {
  var button = document.getElementById("print-button");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
