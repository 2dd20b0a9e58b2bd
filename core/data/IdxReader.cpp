#include "core/data/IdxReader.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace ffn {
namespace {

constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzHandle = std::unique_ptr<gzFile_s, GzCloser>;

std::string quoted(const std::string& path) { return "'" + path + "'"; }

std::string typeName(int type) {
  switch (type) {
    case 0x08: return "uint8";
    case 0x09: return "int8";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return "unknown";
  }
}

std::string hex(unsigned value, int digits) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*X", digits, value);
  return text;
}

// Reads exactly `size` bytes; false at end of file or on a stream error (message set).
bool readExactly(gzFile file, void* out, unsigned size, std::string& message) {
  auto* bytes = static_cast<unsigned char*>(out);
  unsigned done = 0;
  while (done < size) {
    const int got = gzread(file, bytes + done, size - done);
    if (got > 0) {
      done += static_cast<unsigned>(got);
      continue;
    }
    int code = Z_OK;
    const char* text = gzerror(file, &code);
    // Z_BUF_ERROR is zlib's "unexpected end of file" inside a gzip stream: a truncated file, not a bad one.
    if (got < 0 && code != Z_BUF_ERROR) message = std::string("corrupt data (") + text + ")";
    return false;
  }
  return true;
}

}  // namespace

Result<IdxArray> IdxReader::read(const std::string& path, std::int64_t maxRecords) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return fail(quoted(path), ": file not found");
  const auto fileBytes = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
  if (ec) return fail(quoted(path), ": cannot read its size (", ec.message(), ")");
  GzHandle file(gzopen(path.c_str(), "rb"));
  if (!file) return fail(quoted(path), ": cannot open the file");
  gzbuffer(file.get(), 1 << 18);

  std::string streamError;
  unsigned char magic[4];
  if (!readExactly(file.get(), magic, 4, streamError))
    return fail(quoted(path), ": ", streamError.empty() ? "too short for an IDX header" : streamError);
  const unsigned magicValue = (unsigned{magic[0]} << 24) | (unsigned{magic[1]} << 16) | (unsigned{magic[2]} << 8) |
                              unsigned{magic[3]};
  if (magic[0] != 0 || magic[1] != 0 || magic[3] == 0 || magic[3] > 4 || typeName(magic[2]) == "unknown")
    return fail(quoted(path), ": not an IDX file (magic number ", hex(magicValue, 8),
                "; expected 0x00000801 for labels or 0x00000803 for images)");
  if (magic[2] != 0x08)
    return fail(quoted(path), ": holds ", typeName(magic[2]), " values (type ", hex(magic[2], 2),
                "); only unsigned bytes (type 0x08) are supported");

  const int rank = magic[3];
  unsigned char header[16];
  if (!readExactly(file.get(), header, static_cast<unsigned>(4 * rank), streamError))
    return fail(quoted(path), ": ", streamError.empty() ? "header ends early" : streamError);
  IdxArray array;
  std::int64_t claimed = 1;
  std::string dimsText;
  for (int d = 0; d < rank; ++d) {
    const unsigned char* b = header + 4 * d;
    const std::int64_t dim = (std::int64_t{b[0]} << 24) | (std::int64_t{b[1]} << 16) | (std::int64_t{b[2]} << 8) |
                             std::int64_t{b[3]};
    array.dims.push_back(dim);
    dimsText += (d ? " x " : "") + std::to_string(dim);
    // Capped at every step, and checked before multiplying: claimed (<= 2^31 + 1) times a dim (< 2^32) could
    // pass 2^63 (found by fuzz_idx; regression: tests/fuzz/regressions/idx).
    claimed = dim != 0 && claimed > kMaxElements / dim ? kMaxElements + 1 : std::min(claimed * dim, kMaxElements + 1);
  }
  if (claimed > kMaxElements)
    return fail(quoted(path), ": header claims ", dimsText, " values, more than the 2^31 this reader accepts");
  const std::int64_t headerBytes = 4 + 4 * rank;
  if (gzdirect(file.get())) {
    if (claimed > fileBytes - headerBytes)
      return fail(quoted(path), ": truncated: header claims ", std::to_string(claimed), " bytes of data (", dimsText,
                  ") but the file holds ", std::to_string(std::max<std::int64_t>(0, fileBytes - headerBytes)));
  } else if (claimed > kMaxGzipRatio * fileBytes) {
    return fail(quoted(path), ": header claims ", std::to_string(claimed), " bytes of data (", dimsText,
                "), more than a gzip file of ", std::to_string(fileBytes),
                " bytes can hold; the file is corrupt or truncated");
  }

  array.fileRecords = array.dims[0];
  if (maxRecords > 0 && maxRecords < array.dims[0]) array.dims[0] = maxRecords;
  const std::int64_t recordBytes = array.fileRecords ? claimed / array.fileRecords : 0;
  const auto wanted = static_cast<std::size_t>(recordBytes * array.dims[0]);
  // Chunked, geometrically growing reads: a truncated file runs out of data long before the buffer gets large,
  // and the last reserve stops exactly at `wanted`, so no capacity is wasted.
  while (array.data.size() < wanted) {
    const std::size_t old = array.data.size();
    const std::size_t chunk = std::min(kChunkBytes, wanted - old);
    if (old + chunk > array.data.capacity())
      array.data.reserve(std::min(wanted, std::max(old + chunk, 2 * array.data.capacity())));
    array.data.resize(old + chunk);
    if (!readExactly(file.get(), array.data.data() + old, static_cast<unsigned>(chunk), streamError)) {
      if (!streamError.empty()) return fail(quoted(path), ": ", streamError);
      return fail(quoted(path), ": truncated: expected ", std::to_string(wanted), " bytes of data (", dimsText,
                  "), the file ends before byte ", std::to_string(old + chunk));
    }
  }
  return array;
}

