"""Identifier schemes as data: the shipped table's own examples and near-misses, a library's
schemes and their errors, ranges and lists, and catalog identifiers in their written variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.identifiers import (
    FoundIdentifier,
    canonicalize,
    find_identifiers,
    variants_matcher,
)
from reader.schemes import Example, Scheme, SchemeError, builtin_schemes, load_schemes

BUILTIN = builtin_schemes()
EXAMPLES = [
    pytest.param(scheme, example, id=f"{scheme.name}: {example.written}")
    for scheme in BUILTIN.schemes
    for example in scheme.examples
]
NEAR_MISSES = [
    pytest.param(scheme, near, id=f"{scheme.name}: {near}")
    for scheme in BUILTIN.schemes
    for near in scheme.near_misses
]


def test_every_builtin_scheme_has_examples_and_near_misses() -> None:
    assert {s.name for s in BUILTIN.schemes} >= {
        "nuremberg", "nara-rg", "ushmm-rg", "nara-microfilm", "bundesarchiv", "paaa", "imt",
        "nmt", "zbornik",
    }  # fmt: skip
    for scheme in BUILTIN.schemes:
        assert scheme.examples and scheme.near_misses, scheme.name
        assert scheme.keys, scheme.name


@pytest.mark.parametrize(("scheme", "example"), EXAMPLES)
@pytest.mark.parametrize("template", ["As shown in {}, the order stood.", "{}", "({}).\n"])
def test_examples_give_their_canonical_forms(
    scheme: Scheme, example: Example, template: str
) -> None:
    text = template.format(example.written)
    found = find_identifiers(text)
    assert [f.canonical for f in found] == list(example.canonicals)
    offset = template.index("{}")
    assert found[0].start == offset
    assert max(f.end for f in found) == offset + len(example.written)
    for item in found:
        assert text[item.start : item.end] == item.text
        assert item.archive == scheme.archive
    if example.pages is not None:
        assert found[0].pages == example.pages
    if example.frames is not None:
        assert found[0].frames == example.frames
    if example.items is not None:
        assert found[0].items == example.items


@pytest.mark.parametrize(("scheme", "near"), NEAR_MISSES)
def test_near_misses_match_nothing(scheme: Scheme, near: str) -> None:
    assert find_identifiers(f"As shown in {near}, the order stood.") == []


@pytest.mark.parametrize(("scheme", "example"), EXAMPLES)
def test_canonical_forms_are_their_own_canonical_form(scheme: Scheme, example: Example) -> None:
    for canonical in example.canonicals:
        assert canonicalize(canonical) == canonical


def test_ranges_and_lists_give_each_document_with_its_span() -> None:
    text = "See NOKW-1088/1090; NOKW-1088 to 1091; and NOKW-1088, -1090, -1092."
    found = find_identifiers(text)
    assert [f.canonical for f in found] == [
        "NOKW-1088", "NOKW-1090",
        "NOKW-1088", "NOKW-1089", "NOKW-1090", "NOKW-1091",
        "NOKW-1088", "NOKW-1090", "NOKW-1092",
    ]  # fmt: skip
    assert [f.text for f in found[:2]] == ["NOKW-1088", "1090"]
    assert {f.text for f in found[2:6]} == {"NOKW-1088 to 1091"}
    assert [f.text for f in found[6:]] == ["NOKW-1088", "1092"[:0] + "1090", "1092"]


def test_no_range_where_the_numbers_go_down_or_too_far() -> None:
    assert [f.canonical for f in find_identifiers("NOKW-1088 to 12 March")] == ["NOKW-1088"]
    assert [f.canonical for f in find_identifiers("NOKW-1088 to 5000")] == ["NOKW-1088"]
    assert [f.canonical for f in find_identifiers("NO-3012/2")] == ["NO-3012"]


def test_ushmm_and_nara_record_groups_kept_apart() -> None:
    def canon(text: str) -> list[str]:
        return [f.canonical for f in find_identifiers(text)]

    assert canon("USHMM, RG-49.006M, reel 3") == ["USHMM-RG-49.006M"]
    assert canon("in RG-49.006M") == ["USHMM-RG-49.006M"]  # never RG-49
    assert canon("USHMM, RG 49") == ["USHMM-RG-49"]
    assert canon("NARA, RG 49") == ["RG-49"]
    assert canon("Record Group 238.") == ["RG-238"]
    assert find_identifiers("USHMM, RG 49")[0].archive.startswith("United States Holocaust")


def test_bundesarchiv_and_its_military_archive_are_one() -> None:
    barch = find_identifiers("BArch RH 26-118/20")
    bama = find_identifiers("BA-MA RH 26-118/20, Bl. 7")
    assert barch[0].canonical == bama[0].canonical == "BArch-RH-26-118/20"
    assert bama[0].pages == (7,)


def test_microfilm_frames_and_numbers_first() -> None:
    found = find_identifiers("NARA, T-501, R. 264, F. 480–89 and 1919-PS")
    assert [f.canonical for f in found] == ["T-501/R-264", "PS-1919"]
    assert found[0].frames == tuple(range(480, 490))
    assert found[1].scheme == "PS" and found[1].value == "1919"


def test_existing_constructors_keep_working() -> None:
    found = FoundIdentifier("NOKW", "1088", "NOKW-1088", 0, 9, "NOKW-1088")
    assert found.archive == "" and found.pages == () and found.frames == ()


# ---------------------------------------------------------------- a library's schemes

GOOD = """
[[scheme]]
name = "zstl"
archive = "Zentrale Stelle der Landesjustizverwaltungen, Ludwigsburg"
keys = ["ZStL"]
patterns = ['''(?<![\\w-])ZStL,?\\s(?P<office>\\d{1,4})\\sAR(?:-Z)?\\s(?P<number>\\d{1,5})/(?P<year>\\d{2})(?!\\w)''']
canonical = "ZStL-{office}-AR-{number}/{year}"
examples = [{ written = "ZStL 503 AR 1234/65", canonical = "ZStL-503-AR-1234/65" }]
near_misses = ["ZStL"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "identifier_schemes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_library_scheme_is_merged(tmp_path: Path) -> None:
    table = load_schemes(_write(tmp_path, GOOD))
    assert len(table.schemes) == len(BUILTIN.schemes) + 1
    found = find_identifiers("Cf. ZStL 503 AR 1234/65 and NOKW 1088.", schemes=table)
    assert [f.canonical for f in found] == ["ZStL-503-AR-1234/65", "NOKW-1088"]
    scheme = table.by_name("zstl")
    for example in scheme.examples:
        assert [f.canonical for f in find_identifiers(example.written, schemes=table)] == list(
            example.canonicals
        )
    assert find_identifiers("ZStL 503 AR 1234/65") == []  # the built-in table alone
    assert load_schemes(tmp_path / "absent.toml") is BUILTIN
    assert load_schemes(None) is BUILTIN


def _error(tmp_path: Path, text: str) -> SchemeError:
    with pytest.raises(SchemeError) as raised:
        load_schemes(_write(tmp_path, text))
    return raised.value


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = text.splitlines()
    seen = 0
    for number, line in enumerate(lines, start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(needle)


SECOND = GOOD.replace('name = "zstl"', 'name = "{name}"').replace(
    "patterns = ['''", "patterns = ['''{pattern}"
)


def _second(name: str = "box", pattern: str = "") -> str:
    return SECOND.replace("{name}", name).replace("{pattern}", pattern)


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("(?P<x>(", "no regular expression"),
        ("(?P<x>a+)+", "backtrack"),
        ("(\\\\w*)*", "backtrack"),
        ("(?:a|ab)+", "alternation"),
        ("(?:\\\\s\\\\w+){2,}", "backtrack"),
        ("(?P<x>a)(?P=x)", "back-reference"),
    ],
)
def test_bad_patterns_are_named_with_their_line(tmp_path: Path, pattern: str, words: str) -> None:
    text = GOOD + _second(pattern=pattern)
    error = _error(tmp_path, text)
    assert error.path.name == "identifier_schemes.toml"
    assert error.line == _line_of(text, "[[scheme]]", 2)
    assert "'box'" in str(error) and words in str(error)
    assert f"identifier_schemes.toml:{error.line}:" in str(error)


