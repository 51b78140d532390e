"""Label Studio results <-> canonical records, as pure functions.

:func:`export_to_records` turns a full JSON export (the list of tasks Label Studio returns) into
one canonical record per completed annotation (``provenance.status`` ``completed``) plus one gold
record per document (``gold``); :func:`record_to_prediction` is its inverse, used to push
pre-annotations. The pair round-trips: converting the prediction of ``doc`` back gives
:func:`canonical` ``(doc)`` — the same mentions, arguments and clusters, with cluster ids renamed
to the id of each cluster's first mention and everything in a fixed order.

Conversion rules (docs/annotation.md explains them to annotators):

* Results sharing an ``id`` are one region: its ``entity`` or ``trigger`` labels, its per-region
  ``kind`` / ``realis`` choices and its ``cluster`` / ``arguments`` text fields. Region id = mention
  id.
* Offsets are Unicode code points, as the server stores what it is sent; span text is recomputed
  from the offsets. Offsets that only make sense as UTF-16 code units are converted, with a warning.
* Coreference: entity mentions with the same ``cluster`` name (white space trimmed; case counts) are
  one entity, triggers with the same name one event; an empty field is a cluster of its own.
* Arguments: each ``Role=mention-id`` entry of a trigger's ``arguments`` field (entries may also be
  split by ``;`` or new lines; text after the id is a note for the reader and must be the mention's
  text if present).
* Relations, which earlier configs used, are still read: a relation between a trigger and an
  entity is an argument for each role label, ``Coreference`` between two entities (two triggers)
  joins their clusters.
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
from typing import Any

from newsevents.annotate.config import ARGUMENTS, CLUSTER, COREFERENCE, ENTITY, KIND, REALIS, TEXT, TRIGGER
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
    "annotate.multiple-clusters": Severity.ERROR.value,
    "annotate.bad-argument": Severity.ERROR.value,
    "annotate.argument-missing-mention": Severity.ERROR.value,
    "annotate.argument-not-entity": Severity.ERROR.value,
    "annotate.argument-note-mismatch": Severity.WARNING.value,
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


def _region(rid: str, control: str, kind: str, text: str, *, start: int, end: int, key: str, values: list[str]) -> JSON:
    value: JSON = {"start": start, "end": end}
    if kind != "textarea":  # a text field's own values sit under "text"; the span text is left out
        value["text"] = text[start:end]
    value[key] = values
    return {"id": rid, "from_name": control, "to_name": TEXT, "type": kind, "value": value}


def argument_entry(role: str, mention: EntityMention | None, mention_id: str) -> str:
    """One entry of a trigger's ``arguments`` field: ``Role=id``, then the mention's text as a note.

    >>> argument_entry("Place", None, "e4")
    'Place=e4'
    """
    note = argument_note(mention.text) if mention is not None else ""
    return f"{role}={mention_id}" + (f" {note}" if note else "")


def record_to_prediction(doc: Document, *, model_version: str | None = None) -> JSON:
    """The Label Studio prediction (``{"result": [...], "model_version": ...}``) for ``doc``.

    Region ids are the mention ids. Every mention's ``cluster`` field holds its entity (event)
    cluster id; a trigger's ``arguments`` field holds one ``Role=mention-id text`` entry per
    argument, sorted by role and mention. No relations.
    """
    text = doc.text
    by_id = {m.id: m for m in doc.entity_mentions}
    result: list[JSON] = []
    for m in doc.entity_mentions:
        span = {"start": m.start, "end": m.end}
        result.append(_region(m.id, ENTITY, "labels", text, **span, key="labels", values=[m.type]))
        result.append(_region(m.id, KIND, "choices", text, **span, key="choices", values=[m.kind]))
        result.append(_region(m.id, CLUSTER, "textarea", text, **span, key="text", values=[m.entity]))
    for ev in doc.event_mentions:
        span = {"start": ev.trigger.start, "end": ev.trigger.end}
        result.append(_region(ev.id, TRIGGER, "labels", text, **span, key="labels", values=[ev.type]))
        result.append(_region(ev.id, REALIS, "choices", text, **span, key="choices", values=[ev.realis]))
        result.append(_region(ev.id, CLUSTER, "textarea", text, **span, key="text", values=[ev.event]))
        args = sorted(set(ev.arguments), key=lambda a: (a.role, a.mention))
        if args:
            entries = [argument_entry(a.role, by_id.get(a.mention), a.mention) for a in args]
            result.append(_region(ev.id, ARGUMENTS, "textarea", text, **span, key="text", values=entries))
    # Label Studio refuses a prediction without a model version.
    return {"result": result, "model_version": model_version or doc.provenance.system or DEFAULT_MODEL_VERSION}


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
    texts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # text fields' entries
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


# Control name -> the result type Label Studio gives its results.
_RESULT_TYPES = {
    ENTITY: "labels",
    TRIGGER: "labels",
    KIND: "choices",
    REALIS: "choices",
    CLUSTER: "textarea",
    ARGUMENTS: "textarea",
}


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
        kind = _RESULT_TYPES.get(str(control))
        key = "text" if kind == "textarea" else kind
        if (
            kind is None
            or item.get("type") != kind
            or not isinstance(value, dict)
            or not isinstance(value.get(key), list)
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
        target = {"labels": reg.labels, "choices": reg.choices}.get(kind, reg.texts)
        target[str(control)].extend(str(v) for v in value[key])
        claimed = None if kind == "textarea" else value.get("text")  # a text field's "text" is its entries
        reg.spans.setdefault(str(control), (value.get("start"), value.get("end"), claimed))
    return regions, relations


@dataclass
class _Mentions:
    """What one annotation's regions became: mentions, clusters and arguments so far."""

    entities: dict[str, EntityMention] = field(default_factory=dict)
    triggers: dict[str, EventMention] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)  # regions rejected with a finding
    arguments: dict[str, list[Argument]] = field(default_factory=lambda: defaultdict(list))
    ent_clusters: _Clusters = field(default_factory=lambda: _Clusters(()))
    ev_clusters: _Clusters = field(default_factory=lambda: _Clusters(()))

    def add_argument(self, trigger: str, role: str, mention: str) -> None:
        arg = Argument(role=role, mention=mention)
        if arg not in self.arguments[trigger]:
            self.arguments[trigger].append(arg)


