"""Issue #18, hostile input: each case of the issue, failing before the fix and passing after.

Each test names the figure or symptom of the issue it covers. The validator's property tests
(surrogates, trailing newlines, odd dates drawn by Hypothesis) are in test_validate_fuzz.py.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsevents.build.diff import ReleaseError, diff_releases
from newsevents.build.publish import PublishError, check_repo_id
from newsevents.clean.corpus import read_raw
from newsevents.clean.normalize import MAX_INPUT_BYTES
from newsevents.cli import main
from newsevents.io import InputError, gunzip_capped, read_input_bytes, read_json
from newsevents.validate import validate_paths, validate_record

CASES = Path(__file__).resolve().parent.parent / "cases" / "validate"
MINIMAL = CASES / "valid" / "minimal.json"
RENDERINGS = Path(__file__).resolve().parent.parent / "clean" / "cases" / "renderings"


def _base() -> dict[str, Any]:
    return json.loads((CASES / "valid" / "annotated.json").read_text(encoding="utf-8"))


# --- lone surrogates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where",
    [
        ("title",),
        ("id",),
        ("language",),
        ("text",),
        ("provenance", "guideline_version"),
        ("provenance", "annotators", 0),
        ("entity_mentions", 0, "text"),
        ("event_mentions", 0, "trigger", "text"),
        ("cleaning", "removed", 0, "text"),
        ("source", "raw_sha256"),
    ],
    ids=lambda w: "/".join(map(str, w)),
)
@pytest.mark.parametrize("levels", [1, 2, 3])
def test_lone_surrogate_anywhere_is_a_level_0_finding(where: tuple[Any, ...], levels: int) -> None:
    rec = _base()
    parent: Any = rec
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = parent[where[-1]] + "\ud800"
    findings = validate_record(rec, levels=levels)  # crashed (id, language) or passed (title, text)
    assert [f.check for f in findings] == ["io.surrogate"]
    assert findings[0].pointer == "/" + "/".join(map(str, where))
    assert findings[0].level == 0
    json.dumps([f.to_dict() for f in findings], ensure_ascii=False).encode("utf-8")  # printable


def test_surrogate_in_a_property_name_and_in_the_file_name(tmp_path: Path) -> None:
    rec = _base()
    rec["credits"]["\udcff"] = []
    name = os.fsdecode(b"bad-\xff.json")  # a file name that is not UTF-8: surrogates in Python
    (tmp_path / name).write_text(json.dumps(rec), encoding="utf-8")
    report = validate_paths([tmp_path])
    [finding] = report.findings
    assert finding.check == "io.surrogate"
    assert finding.file is not None
    assert finding.file.endswith("bad-\\xff.json")
    json.dumps(finding.to_dict(), ensure_ascii=False).encode("utf-8")


def test_surrogate_from_a_file_stops_evaluate_and_build_readers_with_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A surrogate in the title passed validation, then crashed build, evaluate and compare."""
    text = MINIMAL.read_text(encoding="utf-8").replace("Rebels attacked the base", "Rebels \\ud800 attacked")
    gold = tmp_path / "gold.json"
    gold.write_text(text, encoding="utf-8")
    loaded = read_json(gold)  # the one reader of every command
    assert {f.check for f in loaded.findings} == {"io.surrogate"}
    assert loaded.value is None
    assert main(["evaluate", str(gold), str(gold), "--bootstrap", "0"]) == 1
    assert main(["compare", str(gold), str(gold), str(gold), "--bootstrap", "0"]) == 1
    assert main(["validate", "--format", "json", str(gold)]) == 1
    out = capsys.readouterr().out
    assert json.loads(out[out.index('{\n  "files"') :])["findings"][0]["check"] == "io.surrogate"


# --- numbers -------------------------------------------------------------------------------


def test_nan_and_infinity_are_not_json(tmp_path: Path) -> None:
    path = tmp_path / "nan.json"
    path.write_text(MINIMAL.read_text(encoding="utf-8").replace('"split": "test"', '"split": NaN'), encoding="utf-8")
    [finding] = read_json(path).findings
    assert finding.check == "io.json"
    assert "NaN" in finding.message


def test_integer_beyond_64_bits_given_directly_has_a_printable_finding() -> None:
    rec = _base()
    rec["title"] = 10**5000  # jsonschema's message repr() of it raised ValueError
    assert [(f.check, f.pointer) for f in validate_record(rec)] == [("io.integer-too-large", "/title")]
    rec["title"] = 10**40  # printable: a type error
    assert [(f.check, f.pointer) for f in validate_record(rec)] == [("schema.type", "/title")]
    rec = _base()
    rec["provenance"]["label_studio"] = {"project": 2**63}  # passed, then overflowed int64 in build
    [finding] = validate_record(rec)
    assert (finding.check, finding.pointer) == ("io.integer-too-large", "/provenance/label_studio/project")


