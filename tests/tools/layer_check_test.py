# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""scripts/layer-check fails on each kind of include against the layer map
and passes the tree as it is."""

import pathlib
import subprocess
import sys

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "layer-check"


def run(root=None):
    args = [sys.executable, str(SCRIPT)] + (["--root", str(root)] if root else [])
    return subprocess.run(args, capture_output=True, text=True)


def tree(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_the_tree_follows_the_map():
    result = run()
    assert result.returncode == 0, result.stdout
    assert "every include follows the layer map" in result.stdout


def test_an_upward_include_fails(tmp_path):
    root = tree(tmp_path, {
        "src/core/a.cc": '#include "sync/importer.h"\n',
        "src/sync/importer.h": "",
    })
    result = run(root)
    assert result.returncode == 1
    assert ("src/core/a.cc:1: core includes sync/importer.h (sync, a layer "
            "above)") in result.stdout


def test_an_upward_public_header_fails(tmp_path):
    root = tree(tmp_path, {
        "include/ioreplication/folder.h": '\n#include "ioreplication/store.h"\n',
        "include/ioreplication/store.h": "",
    })
    result = run(root)
    assert result.returncode == 1
    assert ("include/ioreplication/folder.h:2: model includes "
            "ioreplication/store.h (stores, a layer above)") in result.stdout


def test_another_layers_private_header_needs_a_reason(tmp_path):
    root = tree(tmp_path, {
        "src/sync/b.cc": '#include "stores/sqlite_db.h"\n#include "core/text.h"\n',
    })
    result = run(root)
    assert result.returncode == 1
    assert "sync includes stores/sqlite_db.h, a private header of stores" in result.stdout
    assert "core/text.h" not in result.stdout  # core's helpers serve everyone


def test_a_public_header_without_a_layer_fails(tmp_path):
    root = tree(tmp_path, {"include/ioreplication/new_thing.h": ""})
    result = run(root)
    assert result.returncode == 1
    assert "new_thing.h: no layer" in result.stdout
