# Sanitizer and fuzzing builds. The sanitizer flags go on every target of the build (core, the CLI, their tests,
# the fuzz targets), so a sanitizer sees every line of ours; system libraries (Qt, OpenBLAS, protobuf) stay
# uninstrumented. One build serves both (.ci/harden): FFN_FUZZ=ON gives the tests and the fuzz targets at once.
if(FFN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "FFN_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(FFN_SANITIZE ON)
  # libFuzzer's coverage feedback is compiled into the engine only (core and ONNX, in their CMakeLists): that is
  # the code a loader runs; the tests do not need it and run faster without it. Only the fuzz targets link
  # libFuzzer's main itself (-fsanitize=fuzzer).
  set(FFN_FUZZ_COVERAGE -fsanitize=fuzzer-no-link)
endif()
if(FFN_SANITIZE)
  # -fno-sanitize-recover: undefined behaviour aborts the test like a memory error does (halt on error).
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
  # Line tables are all a report's stack trace needs, at a fraction of full debug information's compile and
  # link time (the CI step builds everything from scratch).
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    add_compile_options(-gline-tables-only)
  else()
    add_compile_options(-g1)
  endif()
endif()
