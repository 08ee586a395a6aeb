#!/usr/bin/env python3
"""Compare the rows of two warehouses, table by table, as written by .ci/cluster-test.

Input: a CSV (side, tbl, row) where side is "a" (cluster) or "b" (local) and row is one table row as
JSON. Rows are compared as multisets (order-free, duplicates counted); numbers are read exactly
(Decimal) and compared to 12 significant digits: sums of doubles over different partitionings may
differ in the last bits, while money decimals up to 10^10 keep every cent.
Exit 0 when every table is equal on both sides and most tables hold rows (a table may be empty on
both sides: one day's landing has no revenue target, dossier report or negative rating; a run where
most tables are empty proves nothing and fails); 1 otherwise, naming the table and a few rows found
on one side only.
"""
import csv, json, sys
from decimal import Decimal
from collections import Counter
path, tables = sys.argv[1], sys.argv[2:]
def norm(v):
    if isinstance(v, Decimal): return f"{v:.12g}"
    if isinstance(v, dict): return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list): return [norm(x) for x in v]
    return v
rows = {(s, t): Counter() for s in "ab" for t in tables}
with open(path, encoding="utf-8", newline="") as f:
    r = csv.reader(f); header = next(r)
    assert header == ["side", "tbl", "row"], f"unexpected header {header}"
    for side, tbl, row in r:
        rows[(side, tbl)][json.dumps(norm(json.loads(row, parse_float=Decimal)), sort_keys=True, ensure_ascii=False)] += 1
bad = 0
filled = 0
for t in tables:
    a, b = rows[("a", t)], rows[("b", t)]
    na, nb = sum(a.values()), sum(b.values())
    if na == 0 and nb == 0:
        print(f"  {t}: empty on both sides", file=sys.stderr); continue
    filled += 1
    if a != b:
        bad += 1
        print(f"  {t}: DIFFERENT ({na} vs {nb} rows)", file=sys.stderr)
        for k in list((a - b).keys())[:3]: print(f"     only cluster: {k}", file=sys.stderr)
        for k in list((b - a).keys())[:3]: print(f"     only local:   {k}", file=sys.stderr)
    else:
        print(f"  {t}: {na} rows equal", file=sys.stderr)
if filled * 4 < len(tables) * 3:
    print(f"  only {filled} of {len(tables)} tables hold rows: the comparison proves too little", file=sys.stderr)
    bad += 1
sys.exit(1 if bad else 0)
