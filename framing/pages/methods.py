"""The methods appendix of every report: what was measured and how, how well it agrees with people, what it
was made with, and what to cite; in plain prose a researcher can adapt for a paper's methods section.

``methods(run, ...)`` builds the text once, as sections of paragraphs and tables, from data: the run's record
(``run.json``: versions, options, every lexicon's entry count and checksum, the sentiment scorer), the lexicons
themselves (where their entries come from), ``framing/validity.tsv`` (the figures of README.md's Validity
table) and ``framing/references.tsv`` (the works cited). ``markdown`` writes it as ``methods.md``; ``render_html``
as ``methods.html``, a page of the report in the one theme (``templates/methods.html.j2``, escaped).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from framing import lexicons as lex
from framing import views
from framing.sentiment import NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD

METHODS_NAME = "methods"  # methods.md and methods.html in the report's folder


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)  # first row: the header
    after: list[str] = field(default_factory=list)         # paragraphs below the table


def _tsv(name: str) -> list[dict]:
    text = (resources.files("framing") / name).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = rows[0]
    return [dict(zip(header, row + [""] * (len(header) - len(row)))) for row in rows[1:]]


def references() -> dict[str, dict]:
    """The works a report cites, by key (framing/references.tsv): short form and full reference."""
    return {row["key"]: row for row in _tsv("references.tsv")}


def validity() -> list[dict]:
    """README.md's Validity table as data (framing/validity.tsv): what, measured_on, result, cite (keys)."""
    return _tsv("validity.tsv")


_SOURCES = {"framing-team": "written for framing", "hyland2005": "Hyland 2005",
            "recasens2013": "Recasens, Danescu-Niculescu-Mizil & Jurafsky 2013"}


def _lexicon_sources(name: str) -> str:
    """Where a packaged lexicon's entries come from, with their counts: "97 from Hyland 2005, 84 written for framing"."""
    try:
        entries = lex.packaged_lexicon(name).entries
    except Exception:  # a user's lexicon: framing knows only its file and checksum
        return "given by the user"
    counts = Counter(entry.source for entry in entries)
    return ", ".join(f"{n:,} {'from ' if key in _SOURCES and key != 'framing-team' else ''}"
                     f"{_SOURCES.get(key, key)}" for key, n in counts.most_common())


