/* ui-reading.js: aids to reading every page, on top of pages that work without
 * them. Each feature is a function that does nothing on a page lacking its
 * elements; main.js calls them.
 *
 *   addCopyButtons      a "Copy" button on every div.codeblock (the code
 *                       without its line numbers)
 *   chapterCopy         "Copy this chapter for an AI assistant": the chapter's
 *                       Markdown, from the page's template, to the clipboard
 *   notebookDownload    "Download notebook" saves the notebook from disk too
 *   focusableScrollers  wide tables, formulas and code that scroll sideways
 *                       become keyboard-focusable (arrow keys scroll them); an
 *                       inline formula that scrolls fades at its hidden end
 *   barPanels           narrow screens: "Menu" and "On this page" close each
 *                       other, close on Escape, and a TOC link closes its panel
 *   menuShowsCurrent    scrolls the course menu (not the page) so the current
 *                       chapter is in view, in the sidebar and in the panel
 *   smoothInPageLinks   a click on an in-page link scrolls smoothly (unless the
 *                       reader asked for reduced motion); opening a page at an
 *                       address with #fragment never animates
 *   tocScrollSpy        marks the "On this page" entry of the section being read
 */
var GradsiteReading = (function () {
  "use strict";

  var W = GradsiteWords;

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

  /* The button's name is its text, so what is seen is what is said (WCAG
     2.5.3, axe label-content-name-mismatch): "Copy" plus a hidden " code",
     then "Copied" for a moment; the live region says what happened. */
  function addCopyButton(block) {
    var button = document.createElement("button");
    var label = document.createElement("span");
    var what = document.createElement("span");
    var timer = 0;
    button.type = "button";
    button.className = "copy-button";
    label.textContent = W.text("code.copy", "Copy");
    what.className = "visually-hidden";
    what.textContent = " " + W.text("code.copy_what", "code");
    button.appendChild(label);
    button.appendChild(what);

    function showCopied() {
      button.classList.add("is-copied");
      label.textContent = W.text("code.copied", "Copied");
      what.hidden = true;
      announce(W.text("code.copied_note", "Code copied to clipboard"));
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        button.classList.remove("is-copied");
        label.textContent = W.text("code.copy", "Copy");
        what.hidden = false;
      }, COPIED_MS);
    }

    button.addEventListener("click", function () {
      writeClipboard(codeText(block)).then(showCopied, function () {
        announce(W.text("code.copy_failed", "Copying failed: select the code and copy it by hand"));
      });
    });
    block.appendChild(button);
  }

  function addCopyButtons() {
    var blocks = document.querySelectorAll("div.codeblock");
    for (var i = 0; i < blocks.length; i++) addCopyButton(blocks[i]);
  }

  /* --- The chapter for an AI assistant ---------------------------------------- */

  /* The page holds its chapter as Markdown in a <template> (a page opened from
     disk may not fetch a file): the button copies it and says so in its status.
     Without the script, the link to the Markdown file shows instead. */
  function chapterCopy() {
    var box = document.querySelector(".chapter-copy");
    var source = document.querySelector("template.chapter-copy-text");
    if (!box || !source) return;
    var button = box.querySelector(".chapter-copy-button");
    var link = box.querySelector(".chapter-copy-link");
    var status = box.querySelector(".chapter-copy-status");
    if (!button || !link || !status) return;
    var timer = 0;

    function say(message) {
      // Emptied first, so that a second copy is announced again.
      status.textContent = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { status.textContent = message; }, 50);
    }

    button.addEventListener("click", function () {
      writeClipboard(source.content.textContent).then(function () {
        say(W.text("chapter.copy_ai_done", "Copied: paste it into your AI assistant\u2019s chat."));
      }, function () {
        link.hidden = false;  // the file, to copy from by hand
        say(W.text("chapter.copy_ai_failed", "Copying failed: open the Markdown and copy it by hand."));
      });
    });
    link.hidden = true;
    button.hidden = false;
  }

  /* --- The chapter's notebook, saved from disk ------------------------------- */

  /* Over http the link's download attribute saves the notebook. A page opened
     from disk may neither read the file nor have the browser save it (Chromium
     shows it as text): there the link loads the notebook as a script, which
     hands its text to gradsiteNotebook, and the page saves that as a file. */
  function notebookDownload() {
    var link = document.querySelector("a.notebook-download[data-script]");
    if (!link || window.location.protocol !== "file:") return;
    var name = decodeURIComponent(link.getAttribute("href").split("/").pop());
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var script = document.createElement("script");
      window.gradsiteNotebook = function (text) {
        var url = URL.createObjectURL(new Blob([text], {type: "application/x-ipynb+json"}));
        var save = document.createElement("a");
        save.href = url;
        save.download = name;
        save.hidden = true;
        document.body.appendChild(save);
        save.click();
        save.remove();
        window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      };
      script.onload = script.onerror = function (loaded) {
        script.remove();
        if (loaded.type === "error") window.location.href = link.href;  // as without script
      };
      script.src = link.getAttribute("data-script");
      document.head.appendChild(script);
    });
  }

  /* --- Scrollable boxes ------------------------------------------------------ */

  /* Boxes that may scroll sideways. An inline formula is one too: gradsite.css
     lets a long one scroll within itself rather than widen the page. A function
     card's body is named by the build (role="group", "Function f(x, y)"). */
  var SCROLLERS = ".table-wrap, .math-display, .codeblock pre, pre.cell-output, " +
                  ".function-card-body, math:not([display='block'])";

  /* Of those, the ones that fade out at the end they hide while they scroll,
     so a formula cut off between two symbols never reads as the whole one. */
  var FADED = "math:not([display='block']), .function-card-body, .math-display";

  /* An inline formula that scrolls fades out at the end it hides, so one cut
     off between two symbols never reads as the whole formula. */
  function markScrolledEnds(formula) {
    var max = formula.scrollWidth - formula.clientWidth;
    formula.classList.toggle("is-scrolled", formula.scrollLeft > 1);
    formula.classList.toggle("is-scrolled-end", formula.scrollLeft >= max - 1);
  }

  function focusableScrollers() {
    var boxes = document.querySelectorAll(SCROLLERS);
    if (!boxes.length) return;
    var ours = []; // boxes whose tabindex this script set
    var pending = false;

    function onFormulaScroll(event) { markScrolledEnds(event.target); }

    function update() {
      pending = false;
      for (var i = 0; i < boxes.length; i++) {
        var box = boxes[i];
        var scrolls = box.scrollWidth > box.clientWidth + 1 &&
                      window.getComputedStyle(box).overflowX !== "visible";
        var mine = ours.indexOf(box);
        if (scrolls && !box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          ours.push(box);
        } else if (!scrolls && mine >= 0) {
          box.removeAttribute("tabindex");
          ours.splice(mine, 1);
        }
        if (box.matches(FADED)) {
          var was = box.classList.contains("is-scrollable");
          box.classList.toggle("is-scrollable", scrolls);
          if (scrolls && !was) box.addEventListener("scroll", onFormulaScroll, { passive: true });
          if (!scrolls && was) box.removeEventListener("scroll", onFormulaScroll);
          if (scrolls) markScrolledEnds(box);
        }
      }
    }

    function schedule() {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(update);
      }
    }

    // A turned phone or a resized window changes which boxes overflow; so does
    // the math font, which may arrive after this runs (font-display: swap), and
    // a formula in an explanation that was hidden until now.
    window.addEventListener("resize", schedule);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(schedule);
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(schedule);
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].matches(FADED)) observer.observe(boxes[i]);
      }
    }
    update();
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

  /* --- The course menu shows the current chapter ------------------------------ */

  /* True when `box` scrolls up and down (a scroll box with more than it shows). */
  function scrollsVertically(box) {
    var overflow = window.getComputedStyle(box).overflowY;
    return (overflow === "auto" || overflow === "scroll") &&
           box.scrollHeight > box.clientHeight + 1;
  }

  /* Scroll `box` itself, never the page (scrollIntoView would move both), so
     that `item` is in view: centred when it has to move at all. */
  function revealWithin(box, item) {
    if (!box || !scrollsVertically(box)) return;
    var outer = box.getBoundingClientRect();
    var inner = item.getBoundingClientRect();
    if (inner.top >= outer.top && inner.bottom <= outer.bottom) return;
    box.scrollTop += inner.top - outer.top - (box.clientHeight - inner.height) / 2;
  }

  /* In a long course the current chapter sits below the sidebar's fold; on
     narrow screens, below the fold of the opened Menu panel. */
  function menuShowsCurrent() {
    var current = document.querySelector(".site-nav a[aria-current='page']");
    if (!current) return;
    var nav = current.closest(".site-nav");
    var body = current.closest(".site-menu-body");
    var menu = current.closest("details.site-menu");
    revealWithin(nav, current);
    if (menu) {
      menu.addEventListener("toggle", function () {
        if (!menu.open) return;
        revealWithin(body, current);
        revealWithin(nav, current);
      });
    }
  }

  /* --- Smooth scrolling for in-page links only -------------------------------- */

  /* gradsite.css scrolls smoothly only while the root has .is-smooth-scrolling
     (and only under prefers-reduced-motion: no-preference). Set just before a
     click on an in-page link is followed, and dropped when that scroll ends, it
     never applies to the scroll to an address's #fragment as a page opens, which
     would otherwise animate through the whole chapter. */
  function smoothInPageLinks() {
    var root = document.documentElement;
    var timer = 0;

    function stop() {
      window.clearTimeout(timer);
      root.classList.remove("is-smooth-scrolling");
    }

    document.addEventListener("click", function (event) {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey ||
          event.ctrlKey || event.shiftKey || event.altKey) return;
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!link || link.getAttribute("href").length < 2) return;
      root.classList.add("is-smooth-scrolling");
      window.clearTimeout(timer);
      timer = window.setTimeout(stop, 1500); // no scrollend when nothing scrolled
    });
    window.addEventListener("scrollend", stop);
  }

  /* --- "On this page" scroll-spy --------------------------------------------- */

  /* The entry of the section being read: the last heading above the reading
     line, a little below where an anchored heading lands (the root's
     scroll-padding-top, gradsite.css). Near the end of a page the last
     headings can never scroll up to that line: there the heading a link or the
     address went to wins while it is in view, so the entry clicked is the one
     marked. */
  function tocScrollSpy() {
    var links = document.querySelectorAll(".toc-list a[href^='#']");
    if (!links.length) return;
    var entries = [];
    for (var i = 0; i < links.length; i++) {
      var target = document.getElementById(links[i].getAttribute("href").slice(1));
      if (target) entries.push({ link: links[i], heading: target, index: entries.length });
    }
    if (!entries.length) return;

    var root = document.documentElement;
    var current = null;
    var visited = null; // the entry whose heading the address names
    var pending = false;

    function entryOf(hash) {
      var id = "";
      try { id = decodeURIComponent(hash.slice(1)); } catch (e) { id = hash.slice(1); }
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].heading.id === id) return entries[i];
      }
      return null;
    }

    function readingLine() {
      var padding = parseFloat(window.getComputedStyle(root).scrollPaddingTop) || 0;
      return padding + 48;
    }

    function update() {
      pending = false;
      var line = readingLine();
      var active = null;
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].heading.getBoundingClientRect().top <= line) active = entries[i];
        else break;
      }
      if (visited && (!active || visited.index > active.index) &&
          window.scrollY + window.innerHeight >= root.scrollHeight - 2) {
        var top = visited.heading.getBoundingClientRect().top;
        if (top >= 0 && top < window.innerHeight) active = visited;
      }
      if (active === current) return;
      if (current) current.link.removeAttribute("aria-current");
      if (active) active.link.setAttribute("aria-current", "location");
      current = active;
    }

    function schedule() {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(update);
      }
    }

    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("hashchange", function () {
      visited = entryOf(window.location.hash);
      schedule();
    });
    visited = entryOf(window.location.hash);
    update();
  }

  return {
    addCopyButtons: addCopyButtons,
    chapterCopy: chapterCopy,
    notebookDownload: notebookDownload,
    focusableScrollers: focusableScrollers,
    barPanels: barPanels,
    menuShowsCurrent: menuShowsCurrent,
    smoothInPageLinks: smoothInPageLinks,
    tocScrollSpy: tocScrollSpy
  };
})();
