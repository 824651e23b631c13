"""Comparative framing: how groups of documents (outlets, authors, single documents) differ, with the noise shown.

Every function takes an ``Analysis`` and returns a pandas DataFrame (``summarise`` returns plain sentences).

- ``profiles``: every measure per group with a 95% bootstrap interval (sentences resampled within a group).
- ``differences``: pairwise comparisons of one measure; a difference is only called one when the 95% interval
  of the bootstrapped difference excludes zero (or, without replicates, when the two intervals do not overlap).
- ``fightin_words`` (Monroe, Colaresi & Quinn 2008) and ``keyness`` (as quanteda's ``textstat_keyness``):
  the words that set a group apart, lexicon terms marked.
- ``label_choice``: which name each group picks for the same people (``lexicons/labels.tsv``).
- ``frame_mix``: the Policy Frames Codebook dimensions each group's sentences touch (``lexicons/frames.tsv``).
- ``similarity`` / ``near_duplicates``: TF-IDF cosine between documents; re-posts.
- ``summarise``: a few plain sentences that state only what the intervals support.
"""

from __future__ import annotations

import math
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from framing import lexicons as lex
from framing import segment, sentiment
from framing.model import Analysis
from framing.errors import CompareError
from framing.views import group_column

LEVEL = 0.95
AUTHOR_VOICES = ("author", "scare_quote")   # a scare quote is the writer's own distancing, so it counts as theirs
TOKEN_PATTERN = r"(?u)\b\w+(?:[-'’]\w+)*\b"  # keeps narco-terrorists, Britain's, 1,700 -> 1 / 700
FRAME_DIMENSIONS = (
    "economic", "capacity_and_resources", "morality", "fairness_and_equality",
    "legality_constitutionality_jurisprudence", "policy_prescription_and_evaluation", "crime_and_punishment",
    "security_and_defense", "health_and_safety", "quality_of_life", "cultural_identity", "public_opinion",
    "political", "external_regulation_and_reputation", "other")
NO_FRAME = "none"
_MAX_KEPT_REPLICATES = 50_000_000  # groups x measures x resamples kept for ``differences``



# ---- helpers ----------------------------------------------------------------------------------------------

def _sentence_groups(analysis: Analysis, group_by: str) -> pd.Series:
    """The group of every row of ``analysis.sentences`` (same index)."""
    mapping = dict(zip(analysis.documents["doc_id"].astype(str), group_column(analysis, group_by)))
    return analysis.sentences["doc_id"].astype(str).map(mapping).fillna("(unknown document)")


def _preprocess(text: str) -> str:
    return text.lower().replace("’", "'")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _lexicon(lexicon) -> lex.Lexicon:
    if isinstance(lexicon, lex.Lexicon):
        return lexicon
    if isinstance(lexicon, Path) or (isinstance(lexicon, str) and ("/" in lexicon or "." in lexicon)):
        return lex.read_lexicon_file(lexicon)
    return lex.packaged_lexicon(str(lexicon))


def _voice_class(voice: str) -> str:
    return "author" if voice in AUTHOR_VOICES else "quote"


class _Replicates:
    """Bootstrap replicates riding on ``DataFrame.attrs``; never deep-copied (pandas deep-copies attrs)."""

    def __init__(self, groups: list[str], measures: list[str], values: np.ndarray, n_boot: int, seed, unit: str):
        self.groups, self.measures, self.values = groups, measures, values  # values: groups x measures x n_boot
        self.n_boot, self.seed, self.unit = n_boot, seed, unit

    def __deepcopy__(self, memo):
        return self

    def get(self, group: str, measure: str) -> np.ndarray:
        return self.values[self.groups.index(group), self.measures.index(measure)].astype(np.float64)


# ---- matching an extra lexicon against the sentences ------------------------------------------------------

def match_lexicon(analysis: Analysis, lexicon) -> pd.DataFrame:
    """Every hit of ``lexicon`` (a ``Lexicon``, a packaged name such as ``"labels"``, or a file) in every
    sentence: doc_id, sentence_no, matched, category, entry, voice (author / quote / scare_quote), explanation.
    The voice comes from the quotes in the cleaned text when ``analysis.texts`` has it, else from the
    sentence's ``in_quote`` flag."""
    lexicon = _lexicon(lexicon)
    matcher = lex.build_matcher([lexicon])
    quotes: dict[str, list] = {}
    rows = []
    for sentence in analysis.sentences.itertuples(index=False):
        found = lex.find_hits(matcher, str(sentence.text))
        if not found:
            continue
        doc_id = str(sentence.doc_id)
        text = analysis.texts.get(doc_id)
        for hit in found:
            if text is not None:
                if doc_id not in quotes:
                    quotes[doc_id] = segment.find_quotes(text)
                quote = segment.quote_at(quotes[doc_id], int(sentence.start) + hit.start, int(sentence.start) + hit.end)
                voice = segment.voice_of(quote)
            else:
                voice = "quote" if bool(sentence.in_quote) else "author"
            rows.append({"doc_id": doc_id, "sentence_no": int(sentence.sentence_no), "matched": hit.matched,
                         "category": hit.category, "entry": hit.entry, "voice": voice,
                         "explanation": hit.explanation})
    return pd.DataFrame(rows, columns=["doc_id", "sentence_no", "matched", "category", "entry", "voice",
                                       "explanation"])


# ---- profiles: every measure per group, with bootstrap intervals ------------------------------------------

def _targets(analysis: Analysis) -> list[sentiment.Target]:
    spec = analysis.run.get("targets") or {}
    items = [f"{name}={'|'.join(aliases)}" for name, aliases in spec.items() if aliases]
    return sentiment.parse_targets(items) if items else []


