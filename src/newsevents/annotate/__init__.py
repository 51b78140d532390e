"""The annotate stage: a local Label Studio session end to end.

* :mod:`~newsevents.annotate.config` — the labeling config generated from the ontology;
* :mod:`~newsevents.annotate.server` — start/stop a loopback, offline Label Studio server;
* :mod:`~newsevents.annotate.client` — the SDK calls, errors turned into one-line messages;
* :mod:`~newsevents.annotate.convert` — export <-> canonical records, pure functions;
* :mod:`~newsevents.annotate.workflow` — push and pull with the file I/O.

Only :mod:`config` and :mod:`convert` are imported here; the others need the SDK or the server.
"""

from newsevents.annotate.config import label_config
from newsevents.annotate.convert import canonical, export_to_records, record_to_prediction

__all__ = ["canonical", "export_to_records", "label_config", "record_to_prediction"]
