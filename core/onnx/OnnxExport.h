#pragma once
// ONNX export of a trained network, so it opens in Netron and runs in ONNX Runtime: one ONNX node (or a few) per
// layer, weights as initializers named like the safetensors tensors ("fc1.weight"), opset 17.
//   Dense -> Gemm (transB = 1: our W:[out, in] is stored as it is); LowRank -> two Gemms, V then U (its factors,
//   so the rank stays visible); BlockDiagonal -> one Gemm over the dense product of its blocks; ReLU, ELU, Tanh,
//   Sigmoid -> their ops; GELU -> its exact erf form 0.5 x (1 + erf(x / sqrt 2)) (Gelu itself needs opset 20);
//   LayerNorm -> LayerNormalization over all features of a sample; Softmax, Flatten -> their ops (an image is
//   flattened first where we read it as features); Conv2d, MaxPool2d, AvgPool2d -> Conv, MaxPool, AveragePool;
//   Dropout -> nothing (inference).
// The graph input is "input" [N, sample...] with a symbolic batch N; the output is "logits" [N, classes] — the
// scores before the loss, as our forward() gives them. Every model is checked with the ONNX checker before it is
// handed out.
#include <string>

#include "core/base/Result.h"
#include "core/model/Network.h"
#include "core/project/Project.h"

namespace ffn {

inline constexpr int kOnnxOpset = 17;

struct OnnxExportOptions {
  std::string graphName = "ffnlab";
  std::string docString;  // e.g. the project's description
};

// The serialized ModelProto.
Result<std::string> exportOnnx(const Network& network, const OnnxExportOptions& options = {});
// Exports and writes atomically (a failed write leaves the previous file as it was).
Status writeOnnx(const Network& network, const std::string& path, const OnnxExportOptions& options = {});
// Compiles the project's graph, loads its trained weights from `weightsPath` (safetensors; a training rule's own
// tensors, "rule.*", are not part of the network and are skipped) and writes the ONNX model to `onnxPath`.
Status exportProjectOnnx(const Project& project, const std::string& weightsPath, const std::string& onnxPath);

}  // namespace ffn