@dataclass
class _Converted:
    entities: list[EntityMention]
    events: list[EventMention]


def _convert_annotation(text: str, result: list[Any], onto: Ontology, ctx: _Ctx) -> _Converted:
    """One annotation's result as mentions, in passes: regions, text fields, relations, cluster names."""
    regions, relations = _collect_regions(result, ctx)
    got = _region_mentions(text, regions, onto, ctx)
    _cluster_fields(regions, got, ctx)
    _argument_fields(regions, got, onto, ctx)
    _relations(relations, got, onto, ctx)
    ents = sorted(got.entities.values(), key=_ent_key)
    evs = sorted(got.triggers.values(), key=_ev_key)
    ent_names = _name_clusters([m.id for m in ents], got.ent_clusters)
    ev_names = _name_clusters([e.id for e in evs], got.ev_clusters)
    return _Converted(
        entities=[replace(m, entity=ent_names[m.id]) for m in ents],
        events=[
            replace(
                e,
                event=ev_names[e.id],
                arguments=tuple(sorted(got.arguments[e.id], key=lambda a: (a.role, a.mention))),
            )
            for e in evs
        ],
    )


def _region_mentions(text: str, regions: dict[str, _Region], onto: Ontology, ctx: _Ctx) -> _Mentions:
    """Pass 1: each region with one known label, valid offsets and its choice becomes a mention."""
    ent_types, ev_types = set(onto.entity_types), set(onto.event_types)
    got = _Mentions()
    entities, triggers, dropped = got.entities, got.triggers, got.dropped
    for rid, reg in regions.items():
        ent_labels, trig_labels = reg.labels.get(ENTITY, []), reg.labels.get(TRIGGER, [])
        if ent_labels and trig_labels:
            ctx.emit("annotate.mixed-region", f"labelled both as entity {ent_labels} and as trigger {trig_labels}", rid)
            dropped.add(rid)
            continue
        if not ent_labels and not trig_labels:
            fields = {**reg.choices, **reg.texts}
            ctx.emit("annotate.orphan-choice", f"has choices or fields {fields} but no entity or trigger label", rid)
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
        if is_entity and reg.texts.get(ARGUMENTS):
            ctx.emit(
                "annotate.choice-mismatch",
                f"{ARGUMENTS} {reg.texts[ARGUMENTS]} do not apply to an entity (arguments belong to triggers), ignored",
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

    got.ent_clusters = _Clusters(entities)
    got.ev_clusters = _Clusters(triggers)
    return got


def cluster_key(name: str) -> str:
    """What makes two cluster names the same: white space trimmed and collapsed; case counts, since
    cluster ids of records (mention ids) are case-sensitive and must survive the round trip.

    >>> cluster_key("  e12 ") == cluster_key("e12") != cluster_key("E12")
    True
    """
    return " ".join(name.split())


def _cluster_fields(regions: dict[str, _Region], got: _Mentions, ctx: _Ctx) -> None:
    """Pass 2: mentions whose ``cluster`` fields hold the same name join one cluster, per layer."""
    anchors: dict[tuple[bool, str], str] = {}  # (is entity, name key) -> first mention with it
    for rid, reg in regions.items():
        is_entity = rid in got.entities
        if not is_entity and rid not in got.triggers:
            continue
        names = sorted({cluster_key(n) for n in reg.texts.get(CLUSTER, [])} - {""})
        if len(names) > 1:
            ctx.emit(
                "annotate.multiple-clusters",
                f"cluster field holds several names {names}; the mention is left in a cluster of its own",
                rid,
            )
            continue
        if not names:
            continue
        anchor = anchors.setdefault((is_entity, names[0]), rid)
        (got.ent_clusters if is_entity else got.ev_clusters).union(anchor, rid)


_ARGUMENT_RE = re.compile(r"^(?P<role>[^=\s]+)\s*=\s*(?P<mention>\S+)(?:\s+(?P<note>.*))?$", re.DOTALL)


def argument_note(text: str) -> str:
    """The note written after the id of an argument entry: the mention's text on one line.

    >>> argument_note("the  base;\\n in Iraq")
    'the base, in Iraq'
    """
    return " ".join(text.replace(";", ",").split())


def _argument_fields(regions: dict[str, _Region], got: _Mentions, onto: Ontology, ctx: _Ctx) -> None:
    """Pass 3: each ``Role=mention-id`` entry of a trigger's ``arguments`` field is an argument."""
    for trig, event in got.triggers.items():
        for raw in regions[trig].texts.get(ARGUMENTS, []):
            for entry in (e.strip() for e in re.split(r"[;\n]", raw)):
                if not entry:
                    continue
                m = _ARGUMENT_RE.match(entry)
                if m is None:
                    ctx.emit("annotate.bad-argument", f"argument entry {entry!r} is not Role=mention-id, ignored", trig)
                    continue
                role, mention, note = m["role"], m["mention"], m["note"]
                if mention in got.dropped:
                    continue  # the region's own finding explains it
                if mention in got.triggers:
                    ctx.emit(
                        "annotate.argument-not-entity",
                        f"argument {entry!r} names trigger {mention}; arguments are entity mentions",
                        trig,
                    )
                    continue
                if mention not in got.entities:
                    ctx.emit(
                        "annotate.argument-missing-mention",
                        f"argument {entry!r} names no entity mention of this annotation",
                        trig,
                    )
                    continue
                if onto.allowed_types(event.type, role) is None:
                    ctx.emit(
                        "annotate.role-not-allowed",
                        f"{event.type} has roles {sorted(onto.event_types[event.type].roles)}, found {role!r} in {entry!r}",
                        trig,
                    )
                    continue
                filler = got.entities[mention]
                if note and argument_note(note) != argument_note(filler.text):
                    ctx.emit(
                        "annotate.argument-note-mismatch",
                        f"argument {entry!r}: the note after the id is not the text of {mention}, {filler.text!r}; the id wins",
                        trig,
                    )
                got.add_argument(trig, role, mention)


def _relations(relations: list[JSON], got: _Mentions, onto: Ontology, ctx: _Ctx) -> None:
    """Pass 4: relations (earlier configs): roles between a trigger and an entity, ``Coreference``."""
    entities, triggers, dropped = got.entities, got.triggers, got.dropped
    ent_clusters, ev_clusters = got.ent_clusters, got.ev_clusters
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
                got.add_argument(trig, role, ent)


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
