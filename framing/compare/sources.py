"""Sourcing: who each group lets speak, how often, and how it introduces them.

From the quotes table (``framing.voice``): the speakers per group with their counts, and a plain-words sentence
per group for the index. The shares with intervals (by role, anonymous sources, loaded reporting verbs, text in
others' words) are measures like any other: ``compare.profiles`` gives them (``share_role_<role>``,
``share_anonymous``, ``share_loaded_cues``, ``share_text_quoted``).
"""

from __future__ import annotations

import pandas as pd

from framing.measure import group_column
from framing.model import Analysis

SPOKEN = ("direct", "partial", "indirect", "unattributed")  # scare quotes are nobody's speech
SPEAKER_COLUMNS = ["group", "speaker", "role", "n", "direct", "partial", "indirect", "loaded_cues", "documents"]


def _speech(analysis: Analysis, group_by: str) -> pd.DataFrame:
    quotes = analysis.quotes if analysis.quotes is not None else pd.DataFrame(columns=["doc_id", "kind"])
    quotes = quotes[quotes["kind"].isin(SPOKEN)]
    mapping = dict(zip(analysis.documents["doc_id"].astype(str), group_column(analysis, group_by)))
    who = quotes["speaker_name"].where(quotes["speaker_name"].astype(str) != "", quotes["speaker"]).astype(str)
    return quotes.assign(group=quotes["doc_id"].astype(str).map(mapping), who=who)


def speakers(analysis: Analysis, group_by: str = "outlet") -> pd.DataFrame:
    """Every speaker of every group: the name the text makes clear (else the words as written), the role, how
    many pieces of reported speech, of which kinds, with how many loaded reporting verbs, in how many
    documents. Speech without a speaker is counted as ``(no speaker given)``. Most quoted first."""
    speech = _speech(analysis, group_by)
    if speech.empty:
        return pd.DataFrame(columns=SPEAKER_COLUMNS)
    speech = speech.assign(speaker=speech["who"].where(speech["who"] != "", "(no speaker given)"),
                           role=speech["speaker_role"].astype(str), loaded=speech["cue_kind"] == "loaded")
    table = (speech.groupby(["group", "speaker"])
             .agg(role=("role", lambda r: r[r != ""].mode().iloc[0] if (r != "").any() else ""),
                  n=("kind", "size"), direct=("kind", lambda k: int((k == "direct").sum())),
                  partial=("kind", lambda k: int((k == "partial").sum())),
                  indirect=("kind", lambda k: int((k == "indirect").sum())),
                  loaded_cues=("loaded", "sum"), documents=("doc_id", "nunique"))
             .reset_index())
    table["loaded_cues"] = table["loaded_cues"].astype(int)
    return table.sort_values(["group", "n", "speaker"], ascending=[True, False, True],
                             ignore_index=True)[SPEAKER_COLUMNS]


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _described(row) -> str:
    """'an unnamed gangster' for an anonymous speaker described by a noun ('the gangster'), the name otherwise."""
    words = row.speaker.split(" ", 1)
    if row.role == "anonymous" and len(words) > 1 and words[0].lower() in ("a", "an", "the", "one"):
        return words[1] if words[1].lower().startswith("unnamed") else f"an unnamed {words[1]}"
    return row.speaker


def sourcing_sentences(analysis: Analysis, group_by: str = "outlet", *, top: int = 3) -> list[str]:
    """One plain sentence per group: whom it quotes most and how often, its anonymous sourcing and its loaded
    reporting verbs ('MailOnline quotes an unnamed gangster 6 times and Steve Brocklesby 5 times; ...';
    'Global Research quotes no one.')."""
    table = speakers(analysis, group_by)
    groups = sorted(set(group_column(analysis, group_by)))
    out = []
    for group in groups:
        part = table[(table["group"] == group) & (table["speaker"] != "(no speaker given)")]
        if part.empty:
            out.append(f"{group} quotes no one by name or description.")
            continue
        named = [f"{_described(r)} {_times(int(r.n))}" for r in part.head(top).itertuples()]
        listed = ", ".join(named[:-1]) + (" and " if len(named) > 1 else "") + named[-1]
        total = int(part["n"].sum())
        anonymous = int(part.loc[part["role"] == "anonymous", "n"].sum())
        loaded = int(part["loaded_cues"].sum())
        extras = []
        if anonymous:
            extras.append(f"{anonymous} of its {total} attributed statements "
                          f"{'comes' if anonymous == 1 else 'come'} from anonymous sources")
        if loaded:
            extras.append(f"{loaded} {'is' if loaded == 1 else 'are'} introduced with a loaded reporting verb "
                          f"(claimed, admitted, ...)")
        out.append(f"{group} quotes {listed}" + ("; " + "; ".join(extras) if extras else "") + ".")
    return out
