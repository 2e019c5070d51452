/* Casebook reader features: progress (answers revealed), the differential quiz and the
 * case index filters. Progressive enhancement only: every page works without this file
 * (the answer is a native <details>, the index lists every case, the quiz is plain text).
 * No framework, no network; progress lives in this browser's localStorage only. */
(function () {
  "use strict";

  var STORE_KEY = "casebook:revealed";
  var printing = false;

  function loadSeen() {
    try {
      var value = JSON.parse(window.localStorage.getItem(STORE_KEY) || "[]");
      return Array.isArray(value) ? value.filter(function (s) { return typeof s === "string"; }) : [];
    } catch (err) {
      return []; // storage disabled or corrupt: progress is a nicety, never an error
    }
  }

  function markSeen(slug) {
    var seen = loadSeen();
    if (seen.indexOf(slug) !== -1) return;
    seen.push(slug);
    try { window.localStorage.setItem(STORE_KEY, JSON.stringify(seen)); } catch (err) { /* ignore */ }
  }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* The site's words (mkdocs.yml `labels:`), from the page's casebook-labels JSON; English otherwise. */
  var LABELS = {
    quiz_pick_first: "Pick one of the options first.",
    quiz_your_pick: "Your pick.",
    quiz_correct: "Correct.",
    quiz_not_best: "Not the best answer.",
    quiz_result_right: "Correct: {answer}. The answer is open below.",
    quiz_result_wrong: "Not quite. The best answer is {answer}. Each option is explained above and in the answer below.",
    progress_one: "You have revealed the answer of {count} of {total} case on this device.",
    progress_many: "You have revealed the answer of {count} of {total} cases on this device.",
    filter_status_one: "Showing {shown} of {total} case.",
    filter_status_many: "Showing {shown} of {total} cases."
  };
  (function readLabels() {
    var el = document.getElementById("casebook-labels");
    if (!el) return;
    try {
      var site = JSON.parse(el.textContent);
      Object.keys(LABELS).forEach(function (k) { if (typeof site[k] === "string") LABELS[k] = site[k]; });
    } catch (err) { /* keep English */ }
  })();

  function say(name, values) {
    return LABELS[name].replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values || {}, key) ? String(values[key]) : all;
    });
  }

  /* Printing opens the answer (the handout's second page); that is not the reader revealing it. */
  window.addEventListener("beforeprint", function () {
    printing = true;
    each(document.querySelectorAll("details.casebook-answer"), function (d) {
      d.setAttribute("data-casebook-was-open", d.open ? "true" : "false");
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    each(document.querySelectorAll("details.casebook-answer"), function (d) {
      if (d.getAttribute("data-casebook-was-open") === "false") d.open = false;
      d.removeAttribute("data-casebook-was-open");
    });
    // The toggle events of the print open/close are queued; let them pass first.
    window.setTimeout(function () { printing = false; }, 0);
  });

  function initCase() {
    var marker = document.querySelector("[data-casebook-page-case]");
    var answer = document.querySelector("details.casebook-answer");
    if (!marker || !answer) return;
    var slug = marker.getAttribute("data-casebook-page-case");
    answer.addEventListener("toggle", function () {
      if (answer.open && !printing) markSeen(slug);
    });
    initQuiz(answer, slug);
  }

  function initQuiz(answer, slug) {
    var form = document.querySelector("form[data-casebook-quiz]");
    if (!form) return;
    var button = form.querySelector(".casebook-quiz-check");
    var result = form.querySelector("[data-casebook-quiz-result]");
    button.hidden = false;
    button.disabled = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var picked = form.querySelector('input[name="casebook-quiz"]:checked');
      if (!picked) {
        result.textContent = say("quiz_pick_first");
        return;
      }
      // The verdicts are inside the answer: read them only now, after the pick.
      var verdicts = answer.querySelectorAll("[data-casebook-verdicts] [data-option]");
      var correctName = "";
      var pickedRight = false;
      each(verdicts, function (verdict) {
        var n = verdict.getAttribute("data-option");
        var right = verdict.getAttribute("data-verdict") === "correct";
        var option = form.querySelector('.casebook-quiz-option[data-option="' + n + '"]');
        var name = verdict.querySelector(".casebook-verdict-option");
        var why = verdict.querySelector(".casebook-verdict-explanation");
        if (right && name) correctName = name.textContent;
        if (n === picked.value) pickedRight = right;
        if (!option) return;
        option.classList.remove("casebook-quiz-option--correct", "casebook-quiz-option--incorrect",
          "casebook-quiz-option--picked");
        option.classList.add(right ? "casebook-quiz-option--correct" : "casebook-quiz-option--incorrect");
        if (n === picked.value) option.classList.add("casebook-quiz-option--picked");
        var feedback = option.querySelector("[data-option-feedback]");
        if (feedback) {
          feedback.textContent = (n === picked.value ? say("quiz_your_pick") + " " : "") +
            say(right ? "quiz_correct" : "quiz_not_best") + " " + (why ? why.textContent : "");
          feedback.hidden = false;
        }
      });
      form.classList.add("casebook-quiz--checked");
      result.textContent = say(pickedRight ? "quiz_result_right" : "quiz_result_wrong", { answer: correctName });
      answer.open = true;
      markSeen(slug);
    });
  }

  function initIndex() {
    var seen = loadSeen();
    each(document.querySelectorAll(".casebook-case-card[data-casebook-case]"), function (card) {
      if (seen.indexOf(card.getAttribute("data-casebook-case")) === -1) return;
      card.classList.add("casebook-case-card--seen");
      var badge = card.querySelector("[data-casebook-seen]");
      if (badge) badge.hidden = false;
    });
    each(document.querySelectorAll("[data-casebook-progress]"), function (el) {
      var slugs = (el.getAttribute("data-cases") || "").split(" ").filter(Boolean);
      var count = slugs.filter(function (s) { return seen.indexOf(s) !== -1; }).length;
      if (!count) return;
      el.textContent = say(slugs.length === 1 ? "progress_one" : "progress_many",
        { count: count, total: slugs.length });
      el.hidden = false;
    });
    each(document.querySelectorAll("form[data-casebook-filters]"), initFilters);
  }

  function initFilters(form) {
    var list = document.querySelector("[data-casebook-case-list]");
    var status = document.querySelector("[data-casebook-filter-status]");
    if (!list) return;
    var selects = form.querySelectorAll("select");
    var cards = list.querySelectorAll(".casebook-case-card");
    var params = new URLSearchParams(window.location.search);
    each(selects, function (select) {
      var wanted = params.get(select.name);
      if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
    });

    function apply() {
      var active = [];
      each(selects, function (s) { if (s.value) active.push(s); });
      var shown = 0;
      each(cards, function (card) {
        var match = active.every(function (s) {
          var values = (card.getAttribute("data-" + s.name) || "").split(" ");
          return values.indexOf(s.value) !== -1;
        });
        card.hidden = !match;
        if (match) shown += 1;
      });
      if (status) {
        status.textContent = active.length
          ? say(cards.length === 1 ? "filter_status_one" : "filter_status_many", { shown: shown, total: cards.length })
          : "";
      }
      var query = new URLSearchParams();
      active.forEach(function (s) { query.set(s.name, s.value); });
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") +
        window.location.hash);
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      each(selects, function (s) { s.value = ""; });
      apply();
    });
    form.hidden = false;
    apply();
  }

  /* The figure lightbox (GLightbox, from mkdocs-glightbox). Images written in the body get a
   * gallery by where they are, so "next" on a figure of the case never shows one from the answer
   * (the figures from front matter already have theirs). The dialog takes the focus when it opens
   * and gives it back to the figure's link when it closes, so keyboard users are not left behind it. */
  function initLightbox() {
    each(document.querySelectorAll("a.glightbox:not([data-gallery])"), function (link) {
      link.setAttribute("data-gallery",
        link.closest("details.casebook-answer") ? "casebook-answer" : "casebook-case");
    });
    var trigger = null;
    document.addEventListener("click", function (event) {
      var link = event.target && event.target.closest ? event.target.closest("a.glightbox") : null;
      if (link) trigger = link;
    }, true);
    if (!window.MutationObserver) return;
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        each(record.addedNodes, function (node) {
          var close = node.id === "glightbox-body" ? node.querySelector(".gclose") : null;
          if (close) close.focus();
        });
        each(record.removedNodes, function (node) {
          if (node.id === "glightbox-body" && trigger && document.contains(trigger)) trigger.focus();
        });
      });
    }).observe(document.body, { childList: true });
  }

  function init() {
    initCase();
    initIndex();
    initLightbox();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
