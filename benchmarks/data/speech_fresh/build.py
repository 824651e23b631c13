#!/usr/bin/env python3
"""Build speech_fresh.jsonl (and README.md) from the marked-up passages.txt.

Standard library only.  All character offsets are computed here from the
markup; none are written by hand.

Markup (see the header of passages.txt):
  {cN|...}    content span of item N
  {sN,M|...}  speaker mention of items N and M
  {qN,M|...}  cue of items N and M
  {x|...}     quoted material that is deliberately NOT labelled
  H ...       headline line: joined to the following line with "\n"
  = N kind role | speaker_name
Ordinary lines are sentences; lines of a passage are joined with one space.
"""
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "passages.txt")
OUT = os.path.join(HERE, "speech_fresh.jsonl")
README = os.path.join(HERE, "README.md")

KINDS = ["direct", "partial", "indirect", "unattributed", "scare"]
QUOTED = {"direct", "partial", "unattributed", "scare"}
ROLES = ["police", "government", "politician", "courts", "accused",
         "victim_witness", "expert", "ngo", "business", "media", "public",
         "anonymous", "other"]
KEYS = ["kind", "start", "end", "speaker", "speaker_start", "speaker_end",
        "speaker_name", "speaker_role", "cue", "cue_start", "cue_end"]
OPEN = {'"', "\u201c", "\u2018", "'"}
CLOSE = {'"', "\u201d", "\u2019", "'"}
TAG = re.compile(r"\{([csqx])([0-9,]*)\|")
ITEM = re.compile(r"^=\s*(\d+)\s+(\w+)\s+(\w+)\s*\|\s*(.*?)\s*$")

errors = []


def span_of(spans, n, text):
    """The text and offsets of item n's span, or "", -1, -1 when it has none."""
    if n not in spans:
        return "", -1, -1
    start, end = spans[n]
    return text[start:end], start, end

def err(pid, msg):
    errors.append(f"{pid}: {msg}")


def strip_line(marked, pid):
    """Remove markup from one line; return (text, spans).

    spans: list of (type, ids, start, end) with offsets into the plain line."""
    out = []
    stack = []
    spans = []
    i = 0
    while i < len(marked):
        ch = marked[i]
        if ch == "{":
            m = TAG.match(marked, i)
            if not m:
                err(pid, f"bad tag at {marked[i:i+20]!r}")
                i += 1
                continue
            typ = m.group(1)
            ids = tuple(int(x) for x in m.group(2).split(",") if x)
            if typ != "x" and not ids:
                err(pid, f"tag without id: {m.group(0)}")
            stack.append((typ, ids, len(out)))
            i = m.end()
            continue
        if ch == "}":
            if not stack:
                err(pid, "unbalanced '}'")
                i += 1
                continue
            typ, ids, s = stack.pop()
            spans.append((typ, ids, s, len(out)))
            i += 1
            continue
        out.append(ch)
        i += 1
    if stack:
        err(pid, "unclosed '{'")
    return "".join(out), spans


