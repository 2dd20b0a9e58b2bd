#pragma once
// MemberPool: trains a list of ensemble members, one per thread at a time (each on its own one-thread backend),
// streaming: a thread keeps just the member it is training, and a finished member leaves only its outputs.
// Work is handed out in member-epochs, so a caller can advance the whole ensemble a slice at a time (a training
// rule's step) and stay responsive. Which thread trains which member never changes a member's numbers.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/base/ThreadPool.h"
#include "core/rules/EnsembleMember.h"

namespace ffn {

class MemberPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<EnsembleMember>>()>;

  // members: the indices to train, in order; seedOf(index) their weight seeds; evalInputs:[T, in] the inputs
  // each finished member is evaluated on (must outlive the pool). keepWeightsOf: a member whose weights are kept.
  MemberPool(int threads, std::vector<int> members, std::function<std::uint64_t(int)> seedOf, Factory factory,
             const Tensor& evalInputs, int epochsPerMember, int keepWeightsOf = 0);

  // Trains about `epochs` member-epochs (every remaining one when epochs < 0), spread over the threads; returns
  // the members that finished meanwhile, in index order.
  Result<std::vector<MemberResult>> advance(std::int64_t epochs);
  std::int64_t epochsDone() const { return m_epochsDone.load(); }
  std::int64_t epochsTotal() const { return static_cast<std::int64_t>(m_members.size()) * m_epochsPerMember; }
  bool finished() const { return epochsDone() >= epochsTotal(); }
  int threadCount() const { return static_cast<int>(m_slots.size()); }
  // true when members train by the basis path (known after the first member started; false before)
  bool basisPath() const { return m_basisPath.load(); }

 private:
  struct Slot {
    std::unique_ptr<EnsembleMember> member;
    bool busy = false;
  };
  Status work(Slot& slot, std::int64_t quota, std::vector<MemberResult>& finished);

  std::vector<int> m_members;
  std::function<std::uint64_t(int)> m_seedOf;
  Factory m_factory;
  const Tensor& m_evalInputs;
  int m_epochsPerMember;
  int m_keepWeightsOf;
  std::vector<Slot> m_slots;
  ThreadPool m_threads;
  std::atomic<std::size_t> m_next{0};
  std::atomic<std::int64_t> m_epochsDone{0};
  std::atomic<bool> m_basisPath{false};
  std::mutex m_mutex;  // guards the finished list and the first error of an advance
};

}  // namespace ffn
