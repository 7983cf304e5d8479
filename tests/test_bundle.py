"""Bundles: many scenario files and zips in, refused files explained, a client's zip out."""

from __future__ import annotations

import copy
import io
import json
import struct
import zipfile
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import roi_model.files.bundle as bundle
from roi_model import Rule, Scenario, ScenarioError
from roi_model.files.bundle import (
    MAX_FILE_BYTES,
    MAX_FILES,
    BundleRead,
    read_scenario_files,
    safe_filename,
    scenarios_zip,
)
from roi_model.files.scenario_file import scenario_to_json
from tests.conftest import EXAMPLE_SCENARIO
from tests.strategies import scenarios

GOOD = json.dumps(EXAMPLE_SCENARIO).encode()


def _zip(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _named(name: str) -> bytes:
    document = copy.deepcopy(EXAMPLE_SCENARIO)
    document["name"] = name
    return json.dumps(document).encode()


def _refusals(read: BundleRead) -> list[tuple[str, Rule]]:
    return [(name, error.rule) for name, error in read.refused]


def _notes(error: ScenarioError) -> str:
    return " ".join(getattr(error, "__notes__", []))


def _set_declared_size(archive: bytes, size: int, *, local: bool) -> bytes:
    """Overwrite the uncompressed size of the (single) member in the central directory.

    With ``local``, also in the local header, so that the archive stays consistent and only
    the data contradicts it.
    """
    data = bytearray(archive)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, size)
    if local:
        struct.pack_into("<I", data, data.index(b"PK\x03\x04") + 22, size)
    return bytes(data)


