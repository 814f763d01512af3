// The big screen's one button: full screen (no other script; the live updates are htmx polling).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("fullscreen");
  if (!button || !document.documentElement.requestFullscreen) {
    if (button) button.hidden = true;
    return;
  }
  button.addEventListener("click", function () {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen();
  });
});
