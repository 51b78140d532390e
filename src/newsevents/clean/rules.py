"""Publisher-independent rules: line patterns (captions, credits, promos, consent text, navigation)
and the features the block classifier uses.

Each pattern rule has a stable id (``generic.<name>``) and a reason from :data:`REASONS`; the id is
recorded with every line it drops. Patterns only fire on short blocks (``max_words``), so a body
paragraph that happens to mention cookies or a newsletter is never dropped by a pattern.
"""

# The patterns match typographic quotes, dashes and bullets on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsevents.clean.literals import fold_for_literals, may_match, prefilter

# The reasons a line can be dropped for; docs/cleaning.md explains each.
REASONS = (
    "navigation",
    "image caption",
    "image credit",
    "media teaser",
    "promo",
    "credit line",
    "byline",
    "metadata",
    "cookie notice",
    "social",
    "advertisement",
    "related links",
    "comments",
    "footer",
    "form",
    "markup",
    "repeated",
    "short line",
    "outside main text",
    "override",
)


@dataclass(frozen=True, slots=True)
class PatternRule:
    """Drop a block whose whole text matches ``pattern`` and has at most ``max_words`` words.

    ``barrier`` marks rules whose match is a section boundary (the article has ended, e.g. a
    "Related stories" heading): the main-text region does not extend across it.
    """

    id: str
    reason: str
    pattern: re.Pattern[str]
    max_words: int = 40
    barrier: bool = False
    requires: re.Pattern[str] | None = None  # a second pattern the text must also contain
    # Literals of which every match of ``pattern`` holds one (newsevents.clean.literals.prefilter):
    # a text holding none is not searched.
    literals: tuple[bytes, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "literals", prefilter(self.pattern.pattern, self.pattern.flags))

    def matches(self, text: str, words: int, folded: bytes | None = None) -> bool:
        """Whether the rule drops ``text`` of ``words`` words. ``folded`` is
        :func:`~newsevents.clean.literals.fold_for_literals` of ``text``, when the caller tries
        several rules on one text."""
        if words > self.max_words:
            return False
        if self.literals:
            folded = fold_for_literals(text) if folded is None else folded
            if not may_match(self.literals, folded):
                return False
        if self.pattern.search(text) is None:
            return False
        return self.requires is None or self.requires.search(text) is not None


def first_match(rules: tuple[PatternRule, ...], text: str, words: int) -> PatternRule | None:
    """The first of ``rules`` that drops ``text`` of ``words`` words (the text folded once for all
    their literal prefilters), or ``None``."""
    folded = fold_for_literals(text)
    return next((r for r in rules if r.matches(text, words, folded)), None)


def _rule(
    rule_id: str, reason: str, pattern: str, max_words: int = 40, *, barrier: bool = False, requires: str | None = None
) -> PatternRule:
    req = re.compile(requires, re.IGNORECASE) if requires else None
    return PatternRule(rule_id, reason, re.compile(pattern, re.IGNORECASE), max_words, barrier, req)


# Promotional and consent text speaks to the reader; a news paragraph reporting on cookies or
# subscriptions does not, so the soft patterns need one of these too.
_ADDRESSES_READER = (
    r"\b(?:you|your|you're|we|we're|our|us|i agree|me)\b|^(?:sign|subscribe|get|join|click|tap|download|read|learn|register|log|"
    r"follow|accept|manage|support|donate|try|start|enter|receive)\b|\bhere\b"
)


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
_TIME = r"(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?|\d{1,2}\s*[ap]\.?m\.?(?:\s*[A-Z]{2,4})?)"
DATE = (
    rf"(?:{_DAY}\s*)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})"
)
_DATELINE_WORDS = (
    r"(?:published|updated|posted|last updated|first published|modified|created|date|on|am|at|le|\||,|-|–|—|:|/|\s)*"
)
_SOCIAL = (
    r"facebook|twitter|tweet|x|linkedin|whatsapp|pinterest|reddit|email|e-mail|mail|print|share|copy link|"
    r"copy|link|messenger|telegram|flipboard|comments?|save|instagram|youtube|tumblr|sms|more|"
    r"share this( article| story| page)?|share on \w+|google\+?|pocket|\d+"
)

