import pytest

from framing.errors import LexiconError
from framing.lexicons import (PACKAGED, Lexicon, build_matcher, find_hits, load_lexicons,
                              packaged_lexicon, parse_lexicon, read_lexicon_file)


def _lexicon(rows: str, name="test") -> Lexicon:
    text = "pattern\tcategory\texplanation\tsource\tcondition\n" + rows
    return Lexicon(name, parse_lexicon(text, name=name, path="inline.tsv", suffix=".tsv"), "inline.tsv", "x")


def _matched(lexicon: Lexicon, text: str) -> list[str]:
    return [hit.matched for hit in find_hits(build_matcher([lexicon]), text)]


def test_hyphen_space_and_joined_variants():
    lexicon = _lexicon("narco-terrorist\tcrime\tA label.\tt\t\n")
    assert _matched(lexicon, "narco-terrorist, narco terrorist and narcoterrorist") == [
        "narco-terrorist", "narco terrorist", "narcoterrorist"]


def test_inflections_of_the_last_word():
    lexicon = _lexicon("terrorist\tcrime\tA label.\tt\t\nbully\tx\tA label.\tt\t\nmass\tx\tA.\tt\t\n")
    assert _matched(lexicon, "Terrorists and a terrorist; bullies; masses") == ["Terrorists", "terrorist", "bullies",
                                                                                 "masses"]


def test_globs_like_quanteda():
    lexicon = _lexicon("terror*\tcrime\tA label.\tt\t\n")
    assert _matched(lexicon, "terror, terrorism and terrorists but not error") == ["terror", "terrorism", "terrorists"]


def test_whole_words_only():
    lexicon = _lexicon("gang\tcrime\tA label.\tt\t\n")
    assert _matched(lexicon, "Gangnam style gangs, a gang") == ["gangs", "gang"]


def test_overlapping_matches_resolve_to_the_longest():
    lexicon = _lexicon("war\tw\tA.\tt\t\nwar on\tw\tA.\tt\t\nwar on drugs\tw\tA.\tt\t\n")
    assert _matched(lexicon, "The war on drugs, a war on crime, the war.") == ["war on drugs", "war on", "war"]


def test_a_phrase_does_not_match_across_punctuation():
    lexicon = _lexicon("according to\tneutral\tA.\tt\t\n")
    assert _matched(lexicon, "as agreed, according. To be fair, according to him") == ["according to"]


def test_about_and_around_hedge_only_before_a_quantity():
    lexicon = _lexicon("about\tapprox\tA.\tt\tbefore_quantity\naround\tapprox\tA.\tt\tbefore_quantity\n")
    text = ("A story about gangs; about 50 people; around £40,000; about a dozen; around the country; "
            "around a third; about an hour")
    assert _matched(lexicon, text) == ["about", "around", "about", "around", "about"]


def test_may_the_month_and_might_the_noun_are_no_hedges():
    lexicon = _lexicon("may\tmodal\tA.\tt\tmodal\nmight\tmodal\tA.\tt\tmodal\n")
    text = ("In May the army showed its might. May 2023 was wet. Prices may rise. It might rain. "
            "May they rest. With all his might, he said in mid-May that it may end.")
    assert _matched(lexicon, text) == ["may", "might", "May", "may"]


def test_the_same_text_can_hit_several_lexicons():
    hedges = _lexicon("alleged\thearsay\tA.\tt\t\n", name="hedges")
    attribution = _lexicon("alleged\tloaded\tA.\tt\t\n", name="attribution")
    hits = find_hits(build_matcher([hedges, attribution]), "Police alleged it.")
    assert sorted(h.lexicon for h in hits) == ["attribution", "hedges"]


def test_curly_apostrophes_match_straight_patterns():
    lexicon = _lexicon("couldn't\tmodal\tA.\tt\t\n")
    assert _matched(lexicon, "He couldn’t and couldn't") == ["couldn’t", "couldn't"]


# ---- packaged lexicons ------------------------------------------------------------------------------------

