"""``kg serve``: the graph as a hardened, read-only SPARQL 1.1 endpoint.

Modules, from the outside in:

- :mod:`kg.serve.app`: the Starlette application; ``create_app(graph, ...,
  extra_routes=[...])`` is the entry point. :mod:`kg.serve.handlers` holds the route
  handlers, :mod:`kg.serve.middleware` the body cap and security headers,
  :mod:`kg.serve.admission` the queue in front of the workers (order of arrival, a
  deadline, a bound; reconciliation never takes the last worker),
  :mod:`kg.serve.answer_cache` the answers the server remembers (keyed by canonical
  text, ``Accept`` and data version; an update forgets them),
  :mod:`kg.serve.bearer` the update token's one rule, :mod:`kg.serve.proctitle` the
  scrubbing of ``--token`` from the command line.
- :mod:`kg.serve.protocol`: reading SPARQL Protocol requests, content negotiation,
  the service description.
- :mod:`kg.serve.workers`: worker processes that are killed at the query timeout, and
  the one writer that applies updates (:mod:`kg.serve.zygote` is their side;
  :mod:`kg.serve.children` the server's handle on each, with its log;
  :mod:`kg.serve.threads` the fallback in threads; :mod:`kg.serve.errors` what they raise).
- :mod:`kg.serve.evaluate`: what a worker does with one request (:mod:`kg.serve.checked`:
  the checked and parsed queries a worker keeps, the page's examples among them;
  :mod:`kg.serve.kept_pages`: a named query's first page, read from the page ``kg load``
  kept).
- :mod:`kg.serve.reconcile`: reconciliation batches and previews as bounded worker jobs.
- :mod:`kg.serve.canonical`: the canonical text of a request, the one that is checked
  and the one that runs.
- :mod:`kg.serve.guard`: what a query may do (no SERVICE/FROM/LOAD to other addresses,
  no update unless enabled), decided on the canonical tokens (and rdflib's parse of
  them, when rdflib is the engine: :mod:`kg.serve.sparql_parse`) before evaluation.
- :mod:`kg.serve.stream`: run a query, reading no more rows than the row cap needs.
- :mod:`kg.serve.formats`: SPARQL results and RDF serializations, cut at the row cap.
- :mod:`kg.serve.testing`: a real ``kg serve`` process on a free port, for tests.
- ``page/``: the query page (HTML, JS, CSS), served from the endpoint itself.
"""

#: The package itself exports nothing: import from its modules (``kg.serve.app`` ...).
__all__: list[str] = []
