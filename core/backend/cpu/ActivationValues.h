#pragma once
// y = f(x) over contiguous floats: the one definition of every activation's value on the host, shared by
// activationForward and the epilogue of linearForward, so a fused and an unfused forward give the same bits.
#include <cstdint>

#include "core/backend/Backend.h"

namespace ffn {

// x:[count] -> y:[count] (y may be x)
void activationValues(ActivationKind kind, float alpha, const float* x, float* y, std::int64_t count);

}  // namespace ffn
