#include "core/project/Safetensors.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "core/base/AtomicFile.h"
#include "core/base/ByteCodec.h"

namespace ffn {
namespace {

using Json = nlohmann::json;

constexpr const char* kMetadataKey = "__metadata__";

struct DtypeInfo {
  std::size_t bytes = 0;  // 0: not readable
};

DtypeInfo dtypeInfo(const std::string& dtype) {
  if (dtype == "F32") return {4};
  if (dtype == "F16" || dtype == "BF16") return {2};
  if (dtype == "F64") return {8};
  return {0};
}

void convertToFloat(const std::string& dtype, const unsigned char* bytes, std::vector<float>& out) {
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (dtype == "F32") out[i] = std::bit_cast<float>(loadLittle<std::uint32_t>(bytes + 4 * i));
    else if (dtype == "F16") out[i] = halfToFloat(loadLittle<std::uint16_t>(bytes + 2 * i));
    else if (dtype == "BF16") out[i] = std::bit_cast<float>(std::uint32_t{loadLittle<std::uint16_t>(bytes + 2 * i)} << 16);
    else out[i] = narrowToFloat(std::bit_cast<double>(loadLittle<std::uint64_t>(bytes + 8 * i)));
  }
}

// What the header says about one tensor, checked against the data section's size.
struct TensorEntry {
  std::string name;
  std::string dtype;
  Shape shape;
  std::uint64_t begin = 0, end = 0;
};

Result<TensorEntry> parseEntry(const std::string& name, const Json& json, std::uint64_t dataBytes) {
  const std::string where = "tensor '" + name + "'";
  if (!json.is_object()) return fail(where, ": its header entry must be a JSON object");
  for (const auto& [key, value] : json.items())
    if (key != "dtype" && key != "shape" && key != "data_offsets") return fail(where, ": unknown field '", key, "'");
  if (!json.contains("dtype") || !json.at("dtype").is_string()) return fail(where, ": 'dtype' must be a string");
  TensorEntry entry{name, json.at("dtype").get<std::string>(), {}, 0, 0};
  const DtypeInfo info = dtypeInfo(entry.dtype);
  if (info.bytes == 0)
    return fail(where, " has dtype ", entry.dtype, "; FFN Lab reads F32 (and converts F16, BF16 and F64)");

  if (!json.contains("shape") || !json.at("shape").is_array()) return fail(where, ": 'shape' must be a list");
  std::vector<std::int64_t> dims;
  for (const Json& dim : json.at("shape")) {
    if (!dim.is_number_unsigned()) return fail(where, ": 'shape' must hold whole numbers >= 0, got ", json.at("shape").dump());
    const std::uint64_t d = dim.get<std::uint64_t>();
    if (d > (std::uint64_t{1} << 62)) return fail(where, ": dimension ", std::to_string(d), " is impossibly large");
    dims.push_back(static_cast<std::int64_t>(d));
  }
  entry.shape = Shape(std::move(dims));
  // Checked before it is taken: with a zero among the dims, those before it may still overflow ([2^62, 2^62, 0]).
  const bool tooMany = !entry.shape.elementCountWithin(static_cast<std::int64_t>(std::min<std::uint64_t>(
      dataBytes, std::numeric_limits<std::int64_t>::max())));
  const auto elements = tooMany ? 0 : static_cast<std::uint64_t>(entry.shape.elementCount());

  const Json& offsets = json.contains("data_offsets") ? json.at("data_offsets") : Json();
  if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
    return fail(where, ": 'data_offsets' must be two whole numbers [begin, end]");
  entry.begin = offsets[0].get<std::uint64_t>();
  entry.end = offsets[1].get<std::uint64_t>();
  if (entry.begin > entry.end || entry.end > dataBytes)
    return fail(where, ": data_offsets [", std::to_string(entry.begin), ", ", std::to_string(entry.end),
                "] lie outside the ", std::to_string(dataBytes), " bytes of data in the file");
  if (tooMany || elements * info.bytes != entry.end - entry.begin)
    return fail(where, ": shape ", entry.shape.toString(), " of ", entry.dtype, " does not match its ",
                std::to_string(entry.end - entry.begin), " bytes of data");
  return entry;
}

// Tensors must tile the data section exactly: no overlap (two tensors sharing bytes), no gap (hidden bytes).
Status checkLayout(std::vector<TensorEntry>& entries, std::uint64_t dataBytes) {
  std::stable_sort(entries.begin(), entries.end(), [](const TensorEntry& a, const TensorEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t expected = 0;
  const TensorEntry* previous = nullptr;
  for (const TensorEntry& entry : entries) {
    if (entry.begin < expected)
      return fail("tensors '", previous->name, "' and '", entry.name, "' overlap in the file");
    if (entry.begin > expected)
      return fail("there are ", std::to_string(entry.begin - expected), " unused bytes before tensor '", entry.name, "'");
    expected = entry.end;
    previous = &entry;
  }
  if (expected != dataBytes)
    return fail("there are ", std::to_string(dataBytes - expected), " bytes after the last tensor's data");
  return {};
}

std::string systemReason() { return std::generic_category().message(errno); }

Result<SafetensorsFile> readFrom(std::ifstream& in, std::uint64_t fileBytes) {
  if (fileBytes < 8) return fail("it is too short (", std::to_string(fileBytes), " bytes) to be a safetensors file");
  unsigned char lengthBytes[8];
  if (!in.read(reinterpret_cast<char*>(lengthBytes), 8)) return fail("cannot read its header length");
  const std::uint64_t headerBytes = loadLittle<std::uint64_t>(lengthBytes);
  if (headerBytes > fileBytes - 8)
    return fail("its header claims ", std::to_string(headerBytes), " bytes, but the file has only ",
                std::to_string(fileBytes - 8), " after the length (truncated, or not a safetensors file)");
  if (headerBytes > kSafetensorsMaxHeaderBytes)
    return fail("its header claims ", std::to_string(headerBytes), " bytes, more than the ",
                std::to_string(kSafetensorsMaxHeaderBytes), " allowed");
  std::string headerText(static_cast<std::size_t>(headerBytes), '\0');
  if (!in.read(headerText.data(), static_cast<std::streamsize>(headerBytes))) return fail("cannot read its header");

  Json header;
  try {
    header = Json::parse(headerText);
  } catch (const Json::parse_error& e) {
    return fail("its header is not valid JSON (", e.what(), ")");
  }
  if (!header.is_object()) return fail("its header must be a JSON object");

  const std::uint64_t dataBytes = fileBytes - 8 - headerBytes;
  SafetensorsFile file;
  std::vector<TensorEntry> entries;
  for (const auto& [name, value] : header.items()) {
    if (name == kMetadataKey) {
      if (!value.is_object()) return fail("its __metadata__ must be a JSON object");
      for (const auto& [key, text] : value.items()) {
        if (!text.is_string()) return fail("metadata '", key, "' must be a string, not ", text.type_name());
        file.metadata[key] = text.get<std::string>();
      }
      continue;
    }
    auto entry = parseEntry(name, value, dataBytes);
    if (!entry) return entry.error();
    entries.push_back(std::move(*entry));
  }
  FFN_TRY(checkLayout(entries, dataBytes));

  // Only now, with every size proven to fit inside the file, is anything allocated.
  std::vector<unsigned char> raw;
  for (const TensorEntry& entry : entries) {
    raw.resize(static_cast<std::size_t>(entry.end - entry.begin));
    in.seekg(static_cast<std::streamoff>(8 + headerBytes + entry.begin));
    if (!in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(raw.size())))
      return fail("cannot read the data of tensor '", entry.name, "'");
    NamedTensor tensor{entry.name, entry.shape, std::vector<float>(static_cast<std::size_t>(entry.shape.elementCount()))};
    convertToFloat(entry.dtype, raw.data(), tensor.values);
    file.tensors.push_back(std::move(tensor));
  }
  return file;
}

}  // namespace

const NamedTensor* SafetensorsFile::find(const std::string& name) const {
  auto it = std::find_if(tensors.begin(), tensors.end(), [&](const NamedTensor& t) { return t.name == name; });
  return it == tensors.end() ? nullptr : &*it;
}

Result<std::string> encodeSafetensors(const std::vector<NamedTensor>& tensors, const SafetensorsMetadata& metadata) {
  Json header = Json::object();
  std::set<std::string> names;
  std::uint64_t offset = 0;
  for (const NamedTensor& tensor : tensors) {
    if (tensor.name.empty() || tensor.name == kMetadataKey) return fail("a tensor cannot be named '", tensor.name, "'");
    if (!names.insert(tensor.name).second) return fail("two tensors are named '", tensor.name, "'");
    for (std::int64_t d : tensor.shape.dims())
      if (d < 0) return fail("tensor '", tensor.name, "' has a negative dimension in ", tensor.shape.toString());
    if (static_cast<std::int64_t>(tensor.values.size()) != tensor.shape.elementCount())
      return fail("tensor '", tensor.name, "' has ", std::to_string(tensor.values.size()), " values for shape ",
                  tensor.shape.toString());
    const std::uint64_t bytes = 4 * tensor.values.size();
    header[tensor.name] = Json{{"dtype", "F32"}, {"shape", tensor.shape.dims()}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  if (!metadata.empty()) header[kMetadataKey] = metadata;

  std::string headerText;
  try {
    headerText = header.dump();
  } catch (const Json::exception& e) {  // a name that is not valid UTF-8
    return fail("cannot write the safetensors header: ", e.what());
  }
  headerText.append((8 - headerText.size() % 8) % 8, ' ');  // the data starts 8-byte aligned

  std::string bytes(8 + headerText.size() + offset, '\0');
  storeLittle<std::uint64_t>(headerText.size(), bytes.data());
  std::memcpy(bytes.data() + 8, headerText.data(), headerText.size());
  char* out = bytes.data() + 8 + headerText.size();
  for (const NamedTensor& tensor : tensors)
    for (float v : tensor.values) {
      storeLittle(std::bit_cast<std::uint32_t>(v), out);
      out += 4;
    }
  return bytes;
}

Status writeSafetensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                        const SafetensorsMetadata& metadata) {
  auto bytes = encodeSafetensors(tensors, metadata);
  if (!bytes) return fail("cannot save '", path, "': ", bytes.message());
  return writeFileAtomically(path, *bytes);
}

Result<SafetensorsFile> readSafetensors(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return fail("cannot open '", path, "': it is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open '", path, "': ", systemReason());
  const std::uintmax_t fileBytes = std::filesystem::file_size(path, ec);
  if (ec) return fail("cannot open '", path, "': ", ec.message());
  try {
    auto file = readFrom(in, fileBytes);
    if (!file) return fail("cannot read weights from '", path, "': ", file.message());
    return file;
  } catch (const std::exception& e) {  // a missed JSON case or a failed allocation must not escape
    return fail("cannot read weights from '", path, "': ", e.what());
  }
}

}  // namespace ffn
