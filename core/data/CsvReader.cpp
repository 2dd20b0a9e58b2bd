#include "core/data/CsvReader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace ffn {
namespace {

struct Record {
  int line = 0;  // where the record starts
  std::vector<std::string> fields;
};

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Splits the text into records (RFC 4180 quoting). Unquoted fields are trimmed; blank lines produce no record.
Result<std::vector<Record>> splitRecords(std::string_view text, const std::string& source) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark from spreadsheet exports
  std::vector<Record> records;
  Record record{1, {}};
  std::string field;
  bool quotedField = false;  // the current field was quoted (so it is not trimmed)
  int line = 1;
  std::size_t i = 0;
  auto endField = [&] {
    record.fields.push_back(quotedField ? field : std::string(trimmed(field)));
    field.clear();
    quotedField = false;
  };
  auto endRecord = [&] {
    endField();
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank) records.push_back(std::move(record));
    record = Record{line, {}};
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && trimmed(field).empty() && !quotedField) {
      field.clear();
      quotedField = true;
      const int startLine = line;
      for (++i;; ++i) {
        if (i >= text.size()) return fail(source, ": line ", std::to_string(startLine), ": a quoted field is never closed");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            ++i;
            continue;
          }
          break;
        }
        if (text[i] == '\n') ++line;
        field += text[i];
      }
      ++i;  // past the closing quote; only spaces may follow before the separator
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
        return fail(source, ": line ", std::to_string(line), ": unexpected text after a closing quote");
      continue;
    }
    if (c == ',') {
      endField();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      endRecord();
    } else {
      if (quotedField) return fail(source, ": line ", std::to_string(line), ": unexpected text after a closing quote");
      field += c;
    }
    ++i;
  }
  if (!field.empty() || quotedField || !record.fields.empty()) endRecord();
  return records;
}

