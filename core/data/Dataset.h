#pragma once
// Dataset: samples addressed by index. Storage stays compact (Fashion-MNIST keeps its uint8 pixels) and is turned
// into float only when a batch is made.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/data/Batch.h"
#include "core/tensor/Shape.h"

namespace ffn {

// Calls piece(begin, end) over pieces of [0, count), possibly several at once on other threads (a backend's host
// threads, Backend::hostParallel); returns when all are done.
using ParallelPieces =
    std::function<void(std::int64_t count, const std::function<void(std::int64_t begin, std::int64_t end)>& piece)>;

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
  // The same batch, its rows made in pieces through `parallel` where the dataset can (the training loop's batch:
  // made on one thread it kept the other core waiting for 2-4% of a Fashion-MNIST step). Default: makeBatch.
  virtual void makeBatchInPieces(std::span<const std::int64_t> indices, Batch& batch,
                                 const ParallelPieces& parallel) const {
    makeBatch(indices, batch);
  }
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
