"use strict";
// Accessibility repairs for third-party widgets of the admin, so that its pages pass axe-core's
// WCAG 2.1 A and AA rules: modeltranslation's language tabs (jQuery UI) and switch, and the
// select2 boxes of autocomplete fields. Widgets re-render, so repairs run again on changes.
(function () {
  const script = document.currentScript;
  const labels = {
    languageSwitch: script.dataset.languageSwitchLabel,
    clearAll: script.dataset.clearAllLabel,
  };

  function repairLanguageTabs(root) {
    // The tab is the <li role="tab">; a link inside it would be a second control.
    root.querySelectorAll('.ui-tabs-nav li[role="tab"] > a[href]').forEach((link) => {
      link.removeAttribute("href");
    });
    const languageSwitch = root.querySelector("#modeltranslation-main-switch");
    if (languageSwitch && !languageSwitch.hasAttribute("aria-label")) {
      languageSwitch.setAttribute("aria-label", labels.languageSwitch);
    }
  }

  function repairAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete[id]").forEach((select) => {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) {
        return;
      }
      const label = document.querySelector('label[for="' + select.id + '"]');
      // A single choice's box is a combobox named by its rendered choice alone, which is
      // empty until something is chosen: it is named by the field's label, then the choice.
      const combobox = container.querySelector('.select2-selection--single[role="combobox"]');
      const rendered = container.querySelector(".select2-selection__rendered[id]");
      if (combobox && label && rendered) {
        label.id = label.id || select.id + "-label";
        combobox.setAttribute("aria-labelledby", label.id + " " + rendered.id);
        // The choice inside is text read as the combobox's value, not a field of its own.
        rendered.removeAttribute("role");
        rendered.removeAttribute("aria-readonly");
      }
      const search = container.querySelector(".select2-search__field");
      if (search && label && !search.hasAttribute("aria-label")) {
        search.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      }
      // The mouse-only "clear all" cross sits in the list of choices; keyboard and screen
      // reader users remove choices one by one.
      container.querySelectorAll(".select2-selection__clear").forEach((cross) => {
        cross.setAttribute("aria-hidden", "true");
        cross.setAttribute("title", labels.clearAll);
      });
    });
  }

  function repair() {
    repairLanguageTabs(document);
    repairAutocompletes(document);
  }

  window.addEventListener("load", () => {
    repair();
    new MutationObserver(repair).observe(document.body, { childList: true, subtree: true });
  });
})();
