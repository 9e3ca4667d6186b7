from __future__ import annotations

from codegen.discovery.text import MAX_DESCRIPTION, MAX_SUMMARY, describe, full, summary


def test_markers_become_flags() -> None:
    d = describe("Required. The name of the `Model`. Format: `models/{model}`.")
    assert (d.text, d.required, d.output_only) == (
        "The name of the `Model`. Format: `models/{model}`.",
        True,
        False,
    )
    d = describe("Optional. Output only. The reason. More.")
    assert (d.text, d.required, d.output_only, d.optional) == (
        "The reason. More.",
        False,
        True,
        True,
    )
    d = describe("Output only. Identifier. The id.")
    assert (d.text, d.output_only) == ("The id.", True)
    assert describe("Required.").text == ""
    assert describe(None).text == ""


def test_first_sentence() -> None:
    assert summary("Uses e.g. tools. Then more.") == "Uses e.g. tools."
    assert summary("Version 2.5 is here. Next.") == "Version 2.5 is here."
    assert summary("A `value. Like` this. Next.") == "A `value. Like` this."
    assert summary("Lower case. then not a new sentence") == "Lower case. then not a new sentence"
    assert summary("Spread\n  over\tlines.\n\nSecond paragraph.") == "Spread over lines."


def test_links_and_emphasis() -> None:
    assert (
        summary("See the [text guide](https://ai.google.dev/x(y)) now.")
        == "See the text guide now."
    )
    assert summary("A [`Model`][ref] here.") == "A `Model` here."
    assert summary("**PaLM** - Bad content.") == "PaLM - Bad content."


def test_long_text_is_cut_cleanly() -> None:
    text = "word " * 60 + "`some code that should not be split` end."
    out = summary(text)
    assert len(out) <= MAX_SUMMARY and out.endswith("...")
    assert out.count("`") % 2 == 0
    clause = "This is a long clause about things, " * 8
    out = summary(clause)
    assert out.endswith("things...") and len(out) <= MAX_SUMMARY


def test_the_whole_text_is_kept_one_line() -> None:
    """Every sentence stays (the ranges, defaults and caveats users read), on one line."""
    raw = "Required. Controls randomness.\n\nValues can range from [0.0, 2.0]. Default: 1.0."
    assert (
        describe(raw).text == "Controls randomness. Values can range from [0.0, 2.0]. Default: 1.0."
    )
    assert full("See the [guide](https://a.b/c) and **this**.") == "See the guide and this."


def test_a_text_over_the_cap_is_cut_at_a_sentence_end() -> None:
    sentence = "The value is bounded by the cap. "
    out = full(sentence * 1000)
    assert len(out) <= MAX_DESCRIPTION and out.endswith("cap. ...")
    assert full(sentence * 1000) == out  # deterministic
    words = full("word " * 5000)
    assert len(words) <= MAX_DESCRIPTION and words.endswith("word...")
    assert len(full("x" * 100_000)) <= MAX_DESCRIPTION
    assert full(sentence * 10) == (sentence * 10).strip()  # under the cap: untouched


def test_a_description_is_worked_out_once_and_a_long_one_is_not_kept() -> None:
    """Documents read one after another share their descriptions: each is described once (the
    same answer), and only texts up to MAX_DESCRIPTION characters are kept, so memory is bounded."""
    from codegen.discovery import text

    raw = "Optional. A description only this test uses. Twice."
    before = text._described.cache_info()
    first, again = describe(raw), describe(raw)
    assert again is first and (first.text, first.optional) == (
        "A description only this test uses. Twice.",
        True,
    )
    after = text._described.cache_info()
    assert (after.misses, after.hits) == (before.misses + 1, before.hits + 1)
    long = "Output only. " + "x" * MAX_DESCRIPTION
    assert describe(long) == describe(long) and describe(long).output_only
    assert text._described.cache_info().currsize == after.currsize
    assert text._described.cache_info().maxsize <= 4096
