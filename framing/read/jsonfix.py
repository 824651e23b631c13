"""JSON as scraped exports come: read leniently, and closed again where it was cut off."""

from __future__ import annotations

import json

from framing.errors import IngestFailure


def parse_json_lenient(text: str) -> tuple[object, list[str]]:
    """Parse JSON; accept raw newlines inside strings and close a document that was cut off at the end.

    Scraped WordPress exports are often both (the 002 seed is). Anything else malformed is an error.
    """
    try:
        return json.loads(text), []
    except json.JSONDecodeError:
        pass
    try:
        return json.loads(text, strict=False), ["JSON had raw control characters inside strings"]
    except json.JSONDecodeError as exc:
        first_error = exc
    closing = closing_for_truncated_json(text)
    if closing:
        try:
            value = json.loads(text.rstrip().rstrip(",") + closing, strict=False)
            return value, [f"JSON was cut off; closed it with {closing!r}"]
        except json.JSONDecodeError:
            pass
    raise IngestFailure(f"malformed JSON: {first_error.msg} at line {first_error.lineno} "
                        f"column {first_error.colno}")


def closing_for_truncated_json(text: str) -> str:
    """What closes a JSON document cut off at the end (an open string, then its open objects and lists), or ""
    when it is not cut off or its brackets do not match."""
    stack: list[str] = []
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]":
            if not stack or stack.pop() != ch:
                return ""
    if not stack and not in_string:
        return ""
    return ('"' if in_string else "") + "".join(reversed(stack))


# The parser's messages in plain words, for the errors a user reads
_PLAIN_JSON_ERRORS = {
    "Expecting value": "a value was expected",
    "Invalid control character at": "a control character inside a string",
    "Unterminated string starting at": "a string that is not closed",
    "Expecting ',' delimiter": "a comma was expected",
    "Expecting ':' delimiter": "a colon was expected",
    "Expecting property name enclosed in double quotes": "a key in double quotes was expected",
    "Extra data": "more text follows the JSON value",
    "Invalid \\escape": "a backslash escape that JSON does not know",
    "Invalid \\uXXXX escape": "a broken \\u escape",
}


def explain_json_error(text: str, exc: json.JSONDecodeError) -> str:
    """Why ``text`` (one line or record) is not JSON, in plain words: where it was cut off, or what the parser
    expected and at which column."""
    closing = closing_for_truncated_json(text.rstrip("\r\n"))
    if closing.startswith('"'):
        return "it ends inside a string that is not closed"
    if closing:
        return "it ends before its brackets are closed"
    return f"{_PLAIN_JSON_ERRORS.get(exc.msg, exc.msg)} at column {exc.colno}"
