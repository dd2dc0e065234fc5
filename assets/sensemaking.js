/*
 * Vertelpunt – the session table, live. Progressive enhancement only: without this file the
 * table works with forms and "Ververs het bord".
 *
 * - Every 2 seconds (the cockpit: every second) it asks the table's revision (/tafel/stand); when it changed, it fetches
 *   the board (/tafel/bord) and puts it in place, unless the focus is inside the board.
 * - The note form is posted in the background, so the page does not jump; a refused note is
 *   posted again the normal way, so the server shows the message with the typed text.
 * - Notes can be dragged onto a group (the select box next to each note does the same).
 * - The phase's clock counts down every second (the page says the minutes left without it).
 * - The begeleider's cockpit (#cockpit) is kept live the same way, from its own /stand and
 *   /bord; its revision is a string of the tables' revisions.
 * Plain ES5, no dependencies, no inline handlers (the CSP forbids inline script).
 */
(function () {
  "use strict";

  var board = document.getElementById("bord") || document.getElementById("cockpit");
  if (!board || !board.getAttribute("data-stand") || !window.fetch || !window.FormData) {
    return;
  }
  // Every 2 s at a table; the cockpit (one screen per session) asks every second.
  var POLL_MS = parseInt(board.getAttribute("data-poll"), 10) || 2000;
  var standUrl = board.getAttribute("data-stand");
  var boardUrl = board.getAttribute("data-bord");
  var status = document.getElementById("bord-status");
  // Compared as text: a table's board has a number, the cockpit "3.7.2".
  var revision = String(board.getAttribute("data-revision"));
  var busy = false;

  // The phase's clock: seconds left as the server said when the board was drawn, counted
  // down here. Only the visible text changes; the phase itself is announced on a change.
  var clockEnds = [];
  function startClocks() {
    clockEnds = [];
    Array.prototype.forEach.call(document.querySelectorAll(".phase-clock[data-left]"), function (el) {
      var left = parseInt(el.getAttribute("data-left"), 10) || 0;
      clockEnds.push({ el: el, end: Date.now() + left * 1000 });
    });
  }
  function tick() {
    clockEnds.forEach(function (c) {
      var left = Math.max(0, Math.round((c.end - Date.now()) / 1000));
      if (left === 0) {
        c.el.textContent = "de tijd is om";
        c.el.classList.add("phase-over");
      } else if (left < 60) {
        // Seconds only in the last minute: a clock that ticks all the time is restless.
        c.el.textContent = "nog " + left + " seconden";
      } else {
        var m = Math.ceil(left / 60);
        c.el.textContent = m === 1 ? "nog 1 minuut" : "nog " + m + " minuten";
      }
    });
  }
  function phaseOf() {
    var banner = document.getElementById("fase");
    return banner ? banner.getAttribute("data-fase") : "";
  }

  // A table page shows the phase at its top (#fase-boven), where a phone user sees it first;
  // a fresh board brings the phase along, and it is moved up there.
  function placePhase() {
    var top = document.getElementById("fase-boven");
    if (!top) { return; }
    var fresh = board.querySelector("#fase");
    top.innerHTML = "";
    if (fresh) { top.appendChild(fresh); }
  }

  function csrf() {
    var field = document.querySelector("input[name=csrf]");
    return field ? field.value : "";
  }

  // Someone working in the board (typing, or a keyboard user on a button) keeps their place:
  // the update waits until the focus leaves the board.
  function workingInBoard() {
    var active = document.activeElement;
    return active && active !== board && board.contains(active);
  }

  function countNotes() {
    return board.querySelectorAll(".note").length;
  }

  function reload(announce) {
    var before = countNotes();
    var phaseBefore = phaseOf();
    return fetch(boardUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (res) {
        if (!res.ok) { throw new Error("board " + res.status); }
        return res.text();
      })
      .then(function (html) {
        board.innerHTML = html;
        placePhase();
        enableDragging();
        startClocks();
        tick();
        var added = countNotes() - before;
        var phaseNow = document.querySelector("#fase .phase-now strong");
        if (announce && status && phaseOf() !== phaseBefore && phaseNow) {
          status.textContent = "Nieuwe fase: " + phaseNow.textContent + ".";
        } else if (announce && status && added > 0) {
          status.textContent = added === 1 ? "Er is 1 nieuwe notitie op het bord."
            : "Er zijn " + added + " nieuwe notities op het bord.";
        }
      });
  }

  function poll() {
    if (busy || document.hidden) { return; }
    busy = true;
    fetch(standUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (stand) {
        if (!stand) { return null; }
        if (stand.closed) {
          // Closed meanwhile: show the read-only page.
          window.location.reload();
          return null;
        }
        if (String(stand.revision) !== revision && !workingInBoard()) {
          revision = String(stand.revision);
          return reload(true);
        }
        return null;
      })
      .catch(function () { /* offline for a moment: try again next time */ })
      .then(function () { busy = false; });
  }

  function post(url, data) {
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" });
  }

  // The note form: post in the background, clear it, show the board.
  var noteForm = document.querySelector("form.note-form");
  if (noteForm) {
    noteForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = noteForm.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      post(noteForm.action, new URLSearchParams(new FormData(noteForm)))
        .then(function (res) {
          if (res.ok && res.redirected) {
            noteForm.querySelector("textarea[name=tekst]").value = "";
            var soThat = noteForm.querySelector("textarea[name=zodat]");
            if (soThat) { soThat.value = ""; }
            if (status) { status.textContent = "Je notitie staat op het bord."; }
            return reload(false);
          }
          // Refused or a problem: let the server show it, with everything typed.
          noteForm.submit();
          return null;
        })
        .catch(function () { noteForm.submit(); })
        .then(function () { if (button) { button.disabled = false; } });
    });
  }

  // Drag a note onto a group.
  function enableDragging() {
    Array.prototype.forEach.call(board.querySelectorAll(".note[data-move]"), function (note) {
      note.addEventListener("dragstart", function (event) {
        event.dataTransfer.setData("text/plain", note.getAttribute("data-move"));
        event.dataTransfer.effectAllowed = "move";
        note.classList.add("dragging");
      });
      note.addEventListener("dragend", function () { note.classList.remove("dragging"); });
    });
    Array.prototype.forEach.call(board.querySelectorAll("[data-groep]"), function (zone) {
      zone.addEventListener("dragover", function (event) {
        event.preventDefault();
        zone.classList.add("drop-target");
      });
      zone.addEventListener("dragleave", function () { zone.classList.remove("drop-target"); });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        zone.classList.remove("drop-target");
        var url = event.dataTransfer.getData("text/plain");
        if (!url || url.indexOf("/s/") !== 0) { return; }
        var data = new URLSearchParams();
        data.append("csrf", csrf());
        data.append("groep", zone.getAttribute("data-groep"));
        post(url, data)
          .then(function (res) {
            if (!res.ok) { window.location.reload(); return null; }
            return reload(false);
          })
          .catch(function () { window.location.reload(); });
      });
    });
  }

  enableDragging();
  startClocks();
  tick();
  window.setInterval(tick, 1000);
  window.setInterval(poll, POLL_MS);
})();
