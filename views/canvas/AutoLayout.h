#pragma once
// Auto-layout: places nodes in rows by depth (the longest path from a node with no input among them), so a chain
// becomes one tidy column from Input down to Output and branches sit side by side in their row. Pure geometry on the
// graph; the canvas applies the result through the document (one undoable move).
#include <vector>

#include "views/document/NetworkDocument.h"

namespace ffn::views {

inline constexpr double kLayoutRow = 100.0;     // node height plus room for the edge
inline constexpr double kLayoutColumn = 290.0;  // node width plus a gap

// New positions for `ids` (all nodes when empty), starting at the top-left corner of their current bounding box.
std::vector<NodePosition> layeredLayout(const Graph& graph, std::vector<NodeId> ids = {});

}  // namespace ffn::views
