/* Casebook citations: Escape hides an open reference preview (WCAG 1.4.13, dismissable).
   Without this script the previews still work on hover and focus; it only adds the dismissal. */
(function () {
  "use strict";
  var DISMISSED = "casebook-previews-dismissed";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("sup.casebook-cites").forEach(function (group) {
      if (group.matches(":hover") || group.matches(":focus-within")) group.classList.add(DISMISSED);
    });
  });
  function reset(event) {
    var group = event.target.closest && event.target.closest("sup.casebook-cites");
    if (group) group.classList.remove(DISMISSED);
  }
  document.addEventListener("focusin", reset);
  document.addEventListener("mouseover", function (event) {
    var group = event.target.closest && event.target.closest("sup.casebook-cites");
    // A dismissed preview stays dismissed while its citation keeps the keyboard focus.
    document.querySelectorAll("sup." + DISMISSED).forEach(function (other) {
      if (other !== group && !other.matches(":focus-within")) other.classList.remove(DISMISSED);
    });
  });
})();
