"""The layers of docs/architecture.md, checked against the code's imports.

Every module of kg/ belongs to one *unit* (a subpackage or a top-level module; the longest
entry of :data:`UNITS` that names it or a package holding it), and every unit to a layer.
A module may import from its own layer or the layers below it, never from a layer above,
and the units' import graph has no cycle. Imports under ``if TYPE_CHECKING:`` are not
run, so they do not count; imports inside functions (lazy ones) do.

The diagram in docs/architecture.md is printed by :func:`diagram` and the test checks that
the document holds it as printed, so the picture cannot drift from the code.
"""

from __future__ import annotations

import ast
import functools
import textwrap
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"

#: Layers, bottom first.
LAYERS = [
    "ontology and data",
    "backends",
    "query and views",
    "applications",
    "command line",
]

#: unit -> layer. A unit is a top-level module or a subpackage of kg (a few modules of a
#: subpackage are their own unit when they sit lower than the rest of it).
UNITS: dict[str, str] = {
    # ontology and data: names, files, parsing, project layout, checks on the data
    "kg.errors": "ontology and data",
    "kg.namespaces": "ontology and data",
    "kg.files": "ontology and data",
    "kg.parsing": "ontology and data",
    "kg.installed": "ontology and data",
    "kg.project": "ontology and data",
    "kg.inference": "ontology and data",
    "kg.validation": "ontology and data",
    "kg.data_checks": "ontology and data",
    "kg.counts": "ontology and data",
    "kg.parse_safety": "ontology and data",
    "kg.project_config": "ontology and data",
    "kg.results": "ontology and data",
    "kg.canonical": "ontology and data",
    "kg.query_params": "ontology and data",
    "kg.stats_cache": "ontology and data",
    "kg.digests": "ontology and data",
    "kg.iris": "ontology and data",
    "kg.cache.digests": "ontology and data",
    # backends: every way of storing and reading triples, bulk loading included
    "kg.backends": "backends",
    # query and views: the KnowledgeGraph, named queries, views and their conversions,
    # names to IRIs, cached answers
    "kg": "query and views",
    "kg.graph": "query and views",
    "kg.loading": "query and views",
    "kg.queries": "query and views",
    "kg.named_query": "query and views",
    "kg.results_stream": "query and views",
    "kg.results_format": "query and views",
    "kg.cache": "query and views",
    "kg.views": "query and views",
    "kg.resolve": "query and views",
    # applications on the graph
    "kg.relations": "applications",
    "kg.render": "applications",
    "kg.linking": "applications",
    "kg.importers": "applications",
    "kg.serve": "applications",
    "kg.sources": "applications",
    "kg.bench": "applications",
    # the command line
    "kg.cli": "command line",
    "kg.__main__": "command line",
}


def module_name(path: Path) -> str:
    """The dotted name of the module at ``path`` (a package's name for its ``__init__``).

    Parameters
    ----------
    path:
        A .py file under kg/.

    Returns
    -------
    str
    """
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def unit_of(module: str) -> str:
    """The unit of ``module``: the longest entry of :data:`UNITS` naming it or a parent.

    Parameters
    ----------
    module:
        A dotted module name under kg.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        No entry covers the module (add it to :data:`UNITS`).
    """
    parts = module.split(".")
    # "kg" is the package's own __init__ only; a module not listed has no layer yet.
    for end in range(len(parts), 1, -1):
        candidate = ".".join(parts[:end])
        if candidate in UNITS:
            return candidate
    if module == "kg":
        return "kg"
    raise KeyError(module)


def _runtime_imports(tree: ast.Module) -> set[str]:
    """The kg modules a module imports when it runs (``if TYPE_CHECKING:`` blocks skipped)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "kg")
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and node.module.split(".")[0] == "kg"
        ):
            # The version string is a constant of the package, not a dependency on it.
            if node.module == "kg" and {a.name for a in node.names} == {"__version__"}:
                return
            found.add(node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


@functools.cache
def import_graph() -> nx.DiGraph:
    """The units' import graph; each edge keeps the modules that make it.

    Returns
    -------
    networkx.DiGraph
        unit -> unit edges, with a ``modules`` attribute (the importing modules).
    """
    graph = nx.DiGraph()
    graph.add_nodes_from(UNITS)
    for path in sorted(KG.rglob("*.py")):
        source = module_name(path)
        here = unit_of(source)
        for target in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            there = unit_of(target)
            if there != here:
                graph.add_edge(here, there)
                graph.edges[here, there].setdefault("modules", set()).add(f"{source} -> {target}")
    return graph


def diagram() -> str:
    """The layers and the units in each, top first, as the text block of docs/architecture.md.

    Returns
    -------
    str
        One block per layer (its name, then its units wrapped), arrows between them: each
        layer uses only the ones below it.
    """
    present = {module_name(p) for p in KG.rglob("*.py")}
    blocks = []
    for layer in reversed(LAYERS):
        units = sorted(
            u.removeprefix("kg.") if u != "kg" else "kg (the package)"
            for u, lay in UNITS.items()
            if lay == layer and any(m == u or m.startswith(u + ".") for m in present)
        )
        body = textwrap.fill(
            ", ".join(units), width=76, initial_indent="    ", subsequent_indent="    "
        )
        blocks.append(f"{layer}\n{body}")
    return "\n        |\n        v\n".join(blocks)


def test_every_module_has_a_layer() -> None:
    missing = []
    for path in KG.rglob("*.py"):
        try:
            unit_of(module_name(path))
        except KeyError:
            missing.append(module_name(path))
    assert not missing, f"add these to UNITS (and docs/architecture.md): {sorted(missing)}"


def upward_imports(graph: nx.DiGraph) -> list[str]:
    """The edges of ``graph`` that go from a layer to one above it, as text."""
    return [
        f"{sorted(data['modules'])} ({UNITS[a]} imports {UNITS[b]})"
        for a, b, data in graph.edges(data=True)
        if LAYERS.index(UNITS[b]) > LAYERS.index(UNITS[a])
    ]


def cycles(graph: nx.DiGraph) -> list[str]:
    """The cycles of ``graph``, as text naming the imports that make each."""
    found = []
    for cycle in nx.simple_cycles(graph):
        steps = zip(cycle, cycle[1:] + cycle[:1], strict=True)
        made_by = [sorted(graph.edges[a, b]["modules"]) for a, b in steps]
        found.append(" -> ".join([*cycle, cycle[0]]) + f" {made_by}")
    return found


def test_no_import_against_the_layers() -> None:
    upward = upward_imports(import_graph())
    assert not upward, "imports against the layer order:\n" + "\n".join(upward)


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles between units:\n" + "\n".join(found)


def test_architecture_doc_shows_the_layers() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert diagram() in text, "docs/architecture.md's layer diagram is stale; print it with\n" + (
        "python -c 'import tests.test_architecture as t; print(t.diagram())'\n\n" + diagram()
    )


def test_the_checker_sees_a_violation() -> None:
    # The checks are worth something only if they can fail: a lazy import counts, a
    # TYPE_CHECKING one does not.
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from kg.cli import main\n"
        "def f():\n    from kg.serve.app import create_app\n"
    )
    assert _runtime_imports(tree) == {"kg.serve.app"}
    assert unit_of("kg.serve.app") == "kg.serve"
    assert unit_of("kg.cache.digests") == "kg.cache.digests"
    assert unit_of("kg.cache.graph") == "kg.cache"
