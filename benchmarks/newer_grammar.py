#!/usr/bin/env python3
"""What lowering newer grammar (PEP 695/701 under Python 3.11) costs on a large module.

    python3 benchmarks/newer_grammar.py [--runs 5] [--corpus nova==31.0.0] [--json PATH]

The module is nova's ``nova/compute/manager.py`` (about 12,000 lines, one class) with a few
constructs the running parser rejects written in: a method with type parameters and a PEP 701
f-string inside the class, a ``type`` alias and a generic function after it. Two routes take
turns within each round: the whole module handed to libcst (as evlint did before), and libcst
given only the statements ``ast`` rejects (``evlint.newer_grammar``'s default); both end with
the tree ``ast`` parses from the lowered text, and the two trees must be the same. Only
meaningful where the running Python is older than 3.12 (from 3.12 ``ast`` reads the module
itself, and the script says so).
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # benchmarks/run.py: the corpora

IN_CLASS = """
    def newer_method[T](self, item: T) -> T:
        data = {"key": item}
        return f"{data["key"]}"
"""
AFTER = """

type Alias[T] = list[T]


def newer_function[T](x: T) -> str:
    d = {"k": x}
    return f"{d["k"]}"
"""


def module(corpus: Path) -> str:
    """manager.py with the constructs: one method at the end of its last class, two after it."""
    text = (corpus / "nova" / "compute" / "manager.py").read_text(encoding="utf-8")
    return text.rstrip("\n") + "\n" + IN_CLASS + AFTER


def routes() -> dict[str, Callable[[str], ast.Module]]:
    from evlint import newer_grammar

    def whole(text: str) -> ast.Module:
        lowered = newer_grammar._whole(text)
        assert lowered is not None
        return ast.parse(lowered)

    def by_statement(text: str) -> ast.Module:
        try:
            ast.parse(text)
        except SyntaxError as error:
            return newer_grammar.parse_lowered(text, "manager.py", error)
        raise AssertionError("the running parser reads this module: nothing to lower")

    return {"whole module to libcst": whole, "statements ast rejects": by_statement}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", default="nova==31.0.0")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    text = module(bench.corpus_dir(args.corpus))
    try:
        ast.parse(text)
    except SyntaxError:
        pass
    else:
        print(f"Python {sys.version.split()[0]} parses PEP 695/701 itself: nothing is lowered")
        return 0
    import libcst  # noqa: F401  (imported once, before any timing)

    chosen = routes()
    walls: dict[str, list[float]] = {name: [] for name in chosen}
    trees: dict[str, str] = {}
    names = list(chosen)
    for round_ in range(args.runs):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            start = time.perf_counter()
            tree = chosen[name](text)
            walls[name].append(time.perf_counter() - start)
            trees[name] = ast.dump(tree)
    if len(set(trees.values())) != 1:
        raise SystemExit("the two routes gave different trees")
    lines = text.count("\n")
    print(f"| {lines:,}-line module, lowered | median s | min-max s |")
    print("|---|---|---|")
    for name, found in walls.items():
        spread = f"{min(found):.3f}-{max(found):.3f}"
        print(f"| {name} | {statistics.median(found):.3f} | {spread} |")
    if args.json is not None:
        document = {**bench.run_stamp(), "lines": lines, "walls": walls}
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
