/* ui-storage.js: the storage that keeps the reader's progress.
 *
 *   open        opens the storage of one key, then hands ui-progress.js a
 *               source: `storage()` returns a Storage-like object (getItem,
 *               setItem, removeItem), `follow(changed)` calls `changed` when
 *               another tab changed the key, or when this page is shown again
 *               from the back-forward cache
 *   isFrame     whether this document is the storage frame, assets/storage.html
 *   serveFrame  the frame's side: answers its parent from its own storage
 *
 * Served over http(s), every page of a site shares one localStorage, and a
 * page uses its own. Opened from disk (file://), Firefox gives every file a
 * storage of its own (an opaque origin; security.fileuri.strict_origin_policy):
 * a chapter's progress would stay on that chapter, and the home page would
 * see none of it. Cookies of file:// pages are shared, but Firefox drops them
 * when it quits. So a page opened from disk with an opaque origin ("null")
 * keeps its progress in a hidden frame, assets/storage.html: one file for
 * every page of the site, hence one storage, kept as any page's is. The page
 * holds a copy of the value, so reads stay synchronous, and sends each change
 * to the frame. Chromium gives file:// pages the origin "file://" and one
 * storage for all of them: there a page uses its own storage, as served
 * pages do (a frame would only add a second path to the same storage).
 */
var GradsiteStorage = (function () {
  "use strict";

  var TAG = "gradsite-storage";
  var KEY_PREFIX = "gradsite:";
  var FRAME_FILE = "storage.html";
  /* The frame loads from disk in milliseconds. A browser that refuses it (or a
     theme without it) falls back to the page's own storage: after this long,
     or a second after the frame loaded without saying it is ready. */
  var FRAME_TIMEOUT_MS = 3000;
  var AFTER_LOAD_MS = 1000;
  /* The script's own address, read as it runs (later there is no current
     script): the frame is the file beside it. */
  var scriptUrl = document.currentScript ? document.currentScript.src : "";

  function isFrame() {
    return document.documentElement.hasAttribute("data-storage-frame");
  }

  /* A request to the frame: gradsite's, about one of gradsite's keys. */
  function isRequest(message) {
    return message !== null && typeof message === "object" && message.tag === TAG &&
           typeof message.key === "string" && message.key.indexOf(KEY_PREFIX) === 0;
  }

  /* Shown again from the back-forward cache, a page missed the storage events
     of its time away. */
  function followReturns(changed) {
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) changed();
    });
  }

  /* The page's own localStorage (reading it may throw: the store opens it
     inside its own try). */
  function pageSource(key) {
    return {
      storage: function () { return window.localStorage; },
      follow: function (changed) {
        window.addEventListener("storage", function (event) {
          if (event.key === null || event.key === key) changed();
        });
        followReturns(changed);
      }
    };
  }

  /* The frame's storage of `key`, through messages; `first` is its value
     when the frame answered, `readable` false when the frame's storage throws. */
  function frameSource(key, frame, first, readable) {
    var value = first;
    var failed = !readable;  // a write failed in the frame: later writes throw
    var sent = 0;
    var lastWrite = 0;
    var listeners = [];

    function send(message) {
      message.tag = TAG;
      message.key = key;
      message.id = ++sent;
      frame.contentWindow.postMessage(message, "*");
      return message.id;
    }

    function write(message) {
      if (failed) throw new Error("the progress storage cannot be written");
      lastWrite = send(message);
    }

    var storage = {
      getItem: function (name) {
        if (!readable) throw new Error("the progress storage cannot be read");
        return name === key ? value : null;
      },
      setItem: function (name, text) {
        if (name !== key) return;
        write({ op: "set", value: String(text) });
        value = String(text);
      },
      removeItem: function (name) {
        if (name !== key) return;
        write({ op: "remove" });
        value = null;
      }
    };

    window.addEventListener("message", function (event) {
      var message = event.data;
      if (event.source !== frame.contentWindow || !message || message.tag !== TAG) return;
      if (message.op === "changed" && (message.key === key || message.key === null)) {
        // Asked for, not taken from the event: the frame answers after the
        // writes this page sent before, in order.
        send({ op: "get" });
      }
      if (message.key !== key) return;
      if (message.op === "failed") {
        failed = true;
      } else if (message.op === "value" && message.id > lastWrite && message.ok) {
        // A value read before this page's latest write is older than the copy.
        if (message.value !== value) {
          value = message.value;
          listeners.forEach(function (changed) { changed(); });
        }
      }
    });

    return {
      storage: function () { return storage; },
      follow: function (changed) {
        listeners.push(changed);
        followReturns(function () { send({ op: "get" }); });
      }
    };
  }

  /* Calls `ready(source)` once, with the storage of `key`: the frame's on a
     page opened from disk, else (or when the frame does not answer) the
     page's own. */
  function open(key, ready) {
    if (window.location.protocol !== "file:" || window.location.origin !== "null" ||
        !scriptUrl || isFrame()) {
      ready(pageSource(key));
      return;
    }
    var frame = document.createElement("iframe");
    var settled = false;
    var greeted = false;
    var timer = null;

    function settle(source) {
      if (settled) return;
      settled = true;
      window.clearTimeout(timer);
      window.removeEventListener("message", handshake);
      if (!source && frame.parentNode) frame.parentNode.removeChild(frame);
      ready(source || pageSource(key));
    }

    function handshake(event) {
      var message = event.data;
      if (event.source !== frame.contentWindow || !message || message.tag !== TAG) return;
      if (message.op === "ready") {
        greeted = true;
        frame.contentWindow.postMessage({ tag: TAG, key: key, op: "get", id: 0 }, "*");
      } else if (message.op === "value" && message.key === key) {
        settle(frameSource(key, frame, message.ok ? message.value : null, message.ok));
      }
    }

    window.addEventListener("message", handshake);
    timer = window.setTimeout(function () { settle(null); }, FRAME_TIMEOUT_MS);
    frame.addEventListener("load", function () {
      window.setTimeout(function () { if (!greeted) settle(null); }, AFTER_LOAD_MS);
    });
    frame.hidden = true;
    frame.title = GradsiteWords.text("progress.storage", "Progress storage");
    frame.src = new URL(FRAME_FILE, scriptUrl).href;
    document.body.appendChild(frame);
  }

  /* The frame's side. It answers only its parent, and only for gradsite's
     keys. A page that embeds it is a file on this disk, which in Chromium
     shares this storage anyway. */
  function serveFrame() {
    var parent = window.parent;
    if (parent === window) return;

    function reply(message) {
      message.tag = TAG;
      parent.postMessage(message, "*");
    }

    window.addEventListener("message", function (event) {
      var message = event.data;
      if (event.source !== parent || !isRequest(message)) return;
      var answer = { op: "value", key: message.key, id: message.id, ok: true, value: null };
      try {
        var storage = window.localStorage;
        if (message.op === "set") storage.setItem(message.key, String(message.value));
        else if (message.op === "remove") storage.removeItem(message.key);
        answer.value = storage.getItem(message.key);
      } catch (e) {
        answer = message.op === "get"
          ? { op: "value", key: message.key, id: message.id, ok: false, value: null }
          : { op: "failed", key: message.key, id: message.id };
      }
      reply(answer);
    });
    window.addEventListener("storage", function (event) {
      if (event.key === null || event.key.indexOf(KEY_PREFIX) === 0) {
        reply({ op: "changed", key: event.key });
      }
    });
    reply({ op: "ready" });
  }

  return { open: open, isFrame: isFrame, serveFrame: serveFrame };
})();
