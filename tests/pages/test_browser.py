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
        self.events = []  # DevTools events of the page (requests, console messages), in order
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
            if "method" in reply and "id" not in reply:
                self.events.append(reply)
                continue
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

    def watch(self):
        """From now on, record every request the page makes and every console message and error."""
        for domain in ("Network", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def width(self, pixels: int, height: int = 900):
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=pixels, height=height,
                  deviceScaleFactor=1, mobile=False)

    def open(self, path: Path):
        self.events.clear()
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

    def screenshot(self, path: Path, *, whole: bool = False) -> Path:
        options = {"captureBeyondViewport": True} if whole else {}
        data = self.call("Page.captureScreenshot", session=True, format="png", **options)["data"]
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


# ---- every page type of a report, as a reader's browser shows it ------------------------------------------

AXE = ROOT / "tests" / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT = 1280

# elements wider than the viewport, except inside a box that scrolls or clips them (a wide table in its
# scrolling wrapper is fine; the page itself must not scroll sideways)
TOO_WIDE = """(() => {
  const limit = window.innerWidth + 1;
  const clipped = el => { for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
      const r = el.getBoundingClientRect(); return r.width > 0 && r.right > limit && !clipped(el); });
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
          wide: wide.slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))};
})()"""


def _leaving_requests(events, page: Path):
    """Requests for anything but the page itself and data: URLs: the network, or another file."""
    own = page.resolve().as_uri()
    urls = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    return [u for u in urls if u != own and not u.startswith("data:")]


def _console_errors(events):
    errors = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            errors.append(f"{params['entry'].get('source')}: {params['entry'].get('text')}")
    return errors


def check_page(browser, page: Path, shot: str) -> dict:
    """Open a page at 1280 px and fail on a request leaving it, a console error, an element wider than the
    viewport, or a serious or critical axe-core violation. Returns what axe found (all impacts)."""
    browser.watch()
    browser.width(VIEWPORT)
    browser.open(page)
    time.sleep(0.3)  # late requests and errors (an image, a blocked script) arrive after load
    browser.call("Runtime.evaluate", session=True, expression="1")  # drain the events sent meanwhile
    assert not _leaving_requests(browser.events, page), (page.name, _leaving_requests(browser.events, page))
    assert not _console_errors(browser.events), (page.name, _console_errors(browser.events))
    assert browser.evaluate("document.querySelectorAll('script').length") == 0, page.name
    width = browser.evaluate(TOO_WIDE)
    assert width["scroll"] <= width["inner"] and not width["wide"], (page.name, width)
    browser.screenshot(ARTIFACTS / "pages" / f"{shot}.png")
    if not AXE.is_file():
        pytest.skip(f"{page.name}: requests, console, width checked; axe-core is not installed, so no accessibility "
                    f"check: run `make test` (npm install --no-save --prefix tests/.axe axe-core@4)")
    # axe runs in the page through DevTools (the page's own policy allows no script, and keeps it so)
    browser.evaluate(AXE.read_text(encoding="utf-8") + ";0")
    found = browser.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
                             "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))")
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert not serious, (page.name, serious)
    return {v["id"]: v["impact"] for v in found}


def _pages_of(out: Path) -> dict[str, Path]:
    """One page of each type: the index, the methods, the comparison, an outlet's page, a document page."""
    pages = {"index": out / "index.html", "methods": out / "methods.html",
             "comparison": out / "corpus_comparison.html"}
    pages["outlet"] = sorted(out.glob("outlet_*.html"))[-1]
    pages["document"] = sorted(out.glob("document_*.html"))[0]
    for page in pages.values():
        assert page.is_file(), page
    return pages


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    from framing.report import build_report

    out = tmp_path_factory.mktemp("seed_report") / "out"
    build_report([SEEDS], out, targets="Albania: Albania|Albanian|Albanians; NATO; police: police|officers",
                 progress=False, jobs=2)
    return out


