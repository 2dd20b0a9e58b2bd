#pragma once
// One entry point per loader, taking the raw bytes of a file: shared by the libFuzzer targets (fuzz_*.cpp, built
// with -DFFN_FUZZ=ON) and the deterministic mutation test (tst_loader_mutations.cpp, in every build). Each runs
// the loader as the lab does and then what the lab does next with a loaded value that is cheap to do (a project's
// graph is validated and saved again), so a loaded value that is only half sane shows up too. Loaders that read
// paths get the bytes through a file in the temporary folder, so the real reading code runs.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>

#include "core/base/Result.h"
#include "core/data/CsvReader.h"
#include "core/data/IdxReader.h"
#include "core/graph/GraphValidator.h"
#include "core/onnx/OnnxImport.h"
#include "core/project/ProjectFile.h"
#include "core/project/Safetensors.h"

namespace ffn::fuzz {

// The scratch files of this process, removed when it exits (a fuzz run starts thousands of processes).
class ScratchFiles {
 public:
  ~ScratchFiles() {
    std::error_code ignored;
    for (const auto& path : m_paths) std::filesystem::remove(path, ignored);
  }
  void add(const std::string& path) { m_paths.insert(path); }

 private:
  std::set<std::string> m_paths;
};

// A file of this process holding `bytes` (rewritten on every call).
inline std::string scratchFile(std::string_view bytes, const char* suffix) {
  static const std::string base =
      (std::filesystem::temp_directory_path() / ("ffn-fuzz-" + std::to_string(::getpid()))).string();
  static ScratchFiles files;
  const std::string path = base + suffix;
  files.add(path);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

inline Status loadIdx(std::string_view bytes) {
  auto array = IdxReader::read(scratchFile(bytes, ".idx"));
  if (!array) return array.error();
  // The dims' product, without overflowing on the way (a zero dim after two large ones is a valid empty array).
  std::uint64_t count = 1;
  for (auto d : array->dims)
    if (__builtin_mul_overflow(count, static_cast<std::uint64_t>(d), &count)) count = ~std::uint64_t{0};
  if (count != array->data.size()) return fail("BUG: IDX dims do not match its data");
  return {};
}

inline Status loadCsv(std::string_view bytes) {
  auto data = CsvReader::parse(bytes, {}, "fuzz.csv");
  if (!data) return data.error();
  return {};
}

inline Status loadProject(std::string_view bytes) {
  auto project = projectFromText(bytes);
  if (!project) return project.error();
  // What opening a project does next: check the graph (shapes, limits) and show it; saving must give a file
  // that loads again. A graph the check finds invalid still opens (its nodes are drawn with their messages);
  // here that message counts as the file's refusal, so a regression input may be one the check refuses.
  const GraphCheck check = checkGraph(project->graph);
  auto again = projectFromText(projectToText(*project));
  if (!again) return fail("BUG: a loaded project does not load after saving: ", again.message());
  if (!check.ok()) return Error{check.firstError()};
  return {};
}

inline Status loadSafetensors(std::string_view bytes) {
  auto file = readSafetensors(scratchFile(bytes, ".safetensors"));
  if (!file) return file.error();
  for (const auto& t : file->tensors)
    if (static_cast<std::size_t>(t.shape.elementCount()) != t.values.size()) return fail("BUG: tensor size mismatch");
  return {};
}

inline Status loadOnnx(std::string_view bytes) {
  auto model = importOnnx(bytes, "fuzz.onnx");
  if (!model) return model.error();
  return {};
}

}  // namespace ffn::fuzz
