import json

import pytest

from framing.segment import find_quotes, quote_kind, split_sentences

from conftest import ROOT

CASES = json.loads((ROOT / "tests" / "data" / "tricky_sentences.json").read_text(encoding="utf-8"))

# Cases the splitter gets wrong today, each with the reason. They run as strict xfails: one that starts passing
# fails the suite, so it is taken off this list.
KNOWN_FAILURES = {
    "seed-email-then-lowercase-domain-line": "a line ending in an e-mail address, next line starting 'www.' in lower case",
    "seed-tweet-trailing-urls": "bare URLs after a sentence stay with it",
    "abbr-st-street-end-ambiguous": "'St.' ending a sentence before a capitalised word is read as an abbreviation",
    "abbr-am-ends-sentence-ambiguous": "'a.m.' before a proper noun ('Border Force') is not split",
    "abbr-company-co-ends-sentence-ambiguous": "'Co.' ending a sentence is read as an abbreviation",
    "lowercase-sentence-start": "a sentence starting in lower case ('iPhones') is taken as a continuation",
}


def test_fixture_has_at_least_forty_tricky_cases():
    assert len(CASES) >= 40
    assert sum(len(case["sentences"]) > 1 for case in CASES) >= 40


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c["id"], marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[c["id"]]))
    if c["id"] in KNOWN_FAILURES else pytest.param(c, id=c["id"]) for c in CASES])
def test_tricky_sentences(case):
    text = case["text"]
    spans = split_sentences(text)
    assert [text[s.start:s.end] for s in spans] == case["sentences"]


def test_offsets_point_into_the_text():
    text = "Mr. Smith arrived at 3 p.m. on Jan. 5.\n\nHe said: ‘It cost £35,000.’ Prices rose 2.5% in 2009/10."
    spans = split_sentences(text)
    assert [text[s.start:s.end] for s in spans] == [
        "Mr. Smith arrived at 3 p.m. on Jan. 5.", "He said: ‘It cost £35,000.’", "Prices rose 2.5% in 2009/10."]


def test_a_paragraph_break_always_ends_a_sentence():
    assert len(split_sentences("A headline without a full stop\n\nThe body begins here.")) == 2


def _kinds(text):
    return [(text[q.start:q.end], q.kind) for q in find_quotes(text)]


def test_scare_quotes_are_short_and_unattributed():
    text = 'Various "human rights" groups protested. According to their "logic", it must stop.'
    assert _kinds(text) == [('"human rights"', "scare"), ('"logic"', "scare")]


def test_attributed_quotes_before_and_after_the_speaker():
    text = ("“People are very imaginative,” Julian Hodaj, the deputy minister, said. He added: “We want help.” "
            "She told reporters ‘it is over’.")
    assert [kind for _, kind in _kinds(text)] == ["attributed", "attributed", "attributed"]


def test_curly_single_quotes_and_apostrophes():
    text = "They used as a motto ‘sell cheap’. Britain’s streets didn’t change."
    assert _kinds(text) == [("‘sell cheap’", "scare")]


def test_a_quote_running_over_paragraphs_continues_its_speaker():
    text = ("He said: ‘We had the best cocaine. That made users come to us’, he said.\n"
            "‘In 2009/10 we dropped the price for a kilo from £35,000 to £30,000.\n"
            "‘That was a game changer for the market at that time’.")
    quotes = find_quotes(text)
    assert [q.kind for q in quotes] == ["attributed", "attributed", "attributed"]
    assert text[quotes[1].start:quotes[1].end].endswith("£30,000.")  # left open: ends with its paragraph


def test_unattributed_long_quote():
    text = 'It must "create safer ways for refugees to seek asylum", they think.'
    assert [kind for _, kind in _kinds(text)] == ["unattributed"]


def test_quotes_without_their_kinds_have_the_same_spans_and_short_ones_the_same_kind_alone():
    text = ("Various \"human rights\" groups protested. “People are very imaginative,” Hodaj said. He added: ‘it is "
            "over’.\n‘In 2009/10 we dropped the price.\n‘A game changer’, he said. They called it 'cheap'.\n"
            "It must \"create safer ways for refugees to seek asylum\", they think. “Never!” Hoxha said")
    kinds = find_quotes(text)
    plain = find_quotes(text, kinds=False)
    assert [(q.start, q.end, q.n_words) for q in plain] == [(q.start, q.end, q.n_words) for q in kinds]
    assert {q.kind for q in plain} == {""}
    short = [(quote_kind(text, p), q.kind) for p, q in zip(plain, kinds) if q.n_words <= 4]
    assert {"scare", "attributed"} <= {kind for kind, _ in short}
    assert all(alone == whole for alone, whole in short)
    with pytest.raises(ValueError, match="at most 4 words"):
        quote_kind(text, next(p for p in plain if p.n_words > 4))
