# Sanitizer and fuzzing builds. The flags go on every target of the build (core, its tests, the fuzz targets), so
# a sanitizer sees every line of ours; system libraries (Qt, OpenBLAS, protobuf) stay uninstrumented.
if(FFN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "FFN_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(FFN_SANITIZE ON)
  # Coverage feedback for libFuzzer in every object; only the fuzz targets link libFuzzer's main itself.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(FFN_SANITIZE)
  # -fno-sanitize-recover: undefined behaviour aborts the test like a memory error does (halt on error).
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
