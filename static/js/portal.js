/* Enhancements only: every page works without this file. */
(function () {
  "use strict";

  // Map: the name and count of a country or city follow the pointer and the keyboard focus.
  document.querySelectorAll("[data-world-map]").forEach(function (figure) {
    var tooltip = document.createElement("div");
    tooltip.className = "map-tooltip";
    tooltip.hidden = true;
    tooltip.setAttribute("aria-hidden", "true");
    figure.appendChild(tooltip);

    function textOf(target) {
      var item = target.closest("a, circle");
      var title = item && item.querySelector("title");
      return title ? title.textContent.trim() : "";
    }
    function place(x, y) {
      var box = figure.getBoundingClientRect();
      tooltip.style.left = Math.min(x - box.left + 12, box.width - tooltip.offsetWidth) + "px";
      tooltip.style.top = (y - box.top + 12) + "px";
    }
    function show(text, x, y) {
      if (!text) { tooltip.hidden = true; return; }
      tooltip.textContent = text;
      tooltip.hidden = false;
      place(x, y);
    }
    var svg = figure.querySelector("svg");
    svg.addEventListener("mousemove", function (event) { show(textOf(event.target), event.clientX, event.clientY); });
    svg.addEventListener("mouseleave", function () { tooltip.hidden = true; });
    svg.addEventListener("focusin", function (event) {
      var box = event.target.getBoundingClientRect();
      show(textOf(event.target), box.left + box.width / 2, box.top + box.height / 2);
    });
    svg.addEventListener("focusout", function () { tooltip.hidden = true; });
  });
})();