def test_packaged_lexicons_are_data_with_explanations_and_sources():
    for name in PACKAGED:
        lexicon = packaged_lexicon(name)
        assert lexicon.entries and len(lexicon.sha256) == 64
        for entry in lexicon.entries:
            assert entry.explanation and entry.source and entry.category, entry


def test_packaged_lexicon_sizes_and_categories():
    assert len(packaged_lexicon("loaded").entries) >= 300
    assert {e.category for e in packaged_lexicon("attribution").entries} >= {"neutral", "loaded"}
    hedges = {e.pattern for e in packaged_lexicon("hedges").entries}
    assert {"allegedly", "reportedly", "is believed to", "is thought to", "may", "could", "seemingly"} <= hedges
    boosters = {e.pattern for e in packaged_lexicon("boosters").entries}
    assert {"clearly", "of course", "undoubtedly", "obviously", "in fact"} <= boosters


def test_journalism_hedges_and_boosters_are_found():
    matcher = build_matcher(load_lexicons())
    text = ("The man, who is believed to be 40, allegedly fled. It is understood he may return. "
            "Clearly, of course, he was undoubtedly there, Police claimed.")
    found = {(h.lexicon, h.matched.lower()) for h in find_hits(matcher, text)}
    assert {("hedges", "is believed to"), ("hedges", "allegedly"), ("hedges", "may"), ("boosters", "clearly"),
            ("boosters", "of course"), ("boosters", "undoubtedly"), ("attribution", "claimed")} <= found


# ---- users' lexicon files -----------------------------------------------------------------------------------

def test_user_lexicons_in_every_format(tmp_path):
    (tmp_path / "mine.tsv").write_text("pattern\tcategory\texplanation\tsource\nhorde\tdehum\tA crowd as a mob.\tme\n",
                                       encoding="utf-8")
    (tmp_path / "csvlex.csv").write_text('pattern,category,explanation,source\n"swarm",dehum,"Insects, not people.",me\n',
                                         encoding="utf-8")
    (tmp_path / "y.yaml").write_text("entries:\n  - {pattern: invasion, category: war, explanation: A war word., "
                                     "source: me}\n", encoding="utf-8")
    (tmp_path / "liwc.dic").write_text("%\n1\tthreat\n2\tcrime\n%\nmenac*\t1\ngang\t1\t2\n", encoding="utf-8")
    lexicons = load_lexicons([tmp_path / n for n in ("mine.tsv", "csvlex.csv", "y.yaml", "liwc.dic")])
    assert [lx.name for lx in lexicons][-4:] == ["mine", "csvlex", "y", "liwc"]
    hits = find_hits(build_matcher(lexicons), "A horde, a swarm, an invasion, a menacing gang.")
    found = {(h.lexicon, h.category, h.matched) for h in hits}
    assert {("mine", "dehum", "horde"), ("csvlex", "dehum", "swarm"), ("y", "war", "invasion"),
            ("liwc", "threat", "menacing"), ("liwc", "threat", "gang"), ("liwc", "crime", "gang")} <= found


def test_a_user_file_named_like_a_packaged_lexicon_replaces_it(tmp_path):
    (tmp_path / "hedges.tsv").write_text("pattern\tcategory\texplanation\tsource\nperchance\told\tOld.\tme\n",
                                         encoding="utf-8")
    lexicons = {lx.name: lx for lx in load_lexicons([tmp_path / "hedges.tsv"])}
    assert [e.pattern for e in lexicons["hedges"].entries] == ["perchance"]


@pytest.mark.parametrize("name,content,message", [
    ("a.tsv", "pattern\tcategory\texplanation\tsource\nok\tc\tFine.\ts\nbad\tc\t\ts\n", r"a\.tsv:3: missing explanation"),
    ("b.tsv", "pattern\tcategory\tsource\nx\tc\ts\n", r"b\.tsv:1: header lacks column\(s\) explanation"),
    ("c.tsv", "pattern\tcategory\texplanation\tsource\tcondition\nx\tc\tE.\ts\tsometimes\n", r"c\.tsv:2: unknown condition"),
    ("d.tsv", "pattern\tcategory\texplanation\tsource\nx y!\tc\tE.\ts\n", r"d\.tsv:2: pattern"),
    ("e.yaml", "entries:\n  - pattern: x\n   bad: [\n", r"e\.yaml:\d+: malformed YAML"),
    ("f.dic", "%\n1\tthreat\n%\nmenace\t7\n", r"f\.dic:4: unknown category id"),
    ("g.txt.json", "{}", r"unknown lexicon format"),
])
def test_a_malformed_lexicon_gets_an_error_naming_the_line(tmp_path, name, content, message):
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        read_lexicon_file(tmp_path / name)


