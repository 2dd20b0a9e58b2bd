#include "views/charts/ChartPlan.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <algorithm>
#include <map>
#include <set>

namespace ffn::views {
namespace {

QString tr(const char* text) { return QCoreApplication::translate("ChartPlan", text); }

struct KnownGroup {
  const char* prefix;
  const char* title;
  const char* yTitle;
};

// Titles for the metrics the rules are known to report; anything else is titled from its name.
const KnownGroup kKnownGroups[] = {
    {"mf_local_accuracy", QT_TRANSLATE_NOOP("ChartPlan", "Mono-Forward: local accuracy per layer"),
     QT_TRANSLATE_NOOP("ChartPlan", "accuracy")},
    {"mf_local_loss", QT_TRANSLATE_NOOP("ChartPlan", "Mono-Forward: local loss per layer"),
     QT_TRANSLATE_NOOP("ChartPlan", "loss")},
    {"ff_loss", QT_TRANSLATE_NOOP("ChartPlan", "Forward-Forward: loss per layer"),
     QT_TRANSLATE_NOOP("ChartPlan", "loss")},
    {"ccl_alignment_loss", QT_TRANSLATE_NOOP("ChartPlan", "Counter-Current: alignment loss per layer"),
     QT_TRANSLATE_NOOP("ChartPlan", "loss")},
};
constexpr const char* kFfPositive = "ff_goodness_pos";
constexpr const char* kFfNegative = "ff_goodness_neg";
constexpr const char* kFfThreshold = "ff_threshold";
// The NTK ensemble (core/rules/NtkEnsemble.h): exact match against the number of members, and the theory's sizes.
constexpr const char* kNtkMembers = "members";
constexpr const char* kNtkTestExact = "test_exact_match";
constexpr const char* kNtkTrainExact = "train_exact_match";
constexpr const char* kNtkKLogK = "reference_k_log_k";
constexpr const char* kNtkKSquared = "reference_k_squared";
// Shown elsewhere or not worth a line: the sizes that reached 90 % / 99.9 % (-1 until then) and the member time.
const std::set<std::string> kNtkQuiet = {"n_for_90", "n_for_999", "member_seconds"};

QString pretty(const std::string& name) {
  QString text = QString::fromStdString(name).replace(QLatin1Char('_'), QLatin1Char(' '));
  if (!text.isEmpty()) text[0] = text[0].toUpper();
  return text;
}

ChartSpec lossOrAccuracy(const QString& key, const QString& title, const char* step, const char* what) {
  ChartSpec spec{key, title, title.toLower(), {}, {}, {}, {}, {}, {}};
  // The legend says only "per batch": beside "train" and "test" that reads right, and the full name was elided to
  // "train (per bat..." in presenter mode (hovering and the CSV still give the full one).
  spec.lines.push_back({step, true, tr("train (per batch)"), 0, 0, true, true, tr("per batch")});
  spec.lines.push_back({std::string("train_") + what, false, tr("train"), 0, 0, false, true, {}});
  spec.lines.push_back({std::string("validation_") + what, false, tr("validation"), 1, 1, false, true, {}});
  spec.lines.push_back({std::string("test_") + what, false, tr("test"), 2, 2, false, true, {}});
  spec.unitRange = std::string(what) == "accuracy";
  return spec;
}

}  // namespace

std::vector<ChartSpec> planCharts(const std::vector<std::string>& ruleMetrics) {
  std::vector<ChartSpec> charts;
  charts.push_back(lossOrAccuracy(QStringLiteral("loss"), tr("Loss"), "loss", "loss"));
  charts.push_back(lossOrAccuracy(QStringLiteral("accuracy"), tr("Accuracy"), "accuracy", "accuracy"));

  static const QRegularExpression layered(QStringLiteral("^(.+)_layer(\\d+)$"));
  std::map<std::string, std::vector<std::pair<int, std::string>>> groups;  // prefix -> (layer, series)
  std::vector<std::string> loose;
  const auto startsWith = [](const std::string& name, const char* prefix) { return name.rfind(prefix, 0) == 0; };
  const bool hasGoodness = std::any_of(ruleMetrics.begin(), ruleMetrics.end(), [&](const std::string& name) {
    return startsWith(name, kFfPositive) || startsWith(name, kFfNegative);
  });
  const bool hasThreshold = hasGoodness && std::count(ruleMetrics.begin(), ruleMetrics.end(), kFfThreshold) > 0;
  for (const std::string& name : ruleMetrics) {
    const auto match = layered.match(QString::fromStdString(name));
    if (match.hasMatch())
      groups[match.captured(1).toStdString()].emplace_back(match.captured(2).toInt(), name);
    else if (!(hasThreshold && name == kFfThreshold))  // the threshold is drawn in the goodness chart
      loose.push_back(name);
  }
  for (auto& [prefix, layers] : groups) std::sort(layers.begin(), layers.end());

  // NTK ensemble: exact match (test solid, train dashed) against the ensemble size, with k ln k and k^2.
  const auto has = [&](const char* name) { return std::count(ruleMetrics.begin(), ruleMetrics.end(), name) > 0; };
  if (has(kNtkMembers) && has(kNtkTestExact)) {
    ChartSpec ntk{QStringLiteral("rule:ntk_exact_match"), tr("NTK ensemble: exact match vs ensemble size"),
                  tr("exact match"), {}, {}, {}, kNtkMembers, tr("members"), {}};
    ntk.unitRange = true;  // fractions of rows
    // Legends of four entries in a 280-pixel chart: short names ("test", "train"); hovering gives the long ones.
    ntk.lines.push_back({kNtkTestExact, true, tr("test (unseen inputs)"), 0, 0, false, true, tr("test")});
    if (has(kNtkTrainExact))
      ntk.lines.push_back({kNtkTrainExact, true, tr("train (basis vectors)"), 1, 1, false, true, tr("train")});
    if (has(kNtkKLogK)) ntk.verticalReferences.push_back({kNtkKLogK, tr("k ln k")});
    if (has(kNtkKSquared)) ntk.verticalReferences.push_back({kNtkKSquared, tr("k²")});
    charts.push_back(std::move(ntk));
    const std::set<std::string> used = {kNtkMembers, kNtkTestExact, kNtkTrainExact, kNtkKLogK, kNtkKSquared};
    std::erase_if(loose, [&](const std::string& name) { return used.count(name) || kNtkQuiet.count(name); });
  }

  // Forward-Forward: positive (solid) and negative (dashed) goodness of each layer, and the threshold between.
  // The legend names each layer once (its colour); the title says which line style is which data, so the legend
  // fits a chart's width (five names of "layer 1 positive" length did not, and were cut to "l...").
  if (groups.count(kFfPositive) || groups.count(kFfNegative)) {
    ChartSpec ff{QStringLiteral("rule:ff_goodness"), tr("FF goodness: solid positive, dashed negative"),
                 tr("goodness"), {}, hasThreshold ? kFfThreshold : "", tr("threshold"), {}, {}, {}};
    for (const char* prefix : {kFfPositive, kFfNegative}) {
      const bool positive = prefix == kFfPositive;
      for (const auto& [layer, series] : groups[prefix])
        ff.lines.push_back({series, true, tr("layer %1 %2").arg(layer).arg(positive ? tr("positive") : tr("negative")),
                            layer - 1, positive ? 0 : 1, false, positive || !groups.count(kFfPositive),
                            tr("layer %1").arg(layer)});
    }
    groups.erase(kFfPositive);
    groups.erase(kFfNegative);
    charts.push_back(std::move(ff));
  }
  for (const auto& [prefix, layers] : groups) {
    ChartSpec spec{QStringLiteral("rule:") + QString::fromStdString(prefix), pretty(prefix) + tr(" per layer"),
                   QString(), {}, {}, {}, {}, {}, {}};
    for (const KnownGroup& known : kKnownGroups)
      if (prefix == known.prefix) {
        spec.title = tr(known.title);
        spec.yTitle = tr(known.yTitle);
        spec.unitRange = std::string(known.yTitle) == "accuracy";
      }
    for (const auto& [layer, series] : layers)
      spec.lines.push_back({series, true, tr("layer %1").arg(layer), layer - 1, 0, false, true, {}});
    charts.push_back(std::move(spec));
  }
  if (!loose.empty()) {
    ChartSpec spec{QStringLiteral("rule:other"), tr("Rule metrics"), QString(), {}, {}, {}, {}, {}, {}};
    int k = 0;
    for (const std::string& name : loose) spec.lines.push_back({name, true, pretty(name), k++, 0, false, true, {}});
    charts.push_back(std::move(spec));
  }
  return charts;
}

}  // namespace ffn::views
