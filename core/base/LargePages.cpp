#include "core/base/LargePages.h"

#include <algorithm>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ffn::largepages {

void* allocate(std::size_t bytes) {
  const bool large = bytes >= kLargeBlock;
  const std::size_t alignment = large ? kHugePage : 64;
  // aligned_alloc wants a size that is a multiple of the alignment.
  const std::size_t size = (std::max<std::size_t>(bytes, 1) + alignment - 1) / alignment * alignment;
  void* p = std::aligned_alloc(alignment, size);
  if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // Advice only: where the kernel declines, the pages are ordinary ones and nothing else changes.
  if (large) madvise(p, size, MADV_HUGEPAGE);
#endif
  return p;
}

void release(void* p) noexcept { std::free(p); }

}  // namespace ffn::largepages
