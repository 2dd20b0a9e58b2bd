#include "core/rules/RuleParameters.h"

namespace ffn {
namespace {

// As in the network: every tensor starts on a 64-byte boundary.
constexpr std::int64_t kAlignment = 16;

}  // namespace

void RuleParameters::clear() {
  m_entries.clear();
  m_size = 0;
  m_weights = Tensor();
  m_gradients = Tensor();
  m_optimizer.reset();
}

int RuleParameters::add(std::string name, Shape shape) {
  const std::int64_t offset = m_size;
  m_size = (offset + shape.elementCount() + kAlignment - 1) / kAlignment * kAlignment;
  m_entries.push_back({std::move(name), std::move(shape), offset});
  return count() - 1;
}

void RuleParameters::allocate() {
  m_weights = Tensor(Shape{m_size});
  m_gradients = Tensor(Shape{m_size});
  m_optimizer.reset();
}

WeightRange RuleParameters::range(int first, int count) const {
  const Entry& last = m_entries[static_cast<std::size_t>(first + count - 1)];
  const std::int64_t begin = m_entries[static_cast<std::size_t>(first)].offset;
  return {begin, last.offset + last.shape.elementCount() - begin};
}

std::vector<RuleTensor> RuleParameters::tensors() const {
  std::vector<RuleTensor> out;
  for (int i = 0; i < count(); ++i) out.push_back({m_entries[static_cast<std::size_t>(i)].name, weight(i)});
  return out;
}

void RuleParameters::zeroGradients(Backend& backend, WeightRange range) {
  if (range.count == 0) range = {0, m_size};
  if (range.count > 0) backend.fill(0.0f, TensorView(m_gradients, range.offset, Shape{range.count}));
}

Status RuleParameters::step(Backend& backend, const Optimizer& runOptimizer, WeightRange range) {
  if (!m_optimizer) {
    auto created = Optimizer::create(runOptimizer.settings(), backend);
    if (!created) return created.error();
    m_optimizer = std::move(*created);
  }
  m_optimizer->setProgress(runOptimizer.progress());
  return m_optimizer->step(m_weights, m_gradients, range);
}

}  // namespace ffn
