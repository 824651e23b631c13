"""framing.read.jsonfix: JSON that was cut off."""


def test_truncated_wordpress_seed_is_repaired_with_a_warning(seed_docs):
    assert any("cut off" in w for w in seed_docs["002"].warnings)
    assert seed_docs["002"].text.rstrip().endswith("organised immigration crime’.")
