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
endif()
target_compile_definitions(ffn_warnings INTERFACE QT_NO_KEYWORDS)