# ---- the condition language (README.md, "Conditions"): one example per clause, a hit kept and a hit dropped ----

def _with_not_when(rows: str, name="test") -> Lexicon:
    text = "pattern\tcategory\texplanation\tsource\tnot_when\tcondition\n" + rows
    return Lexicon(name, parse_lexicon(text, name=name, path="inline.tsv", suffix=".tsv"), "inline.tsv", "x")


@pytest.mark.parametrize("pattern,condition,kept,dropped", [
    ("crude", "not_next:oil", "a crude slur", "crude oil prices"),
    ("gross", "not_next:domestic|margin*", "a gross insult", "gross margins fell"),
    ("flood", "next:of", "a flood of migrants", "the flood damaged homes"),
    ("regime", "not_prev:fitness|tax|sanctions", "the regime jailed him", "a fitness regime"),
    ("regime", "not_prev:sanction*", "the regime jailed him", "a sanctions regime"),
    ("caved", "prev:he|she|they", "they caved to pressure", "the roof caved"),
    ("gross", "not_near:domestic|product|income", "a gross insult to voters", "gross national income rose"),
    ("mob", "near:angry|crowd|violent", "an angry mob gathered", "the mob boss was jailed"),
    ("savage", "not_name", "a savage attack", "Rep. Gus Savage spoke"),
    ("really", "not_question", "It really is over.", "Is it really over?"),
    ("sadly", "not_sentence_start", "He sadly left.", "Sadly he left."),
    ("could", "not_just_after:so|if", "If passed, the bill could cost jobs.", "They left early so they could vote."),
    ("may", "not_concessive", "Prices may rise, but slowly.", "They may be good TVs, but few sell."),
    ("about", "before_quantity", "about 50 people", "a story about gangs"),
    ("may", "modal", "prices may rise", "in May 2023"),
])
def test_each_condition_clause_keeps_and_drops(pattern, condition, kept, dropped):
    lexicon = _lexicon(f"{pattern}\tc\tA.\tt\t{condition}\n")
    assert [m.lower() for m in _matched(lexicon, kept)][:1] == [pattern]
    assert _matched(lexicon, dropped) == []


def test_clauses_joined_by_semicolons_must_all_hold():
    lexicon = _lexicon("savage\tc\tA.\tt\tnot_name ; not_near:lion|lions|beast\n")
    assert _matched(lexicon, "a savage attack. Gus Savage spoke. The lions made a savage kill.") == ["savage"]


def test_listed_words_may_be_hyphenated_or_capitalised():
    lexicon = _lexicon("fascist\tc\tA.\tt\tnot_near:anti-fascist ; not_prev:U\n")
    assert _matched(lexicon, "an anti-fascist march; a fascist slur") == ["fascist"]
    crude = _lexicon("crude\tc\tA.\tt\tnot_next:oil ; not_near:blood\n")
    assert _matched(crude, "Crude-oil prices fell. Blood-soaked crude scenes. A crude joke.") == ["crude"]


def test_near_looks_only_inside_the_sentence():
    lexicon = _lexicon("mob\tc\tA.\tt\tnear:angry\n")
    assert _matched(lexicon, "He was angry. The mob boss left.") == []
    assert _matched(lexicon, "He was angry at the mob.") == ["mob"]


def test_next_and_prev_do_not_reach_over_punctuation_that_ends_a_clause():
    lexicon = _lexicon("crude\tc\tA.\tt\tnot_next:oil\n")
    assert _matched(lexicon, "It was crude. Oil fell.") == ["crude"]


