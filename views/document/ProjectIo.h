#pragma once
// The document's one door to project files and to the graph's JSON form (used on the clipboard). These are thin
// Qt-string wrappers over core's ProjectFile (loadProject/saveProject, atomic) and GraphJson; a Qt resource path
// (":/examples/...", the embedded examples) is read through QFile and parsed by the same projectFromText.
#include <QString>

#include "core/base/Result.h"
#include "core/project/Project.h"

namespace ffn::views {

Result<Project> readProjectFile(const QString& path);
// Atomic: a failed save leaves the previous file as it was.
Status writeProjectFile(const Project& project, const QString& path);

Json graphJson(const Graph& graph);
Result<Graph> graphFromJsonText(const QByteArray& text);

}  // namespace ffn::views
