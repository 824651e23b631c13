import pytest

from framing import sentiment


@pytest.mark.parametrize("score, expected", [(0.05, "positive"), (0.049, "neutral"), (-0.05, "negative"),
                                             (float("nan"), "neutral"), (None, "neutral")])
def test_polarity_class_uses_vaders_thresholds(score, expected):
    assert sentiment.polarity_class(score) == expected


# compound() re-implements vaderSentiment's scoring for speed: it must give the very same float.
REFERENCE_EXAMPLES = [  # the reference's own demo and "tricky" sentences, plus edge cases of its rules
    "VADER is smart, handsome, and funny.", "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.", "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "Not bad at all", "Sentiment analysis has never been good.",
    "Sentiment analysis has never been this good!", "With VADER, sentiment analysis is the shit!",
    "On the other hand, VADER is quite bad ass", "Without a doubt, excellent idea.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.", "no no no good", "No, good.",
    "good but bad but good", "bad bad but bad bad", "Is it good??", "Is it good????", "😁😁good", "",
    "   ", "!!!", "  trailing spaces are fine.  ", "GOOD", "GOOD bad", "kiss of death to die for",
]


def test_compound_equals_the_reference_on_its_examples():
    for text in REFERENCE_EXAMPLES:
        assert sentiment.compound(text) == sentiment.reference_compound(text), text


def test_compound_equals_the_reference_on_generated_sentences():
    import random
    from vaderSentiment import vaderSentiment as reference

    rng = random.Random(3)
    built = sentiment.analyzer()
    rule_words = ["no", "or", "nor", "least", "at", "very", "but", "never", "so", "this", "without", "doubt",
                  "kind", "of", "sort", "just", "enough", "the", "bomb", "shit", "bad", "ass", "yeah", "right",
                  "kiss", "death", "to", "die", "for", "beating", "heart", "bus", "stop", "isn't", "won't"]
    vocabulary = (rule_words + rng.sample(sorted(built.lexicon), 300) + list(reference.BOOSTER_DICT)
                  + reference.NEGATE + ["the", "a", "police", "said", "report", "government", "city"] * 20
                  + [":)", ":D", "<3", "!", "?", "!!!", "??"] + rng.sample(sorted(built.emojis), 10))
    for _ in range(5000):
        words = []
        for _ in range(rng.randint(1, 30)):
            word = rng.choice(vocabulary)
            shape = rng.random()
            if shape < 0.1:
                word = word.upper()
            elif shape < 0.2:
                word = rng.choice(["(", "'", '"', "", "“"]) + word + rng.choice([",", ".", "!", "?", ")", "'"])
            elif shape < 0.23:
                word += rng.choice(sorted(built.emojis)[:50])
            words.append(word)
        text = " ".join(words)
        assert sentiment.compound(text) == sentiment.reference_compound(text), text
