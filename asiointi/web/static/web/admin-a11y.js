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

  // A form sent back with errors: Django's note at the top becomes an error summary, as on the
  // product's own forms (WCAG 3.3.1): it lists each error as a link to its field and takes the focus,
  // so that a screen reader reads it first and a keyboard user goes on from it.
  function summarise() {
    var note = document.querySelector("#content-main .errornote");
    if (!note || note.closest(".error-summary")) { return; }
    var list = document.createElement("ul");
    var firstField = document.querySelector("#content-main form :is(input, select, textarea):not([type=hidden])");
    document.querySelectorAll("#content-main .errorlist").forEach(function (errors) {
      var id = errors.id && /_error$/.test(errors.id) ? errors.id.slice(0, -"_error".length) : "";
      var field = id ? document.getElementById(id) : null;
      if (!field && errors.classList.contains("nonfield")) { field = firstField; }
      if (!field || !field.id) { return; }
      var label = document.querySelector('label[for="' + field.id + '"]');
      var name = label && !errors.classList.contains("nonfield") ? label.textContent.replace(/:\s*$/, "").trim() : "";
      Array.prototype.forEach.call(errors.querySelectorAll("li"), function (error) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + field.id;
        link.addEventListener("click", function (event) {
          // An autocomplete field's select is hidden behind Select2's combobox: focus that instead.
          var shown = field.classList.contains("select2-hidden-accessible") && field.nextElementSibling ?
            field.nextElementSibling.querySelector(".select2-selection") : null;
          if (shown) {
            event.preventDefault();
            shown.focus();
          }
        });
        link.textContent = name ? name + ": " + error.textContent.trim() : error.textContent.trim();
        item.appendChild(link);
        list.appendChild(item);
      });
    });
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    note.parentNode.insertBefore(summary, note);
    summary.appendChild(note);
    if (list.children.length) { summary.appendChild(list); }
    // The summary, not the first field, has the focus: the admin's autofocus would skip it.
    document.querySelectorAll("#content-main [autofocus]").forEach(function (el) {
      el.removeAttribute("autofocus");
    });
    summary.focus();
    var moved = false;
    ["keydown", "pointerdown"].forEach(function (type) {
      document.addEventListener(type, function () { moved = true; }, { once: true });
    });
    // Widgets set up on "load" may take the focus; give it back unless the user has moved on.
    window.addEventListener("load", function () {
      if (!moved && document.activeElement !== summary) { summary.focus(); }
    });
  }
  document.addEventListener("DOMContentLoaded", summarise);

  // The date shortcuts and filter_horizontal are built on window "load", after Select2.
  function mendAll() { mend(document); }
  document.addEventListener("DOMContentLoaded", function () { window.setTimeout(mendAll, 0); });
  window.addEventListener("load", mendAll);
  document.addEventListener("formset:added", function () { window.setTimeout(mendAll, 0); });
})();
