/* explore.js: interactive explorers, figure.explore[data-explore].
 *
 * The build writes each explorer as a working static figure: an image of the
 * axes and contour lines (or the graph), an SVG layer over it on the same
 * coordinates holding the initial path, point, tangent or arrows, and a panel
 * whose sliders are disabled and whose readouts show the initial values. This
 * script only brings it to life: it enables the sliders, makes the point a
 * focusable slider, and from then on redraws the layer's children and rewrites
 * the readouts. Nothing around the layer is added or hidden, and nothing
 * changes size, so the page does not move.
 *
 * The function and its gradient come from the chapter's generated functions
 * script (globalThis.GradsiteFunctions, loaded before this one). Without them
 * the static figure stays as it is.
 *
 * The descent path is computed as the build computes the initial one, with the
 * same floating-point operations in the same order, so both draw the same path.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var ANNOUNCE_MS = 500;  // the live region speaks once the reader pauses
  var LARGE_STEP = 10;    // Shift+arrow moves this many steps
  var NO_VALUE = "\u2014";  // a readout that is not a finite number
  var KINDS = { descent: 2, tangent: 1, gradient: 2 };  // kind: number of variables
  // words.js, joined before this file, has the words in the course's language.
  var W = GradsiteWords;
  var POINT_NAMES = {
    descent: W.text("explore.start_point", "Start point"),
    tangent: W.text("explore.graph_point", "Point on the graph"),
    gradient: W.text("explore.point", "Point")
  };

  /* --- Numbers as the build writes them ------------------------------------- */

  /* toFixed, without the sign of a value that rounds to zero ("-0.000" is 0). */
  function fixed(value, decimals) {
    var text = value.toFixed(decimals);
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
  }

  /* A readout: `decimals` places; huge magnitudes in exponent form; the language's
     decimal mark. */
  function number(value, decimals) {
    if (!isFinite(value)) return NO_VALUE;
    return W.decimal(Math.abs(value) >= 1e6 ? value.toExponential(3) : fixed(value, decimals));
  }

  /* Three significant digits: how close to the minimum descent came stays visible
     (0.00123, 1.23e-7, not 0.00). */
  function significant(value) {
    if (!isFinite(value)) return NO_VALUE;
    if (value === 0) return "0";
    var size = Math.abs(value);
    if (size >= 1e6 || size < 1e-4) return W.decimal(value.toExponential(2));
    return W.decimal(fixed(value, Math.max(0, 2 - Math.floor(Math.log10(size)))));
  }

  /* A coordinate of the layer: to a hundredth of a pixel, no trailing zeros. */
  function coordinate(value) {
    return String(Number(value.toFixed(2)));
  }

  /* A sum of steps without the float's noise: x + n * step gives
     -1.5999999999999996 where -1.6 is meant. */
  function withoutNoise(value) {
    return Number(value.toPrecision(12));
  }

  function pair(a, b, decimals) {
    return "(" + number(a, decimals[0]) + W.separator() + number(b, decimals[1]) + ")";
  }

  /* A setting moved on its slider: three significant digits, no trailing zeros. */
  function short(value) {
    return String(Number(value.toPrecision(3)));
  }

  /* A learning rate or a momentum as the reader sets it, on a grid: two significant
     digits on a logarithmic slider (0.19, not 0.1862), hundredths of a linear one's
     scale (0.30, not 0.297). Every value a text names can then be set exactly, by
     drag or by key. */
  function onGrid(value, log, range) {
    if (log) return value === 0 ? 0 : Number(value.toPrecision(2));
    var unit = gridUnit(range);
    return clamp(withoutNoise(Math.round(value / unit) * unit), range);
  }

  function gridUnit(range) {
    return Math.pow(10, Math.floor(Math.log10(range[1] - range[0])) - 1);
  }

  /* The setting `steps` grid points above `value` (below, when negative). On a
     logarithmic slider a setting is digits x 10^exponent, with two digits: 0.19 steps
     up to 0.20 and 0.99 to 1.0; 0.10 steps down to 0.099. */
  function stepOnGrid(value, steps, log, range) {
    var next = onGrid(value, log, range);
    var up = steps > 0;
    for (var i = 0; i < Math.abs(steps); i++) {
      if (!log) {
        next += up ? gridUnit(range) : -gridUnit(range);
        continue;
      }
      var exponent = Math.floor(Math.log10(next)) - 1;
      var digits = Math.round(next / Math.pow(10, exponent)) + (up ? 1 : -1);
      if (digits < 10) {
        digits = 99;
        exponent -= 1;
      }
      next = onGrid(digits * Math.pow(10, exponent), true, range);
    }
    return clamp(onGrid(next, log, range), range);
  }

  function clamp(value, range) {
    return Math.min(Math.max(value, range[0]), range[1]);
  }

  function finite(values) {
    for (var i = 0; i < values.length; i++) if (!isFinite(values[i])) return false;
    return true;
  }

  /* --- Gradient descent ------------------------------------------------------ */

  /* The iterates from `start`, stopping at the first one that is not finite or
     leaves the domain (bounds included). Same operations, same order as the
     build's Python. */
  function descentPath(grad, start, rate, steps, momentum, domain) {
    var x = [start[0], start[1]];
    var v = [0, 0];
    var m = momentum === null ? 0 : momentum;
    var path = [x];
    for (var k = 0; k < steps; k++) {
      var g = grad(x[0], x[1]);
      v = [m * v[0] - rate * g[0], m * v[1] - rate * g[1]];
      x = [x[0] + v[0], x[1] + v[1]];
      if (!finite(x) || x[0] < domain[0][0] || x[0] > domain[0][1] ||
          x[1] < domain[1][0] || x[1] > domain[1][1]) {
        return { path: path, diverged: true };
      }
      path.push(x);
    }
    return { path: path, diverged: false };
  }

  /* --- One explorer ------------------------------------------------------------ */

  /* The layer's part of class `name`: the build's element, or, where the build
     drew none (a value that was not finite), a new one, under the point. */
  function part(layer, name, tag, attributes) {
    var element = layer.querySelector("." + name);
    if (element) return element;
    element = document.createElementNS(SVG, tag);
    element.setAttribute("class", name);
    for (var key in attributes) {
      if (attributes[key]) element.setAttribute(key, attributes[key]);
    }
    layer.insertBefore(element, layer.querySelector(".explore-point"));
    return element;
  }

  function setup(figure) {
    var config;
    try {
      config = JSON.parse(figure.getAttribute("data-explore"));
    } catch (e) {
      return;
    }
    var registry = globalThis.GradsiteFunctions;
    var fn = config && registry ? registry[config.function] : undefined;
    var img = figure.querySelector(".explore-view img");
    var layer = figure.querySelector(".explore-layer");
    if (!fn || !img || !layer || !Object.prototype.hasOwnProperty.call(KINDS, config.kind) ||
        fn.vars.length !== KINDS[config.kind]) return;

    var kind = config.kind;
    var box = config.box, X = config.x, Y = config.y, size = config.size;
    var domain = config.domain, decimals = config.decimals;
    var state = {
      point: config.start.slice(),
      rate: config.rate,
      steps: config.steps,
      momentum: config.momentum === undefined ? null : config.momentum,
      direction: config.direction
    };
    var clip = layer.querySelector("clipPath"), head = layer.querySelector("marker");
    var clipped = { "clip-path": clip ? "url(#" + clip.id + ")" : "" };
    var arrow = { "clip-path": clipped["clip-path"],
                  "marker-end": head ? "url(#" + head.id + ")" : "" };
    var handle = part(layer, "explore-point", "circle", { r: "7" });
    /* A finger's width around the point, over the layer, where a finger takes
       the point: elsewhere a finger scrolls the page (gradsite.css). An HTML
       element, as browsers take touch-action from boxes, not SVG shapes. */
    var grip = document.createElement("span");
    grip.className = "explore-grip";
    grip.setAttribute("aria-hidden", "true");
    layer.parentNode.insertBefore(grip, layer.nextSibling);
    var parts = kind === "descent"
      ? { path: part(layer, "explore-path", "polyline", clipped),
          end: part(layer, "explore-end", "circle", { r: "4" }) }
      : kind === "tangent"
        ? { tangent: part(layer, "explore-tangent", "line", clipped) }
        : { gradient: part(layer, "explore-gradient-arrow", "line", arrow),
            direction: part(layer, "explore-direction-arrow", "line", arrow) };
    var readouts = {};
    var shown = figure.querySelectorAll("[data-readout]");
    for (var i = 0; i < shown.length; i++) {
      readouts[shown[i].getAttribute("data-readout")] = shown[i];
    }
    var announcer = figure.querySelector("[data-explore-announce]");
    var announceTimer = 0;

    /* Data to viewBox units, exactly the build's mapping, and back. */
    function px(x) { return box[0] + (x - X[0]) / (X[1] - X[0]) * box[2]; }
    function py(y) { return box[1] + (Y[1] - y) / (Y[1] - Y[0]) * box[3]; }
    function dataX(u) { return X[0] + (u - box[0]) / box[2] * (X[1] - X[0]); }
    function dataY(u) { return Y[1] - (u - box[1]) / box[3] * (Y[1] - Y[0]); }

    function place(element, attributes) {
      for (var name in attributes) element.setAttribute(name, coordinate(attributes[name]));
    }

    /* A line from data point a to data point b; hidden when it is not a line. */
    function line(element, a, b) {
      var ok = finite([a[0], a[1], b[0], b[1]]) && (a[0] !== b[0] || a[1] !== b[1]);
      if (!ok) {
        element.setAttribute("visibility", "hidden");
        return;
      }
      element.removeAttribute("visibility");
      place(element, { x1: px(a[0]), y1: py(a[1]), x2: px(b[0]), y2: py(b[1]) });
    }

    function write(name, text) {
      if (readouts[name]) readouts[name].textContent = text;
    }

    /* "x = 2.50, y = -1.50": the point's value as a slider. */
    function valueText() {
      var text = [];
      for (var i = 0; i < state.point.length; i++) {
        text.push(fn.vars[i] + " = " + number(state.point[i], decimals[i]));
      }
      return text.join(W.separator());
    }

    /* --- Drawing, per kind --- */

    /* The point, and the grip over it (placed in the layer's box, which is the
       view's less its padding). */
    function placePoint(cx, cy) {
      place(handle, { cx: cx, cy: cy });
      placeGrip(cx, cy);
    }

    function placeGrip(cx, cy) {
      var inner = " * (100% - 2 * var(--explore-pad)))";
      grip.style.left = "calc(var(--explore-pad) + " + (cx / size[0]) + inner;
      grip.style.top = "calc(var(--explore-pad) + " + (cy / size[1]) + inner;
    }
    // Over the point the build drew (the script draws only once the reader acts).
    if (handle.hasAttribute("cx")) {
      placeGrip(Number(handle.getAttribute("cx")), Number(handle.getAttribute("cy")));
    }

    function drawDescent() {
      var result = descentPath(fn.grad, state.point, state.rate, state.steps, state.momentum,
                               domain);
      var path = result.path;
      var points = new Array(path.length);
      for (var k = 0; k < path.length; k++) {
        points[k] = coordinate(px(path[k][0])) + "," + coordinate(py(path[k][1]));
      }
      parts.path.setAttribute("points", points.join(" "));
      var last = path[path.length - 1];
      var taken = path.length - 1;
      place(parts.end, { cx: px(last[0]), cy: py(last[1]) });
      placePoint(px(state.point[0]), py(state.point[1]));
      var g = fn.grad(last[0], last[1]);
      write("point", pair(last[0], last[1], decimals));
      write("value", significant(fn.value(last[0], last[1])));
      write("norm", significant(Math.hypot(g[0], g[1])));
      write("taken", String(taken));
      var status = "";
      if (result.diverged && taken === 0) {
        status = W.text("explore.diverged_at_once",
                        "Diverged: the first step already left the view.");
      } else if (result.diverged) {
        status = W.count("explore.diverged", taken, {
          one: "Diverged: the iterates left the view after {count} step.",
          other: "Diverged: the iterates left the view after {count} steps." });
      }
      write("status", status);
    }

    function drawTangent() {
      var a = state.point[0];
      var value = fn.value(a);
      var slope = fn.grad(a)[0];
      var at = function (x) { return value + slope * (x - a); };
      line(parts.tangent, [X[0], at(X[0])], [X[1], at(X[1])]);
      // Where f has no value the point stays on the axis, still there to move.
      placePoint(px(a), isFinite(value) ? py(value) : box[1] + box[3]);
      write("x", number(a, decimals[0]));
      write("value", number(value, config.valueDecimals));
      write("slope", number(slope, config.gradientDecimals));
    }

    function drawGradient() {
      var p = state.point;
      var g = fn.grad(p[0], p[1]);
      var theta = state.direction * (Math.PI / 180);
      var u = [Math.cos(theta), Math.sin(theta)];
      var scale = config.arrowScale, length = config.directionLength;
      line(parts.gradient, p, [p[0] + scale * g[0], p[1] + scale * g[1]]);
      line(parts.direction, p, [p[0] + length * u[0], p[1] + length * u[1]]);
      placePoint(px(p[0]), py(p[1]));
      var derivative = g[0] * u[0] + g[1] * u[1];
      var norm = Math.hypot(g[0], g[1]);
      var angle = NO_VALUE;
      if (norm > 0 && isFinite(norm)) {
        // Math.acos in radians, to degrees as Python's math.degrees does it
        angle = W.decimal(fixed(Math.acos(clamp(derivative / norm, [-1, 1])) / (Math.PI / 180),
                                1)) + "\u00b0";
      }
      write("point", pair(p[0], p[1], decimals));
      write("gradient", pair(g[0], g[1], [config.gradientDecimals, config.gradientDecimals]));
      write("derivative", number(derivative, config.gradientDecimals));
      write("angle", angle);
    }

    var draw = { descent: drawDescent, tangent: drawTangent, gradient: drawGradient }[kind];

    /* One sentence of the readouts, spoken once changes settle: never a
       stream of numbers while the point is dragged. */
    function summary() {
      var rows = figure.querySelectorAll(".explore-readouts > div");
      var text = [];
      for (var i = 0; i < rows.length; i++) {
        var term = rows[i].querySelector("dt"), value = rows[i].querySelector("dd");
        if (term && value) text.push(term.textContent.trim() + ": " + value.textContent.trim());
      }
      var status = readouts.status ? readouts.status.textContent.trim() : "";
      return text.join("; ") + "." + (status ? " " + status : "");
    }

    function changed() {
      draw();
      handle.setAttribute("aria-valuenow", String(withoutNoise(state.point[0])));
      handle.setAttribute("aria-valuetext", valueText());
      if (!announcer) return;
      window.clearTimeout(announceTimer);
      announceTimer = window.setTimeout(function () {
        announcer.textContent = summary();
      }, ANNOUNCE_MS);
    }

    function moveTo(point) {
      for (var i = 0; i < point.length; i++) state.point[i] = clamp(point[i], domain[i]);
      changed();
    }

    /* --- The point: a slider for the keyboard --- */

    layer.removeAttribute("aria-hidden");
    layer.setAttribute("role", "group");
    layer.setAttribute("aria-label", kind === "tangent"
      ? W.text("explore.graph", "Interactive graph: drag the point, or use the arrow keys (Shift for larger steps)")
      : W.text("explore.plot", "Interactive plot: drag the point, or use the arrow keys (Shift for larger steps)"));
    handle.setAttribute("tabindex", "0");
    handle.setAttribute("role", "slider");
    handle.setAttribute("aria-label", POINT_NAMES[kind]);
    handle.setAttribute("aria-valuemin", String(domain[0][0]));
    handle.setAttribute("aria-valuemax", String(domain[0][1]));
    handle.setAttribute("aria-valuenow", String(withoutNoise(state.point[0])));
    handle.setAttribute("aria-valuetext", valueText());

    /* Arrows move by one step of the axis, n = 1 (Shift: n = 10) at a time:
       x + n * step. Home and End go to the ends of the first axis. */
    handle.addEventListener("keydown", function (event) {
      var n = event.shiftKey ? LARGE_STEP : 1;
      var moves = kind === "tangent"
        ? { ArrowLeft: [-n], ArrowDown: [-n], ArrowRight: [n], ArrowUp: [n] }
        : { ArrowLeft: [-n, 0], ArrowRight: [n, 0], ArrowDown: [0, -n], ArrowUp: [0, n] };
      var point = state.point.slice();
      if (event.key === "Home" || event.key === "End") {
        point[0] = domain[0][event.key === "Home" ? 0 : 1];
      } else if (moves[event.key] && !event.altKey && !event.ctrlKey && !event.metaKey) {
        for (var i = 0; i < point.length; i++) {
          if (moves[event.key][i]) point[i] = point[i] + moves[event.key][i] * config.step[i];
        }
      } else {
        return;
      }
      event.preventDefault();  // the arrows would scroll the page
      moveTo(point);
    });

    /* --- The point: pointer (mouse, touch, pen) --- */

    var dragging = null;
    var tapping = null;  // a finger down on the plot: a tap, unless the page scrolls

    /* Where the pointer is, in the layer's viewBox units. The image and the
       layer have the same box (gradsite.css); the image's is the reference. */
    function atPointer(event) {
      var rect = img.getBoundingClientRect();
      return [(event.clientX - rect.left) * size[0] / rect.width,
              (event.clientY - rect.top) * size[1] / rect.height];
    }

    function follow(at) {
      moveTo(kind === "tangent" ? [dataX(at[0])] : [dataX(at[0]), dataY(at[1])]);
    }

    function pressed(event) {
      if (event.button !== 0 || dragging !== null) return;
      var at = atPointer(event);
      var inBox = at[0] >= box[0] && at[0] <= box[0] + box[2] &&
                  at[1] >= box[1] && at[1] <= box[1] + box[3];
      var onPoint = event.target === handle || event.target === grip;
      if (!inBox && !onPoint) return;
      if (event.pointerType === "touch" && !onPoint) {
        // The browser scrolls or zooms the page if the finger moves (gradsite.css),
        // and cancels this pointer; lifted where it was, it puts the point there.
        tapping = { id: event.pointerId, at: at };
        return;
      }
      event.preventDefault();  // no text selection, no emulated mouse events
      dragging = event.pointerId;
      layer.setPointerCapture(event.pointerId);
      handle.focus({ preventScroll: true });
      follow(at);
    }
    layer.addEventListener("pointerdown", pressed);
    grip.addEventListener("pointerdown", pressed);
    layer.addEventListener("pointermove", function (event) {
      if (event.pointerId === dragging) follow(atPointer(event));
    });
    function release(event) {
      if (event.pointerId === dragging) dragging = null;
      if (tapping && event.pointerId === tapping.id) {
        if (event.type === "pointerup") {
          handle.focus({ preventScroll: true });
          follow(tapping.at);
        }
        tapping = null;
      }
    }
    layer.addEventListener("pointerup", release);
    layer.addEventListener("pointercancel", release);
    layer.addEventListener("lostpointercapture", release);

    /* --- Sliders --- */

    function read(input) {
      var value = Number(input.value);
      if (input.name === "rate") {
        state.rate = onGrid(config.rateLog ? Math.pow(10, value) : value, config.rateLog,
                            config.rateRange);
        return W.decimal(short(state.rate));
      }
      if (input.name === "steps") {
        state.steps = Math.round(value);
        return String(state.steps);
      }
      if (input.name === "direction") {
        state.direction = value;
        return W.decimal(String(Number(value.toFixed(1)))) + "\u00b0";
      }
      state.momentum = onGrid(value, false, config.momentumRange);
      return W.decimal(short(state.momentum));
    }

    /* The arrow keys (and Page Up, Page Down: ten at a time) step a learning rate or
       a momentum from one grid point to the next. */
    var GRID_KEYS = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1,
                      PageUp: 10, PageDown: -10 };

    function stepped(input, steps) {
      var rate = input.name === "rate";
      var log = rate && config.rateLog;
      var next = stepOnGrid(rate ? state.rate : state.momentum, steps, log,
                            rate ? config.rateRange : config.momentumRange);
      input.value = String(log ? Math.log10(next) : next);
    }

    var inputs = figure.querySelectorAll(".explore-controls input[type=range]");
    Array.prototype.forEach.call(inputs, function (input) {
      var output = input.parentNode.querySelector("output");
      input.disabled = false;
      function update() {
        var text = read(input);
        if (output) output.textContent = text;
        input.setAttribute("aria-valuetext", input.name === "direction"
          ? W.text("explore.degrees", "{value} degrees", { value: text.slice(0, -1) }) : text);
        changed();
      }
      input.addEventListener("input", update);
      if (input.name === "rate" || input.name === "momentum") {
        input.addEventListener("keydown", function (event) {
          var steps = GRID_KEYS[event.key];
          if (!steps || event.altKey || event.ctrlKey || event.metaKey) return;
          event.preventDefault();
          stepped(input, steps);
          update();
        });
      }
    });

    figure.classList.add("is-live");
  }

  function init() {
    var figures = document.querySelectorAll("figure.explore[data-explore]");
    for (var i = 0; i < figures.length; i++) setup(figures[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
