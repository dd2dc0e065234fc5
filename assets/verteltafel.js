/*
 * Vertelpunt – a verteltafel that keeps working without a connection (issue 20).
 *
 * Progressive enhancement: without this file the table works online, as every other page.
 * Our own code, no libraries. It needs what offline work needs anyway (a secure context,
 * service workers, IndexedDB, WebCrypto); a browser without them gets the online table.
 *
 * - Typing the table code: the key for this table is derived from the code with PBKDF2 and
 *   kept as a non-extractable CryptoKey in IndexedDB. The code itself is never stored.
 * - A finished story with no connection (or a send that fails on the network) is encrypted
 *   with AES-GCM under that key and kept in IndexedDB with its form key and withdrawal code,
 *   the moment it was finished and its language. The form is then cleared; kept stories are
 *   never shown again, only counted.
 * - When there is a connection (page load, the `online` event, "Nu versturen"), they are sent
 *   one by one to /v/{project}/tafel/nasturen. A story leaves the device only after the
 *   server said it is stored (or will never be: then the worker is told which and why). The
 *   form key makes a repeat harmless.
 */
(function () {
  "use strict";

  var box = document.getElementById("tafel-offline");
  var supported = Boolean(
    box && window.isSecureContext && window.crypto && window.crypto.subtle && window.indexedDB &&
    "serviceWorker" in navigator && window.fetch && window.TextEncoder && window.URLSearchParams
  );
  if (!supported) {
    return;
  }

  var PROJECT = box.getAttribute("data-project");
  var TABLE = box.getAttribute("data-table") || "";
  var UNTIL = Number(box.getAttribute("data-until")) || 0;
  var SEND_URL = box.getAttribute("data-send");
  var LANG = (document.documentElement.getAttribute("lang") || "nl").toLowerCase();
  /* OWASP's advice for PBKDF2-HMAC-SHA256 (2023); about half a second on a cheap phone. */
  var PBKDF2_ITERATIONS = 600000;
  /* Crockford base32, as the server writes table and withdrawal codes. */
  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var RETRY_MS = 60000;
  /* A request that hangs (a connection that is there but carries nothing) counts as failed. */
  var REQUEST_TIMEOUT_MS = 20000;
  var encoder = new TextEncoder();

  function text(name, values) {
    var source = document.getElementById("tafel-formulier");
    var found = box.getAttribute("data-t-" + name) ||
      (source && source.getAttribute("data-t-" + name)) || "";
    Object.keys(values || {}).forEach(function (k) {
      found = found.split("{" + k + "}").join(String(values[k]));
    });
    return found;
  }

  /* `fetch`, rejected when no answer came within REQUEST_TIMEOUT_MS. */
  function request(url, options) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : 0;
    options.credentials = "same-origin";
    if (controller) {
      options.signal = controller.signal;
    }
    return fetch(url, options).then(function (response) {
      window.clearTimeout(timer);
      return response;
    }, function (error) {
      window.clearTimeout(timer);
      throw error;
    });
  }

  function nowSeconds(offsetMs) {
    return Math.floor((Date.now() + (offsetMs || 0)) / 1000);
  }

  /* ---- Storage: IndexedDB, one database for every project and table on this device ---- */

  var dbOpening = null;

  function database() {
    if (!dbOpening) {
      dbOpening = new Promise(function (resolve, reject) {
        var request = indexedDB.open("vertelpunt-verteltafel", 1);
        request.onupgradeneeded = function () {
          var db = request.result;
          db.createObjectStore("keys", { keyPath: "id" });
          db.createObjectStore("queue", { keyPath: "n", autoIncrement: true });
          db.createObjectStore("state", { keyPath: "id" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbOpening;
  }

  /* One request in its own transaction; resolves with its result once the transaction is
   * committed (so "deleted" means deleted). */
  function inStore(name, mode, makeRequest) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var request = makeRequest(tx.objectStore(name));
        tx.oncomplete = function () { resolve(request.result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function keyId(table) {
    return PROJECT + "/" + table;
  }

  function tableKey(table) {
    return inStore("keys", "readonly", function (s) { return s.get(keyId(table)); })
      .then(function (entry) { return entry ? entry.key : null; });
  }

  function waiting() {
    return inStore("queue", "readonly", function (s) { return s.getAll(); })
      .then(function (all) {
        return all.filter(function (r) { return r.project === PROJECT; });
      });
  }

  function readState(id, fallback) {
    return inStore("state", "readonly", function (s) { return s.get(id); })
      .then(function (entry) { return entry ? entry.value : fallback; });
  }

  function writeState(id, value) {
    return inStore("state", "readwrite", function (s) { return s.put({ id: id, value: value }); });
  }

  /* ---- Crypto ---- */

  /* The code as the server reads it: case, spaces, dashes and look-alikes do not matter. */
  function normalizeCode(input) {
    var raw = "";
    var chars = String(input || "").toUpperCase();
    for (var i = 0; i < chars.length; i++) {
      var c = chars.charAt(i);
      if (c === " " || c === "-" || c === "." || c === "\t") {
        continue;
      }
      if (c === "O") { c = "0"; }
      if (c === "I" || c === "L") { c = "1"; }
      if (ALPHABET.indexOf(c) < 0) {
        return null;
      }
      raw += c;
    }
    return raw.length === 12 ? raw.slice(0, 4) + "-" + raw.slice(4, 8) + "-" + raw.slice(8) : null;
  }

  /* The table's key: PBKDF2 over the typed code, salted with project and table, as an
   * AES-GCM key that no script can read out (non-extractable). */
  function deriveKey(code, table) {
    return crypto.subtle.importKey("raw", encoder.encode(code), "PBKDF2", false, ["deriveKey"])
      .then(function (material) {
        return crypto.subtle.deriveKey(
          {
            name: "PBKDF2",
            hash: "SHA-256",
            salt: encoder.encode("vertelpunt/verteltafel/v1/" + PROJECT + "/" + table),
            iterations: PBKDF2_ITERATIONS
          },
          material,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"]
        );
      });
  }

  /* Project and table are authenticated with each story: a record moved to another table's
   * queue does not decrypt. */
  function associated(table) {
    return encoder.encode("vertelpunt/" + PROJECT + "/" + table);
  }

  function seal(key, table, value) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return crypto.subtle.encrypt(
      { name: "AES-GCM", iv: iv, additionalData: associated(table) },
      key,
      encoder.encode(JSON.stringify(value))
    ).then(function (data) {
      return { project: PROJECT, table: table, iv: iv, data: data };
    });
  }

  function unseal(key, record) {
    return crypto.subtle.decrypt(
      { name: "AES-GCM", iv: record.iv, additionalData: associated(record.table) },
      key,
      record.data
    ).then(function (plain) {
      return JSON.parse(new TextDecoder().decode(plain));
    });
  }

  function randomChars(count, alphabet) {
    var bytes = crypto.getRandomValues(new Uint8Array(count));
    var out = "";
    for (var i = 0; i < count; i++) {
      /* 256 is a multiple of 64 and of 32: every character equally likely. */
      out += alphabet.charAt(bytes[i] % alphabet.length);
    }
    return out;
  }

  /* A form key in the server's shape (144 bits, URL-safe base64 letters). */
  function newSubmissionKey() {
    return randomChars(24, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
  }

  /* A withdrawal code of 60 random bits in three groups of four, like the server's. */
  function newWithdrawalCode() {
    var raw = randomChars(12, ALPHABET);
    return raw.slice(0, 4) + "-" + raw.slice(4, 8) + "-" + raw.slice(8);
  }

  /* ---- The device's clock, corrected by the server's while online ---- */

  function noteClock(response) {
    var date = response && response.headers.get("Date");
    var server = date ? Date.parse(date) : NaN;
    if (!isNaN(server)) {
      var offset = server - Date.now();
      /* The header has whole seconds; only a clock that is clearly off is corrected. */
      writeState("clock", Math.abs(offset) > 30000 ? offset : 0).catch(function () {});
    }
  }

  /* ---- The state on screen: how many wait, when the last ones were sent, what was refused ---- */

  var problem = "";
  /* A run of sendAll is under way; `showSending` while it actually posts. */
  var sending = false;
  var showSending = false;

  function formatTime(ms) {
    var when = new Date(ms);
    var today = when.toDateString() === new Date().toDateString();
    var options = today
      ? { hour: "2-digit", minute: "2-digit" }
      : { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" };
    try {
      /* Western digits in Arabic too, as on the server's pages. */
      return new Intl.DateTimeFormat(LANG === "ar" ? "ar-u-nu-latn" : LANG, options).format(when);
    } catch (e) {
      return when.toLocaleString();
    }
  }

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el && el.textContent !== value) {
      el.textContent = value;
    }
    return el;
  }

  function refresh() {
    return Promise.all([
      waiting(),
      readState("sent/" + PROJECT, 0),
      readState("refused/" + PROJECT, []),
      TABLE ? tableKey(TABLE) : Promise.resolve(null)
    ]).then(function (found) {
      var count = found[0].length;
      var sentAt = found[1];
      var refused = found[2];
      var status = document.getElementById("tafel-offline");
      if (!status) {
        return;
      }
      status.hidden = false;
      status.setAttribute("data-count", String(count));
      var parts = [count > 0 ? text("waiting", { count: count }) : text("none")];
      if (sentAt) {
        parts.push(text("last-sent", { time: formatTime(sentAt) }));
      }
      if (showSending) {
        parts.push(text("sending"));
      } else if (problem) {
        parts.push(problem);
      }
      setText("tafel-offline-stand", parts.join(" "));
      if (TABLE) {
        setText("tafel-offline-klaar", found[3] ? text("ready") : text("not-ready"));
      }
      var button = document.getElementById("tafel-nu-versturen");
      if (button) {
        button.hidden = count === 0;
      }
      showRefused(refused);
    }).catch(function () {});
  }

  function showRefused(refused) {
    var holder = document.getElementById("tafel-offline-geweigerd");
    if (!holder) {
      return;
    }
    var list = holder.querySelector("ul");
    /* Rebuilt only when it changed: the list is a live region. */
    var signature = JSON.stringify(refused);
    if (list.getAttribute("data-shown") === signature) {
      return;
    }
    list.setAttribute("data-shown", signature);
    list.textContent = "";
    refused.forEach(function (r) {
      var item = document.createElement("li");
      item.textContent = text("refused", { time: formatTime(r.at) }) + " " + text("reason-" + r.reason);
      list.appendChild(item);
    });
    holder.hidden = refused.length === 0;
  }

  /* ---- Sending what waits ---- */

  function sendOne(record, story) {
    var body = new URLSearchParams();
    story.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("afgerond", String(story.finishedAt));
    body.set("taal", story.lang);
    body.set("tafel", record.table);
    return request(SEND_URL, {
      method: "POST",
      headers: { Accept: "application/json" },
      body: body
    }).then(function (response) {
      noteClock(response);
      return response.json().catch(function () { return {}; }).then(function (answer) {
        return { ok: response.ok, answer: answer };
      });
    });
  }

  function forget(record) {
    return inStore("queue", "readwrite", function (s) { return s.delete(record.n); });
  }

  function noteRefused(at, reason) {
    var id = "refused/" + PROJECT;
    return readState(id, []).then(function (list) {
      list.push({ at: at, reason: reason });
      return writeState(id, list);
    });
  }

  /* Sends every kept story of this project, oldest first, one at a time. Stops at the first
   * answer that says "not now" (no connection, no pass, the server busy): the rest waits. */
  function sendAll() {
    var run = function () {
      if (sending) {
        return Promise.resolve();
      }
      sending = true;
      problem = "";
      var skipTables = {};
      return waiting().then(function (records) {
        if (records.length === 0) {
          return null;
        }
        if (navigator.onLine === false) {
          problem = text("no-connection");
          return null;
        }
        showSending = true;
        refresh();
        return records.reduce(function (previous, record) {
          return previous.then(function (stop) {
            if (stop || skipTables[record.table]) {
              return stop;
            }
            return sendRecord(record, skipTables);
          });
        }, Promise.resolve(false));
      }).catch(function () {
        problem = text("failed");
      }).then(function () {
        sending = false;
        showSending = false;
        return refresh();
      });
    };
    /* One sender per device at a time, across tabs too, where the browser can say so. */
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("vertelpunt-verteltafel-versturen", run);
    }
    return run();
  }

  /* Resolves true when sending must stop for now. */
  function sendRecord(record, skipTables) {
    return tableKey(record.table).then(function (key) {
      if (!key) {
        /* Kept at a table this device has no key for now: typing that table's code again
         * derives it, and then it goes. */
        skipTables[record.table] = true;
        problem = text("other-table");
        return false;
      }
      return unseal(key, record).then(function (story) {
        return sendOne(record, story).then(function (result) {
          var outcome = result.answer.uitkomst;
          if (result.ok && (outcome === "opgeslagen" || outcome === "al_opgeslagen")) {
            return forget(record).then(function () {
              return writeState("sent/" + PROJECT, Date.now());
            }).then(function () { return false; });
          }
          if (outcome === "geweigerd") {
            /* The server will never take it: the worker hears which and why. */
            return forget(record).then(function () {
              return noteRefused(story.finishedAt * 1000, result.answer.reden || "onleesbaar");
            }).then(function () { return false; });
          }
          if (result.answer.reden === "andere_tafel") {
            skipTables[record.table] = true;
            problem = text("other-table");
            return false;
          }
          problem = result.answer.reden === "geen_pas" ? text("no-pass") : text("failed");
          return true;
        }, function () {
          problem = text("no-connection");
          return true;
        });
      }, function () {
        /* It does not decrypt under its own table's key: nobody can ever send it. */
        return forget(record).then(function () {
          return noteRefused(Date.now(), "onleesbaar");
        }).then(function () { return false; });
      });
    });
  }

  /* ---- Typing the table code ---- */

  function showCodeError(form, message) {
    var input = form.querySelector("#veld-code");
    var field = input.closest(".field");
    var error = document.getElementById("fout-code");
    if (!error) {
      error = document.createElement("p");
      error.className = "error-message";
      error.id = "fout-code";
      error.setAttribute("role", "alert");
      input.parentNode.insertBefore(error, input);
    }
    error.textContent = message;
    field.classList.add("has-error");
    input.setAttribute("aria-invalid", "true");
    var described = (input.getAttribute("aria-describedby") || "").split(" ");
    if (described.indexOf("fout-code") < 0) {
      described.push("fout-code");
      input.setAttribute("aria-describedby", described.join(" ").trim());
    }
    input.focus();
  }

  function enhanceCodeForm() {
    var form = document.getElementById("tafel-code-formulier");
    if (!form) {
      return;
    }
    var busy = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) {
        return;
      }
      busy = true;
      var button = form.querySelector('button[type="submit"]');
      var note = document.getElementById("tafel-code-bezig");
      button.disabled = true;
      note.textContent = text("code-busy");
      var code = normalizeCode(form.querySelector("#veld-code").value);
      var done = function () {
        busy = false;
        button.disabled = false;
        note.textContent = "";
      };
      request(form.action, {
        method: "POST",
        headers: { Accept: "application/json" },
        body: new URLSearchParams(new FormData(form))
      }).then(function (response) {
        noteClock(response);
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (!response.ok || !answer.tafel) {
            done();
            showCodeError(form, answer.fout || text("failed"));
            return null;
          }
          /* The table opens anyway; without a key it only works online. */
          var keep = code
            ? deriveKey(code, answer.tafel).then(function (key) {
              return inStore("keys", "readwrite", function (s) {
                return s.put({ id: keyId(answer.tafel), project: PROJECT, table: answer.tafel, key: key });
              });
            }).catch(function () {})
            : Promise.resolve();
          return keep.then(function () { window.location.assign(answer.naar); });
        });
      }).catch(function () {
        done();
        showCodeError(form, text("code-no-connection"));
      });
    });
  }

  /* ---- The story form at the table ---- */

  function codePoints(value) {
    return Array.from ? Array.from(value).length : value.length;
  }

  function labelOf(el) {
    return (el && el.textContent || "").replace(/\s+/g, " ").trim();
  }

  /* What the server would refuse, checked on the device before a story is kept: nobody can
   * correct a kept story later. Returns [{target, text}]. */
  function problemsIn(form) {
    var source = document.getElementById("tafel-formulier");
    var problems = [];
    var add = function (target, label, message) {
      problems.push({ target: target, text: label ? label + " – " + message : message });
    };
    var story = form.querySelector("#veld-verhaal");
    var storyLength = codePoints(story.value.trim());
    var storyMax = Number(story.getAttribute("data-max")) || 0;
    var storyLabel = labelOf(form.querySelector('label[for="veld-verhaal"]'));
    if (storyLength === 0) {
      add("veld-verhaal", storyLabel, text("text-empty"));
    } else if (storyMax && storyLength > storyMax) {
      add("veld-verhaal", storyLabel, text("text-too-long", { actual: storyLength, over: storyLength - storyMax, max: storyMax }));
    }
    var title = form.querySelector("#veld-titel");
    var titleLength = codePoints(title.value.trim());
    var titleMax = Number(source.getAttribute("data-title-max")) || 0;
    var titleLabel = labelOf(form.querySelector('label[for="veld-titel"]'));
    if (titleLength === 0) {
      add("veld-titel", titleLabel, text("title-empty"));
    } else if (titleMax && titleLength > titleMax) {
      add("veld-titel", titleLabel, text("title-too-long", { max: titleMax }));
    }
    Array.prototype.forEach.call(form.querySelectorAll(".field"), function (field) {
      if (!field.querySelector(".required")) {
        return;
      }
      var label = labelOf(field.querySelector(".question-label, label"));
      label = label.replace(/\s*\([^)]*\)\s*$/, "");
      if (field.classList.contains("slider-field")) {
        var key = field.id.replace(/^veld-/, "");
        var chosen = form.querySelector('input[name="stand_' + key + '"]:checked');
        if (!chosen || (chosen.value !== "schuif" && chosen.value !== "na")) {
          add(field.id, label, text("slider-required"));
        }
      } else if (field.classList.contains("choice-field")) {
        if (!field.querySelector("input:checked")) {
          add(field.id, label, text("required"));
        }
      } else {
        var input = field.querySelector('input[type="text"]');
        if (input && input.value.trim() === "") {
          add(input.id, label, text("required"));
        }
      }
    });
    if (!form.querySelector("#toestemming-analyse").checked) {
      add("veld-toestemming", "", text("consent-missing"));
    }
    var read = form.querySelector("#voorgelezen");
    if (read && !read.checked) {
      add("veld-voorgelezen", "", text("consent-read-missing"));
    }
    return problems;
  }

  function focusTarget(id) {
    var target = document.getElementById(id);
    if (!target) {
      return;
    }
    var input = target.matches("input, textarea, select")
      ? target
      : target.querySelector("input:not([type=hidden]), textarea, select") || target;
    target.scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  }

  /* The same list of what to fix as the server's, above the form. */
  function showProblems(form, problems) {
    var old = document.getElementById("fouten-apparaat");
    if (old) {
      old.parentNode.removeChild(old);
    }
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.id = "fouten-apparaat";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("aria-labelledby", "fouten-apparaat-titel");
    var heading = document.createElement("h2");
    heading.id = "fouten-apparaat-titel";
    heading.textContent = text("errors-title");
    summary.appendChild(heading);
    var list = document.createElement("ul");
    problems.forEach(function (p) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + p.target;
      link.textContent = p.text;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        focusTarget(p.target);
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.appendChild(list);
    form.parentNode.insertBefore(summary, form);
    summary.focus();
  }

  function showNotice(form, message) {
    var notice = document.getElementById("melding-apparaat");
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "notice";
      notice.id = "melding-apparaat";
      notice.setAttribute("role", "alert");
      notice.setAttribute("tabindex", "-1");
      notice.appendChild(document.createElement("p"));
      form.parentNode.insertBefore(notice, form);
    }
    notice.firstChild.textContent = message;
    notice.focus();
  }

  /* Empties every field before the form goes, so nothing of this teller stays in the page
   * (or in what the browser remembers of it for the Back button). */
  function clearForm(form) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = false;
      } else if (el.tagName === "TEXTAREA" || el.type === "text") {
        el.value = "";
        el.defaultValue = "";
      }
    });
  }

  /* The form's language buttons post the form, which is gone: the page's own language list
   * instead (`fresh`), or none until the next page. */
  function replaceLanguages(fresh) {
    var nav = document.querySelector(".site-header .lang-switch");
    if (!nav) {
      return;
    }
    if (fresh) {
      nav.parentNode.replaceChild(document.importNode(fresh, true), nav);
    } else {
      nav.parentNode.removeChild(nav);
    }
  }

  /* Replaces the page's content by `fragment`; `keepHelp`: with the help lines of the form. */
  function replaceContent(fragment, title, keepHelp) {
    var main = document.getElementById("inhoud");
    var help = main.querySelector(".help-box");
    main.textContent = "";
    main.appendChild(fragment);
    if (keepHelp && help) {
      main.appendChild(help);
    }
    document.title = title;
    var heading = main.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
    window.scrollTo(0, 0);
    bindStateBox();
    refresh();
  }

  /* The story is kept: the teller's withdrawal code, and on to the next teller. The help lines
   * stay: without the server there is no safety triage to put them first when needed. */
  function showKept(code) {
    var template = document.getElementById("tafel-bewaard");
    var source = document.getElementById("tafel-formulier");
    var fragment = template.content.cloneNode(true);
    fragment.querySelector("#intrekcode").textContent = code;
    var state = document.getElementById("tafel-offline");
    if (state) {
      fragment.appendChild(state);
    }
    replaceLanguages(null);
    replaceContent(fragment, text("kept-title") + " – " + source.getAttribute("data-project-name"), true);
  }

  function keep(form, key) {
    if (!key) {
      showNotice(form, text("not-ready-offline"));
      return Promise.resolve();
    }
    return readState("clock", 0).then(function (offset) {
      var finishedAt = nowSeconds(offset);
      if (UNTIL && finishedAt >= UNTIL) {
        showNotice(form, text("code-expired"));
        return null;
      }
      var problems = problemsIn(form);
      if (problems.length) {
        showProblems(form, problems);
        return null;
      }
      var fields = [];
      new FormData(form).forEach(function (value, name) {
        /* The CSRF token is for online posts only (see table_offline::send). */
        if (name !== "csrf" && typeof value === "string") {
          fields.push([name, value]);
        }
      });
      var code = form.querySelector('input[name="intrekcode"]').value;
      var story = { fields: fields, finishedAt: finishedAt, lang: LANG };
      return seal(key, TABLE, story).then(function (record) {
        return inStore("queue", "readwrite", function (s) { return s.add(record); });
      }).then(function () {
        clearForm(form);
        showKept(code);
        sendAll();
      });
    });
  }

  /* The server's thank-you page, shown in place (the post was made by this script). */
  function showServerPage(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var main = page.getElementById("inhoud");
    var fragment = document.createDocumentFragment();
    while (main && main.firstChild) {
      fragment.appendChild(document.importNode(main.firstChild, true));
      main.removeChild(main.firstChild);
    }
    replaceLanguages(page.querySelector(".site-header .lang-switch"));
    replaceContent(fragment, page.title, false);
  }

  function enhanceStoryForm() {
    var form = document.getElementById("verhaal-formulier");
    if (!form || !TABLE || !document.getElementById("tafel-formulier")) {
      return;
    }
    /* A fresh form key and withdrawal code for every form: a page from the device's cache
     * carries the key it was made with, and two tellers must never share one. (After a
     * refused post the server's key stays: nothing was stored under it.) */
    if (!document.querySelector(".error-summary, #melding")) {
      form.querySelector('input[name="sleutel"]').value = newSubmissionKey();
    }
    var drawn = document.createElement("input");
    drawn.type = "hidden";
    drawn.name = "intrekcode";
    drawn.value = newWithdrawalCode();
    form.appendChild(drawn);

    /* Which button sent the form, for browsers without `event.submitter`. */
    var clicked = null;
    document.addEventListener("click", function (event) {
      clicked = event.target.closest ? event.target.closest('button[type="submit"]') : null;
    }, true);

    var busy = false;
    /* Capture: this runs before app.js's double-submit guard, which then stays out. */
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter || clicked;
      if (submitter && submitter.hasAttribute("formaction")) {
        /* Another language: a post of the whole form, which needs the server. */
        if (navigator.onLine === false) {
          event.preventDefault();
          showNotice(form, text("needs-connection"));
        }
        return;
      }
      event.preventDefault();
      if (busy) {
        return;
      }
      busy = true;
      var buttons = form.querySelectorAll('button[type="submit"]');
      var setBusy = function (on) {
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = on; });
      };
      setBusy(true);
      var finish = function () {
        busy = false;
        setBusy(false);
      };
      tableKey(TABLE).then(function (key) {
        if (navigator.onLine === false) {
          return keep(form, key);
        }
        return request(form.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(form))
        }).then(function (response) {
          noteClock(response);
          if (response.redirected) {
            window.location.assign(response.url);
            return null;
          }
          if (!response.ok) {
            /* Form problems, a closed table, an old form: nothing was stored, so the form
             * is posted as it is and the server's page says what to do. */
            form.submit();
            return null;
          }
          return response.text().then(function (html) {
            clearForm(form);
            showServerPage(html);
          });
        }, function () {
          /* The network failed on the way: keep it. Were it stored after all, the form key
           * makes the later send a repeat, and the teller's code is the same either way. */
          return keep(form, key);
        });
      }).then(finish, finish);
    }, true);

    /* A kept story's code must not come back with the Back button for the next teller. */
    window.addEventListener("pagehide", function () {
      var code = document.getElementById("intrekcode");
      if (code && !document.getElementById("verhaal-formulier")) {
        code.textContent = "";
      }
    });
  }

  /* ---- Leaving the table on this device ---- */

  function enhanceLeaveForm() {
    var form = document.getElementById("tafel-verlaten");
    if (!form) {
      return;
    }
    var warned = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      sendAll().then(waiting).then(function (records) {
        if (records.length > 0 && !warned) {
          /* Once more and it leaves: the stories stay on the device (with their key). */
          warned = true;
          problem = text("leave-waiting");
          return refresh();
        }
        var left = records.length > 0 ? Promise.resolve() : inStore("keys", "readwrite", function (s) {
          return s.delete(keyId(TABLE));
        });
        return left.then(function () { return tellWorker({ type: "forget-pages" }); })
          .catch(function () {})
          .then(function () { form.submit(); });
      });
    });
  }

  /* ---- The service worker ---- */

  function tellWorker(message) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage(message, [channel.port2]);
        /* A worker that does not answer must not hold the page up. */
        window.setTimeout(resolve, 10000);
      });
    });
  }

  /* At a table, with a connection: keep the start page and every role's form on the device. */
  function keepPages() {
    if (!TABLE || navigator.onLine === false) {
      return Promise.resolve();
    }
    var urls = [window.location.pathname + window.location.search];
    Array.prototype.forEach.call(document.querySelectorAll(".role-list a[href]"), function (a) {
      urls.push(a.getAttribute("href"));
    });
    return tellWorker({ type: "keep-pages", urls: urls, lang: LANG }).then(function () {
      document.documentElement.setAttribute("data-tafel-offline", "klaar");
    });
  }

  function startWorker() {
    navigator.serviceWorker.register(box.getAttribute("data-worker"), {
      scope: box.getAttribute("data-scope")
    }).then(keepPages).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "cache-renewed") {
        keepPages();
      }
    });
  }

  /* Keys of tables with nothing waiting are not needed any more (unless it is this table). */
  function dropUnusedKeys() {
    return Promise.all([
      inStore("keys", "readonly", function (s) { return s.getAll(); }),
      waiting()
    ]).then(function (found) {
      var busyTables = {};
      found[1].forEach(function (r) { busyTables[r.table] = true; });
      return Promise.all(found[0].filter(function (entry) {
        return entry.project === PROJECT && entry.table !== TABLE && !busyTables[entry.table];
      }).map(function (entry) {
        return inStore("keys", "readwrite", function (s) { return s.delete(entry.id); });
      }));
    }).catch(function () {});
  }

  /* ---- Start ---- */

  function bindStateBox() {
    var button = document.getElementById("tafel-nu-versturen");
    if (button && !button.hasAttribute("data-bound")) {
      button.setAttribute("data-bound", "");
      button.addEventListener("click", function () { sendAll(); });
    }
    var seen = document.getElementById("tafel-offline-gezien");
    if (seen && !seen.hasAttribute("data-bound")) {
      seen.setAttribute("data-bound", "");
      seen.addEventListener("click", function () {
        writeState("refused/" + PROJECT, []).then(refresh);
      });
    }
  }

  function init() {
    bindStateBox();
    enhanceCodeForm();
    enhanceStoryForm();
    enhanceLeaveForm();
    startWorker();
    dropUnusedKeys().then(refresh).then(sendAll);
    window.addEventListener("online", function () { sendAll(); });
    window.addEventListener("offline", function () {
      problem = text("no-connection");
      refresh();
    });
    window.setInterval(function () {
      if (navigator.onLine !== false) {
        sendAll();
      }
    }, RETRY_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
