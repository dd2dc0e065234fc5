/*
 * Vertelpunt – progressive enhancement only. Every page works fully without this file.
 * No dependencies, no inline handlers (the CSP forbids inline script). Plain ES5 so that
 * older phones run it too.
 */
(function () {
  "use strict";

  var SLOW_NETWORK_REENABLE_MS = 10000;
  var LIVE_BELOW = 200;

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

  /* 19950 -> "19.950" (nl), "19,950" (en), "19 950" (uk) as the page's language writes it
   * (data-group); Polish leaves four digits together (data-group-min 2: "1234", "12 345").
   * Done by hand so it does not depend on Intl, which older phones lack. */
  function groupThousands(n, separator, minDigits) {
    var sign = n < 0 ? "-" : "";
    var digits = String(Math.abs(n));
    if (digits.length < 3 + minDigits) {
      return sign + digits;
    }
    return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, function () {
      return separator;
    });
  }

  /* 1. Sliders in three states: not answered yet, a position, or "weet ik niet". The radio
   *    choices under each slider say which; moving the slider (or a key press on it) picks
   *    "the position is my answer", which also clears "weet ik niet". */
  var SLIDER_KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown", "Left", "Right", "Up", "Down"];

  /* Every word a screen reader hears comes from the page, in the page's language: the value
   * ("{value} van {max}", data-value-text) or the choice ("nog niet gekozen", data-unset;
   * "Weet ik niet / past niet", data-na-text) and the ends ("(links: …, rechts: …)",
   * data-poles). */
  function enhanceSliders() {
    each(document.querySelectorAll('input[type="range"][data-output]'), function (range) {
      var key = range.id.slice("schuif-".length);
      var field = closest(range, "slider-field");
      var output = document.getElementById(range.getAttribute("data-output"));
      var unsetText = range.getAttribute("data-unset") || "";
      var naText = range.getAttribute("data-na-text") || unsetText;
      var valueText = range.getAttribute("data-value-text") || "{value}";
      var poles = range.getAttribute("data-poles") || "";
      var max = range.getAttribute("max") || "100";
      var position = document.getElementById("stand-" + key + "-schuif");
      var na = document.getElementById("na-" + key);
      var skip = document.getElementById("stand-" + key + "-leeg");
      if (!field || !position) {
        return;
      }

      if (output) {
        /* The range itself already announces its value; keep the visual copy from being read twice. */
        output.setAttribute("aria-hidden", "true");
        output.removeAttribute("hidden");
      }

      function answered() {
        return position.checked;
      }

      function update() {
        var isNa = Boolean(na && na.checked);
        var unset = !answered() && !isNa;
        field.classList.toggle("is-na", isNa);
        field.classList.toggle("is-unset", unset);
        var shown = unset || isNa ? unsetText : range.value;
        if (output) {
          output.textContent = isNa ? "–" : shown;
        }
        var spoken = isNa
          ? naText
          : unset ? unsetText : valueText.replace("{value}", range.value).replace("{max}", max);
        range.setAttribute("aria-valuetext", poles ? spoken + " " + poles : spoken);
      }

      function choosePosition() {
        if (!position.checked) {
          position.checked = true;
        }
        update();
      }

      range.addEventListener("input", choosePosition);
      range.addEventListener("change", choosePosition);
      /* No pointerdown: a finger that only scrolls the page over a slider is no answer. */
      range.addEventListener("keydown", function (event) {
        if (SLIDER_KEYS.indexOf(event.key) >= 0) {
          choosePosition();
        }
      });
      each([position, na, skip], function (radio) {
        if (radio) {
          radio.addEventListener("change", update);
        }
      });
      update();
    });
  }

  /* 2. Characters left in the story. Nothing is cut off: past the limit the counter says how
   *    many are too many, and the server says it again and keeps the whole text. */
  function enhanceCounters() {
    each(document.querySelectorAll("textarea[data-counter]"), function (area) {
      var counter = document.getElementById(area.getAttribute("data-counter"));
      var max = parseInt(area.getAttribute("data-max"), 10);
      var leftText = area.getAttribute("data-left-text") || "{left}";
      var overText = area.getAttribute("data-over-text") || "-{over}";
      var separator = area.getAttribute("data-group") || ".";
      var minDigits = parseInt(area.getAttribute("data-group-min"), 10) || 1;
      if (!counter || !(max > 0)) {
        return;
      }

      var lastText = "";

      function update() {
        /* Count characters as the server does (code points, not UTF-16 units). */
        var length = Array.from ? Array.from(area.value).length : area.value.length;
        var left = max - length;
        var text = left >= 0
          ? leftText.replace("{left}", groupThousands(left, separator, minDigits))
          : overText.replace("{over}", groupThousands(-left, separator, minDigits));
        counter.classList.toggle("is-over", left < 0);

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

  /* 3. After a failed submit, start at the list of what needs fixing. A link in that list
   *    shows the whole question (label, hint and message), then puts the focus in the field. */
  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (!summary) {
      return;
    }
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus();
    each(summary.querySelectorAll('a[href^="#"]'), function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) {
          return;
        }
        var card = closest(target, "field") || closest(target, "step") || target;
        var input = target.matches("input, textarea, select")
          ? target
          : target.querySelector("input:not([type=hidden]), textarea, select") || target;
        event.preventDefault();
        card.scrollIntoView({ block: "start" });
        input.focus({ preventScroll: true });
      });
    });
  }

  /* 4. One tap is enough: stop a second submit while the first is on its way. */
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
    document.documentElement.classList.add("js");
    enhanceSliders();
    enhanceCounters();
    preventDoubleSubmit();
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
