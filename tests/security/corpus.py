"""Hostile input: text that tries to run, fetch, inject or break, and a server that counts fetches.

Every reference to a server points at `Canary`, a tiny HTTP server on 127.0.0.1
that the test starts and that counts the requests it is sent: "never fetched"
is then a count of zero, not a hope.
"""

import http.server
import threading

FILE_URL = "file:///etc/passwd"
PASSWD_LINE = "root:x:0:0"  # what /etc/passwd would show if it were ever read

# Markup and references; {base} is the canary server's address.
MARKUP = {
    "script_tag": '<script>alert("xss-script")</script>',
    "img_onerror": '<img src=x onerror=alert("xss-img")>',
    "javascript_link": "<a href=\"javascript:alert('xss-link')\">click me</a>",
    "style_url": "<style>body{{background:url({base}/style-url)}}</style>",
    "style_import": '<style>@import url("{base}/style-import.css");</style>',
    "link_stylesheet": '<link rel="stylesheet" href="{base}/link-stylesheet.css">',
    "inline_style_url": '<div style="background-image:url({base}/inline-style)">styled</div>',
    "img_file": f'<img src="{FILE_URL}">',
    "object_file": f'<object data="{FILE_URL}"></object>',
    "iframe_http": '<iframe src="{base}/iframe"></iframe>',
    "svg_image": '<svg onload=alert("xss-svg")><image href="{base}/svg-image"/></svg>',
    "attribute_breakout": '"><script>alert("xss-attr")</script><input value="',
    "textarea_breakout": '</textarea><script>alert("xss-textarea")</script>',
}
OTHER = {
    "bare_urls": "See {base}/bare-url and " + FILE_URL + " for details",
    "template_syntax": "{{{{ 7*7 }}}} {{% debug %}} {{{{ request.user.password }}}} ${{7*7}}",
    "formula_hyperlink": '=HYPERLINK("{base}/formula","Click for details")',
    "formula_plus": "+cmd|' /C calc'!A0",
    "formula_minus": "-2+3+cmd|' /C calc'!A0",
    "formula_at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "long_text": " ".join(["hostile"] * 12_500) + "!",  # 100,000 characters
    "rtl_override": "file\u202egnp.exe\u202c ends in exe",
    # Left open: an embedding, an isolate and an override that would run on to what follows.
    "bidi_unclosed": "left \u202bopen \u2067isolate \u202eoverride \u200f\u061c marks",
    "zero_width": "zero\u200bwidth\u200djoiner\u200cnon\ufeffjoiner",
    "combining_marks": "Z\u0351\u0364\u0310a\u0337\u031bl\u0334g\u0322o\u0353 text",
    "emoji": "Emoji \U0001f469\u200d\U0001f4bb \U0001f3f3\ufe0f\u200d\U0001f308 "
    "\U0001f44d\U0001f3fd",
    "astral_plane": "\U0001d573\U0001d594\U0001d598\U0001d599 \U00013000 \U0002070e",
    "arabic_cjk": "مرحبا بالعالم 你好世界 こんにちは 안녕하세요",
    "nul_byte": "before\x00after",
    "control_chars": "bell\x07 backspace\x08 escape\x1b[31mred\x1b[0m vtab\x0b del\x7f "
    "c1\x85\x9b end",
    "crlf": "first line\r\nsecond line\rthird line\nfourth line",
}
NAMES = [*MARKUP, *OTHER]
# Postgres cannot store NUL in text, and bidirectional controls would make text show in
# another order than it was typed: wherever these go, they must be refused with a message.
INVISIBLE_NUL = {"nul_byte"}
INVISIBLE_DIRECTION = {"rtl_override", "bidi_unclosed"}
MUST_REFUSE = INVISIBLE_NUL | INVISIBLE_DIRECTION
# Free-text answers stop at 10,000 characters; other fields may take it.
LONG = "long_text"


def hostile_corpus(base: str) -> dict[str, str]:
    """Return every hostile text by name, its references pointing at `base` (http://host:port)."""
    return {name: text.format(base=base) for name, text in {**MARKUP, **OTHER}.items()}


def stored_form(text: str) -> str:
    """Return `text` as a text field keeps it: line endings made \\n, outer whitespace gone."""
    return text.replace("\r\n", "\n").strip()


class Canary:
    """An HTTP server on 127.0.0.1 that answers everything with 204 and counts what it is sent."""

    def __init__(self):
        self.requests: list[str] = []
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def _count(self):
                requests.append(f"{self.command} {self.path}")
                self.send_response(204)
                self.end_headers()

            do_GET = do_POST = do_HEAD = _count

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Canary":
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
