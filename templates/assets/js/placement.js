/* placement.js: where a popup goes beside the element it belongs to.
 *
 * Pure: no DOM, no `window`; boxes are plain {top, bottom, left, right}
 * numbers in the viewport's coordinates, so the arithmetic is tested under
 * Node (tests/js/placement.test.js). ui-references.js measures the page and
 * places a reference's preview with it.
 */
var GradsitePlacement = (function () {
  "use strict";

  /* The top-left corner of a popup of `size` ({width, height}) next to
     `anchor`, inside `area` (the part of the viewport it may use), `gap` away
     from the anchor: {top, left, side}. The popup goes below the anchor, or
     above it when only there is room enough; when neither side has room, on
     the side with more. Either way it never covers the anchor: the reader
     still sees what they pointed at. Across, it starts where the anchor
     starts, moved left as far as needed to stay in the area, but never past
     its left edge (a popup wider than the area overflows on the right). */
  function besideAnchor(anchor, size, area, gap) {
    var roomBelow = area.bottom - anchor.bottom - gap;
    var roomAbove = anchor.top - area.top - gap;
    var below = size.height <= roomBelow ||
                (size.height > roomAbove && roomBelow >= roomAbove);
    var top = below ? anchor.bottom + gap : anchor.top - gap - size.height;
    var left = Math.max(area.left, Math.min(anchor.left, area.right - size.width));
    return { top: top, left: left, side: below ? "below" : "above" };
  }

  return { besideAnchor: besideAnchor };
})();

if (typeof module === "object" && module.exports) module.exports = GradsitePlacement;
