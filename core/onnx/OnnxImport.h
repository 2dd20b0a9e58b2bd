#pragma once
// ONNX import of feed-forward models — an MLP exported from PyTorch, a model exported by FFN Lab — into a project
// the lab can show, train further and explain. The model must be one chain from its input to its output built
// from: Gemm (any transB, alpha, beta), MatMul with a constant weight [in, out] (+ Add of a constant bias), Relu,
// Sigmoid, Tanh, Elu, Gelu (also in PyTorch's erf form Div/Erf/Add/Mul/Mul), Softmax, LayerNormalization, Flatten
// (and a Reshape that flattens), Identity, Dropout, Conv, MaxPool, AveragePool; Constant nodes feed them.
// Anything else is refused, naming every unsupported operator.
// Nothing the file claims is trusted: tensors are checked against the values they really hold before anything is
// allocated, and the imported graph passes the GraphValidator and compiles before it is handed out.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/Result.h"
#include "core/project/Project.h"
#include "core/project/Safetensors.h"

namespace ffn {

struct ImportedModel {
  Project project;                    // Input, the layers, Output (cross-entropy), laid out top to bottom; no data yet
  std::vector<NamedTensor> weights;   // "<node>.<weight>", as the compiled network names them
  std::vector<std::string> notes;     // what the person should know (e.g. the model already ends in Softmax)
};

// Protobuf cannot parse messages of 2 GB or more; larger files are refused unread.
inline constexpr std::size_t kOnnxMaxBytes = (std::size_t{2} << 30) - 1;

// `source` names the model in messages ("'mlp.onnx'").
Result<ImportedModel> importOnnx(std::string_view bytes, const std::string& source = "the ONNX model");
Result<ImportedModel> readOnnx(const std::string& path);

}  // namespace ffn
