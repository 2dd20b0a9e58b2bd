#pragma once
// MpiSession: `ffnlab-cli perm` beyond one machine. Started by mpirun (OpenMPI sets OMPI_COMM_WORLD_SIZE; other
// launchers PMI_SIZE), every rank trains its share of the members and sends each finished member's outputs to rank
// 0, which folds them in member order: the same curve, bit for bit, as one process with the same seed. Without
// mpirun, or in a build without MPI (FFN_HAVE_MPI), it is a session of one and nothing changes.
#include <string>

#include "core/rules/EnsembleMember.h"

namespace ffn::cli {

class MpiSession {
 public:
  MpiSession();  // initialises MPI when launched by mpirun and MPI was built in
  ~MpiSession();  // finalises it
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  static bool launchedByMpirun();
  static bool builtWithMpi();
  int rank() const { return m_rank; }
  int size() const { return m_size; }
  bool active() const { return m_active; }

  // A rank other than 0: hands a finished member to rank 0.
  void send(const MemberResult& result);
  // Rank 0: the next member sent by another rank, waiting for one when `wait`; false when none is there.
  bool receive(MemberResult& result, bool wait);
  // A rank that fails while others wait on it stops them all (MPI_Abort); without MPI it does nothing.
  void abortAll(int code);

 private:
  bool m_active = false;
  int m_rank = 0, m_size = 1;
};

}  // namespace ffn::cli
