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
    quiz_result_wrong: "Not quite. The best answer is {answer}. Each option is explained above.",
    progress_one: "You have revealed the answer of {count} of {total} case on this device.",
    progress_many: "You have revealed the answer of {count} of {total} cases on this device.",
    filter_status_one: "Showing {shown} of {total} case.",
    filter_status_many: "Showing {shown} of {total} cases.",
    answer_link_notice: "This link points into the answer, which stays closed until you open it.",
    show_answer: "Show the answer",
    enlarge_figure: "Enlarge {figure}",
    search_dialog: "Search this site",
    print_handout: "Print as a handout (no answer)",
    print_key: "Print with the answer"
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
    // A handout (chosen with the buttons above the answer) leaves the answer out: nothing to open.
    if (document.documentElement.classList.contains("casebook-print-handout")) return;
    each(document.querySelectorAll("details.casebook-answer"), function (d) {
      d.setAttribute("data-casebook-was-open", d.open ? "true" : "false");
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    document.documentElement.classList.remove("casebook-print-handout");
    each(document.querySelectorAll("details.casebook-answer[data-casebook-was-open]"), function (d) {
      if (d.getAttribute("data-casebook-was-open") === "false") d.open = false;
      d.removeAttribute("data-casebook-was-open");
    });
    // The toggle events of the print open/close are queued; let them pass first.
    window.setTimeout(function () { printing = false; }, 0);
  });

  /* The answer opens only when the reader asks: the summary, the notice's button or the quiz.
   * Browsers (and Material) open a <details> when a URL fragment, a text fragment or find-in-page
   * points inside it; that is closed again at once and a notice offers to open it. The ids inside
   * the answer are published as data-casebook-id (markdown_ext.AnswerIdsTreeprocessor), so a
   * fragment finds nothing without JavaScript either; links to them are followed here, without
   * putting the fragment in the URL (a shared URL would open the answer). */
  function initCase() {
    var marker = document.querySelector("[data-casebook-page-case]");
    var answer = document.querySelector("details.casebook-answer");
    if (!answer) return;
    var slug = marker ? marker.getAttribute("data-casebook-page-case") : null;
    var asked = false;
    var notice = null;
    var pending = null;

    function heldTarget(id) {
      if (!id) return null;
      if (id === answer.id) return answer;
      var el = document.getElementById(id);
      if (el && answer.contains(el)) return el;
      if (el) return null;
      try {
        return answer.querySelector("[data-casebook-id=\"" + CSS.escape(id) + "\"]");
      } catch (err) {
        return null;
      }
    }

    function reach(target) {
      if (!target || target === answer) return;
      if (!target.hasAttribute("tabindex") && !target.matches("a[href], button, input, select, textarea")) {
        target.setAttribute("tabindex", "-1");
      }
      target.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    }

    function openAnswer() {
      asked = true;
      answer.open = true;
      if (notice) notice.hidden = true;
    }

    function showNotice(target) {
      pending = target;
      if (!notice) {
        notice = document.createElement("div");
        notice.className = "admonition info casebook-answer-notice";
        notice.setAttribute("data-casebook-answer-notice", "");
        notice.setAttribute("role", "status");
        var text = document.createElement("p");
        text.textContent = say("answer_link_notice");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button";
        button.textContent = say("show_answer");
        button.addEventListener("click", function () {
          openAnswer();
          reach(pending);
        });
        text.appendChild(document.createTextNode(" "));
        text.appendChild(button);
        notice.appendChild(text);
        answer.parentNode.insertBefore(notice, answer);
      }
      notice.hidden = false;
      return notice;
    }

    answer.querySelector("summary").addEventListener("click", function () { asked = true; });
    answer.addEventListener("toggle", function () {
      var byReader = asked;
      asked = false;
      if (!answer.open || printing) return;
      if (!byReader) {
        answer.open = false;
        showNotice(pending);
        return;
      }
      if (notice) notice.hidden = true;
      if (slug) markSeen(slug);
    });

    // Links to something inside the answer: followed in place, the URL keeps no fragment.
    document.addEventListener("click", function (event) {
      var link = event.target && event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!link || event.defaultPrevented) return;
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      var target = heldTarget(id);
      if (!target) return;
      event.preventDefault();
      if (answer.open) reach(target);
      else showNotice(target).scrollIntoView({ block: "center" });
    });

    // The citation previews in the answer get their ids back, for aria-describedby.
    each(answer.querySelectorAll("[role='tooltip'][data-casebook-id]"), function (tip) {
      tip.id = tip.getAttribute("data-casebook-id");
    });
    each(answer.querySelectorAll("[data-casebook-describedby]"), function (el) {
      el.setAttribute("aria-describedby", el.getAttribute("data-casebook-describedby"));
    });

    // A URL that points inside the answer: the answer stays closed; the notice says why.
    var landed = heldTarget(decodeURIComponent(window.location.hash.slice(1)));
    if (landed) {
      if (answer.open) answer.open = false;
      showNotice(landed === answer ? null : landed).scrollIntoView({ block: "center" });
    }
    if (slug) initQuiz(answer, slug, openAnswer);
    if (slug) initPrint(answer);
  }

  /* Two ways to print a case: a handout for a class (the case, figures, question and options; no
   * answer) or the answer key (everything). Printing from the browser's menu prints the key. */
  function initPrint(answer) {
    if (typeof window.print !== "function") return;
    var bar = document.createElement("p");
    bar.className = "casebook-print-modes";
    [["print_handout", true], ["print_key", false]].forEach(function (mode) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button";
      button.setAttribute("data-casebook-print", mode[1] ? "handout" : "key");
      button.textContent = say(mode[0]);
      button.addEventListener("click", function () {
        document.documentElement.classList.toggle("casebook-print-handout", mode[1]);
        window.print();
      });
      bar.appendChild(button);
      bar.appendChild(document.createTextNode(" "));
    });
    answer.parentNode.insertBefore(bar, answer);
  }

  function initQuiz(answer, slug, openAnswer) {
    var form = document.querySelector("form[data-casebook-quiz]");
    if (!form) return;
    var button = form.querySelector(".casebook-quiz-check");
    var retry = form.querySelector("[data-casebook-quiz-retry]");
    var result = form.querySelector("[data-casebook-quiz-result]");
    var noJs = form.querySelector("[data-casebook-quiz-no-js]");
    var radios = form.querySelectorAll('input[name="casebook-quiz"]');
    var explained = answer.querySelector("[data-casebook-verdicts]");
    if (noJs) noJs.hidden = true;
    button.hidden = false;
    button.disabled = false;

    function clear() {
      each(form.querySelectorAll(".casebook-quiz-option"), function (option) {
        option.classList.remove("casebook-quiz-option--correct", "casebook-quiz-option--incorrect",
          "casebook-quiz-option--picked");
        var feedback = option.querySelector("[data-option-feedback]");
        if (feedback) { feedback.textContent = ""; feedback.hidden = true; }
      });
      each(radios, function (radio) { radio.disabled = false; });
      form.classList.remove("casebook-quiz--checked");
      if (explained) explained.hidden = false;
      result.textContent = "";
      button.hidden = false;
      if (retry) retry.hidden = true;
    }

    if (retry) {
      retry.addEventListener("click", function () {
        clear();
        each(radios, function (radio) { radio.checked = false; });
        if (radios.length) radios[0].focus();
      });
    }

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
      // Each explanation is now beside its option: the answer's copy of the list is hidden.
      if (explained && verdicts.length) explained.hidden = true;
      // The pick is locked until "Try again"; the result takes the focus (on a phone it is below the fold).
      each(radios, function (radio) { radio.disabled = true; });
      form.classList.add("casebook-quiz--checked");
      button.hidden = true;
      if (retry) retry.hidden = false;
      result.textContent = say(pickedRight ? "quiz_result_right" : "quiz_result_wrong", { answer: correctName });
      openAnswer();
      markSeen(slug);
      result.focus();
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
    // A figure's zoom link says what it does ("Enlarge Figure 1"), not only what the image shows.
    each(document.querySelectorAll(".casebook-figure a.glightbox[data-title]"), function (link) {
      link.setAttribute("aria-label", say("enlarge_figure", { figure: link.getAttribute("data-title") }));
    });
    var trigger = null;
    document.addEventListener("click", function (event) {
      var link = event.target && event.target.closest ? event.target.closest("a.glightbox") : null;
      if (link) trigger = link;
    }, true);
    if (!window.MutationObserver) return;
    // The dialog is modal and named after the figure, and its images keep the figures' alt text.
    var altFor = function (box) {
      each(box.querySelectorAll("img"), function (img) {
        if (img.getAttribute("alt")) return;
        each(document.querySelectorAll("a.glightbox"), function (link) {
          var own = link.querySelector("img");
          if (own && link.href === img.src) img.setAttribute("alt", own.getAttribute("alt") || "");
        });
      });
      var current = box.querySelector(".gslide.current .gslide-title");
      var name = current && current.textContent.trim() ? current.textContent.trim()
        : (trigger && trigger.getAttribute("data-title")) || "";
      if (name) box.setAttribute("aria-label", name);
    };
    var slides = null;
    document.addEventListener("keydown", function (event) {
      var box = document.getElementById("glightbox-body");
      if (event.key !== "Tab" || !box) return;
      var stops = Array.prototype.filter.call(
        box.querySelectorAll("button, a[href], [tabindex]:not([tabindex='-1'])"),
        function (el) { return !el.disabled && el.offsetParent !== null; });
      if (!stops.length) return;
      var first = stops[0];
      var last = stops[stops.length - 1];
      var inside = box.contains(document.activeElement);
      if (event.shiftKey && (document.activeElement === first || !inside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
        event.preventDefault();
        first.focus();
      }
    });
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        each(record.addedNodes, function (node) {
          if (node.id !== "glightbox-body") return;
          node.setAttribute("role", "dialog");
          node.setAttribute("aria-modal", "true");
          altFor(node);
          if (slides) slides.disconnect();
          slides = new MutationObserver(function () { altFor(node); });
          slides.observe(node, { childList: true, subtree: true, attributes: true, attributeFilter: ["class", "src"] });
          var close = node.querySelector(".gclose");
          if (close) close.focus();
        });
        each(record.removedNodes, function (node) {
          if (node.id !== "glightbox-body") return;
          if (slides) { slides.disconnect(); slides = null; }
          if (trigger && document.contains(trigger)) trigger.focus();
        });
      });
    }).observe(document.body, { childList: true });
  }

  /* Material's search: the dialog gets a name, and "no matching documents" says why a diagnosis is
   * never found (answers are kept out of the index on purpose) and links the browse pages. The words
   * and links are the note the theme puts under the header (render/search_note.py). */
  function initSearch() {
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", say("search_dialog"));
    var note = document.querySelector("[data-casebook-search-note] .casebook-search-none");
    var meta = document.querySelector(".md-search-result__meta");
    var list = document.querySelector(".md-search-result__list");
    var input = document.querySelector(".md-search__input");
    if (!note || !meta || !list || !input || !window.MutationObserver) return;
    var none = "";
    try {
      none = JSON.parse(document.getElementById("__config").textContent).translations["search.result.none"] || "";
    } catch (err) { /* no config: keep the note hidden */ }
    meta.parentNode.insertBefore(note, meta.nextSibling);
    function update() {
      note.hidden = !(none && input.value.trim() && !list.children.length && meta.textContent.trim() === none.trim());
    }
    new MutationObserver(update).observe(meta, { childList: true, characterData: true, subtree: true });
    new MutationObserver(update).observe(list, { childList: true });
    input.addEventListener("input", update);
  }

  /* Keyboard and screen readers where Material leaves gaps (WCAG 2.2 AA). */
  function initAccess() {
    // Material's off-canvas drawer (up to 1219 px) is only moved out of view when closed: its links
    // kept 15 invisible Tab stops. Closed, it is inert.
    var toggle = document.getElementById("__drawer");
    var drawer = document.querySelector(".md-sidebar--primary");
    if (toggle && drawer && window.matchMedia) {
      var narrow = window.matchMedia("(max-width: 76.234375em)");
      var update = function () {
        if (narrow.matches && !toggle.checked) drawer.setAttribute("inert", "");
        else drawer.removeAttribute("inert");
      };
      toggle.addEventListener("change", update);
      if (narrow.addEventListener) narrow.addEventListener("change", update);
      // Material also closes the drawer from script (the overlay, Escape) without a change event.
      document.addEventListener("click", function () { window.setTimeout(update, 0); });
      document.addEventListener("keyup", function () { window.setTimeout(update, 0); });
      update();
    }
    // The skip link goes to the page title, not to the first heading after it.
    var skip = document.querySelector("a.md-skip");
    var title = document.querySelector(".md-content h1");
    if (skip && title) {
      if (!title.id) title.id = "casebook-page-title";
      if (!title.hasAttribute("tabindex")) title.setAttribute("tabindex", "-1");
      skip.setAttribute("href", "#" + title.id);
    }
    // A code block wider than the page scrolls: it takes the keyboard focus so it can be scrolled.
    each(document.querySelectorAll(".md-typeset pre > code"), function (code) {
      if (code.scrollWidth > code.clientWidth && !code.hasAttribute("tabindex")) code.setAttribute("tabindex", "0");
    });
  }

  function init() {
    initAccess();
    initSearch();
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
