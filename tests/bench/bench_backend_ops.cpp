// Throughput of the Backend ops on every compute device of this machine — the CPU backend (Eigen + OpenBLAS) and
// each OpenCL device — in one run, printed as one JSON object:
//   bench_backend_ops [--repeats 10] [--threads 2] [--size full|small]
// GEMM cases are the three GEMMs of a 784->1000 dense layer at batch 128 (forward NT, weight gradient TN, input
// gradient NN) plus a square one, in GFLOP/s. Memory-bound ops are in GB/s of useful traffic (bytes the op must
// read plus bytes it writes). "train_step" is one backprop + Adam step of a 784-256-10 MLP at batch 128, in
// steps/s. Every figure is the median of 3 timings of `repeats` calls after one untimed warm-up call (which pays
// for uploads and kernel compilation); a device is waited for (finish) before each clock reading.
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/backend/BackendFactory.h"
#include "core/backend/DeviceRegistry.h"
#include "core/backend/cpu/CpuBackend.h"
#include "core/base/Rng.h"
#include "core/model/Network.h"
#include "core/optim/Optimizer.h"
#include "core/rules/Backprop.h"
#include "tests/bench/BenchSupport.h"

#ifdef FFN_HAVE_OPENCL
#include "core/backend/opencl/OpenClBackend.h"
#endif

using namespace ffn;

