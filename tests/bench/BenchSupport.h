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

}  // namespace ffn::bench
