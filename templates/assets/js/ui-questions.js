/* ui-questions.js: the questions of a page: grading on "Check", the verdict
 * and its feedback, "Show answer", a stored answer shown again; a question's
 * variants and "Try another"; its hints.
 *
 * A question is one form, or (with variants) a group of forms, one per
 * variant, all in the page: "Try another" shows the next. Grading itself is
 * grading.js; storing an answer and the hints opened is the caller's
 * (ui-progress.js passes `onGraded` and `onHint`). The DOM is the contract of
 * docs/questions-contract.md.
 */
var GradsiteQuestionForms = (function () {
  "use strict";

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

  /* The verdict on an answer (grading.js), its feedback the elements whose
     content to show. */
  function judge(form, answer) {
    var kind = form.getAttribute("data-kind");
    if (kind === "numeric") {
      var box = form.querySelector(".numeric-input");
      return GradsiteGrading.gradeNumber(answer, Number(box.getAttribute("data-answer")),
                                         Number(box.getAttribute("data-tolerance")));
    }
    var inputs = choiceInputs(form);
    var choices = [];
    for (var i = 0; i < inputs.length; i++) {
      choices.push({ index: Number(inputs[i].value),
                     correct: inputs[i].getAttribute("data-correct") === "true",
                     feedback: document.getElementById(inputs[i].id + "-feedback") });
    }
    return GradsiteGrading.gradeChoices(answer, choices, kind);
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
        tag.textContent = GradsiteWords.text("quiz.correct_answer", "Correct answer");
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

  /* Makes one form work: `saved` is its stored {answer, correct} or undefined;
     `onGraded(answer, correct)` is called after each graded Check. */
  function setupForm(form, saved, onGraded) {
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
      if (verdict.result !== "invalid") onGraded(answer, verdict.result === "correct");
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
     verdict, or, when it is gone (a reset), the form as a fresh page shows
     it. A form already showing what is stored is left alone, so its verdict
     is not announced again. */
  function refreshForm(form, saved) {
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

  /* --- Questions: variants and hints ------------------------------------- */

  /* The page's questions in page order, each {id, forms, group}: its forms in
     variant order (one for a question without variants) and the
     .question-variants element holding them (null without variants). */
  function findQuestions(root) {
    var questions = [];
    var byId = Object.create(null);
    var forms = root.querySelectorAll("form.question[data-question]");
    for (var i = 0; i < forms.length; i++) {
      var id = forms[i].getAttribute("data-question");
      if (!byId[id]) {
        byId[id] = { id: id, forms: [], group: forms[i].closest(".question-variants") };
        questions.push(byId[id]);
      }
      byId[id].forms.push(forms[i]);
    }
    questions.forEach(function (question) {
      question.forms.sort(function (a, b) {
        return Number(a.getAttribute("data-variant") || 0) -
               Number(b.getAttribute("data-variant") || 0);
      });
    });
    return questions;
  }

  function variantText(index, count) {
    return GradsiteWords.text("quiz.variant", "Variant {number} of {count}",
                              { number: index + 1, count: count });
  }

  /* The stored entry if its answer belongs to variant `index`, else undefined:
     an answer is shown only in the variant it was given for. */
  function savedFor(saved, index) {
    return saved && saved.answer !== null && saved.variant === index ? saved : undefined;
  }

  /* Where a reader moves to in a form just shown: its chosen or first choice,
     or its number box. Entering the fieldset announces the question. */
  function firstControl(form) {
    return form.querySelector(".choices input:checked") ||
           form.querySelector(".numeric-input, .choices input");
  }

  /* Opening a hint tells `onHint` how many are open (they open in order) and
     in which form;
     `opened` hints are open at first (those the reader opened before). */
  function setupHints(form, opened, onHint) {
    var hints = form.querySelectorAll("details.hint[data-hint]");
    for (var i = 0; i < hints.length; i++) {
      (function (hint) {
        var count = Number(hint.getAttribute("data-hint")) + 1;
        if (count <= opened) hint.open = true;
        hint.addEventListener("toggle", function () {
          if (hint.open) onHint(count, form);
        });
      })(hints[i]);
    }
  }

  /* Makes a question work in every variant. `saved` is its stored entry
     ({answer, correct, variant, solved, hints}) or undefined; `handlers`
     {onGraded(answer, correct, variant), onHint(count, form)}. The variant shown
     first is the one the stored answer belongs to. Returns what shows a
     stored entry again (another tab changed it). */
  function setupQuestion(question, saved, handlers) {
    var forms = question.forms;
    var count = forms.length;
    var shown = saved && saved.answer !== null && saved.variant < count ? saved.variant : 0;
    var status = null;

    function show(index, moveFocus) {
      shown = index;
      for (var i = 0; i < count; i++) forms[i].hidden = i !== index;
      if (!moveFocus) return;
      var control = firstControl(forms[index]);
      if (control) control.focus();
      if (status) status.textContent = variantText(index, count);
    }

    forms.forEach(function (form, index) {
      setupForm(form, savedFor(saved, index), function (answer, correct) {
        handlers.onGraded(answer, correct, index);
      });
      setupHints(form, index === shown && saved ? saved.hints : 0, handlers.onHint);
    });
    if (count > 1 && question.group) {
      // Announces the variant shown after "Try another"; empty until then, so
      // nothing is read as the page loads.
      status = document.createElement("p");
      status.className = "variant-status visually-hidden";
      status.setAttribute("role", "status");
      question.group.insertBefore(status, question.group.firstChild);
      forms.forEach(function (form, index) {
        var another = form.querySelector(".another-button");
        if (!another) return;
        var where = document.createElement("span");
        where.className = "variant-count";
        where.textContent = variantText(index, count);
        another.parentNode.insertBefore(where, another.nextSibling);
        another.hidden = false;
        another.addEventListener("click", function () { show((index + 1) % count, true); });
      });
      show(shown, false);
      // A link to the question (the review page's) names its first form; when
      // another variant shows, the page goes to that one.
      var target = window.location.hash.slice(1);
      if (shown && target && decodeURIComponent(target) === forms[0].id) {
        forms[shown].scrollIntoView();
      }
    }

    return function (stored) {
      var answered = stored && stored.answer !== null && stored.variant < count;
      forms.forEach(function (form, index) {
        if (!answered || index === stored.variant) refreshForm(form, savedFor(stored, index));
      });
    };
  }

  return { find: findQuestions, setup: setupQuestion };
})();
