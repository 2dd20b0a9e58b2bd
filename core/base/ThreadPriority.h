#pragma once
// Background priority for compute threads that share the machine with an interactive thread (the lab's window).
// On Linux the nice value is per thread and threads inherit it from the thread that creates them, so a training
// thread that lowers its own priority before it makes its backend takes the compute pool's workers with it, and
// the scheduler then lets the UI thread run first whenever both want a core.
namespace ffn {

// How far below normal a background compute thread runs (nice +10: ~1/10 the CPU weight of a normal thread).
constexpr int kBackgroundNiceIncrement = 10;

// Lowers the calling thread's scheduling priority by `increment` nice steps. Lowering needs no privileges; it
// cannot be raised back without them. Returns false where the platform has no per-thread priority (the call is
// then a no-op) or the system refused.
bool lowerCurrentThreadPriority(int increment = kBackgroundNiceIncrement);

// The calling thread's nice value (0 = normal; larger = lower priority), or 0 where the platform has none.
int currentThreadNice();

}  // namespace ffn
