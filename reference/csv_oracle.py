#!/usr/bin/env python3
"""CSV oracle for the Importers tests: numpy reads delimited text files as a user would.

  read OUT_DIR SPEC...   each SPEC is PATH|SEP|HEADER|DECIMAL (SEP one of , ; tab; HEADER yes or
                         no; DECIMAL . or ,). For the i-th file, numpy.loadtxt with that
                         separator (each cell parsed by Python's float: the correctly rounded
                         double; a decimal comma replaced by a point first) writes its values
                         as float64, column after column, to OUT_DIR/<i>.bin, and prints a JSON
                         list of {"columns": [header names, or [] without a header], "rows": n}.
"""
import json
import os
import sys

import numpy as np


def read(out_dir, specs):
    os.makedirs(out_dir, exist_ok=True)
    result = []
    for i, spec in enumerate(specs):
        path, sep, header, decimal = spec.split("|")
        delimiter = "\t" if sep == "tab" else sep
        with open(path, encoding="utf-8-sig") as f:
            names = [c.strip() for c in f.readline().rstrip("\r\n").split(delimiter)] if header == "yes" else []
        convert = (lambda s: float(s.replace(",", "."))) if decimal == "," else float
        values = np.loadtxt(path, delimiter=delimiter, skiprows=1 if header == "yes" else 0, dtype=np.float64,
                            converters=convert, encoding="utf-8-sig", ndmin=2)
        np.ascontiguousarray(values.T, dtype="<f8").tofile(os.path.join(out_dir, f"{i}.bin"))
        result.append({"columns": names, "rows": int(values.shape[0])})
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "read":
        sys.exit(__doc__)
    read(sys.argv[2], sys.argv[3:])
