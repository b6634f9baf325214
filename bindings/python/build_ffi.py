# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""Generates the C source of the ioreplication._native extension module.

Usage: build_ffi.py PREPROCESSED_HEADER INCLUDE_DIR OUTPUT_C

cffi's API mode: the declarations come from the public C headers themselves
(preprocessed with -DIOREPL_CDEF, which skips their system includes), so the
binding cannot drift from the ABI. The C compiler then checks every
declaration against the real header when it compiles the output, and takes
the values of the integer macros from it. No setuptools and no PyPI: CMake
compiles the output like any other C file.
"""

import pathlib
import re
import sys

import cffi

# Callbacks the binding implements in Python (ioreplication/_callbacks.py).
_PYTHON_CALLBACKS = """
extern "Python" {
  int _iorepl_py_begin(void*);
  int _iorepl_py_commit(void*);
  int _iorepl_py_rollback(void*);
  int _iorepl_py_get(void*, const iorepl_key*, int, iorepl_rows*);
  int _iorepl_py_put(void*, const iorepl_record*);
  int _iorepl_py_remove(void*, const iorepl_key*);
  int _iorepl_py_list(void*, const iorepl_key*, int, size_t, int, iorepl_rows*);
  int _iorepl_py_scan(void*, uint64_t, uint64_t, int, size_t, size_t,
                      iorepl_rows*);
  int _iorepl_py_count(void*, int, uint64_t*);
  int _iorepl_py_get_value(void*, const char*, iorepl_blob*);
  int _iorepl_py_put_value(void*, const char*, const uint8_t*, size_t);
  void _iorepl_py_destroy(void*);
  void _iorepl_py_log(void*, int, const char*, const char*, size_t);
  int _iorepl_py_progress(void*, const iorepl_progress*);
  int _iorepl_py_conflict(void*, const iorepl_conflict*, int*, int*);
  void _iorepl_py_pass(void*, const iorepl_pass_report*);
}
"""

# `#define IOREPL_NAME value` with an integer value (not the function-like
# initializer macros, the include guards or the version string).
_INT_MACRO = re.compile(r"^#define (IOREPL_[A-Z0-9_]+)\s+[(0-9]", re.M)


def integer_macros(include_dir: pathlib.Path) -> list[str]:
    names = []
    for header in sorted(include_dir.glob("iorepl/*.h")) + [
        include_dir / "ioreplication" / "version.h"
    ]:
        text = header.read_text()
        # Joins continuation lines so multi-line values are seen whole.
        text = text.replace("\\\n", " ")
        for match in _INT_MACRO.finditer(text):
            line = text[match.start() : text.index("\n", match.start())]
            if "{" in line or match.group(1).endswith("_INIT"):
                continue
            names.append(match.group(1))
    return sorted(set(names))


def main() -> None:
    preprocessed, include_dir, output = sys.argv[1:]
    include_dir = pathlib.Path(include_dir)
    declarations = pathlib.Path(preprocessed).read_text()
    macros = "".join(f"#define {name} ...\n" for name in integer_macros(include_dir))

    ffi = cffi.FFI()
    ffi.cdef(declarations + macros + _PYTHON_CALLBACKS)
    ffi.set_source("ioreplication._native", '#include "iorepl/iorepl.h"\n')
    ffi.emit_c_code(output)


if __name__ == "__main__":
    main()
