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
