/* Progressive enhancement for the edition; the page works fully without it.
   - remembers the witness view (and honours ?view=en|ru|print);
   - on narrow screens, a note marker or variant mark toggles its note or reading
     in place instead of jumping (scrolling it into view if it opens off screen),
     and aria-expanded on the marker says whether it is shown;
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

  function shown(el) {
    return window.getComputedStyle(el).display !== "none";
  }

  function setupNotes() {
    var pairs = [];
    document.querySelectorAll("a.noteref").forEach(function (marker) {
      var id = marker.getAttribute("href").slice(1);
      var note = document.getElementById(id);
      if (!note || !note.classList.contains("sidenote")) return;
      pairs.push([marker, note]);
      marker.setAttribute("aria-controls", id);
      marker.addEventListener("click", function (event) {
        if (floating(note)) return; // a margin note is already visible: just follow the link
        event.preventDefault();
        if (shown(note)) {
          note.classList.remove("open");
          // a note opened by the address (#note-...) stays open while it is the
          // target: make the marker the target instead, without a history entry
          var anchor = marker.closest("[id]");
          if (shown(note) && anchor && window.location.hash === "#" + id) {
            window.location.replace("#" + anchor.id);
          }
        } else {
          note.classList.add("open");
          reveal(note);
        }
        sync();
      });
    });
    // aria-expanded says whether the note is shown (in the margin, opened or targeted)
    function sync() {
      pairs.forEach(function (pair) {
        pair[0].setAttribute("aria-expanded", shown(pair[1]) ? "true" : "false");
      });
    }
    sync();
    window.addEventListener("hashchange", sync);
    window.addEventListener("load", sync); // :target may apply only once the page has loaded
    window.addEventListener("resize", sync);
  }

  // An opened note or reading may start below the bottom of the window (a
  // marker on the last line): scroll just enough to show it.
  function reveal(el) {
    var box = el.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) el.scrollIntoView({ block: "nearest" });
  }

  function setupVariants() {
    document.querySelectorAll("a.app-mark").forEach(function (mark) {
      var id = mark.getAttribute("href").slice(1);
      var reading = document.getElementById(id);
      if (!reading) return;
      mark.setAttribute("aria-controls", id);
      mark.setAttribute("aria-expanded", "false");
      var app = mark.closest(".app") || mark.parentNode;
      mark.addEventListener("click", function (event) {
        event.preventDefault();
        var open = reading.classList.toggle("open");
        // hover and focus show the reading too: a reader who closes it means it
        reading.classList.toggle("closed", !open);
        mark.setAttribute("aria-expanded", open ? "true" : "false");
        if (open) reveal(reading);
      });
      // once the pointer or the focus has left, hover and focus show it again
      app.addEventListener("mouseleave", function () { reading.classList.remove("closed"); });
      app.addEventListener("focusout", function (event) {
        if (!app.contains(event.relatedTarget)) reading.classList.remove("closed");
      });
    });
  }

  function setupCopy() {
    var targets = "[data-copy], .edition-citation pre";
    document.querySelectorAll(targets).forEach(function (block) {
      // The button says what it copies (data-copy-label, e.g. "Copy Chicago note for § 1").
      var label = block.getAttribute("data-copy-label") || "Copy this citation";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cite-copy";
      button.textContent = label;
      button.addEventListener("click", function () {
        var text = block.tagName === "PRE" ? block.textContent : block.innerText;
        navigator.clipboard.writeText(text.trim()).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = label; }, 1500);
        });
      });
      if (block.tagName === "PRE") block.parentNode.insertBefore(button, block);
      else block.parentNode.insertBefore(button, block.nextSibling);
    });
  }

  function init() { setupViews(); setupNotes(); setupVariants(); setupCopy(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