def _lexicon_categories(analysis: Analysis) -> dict[str, list[str]]:
    """Lexicon -> its categories: from the hits, plus every category of the packaged lexicons that were used
    (so a category nobody used shows as a zero rate rather than vanishing)."""
    found: dict[str, set] = {}
    for name in (analysis.run.get("lexicons") or {}):
        if name in lex.PACKAGED:
            found.setdefault(name, set()).update(e.category for e in lex.packaged_lexicon(name).entries)
    for (name, category), _ in analysis.hits.groupby(["lexicon", "category"]):
        found.setdefault(str(name), set()).add(str(category))
    return {name: sorted(categories) for name, categories in sorted(found.items())}


def sentence_measures(analysis: Analysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The per-sentence count matrix behind ``profiles`` and its recipe.

    Returns ``(columns, measures)``: ``columns`` has one row per sentence (same order as
    ``analysis.sentences``) holding counts and sums (words, hits by lexicon/category/voice, negative sentence,
    sentiment ...); ``measures`` lists every measure as ``numerator / denominator * scale`` over those columns,
    so a group's value is a ratio of column sums, and so is every bootstrap replicate.
    """
    sentences = analysis.sentences.reset_index(drop=True)
    n = len(sentences)
    key = pd.MultiIndex.from_arrays([sentences["doc_id"].astype(str), sentences["sentence_no"].astype(int)])
    cols: dict[str, np.ndarray] = {
        "sentences": np.ones(n), "words": sentences["n_words"].to_numpy(dtype=float),
        "sentiment": sentences["sentiment"].to_numpy(dtype=float),
        "negative": (sentences["sentiment"] <= sentiment.NEGATIVE_THRESHOLD).to_numpy(dtype=float),
        "positive": (sentences["sentiment"] >= sentiment.POSITIVE_THRESHOLD).to_numpy(dtype=float),
        "quoted": sentences["in_quote"].astype(bool).to_numpy(dtype=float),
    }
    hits = analysis.hits
    hits = hits.assign(voice_class=hits["voice"].astype(str).map(_voice_class),
                       row=key.get_indexer(pd.MultiIndex.from_arrays(
                           [hits["doc_id"].astype(str), hits["sentence_no"].astype(int)])))
    hits = hits[hits["row"] >= 0]

    def count(mask) -> np.ndarray:
        return np.bincount(hits.loc[mask, "row"].to_numpy(dtype=np.int64), minlength=n).astype(float)

    measures = []

    def measure(name, numerator, denominator, scale, kind, lexicon="", category="", voice="", label=""):
        measures.append({"measure": name, "numerator": numerator, "denominator": denominator, "scale": scale,
                         "kind": kind, "lexicon": lexicon, "category": category, "voice": voice, "label": label})

    for name, categories in _lexicon_categories(analysis).items():
        in_lexicon = hits["lexicon"] == name
        for category in [""] + categories:
            mask = in_lexicon & (hits["category"] == category) if category else in_lexicon
            stem = f"{name}_{category}" if category else name
            what = f"{name}: {category.replace('_', ' ')}" if category else name
            cols[f"hits_{stem}"] = count(mask)
            measure(f"rate_{stem}", f"hits_{stem}", "words", 1000.0, "rate", name, category, "all",
                    f"{what} per 1,000 words")
            for voice in ("author", "quote"):
                cols[f"hits_{stem}_{voice}"] = count(mask & (hits["voice_class"] == voice))
                measure(f"rate_{stem}_{voice}", f"hits_{stem}_{voice}", "words", 1000.0, "rate", name, category,
                        voice, f"{what} per 1,000 words, {'author' if voice == 'author' else 'quoted'} voice")
    for name, numerator, label in (("sentiment_mean", "sentiment", "mean sentence sentiment (VADER compound)"),
                                   ("share_negative", "negative", "share of negative sentences"),
                                   ("share_positive", "positive", "share of positive sentences"),
                                   ("share_quoted", "quoted", "share of sentences mostly inside quotes")):
        measure(name, numerator, "sentences", 1.0, "sentiment" if "quoted" not in name else "voice", label=label)
    if "hits_attribution" in cols:
        cols["attributed"] = (cols["hits_attribution"] > 0).astype(float)
        measure("share_attributed", "attributed", "sentences", 1.0, "attribution",
                label="share of sentences with an attribution (said, according to, ...)")
    if "hits_hedges" in cols and "hits_boosters" in cols:
        for suffix, voice in (("", "all"), ("_author", "author")):
            h, b = cols[f"hits_hedges{suffix}"], cols[f"hits_boosters{suffix}"]
            cols[f"hedge_minus_booster{suffix}"], cols[f"hedge_plus_booster{suffix}"] = h - b, h + b
            measure(f"hedge_booster_balance{suffix}", f"hedge_minus_booster{suffix}", f"hedge_plus_booster{suffix}",
                    1.0, "certainty", voice=voice,
                    label="(hedges - boosters) / (hedges + boosters): +1 only hedges, -1 only boosters"
                          + (", author's voice" if suffix else ""))
    for target in _targets(analysis):
        mentioned = sentences["text"].astype(str).map(lambda t: bool(target.pattern.search(t))).to_numpy(dtype=float)
        cols[f"mentions_{target.name}"] = mentioned
        cols[f"sentiment_{target.name}"] = mentioned * cols["sentiment"]
        measure(f"target_{target.name}_sentiment", f"sentiment_{target.name}", f"mentions_{target.name}", 1.0,
                "target", label=f"mean sentiment of sentences mentioning {target.name}")
        measure(f"target_{target.name}_share", f"mentions_{target.name}", "sentences", 1.0, "target",
                label=f"share of sentences mentioning {target.name}")
    return pd.DataFrame(cols), pd.DataFrame(measures)


def _resampled_sums(matrix: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Column sums of ``n_boot`` resamples (with replacement) of the rows: how often each row was drawn
    (a count matrix built with one bincount) times the matrix, in chunks of about 20 million cells."""
    n = matrix.shape[0]
    out = np.empty((n_boot, matrix.shape[1]))
    step = max(1, 20_000_000 // max(n, 1))
    for start in range(0, n_boot, step):
        b = min(step, n_boot - start)
        draws = rng.integers(0, n, size=(b, n))
        weights = np.bincount((draws + (np.arange(b) * n)[:, None]).ravel(), minlength=b * n).reshape(b, n)
        out[start:start + b] = weights.astype(np.float64) @ matrix
    return out


def _ratio(numerator, denominator, scale):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator != 0, numerator / np.where(denominator != 0, denominator, 1) * scale, np.nan)


def profiles(analysis: Analysis, group_by: str = "outlet", *, n_boot: int = 1000, seed: int | None = 0,
             level: float = LEVEL, unit: str = "sentence") -> pd.DataFrame:
    """Every measure for every group, side by side, each with a bootstrap interval (tidy, long).

    Columns: group, measure, value, low, high, kind, lexicon, category, voice, label, n_sentences, n_words.
    Measures: ``rate_<lexicon>[_<category>][_author|_quote]`` (hits per 1,000 words; the author's voice
    includes scare quotes), ``sentiment_mean``, ``share_negative``, ``share_positive``, ``share_quoted``,
    ``share_attributed`` (sentences with an attribution hit), ``hedge_booster_balance[_author]`` ((h - b) /
    (h + b), from -1 only boosters to +1 only hedges, NaN when neither occurs), and per target
    ``target_<name>_sentiment`` / ``target_<name>_share``.

    Interval: percentile bootstrap. Within each group the sentences (``unit="document"``: the documents) are
    resampled with replacement ``n_boot`` times; each measure is recomputed as a ratio of sums (hits in the
    resampled sentences / their words * 1000) and ``low``/``high`` are the 2.5th and 97.5th percentiles.
    Sentence resampling treats sentences as independent, so when a group holds several documents that differ
    from each other, the intervals are too narrow; ``unit="document"`` is the honest choice with many
    documents per group (it is degenerate with one). A group with no hits has the interval [0, 0].
    The replicates are kept in ``.attrs["replicates"]`` for ``differences``.
    """
    if unit not in ("sentence", "document"):
        raise CompareError(f"unit must be 'sentence' or 'document', not {unit!r}")
    columns, measures = sentence_measures(analysis)
    groups = _sentence_groups(analysis, group_by).reset_index(drop=True)
    if unit == "document":
        columns = columns.groupby(analysis.sentences["doc_id"].astype(str).to_numpy()).sum()
        groups = groups.groupby(analysis.sentences["doc_id"].astype(str).to_numpy()).first().reindex(columns.index)
    names = list(columns.columns)
    num = measures["numerator"].map(names.index).to_numpy()
    den = measures["denominator"].map(names.index).to_numpy()
    scale = measures["scale"].to_numpy(dtype=float)
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2 * 100
    group_names = sorted(groups.unique())
    keep = len(group_names) * len(measures) * n_boot <= _MAX_KEPT_REPLICATES
    kept = np.empty((len(group_names), len(measures), n_boot), dtype=np.float32) if keep else None
    rows = []
    everything = columns.to_numpy(dtype=float)
    for g, group in enumerate(group_names):
        matrix = everything[(groups == group).to_numpy()]
        sums = matrix.sum(axis=0)
        value = _ratio(sums[num], sums[den], scale)
        if n_boot and len(matrix):
            boot = _resampled_sums(matrix, n_boot, rng)
            replicates = _ratio(boot[:, num], boot[:, den], scale)  # n_boot x measures
            with np.errstate(all="ignore"), _quiet_nan_warnings():
                low, high = np.nanpercentile(replicates, [alpha, 100 - alpha], axis=0)
            if keep:
                kept[g] = replicates.T
        else:
            low = high = np.full(len(measures), np.nan)
        n_words = sums[names.index("words")]
        n_sentences = sums[names.index("sentences")] if unit == "sentence" else matrix.shape[0]
        for i, spec in enumerate(measures.itertuples(index=False)):
            rows.append({"group": group, "measure": spec.measure, "value": value[i], "low": low[i], "high": high[i],
                         "kind": spec.kind, "lexicon": spec.lexicon, "category": spec.category, "voice": spec.voice,
                         "label": spec.label, "n_sentences": int(n_sentences), "n_words": int(n_words)})
    table = pd.DataFrame(rows, columns=["group", "measure", "value", "low", "high", "kind", "lexicon", "category",
                                        "voice", "label", "n_sentences", "n_words"])
    table.attrs["group_by"] = group_by
    table.attrs["level"] = level
    table.attrs["method"] = f"percentile bootstrap over {unit}s within each group, {n_boot} resamples, seed {seed}"
    if keep and n_boot:
        table.attrs["replicates"] = _Replicates(group_names, list(measures["measure"]), kept, n_boot, seed, unit)
    return table


class _quiet_nan_warnings:
    def __enter__(self):
        import warnings
        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        return self._catch.__exit__(*exc)


def pivot_profile(profile_long: pd.DataFrame, *, measures: list[str] | None = None,
                  intervals: bool = False, digits: int = 2) -> pd.DataFrame:
    """Groups as rows, measures as columns. ``intervals=True`` gives text cells such as ``4.20 [2.10, 6.30]``."""
    table = profile_long if measures is None else profile_long[profile_long["measure"].isin(measures)]
    order = list(dict.fromkeys(table["measure"]))
    if intervals:
        cells = table.assign(cell=[f"{v:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]" if pd.notna(v) else "n/a"
                                   for v, lo, hi in zip(table["value"], table["low"], table["high"])])
        wide = cells.pivot(index="group", columns="measure", values="cell")
    else:
        wide = table.pivot(index="group", columns="measure", values="value")
    return wide[order]


# ---- differences ------------------------------------------------------------------------------------------

def differences(profile_long: pd.DataFrame, measure: str, *, groups: list[str] | None = None) -> pd.DataFrame:
    """Every pair of groups compared on one measure.

    Columns: group_a, group_b, measure, value_a, value_b, difference (a - b), low, high, method, verdict.
    Method ``bootstrap difference`` (used when ``profile_long`` still carries its replicates): the groups were
    resampled independently, so replicate i of a minus replicate i of b is a bootstrap replicate of the
    difference; ``low``/``high`` are its 2.5th/97.5th percentiles and a difference is called only when that
    interval excludes 0. Method ``interval overlap`` (fallback, e.g. for a table read back from CSV): a
    difference is called only when the two groups' intervals do not overlap (stricter). Anything else is
    "no clear difference". No correction for making many comparisons is applied: with many pairs, expect
    about one in twenty "differences" among truly equal groups.
    """
    table = profile_long[profile_long["measure"] == measure]
    if table.empty:
        raise CompareError(f"no measure {measure!r} in the profile (known: {', '.join(sorted(set(profile_long['measure']))[:12])}, ...)")
    table = table.set_index("group")
    names = sorted(table.index) if groups is None else [g for g in groups if g in table.index]
    replicates = profile_long.attrs.get("replicates")
    level = profile_long.attrs.get("level", LEVEL)
    alpha = (1 - level) / 2 * 100
    rows = []
    for a, b in combinations(names, 2):
        va, vb = float(table.loc[a, "value"]), float(table.loc[b, "value"])
        low = high = float("nan")
        if pd.isna(va) or pd.isna(vb):
            verdict, method = "not measurable", ""
        elif replicates is not None and measure in replicates.measures and a in replicates.groups \
                and b in replicates.groups:
            method = "bootstrap difference"
            diff = replicates.get(a, measure) - replicates.get(b, measure)
            diff = diff[~np.isnan(diff)]
            if len(diff):
                low, high = (float(x) for x in np.percentile(diff, [alpha, 100 - alpha]))
            verdict = (f"{a} higher" if low > 0 else f"{b} higher" if high < 0 else "no clear difference") \
                if len(diff) else "no clear difference"
        else:
            method = "interval overlap"
            la, ha, lb, hb = (float(table.loc[a, "low"]), float(table.loc[a, "high"]),
                              float(table.loc[b, "low"]), float(table.loc[b, "high"]))
            verdict = f"{a} higher" if la > hb else f"{b} higher" if lb > ha else "no clear difference"
        rows.append({"group_a": a, "group_b": b, "measure": measure, "value_a": va, "value_b": vb,
                     "difference": va - vb, "low": low, "high": high, "method": method, "verdict": verdict})
    return pd.DataFrame(rows, columns=["group_a", "group_b", "measure", "value_a", "value_b", "difference", "low",
                                       "high", "method", "verdict"])


# ---- distinctive words -----------------------------------------------------------------------------------

def _vectorizer(ngram_range, stop_words, min_df=1):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    if stop_words is True or stop_words == "english":
        stop_words = sorted(ENGLISH_STOP_WORDS)
    elif stop_words in (False, None):
        stop_words = None
    else:
        stop_words = sorted({_preprocess(w) for w in stop_words})
    return CountVectorizer(token_pattern=TOKEN_PATTERN, preprocessor=_preprocess, ngram_range=ngram_range,
                           stop_words=stop_words, min_df=min_df)


def group_term_counts(analysis: Analysis, group_by: str = "outlet", *, ngram_range=(1, 2),
                      stop_words=None) -> tuple[list[str], np.ndarray, "object"]:
    """Term counts per group: (group names, terms, a groups x terms sparse count matrix) over sentence texts."""
    from scipy import sparse

    texts = analysis.sentences["text"].fillna("").astype(str).tolist()
    if not texts:
        raise CompareError("the analysis holds no sentences")
    vectorizer = _vectorizer(ngram_range, stop_words)
    counts = vectorizer.fit_transform(texts)
    groups = _sentence_groups(analysis, group_by).to_numpy()
    names, codes = np.unique(groups, return_inverse=True)
    indicator = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                                  shape=(len(names), len(codes)))
    return [str(n) for n in names], vectorizer.get_feature_names_out(), (indicator @ counts).tocsr()


