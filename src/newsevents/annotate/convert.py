"""Label Studio results <-> canonical records, as pure functions.

:func:`export_to_records` turns a full JSON export (the list of tasks Label Studio returns) into
one canonical record per completed annotation (``provenance.status`` ``completed``) plus one gold
record per document (``gold``); :func:`record_to_prediction` is its inverse, used to push
pre-annotations. The pair round-trips: converting the prediction of ``doc`` back gives
:func:`canonical` ``(doc)`` — the same mentions, arguments and clusters, with cluster ids renamed
to the id of each cluster's first mention and everything in a fixed order.

Conversion rules (docs/annotation.md explains them to annotators):

* Results sharing an ``id`` are one region: its ``entity`` or ``trigger`` labels and its
  per-region ``kind`` / ``realis`` choices. Region id = mention id.
* Offsets are Unicode code points, as the server stores what it is sent; span text is recomputed
  from the offsets. Offsets that only make sense as UTF-16 code units are converted, with a warning.
* A relation between a trigger and an entity is an argument of the trigger's event, whichever way
  it was drawn; each of its labels is a role. ``Coreference`` between two entities joins entity
  clusters, between two triggers event clusters (connected components); a mention in no relation
  is a cluster of its own.
* Skipped (``was_cancelled``) annotations and drafts are ignored.
* Anything that cannot be converted becomes a :class:`Finding` (``annotate.*``) naming the task and
  region, and is left out; the rest of the annotation is still converted.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from newsevents.annotate.config import COREFERENCE, ENTITY, KIND, REALIS, TEXT, TRIGGER
from newsevents.ontology import Ontology, load_ontology
from newsevents.records import (
    JSON,
    AnnotationStatus,
    Argument,
    Document,
    EntityMention,
    EventMention,
    Finding,
    Provenance,
    Severity,
    Span,
    text_sha256,
)

TOOL = "label-studio"
GOLD_RULE_GROUND_TRUTH = "label-studio ground-truth flag"
GOLD_RULE_LATEST = "most recent completed annotation (no ground-truth flag)"
DEFAULT_MODEL_VERSION = "newsevents-predictions"
_ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")

# Every check id this module emits, with its severity; docs/annotation.md lists them and
# tests/annotate/cases/<check>.json triggers each.
CHECKS: dict[str, str] = {
    "annotate.bad-task": Severity.ERROR.value,
    "annotate.unknown-document": Severity.ERROR.value,
    "annotate.text-changed": Severity.ERROR.value,
    "annotate.unknown-result": Severity.WARNING.value,
    "annotate.bad-region-id": Severity.ERROR.value,
    "annotate.mixed-region": Severity.ERROR.value,
    "annotate.orphan-choice": Severity.ERROR.value,
    "annotate.multiple-labels": Severity.ERROR.value,
    "annotate.unknown-label": Severity.ERROR.value,
    "annotate.offset-range": Severity.ERROR.value,
    "annotate.utf16-offsets": Severity.WARNING.value,
    "annotate.span-text-mismatch": Severity.WARNING.value,
    "annotate.span-mismatch": Severity.WARNING.value,
    "annotate.missing-kind": Severity.ERROR.value,
    "annotate.missing-realis": Severity.ERROR.value,
    "annotate.choice-mismatch": Severity.WARNING.value,
    "annotate.relation-missing-region": Severity.ERROR.value,
    "annotate.relation-unlabelled": Severity.WARNING.value,
    "annotate.self-relation": Severity.WARNING.value,
    "annotate.role-between-entities": Severity.ERROR.value,
    "annotate.role-between-triggers": Severity.ERROR.value,
    "annotate.coref-entity-trigger": Severity.ERROR.value,
    "annotate.role-not-allowed": Severity.ERROR.value,
    "annotate.duplicate-pass": Severity.WARNING.value,
}


def annotator_slug(user: str) -> str:
    """A file-name-safe annotator name from an email or user name.

    >>> annotator_slug("Ann.Lee@Example.org")
    'ann.lee-at-example.org'
    """
    s = user.strip().lower().replace("@", "-at-")
    s = re.sub(r"[^a-z0-9._-]+", "-", s).strip("-.")
    return s[:100] or "unknown"


def annotator_key(user: str) -> str:
    """12 hex digits of the sha256 of the exact e-mail or user name: told apart where slugs collide.

    >>> annotator_key("Ann@Example.org") != annotator_key("ann@example.org")
    True
    """
    return hashlib.sha256(user.encode("utf-8")).hexdigest()[:12]


# ---------------------------------------------------------------------------------------------
# Record -> prediction


def _region(rid: str, control: str, kind: str, text: str, *, start: int, end: int, key: str, value: str) -> JSON:
    return {
        "id": rid,
        "from_name": control,
        "to_name": TEXT,
        "type": kind,
        "value": {"start": start, "end": end, "text": text[start:end], key: [value]},
    }


def _chain(ids: list[str]) -> list[tuple[str, str]]:
    return list(pairwise(ids))


def record_to_prediction(doc: Document, *, model_version: str | None = None) -> JSON:
    """The Label Studio prediction (``{"result": [...], "model_version": ...}``) for ``doc``.

    Region ids are the mention ids; arguments become trigger -> entity relations (one relation per
    pair, its labels the roles); each coreference cluster becomes a chain of ``Coreference``
    relations in text order.
    """
    text = doc.text
    result: list[JSON] = []
    for m in doc.entity_mentions:
        result.append(_region(m.id, ENTITY, "labels", text, start=m.start, end=m.end, key="labels", value=m.type))
        result.append(_region(m.id, KIND, "choices", text, start=m.start, end=m.end, key="choices", value=m.kind))
    for ev in doc.event_mentions:
        t = ev.trigger
        result.append(_region(ev.id, TRIGGER, "labels", text, start=t.start, end=t.end, key="labels", value=ev.type))
        result.append(_region(ev.id, REALIS, "choices", text, start=t.start, end=t.end, key="choices", value=ev.realis))
    for ev in doc.event_mentions:
        roles: dict[str, list[str]] = defaultdict(list)
        for a in ev.arguments:
            if a.role not in roles[a.mention]:
                roles[a.mention].append(a.role)
        for mention, labels in roles.items():
            result.append(_relation(ev.id, mention, sorted(labels)))
    ent_clusters: dict[str, list[EntityMention]] = defaultdict(list)
    for m in doc.entity_mentions:
        ent_clusters[m.entity].append(m)
    for members in ent_clusters.values():
        ordered = sorted(members, key=lambda m: (m.start, m.end, m.id))
        result.extend(_relation(a, b, [COREFERENCE]) for a, b in _chain([m.id for m in ordered]))
    ev_clusters: dict[str, list[EventMention]] = defaultdict(list)
    for ev in doc.event_mentions:
        ev_clusters[ev.event].append(ev)
    for evs in ev_clusters.values():
        ordered_ev = sorted(evs, key=lambda e: (e.trigger.start, e.trigger.end, e.id))
        result.extend(_relation(a, b, [COREFERENCE]) for a, b in _chain([e.id for e in ordered_ev]))
    # Label Studio refuses a prediction without a model version.
    return {"result": result, "model_version": model_version or doc.provenance.system or DEFAULT_MODEL_VERSION}


def _relation(from_id: str, to_id: str, labels: list[str]) -> JSON:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right", "labels": labels}


# ---------------------------------------------------------------------------------------------
# Canonical form


class _Clusters:
    """Union-find over mention ids."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _name_clusters(order: list[str], clusters: _Clusters) -> dict[str, str]:
    """Mention id -> cluster id, the cluster id being the id of the cluster's first mention."""
    first: dict[str, str] = {}
    for mid in order:
        first.setdefault(clusters.find(mid), mid)
    return {mid: first[clusters.find(mid)] for mid in order}


