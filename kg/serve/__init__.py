"""``kg serve``: the graph as a hardened, read-only SPARQL 1.1 endpoint.

Modules, from the outside in:

- :mod:`kg.serve.app`: the Starlette application (routes, body cap, headers, CORS);
  ``create_app(graph, ..., extra_routes=[...])`` is the entry point.
- :mod:`kg.serve.protocol`: reading SPARQL Protocol requests, content negotiation,
  the service description.
- :mod:`kg.serve.workers`: worker processes that are killed at the query timeout.
- :mod:`kg.serve.evaluate`: what a worker does with one request.
- :mod:`kg.serve.guard`: what a query may do (no SERVICE/FROM/LOAD to other addresses,
  no update unless enabled), decided on the parsed algebra before evaluation.
- :mod:`kg.serve.formats`: SPARQL results and RDF serializations, cut at the row cap.
- :mod:`kg.serve.testing`: a real ``kg serve`` process on a free port, for tests.
- ``page/``: the query page (HTML, JS, CSS), served from the endpoint itself.
"""
