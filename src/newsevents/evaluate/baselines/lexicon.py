"""A lexicon-and-rule baseline for entity mentions, event triggers and arguments.

Written from the annotation conventions (``docs/guidelines.md``: ACE 2005 types, titles nested in
the PER mention they precede, nationality adjectives as GPE, nominal triggers count) and general
English knowledge; it is deliberately not fitted to any corpus text. Its purpose is to give the
harness a real, reproducible system to score, not to be good.

Entities: country, capital and nationality names (GPE, NAM); organisation names ending in an
organisation head word or from a short list of international bodies (ORG, NAM); a title followed
by capitalised words (PER, NAM, with the title nested as TTL); titles alone (TTL); group nouns
(PER, NOM), facilities, weapons, vehicles and places by head noun (NOM, with a determiner or
numeral in front when there is one); personal pronouns he/she (PER, PRO); dates, weekdays, months
and relative time expressions (TIME). Overlaps: a candidate crossing an earlier-kept, longer one
is dropped; nesting is kept.

Triggers: inflected verbs and event nouns per event type. Arguments: inside the trigger's
sentence, the nearest allowed mention before the trigger fills the agent-like role (Attacker,
Agent, Communicator, Entity), the nearest after it the patient-like role (Target, Victim,
Recipient, Person, Artifact, Position); a GPE/LOC/FAC after "in"/"at"/"near" is the Place and the
nearest TIME the Time. Coreference: name mentions with the same text share a cluster.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from newsevents.ontology import Ontology, load_ontology
from newsevents.records import Argument, Document, EntityMention, EventMention, Provenance, Span
from newsevents.text import sentences

SYSTEM = "newsevents-lexicon-1"

COUNTRIES = [
    "Afghanistan",
    "Albania",
    "Algeria",
    "Argentina",
    "Armenia",
    "Australia",
    "Austria",
    "Azerbaijan",
    "Bahrain",
    "Bangladesh",
    "Belarus",
    "Belgium",
    "Bolivia",
    "Bosnia",
    "Brazil",
    "Bulgaria",
    "Cambodia",
    "Cameroon",
    "Canada",
    "Chad",
    "Chile",
    "China",
    "Colombia",
    "Congo",
    "Croatia",
    "Cuba",
    "Cyprus",
    "Czechia",
    "Denmark",
    "Ecuador",
    "Egypt",
    "Eritrea",
    "Estonia",
    "Ethiopia",
    "Finland",
    "France",
    "Georgia",
    "Germany",
    "Ghana",
    "Greece",
    "Guatemala",
    "Haiti",
    "Honduras",
    "Hungary",
    "Iceland",
    "India",
    "Indonesia",
    "Iran",
    "Iraq",
    "Ireland",
    "Israel",
    "Italy",
    "Japan",
    "Jordan",
    "Kazakhstan",
    "Kenya",
    "Kosovo",
    "Kuwait",
    "Kyrgyzstan",
    "Laos",
    "Latvia",
    "Lebanon",
    "Libya",
    "Lithuania",
    "Luxembourg",
    "Malaysia",
    "Mali",
    "Mexico",
    "Moldova",
    "Mongolia",
    "Montenegro",
    "Morocco",
    "Mozambique",
    "Myanmar",
    "Nepal",
    "Netherlands",
    "Nicaragua",
    "Niger",
    "Nigeria",
    "Norway",
    "Oman",
    "Pakistan",
    "Palestine",
    "Panama",
    "Paraguay",
    "Peru",
    "Philippines",
    "Poland",
    "Portugal",
    "Qatar",
    "Romania",
    "Russia",
    "Rwanda",
    "Senegal",
    "Serbia",
    "Singapore",
    "Slovakia",
    "Slovenia",
    "Somalia",
    "Spain",
    "Sudan",
    "Sweden",
    "Switzerland",
    "Syria",
    "Taiwan",
    "Tajikistan",
    "Tanzania",
    "Thailand",
    "Tunisia",
    "Turkey",
    "Turkmenistan",
    "Uganda",
    "Ukraine",
    "Uruguay",
    "Uzbekistan",
    "Venezuela",
    "Vietnam",
    "Yemen",
    "Zambia",
    "Zimbabwe",
    "Europe",
    "Africa",
    "Asia",
    "United States",
    "United States of America",
    "United Kingdom",
    "Saudi Arabia",
    "South Korea",
    "North Korea",
    "South Africa",
    "New Zealand",
    "Sri Lanka",
    "United Arab Emirates",
    "South Sudan",
    "Gaza",
    "West Bank",
    "US",
    "U.S.",
    "USA",
    "UK",
    "UAE",
    "America",
    "Britain",
]
CITIES = [
    "Washington",
    "Moscow",
    "Beijing",
    "London",
    "Paris",
    "Berlin",
    "Tehran",
    "Baghdad",
    "Damascus",
    "Beirut",
    "Cairo",
    "Riyadh",
    "Ankara",
    "Istanbul",
    "Kabul",
    "Islamabad",
    "Delhi",
    "Tokyo",
    "Seoul",
    "Kyiv",
    "Kiev",
    "Jerusalem",
    "Amman",
    "Doha",
    "Dubai",
    "Sanaa",
    "Tripoli",
    "Khartoum",
    "Nairobi",
    "Brussels",
    "Geneva",
    "Vienna",
    "Rome",
    "Madrid",
    "Warsaw",
    "Ottawa",
    "Mosul",
    "Basra",
    "Erbil",
    "Kirkuk",
    "Aleppo",
    "Homs",
    "Idlib",
    "New York",
    "Tel Aviv",
    "Abu Dhabi",
]
NATIONALITIES = [
    "American",
    "Afghan",
    "Algerian",
    "Arab",
    "Armenian",
    "Australian",
    "Austrian",
    "Belgian",
    "Brazilian",
    "British",
    "Canadian",
    "Chinese",
    "Cuban",
    "Danish",
    "Dutch",
    "Egyptian",
    "Emirati",
    "European",
    "French",
    "German",
    "Greek",
    "Indian",
    "Indonesian",
    "Iranian",
    "Iraqi",
    "Irish",
    "Israeli",
    "Italian",
    "Japanese",
    "Jordanian",
    "Korean",
    "Kurdish",
    "Kuwaiti",
    "Lebanese",
    "Libyan",
    "Mexican",
    "Nigerian",
    "Norwegian",
    "Pakistani",
    "Palestinian",
    "Polish",
    "Qatari",
    "Russian",
    "Saudi",
    "Somali",
    "Spanish",
    "Sudanese",
    "Swedish",
    "Swiss",
    "Syrian",
    "Turkish",
    "Ukrainian",
    "Venezuelan",
    "Yemeni",
]
ORG_NAMES = [
    "United Nations",
    "UN",
    "NATO",
    "European Union",
    "EU",
    "Pentagon",
    "Red Cross",
    "World Bank",
    "Security Council",
    "Congress",
    "Senate",
    "Parliament",
    "Reuters",
    "AFP",
    "Associated Press",
    "AP",
]
ORG_HEADS = [
    "Ministry",
    "Department",
    "Council",
    "Party",
    "Army",
    "Navy",
    "Forces",
    "Force",
    "Guard",
    "Guards",
    "Agency",
    "Organization",
    "Organisation",
    "Union",
    "Brigade",
    "Brigades",
    "Committee",
    "Court",
    "Commission",
    "Movement",
    "Front",
    "Corps",
    "Command",
    "Office",
    "Bank",
    "Company",
    "Network",
    "Alliance",
    "Coalition",
    "Association",
    "Institute",
    "University",
    "Service",
    "Services",
    "Police",
    "Militia",
    "Group",
]
TITLES = [
    "President",
    "Vice President",
    "Prime Minister",
    "Foreign Minister",
    "Defense Minister",
    "Defence Minister",
    "Interior Minister",
    "Minister",
    "Secretary of State",
    "Defense Secretary",
    "Secretary",
    "Senator",
    "Sen.",
    "Governor",
    "Mayor",
    "King",
    "Queen",
    "Prince",
    "Pope",
    "General",
    "Gen.",
    "Lt. Gen.",
    "Maj. Gen.",
    "Colonel",
    "Col.",
    "Admiral",
    "Commander",
    "Ambassador",
    "Ayatollah",
    "Sheikh",
    "Chancellor",
    "Spokesman",
    "Spokeswoman",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
]
TITLE_NOUNS = [
    "president",
    "prime",
    "minister",
    "minister",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "commander",
    "general",
    "ambassador",
    "leader",
    "chairman",
    "chief",
    "director",
    "governor",
    "mayor",
    "senator",
    "envoy",
    "official",
]
PER_NOUNS = [
    "people",
    "civilians",
    "soldiers",
    "troops",
    "fighters",
    "militants",
    "protesters",
    "demonstrators",
    "officials",
    "diplomats",
    "residents",
    "citizens",
    "leaders",
    "members",
    "contractors",
    "workers",
    "journalists",
    "police",
    "officers",
    "victims",
    "personnel",
    "supporters",
    "rebels",
    "insurgents",
    "service members",
    "security forces",
]
ORG_NOUNS = ["militia", "militias", "group", "groups", "army", "organization", "organisation", "agency"]
GPE_NOUNS = ["government", "country", "nation", "capital", "city"]
FAC_NOUNS = [
    "base",
    "bases",
    "embassy",
    "embassies",
    "airport",
    "airports",
    "compound",
    "headquarters",
    "facility",
    "facilities",
    "building",
    "buildings",
]
WEA_NOUNS = [
    "rocket",
    "rockets",
    "missile",
    "missiles",
    "bomb",
    "bombs",
    "weapon",
    "weapons",
    "artillery",
    "drone",
    "drones",
    "gun",
    "guns",
    "explosives",
]
VEH_NOUNS = [
    "tank",
    "tanks",
    "aircraft",
    "jet",
    "jets",
    "helicopter",
    "helicopters",
    "ship",
    "ships",
    "vehicle",
    "vehicles",
    "truck",
    "trucks",
    "warship",
    "warships",
]
LOC_NOUNS = ["region", "border", "area", "areas", "province", "territory"]
DETERMINERS = (
    r"(?i:the|a|an|this|that|these|those|two|three|four|five|six|seven|eight|nine|ten|several|some|many|dozens of|\d+)"
)
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

TRIGGERS: dict[str, list[str]] = {
    "Conflict:Attack": [
        "attack",
        "attacks",
        "attacked",
        "attacking",
        "strike",
        "strikes",
        "struck",
        "airstrike",
        "airstrikes",
        "air",
        "strike",
        "bomb",
        "bombed",
        "bombing",
        "bombings",
        "shelled",
        "shelling",
        "fired",
        "firing",
        "raid",
        "raids",
        "assault",
        "invaded",
        "invasion",
        "ambush",
        "ambushed",
        "clashes",
        "clashed",
        "fighting",
    ],
    "Conflict:Demonstrate": [
        "protest",
        "protests",
        "protested",
        "protesting",
        "demonstration",
        "demonstrations",
        "rally",
        "rallies",
        "rallied",
        "march",
        "marched",
    ],
    "Life:Die": ["killed", "kill", "kills", "killing", "died", "die", "dies", "dead", "death", "deaths", "killings"],
    "Life:Injure": ["injured", "injuring", "injuries", "wounded", "wounding", "wounds", "hurt"],
    "Personnel:End-Position": [
        "resigned",
        "resign",
        "resigns",
        "resignation",
        "fired",
        "ousted",
        "sacked",
        "dismissed",
    ],
    "Personnel:Start-Position": [
        "appointed",
        "appoint",
        "appoints",
        "appointment",
        "elected",
        "election",
        "hired",
        "nominated",
        "sworn",
    ],
    "Justice:Arrest-Jail": [
        "arrested",
        "arrest",
        "arrests",
        "detained",
        "detention",
        "jailed",
        "imprisoned",
        "captured",
    ],
    "Movement:Transport": [
        "deployed",
        "deploy",
        "deployment",
        "sent",
        "arrived",
        "arrive",
        "withdraw",
        "withdrew",
        "withdrawal",
        "traveled",
        "travelled",
        "evacuated",
        "moved",
    ],
    "Contact:Meet": ["met", "meet", "meeting", "meetings", "talks", "summit", "visited", "visit"],
    "Contact:Phone-Write": ["phoned", "phone", "call", "notified", "wrote", "letter", "contacted", "emailed"],
    "Contact:Statement": [
        "said",
        "says",
        "say",
        "told",
        "stated",
        "statement",
        "statements",
        "announced",
        "announcement",
        "added",
        "criticized",
        "criticised",
        "condemned",
        "condemnation",
        "denied",
        "claimed",
        "described",
    ],
    "Contact:Request": [
        "urged",
        "urge",
        "urges",
        "requested",
        "request",
        "requests",
        "demanded",
        "demand",
        "demands",
        "appealed",
        "called for",
        "calls for",
        "call for",
    ],
    "Contact:Threaten": [
        "threatened",
        "threaten",
        "threatens",
        "threat",
        "threats",
        "warned",
        "warn",
        "warns",
        "warning",
        "warnings",
        "vowed",
    ],
    "Government:Sanction": ["sanction", "sanctions", "sanctioned", "embargo"],
}
# "fired" is both an attack and a dismissal; as an attack verb it is far more frequent in news.
TRIGGERS["Personnel:End-Position"].remove("fired")

AGENT_ROLES = ("Attacker", "Agent", "Communicator", "Entity")
PATIENT_ROLES = ("Target", "Victim", "Recipient", "Person", "Artifact", "Position")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _compile() -> list[tuple[re.Pattern[str], str, str, int]]:
    """(pattern, type, kind, group) rules; the group's span is the mention."""
    cap = r"[A-Z][\w'\u2019-]*"
    rules: list[tuple[str, str, str, int]] = [
        (rf"\b(?:{_alternation(TITLES)})(?:\s+{cap}){{1,3}}\b", "PER", "NAM", 0),
        (rf"\b(?:{_alternation(TITLES)})(?=\s+{cap})", "TTL", "NOM", 0),
        (rf"\b(?:the\s+)?(?:{_alternation(COUNTRIES + CITIES)})(?!\w)", "GPE", "NAM", 0),
        (rf"\b(?:{_alternation(NATIONALITIES)})\b", "GPE", "NAM", 0),
        (rf"\b(?:the\s+)?(?:{_alternation(ORG_NAMES)})\b", "ORG", "NAM", 0),
        (rf"\b(?:{cap}\s+){{0,3}}(?:{_alternation(ORG_HEADS)})(?:\s+of(?:\s+{cap}){{1,3}})?\b", "ORG", "NAM", 0),
        (rf"\b(?:{_alternation(TITLE_NOUNS)})\b", "TTL", "NOM", 0),
        (rf"\b(?:{DETERMINERS}\s+)?(?:{cap}\s+)?(?i:{_alternation(PER_NOUNS)})\b", "PER", "NOM", 0),
        (rf"\b(?:{DETERMINERS}\s+)?(?:[A-Z][\w-]*\s+)?(?:militia|militias)\b", "ORG", "NOM", 0),
        (rf"\b(?:the|a|an|this|that)\s+(?:{_alternation(ORG_NOUNS)})\b", "ORG", "NOM", 0),
        (rf"\b(?:the|this|that)\s+(?:\w+\s+)?(?:{_alternation(GPE_NOUNS)})\b", "GPE", "NOM", 0),
        (rf"\b(?:{DETERMINERS}\s+)?(?:{cap}\s+)?(?i:{_alternation(FAC_NOUNS)})\b", "FAC", "NOM", 0),
        (rf"\b(?:{DETERMINERS}\s+)?(?:{cap}\s+)?(?i:{_alternation(WEA_NOUNS)})\b", "WEA", "NOM", 0),
        (rf"\b(?:{DETERMINERS}\s+)?(?:{cap}\s+)?(?i:{_alternation(VEH_NOUNS)})\b", "VEH", "NOM", 0),
        (rf"\bthe\s+(?:{_alternation(LOC_NOUNS)})\b", "LOC", "NOM", 0),
        (r"\b(?:he|He|him|his|His|she|She|her|Her|himself|herself)\b", "PER", "PRO", 0),
        (rf"\b(?:{_alternation(MONTHS)})\s+\d{{1,2}}(?:,\s+\d{{4}})?\b", "TIME", "NOM", 0),
        (rf"\b(?:(?:early|mid|late)\s+)?(?:{_alternation(MONTHS)})(?:\s+\d{{4}})?\b", "TIME", "NOM", 0),
        (rf"\b(?:{_alternation(WEEKDAYS)})(?:\s+(?:morning|afternoon|evening|night))?\b", "TIME", "NOM", 0),
        (
            r"\b(?:today|yesterday|tomorrow|tonight|(?:earlier|later)\s+(?:this|last)\s+(?:week|month|year)|(?:last|next|this)\s+(?:week|month|year|weekend))\b",
            "TIME",
            "NOM",
            0,
        ),
        (r"\b(?:in\s+)?((?:19|20)\d\d)\b", "TIME", "NOM", 1),
    ]
    return [(re.compile(p), t, k, g) for p, t, k, g in rules]


