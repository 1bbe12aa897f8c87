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
 *   setupQuestions      grades quiz questions in the browser, keeps answers and
 *                       completion in localStorage, restores them on reload;
 *                       "Mark chapter as done" and "Everything was clear?".
 *                       Where storage is blocked or full, says so once
 *   homeProgress        the course home's "N of M chapters completed", reset,
 *                       export and import of progress
 *   markCompletedChapters  completed chapters in the menu and on the home page
 *   followOtherTabs     progress changed in another tab (the `storage` event)
 *                       shows here too: menu, home page, chapter status, answers
 *
 * The DOM these rely on and the storage format are a contract with the
 * templates and the tests: docs/questions-contract.md.
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
    label.textContent = "Copy";
    what.className = "visually-hidden";
    what.textContent = " code";
    button.appendChild(label);
    button.appendChild(what);

    function showCopied() {
      button.classList.add("is-copied");
      label.textContent = "Copied";
      what.hidden = true;
      announce("Code copied to clipboard");
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        button.classList.remove("is-copied");
        label.textContent = "Copy";
        what.hidden = false;
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

  /* Boxes that may scroll sideways. An inline formula is one too: gradsite.css
     lets a long one scroll within itself rather than widen the page. A function
     card's body is named by the build (role="group", "Function f(x, y)"). */
  var SCROLLERS = ".table-wrap, .math-display, .codeblock pre, pre.cell-output, " +
                  ".function-card-body, math:not([display='block'])";

  /* Of those, the ones that fade out at the end they hide while they scroll,
     so a formula cut off between two symbols never reads as the whole one. */
  var FADED = "math:not([display='block']), .function-card-body";

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

  /* In a long course the current chapter sits below the sidebar's fold (QA
     item 8); on narrow screens, below the fold of the opened Menu panel. */
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
     would otherwise animate through the whole chapter (QA item 13). */
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

  /* --- Progress in localStorage --------------------------------------------- */

  /* One key per course; the value is versioned JSON (docs/questions-contract.md):
     {"version": 1, "chapters": {KEY: {"done", "questions": {ID: {"answer",
     "correct"}}, "clear"}}}. Storage that throws (disabled, private mode, full)
     or holds something else never breaks a page: progress then starts empty and
     lives in memory for the visit. The reader is told so once (noteUnsaved),
     and no message claims "saved" for a write that failed. */
  var PROGRESS_VERSION = 1;
  var memoryProgress = null; // used once writing to localStorage has failed
  var UNSAVED = "Your progress can\u2019t be saved in this browser (storage is blocked " +
                "or full); it lasts until you leave this page.";
  var unsavedNoted = false;

  function courseKey() {
    return document.documentElement.getAttribute("data-course") || "course";
  }

  function progressKey() {
    return "gradsite:progress:" + courseKey();
  }

  function emptyProgress() {
    return { version: PROGRESS_VERSION, chapters: {} };
  }

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* One chapter's entry with every field present and of the right type. */
  function cleanChapter(entry) {
    var clean = { done: false, questions: {}, clear: null };
    if (!isPlainObject(entry)) return clean;
    clean.done = entry.done === true;
    if (entry.clear === "yes" || entry.clear === "no") clean.clear = entry.clear;
    if (isPlainObject(entry.questions)) {
      Object.keys(entry.questions).forEach(function (id) {
        var saved = entry.questions[id];
        if (isPlainObject(saved) &&
            (typeof saved.answer === "string" || Array.isArray(saved.answer))) {
          clean.questions[id] = { answer: saved.answer, correct: saved.correct === true };
        }
      });
    }
    return clean;
  }

  /* A parsed value if it is progress of this version (cleaned), else null. */
  function cleanProgress(data) {
    if (!isPlainObject(data) || data.version !== PROGRESS_VERSION ||
        !isPlainObject(data.chapters)) {
      return null;
    }
    var progress = emptyProgress();
    Object.keys(data.chapters).forEach(function (key) {
      progress.chapters[key] = cleanChapter(data.chapters[key]);
    });
    return progress;
  }

  function readProgress() {
    if (memoryProgress) return memoryProgress;
    try {
      var raw = window.localStorage.getItem(progressKey());
      if (raw) return cleanProgress(JSON.parse(raw)) || emptyProgress();
    } catch (e) {
      /* unavailable or not JSON: start empty */
    }
    return emptyProgress();
  }

  /* True when the progress is in localStorage; false when it could only be
     kept in memory (for the rest of this page's life). */
  function writeProgress(progress) {
    if (!memoryProgress) {
      try {
        window.localStorage.setItem(progressKey(), JSON.stringify(progress));
        return true;
      } catch (e) {
        /* fall through: keep it for this visit */
      }
    }
    memoryProgress = progress;
    return false;
  }

  /* False when localStorage cannot even be read (blocked: it throws). */
  function storageReadable() {
    try {
      window.localStorage.getItem(progressKey());
      return true;
    } catch (e) {
      return false;
    }
  }

  /* False once progress lives in memory only: nothing more reaches localStorage. */
  function progressIsSaved() {
    return memoryProgress === null;
  }

  /* True when the stored progress is gone; false when only this page forgot it. */
  function clearProgress() {
    memoryProgress = null;
    try {
      window.localStorage.removeItem(progressKey());
      return true;
    } catch (e) {
      memoryProgress = emptyProgress();
      return false;
    }
  }

  /* Once per page, after a write failed: a visible, polite note placed after
     `anchor`, next to what the reader just did. It is filled a moment after
     it is added, so screen readers announce it. */
  function noteUnsaved(anchor) {
    if (unsavedNoted || !anchor || !anchor.parentNode) return;
    unsavedNoted = true;
    var note = element("p", "storage-note");
    note.setAttribute("role", "status");
    anchor.parentNode.insertBefore(note, anchor.nextSibling);
    window.setTimeout(function () { note.textContent = UNSAVED; }, 50);
  }

  function chapterProgress(key) {
    return cleanChapter(readProgress().chapters[key]);
  }

  /* Read, change one chapter, write back: another tab's changes in between
     survive. When the write fails, the note goes after `anchor`. */
  function updateChapter(key, change, anchor) {
    var progress = readProgress();
    var entry = cleanChapter(progress.chapters[key]);
    change(entry);
    progress.chapters[key] = entry;
    if (!writeProgress(progress)) noteUnsaved(anchor);
    return entry;
  }

  /* Completed chapters in the menu and on the home page: a class for the
     look, and words for screen readers (never colour alone). */
  function markCompletedChapters() {
    var progress = readProgress();
    var rows = document.querySelectorAll(
      "li.menu-chapter[data-chapter-key], .home-chapter[data-chapter-key]"
    );
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var entry = progress.chapters[row.getAttribute("data-chapter-key")];
      var done = !!(entry && entry.done);
      var note = row.querySelector(".done-note");
      row.classList.toggle("is-done", done);
      if (done && !note) {
        note = document.createElement("span");
        note.className = "done-note visually-hidden";
        note.textContent = " (completed)";
        (row.querySelector("a") || row).appendChild(note);
      } else if (!done && note) {
        note.parentNode.removeChild(note);
      }
    }
  }

  /* --- Questions ----------------------------------------------------------- */

  var NOT_A_NUMBER = "Please enter a number, such as 0.5 or 1/2";
  var CHOOSE_FIRST = "Choose an answer first";
  var NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
  /* 1,000 or 12,345,678: thousands grouped with commas, or (one comma) a decimal
     comma? Both are common, so neither is guessed. A whole part of 0 (0,125)
     is never grouped: that is a decimal comma. */
  var GROUPED = /^[+-]?[1-9]\d{0,2}(?:,\d{3})+$/;

  function groupedHint(part) {
    return "Write " + part.replace(/,/g, "") + " without a thousands separator " +
           "(or 1.5 / 1,5 for decimals)";
  }

  /* A number as readers type it: 2, -0.5, 1e-3, .5, 0,5 or 1/2:
     {value, hint}. value is NaN for anything else; hint then says what to
     write instead when there is more to say than NOT_A_NUMBER. */
  function readNumber(text) {
    var parts = text.trim().replace(/\u2212/g, "-").split("/");
    if (parts.length > 2) return { value: NaN, hint: "" };
    var hint = "";
    var values = parts.map(function (part) {
      part = part.trim();
      if (GROUPED.test(part)) {
        hint = hint || groupedHint(part);
        return NaN;
      }
      if ((part.match(/,/g) || []).length === 1 && part.indexOf(".") < 0) {
        part = part.replace(",", ".");
      }
      return NUMBER.test(part) ? Number(part) : NaN;
    });
    var value = values.length === 2 ? values[0] / values[1] : values[0];
    return isFinite(value) ? { value: value, hint: "" } : { value: NaN, hint: hint };
  }

  function chapterKey() {
    var article = document.querySelector("article.chapter[data-chapter-key]");
    return article ? article.getAttribute("data-chapter-key") : null;
  }

  function questionForms() {
    return document.querySelectorAll("form.question[data-question]");
  }

  function choiceInputs(form) {
    return form.querySelectorAll(".choices input");
  }

  /* What the reader entered: the text typed, or the chosen choices' indexes. */
  function currentAnswer(form) {
    if (form.getAttribute("data-kind") === "numeric") {
      var box = form.querySelector(".numeric-input");
      return box ? box.value : "";
    }
    var chosen = [];
    var inputs = choiceInputs(form);
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked) chosen.push(Number(inputs[i].value));
    }
    return chosen.sort(function (a, b) { return a - b; });
  }

  function restoreAnswer(form, answer) {
    if (form.getAttribute("data-kind") === "numeric") {
      var box = form.querySelector(".numeric-input");
      if (box && typeof answer === "string") box.value = answer;
      return;
    }
    if (!Array.isArray(answer)) return;
    var inputs = choiceInputs(form);
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].checked = answer.indexOf(Number(inputs[i].value)) >= 0;
    }
  }

  /* The verdict on an answer: {result, message, feedback}. result is
     "correct", "incorrect", or "invalid" (not an attempt: nothing chosen, or
     not a number); feedback lists the elements whose content to show. */
  function judge(form, answer) {
    if (form.getAttribute("data-kind") === "numeric") {
      var box = form.querySelector(".numeric-input");
      var number = readNumber(answer);
      var value = number.value;
      if (isNaN(value)) {
        return { result: "invalid", message: number.hint || NOT_A_NUMBER, feedback: [] };
      }
      var target = Number(box.getAttribute("data-answer"));
      var tolerance = Number(box.getAttribute("data-tolerance"));
      // A hair of slack so that a tolerance of 0.001 accepts 0.801 for 0.8.
      var slack = 1e-12 * Math.max(1, Math.abs(target));
      var right = Math.abs(value - target) <= tolerance + slack;
      return { result: right ? "correct" : "incorrect",
               message: right ? "Correct" : "Incorrect", feedback: [] };
    }
    if (!answer.length) return { result: "invalid", message: CHOOSE_FIRST, feedback: [] };
    var inputs = choiceInputs(form);
    var exact = true;
    var feedback = [];
    for (var i = 0; i < inputs.length; i++) {
      var chosen = answer.indexOf(Number(inputs[i].value)) >= 0;
      if (chosen !== (inputs[i].getAttribute("data-correct") === "true")) exact = false;
      var note = chosen && document.getElementById(inputs[i].id + "-feedback");
      if (note) feedback.push(note);
    }
    var verdict = { result: exact ? "correct" : "incorrect",
                    message: exact ? "Correct" : "Incorrect", feedback: feedback };
    if (!exact && !feedback.length && form.getAttribute("data-kind") === "multiple") {
      verdict.hint = "Select every correct choice, and only those.";
    }
    return verdict;
  }

  /* A verdict waiting to be written (see showVerdict), by region; clearVerdict
     cancels it. */
  var pendingVerdicts = new WeakMap();

  /* Fill the live region. The same text twice in a row is emptied first and
     refilled a moment later, so screen readers announce it again. */
  function showVerdict(form, verdict) {
    var region = form.querySelector(".verdict");
    if (!region) return;
    var parts = [verdict.message];
    var box = document.createElement("div");
    var head = document.createElement("p");
    head.className = "verdict-text";
    head.textContent = verdict.message;
    box.appendChild(head);
    // A space between the parts keeps the words apart in the region's text.
    verdict.feedback.forEach(function (note) {
      box.appendChild(document.createTextNode(" "));
      var copy = document.createElement("div");
      copy.className = "verdict-feedback";
      for (var child = note.firstChild; child; child = child.nextSibling) {
        copy.appendChild(child.cloneNode(true));
      }
      box.appendChild(copy);
      parts.push(note.textContent);
    });
    if (verdict.hint) {
      box.appendChild(document.createTextNode(" "));
      var hint = document.createElement("p");
      hint.className = "verdict-feedback";
      hint.textContent = verdict.hint;
      box.appendChild(hint);
      parts.push(verdict.hint);
    }
    var text = parts.join(" ");
    var fill = function () {
      region.textContent = "";
      while (box.firstChild) region.appendChild(box.firstChild);
      region.setAttribute("data-text", text);
    };
    region.className = "verdict is-" + verdict.result;
    window.clearTimeout(pendingVerdicts.get(region));
    pendingVerdicts.delete(region);
    if (region.getAttribute("data-text") === text && region.firstChild) {
      region.textContent = "";
      pendingVerdicts.set(region, window.setTimeout(fill, 60));
    } else {
      fill();
    }
  }

  /* The reader changed the answer: the verdict on the old one no longer
     applies, so it goes, with its look. What is stored stays until the next
     Check; the explanation, once earned, stays too. */
  function clearVerdict(form) {
    var region = form.querySelector(".verdict");
    if (region) {
      window.clearTimeout(pendingVerdicts.get(region));
      pendingVerdicts.delete(region);
      if (region.firstChild) region.textContent = "";
      region.className = "verdict";
      region.removeAttribute("data-text");
    }
    form.classList.remove("is-correct", "is-incorrect");
    var box = form.querySelector(".numeric-input");
    if (box) box.removeAttribute("aria-invalid");
  }

  function setShown(element, shown) {
    if (element) element.hidden = !shown;
  }

  /* Show a graded answer: verdict, state classes, explanation, reveal button. */
  function presentVerdict(form, verdict) {
    var reveal = form.querySelector(".reveal-button");
    var box = form.querySelector(".numeric-input");
    showVerdict(form, verdict);
    form.classList.toggle("is-correct", verdict.result === "correct");
    form.classList.toggle("is-incorrect", verdict.result === "incorrect");
    if (box) {
      if (verdict.result === "invalid") box.setAttribute("aria-invalid", "true");
      else box.removeAttribute("aria-invalid");
    }
    if (verdict.result === "correct") {
      setShown(form.querySelector(".explanation"), true);
      if (reveal && document.activeElement === reveal) form.querySelector(".check-button").focus();
      setShown(reveal, false);
    } else if (verdict.result === "incorrect" && !form.classList.contains("is-revealed")) {
      setShown(reveal, true);
    }
  }

  /* "Show answer": the correct choices are marked, the answer and the
     explanation shown. The answer is announced: .revealed-answer is a polite
     live region, added empty and filled a moment later (a region that arrives
     with its text is not read). Focus moves to the Check button as the reveal
     button goes. */
  function revealAnswer(form) {
    form.classList.add("is-revealed");
    var inputs = choiceInputs(form);
    for (var i = 0; i < inputs.length; i++) {
      var choice = inputs[i].closest(".choice");
      if (inputs[i].getAttribute("data-correct") === "true" && choice &&
          !choice.querySelector(".answer-tag")) {
        var tag = document.createElement("span");
        tag.className = "answer-tag";
        tag.textContent = "Correct answer";
        choice.classList.add("is-answer");
        choice.appendChild(tag);
      }
    }
    var key = form.querySelector("details.answer-key");
    if (key && !form.querySelector(".revealed-answer")) {
      var shown = document.createElement("div");
      var answer = document.createDocumentFragment();
      shown.className = "revealed-answer";
      shown.setAttribute("role", "status");
      for (var child = key.firstElementChild; child; child = child.nextElementSibling) {
        if (child.tagName !== "SUMMARY" && !child.classList.contains("answer-key-explanation")) {
          answer.appendChild(child.cloneNode(true));
        }
      }
      var explanation = form.querySelector(".explanation");
      form.insertBefore(shown, explanation || key);
      window.setTimeout(function () { shown.appendChild(answer); }, 50);
    }
    setShown(form.querySelector(".explanation"), true);
    form.querySelector(".check-button").focus();
    setShown(form.querySelector(".reveal-button"), false);
  }

  function setupQuestion(form, key, saved, onAnswered) {
    var check = form.querySelector(".check-button");
    var reveal = form.querySelector(".reveal-button");
    var answerKey = form.querySelector("details.answer-key");
    if (!check) return;
    check.hidden = false;
    if (answerKey) answerKey.classList.add("js-hide");
    var verdictRegion = form.querySelector(".verdict");
    var box = form.querySelector(".numeric-input");
    if (verdictRegion && box) {
      verdictRegion.id = form.id + "-verdict";
      box.setAttribute("aria-describedby", verdictRegion.id);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answer = currentAnswer(form);
      var verdict = judge(form, answer);
      presentVerdict(form, verdict);
      if (verdict.result === "invalid") return;
      updateChapter(key, function (entry) {
        entry.questions[form.getAttribute("data-question")] = {
          answer: answer, correct: verdict.result === "correct"
        };
      }, form.querySelector(".verdict"));
      onAnswered();
    });
    if (reveal) {
      reveal.addEventListener("click", function () { revealAnswer(form); });
    }
    // Typing, or choosing another choice. Restoring a saved answer below sets
    // the inputs from the script, which fires neither event.
    var edited = function (event) {
      if (event.target.matches(".numeric-input, .choices input")) clearVerdict(form);
    };
    form.addEventListener("input", edited);
    form.addEventListener("change", edited);
    if (saved) {
      restoreAnswer(form, saved.answer);
      var verdict = judge(form, currentAnswer(form));
      if (verdict.result !== "invalid") presentVerdict(form, verdict);
    }
  }

  /* Another tab changed what is stored: show the stored answer and its
     verdict, or, when it is gone (a reset), the question as a fresh page shows
     it. A question already showing what is stored is left alone, so its
     verdict is not announced again. */
  function refreshQuestion(form, saved) {
    var graded = form.classList.contains("is-correct") || form.classList.contains("is-incorrect");
    if (saved) {
      if (graded && JSON.stringify(saved.answer) === JSON.stringify(currentAnswer(form))) return;
      restoreAnswer(form, saved.answer);
      var verdict = judge(form, currentAnswer(form));
      if (verdict.result !== "invalid") presentVerdict(form, verdict);
    } else if (graded) {
      clearVerdict(form);
      restoreAnswer(form, form.getAttribute("data-kind") === "numeric" ? "" : []);
      if (!form.classList.contains("is-revealed")) setShown(form.querySelector(".reveal-button"), false);
    }
  }

  /* A chapter is completed once all its questions were answered correctly
     (it stays completed if a later retry is wrong), or when marked done. */
  function updateChapterStatus(key, forms) {
    var entry = chapterProgress(key);
    var status = document.querySelector(".chapter-end .chapter-status");
    if (forms.length && !entry.done) {
      var all = true;
      for (var i = 0; i < forms.length; i++) {
        var saved = entry.questions[forms[i].getAttribute("data-question")];
        if (!saved || !saved.correct) all = false;
      }
      if (all) entry = updateChapter(key, function (e) { e.done = true; }, status);
    }
    var text = entry.done ? "Chapter completed" : "";
    if (status && status.textContent !== text) status.textContent = text;
    var end = document.querySelector(".chapter-end");
    if (end) end.classList.toggle("is-done", entry.done);
    markCompletedChapters();
    return entry;
  }

  /* Sets up a chapter page's questions and end block; returns what shows the
     stored progress again when another tab changed it (null elsewhere). */
  function setupQuestions() {
    var key = chapterKey();
    if (!key) return null;
    var forms = questionForms();
    var saved = chapterProgress(key).questions;
    var changed = function () { updateChapterStatus(key, forms); };
    for (var i = 0; i < forms.length; i++) {
      setupQuestion(forms[i], key, saved[forms[i].getAttribute("data-question")], changed);
    }
    var showEnd = setupChapterEnd(key, forms);
    updateChapterStatus(key, forms);
    return function () {
      var stored = chapterProgress(key).questions;
      for (var i = 0; i < forms.length; i++) {
        refreshQuestion(forms[i], stored[forms[i].getAttribute("data-question")]);
      }
      showEnd(updateChapterStatus(key, forms));
    };
  }

  /* --- End of a chapter: "Mark chapter as done", "Everything was clear?" ---- */

  /* Returns what shows a chapter entry's `done` and `clear` on the buttons again. */
  function setupChapterEnd(key, forms) {
    var markDone = document.querySelector(".chapter-end .mark-done");
    var clarity = document.querySelector(".chapter-end .clarity");
    var press = function () {};

    function show(entry) {
      if (markDone && !markDone.hidden) markDone.setAttribute("aria-pressed", String(entry.done));
      press(entry.clear);
    }

    if (markDone && !forms.length) {
      var status = document.querySelector(".chapter-end .chapter-status") || markDone;
      markDone.hidden = false;
      markDone.setAttribute("aria-pressed", String(chapterProgress(key).done));
      markDone.addEventListener("click", function () {
        var entry = updateChapter(key, function (e) { e.done = !e.done; }, status);
        markDone.setAttribute("aria-pressed", String(entry.done));
        updateChapterStatus(key, forms);
      });
    }

    if (!clarity) return show;
    var buttons = { yes: clarity.querySelector(".clarity-yes"),
                    no: clarity.querySelector(".clarity-no") };
    var thanks = clarity.querySelector(".clarity-thanks");
    var hasLink = !!clarity.querySelector(".clarity-link");
    if (!buttons.yes || !buttons.no) return show;
    clarity.hidden = false;

    press = function (answer) {
      buttons.yes.setAttribute("aria-pressed", String(answer === "yes"));
      buttons.no.setAttribute("aria-pressed", String(answer === "no"));
    };

    ["yes", "no"].forEach(function (answer) {
      var button = buttons[answer];
      button.hidden = false;
      button.addEventListener("click", function () {
        updateChapter(key, function (e) { e.clear = answer; }, thanks || clarity);
        press(answer);
        if (thanks) {
          // "saved" only when it was; otherwise the note after this line says why not.
          var saved = progressIsSaved() ? " Your answer is saved in this browser." : "";
          thanks.textContent = answer === "yes"
            ? "Thanks!" + saved
            : "Thanks." + saved +
              (hasLink ? " Tell the author what was unclear with the link above." : "");
        }
      });
    });
    press(chapterProgress(key).clear);
    return show;
  }

  /* --- Course home: progress, reset, export, import ------------------------ */

  function homeChapterKeys() {
    var rows = document.querySelectorAll(".home-chapter[data-chapter-key]");
    var keys = [];
    for (var i = 0; i < rows.length; i++) keys.push(rows[i].getAttribute("data-chapter-key"));
    return keys;
  }

  function renderHomeProgress(box) {
    var progress = readProgress();
    var keys = homeChapterKeys();
    var done = keys.filter(function (k) {
      var entry = progress.chapters[k];
      return entry && entry.done;
    }).length;
    var percent = keys.length ? Math.round((100 * done) / keys.length) : 0;
    box.querySelector(".progress-summary").textContent =
      done + " of " + keys.length + " chapters completed (" + percent + "%)";
    var bar = box.querySelector("progress");
    bar.max = Math.max(keys.length, 1);
    bar.value = done;
    markCompletedChapters();
  }

  /* Imported progress joins what this browser has: a question answered
     correctly here is never replaced by a wrong answer from the file. */
  function mergeProgress(local, imported) {
    Object.keys(imported.chapters).forEach(function (key) {
      var mine = cleanChapter(local.chapters[key]);
      var theirs = imported.chapters[key];
      mine.done = mine.done || theirs.done;
      mine.clear = theirs.clear || mine.clear;
      Object.keys(theirs.questions).forEach(function (id) {
        if (!(mine.questions[id] && mine.questions[id].correct)) {
          mine.questions[id] = theirs.questions[id];
        }
      });
      local.chapters[key] = mine;
    });
    return local;
  }

  function exportProgress() {
    var data = readProgress();
    var file = new Blob([JSON.stringify({ version: data.version, course: courseKey(),
                                          chapters: data.chapters }, null, 2) + "\n"],
                        { type: "application/json" });
    var url = URL.createObjectURL(file);
    var link = document.createElement("a");
    link.href = url;
    link.download = courseKey() + "-progress.json";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    return link.download;
  }

  /* Reads a progress file and merges it in; `done(message, unsaved)` gets the
     status line, and whether the merged progress could only be kept in memory. */
  function importProgress(file, done) {
    var reader = new FileReader();
    reader.onerror = function () { done("Could not read " + file.name + "."); };
    reader.onload = function () {
      var data = null;
      try {
        data = JSON.parse(String(reader.result));
      } catch (e) {
        data = null;
      }
      var imported = cleanProgress(data);
      if (!imported) {
        done(file.name + " is not a progress file of this site (or of an older version): " +
             "nothing was changed.");
        return;
      }
      if (typeof data.course === "string" && data.course !== courseKey()) {
        done(file.name + " holds the progress of another course: nothing was changed.");
        return;
      }
      // Only chapters this course has (the home page lists them all): others,
      // from a renamed chapter or a hand-made file, would be stored unseen.
      var known = homeChapterKeys();
      var ignored = 0;
      Object.keys(imported.chapters).forEach(function (key) {
        if (known.indexOf(key) < 0) {
          delete imported.chapters[key];
          ignored += 1;
        }
      });
      var count = Object.keys(imported.chapters).length;
      var others = ignored + (ignored === 1 ? " chapter" : " chapters") +
                   " not in this course " + (ignored === 1 ? "was" : "were") + " ignored";
      if (!count && ignored) {
        done(file.name + " holds no chapter of this course (" + others + "): " +
             "nothing was changed.");
        return;
      }
      var saved = writeProgress(mergeProgress(readProgress(), imported));
      var chapters = " (" + count + (count === 1 ? " chapter" : " chapters") +
                     (ignored ? "; " + others : "") + ")";
      if (saved) {
        done("Progress imported from " + file.name + chapters + ".", false);
      } else {
        done("Progress from " + file.name + chapters + " is shown on this page " +
             "but was not saved.", true);
      }
    };
    reader.readAsText(file);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* Fills the home page's progress box; returns what shows the stored
     progress again (null on other pages). */
  function homeProgress() {
    var box = document.querySelector("[data-progress-home]");
    if (!box) return null;
    var summary = element("p", "progress-summary");
    summary.id = "progress-summary";
    var bar = element("progress", "progress-bar");
    bar.setAttribute("aria-labelledby", summary.id);
    var actions = element("div", "progress-actions");
    var reset = element("button", "reset-progress", "Reset progress");
    reset.type = "button";
    var exporter = element("button", "export-progress", "Export progress");
    exporter.type = "button";
    var importer = element("input", "import-progress visually-hidden");
    importer.type = "file";
    importer.id = "import-progress";
    importer.accept = "application/json";
    var importLabel = element("label", "import-label", "Import progress");
    importLabel.htmlFor = importer.id;
    var status = element("p", "progress-status");
    status.setAttribute("role", "status");
    actions.appendChild(reset);
    actions.appendChild(exporter);
    actions.appendChild(importer);
    actions.appendChild(importLabel);
    box.textContent = "";
    box.appendChild(summary);
    box.appendChild(bar);
    box.appendChild(actions);
    box.appendChild(status);

    reset.addEventListener("click", function () {
      if (!window.confirm("Reset your progress in this course? Your answers and " +
                          "completed chapters in this browser will be forgotten.")) {
        return;
      }
      var cleared = clearProgress();
      renderHomeProgress(box);
      status.textContent = cleared ? "Progress reset." : "Progress reset on this page only.";
      if (!cleared) noteUnsaved(status);
    });
    exporter.addEventListener("click", function () {
      status.textContent = "Progress saved as " + exportProgress() + ".";
    });
    importer.addEventListener("change", function () {
      var file = importer.files && importer.files[0];
      if (!file) return;
      importProgress(file, function (message, unsaved) {
        importer.value = "";
        renderHomeProgress(box);
        status.textContent = message;
        if (unsaved) noteUnsaved(status);
      });
    });

    renderHomeProgress(box);
    box.hidden = false;
    // A chapter page says so when an answer cannot be kept; here, where the
    // progress is the point, blocked storage is said at once (QA item 16).
    // Storage that is only full is found out by the first write, as elsewhere.
    if (!storageReadable()) noteUnsaved(status);
    return function () { renderHomeProgress(box); };
  }

  /* --- Start ----------------------------------------------------------------- */

  /* Progress changed in another tab or window of this browser (a `storage`
     event; a key of null is localStorage.clear()): every part of this page
     that shows progress shows the stored value again, so two tabs never
     contradict each other. */
  function followOtherTabs(refreshers) {
    window.addEventListener("storage", function (event) {
      if (event.key !== null && event.key !== progressKey()) return;
      for (var i = 0; i < refreshers.length; i++) {
        if (refreshers[i]) refreshers[i]();
      }
    });
  }

  function init() {
    addCopyButtons();
    focusableScrollers();
    barPanels();
    menuShowsCurrent();
    smoothInPageLinks();
    tocScrollSpy();
    var chapter = setupQuestions();
    var home = homeProgress();
    markCompletedChapters();
    followOtherTabs([chapter, home, markCompletedChapters]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
