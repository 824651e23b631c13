"""Rewrite lexicons/loaded.tsv and lexicons/evaluative.tsv from an entry-by-entry review.

    .venv/bin/python benchmarks/apply_lexicon_review.py --review-dir DIR [--lexicons framing/lexicons] [--check]

DIR holds one or more ``part-*.review.tsv`` files (UTF-8, tab-separated, a header line, no quoting), with the
columns ``pattern old_category decision category explanation not_when condition reason``:

- ``decision`` is ``loaded``, ``evaluative`` or ``drop``; ``category`` one of the tier's categories (below);
- a row whose ``old_category`` is ``new`` adds an entry (source ``framing-team``); any other row updates the
  entry with that pattern (it keeps its ``source``) or, for ``drop``, removes it;
- ``condition`` is checked with the matcher's own parser (framing.lexicons.compile_condition).

Entries no review row names stay as they are (an unreviewed part). The script is idempotent: entries are found
by pattern in loaded.tsv and evaluative.tsv together, so running it again after more parts arrive gives the same
files as one run over all parts. A malformed row is reported as ``file:line: problem`` and skipped (its entry
stays as it is); nothing else stops the run. ``--check`` reports without writing.
Scare quotes are not entries: framing finds them in the text (category ``scare_quote`` of ``loaded``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from framing.errors import LexiconError
from framing.lexicons import compile_condition, parse_lexicon

HERE = Path(__file__).resolve().parent
COLUMNS = ("pattern", "old_category", "decision", "category", "explanation", "not_when", "condition", "reason")
TIERS = {
    "loaded": ("crime_terror_label", "derogatory_political_label", "delegitimising_label", "dehumanising_metaphor",
               "war_metaphor", "disaster_metaphor", "loaded_verb", "doubt_casting"),
    "evaluative": ("praise", "disapproval", "intensifier", "comment_adverb"),
}
OUTPUT_COLUMNS = ("pattern", "category", "explanation", "source", "not_when", "condition")
MAX_EXPLANATION = 200
VOICED = ("the writer", "the author", "the reporter")
HEADERS = {
    "loaded": [
        "loaded.tsv: loaded terms, framing devices a teacher would point at: crime and terror labels, partisan,",
        "derogatory and delegitimising names, dehumanising, war and disaster metaphors used of people or policy,",
        "loaded verbs of saying and doing, and words that cast doubt on a claim without showing why.",
        "A hit means \"this wording judges or frames\"; it does not mean the statement is false. Plain praise,",
        "disapproval, intensifiers and comment adverbs are in evaluative.tsv (reported separately).",
        "Columns: pattern, category, explanation (this word's own), source, not_when (the neutral sense a reader",
        "should not count), condition (sense checks, README.md \"Conditions\"). Sources: README.md \"### loaded.tsv\".",
    ],
    "evaluative": [
        "evaluative.tsv: evaluative words, reported apart from loaded terms and off by default in the teaching",
        "view: plain praise, plain disapproval, intensifiers and comment adverbs. They colour a text without",
        "framing it the way a label or a metaphor does. Same columns as loaded.tsv; sources: README.md",
        "\"### evaluative.tsv\".",
    ],
}


@dataclass
class Row:
    where: str
    pattern: str
    old_category: str
    decision: str
    category: str
    explanation: str
    not_when: str
    condition: str


def _normal(pattern: str) -> str:
    return " ".join(pattern.strip().lower().split())


def read_reviews(folder: Path, problems: list[str]) -> list[Row]:
    rows: list[Row] = []
    files = sorted(folder.glob("part-*.review.tsv"))
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot read: {exc}")
            continue
        header = None
        for number, line in enumerate(lines, start=1):
            where = f"{path.name}:{number}"
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in line.split("\t")]
            if header is None:
                header = [c.lower() for c in cells]
                missing = [c for c in COLUMNS[:5] if c not in header]
                if missing:
                    problems.append(f"{where}: header lacks {', '.join(missing)}; file skipped")
                    break
                continue
            if len(cells) > len(header):
                if any(cells[len(header):]):
                    problems.append(f"{where}: {len(cells)} cells for {len(header)} columns (a tab inside a cell?); "
                                    "row skipped")
                    continue
                cells = cells[:len(header)]
            values = dict(zip(header, cells + [""] * (len(header) - len(cells))))
            row = Row(where, _normal(values.get("pattern", "")), values.get("old_category", ""),
                      values.get("decision", "").lower(), values.get("category", ""), values.get("explanation", ""),
                      values.get("not_when", ""), values.get("condition", ""))
            if not row.pattern:
                problems.append(f"{where}: no pattern; row skipped")
                continue
            if row.decision not in ("loaded", "evaluative", "drop"):
                problems.append(f"{where}: {row.pattern!r}: decision {row.decision!r} is not loaded, evaluative or "
                                "drop; row skipped")
                continue
            if row.decision != "drop":
                if row.category not in TIERS[row.decision]:
                    problems.append(f"{where}: {row.pattern!r}: category {row.category!r} is not one of "
                                    f"{row.decision}'s ({', '.join(TIERS[row.decision])}); row skipped")
                    continue
                if not row.explanation:
                    problems.append(f"{where}: {row.pattern!r}: no explanation; row skipped")
                    continue
                try:
                    compile_condition(row.condition, where)
                except LexiconError as exc:
                    problems.append(f"{exc}; row skipped")
                    continue
                if len(row.explanation) > MAX_EXPLANATION:
                    problems.append(f"{where}: {row.pattern!r}: explanation of {len(row.explanation)} characters "
                                    f"(spec: at most {MAX_EXPLANATION}); kept")
                if any(v in row.explanation.lower() for v in VOICED):
                    problems.append(f"{where}: {row.pattern!r}: explanation names a voice ('the writer'...); kept")
            rows.append(row)
    if not files:
        problems.append(f"{folder}: no part-*.review.tsv files")
    return rows


def read_tier(folder: Path, name: str) -> list[dict]:
    path = folder / f"{name}.tsv"
    if not path.exists():
        return []
    entries = parse_lexicon(path.read_text(encoding="utf-8"), name=name, path=str(path), suffix=".tsv")
    return [{"pattern": e.pattern, "category": e.category, "explanation": e.explanation, "source": e.source,
             "not_when": e.not_when, "condition": e.condition, "tier": name, "order": (i if name == "loaded" else
                                                                                      10_000 + i)}
            for i, e in enumerate(entries)]


def apply(rows: list[Row], entries: list[dict], problems: list[str]) -> tuple[list[dict], Counter]:
    by_pattern = {e["pattern"]: e for e in entries}
    seen: dict[str, str] = {}
    tally: Counter = Counter()
    next_order = 20_000
    last: dict[str, Row] = {}
    for row in rows:
        if row.pattern in seen:
            problems.append(f"{row.where}: {row.pattern!r} already reviewed at {seen[row.pattern]}; the later row wins")
        seen[row.pattern] = row.where
        last[row.pattern] = row
    for row in last.values():
        entry = by_pattern.get(row.pattern)
        if entry is None and row.old_category != "new":
            if row.decision == "drop":
                tally["drop (already gone)"] += 1
            else:
                problems.append(f"{row.where}: {row.pattern!r} is in neither loaded.tsv nor evaluative.tsv; added as "
                                "a new entry")
        if row.decision == "drop":
            if entry is not None:
                del by_pattern[row.pattern]
                tally["drop"] += 1
            continue
        if entry is None:
            entry = {"pattern": row.pattern, "source": "framing-team", "order": next_order}
            next_order += 1
            by_pattern[row.pattern] = entry
            tally[f"new {row.decision}"] += 1
        else:
            tally[row.decision] += 1
        entry.update(category=row.category, explanation=row.explanation, not_when=row.not_when,
                     condition=" ; ".join(c.strip() for c in row.condition.split(";") if c.strip()),
                     tier=row.decision)
    return list(by_pattern.values()), tally


def _clean(cell: str) -> str:
    return " ".join(str(cell).replace("\t", " ").split())


def render(name: str, entries: list[dict], *, reviewed: int, unreviewed: Counter) -> str:
    categories = Counter(e["category"] for e in entries)
    order = {c: i for i, c in enumerate(TIERS[name])}
    entries = sorted(entries, key=lambda e: (order.get(e["category"], 99), e["category"], e["order"]))
    lines = [f"# {line}" for line in HEADERS[name]]
    lines.append(f"# {len(entries)} entries: " + ", ".join(f"{c} {n}" for c, n in
                                                          sorted(categories.items(), key=lambda x: (order.get(x[0], 99), x[0]))))
    lines.append(f"# {reviewed} entries reviewed one by one in context (their own explanation, not_when and condition)"
                 + (f"; {sum(unreviewed.values())} not yet reviewed keep their earlier category and explanation ("
                    + ", ".join(f"{c} {n}" for c, n in sorted(unreviewed.items())) + ")" if unreviewed else "") + ".")
    lines.append("\t".join(OUTPUT_COLUMNS))
    for e in entries:
        lines.append("\t".join(_clean(e.get(c, "")) for c in OUTPUT_COLUMNS))
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    os.replace(temporary, path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review-dir", required=True, help="folder holding part-*.review.tsv")
    parser.add_argument("--lexicons", default=str(HERE.parent / "framing" / "lexicons"),
                        help="folder holding loaded.tsv and evaluative.tsv (default: the package's)")
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    args = parser.parse_args(argv)
    folder, lexicons = Path(args.review_dir), Path(args.lexicons)
    problems: list[str] = []
    rows = read_reviews(folder, problems)
    entries = read_tier(lexicons, "loaded") + read_tier(lexicons, "evaluative")
    duplicated = [p for p, n in Counter(e["pattern"] for e in entries).items() if n > 1]
    if duplicated:
        print(f"patterns in both loaded.tsv and evaluative.tsv: {duplicated[:10]}; fix them first", file=sys.stderr)
        return 2
    result, tally = apply(rows, entries, problems)
    reviewed = {r.pattern for r in rows}
    for problem in problems:
        print(problem)
    unreviewed = {name: Counter(e["category"] for e in result if e["tier"] == name and e["pattern"] not in reviewed)
                  for name in TIERS}
    print(f"{len(rows)} review rows read; " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    for name in TIERS:
        own = [e for e in result if e["tier"] == name]
        print(f"{name}: {len(own)} entries, {len(own) - sum(unreviewed[name].values())} reviewed"
              + (f"; unreviewed: {dict(unreviewed[name])}" if unreviewed[name] else ""))
        if not args.check:
            if not own:
                print(f"  {name}.tsv not written: it would have no entries")
                continue
            write_atomically(lexicons / f"{name}.tsv",
                             render(name, own, reviewed=len(own) - sum(unreviewed[name].values()),
                                    unreviewed=unreviewed[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
