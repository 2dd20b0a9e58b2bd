#include "app/cli/MpiSession.h"

#include <cstdlib>
#include <vector>

#ifdef FFN_HAVE_MPI
#include <mpi.h>
#endif

namespace ffn::cli {
namespace {

#ifdef FFN_HAVE_MPI
constexpr int kHeaderTag = 41, kDataTag = 42;
constexpr int kHeaderSize = 6;  // index, seconds, train loss, test floats, train floats, test rows
#endif

}  // namespace

bool MpiSession::launchedByMpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr;
}

bool MpiSession::builtWithMpi() {
#ifdef FFN_HAVE_MPI
  return true;
#else
  return false;
#endif
}

MpiSession::MpiSession() {
#ifdef FFN_HAVE_MPI
  if (!launchedByMpirun()) return;
  // Only the main thread calls MPI; member threads never do.
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) return;
  m_active = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &m_size);
#endif
}

MpiSession::~MpiSession() {
#ifdef FFN_HAVE_MPI
  if (m_active) MPI_Finalize();
#endif
}

void MpiSession::send(const MemberResult& result) {
#ifdef FFN_HAVE_MPI
  const double header[kHeaderSize] = {static_cast<double>(result.index), result.seconds, result.trainLoss,
                                      static_cast<double>(result.testOutputs.size()),
                                      static_cast<double>(result.trainOutputs.size()),
                                      static_cast<double>(result.testOutputs.rows())};
  std::vector<float> data(result.testOutputs.values().begin(), result.testOutputs.values().end());
  data.insert(data.end(), result.trainOutputs.values().begin(), result.trainOutputs.values().end());
  MPI_Send(header, kHeaderSize, MPI_DOUBLE, 0, kHeaderTag, MPI_COMM_WORLD);
  MPI_Send(data.data(), static_cast<int>(data.size()), MPI_FLOAT, 0, kDataTag, MPI_COMM_WORLD);
#else
  (void)result;
#endif
}

bool MpiSession::receive(MemberResult& result, bool wait) {
#ifdef FFN_HAVE_MPI
  MPI_Status status;
  if (!wait) {
    int flag = 0;
    MPI_Iprobe(MPI_ANY_SOURCE, kHeaderTag, MPI_COMM_WORLD, &flag, &status);
    if (!flag) return false;
  }
  double header[kHeaderSize];
  MPI_Recv(header, kHeaderSize, MPI_DOUBLE, wait ? MPI_ANY_SOURCE : status.MPI_SOURCE, kHeaderTag, MPI_COMM_WORLD,
           &status);
  const auto testCount = static_cast<std::int64_t>(header[3]), trainCount = static_cast<std::int64_t>(header[4]);
  const auto testRows = static_cast<std::int64_t>(header[5]);
  std::vector<float> data(static_cast<std::size_t>(testCount + trainCount));
  MPI_Recv(data.data(), static_cast<int>(data.size()), MPI_FLOAT, status.MPI_SOURCE, kDataTag, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  const std::int64_t bits = testRows ? testCount / testRows : 0;
  result.index = static_cast<int>(header[0]);
  result.seconds = header[1];
  result.trainLoss = header[2];
  result.testOutputs = Tensor(Shape{testRows, bits}, std::span<const float>(data.data(), static_cast<std::size_t>(testCount)));
  result.trainOutputs = Tensor(Shape{bits ? trainCount / bits : 0, bits},
                               std::span<const float>(data.data() + testCount, static_cast<std::size_t>(trainCount)));
  return true;
#else
  (void)result;
  (void)wait;
  return false;
#endif
}

void MpiSession::abortAll(int code) {
#ifdef FFN_HAVE_MPI
  if (m_active && m_size > 1) MPI_Abort(MPI_COMM_WORLD, code);
#else
  (void)code;
#endif
}

}  // namespace ffn::cli