# --- wrong answers: trailing newline, dates, URIs ------------------------------------------


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("id",), "case-x\n"),
        (("language",), "en\n"),
        (("source", "raw_sha256"), "0" * 64 + "\n"),
        (("text_sha256",), "0" * 64 + "\n"),
        (("entity_mentions", 0, "id"), "m1\n"),
        (("entity_mentions", 0, "entity"), "rebels\n"),
        (("published",), "0000-01-01"),
        (("published",), "2019-12-29\n"),
        (("source", "url"), "https://www.dw.com/en/x\n"),
        (("source", "url"), "::::"),
    ],
    ids=repr,
)
def test_trailing_newline_and_odd_formats_are_refused_by_both_validators(where: tuple[Any, ...], value: str) -> None:
    rec = _base()
    parent: Any = rec
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = value
    checks = {f.check for f in validate_record(rec, levels=1)}
    assert checks == {"schema.format" if where[-1] in {"published", "url"} else "schema.pattern"}


# --- files: FIFOs, devices, many files, sizes, time ----------------------------------------


def test_dev_urandom_is_refused_without_reading() -> None:
    start = time.monotonic()
    [finding] = validate_paths([Path("/dev/urandom")]).findings
    assert finding.check == "io.special-file"
    assert "character device" in finding.message
    assert time.monotonic() - start < 5


HOSTILE_FILES = {
    "surrogate": lambda p: p.write_text(
        MINIMAL.read_text(encoding="utf-8").replace('"title": "', '"title": "\\udfff'), encoding="utf-8"
    ),
    "long-integer": lambda p: p.write_text('{"id": ' + "7" * 5000 + "}", encoding="utf-8"),
    "fifo": os.mkfifo,
    "broken-link": lambda p: p.symlink_to(p.parent / "nowhere.json"),
    "deep": lambda p: p.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8"),
    "nan": lambda p: p.write_text("NaN", encoding="utf-8"),
    "utf16": lambda p: p.write_bytes(MINIMAL.read_text(encoding="utf-8").encode("utf-16-le")),
    "truncated": lambda p: p.write_bytes(MINIMAL.read_bytes()[:50]),
    "huge-sparse": lambda p: p.open("wb").truncate(65 * 1024 * 1024),
    "folder": lambda p: p.mkdir(),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_FILES))