def methods(run: dict, *, n_documents: int | None = None, n_groups: int | None = None, group_by: str = "outlet",
            n_boot: int = 1000, unit: str = "sentence", made: str = "") -> list[Section]:
    """The methods appendix as sections, from a run's record (``Analysis.run`` / run.json) and the report's
    comparison settings (``n_boot`` resamples over ``unit``s, as ``framing.compare.profiles`` draws them)."""
    cite = {key: row["short"] for key, row in references().items()}
    versions = run.get("versions", {})
    vader = run.get("sentiment", {})
    lexicon_info = run.get("lexicons", {})
    targets = run.get("targets") or {}
    corpus = []
    if n_documents is not None:
        corpus.append(f"The corpus holds {n_documents:,} documents"
                      + (f" in {n_groups:,} groups by {group_by}" if n_groups else "") + ".")
    corpus.append(f"It was analysed with framing {run.get('framing_version', versions.get('framing', '?'))}"
                  + (f" on {run.get('finished', '')[:10]}" if run.get("finished") else "") + ".")
    sections = [
        Section("What was measured", [
            " ".join(corpus),
            "Each document was cleaned (boilerplate lines such as bylines and share buttons removed, white space "
            "normalised) and split into sentences. Every measure is counted per sentence and summed: a document's "
            "or a group's value is the one a single document holding all its sentences would get. Rates are hits "
            "per 1,000 words; shares are of sentences, words or pieces of reported speech, as each measure says.",
        ]),
        Section("Sentences", [
            "Sentences were split by framing's rule-based splitter, which needs no downloaded model: a full stop, "
            "question mark, exclamation mark or ellipsis followed by white space ends a sentence, except before a "
            "word in lower case, after one of "
            f"{len(_abbreviations()):,} abbreviations (Mr., Gen., U.S., ...), after an initial or a list number, "
            "or inside a quoted exclamation followed by its speaker; a line break always ends a sentence.",
        ]),
        Section("Whose voice", [
            "Reported speech was found by rules over the text: direct quotes given to a speaker, partial quotes "
            "(a few quoted words inside a statement), indirect speech (\u201cpolice said the man was arrested\u201d), "
            "quotes without a speaker, and scare quotes (quoted words no one is said to have spoken). A speaker is "
            "named only where the text makes it clear (a pronoun goes to the last person who spoke, a surname to the "
            "full name written earlier); roles (police, politician, expert, anonymous, ...) come from the titles and "
            "appositions written with the name. Words outside quotation marks given to someone are the author's "
            "voice; scare quotes and indirect speech count as the author's, since the writer chose the words. "
            "Measures with \u201cauthor's voice\u201d or \u201cquoted\u201d count only the hits on that side.",
        ]),
        Section("Lexicons", [
            "Loaded terms, hedges, boosters and attribution were found with word lists (lexicons) that are part "
            "of framing, each entry with its category, the conditions under which it counts, and an explanation. "
            "A hit is a match of an entry in a sentence (longest match first, whole words, with hyphen and spelling "
            "variants); its rate is hits per 1,000 words of the text. The lexicons used:",
        ], [["Lexicon", "Entries", "Where the entries come from", "SHA-256 of the file"]] + [
            [views.term(f"rate_{name}").label if views.known(f"rate_{name}") else name, f"{info.get('entries', 0):,}",
             _lexicon_sources(name), str(info.get("sha256", ""))] for name, info in lexicon_info.items()
        ], [
            f"Hedges and boosters draw on {cite['hyland2005']}; loaded terms, attribution verbs and some boosters "
            f"on the bias word lists of {cite['recasens2013']}. Frame dimensions were found by cue words for the "
            f"15 dimensions of the Policy Frames Codebook ({cite['boydstun2014']}): a sentence goes to the "
            "dimension with the most cues, which is cruder than the codebook's human coding.",
        ]),
        Section("Sentiment", [
            f"Each sentence's tone is the VADER compound score ({cite['hutto2014']}), from -1 (most negative) to "
            f"+1 (most positive), computed by framing's own implementation of {vader.get('package', 'vaderSentiment')} "
            f"{vader.get('version', '')} (same lexicon, rules and floating-point results; its lexicon's SHA-256 is "
            f"{vader.get('lexicon_sha256', '?')}). A sentence is negative at {NEGATIVE_THRESHOLD:+.2f} or below and "
            f"positive at {POSITIVE_THRESHOLD:+.2f} or above, VADER's own rule. A document's tone is the mean of its "
            "sentences'.",
            "Tone toward a target (a person, group or place given with --targets) is the mean, over the sentences "
            "that mention it, of what each sentence says about the mention: a logistic regression over features a "
            "reader can check (the words around the mention, VADER's scores of its clause, who does what to whom), "
            f"trained on 80% of NewsMTSC ({cite['hamborg2021']})."
            + (f" This report's targets: {', '.join(targets)}." if targets else
               " This report was given no targets."),
        ]),
        Section("Comparisons and intervals", [
            f"Every value of a group comes with a 95% percentile bootstrap interval ({cite['efron1993']}): the "
            f"{unit}s of each group were resampled with replacement {n_boot:,} times and the measure recomputed "
            "on each resample. A difference between two groups is called one only where the interval of the "
            "difference excludes zero; no correction for many comparisons is made, so among many truly equal pairs "
            "about one in twenty will look different. Sentences of one document are not independent: with "
            "sentences as the resampling unit, intervals are too narrow when a few long documents dominate a group.",
            "The index's key measures by outlet, and each outlet's page setting it against all the others, resample "
            "documents instead (within the outlet, and within the rest), from the documents table: a "
            "group's value is its documents' counts pooled, and a difference from the rest is called one only where "
            "the 95% interval of the difference excludes zero.",
            "The words that set a group apart are weighted log-odds ratios with an informative Dirichlet prior "
            f"(\u201cFightin' Words\u201d, {cite['monroe2008']}), over lower-cased words and two-word phrases, "
            f"English stop words, numbers and words seen fewer than {views.DISTINCTIVE_MIN_COUNT} times left out; "
            "a z-score above 1.96 is a lead to read in context, not a finding. Keyness is the chi-squared statistic "
            "as quanteda computes it. Similar documents are found by TF-IDF cosine similarity of their words "
            "(stop words removed).",
        ]),
        Section("How well the measures agree with people", [
            "framing's benchmarks measure each part against human judgements; the latest figures, good or bad:",
        ], [["What", "Measured on", "Result"]] + [
            [row["what"], row["measured_on"] + (" (" + "; ".join(cite[k] for k in row["cite"].split() if k in cite)
                                                + ")" if row["cite"] else ""), row["result"]]
            for row in validity()
        ], [
            "In short: sentiment agrees with people as well as published VADER does; hedges and boosters are found "
            "well; the loaded lexicon is precise but finds about a third of the words experts mark; direct quotes "
            "and their speakers are found well, speaker roles poorly; tone toward a target is a plain linear model, "
            "well below fine-tuned language models.",
        ]),
        Section("Versions and checksums", [
            "The report was made with these versions; the checksums identify the exact lexicons used (run.json in "
            "the tables folder holds the same record).",
        ], [["Software", "Version"]] + [[name, str(version)] for name, version in versions.items()]
           + [["framing's sentiment scorer", str(vader.get("scorer", ""))]] if versions else []),
        Section("References", sorted(row["reference"] for row in references().values())),
    ]
    if made:
        sections[0].paragraphs.append(f"This report was made {made}.")
    if run.get("coders"):  # after the comparisons: what framing train made, as each coder's card says
        sections.insert(-3, _coders_section(run["coders"]))
    return sections


