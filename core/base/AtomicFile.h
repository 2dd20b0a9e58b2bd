#pragma once
// Saving without ever leaving a half-written file: the bytes go to a temporary file in the target's folder,
// are flushed to disk, and only then renamed over the target (rename is atomic within one file system), so a
// crash, a full disk or a pulled plug leaves either the old file or the new one — never a mix. Reading is
// bounded, so a wrong or hostile file cannot make us allocate without limit.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/base/Result.h"

namespace ffn {

// Replaces the file at `path` with `bytes`. On failure the previous file is untouched, no temporary file is
// left behind, and the message names the path and the reason ("No space left on device", ...). A symbolic link
// at `path` is followed: its target is replaced and the link stays.
Status writeFileAtomically(const std::string& path, std::string_view bytes);

// The whole file, refused (without reading it) when it is larger than `maxBytes`.
Result<std::string> readWholeFile(const std::string& path, std::size_t maxBytes);

// Test seam. The steps of an atomic write where the operating system can fail us.
enum class AtomicWriteStep { Create, Write, Sync, Rename };
// When set, called before each step; a non-zero return is taken as that step failing with this errno value
// (ENOSPC, EROFS, EIO, ...), so tests can show what a full disk does without filling one. Not thread-safe:
// set it only in tests, and clear it (pass {}) afterwards.
using AtomicWriteFault = std::function<int(AtomicWriteStep)>;
void setAtomicWriteFaultForTesting(AtomicWriteFault fault);

}  // namespace ffn
