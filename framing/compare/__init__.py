"""Comparative framing: how groups of documents (outlets, authors, single documents) differ, with the noise shown.

Every function takes an ``Analysis`` and returns a pandas DataFrame (``profiles`` returns a ``Profile``,
``summarise`` plain sentences).

- ``profiles``: every measure per group with a 95% bootstrap interval (sentences resampled within a group);
  ``differences``: pairwise comparisons of one measure, called a difference only when the 95% interval of the
  bootstrapped difference excludes zero (``framing.compare.profiles``).
- ``fightin_words`` (Monroe, Colaresi & Quinn 2008) and ``keyness`` (as quanteda's ``textstat_keyness``):
  the words that set a group apart, lexicon terms marked (``framing.compare.words``).
- ``label_choice``: which name each group picks for the same people; ``frame_mix``: the Policy Frames Codebook
  dimensions each group's sentences touch (``framing.compare.frames``).
- ``speakers`` / ``sourcing_sentences``: who each group lets speak, how often, how introduced
  (``framing.compare.sources``); the shares by role with intervals are profile measures.
- ``similarity`` / ``near_duplicates``: TF-IDF cosine between documents; re-posts; ``group_similarity`` and
  ``similarity_overview``: the same between groups, bounded whatever the corpus (``framing.compare.similarity``).
- ``document_intervals``: key measures per group with intervals from the documents table alone (documents
  resampled), for an index of any size; ``against_rest``: one group against all the others on those measures,
  and ``against_rest_sentences`` in plain words (``framing.compare.headline``).
- ``trends``: any measure per group and period (week, month, ...) with volume and bootstrap intervals, thin
  periods marked, undated documents counted; ``trend_summary``: a plain line where the intervals support a
  change (``framing.compare.trends``).
- ``summarise``: a few plain sentences that state only what the intervals support (``framing.compare.summary``).
- ``choose_grouping``: the grouping asked for, or documents one by one when every document is in one group
  (``framing.compare.grouping``).
"""

from framing.compare.frames import FRAME_DIMENSIONS, NO_FRAME, frame_mix, label_choice, match_lexicon
from framing.compare.grouping import Grouping, choose_grouping, pick_group
from framing.compare.headline import HEADLINE, against_rest, against_rest_sentences, document_intervals, rest_name
from framing.compare.profiles import LEVEL, Profile, differences, pivot_profile, profiles, sentence_measures
from framing.compare.similarity import group_similarity, near_duplicates, similarity, similarity_overview
from framing.compare.sources import sourcing_sentences, speakers
from framing.compare.summary import summarise
from framing.compare.trends import Trends, spans_periods, suggest_frequency, trend_summary, trends
from framing.compare.words import (DISTINCTIVE_MIN_COUNT, TOKEN_PATTERN, distinctive_words, fightin_words,
                                   group_term_counts, keyness)

__all__ = ["DISTINCTIVE_MIN_COUNT", "against_rest", "against_rest_sentences", "rest_name", "FRAME_DIMENSIONS", "Grouping", "HEADLINE", "LEVEL", "NO_FRAME", "Profile",
           "TOKEN_PATTERN", "choose_grouping", "differences", "distinctive_words", "document_intervals",
           "fightin_words", "frame_mix", "group_similarity", "group_term_counts", "keyness", "label_choice",
           "match_lexicon", "near_duplicates", "pick_group", "pivot_profile", "profiles", "sentence_measures", "similarity",
           "similarity_overview", "sourcing_sentences", "speakers",
           "summarise", "Trends", "spans_periods", "suggest_frequency", "trend_summary", "trends"]
