"""Reports are reproducible byte for byte apart from declared timestamps (issue #14): the order
of stdout/stderr output, the id of papermill's injected cell, the kernel's temporary file names
in warnings and unseeded randomness in figures do not change between two runs."""

from __future__ import annotations

import random

import nbformat
import numpy as np
import pytest
from test_runner import write_notebook

from clusterlab.runner import run
from clusterlab.runner.job import canonical_streams

pytestmark = pytest.mark.slow

FIG_BODY = [
    "import random\nimport sys\nimport time\nimport warnings\n\nimport matplotlib.pyplot as plt"
    "\nimport numpy as np\n\n%matplotlib inline",
    "for i in range(30):\n    print('out', i)\n    print('err', i, file=sys.stderr)\n"
    "    if i % 7 == 0:\n        time.sleep(0.21)  # across the kernel's 0.2 s flush interval\n"
    "warnings.warn('careful')",
    "x = np.random.normal(size=200)  # unseeded on purpose\nfig, ax = plt.subplots()\n"
    "ax.scatter(x, np.random.uniform(size=200))\nax.set_title('jitter')\nplt.show()",
    "print(repr(random.random()), repr(np.random.rand()))",
]

# timestamps the notebook format declares as such (papermill and nbclient timing metadata)
_DECLARED = {"start_time", "end_time", "duration", "execution"}


def _strip(node):
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k not in _DECLARED}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


@pytest.fixture(autouse=True, scope="module")
def _pinned_source_hash():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLUSTERLAB_SOURCE_HASH", "sha256:pinned-for-tests")
        yield


def test_two_runs_give_byte_identical_reports(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "parameters").mkdir()
    write_notebook(
        tmp_path / "notebooks" / "01_fig.ipynb", 'cluster = "a"\noutput_dir = ""', FIG_BODY
    )
    (tmp_path / "parameters" / "a.yaml").write_text("cluster: a\n")
    runs = [
        run(
            notebook_dir=tmp_path / "notebooks",
            parameter_dir=tmp_path / "parameters",
            output=tmp_path / "out",
            jobs=1,
            progress=False,
        )
        for _ in range(2)
    ]
    assert all(r.ok for r in runs)
    # the run id (in output_dir) is the one declared difference besides timestamps
    html = [
        (r.run_dir / "a" / "01_fig.html").read_bytes().replace(r.run_id.encode(), b"RUN")
        for r in runs
    ]
    assert html[0] == html[1]
    nbs = [nbformat.read(r.run_dir / "a" / "01_fig.ipynb", as_version=4) for r in runs]
    texts = [nbformat.writes(nb).replace(r.run_id, "RUN") for nb, r in zip(nbs, runs, strict=True)]
    stripped = [_strip(nbformat.reads(t, as_version=4)) for t in texts]
    assert stripped[0] == stripped[1]
    # stdout then stderr, each whole, in the order printed
    cells = {c.source.split("\n")[0]: c for c in nbs[0].cells}
    outputs = cells["for i in range(30):"].outputs
    assert [o.get("name") for o in outputs if o.output_type == "stream"] == ["stdout", "stderr"]
    assert outputs[0].text == "".join(f"out {i}\n" for i in range(30))
    injected = [c for c in nbs[0].cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert [c.id for c in injected] == ["injected-parameters"]
    # the global generators were seeded with 0 when the first cell ran (values computed here)
    rng = np.random.RandomState(0)
    rng.normal(size=200)
    rng.uniform(size=200)
    expected = f"{random.Random(0).random()!r} {rng.rand()!r}\n"
    assert nbs[0].cells[-1].outputs[0].text == expected


def test_canonical_streams_keeps_displays_in_place(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="e1\n"),
        nbformat.v4.new_output("stream", name="stdout", text="o1\n"),
        nbformat.v4.new_output("stream", name="stderr", text="e2\n"),
        nbformat.v4.new_output("display_data", data={"text/plain": "D"}),
        nbformat.v4.new_output("stream", name="stdout", text="o2\n"),
    ]
    nb.cells = [cell]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    canonical_streams(path)
    got = nbformat.read(path, as_version=4).cells[0].outputs
    assert [(o.output_type, o.get("name"), o.get("text")) for o in got] == [
        ("stream", "stdout", "o1\n"),
        ("stream", "stderr", "e1\ne2\n"),
        ("display_data", None, None),
        ("stream", "stdout", "o2\n"),
    ]