_RULES = _compile()
_TRIGGER = re.compile(r"\b(" + _alternation(w for ws in TRIGGERS.values() for w in ws) + r")\b", re.IGNORECASE)
_TRIGGER_TYPE = {w.lower(): t for t, ws in TRIGGERS.items() for w in ws}


def find_entities(text: str) -> list[tuple[int, int, str, str]]:
    """Entity candidates (start, end, type, kind) after overlap resolution (see module doc)."""
    cands = []
    for prio, (pattern, etype, kind, group) in enumerate(_RULES):
        for m in pattern.finditer(text):
            s, e = m.span(group)
            if s < e:
                cands.append((s, e, etype, kind, prio))
    kept: list[tuple[int, int, str, str, int]] = []
    # Longer first, then rule order: outer mentions are decided before what nests in them.
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[4], c[0])):
        s, e = c[0], c[1]
        clash = any(
            (s == k[0] and e == k[1])
            or (s < k[1] and k[0] < e and not (k[0] <= s and e <= k[1]) and not (s <= k[0] and k[1] <= e))
            for k in kept
        )
        # A time expression inside a longer one ("December" in "December 29, 2019") is one mention.
        in_time = any(k[2] == "TIME" and c[2] == "TIME" and k[0] <= s and e <= k[1] for k in kept)
        if not clash and not in_time:
            kept.append(c)
    return sorted((s, e, t, k) for s, e, t, k, _ in kept)