def test_not_when_is_read_and_carried_by_hits():
    lexicon = _with_not_when("flood\tdisaster\tPeople as water.\tt\tthe literal water sense\tnext:of\n")
    assert lexicon.entries[0].not_when == "the literal water sense"
    hit = find_hits(build_matcher([lexicon]), "a flood of people")[0]
    assert hit.not_when == "the literal water sense" and hit.explanation == "People as water."


def test_not_when_and_conditions_in_csv_and_yaml(tmp_path):
    (tmp_path / "c.csv").write_text('pattern,category,explanation,source,not_when,condition\n'
                                    'crude,vulgar,Calls it vulgar.,me,"crude oil, a crude device",not_next:oil\n',
                                    encoding="utf-8")
    (tmp_path / "y.yaml").write_text("- {pattern: crude, category: vulgar, explanation: Vulgar., source: me, "
                                     "not_when: crude oil, condition: 'not_next:oil ; not_name'}\n", encoding="utf-8")
    for name in ("c.csv", "y.yaml"):
        lexicon = read_lexicon_file(tmp_path / name)
        assert lexicon.entries[0].not_when.startswith("crude oil")
        assert [h.matched for h in find_hits(build_matcher([lexicon]), "crude oil, a crude joke")] == ["crude"]


@pytest.mark.parametrize("condition,message", [
    ("sometimes", r"inline\.tsv:2: unknown condition 'sometimes'"),
    ("not_next", r"inline\.tsv:2: condition 'not_next' needs words"),
    ("near:crude oil", r"inline\.tsv:2: condition 'near': 'crude oil' is not a single word"),
    ("near:oil|", r"inline\.tsv:2: condition 'near' needs words"),
    ("not_name:x", r"inline\.tsv:2: condition 'not_name' takes no word list"),
    ("not_name ; nope", r"inline\.tsv:2: unknown condition 'nope'"),
])
def test_a_malformed_condition_names_file_and_line(condition, message):
    with pytest.raises(LexiconError, match=message):
        _lexicon(f"crude\tc\tA.\tt\t{condition}\n")


# ---- hedges and boosters by sense (issue 15: a blind reader found these wrong in context) -------------------

@pytest.mark.parametrize("text,expected", [
    ("He left before he could finish.", []), ("He could not explain why.", []),
    ("Prices could rise next year.", [("hedges", "could")]),
    ("May I ask?", []), ("May God bless you.", []), ("You may leave now.", []), ("May said she would stay.", []),
    ("It may rain.", [("hedges", "may")]),
    ("They talked about every topic.", []), ("About 50 people came.", [("hedges", "about")]),
    ("She suggested that he resign.", []), ("He suggested a plan.", []),
    ("Studies suggest that the drug works.", [("hedges", "suggest")]),
    ("The police had probable cause.", []), ("I believe in God.", []),
    ("I believe it will rain.", [("hedges", "i believe")]),
    ("He was supposed to host it.", []), ("The supposed threat grew.", [("hedges", "supposed")]),
    ("We often go there.", []), ("Do it as soon as possible.", []), ("Obama led among likely voters.", []),
    ("He will likely win.", [("hedges", "likely")]),
    ("Is it really over?", []), ("It really is over.", [("boosters", "really")]), ("He had a really good debate.", []),
    ("Speak clearly, please.", []), ("He clearly lied.", [("boosters", "clearly")]),
    ("It proves to be hard.", []), ("This proves the point.", [("boosters", "proves")]),
    ("Despite the fact that he won, he left.", []),
])
def test_hedges_and_boosters_count_only_in_their_sense(text, expected):
    matcher = build_matcher([packaged_lexicon("hedges"), packaged_lexicon("boosters")])
    assert [(h.lexicon, h.entry) for h in find_hits(matcher, text)] == expected


