# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""PCL and IDSET codecs."""

import uuid

import pytest

import ioreplication as ior

A = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")
B = uuid.UUID("ffeeddcc-bbaa-9988-7766-554433221100")


def test_pcl_compare_and_merge_on_real_versions():
    with ior.Store.open("memory:") as s:
        root = s.create_root("R")
        v1 = s.create_item(root, ior.Content())
        v2 = s.modify_item(v1, ior.Content(body="edited"))
    assert ior.pcl_compare(v2.pcl, v1.pcl) == ior.PclOrder.NEWER
    assert ior.pcl_compare(v1.pcl, v2.pcl) == ior.PclOrder.OLDER
    assert ior.pcl_compare(v1.pcl, v1.pcl) == ior.PclOrder.EQUAL
    assert ior.pcl_compare(b"", v1.pcl) == ior.PclOrder.OLDER
    assert ior.pcl_merge(v1.pcl, v2.pcl) == v2.pcl
    with pytest.raises(ior.CorruptError):
        ior.pcl_compare(v1.pcl[:-1], v2.pcl)
    with pytest.raises(ior.InvalidArgumentError):
        ior.pcl_compare("text", v2.pcl)


def test_idset_operations_and_round_trips():
    s = ior.IdSet()
    s.add(A, 1, 5)
    s.add(A, 9)
    s.add(B, 100, 101)
    assert len(s) == 8
    assert (A, 3) in s and (A, 6) not in s and (B, 101) in s
    assert "not a pair" not in s
    assert (A, 0) not in s and (A, 1 << 48) not in s and (A, -1) not in s
    assert ior.IdSet.decode(s.encode()) == s
    assert ior.IdSet.parse(str(s)) == s
    other = ior.IdSet.parse("{00112233-4455-6677-8899-AABBCCDDEEFF}: 6-8")
    union = s | other
    assert len(union) == 11 and len(s) == 8
    s |= other
    assert s == union
    assert ior.IdSet().encode() == b""
    with pytest.raises(ior.RangeError):
        s.add(A, 0)
    with pytest.raises(ior.RangeError):
        s.add(A, 5, 2)


def test_idset_refuses_garbage():
    blob = ior.IdSet.parse("{00112233-4455-6677-8899-AABBCCDDEEFF}: 1-5").encode()
    with pytest.raises(ior.CorruptError, match="byte 26"):
        ior.IdSet.decode(blob[:-1])
    with pytest.raises(ior.CorruptError):
        ior.IdSet.decode(blob + b"\x00")
    with pytest.raises(ior.InvalidArgumentError, match="line"):
        ior.IdSet.parse("{00112233-4455-6677-8899-AABBCCDDEEFF}: 5-x")
