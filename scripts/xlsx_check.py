"""Reads an XLSX file with openpyxl and prints what it holds as JSON, for the tests that read
the spreadsheet exports back (tests/app/proposals_export.rs):

    python3 scripts/xlsx_check.py FILE.xlsx

Prints one object: sheets (the names, in order) and cells (per sheet name, its rows, each a
list of [type, value] pairs). The type is openpyxl's: "s" text, "n" number, "d" date, "b"
true/false, "f" formula. Dates are printed as YYYY-MM-DD (with THH:MM:SS when they have a
time), empty cells as [null, null]. Needs `pip install openpyxl`.
"""
import datetime
import json
import sys

try:
    import openpyxl
except ImportError:
    print("openpyxl is missing: install it with `python3 -m pip install openpyxl`",
          file=sys.stderr)
    sys.exit(3)


def cell(c):
    value = c.value
    if value is None:
        return [None, None]
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return [c.data_type, value.date().isoformat()]
        return [c.data_type, value.isoformat()]
    if isinstance(value, (datetime.date, datetime.time)):
        return [c.data_type, value.isoformat()]
    return [c.data_type, value]


def main(path):
    # Formulas as they are written (not computed values): a formula shows as type "f".
    book = openpyxl.load_workbook(path, data_only=False)
    out = {"sheets": book.sheetnames, "cells": {}}
    for sheet in book.worksheets:
        out["cells"][sheet.title] = [[cell(c) for c in row] for row in sheet.iter_rows()]
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
