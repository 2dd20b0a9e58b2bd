#include "app/cli/CliExplain.h"

#include <charconv>

#include "core/project/WeightsFile.h"

namespace ffn::cli {
namespace {

Result<std::int64_t> parseIndex(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0)
    return fail("'", std::string(text), "' is not a sample number");
  return value;
}

}  // namespace

Result<std::unique_ptr<ExplainSession>> openExplainSession(const std::string& project, const std::string& weights,
                                                           const std::string& composite) {
  auto opened = openProject(project);
  if (!opened) return opened.error();
  auto session = std::make_unique<ExplainSession>();
  session->opened = std::move(*opened);
  session->backend = openBackend("", session->opened.project);
  auto run = ProjectRun::create(session->opened.project, session->opened.directory, *session->backend);
  if (!run) return run.error();
  session->run = std::move(*run);
  FFN_TRY(loadWeights(session->run->network(), weights));
  session->run->network().finishTraining();
  auto lrp = explainProject(*session->run, composite);
  if (!lrp) return lrp.error();
  session->lrp = std::move(*lrp);
  session->composite = composite.empty() ? session->run->project().lrp.composite : composite;
  return session;
}

Result<std::vector<std::int64_t>> parseSampleList(const std::string& text, std::int64_t count) {
  std::vector<std::int64_t> indices;
  std::string_view rest(text);
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t dash = item.find('-');
    auto first = parseIndex(item.substr(0, dash));
    if (!first) return first.error();
    std::int64_t last = *first;
    if (dash != std::string_view::npos) {
      auto end = parseIndex(item.substr(dash + 1));
      if (!end) return end.error();
      last = *end;
    }
    if (last < *first) return fail("the range '", std::string(item), "' runs backwards");
    if (last >= count) return fail("sample ", std::to_string(last), " does not exist (", std::to_string(count),
                                   " samples)");
    for (std::int64_t i = *first; i <= last; ++i) indices.push_back(i);
  }
  if (indices.empty()) return fail("no samples chosen");
  return indices;
}

Result<ClassChoice> parseClassChoice(const std::string& text, const Batch& batch) {
  if (text == "predicted") return ClassChoice::predicted();
  if (text == "label") {
    std::vector<int> labels;
    for (std::int64_t i = 0; i < batch.size(); ++i) labels.push_back(batch.label(i));
    return ClassChoice::given(std::move(labels));
  }
  auto index = parseIndex(text);
  if (!index) return fail("--class is predicted, label or a class number, not '", text, "'");
  return ClassChoice::given({static_cast<int>(*index)});
}

}  // namespace ffn::cli
