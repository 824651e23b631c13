"""The report's index page (framing/pages/index.py), rendered from an analysis and the states of its pages."""

import re
from types import SimpleNamespace

import pandas as pd
import pytest

import framing
from framing.model import Document
from framing.pages.index import render_index

from conftest import check

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def analysis():
    documents = [Document(doc_id="wire", text="Police said the gang was arrested. Officers seized cash.",
                          source="wire.txt", format="txt", outlet="Wire", title="Arrests"),
                 Document(doc_id="evil", text=f"Ruthless thugs {HOSTILE} flood the streets, critics claimed.",
                          source="evil.txt", format="txt", outlet=f"Evil {HOSTILE}", title=f"Title {HOSTILE}")]
    result = framing.analyze(documents)
    result.errors = pd.DataFrame([{"source": f"{HOSTILE}.txt", "reason": f"empty file {HOSTILE}"}])
    return result


def _page(name, doc_id, status="ok", error=""):
    return SimpleNamespace(name=name, doc_id=doc_id, page=f"{name}.html", status=status, error=error)


def test_index_links_every_page_with_its_state_and_escapes_everything(analysis):
    pages = [_page("document_wire", "wire"), _page("document_evil", "evil", "failed", f"ValueError: {HOSTILE}"),
             _page("corpus_comparison", "")]
    page = render_index(analysis, pages, tables=["tables/documents.csv", "tables/run.json"],
                        parameters={"paths": [HOSTILE]}, group_by="outlet", kernel="/opt/venv/bin/python")
    check(page[page.index("<html"):])
    assert "<script" not in page and "<img" not in page and "window.__pwned" in page
    assert page.count("&lt;script&gt;window.__pwned=1&lt;/script&gt;") >= 5  # outlet, title, error, input, parameters
    assert 'href="document_wire.html"' in page and 'href="document_evil.html"' in page
    assert 'href="corpus_comparison.html"' in page
    assert '<span class="state-failed">failed: ValueError: &lt;script&gt;' in page
    assert "1 report(s) failed" in page and '<p class="state-failed">Failed: document_evil</p>' in page
    assert 'href="tables/documents.csv">documents.csv</a>' in page and 'href="tables/run.json">run.json</a>' in page
    assert "Notebooks ran in: <code>/opt/venv/bin/python</code>" in page
    assert analysis.run["lexicons"]["loaded"]["sha256"] in page
    assert re.search(r"<style>.*\.framing-hl .*</style>", page, re.S)  # the one theme


def test_index_says_which_pages_are_missing(analysis):
    page = render_index(analysis, [_page("document_wire", "wire")], tables=[], parameters={})
    assert '<span class="state-missing">missing</span>' in page  # evil's page and the comparison
    assert "No comparison page" in page
