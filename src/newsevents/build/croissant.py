"""``croissant.json``: Croissant 1.1 metadata of a release (validated with ``mlcroissant`` in tests).

Each config is a record set over the FileSet of its parquet files; fields cover the top-level
scalar and list-of-scalar columns. The nested mention structures are described by the card's
``dataset_info`` features, which ``datasets`` reads; Croissant readers get the flat columns.
"""

from __future__ import annotations

from typing import Any

from newsevents.build.meta import DatasetMeta, redistributable

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"

CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "equivalentProperty": "cr:equivalentProperty",
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

# config -> (column, Croissant data type, is an array)
FIELDS: dict[str, list[tuple[str, str, bool]]] = {
    "documents": [
        ("id", "sc:Text", False),
        ("title", "sc:Text", False),
        ("language", "sc:Text", False),
        ("published", "sc:Text", False),
        ("split", "sc:Integer", False),
        ("text", "sc:Text", False),
        ("text_sha256", "sc:Text", False),
    ],
    "sentences": [
        ("doc_id", "sc:Text", False),
        ("sent_id", "sc:Text", False),
        ("sentence", "sc:Text", False),
        ("tokens", "sc:Text", True),
    ],
    "ner": [
        ("doc_id", "sc:Text", False),
        ("sent_id", "sc:Text", False),
        ("tokens", "sc:Text", True),
        ("ner_tags", "sc:Integer", True),
    ],
}


def source_licenses(facts: list[dict[str, Any]]) -> str:
    """One sentence per (publisher, licence): count, licence URL, the credit CC BY asks for."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for d in facts:
        groups.setdefault((d["publisher"], d["license"]), []).append(d)
    parts = []
    for (publisher, lic), docs in sorted(groups.items()):
        url = docs[0].get("license_url")
        if redistributable(lic):
            credit = docs[0].get("attribution") or publisher
            parts.append(
                f"{publisher}: {len(docs)} document(s), text under {lic}"
                + (f" ({url})" if url else "")
                + f", attribution: {credit} and each article's URL (source.url)"
            )
        else:
            parts.append(f"{publisher}: {len(docs)} document(s), text not redistributable ({lic}): stand-off")
    return "; ".join(parts)


def build_croissant(
    meta: DatasetMeta, variant: str, file_sha256: dict[str, str], facts: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The JSON-LD document; ``file_sha256`` maps each parquet file's relative path to its sha256."""
    distribution: list[dict[str, Any]] = []
    record_sets: list[dict[str, Any]] = []
    for config, fields in FIELDS.items():
        paths = sorted(p for p in file_sha256 if p.startswith(f"data/{config}/"))
        if not paths:
            continue  # config not in this release (no rows)
        file_ids = []
        for path in paths:
            distribution.append(
                {
                    "@type": "cr:FileObject",
                    "@id": path,
                    "name": path,
                    "contentUrl": path,
                    "encodingFormat": "application/x-parquet",
                    "sha256": file_sha256[path],
                }
            )
            file_ids.append(path)
        set_id = f"{config}-files"
        distribution.append(
            {
                "@type": "cr:FileSet",
                "@id": set_id,
                "name": set_id,
                "encodingFormat": "application/x-parquet",
                "includes": f"data/{config}/*.parquet",
            }
        )
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": config,
                "name": config,
                "description": f"The {config} config (one row per {'document' if config == 'documents' else 'sentence'}).",
                "field": [
                    {
                        "@type": "cr:Field",
                        "@id": f"{config}/{col}",
                        "name": col,
                        "dataType": dtype,
                        **({"isArray": True, "arrayShape": "-1"} if is_array else {}),
                        "source": {"fileSet": {"@id": set_id}, "extract": {"column": col}},
                    }
                    for col, dtype, is_array in fields
                ],
            }
        )
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": meta.name,
        "description": meta.description + f" Release variant: {variant}.",
        "version": meta.version,
        "license": f"Annotations: {meta.annotation_license}. Texts: "
        + (source_licenses(facts) if facts else "their publishers' (see source.license)")
        + ".",
        "citeAs": f"{meta.pretty_name}, version {meta.version}.",
        "distribution": distribution,
        "recordSet": record_sets,
    }
    if meta.repo_id:  # no invented URL before the Hub repository is chosen
        doc["url"] = f"https://huggingface.co/datasets/{meta.repo_id}"
    return doc
