"""The Label Studio labeling config, generated from the ontology (never edited by hand).

The view is built so that a fully annotated news article (hundreds of mentions) stays readable:

* Two ``Labels`` controls (entity types, event-trigger types) with fixed colours: each entity type
  its own hue, every trigger the same red; ``<Text showLabels="true">`` writes each span's number and
  type after it (``12:GPE``), so a type is read, not guessed from a pastel shade.
* No relation arrows. Coreference is a per-region text field, ``cluster``: mentions of one entity
  (triggers of one event) carry the same cluster name, e.g. ``e12``; an empty field is a cluster of
  its own. Arguments are a per-region text field of the trigger, ``arguments``, one
  ``Role=mention-id`` entry per argument (``Attacker=e5 US forces``: what follows the id is a note for
  the reader). Both show for the selected region only, so only the selected event's roles are on
  screen.
* Per-region choices: mention kind on entities, realis on triggers, each shown only when a region of
  the matching labels is selected. Not ``required``: Label Studio 1.23 checks a required per-region
  control on every region, whatever ``whenLabelValue`` says, which would block submitting any
  annotation with both entities and triggers; ``pull`` reports a missing choice instead.
* The selected region's fields, then the label palettes, sit in a sticky column beside the text,
  so they stay in view wherever the annotator is in a long article.

Example:
    >>> xml = label_config()
    >>> xml.startswith("<View>") and 'name="entity"' in xml and 'name="cluster"' in xml
    True
    >>> "<Relations>" in xml
    False
    >>> config_errors(xml)
    []
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from newsevents.ontology import Ontology, load_ontology

# Names of the tags; the converter reads results by these names.
TEXT = "text"
ENTITY = "entity"
TRIGGER = "trigger"
KIND = "kind"
REALIS = "realis"
CLUSTER = "cluster"
ARGUMENTS = "arguments"
# The relation label of earlier configs, which drew coreference as arrows: no longer offered, still
# read from old exports, and reserved so that no role takes its name.
COREFERENCE = "Coreference"

# Entity colours: distinct hues (Label Studio draws them at 30 % opacity, 80 % when selected), none
# of them red, the triggers' colour. An ontology with more entity types cycles through the list.
ENTITY_COLOURS = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#bcbd22", "#7f7f7f", "#e377c2", "#ff7f0e")
TRIGGER_COLOUR = "#d62728"

# What an argument entry uses as syntax ("Role=id; Role=id"); a role name cannot hold these.
ARGUMENT_SYNTAX = ("=", ";", "\n", " ")

_STYLE = """
    .lsf-richtext__line { line-height: 2.2; }
    .htx-highlight[data-label]::after {
      font-family: system-ui, sans-serif; font-size: 11px; font-weight: 600; color: #1a1a1a;
      vertical-align: super; line-height: 0; padding: 0 2px; white-space: nowrap;
    }
    .ne-side { position: sticky; top: 0; align-self: flex-start; max-height: 100vh; overflow-y: auto; }
