#pragma once
// Small helpers for the benchmark programs: timing, medians, peak memory, and argument parsing.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace ffn::bench {

double seconds(const std::function<void()>& work);
double median(std::vector<double> values);
// Peak resident set size of this process so far, in MB.
double peakResidentMegabytes();
// Value of "--name VALUE" in argv, or fallback.
std::string argument(int argc, char** argv, const std::string& name, const std::string& fallback);
// Whether "--name" is in argv.
bool flag(int argc, char** argv, const std::string& name);

// Serve mode for tests/bench/paired.py: for every line read on stdin run one unit of work and print the JSON
// line it returns, until stdin closes. The harness alternates our units with a reference's, so each ratio
// compares two measurements taken seconds apart instead of minutes (this shared machine drifts by 1.5x).
void serveUnits(const std::function<std::string()>& unit);

}  // namespace ffn::bench