@pytest.mark.parametrize("text,expected", [
    # concessive modals: the point is granted, then "but" (judged no hedge in blind rounds 3 and 5)
    ("France may have beaten Scotland but they were dull.", []), ("They may be fine TVs, but few sell.", []),
    ("It may not be easy, but we will get there.", []), ("There might be fewer of them, but more grace.", []),
    ("The comic might boost viewers, but critics doubted it.", [("hedges", "might")]),
    ("Prices may rise.", [("hedges", "may")]),
    # "could" of purpose, condition and options (rounds 2-5)
    ("They left early so they could vote.", []), ("He would win if the party could unite.", []),
    ("We could send them a letter.", []), ("I could take them to the tip.", []),
    ("Voters could choose a new leader.", []), ("Others could have saved but did not.", []),
    ("If passed, the bill could cost jobs.", [("hedges", "could")]),
    ("It is so big that it could justify a new rule.", [("hedges", "could")]),
    # "unlikely" meaning surprising, "in no uncertain terms", appearing somewhere, a comparison, a conviction
    ("The ship is the unlikely setting for the tests.", []), ("A deal is unlikely.", [("hedges", "unlikely")]),
    ("He said so in no uncertain terms.", []), ("The outcome is uncertain.", [("hedges", "uncertain")]),
    ("He would appear at a church to explain.", []), ("It would appear to work.", [("hedges", "would appear")]),
    ("It is no more or less risky than a visa.", []), ("It cost more or less nothing.", [("hedges", "more or less")]),
    ("I believe abortion should be legal.", []),
])
def test_round5_hedge_misses_concessive_may_and_could_of_purpose_or_options(text, expected):
    matcher = build_matcher([packaged_lexicon("hedges")])
    assert [(h.lexicon, h.entry) for h in find_hits(matcher, text)] == expected


# ---- one explanation per entry (issue 15, item 3) -------------------------------------------------------------

def test_no_explanation_is_shared_by_more_than_three_entries():
    # 1,288 entries once shared a stock line ("Praises ... (a 'peacock' word)" x89) that fitted few of them
    from collections import Counter
    from importlib import resources

    names = sorted(p.name[:-4] for p in resources.files("framing").joinpath("lexicons").iterdir()
                   if p.name.endswith(".tsv"))
    assert set(PACKAGED) | {"roles", "frames", "labels"} <= set(names)
    owners = Counter(e.explanation for name in names for e in packaged_lexicon(name).entries)
    shared = {text: n for text, n in owners.items() if n > 3}
    assert not shared, sorted(shared.items(), key=lambda x: -x[1])[:5]


def test_explanations_of_judging_words_never_say_whose_choice_it_is():
    # the page says whose word it is (the writer's, or a quoted speaker's): an explanation saying "the writer"
    # was wrong on every word inside a quote
    voiced = [(name, e.pattern, e.explanation) for name in ("loaded", "evaluative", "hedges", "boosters")
              for e in packaged_lexicon(name).entries
              if "the writer" in e.explanation.lower() or "the author" in e.explanation.lower()]
    assert not voiced, voiced[:5]


@pytest.mark.parametrize("text,expected", [
    # round 5 loaded misses: the same literal senses the entry's siblings already left out
    ("Problems with its reserves hammered its share price.", []),
    ("Critics hammered the minister.", ["hammered"]),
    ("Spyware can hijack web browsing sessions.", []), ("They tried to hijack the debate.", ["hijack"]),
    ("New rules tackle sham weddings.", []), ("It was a sham election.", ["sham"]),
])
def test_round5_loaded_misses_share_price_browser_hijack_sham_weddings(text, expected):
    matcher = build_matcher([packaged_lexicon("loaded")])
    assert [h.entry for h in find_hits(matcher, text)] == expected


@pytest.mark.parametrize("text,expected", [
    # round 6 (NewsMTSC) loaded misses: a charge reported from a court or an investigation; "regime change",
    # the name of a policy
    ("The senator lied about his record, again.", ["lied about"]),
    ("Flynn pleaded guilty to lying to the FBI about his talks.", []),
    ("He denied that he lied in earlier testimony to Congress.", []),
    ("Sanders criticised her support for regime change in Libya.", []),
    ("The Assad regime jailed its critics.", ["regime"]),
])
def test_round6_loaded_misses_lie_charges_and_regime_change(text, expected):
    matcher = build_matcher([packaged_lexicon("loaded")])
    assert [h.entry for h in find_hits(matcher, text)] == expected