def find_triggers(text: str, entity_spans: set[tuple[int, int]]) -> list[tuple[int, int, str]]:
    out = []
    for m in _TRIGGER.finditer(text):
        s, e = m.span(1)
        if (s, e) not in entity_spans:
            out.append((s, e, _TRIGGER_TYPE[m.group(1).lower()]))
    return out


def _arguments(
    text: str, trigger: tuple[int, int, str], mentions: Sequence[EntityMention], onto: Ontology
) -> tuple[Argument, ...]:
    ts, te, etype = trigger
    sent = next(((s, e) for s, e in sentences(text) if s <= ts < e), (0, len(text)))
    inside = [m for m in mentions if sent[0] <= m.start and m.end <= sent[1] and not (m.start < te and ts < m.end)]
    roles = onto.event_types[etype].roles
    used: set[str] = set()
    out: list[Argument] = []

    def take(role: str, pool: Sequence[EntityMention]) -> None:
        for m in pool:
            if m.type in roles[role] and m.id not in used:
                used.add(m.id)
                out.append(Argument(role, m.id))
                return

    before = sorted((m for m in inside if m.end <= ts), key=lambda m: (-m.end, m.start))
    after = sorted((m for m in inside if m.start >= te), key=lambda m: (m.start, -m.end))
    # In the passive ("were killed") the mention before the trigger is the patient.
    passive = re.search(r"\b(?:was|were|been|being|is|are)\s+$", text[max(0, ts - 8) : ts]) is not None
    # Active voice: agent before the trigger, patient after it. Passive: the patient before it.
    first, second = (PATIENT_ROLES, None) if passive else (AGENT_ROLES, PATIENT_ROLES)
    role = next((r for r in first if r in roles), None)
    if role is not None:
        take(role, before)
    if second is not None:
        role = next((r for r in second if r in roles), None)
        if role is not None:
            take(role, after)
    if "Place" in roles:
        take(
            "Place", [m for m in after if re.search(r"\b(?:in|at|near)\s+$", text[max(sent[0], m.start - 6) : m.start])]
        )
    if "Time" in roles:
        take(
            "Time",
            sorted((m for m in inside if m.type == "TIME"), key=lambda m: min(abs(m.start - te), abs(ts - m.end))),
        )
    return tuple(out)


def predict(doc: Document, *, ontology: Ontology | None = None) -> Document:
    """``doc`` with its annotations replaced by the baseline's."""
    onto = ontology or load_ontology()
    text = doc.text
    mentions: list[EntityMention] = []
    clusters: dict[str, str] = {}
    for n, (s, e, etype, kind) in enumerate(find_entities(text), 1):
        key = f"{etype}:{text[s:e].lower()}" if kind == "NAM" else f"#{n}"
        cluster = clusters.setdefault(key, f"E{len(clusters) + 1}")
        mentions.append(EntityMention(f"T{n}", s, e, text[s:e], etype, kind, cluster))
    spans = {(m.start, m.end) for m in mentions}
    events = []
    for n, trig in enumerate(find_triggers(text, spans), 1):
        s, e, etype = trig
        events.append(
            EventMention(
                f"V{n}", etype, Span(s, e, text[s:e]), "actual", f"X{n}", _arguments(text, trig, mentions, onto)
            )
        )
    return replace(
        doc,
        entity_mentions=tuple(mentions),
        event_mentions=tuple(events),
        provenance=Provenance(status="predicted", tool="newsevents baseline", system=SYSTEM),
    )
