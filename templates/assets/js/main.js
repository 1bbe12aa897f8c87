/* main.js: runs every feature once the document is parsed. The last piece, and
 * the only one that does anything as the script loads; the others only define
 * their namespace.
 *
 * The script is loaded with `defer`, so the document is usually parsed already.
 * Each feature does nothing on a page that lacks its elements. To add one:
 * write it in a piece (ui-reading.js for reading aids), return it from that
 * piece's namespace, and call it here.
 */
(function () {
  "use strict";

  function init() {
    if (GradsiteStorage.isFrame()) {  // assets/storage.html: it only keeps progress
      GradsiteStorage.serveFrame();
      return;
    }
    GradsiteSearchBox.setup();  // first: the field appears as early as it can
    GradsiteReading.addCopyButtons();
    GradsiteReading.chapterCopy();
    GradsiteReading.notebookDownload();
    GradsiteReading.focusableScrollers();
    GradsiteReading.barPanels();
    GradsiteReading.menuShowsCurrent();
    GradsiteReading.smoothInPageLinks();
    GradsiteReading.tocScrollSpy();
    GradsiteReferences.previews();
    GradsiteProgressPage.start(function () {
      var chapter = GradsiteProgressPage.setupChapter();
      var home = GradsiteProgressPage.homeProgress();
      var review = GradsiteReview.setup();
      GradsiteProgressPage.markCompletedChapters();
      GradsiteProgressPage.followChanges([chapter, home, review,
                                          GradsiteProgressPage.markCompletedChapters]);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
