'use strict';
// Reads what the server under test stored, straight from its SQLite file (DATABASE_URL, set
// by e2e/run), with Python's sqlite3 module: the browser tests check storage, not only pages.

const { execFileSync } = require('node:child_process');

const QUERY = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT id, title, body FROM stories WHERE body LIKE ? AND withdrawn_at IS NULL", ('%' + sys.argv[2] + '%',)).fetchall()
out = []
for (sid, title, body) in rows:
    answers = {}
    for (key, number, text, na) in db.execute("SELECT question_key, number_value, text_value, is_na FROM answers WHERE story_id = ?", (sid,)):
        answers[key] = {"number": number, "text": text, "na": bool(na)}
    out.append({"id": sid, "title": title, "body": body, "answers": answers})
print(json.dumps(out))
`;

const DRAFTS = `
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM story_drafts WHERE content LIKE ?", ('%' + sys.argv[2] + '%',)).fetchone()[0])
`;

function databaseFile() {
  const url = process.env.DATABASE_URL || '';
  if (!url || url.startsWith('postgres')) throw new Error('the browser tests read a SQLite DATABASE_URL');
  return url.replace(/^sqlite:\/\//, '');
}

/** The stories (not withdrawn) whose text contains `marker`, with their answers. */
function storiesWith(marker) {
  return JSON.parse(execFileSync('python3', ['-c', QUERY, databaseFile(), marker], { encoding: 'utf8' }));
}

/** How many saved drafts contain `marker`. */
function draftsWith(marker) {
  return Number(execFileSync('python3', ['-c', DRAFTS, databaseFile(), marker], { encoding: 'utf8' }).trim());
}

module.exports = { storiesWith, draftsWith };
