"""Reads an SPSS .sav file with pyreadstat (ReadStat) and prints what it found as JSON, for
the round-trip tests of src/exchange/sav.rs:

    python3 scripts/sav_check.py FILE.sav

Prints one object: file_label, encoding, number_rows (null when the header leaves it
unknown), variables (name, label, format, measure, display_width, alignment, value_labels
as [value, label] pairs, missing_ranges as [low, high] pairs) and rows (user-missing codes
kept as numbers, system-missing as null, dates as YYYY-MM-DD). Needs `pip install pyreadstat`.
"""
import datetime
import json
import math
import sys

try:
    import pyreadstat
except ImportError:
    print("pyreadstat is missing: install it with `python3 -m pip install pyreadstat`",
          file=sys.stderr)
    sys.exit(3)


def cell(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return cell(value.item())
    return value


def main(path):
    # user_missing=True keeps the user-missing codes instead of turning them into NaN.
    df, meta = pyreadstat.read_sav(path, user_missing=True)
    _, header = pyreadstat.read_sav(path, metadataonly=True)
    variables = []
    for name, label in zip(meta.column_names, meta.column_labels):
        labels = meta.variable_value_labels.get(name, {})
        ranges = meta.missing_ranges.get(name, [])
        variables.append({
            "name": name,
            "label": label,
            "format": meta.original_variable_types.get(name),
            "measure": meta.variable_measure.get(name),
            "display_width": meta.variable_display_width.get(name),
            "alignment": meta.variable_alignment.get(name),
            "value_labels": sorted([float(k), v] for k, v in labels.items()),
            "missing_ranges": [[r["lo"], r["hi"]] for r in ranges],
        })
    rows = [[cell(v) for v in row] for row in df.itertuples(index=False, name=None)]
    print(json.dumps({
        "file_label": meta.file_label,
        "encoding": meta.file_encoding,
        "number_rows": header.number_rows,
        "variables": variables,
        "rows": rows,
    }, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python3 scripts/sav_check.py FILE.sav", file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
