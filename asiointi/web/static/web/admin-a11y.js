// Accessible names that Django's admin widgets and Select2 leave out (WCAG 2.1: 1.3.1, 2.5.3, 4.1.2).
// Loaded by templates/admin/base_site.html; a static file, as the CSP allows no inline scripts.
"use strict";
(function () {
  function labelId(control) {
    var label = control.id && document.querySelector('label[for="' + control.id + '"]');
    if (!label) { return null; }
    if (!label.id) { label.id = control.id + "_label"; }
    return label.id;
  }

  function mend(root) {
    // Select2 (autocomplete_fields): the combobox is named by its selection only, empty until chosen.
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var container = box.closest(".select2-container");
      var select = container && container.previousElementSibling;
      var id = select && select.tagName === "SELECT" ? labelId(select) : null;
      if (!id) { return; }
      [box].concat(Array.prototype.slice.call(box.querySelectorAll("[role=textbox]"))).forEach(function (el) {
        var current = el.getAttribute("aria-labelledby") || "";
        if (current.split(" ").indexOf(id) === -1) {
          el.setAttribute("aria-labelledby", (id + " " + current).trim());
        }
      });
    });
    // filter_horizontal: a span may not carry aria-label without a role.
    root.querySelectorAll("span.search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    // Date shortcuts: the name must contain the visible text ("Tänään", not "Today (…)").
    root.querySelectorAll(".datetimeshortcuts a[aria-label]").forEach(function (link) {
      var text = link.textContent.trim();
      var name = link.getAttribute("aria-label");
      if (text && name.indexOf(text) === -1) {
        var date = name.indexOf("(") >= 0 ? name.slice(name.indexOf("(")) : "";
        link.setAttribute("aria-label", (text + " " + date).trim());
      }
    });
    // Tabular inlines: each cell's control is named by its column heading.
    root.querySelectorAll(".tabular table").forEach(function (table) {
      var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
            var heading = headings[index];
            if (heading && !control.labels.length && !control.hasAttribute("aria-label") &&
                !control.hasAttribute("aria-labelledby")) {
              control.setAttribute("aria-label", heading);
            }
          });
        });
      });
    });
  }

  // The date shortcuts and filter_horizontal are built on window "load", after Select2.
  function mendAll() { mend(document); }
  document.addEventListener("DOMContentLoaded", function () { window.setTimeout(mendAll, 0); });
  window.addEventListener("load", mendAll);
  document.addEventListener("formset:added", function () { window.setTimeout(mendAll, 0); });
})();
