"""framing.clean: furniture rules remove the furniture, never the story on the same line."""

import json

import pytest

from framing import clean
from framing.read import load_corpus

STORY = "Police in London said the gang was dangerous."


@pytest.mark.parametrize("line, furniture, kept", [
    (f"Photo credit: AP. {STORY}", "Photo credit: AP.", STORY),
    (f"Tags: politics, crime. {STORY}", "Tags: politics, crime.", STORY),
    (f"Sign up for our newsletter: {STORY}", "Sign up for our newsletter:", STORY),
    (f"Category: UK news {STORY}", "Category:", f"UK news {STORY}"),
    (f"Follow us on Twitter! {STORY} The minister disagreed.", "Follow us on Twitter!",
     f"{STORY} The minister disagreed."),
    (f"Click the share button above. Follow us on Telegram. {STORY}",
     "Click the share button above. Follow us on Telegram.", STORY),
])
def test_regression_a_line_that_begins_with_furniture_lost_its_story(line, furniture, kept):
    text, removed = clean.remove_furniture(line)
    assert (text, removed) == (kept, [furniture])


@pytest.mark.parametrize("line", [
    "Tags: politics, crime",
    "Photo credit: AP",
    "Pictured: Guns found in a courier van driven stopped in Albania that were UK bound",
    "Click the share button above to email this article. Follow us on Telegram. Feel free to repost and share widely.",
    "Sign up for our newsletter: it is free.",
    "Copyright © 2023 The Paper",
])
def test_a_line_of_furniture_only_is_still_removed_whole(line):
    assert clean.remove_furniture(line) == ("", [line])


def test_regression_a_one_line_document_that_began_with_furniture_was_dropped_whole(tmp_path):
    bodies = [f"Photo credit: AP. {STORY}", f"Tags: politics, crime. {STORY}",
              f"Sign up for our newsletter: {STORY}", f"Category: UK news {STORY}",
              f"Copyright © 2023 AP. {STORY}"]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps({"text": b}) + "\n" for b in bodies), encoding="utf-8")
    documents, errors = load_corpus(tmp_path)
    assert errors == []
    assert [d.text for d in documents] == [STORY] * 3 + [f"UK news {STORY}", STORY]
    assert [d.removed for d in documents] == [["Photo credit: AP."], ["Tags: politics, crime."],
                                              ["Sign up for our newsletter:"], ["Category:"],
                                              ["Copyright © 2023 AP."]]


def test_a_footer_still_drops_the_end_of_a_document():
    text = f"{STORY}\nThe minister disagreed.\nMore text here.\nCopyright © 2023 AP. All rights reserved.\nShare"
    kept, removed = clean.remove_furniture(text)
    assert kept == f"{STORY}\nThe minister disagreed.\nMore text here."
    assert removed == ["Copyright © 2023 AP. All rights reserved.", "Share"]
