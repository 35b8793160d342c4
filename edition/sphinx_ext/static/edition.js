/* Progressive enhancement for the edition; every page works without it.
   - remembers the witness view (and honours ?view=en|ru|print);
   - popups (variant readings; notes on narrow screens) open one at a time and
     close on Escape, on a click or tap elsewhere and when focus leaves them
     (WCAG 2.2, 1.4.13); aria-expanded on the mark says whether it is shown;
   - "Show it" shows and hides the Russian original's deleted section;
   - a search hit (?highlight=words) lands on the paragraph that holds the
     words, marked, and on the search page each result links to that paragraph;
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
        closeOpen();
      });
    });
  }

  function shown(el) { return window.getComputedStyle(el).display !== "none"; }
  function floating(el) { return window.getComputedStyle(el).float !== "none"; }

  // ------------------------------------------------------------ popups
  // Each popup: its mark (the link that opens it), the element shown, and the
  // region that counts as "inside" it (mark, popup and what holds them).
  var popups = [];
  var current = null;

  function setExpanded(p) { p.mark.setAttribute("aria-expanded", shown(p.el) ? "true" : "false"); }
  function syncAll() { popups.forEach(setExpanded); }

  function open(p) {
    if (current && current !== p) close(current);
    popups.forEach(function (q) { if (q !== p) suppress(q); });
    p.el.classList.remove("closed");
    p.el.classList.add("open");
    current = p;
    reveal(p.el);
    syncAll();
  }
  // a popup shown by hover, focus or the address is hidden until the reader comes back
  function suppress(p) {
    if (shown(p.el)) p.el.classList.add("closed");
    p.el.classList.remove("open");
  }
  function close(p) {
    suppress(p);
    if (current === p) current = null;
    syncAll();
  }
  function closeOpen() { popups.forEach(function (p) { if (shown(p.el)) close(p); }); }

  // An opened popup may start below the bottom of the window: scroll just enough.
  function reveal(el) {
    var box = el.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) el.scrollIntoView({ block: "nearest" });
  }

  function register(mark, el, region, isNote) {
    var p = { mark: mark, el: el, region: region, note: isNote };
    popups.push(p);
    mark.setAttribute("aria-controls", el.id);
    mark.addEventListener("click", function (event) {
      if (p.note && floating(el)) return; // a margin note is always shown: follow the link
      event.preventDefault();
      // a tap also hovers and focuses: a reading's mark toggles what it opened
      var isOpen = p.note ? shown(el) : el.classList.contains("open");
      if (isOpen) close(p);
      else open(p);
    });
    // coming back to a suppressed popup (pointer or focus) shows it again
    region.addEventListener("mouseenter", function () {
      if (p.note) return;
      popups.forEach(function (q) { if (q !== p) suppress(q); });
      el.classList.remove("closed");
      syncAll();
    });
    region.addEventListener("focusin", function () {
      if (!p.note) { popups.forEach(function (q) { if (q !== p) suppress(q); }); el.classList.remove("closed"); }
      syncAll();
    });
    region.addEventListener("focusout", function (event) {
      if (region.contains(event.relatedTarget) || el.contains(event.relatedTarget)) return;
      if (p.note && floating(el)) return;
      if (shown(el)) close(p);
    });
    region.addEventListener("mouseleave", function () { window.setTimeout(syncAll, 0); });
  }

  function setupPopups() {
    document.querySelectorAll("a.app-mark").forEach(function (mark) {
      var el = document.getElementById(mark.getAttribute("href").slice(1));
      if (!el) return;
      register(mark, el, mark.closest(".app, .head-app") || mark.parentNode, false);
    });
    document.querySelectorAll("a.noteref").forEach(function (mark) {
      var el = document.getElementById(mark.getAttribute("href").slice(1));
      if (!el || !el.classList.contains("sidenote")) return;
      register(mark, el, mark.closest(".noteref-wrap") || mark, true);
    });
    if (!popups.length) return;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open_ = popups.filter(function (p) { return shown(p.el) && !(p.note && floating(p.el)); });
      if (!open_.length) return;
      var active = document.activeElement;
      open_.forEach(close);
      var back = open_.filter(function (p) { return p.el.contains(active); })[0];
      if (back) back.mark.focus();
    });
    // a click or tap anywhere but on a popup or its mark closes what is open
    document.addEventListener("pointerdown", function (event) {
      popups.forEach(function (p) {
        if (!shown(p.el) || (p.note && floating(p.el))) return;
        if (p.region.contains(event.target) || p.el.contains(event.target)) return;
        close(p);
      });
    });
    syncAll();
    window.addEventListener("hashchange", function () {
      popups.forEach(function (p) { p.el.classList.remove("closed"); });
      syncAll();
    });
    window.addEventListener("load", syncAll); // :target may apply only once the page has loaded
    window.addEventListener("resize", syncAll);
  }

  // ------------------------------------------------------------ the deleted section
  function setupShowIt() {
    document.querySelectorAll("a.app-show").forEach(function (link) {
      var el = document.getElementById(link.getAttribute("href").slice(1));
      if (!el) return;
      var showText = link.textContent;
      link.setAttribute("role", "button");
      link.setAttribute("aria-controls", el.id);
      function sync() {
        var on = shown(el);
        link.setAttribute("aria-expanded", on ? "true" : "false");
        link.textContent = on ? "Hide it" : showText;
      }
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var on = shown(el);
        el.classList.toggle("open", !on);
        el.classList.toggle("closed", on);
        if (!on) reveal(el);
        sync();
      });
      window.addEventListener("hashchange", function () { el.classList.remove("closed"); sync(); });
      sync();
    });
  }

  // ------------------------------------------------------------ search hits
  function terms() {
    var q = new URLSearchParams(window.location.search).get("highlight");
    return q ? q.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 1; }) : [];
  }

  // the text of an element as a reader sees it: page-break marks are not words
  function readText(el) {
    var copy = el.cloneNode(true);
    copy.querySelectorAll(".pb, .cb, .edition-aside, .section-cite, .view-banner, script, style").forEach(function (x) {
      x.replaceWith(" ");
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  var UNITS = ".tei-p[id], .sidenote[id], .note-block[id], .index-entry[id], .app-entry[id], .note-entry[id], main section[id] > p, main p";
  function firstUnit(root, words) {
    var units = root.querySelectorAll(UNITS);
    for (var i = 0; i < units.length; i++) {
      if (units[i].closest(".section-cite, .view-banner, .legend, .witness-switch")) continue;
      var text = readText(units[i]).toLowerCase();
      if (words.every(function (w) { return text.indexOf(w) > -1; })) return units[i];
    }
    for (var j = 0; j < units.length; j++) {
      if (units[j].closest(".section-cite, .view-banner, .legend, .witness-switch")) continue;
      var t = readText(units[j]).toLowerCase();
      if (words.some(function (w) { return t.indexOf(w) > -1; })) return units[j];
    }
    return null;
  }

  function markTerms(root, words) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var hits = [];
    while (walker.nextNode()) {
      var node = walker.currentNode;
      if (node.parentNode.closest(".edition-aside, .pb, .cb, script, style")) continue;
      var lower = node.nodeValue.toLowerCase();
      words.forEach(function (w) {
        var at = lower.indexOf(w);
        if (at > -1) hits.push([node, at, w.length]);
      });
    }
    hits.reverse().forEach(function (h) {
      var range = document.createRange();
      try { range.setStart(h[0], h[1]); range.setEnd(h[0], h[1] + h[2]); } catch (e) { return; }
      var mark = document.createElement("mark");
      mark.className = "search-term";
      try { range.surroundContents(mark); } catch (e) { /* overlapping terms */ }
    });
  }

  function landSearchHit() {
    var words = terms();
    var main = document.querySelector("main");
    if (!words.length || !main || document.body.classList.contains("page-search")) return;
    var landed = window.location.hash && document.getElementById(window.location.hash.slice(1));
    var unit = landed && readText(landed).toLowerCase().indexOf(words[0]) > -1 ? landed : firstUnit(main, words);
    if (!unit) return;
    markTerms(unit, words);
    unit.classList.add("search-hit");
    if (!window.location.hash) {
      var target = unit.id ? unit : unit.closest("[id]");
      if (target && target !== main && target.id) {
        window.history.replaceState(null, "", "#" + target.id);
      }
      unit.scrollIntoView({ block: "center" });
    }
  }

  // On the search page: send each result to the paragraph holding the words,
  // and show that paragraph as the snippet (not a banner, not a page-break mark).
  function setupSearchResults() {
    var list = document.getElementById("search-results");
    if (!list) return;
    var words = (new URLSearchParams(window.location.search).get("q") || "")
      .toLowerCase().split(/\s+/).filter(function (t) { return t.length > 1; });
    if (!words.length) return;
    var pages = {};
    function fetchPage(url) {
      if (!pages[url]) {
        pages[url] = fetch(url).then(function (r) { return r.text(); }).then(function (text) {
          return new DOMParser().parseFromString(text, "text/html");
        });
      }
      return pages[url];
    }
    function fix(item) {
      if (item.dataset.editionFixed) return;
      item.dataset.editionFixed = "1";
      var link = item.querySelector("a");
      if (!link) return;
      var url = new URL(link.href, window.location.href);
      if (url.hash) return;
      fetchPage(url.origin + url.pathname).then(function (doc) {
        var main = doc.querySelector("main, [role=main]");
        var unit = main && firstUnit(main, words);
        if (!unit) return;
        var target = unit.id ? unit : unit.closest("[id]");
        url.searchParams.set("highlight", words.join(" "));
        if (target && target.id && target !== main) url.hash = target.id;
        link.href = url.href;
        var context = item.querySelector(".context");
        if (context) {
          var text = readText(unit);
          context.textContent = text.length > 240 ? text.slice(0, 237) + "…" : text;
        }
      });
    }
    new MutationObserver(function () {
      list.querySelectorAll("li").forEach(fix);
    }).observe(list, { childList: true, subtree: true });
  }

  // ------------------------------------------------------------ copy buttons
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

  // The signs, the view's banner and the Russian original's note are open;
  // where their data-fold media query holds (a phone; the margin-less widths
  // for the note) they are folded to their summary line, so that the memo
  // starts on the first screen, until the reader opens one once.
  function setupFolds() {
    document.querySelectorAll("details[data-fold]").forEach(function (box) {
      var key = "edition-fold-" + (box.classList[0] || "box");
      var kept = null;
      try { kept = window.localStorage.getItem(key); } catch (e) { /* private mode */ }
      if (kept !== "open" && window.matchMedia(box.getAttribute("data-fold")).matches) box.open = false;
      box.addEventListener("toggle", function () {
        try { window.localStorage.setItem(key, box.open ? "open" : "closed"); } catch (e) { /* ignore */ }
      });
    });
  }

  // What changes the first screen runs at once (the folds, the remembered view,
  // a search hit); the rest (popups, "Show it", copy buttons) once the first
  // frame is drawn, so that wiring them does not hold up the first paint.
  // Until then the page works as it does without the script.
  function afterFirstFrame(fn) {
    var done = false;
    function run() { if (!done) { done = true; fn(); } }
    if (window.requestAnimationFrame) window.requestAnimationFrame(function () { window.setTimeout(run, 0); });
    window.setTimeout(run, 250);  // a page drawn in the background has no frames
  }
  function init() {
    setupFolds(); setupViews(); landSearchHit();
    afterFirstFrame(function () { setupPopups(); setupShowIt(); setupCopy(); setupSearchResults(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
