/* ui-references.js: a preview of what a reference points to.
 *
 *   previews  hovering or focusing a reference (a.xref) shows its target, an
 *            equation, a figure or a theorem-like block, in a tooltip beside
 *            the link, without leaving the page
 *
 * The build writes each previewed target once per page, in
 * <template class="xref-preview" data-xref="LABEL">, so a page opened from
 * disk needs no request. A reference without a template stays a plain link.
 * The tooltip goes below the link, or above it (placement.js), never over
 * it; it stays while the pointer moves into it, and goes on mouse leave
 * (after a moment), blur, a click, or Escape. While it shows, the link is
 * described by it (aria-describedby), so a screen reader reads it on focus.
 */
var GradsiteReferences = (function () {
  "use strict";

  var POPUP_ID = "gradsite-xref-preview";
  var SHOW_DELAY_MS = 120;  // a pointer passing over a link shows nothing
  var HIDE_DELAY_MS = 250;  // time to move the pointer from the link into the tooltip
  var GAP_PX = 6;
  var EDGE_PX = 8;
  var SMALLEST_FORMULA = 0.5;  // a wide formula is shrunk to fit, down to half its size

  /* The templates by label; the first wins if the build ever wrote two. */
  function templatesByLabel() {
    var found = Object.create(null);
    var templates = document.querySelectorAll("template.xref-preview[data-xref]");
    for (var i = 0; i < templates.length; i++) {
      var label = templates[i].getAttribute("data-xref");
      if (!(label in found)) found[label] = templates[i];
    }
    return found;
  }

  /* A copy of a template's content fit for the tooltip: no ids (the target
     keeps its own) but an explorer's clip path and arrowhead, which the build
     named for the preview, and no Tab stops (a tooltip holds nothing to
     operate; its links still work with the pointer). */
  function previewContent(template) {
    var content = document.importNode(template.content, true);
    var named = content.querySelectorAll("[id]:not(clipPath):not(marker)");
    for (var i = 0; i < named.length; i++) named[i].removeAttribute("id");
    var links = content.querySelectorAll("a[href], [tabindex]");
    for (var j = 0; j < links.length; j++) links[j].setAttribute("tabindex", "-1");
    return content;
  }

  function overflows(box) {
    return box.scrollWidth > box.clientWidth + 1;
  }

  /* A formula wider than the tooltip is shown smaller rather than scrolled:
     nothing in a tooltip can take focus to scroll it. Not all of a formula
     scales with the font (rules, fixed spaces), so the scale is found again
     from what it gave. One that is too wide even at the smallest size is cut
     off with a fade, as an inline formula that scrolls is. */
  function shrinkWideFormulas(popup) {
    var boxes = popup.querySelectorAll(".math-display");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var scale = 1;
      box.style.fontSize = "";
      for (var tries = 0; tries < 4 && overflows(box) && scale > SMALLEST_FORMULA; tries++) {
        scale = Math.max(SMALLEST_FORMULA, scale * (box.clientWidth - 1) / box.scrollWidth);
        box.style.fontSize = scale.toFixed(3) + "em";
      }
      box.classList.toggle("is-cut", overflows(box));
    }
  }

  /* What the tooltip may cover: the viewport, less a sticky header. */
  function usableArea() {
    var root = document.documentElement;
    var header = document.querySelector(".site-header");
    var top = 0;
    if (header && window.getComputedStyle(header).position === "sticky") {
      top = Math.max(0, header.getBoundingClientRect().bottom);
    }
    return { top: top + EDGE_PX, bottom: root.clientHeight - EDGE_PX,
             left: EDGE_PX, right: root.clientWidth - EDGE_PX };
  }

  function addToken(list, token) {
    var tokens = (list || "").split(/\s+/).filter(Boolean);
    if (tokens.indexOf(token) < 0) tokens.push(token);
    return tokens.join(" ");
  }

  function dropToken(list, token) {
    return (list || "").split(/\s+/).filter(function (t) { return t && t !== token; }).join(" ");
  }

  function previews() {
    var templates = templatesByLabel();
    var all = document.querySelectorAll("a.xref[data-xref]");
    var links = [];
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-xref") in templates) links.push(all[i]);
    }
    if (!links.length) return;

    var popup = document.createElement("div");
    popup.id = POPUP_ID;
    popup.className = "xref-popover prose";
    popup.setAttribute("role", "tooltip");
    popup.hidden = true;
    document.body.appendChild(popup);

    var shownFor = null;   // the link whose preview shows
    var filledWith = null; // the label whose content the tooltip holds
    var pointerIn = false; // over the link shown for, or over the tooltip
    var showTimer = 0;
    var hideTimer = 0;

    function place() {
      if (!shownFor) return;
      popup.style.top = "0px";
      popup.style.left = "0px"; // measured where nothing narrows it
      shrinkWideFormulas(popup);
      var at = GradsitePlacement.besideAnchor(
        shownFor.getBoundingClientRect(),
        { width: popup.offsetWidth, height: popup.offsetHeight },
        usableArea(), GAP_PX);
      popup.style.top = (at.top + window.scrollY) + "px";
      popup.style.left = (at.left + window.scrollX) + "px";
      popup.setAttribute("data-side", at.side);
    }

    function fill(label) {
      if (filledWith === label) return;
      popup.textContent = "";
      popup.appendChild(previewContent(templates[label]));
      filledWith = label;
      // An image takes its height when it loads: place the tooltip again then.
      var images = popup.querySelectorAll("img");
      for (var i = 0; i < images.length; i++) {
        if (!images[i].complete) images[i].addEventListener("load", place);
      }
    }

    function show(link) {
      window.clearTimeout(showTimer);
      window.clearTimeout(hideTimer);
      if (shownFor && shownFor !== link) hide();
      fill(link.getAttribute("data-xref"));
      shownFor = link;
      popup.hidden = false;
      place();
      link.setAttribute("aria-describedby", addToken(link.getAttribute("aria-describedby"),
                                                     POPUP_ID));
    }

    function hide() {
      window.clearTimeout(showTimer);
      window.clearTimeout(hideTimer);
      if (!shownFor) return;
      var described = dropToken(shownFor.getAttribute("aria-describedby"), POPUP_ID);
      if (described) shownFor.setAttribute("aria-describedby", described);
      else shownFor.removeAttribute("aria-describedby");
      popup.hidden = true;
      shownFor = null;
      pointerIn = false;
    }

    /* After the pointer left: hide, unless it came back, or the link keeps
       the keyboard focus (blur hides it then). */
    function hideSoon() {
      window.clearTimeout(showTimer);
      window.clearTimeout(hideTimer);
      hideTimer = window.setTimeout(function () {
        if (!pointerIn && shownFor && document.activeElement !== shownFor) hide();
      }, HIDE_DELAY_MS);
    }

    links.forEach(function (link) {
      link.addEventListener("mouseenter", function () {
        pointerIn = true;
        window.clearTimeout(hideTimer);
        if (shownFor === link) return;
        window.clearTimeout(showTimer);
        showTimer = window.setTimeout(function () { show(link); pointerIn = true; },
                                      SHOW_DELAY_MS);
      });
      link.addEventListener("mouseleave", function () {
        pointerIn = false;
        hideSoon();
      });
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("blur", function () {
        if (shownFor === link && !pointerIn) hide();
      });
      // Followed: the target itself is on its way.
      link.addEventListener("click", hide);
    });

    popup.addEventListener("mouseenter", function () {
      pointerIn = true;
      window.clearTimeout(hideTimer);
    });
    popup.addEventListener("mouseleave", function () {
      pointerIn = false;
      hideSoon();
    });

    // Escape hides the preview and does nothing else: in the capture phase,
    // before the menus' own Escape (ui-reading.js) could move the focus.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !shownFor) return;
      hide();
      event.stopPropagation();
    }, true);

    window.addEventListener("resize", place);
  }

  return { previews: previews };
})();
