"""The pages in a real browser: headless Chromium (Debian's), driven over the DevTools protocol.

Checks from the rendered DOM that the highlight page's marks are there, that a mark reached with the Tab key
(and one under the mouse) shows its tooltip, and that markup in a document's text, or in the metadata and
errors on the report's index, stays text (nothing runs). Screenshots
are written to tests/artifacts/ (git-ignored) and their paths printed (``pytest -s`` shows them).

No browser is downloaded: ``tests/install_chromium.sh`` installs Debian's chromium; without it this test is
skipped. The DevTools websocket is spoken with ``websocket-client`` (installed with jupyter_server).
"""

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

import framing
from framing.report import write_highlight

from conftest import ROOT, SEEDS

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "")
                 if p and os.access(p, os.X_OK)), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--window-size=1400,1000", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not found at /usr/bin/chromium; "
                                                           "run tests/install_chromium.sh (as root) to install it")
websocket = pytest.importorskip("websocket", reason="websocket-client is needed to drive Chromium")

EVIL = ('Police said the gang <script>window.__pwned=1</script> was almost certainly behind the '
        'so-called raid.\n\n"We will obviously find them," the chief said. <img src=x onerror="window.__pwned=1"> '
        'The thugs may be gone.\n')


class Browser:
    """One headless Chromium and one page, over the DevTools protocol (flat sessions on the browser socket)."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="framing-chromium-")
        self.process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.time() + 60
        while not (port_file.is_file() and len(port_file.read_text().split()) >= 2):
            if self.process.poll() is not None or time.time() > deadline:
                self.close()
                pytest.fail(f"chromium did not start (exit {self.process.returncode})")
            time.sleep(0.1)
        port, path = port_file.read_text().split()[:2]
        self.socket = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=60, suppress_origin=True)
        self.next_id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Emulation.setFocusEmulationEnabled", enabled=True, session=True)

    def call(self, method, session=False, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, path: Path):
        self.call("Page.navigate", session=True, url=path.resolve().as_uri())
        deadline = time.time() + 30
        while self.evaluate("document.readyState") != "complete" or self.evaluate("location.protocol") != "file:":
            assert time.time() < deadline, f"{path} did not load"
            time.sleep(0.05)

    def key(self, key, code, keycode):
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", session=True, type=kind, key=key, code=code,
                      windowsVirtualKeyCode=keycode, nativeVirtualKeyCode=keycode)

    def hover(self, x, y):
        self.call("Input.dispatchMouseEvent", session=True, type="mouseMoved", x=x, y=y)

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        print(f"screenshot: {path}")
        return path

    def close(self):
        try:
            if getattr(self, "socket", None):
                self.socket.close()
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGTERM)  # chromium and its own children, by our process id
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    session = Browser()
    try:
        yield session
    finally:
        session.close()


TIP_STATE = """(() => {
  const m = document.activeElement;
  if (!m || m.tagName !== 'MARK') return null;
  const tip = document.getElementById(m.getAttribute('aria-describedby'));
  const style = getComputedStyle(tip);
  return {category: m.dataset.category, lexicon: m.dataset.lexicon, tip: tip.innerText,
          display: style.display, visibility: style.visibility, height: tip.getBoundingClientRect().height,
          owned: m.contains(tip)};
})()"""


def test_seed_page_marks_and_tooltips_in_chromium(browser):
    seed = SEEDS / "000_c3c58989c2810429.txt"
    page = write_highlight([seed], ARTIFACTS / "seed_000.html")
    analysis = framing.analyze([str(seed)])
    hits = analysis.hits[analysis.hits.lexicon != "evaluative"]  # evaluative words are marked only when asked for
    browser.open(page)

    marks = browser.evaluate("document.querySelectorAll('.doc-text mark.hl:not(.hl-cont)').length")
    assert marks == len(hits) > 20
    kinds = browser.evaluate("[...new Set([...document.querySelectorAll('.doc-text mark.hl')]"
                             ".map(m => m.dataset.lexicon))].sort()")
    assert kinds == sorted(set(hits.lexicon))
    # the lexicons look different by more than colour: underline style and a symbol before the words
    looks = browser.evaluate("""Object.fromEntries(['loaded', 'hedges', 'attribution'].map(l => {
        const m = document.querySelector(`.doc-text mark.hl-${l}:not(.hl-scare)`);
        return [l, [getComputedStyle(m).textDecorationStyle, getComputedStyle(m, '::before').content]]; }))""")
    assert looks == {"loaded": ["solid", '"!"'], "hedges": ["wavy", '"~"'], "attribution": ["dotted", '"»"']}
    # tooltips are hidden until asked for
    assert browser.evaluate("[...document.querySelectorAll('.tip')].every(t => getComputedStyle(t).display === 'none')")

    # keyboard: Tab reaches the first mark and its tooltip shows, with the category and the explanation
    browser.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    browser.key("Tab", "Tab", 9)
    state = browser.evaluate(TIP_STATE)
    assert state is not None, "Tab did not reach a mark"
    first = hits.sort_values(["start", "end"], ascending=[True, False]).iloc[0]
    assert state["display"] == "block" and state["visibility"] == "visible" and state["height"] > 0
    assert state["owned"]
    assert str(first.explanation) in state["tip"]
    assert state["category"].replace("_", " ") in state["tip"]
    browser.key("Tab", "Tab", 9)
    second = browser.evaluate(TIP_STATE)
    assert second and second["display"] == "block"
    assert browser.evaluate("document.querySelectorAll('.tip').length - "
                            "[...document.querySelectorAll('.tip')].filter(t => getComputedStyle(t).display === 'none').length") == 1
    browser.screenshot(ARTIFACTS / "seed_000_focus.png")

    # mouse: hovering a loaded term shows its tooltip
    browser.evaluate("document.activeElement.blur()")
    box = browser.evaluate("""(() => { const m = document.querySelector('.doc-text mark.hl-loaded:not(.hl-scare)');
        m.scrollIntoView({block: 'center'}); const r = m.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2, id: m.getAttribute('aria-describedby')}; })()""")
    browser.hover(box["x"], box["y"])
    assert browser.evaluate(f"getComputedStyle(document.getElementById({json.dumps(box['id'])})).display") == "block"
    browser.screenshot(ARTIFACTS / "seed_000_hover.png")


def test_markup_in_a_document_is_shown_as_text_and_never_runs(browser, tmp_path):
    source = tmp_path / "evil.txt"
    source.write_text(EVIL, encoding="utf-8")
    page = write_highlight([source], ARTIFACTS / "evil.html")
    browser.open(page)
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert browser.evaluate("document.querySelectorAll('script, img, iframe, object, embed').length") == 0
    text = browser.evaluate("(() => { const c = document.querySelector('.doc-text').cloneNode(true); "
                            "c.querySelectorAll('.tip').forEach(t => t.remove()); return c.textContent; })()")
    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=1">' in text
    assert browser.evaluate("document.querySelectorAll('.doc-text mark.hl').length") >= 5
    time.sleep(0.3)  # an onerror would have fired by now
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    browser.screenshot(ARTIFACTS / "evil.png")


def test_two_documents_side_by_side_in_two_columns(browser):
    page = write_highlight([SEEDS / "001_4dd1f95303bf43d2.txt", SEEDS / "003_c031984df73dd486.txt"],
                           ARTIFACTS / "side_by_side.html")
    browser.open(page)
    columns = browser.evaluate("getComputedStyle(document.querySelector('.columns')).gridTemplateColumns")
    assert len(columns.split()) == 2, columns
    boxes = browser.evaluate("[...document.querySelectorAll('article.doc-column')].map(a => {"
                             "const r = a.getBoundingClientRect(); return [r.left, r.top, r.width]; })")
    assert len(boxes) == 2 and boxes[0][0] < boxes[1][0] and abs(boxes[0][1] - boxes[1][1]) < 1
    assert browser.evaluate("new Set([...document.querySelectorAll('[id]')].map(e => e.id)).size === "
                            "document.querySelectorAll('[id]').length")
    browser.screenshot(ARTIFACTS / "side_by_side.png")


def test_index_page_shows_hostile_metadata_and_errors_as_text(browser):
    import pandas as pd

    from framing.model import Document
    from framing.pages.index import render_index

    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
    analysis = framing.analyze([Document(doc_id="evil", text=f"Thugs {hostile} flood in, critics claimed.",
                                         source="evil.txt", format="txt", outlet=f"Evil {hostile}",
                                         title=f"Title {hostile}")])
    analysis.errors = pd.DataFrame([{"source": f"{hostile}.txt", "reason": hostile}])
    pages = [SimpleNamespace(name="document_evil", doc_id="evil", page="document_evil.html", status="failed",
                             error=hostile),
             SimpleNamespace(name="corpus_comparison", doc_id="", page="corpus_comparison.html", status="ok", error="")]
    path = ARTIFACTS / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_index(analysis, pages, tables=[], parameters={"paths": [hostile]}), encoding="utf-8")
    browser.open(path)
    time.sleep(0.3)  # an onerror would have fired by now
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert browser.evaluate("document.querySelectorAll('script, img, iframe, object, embed').length") == 0
    assert browser.evaluate("document.body.innerText").count("<script>window.__pwned=1</script>") >= 4
    failed = browser.evaluate("getComputedStyle(document.querySelector('.state-failed')).color")
    assert failed == "rgb(139, 0, 0)"  # the theme's stylesheet applies
    browser.screenshot(ARTIFACTS / "index.png")
