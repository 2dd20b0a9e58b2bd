#pragma once
// The `.ffnlab` project file: one JSON document (2-space indent, keys in sorted order, so files diff well and
// saving an unchanged project gives the same bytes), saved atomically. Trained weights go beside it as
// safetensors (defaultWeightsPath).
//   {"format": "ffnlab-project", "version": 1, "name", "description", "seed", "device",
//    "graph": {...}, "dataset": {...},
//    "training": {"rule", "ruleParams", "epochs", "batchSize", "optimizer": {...}},
//    "lrp": {"composite", "overrides"}, "runs": [...]}
// Only "format" and "version" are required; a missing section takes the defaults of Project. A file from a newer
// FFN Lab is refused with a message saying so; damaged files are refused with a message naming the field.
// Loading never touches the caller's Project: it returns a new one or an error.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/Result.h"
#include "core/project/Project.h"

namespace ffn {

inline constexpr int kProjectFormatVersion = 1;  // the newest version this build reads and the one it writes
inline constexpr std::size_t kProjectMaxBytes = 64u * 1024u * 1024u;  // larger files are refused unread
inline constexpr int kMaxEpochs = 1'000'000;
inline constexpr int kMaxBatchSize = 1 << 20;

Json projectToJson(const Project& project);
Result<Project> projectFromJson(const Json& json);

// The file's text (what saveProject writes), and back.
std::string projectToText(const Project& project);
Result<Project> projectFromText(std::string_view text);

Result<Project> loadProject(const std::string& path);
Status saveProject(const Project& project, const std::string& path);

// Where a project's weights live by default: "runs/mnist.ffnlab" -> "runs/mnist.safetensors".
std::string defaultWeightsPath(const std::string& projectPath);

}  // namespace ffn
