#!/usr/bin/env python3
"""Checks every `import` in Sources/ against the layers documented in docs/architecture.md.

The table under "## Allowed imports" in docs/architecture.md is the rule: one row per module
(a folder of Sources/), its second column the package modules it may import. Toolchain
modules (Foundation, Dispatch, Glibc, ...) are always allowed. The script fails, naming the
file, line and import, when

- a Swift file imports a package module its module's row does not allow,
- a module of Sources/ has no row in the table,
- an import is allowed by the table but not declared as a dependency of the target in
  Package.swift (SwiftPM would build it by accident of build order, or not at all).

It also reports a dependency declared in Package.swift that no file imports.

Usage: scripts/check_layers.py [--root DIR]   (DIR: the package root, default: this checkout)
Exit status: 0 when every import follows the table, 1 otherwise (one line per problem).
"""
import argparse
import pathlib
import re
import sys

# Modules that come with the Swift toolchain or the OS, importable from any layer.
TOOLCHAIN = {"Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Darwin", "Musl", "Testing",
             "XCTest", "Synchronization", "_Concurrency", "os"}

IMPORT = re.compile(r"^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?"
                    r"([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_.]+)?\s*(?://.*)?$")


def allowed_table(doc: pathlib.Path) -> dict[str, set[str]]:
    """The "## Allowed imports" table: module -> the package modules it may import."""
    text = doc.read_text()
    start = text.find("## Allowed imports")
    if start < 0:
        sys.exit(f"{doc}: no '## Allowed imports' section")
    table: dict[str, set[str]] = {}
    for line in text[start:].splitlines()[1:]:
        if line.startswith("## "):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) < 2 or cells[0] in ("module", "") or set(cells[0]) <= set("-: "):
            continue
        names = re.findall(r"`([^`]+)`", cells[0])
        if not names:
            continue
        may = set(re.findall(r"`([^`]+)`", cells[1]))
        for name in names:
            table[name] = may
    if not table:
        sys.exit(f"{doc}: the '## Allowed imports' table has no rows")
    return table


def declared_dependencies(package: pathlib.Path) -> dict[str, set[str]]:
    """Target name -> the target and product names in its `dependencies: [...]` in Package.swift."""
    text = package.read_text()
    out: dict[str, set[str]] = {}
    for m in re.finditer(r'\.(?:target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"([^"]+)"', text):
        name, rest = m.group(1), text[m.end():]
        end = rest.find("\n        .")  # the next target at the same indentation
        body = rest if end < 0 else rest[:end]
        deps = set()
        d = re.search(r"dependencies:\s*\[", body)
        if d:
            depth, i = 1, d.end()
            while i < len(body) and depth:
                depth += {"[": 1, "]": -1}.get(body[i], 0)
                i += 1
            deps = set(re.findall(r'"([^"]+)"', re.sub(r'package:\s*"[^"]+"', "", body[d.end():i])))
        out[name] = deps
    return out


def imports(path: pathlib.Path):
    """(line number, module) of every Swift import, skipping text inside multi-line string literals."""
    in_string = False
    for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        if line.count('"""') % 2 == 1:
            in_string = not in_string
            continue
        if in_string:
            continue
        m = IMPORT.match(line)
        if m:
            yield n, m.group(1)


def check(root: pathlib.Path) -> list[str]:
    sources = root / "Sources"
    table = allowed_table(root / "docs" / "architecture.md")
    declared = declared_dependencies(root / "Package.swift")
    # A module's own name: its folder; a system-library folder holds no Swift files.
    modules = sorted(p.name for p in sources.iterdir() if p.is_dir() and any(p.rglob("*.swift")))
    package_modules = {p.name for p in sources.iterdir() if p.is_dir()} | {"ArgumentParser"}
    problems, used = [], {}
    for module in modules:
        if module not in table:
            problems.append(f"Sources/{module}: no row in docs/architecture.md's allowed-imports table")
            continue
        for file in sorted((sources / module).rglob("*.swift")):
            rel = file.relative_to(root)
            for line, name in imports(file):
                if name in TOOLCHAIN or name == module:
                    continue
                used.setdefault(module, set()).add(name)
                if name not in package_modules:
                    problems.append(f"{rel}:{line}: import {name}: not a module of this package nor of the toolchain")
                elif name not in table[module]:
                    problems.append(f"{rel}:{line}: import {name}: {module} may import only "
                                    f"{', '.join(sorted(table[module])) or 'toolchain modules'} (docs/architecture.md)")
                elif module in declared and name not in declared[module]:
                    problems.append(f"{rel}:{line}: import {name}: not declared in Package.swift's dependencies of {module}")
    for module in modules:
        for dep in sorted(declared.get(module, set()) - used.get(module, set())):
            problems.append(f"Package.swift: {module} declares {dep} and never imports it")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent)
    root = parser.parse_args().root
    problems = check(root)
    for p in problems:
        print(p)
    if not problems:
        print(f"layers: every import in {root / 'Sources'} follows docs/architecture.md")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
