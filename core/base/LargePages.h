#pragma once
// LargePageAllocator: a std allocator for large arrays read at random, as a dataset's pixels are by shuffled
// batches. Blocks of kLargeBlock bytes or more are aligned to 2 MB and offered to the kernel for transparent huge
// pages (madvise MADV_HUGEPAGE, before the first touch; Debian's default THP mode, "madvise", gives huge pages
// only where asked). A batch of 128 Fashion-MNIST images scattered over 47 MB took a TLB miss and a page walk for
// nearly every image on 4 KB pages. On huge pages the backprop epoch measured 1.026x and 1.027x faster within
// one binary (the advice switched off by an environment variable), but only 1.005x against the build before
// (paired medians of 10-20 rounds, tests/bench/paired.py, 2026-12-01): a small gain, near the bench's noise.
// Smaller blocks are plain 64-byte aligned memory.
//
// Not for a network's weights, gradients and moments: 2 MB alignment puts element i of each of them in the same
// cache set, and the optimiser, which reads all four at i together, measured 1% slower that way.
//
// Where huge pages are unavailable (not Linux, THP off) the advice is ignored and the memory is ordinary.
#include <cstddef>

namespace ffn {

namespace largepages {
// Blocks at least this large go on huge pages (rounded up to whole kHugePage pages).
constexpr std::size_t kLargeBlock = std::size_t{1} << 20;
constexpr std::size_t kHugePage = std::size_t{2} << 20;

// Never null (throws std::bad_alloc); `bytes` may be 0. Blocks from allocate go back through release.
void* allocate(std::size_t bytes);
void release(void* p) noexcept;
}  // namespace largepages

template <typename T>
struct LargePageAllocator {
  using value_type = T;
  LargePageAllocator() noexcept = default;
  template <typename U>
  LargePageAllocator(const LargePageAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(largepages::allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) noexcept { largepages::release(p); }
  template <typename U>
  bool operator==(const LargePageAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace ffn
