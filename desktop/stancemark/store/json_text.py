"""JSON text as the store writes it (ensure_ascii=False), from encoders built once.

`json.dumps` with options builds a new encoder on every call, a third of its time on
the small values written per row (an article's meta, an audit entry); these are the
same encoders, so the text is the same."""

from __future__ import annotations

import json
from json.encoder import encode_basestring

plain = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(v, ensure_ascii=False)
sorted_keys = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # ... sort_keys=True
string = encode_basestring  # a str as JSON, as ensure_ascii=False writes it
