"""A viewer for annotated documents and for the differences of two annotations: static HTML.

``newsevents show`` writes one self-contained page per document (:mod:`newsevents.show.page`)
and an index; ``newsevents show --compare A B`` writes one side-by-side page per document with
every difference classed as ``evaluate`` classes its errors (:mod:`newsevents.show.diffs`,
:mod:`newsevents.show.compare`). Reading and writing files is in :mod:`newsevents.show.site`.
See ``docs/show.md``.
"""
