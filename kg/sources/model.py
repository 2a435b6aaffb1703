"""A source file read into its parts: the source document, its text, and its items (the
entities and claims it declares), each with its IRI, names and position in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.namespaces import RESOURCE_IRI
from kg.sources.errors import SourceError
from kg.sources.values import as_list, located_error, scalar_text
from kg.sources.yamlio import YList, YMap, YScalar, load_yaml

__all__ = ["Item", "SourceFile", "read_source_file"]

KGR = RESOURCE_IRI
TOP_KEYS = ("source", "sources", "entities", "claims")
ITEM_SPECIAL = {"id", "type", "types", "reviewed", "review", "source", "quote", "quotes"}
ITEM_SPECIAL |= {"wikidata", "same_as"}
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_LANGUAGE = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")  # as kg.sources.triples.literal


@dataclass
class Item:
    """One node the file declares: where, its IRI, its fields, whether it is reviewed."""

    section: str
    node: YMap
    iri: str
    classes: list[str]
    names: list[str]
    reviewed: bool
    parent: Item | None = None


@dataclass
class SourceFile:
    """A parsed source file: ``source`` metadata, its ``text``, and its items."""

    path: Path
    doc: YMap
    source_id: str
    iri: str
    meta: YMap
    text: str | None
    language: str
    items: list[Item] = field(default_factory=list)
    background: list[Item] = field(default_factory=list)


def read_source_file(path: str | Path) -> SourceFile:
    """Read a source file's structure (not yet its meaning: see :mod:`kg.sources.build`).

    Parameters
    ----------
    path:
        The YAML or JSON file.

    Returns
    -------
    SourceFile

    Raises
    ------
    SourceError
        YAML syntax, a missing ``source`` section, an unknown top-level key, a missing
        text file.

    Example
    -------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "s.yaml")
    >>> _ = open(p, "w").write("source:\\n  id: s1\\n  text: Hi.\\n  text_file: x.txt\\n")
    >>> read_source_file(p)
    Traceback (most recent call last):
    ...
    kg.sources.errors.SourceError: /.../s.yaml:3:9: give the text inline (text) or in a file ...
    """
    shown = str(path)
    doc = load_yaml(path)
    if not isinstance(doc, YMap):
        raise located_error("a source file is a mapping with a 'source' section", doc, shown)
    for key in doc.items:
        if key not in TOP_KEYS:
            line, column = doc.key_pos[key]
            from kg.sources.values import suggest

            raise SourceError(
                f"unknown section {key!r}{suggest(key, list(TOP_KEYS))}"
                f" (sections: {', '.join(TOP_KEYS)})",
                path=shown,
                line=line,
                column=column,
            )
    meta = doc.get("source")
    if not isinstance(meta, YMap):
        raise located_error("the file needs a 'source' section (a mapping)", meta or doc, shown)
    source_id = _source_id(meta, Path(path), shown)
    language = (
        scalar_text(meta.get("language"), "a language", shown) if "language" in meta.items else "en"
    )
    if not _LANGUAGE.fullmatch(language):
        where = meta.get("language")
        raise located_error(f"{language!r} is not a language tag (en, fr, pt-BR ...)", where, shown)
    text = _text(meta, Path(path), shown)
    return SourceFile(Path(path), doc, source_id, KGR + source_id, meta, text, language)


def _source_id(meta: YMap, path: Path, shown: str) -> str:
    given = meta.get("id")
    source_id = scalar_text(given, "an id", shown) if given is not None else path.stem
    if source_id.startswith("kgr:"):
        source_id = source_id[4:]
    if not _LOCAL.match(source_id):
        raise located_error(
            f"id {source_id!r} must be letters, digits, '_', '-' or '.' (give one with id:)",
            given or meta,
            shown,
        )
    return source_id


def _text(meta: YMap, path: Path, shown: str) -> str | None:
    inline, file = meta.get("text"), meta.get("text_file")
    if inline is not None and file is not None:
        raise located_error(
            "give the text inline (text) or in a file (text_file), not both", inline, shown
        )
    if inline is not None:
        return scalar_text(inline, "the text", shown)
    if file is None:
        return None
    name = scalar_text(file, "a file name", shown)
    target = (path.parent / name).resolve()
    try:
        return target.read_text(encoding="utf-8")
    except FileNotFoundError:
        message = f"text file {name} not found (looked in {target.parent})"
        raise located_error(message, file, shown) from None
    except (IsADirectoryError, UnicodeDecodeError) as exc:
        raise located_error(f"cannot read text file {name}: {exc}", file, shown) from None


def local_id(given: Any, shown: str) -> str:
    """The kgr IRI an ``id`` field means (``Valdoria``, ``kgr:Valdoria`` or a full IRI).

    Example
    -------
    >>> local_id(YScalar("kgr:Valdoria", "kgr:Valdoria", 1, 1), "s.yaml")
    'https://w3id.org/kg-ir/resource/Valdoria'
    """
    text = scalar_text(given, "an id", shown)
    if text.startswith("kgr:"):
        text = text[4:]
    elif text.startswith(KGR):
        text = text[len(KGR) :]
    if not _LOCAL.match(text):
        raise located_error(
            f"id {text!r} must be letters, digits, '_', '-' or '.', starting with a letter",
            given,
            shown,
        )
    return KGR + text


def id_from_label(label: str) -> str:
    """A readable local name from a label: ``"Maria Zakharova"`` -> ``MariaZakharova``.

    Example
    -------
    >>> id_from_label("Ministry of Water of Valdoria"), id_from_label("2031 accord")
    ('MinistryOfWaterOfValdoria', '_2031Accord')
    """
    words = re.findall(r"[A-Za-z0-9]+", label)
    name = "".join(w[:1].upper() + w[1:] for w in words)[:64]
    return ("_" + name) if name[:1].isdigit() else name


def item_list(doc: YMap, section: str, shown: str) -> list[YMap]:
    """The mappings of a list section (``entities``, ``claims``, ``sources``).

    Example
    -------
    >>> item_list(YMap({}, 1, 1), "claims", "s.yaml")
    []
    """
    value = doc.get(section)
    if value is None:
        return []
    if not isinstance(value, YList):
        raise located_error(f"{section} is a list (items start with '- ')", value, shown)
    out = []
    for node in as_list(value):
        if not isinstance(node, YMap):
            raise located_error(f"each of {section} is a mapping (field: value)", node, shown)
        out.append(node)
    return out


def is_scalar(value: Any) -> bool:
    """Whether ``value`` is a located scalar.

    Example
    -------
    >>> is_scalar(YScalar(1, "1", 1, 1)), is_scalar(None)
    (True, False)
    """
    return isinstance(value, YScalar)
