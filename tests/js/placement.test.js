// Where a reference's preview goes (templates/assets/js/placement.js): below
// or above its link, inside the viewport, never over the link.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const placement = require("../../templates/assets/js/placement.js");

const AREA = { top: 56, bottom: 800, left: 8, right: 367 };  // a phone under a header
const GAP = 6;

function box(top, left, width, height) {
  return { top: top, left: left, bottom: top + height, right: left + width };
}

function overlaps(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

test("below the anchor when there is room, starting where it starts", () => {
  const anchor = box(200, 40, 60, 20);
  assert.deepEqual(placement.besideAnchor(anchor, { width: 200, height: 120 }, AREA, GAP),
                   { top: 226, left: 40, side: "below" });
});

test("above the anchor when only there is room", () => {
  const anchor = box(700, 40, 60, 20);
  assert.deepEqual(placement.besideAnchor(anchor, { width: 200, height: 150 }, AREA, GAP),
                   { top: 544, left: 40, side: "above" });
});

test("on the side with more room when neither has enough", () => {
  const tall = { width: 200, height: 900 };
  assert.equal(placement.besideAnchor(box(300, 40, 60, 20), tall, AREA, GAP).side, "below");
  const nearBottom = placement.besideAnchor(box(600, 40, 60, 20), tall, AREA, GAP);
  assert.deepEqual(nearBottom, { top: 600 - GAP - 900, left: 40, side: "above" });
});

test("room above is counted from under the header, not from the top of the viewport", () => {
  const anchor = box(160, 40, 60, 20);
  const size = { width: 200, height: 140 };
  const screen = { top: 0, bottom: 320, left: 8, right: 367 };
  // 154 px above the anchor, 134 below: above fits on the bare screen...
  assert.equal(placement.besideAnchor(anchor, size, screen, GAP).side, "above");
  // ...but a 56 px header leaves 98 there: below has more room.
  const underHeader = { top: 56, bottom: 320, left: 8, right: 367 };
  assert.equal(placement.besideAnchor(anchor, size, underHeader, GAP).side, "below");
});

test("moved left to stay in the area, never past its left edge", () => {
  const size = { width: 300, height: 100 };
  assert.equal(placement.besideAnchor(box(200, 300, 50, 20), size, AREA, GAP).left, 67);
  assert.equal(placement.besideAnchor(box(200, 2, 50, 20), size, AREA, GAP).left, 8);
  const tooWide = { width: 500, height: 100 };
  assert.equal(placement.besideAnchor(box(200, 300, 50, 20), tooWide, AREA, GAP).left, 8);
});

test("the popup never covers its anchor, wherever the anchor is", () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < 5000; i++) {
    const anchor = box(-100 + random() * 1000, random() * 400, 5 + random() * 200,
                       10 + random() * 60);
    const size = { width: 20 + random() * 600, height: 20 + random() * 900 };
    const at = placement.besideAnchor(anchor, size, AREA, GAP);
    const popup = box(at.top, at.left, size.width, size.height);
    assert.ok(!overlaps(popup, anchor), JSON.stringify({ anchor, size, at }));
    const distance = at.side === "below" ? popup.top - anchor.bottom : anchor.top - popup.bottom;
    assert.ok(Math.abs(distance - GAP) < 1e-9);
  }
});
