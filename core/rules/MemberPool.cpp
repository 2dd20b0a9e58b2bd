#include "core/rules/MemberPool.h"

#include <algorithm>
#include <limits>

namespace ffn {

MemberPool::MemberPool(int threads, std::vector<int> members, std::function<std::uint64_t(int)> seedOf,
                       Factory factory, const Tensor& evalInputs, int epochsPerMember, int keepWeightsOf)
    : m_members(std::move(members)),
      m_seedOf(std::move(seedOf)),
      m_factory(std::move(factory)),
      m_evalInputs(evalInputs),
      m_epochsPerMember(epochsPerMember),
      m_keepWeightsOf(keepWeightsOf),
      m_slots(static_cast<std::size_t>(std::max(1, threads))),
      m_threads(std::max(1, threads)) {}

Status MemberPool::work(Slot& slot, std::int64_t quota, std::vector<MemberResult>& finished) {
  while (quota > 0) {
    if (!slot.busy) {
      const std::size_t next = m_next.fetch_add(1);
      if (next >= m_members.size()) return {};
      if (!slot.member) {
        auto member = m_factory();
        if (!member) return member.error();
        slot.member = std::move(*member);
        m_basisPath = slot.member->usesBasisPath();
      }
      FFN_TRY(slot.member->start(m_members[next], m_seedOf(m_members[next])));
      slot.busy = true;
    }
    const auto chunk = static_cast<int>(std::min<std::int64_t>(quota, m_epochsPerMember));
    auto ran = slot.member->train(chunk);
    if (!ran) return ran.error();
    quota -= std::max(*ran, 1);
    m_epochsDone += *ran;
    if (slot.member->done()) {
      auto result = slot.member->finish(m_evalInputs, slot.member->index() == m_keepWeightsOf);
      if (!result) return result.error();
      slot.busy = false;
      std::lock_guard lock(m_mutex);
      finished.push_back(std::move(*result));
    }
  }
  return {};
}

Result<std::vector<MemberResult>> MemberPool::advance(std::int64_t epochs) {
  std::vector<MemberResult> finished;
  if (this->finished()) return finished;
  const auto slots = static_cast<std::int64_t>(m_slots.size());
  const std::int64_t quota =
      epochs < 0 ? std::numeric_limits<std::int64_t>::max() : std::max<std::int64_t>(1, (epochs + slots - 1) / slots);
  std::vector<Status> status(m_slots.size());
  m_threads.run(static_cast<int>(slots), [&](int s) {
    status[static_cast<std::size_t>(s)] = work(m_slots[static_cast<std::size_t>(s)], quota, finished);
  });
  for (const auto& s : status)
    if (!s) return s.error();
  std::sort(finished.begin(), finished.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  return finished;
}

}  // namespace ffn
