#!/usr/bin/env python3
"""Vertelpunt's anonymiser beside deduce on the same sentences (issue 18, docs/anonymisation.md).

    pip install deduce          # only for this comparison; never used by the product
    python3 scripts/anonymise_vs_deduce.py                 # runs the Rust test that writes JSON
    python3 scripts/anonymise_vs_deduce.py --predictions target/anonymise_v2_predictions.json

Reads the two v2 test sets in tests/fixtures/anonymisation/ (sentences_v2.tsv, the part the
rules were developed with, and sentences_v2_heldout.tsv, written first and run only at the end),
gets Vertelpunt's spans from `cargo test --lib anonymise::tests::write_predictions -- --ignored`
(which writes them as JSON), runs deduce (the Dutch de-identification tool of UMC Utrecht) on the
same plain sentences, and prints recall and precision per kind for both, per set, as markdown.

Counting is the same as in src/domain/anonymise/tests.rs: a gold span is found when a predicted
span of the same kind overlaps it; a predicted span is correct when it overlaps a gold span of
the same kind; postcode counts as adres and organisatie as naam. deduce's tags are mapped to our
kinds: persoon/patient -> naam, instelling/ziekenhuis -> organisatie, locatie -> adres,
telefoonnummer -> telefoon, emailadres -> e-mail, url, bsn, datum; `id` counts as bsn.
deduce's `leeftijd` (ages) is left out of the counts and reported apart: our sets keep ages, as
the project does. deduce also removes places (as locatie); our sets keep them, so those count as
wrong predictions, which is this project's policy and not deduce's.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "dev": ROOT / "tests/fixtures/anonymisation/sentences_v2.tsv",
    "heldout": ROOT / "tests/fixtures/anonymisation/sentences_v2_heldout.tsv",
}
KINDS = ["naam", "organisatie", "telefoon", "e-mail", "adres", "postcode", "bsn", "datum", "url"]
STRUCTURED = {"telefoon", "e-mail", "adres", "postcode", "bsn", "datum", "url"}
DEDUCE_TAGS = {
    "persoon": "naam",
    "patient": "naam",
    "instelling": "organisatie",
    "ziekenhuis": "organisatie",
    "locatie": "adres",
    "telefoonnummer": "telefoon",
    "emailadres": "e-mail",
    "url": "url",
    "bsn": "bsn",
    "id": "bsn",
    "datum": "datum",
}


def norm(kind):
    return {"postcode": "adres", "organisatie": "naam"}.get(kind, kind)


def parse_gold(path):
    """id -> (text, [(start, end, kind)]) with character offsets, as tests.rs parses them."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sid, marked = line.split("\t", 1)
        text, spans, rest = "", [], marked
        while "{" in rest:
            i = rest.index("{")
            text += rest[:i]
            j = rest.index("}", i)
            kind, inner = rest[i + 1 : j].split(":", 1)
            spans.append((len(text), len(text) + len(inner), kind))
            text += inner
            rest = rest[j + 1 :]
        text += rest
        out[sid] = (text, spans)
    return out


