# Installs the build tree into a scratch prefix, then builds and runs small
# consumers against it: a C and a C++ host through find_package(ioreplication),
# and the C host again through pkg-config. Run by ctest as the install_consumer test.
#
# Optional: -DCXX_FLAGS=... -DLINK_FLAGS=... (the parent build's, so that a
# sanitizer build's consumer links the same runtime).
foreach(var SOURCE_DIR BUILD_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_install.cmake needs -D${var}=...")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# 1. CMake package.
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/consumer -B ${WORK_DIR}/cmake
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release
    "-DCMAKE_C_FLAGS=${CXX_FLAGS}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
run(${WORK_DIR}/cmake/consumer_c)
run(${WORK_DIR}/cmake/consumer_cpp)

# 2. pkg-config, with the .pc file found through PKG_CONFIG_PATH only.
file(GLOB_RECURSE pc_files ${prefix}/*/ioreplication.pc)
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir ${pc_file} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
execute_process(COMMAND pkg-config --cflags --libs ioreplication
  RESULT_VARIABLE rc OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config could not find ioreplication in ${pc_dir}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags} ${CXX_FLAGS} ${LINK_FLAGS}")
get_filename_component(libdir ${pc_dir} DIRECTORY)
run(cc -std=c99 -pedantic -Werror ${SOURCE_DIR}/tests/install/consumer/consumer.c ${flags}
    -Wl,-rpath,${libdir} -o ${WORK_DIR}/consumer_pkgconfig)
run(${WORK_DIR}/consumer_pkgconfig)
# 3. The Python package, when built: imported from the prefix alone (not the
#    build tree), it finds the installed library through its relative RPATH.
if(DEFINED PYTHON)
  file(GLOB_RECURSE py_inits ${prefix}/__init__.py)
  list(FILTER py_inits INCLUDE REGEX "/ioreplication/__init__\\.py$")
  list(LENGTH py_inits n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "expected one installed ioreplication package, found: ${py_inits}")
  endif()
  get_filename_component(py_pkg ${py_inits} DIRECTORY)
  get_filename_component(py_dir ${py_pkg} DIRECTORY)
  set(ENV{PYTHONPATH} ${py_dir})
  set(ENV{LD_LIBRARY_PATH} "")
  run(${PYTHON} -c [=[
import ioreplication as ior, sys
assert ior.__file__.startswith(sys.argv[1]), ior.__file__
with ior.Store.open("memory:") as s:
    s.create_root("R")
    assert s.counts().folders == 1
]=] ${prefix})
endif()
message(STATUS "install_consumer: CMake package, pkg-config and Python all work")
