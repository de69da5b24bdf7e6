"""The student experience end to end: a real JupyterLab driven by a real headless browser.

For every homework with a student release (``notebooks/<hw>/<hw>.ipynb``), a copy filled
with the reference answers is opened in JupyterLab in headless Chromium (Selenium), every
cell is run with JupyterLab's own *Run All Cells*, and the rendered page is checked: no
cell shows an error, figures are displayed, and the widgets render. A screenshot of the
page is saved in the test's tmp dir and its path printed (``pytest -s``).

Needs Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``,
``/usr/bin/chromedriver``) and the ``selenium`` package; skipped without them.
Selenium never downloads a driver: both paths are given and Selenium Manager is offline.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from autograder.pipeline import homeworks
from autograder.submissions import reference_submission, release_path, write_notebook

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
VENV_BIN = os.path.dirname(os.path.abspath(sys.executable))

SERVER_START_TIMEOUT = 90     # s: jupyter lab answers on its port
NOTEBOOK_READY_TIMEOUT = 120  # s: the notebook is shown and its kernel is idle
MIN_RUN_TIMEOUT = 180         # s: Run All Cells finishes (at least; see run_timeout)
WIDGET_TIMEOUT = 60           # s: widget views render after the last cell ran

STUDENT_HOMEWORKS = [name for name in homeworks.available()
                     if os.path.isfile(release_path(name))]


def run_timeout(name):
    """Seconds allowed for Run All Cells: generous, and twice the grader's total budget."""
    limits = homeworks.LIMITS.get(name, homeworks.DEFAULT_LIMITS)
    return max(MIN_RUN_TIMEOUT, 2 * limits.total_seconds)


def require_browser():
    """The selenium module, or skip the test with the reason."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.skip(f"needs {' and '.join(missing)} (Debian packages chromium, chromium-driver)")
    try:
        import selenium  # noqa: F401
        from selenium import webdriver  # noqa: F401
    except ImportError:
        pytest.skip("needs the selenium package (pip install -r requirements.txt)")
    return selenium


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(settings_dir):
    """User settings for this JupyterLab only: no news pop-up in the screenshot."""
    path = os.path.join(settings_dir, "@jupyterlab", "apputils-extension")
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "notification.jupyterlab-settings"), "w") as f:
        json.dump({"fetchNews": "false", "checkForUpdates": False}, f)


class JupyterLab:
    """``jupyter lab`` on ``workdir``: headless, no token, its own config and settings dirs."""

    def __init__(self, workdir, home):
        self.workdir, self.home = str(workdir), str(home)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.home, "jupyterlab.log")
        self.proc = None

    def start(self):
        env = dict(os.environ)
        dirs = {name: os.path.join(self.home, name.lower())
                for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                             "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR")}
        for d in dirs.values():
            os.makedirs(d, exist_ok=True)
        env.update(dirs)
        write_settings(dirs["JUPYTERLAB_SETTINGS_DIR"])
        env["PATH"] = VENV_BIN + os.pathsep + env.get("PATH", "")
        env.pop("MPLBACKEND", None)  # the kernel must use the inline backend, as for students
        env.pop("JUPYTER_TOKEN", None)
        cmd = [os.path.join(VENV_BIN, "jupyter"), "lab",
               "--no-browser", "--allow-root",
               "--ServerApp.open_browser=False",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
               "--ServerApp.port_retries=0",
               "--ServerApp.token=", "--ServerApp.password=",
               "--ServerApp.disable_check_xsrf=True",
               f"--ServerApp.root_dir={self.workdir}",
               # window.jupyterapp: run commands and read the kernel state from the page
               "--LabApp.expose_app_in_browser=True",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"jupyter lab exited with {self.proc.returncode}:\n"
                                     + self.log_tail())
            try:
                with urllib.request.urlopen(self.url + "/api/status", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"jupyter lab did not answer on {self.url} within "
                                     f"{SERVER_START_TIMEOUT} s:\n" + self.log_tail())
            time.sleep(0.25)

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # jupyter shuts its kernels down cleanly
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the group this test started
                self.proc.wait(timeout=10)
        self.log.close()


def start_browser(profile_dir, log_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile_dir}", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=CHROMEDRIVER, log_output=str(log_path))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_script_timeout(60)
    return driver


# The notebook panel of <path> once its kernel is ready; a dialog (kernel chooser, error) is
# reported instead of waited on.
NOTEBOOK_STATE_JS = r"""
const path = arguments[0];
const dialog = document.querySelector('.jp-Dialog');
if (dialog) return {dialog: dialog.innerText};
const app = window.jupyterapp;
if (!app) return {waiting: 'window.jupyterapp'};
// The open panel of <path>, made the current widget (a headless window may have no focus,
// and then no current widget; the notebook commands act on the current one).
const panel = Array.from(app.shell.widgets('main')).find(
    w => w.context && w.context.path === path);
