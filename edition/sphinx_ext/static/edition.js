/* Progressive enhancement for the edition; the page works fully without it.
   - remembers the witness view (and honours ?view=en|ru|print);
   - on narrow screens, a note marker or variant mark toggles its note or reading
     in place instead of jumping;
   - adds copy buttons to citation blocks. */
(function () {
  "use strict";

  function setupViews() {
    var radios = document.querySelectorAll('input[name="witness-view"]');
    if (!radios.length) return;
    var wanted = new URLSearchParams(window.location.search).get("view");
    try { wanted = wanted || window.localStorage.getItem("edition-view"); } catch (e) { /* private mode */ }
    radios.forEach(function (radio) {
      if (radio.value === wanted) radio.checked = true;
      radio.addEventListener("change", function () {
        try { window.localStorage.setItem("edition-view", radio.value); } catch (e) { /* ignore */ }
      });
    });
  }

  function floating(el) {
    return window.getComputedStyle(el).float !== "none";
  }

  function setupNotes() {
    document.querySelectorAll("a.noteref").forEach(function (marker) {
      var id = marker.getAttribute("href").slice(1);
      var note = document.getElementById(id);
      if (!note || !note.classList.contains("sidenote")) return;
      marker.setAttribute("aria-controls", id);
      marker.setAttribute("aria-expanded", "false");
      marker.addEventListener("click", function (event) {
        if (floating(note)) return; // a margin note is already visible: just follow the link
        event.preventDefault();
        var open = note.classList.toggle("open");
        marker.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
  }

  function setupVariants() {
    document.querySelectorAll("a.app-mark").forEach(function (mark) {
      var id = mark.getAttribute("href").slice(1);
      var reading = document.getElementById(id);
      if (!reading) return;
      mark.setAttribute("aria-controls", id);
      mark.setAttribute("aria-expanded", "false");
      mark.addEventListener("click", function (event) {
        event.preventDefault();
        var open = reading.classList.toggle("open");
        mark.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
  }

  function setupCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (block) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cite-copy";
      button.textContent = "Copy";
      button.addEventListener("click", function () {
        var text = block.getAttribute("data-copy") === "text" ? block.innerText : block.textContent;
        navigator.clipboard.writeText(text.trim()).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        });
      });
      block.parentNode.insertBefore(button, block);
    });
  }

  function init() { setupViews(); setupNotes(); setupVariants(); setupCopy(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
