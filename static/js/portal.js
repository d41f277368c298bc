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

    var svg = figure.querySelector("svg");
    var markers = Array.prototype.slice.call(svg.querySelectorAll(".world-map__markers circle"));
    var touch = svg.querySelectorAll(".world-map__touch circle");

    // The small countries' touch targets: 24 CSS pixels across (and a half pixel to spare)
    // whatever the map's size.
    function sizeTargets() {
      var matrix = svg.getScreenCTM();
      if (!matrix || !matrix.a) { return; }
      var radius = (12.5 / matrix.a).toFixed(1);
      touch.forEach(function (circle) {
        var href = circle.parentNode.getAttribute("href");
        var shape = svg.querySelector('a.world-map__country[href="' + href + '"]');
        var box = shape && shape.getBoundingClientRect();
        // A country 24 pixels wide and high on screen is its own target.
        circle.style.display = box && box.width >= 24 && box.height >= 24 ? "none" : "";
        circle.setAttribute("r", radius);
      });
    }
    sizeTargets();
    if (window.ResizeObserver) { new ResizeObserver(sizeTargets).observe(svg); }

    // The city under the pointer (markers let clicks through to their country).
    function markerAt(x, y) {
      var matrix = svg.getScreenCTM();
      if (!matrix || !markers.length) { return null; }
      var point = new DOMPoint(x, y).matrixTransform(matrix.inverse());
      for (var i = markers.length - 1; i >= 0; i--) {
        var circle = markers[i];
        var dx = point.x - circle.cx.baseVal.value, dy = point.y - circle.cy.baseVal.value;
        if (dx * dx + dy * dy <= circle.r.baseVal.value * circle.r.baseVal.value) { return circle; }
      }
      return null;
    }
    function textOf(target, x, y) {
      var item = (x !== undefined && markerAt(x, y)) || target.closest("a, circle");
      if (item && item.closest(".world-map__touch")) {
        // A touch target: the title is on the country's own link.
        item = svg.querySelector('a.world-map__country[href="' + item.closest("a").getAttribute("href") + '"]');
      }
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
    svg.addEventListener("mousemove", function (event) { show(textOf(event.target, event.clientX, event.clientY), event.clientX, event.clientY); });
    svg.addEventListener("mouseleave", function () { tooltip.hidden = true; });
    svg.addEventListener("focusin", function (event) {
      var box = event.target.getBoundingClientRect();
      show(textOf(event.target), box.left + box.width / 2, box.top + box.height / 2);
    });
    svg.addEventListener("focusout", function () { tooltip.hidden = true; });
  });
})();
