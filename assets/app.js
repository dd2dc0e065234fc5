/*
 * Vertelpunt – progressive enhancement only. Every page works fully without this file.
 * No dependencies, no inline handlers (the CSP forbids inline script). Plain ES5 so that
 * older phones run it too.
 */
(function () {
  "use strict";

  var SLOW_NETWORK_REENABLE_MS = 10000;
  var LIVE_BELOW = 200;

  function isEnglish() {
    var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
    return lang.indexOf("en") === 0;
  }

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  function closest(el, className) {
    while (el && el.nodeType === 1) {
      if (el.classList && el.classList.contains(className)) {
        return el;
      }
      el = el.parentNode;
    }
    return null;
  }

  /* 19950 -> "19.950" (nl) or "19,950" (en). Done by hand so it does not depend on Intl. */
  function groupThousands(n, separator) {
    var sign = n < 0 ? "-" : "";
    return sign + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }

  /* 1. Sliders: show the number and give screen readers a readable value. */
  function enhanceSliders(english) {
    each(document.querySelectorAll('input[type="range"][data-output]'), function (range) {
      var output = document.getElementById(range.getAttribute("data-output"));
      var left = range.getAttribute("data-left") || "";
      var right = range.getAttribute("data-right") || "";
      var max = range.getAttribute("max") || "100";

      if (output) {
        /* The range itself already announces its value; keep the visual copy from being read twice. */
        output.setAttribute("aria-hidden", "true");
        output.removeAttribute("hidden");
      }

      function update() {
        var value = range.value;
        if (output) {
          output.textContent = value;
        }
        range.setAttribute(
          "aria-valuetext",
          english
            ? value + " of " + max + " (left: " + left + ", right: " + right + ")"
            : value + " van " + max + " (links: " + left + ", rechts: " + right + ")"
        );
      }

      range.addEventListener("input", update);
      range.addEventListener("change", update);
      update();
    });
  }

  /* 2. "Weet ik niet / past niet": dim the slider while ticked; it stays usable. */
  function enhanceNotApplicable() {
    each(document.querySelectorAll('input[type="range"][id^="schuif-"]'), function (range) {
      var key = range.id.slice("schuif-".length);
      var box = document.getElementById("na-" + key);
      var field = closest(range, "slider-field");
      if (!box || !field) {
        return;
      }

      function update() {
        field.classList.toggle("is-na", box.checked);
      }

      box.addEventListener("change", update);
      update();
    });
  }

  /* 3. Characters left in the story. */
  function enhanceCounters(english) {
    each(document.querySelectorAll("textarea[data-counter]"), function (area) {
      var counter = document.getElementById(area.getAttribute("data-counter"));
      var max = parseInt(area.getAttribute("maxlength"), 10);
      if (!counter || !(max > 0)) {
        return;
      }

      var lastText = "";

      function update() {
        var left = Math.max(0, max - area.value.length);
        var number = groupThousands(left, english ? "," : ".");
        var text;
        if (english) {
          text = number + (left === 1 ? " character left" : " characters left");
        } else {
          text = "Nog " + number + (left === 1 ? " teken over" : " tekens over");
        }

        /* Only announce while typing when the end comes close. */
        if (left < LIVE_BELOW) {
          if (counter.getAttribute("aria-live") !== "polite") {
            counter.setAttribute("aria-live", "polite");
          }
        } else if (counter.hasAttribute("aria-live")) {
          counter.removeAttribute("aria-live");
        }

        if (text !== lastText) {
          counter.textContent = text;
          lastText = text;
        }
      }

      area.addEventListener("input", update);
      update();
    });
  }

  /* 4. After a failed submit, start at the list of what needs fixing. */
  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      if (!summary.hasAttribute("tabindex")) {
        summary.setAttribute("tabindex", "-1");
      }
      summary.focus();
    }
  }

  /* 5. One tap is enough: stop a second submit while the first is on its way. */
  function preventDoubleSubmit() {
    each(document.querySelectorAll("form.story-form"), function (form) {
      var buttons = form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');

      function setBusy(busy) {
        each(buttons, function (button) {
          button.disabled = busy;
          if (busy) {
            button.setAttribute("aria-disabled", "true");
          } else {
            button.removeAttribute("aria-disabled");
          }
        });
      }

      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) {
          return;
        }
        /* Disable after this tick, so the browser has already collected and sent the form. */
        window.setTimeout(function () {
          setBusy(true);
        }, 0);
        /* If the network fails the page stays; let the teller try again (the server is idempotent). */
        window.setTimeout(function () {
          setBusy(false);
        }, SLOW_NETWORK_REENABLE_MS);
      });

      /* Coming back with the Back button can restore a page with disabled buttons. */
      window.addEventListener("pageshow", function (event) {
        if (event.persisted) {
          setBusy(false);
        }
      });
    });
  }

  function init() {
    var english = isEnglish();
    enhanceSliders(english);
    enhanceNotApplicable();
    enhanceCounters(english);
    preventDoubleSubmit();
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
