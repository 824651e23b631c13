"""Shared by every test, in tests/ and its sub-folders (``from conftest import ...``: pyproject puts tests/ on
the path): the repository's paths, the seeds, tiny inline corpora and an HTML checker."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# A short news body for the readers' tests on tiny inline corpora
BODY = "Police said the gang was dangerous. The minister disagreed with the police view."


@pytest.fixture(scope="session")
def seed_corpus():
    import framing

    return framing.load_corpus(SEEDS)


@pytest.fixture(scope="session")
def seed_docs(seed_corpus):
    return {doc.doc_id[:3]: doc for doc in seed_corpus.documents}


# ---- tiny corpora and an HTML checker for the pages ------------------------------------------------------

VOID = {"br", "meta", "img", "hr", "input", "link", "wbr"}

NESTED_TEXT = ("Police were sure the \"self-styled\" army was almost certainly behind it.\n"
               "The drug lord boasted about his empire. \u201cWe will obviously win, and the thugs may run away from "
               "us,\u201d he said. Officials clearly knew\n"
               "about it.\n\n"
               "Critics called it a savage, disgraceful war. Reportedly, about 50 people fled.\n")
EVIL_TEXT = ('The gang <script>window.__pwned=1</script> was almost certainly behind the so-called raid.\n'
             '<img src=x onerror="alert(1)"> & "quotes" \'here\' said the thugs.\n')


def analyse_texts(**texts):
    """An analysis of tiny inline documents (id=text), each with an outlet and a title."""
    import framing
    from framing.model import Document

    return framing.analyze([Document(doc_id=doc_id, text=text, source=f"{doc_id}.txt", format="txt",
                                     outlet=f"Outlet {doc_id}", title=f"Title of {doc_id}")
                            for doc_id, text in texts.items()])


class Checker(HTMLParser):
    """Balance of tags, and the document text as a reader sees it (tooltips left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text, self.in_tip, self.tags = [], [], [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in VOID:
            return
        self.stack.append((tag, "tip" in (attrs.get("class") or "").split()))
        if self.stack[-1][1]:
            self.in_tip += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        _, tip = self.stack.pop()
        if tip:
            self.in_tip -= 1

    def handle_data(self, data):
        if not self.in_tip:
            self.text.append(data)


def check(fragment):
    """The fragment's tags balance; returns the parser (its tags, and its text without tooltips)."""
    checker = Checker()
    checker.feed(fragment)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert not checker.stack, f"unclosed: {checker.stack}"
    return checker


def interrupt_at(monkeypatch, index: int):
    """Ctrl-C when unit ``index`` starts (in-process runs); returns the real process_unit."""
    from framing.run import engines

    original = engines.process_unit

    def interrupted(unit, options, *after):
        if unit.index == index:
            raise KeyboardInterrupt
        return original(unit, options, *after)

    monkeypatch.setattr(engines, "process_unit", interrupted)
    return original
