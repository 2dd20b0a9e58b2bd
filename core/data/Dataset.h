#pragma once
// Dataset: samples addressed by index. Storage stays compact (Fashion-MNIST keeps its uint8 pixels) and is turned
// into float only when a batch is made.
#include <span>
#include <string>
#include <vector>

#include "core/data/Batch.h"
#include "core/tensor/Shape.h"

namespace ffn {

class Dataset {
 public:
  virtual ~Dataset() = default;

  virtual std::int64_t size() const = 0;
  // One sample's shape: [features] or [channels, height, width].
  virtual Shape sampleShape() const = 0;
  // Number of classes; labels are 0..classCount()-1.
  virtual int classCount() const = 0;
  virtual int label(std::int64_t index) const = 0;
  // Target vectors (the permutation task's bit vectors); classification data has none.
  virtual bool hasTargets() const { return false; }
  virtual Shape targetShape() const { return {}; }
  // Fills batch with the samples at `indices`, in order. Reuses the batch's buffers.
  virtual void makeBatch(std::span<const std::int64_t> indices, Batch& batch) const = 0;
  virtual std::vector<std::string> classNames() const;

  // The samples [first, first + count) as a batch.
  void makeRangeBatch(std::int64_t first, std::int64_t count, Batch& batch) const;
};

// The three parts of the data a run uses. Validation and test may be absent.
struct DataSplits {
  const Dataset* train = nullptr;
  const Dataset* validation = nullptr;
  const Dataset* test = nullptr;
};

}  // namespace ffn
