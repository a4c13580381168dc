from slugkit import slugify, truncate


def test_lowercases_words():
    assert slugify("Hello World") == "hello-world"


def test_strips_accents():
    assert slugify("Crème Brûlée") == "creme-brulee"


def test_truncate_drops_trailing_dash():
    assert truncate("hello-world", 6) == "hello"
