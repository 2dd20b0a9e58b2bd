#pragma once
// Denormal floats (below 1.2e-38) flushed to zero, as results (FTZ) and as inputs (DAZ), on this thread for the
// guard's lifetime; the previous mode comes back after. An optimiser's moments decay towards zero wherever a
// weight's gradient stays zero (a dead ReLU unit's weights: m shrinks by beta1 = 0.9 per step and turns denormal
// after ~800 steps), and arithmetic producing denormals takes a microcode assist per vector: Adam's update took
// 127 us per step in the Fashion-MNIST MLP's fourth and fifth epochs, 86 with them flushed. Flushed, those
// moments become zero instead of a few 1e-39; the weights' updates, at most ~1e-33 there, round away either way.
// TensorFlow runs all its CPU work this way; we keep it to the updates that measured the assists.
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

namespace ffn {

class FlushDenormals {
 public:
#if defined(__x86_64__) || defined(__i386__)
  FlushDenormals() : m_saved(_mm_getcsr()) { _mm_setcsr(m_saved | kFlushToZero | kDenormalsAreZero); }
  ~FlushDenormals() { _mm_setcsr(m_saved); }
#else
  FlushDenormals() = default;  // other architectures keep their default mode
#endif
  FlushDenormals(const FlushDenormals&) = delete;
  FlushDenormals& operator=(const FlushDenormals&) = delete;

 private:
#if defined(__x86_64__) || defined(__i386__)
  static constexpr unsigned kFlushToZero = 0x8000, kDenormalsAreZero = 0x0040;  // MXCSR bits
  unsigned m_saved;
#endif
};

}  // namespace ffn