def _coders_section(coders: dict) -> Section:
    rows = [[name, str(record.get("code") or ""), ", ".join(str(label) for label in record.get("labels") or []),
             "" if record.get("macro_f1") is None else f"{float(record['macro_f1']):.3f}",
             str(record.get("training_sha256") or "")] for name, record in coders.items()]
    return Section("Trained coders", [
        "Every sentence was also labelled by coders trained on people's coding (framing train): logistic "
        "regressions over the sentence's words and framing's own reading of it (each coder's model card, "
        "card.md, says exactly what it read). Each share is of "
        "the sentences the coder gave that label. How well a coder agrees with people is its cross-validated "
        "macro-F1 on the coding it learned from (the card gives its interval and a learning curve).",
    ], [["Coder", "Code", "Labels", "Cross-validated macro-F1", "SHA-256 of the training data"]] + rows)


def _abbreviations() -> frozenset[str]:
    from framing.segment import abbreviations

    return abbreviations()


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(sections: list[Section]) -> str:
    """The appendix as Markdown (``methods.md``)."""
    lines = ["# Methods", ""]
    for section in sections:
        lines += [f"## {section.heading}", ""]
        for paragraph in section.paragraphs:
            lines += ([f"- {paragraph}"] if section.heading == "References" else [paragraph, ""])
        if section.heading == "References":
            lines.append("")
        if section.table:
            header, *rows = section.table
            lines.append("| " + " | ".join(_md_cell(c) for c in header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            lines.append("")
        for paragraph in section.after:
            lines += [paragraph, ""]
    return "\n".join(lines).rstrip() + "\n"


def render_html(sections: list[Section], *, index_link: str = "index.html") -> str:
    """The appendix as a page of the report (``methods.html``), linked back to the index."""
    from framing.pages.theme import render

    return render("methods.html.j2", title="Methods", sections=sections, index_link=index_link,
                  markdown_name=f"{METHODS_NAME}.md")
