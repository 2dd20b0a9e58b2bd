#include "views/data/DataPanel.h"

#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <set>

#include "core/data/LoadedData.h"
#include "views/data/DatasetBrowser.h"
#include "views/data/PermutationView.h"
#include "views/data/PlanePanel.h"
#include "views/data/PlaneView.h"
#include "views/document/NetworkDocument.h"
#include "views/run/PlaneRenderer.h"
#include "views/run/TrainingSession.h"

namespace ffn::views {

DataPanel::DataPanel(TrainingSession* session, NetworkDocument* document, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_document(document),
      m_description(new QLabel),
      m_pages(new QStackedWidget),
      m_other(new QLabel),
      m_plane(new PlanePanel),
      m_browser(new DatasetBrowser(document)),
      m_permutation(new PermutationView) {
  m_description->setWordWrap(true);
  m_description->setObjectName(QStringLiteral("dataDescription"));
  m_description->setForegroundRole(QPalette::PlaceholderText);
  m_other->setWordWrap(true);
  m_other->setAlignment(Qt::AlignCenter);
  m_other->setText(tr("Press Train or Step: the data is loaded on the training thread and shown here — the decision "
                      "boundary for 2-D data, a browser for images."));
  m_pages->addWidget(m_other);
  m_pages->addWidget(m_plane);
  m_pages->addWidget(m_browser);
  m_pages->addWidget(m_permutation);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(m_description);
  layout->addWidget(m_pages, 1);

  connect(session, &TrainingSession::prepared, this, [this](const RunInfo& info) {
    m_previewed = Json();
    m_description->setText(info.dataDescription);
    m_plane->plane()->clear();
    m_plane->clearActivations();
    m_browser->clear();
    if (info.plane) {
      m_plane->plane()->setPlane(*info.plane, info.classNames);
      m_pages->setCurrentWidget(m_plane);
    } else if (info.permutationK > 0) {
      m_permutation->clear();
      m_pages->setCurrentWidget(m_permutation);
    } else if (!info.samples.empty()) {
      m_browser->setSamples(info.samples, info.classNames, info.samplesSplit);
      m_pages->setCurrentWidget(m_browser);
    } else {
      m_other->setText(tr("%1\n\nThis data is neither points in the plane nor images: follow it in the charts.")
                           .arg(info.dataDescription));
      m_pages->setCurrentWidget(m_other);
    }
  });
  connect(session, &TrainingSession::boundaryUpdated, m_plane->plane(), &PlaneView::setBoundary);
  connect(session, &TrainingSession::activationsUpdated, m_plane, &PlanePanel::showActivations);
  connect(session, &TrainingSession::samplePredicted, m_browser, &DatasetBrowser::showPrediction);
  connect(m_browser, &DatasetBrowser::sampleSelected, session, &TrainingSession::showSample);
  connect(session, &TrainingSession::permutationUpdated, m_permutation, &PermutationView::setMatrix);
  connect(session, &TrainingSession::stateChanged, this, [this](RunState state, const QString& message) {
    if (state == RunState::Failed && !message.isEmpty() && m_session->history().empty())
      m_description->setText(tr("⚠ %1").arg(message));
  });
  connect(session, &TrainingSession::runReset, this, [this] {
    m_plane->plane()->clear();
    m_plane->clearActivations();
    m_browser->clear();
    m_permutation->clear();
    m_description->clear();
    m_pages->setCurrentWidget(m_other);
    m_previewed = Json();
    showPreview();
  });
  connect(document, &NetworkDocument::projectReset, this, &DataPanel::showPreview);
  connect(document, &NetworkDocument::settingsChanged, this, &DataPanel::showPreview);
  showPreview();
}

bool DataPanel::previewable(const Json& spec) {
  static const std::set<std::string> kSynthetic = {"spiral", "circles", "xor", "blobs", "moons"};
  return spec.is_object() && spec.contains("kind") && spec["kind"].is_string() &&
         kSynthetic.count(spec["kind"].get<std::string>()) > 0;
}

void DataPanel::showPreview() {
  // A run's own data wins: the preview is for the time before Train (and after Reset).
  if (m_session->state() != RunState::Idle) return;
  const Json& spec = m_document->project().dataset;
  if (spec == m_previewed) return;
  m_previewed = spec;
  m_plane->plane()->clear();
  m_plane->clearActivations();
  if (!previewable(spec)) {
    m_description->clear();
    m_pages->setCurrentWidget(m_other);
    return;
  }
  // The synthetic 2-D sets are generated in milliseconds (a few thousand points), so the UI thread may; files and
  // image sets are loaded by the run on its thread.
  auto data = loadData(spec, std::string());
  auto plane = data ? PlaneRenderer::collect(data->splits()) : std::nullopt;
  if (!plane) {
    m_description->setText(data ? QString() : tr("⚠ %1").arg(QString::fromStdString(data.message())));
    m_pages->setCurrentWidget(m_other);
    return;
  }
  QStringList classNames;
  for (const auto& name : data->train->classNames()) classNames << QString::fromStdString(name);
  m_description->setText(tr("%1 — press Train: the decision boundary appears over the points.")
                             .arg(QString::fromStdString(data->description)));
  m_plane->plane()->setPlane(*plane, classNames);
  m_pages->setCurrentWidget(m_plane);
}

int DataPanel::page() const { return m_pages->currentIndex(); }

}  // namespace ffn::views
