"""The words that set a group apart: weighted log-odds (Monroe, Colaresi & Quinn 2008) and keyness (as
quanteda's ``textstat_keyness``), over the sentence texts, with the lexicon entries each term contains marked."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from framing import lexicons as lex
from framing.errors import CompareError, LexiconError
from framing.measure import sentence_groups
from framing.model import Analysis

TOKEN_PATTERN = r"(?u)\b\w+(?:[-'’]\w+)*\b"  # keeps narco-terrorists, Britain's, 1,700 -> 1 / 700


def _preprocess(text: str) -> str:
    return text.lower().replace("’", "'")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


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

    # keyness runs once per group on the same counts: counted once per analysis (8 outlets of 10,000 documents
    # spent 121 s re-counting the same 280,000 sentences)
    key = ("group_term_counts", group_by, tuple(ngram_range), repr(stop_words), len(analysis.sentences))
    memo = analysis.__dict__.setdefault("_framing_memo", {})
    if key in memo:
        return memo[key]
    texts = analysis.sentences["text"].fillna("").astype(str).tolist()
    if not texts:
        raise CompareError("the analysis holds no sentences")
    vectorizer = _vectorizer(ngram_range, stop_words)
    counts = vectorizer.fit_transform(texts)
    groups = sentence_groups(analysis, group_by).to_numpy()
    names, codes = np.unique(groups, return_inverse=True)
    indicator = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                                  shape=(len(names), len(codes)))
    memo[key] = ([str(n) for n in names], vectorizer.get_feature_names_out(), (indicator @ counts).tocsr())
    return memo[key]


class _LexiconMarker:
    """Which lexicon entries a term contains (term matched on its own against the measuring lexicons)."""

    def __init__(self, analysis: Analysis | None = None):
        extra = []
        for path in ((analysis.run.get("options") or {}).get("lexicons") or []) if analysis is not None else []:
            if Path(path).is_file():
                extra.append(path)
        try:
            lexicons = lex.load_lexicons(extra)
        except LexiconError:
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




DISTINCTIVE_MIN_COUNT = 3  # a word must be seen this often in the corpus to be called distinctive


def distinctive_words(analysis: Analysis, group_by: str = "outlet", *, top: int = 15,
                      min_count: int = DISTINCTIVE_MIN_COUNT) -> pd.DataFrame:
    """The words that set each group apart, as a reader wants them: ``fightin_words`` without English stop
    words (the seed report's list was led by he, we, of, its), numbers ("1 700") and words seen fewer than
    ``min_count`` times in the corpus; the ``top`` highest and ``top`` lowest z per group."""
    table = fightin_words(analysis, group_by, top=None, stop_words=True, min_count=min_count)
    table = table[~table["term"].str.fullmatch(r"[\d\s.,:%-]+")]
    keep = []
    for _, part in table.groupby("group", sort=False):
        part = part.sort_values(["z", "term"], ascending=[False, True])
        keep.append(pd.concat([part.head(top), part.tail(top)]).drop_duplicates("term"))
    out = pd.concat(keep, ignore_index=True) if keep else table.head(0)
    out.attrs.update(table.attrs, min_count=min_count)
    return out