def test_validate_reports_every_file_whatever_one_holds(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """100 files, one hostile: the report of the other 99 was lost in 20 of 25 runs."""
    for i in range(99):
        shutil.copyfile(MINIMAL, tmp_path / f"good-{i:02d}.json")
    HOSTILE_FILES[kind](tmp_path / "m-bad.json")
    code = main(["validate", "--format", "json", str(tmp_path)])
    out = capsys.readouterr().out
    report = json.loads(out[out.index('{\n  "files"') :])
    assert report["records"] >= 99
    bad = {f["file"] for f in report["findings"] if f["severity"] == "error"}
    if kind == "folder":  # an empty folder named *.json holds no record: nothing to report
        assert (code, bad) == (0, set())
    else:
        assert code == 1
        assert bad == {str(tmp_path / "m-bad.json")}


@pytest.mark.slow
def test_large_record_with_one_error_is_explained_quickly(tmp_path: Path) -> None:
    """A 19 MB record with one error took 38 s (jsonschema walked all of it to explain one error)."""
    rec = _base()
    mentions = rec["entity_mentions"]
    rec["entity_mentions"] = [dict(m, id=f"{m['id']}-{k}") for k in range(25_000) for m in mentions]
    rec["event_mentions"] = []
    rec["entity_mentions"][40_000]["type"] = "NOPE"
    path = tmp_path / "big.json"
    path.write_text(json.dumps(rec), encoding="utf-8")
    assert path.stat().st_size > 18_000_000
    start = time.monotonic()
    report = validate_paths([path])
    took = time.monotonic() - start
    assert [(f.check, f.pointer) for f in report.findings] == [("schema.enum", "/entity_mentions/40000/type")]
    assert took < 15, f"{took:.1f} s"


# --- compressed input ----------------------------------------------------------------------


def _bomb(path: Path, megabytes: int = 64) -> Path:
    with gzip.open(path, "wb", compresslevel=9) as f:
        for _ in range(megabytes):
            f.write(b"\0" * (1 << 20))
    return path


def test_gzip_bomb_is_stopped_while_inflating(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.html.gz")
    assert bomb.stat().st_size < MAX_INPUT_BYTES
    with pytest.raises(InputError) as caught:
        read_input_bytes(bomb, MAX_INPUT_BYTES)
    assert caught.value.reason == "too-large"
    data, finding = read_raw(bomb)
    assert data is None
    assert finding is not None
    assert finding.check == "clean.too-large"
    # gunzip never holds more than the limit: a 1 KiB cap on 64 MiB of zeros
    with pytest.raises(InputError):
        gunzip_capped(bomb.read_bytes(), 1024)


def test_gzip_members_and_corrupt_streams() -> None:
    two = gzip.compress(b"one ") + gzip.compress(b"two") + b"\0\0"
    assert gunzip_capped(two, 100) == b"one two"
    with pytest.raises(InputError) as caught:
        gunzip_capped(gzip.compress(b"x" * 1000)[:-12], 10_000)
    assert caught.value.reason == "unreadable"
    with pytest.raises(InputError) as caught:
        gunzip_capped(b"not gzip at all", 100)
    assert caught.value.reason == "unreadable"


def test_clean_with_jobs_keeps_the_good_files_beside_a_bomb(tmp_path: Path) -> None:
    """With --jobs 2, one bomb lost the 8 good files of the run."""
    pages = tmp_path / "pages"
    pages.mkdir()
    source = next(iter(sorted(RENDERINGS.glob("*.html"))))
    for i in range(8):
        shutil.copyfile(source, pages / f"good-{i}.html")
    _bomb(pages / "bomb.html.gz", 256)
    out = tmp_path / "out"
    assert main(["clean", str(pages), "--out", str(out), "--jobs", "2"]) == 1
    assert sorted(p.name for p in out.glob("*.json")) == [f"good-{i}.json" for i in range(8)]


def test_fifo_input_to_clean_is_refused_unopened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    data, finding = read_raw(tmp_path / "pipe.txt")
    assert data is None
    assert finding is not None
    assert finding.check == "clean.unreadable"
    assert "FIFO" in finding.message


# --- publish, diff, evaluate --errors-out --------------------------------------------------

BAD_REPO_IDS = [
    "",
    "../../x",
    "owner/na me",
    "owner/name\n",
    "\nowner/name",
    "owner",
    "owner/",
    "/name",
    "a/b/c",
    "owner//name",
    "-owner/name",
    "owner/.name",
    "owner/name.",
    "owner/name-",
    "owner/na..me",
    "ow--ner/name",
    "owner/" + "x" * 91,
    "owner/nàme",
    "owner/name\x00",
]


@pytest.mark.parametrize("repo_id", BAD_REPO_IDS, ids=repr)
def test_invalid_repo_id_is_refused_before_anything(repo_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(PublishError):
        check_repo_id(repo_id)
    assert main(["publish", f"--repo-id={repo_id}", "--dry-run", "--dist", "/nonexistent"]) == 1
    assert "--repo-id must be OWNER/NAME" in capsys.readouterr().err


@pytest.mark.parametrize("repo_id", ["owner/newsevents", "a/b", "Org-1/name_2.v3", "o/" + "x" * 94])
def test_valid_repo_ids_pass(repo_id: str) -> None:
    check_repo_id(repo_id)


def _release(folder: Path, version: str, data: dict[str, str] | None = None) -> Path:
    (folder / "data").mkdir(parents=True)
    table = pa.table({"id": ["d1"], "split": ["test"], "entity_mentions": [[]], "event_mentions": [[]]})
    pq.write_table(table, folder / "data" / "test.parquet")
    release = {"version": version, "configs": {"documents": data or {"test": "data/test.parquet"}}}
    (folder / "release.json").write_text(json.dumps(release), encoding="utf-8")
    return folder


def test_diff_of_a_truncated_parquet_is_a_release_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _release(tmp_path / "old", "1.0.0")
    new = _release(tmp_path / "new", "1.1.0")
    assert diff_releases(old, new).changes == []
    data = new / "data" / "test.parquet"
    data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
    with pytest.raises(ReleaseError, match="not a readable documents table"):
        diff_releases(old, new)
    assert main(["diff", str(old), str(new)]) == 2
    assert "rebuild it" in capsys.readouterr().err


@pytest.mark.parametrize("rel", ["../../etc/passwd", "/etc/passwd", "", 7])
def test_release_data_paths_stay_inside_the_folder(tmp_path: Path, rel: object) -> None:
    old = _release(tmp_path / "old", "1.0.0")
    new = _release(tmp_path / "new", "1.1.0", {"test": rel})  # type: ignore[dict-item]
    with pytest.raises(ReleaseError):
        diff_releases(old, new)


def test_errors_out_to_an_unwritable_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    gold = str(CASES / "valid" / "annotated.json")
    code = main(["evaluate", gold, gold, "--bootstrap", "0", "--errors-out", str(blocker / "errors.jsonl")])
    assert code == 2
    assert "--errors-out" in capsys.readouterr().err
