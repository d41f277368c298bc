// Accessibility fixes for widgets the admin gets from other packages: modeltranslation's
// language switch and import-export's "select all" box get the label they lack; the search
// icon of Django's two-box selector gets the role its label needs.
"use strict";
(function () {
  const labels = document.currentScript.dataset;
  window.addEventListener("load", function () {
    const toggle = document.querySelector("input.select-toggle:not([id])");
    if (toggle) {
      toggle.id = "select-all-toggle";
    }
    const languageSwitch = document.getElementById("modeltranslation-main-switch");
    if (languageSwitch && !languageSwitch.hasAttribute("aria-label")) {
      languageSwitch.setAttribute("aria-label", labels.switchLabel);
    }
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  });
})();