def vertelpunt_predictions(path):
    if path is None:
        path = Path(tempfile.mkdtemp()) / "vertelpunt.json"
        env = dict(os.environ, VERTELPUNT_ANON_JSON=str(path))
        cmd = ["cargo", "test", "--lib", "anonymise::tests::write_predictions", "--", "--ignored"]
        print("running:", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    preds = {}
    for r in rows:
        raw = r["text"].encode("utf-8")
        spans = []
        for start, end, kind in r["spans"]:
            cs = len(raw[:start].decode("utf-8"))
            ce = len(raw[:end].decode("utf-8"))
            spans.append((cs, ce, kind))
        preds[(r["set"], r["id"])] = spans
    return preds


def deduce_predictions(gold):
    from deduce import Deduce  # imported here: only this script needs it

    deduce = Deduce()
    preds, ages = {}, 0
    for key, (text, _) in gold.items():
        doc = deduce.deidentify(text)
        spans = []
        for a in doc.annotations:
            kind = DEDUCE_TAGS.get(a.tag)
            if kind is None:
                ages += a.tag == "leeftijd"
                continue
            spans.append((a.start_char, a.end_char, kind))
        preds[key] = spans
    return preds, ages


def evaluate(gold, preds):
    """Counts per kind, per group, per sentence category (names only), clean sentences kept."""
    per_kind = defaultdict(lambda: [0, 0, 0, 0])  # gold, found, predicted, correct
    per_cat = defaultdict(lambda: [0, 0, 0, 0])
    clean = kept = 0
    for key, (text, spans) in gold.items():
        pred = preds.get(key, [])
        cat = re.match(r"[a-z]+", key[1]).group(0)
        if not spans:
            clean += 1
            kept += not pred
        for s, e, k in spans:
            hit = any(ps < e and s < pe and norm(pk) == norm(k) for ps, pe, pk in pred)
            per_kind[k][0] += 1
            per_kind[k][1] += hit
            if k not in STRUCTURED:
                per_cat[cat][0] += 1
                per_cat[cat][1] += hit
        for ps, pe, pk in pred:
            ok = any(ps < e and s < pe and norm(pk) == norm(k) for s, e, k in spans)
            per_kind[pk][2] += 1
            per_kind[pk][3] += ok
            if pk not in STRUCTURED:
                per_cat[cat][2] += 1
                per_cat[cat][3] += ok
    groups = {"structured": [0, 0, 0, 0], "names": [0, 0, 0, 0]}
    for k, c in per_kind.items():
        g = groups["structured" if k in STRUCTURED else "names"]
        for i in range(4):
            g[i] += c[i]
    return per_kind, groups, per_cat, (kept, clean)


def ratio(a, b):
    return a / b if b else 1.0


def fmt(c):
    return f"{ratio(c[1], c[0]):.3f} ({c[1]}/{c[0]})", f"{ratio(c[3], c[2]):.3f} ({c[3]}/{c[2]})"


def table(title, rows):
    print(f"\n{title}\n")
    print("| kind | Vertelpunt recall | deduce recall | Vertelpunt precision | deduce precision |")
    print("|---|---:|---:|---:|---:|")
    for name, ours, theirs in rows:
        r1, p1 = fmt(ours)
        r2, p2 = fmt(theirs)
        print(f"| {name} | {r1} | {r2} | {p1} | {p2} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--predictions", help="JSON written by the Rust test (else it is run)")
    ap.add_argument("--sets", default="dev,heldout", help="which sets: dev, heldout or both")
    args = ap.parse_args()
    chosen = args.sets.split(",")
    gold = {}
    for name, path in SETS.items():
        if name not in chosen:
            continue
        for sid, v in parse_gold(path).items():
            gold[(name, sid)] = v
    ours = vertelpunt_predictions(args.predictions)
    missing = [k for k in gold if k not in ours]
    if missing:
        sys.exit(f"no Vertelpunt predictions for {len(missing)} sentences, e.g. {missing[:3]}")
    theirs, ages = deduce_predictions(gold)
    for scope in chosen + (["all"] if len(chosen) > 1 else []):
        sub = {k: v for k, v in gold.items() if scope == "all" or k[0] == scope}
        a = evaluate(sub, ours)
        b = evaluate(sub, theirs)
        rows = [(k, a[0][k], b[0][k]) for k in KINDS if a[0][k][0] or a[0][k][2] or b[0][k][2]]
        rows += [(f"**{g}**", a[1][g], b[1][g]) for g in ["structured", "names"]]
        table(f"### {scope}: {len(sub)} sentences (recall = found/gold, precision = correct/predicted)", rows)
        cats = sorted(set(a[2]) | set(b[2]), key=lambda c: (c == "n", c))
        table(f"#### {scope}: names and organisations per category of sentence",
              [(c, a[2][c], b[2][c]) for c in cats])
        print(
            f"\nsentences without personal data left unchanged: Vertelpunt {a[3][0]} of {a[3][1]},"
            f" deduce {b[3][0]} of {b[3][1]}"
        )
    print(f"\n(deduce also tagged {ages} ages (leeftijd), left out of the counts above)")


if __name__ == "__main__":
    main()
