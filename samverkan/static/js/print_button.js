// The recovery codes page: a "Skriv ut" button that opens the browser's print dialogue.
// Hidden without JavaScript (the browser's own print command still works).
(function () {
  var button = document.getElementById("print-page");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
