#include "views/document/ProjectIo.h"

#include <QFile>

#include "core/graph/GraphJson.h"
#include "core/project/ProjectFile.h"

namespace ffn::views {

Result<Project> readProjectFile(const QString& path) {
  if (!path.startsWith(QLatin1Char(':'))) return loadProject(QFile::encodeName(path).toStdString());
  // A Qt resource (the embedded examples) is no file the core can open: read it here, parse it there.
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly))
    return fail("cannot open '", path.toStdString(), "': ", file.errorString().toStdString());
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