if (!panel || !panel.content || !panel.content.widgets) return {waiting: 'notebook panel'};
if (app.shell.currentWidget !== panel) app.shell.activateById(panel.id);
window.cvPanel = panel;
if (!panel.context.isReady) return {waiting: 'notebook model'};
const sc = panel.sessionContext;
const kernel = sc && sc.session && sc.session.kernel;
if (!sc.isReady || !kernel) return {waiting: 'kernel session'};
if (kernel.status !== 'idle') return {waiting: 'kernel status ' + kernel.status};
return {ready: true, cells: panel.content.widgets.length,
        kernel: kernel.name, attached: panel.node.querySelectorAll('.jp-Cell').length};
"""

# Every code cell as the page shows it: prompt, the first line of its source, error outputs.
CELLS_JS = r"""
const panel = window.cvPanel;
const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
const cells = [];
panel.content.widgets.forEach((cell, index) => {
  if (cell.model.type !== 'code') return;
  const node = cell.node;
  const prompt = node.querySelector('.jp-InputArea-prompt');
  const source = cell.model.sharedModel.getSource();
  const stderr = Array.from(node.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
      .map(e => e.textContent);
  const errors = [];
  for (let i = 0; i < cell.model.outputs.length; i++) {
    const out = cell.model.outputs.get(i).toJSON();
    if (out.output_type === 'error') errors.push(out.ename + ': ' + out.evalue);
  }
  // A widget output renders without a data-mime-type: find it in the model, its view in the DOM.
  let widgetOutputs = 0;
  for (let i = 0; i < cell.model.outputs.length; i++) {
    const data = cell.model.outputs.get(i).toJSON().data || {};
    if ('application/vnd.jupyter.widget-view+json' in data) widgetOutputs++;
  }
  const views = Array.from(node.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets'));
  const widgets = widgetOutputs === 0 ? [] : [{
      outputs: widgetOutputs, views: views.length,
      images: views.reduce((n, v) => n + v.querySelectorAll('img').length, 0),
      text: views.map(v => v.textContent).join(' | ')}];
  // textContent, not innerText: off-screen cells are skipped by the browser's rendering
  // (content-visibility) and their innerText is empty.
  cells.push({index: index, prompt: prompt ? prompt.textContent.trim() : '',
              count: cell.model.executionCount,
              source: source, stderr: stderr, errors: errors, widgets: widgets,
              images: node.querySelectorAll('.jp-RenderedImage img').length});
});
return {kernel: kernel ? kernel.status : 'none', cells: cells,
        images: cells.reduce((n, c) => n + c.images, 0)};
"""


def wait_for(what, timeout, poll, interval=0.5, describe=lambda last: repr(last)):
    """Call ``poll()`` until it returns ``(True, value)``; fail with ``describe(last)``."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        done, last = poll()
        if done:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}: "
                                 + describe(last))
        time.sleep(interval)


def head(source, width=100):
    lines = [ln for ln in source.splitlines() if ln.strip()]
    first = lines[0] if lines else "<empty>"
    return first if len(first) <= width else first[:width - 3] + "..."


def describe_cells(cells, keep):
    return "\n".join(f"  cell {c['index']} {c['prompt'] or '[ ]:'} {head(c['source'])}"
                     for c in cells if keep(c)) or "  (none)"


def is_error_text(text):
    return "Traceback" in text or "Error" in text


