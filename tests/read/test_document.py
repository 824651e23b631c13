"""framing.read.document: each seed's body kept, its furniture dropped and kept for audit."""

import pytest


# For each seed: body sentences that must survive cleaning, and furniture that must be gone.
SURVIVES = {
    "000": ["Since the 1990s, the United Kingdom has been one of the staunchest supporters of Albanian "
            "expansionism (mostly fueled by their unrelenting narco-terrorist tendencies).",
            "Since then, as per usual, NATO's support for various kinds of ultraradical groups and organizations "
            "has started backfiring.",
            "The UK's National Crime Agency (NCA) revealed in mid-May that hundreds of lawyers",
            "the way this has backfired cannot be considered anything but a well-deserved poetic justice."],
    "001": ["they used as a motto ‘sell cheap and sell more’.",
            "‘In 2009/10 we dropped the price for a kilo of cocaine from £35,000 to £30,000.",
            "The NCA has been contacted for comment."],
    "002": ["Police fear at least 1,700 serious organised criminals from Albania are walking free in Britain.",
            "An insider said: ‘UK police requested records on 1,700 Albanian migrants"],
    "003": ["Albanian mobs are coming of age – with direct connections to Colombian drug suppliers.",
            "“People are very imaginative,” Julian Hodaj, the deputy interior minister, said."],
    "004": ["Kosovo's NATO-led \"Peacekeeping Force\" KFOR Ready to Establish \"Peace\" in Kosovo",
            "@NATO_KFOR has the capability & personnel to provide a safe and secure environment & freedom of "
            "movement for all communities",
            "to “keep the peace”—instead, the unit engaged in human trafficking of women and children.",
            "will carry on the tradition of its corrupt and degenerate progenitor."],
}
GONE = {
    "000": ["Click the share button", "Daily Newsletter", "Region: Europe", "Copyright ©", "Disclaimer",
            "Become a Member", "Featured image", "fair use", "By Drago Bosnic", "(#)", "\\*", "](", "Translate Website"],
    "001": ["Your browser does not support iframes", "Pictured: Guns found", "This golden duck was used",
            "a cake made from £50 notes"],
    "002": ["<\\/p>", "</p>", "\\u00a0", "\u00a0", "James Cleverly met with Albanian Interior Minister Taulant Balla last "
            "week to discuss tackling illegal immigration\n"],
    "003": [],
    "004": ["pic.twitter.com", "t.co/", "(@investigativeSK)", "(@agenfor)", "Follow us on", "Note to readers",
            "Kurt Nimmo is a regular contributor", "\\_", "Theme: Intelligence"],
}


@pytest.mark.parametrize("key", sorted(SURVIVES))
def test_seed_cleaning_keeps_the_body_and_drops_the_furniture(seed_docs, key):
    text = seed_docs[key].text
    for sentence in SURVIVES[key]:
        assert sentence in text, sentence
    for furniture in GONE[key]:
        assert furniture not in text, furniture


def test_removed_lines_are_kept_for_audit(seed_docs):
    removed = "\n".join(seed_docs["000"].removed)
    assert "Click the share button above" in removed
    assert "Disclaimer:" in removed
    assert any("Your browser does not support iframes" in line for line in seed_docs["001"].removed)
