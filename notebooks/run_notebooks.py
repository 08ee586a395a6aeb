"""Executes every notebook against a warehouse (the test suite runs this on the demo warehouse).

Usage: python run_notebooks.py WAREHOUSE [--out DIR]
An error in any cell fails with a non-zero exit and names the notebook and the cell.
Executed copies (with outputs) go to --out, never over the committed notebooks.
"""
import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("warehouse")
    ap.add_argument("--out", default=str(HERE.parent / "out" / "notebooks"))
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = ap.parse_args()
    os.environ["CW_WAREHOUSE"] = str(Path(args.warehouse).resolve())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failed, passed = [], 0
    for path in sorted(HERE.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any(c.get("outputs") for c in nb.cells if c.cell_type == "code"):
            failed.append(f"{path.name}: committed with outputs (clear them: python make_notebooks.py)")
            continue
        t0 = time.time()
        client = NotebookClient(nb, timeout=args.timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(HERE)}})
        try:
            client.execute()
            passed += 1
            print(f"ok   {path.name} ({time.time() - t0:.1f} s)")
        except CellExecutionError as e:
            failed.append(f"{path.name}: {str(e).splitlines()[-1] if str(e) else e!r}")
            print(f"FAIL {path.name}\n{e}", file=sys.stderr)
        finally:
            nbformat.write(nb, out / path.name)
    for f in failed:
        print("FAIL", f, file=sys.stderr)
    print(f"notebooks: {passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