def read_passages():
    blocks = []
    cur = None
    with open(SRC, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line.startswith("##") or not line.strip():
                continue
            if line.startswith("# "):
                cur = {"id": line[2:].strip(), "lines": [], "items": {}}
                blocks.append(cur)
            elif line.startswith("="):
                m = ITEM.match(line)
                if not m:
                    err(cur["id"], f"bad item line {line!r}")
                    continue
                n = int(m.group(1))
                if n in cur["items"]:
                    err(cur["id"], f"item {n} declared twice")
                cur["items"][n] = (m.group(2), m.group(3), m.group(4))
            else:
                cur["lines"].append(line)
    return blocks


def quote_openers(text):
    """Positions of opening quotation marks (apostrophes excluded)."""
    pos = []
    straight_double = 0
    for i, ch in enumerate(text):
        if ch == '"':
            if straight_double % 2 == 0:
                pos.append(i)
            straight_double += 1
        elif ch in ("\u201c", "\u2018"):
            pos.append(i)
        elif ch == "'":
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if (before.isspace() or before in "(\u2014-") and after.isalnum():
                pos.append(i)
    if straight_double % 2:
        pos.append(-1)  # flag: unbalanced straight double quotes
    return pos


def build_passage(block):
    pid = block["id"]
    pieces = []
    spans = []
    sent_spans = []  # (start, end) of each source line in the plain text
    offset = 0
    lines = block["lines"]
    for k, line in enumerate(lines):
        headline = line.startswith("H ")
        if headline:
            line = line[2:]
        plain, sp = strip_line(line, pid)
        for typ, ids, s, e in sp:
            spans.append((typ, ids, s + offset, e + offset))
        sent_spans.append((offset, offset + len(plain)))
        pieces.append(plain)
        offset += len(plain)
        if k < len(lines) - 1:
            sep = "\n" if headline else " "
            pieces.append(sep)
            offset += len(sep)
    text = "".join(pieces)

    content = {}
    speakers = {}
    cues = {}
    unlabelled = []
    for typ, ids, s, e in spans:
        if typ == "x":
            unlabelled.append((s, e))
            continue
        target = {"c": content, "s": speakers, "q": cues}[typ]
        for n in ids:
            if n in target:
                err(pid, f"item {n}: two '{typ}' spans")
            target[n] = (s, e)

    items = []
    for n, (kind, role, name) in sorted(block["items"].items()):
        if n not in content:
            err(pid, f"item {n}: no content span")
            continue
        s, e = content[n]
        spk, ss, se = span_of(speakers, n, text)
        cue, cs, ce = span_of(cues, n, text)
        items.append({"kind": kind, "start": s, "end": e,
                      "speaker": spk, "speaker_start": ss, "speaker_end": se,
                      "speaker_name": name, "speaker_role": role,
                      "cue": cue, "cue_start": cs, "cue_end": ce})
    for n in set(content) | set(speakers) | set(cues):
        if n not in block["items"]:
            err(pid, f"markup for undeclared item {n}")
    items.sort(key=lambda d: (d["start"], -d["end"], KINDS.index(d["kind"])
                              if d["kind"] in KINDS else 9))
    return {"id": pid, "text": text, "speech": items}, sent_spans, unlabelled


def validate(rec, unlabelled):
    pid, text = rec["id"], rec["text"]
    for it in rec["speech"]:
        tag = f"{it['kind']}@{it['start']}"
        if list(it.keys()) != KEYS:
            err(pid, f"{tag}: keys {list(it.keys())}")
        if it["kind"] not in KINDS:
            err(pid, f"{tag}: unknown kind")
        if it["speaker_role"] not in ROLES:
            err(pid, f"{tag}: unknown role {it['speaker_role']}")
        s, e = it["start"], it["end"]
        if not (0 <= s < e <= len(text)):
            err(pid, f"{tag}: bad span")
            continue
        span = text[s:e]
        if span != span.strip():
            err(pid, f"{tag}: whitespace at span edge {span!r}")
        if it["kind"] in QUOTED:
            if s == 0 or text[s - 1] not in OPEN:
                err(pid, f"{tag}: not preceded by an opening quote")
            if e >= len(text) or text[e] not in CLOSE:
                err(pid, f"{tag}: not followed by a closing quote")
        if it["kind"] == "indirect":
            if span[-1] in ".,;:" :
                err(pid, f"{tag}: indirect span ends in punctuation {span!r}")
            if span[0] in ".,;:":
                err(pid, f"{tag}: indirect span starts with punctuation")
        for f, fs, fe in (("speaker", "speaker_start", "speaker_end"),
                          ("cue", "cue_start", "cue_end")):
            if it[f] == "":
                if it[fs] != -1 or it[fe] != -1:
                    err(pid, f"{tag}: empty {f} must have -1 offsets")
            else:
                if text[it[fs]:it[fe]] != it[f]:
                    err(pid, f"{tag}: {f} text mismatch")
                if it[f] != it[f].strip():
                    err(pid, f"{tag}: whitespace at {f} edge")
                # speaker / cue must lie outside the content span
                if not (it[fe] <= s or it[fs] >= e):
                    err(pid, f"{tag}: {f} overlaps content")
        if it["speaker"] == "" and it["speaker_name"]:
            pass  # allowed: name known although no mention (not used)
        if it["kind"] in ("scare", "unattributed"):
            if it["speaker"] or it["cue"] or it["speaker_name"]:
                err(pid, f"{tag}: scare/unattributed must have no speaker/cue")
            if it["speaker_role"] != "other":
                err(pid, f"{tag}: scare/unattributed role must be other")
        if it["kind"] in ("direct", "partial", "indirect") and not it["speaker"]:
            err(pid, f"{tag}: attributed kind without speaker mention")
        if it["kind"] in ("partial", "indirect") and not it["cue"]:
            err(pid, f"{tag}: {it['kind']} without cue")
    # every opening quotation mark must open a labelled quoted span or an
    # explicitly unlabelled {x|...} span
    starts = {it["start"] for it in rec["speech"] if it["kind"] in QUOTED}
    starts |= {s for s, _ in unlabelled}
    for p in quote_openers(text):
        if p == -1:
            err(pid, "odd number of straight double quotes")
        elif p + 1 not in starts:
            err(pid, f"quotation at {p} not accounted for: {text[p:p+30]!r}")
    for s, e in unlabelled:
        if s == 0 or text[s - 1] not in OPEN or e >= len(text) or text[e] not in CLOSE:
            err(pid, f"unlabelled span {text[s:e]!r} not inside quotation marks")


def write_readme(recs, n_sent, n_sent_nospeech, n_unlabelled, quote_chars):
    kinds = collections.Counter(it["kind"] for r in recs for it in r["speech"])
    roles = collections.Counter(it["speaker_role"] for r in recs for it in r["speech"])
    kr = collections.Counter((it["kind"], it["speaker_role"])
                             for r in recs for it in r["speech"])
    n_items = sum(kinds.values())
    no_cue = sum(1 for r in recs for it in r["speech"] if not it["cue"])
    no_spk = sum(1 for r in recs for it in r["speech"] if not it["speaker"])
    lines = []
    A = lines.append
    A("# speech_fresh: invented news passages labelled for reported speech")
    A("")
    A("## What it is")
    A("")
    A(f"{len(recs)} short invented news passages ({n_sent} sentences, "
      f"{n_items} labelled items) for evaluating a reported-speech tagger. "
      "Styles imitated: British broadsheet and tabloid, wire copy "
      "(Reuters/AP/PA conventions such as datelines and closing "
      "'..., the ministry said' tags), US newspapers (about a third), "
      "local news, court reports, politics, business, health, sport, crime, "
      "international news and science.")
    A("")
    A("All people, towns, companies, newspapers and events are invented; generic "
      "real institutions (the Home Office, NHS England, the FBI, the European "
      "Commission, etc.) and real countries/cities appear only as setting. "
      "No text was copied or paraphrased from real articles; the passages were "
      "written, and labelled, without seeing the rules of the tool they measure.")
    A("")
    A("## How it was made")
    A("")
    A("1. The passages were written by hand in `passages.txt`, one sentence per "
      "line, with inline markup: `{cN|...}` content span of item N, "
      "`{sN,M|...}` speaker mention (shared by items N and M), `{qN,M|...}` cue, "
      "`{x|...}` quoted material deliberately left unlabelled (titles of works, "
      "nicknames, words used as words), `H ` prefix for a headline line, and "
      "`= N kind role | speaker_name` item declarations.")
    A("2. `python3 build.py` (standard library only) strips the markup, computes "
      "every character offset, writes `speech_fresh.jsonl` and this README, and "
      "validates the output: spans non-empty with no whitespace at their edges; "
      "quoted kinds sit directly between an opening and a closing quotation mark; "
      "speaker and cue strings equal the text at their offsets; absent fields are "
      "\"\" and -1; every opening quotation mark in every text opens either a "
      "labelled span or an `{x|...}` span; the JSONL re-reads identically.")
    A("")
    A("Line joining: sentence lines are joined with one space; a headline is "
      "joined to the next line with a newline.")
    A("")
    A("## Labelling decisions (beyond the guide)")
    A("")
    A("- Speaker mention: the noun phrase nearest the cue, including a title or "
      "pre-modifier attached to the name (\"Gov. Ellen Bryce\", \"Chief executive "
      "Sarah Quayle\"); appositions and relative clauses are left out. When a name "
      "and a description stand in apposition (\"Carrow Foods, the British "
      "frozen-food maker, said\"; \"The housing minister, Claire Ashdown, said\") "
      "the proper-name element is taken.")
    A("- Names: full name as first given, without title; organisations without a "
      "leading \"the\". Unnamed spokespeople, officials, sources, studies and "
      "generic \"police\" get speaker_name \"\".")
    A("- A quote continued after its speech tag (\"'...,' she said. '...'\" or "
      "\"'...,' he said, '...'\") is a separate direct item sharing the tag's "
      "speaker and cue.")
    A("- Indirect spans start at the reported clause (after \"that\"/\"to\" and "
      "after an intervening adverbial or indirect object: \"told reporters that X\", "
      "\"said on Wednesday X\") and run to the end of the sentence, except where a "
      "writer's appended comment follows a comma. For \"accused X of Y\" and "
      "\"denies Y\" the span is the gerund phrase Y. When a US-style full stop "
      "sits inside the closing quotation mark of a partial quote that ends the "
      "clause, the indirect span ends at that closing mark.")
    A("- Court reports: \"the court heard\"/\"an inquest has heard\" is indirect with "
      "the court/inquest as speaker (role courts); a lawsuit or indictment is "
      "courts. Parties being prosecuted or sued (including companies and a "
      "newspaper sued for libel) are accused; claimants are victim_witness.")
    A("- Unnamed groups of ordinary people (residents, parents, critics of a "
      "bill) are public; unnamed individuals and unnamed officials/sources are "
      "anonymous; unnamed experts and studies are expert.")
    A("- Headline quotes with a named or described speaker (\"'I was terrified': "
      "TV chef ...\") are direct without a cue; a headline quote whose speaker "
      "appears nowhere, and crowd cries, are unattributed.")
    A("")
    A("## Counts")
    A("")
    A(f"- Passages: {len(recs)}")
    A(f"- Sentences (source lines, headlines included): {n_sent}; "
      f"with no labelled speech: {n_sent_nospeech} "
      f"({100 * n_sent_nospeech / n_sent:.0f}%)")
    A(f"- Labelled items: {n_items} (without cue: {no_cue}; without speaker: {no_spk})")
    A(f"- Quoted material left unlabelled (titles, nicknames, words as words): {n_unlabelled}")
    A("- Quotation marks in text: " + ", ".join(
        f"{repr(c)} {n}" for c, n in quote_chars.most_common()))
    A("")
    A("### By kind")
    A("")
    A("| kind | n |")
    A("|---|---|")
    for k in KINDS:
        A(f"| {k} | {kinds.get(k, 0)} |")
    A("")
    A("### By role")
    A("")
    A("| role | n |")
    A("|---|---|")
    for r in ROLES:
        A(f"| {r} | {roles.get(r, 0)} |")
    A("")
    A("### Kind by role")
    A("")
    A("| role | " + " | ".join(KINDS) + " |")
    A("|---|" + "---|" * len(KINDS))
    for r in ROLES:
        A(f"| {r} | " + " | ".join(str(kr.get((k, r), 0)) for k in KINDS) + " |")
    A("")
    A("## Format")
    A("")
    A("One JSON object per line: `{\"id\": \"f001\", \"text\": \"...\", \"speech\": "
      "[...]}`; each item has exactly the keys " + ", ".join(f"`{k}`" for k in KEYS)
      + ". Offsets are Python string (code point) indices into `text`, end "
      "exclusive; absent speaker/cue are \"\" with -1 offsets.")
    A("")
    A("## Licence")
    A("")
    A("CC0 1.0 Universal (public domain dedication). All text is original.")
    A("")
    with open(README, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


def main():
    blocks = read_passages()
    recs = []
    n_sent = 0
    n_sent_nospeech = 0
    n_unlabelled = 0
    quote_chars = collections.Counter()
    seen = set()
    for b in blocks:
        if b["id"] in seen:
            err(b["id"], "duplicate id")
        seen.add(b["id"])
        rec, sent_spans, unl = build_passage(b)
        validate(rec, unl)
        recs.append(rec)
        n_unlabelled += len(unl)
        n_sent += len(sent_spans)
        for a, z in sent_spans:
            if not any(a <= it["start"] < z for it in rec["speech"]):
                n_sent_nospeech += 1
        for ch in rec["text"]:
            if ch in ('"', "\u201c", "\u201d", "\u2018"):
                quote_chars[ch] += 1
        if not rec["speech"]:
            err(rec["id"], "no items")
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    # re-read
    with open(OUT, encoding="utf-8") as fh:
        back = [json.loads(l) for l in fh]
    if back != recs:
        err("*", "JSONL does not re-read identically")
    for r in back:
        if set(r) != {"id", "text", "speech"}:
            err(r.get("id", "?"), "bad top-level keys")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"{len(errors)} error(s)", file=sys.stderr)
        sys.exit(1)
    write_readme(recs, n_sent, n_sent_nospeech, n_unlabelled, quote_chars)
    kinds = collections.Counter(it["kind"] for r in recs for it in r["speech"])
    print(f"passages={len(recs)} sentences={n_sent} no-speech sentences="
          f"{n_sent_nospeech} items={sum(kinds.values())} unlabelled={n_unlabelled}")
    print(dict(kinds))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