class TestReadScenarioFiles:
    def test_a_json_file(self, example_scenario: Scenario) -> None:
        read = read_scenario_files([("tienda.json", GOOD)])
        assert read == BundleRead([("tienda.json", example_scenario)], [])

    def test_a_byte_order_mark_is_tolerated(self, example_scenario: Scenario) -> None:
        read = read_scenario_files([("bom.json", b"\xef\xbb\xbf" + GOOD)])
        assert read.scenarios == [("bom.json", example_scenario)]

    def test_upper_case_extensions(self) -> None:
        read = read_scenario_files([("A.JSON", GOOD), ("B.Zip", _zip(("c.Json", GOOD)))])
        assert [name for name, _ in read.scenarios] == ["A.JSON", "B.Zip/c.Json"]

    def test_json_and_zip_mixed_keep_their_order(self) -> None:
        archive = _zip(
            ("one.json", _named("One")),
            ("folder/", b""),
            ("folder/two.json", _named("Two")),
            ("README.txt", b"read me"),
            ("__MACOSX/._one.json", b"\x00\x05\x16\x07"),
            (".hidden.json", b"{"),
            ("folder/.DS_Store", b"\x00"),
            (".git/config.json", b"{"),
            ("bad.json", b"{"),
        )
        read = read_scenario_files(
            [("first.json", _named("First")), ("pack.zip", archive), ("last.json", _named("Last"))]
        )
        assert [(name, s.name) for name, s in read.scenarios] == [
            ("first.json", "First"),
            ("pack.zip/one.json", "One"),
            ("pack.zip/folder/two.json", "Two"),
            ("last.json", "Last"),
        ]
        assert _refusals(read) == [
            ("pack.zip/README.txt", Rule.UNREADABLE),
            ("pack.zip/bad.json", Rule.MALFORMED_JSON),
        ]

    @pytest.mark.parametrize(
        ("name", "content", "rule", "note"),
        [
            ("a.json", GOOD.replace(b"Tienda", b"Tiend\xe1"), Rule.UNREADABLE, "UTF-8"),
            ("a.json", b"{", Rule.MALFORMED_JSON, ""),
            ("a.json", b"", Rule.MALFORMED_JSON, ""),
            (
                "a.json",
                GOOD.replace(b'"gross_margin": 0.4', b'"gross_margin": 1.5'),
                Rule.FRACTION,
                "",
            ),
            (
                "a.json",
                GOOD.replace(b'"schema_version": 1', b'"schema_version": 6'),
                Rule.SCHEMA_VERSION,
                "",
            ),
            ("a.json", GOOD + b" " * (MAX_FILE_BYTES - len(GOOD) + 1), Rule.UNREADABLE, "larger"),
            ("a.csv", GOOD, Rule.UNREADABLE, ".json"),
            ("json", GOOD, Rule.UNREADABLE, ".json"),
            ("a.json.exe", GOOD, Rule.UNREADABLE, ".json"),
            ("a.zip", b"PK\x03\x04 not really", Rule.UNREADABLE, "zip"),
            ("a.zip", GOOD, Rule.UNREADABLE, "zip"),
            ("a.zip", _zip(), Rule.UNREADABLE, "no files"),
            ("a.zip", _zip(("__MACOSX/._x.json", b""), ("d/", b"")), Rule.UNREADABLE, "no files"),
        ],
        ids=[
            "not-utf8",
            "malformed",
            "empty",
            "invalid-value",
            "schema-version",
            "over-max-bytes",
            "csv",
            "no-extension",
            "double-extension",
            "bad-zip",
            "json-named-zip",
            "empty-zip",
            "zip-of-skipped-only",
        ],
    )
    def test_refused_with_a_reason(self, name: str, content: bytes, rule: Rule, note: str) -> None:
        read = read_scenario_files([(name, content)])
        assert read.scenarios == []
        [(refused_name, error)] = read.refused
        assert (refused_name, error.rule) == (name, rule)
        if rule is Rule.UNREADABLE:
            assert error.value == name
            assert note in _notes(error)

    def test_a_file_of_exactly_max_bytes_is_read(self) -> None:
        content = GOOD + b" " * (MAX_FILE_BYTES - len(GOOD))
        assert len(read_scenario_files([("a.json", content)]).scenarios) == 1

    def test_zip_bomb_member_is_refused_before_it_is_read(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # 3 MB of spaces squeeze into a few kB; the declared size gives it away
        bomb = _zip(("bomb.json", b" " * 3_000_000), ("ok.json", GOOD))
        opened: list[str] = []
        real_open = zipfile.ZipFile.open

        def spy(self: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
            opened.append(getattr(name, "filename", name))
            return real_open(self, name, *args, **kwargs)

        monkeypatch.setattr(zipfile.ZipFile, "open", spy)
        read = read_scenario_files([("b.zip", bomb)])
        assert opened == ["ok.json"]
        assert [name for name, _ in read.scenarios] == ["b.zip/ok.json"]
        [(name, error)] = read.refused
        assert (name, error.rule) == ("b.zip/bomb.json", Rule.UNREADABLE)
        assert "larger than" in _notes(error)

    def test_a_member_declaring_a_huge_size_is_refused(self) -> None:
        archive = _set_declared_size(_zip(("huge.json", GOOD)), 2**31, local=False)
        [(name, error)] = read_scenario_files([("h.zip", archive)]).refused
        assert (name, error.rule) == ("h.zip/huge.json", Rule.UNREADABLE)
        assert "larger than" in _notes(error)

    def test_a_member_that_holds_more_than_it_declares_is_refused(self) -> None:
        # the data inflate past the declared 100 bytes: the reader stops there and the
        # checksum then fails
        archive = _set_declared_size(_zip(("liar.json", GOOD)), 100, local=True)
        read = read_scenario_files([("l.zip", archive)])
        assert read.scenarios == []
        assert _refusals(read) == [("l.zip/liar.json", Rule.UNREADABLE)]

    def test_an_encrypted_member_is_refused(self) -> None:
        archive = bytearray(_zip(("secret.json", GOOD)))
        # mark the member encrypted in both headers: reading it needs a password
        archive[archive.index(b"PK\x03\x04") + 6] |= 0x1
        archive[archive.index(b"PK\x01\x02") + 8] |= 0x1
        read = read_scenario_files([("s.zip", bytes(archive))])
        assert _refusals(read) == [("s.zip/secret.json", Rule.UNREADABLE)]
        assert "encrypted" in _notes(read.refused[0][1])

    def test_duplicate_member_names_are_both_read(self) -> None:
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive = _zip(("x.json", _named("One")), ("x.json", _named("Two")))
        read = read_scenario_files([("d.zip", archive)])
        assert [(name, s.name) for name, s in read.scenarios] == [
            ("d.zip/x.json", "One"),
            ("d.zip/x.json", "Two"),
        ]

    def test_more_than_max_files_are_refused(self) -> None:
        files = [(f"f{i}.json", GOOD) for i in range(MAX_FILES + 2)]
        read = read_scenario_files(files)
        assert len(read.scenarios) == MAX_FILES
        assert _refusals(read) == [
            (f"f{MAX_FILES}.json", Rule.UNREADABLE),
            (f"f{MAX_FILES + 1}.json", Rule.UNREADABLE),
        ]
        assert f"more than {MAX_FILES} files" in _notes(read.refused[0][1])

    def test_the_limit_counts_archive_members(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(bundle, "MAX_FILES", 3)
        archive = _zip(*[(f"m{i}.json", GOOD) for i in range(5)])
        read = read_scenario_files([("a.json", GOOD), ("big.zip", archive), ("z.json", GOOD)])
        assert [name for name, _ in read.scenarios] == [
            "a.json",
            "big.zip/m0.json",
            "big.zip/m1.json",
        ]
        # the rest of the archive is refused once, under the archive's name
        assert _refusals(read) == [("big.zip", Rule.UNREADABLE), ("z.json", Rule.UNREADABLE)]

    def test_reads_a_generator_lazily_in_order(self) -> None:
        def uploads() -> Any:
            yield "a.json", _named("A")
            yield "b.json", _named("B")

        read = read_scenario_files(uploads())
        assert [s.name for _, s in read.scenarios] == ["A", "B"]

    @given(st.sampled_from(["x.json", "x.zip"]), st.binary(max_size=400))
    def test_never_raises_for_arbitrary_bytes(self, name: str, content: bytes) -> None:
        read = read_scenario_files([(name, content)])
        assert len(read.scenarios) + len(read.refused) >= 1

    @given(st.data())
    def test_never_raises_for_a_damaged_archive(self, data: st.DataObject) -> None:
        archive = bytearray(_zip(("a.json", GOOD), ("b/c.json", _named("C"))))
        for _ in range(data.draw(st.integers(1, 4), label="changes")):
            position = data.draw(st.integers(0, len(archive) - 1), label="position")
            archive[position] = data.draw(st.integers(0, 255), label="byte")
        read = read_scenario_files([("d.zip", bytes(archive))])
        assert all(name.startswith("d.zip") for name, _ in read.scenarios + read.refused)


class TestSafeFilename:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("Tienda online", "Tienda online.json"),
            ("Clínica dental (2025), v1.2; final", "Clínica dental (2025), v1.2; final.json"),
            ("東京 キャンペーン", "東京 キャンペーン.json"),
            ("Cl\u0131\u0301nica", "Cl\u0131\u0301nica.json"),
            ("हिन्दी अभियान", "हिन्दी अभियान.json"),
            ("Cli\u0301nica", "Clínica.json"),
            ("a/b\\c", "a_b_c.json"),
            ('<>:"|?*', "_______.json"),
            ("line\nbreak\ttab\x00nul", "line_break_tab_nul.json"),
            ("../../etc/passwd", "_.._etc_passwd.json"),
            (".env", "env.json"),
            ("...", "scenario.json"),
            ("", "scenario.json"),
            ("   ", "scenario.json"),
            ("  Plan A.  ", "Plan A.json"),
            ("Plan\u00a0A", "Plan A.json"),
            ("50% off & more!", "50_ off _ more_.json"),
            ("🎉 Launch", "_ Launch.json"),
            ("CON", "CON_.json"),
            ("nul.backup", "nul.backup_.json"),
            ("COM1", "COM1_.json"),
            ("CONSOLE", "CONSOLE.json"),
            ("x" * 150, "x" * 100 + ".json"),
            ("x" * 99 + " y", "x" * 99 + ".json"),
            ("é" * 150, "é" * 100 + ".json"),
            ("東" * 150, "東" * 66 + ".json"),
        ],
        ids=[
            "plain",
            "kept-punctuation",
            "cjk",
            "dotless-i-combining",
            "devanagari-marks",
            "nfd-to-nfc",
            "path-separators",
            "windows-forbidden",
            "control-chars",
            "parent-dirs",
            "leading-dot",
            "only-dots",
            "empty",
            "blank",
            "trimmed",
            "nbsp",
            "other-signs",
            "emoji",
            "windows-device",
            "windows-device-with-extension",
            "com-port",
            "not-a-device",
            "100-chars",
            "trimmed-after-cut",
            "accents-100-chars",
            "cjk-200-bytes",
        ],
    )
    def test_cases(self, name: str, expected: str) -> None:
        assert safe_filename(name) == expected

    def test_suffix(self) -> None:
        assert safe_filename("a/b", suffix=".csv") == "a_b.csv"
        assert safe_filename("", suffix="") == "scenario"

    @given(st.text(max_size=300))
    def test_always_a_plain_bounded_visible_name(self, name: str) -> None:
        result = safe_filename(name)
        stem = result.removesuffix(".json")
        assert result.endswith(".json")
        assert 0 < len(stem) <= 100
        assert len(stem.encode("utf-8", "surrogatepass")) <= 200
        assert stem == stem.strip(" .")
        assert not set(stem) & set('<>:"/\\|?*')
        assert all(ch.isprintable() for ch in stem)


class TestScenariosZip:
    def test_one_file_per_scenario_with_its_json(self, example_scenario: Scenario) -> None:
        other = replace(example_scenario, name="Plan B: más/menos")
        with zipfile.ZipFile(io.BytesIO(scenarios_zip([example_scenario, other]))) as archive:
            infos = archive.infolist()
            assert [i.filename for i in infos] == ["Tienda online.json", "Plan B_ más_menos.json"]
            assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
            assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
            assert archive.read(infos[1]).decode() == scenario_to_json(other)
            assert archive.testzip() is None

    def test_duplicate_names_are_numbered(self, example_scenario: Scenario) -> None:
        names = ["Plan", "plan", "Plan", "Plan (2)", "Plan/", ""]
        data = scenarios_zip([replace(example_scenario, name=n) for n in names])
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.namelist() == [
                "Plan.json",
                "plan (2).json",
                "Plan (3).json",
                "Plan (2) (2).json",
                "Plan_.json",
                "scenario.json",
            ]

    def test_no_scenarios_is_an_empty_archive(self) -> None:
        with zipfile.ZipFile(io.BytesIO(scenarios_zip([]))) as archive:
            assert archive.namelist() == []

    def test_the_same_scenarios_give_the_same_bytes(
        self, example_scenario: Scenario, clinic_scenario: Scenario
    ) -> None:
        first = scenarios_zip([example_scenario, clinic_scenario])
        assert scenarios_zip([example_scenario, clinic_scenario]) == first
        assert scenarios_zip([clinic_scenario, example_scenario]) != first

    @given(st.lists(scenarios(max_channels=3), min_size=1, max_size=5))
    def test_round_trip(self, drawn: list[Scenario]) -> None:
        read = read_scenario_files([("client.zip", scenarios_zip(drawn))])
        assert read.refused == []
        assert [scenario for _, scenario in read.scenarios] == drawn
        assert all(name.startswith("client.zip/") for name, _ in read.scenarios)
