#include "core/data/Synthetic2d.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/base/Rng.h"

namespace ffn {
namespace {

constexpr float kPi = std::numbers::pi_v<float>;

struct Point {
  float x, y;
};

Point spiral(Rng& rng, int c, int classes) {
  const float t = rng.uniform();
  const float angle = 2.0f * kPi * static_cast<float>(c) / static_cast<float>(classes) + 3.0f * kPi * t;
  return {t * std::cos(angle), t * std::sin(angle)};
}

Point circles(Rng& rng, int c) {
  const float angle = rng.uniform(0.0f, 2.0f * kPi);
  const float radius = c == 0 ? 0.5f : 1.0f;
  return {radius * std::cos(angle), radius * std::sin(angle)};
}

Point xorPoint(Rng& rng, int c) {
  // A small gap around the axes keeps the noise-free set separable.
  const float x = rng.uniform(0.05f, 1.0f) * (rng.uniform() < 0.5f ? -1.0f : 1.0f);
  const float y = rng.uniform(0.05f, 1.0f) * ((x > 0.0f) == (c == 0) ? 1.0f : -1.0f);
  return {x, y};
}

Point blob(int c, int classes) {
  const float angle = kPi / 2.0f + 2.0f * kPi * static_cast<float>(c) / static_cast<float>(classes);
  return {std::cos(angle), std::sin(angle)};
}

Point moon(Rng& rng, int c) {
  // Centred on the origin and scaled by 0.8: the raw moons span x in [-1, 2], y in [-0.5, 1]; this leaves room
  // for noise inside [-1.5, 1.5].
  const float t = rng.uniform(0.0f, kPi);
  if (c == 0) return {0.8f * (std::cos(t) - 0.5f), 0.8f * (std::sin(t) - 0.25f)};
  return {0.8f * (0.5f - std::cos(t)), 0.8f * (0.25f - std::sin(t))};
}

std::vector<std::string> classNamesFor(const std::string& kind, int classes) {
  if (kind == "circles") return {"inner", "outer"};
  if (kind == "xor") return {"same sign", "opposite signs"};
  if (kind == "moons") return {"upper", "lower"};
  std::vector<std::string> names;
  const std::string prefix = kind == "spiral" ? "arm " : "blob ";
  for (int c = 0; c < classes; ++c) names.push_back(prefix + std::to_string(c + 1));
  return names;
}

}  // namespace

std::vector<std::string> Synthetic2d::kinds() { return {"spiral", "circles", "xor", "blobs", "moons"}; }

int Synthetic2d::classCount(const std::string& kind, int requested) {
  return kind == "spiral" || kind == "blobs" ? requested : 2;
}

Result<std::unique_ptr<TensorDataset>> Synthetic2d::generate(const Synthetic2dOptions& options) {
  const auto all = kinds();
  if (std::find(all.begin(), all.end(), options.kind) == all.end())
    return fail("unknown synthetic data set '", options.kind, "'; choose spiral, circles, xor, blobs or moons");
  const int classes = classCount(options.kind, options.classes);
  if (classes < 2 || classes > kMaxClasses)
    return fail(options.kind, ": classes must be between 2 and ", std::to_string(kMaxClasses), ", got ",
                std::to_string(classes));
  if (options.samples < classes || options.samples > kMaxSamples)
    return fail(options.kind, ": samples must be between ", std::to_string(classes), " (one per class) and ",
                std::to_string(kMaxSamples), ", got ", std::to_string(options.samples));
  if (!(options.noise >= 0.0 && options.noise <= 10.0))
    return fail(options.kind, ": noise must be between 0 and 10, got ", std::to_string(options.noise));

  const auto n = static_cast<std::size_t>(options.samples);
  std::vector<float> features(2 * n);
  std::vector<std::int32_t> labels(n);
  const auto noise = static_cast<float>(options.noise);
  Rng rng(options.seed);
  for (std::size_t i = 0; i < n; ++i) {
    const int c = static_cast<int>(i % static_cast<std::size_t>(classes));
    Point p{};
    if (options.kind == "spiral") p = spiral(rng, c, classes);
    else if (options.kind == "circles") p = circles(rng, c);
    else if (options.kind == "xor") p = xorPoint(rng, c);
    else if (options.kind == "blobs") p = blob(c, classes);
    else p = moon(rng, c);
    // Drawn even when noise is 0 so that the point sequence does not depend on the noise level.
    const float dx = rng.normal(), dy = rng.normal();
    features[2 * i] = p.x + noise * dx;      // [N, 2] row-major
    features[2 * i + 1] = p.y + noise * dy;
    labels[i] = c;
  }
  auto dataset = TensorDataset::create(Shape{2}, std::move(features), std::move(labels),
                                       classNamesFor(options.kind, classes));
  if (!dataset) return dataset.error();
  return std::move(dataset).value();
}

}  // namespace ffn