class _LexiconMarker:
    """Which lexicon entries a term contains (term matched on its own against the measuring lexicons)."""

    def __init__(self, analysis: Analysis | None = None):
        extra = []
        for path in ((analysis.run.get("options") or {}).get("lexicons") or []) if analysis is not None else []:
            if Path(path).is_file():
                extra.append(path)
        try:
            lexicons = lex.load_lexicons(extra)
        except lex.LexiconError:
            lexicons = lex.load_lexicons()
        self.matcher = lex.build_matcher(lexicons)
        self.cache: dict[str, str] = {}
        # a term can hold an entry only if one of its words starts a key (or a glob's stem): skip the rest
        self.first_words, stems = set(), set()
        for key, (_, payloads) in self.matcher.automaton.items() if len(self.matcher.automaton) else ():
            first = key.split(" ")[0]
            self.first_words.add(first)
            if any(glob for _, _, glob in payloads) and " " not in key:
                stems.add(key)
        self.stems = tuple(sorted(stems))

    def _may_match(self, term: str) -> bool:
        words = term.lower().replace("-", " ").replace("’", "'").split()
        return any(w in self.first_words or (self.stems and w.startswith(self.stems)) for w in words)

    def __call__(self, term: str) -> str:
        if term not in self.cache:
            if not self._may_match(term):
                self.cache[term] = ""
                return ""
            found = lex.find_hits(self.matcher, term)
            self.cache[term] = "; ".join(dict.fromkeys(f"{h.lexicon}/{h.category}: {h.entry}" for h in found))
        return self.cache[term]