"""


def _labels(name: str, values: list[str], colours: list[str]) -> list[str]:
    out = [f'      <Labels name="{name}" toName="{TEXT}" showInline="true">']
    out.extend(
        f"        <Label value={quoteattr(v)} background={quoteattr(c)}/>" for v, c in zip(values, colours, strict=True)
    )
    out.append("      </Labels>")
    return out


def _when(labels: list[str]) -> str:
    # whenLabelValue takes a comma-separated list of label values (Label Studio's documented form).
    return f'visibleWhen="region-selected" whenLabelValue={quoteattr(",".join(labels))}'


def _region_choices(name: str, values: tuple[str, ...], when: list[str], header: str) -> list[str]:
    # The wrapping View hides the header too when another kind of region is selected.
    cond = _when(when)
    out = [
        f"      <View {cond}>",
        f'        <Header value={quoteattr(header)} size="6"/>',
        f'        <Choices name="{name}" toName="{TEXT}" perRegion="true" choice="single-radio" showInline="true" {cond}>',
    ]
    out.extend(f"          <Choice value={quoteattr(v)}/>" for v in values)
    out.extend(["        </Choices>", "      </View>"])
    return out


def _region_text(name: str, when: list[str], header: str, placeholder: str, *, single: bool) -> list[str]:
    cond = _when(when)
    # editable: an entry can be changed after it is added; transcription (with one entry): the entry
    # stays an open text field, so changing a cluster name is typing over it.
    extra = ' maxSubmissions="1" transcription="true"' if single else ""
    return [
        f"      <View {cond}>",
        f'        <Header value={quoteattr(header)} size="6"/>',
        f'        <TextArea name="{name}" toName="{TEXT}" perRegion="true" editable="true" rows="1"{extra}'
        f" placeholder={quoteattr(placeholder)} {cond}/>",
        "      </View>",
    ]


def label_config(ontology: Ontology | None = None) -> str:
    """The labeling config (XML) for ``ontology`` (the project's by default).

    Raises:
        ValueError: the ontology cannot be expressed unambiguously (an entity type shares its name
            with an event type, ``Coreference`` is a role, a role holds ``=``, ``;`` or white space),
            or a label holds a comma.
    """
    onto = ontology or load_ontology()
    entity_types = list(onto.entity_types)
    event_types = list(onto.event_types)
    clash = set(entity_types) & set(event_types)
    if clash:
        raise ValueError(f"entity and event types must differ to tell regions apart, found {sorted(clash)}")
    if COREFERENCE in onto.roles:
        raise ValueError(f"{COREFERENCE!r} is reserved (coreference relations of old exports), found it as a role")
    bad_roles = [r for r in onto.roles if not r or any(c in r for c in ARGUMENT_SYNTAX)]
    if bad_roles:
        raise ValueError(f"roles are written as Role=id in the arguments field, found unusable role names {bad_roles}")
    with_comma = [v for v in (*entity_types, *event_types) if "," in v]
    if with_comma:
        raise ValueError(f"label values are joined with commas in whenLabelValue, found {with_comma}")
    entity_colours = [ENTITY_COLOURS[i % len(ENTITY_COLOURS)] for i in range(len(entity_types))]
    lines = [
        "<View>",
        "  <!-- Generated by `newsevents annotate config` from schema/ontology.json; do not edit. -->",
        f"  <Style>{escape(_STYLE)}  </Style>",
        '  <View style="display: flex; gap: 20px; align-items: flex-start;">',
        '    <View style="flex: 1 1 auto; min-width: 0;">',
        f'      <Text name="{TEXT}" value="$text" granularity="symbol" showLabels="true"/>',
        "    </View>",
        '    <View className="ne-side" style="flex: 0 0 340px;">',
        # The selected region's fields first, so that they are in view without scrolling; the
        # palettes below them move down while a region is selected (a click there relabels it).
        *_region_choices(KIND, onto.mention_kinds, entity_types, "Mention kind"),
        *_region_choices(REALIS, onto.realis, event_types, "Realis"),
        *_region_text(
            CLUSTER,
            [*entity_types, *event_types],
            "Cluster (same name = same entity/event)",
            "cluster name, e.g. e12; empty = on its own",
            single=True,
        ),
        *_region_text(
            ARGUMENTS,
            event_types,
            "Arguments (Role=mention-id)",
            "Role=id, e.g. Place=e4; Enter adds",
            single=False,
        ),
        '      <Header value="Entities" size="6"/>',
        *_labels(ENTITY, entity_types, entity_colours),
        '      <Header value="Event triggers" size="6"/>',
        *_labels(TRIGGER, event_types, [TRIGGER_COLOUR] * len(event_types)),
        "    </View>",
        "  </View>",
        "</View>",
    ]
    return "\n".join(lines) + "\n"


def config_errors(xml: str) -> list[str]:
    """Problems the SDK's own config validation finds in ``xml``; empty when it is valid."""
    from label_studio_sdk.label_interface.interface import LabelInterface  # noqa: PLC0415 - heavy import

    try:
        LabelInterface(xml).validate()  # type: ignore[no-untyped-call]
    except Exception as exc:  # noqa: BLE001 - the SDK raises several unrelated types; all mean invalid
        return [f"{type(exc).__name__}: {exc}"]
    return []
