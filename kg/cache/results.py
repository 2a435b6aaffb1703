"""Query results as plain JSON, and back: what the result cache writes to disk.

The codec lives with the backends (:mod:`kg.backends.result_codec`), which keep the first
pages of the named queries in the same form (:mod:`kg.backends.first_pages`); it is
re-exported here for the answer cache (:mod:`kg.cache.graph`).
"""

from __future__ import annotations

from kg.backends.result_codec import CachedResult, decode_result, encode_result, has_blank_nodes

__all__ = ["CachedResult", "decode_result", "encode_result", "has_blank_nodes"]
