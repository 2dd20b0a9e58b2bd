# One INTERFACE target carries the project's warning and code-generation flags; every target links it.
add_library(ffn_warnings INTERFACE)
target_compile_options(ffn_warnings INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
# GCC 12 at -O3 reports false -Wrestrict overlaps inside std::string concatenation (GCC bug 105329).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(ffn_warnings INTERFACE -Wno-restrict)
endif()
if(FFN_WERROR)
  target_compile_options(ffn_warnings INTERFACE -Werror)
endif()
if(FFN_NATIVE)
  target_compile_options(ffn_warnings INTERFACE -march=native)
  # GCC 12's AVX-512 intrinsics pass a deliberately uninitialised `__Y` (`_mm512_undefined_ps`) as the unused merge
  # operand, and once Eigen's packet code is inlined GCC warns about its own header (GCC bug 105593, fixed in 13):
  # with -Werror the build failed on every AVX-512 machine. Off only where that happens: GCC before 13 compiling
  # for a CPU with AVX-512; everywhere else the warnings stay.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    include(CheckCXXSourceCompiles)
    include(CMakePushCheckState)
    cmake_push_check_state()
    set(CMAKE_REQUIRED_FLAGS -march=native)
    check_cxx_source_compiles("#ifndef __AVX512F__\n#error no AVX-512\n#endif\nint main() { return 0; }"
                              FFN_NATIVE_HAS_AVX512)
    cmake_pop_check_state()
    if(FFN_NATIVE_HAS_AVX512)
      target_compile_options(ffn_warnings INTERFACE -Wno-maybe-uninitialized -Wno-uninitialized)
    endif()
  endif()
endif()
target_compile_definitions(ffn_warnings INTERFACE QT_NO_KEYWORDS)