def _ent_key(m: EntityMention) -> tuple[int, int, str]:
    return (m.start, m.end, m.id)


def _ev_key(e: EventMention) -> tuple[int, int, str]:
    return (e.trigger.start, e.trigger.end, e.id)


def canonical(doc: Document) -> Document:
    """``doc`` in the converter's output form: mentions in text order, arguments sorted, cluster ids
    renamed to the id of their first mention in text order (membership unchanged)."""
    ents = sorted(doc.entity_mentions, key=_ent_key)
    evs = sorted(doc.event_mentions, key=_ev_key)
    ec = _Clusters(m.id for m in ents)
    by_cluster: dict[str, str] = {}
    for m in ents:
        if m.entity in by_cluster:
            ec.union(by_cluster[m.entity], m.id)
        else:
            by_cluster[m.entity] = m.id
    vc = _Clusters(e.id for e in evs)
    by_event: dict[str, str] = {}
    for e in evs:
        if e.event in by_event:
            vc.union(by_event[e.event], e.id)
        else:
            by_event[e.event] = e.id
    ent_names = _name_clusters([m.id for m in ents], ec)
    ev_names = _name_clusters([e.id for e in evs], vc)
    return replace(
        doc,
        entity_mentions=tuple(replace(m, entity=ent_names[m.id]) for m in ents),
        event_mentions=tuple(
            replace(
                e,
                event=ev_names[e.id],
                arguments=tuple(sorted(set(e.arguments), key=lambda a: (a.role, a.mention))),
            )
            for e in evs
        ),
    )