def _generated_corpus(folder: Path, n_documents: int = 200, n_outlets: int = 8) -> Path:
    """``n_documents`` news-like documents in ``n_outlets`` outlets, made from the seeds' sentences."""
    import random

    import framing

    sentences = framing.analyze([str(SEEDS)]).sentences["text"].tolist()
    rng = random.Random(16)
    folder.mkdir(parents=True)
    rows = ["file,outlet,title"]
    for i in range(n_documents):
        text = "\n\n".join(" ".join(rng.sample(sentences, 4)) for _ in range(rng.randint(2, 5)))
        (folder / f"doc{i:03d}.txt").write_text(text, encoding="utf-8")
        rows.append(f"doc{i:03d}.txt,Outlet {i % n_outlets} <b>news</b>,Story {i} about the gang")
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def generated_report(tmp_path_factory):
    """A report on 200 generated documents in 8 outlets, made by ``framing report`` itself (build_report):
    every document's page rendered without a kernel, the comparison notebook once, the group profile once per
    outlet, and the document-profile notebook for two documents (``--document-notebooks 2``), so both kinds of
    document page are checked."""
    from framing.report import build_report

    work = tmp_path_factory.mktemp("generated")
    corpus = _generated_corpus(work / "corpus")
    result = build_report([str(corpus)], work / "out", progress=False, jobs=2, document_notebooks="2",
                          extra_parameters={"n_boot": 200})
    assert len(result.jobs) == 209 and {job.status for job in result.jobs} == {"ok"}
    return result


def _generated_pages(result) -> dict[str, Path]:
    pages = _pages_of(result.out)
    rendered = [job for job in result.jobs if job.kind == "page"]
    notebooks = [job for job in result.jobs if job.kind == "notebook" and job.doc_id]
    groups = [job for job in result.jobs if job.group]
    assert len(rendered) == 198 and len(notebooks) == 2 and len(groups) == 8
    pages["document"] = result.out / f"{rendered[-1].name}.html"
    pages["document_notebook"] = result.out / f"{notebooks[0].name}.html"
    return pages


@pytest.mark.parametrize("kind", ["index", "methods", "comparison", "outlet", "document"])
def test_every_page_of_the_seed_report_in_chromium(browser, seed_report, kind):
    check_page(browser, _pages_of(seed_report)[kind], f"seed_{kind}")


@pytest.mark.parametrize("kind", ["index", "methods", "comparison", "outlet", "document", "document_notebook"])
def test_every_page_of_a_200_document_report_in_chromium(browser, generated_report, kind):
    page = _generated_pages(generated_report)[kind]
    check_page(browser, page, f"generated_{kind}")
    if kind == "outlet":
        # the outlet's name (metadata, untrusted) is shown as text, and its documents link to their pages
        html = page.read_text(encoding="utf-8")
        assert "&lt;b&gt;news&lt;/b&gt;" in html and "<b>news</b>" not in html
        assert browser.evaluate("document.querySelectorAll('ul.documents a[href^=document_]').length") == 25
    if kind == "index":
        # every document, one line each, in a collapsible list per outlet; opened, still no wider than the page
        assert browser.evaluate("document.querySelectorAll('details ul.documents li').length") == 200
        assert browser.evaluate("document.querySelectorAll('details[id^=outlet-]').length") == 8
        browser.evaluate("document.querySelectorAll('details').forEach(d => d.open = true); 0")
        width = browser.evaluate(TOO_WIDE)
        assert width["scroll"] <= width["inner"] and not width["wide"], (page.name, width)


def test_the_teaching_pages_in_chromium(browser, tmp_path):
    page = write_highlight([SEEDS / "001_4dd1f95303bf43d2.txt", SEEDS / "003_c031984df73dd486.txt"],
                           tmp_path / "side_by_side.html")
    check_page(browser, page, "teaching_side_by_side")


def test_a_page_that_breaks_the_rules_is_caught(browser, tmp_path):
    """The checks can fail: a page that fetches, logs an error and overflows the viewport."""
    from framing.pages.theme import page as shell

    bad = tmp_path / "bad.html"
    bad.write_text(shell("bad", '<img alt="x" src="http://127.0.0.1:9/x.png"><div style="width:3000px">wide</div>'),
                   encoding="utf-8")
    browser.watch()
    browser.width(VIEWPORT)
    browser.open(bad)
    time.sleep(0.3)
    browser.call("Runtime.evaluate", session=True, expression="1")
    # the policy refuses the image: no request leaves, and the refusal is a console error
    assert any("Content Security Policy" in e or "img-src" in e for e in _console_errors(browser.events))
    assert browser.evaluate(TOO_WIDE)["wide"]


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed: run `make test` (it runs "
                                               "`npm install --no-save --prefix tests/.axe axe-core@4` where npm is)")
def test_axe_finds_a_serious_violation_in_a_bad_page(browser, tmp_path):
    from framing.pages.theme import page as shell

    bad = tmp_path / "bad_a11y.html"
    faint = '<p style="color:#bbbbbb;background-color:#ffffff">faint</p>'
    bad.write_text(shell("bad", faint + '<img src="data:image/png;base64,iVBORw0KGgo=">'), encoding="utf-8")
    with pytest.raises(AssertionError, match="color-contrast|image-alt"):
        check_page(browser, bad, "bad_a11y")
