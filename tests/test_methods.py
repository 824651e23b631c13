"""The methods appendix (framing/pages/methods.py): built from data, the same text as Markdown and as a page."""

import re

from framing.pages import methods

from conftest import ROOT

RUN = {"framing_version": "9.9", "finished": "2026-01-02T03:04:05+00:00", "versions": {"python": "3.11", "pandas": "2"},
       "sentiment": {"package": "vaderSentiment", "version": "3.3.2", "lexicon_sha256": "a" * 64, "scorer": "s"},
       "lexicons": {"loaded": {"entries": 2080, "sha256": "b" * 64}, "mine": {"entries": 3, "sha256": "c" * 64}},
       "targets": {"police": ["police"]}}


def test_the_validity_figures_are_the_readmes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Validity"):readme.index("## Lexicons and rules")]
    for row in methods.validity():
        assert row["result"] in table, row["what"]


def test_every_citation_the_issue_names_is_there_and_every_key_cited_exists():
    keys = methods.references()
    assert {"hutto2014", "monroe2008", "boydstun2014", "spinde2021", "hamborg2021", "newell2018"} <= set(keys)
    for row in methods.validity():
        assert set(row["cite"].split()) <= set(keys)


def test_methods_come_from_the_run_record():
    sections = methods.methods(RUN, n_documents=1234, n_groups=8, group_by="outlet", n_boot=500, unit="document")
    text = methods.markdown(sections)
    assert "1,234 documents in 8 groups by outlet" in text and "framing 9.9 on 2026-01-02" in text
    assert "| Loaded terms | 2,080 |" in text and "b" * 64 in text and "| mine | 3 | given by the user |" in text
    assert "the documents of each group were resampled with replacement 500 times" in text
    assert "This report's targets: police." in text and "a" * 64 in text
    assert text.count("\n## ") == 9 and text.startswith("# Methods\n")


def test_the_methods_page_escapes_and_carries_the_policy():
    run = dict(RUN, lexicons={"<script>x</script>": {"entries": 1, "sha256": "d" * 64}})
    page = methods.render_html(methods.methods(run), index_link="index.html")
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page and 'href="index.html"' in page
    assert re.search(r"<code>d{64}</code>", page)
