"""The text that is checked is the text that is run: a canonical form of a SPARQL request.

rdflib (the guard, and the memory engine) and Oxigraph read some texts differently: a
``#`` comment ended by a lone carriage return, ``\\u`` escapes outside strings, escapes in
prefixed names. A request that one parser reads as a comment can be a ``SERVICE`` call to
the other. So the endpoint never runs what the client sent. It splits the text into the
tokens of the SPARQL 1.1 grammar (codepoint escapes expanded first, as the specification
says; comments end at CR or LF), refuses what it cannot represent plainly, and writes the
tokens back out in one plain form:

- no comments: between two tokens, a line end (LF) where the source had a line end or
  a comment, else one space where it had any space, else nothing (the engines disagree
  on where space may go, and rdflib reads a ``#`` inside an IRI as a comment when a
  ``SERVICE`` follows on the same line);
- every prefixed name written as a full ``<IRI>`` (``SERVICE:x`` can no longer read as
  ``SERVICE :x``), unknown prefixes refused;
- strings written ``"..."`` with only the escapes ``\\" \\\\ \\n \\r \\t \\b \\f``; no
  ``\\u`` anywhere, and control characters refused;
- brackets nested at most :data:`MAX_NESTING` deep.

Then the guard parses *that* text, the tokens themselves are checked for ``SERVICE``,
``FROM``, ``LOAD`` and ``USING``, and the engine runs that same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import SparqlSyntaxError

__all__ = ["MAX_NESTING", "Canonical", "canonical_sparql"]

#: Deepest nesting of ``{`` ``(`` ``[`` accepted (rdflib's parser recurses per level).
MAX_NESTING = 48
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_WS = " \t\r\n"
_IRI = re.compile(r'<([^<>"{}|^`\\\x00-\x20]*)>')
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_U = _PN_CHARS_BASE + "_"
_PN = _PN_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PREFIX = rf"(?:[{_PN_CHARS_BASE}](?:[{_PN}.]*[{_PN}])?)?"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_LOCAL = rf"(?:[{_PN_U}:0-9]|{_PLX})(?:(?:[{_PN}.:]|{_PLX})*(?:[{_PN}:]|{_PLX}))?"
_PNAME = re.compile(rf"({_PREFIX}):({_LOCAL})?")
_VAR = re.compile(rf"[?$]([{_PN_U}0-9][{_PN_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)")
_BNODE = re.compile(rf"_:[{_PN_U}0-9](?:[{_PN}.]*[{_PN}])?")
_LANG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+|"
    r"[0-9]*\.[0-9]+|[0-9]+)"
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PUNCT = ("^^", "&&", "||", "!=", "<=", ">=", *"{}()[].,;*/+-!=<>^|?")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_OUT_ECHAR = {
    "\t": "\\t",
    "\b": "\\b",
    "\n": "\\n",
    "\r": "\\r",
    "\f": "\\f",
    '"': '\\"',
    "\\": "\\\\",
}
_OPEN, _CLOSE = "{([", "})]"
#: Characters that must not meet across a join (``<<``, ``""``: other tokens in SPARQL-star).
_NO_TOUCH = set("<>\"'")
#: Keywords that make an engine fetch from another address; the next IRI must be allowed.
OUTSIDE_KEYWORDS = frozenset({"SERVICE", "FROM", "LOAD", "USING"})
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


@dataclass(frozen=True)
class Canonical:
    """A request in canonical form.

    Parameters
    ----------
    text:
        The canonical text (what is checked and run).
    outside:
        ``(keyword, iri)`` for every ``SERVICE``/``FROM``/``LOAD``/``USING``; ``iri`` is
        ``None`` when it is not a plain IRI (a variable, say).
    form:
        The first query form keyword (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``).

    Returns
    -------
    Canonical

    Example
    -------
    >>> Canonical("ASK { }", ()).text
    'ASK { }'
    """

    text: str
    outside: tuple[tuple[str, str | None], ...]
    form: str | None = None


def canonical_sparql(text: str) -> Canonical:
    """Tokenize ``text`` as SPARQL 1.1 and write it back in the canonical form.

    Parameters
    ----------
    text:
        A query or update as a client sent it.

    Returns
    -------
    Canonical

    Raises
    ------
    SparqlSyntaxError
        One line: what could not be read, and where.

    Example
    -------
    >>> canonical_sparql("PREFIX e: <http://e/> # hi\\rSELECT * { ?s e:p 'x' }").text
    'PREFIX e: <http://e/>\\nSELECT * { ?s <http://e/p> "x" }'
    >>> canonical_sparql("ASK { SERVICE <http://h/> { } }").outside
    (('SERVICE', 'http://h/'),)
    >>> canonical_sparql("ASK { ?s ?p 'a\\\\u005c' }")
    Traceback (most recent call last):
    ...
    kg.errors.SparqlSyntaxError: line 1: SPARQL syntax error: unterminated string (column ...)
    """
    source = _ESCAPE.sub(_expand, text)
    tokens = _Tokens(source)
    return Canonical("".join(tokens.out), tuple(tokens.outside), tokens.form)


def _expand(match: re.Match) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"  # not a character: unreadable below, so refused
    return chr(code)


class _Tokens:
    """One pass over the text: ``out`` holds the canonical tokens."""

    def __init__(self, source: str) -> None:
        self.source, self.pos = source, 0
        self.out: list[str] = []
        self.outside: list[tuple[str, str | None]] = []
        self.prefixes: dict[str, str] = {}
        self.depth = 0
        self.form: str | None = None  # the first of SELECT ASK CONSTRUCT DESCRIBE
        self.gap = ""  # what came before the current token: "", " " or a line end
        self._pending: str | None = None  # an outside keyword waiting for its IRI
        self._prefix_decl = 0  # 2: after PREFIX, 1: after its name
        self._declaring = ""
        self._base = False
        while self._skip():
            self._token()
        if self._pending is not None:
            self.outside.append((self._pending, None))

    def fail(self, message: str, at: int | None = None) -> SparqlSyntaxError:
        at = self.pos if at is None else at
        line = self.source.count("\n", 0, at) + 1
        column = at - (self.source.rfind("\n", 0, at) + 1) + 1
        return SparqlSyntaxError(f"SPARQL syntax error: {message} (column {column})", line=line)

    def _skip(self) -> bool:
        """Skip whitespace and comments (a comment ends at CR or LF); False at the end."""
        src, n = self.source, len(self.source)
        self.gap = ""
        while self.pos < n:
            char = src[self.pos]
            if char in "\r\n#":
                self.gap = "\n"
            elif char in _WS and not self.gap:
                self.gap = " "
            if char in _WS:
                self.pos += 1
            elif char == "#":
                while self.pos < n and src[self.pos] not in "\r\n":
                    self.pos += 1
            else:
                return True
        return False

    def _token(self) -> None:
        src, at = self.source, self.pos
        char = src[at]
        if char in "\"'":
            value = self._string()
            self._emit(_quote(value, self, at), kind="string")
            return
        if char == "<" and (m := _IRI.match(src, at)):
            self.pos = m.end()
            self._emit(f"<{m.group(1)}>", kind="iri", iri=m.group(1))
            return
        for regex, kind in ((_VAR, "var"), (_BNODE, "bnode"), (_LANG, "lang")):
            if m := regex.match(src, at):
                self.pos = m.end()
                self._emit(m.group(0), kind=kind)
                return
        if (char.isdigit() or char in "+-.") and (m := _NUMBER.match(src, at)):
            self.pos = m.end()
            self._emit(m.group(0), kind="number")
            return
        if m := _PNAME.match(src, at):
            self.pos = m.end()
            self._pname(m, at)
            return
        if m := _WORD.match(src, at):
            self.pos = m.end()
            self._emit(m.group(0), kind="word")
            return
        for punct in _PUNCT:
            if src.startswith(punct, at):
                self.pos = at + len(punct)
                self._bracket(punct, at)
                self._emit(punct, kind="punct")
                return
        raise self.fail(f"unexpected character {char!r}")

    def _pname(self, m: re.Match, at: int) -> None:
        prefix, local = m.group(1), m.group(2) or ""
        if self._prefix_decl == 2 and not local:
            self._emit(f"{prefix}:", kind="pname_ns")
            self._prefix_decl, self._declaring = 1, prefix
            return
        if prefix not in self.prefixes:
            raise self.fail(f"unknown prefix {prefix}:", at)
        local = re.sub(r"\\(.)", r"\1", local)
        iri = self.prefixes[prefix] + local
        if not _IRI.fullmatch(f"<{iri}>"):
            raise self.fail(f"the name {prefix}:{m.group(2) or ''} is not a valid IRI", at)
        self._emit(f"<{iri}>", kind="iri", iri=iri)

    def _bracket(self, punct: str, at: int) -> None:
        if punct in _OPEN:
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise self.fail(f"nested more than {MAX_NESTING} levels deep", at)
        elif punct in _CLOSE:
            self.depth -= 1

    def _emit(self, token: str, *, kind: str, iri: str | None = None) -> None:
        word = token.upper() if kind == "word" else ""
        if word and word not in OUTSIDE_KEYWORDS and any(k in word for k in OUTSIDE_KEYWORDS):
            # an engine that reads keywords without a word boundary could find one inside
            raise self.fail(f"unexpected word {token}")
        if word in QUERY_FORMS and self.form is None:
            self.form = word
        if self._prefix_decl == 1:  # PREFIX name: <iri>
            self._prefix_decl = 0
            if kind != "iri":
                raise self.fail("PREFIX needs an <IRI>")
            self.prefixes[self._declaring] = iri or ""
        if self._prefix_decl == 2 and kind != "pname_ns":
            raise self.fail("PREFIX needs a name ending in ':'")
        if word == "PREFIX":
            self._prefix_decl = 2
        elif word == "BASE":
            self._base = True
        if self._pending is not None and word not in ("SILENT", "NAMED"):
            self.outside.append((self._pending, None if self._base else iri))
            self._pending = None
        if word in OUTSIDE_KEYWORDS:
            self._pending = word
        # Tokens stay apart or together as in the source: the engines disagree on where
        # space is allowed ("x" @en and <p> + fail in rdflib, CONCAT ( in Oxigraph).
        if self.out:
            last = self.out[-1][-1]
            touching = last in _NO_TOUCH and token[0] in _NO_TOUCH
            self.out.append(self.gap or (" " if touching else ""))
        self.out.append(token)

    def _string(self) -> str:
        """Read a string literal (any of the four quotings); returns its value."""
        src, at = self.source, self.pos
        quote = src[at]
        long = src.startswith(quote * 3, at)
        self.pos = at + (3 if long else 1)
        value: list[str] = []
        while True:
            if self.pos >= len(src):
                raise self.fail("unterminated string", at)
            char = src[self.pos]
            if long and src.startswith(quote * 3, self.pos):
                self.pos += 3
                return "".join(value)
            if not long and char == quote:
                self.pos += 1
                return "".join(value)
            if not long and char in "\r\n":
                raise self.fail("unterminated string", at)
            if char == "\\":
                escaped = src[self.pos + 1 : self.pos + 2]
                if escaped not in _ECHAR:
                    raise self.fail("unknown escape in a string", self.pos)
                value.append(_ECHAR[escaped])
                self.pos += 2
                continue
            value.append(char)
            self.pos += 1


def _quote(value: str, tokens: _Tokens, at: int) -> str:
    """A string value as ``"..."`` with plain escapes only."""
    if "\\u" in value or "\\U" in value:
        raise tokens.fail("a string holding \\u or \\U text is not accepted", at)
    out = []
    for char in value:
        if char in _OUT_ECHAR:
            out.append(_OUT_ECHAR[char])
        elif ord(char) < 0x20 or char in "\x7f\x85\u2028\u2029\ufffd":
            raise tokens.fail(f"control character U+{ord(char):04X} in a string", at)
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