def _pick_groups(names: list[str], wanted: list[str], role: str) -> list[str]:
    unknown = [w for w in wanted if w not in names]
    if unknown:
        raise CompareError(f"{role}: no group named {unknown[0]!r} (groups: {', '.join(names[:10])})")
    return wanted


def fightin_words(analysis: Analysis, group_by: str = "outlet", *, focus=None, against=None,
                  prior: float = 500.0, ngram_range=(1, 2), stop_words=None, min_count: int = 1,
                  top: int | None = None) -> pd.DataFrame:
    """Weighted log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, sec. 3.5).

    For a focus group i against a comparison j (the rest of the corpus, or the groups in ``against``), with
    y_w counts of term w, n totals, and the prior from the whole corpus, alpha_w = alpha0 * y_w(corpus) /
    n(corpus) (``prior`` = alpha0, the prior's total pseudo-count)::

        delta_w = log((y_wi + a_w) / (n_i + a0 - y_wi - a_w)) - log((y_wj + a_w) / (n_j + a0 - y_wj - a_w))
        var_w  ~= 1 / (y_wi + a_w) + 1 / (y_wj + a_w);   z_w = delta_w / sqrt(var_w)

    z > 1.96: the focus group uses the term clearly more; z < -1.96: clearly less. ``focus`` None compares
    every group with the rest; ``focus="A", against="B"`` compares two groups (lists pool several). Terms
    are lower-cased unigrams and bigrams of the sentence texts, hyphenated words kept whole; ``stop_words``
    True drops scikit-learn's English stop words. ``lexicon_entries`` names the lexicon entries found in the
    term (empty: a word nobody put in a lexicon); ``lexicon_term`` is True when there is one. ``top`` keeps
    the ``top`` highest and ``top`` lowest z per comparison.
    """
    names, terms, counts = group_term_counts(analysis, group_by, ngram_range=ngram_range, stop_words=stop_words)
    corpus = np.asarray(counts.sum(axis=0)).ravel().astype(float)
    alpha0 = float(prior)
    alpha = alpha0 * corpus / corpus.sum()
    focus_list = _pick_groups(names, _as_list(focus), "focus") or names
    against_list = _pick_groups(names, _as_list(against), "against")
    if against_list and len(_as_list(focus)) > 1 and not set(focus_list).isdisjoint(against_list):
        raise CompareError("focus and against share a group")
    marker = _LexiconMarker(analysis)
    frames = []
    for group in focus_list:
        rows_i = [names.index(group)]
        rows_j = [names.index(g) for g in (against_list or names) if g != group]
        if not rows_j:
            continue
        yi = np.asarray(counts[rows_i].sum(axis=0)).ravel().astype(float)
        yj = np.asarray(counts[rows_j].sum(axis=0)).ravel().astype(float)
        ni, nj = yi.sum(), yj.sum()
        delta = (np.log((yi + alpha) / (ni + alpha0 - yi - alpha))
                 - np.log((yj + alpha) / (nj + alpha0 - yj - alpha)))
        z = delta / np.sqrt(1.0 / (yi + alpha) + 1.0 / (yj + alpha))
        keep = (yi + yj) >= min_count
        frame = pd.DataFrame({
            "group": group, "against": " + ".join(against_list) if against_list else "rest",
            "term": terms[keep], "count_group": yi[keep].astype(int), "count_against": yj[keep].astype(int),
            "per_1000_group": yi[keep] / max(ni, 1) * 1000, "per_1000_against": yj[keep] / max(nj, 1) * 1000,
            "delta": delta[keep], "z": z[keep]}).sort_values(["z", "term"], ascending=[False, True])
        if top:
            frame = pd.concat([frame.head(top), frame.tail(top)]).drop_duplicates("term")
        frames.append(frame)
    if not frames:
        raise CompareError("nothing to compare: need at least two groups")
    table = pd.concat(frames, ignore_index=True)
    table["lexicon_entries"] = table["term"].map(marker)
    table["lexicon_term"] = table["lexicon_entries"] != ""
    table.attrs.update(group_by=group_by, prior_alpha0=alpha0, method="Monroe et al. 2008 informative Dirichlet")
    return table


