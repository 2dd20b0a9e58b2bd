#pragma once
// The safetensors format (as written by Hugging Face's `safetensors`), so trained weights open in PyTorch,
// NumPy or JAX and theirs open here:
//   8 bytes   little-endian u64 N: the header's length
//   N bytes   JSON {"<name>": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
//                   "__metadata__": {"<key>": "<value>"}}, padded with spaces so the data starts 8-byte aligned
//   the rest  each tensor's values, little-endian, row-major, at [begin, end) counted from the data's start
// The reader trusts nothing in the header: lengths, offsets, shapes and dtypes are all checked against the file
// before anything is allocated, so a damaged or hostile file gives an error, never a crash or a huge allocation.
#include <map>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/tensor/Shape.h"

namespace ffn {

struct NamedTensor {
  std::string name;
  Shape shape;
  std::vector<float> values;  // shape.elementCount() values, row-major
};

using SafetensorsMetadata = std::map<std::string, std::string>;

struct SafetensorsFile {
  std::vector<NamedTensor> tensors;  // in the order of their data in the file
  SafetensorsMetadata metadata;
  // The tensor with this name, or nullptr.
  const NamedTensor* find(const std::string& name) const;
};

// Headers larger than this are refused (the reference implementation's limit).
inline constexpr std::uint64_t kSafetensorsMaxHeaderBytes = 100'000'000;

// Writes the tensors as F32, in the given order, atomically (see AtomicFile.h).
Status writeSafetensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                        const SafetensorsMetadata& metadata = {});
// The bytes writeSafetensors would write.
Result<std::string> encodeSafetensors(const std::vector<NamedTensor>& tensors, const SafetensorsMetadata& metadata = {});

// Reads F32 tensors; F16, BF16 and F64 are converted to float; any other dtype is refused by name.
Result<SafetensorsFile> readSafetensors(const std::string& path);

}  // namespace ffn
