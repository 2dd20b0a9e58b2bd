// The libFuzzer target for one loader, chosen at compile time (FFN_FUZZ_LOADER=loadIdx, ...; see CMakeLists.txt:
// one executable per loader, fuzz_idx, fuzz_csv, ...). A crash, a sanitizer report, a leak or a "BUG:" message (a
// loaded value that is not self-consistent) is a finding; an ordinary error message is the loader doing its job.
#include <cstdint>
#include <cstdlib>

#include "tests/fuzz/FuzzLoaders.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ffn::Status status = ffn::fuzz::FFN_FUZZ_LOADER({reinterpret_cast<const char*>(data), size});
  if (!status && status.message().rfind("BUG:", 0) == 0) std::abort();
  return 0;
}
