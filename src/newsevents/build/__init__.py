"""Build and publish the Hugging Face dataset: derivations, features, card, Croissant, releases.

Modules: :mod:`meta` (``dataset.toml``), :mod:`collect` (clean, gold overlay, validate),
:mod:`views` (config rows), :mod:`features`, :mod:`stats`, :mod:`card`, :mod:`croissant`,
:mod:`release` (render and install a release folder), :mod:`project` (the ``build`` command as a
function), :mod:`diff`, :mod:`standoff` (stand-off variant and rehydration), :mod:`publish`.
"""
