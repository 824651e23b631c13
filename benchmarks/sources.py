"""Does framing find reported speech where people marked it? Prints the figures, good or bad.

    .venv/bin/python benchmarks/sources.py --polnear DIR [--limit N]
        [--gold FILE.jsonl] [--show-misses K]

Measures ``framing.voice.find_speech`` (rows: content start/end, kind, speaker span and name, role, cue).

PolNeAR (``text/NAME.txt``, brat ``attributions/NAME_XXXX.ann``): one annotator per article, the FIRST
``.ann`` file in sorted order (two articles have six). An attribution is an ``E`` line; its Content and Source
are the union of their pieces. Nothing of it is written anywhere; ``--show-misses`` prints <= 12 words an example.

Direct quotes in PolNeAR: a Content is direct when its pieces, each taking in a quotation mark right before it
or right after it (past ``.,;:!?``), hold only closed quoted stretches: no letter or digit outside the marks.
Marks: curly double and single quotes, straight double quotes and doubled apostrophes (opening after
start/space/bracket/dash, else closing); a right single quote followed by a letter is an apostrophe. A closing
mark closes the innermost open mark of its kind (nested quotes); the stretch's own opening mark again at the
start of a paragraph or piece continues it (long quotes); a stretch open at a piece's end goes on into the
next piece (annotators cut long quotes into sentences). A transcript's turn is direct too: a Content right
after a mark and a speaker's label in capitals ('"PENCE: Well, ...'), the mark left open at its paragraph's end
because the next paragraph opens with one (the convention for a quotation running over paragraphs; until this
was read, nine of the ten turns of PolNeAR dev's one transcript were not direct). Each stretch, marks and outer spaces
excluded, is one gold direct quote with its attribution's Source (framing gives one row per pair of marks).

Matching: two spans match when they share at least half the length of the longer; pairs are one to one,
largest overlap first.
1. Direct quotes: framing's ``direct`` rows (not ``partial``) against the gold direct quotes.
2. Speaker, on matched direct quotes with a Source: strict = framing's speaker span overlaps the Source;
   name = speaker_name equals (case-insensitive) the Source text or a name it refers to, or its last word is
   the last capitalised word (before any comma) of one of those; lenient = strict or name. PolNeAR has no
   coreference: a pronoun Source refers here to the nearest preceding Source holding a capitalised word.
3. Covered: the share of ALL annotated Contents matched by a direct/partial/indirect row. Precision: the share
   of those rows matching a Content; a ``partial`` row (a fragment by definition) needs only half of its own
   length inside a Content.
   Also printed, without an aim: contents covered by the rows that overlap them taken together (their union
   matches the content: PolNeAR joins '"A," he said. "B."' into one content, framing gives a row per pair of
   marks), and the precision counting a direct row right when it matches one of the gold quoted stretches.
4. Scare quotes inside attributed content: the share of ``scare`` rows with at least half of their length
   inside a Content (lower is better).

``--gold FILE``: JSONL, a passage a line: ``{"id", "text", "speech": [{"kind", "start", "end", "speaker",
"speaker_start", "speaker_end", "speaker_name", "speaker_role", "cue", "cue_start", "cue_end"}]}``. The same
figures, gold ``direct`` rows being the direct quotes and gold direct/partial/indirect rows the Contents (name
exact = same speaker_name, "" included; last name = same last word); then gold kind against framing kind for
all rows paired as above (``-``: unpaired), and role accuracy on the pairs whose gold row has a role.
``benchmarks/data/speech_gold.jsonl`` and ``speech_holdout.jsonl`` are in this format (their READMEs say how
they were labelled).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

KINDS = ("direct", "partial", "indirect", "unattributed", "scare")
CONTENT_KINDS = ("direct", "partial", "indirect")
AIMS = {"direct": (">=", 0.92), "speaker": (">=", 0.85), "covered": (">=", 0.65), "precision": (">=", 0.85),
        "scare": ("<=", 0.15)}
MARK = re.compile(r"''|[“”\"‘’]")
PRONOUNS = {"he", "she", "they", "him", "her", "them", "i", "we", "it", "you"}
NOT_NAMES = PRONOUNS | {"the", "a", "an", "his", "their", "its", "our", "my", "mr.", "mrs.", "ms.", "dr.", "this"}
WORDS_SHOWN = 12
EXAMPLES = ("missed direct quotes", "spurious direct rows", "attributions not covered", "rows with no annotated content")


def load_find_speech():
    try:
        from framing.voice import find_speech
    except ImportError as error:
        if error.name not in ("framing", "framing.voice"):
            raise
        sys.exit(f"benchmarks/sources.py measures framing.voice.find_speech, which this checkout lacks ({error}).")
    return find_speech


# spans are lists of (start, end) pieces
def size(a):
    return sum(e - s for s, e in a)


def overlap(a, b):
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def matches(a, b):
    shared = overlap(a, b)
    return shared > 0 and 2 * shared >= max(size(a), size(b))


def merge(pieces):
    """A union of (start, end) pieces as sorted, non-overlapping pieces."""
    out = []
    for s, e in sorted(pieces):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def mostly_inside(row, content):
    return 2 * overlap(row, content) >= size(row) > 0


def pair_up(gold, system):
    """One-to-one pairs (gold index, system index) that match, largest overlap first."""
    candidates = sorted(((overlap(g, s), gi, si) for gi, g in enumerate(gold) for si, s in enumerate(system)
                         if matches(g, s)), reverse=True)
    used_g, used_s, pairs = set(), set(), []
    for _, gi, si in candidates:
        if gi not in used_g and si not in used_s:
            used_g.add(gi), used_s.add(si), pairs.append((gi, si))
    return pairs


def mark_role(text, p, mark):
    """'open' or 'close' (or None for an apostrophe) for the quotation mark at p."""
    if mark in "“‘”":
        return "open" if mark in "“‘" else "close"
    if mark == "’":
        return None if text[p + 1:p + 2].isalnum() else "close"
    before, after = (text[p - 1:p] or " "), (text[p + len(mark):p + len(mark) + 1] or " ")
    return "open" if (before.isspace() or before in "([{—–-/") and not after.isspace() else "close"


TURN_LABEL = re.compile(r"[“\"‘][A-Z][A-Z.'’-]+(?:[ ][A-Z][A-Z.'’-]+){0,2}:[ \t]+$")


def quoted_stretches(text, pieces):
    """The quoted stretches of a content if it is a direct quotation (see the docstring), else None."""
    stretches, inside, stack = [], None, []  # stack: the open marks of the current stretch, nested ones on top
    for s, e in pieces:
        label = TURN_LABEL.search(text, max(0, s - 40), s)
        if label:  # '"PENCE: Well, look, ...': a transcript's turn, quoted whole with its speaker's label before it
            s = label.start()
        if text[max(0, s - 2):s] == "''":
            s -= 2
        elif s > 0 and (text[s - 1] in "“\"‘" or text[s - 1:s + 1] == "''"):
            s -= 1
        k = e
        while k < len(text) and k - e < 3 and text[k] in ".,;:!?":
            k += 1
        if text[k:k + 2] == "''" or text[k - 1:k + 1] == "''" and k == e:
            e = k + 2 if text[k:k + 2] == "''" else k + 1
        elif k < len(text) and text[k] in "”\"’":
            e = k + 1
        last = s
        for m in MARK.finditer(text, s, e):
            p, mark, role = m.start(), m.group(), mark_role(text, m.start(), m.group())
            family = "single" if mark in "‘’" else "double"
            if inside is None:
                if re.search(r"\w", text[last:p]):
                    return None
                if role == "open":
                    inside, stack = m.end(), [(mark, family)]
            elif role == "open" and not (mark == stack[-1][0] and not text[s:p].rstrip(" \t\xa0")[-1:].strip()):
                stack.append((mark, family))  # nested, unless the same mark opens a paragraph (continuation)
            elif role == "close" and any(f == family for _, f in stack):
                while stack.pop()[1] != family:
                    pass
                if not stack:
                    stretches.append((inside, p))
                    inside = None
            last = m.end()
        if inside is None and re.search(r"\w", text[last:e]):
            return None
    if inside is not None and len(stack) == 1 and re.match(r"[ \t]*\n\s*[“\"‘]", text[e:e + 40]):
        # the paragraph convention: a quotation running on into the next paragraph leaves this one unclosed and
        # opens the next with a mark ('"PENCE: Well, look, ...' paragraph after paragraph of a transcript)
        stretches.append((inside, e))
        inside = None
    if inside is not None or not stretches:
        return None
    out = []
    for s, e in stretches:
        s, e = s + len(text[s:e]) - len(text[s:e].lstrip()), e - len(text[s:e]) + len(text[s:e].rstrip())
        out += [[(s, e)]] if e > s else []
    return out or None


def last_names(names):
    found = set()
    for name in names:
        head = name.split(",")[0]  # "Jane Doe, an economist at the Fund" -> "Jane Doe"
        words = [w for w in re.findall(r"[A-Z][\w.'’-]*", head) if w.lower() not in NOT_NAMES]
        if words:
            found.add(re.sub(r"['’]s?$", "", words[-1]).lower())
    return found


def read_polnear(root: Path, limit=None):
    """Yield (name, text, attributions) per article; an attribution is {content, source, direct, names}."""
    for text_path in sorted((root / "text").glob("*.txt"))[:limit]:
        annotators = sorted((root / "attributions").glob(text_path.stem + "_????.ann"))
        if not annotators:
            continue
        text = text_path.read_text(encoding="utf-8")
        spans, attributions = {}, []
        for line in annotators[0].read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if line.startswith("T"):
                where = fields[1].split(" ", 1)[1]
                spans[fields[0]] = sorted(tuple(map(int, piece.split())) for piece in where.split(";"))
            elif line.startswith("E"):
                parts = {}
                for item in fields[1].split():
                    role, _, tid = item.partition(":")
                    parts.setdefault(re.sub(r"\d+$", "", role), []).extend(spans.get(tid, []))
                if parts.get("Content"):
                    content = sorted(parts["Content"])
                    attributions.append({"content": content, "source": sorted(parts.get("Source", [])),
                                         "direct": quoted_stretches(text, content)})
        named = []  # the nearest preceding Source with a name, for a pronoun
        for attribution in sorted(attributions, key=lambda a: a["source"][:1]):
            source = " ".join(text[s:e] for s, e in attribution["source"])
            pronoun = source.strip().lower() in PRONOUNS
            attribution["names"] = ([source] + named if pronoun else [source]) if source else []
            if source and not pronoun and last_names([source]):
                named = [source]
        yield text_path.stem, text, attributions


def speaker_tally(tally, row, source, names):
    if not source and not any(names):
        tally["speaker_none"] += 1
        return
    tally["speaker_n"] += 1
    strict = row.speaker_start >= 0 and overlap([(row.speaker_start, row.speaker_end)], source) > 0
    name = row.speaker_name.strip().lower()
    exact = name in {n.strip().lower() for n in names}  # a gold file's "" (unknown) matches framing's ""
    last = exact or bool(name) and re.sub(r"['’]s?$", "", name.split()[-1]) in last_names(names)
    tally.update(speaker_strict=strict, speaker_exact=exact, speaker_name=last, speaker_lenient=strict or last)


def snippet(text, s, e):
    words = text[s:e].split()
    return " ".join(words[:WORDS_SHOWN]) + (" …" if len(words) > WORDS_SHOWN else "")


def score(name, text, rows, direct_gold, contents, tally, examples, keep):
    """Figures 1-4 for one text. direct_gold: (pieces, source pieces, names); contents: lists of pieces."""
    def note(label, s, e):
        if len(examples[label]) < keep:
            examples[label].append(f"{name[:40]}: {snippet(text, s, e)}")

    spans = [[(r.start, r.end)] for r in rows]
    tally["rows"] += len(rows)
    tally.update(f"rows_{r.kind}" for r in rows)
    direct = [i for i, r in enumerate(rows) if r.kind == "direct"]
    pairs = pair_up([g[0] for g in direct_gold], [spans[i] for i in direct])
    tally["direct_gold"] += len(direct_gold)
    tally["direct_hit"] += len(pairs)
    for gi, si in pairs:
        speaker_tally(tally, rows[direct[si]], direct_gold[gi][1], direct_gold[gi][2])
    for gi in set(range(len(direct_gold))) - {gi for gi, _ in pairs}:
        note("missed direct quotes", *direct_gold[gi][0][0])
    for si in set(range(len(direct))) - {si for _, si in pairs}:
        note("spurious direct rows", rows[direct[si]].start, rows[direct[si]].end)
    reported = [i for i, r in enumerate(rows) if r.kind in CONTENT_KINDS]
    tally["contents"] += len(contents)
    for content in contents:
        hit = any(matches(content, spans[i]) for i in reported)
        tally["covered"] += hit
        together = merge([spans[i][0] for i in reported if overlap(content, spans[i])])
        tally["covered_together"] += hit or matches(content, together)
        if not hit:
            note("attributions not covered", content[0][0], content[-1][1])
    for i in reported:
        test = mostly_inside if rows[i].kind == "partial" else matches
        good = any(test(spans[i], content) for content in contents)
        tally["precise"] += good
        tally[f"precise_{rows[i].kind}"] += good
        tally["precise_stretch"] += good or rows[i].kind == "direct" and any(
            matches(spans[i], g[0]) for g in direct_gold)
        if not good:
            note("rows with no annotated content", rows[i].start, rows[i].end)
    for i, r in enumerate(rows):
        if r.kind == "scare":
            tally["scare_inside"] += any(mostly_inside(spans[i], content) for content in contents)


def ratio(a, b):
    return a / b if b else None


def line(label, value, aim=None, n=None):
    shown, extra = "  n/a" if value is None else f"{value:5.3f}", f"  (n={n:,})" if n is not None else ""
    if aim:
        sign, target = AIMS[aim]
        met = value is not None and (value >= target if sign == ">=" else value <= target)
        extra += f"   aim {sign} {target:.2f}: {'met' if met else 'NOT met'}"
    print(f"  {label:<52}{shown}{extra}")


def report(t, examples):
    p, r = ratio(t["direct_hit"], t["rows_direct"]), ratio(t["direct_hit"], t["direct_gold"])
    f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    print(f"  framing rows: {t['rows']:,} (" + ", ".join(f"{k} {t['rows_' + k]:,}" for k in KINDS) + ")")
    print("1. direct quotes")
    line("precision", p, n=t["rows_direct"])
    line("recall", r, n=t["direct_gold"])
    line("F1", f1, "direct")
    print(f"2. speaker on matched direct quotes ({t['speaker_none']:,} matched without an annotated speaker, left out)")
    line("strict: speaker span overlaps the source", ratio(t["speaker_strict"], t["speaker_n"]), "speaker",
         t["speaker_n"])
    line("speaker_name exact", ratio(t["speaker_exact"], t["speaker_n"]))
    line("speaker_name exact or last name", ratio(t["speaker_name"], t["speaker_n"]))
    line("lenient: span overlap or name", ratio(t["speaker_lenient"], t["speaker_n"]), "speaker")
    print("3. attributions (contents) and framing's direct/partial/indirect rows")
    line("contents covered", ratio(t["covered"], t["contents"]), "covered", t["contents"])
    reported = sum(t["rows_" + k] for k in CONTENT_KINDS)
    line("precision of the rows", ratio(t["precise"], reported), "precision", reported)
    for kind in CONTENT_KINDS:
        line(f"  of {kind} rows", ratio(t["precise_" + kind], t["rows_" + kind]), n=t["rows_" + kind])
    print("  counting a content cut by a speech tag ('\"A,\" he said. \"B.\"': one content, two rows) as the rows "
          "give it:")
    line("contents covered by their rows together", ratio(t["covered_together"], t["contents"]))
    line("precision, a direct row = one quoted stretch", ratio(t["precise_stretch"], reported))
    print("4. scare quotes")
    line("scare rows inside attributed content", ratio(t["scare_inside"], t["rows_scare"]), "scare", t["rows_scare"])
    for label, items in examples.items():
        print(f"  {label}:" + "".join(f"\n    {item}" for item in items))


def run_polnear(root, limit, find_speech, keep):
    tally, examples, articles, direct_contents = Counter(), {label: [] for label in EXAMPLES}, 0, 0
    for articles, (name, text, attributions) in enumerate(read_polnear(root, limit), 1):
        direct_gold = [(stretch, a["source"], a["names"]) for a in attributions for stretch in a["direct"] or []]
        direct_contents += sum(1 for a in attributions if a["direct"])
        score(name, text, find_speech(text), direct_gold, [a["content"] for a in attributions], tally, examples, keep)
    print(f"PolNeAR {root}: {articles} articles (first annotator file of each, sorted), {tally['contents']:,} "
          f"attributions, {direct_contents:,} contents classed direct = {tally['direct_gold']:,} quoted stretches")
    report(tally, examples if keep else {})


def run_gold(path, find_speech, keep):
    tally, examples, passages, confusion, roles = Counter(), {label: [] for label in EXAMPLES}, 0, Counter(), Counter()
    for raw in filter(str.strip, path.read_text(encoding="utf-8").splitlines()):
        passage, passages = json.loads(raw), passages + 1
        name, text, rows = str(passage.get("id", passages)), passage["text"], find_speech(passage["text"])
        speech = [g for g in passage["speech"] if 0 <= g["start"] < g["end"]]
        direct_gold = [([(g["start"], g["end"])],
                        [(g["speaker_start"], g["speaker_end"])] if g.get("speaker_start", -1) >= 0 else [],
                        [g.get("speaker_name", "")]) for g in speech if g["kind"] == "direct"]
        contents = [[(g["start"], g["end"])] for g in speech if g["kind"] in CONTENT_KINDS]
        score(name, text, rows, direct_gold, contents, tally, examples, keep)
        pairs = pair_up([[(g["start"], g["end"])] for g in speech], [[(r.start, r.end)] for r in rows])
        for gi, si in pairs:
            confusion[speech[gi]["kind"], rows[si].kind] += 1
            if speech[gi].get("speaker_role"):
                roles["n"] += 1
                roles["ok"] += rows[si].speaker_role == speech[gi]["speaker_role"]
        confusion.update((speech[gi]["kind"], "-") for gi in set(range(len(speech))) - {g for g, _ in pairs})
        confusion.update(("-", rows[si].kind) for si in set(range(len(rows))) - {s for _, s in pairs})
    print(f"\nGold {path}: {passages} passages, {tally['contents']:,} direct/partial/indirect rows, "
          f"{tally['direct_gold']:,} direct")
    report(tally, examples if keep else {})
    print("5. kinds: gold (rows) against framing (columns), paired spans")
    columns = [k for k in KINDS + ("-",) if any(c == k for _, c in confusion)]
    print("  " + " " * 14 + "".join(f"{c:>14}" for c in columns))
    for g in [k for k in KINDS + ("-",) if any(r == k for r, _ in confusion)]:
        print(f"  {g:<14}" + "".join(f"{confusion[g, c]:>14}" for c in columns))
    line("role accuracy on paired rows", ratio(roles["ok"], roles["n"]), n=roles["n"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, help="the PolNeAR split: a folder with text/ and attributions/")
    parser.add_argument("--gold", type=Path, help="a JSONL file of passages with their speech rows")
    parser.add_argument("--limit", type=int, help="read only the first N PolNeAR articles")
    parser.add_argument("--show-misses", type=int, default=0, metavar="K",
                        help="print up to K missed and K spurious examples (at most 12 words each)")
    args = parser.parse_args(argv)
    if not (args.polnear and (args.polnear / "text").is_dir() or args.gold and not args.polnear):
        parser.error("give --polnear DIR (a folder with text/ and attributions/), --gold FILE, or both")
    find_speech = load_find_speech()
    if args.polnear:
        run_polnear(args.polnear, args.limit, find_speech, args.show_misses)
    if args.gold:
        run_gold(args.gold, find_speech, args.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
