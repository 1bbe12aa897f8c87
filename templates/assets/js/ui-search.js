/* ui-search.js: the search field in the page's header.
 *
 * The field is in every page, `hidden` (without the script there is no search);
 * `setup` shows it. Nothing is downloaded for search until the reader uses it:
 * on the first focus of the field (a click, Tab or the `/` key) the engine
 * (assets/search.js) and the index (assets/search-index.js) are loaded with
 * <script> elements, never fetched, so search works from disk (file://) and from
 * a sub-path. Once loaded, the engine is `window.GradsiteSearch`:
 * query(text, limit) gives results best first ({url, anchor, position, chapter,
 * heading, text, terms}), termOf(word) a word's search term.
 *
 * The field is an ARIA 1.2 combobox: it keeps the focus, the arrow keys move
 * the active option of its listbox (aria-activedescendant), Enter opens it,
 * Escape closes the results, keeping the query, and then clears the field. A
 * polite live region
 * says how many results there are once typing pauses. On narrow screens the
 * open search is a full-width panel over the page (gradsite.css).
 */
var GradsiteSearchBox = (function () {
  "use strict";

  var RESULT_LIMIT = 20;
  // The count is announced once typing pauses, not at every keystroke.
  var ANNOUNCE_MS = 600;
  var OPTION_ID = "site-search-option-";
  var LOADING = GradsiteWords.text("search.loading", "Loading search\u2026");
  var FAILED = GradsiteWords.text("search.failed", "Search could not be loaded. Reload the page to try again.");

  var loading = null;

  /* Inserts the engine's and the index's scripts once; resolves with the
     engine. They execute in order (async = false): the index hands its data to
     the engine. A failure removes them, so the next use tries again. */
  function loadSearch(assets) {
    if (loading) return loading;
    var inserted = [];
    var loads = ["search.js", "search-index.js"].map(function (name) {
      return new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.async = false;
        script.src = assets + name;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("could not load " + script.src)); };
        inserted.push(script);
        document.head.appendChild(script);
      });
    });
    loading = Promise.all(loads).then(function () {
      var engine = window.GradsiteSearch;
      if (!engine || typeof engine.query !== "function" || typeof engine.termOf !== "function") {
        throw new Error("the search engine did not start");
      }
      return engine;
    }).catch(function (problem) {
      inserted.forEach(function (s) { if (s.parentNode) s.parentNode.removeChild(s); });
      loading = null;
      throw problem;
    });
    return loading;
  }

  function isTypingTarget(element) {
    if (!element || !element.tagName) return false;
    var tag = element.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || element.isContentEditable;
  }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    if (text) element.textContent = text;
    return element;
  }

  function optionElement(result, index, terms, termOf) {
    var option = document.createElement("li");
    option.id = OPTION_ID + index;
    option.className = "search-result";
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    var where = span("search-result-chapter", "");
    where.appendChild(span("search-result-position", result.position));
    where.appendChild(document.createTextNode(" " + result.chapter));
    option.appendChild(where);
    if (result.heading) option.appendChild(span("search-result-heading", result.heading));
    var pieces = GradsiteSnippets.snippet(result.text || "", terms, termOf);
    if (pieces.length) {
      var snippet = span("search-result-snippet", "");
      pieces.forEach(function (piece) {
        if (piece.marked) {
          var mark = document.createElement("mark");
          mark.textContent = piece.text;
          snippet.appendChild(mark);
        } else {
          snippet.appendChild(document.createTextNode(piece.text));
        }
      });
      option.appendChild(snippet);
    }
    return option;
  }

  function setup() {
    var box = document.querySelector(".site-search");
    if (!box) return;
    var input = box.querySelector(".search-input");
    var popup = box.querySelector(".search-popup");
    var message = box.querySelector(".search-message");
    var list = box.querySelector(".search-results");
    var count = box.querySelector(".search-count");
    var closeButton = box.querySelector(".search-close");
    var assets = box.getAttribute("data-search-assets") || "";
    var root = box.getAttribute("data-search-root") || "";

    var engine = null;
    var status = "idle";  // idle, loading, failed, ready
    var isOpen = false;
    var results = [];
    var active = -1;
    var announceTimer = 0;
    var staysClosed = false;

    box.hidden = false;

    function query() { return input.value.trim(); }

    function announce(text) {
      window.clearTimeout(announceTimer);
      announceTimer = window.setTimeout(function () { count.textContent = text; }, ANNOUNCE_MS);
    }

    function setActive(index) {
      active = index;
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render() {
      var text = query();
      var note = "";
      if (status === "loading") note = LOADING;
      else if (status === "failed") note = FAILED;
      else if (status === "ready" && text && !results.length) note = GradsiteSnippets.countMessage(0, text);
      message.textContent = note;
      message.hidden = !note;

      list.textContent = "";
      if (status === "ready" && text) {
        results.forEach(function (result, index) {
          list.appendChild(optionElement(result, index, result.terms || [], engine.termOf));
        });
      }
      var shown = isOpen && (!!note || list.children.length > 0);
      list.hidden = !list.children.length;
      popup.hidden = !shown;
      input.setAttribute("aria-expanded", shown && list.children.length ? "true" : "false");
      setActive(-1);
    }

    function update() {
      var text = query();
      results = engine && text ? (engine.query(text, RESULT_LIMIT) || []) : [];
      render();
      if (engine) announce(text ? GradsiteSnippets.countMessage(results.length, text) : "");
    }

    function start() {
      if (engine || status === "loading") return;
      status = "loading";
      render();
      loadSearch(assets).then(function (loaded) {
        engine = loaded;
        status = "ready";
        update();
      }, function () {
        status = "failed";
        render();
        announce(FAILED);
      });
    }

    function open() {
      if (staysClosed) return;
      if (!isOpen) {
        isOpen = true;
        box.classList.add("is-open");
      }
      start();
      render();
    }

    function close() {
      if (!isOpen) return;
      isOpen = false;
      box.classList.remove("is-open");
      render();
    }

    /* Closes and leaves the focus on the field, without opening it again. */
    function closeKeepingFocus() {
      close();
      staysClosed = true;
      input.focus();
      staysClosed = false;
    }

    function go(index) {
      var result = results[index];
      if (!result) return;
      var href = GradsiteSnippets.resultHref(root, result.url, result.anchor);
      close();
      window.location.href = href;
    }

    // Focus alone opens nothing but a query typed before: on a narrow screen the open
    // search covers the page, and a reader tabbing past would see the page vanish.
    // The index starts loading, so results come at once when typing starts.
    input.addEventListener("focus", function () {
      if (input.value) open();
      else start();
    });
    // A field closed with Escape or Close keeps the focus: a click opens it again.
    input.addEventListener("click", open);
    input.addEventListener("input", function () {
      open();
      update();
    });
    input.addEventListener("keydown", function (event) {
      var options = list.children.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!isOpen) open();
        if (!options) return;
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active < 0 ? (step > 0 ? 0 : options - 1) : (active + step + options) % options;
        setActive(next);
      } else if (event.key === "Enter") {
        if (isOpen && options) {
          event.preventDefault();
          go(active >= 0 ? active : 0);
        }
      } else if (event.key === "Escape") {
        // As ARIA's combobox pattern has it: the first Escape closes the results and
        // keeps what was typed (the arrow keys open them again), the second clears it.
        event.preventDefault();
        if (isOpen) {
          close();
        } else if (input.value) {
          input.value = "";
          update();
        }
      }
    });
    box.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !box.contains(event.relatedTarget)) close();
    });
    // A click on a result must not take the focus from the field first.
    popup.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) go(Array.prototype.indexOf.call(list.children, option));
    });
    closeButton.addEventListener("click", function () {
      input.value = "";
      update();
      closeKeepingFocus();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.defaultPrevented || isTypingTarget(event.target)) return;
      event.preventDefault();
      input.focus();
    });
  }

  return { setup: setup, loadSearch: loadSearch };
})();
