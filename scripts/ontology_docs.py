"""Write the browsable HTML reference of the ontology into docs/ontology/ (``make docs``).

- ``index.html``: the OWL ontology (ontology/kg.ttl), by pyLODE's OntPub profile: every class and
  property with its label, comment, domain, range, super-properties and alignments, and the
  header's rules.
- ``vocabularies.html``: the SKOS concept schemes (ontology/vocabularies.ttl), one table per
  scheme with each concept's notation, label, comment and CAMEO/PLOVER mappings. pyLODE 3.3's
  VocPub profile renders no concepts (only the metadata of a scheme), so this page is written here,
  every value escaped.

Nothing is fetched from the network. Files are written atomically.

Example:
    .venv/bin/python scripts/ontology_docs.py --out docs/ontology
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.files import write_text_atomically  # noqa: E402
from kg.project import open_project as project_paths  # noqa: E402

MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch")


def ontology_page(ontology: Path) -> str:
    """The pyLODE OntPub page of the ontology file."""
    from pylode import OntPub

    return OntPub(ontology=str(ontology)).make_html()


def _short(iri: str, prefixes: dict[str, str]) -> str:
    for ns, prefix in prefixes.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def vocabularies_page(vocabularies: Path) -> str:
    """One HTML page listing every concept scheme of ``vocabularies`` and its concepts."""
    from rdflib import RDF, RDFS, Graph, URIRef
    from rdflib.namespace import SKOS

    g = Graph().parse(vocabularies)
    prefixes = {str(ns): p for p, ns in g.namespaces() if p}
    esc = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>kg vocabularies</title><style>body{font-family:sans-serif;margin:2em}"
        "table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;"
        "padding:.3em .5em;vertical-align:top;text-align:left}code{font-size:.9em}</style>",
        "</head><body><h1>kg vocabularies</h1>",
        "<p>SKOS concept schemes of <code>ontology/vocabularies.ttl</code>, with their mappings "
        "to CAMEO and PLOVER. The ontology itself: <a href='index.html'>index.html</a>; the "
        "changes and rules: <code>ontology/CHANGELOG.md</code>.</p><ul>",
    ]
    schemes = sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=str)
    for s in schemes:
        sid, name = esc(_short(str(s), prefixes)), esc(str(g.value(s, RDFS.label)))
        parts.append(f"<li><a href='#{sid}'>{name}</a></li>")
    parts.append("</ul>")
    for s in schemes:
        sid = esc(_short(str(s), prefixes))
        parts.append(f"<h2 id='{sid}'>{esc(str(g.value(s, RDFS.label)))} <code>{sid}</code></h2>")
        if g.value(s, RDFS.comment):
            parts.append(f"<p>{esc(str(g.value(s, RDFS.comment)))}</p>")
        parts.append(
            "<table><tr><th>concept</th><th>label</th><th>comment</th><th>mappings</th></tr>"
        )
        for c in sorted(g.subjects(SKOS.inScheme, s), key=str):
            label = g.value(c, SKOS.prefLabel) or g.value(c, RDFS.label) or ""
            notation = g.value(c, SKOS.notation)
            maps = [
                f"{m} {_short(str(o), prefixes)}"
                for m in MATCHES
                for o in sorted(g.objects(c, URIRef(str(SKOS) + m)), key=str)
            ]
            name = _short(str(c), prefixes) + (f" ({notation})" if notation else "")
            parts.append(
                f"<tr><td><code>{esc(name)}</code></td><td>{esc(str(label))}</td>"
                f"<td>{esc(str(g.value(c, RDFS.comment) or ''))}</td>"
                f"<td>{'<br>'.join(esc(m) for m in maps)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


@click.command()
@click.option("--out", "out", default="docs/ontology", show_default=True, type=click.Path())
def main(out: str) -> None:
    """Write index.html (pyLODE) and vocabularies.html into OUT."""
    paths = project_paths()
    target = Path(out)
    index = write_text_atomically(target / "index.html", ontology_page(paths.ontology))
    voc = write_text_atomically(target / "vocabularies.html", vocabularies_page(paths.vocabularies))
    for path in (index, voc):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