namespace {

// Waits until the backend has done everything asked of it.
void finish(Backend& backend) {
#ifdef FFN_HAVE_OPENCL
  if (auto* device = dynamic_cast<OpenClBackend*>(&backend)) device->finish();
#else
  (void)backend;
#endif
}

Tensor randomTensor(const Shape& shape, std::uint64_t seed, float scale = 1.0f) {
  Tensor t(shape);
  Rng rng(seed);
  rng.fillNormal(t.mutableValues(), 0.0f, scale);
  return t;
}

struct Case {
  std::string op, shape, unit;
  double work = 0.0;  // FLOPs, bytes or steps per call
  // Builds the case's tensors (fresh for each backend) and returns the call to time.
  std::function<std::function<void()>(Backend&)> prepare;
};

// A call that keeps its tensors alive.
template <typename State>
std::function<void()> keepAlive(std::shared_ptr<State> state, std::function<void(State&)> body) {
  return [state, body] { body(*state); };
}

struct Tensors {
  std::vector<Tensor> t;
};

std::vector<Case> cases(bool small) {
  std::vector<Case> all;
  const std::int64_t batch = 128, in = 784, out = small ? 256 : 1000;
  auto gemm = [&](const std::string& name, Transpose ta, Transpose tb, Shape a, Shape b, Shape c, std::int64_t k,
                  float beta) {
    const double flops = 2.0 * static_cast<double>(c[0]) * static_cast<double>(c[1]) * static_cast<double>(k);
    all.push_back({"gemm", name, "GFLOP/s", flops, [=](Backend& be) {
                     auto s = std::make_shared<Tensors>();
                     s->t = {randomTensor(a, 1), randomTensor(b, 2), randomTensor(c, 3)};
                     return keepAlive<Tensors>(s, [&be, ta, tb, beta](Tensors& x) {
                       be.gemm(ta, tb, 1.0f, x.t[0], x.t[1], beta, x.t[2]);
                     });
                   }});
  };
  const std::string layer = std::to_string(batch) + "x" + std::to_string(out) + "x" + std::to_string(in);
  gemm(layer + " forward (NT)", Transpose::No, Transpose::Yes, Shape{batch, in}, Shape{out, in}, Shape{batch, out}, in,
       0.0f);
  gemm(layer + " weight gradient (TN, beta 1)", Transpose::Yes, Transpose::No, Shape{batch, out}, Shape{batch, in},
       Shape{out, in}, batch, 1.0f);
  gemm(layer + " input gradient (NN)", Transpose::No, Transpose::No, Shape{batch, out}, Shape{out, in},
       Shape{batch, in}, out, 0.0f);
  const std::int64_t square = small ? 256 : 1024;
  gemm(std::to_string(square) + " cubed (NN)", Transpose::No, Transpose::No, Shape{square, square},
       Shape{square, square}, Shape{square, square}, square, 0.0f);

  const std::int64_t n = small ? (1 << 18) : (1 << 22);
  const double f = sizeof(float);
  auto elementwise = [&](const std::string& op, int tensors, double bytesPerElement,
                         std::function<void(Backend&, Tensors&)> body) {
    all.push_back({op, std::to_string(n) + " floats", "GB/s", bytesPerElement * static_cast<double>(n),
                   [=](Backend& be) {
                     auto s = std::make_shared<Tensors>();
                     for (int i = 0; i < tensors; ++i) s->t.push_back(randomTensor(Shape{n}, 10 + i, 0.1f));
                     for (float& v : s->t.back().mutableValues()) v = v * v;  // Adam's second moment must be >= 0
                     return keepAlive<Tensors>(s, [&be, body](Tensors& x) { body(be, x); });
                   }});
  };
  elementwise("fill", 1, f, [](Backend& be, Tensors& x) { be.fill(0.5f, x.t[0]); });
  elementwise("copy", 2, 2 * f, [](Backend& be, Tensors& x) { be.copy(x.t[0], x.t[1]); });
  elementwise("scale", 1, 2 * f, [](Backend& be, Tensors& x) { be.scale(0.999f, x.t[0]); });
  elementwise("axpy", 2, 3 * f, [](Backend& be, Tensors& x) { be.axpy(1e-3f, x.t[0], x.t[1]); });
  elementwise("multiply", 3, 3 * f, [](Backend& be, Tensors& x) { be.multiply(x.t[0], x.t[1], x.t[2]); });
  elementwise("activation_forward relu", 2, 2 * f,
              [](Backend& be, Tensors& x) { be.activationForward(ActivationKind::ReLU, 0.0f, x.t[0], x.t[1]); });
  elementwise("activation_forward gelu", 2, 2 * f,
              [](Backend& be, Tensors& x) { be.activationForward(ActivationKind::GELU, 0.0f, x.t[0], x.t[1]); });
  elementwise("activation_backward gelu", 4, 3 * f, [](Backend& be, Tensors& x) {
    be.activationBackward(ActivationKind::GELU, 0.0f, x.t[0], x.t[1], x.t[2], x.t[3]);
  });
  elementwise("sgd_update", 2, 3 * f, [](Backend& be, Tensors& x) { be.sgdUpdate(1e-3f, 0.0f, x.t[0], x.t[1]); });
  elementwise("adam_update", 4, 7 * f, [](Backend& be, Tensors& x) {
    AdamSettings s;
    be.adamUpdate(s, x.t[0], x.t[1], x.t[3], x.t[2]);
  });
  elementwise("sum", 1, f, [](Backend& be, Tensors& x) { (void)be.sum(x.t[0]); });
  elementwise("sum_of_squares", 1, f, [](Backend& be, Tensors& x) { (void)be.sumOfSquares(x.t[0]); });
  elementwise("all_finite", 1, f, [](Backend& be, Tensors& x) { (void)be.allFinite(x.t[0]); });

  const std::int64_t rows = small ? 512 : 4096, cols = 1000;
  auto rowOp = [&](const std::string& op, double bytesPerElement, std::function<void(Backend&, Tensors&)> body) {
    all.push_back({op, std::to_string(rows) + "x" + std::to_string(cols), "GB/s",
                   bytesPerElement * static_cast<double>(rows * cols), [=](Backend& be) {
                     auto s = std::make_shared<Tensors>();
                     s->t = {randomTensor(Shape{rows, cols}, 1), Tensor(Shape{rows, cols}), Tensor(Shape{rows}),
                             Tensor(Shape{rows}), randomTensor(Shape{cols}, 2), Tensor(Shape{rows})};
                     Rng rng(3);
                     for (float& label : s->t[5].mutableValues()) label = static_cast<float>(rng.below(cols));
                     return keepAlive<Tensors>(s, [&be, body](Tensors& x) { body(be, x); });
                   }});
  };
  rowOp("add_row_vector", 2 * f, [](Backend& be, Tensors& x) { be.addRowVector(x.t[0], x.t[4]); });
  rowOp("sum_rows", f, [](Backend& be, Tensors& x) { be.sumRows(x.t[0], 0.0f, x.t[4]); });
  rowOp("softmax_rows", 2 * f, [](Backend& be, Tensors& x) { be.softmaxRows(x.t[0], x.t[1]); });
  rowOp("softmax_cross_entropy", 2 * f,
        [](Backend& be, Tensors& x) { (void)be.softmaxCrossEntropy(x.t[0], x.t[5], 1.0f / 4096, x.t[1]); });
  rowOp("normalize_rows", 2 * f, [](Backend& be, Tensors& x) { be.normalizeRows(x.t[0], 1e-6f, x.t[1], x.t[2]); });
  rowOp("layer_norm_forward", 2 * f, [](Backend& be, Tensors& x) {
    be.layerNormForward(x.t[0], 1e-5f, TensorView(), TensorView(), x.t[1], x.t[2], x.t[3]);
  });

  Window2d w;
  w.channels = 16, w.height = w.width = 28, w.kernelH = w.kernelW = 3, w.padH = w.padW = 1;
  const std::int64_t images = small ? 8 : 32;
  const double colsBytes = f * static_cast<double>(images * 28 * 28 * 16 * 9);
  all.push_back({"im2col", std::to_string(images) + "x16x28x28, 3x3 pad 1", "GB/s",
                 colsBytes + f * static_cast<double>(images * 16 * 28 * 28), [=](Backend& be) {
                   auto s = std::make_shared<Tensors>();
                   s->t = {randomTensor(Shape{images, 16, 28, 28}, 1), Tensor(Shape{images * 28 * 28, 16 * 9})};
                   return keepAlive<Tensors>(s, [&be, w](Tensors& x) { be.im2col(w, x.t[0], x.t[1]); });
                 }});
  Window2d pool;
  pool.channels = 16, pool.height = pool.width = 28, pool.kernelH = pool.kernelW = 2, pool.strideH = pool.strideW = 2;
  all.push_back({"max_pool_forward", std::to_string(images) + "x16x28x28, 2x2 stride 2", "GB/s",
                 f * static_cast<double>(images * 16 * 28 * 28) * 1.5, [=](Backend& be) {
                   auto s = std::make_shared<Tensors>();
                   s->t = {randomTensor(Shape{images, 16, 28, 28}, 1), Tensor(Shape{images, 16, 14, 14}),
                           Tensor(Shape{images, 16, 14, 14})};
                   return keepAlive<Tensors>(s, [&be, pool](Tensors& x) { be.maxPoolForward(pool, x.t[0], x.t[1], x.t[2]); });
                 }});

  // One backprop + Adam step of a small MLP, data resident where the backend keeps it.
  all.push_back({"train_step", "MLP 784-256-10, batch 128, Adam", "steps/s", 1.0, [=](Backend& be) {
                   struct Training {
                     std::unique_ptr<Network> net;
                     std::unique_ptr<Optimizer> optimizer;
                     Backprop rule;
                     Batch batch;
                   };
                   auto s = std::make_shared<Training>();
                   Graph graph;
                   (void)graph.addNode(Node{"input", "Input", "input", Json{{"shape", {784}}}, {0, 0}});
                   (void)graph.addNode(Node{"d1", "Dense", "d1", Json{{"units", 256}}, {0, 80}});
                   (void)graph.addNode(Node{"r1", "ReLU", "r1", Json::object(), {0, 160}});
                   (void)graph.addNode(Node{"d2", "Dense", "d2", Json{{"units", 10}}, {0, 240}});
                   (void)graph.addNode(Node{"output", "Output", "output", Json{{"loss", "cross-entropy"}}, {0, 320}});
                   (void)graph.connect(Edge{"input", "d1", 0});
                   (void)graph.connect(Edge{"d1", "r1", 0});
                   (void)graph.connect(Edge{"r1", "d2", 0});
                   (void)graph.connect(Edge{"d2", "output", 0});
                   auto net = Network::compile(graph, be);
                   auto optimizer = Optimizer::create(OptimizerSettings{}, be);
                   if (!net || !optimizer) {
                     std::cerr << "train_step: " << (net ? optimizer.message() : net.message()) << "\n";
                     return std::function<void()>([] {});
                   }
                   s->net = std::move(net).value();
                   s->optimizer = std::move(optimizer).value();
                   s->net->initializeWeights(1);
                   s->batch.inputs = randomTensor(Shape{batch, 784}, 2);
                   s->batch.labels = Tensor(Shape{batch});
                   Rng rng(3);
                   for (float& label : s->batch.labels.mutableValues()) label = static_cast<float>(rng.below(10));
                   return keepAlive<Training>(s, [](Training& t) { (void)t.rule.step(*t.net, t.batch, *t.optimizer); });
                 }});
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = std::stoi(bench::argument(argc, argv, "--repeats", "10"));
  const int threads = std::stoi(bench::argument(argc, argv, "--threads", "2"));
  const bool small = bench::argument(argc, argv, "--size", "full") == "small";
  setComputeThreads(threads);

  std::vector<std::string> specs{"cpu"};
  std::vector<std::unique_ptr<Backend>> backends;
  backends.push_back(std::make_unique<CpuBackend>());
  std::string devicesJson = "{\"spec\":\"cpu\",\"name\":\"CpuBackend (Eigen + OpenBLAS, " + std::to_string(threads) +
                            " threads)\"}";
  const DeviceList list = DeviceRegistry::openClDevices();
  if (list.devices.empty()) std::cerr << "no OpenCL device: " << list.problem << "\n";
  for (const DeviceInfo& d : list.devices) {
    auto backend = createBackend(d.spec);
    if (!backend) {
      std::cerr << d.spec << ": " << backend.message() << "\n";
      continue;
    }
    specs.push_back(d.spec);
    backends.push_back(std::move(backend).value());
    devicesJson += ",{\"spec\":\"" + d.spec + "\",\"name\":\"" + d.name + "\",\"type\":\"" + d.type +
                   "\",\"platform\":\"" + d.platform + "\",\"compute_units\":" + std::to_string(d.computeUnits) + "}";
  }

  std::string resultsJson;
  for (const Case& c : cases(small)) {
    std::string values;
    for (std::size_t b = 0; b < backends.size(); ++b) {
      Backend& backend = *backends[b];
      const std::function<void()> call = c.prepare(backend);
      call();  // warm-up: uploads, compilation
      finish(backend);
      std::vector<double> runs;
      for (int r = 0; r < 3; ++r)
        runs.push_back(bench::seconds([&] {
                         for (int i = 0; i < repeats; ++i) call();
                         finish(backend);
                       }) /
                       repeats);
      const double seconds = bench::median(runs);
      double rate = c.work / seconds;
      if (c.unit != "steps/s") rate /= 1e9;
      char number[64];
      std::snprintf(number, sizeof number, "%.3f", rate);
      values += std::string(values.empty() ? "" : ",") + "\"" + specs[b] + "\":" + number;
      std::cerr << c.op << " " << c.shape << " on " << specs[b] << ": " << number << " " << c.unit << "\n";
      const std::string warnings = backend.takeWarnings();
      if (!warnings.empty()) std::cerr << warnings << "\n";
    }
    resultsJson += std::string(resultsJson.empty() ? "" : ",") + "{\"op\":\"" + c.op + "\",\"case\":\"" + c.shape +
                   "\",\"unit\":\"" + c.unit + "\",\"values\":{" + values + "}}";
  }
  std::printf("{\"benchmark\":\"backend_ops\",\"repeats\":%d,\"threads\":%d,\"size\":\"%s\",\"devices\":[%s],"
              "\"results\":[%s]}\n",
              repeats, threads, small ? "small" : "full", devicesJson.c_str(), resultsJson.c_str());
  return 0;
}
