#!/usr/bin/env python3
"""Load and fault client for scripts/fault-test (python3 standard library only).

`post`: N concurrent clients post stories to /v/{project}/vertel for a while, the way a browser
does: each client fetches the form once (for its CSRF cookie and token), then posts stories,
each with its own submission key (`sleutel`, made here). When a post gets no answer, a
connection error or a 5xx, the client sends the *same* form again (as a person pressing the
button again would), until it gets the thank-you page or gives up after --retry-seconds. Every
story that got a thank-you page is written to --acked (key, code, title) as JSON lines.

`verify`: checks that every acknowledged story is in the database exactly once, with its
submission key hash, withdrawal code hash and its slider answers, that no story was stored
twice, and that the database passes its integrity check.
"""

import argparse
import hashlib
import http.client
import json
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse

CODE_RE = re.compile(r'id="intrekcode">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<')
CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
SLIDERS = ["gehoord", "juiste_hulp", "op_tijd", "regie", "duidelijk", "klik", "samenwerking", "gevolg"]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.events = []  # (time, kind) of successes and failures, for recovery times

    def add(self, kind, n=1):
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + n
            self.events.append((time.time(), kind))


class Client:
    def __init__(self, host, port, project, timeout):
        self.host, self.port, self.project, self.timeout = host, port, project, timeout
        self.conn = None
        self.cookie = None
        self.csrf = None

    def _request(self, method, path, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        try:
            self.conn.request(method, path, body=body, headers=h)
            resp = self.conn.getresponse()
            data = resp.read().decode("utf-8", "replace")
        except Exception:
            self.conn.close()
            self.conn = None
            raise
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie" and v.startswith("vp_csrf="):
                self.cookie = v.split(";", 1)[0]
        return resp.status, data

    def fetch_form(self):
        status, html = self._request("GET", f"/v/{self.project}/vertel?rol=jongere")
        m = CSRF_RE.search(html)
        if status != 200 or not m or not self.cookie:
            raise RuntimeError(f"form: status {status}")
        self.csrf = m.group(1)

    def post_story(self, fields):
        body = urllib.parse.urlencode(fields)
        return self._request(
            "POST",
            f"/v/{self.project}/vertel",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


def story_fields(client, key, rng):
    title = f"Fouttest {key}"
    fields = [
        ("csrf", client.csrf),
        ("sleutel", key),
        ("rol", "jongere"),
        ("titel", title),
        ("verhaal", f"Verzonnen verhaal voor de fouttest {key}. De hulp kwam op tijd en ik werd gehoord."),
    ]
    answers = {}
    for s in SLIDERS:
        v = rng.randint(0, 100)
        answers[s] = v
        fields.append((f"q_{s}", str(v)))
    fields.append(("toestemming_analyse", "ja"))
    return title, fields, answers


def worker(n, args, stats, acked, acked_lock, stop_at):
    rng = random.Random(n * 7919 + int(time.time()))
    client = Client(args.host, args.port, args.project, args.timeout)
    while time.time() < stop_at and client.csrf is None:
        try:
            client.fetch_form()
        except Exception:
            stats.add("form_error")
            time.sleep(0.2)
    while time.time() < stop_at:
        key = f"fout{n:02d}{rng.getrandbits(96):024x}"
        title, fields, answers = story_fields(client, key, rng)
        stats.add("stories_started")
        give_up = time.time() + args.retry_seconds
        attempt = 0
        while True:
            attempt += 1
            try:
                status, html = client.post_story(fields)
            except Exception:
                status, html = None, ""
            m = CODE_RE.search(html) if status == 200 else None
            if m:
                stats.add("acknowledged")
                if attempt > 1:
                    stats.add("acknowledged_after_retry")
                if "al bewaard" in html:
                    stats.add("acknowledged_as_already_saved")
                with acked_lock:
                    acked.write(json.dumps({"key": key, "code": m.group(1), "title": title, "answers": answers}) + "\n")
                break
            stats.add("post_error" if status is None else f"post_status_{status}")
            if status == 403:
                # The CSRF cookie is gone or not accepted: take a fresh form, same story.
                try:
                    client.fetch_form()
                    fields[0] = ("csrf", client.csrf)
                except Exception:
                    pass
            if time.time() > give_up:
                stats.add("given_up")
                break
            time.sleep(min(2.0, 0.1 * attempt))


def cmd_post(args):
    stats = Stats()
    stop_at = time.time() + args.seconds
    started = time.time()
    acked_lock = threading.Lock()
    with open(args.acked, "w") as acked:
        threads = [
            threading.Thread(target=worker, args=(i, args, stats, acked, acked_lock, stop_at), daemon=True)
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.seconds + args.retry_seconds + 60)
    elapsed = time.time() - started
    # Gaps: the longest stretch without any acknowledged story (the outage as clients saw it).
    acks = sorted(t for t, k in stats.events if k == "acknowledged")
    gaps = sorted((b - a for a, b in zip(acks, acks[1:])), reverse=True)[:3]
    summary = dict(stats.counts)
    summary["seconds"] = round(elapsed, 1)
    summary["stories_per_second"] = round(summary.get("acknowledged", 0) / elapsed, 1)
    summary["longest_gaps_without_success_s"] = [round(g, 1) for g in gaps]
    print(json.dumps(summary, sort_keys=True))


def sha256_hex(s):
    return hashlib.sha256(s.encode()).hexdigest()


def query(args, sql):
    """Rows of a query, as lists of strings (sqlite3 or psql command line)."""
    if args.database.startswith("postgres://") or args.database.startswith("postgresql://"):
        out = subprocess.run(["psql", args.database, "-X", "-A", "-t", "-F", "\t", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
    else:
        out = subprocess.run(["sqlite3", "-separator", "\t", args.database, sql],
                             check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line != ""]


def cmd_verify(args):
    acked = [json.loads(line) for line in open(args.acked)]
    rows = query(args, f"SELECT id, title, submission_key, withdrawal_code_hash FROM stories "
                       f"WHERE project_slug = '{args.project}' AND title LIKE 'Fouttest %'")
    by_title = {}
    for story_id, title, key_hash, code_hash in rows:
        by_title.setdefault(title, []).append((story_id, key_hash, code_hash))
    answers = {}
    for story_id, question, value in query(
            args, "SELECT a.story_id, a.question_key, a.number_value FROM answers a "
                  "JOIN stories s ON s.id = a.story_id WHERE s.title LIKE 'Fouttest %'"):
        answers.setdefault(story_id, {})[question] = value
    problems = []
    seen_keys = set()
    for a in acked:
        if a["key"] in seen_keys:
            problems.append(f"{a['key']}: acknowledged twice by the client")
        seen_keys.add(a["key"])
        found = by_title.get(a["title"], [])
        if len(found) != 1:
            problems.append(f"{a['key']}: acknowledged, but {len(found)} rows in the database")
            continue
        story_id, key_hash, code_hash = found[0]
        if key_hash != sha256_hex(a["key"]):
            problems.append(f"{a['key']}: submission key hash differs")
        if code_hash != sha256_hex(a["code"]):
            problems.append(f"{a['key']}: withdrawal code hash differs from the code shown")
        got = answers.get(story_id, {})
        for q, v in a["answers"].items():
            if got.get(q) != str(v):
                problems.append(f"{a['key']}: answer {q} is {got.get(q)!r}, posted {v}")
    duplicates = [t for t, found in by_title.items() if len(found) > 1]
    for t in duplicates:
        problems.append(f"stored more than once: {t}")
    unacked = len([t for t in by_title if t.split(" ", 1)[1] not in seen_keys])
    if args.database.startswith("postgres"):
        integrity = "see pg_amcheck"
        fk = query(args, "SELECT count(*) FROM answers a LEFT JOIN stories s ON s.id = a.story_id WHERE s.id IS NULL")
        orphan_answers = int(fk[0][0])
    else:
        integrity = " ".join(r[0] for r in query(args, "PRAGMA integrity_check"))
        orphan_answers = len(query(args, "PRAGMA foreign_key_check"))
        if integrity != "ok":
            problems.append(f"PRAGMA integrity_check: {integrity}")
    if orphan_answers:
        problems.append(f"{orphan_answers} answers without their story")
    result = {
        "acknowledged": len(acked),
        "stories_in_database": len(rows),
        "acknowledged_found_exactly_once": len(acked) - len([p for p in problems if "rows in the database" in p]),
        "stored_without_acknowledgement": unacked,
        "stored_twice": len(duplicates),
        "integrity_check": integrity,
        "orphan_answers": orphan_answers,
        "problems": problems[:20],
    }
    print(json.dumps(result, sort_keys=True))
    return 1 if problems else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    post = sub.add_parser("post")
    post.add_argument("--host", default="127.0.0.1")
    post.add_argument("--port", type=int, required=True)
    post.add_argument("--project", default="jeugdhulp")
    post.add_argument("--clients", type=int, default=64)
    post.add_argument("--seconds", type=float, default=40)
    post.add_argument("--retry-seconds", type=float, default=60)
    post.add_argument("--timeout", type=float, default=15)
    post.add_argument("--acked", required=True)
    verify = sub.add_parser("verify")
    verify.add_argument("--database", required=True, help="SQLite file or postgres:// URL")
    verify.add_argument("--project", default="jeugdhulp")
    verify.add_argument("--acked", required=True)
    args = p.parse_args()
    if args.cmd == "post":
        cmd_post(args)
        return 0
    return cmd_verify(args)


if __name__ == "__main__":
    sys.exit(main())
