#pragma once
// ChartPlan: which charts a run's numbers make. Loss and accuracy always; then the rule's own metrics, grouped by
// name: "<prefix>_layer<k>" series of one prefix share a chart with a line per layer (Mono-Forward's local
// accuracy, Counter-Current's alignment loss, ...), Forward-Forward's positive and negative goodness share one
// chart with its threshold as a reference line, and metrics without a layer go together in one chart. A rule that
// reports new metrics gets charts for them without any change here; the table below only gives known ones a title.
#include <QString>
#include <string>
#include <vector>

namespace ffn::views {

struct ChartLineSpec {
  std::string series;    // the RunCurves series name
  bool perStep = false;  // a step series (else an epoch series)
  QString name;          // legend text
  int colorIndex = 0;    // within one run: which colour (seriesColor)
  int variant = 0;       // 0 solid, 1 dashed, 2 dotted: the second thing a line differs by
  bool faint = false;    // raw per-batch values
  bool inLegend = true;  // false: a line the legend need not name (its style is explained in the title)
  QString legendName;    // shorter text for the legend (hovering shows `name`); empty: `name`
};

struct ChartReference {
  std::string metric;  // drawn as a vertical line at its latest value
  QString name;
};

struct ChartSpec {
  QString key;    // stable id ("loss", "accuracy", "rule:ff_goodness")
  QString title;
  QString yTitle;
  std::vector<ChartLineSpec> lines;
  std::string referenceMetric;  // a metric drawn as a horizontal line at its latest value (FF's threshold)
  QString referenceName;
  // Against another metric instead of time: each point's x is `xSeries` at the same step (the NTK ensemble's
  // exact match against its size), with vertical reference lines (the theory's k ln k and k^2).
  std::string xSeries;
  QString xTitle;
  std::vector<ChartReference> verticalReferences;
  bool unitRange = false;  // values in [0, 1] (accuracies): the y axis stays [0, 1]
};

// The charts for runs whose rules report `ruleMetrics` (per-step series names).
std::vector<ChartSpec> planCharts(const std::vector<std::string>& ruleMetrics);

}  // namespace ffn::views