Result<std::unique_ptr<ImageDataset>> IdxReader::readImages(const std::string& imagesPath,
                                                            const std::string& labelsPath,
                                                            std::vector<std::string> classNames,
                                                            std::int64_t maxRecords) {
  auto images = read(imagesPath, maxRecords);
  if (!images) return images.error();
  if (images->dims.size() != 3 && images->dims.size() != 4)
    return fail(quoted(imagesPath), ": expected images [N, height, width], found ", std::to_string(images->dims.size()),
                " dimensions");
  auto labels = read(labelsPath, maxRecords);
  if (!labels) return labels.error();
  if (labels->dims.size() != 1)
    return fail(quoted(labelsPath), ": expected labels [N], found ", std::to_string(labels->dims.size()),
                " dimensions");
  if (images->fileRecords != labels->fileRecords)
    return fail(quoted(imagesPath), " holds ", std::to_string(images->fileRecords), " images but ",
                quoted(labelsPath), " holds ", std::to_string(labels->fileRecords), " labels");

  int classes = static_cast<int>(classNames.size());
  if (classNames.empty()) {
    for (std::uint8_t label : labels->data) classes = std::max(classes, int{label} + 1);
    for (int c = 0; c < classes; ++c) classNames.push_back(std::to_string(c));
  }
  std::vector<std::int32_t> labelValues(labels->data.size());
  for (std::size_t i = 0; i < labels->data.size(); ++i) {
    if (labels->data[i] >= classes)
      return fail(quoted(labelsPath), ": label ", std::to_string(labels->data[i]), " of sample ", std::to_string(i),
                  " is outside 0..", std::to_string(classes - 1));
    labelValues[i] = labels->data[i];
  }
  const auto& d = images->dims;
  const Shape sample = d.size() == 3 ? Shape{1, d[1], d[2]} : Shape{d[1], d[2], d[3]};
  auto dataset = ImageDataset::create(sample, std::move(images->data), std::move(labelValues), std::move(classNames));
  if (!dataset) return fail(quoted(imagesPath), ": ", dataset.message());
  return std::move(dataset).value();
}

}  // namespace ffn