GENERIC_RULES: tuple[PatternRule, ...] = (
    _rule(
        "generic.skip-link",
        "navigation",
        r"^(?:skip|jump|go) to (?:the )?(?:main |page )?(?:content|navigation|menu|main|search|footer|article|more .*)$",
        8,
    ),
    _rule(
        "generic.nav-words",
        "navigation",
        r"^(?:home|menu|search|log ?in|log ?out|sign ?in|sign ?out|sign ?up|register|subscribe|my account|account|close|open|toggle navigation|main menu|navigation|back to top|top|next|previous|prev|more|show more|load more|see more|view all|see all|all|sections?|topics|explore|watch|listen|play|video|videos|photos?|gallery|live|latest|newsletters?|podcasts?|opinion|weather|sports?|business|world|politics|local|national|entertainment|lifestyle|tech(?:nology)?|health|science|travel|food|culture|style|arts?|books|obituaries|classifieds|jobs|real estate|cars|autos|shop|store|contact(?: us)?|about(?: us)?|help|faq|terms(?: of (?:use|service))?|privacy(?: policy)?|site ?map|rss|advertise(?: with us)?|careers|edition|e-?edition|today's paper|print edition|español|english|settings|notifications|profile|dashboard|follow(?: us)?|share|print|email|comments?)[\s:|»›>]*$",
        4,
    ),
    _rule(
        "generic.dateline",
        "metadata",
        rf"^{_DATELINE_WORDS}{DATE}(?:\s*(?:at|,|\||-|–|—)?\s*{_TIME})?{_DATELINE_WORDS}(?:\b(?:by|von|par)\s+[\w .'’\-]{{2,40}})?$",
        16,
    ),
    _rule(
        "generic.published-line",
        "metadata",
        r"^(?:published|updated|posted|first published|last updated|last modified|modified)\s*(?:on|at)?\s*:?\s*.{0,40}\b\d{4}\b.{0,80}$",
        20,
    ),
    _rule(
        "generic.time-ago",
        "metadata",
        rf"^(?:published |updated |posted |edited )?(?:(?:\d+|an?|one) (?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|h|days?|weeks?|months?|years?)|\d+\s?[smhdw]) ago\b(?:\s*(?:at|on|,|\||-)\s*(?:{_TIME}|[\w' ]{{1,30}}))?$",
        10,
        barrier=True,
    ),
    _rule(
        "generic.comment-count",
        "comments",
        r"^(?:\d+|no|one) (?:responses?|comments?|replies|thoughts|reactions)(?: (?:to|on)\b.*)?$|(?:^|\W)\d+ comments?\b",
        30,
        barrier=True,
    ),
    _rule(
        "generic.reading-time",
        "metadata",
        r"^(?:\d+|one|two|three|four|five)[ -]min(?:ute)?s?\.?(?: read| reading(?: time)?| to read)?$",
        5,
    ),
    _rule(
        "generic.byline",
        "byline",
        r"^(?:by|von|par|por|written by|words by|reporting by|story by|posted by|author:?)\s+[\w.'’\-]+(?:\s+[\w.'’\-]+){0,4}(?:\s*(?:,|and|&|\||and|with)\s*[\w.'’\-]+(?:\s+[\w.'’\-]+){0,4})*(?:\s*(?:[,|•·]|\s[-–—])\s*.{0,60})?$",
        18,
    ),
    _rule(
        "generic.credit-line",
        "credit line",
        r"^\(?(?:(?:additional |with )?reporting|writing|editing|edited|compiled|produced|research|translated) by\b.{0,200}$",
        45,
    ),
    _rule(
        "generic.author-bio",
        "byline",
        r"^[A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){1,2}(?: \([^)]{1,60}\))? (?:is|was|has been) (?:a|an|the) (?:[\w\-]+ ){0,5}(?:reporter|writer|correspondent|editor|columnist|contributor|journalist|author|producer)\b"
        r"|\b(?:may|can) be reached at\b|^have a (?:news )?tip\?",
        80,
    ),
    _rule(
        "generic.image-credit",
        "image credit",
        r"^(?:image copyright|image|images|photo|photos|photograph|picture|pictures|foto|bild|illustration|graphic|video|source|credit|credits|photo credit|image credit|image source)\s*(?:credit)?\s*(?:[:|/©]|(?<=copyright)\s)\s*\S.*$|^©\s*\S+(?:\s\S+){0,2}$",
        40,
    ),
    _rule(
        "generic.image-credit-tail",
        "image credit",
        r"(?:\(|\[|^|\s)(?:photo|image|picture|credit|photograph|illustration|video)s?\s*(?:credit)?\s*(?::|by|\.\.\.|…)\s*[^.!?]{0,80}[)\]]?$|credit\s*(?:\.\.\.|…)\s*\S.*$|(?<=[a-z0-9.)])(?:credit|photo|image|picture)s?:\s*\S[^.!?]{0,80}$|\b(?:getty images|shutterstock|istock(?:photo)?|ap photo|afp|reuters|epa|picture[- ]alliance|dpa)(?:/[\w .'’\-]+)*[)\]]?$",
        40,
    ),
    _rule(
        "generic.photo-by",
        "image credit",
        r"^(?:photo illustration|photo|photograph|illustration|image|video|graphic)s? (?:by|courtesy of|via)\b.{0,120}$|^file\s*[-–—:]\s*(?:in this|this)\b.*$"
        r"|^in (?:this|an?) (?:[\w.,'’ ]{0,60} )?(?:file )?(?:photo|photograph|image|picture)\b.*$|^\d{1,3}\s?of\s?\d{1,3}(?=[A-Z“\"'])\S.*$|^(?:caption|image caption|photo caption|expand caption|hide caption|toggle caption)$|^[\w .'’\-]{3,50}(?:,|/|\s[-–—])\s*(?:the )?(?:associated press|ap|reuters|afp|getty images|epa|bloomberg|shutterstock)$",
        60,
    ),
    _rule(
        # Wire captions run long and several may be joined into one block; their credit in
        # parentheses, "(AP Photo/Name)", "(Agency via AP)", tells them from body text.
        "generic.photo-caption",
        "image caption",
        r"^in (?:this|an?) (?:[\w.,'’ ]{0,60} )?(?:file |handout )?(?:photo|photograph|image|picture)\b",
        250,
        requires=r"\((?:[^()]{0,60}\b(?:photo|via)\b[^()]{0,60}|[^()]{0,40}/[^()]{0,40})\)\s*$",
    ),
    _rule(
        "generic.image-placeholder",
        "image caption",
        r"^(?:\[?(?:image|img|photo|picture|graphic|icon|logo|inline image|embedded image)\d*\]?|(?:\[[^\]\s]{1,400}\]\s*)+)$",
        6,
    ),
    _rule("generic.image-file", "image caption", r"^\S+\.(?:jpe?g|png|gif|webp|svg|tiff?)(?:\s.{0,60})?$", 12),
    _rule(
        "generic.image-enlarge",
        "image caption",
        r"^(?:enlarge this image|click to enlarge|view (?:larger|full) image|open image in gallery|expand|zoom|\d+\s*/\s*\d+|\d+ of \d+|image \d+ of \d+|photos?:? \d+|slide \d+.*|gallery:? .*)$",
        8,
    ),
    _rule(
        "generic.cookie",
        "cookie notice",
        r"\b(?:cookies?|consent|gdpr|tracking technologies|personal data|privacy (?:policy|settings|preferences|notice)|ad choices|adchoices|do not sell)\b",
        40,
        requires=_ADDRESSES_READER,
    ),
    _rule(
        "generic.cookie-notice",
        "cookie notice",
        # Longer consent texts are caught by their stock phrases only, never by a mere mention.
        r"\b(?:we|this (?:web)?site|our (?:web)?site|our partners) (?:and our partners )?(?:uses?|stores?|sets?) cookies\b"
        r"|\baccept (?:all )?cookies\b|\b(?:by )?(?:continuing to (?:browse|use)|using) (?:this|our) (?:web)?site,? you (?:agree|accept|consent)"
        r"|\bcookies (?:that )?(?:are|is) (?:strictly |absolutely )?(?:necessary|essential) for the (?:web)?site\b",
        150,
    ),
    _rule(
        "generic.newsletter",
        "promo",
        r"\b(?:newsletters?|news alerts?|email alerts?|sign up|signup|subscribe|subscription|subscriber|unlimited (?:digital )?access|free trial|already a subscriber|get the app|download (?:the|our) app|inbox|log in to|create (?:a free|an) account|register (?:now|for free|here)|become a member|support (?:our|independent) journalism|donate|unsubscribe|no spam|join our|(?:we|we'll) send you)\b",
        45,
        requires=_ADDRESSES_READER,
    ),
    _rule(
        "generic.cookie-heading",
        "cookie notice",
        r"^(?:privacy overview|cookie (?:settings|preferences|policy|consent)|privacy (?:&|and) cookies?(?: policy)?|manage (?:cookies|consent|preferences)|(?:strictly )?necessary cookies|non-necessary)$",
        5,
    ),
    _rule(
        "generic.follow",
        "social",
        r"^(?:follow|like|join) (?:us|me|him|her|them|\w+) on\b.*$|^(?:follow|find) (?:us|@\w+)\b.*$|^follow\b.{0,80}\bon (?:facebook|twitter|instagram|linkedin|youtube|tiktok)\b.*$",
        25,
    ),
    _rule("generic.social", "social", rf"^(?:(?:{_SOCIAL})[\s|,/·•:]*)+$", 14),
    _rule(
        "generic.advertisement",
        "advertisement",
        r"^(?:advertisement|advertising|advert|sponsored(?: content| by.*)?|ad|ads|promoted(?: by.*)?|paid (?:post|content|partner)|partner content|story continues below(?: advertisement)?|article continues below.*|continue reading(?: the main story| below| below the ad)?|scroll (?:down )?to continue.*|this content is not available.*|remove ads?)$",
        10,
    ),
    _rule(
        "generic.read-more",
        "related links",
        r"^\[?(?:read more|read more\s*:.*|more\s*:.*|related\s*:.*|related (?:posts?|articles?|stories|story|reading)\s*:.*|see also\s*:.*|also read\s*:.*|read also\s*:.*|recommended\s*:.*|watch\s*:.*|listen\s*:.*|click here.*|click to .*|tap to .*|more on this.*|more from .*|you might also like.*|you may also like.*|further reading.*|back to (?:gallery|top|article|home|homepage|story|news)\b.*|also on \S+\.\w+\b.*)$",
        25,
    ),
    _rule(
        "generic.end-section",
        "related links",
        r"^(?:related(?: articles| stories| content| coverage| news| posts| links| topics| video)?|more (?:[\w&]+ ){0,2}(?:stories|news|articles|headlines|videos)|more (?:on this story|in \w+|from \w+.*)|next up(?: in .*)?|recommended(?: for you| stories| articles| reading)?|most (?:popular|read|viewed|shared|commented|emailed)(?: \w+)?|trending(?: now| stories)?|top stories|latest (?:news|stories|headlines|articles|videos)|editor'?s? picks?|what to read next|read next|up next|don't miss|around the web|from the web|you (?:might|may) (?:also )?(?:like|be interested in)|popular (?:now|stories|articles)|in other news|elsewhere on \w+|across the network|more to explore|tags?|topics?|filed under|comments?|\d+ comments?|join the (?:conversation|discussion)|leave a (?:comment|reply)|post a comment|add a comment|conversation|discussion|share your thoughts|have your say|sponsored stories|promoted stories|paid content|partner stories|newsletter sign[- ]up)[\s:.!]*$",
        6,
        barrier=True,
    ),
    _rule(
        "generic.copyright",
        "footer",
        r"^(?:[\w.,'’ ]{0,40}(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}|[A-Z][\w&.\- ]{1,40}\s+\d{4}))|^.{0,80}\ball rights reserved\b"
        r"|^(?:copyright\s*©?|©)\s*[A-Z][\w&.,'’\- ]{15,}",
        30,
        barrier=True,
    ),
    _rule(
        "generic.copyright-tail",
        "image credit",
        r"(?:©|\(c\)|copyright)\s*(?:©\s*)?\d{4}\b.{0,120}$|\ball rights reserved\.?$|(?<=[.!?”\"’)]\s)©\s*[A-Z][^©.!?]{1,60}$",
        90,
    ),
    _rule(
        "generic.legal-links",
        "footer",
        r"\b(?:terms (?:of|and) (?:use|service|conditions)|privacy policy|cookie policy|contact us|about us|site ?map)\b",
        12,
    ),
    _rule(
        "generic.comment-header",
        "comments",
        rf"^.{{1,60}}\s(?:on\s+)?{DATE}.{{0,30}}\b(?:said|says|wrote|writes|replied)\s*:?$",
        25,
        barrier=True,
    ),
    _rule(
        "generic.share",
        "social",
        r"^(?:share|tweet|pin|email|post) (?:this|on|via|to|it|your thoughts)\b.{0,50}$|\bshare (?:it|this(?: \w+)?) with (?:a |your )?friends?\b|^(?:get|copy) (?:short )?(?:url|link)$",
        12,
    ),
    _rule("generic.embed", "markup", r"^(?:iframe|embed|object|video|audio|script)\s*:\s*\S+", 30),
    _rule(
        "generic.html-residue",
        "markup",
        r"&lt;/?[a-z]+[\s&]|<(?:span|div|script|style|iframe|img|a|p)\b[^>]*>|\b(?:function\s*\(|var \w+ =|document\.write|window\.\w+)",
        400,
    ),
    _rule(
        "generic.commenter",
        "comments",
        r"^@?[\w.\-]+(?: [\w.\-]+){0,3}(?: \([^)]{1,40}\))? (?:says|said|wrote|writes|replied|commented)\s*:$",
        6,
        barrier=True,
    ),
    _rule(
        "generic.shop-link",
        "promo",
        r"^(?:see it|buy it|get it|shop (?:it )?now|buy now|check price|view deal|see (?:the )?deal)(?: now| here)?(?:\s*(?:at|on|from|:)\s*.{1,40})?$",
        10,
    ),
    _rule(
        "generic.embed-signature",
        "media teaser",
        rf"^[—–-]\s*.{{1,80}}\(@\w+\)\s*{DATE}$|^(?:twitter|instagram|facebook|youtube) post by @?\w+",
        60,
    ),
    _rule(
        "generic.affiliate",
        "promo",
        r"\bif you (?:buy|purchase) (?:something|anything|a product)\b|\baffiliate (?:links?|commissions?|partnerships?)\b"
        r"|\bmay (?:earn|get|receive) (?:a )?(?:small )?(?:commission|share of the sale)",
        45,
    ),
    _rule(
        "generic.needs-script",
        "markup",
        r"\b(?:requires|enable|please enable|turn on) javascript\b|\bjavascript (?:is )?(?:disabled|required|must be enabled)\b"
        r"|\byour browser does not support\b",
        25,
    ),
    _rule("generic.counter-list", "related links", r"^[^.!?]{8,200}\(\d{1,6}\)$", 30),
    _rule(
        "generic.comments",
        "comments",
        r"^(?:\d+\s+)?(?:comments?|replies|reply|report|report abuse|flag|upvote|downvote|like|dislike|\d+ likes?|\d+ (?:replies|reactions))$",
        4,
    ),
    _rule(
        "generic.markup-residue",
        "markup",
        r"^(?:[|·•*\-–—_=+<>»«›‹/\\\[\](){}#:;.,]\s*)+$|^\((?:button|submit|radio|checkbox|image|link)\).*$",
        20,
    ),
)
