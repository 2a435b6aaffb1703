"""``kg serve``: the graph as a hardened, read-only SPARQL 1.1 endpoint.

Modules, from the outside in:

- :mod:`kg.serve.app`: the Starlette application (routes, body cap, headers, CORS);
  ``create_app(graph, ..., extra_routes=[...])`` is the entry point.
- :mod:`kg.serve.protocol`: reading SPARQL Protocol requests, content negotiation,
  the service description.
- :mod:`kg.serve.workers`: worker processes that are killed at the query timeout, and
  the one writer that applies updates (:mod:`kg.serve.zygote` is their side;
  :mod:`kg.serve.threads` the fallback in threads; :mod:`kg.serve.errors` what they raise).
- :mod:`kg.serve.evaluate`: what a worker does with one request.
- :mod:`kg.serve.canonical`: the canonical text of a request, the one that is checked
  and the one that runs.
- :mod:`kg.serve.guard`: what a query may do (no SERVICE/FROM/LOAD to other addresses,
  no update unless enabled), decided on the canonical tokens (and rdflib's parse of
  them, when rdflib is the engine) before evaluation.
- :mod:`kg.serve.stream`: run a query, reading no more rows than the row cap needs.
- :mod:`kg.serve.reconcile`: reconciliation batches as bounded worker jobs.
- :mod:`kg.serve.formats`: SPARQL results and RDF serializations, cut at the row cap.
- :mod:`kg.serve.testing`: a real ``kg serve`` process on a free port, for tests.
- ``page/``: the query page (HTML, JS, CSS), served from the endpoint itself.
"""