// Numbers are trimmed even when quoted (" 1.25 " is 1.25); only labels keep a quoted field's spaces.
bool parseFloat(std::string_view text, float& value) {
  text = trimmed(text);
  if (text.starts_with('+')) text.remove_prefix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool parseInt(std::string_view text, std::int64_t& value) {
  text = trimmed(text);
  if (text.starts_with('+')) text.remove_prefix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

std::string cellPlace(const std::string& source, int line, const std::string& column) {
  return source + ": line " + std::to_string(line) + ", column '" + column + "'";
}

}  // namespace

Result<std::unique_ptr<TensorDataset>> CsvReader::readFile(const std::string& path, const CsvOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return fail("'", path, "': file not found");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("'", path, "': cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), options, "'" + path + "'");
}

Result<std::vector<std::vector<std::string>>> CsvReader::previewFile(const std::string& path, std::size_t maxRows) {
  constexpr std::size_t kPreviewBytes = 256 * 1024;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return fail("'", path, "': file not found");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("'", path, "': cannot open the file");
  std::string text(kPreviewBytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  const bool whole = in.gcount() < static_cast<std::streamsize>(kPreviewBytes);
  if (!whole) text.resize(text.find_last_of('\n') == std::string::npos ? 0 : text.find_last_of('\n') + 1);
  auto records = splitRecords(text, "'" + path + "'");
  if (!records) return records.error();
  std::vector<std::vector<std::string>> rows;
  for (auto& record : *records) {
    if (rows.size() >= maxRows) break;
    rows.push_back(std::move(record.fields));
  }
  return rows;
}

Result<std::unique_ptr<TensorDataset>> CsvReader::parse(std::string_view text, const CsvOptions& options,
                                                        const std::string& source) {
  auto split = splitRecords(text, source);
  if (!split) return split.error();
  const std::vector<Record>& records = *split;
  if (records.empty()) return fail(source, ": the file is empty");
  const std::vector<std::string>& header = records[0].fields;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c].empty()) return fail(source, ": line 1: column ", std::to_string(c + 1), " has no name");
    if (std::find(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(c), header[c]) !=
        header.begin() + static_cast<std::ptrdiff_t>(c))
      return fail(source, ": line 1: the header names column '", header[c], "' twice");
  }
  auto columnIndex = [&](const std::string& name) -> std::ptrdiff_t {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : it - header.begin();
  };
  std::string columnList;
  for (const auto& name : header) columnList += (columnList.empty() ? "" : ", ") + name;
  const std::ptrdiff_t labelIndex = columnIndex(options.labelColumn);
  if (labelIndex < 0)
    return fail(source, ": no label column '", options.labelColumn, "'; the columns are ", columnList);
  std::vector<std::size_t> featureIndices;
  if (options.featureColumns.empty()) {
    for (std::size_t c = 0; c < header.size(); ++c)
      if (static_cast<std::ptrdiff_t>(c) != labelIndex) featureIndices.push_back(c);
  } else {
    for (const auto& name : options.featureColumns) {
      const std::ptrdiff_t c = columnIndex(name);
      if (c < 0) return fail(source, ": no feature column '", name, "'; the columns are ", columnList);
      if (c == labelIndex) return fail(source, ": column '", name, "' cannot be both the label and a feature");
      featureIndices.push_back(static_cast<std::size_t>(c));
    }
  }
  if (featureIndices.empty()) return fail(source, ": no feature columns besides the label '", options.labelColumn, "'");
  if (records.size() == 1) return fail(source, ": the file has a header but no data rows");

  const std::size_t rows = records.size() - 1;
  std::vector<float> features;
  features.reserve(rows * featureIndices.size());
  std::vector<std::string> labelTexts;
  labelTexts.reserve(rows);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const Record& record = records[r];
    if (record.fields.size() != header.size())
      return fail(source, ": line ", std::to_string(record.line), ": ", std::to_string(record.fields.size()),
                  " fields, but the header has ", std::to_string(header.size()), " columns");
    for (std::size_t c : featureIndices) {
      const std::string& cell = record.fields[c];
      if (trimmed(cell).empty()) return fail(cellPlace(source, record.line, header[c]), ": missing value");
      float value = 0.0f;
      if (!parseFloat(cell, value)) return fail(cellPlace(source, record.line, header[c]), ": '", cell, "' is not a number");
      if (!std::isfinite(value))
        return fail(cellPlace(source, record.line, header[c]), ": '", cell, "' is not a finite number");
      features.push_back(value);
    }
    const std::string& label = record.fields[static_cast<std::size_t>(labelIndex)];
    if (label.empty()) return fail(cellPlace(source, record.line, options.labelColumn), ": missing value");
    labelTexts.push_back(label);
  }

  std::vector<std::int32_t> labels(rows);
  std::vector<std::string> classNames;
  const bool numeric = std::all_of(labelTexts.begin(), labelTexts.end(), [](const std::string& t) {
    std::int64_t v = 0;
    return parseInt(t, v) && v >= 0;
  });
  if (numeric) {
    std::int64_t largest = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      std::int64_t v = 0;
      (void)parseInt(labelTexts[r], v);
      if (v >= kMaxClasses)
        return fail(cellPlace(source, records[r + 1].line, options.labelColumn), ": class ", labelTexts[r],
                    " is too large (integer labels are class ids, at most ", std::to_string(kMaxClasses - 1), ")");
      labels[r] = static_cast<std::int32_t>(v);
      largest = std::max(largest, v);
    }
    for (std::int64_t c = 0; c <= largest; ++c) classNames.push_back(std::to_string(c));
  } else {
    std::unordered_map<std::string, std::int32_t> ids;
    for (std::size_t r = 0; r < rows; ++r) {
      auto [it, added] = ids.try_emplace(labelTexts[r], static_cast<std::int32_t>(classNames.size()));
      if (added) {
        if (static_cast<int>(classNames.size()) >= kMaxClasses)
          return fail(cellPlace(source, records[r + 1].line, options.labelColumn), ": more than ",
                      std::to_string(kMaxClasses), " distinct labels");
        classNames.push_back(labelTexts[r]);
      }
      labels[r] = it->second;
    }
  }
  auto dataset = TensorDataset::create(Shape{static_cast<std::int64_t>(featureIndices.size())}, std::move(features),
                                       std::move(labels), std::move(classNames));
  if (!dataset) return fail(source, ": ", dataset.message());
  return std::move(dataset).value();
}

}  // namespace ffn
