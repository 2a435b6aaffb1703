"""The article's graph and its views, built once per test session and shared by the view and
relation test modules (building a view on rdflib takes a second or two). Do not modify them."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "tests" / "fixtures" / "views" / "article.txt").read_text(encoding="utf-8")
KG = "https://w3id.org/kg-ir/ontology#"
KGR = "https://w3id.org/kg-ir/resource/"


@lru_cache(maxsize=1)
def article_graph():
    import kg

    return kg.load()


@cache
def article_view(name: str, as_of: str | None = None):
    from kg.views import VIEWS

    return VIEWS[name](article_graph(), as_of=as_of)