def _chi2_sf_1dof(x: np.ndarray) -> np.ndarray:
    try:
        from scipy.special import erfc
    except ImportError:  # pragma: no cover - scipy comes with scikit-learn
        erfc = np.vectorize(math.erfc)
    return erfc(np.sqrt(np.abs(x) / 2.0))


def keyness(analysis: Analysis, group_by: str = "outlet", *, target=None, measure: str = "chi2",
            correction: str = "default", ngram_range=(1, 1), stop_words=None) -> pd.DataFrame:
    """Keyness of every term for ``target`` (a group or list of groups) against the rest, as quanteda's
    ``textstat_keyness`` computes it.

    Per term a 2x2 table: a = count in target, b = count in reference, c = target total - a, d = reference
    total - b, N = a + b + c + d, E = (a + b)(a + c) / N. ``chi2`` = N (|ad - bc| - N/2 * y)^2 /
    ((a+b)(c+d)(a+c)(b+d)), where y = 1 (Yates' correction, quanteda's default) when the smallest expected
    cell count is below 5 and |ad - bc| >= N/2, else 0; ``lr`` = G2 = 2 sum O log(O / E) over the four cells,
    with the same Yates adjustment of the cells (0.5 toward independence). Both are signed: positive when the
    target uses the term more than expected (a > E). p = chi-square survival function with 1 degree of
    freedom = erfc(sqrt(|stat| / 2)). ``correction="none"`` switches the correction off.
    Columns: feature, stat, p, n_target, n_reference, measure, lexicon_entries, lexicon_term.
    """
    if measure not in ("chi2", "lr"):
        raise CompareError(f"measure must be 'chi2' or 'lr', not {measure!r}")
    names, terms, counts = group_term_counts(analysis, group_by, ngram_range=ngram_range, stop_words=stop_words)
    targets = _pick_groups(names, _as_list(target), "target")
    if not targets:
        raise CompareError(f"give a target group (groups: {', '.join(names[:10])})")
    target_rows = [names.index(t) for t in targets]
    reference_rows = [i for i in range(len(names)) if i not in target_rows]
    if not reference_rows:
        raise CompareError("the target cannot be every group")
    a = np.asarray(counts[target_rows].sum(axis=0)).ravel().astype(float)
    b = np.asarray(counts[reference_rows].sum(axis=0)).ravel().astype(float)
    c, d = a.sum() - a, b.sum() - b
    n = a + b + c + d
    expected = (a + b) * (a + c) / n
    sign = np.where(a > expected, 1.0, -1.0)
    if correction in ("default", "yates"):
        small = (((a + b) * (a + c) / n < 5) | ((a + b) * (b + d) / n < 5) | ((a + c) * (c + d) / n < 5)
                 | ((c + d) * (b + d) / n < 5))
        yates = np.where(small & (np.abs(a * d - b * c) >= n / 2), 0.5, 0.0)
    elif correction == "none":
        yates = np.zeros_like(a)
    else:
        raise CompareError(f"correction must be 'default', 'yates' or 'none', not {correction!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "chi2":
            stat = n * (np.abs(a * d - b * c) - n * yates) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d)) * sign
        else:
            eps = 1e-9
            positive = a * d - b * c > 0
            shift = np.where(positive, -yates, yates)
            aa, dd, bb, cc = a + shift, d + shift, b - shift, c - shift

            def term(o, e):
                return np.where(o > 0, o * np.log(o / e + eps), 0.0)

            stat = 2 * (term(aa, (aa + bb) * (aa + cc) / n) + term(bb, (aa + bb) * (bb + dd) / n)
                        + term(cc, (aa + cc) * (cc + dd) / n) + term(dd, (bb + dd) * (cc + dd) / n)) * sign
    marker = _LexiconMarker(analysis)
    table = pd.DataFrame({"feature": terms, "stat": stat, "p": _chi2_sf_1dof(stat), "n_target": a.astype(int),
                          "n_reference": b.astype(int), "measure": measure})
    table = table.sort_values(["stat", "feature"], ascending=[False, True], ignore_index=True)
    table["lexicon_entries"] = table["feature"].map(marker)
    table["lexicon_term"] = table["lexicon_entries"] != ""
    table.attrs.update(target=" + ".join(targets), group_by=group_by)
    return table


