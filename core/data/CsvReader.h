#pragma once
// CsvReader: a table with a header row -> TensorDataset with samples [F]. Comma separated; fields may be quoted
// ("a, b" and "say ""hi""", line breaks inside quotes included); CRLF and LF line ends; blank lines are skipped.
// Feature columns must be numbers. The label column decides the classes:
//  - all labels non-negative integers: kept as given, classes 0..max label, named by number;
//  - otherwise every label is a class name, numbered in order of first appearance in the file (so a file's
//    classes keep their ids when rows are appended, which sorting would not guarantee).
// Every error names the line (1 = header) and the column.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/Result.h"
#include "core/data/TensorDataset.h"

namespace ffn {

struct CsvOptions {
  std::string labelColumn = "label";
  // Feature columns in this order; empty: every column except the label, in file order.
  std::vector<std::string> featureColumns;
};

class CsvReader {
 public:
  // At most this many classes from integer labels (a stray large number would otherwise make millions of classes).
  static constexpr int kMaxClasses = 10000;

  static Result<std::unique_ptr<TensorDataset>> readFile(const std::string& path, const CsvOptions& options = {});
  // `source` names the text in messages (usually the file name).
  static Result<std::unique_ptr<TensorDataset>> parse(std::string_view text, const CsvOptions& options = {},
                                                      const std::string& source = "CSV");
  // The first `maxRows` records (the header first) as text, for a preview before importing: only the start of
  // the file is read, and a record cut off there is left out.
  static Result<std::vector<std::vector<std::string>>> previewFile(const std::string& path, std::size_t maxRows = 20);
};

}  // namespace ffn
