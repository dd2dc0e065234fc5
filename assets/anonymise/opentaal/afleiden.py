#!/usr/bin/env python3
"""Derives the three OpenTaal lists of the anonymiser from Debian's wdutch package (the OpenTaal
word list, BSD licence, see ../README.md):

    apt-get install wdutch
    python3 assets/anonymise/opentaal/afleiden.py /usr/share/dict/dutch

- woorden.txt: every word that starts with a lower-case letter (one token: letters, ' and -):
  the ordinary Dutch words, with their inflections.
- eigennamen.txt: every word that starts with a capital (one token, not all capitals): names
  of places, people, brands, languages... A capitalised word the anonymiser does not know from
  its own lists counts as a name only in context when it is here.
- voornamen.txt: the capitalised words that also have a possessive form in the list (Anouar →
  Anouars, Marisa → Marisa's): in OpenTaal these are almost only first names. Places from
  ../plaatsen.txt, demonyms and compounds with a hyphen are left out.
"""
import re
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/dutch"
words = [w.strip() for w in open(src, encoding="utf-8") if w.strip()]
token = re.compile(r"^[^\W\d_][\w'’-]*$")
lower = sorted({w for w in words if token.match(w) and w[0].islower() and not any(c.isdigit() or c == '_' for c in w)})
caps = {w for w in words if token.match(w) and w[0].isupper() and not w.isupper() and not any(c.isdigit() or c == '_' for c in w)}
places = set()
for line in open(here.parent / "plaatsen.txt", encoding="utf-8"):
    if not line.startswith("#"):
        places.update(x.lower() for x in line.split())
demonym = re.compile(r"(aar|aars|ers|iër|iërs|ees|ezen|aan|anen|se|er)$")
firsts = []
for c in sorted(caps):
    if "-" in c or "'" in c or c.lower() in places or len(c) < 3:
        continue
    if not any((c + s) in caps for s in ("'s", "s", "'")):
        continue
    if (c + "se") in caps or (c + "er") in caps or (c + "se") in lower or c.endswith("s") and c[:-1] in caps:
        continue
    if demonym.search(c) and c[:-2] + "e" not in caps and (c.endswith("aar") or c.endswith("iër") or c.endswith("ees")):
        continue
    firsts.append(c)
head = "# Afgeleid uit de OpenTaal-woordenlijst (Debian-pakket wdutch, /usr/share/dict/dutch) door\n# afleiden.py; BSD-licentie van OpenTaal, zie ../README.md. Niet met de hand bewerken.\n"
(here / "woorden.txt").write_text(head + "\n".join(lower) + "\n", encoding="utf-8")
(here / "eigennamen.txt").write_text(head + "\n".join(sorted(caps)) + "\n", encoding="utf-8")
(here / "voornamen.txt").write_text(head + "\n".join(firsts) + "\n", encoding="utf-8")
print(len(lower), "words,", len(caps), "proper nouns,", len(firsts), "first names")