# ---- label choice ----------------------------------------------------------------------------------------

def label_choice(analysis: Analysis, group_by: str = "outlet", *, lexicon_file=None) -> pd.DataFrame:
    """For each label group (the thing being named, e.g. ``migrants``), which name each group uses, how often.

    Names come from ``lexicons/labels.tsv`` (or ``lexicon_file``, same columns: the category is the label
    group). Columns: group, label_group, name (the lexicon entry), count, share (of that group's names for
    that label group), author_voice (how many were in the writer's own voice, scare quotes included),
    examples (the forms met), explanation (what choosing the name conveys). Groups that never name a label
    group have no rows for it.
    """
    lexicon = _lexicon(lexicon_file if lexicon_file is not None else "labels")
    hits = match_lexicon(analysis, lexicon)
    columns = ["group", "label_group", "name", "count", "share", "author_voice", "examples", "explanation"]
    if hits.empty:
        return pd.DataFrame(columns=columns)
    mapping = dict(zip(analysis.documents["doc_id"].astype(str), group_column(analysis, group_by)))
    hits = hits.assign(group=hits["doc_id"].map(mapping), author=hits["voice"].isin(AUTHOR_VOICES))
    table = (hits.groupby(["group", "category", "entry"])
             .agg(count=("matched", "size"), author_voice=("author", "sum"),
                  examples=("matched", lambda m: ", ".join(sorted(set(m.str.lower()))[:5])),
                  explanation=("explanation", "first"))
             .reset_index().rename(columns={"category": "label_group", "entry": "name"}))
    table["share"] = table["count"] / table.groupby(["group", "label_group"])["count"].transform("sum")
    table["author_voice"] = table["author_voice"].astype(int)
    table = table.sort_values(["label_group", "group", "count", "name"], ascending=[True, True, False, True])
    return table[columns].reset_index(drop=True)


def label_matrix(choice: pd.DataFrame, label_group: str, *, value: str = "count") -> pd.DataFrame:
    """One label group as names (rows) by groups (columns), counts or shares; zeros where a name is unused."""
    part = choice[choice["label_group"] == label_group]
    return part.pivot_table(index="name", columns="group", values=value, aggfunc="sum", fill_value=0)


# ---- frame dimensions ------------------------------------------------------------------------------------

def frame_mix(analysis: Analysis, group_by: str = "document", *, lexicon_file=None) -> pd.DataFrame:
    """Each group's share of sentences per Policy Frames Codebook dimension (Boydstun et al. 2014).

    Per sentence the cue words of ``lexicons/frames.tsv`` are counted per dimension; the dimension with the
    most cues wins the sentence, ties share it equally (two dimensions with 2 cues each get half a sentence
    each); a sentence without cues counts as ``none``. Columns: group, dimension, sentences (weighted count),
    share (of the group's sentences; the shares of a group, ``none`` included, add up to 1), n_sentences.
    """
    lexicon = _lexicon(lexicon_file if lexicon_file is not None else "frames")
    hits = match_lexicon(analysis, lexicon)
    sentences = analysis.sentences.assign(group=_sentence_groups(analysis, group_by).to_numpy(),
                                          doc_id=analysis.sentences["doc_id"].astype(str))
    dimensions = [d for d in FRAME_DIMENSIONS if d in {e.category for e in lexicon.entries}]
    dimensions += sorted({e.category for e in lexicon.entries} - set(dimensions)) + [NO_FRAME]
    n_total = sentences.groupby("group").size()
    weights = pd.DataFrame(columns=["group", "dimension", "sentences"])
    if not hits.empty:
        per = hits.groupby(["doc_id", "sentence_no", "category"]).size().rename("cues").reset_index()
        per["top"] = per.groupby(["doc_id", "sentence_no"])["cues"].transform("max")
        winners = per[per["cues"] == per["top"]].copy()
        winners["weight"] = 1.0 / winners.groupby(["doc_id", "sentence_no"])["category"].transform("size")
        winners = winners.merge(sentences[["doc_id", "sentence_no", "group"]], on=["doc_id", "sentence_no"])
        weights = (winners.groupby(["group", "category"])["weight"].sum().reset_index()
                   .rename(columns={"category": "dimension", "weight": "sentences"}))
    full = pd.MultiIndex.from_product([sorted(n_total.index), dimensions], names=["group", "dimension"])
    table = weights.set_index(["group", "dimension"])["sentences"].astype(float).reindex(full, fill_value=0.0)
    table = table.reset_index()
    framed = table.groupby("group")["sentences"].transform("sum")
    table["n_sentences"] = table["group"].map(n_total).astype(int)
    none = table["dimension"] == NO_FRAME
    table.loc[none, "sentences"] = (table["n_sentences"] - framed)[none]
    table["share"] = table["sentences"] / table["n_sentences"]
    return table[["group", "dimension", "sentences", "share", "n_sentences"]]