def test_a_duplicate_name_is_an_error(tmp_path: Path) -> None:
    text = GOOD + _second(name="zstl")
    error = _error(tmp_path, text)
    assert error.line == _line_of(text, "[[scheme]]", 2)
    assert "defined twice" in str(error) and f"line {_line_of(text, '[[scheme]]')}" in str(error)


def test_a_clash_with_a_builtin_is_an_error(tmp_path: Path) -> None:
    text = GOOD + _second(name="nuremberg")
    error = _error(tmp_path, text)
    assert error.line == _line_of(text, "[[scheme]]", 2)
    assert "built-in" in str(error)


def test_a_missing_field_is_an_error(tmp_path: Path) -> None:
    text = GOOD + _second().replace('canonical = "ZStL-{office}-AR-{number}/{year}"\n', "")
    error = _error(tmp_path, text)
    assert error.line == _line_of(text, "[[scheme]]", 2)
    assert "missing field(s) canonical" in str(error)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (('canonical = "ZStL', 'canonical = "{nothing}ZStL'), "names a group no pattern has"),
        (('{year}"', '{year|bold}"'), "unknown filter"),
        (("keys = [", "key = ["), "unknown field(s) key"),
        (('archive = "', "archive = 3 #"), "archive must be"),
    ],
)
def test_other_mistakes_are_errors(tmp_path: Path, change: tuple[str, str], words: str) -> None:
    text = GOOD + _second().replace(*change)
    error = _error(tmp_path, text)
    assert error.line == _line_of(text, "[[scheme]]", 2)
    assert words in str(error)


