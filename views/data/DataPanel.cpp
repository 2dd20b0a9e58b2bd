#include "views/data/DataPanel.h"

#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "views/data/DatasetBrowser.h"
#include "views/data/PlanePanel.h"
#include "views/data/PlaneView.h"
#include "views/run/TrainingSession.h"

namespace ffn::views {

DataPanel::DataPanel(TrainingSession* session, NetworkDocument* document, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_description(new QLabel),
      m_pages(new QStackedWidget),
      m_other(new QLabel),
      m_plane(new PlanePanel),
      m_browser(new DatasetBrowser(document)) {
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
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(m_description);
  layout->addWidget(m_pages, 1);

  connect(session, &TrainingSession::prepared, this, [this](const RunInfo& info) {
    m_description->setText(info.dataDescription);
    m_plane->plane()->clear();
    m_plane->clearActivations();
    m_browser->clear();
    if (info.plane) {
      m_plane->plane()->setPlane(*info.plane, info.classNames);
      m_pages->setCurrentWidget(m_plane);
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
  connect(session, &TrainingSession::stateChanged, this, [this](RunState state, const QString& message) {
    if (state == RunState::Failed && !message.isEmpty() && m_session->history().empty())
      m_description->setText(tr("⚠ %1").arg(message));
  });
  connect(session, &TrainingSession::runReset, this, [this] {
    m_plane->plane()->clear();
    m_plane->clearActivations();
    m_browser->clear();
    m_description->clear();
    m_pages->setCurrentWidget(m_other);
  });
}

int DataPanel::page() const { return m_pages->currentIndex(); }

}  // namespace ffn::views