@pytest.mark.slow
@pytest.mark.parametrize("name", STUDENT_HOMEWORKS)
def test_reference_answers_run_in_jupyterlab(tmp_path, monkeypatch, name):
    require_browser()
    # Selenium Manager is skipped when the driver path is given; offline all the same.
    monkeypatch.setenv("SE_OFFLINE", "true")
    workdir = tmp_path / "work"
    home = tmp_path / "jupyter"
    workdir.mkdir()
    home.mkdir()
    notebook = f"{name}.ipynb"
    write_notebook(reference_submission(name), str(workdir / notebook))

    t0 = time.monotonic()
    lab = JupyterLab(workdir, home)
    driver = None
    try:
        lab.start()
        t_server = time.monotonic()
        driver = start_browser(tmp_path / "chromium-profile", tmp_path / "chromedriver.log")
        driver.get(f"{lab.url}/lab/tree/{notebook}")

        def notebook_ready():
            state = driver.execute_script(NOTEBOOK_STATE_JS, notebook)
            if state.get("dialog"):
                raise AssertionError(f"JupyterLab shows a dialog instead of {notebook}:\n"
                                     + state["dialog"])
            return bool(state.get("ready")), state

        wait_for(f"{notebook} and its kernel", NOTEBOOK_READY_TIMEOUT, notebook_ready)
        t_ready = time.monotonic()

        # Start from a clean page (blank prompts), then Run > Run All Cells.
        driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')"
            ".then(() => done(true), e => done(String(e)));")
        driver.execute_script(
            "window.jupyterapp.commands.execute('notebook:run-all-cells');")

        def finished():
            page = driver.execute_script(CELLS_JS)
            cells = page["cells"]
            if any(c["prompt"] == "[*]:" for c in cells) or page["kernel"] != "idle":
                return False, page
            numbered = all(c["prompt"][1:-2].isdigit() for c in cells if c["source"].strip())
            stopped = any(c["errors"] for c in cells)  # Run All stops at the first error
            return numbered or stopped, page

        timeout = run_timeout(name)
        page = wait_for(
            f"Run All Cells in {notebook}", timeout, finished,
            describe=lambda p: f"kernel {p['kernel']}; cells not done:\n" + describe_cells(
                p["cells"], lambda c: c["source"].strip() and not c["prompt"][1:-2].isdigit()))
        t_run = time.monotonic()
        cells = page["cells"]

        failed = [c for c in cells
                  if c["errors"] or any(is_error_text(t) for t in c["stderr"])]
        assert not failed, "cells with an error output:\n" + "\n".join(
            f"  cell {c['index']} {c['prompt']} {head(c['source'])}\n    "
            + "\n    ".join(c["errors"] or [t.strip()[-400:] for t in c["stderr"]])
            for c in failed)
        not_run = [c for c in cells if c["source"].strip() and not c["prompt"][1:-2].isdigit()]
        assert not not_run, "cells without an execution count:\n" + describe_cells(
            not_run, lambda c: True)
        mismatched = [c for c in cells if c["prompt"] != f"[{c['count']}]:" and c["source"].strip()]
        assert not mismatched, "prompts that disagree with the execution count:\n" + "\n".join(
            f"  cell {c['index']} shows {c['prompt']!r}, count {c['count']}" for c in mismatched)
        assert page["images"] > 0, f"no image output rendered in {notebook}"

        # Widgets render asynchronously (the widget manager fetches their models).
        if any(c["widgets"] for c in cells):
            def widgets_rendered():
                page = driver.execute_script(CELLS_JS)
                views = [w for c in page["cells"] for w in c["widgets"]]
                return all(w["views"] >= w["outputs"] for w in views), page

            page = wait_for(
                "the widget views", WIDGET_TIMEOUT, widgets_rendered,
                describe=lambda p: "widget outputs without a rendered view:\n" + describe_cells(
                    p["cells"], lambda c: any(w["views"] < w["outputs"] for w in c["widgets"])))
            broken = [c for c in page["cells"]
                      if any(is_error_text(w["text"]) or "Not implemented yet" in w["text"]
                             for w in c["widgets"])]
            assert not broken, "widgets showing an error:\n" + "\n".join(
                f"  cell {c['index']} {head(c['source'])}: "
                + " | ".join(w["text"].strip()[:300] for w in c["widgets"]) for c in broken)
        widget_cells = [c for c in page["cells"] if c["widgets"]]

        shots = []
        for label, selector in (("lab", ".jp-RenderedImage img"),
                                ("widget", ".jp-OutputArea-output > .jupyter-widgets")):
            if driver.execute_script(
                    "const e = document.querySelector(arguments[0]);"
                    "if (!e) return false;"
                    "e.scrollIntoView({block: 'center'}); return true;", selector):
                driver.execute_script(  # two frames: the scrolled cells are painted
                    "const done = arguments[arguments.length - 1];"
                    "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));")
                shot = tmp_path / f"{name}-{label}.png"
                assert driver.save_screenshot(str(shot)), f"screenshot {shot} failed"
                shots.append(shot)
        t_end = time.monotonic()

        n_code = sum(1 for c in cells if c["source"].strip())
        print(f"\n{name}: {n_code} code cells ran in JupyterLab, {page['images']} images, "
              f"{sum(w['views'] for c in widget_cells for w in c['widgets'])} widget views "
              f"({sum(w['images'] for c in widget_cells for w in c['widgets'])} images in them); "
              f"server {t_server - t0:.1f} s, notebook+kernel {t_ready - t_server:.1f} s, "
              f"run all {t_run - t_ready:.1f} s, total {t_end - t0:.1f} s")
        for shot in shots:
            print(f"{name}: screenshot {shot}")
    except AssertionError as err:
        logs = ""
        if driver is not None:
            try:
                entries = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
                logs = "\n".join(e["message"][:300] for e in entries[-10:])
            except Exception:  # the log is a diagnostic; the assertion is what matters
                pass
        raise AssertionError(f"{err}\n--- browser errors ---\n{logs or '(none)'}"
                             f"\n--- jupyter lab log ---\n{lab.log_tail(20)}") from None
    finally:
        if driver is not None:
            driver.quit()
        lab.stop()
        shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)
