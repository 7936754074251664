#!/usr/bin/env python3
"""Proves scripts/check_layers.py can fail: on a copy of this checkout's Package.swift,
docs/architecture.md and Sources/ it passes, and each planted fault makes it fail with a
line naming the file and the import (run by `make test`)."""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHECK = ROOT / "scripts" / "check_layers.py"


def run(root: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECK), "--root", str(root)], capture_output=True, text=True)


def copy() -> pathlib.Path:
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="check-layers-"))
    shutil.copytree(ROOT / "Sources", tmp / "Sources")
    (tmp / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "architecture.md", tmp / "docs")
    shutil.copy(ROOT / "Package.swift", tmp)
    return tmp


def expect_failure(name: str, plant, mentions: list[str]) -> None:
    root = copy()
    try:
        plant(root)
        r = run(root)
        assert r.returncode == 1, f"{name}: exit {r.returncode}, expected 1\n{r.stdout}{r.stderr}"
        for m in mentions:
            assert m in r.stdout, f"{name}: output lacks {m!r}:\n{r.stdout}"
        print(f"ok  {name}: {r.stdout.strip().splitlines()[0]}")
    finally:
        shutil.rmtree(root)


def main() -> int:
    root = copy()
    try:
        r = run(root)
        assert r.returncode == 0, f"the unchanged copy fails:\n{r.stdout}{r.stderr}"
        print("ok  unchanged copy passes")
    finally:
        shutil.rmtree(root)

    def upward(root):  # an algorithm that imports the network
        f = root / "Sources" / "Analytics" / "PCA.swift"
        f.write_text("import Model\n" + f.read_text())
    expect_failure("Analytics imports Model", upward, ["Sources/Analytics/PCA.swift:1: import Model", "Analytics may import only"])

    def tui_runs_pipelines(root):  # @testable and attributes are still imports
        f = root / "Sources" / "Workbench" / "Pane.swift"
        f.write_text(f.read_text() + "\n@preconcurrency import Pipelines\n")
        d = root / "Package.swift"
        d.write_text(d.read_text().replace('"Analytics", "Query"], swiftSettings', '"Analytics", "Query", "Pipelines"], swiftSettings'))
    expect_failure("Workbench imports Pipelines", tui_runs_pipelines, ["Sources/Workbench/Pane.swift", "import Pipelines"])

    def undeclared(root):  # allowed by the table, missing from Package.swift
        d = root / "Package.swift"
        text = d.read_text()
        changed = re.sub(r'(name: "Training", dependencies: \[)"Engine", ', r"\1", text)
        assert changed != text, "Package.swift: Training's dependency list does not start with Engine"
        d.write_text(changed)
    expect_failure("Training's Engine import undeclared", undeclared, ["Sources/Training/", "import Engine: not declared in Package.swift"])

    def unlisted(root):  # a new module without a row in the table
        (root / "Sources" / "Bench").mkdir()
        (root / "Sources" / "Bench" / "Main.swift").write_text("import Foundation\n")
    expect_failure("module without a row", unlisted, ["Sources/Bench: no row"])

    def in_string(root):  # Python inside a Swift multi-line string is not an import
        f = root / "Sources" / "Store" / "StoreLayout.swift"
        f.write_text(f.read_text() + '\nlet _script = """\nimport numpy\n"""\n')
        r = run(root)
        assert r.returncode == 0, f"an import inside a string literal was counted:\n{r.stdout}"
        f.write_text(f.read_text() + "import Workbench\n")
    expect_failure("Store imports Workbench after a string literal", in_string, ["StoreLayout.swift", "import Workbench"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
