#pragma once
// Copy and paste of parts of a graph through the system clipboard, in the graph's JSON form (the same as in
// project files, so a fragment can be pasted between two FFN Lab windows, or inspected as text).
#include <QString>

#include "core/base/Result.h"
#include "core/graph/Graph.h"
#include "views/document/MimeTypes.h"

namespace ffn::views {

void copyToClipboard(const Graph& fragment);
// The fragment on the clipboard; an error when there is none.
Result<Graph> graphFromClipboard();
bool clipboardHasGraph();

}  // namespace ffn::views
