// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Changing a filter does not reload the page by itself (WCAG 3.2.2, on input);
  // instead the "Apply filters" button is highlighted so the next step is obvious.
  var filters = document.getElementById("filters");
  if (!filters) { return; }
  // On a narrow screen the filters fold behind their heading, so the first result is in view.
  var panel = filters.querySelector("details.filter-panel");
  if (panel && window.matchMedia("(max-width: 50rem)").matches) { panel.open = false; }
  var apply = filters.querySelector("button[type=submit]");
  filters.addEventListener("change", function () {
    if (apply) { apply.classList.add("primary"); }
  });
})();
