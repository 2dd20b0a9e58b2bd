#include "core/base/ThreadPriority.h"

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#endif

namespace ffn {

#if defined(__linux__)
namespace {
// Linux applies PRIO_PROCESS to one task (thread) when given its thread id, not to the whole process.
id_t currentThreadId() { return static_cast<id_t>(syscall(SYS_gettid)); }
}  // namespace

bool lowerCurrentThreadPriority(int increment) {
  if (increment <= 0) return true;
  return setpriority(PRIO_PROCESS, currentThreadId(), currentThreadNice() + increment) == 0;
}

int currentThreadNice() {
  errno = 0;  // -1 is a valid nice value: only errno tells a failure
  const int nice = getpriority(PRIO_PROCESS, currentThreadId());
  return errno == 0 ? nice : 0;
}
#else
bool lowerCurrentThreadPriority(int) { return false; }
int currentThreadNice() { return 0; }
#endif

}  // namespace ffn
