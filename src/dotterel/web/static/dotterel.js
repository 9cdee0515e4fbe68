// Dotterel explorer: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // -- article page: link events to their evidence spans ------------------------------------------
  function clearFocus() {
    $all(".is-focus, .is-related").forEach(function (el) { el.classList.remove("is-focus", "is-related"); });
  }

  function focusEvidence(key, related, scroll) {
    var pieces = $all('mark[data-span="' + CSS.escape(key) + '"]');
    if (!pieces.length) { return false; }
    clearFocus();
    pieces.forEach(function (el) { el.classList.add("is-focus"); });
    (related || []).forEach(function (k) {
      $all('mark[data-span="' + CSS.escape(k) + '"]').forEach(function (el) { el.classList.add("is-related"); });
    });
    var item = document.getElementById("item-" + key);
    if (item) { item.classList.add("is-focus"); }
    if (scroll) { pieces[0].scrollIntoView({ block: "center", behavior: "smooth" }); }
    return true;
  }

  function relatedOf(key) {
    var link = document.querySelector('.evlink[data-target="' + CSS.escape(key) + '"]');
    return link && link.dataset.spans ? link.dataset.spans.split(" ").filter(Boolean) : [];
  }

  function initArticle() {
    var article = document.getElementById("article");
    if (!article) { return; }
    $all(".evlink, .qlink").forEach(function (link) {
      link.addEventListener("click", function (ev) {
        var key = link.dataset.target;
        if (focusEvidence(key, relatedOf(key), true)) {
          ev.preventDefault();
          history.replaceState(null, "", "#" + key);
        }
      });
    });
    // clicking a trigger in the text selects its event in the list
    article.addEventListener("click", function (ev) {
      var mark = ev.target.closest("mark.hl-trigger, mark.hl-mention");
      if (!mark) { return; }
      var key = mark.dataset.span.replace(/-m\d+$/, "");
      focusEvidence(key, relatedOf(key), false);
      var item = document.getElementById("item-" + key);
      if (item) { item.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
    });
    if (location.hash.length > 1) {
      var key = decodeURIComponent(location.hash.slice(1));
      focusEvidence(key, relatedOf(key), true);
    }
    $all("input[data-toggle]").forEach(function (box) {
      var apply = function () { document.body.classList.toggle(box.dataset.toggle, !box.checked); };
      box.addEventListener("change", apply);
      apply();
    });
  }

  // -- code page: send the token as a Bearer header ---------------------------------------------
  function initCodeForm() {
    var form = document.getElementById("code-form");
    if (!form) { return; }
    var token = document.getElementById("token");
    var status = document.getElementById("code-status");
    var errorBox = document.getElementById("code-error");
    try { token.value = sessionStorage.getItem("dotterel-token") || ""; } catch (e) { /* storage off */ }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      errorBox.hidden = true;
      var data = new FormData(form);
      data.delete("token");
      var file = data.get("file");
      if (file && file.size === 0) { data.delete("file"); }
      if (!data.get("date")) { data.delete("date"); }
      if (!data.get("file") && !String(data.get("text") || "").trim()) {
        errorBox.textContent = "Paste a text or choose a file.";
        errorBox.hidden = false;
        return;
      }
      try { sessionStorage.setItem("dotterel-token", token.value); } catch (e) { /* storage off */ }
      status.textContent = "Coding…";
      fetch("/api/code", { method: "POST", body: data, headers: { "Authorization": "Bearer " + token.value } })
        .then(function (resp) {
          return resp.json().catch(function () { return {}; }).then(function (body) { return { ok: resp.ok, status: resp.status, body: body }; });
        })
        .then(function (r) {
          if (r.ok && r.body.doc) {
            status.textContent = "Done.";
            location.href = "/documents/" + encodeURIComponent(r.body.doc.id);
            return;
          }
          var err = (r.body && r.body.error) || { code: String(r.status), message: "request failed" };
          status.textContent = "";
          errorBox.textContent = err.code + " " + err.message;  // textContent: never parsed as HTML
          errorBox.hidden = false;
        })
        .catch(function (e) {
          status.textContent = "";
          errorBox.textContent = "Network error: " + e;
          errorBox.hidden = false;
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initArticle();
    initCodeForm();
  });
})();
