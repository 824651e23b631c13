import pytest

from framing import sentiment


@pytest.mark.parametrize("score, expected", [(0.05, "positive"), (0.049, "neutral"), (-0.05, "negative"),
                                             (float("nan"), "neutral"), (None, "neutral")])
def test_polarity_class_uses_vaders_thresholds(score, expected):
    assert sentiment.polarity_class(score) == expected
