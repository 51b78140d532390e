"""Predictions are scored, gold is held to the rules; every prediction format round-trips (issue #15)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsevents.cli import main
from newsevents.evaluate.formats import CANNOT_EXPRESS, detect, get_reader
from newsevents.evaluate.formats.export import conll_text, ner_rows, sentence_rows
from newsevents.evaluate.formats.rows import gold_sentences, tag_names
from newsevents.evaluate.pair import view_of_record
from newsevents.evaluate.sentences import PredictionRowsError, score_sentences
from newsevents.evaluate.stream import evaluate_paths
from newsevents.evaluate.tolerance import PRED_RULES

DATA = Path(__file__).parent / "data"
GOLD = DATA / "gold"
WARNINGS = sorted((DATA / "pred-warnings").glob("*.json"))
# Every metric key a perfect prediction in each format scores 1.0 on (on the toy gold).
ENTITY_KEYS = ("entities.strict", "entities.exact", "entities.partial", "entities.type", "entities.bio")
EVENT_KEYS = ("events.trig_i", "events.trig_c", "events.arg_i", "events.arg_c", "events.arg_i+", "events.arg_c+")


def gold_records() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any] | None, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def evaluate(capsys: pytest.CaptureFixture[str], pred: Path, *extra: str) -> dict[str, Any]:
    code, res, err = run(capsys, "evaluate", str(GOLD), str(pred), "--format", "json", "--bootstrap", "0", *extra)
    assert code == 0, err
    assert res is not None
    return res


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


# --- 1. predictions are scored, gold is held to the rules -------------------------------------


def write_mixed_type_prediction(folder: Path) -> None:
    """The gold with one mention per document retyped while it stays in its entity cluster."""
    for rec in gold_records():
        clusters = [m["entity"] for m in rec["entity_mentions"]]
        for m in rec["entity_mentions"]:
            if clusters.count(m["entity"]) > 1:
                m["type"] = "ORG" if m["type"] != "ORG" else "PER"
                break
        (folder / f"{rec['id']}.json").write_text(json.dumps(rec), encoding="utf-8")


def test_the_issues_mixed_type_prediction_is_scored_with_a_counted_warning(capsys, tmp_path):
    # One mention retyped while it stays in its entity cluster: refused before issue #15.
    write_mixed_type_prediction(tmp_path)
    code, res, err = run(capsys, "evaluate", str(GOLD), str(tmp_path), "--format", "json", "--bootstrap", "0")
    assert code == 0
    assert res is not None
    assert res["warnings"]["ref.entity-cluster-type"] == 1
    assert "[ref.entity-cluster-type] warning" in err
    assert res["metrics"]["entities.strict"]["INC"] == 1  # the retyped mention is scored, as INC
    assert res["pred_format"] == {"name": "records", "detected": True, "cannot_express": []}


def test_compare_reports_each_sides_format_and_the_warnings(capsys, tmp_path):
    write_mixed_type_prediction(tmp_path)
    code, res, _ = run(capsys, "compare", str(GOLD), str(tmp_path), str(GOLD), "--format", "json", "--bootstrap", "0")
    assert code == 0
    assert res is not None
    assert res["warnings"]["ref.entity-cluster-type"] == 1  # side A's retyped mention
    assert res["pred_format"]["a"] == {"name": "records", "detected": True, "cannot_express": []}
    assert res["pred_format"]["b"]["name"] == "records"


@pytest.mark.parametrize("path", WARNINGS, ids=[p.stem for p in WARNINGS])
def test_a_prediction_breaking_a_gold_rule_is_scored_with_its_warning(capsys, path):
    check = path.stem
    assert check in PRED_RULES  # every tolerated check has its rule and its case
    code, res, err = run(capsys, "evaluate", str(GOLD / "toy-convoy.json"), str(path), "--format", "json")
    assert code == 0, err
    assert res is not None
    assert res["warnings"][check] >= 1
    assert f"[{check}] warning" in err
    assert res["metrics"]["entities.strict"]["ci"]["f1"]  # scored, with intervals


def test_every_tolerated_check_has_a_case():
    assert {p.stem for p in WARNINGS} >= {
        "ref.entity-cluster-type",
        "meaning.argument-type",
        "meaning.role-not-allowed",
        "meaning.duplicate-mention",
        "meaning.duplicate-argument",
        "ref.duplicate-id",
        "schema.enum",
    }


def test_the_same_problem_in_gold_is_still_an_error(capsys):
    code, res, err = run(
        capsys, "evaluate", str(DATA / "pred-warnings" / "ref.entity-cluster-type.json"), str(GOLD / "toy-convoy.json")
    )
    assert code == 1
    assert res is None
    assert "[ref.entity-cluster-type] error" in err


@pytest.mark.parametrize("check", ["ref.argument-missing", "ref.span-text", "ref.offset-range"])
def test_what_makes_scoring_impossible_stays_an_error(capsys, check):
    code, res, err = run(capsys, "evaluate", str(GOLD), str(DATA / "pred-errors" / f"{check}.json"))
    assert code == 1
    assert res is None
    assert f"[{check}] error" in err


# --- 2. formats: round trips -------------------------------------------------------------------


def _perfect(res: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        m = res["metrics"][key]
        assert (m["precision"], m["recall"], m["f1"]) == (1.0, 1.0, 1.0), key


@pytest.mark.parametrize("container", ["jsonl", "json", "parquet"])
def test_gold_as_sentence_rows_scores_one_on_every_metric(capsys, tmp_path, container):
    rows, dropped = sentence_rows(gold_records())
    assert dropped == {}  # the toy gold fits the sentences shape entirely
    random.Random(3).shuffle(rows)  # rows of a document in any order
    if container == "jsonl":
        pred = write_jsonl(tmp_path / "pred.jsonl", rows)
    elif container == "json":
        pred = tmp_path / "pred.json"
        pred.write_text(json.dumps(rows), encoding="utf-8")
    else:
        pred = tmp_path / "pred.parquet"
        pq.write_table(pa.Table.from_pylist(rows), pred)
    res = evaluate(capsys, pred, "--coref")
    assert res["pred_format"]["name"] == "sentences"
    _perfect(res, ENTITY_KEYS + EVENT_KEYS + tuple(k + ".coref" for k in EVENT_KEYS if k.startswith("events.arg")))
    assert res["warnings"] == {}


def test_sentence_rows_map_back_to_the_gold_records():
    reader = get_reader("sentences")
    by_doc: dict[str, list[tuple[str, Any]]] = {}
    rows, _ = sentence_rows(gold_records())
    for i, row in enumerate(rows):
        by_doc.setdefault(row["doc_id"], []).append((f"/{i}", row))
    for gold in gold_records():
        rec, findings = reader.resolve(by_doc[gold["id"]], gold, file="rows")
        assert findings == []
        assert rec is not None
        for key in ("entity_mentions", "event_mentions"):
            assert rec[key] == gold[key]  # ids, spans, types, kinds, clusters, realis, arguments
        g, p = view_of_record(gold), view_of_record(rec)
        assert (p.mentions, p.events) == (g.mentions, g.events)


@pytest.mark.parametrize("shape", ["names.jsonl", "ids.parquet", "conll"])
def test_gold_as_bio_scores_one_on_what_bio_expresses_and_names_the_rest(capsys, tmp_path, shape):
    rows, dropped = ner_rows(gold_records(), ids=shape.startswith("ids"))
    assert dropped == {"ner.entity-mention.nested": 2}  # the loss BIO has: nesting
    if shape == "names.jsonl":
        pred = write_jsonl(tmp_path / "pred.jsonl", rows)
    elif shape == "ids.parquet":
        pred = tmp_path / "pred.parquet"
        pq.write_table(pa.Table.from_pylist(rows), pred)
    else:
        pred = tmp_path / "pred.conll"
        pred.write_text(conll_text(rows), encoding="utf-8")
    res = evaluate(capsys, pred)
    assert res["pred_format"]["name"] == "bio"
    assert res["pred_format"]["cannot_express"] == list(CANNOT_EXPRESS["bio"])
    _perfect(res, ("entities.bio",))
    strict = res["metrics"]["entities.strict"]
    assert (strict["precision"], strict["SPU"], strict["MIS"]) == (1.0, 0, 2)  # exactly the two nested mentions
    assert res["metrics"]["events.trig_c"]["recall"] == 0.0  # no events in BIO: named in cannot_express


def test_conll_without_sentence_ids_counts_sentences_per_document(capsys, tmp_path):
    rows, _ = ner_rows(gold_records())
    text = conll_text(rows).replace("# sent_id", "# note")  # only -DOCSTART- <id> left
    pred = tmp_path / "pred.conll"
    pred.write_text(text, encoding="utf-8")
    _perfect(evaluate(capsys, pred), ("entities.bio",))


def test_the_format_is_detected_and_can_be_chosen(tmp_path):
    rows, _ = sentence_rows(gold_records())
    s = write_jsonl(tmp_path / "s.jsonl", rows)
    n = write_jsonl(tmp_path / "n.jsonl", ner_rows(gold_records())[0])
    assert detect([s]) == "sentences"
    assert detect([n]) == "bio"
    assert detect([GOLD]) == "records"
    assert detect([tmp_path / "x.conll"]) == "bio"
    done = evaluate_paths([GOLD], [s], pred_format="sentences", bootstrap_n=0)
    assert done.pred_format == {
        "name": "sentences",
        "detected": False,
        "cannot_express": list(CANNOT_EXPRESS["sentences"]),
    }


def test_streamed_rows_equal_records_scores_with_any_window(tmp_path):
    # Sentence rows, one file per document, in reverse order against gold: the window and re-reads work on units.
    rows, _ = sentence_rows(gold_records())
    for doc_id in {r["doc_id"] for r in rows}:
        write_jsonl(tmp_path / f"z-{doc_id}.jsonl", [r for r in rows if r["doc_id"] == doc_id])
    ref = evaluate_paths([GOLD], [GOLD], bootstrap_n=50)
    for window in (0, 1, 64):
        done = evaluate_paths([GOLD], [tmp_path], bootstrap_n=50, window=window)
        assert done.held_max <= window
        assert done.result is not None
        assert ref.result is not None
        assert done.result["metrics"] == ref.result["metrics"]


def test_ner_tag_ids_are_the_release_classlabels():
    from newsevents.build.features import ner_tag_names  # noqa: PLC0415
    from newsevents.ontology import load_ontology  # noqa: PLC0415

    assert list(tag_names()) == ner_tag_names(load_ontology())


# --- rows that do not fit: the error names the row and the field -------------------------------


def _sentence_rows() -> list[dict[str, Any]]:
    return sentence_rows(gold_records())[0]


@pytest.mark.parametrize(
    ("edit", "check", "where"),
    [
        (
            lambda r: r["entity_mentions"][0].update(end=999),
            "evaluate.row-invalid",
            "line 1, field entity_mentions/0/start",
        ),
        (lambda r: r.update(sent_id=r["doc_id"] + "-77"), "evaluate.row-invalid", "line 1, field sent_id"),
        (lambda r: r["tokens"].__setitem__(0, "Xyz"), "evaluate.token-mismatch", "line 1, field tokens/0"),
        (lambda r: r["token_offsets"][0].__setitem__(0, 1), "evaluate.token-mismatch", "line 1, field token_offsets"),
        (
            lambda r: r["entity_mentions"][0].pop("entity_type"),
            "evaluate.row-invalid",
            "field entity_mentions/0/entity_type",
        ),
        (lambda r: r.pop("doc_id"), "evaluate.row-invalid", "line 1, field doc_id"),
    ],
    ids=["token-index", "sentence", "tokens", "offsets", "type", "doc-id"],
)
def test_a_row_that_does_not_fit_is_an_error_naming_row_and_field(capsys, tmp_path, edit, check, where):
    rows = [r for r in _sentence_rows() if r["entity_mentions"]]
    edit(rows[0])
    pred = write_jsonl(tmp_path / "pred.jsonl", rows)
    code, res, err = run(capsys, "evaluate", str(GOLD), str(pred), "--pred-format", "sentences")
    assert code == 1
    assert res is None
    assert f"[{check}] error" in err
    assert where in err


def test_an_argument_naming_no_mention_of_its_row_is_an_error(capsys, tmp_path):
    rows = [r for r in _sentence_rows() if any(e["arguments"] for e in r["event_mentions"])]
    ev = next(e for e in rows[0]["event_mentions"] if e["arguments"])
    ev["arguments"][0]["entity_id"] = "nowhere"
    code, _, err = run(capsys, "evaluate", str(GOLD), str(write_jsonl(tmp_path / "p.jsonl", rows)))
    assert code == 1
    assert "/entity_id: no entity mention of this row has id 'nowhere'" in err


def test_bad_bio_rows_name_row_and_field_and_stray_inside_tags_are_counted(capsys, tmp_path):
    rows, _ = ner_rows(gold_records())
    bad = [dict(r) for r in rows]
    bad[1] = {**bad[1], "ner_tags": [*bad[1]["ner_tags"][:-1], 999]}
    code, _, err = run(capsys, "evaluate", str(GOLD), str(write_jsonl(tmp_path / "bad.jsonl", bad)))
    assert code == 1
    assert "line 2, field ner_tags/" in err
    assert "tag id 999" in err
    stray = [dict(r) for r in rows]
    k = next(i for i, r in enumerate(rows) if r["ner_tags"][0] == "O")
    stray[k] = {**stray[k], "ner_tags": ["I-PER", *stray[k]["ner_tags"][1:]]}
    res = evaluate(capsys, write_jsonl(tmp_path / "stray.jsonl", stray))
    assert res["warnings"]["evaluate.bio-stray-inside"] == 1
    assert res["metrics"]["entities.bio"]["SPU"] == 0  # part of no mention, as seqeval strict reads it


# --- 3. the Python entry point for training loops ----------------------------------------------


def _datasets(records: list[dict[str, Any]]) -> tuple[Any, Any]:
    from datasets import Dataset  # noqa: PLC0415

    from newsevents.build.features import documents_features, sentences_features  # noqa: PLC0415
    from newsevents.build.views import document_row  # noqa: PLC0415
    from newsevents.ontology import load_ontology  # noqa: PLC0415
    from newsevents.records import Document  # noqa: PLC0415

    docs = [Document.from_dict(r) for r in records]
    documents = Dataset.from_list([document_row(d) for d in docs], features=documents_features(load_ontology()))
    sents = Dataset.from_list(sentence_rows(docs)[0], features=sentences_features())
    return documents, sents


def test_score_sentences_gives_the_commands_report(capsys, tmp_path):
    from newsevents.evaluate.baselines import lexicon  # noqa: PLC0415
    from newsevents.records import Document  # noqa: PLC0415

    records = gold_records()
    documents, sents = _datasets(records)
    predicted = [lexicon.predict(Document.from_dict(r)) for r in records]
    rows, _ = sentence_rows(predicted)
    report = score_sentences(documents, rows, bootstrap_n=100)
    cli = evaluate(capsys, write_jsonl(tmp_path / "lex.jsonl", rows), "--bootstrap", "100")
    for key in ("metrics", "macro", "confusion", "error_counts", "errors", "bio_view", "pred_format", "warnings"):
        assert report[key] == cli[key], key
    # Gold as the sentences config: every metric 1.0 for the gold's own rows.
    perfect = score_sentences(sents, sentence_rows(records)[0], bootstrap_n=0, coref=True)
    _perfect(perfect, ENTITY_KEYS + EVENT_KEYS)


def test_score_sentences_raises_with_the_findings():
    rows = sentence_rows(gold_records())[0]
    rows[0] = {**rows[0], "sent_id": rows[0]["doc_id"] + "-99"}
    with pytest.raises(PredictionRowsError) as info:
        score_sentences(gold_records(), rows, bootstrap_n=0)
    assert any(f.check == "evaluate.row-invalid" for f in info.value.findings)
    assert "field sent_id" in str(info.value)


def test_gold_sentences_are_the_release_rows():
    for rec in gold_records():
        rows = sentence_rows([rec])[0]
        sents = gold_sentences(rec["text"])
        assert [[list(t) for t in sents[int(r["sent_id"].rsplit("-", 1)[1])]] for r in rows] == [
            r["token_offsets"] for r in rows
        ]
