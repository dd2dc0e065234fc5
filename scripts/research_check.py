"""Reads a research export the way an onderzoeker's script would and prints what it found as
JSON, for the tests of the tabular formats (tests/app/export.rs):

    python3 scripts/research_check.py csv FILE.csv
    python3 scripts/research_check.py csv-nl FILE.csv
    python3 scripts/research_check.py xlsx FILE.xlsx

csv and csv-nl are read with pandas (`read_csv`; for csv-nl with `sep=";"` and
`encoding="utf-8-sig"`, as Dutch Excel writes it), created_at parsed as a date. xlsx is read
with openpyxl, cell by cell, so that the types the file declares are seen.

Prints one object: columns (in order), dtypes (pandas' dtype per column; for xlsx the Python
types found per column), sheets (xlsx) and rows (a list of objects; missing values as null,
dates as YYYY-MM-DD); for xlsx also about (the sheet toelichting) and codebook (the rows
of the sheet codeboek). Needs `pip install pandas openpyxl`.
"""
import datetime
import json
import math
import sys

try:
    import pandas
    import openpyxl
except ImportError:
    print("pandas or openpyxl is missing: `python3 -m pip install pandas openpyxl`",
          file=sys.stderr)
    sys.exit(3)


def cell(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pandas.NaT:
        return None
    if isinstance(value, (datetime.date, datetime.datetime, pandas.Timestamp)):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):  # numpy scalars
        return cell(value.item())
    return value


def read_csv(path, dutch):
    options = {"sep": ";", "encoding": "utf-8-sig"} if dutch else {"encoding": "utf-8"}
    # Every text column as text (keep_default_na=False keeps "" apart from the value "NA");
    # numbers and booleans are left for pandas to infer, as a user's script would.
    frame = pandas.read_csv(path, parse_dates=["created_at"], date_format="%Y-%m-%d",
                            **options)
    return {
        "columns": list(frame.columns),
        "dtypes": {c: str(t) for c, t in frame.dtypes.items()},
        "rows": [{c: cell(v) for c, v in row.items()} for row in frame.to_dict("records")],
    }


def read_xlsx(path):
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book["verhalen"]
    lines = list(sheet.iter_rows(values_only=True))
    columns = list(lines[0])
    types = {c: set() for c in columns}
    rows = []
    for line in lines[1:]:
        row = {}
        for c, v in zip(columns, line):
            if v is not None:
                types[c].add(type(v).__name__)
            row[c] = cell(v)
        rows.append(row)
    about = {r[0]: r[1] for r in book["toelichting"].iter_rows(values_only=True)}
    codebook = [list(r) for r in book["codeboek"].iter_rows(values_only=True)]
    return {
        "codebook": codebook,
        "columns": columns,
        "dtypes": {c: sorted(t) for c, t in types.items()},
        "sheets": book.sheetnames,
        "about": about,
        "rows": rows,
    }


def main(kind, path):
    if kind == "xlsx":
        found = read_xlsx(path)
    else:
        found = read_csv(path, kind == "csv-nl")
    json.dump(found, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("csv", "csv-nl", "xlsx"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
