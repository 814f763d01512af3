// A personal link carries its secret after "#", which browsers never send to a server (so no log holds it).
// Post it once to the page's own form and drop it from the address bar. Without JavaScript the code is typed.
(function () {
  var form = document.getElementById("invitation-code-form");
  var secret = window.location.hash.replace(/^#/, "");
  if (!form || !secret || form.dataset.error) { return; }
  history.replaceState(null, "", window.location.pathname);
  form.querySelector("input[name=code]").value = decodeURIComponent(secret);
  form.submit();
})();
