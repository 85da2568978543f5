// Progressive enhancement only: every page works without this file.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  var msg = form.getAttribute && form.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) ev.preventDefault();
});
document.addEventListener("click", function (ev) {
  var a = ev.target.closest && ev.target.closest("[data-back]");
  if (a && window.history.length > 1) { ev.preventDefault(); window.history.back(); }
});