def test_invalid_toml_names_its_line(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD + "\n[[scheme]\nname = 1\n")
    assert error.line == len(GOOD.splitlines()) + 2
    assert "not valid TOML" in str(error)


def test_the_builtin_patterns_pass_the_backtracking_check() -> None:
    from reader.schemes import check_pattern

    for scheme in BUILTIN.schemes:
        for pattern in scheme.patterns:
            assert check_pattern(pattern.pattern) is None


# ---------------------------------------------------------------- catalog identifiers


def test_known_identifiers_in_their_written_variants() -> None:
    known = variants_matcher(["Box 7/12", "ZStL 503 AR 1234/65", "NOKW-1088"])
    text = (
        "In box 7-12 and BOX 7 / 12, not Box 7/123 nor Box 17/12; "
        "ZStL 503 AR Nr. 1234/65 and zstl-503-ar-1234-65."
    )
    found = known(text)
    assert [(f.canonical, f.text) for f in found] == [
        ("Box 7/12", "box 7-12"),
        ("Box 7/12", "BOX 7 / 12"),
        ("ZStL 503 AR 1234/65", "ZStL 503 AR Nr. 1234/65"),
        ("ZStL 503 AR 1234/65", "zstl-503-ar-1234-65"),
    ]
    combined = find_identifiers("See Box 7.12 and NOKW 1088.", known=known)
    assert [f.canonical for f in combined] == ["Box 7/12", "NOKW-1088"]
    assert combined[1].scheme == "NOKW"  # the scheme's match is kept over the variant's


def test_known_identifiers_never_inside_words() -> None:
    known = variants_matcher(["A 12"])
    assert known("XA 12, A 123, A12b") == []
    assert [f.text for f in known("(A-12)")] == ["A-12"]


def test_known_identifiers_where_lower_case_changes_the_length() -> None:
    known = variants_matcher(["Box 7/12"])
    text = "İstanbul: BOX 7/12."  # "İ".lower() is two characters
    found = known(text)
    assert [(f.text, text[f.start : f.end]) for f in found] == [("BOX 7/12", "BOX 7/12")]
