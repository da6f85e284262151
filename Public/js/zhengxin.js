// 政信: small conveniences only; every page works without JavaScript.
(function () {
  "use strict";
  // Filter forms: changing a select submits the form (the button stays for keyboard and no-JS use).
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit(); });
  });
  // Forms marked data-confirm ask before submitting (sanctions, terminations).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // A submitted form cannot be submitted twice by a double click.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
  // 再加一项: a free list (采购内容, 检查发现…) draws three rows; this copies the last row empty, with
  // the next index in every name and id. Without scripts the three rows stand (the API takes more).
  document.querySelectorAll("button.add-row[data-list]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var list = button.getAttribute("data-list");
      var form = button.form;
      var last = -1;
      form.querySelectorAll("[data-row]").forEach(function (div) {
        var key = div.getAttribute("data-row");
        if (key.lastIndexOf(list + ".", 0) === 0 && /^\d+$/.test(key.slice(list.length + 1))) {
          last = Math.max(last, parseInt(key.slice(list.length + 1), 10));
        }
      });
      if (last < 0) { return; }
      var from = list + "." + last, to = list + "." + (last + 1);
      var rows = form.querySelectorAll('[data-row="' + from + '"]');
      var swap = function (text) { return text.split(from + ".").join(to + ".").split(from.replace(/\./g, "-") + "-").join(to.replace(/\./g, "-") + "-"); };
      var anchor = button;
      rows.forEach(function (div, i) {
        var copy = div.cloneNode(true);
        copy.setAttribute("data-row", to);
        copy.classList.remove("field-error");
        copy.querySelectorAll(".field-message").forEach(function (m) { m.remove(); });
        copy.querySelectorAll("[name],[id],[for]").forEach(function (el) {
          ["name", "id", "for"].forEach(function (a) { if (el.hasAttribute(a)) { el.setAttribute(a, swap(el.getAttribute(a))); } });
          if (el.type === "checkbox") { el.checked = false; }
          else if (el.type !== "hidden" && el.tagName !== "SELECT") { el.value = ""; }
          else if (el.tagName === "SELECT") { el.selectedIndex = 0; }
        });
        if (i === 0) {
          var heading = div.previousElementSibling;
          if (heading && heading.classList.contains("form-section")) {
            var h = heading.cloneNode(true);
            h.textContent = h.textContent.replace(/第\d+项/, "第" + (last + 2) + "项");
            anchor.parentNode.insertBefore(h, anchor);
          }
        }
        anchor.parentNode.insertBefore(copy, anchor);
      });
    });
  });
})();
// Coming back to a page from the browser's history re-enables its buttons.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("button[type=submit][disabled]").forEach(function (b) { b.disabled = false; });
});
