"""Reconciliation batches as worker jobs: bounded like queries (timeout, memory, caps).

``/reconcile`` (see :mod:`kg.linking.reconcile_service`) hands the raw ``queries`` text to
the same worker pool as SPARQL queries, so a heavy batch is stopped at the timeout and
runs outside the web server's process. At most ``workers - 1`` batches run at once (see
:mod:`kg.serve.app`), so reconciliation never takes every worker from ``/sparql``.
Decoding happens here too: a deeply nested JSON body costs a worker, not the server.
"""

from __future__ import annotations

import json
from typing import Any

from kg.errors import KgError
from kg.serve.evaluate import Reply

__all__ = ["MAX_DEPTH", "MAX_PROPERTIES", "MAX_TEXT", "ReconcileJobs"]

#: Longest query text or property value, in characters.
MAX_TEXT = 500
#: Most properties in one query.
MAX_PROPERTIES = 20
#: Deepest JSON nesting accepted (a batch needs 5: batch, query, properties, property, value).
MAX_DEPTH = 8


class ReconcileJobs:
    """Answer ``Job("reconcile", text, accept)`` in a worker with a reconciliation index.

    Parameters
    ----------
    index:
        A :class:`~kg.linking.reconcile_index.ReconciliationIndex`, or the
        :class:`~kg.linking.reconcile_service.IndexOnDemand` copied into each worker, which
        builds it there on the first batch.

    Returns
    -------
    ReconcileJobs
        Calling it with ``(text, is_json)`` gives a :class:`~kg.serve.evaluate.Reply`.

    Example
    -------
    >>> from kg.linking.reconcile_index import ReconciliationIndex
    >>> jobs = ReconcileJobs(ReconciliationIndex({}, {}))
    >>> jobs("[" * 100 + "]" * 100, False).status, jobs('{"q0": "x"}', False).status
    (400, 200)
    """

    def __init__(self, index: Any) -> None:
        self.index = index

    def __call__(self, text: str, is_json: bool) -> Reply:
        try:
            queries = _decode(text, is_json)
            _check_sizes(queries)
            answer = self.index.reconcile(queries)
        except json.JSONDecodeError as exc:
            return _error(f"queries is not valid JSON ({exc.msg} at column {exc.colno})")
        except RecursionError:
            return _error(f"queries is nested more than {MAX_DEPTH} levels deep")
        except KgError as exc:  # the index's ReconciliationError, or a size refused here
            return _error(str(exc))
        return Reply(200, json.dumps(answer).encode(), "application/json")

    def preview(self, identifier: str) -> Reply:
        """The ``/reconcile/preview`` card of one entity, or a 404 in the service's JSON.

        Example
        -------
        >>> from kg.linking.reconcile_index import ReconciliationIndex
        >>> ReconcileJobs(ReconciliationIndex({}, {})).preview("Atlantis").status
        404
        """
        card = self.index.preview(identifier)
        if card is None:
            body = json.dumps({"status": "error", "message": "no such entity"}).encode()
            return Reply(404, body, "application/json")
        return Reply(200, card.encode(), "text/html; charset=utf-8")


def _error(message: str) -> Reply:
    body = json.dumps({"status": "error", "message": message}).encode()
    return Reply(400, body, "application/json")


def _decode(text: str, is_json: bool) -> Any:
    """The ``queries`` object of a form field, or of a JSON body ``{"queries": ...}``."""
    data = json.loads(text)
    _check_depth(data)
    if is_json and isinstance(data, dict) and "queries" in data:
        data = data["queries"]
        if isinstance(data, str):
            data = json.loads(data)
            _check_depth(data)
    return data


def _check_depth(data: Any) -> None:
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise RecursionError
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _check_sizes(queries: Any) -> None:
    """Refuse over-long texts and too many properties (the batch size is the index's)."""
    if not isinstance(queries, dict):
        return  # the index says what is wrong
    for key, query in queries.items():
        text = (
            query
            if isinstance(query, str)
            else query.get("query", "")
            if isinstance(query, dict)
            else ""
        )
        if isinstance(text, str) and len(text) > MAX_TEXT:
            raise KgError(f"{key}: query is longer than {MAX_TEXT} characters")
        props = query.get("properties") if isinstance(query, dict) else None
        if isinstance(props, list):
            if len(props) > MAX_PROPERTIES:
                raise KgError(f"{key}: more than {MAX_PROPERTIES} properties")
            for prop in props:
                value = prop.get("v") if isinstance(prop, dict) else None
                values = value if isinstance(value, list) else [value]
                if (
                    any(isinstance(v, str) and len(v) > MAX_TEXT for v in values)
                    or len(values) > MAX_PROPERTIES
                ):
                    raise KgError(f"{key}: a property value is too long")
