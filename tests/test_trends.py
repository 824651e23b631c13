"""framing.compare.trends: a measure over time on tiny dated corpora whose right answers are known."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import framing  # noqa: E402
from framing import compare, plots  # noqa: E402
from framing.errors import CompareError  # noqa: E402
from framing.model import Document  # noqa: E402

CALM = "The council met on Monday. Members reviewed the plans for the library. The meeting lasted two hours."
LOADED = "The thugs and gangsters ran riot. Terrorists and mobsters were blamed. The meeting lasted two hours."


def _doc(doc_id, outlet, date, text):
    return Document(doc_id=doc_id, text=text, source=f"{doc_id}.txt", format="txt", outlet=outlet, date=date)


@pytest.fixture(scope="module")
def dated():
    docs = [_doc(f"a{i}", "A", f"2024-01-0{i + 1}", CALM) for i in range(3)]           # week 1: calm
    docs += [_doc("a9", "A", "2024-01-17", LOADED)]                                   # week 3: one document
    docs += [_doc(f"b{i}", "A", f"2024-02-0{i + 5}", LOADED) for i in range(3)]       # week 6: loaded
    docs += [_doc(f"c{i}", "B", f"2024-01-0{i + 1}", CALM) for i in range(3)]
    docs += [_doc(f"d{i}", "B", f"2024-02-0{i + 5}", CALM) for i in range(3)]
    docs += [_doc("u1", "A", "", LOADED), _doc("u2", "B", "not a date", CALM)]
    return framing.analyze(docs)


def test_volume_values_intervals_thin_periods_and_undated_documents(dated):
    result = compare.trends(dated, group_by="outlet", freq="W", measure="rate_loaded", n_boot=200)
    a = result.table[result.table["group"] == "A"].reset_index(drop=True)
    assert list(a["n_documents"]) == [3, 1, 3]
    assert list(a["plotted"]) == [True, False, True]  # one document in a week: kept, marked, not drawn
    assert a["value"].iloc[0] == 0 and a["value"].iloc[2] > 100
    assert a["low"].iloc[2] <= a["value"].iloc[2] <= a["high"].iloc[2]
    assert a["period"].iloc[0].startswith("2024-01-01")
    assert dict(zip(result.undated["group"], result.undated["n_documents"])) == {"A": 1, "B": 1}
    assert result.n_undated == 2 and "bootstrap over the period's documents" in result.method


def test_a_plain_line_only_where_the_intervals_support_a_change(dated):
    lines = compare.trend_summary(compare.trends(dated, "outlet", "W", "rate_loaded", n_boot=200))
    assert lines[0].startswith("A: loaded terms per 1,000 words rose, from 0 (2024-01-01/2024-01-07) to ")
    assert not any(line.startswith("B:") for line in lines)  # B did not change
    assert lines[-1] == "2 documents have no date and are not in the trend."


def test_any_measure_and_period_and_clear_errors(dated):
    monthly = compare.trends(dated, None, "M", "share_negative", n_boot=0)
    assert list(monthly.table["group"].unique()) == ["all documents"]
    assert list(monthly.table["n_documents"]) == [7, 6] and monthly.table["low"].isna().all()
    with pytest.raises(CompareError, match="unknown measure 'rate_nothing'"):
        compare.trends(dated, measure="rate_nothing")
    with pytest.raises(CompareError, match="unknown period 'fortnight'"):
        compare.trends(dated, freq="fortnight")
    assert compare.spans_periods(dated, "W") and not compare.spans_periods(dated, "Y")
    assert compare.suggest_frequency(dated) == "W"


def test_the_trend_chart_draws_only_the_thick_periods(dated):
    result = compare.trends(dated, "outlet", "W", "rate_loaded", n_boot=50)
    figure = plots.trend_chart(result)
    top, bottom = figure.axes
    drawn = {line.get_label(): len(line.get_xdata()) for line in top.get_lines()}
    assert drawn == {"A": 2, "B": 2}
    assert sorted(len(line.get_xdata()) for line in bottom.get_lines() if line.get_label() in "AB") == [2, 3]
