/* gradsite.js: small enhancements on top of pages that work without it.
 *
 * Loaded with `defer`, so the document is parsed when this runs. One IIFE;
 * each feature is a named function called from `init`, and does nothing on a
 * page that lacks its elements. To add a feature: write a function, call it
 * from `init`.
 *
 * Features:
 *   addCopyButtons      a "Copy" button on every div.codeblock (the code
 *                       without its line numbers)
 *   focusableScrollers  wide tables, formulas and code that scroll sideways
 *                       become keyboard-focusable (arrow keys scroll them)
 *   barPanels           narrow screens: "Menu" and "On this page" close each
 *                       other, close on Escape, and a TOC link closes its panel
 *   tocScrollSpy        marks the "On this page" entry of the section being read
 */
(function () {
  "use strict";

  var COPIED_MS = 2000;

  /* --- Status messages ---------------------------------------------------- */

  /* One polite live region per page carries short status messages. */
  var liveRegion = null;

  function announce(message) {
    if (!liveRegion) {
      liveRegion = document.createElement("div");
      liveRegion.className = "visually-hidden";
      liveRegion.setAttribute("role", "status");
      liveRegion.setAttribute("aria-live", "polite");
      document.body.appendChild(liveRegion);
    }
    // Clear first so the same message twice is announced twice.
    liveRegion.textContent = "";
    window.setTimeout(function () { liveRegion.textContent = message; }, 50);
  }

  /* --- Copy buttons ---------------------------------------------------------- */

  /* The text of a code block as the author wrote it: line numbers dropped. */
  function codeText(block) {
    var code = block.querySelector("pre code") || block.querySelector("pre");
    if (!code) return "";
    var copy = code.cloneNode(true);
    var numbers = copy.querySelectorAll(".linenos");
    for (var i = 0; i < numbers.length; i++) {
      numbers[i].parentNode.removeChild(numbers[i]);
    }
    return copy.textContent.replace(/\n$/, "");
  }

  /* Clipboard API where allowed; a hidden textarea otherwise (older
     browsers, pages served over plain http). Returns a promise either way. */
  function writeClipboard(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return legacyCopy(text);
      });
    }
    return legacyCopy(text);
  }

  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.top = "-1000px";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function addCopyButton(block) {
    var button = document.createElement("button");
    var label = document.createElement("span");
    var timer = 0;
    button.type = "button";
    button.className = "copy-button";
    button.setAttribute("aria-label", "Copy code");
    label.textContent = "Copy";
    button.appendChild(label);

    function showCopied() {
      button.classList.add("is-copied");
      label.textContent = "Copied";
      announce("Code copied to clipboard");
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        button.classList.remove("is-copied");
        label.textContent = "Copy";
      }, COPIED_MS);
    }

    button.addEventListener("click", function () {
      writeClipboard(codeText(block)).then(showCopied, function () {
        announce("Copying failed: select the code and copy it by hand");
      });
    });
    block.appendChild(button);
  }

  function addCopyButtons() {
    var blocks = document.querySelectorAll("div.codeblock");
    for (var i = 0; i < blocks.length; i++) addCopyButton(blocks[i]);
  }

  /* --- Scrollable boxes ------------------------------------------------------ */

  function focusableScrollers() {
    var boxes = document.querySelectorAll(
      ".table-wrap, .math-display, .codeblock pre, pre.cell-output"
    );
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    }
  }

  /* --- Narrow-screen panels -------------------------------------------------- */

  /* A panel is a collapsible only while its <summary> is shown; on wide
     screens CSS hides the summary and keeps the content in place. */
  function isCollapsible(details) {
    var summary = details.querySelector("summary");
    return summary !== null && summary.offsetParent !== null;
  }

  function barPanels() {
    var panels = document.querySelectorAll("details.site-menu, details.toc-menu");
    if (!panels.length) return;

    function closeAll(except) {
      for (var i = 0; i < panels.length; i++) {
        if (panels[i] !== except && panels[i].open) panels[i].open = false;
      }
    }

    for (var i = 0; i < panels.length; i++) {
      panels[i].addEventListener("toggle", function (event) {
        if (event.target.open) closeAll(event.target);
      });
    }

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      for (var i = 0; i < panels.length; i++) {
        if (panels[i].open && isCollapsible(panels[i])) {
          panels[i].open = false;
          panels[i].querySelector("summary").focus();
        }
      }
    });

    var toc = document.querySelector("details.toc-menu");
    if (toc) {
      toc.addEventListener("click", function (event) {
        if (event.target.closest("a") && isCollapsible(toc)) toc.open = false;
      });
    }
  }

  /* --- "On this page" scroll-spy --------------------------------------------- */

  function tocScrollSpy() {
    var links = document.querySelectorAll(".toc-list a[href^='#']");
    if (!links.length) return;
    var entries = [];
    for (var i = 0; i < links.length; i++) {
      var target = document.getElementById(links[i].getAttribute("href").slice(1));
      if (target) entries.push({ link: links[i], heading: target });
    }
    if (!entries.length) return;

    var current = null;
    var pending = false;

    function update() {
      pending = false;
      var line = 120; // px from the top of the viewport, below the header
      var active = null;
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].heading.getBoundingClientRect().top <= line) active = entries[i];
        else break;
      }
      if (active === current) return;
      if (current) current.link.removeAttribute("aria-current");
      if (active) active.link.setAttribute("aria-current", "location");
      current = active;
    }

    window.addEventListener("scroll", function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(update);
      }
    }, { passive: true });
    update();
  }

  /* --- Start ----------------------------------------------------------------- */

  function init() {
    addCopyButtons();
    focusableScrollers();
    barPanels();
    tocScrollSpy();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
