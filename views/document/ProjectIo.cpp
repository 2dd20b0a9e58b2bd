#include "views/document/ProjectIo.h"

#include <QFile>

// Branch `project` writes core/project/ProjectFile.h and core/graph/GraphJson.h; until it is merged this file
// carries a stand-in with the same file format (ProjectIoFallback.inc), so the GUI can be built and tested now.
#if __has_include("core/project/ProjectFile.h")
#include "core/graph/GraphJson.h"
#include "core/project/ProjectFile.h"
#else
#include "views/document/ProjectIoFallback.inc"
#endif

namespace ffn::views {

Result<Project> readProjectFile(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly))
    return fail("cannot open '", path.toStdString(), "': ", file.errorString().toStdString());
  if (static_cast<std::size_t>(file.size()) > kProjectMaxBytes)
    return fail("cannot open '", path.toStdString(), "': the file is too large to be a project");
  const QByteArray bytes = file.readAll();
  auto project = projectFromText(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
  if (!project) return fail("cannot open '", path.toStdString(), "': ", project.message());
  return project;
}

Status writeProjectFile(const Project& project, const QString& path) {
  return saveProject(project, QFile::encodeName(path).toStdString());
}

Json graphJson(const Graph& graph) { return graphToJson(graph); }

Result<Graph> graphFromJsonText(const QByteArray& text) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return fail("not a graph: the text is not valid JSON");
  return graphFromJson(json);
}

}  // namespace ffn::views