# ---------------------------------------------------------------------------------------------
# Export -> records


@dataclass
class _Ctx:
    """Where findings of one annotation point to."""

    file: str | None
    doc_id: str | None
    task: Any
    annotation: Any
    findings: list[Finding]

    def emit(self, check: str, message: str, region: str | None = None) -> None:
        where = f"task {self.task} annotation {self.annotation}" + (f" region {region}" if region else "")
        pointer = f"/task/{self.task}/annotation/{self.annotation}" + (f"/region/{region}" if region else "")
        self.findings.append(
            Finding(
                check,
                f"{where}: {message}",
                severity=CHECKS[check],
                file=self.file,
                doc_id=self.doc_id,
                pointer=pointer,
            )
        )


@dataclass
class _Region:
    rid: str
    labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # control -> values
    choices: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    spans: dict[str, tuple[Any, Any, Any]] = field(default_factory=dict)  # control -> (start, end, text)


def _utf16_to_cp(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Code-point offsets for UTF-16 code-unit offsets into ``text``; None if they split a pair."""
    units = 0
    out: dict[int, int] = {}
    for i, ch in enumerate(text):
        out[units] = i
        units += 2 if ord(ch) > 0xFFFF else 1
    out[units] = len(text)
    if start in out and end in out:
        return out[start], out[end]
    return None


def _span(text: str, start: Any, end: Any, claimed: Any, *, rid: str, ctx: _Ctx) -> tuple[int, int] | None:
    ok_types = (
        isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool) and not isinstance(end, bool)
    )
    if not ok_types or not 0 <= start < end <= len(text):
        if ok_types and isinstance(claimed, str):
            conv = _utf16_to_cp(text, start, end)
            if conv is not None and conv[0] < conv[1] and text[conv[0] : conv[1]] == claimed:
                ctx.emit(
                    "annotate.utf16-offsets",
                    f"offsets [{start}, {end}) are UTF-16 code units; converted to code points {list(conv)}",
                    rid,
                )
                return conv
        ctx.emit(
            "annotate.offset-range", f"need integers 0 <= start < end <= {len(text)}, found [{start!r}, {end!r})", rid
        )
        return None
    if isinstance(claimed, str) and text[start:end] != claimed:
        conv = _utf16_to_cp(text, start, end)
        if conv is not None and conv[0] < conv[1] and text[conv[0] : conv[1]] == claimed:
            ctx.emit(
                "annotate.utf16-offsets",
                f"offsets [{start}, {end}) are UTF-16 code units; converted to code points {list(conv)}",
                rid,
            )
            return conv
        ctx.emit(
            "annotate.span-text-mismatch",
            f"value.text is {claimed!r} but the text at [{start}, {end}) is {text[start:end]!r}; the offsets win",
            rid,
        )
    return start, end


def _collect_regions(result: list[Any], ctx: _Ctx) -> tuple[dict[str, _Region], list[JSON]]:
    regions: dict[str, _Region] = {}
    relations: list[JSON] = []
    for i, item in enumerate(result):
        if not isinstance(item, dict):
            ctx.emit("annotate.unknown-result", f"result item {i} is not an object, ignored")
            continue
        if item.get("type") == "relation":
            relations.append(item)
            continue
        control, rid, value = item.get("from_name"), item.get("id"), item.get("value")
        kind = {ENTITY: "labels", TRIGGER: "labels", KIND: "choices", REALIS: "choices"}.get(str(control))
        if (
            kind is None
            or item.get("type") != kind
            or not isinstance(value, dict)
            or not isinstance(value.get(kind), list)
        ):
            ctx.emit(
                "annotate.unknown-result",
                f"result item {i} ({item.get('type')!r} from {control!r}) is not part of the newsevents config, ignored",
                str(rid) if rid else None,
            )
            continue
        if not isinstance(rid, str) or not _ID_RE.match(rid):
            ctx.emit("annotate.bad-region-id", f"region id must match {_ID_RE.pattern}, found {rid!r}", str(rid))
            continue
        reg = regions.setdefault(rid, _Region(rid))
        target = reg.labels if kind == "labels" else reg.choices
        target[str(control)].extend(str(v) for v in value[kind])
        reg.spans.setdefault(str(control), (value.get("start"), value.get("end"), value.get("text")))
    return regions, relations


@dataclass
class _Converted:
    entities: list[EntityMention]
    events: list[EventMention]


def _convert_annotation(text: str, result: list[Any], onto: Ontology, ctx: _Ctx) -> _Converted:
    regions, relations = _collect_regions(result, ctx)
    ent_types, ev_types = set(onto.entity_types), set(onto.event_types)
    entities: dict[str, EntityMention] = {}
    triggers: dict[str, EventMention] = {}
    dropped: set[str] = set()
    for rid, reg in regions.items():
        ent_labels, trig_labels = reg.labels.get(ENTITY, []), reg.labels.get(TRIGGER, [])
        if ent_labels and trig_labels:
            ctx.emit("annotate.mixed-region", f"labelled both as entity {ent_labels} and as trigger {trig_labels}", rid)
            dropped.add(rid)
            continue
        if not ent_labels and not trig_labels:
            ctx.emit("annotate.orphan-choice", f"has choices {dict(reg.choices)} but no entity or trigger label", rid)
            dropped.add(rid)
            continue
        is_entity = bool(ent_labels)
        control = ENTITY if is_entity else TRIGGER
        labels = sorted(set(ent_labels or trig_labels))
        if len(labels) != 1:
            ctx.emit("annotate.multiple-labels", f"needs exactly one {control} label, found {labels}", rid)
            dropped.add(rid)
            continue
        label = labels[0]
        if label not in (ent_types if is_entity else ev_types):
            ctx.emit("annotate.unknown-label", f"{control} label {label!r} is not in the ontology", rid)
            dropped.add(rid)
            continue
        start, end, claimed = reg.spans[control]
        span = _span(text, start, end, claimed, rid=rid, ctx=ctx)
        if span is None:
            dropped.add(rid)
            continue
        for other_control, (s2, e2, _) in reg.spans.items():
            if other_control != control and (s2, e2) != (start, end):
                ctx.emit(
                    "annotate.span-mismatch",
                    f"{other_control} result has offsets [{s2}, {e2}), the {control} label [{start}, {end}); the label's offsets are used",
                    rid,
                )
        choice_control, other_choice = (KIND, REALIS) if is_entity else (REALIS, KIND)
        allowed = onto.mention_kinds if is_entity else onto.realis
        if reg.choices.get(other_choice):
            ctx.emit(
                "annotate.choice-mismatch",
                f"{other_choice} {reg.choices[other_choice]} does not apply to {'an entity' if is_entity else 'a trigger'}, ignored",
                rid,
            )
        values = sorted(set(reg.choices.get(choice_control, [])))
        if len(values) != 1 or values[0] not in allowed:
            check = "annotate.missing-kind" if is_entity else "annotate.missing-realis"
            ctx.emit(check, f"needs one {choice_control} of {list(allowed)}, found {values}", rid)
            dropped.add(rid)
            continue
        s, e = span
        if is_entity:
            entities[rid] = EntityMention(
                id=rid, start=s, end=e, text=text[s:e], type=label, kind=values[0], entity=rid
            )
        else:
            triggers[rid] = EventMention(id=rid, type=label, trigger=Span(s, e, text[s:e]), realis=values[0], event=rid)

    ent_clusters = _Clusters(entities)
    ev_clusters = _Clusters(triggers)
    arguments: dict[str, list[Argument]] = defaultdict(list)
    for rel in relations:
        a, b = rel.get("from_id"), rel.get("to_id")
        labels = rel.get("labels") or []
        pair = f"{a} -> {b}"
        if not isinstance(labels, list):
            labels = []
        if a in dropped or b in dropped:
            continue  # the region's own finding explains it
        missing = [x for x in (a, b) if x not in entities and x not in triggers]
        if missing:
            ctx.emit(
                "annotate.relation-missing-region",
                f"relation {pair} {labels} points to no region {missing}",
                str(missing[0]),
            )
            continue
        if not labels:
            ctx.emit("annotate.relation-unlabelled", f"relation {pair} has no label, ignored", str(a))
            continue
        if a == b:
            ctx.emit("annotate.self-relation", f"relation {pair} {labels} joins a region to itself, ignored", str(a))
            continue
        roles = [x for x in labels if x != COREFERENCE]
        coref = COREFERENCE in labels
        if a in entities and b in entities:
            if roles:
                ctx.emit(
                    "annotate.role-between-entities",
                    f"roles {roles} on relation {pair} between two entities; roles go from a trigger to an entity",
                    str(a),
                )
            if coref:
                ent_clusters.union(str(a), str(b))
        elif a in triggers and b in triggers:
            if roles:
                ctx.emit(
                    "annotate.role-between-triggers",
                    f"roles {roles} on relation {pair} between two triggers; roles go from a trigger to an entity",
                    str(a),
                )
            if coref:
                ev_clusters.union(str(a), str(b))
        else:
            trig, ent = (str(a), str(b)) if a in triggers else (str(b), str(a))
            if coref:
                ctx.emit(
                    "annotate.coref-entity-trigger",
                    f"{COREFERENCE} relation {pair} joins a trigger and an entity",
                    str(a),
                )
            ev_type = triggers[trig].type
            for role in roles:
                if onto.allowed_types(ev_type, role) is None:
                    ctx.emit(
                        "annotate.role-not-allowed",
                        f"{ev_type} has roles {sorted(onto.event_types[ev_type].roles)}, found {role!r} on {pair}",
                        trig,
                    )
                    continue
                arg = Argument(role=role, mention=ent)
                if arg not in arguments[trig]:
                    arguments[trig].append(arg)

    ents = sorted(entities.values(), key=_ent_key)
    evs = sorted(triggers.values(), key=_ev_key)
    ent_names = _name_clusters([m.id for m in ents], ent_clusters)
    ev_names = _name_clusters([e.id for e in evs], ev_clusters)
    return _Converted(
        entities=[replace(m, entity=ent_names[m.id]) for m in ents],
        events=[
            replace(
                e, event=ev_names[e.id], arguments=tuple(sorted(arguments[e.id], key=lambda a: (a.role, a.mention)))
            )
            for e in evs
        ],
    )


@dataclass(frozen=True, slots=True)
class _Done:
    doc: Document
    annotation_id: Any
    annotator: str
    ground_truth: bool
    updated: str


def _task_text(task: JSON, corpus: Mapping[str, Document], ctx: _Ctx) -> Document | None:
    data = task.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("text"), str) or not isinstance(data.get("doc_id"), str):
        ctx.emit("annotate.bad-task", "task data needs string fields text and doc_id")
        return None
    base = corpus.get(data["doc_id"])
    if base is None:
        ctx.emit("annotate.unknown-document", f"doc_id {data['doc_id']!r} is not a corpus document")
        return None
    if data["text"] != base.text:
        ctx.emit(
            "annotate.text-changed",
            f"the task text (sha256 {text_sha256(data['text'])[:12]}...) differs from the corpus text (sha256 {base.text_sha256[:12]}...); re-push the document",
        )
        return None
    return base


def export_to_records(
    export: list[Any],
    corpus: Mapping[str, Document],
    *,
    users: Mapping[int, str] | None = None,
    project: int | None = None,
    ontology: Ontology | None = None,
    file: str | None = None,
    guideline_version: str | None = None,
) -> tuple[list[Document], list[Finding]]:
    """Canonical records for every completed annotation of a full JSON export, plus one gold each.

    Args:
        export: the export, a list of tasks as Label Studio returns it (format ``JSON``).
        corpus: corpus documents by id; they give each record its metadata, and their text must be
            the task's text.
        users: Label Studio user id -> email or user name (the annotator); unknown ids become
            ``user-<id>``.
        project: the project id, recorded in ``provenance.label_studio``.
        ontology: the project's ontology by default.
        file: the export's file name, for findings.
        guideline_version: the annotation guidelines' version, recorded in each record's
            provenance (the corpus record's value when not given).

    Returns:
        The pass records (status ``completed``, one per annotation, annotator in
        ``provenance.annotators``) followed by the gold records (status ``gold``, one per document
        with a completed annotation; ``provenance.gold_rule`` says how it was chosen), and every
        finding.
    """
    onto = ontology or load_ontology()
    users = users or {}
    findings: list[Finding] = []
    passes: list[Document] = []
    golds: list[Document] = []
    for ti, task in enumerate(export):
        if not isinstance(task, dict):
            _Ctx(file, None, f"#{ti}", "-", findings).emit("annotate.bad-task", "task is not an object")
            continue
        task_id = task.get("id")
        doc_id = task.get("data", {}).get("doc_id") if isinstance(task.get("data"), dict) else None
        tctx = _Ctx(file, doc_id if isinstance(doc_id, str) else None, task_id, "-", findings)
        anns = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
        if not anns:
            continue
        base = _task_text(task, corpus, tctx)
        if base is None:
            continue
        done: list[_Done] = []
        seen_annotators: dict[str, Any] = {}
        for ann in sorted(anns, key=lambda a: (str(a.get("updated_at") or ""), _int(a.get("id")))):
            ctx = _Ctx(file, base.id, task_id, ann.get("id"), findings)
            user = ann.get("completed_by")
            if isinstance(user, dict):  # some exports expand the user
                name = str(user.get("email") or user.get("username") or f"user-{user.get('id')}")
            else:
                name = users.get(user, f"user-{user}") if isinstance(user, int) else f"user-{user}"
            annotator = annotator_slug(name)
            raw_result = ann.get("result")
            result: list[Any] = raw_result if isinstance(raw_result, list) else []
            conv = _convert_annotation(base.text, result, onto, ctx)
            ls: dict[str, Any] = {
                k: v
                for k, v in (
                    ("project", project if project is not None else task.get("project")),
                    ("task", task_id),
                    ("annotation", ann.get("id")),
                )
                if isinstance(v, int)
            }
            ls["annotator_key"] = annotator_key(name)  # slugs can collide; the exact name cannot
            doc = replace(
                base,
                entity_mentions=tuple(conv.entities),
                event_mentions=tuple(conv.events),
                provenance=Provenance(
                    status=AnnotationStatus.COMPLETED.value,
                    annotators=(annotator,),
                    guideline_version=guideline_version or base.provenance.guideline_version,
                    tool=TOOL,
                    label_studio=ls,
                ),
            )
            if name in seen_annotators:
                ctx.emit(
                    "annotate.duplicate-pass",
                    f"{annotator} has several completed annotations of this task ({seen_annotators[name]} and {ann.get('id')}); the most recent one is their pass",
                )
                key = ls["annotator_key"]
                passes[:] = [
                    p
                    for p in passes
                    if not (p.id == base.id and (p.provenance.label_studio or {}).get("annotator_key") == key)
                ]
            seen_annotators[name] = ann.get("id")
            passes.append(doc)
            done.append(
                _Done(doc, ann.get("id"), annotator, bool(ann.get("ground_truth")), str(ann.get("updated_at") or ""))
            )
        flagged = [d for d in done if d.ground_truth]
        chosen, rule = (flagged[-1], GOLD_RULE_GROUND_TRUTH) if flagged else (done[-1], GOLD_RULE_LATEST)
        golds.append(
            replace(
                chosen.doc,
                provenance=replace(chosen.doc.provenance, status=AnnotationStatus.GOLD.value, gold_rule=rule),
            )
        )
    return passes + golds, findings


def _int(x: Any) -> int:
    return x if isinstance(x, int) and not isinstance(x, bool) else -1