# ---- similarity ------------------------------------------------------------------------------------------

def _document_texts(analysis: Analysis) -> pd.Series:
    ids = analysis.documents["doc_id"].astype(str).tolist()
    joined = analysis.sentences.assign(doc_id=analysis.sentences["doc_id"].astype(str)).groupby("doc_id")["text"] \
        .apply(lambda s: " ".join(s.fillna("").astype(str)))
    return pd.Series([analysis.texts.get(i) if analysis.texts.get(i) is not None else joined.get(i, "")
                      for i in ids], index=ids)


def similarity(analysis: Analysis, *, threshold: float = 0.8) -> pd.DataFrame:
    """TF-IDF cosine similarity of every pair of documents (a square DataFrame, doc_id by doc_id, 1 on the
    diagonal). TF-IDF: scikit-learn's ``TfidfVectorizer`` over lower-cased unigrams of the cleaned texts,
    English stop words removed, sublinear tf (1 + log count), smoothed idf, rows L2-normalised, so the
    cosine is a dot product. Without stop-word removal unrelated articles on one topic reach 0.5-0.75 on the
    seeds; with it they stay under 0.35 while a copy with 15% cut and a sentence added scores 0.93.
    ``threshold`` is kept with the table for ``near_duplicates``."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    texts = _document_texts(analysis)
    if texts.empty:
        raise CompareError("the analysis holds no documents")
    try:
        vectorizer = TfidfVectorizer(token_pattern=TOKEN_PATTERN, preprocessor=_preprocess, sublinear_tf=True,
                                     stop_words=sorted(ENGLISH_STOP_WORDS))
        matrix = vectorizer.fit_transform(texts.tolist())
        values = (matrix @ matrix.T).toarray()
    except ValueError:  # every document empty
        values = np.zeros((len(texts), len(texts)))
    np.fill_diagonal(values, 1.0)
    table = pd.DataFrame(np.clip(values, 0.0, 1.0), index=texts.index, columns=texts.index)
    table.index.name = table.columns.name = "doc_id"
    table.attrs["threshold"] = threshold
    table.attrs["outlets"] = dict(zip(analysis.documents["doc_id"].astype(str),
                                      analysis.documents["outlet"].fillna("").astype(str)))
    return table


def near_duplicates(source, *, threshold: float | None = None) -> pd.DataFrame:
    """Pairs of documents at or above ``threshold`` TF-IDF cosine (default: the similarity table's, 0.8):
    doc_a, doc_b, outlet_a, outlet_b, similarity, flag. ``source`` is an ``Analysis`` or a ``similarity``
    table. High similarity means shared text (a re-post, syndicated wire copy, or a lightly edited copy),
    not agreement in framing."""
    table = similarity(source) if isinstance(source, Analysis) else source
    threshold = table.attrs.get("threshold", 0.8) if threshold is None else threshold
    outlets = table.attrs.get("outlets", {})
    values = table.to_numpy()
    ids = list(table.index)
    rows = []
    for i, j in zip(*np.triu_indices(len(ids), k=1)):
        if values[i, j] >= threshold:
            rows.append({"doc_a": ids[i], "doc_b": ids[j], "outlet_a": outlets.get(ids[i], ""),
                         "outlet_b": outlets.get(ids[j], ""), "similarity": float(values[i, j]),
                         "flag": "near-duplicate: re-post or shared copy"})
    return pd.DataFrame(rows, columns=["doc_a", "doc_b", "outlet_a", "outlet_b", "similarity", "flag"]) \
        .sort_values("similarity", ascending=False, ignore_index=True)


# ---- plain words -----------------------------------------------------------------------------------------

_SUMMARY_MEASURES = (
    ("rate_loaded_author", "loaded terms in the author's own voice", "per 1,000 words", 1),
    ("rate_hedges", "hedging", "hedges per 1,000 words", 1),
    ("rate_boosters", "boosting (sounding certain)", "boosters per 1,000 words", 1),
    ("sentiment_mean", "overall tone", "mean sentence sentiment", 2),
    ("share_attributed", "attributing statements to sources", "share of sentences with an attribution", 2),
)


def _fmt(value: float, digits: int) -> str:
    return f"{value:.{digits}f}"


def _top_loaded(analysis: Analysis, group_by: str, group: str) -> str:
    mapping = dict(zip(analysis.documents["doc_id"].astype(str), group_column(analysis, group_by)))
    hits = analysis.hits[(analysis.hits["lexicon"] == "loaded")
                         & analysis.hits["voice"].isin(AUTHOR_VOICES)]
    hits = hits[hits["doc_id"].astype(str).map(mapping) == group]
    if hits.empty:
        return ""
    category = hits["category"].value_counts().index[0]
    words = hits[hits["category"] == category]["matched"].str.lower().value_counts().head(3)
    examples = ", ".join(f"{w} ({c})" for w, c in words.items())
    return f", mostly {category.replace('_', ' ')} in the author's own voice: {examples}"


def summarise(analysis: Analysis, group_by: str = "outlet", *, profile: pd.DataFrame | None = None,
              n_boot: int = 1000, seed: int | None = 0, max_pairs: int = 4, words: int = 4) -> list[str]:
    """A few sentences a non-specialist can read. A difference is stated only when the 95% interval of the
    bootstrapped difference excludes zero (``differences``); otherwise the sentence says there is no clear
    difference. Group rates are compared with the median group only when the group's own interval lies
    entirely above or below that median."""
    profile = profiles(analysis, group_by, n_boot=n_boot, seed=seed) if profile is None else profile
    groups = sorted(profile["group"].unique())
    out: list[str] = []
    if not groups:
        return ["The analysis holds no documents."]
    loaded = profile[profile["measure"] == "rate_loaded"].set_index("group")
    if len(groups) > 1 and not loaded.empty:
        median = float(loaded["value"].median())
        for group in groups:
            row = loaded.loc[group]
            rate = float(row["value"])
            top = _top_loaded(analysis, group_by, group)
            interval = f"{rate:.1f} per 1,000 words, 95% interval {row['low']:.1f} to {row['high']:.1f}"
            if median > 0 and row["low"] > median:
                out.append(f"{group} uses loaded terms {rate / median:.1f} times as often as the median group "
                           f"({interval}){top}.")
            elif median > 0 and row["high"] < median:
                out.append(f"{group} uses loaded terms less often than the median group: {rate / median:.1f} "
                           f"times the median ({interval}){top}.")
            elif median == 0 and row["low"] > 0:
                out.append(f"{group} uses loaded terms ({interval}) where the median group uses none{top}.")
            else:
                out.append(f"{group} uses loaded terms at a rate that cannot be told apart from the median group "
                           f"({interval}; median {median:.1f}){top}.")
    for measure, what, unit, digits in _SUMMARY_MEASURES if len(groups) > 1 else ():
        if measure not in set(profile["measure"]):
            continue
        pairs = differences(profile, measure)
        pairs = pairs[pairs["verdict"] != "not measurable"]
        if pairs.empty:
            continue
        clear = pairs[pairs["verdict"] != "no clear difference"]
        why = ("the 95% interval of the difference includes zero"
               if (pairs["method"] == "bootstrap difference").all() else "the 95% intervals overlap")
        if clear.empty:
            if len(pairs) == 1:
                p = pairs.iloc[0]
                out.append(f"No clear difference in {what} between {p.group_a} and {p.group_b}: {why} "
                           f"({_fmt(p.value_a, digits)} vs {_fmt(p.value_b, digits)} {unit}).")
            else:
                out.append(f"No clear difference in {what} between any two of the {len(groups)} groups: "
                           f"for every pair {why}.")
            continue
        clear = clear.reindex(clear["difference"].abs().sort_values(ascending=False).index)
        for p in clear.head(max_pairs).itertuples():
            high, low = (p.group_a, p.group_b) if p.verdict == f"{p.group_a} higher" else (p.group_b, p.group_a)
            vh, vl = (p.value_a, p.value_b) if high == p.group_a else (p.value_b, p.value_a)
            if p.method == "bootstrap difference":
                lo, hi = (p.low, p.high) if high == p.group_a else (-p.high, -p.low)
                evidence = f"difference {_fmt(vh - vl, digits)}, 95% interval {_fmt(lo, digits)} to {_fmt(hi, digits)}"
            else:
                evidence = "the 95% intervals do not overlap"
            out.append(f"{high} scores higher than {low} on {what}: {_fmt(vh, digits)} vs {_fmt(vl, digits)} "
                       f"{unit} ({evidence}).")
        rest = len(pairs) - min(len(clear), max_pairs)
        if rest:
            out.append(f"The other {rest} pair{'s' if rest > 1 else ''} show{'' if rest > 1 else 's'} no clear "
                       f"difference in {what}.")
    if len(groups) > 1 and words:
        try:
            table = fightin_words(analysis, group_by, top=words, stop_words=True)
        except CompareError:
            table = pd.DataFrame()
        for group in groups:
            part = table[(table.get("group") == group) & (table.get("z") > 1.96)].head(words) if len(table) else table
            if part.empty:
                out.append(f"No word is clearly distinctive of {group} against the rest (no z above 1.96).")
                continue
            listed = ", ".join(f"{r.term}{'*' if r.lexicon_term else ''} ({r.count_group}, z {r.z:.1f})"
                               for r in part.itertuples())
            out.append(f"Words that most set {group} apart from the rest: {listed}"
                       f"{' (* = contains a lexicon term)' if part['lexicon_term'].any() else ''}; with thousands "
                       f"of words compared, single words are leads to read in context, not proof.")
    choice = label_choice(analysis, group_by)
    for label_group, part in choice.groupby("label_group"):
        if part["group"].nunique() < 2:
            continue
        picks = []
        for group, rows in part.groupby("group"):
            total, best = int(rows["count"].sum()), int(rows["count"].max())
            top = rows[rows["count"] == best]["name"].tolist()
            if len(top) == 1:
                picks.append(f"{group} says \"{top[0]}\" most often ({best} of {total})")
            else:
                names = ", ".join(f'"{n}"' for n in top[:3]) + (" ..." if len(top) > 3 else "")
                picks.append(f"{group} has no single favourite ({names}: {best} each, of {total})")
        out.append(f"Naming {label_group.replace('_', ' ')}: " + "; ".join(picks) + ".")
    for pair in near_duplicates(analysis).itertuples():
        out.append(f"{pair.doc_a} and {pair.doc_b} are near-duplicates (TF-IDF cosine {pair.similarity:.2f}): "
                   f"one is probably a re-post of the other, so they are not independent evidence.")
    return out
