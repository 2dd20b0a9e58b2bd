#pragma once
// IdxReader: the IDX format of MNIST and Fashion-MNIST (big-endian header: two zero bytes, a type byte, a rank
// byte, then one uint32 per dimension; then the values). Reads gzip-compressed files directly through zlib, and
// plain files through the same calls. A header is never trusted with memory: claimed sizes are capped and the
// payload is read in chunks, so a corrupt or truncated file fails with a message instead of a huge allocation.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/data/ImageDataset.h"

namespace ffn {

struct IdxArray {
  std::vector<std::int64_t> dims;  // dims[0] is the number of records read (the file may hold more)
  std::int64_t fileRecords = 0;    // dims[0] as the header states it
  PixelBytes data;  // row-major, dims' product bytes
};

class IdxReader {
 public:
  // No IDX file we read holds more than 2^31 values (Fashion-MNIST's largest holds 47 million).
  static constexpr std::int64_t kMaxElements = std::int64_t{1} << 31;
  // Deflate expands at most ~1032:1, so a gzip file claiming more than this many times its size is corrupt.
  static constexpr std::int64_t kMaxGzipRatio = 1100;

  // Reads an IDX file of unsigned bytes (type 0x08), gzip-compressed or not. maxRecords > 0 reads only the
  // first maxRecords records (entries of the first dimension).
  static Result<IdxArray> read(const std::string& path, std::int64_t maxRecords = 0);

  // Images [N, H, W] (or [N, C, H, W]) and labels [N] -> an ImageDataset with samples [1, H, W] ([C, H, W]).
  // Every label must be below classNames.size(); with no class names the classes are 0..max label, named by
  // number. maxRecords > 0 keeps the first maxRecords samples.
  static Result<std::unique_ptr<ImageDataset>> readImages(const std::string& imagesPath,
                                                          const std::string& labelsPath,
                                                          std::vector<std::string> classNames,
                                                          std::int64_t maxRecords = 0);
};

}  // namespace ffn
