// The mail room: statistics, batches and their reconciliation, the quarantine.
#include <filesystem>

#include "cli/json_views.h"
#include "cli/server/routes/handlers.h"
#include "codecs/image.h"

namespace postmottak::routes {

using nlohmann::json;

namespace {

Status QuarantineAnswer(const Result<QuarantineRecord>& q, ApiResponse* res) {
  return Answer(q, QuarantineJson, res);
}

}  // namespace

Status Statistics(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return Answer(s.Statistics({Query(req, "since"), Query(req, "until")}), StatisticsJson, res);
}

Status ListBatches(Session& s, const RouteContext&, const ApiRequest&, ApiResponse* res) {
  return AnswerList(s.Batches(), BatchJson, res);
}

// A batch the store knows, or one still waiting in the server's inbox (an upload not yet
// begun): its state says which.
Status ShowBatch(Session& s, const RouteContext& ctx, const ApiRequest& req, ApiResponse* res) {
  const std::string& id = req.params.at("batch");
  auto batches = s.Batches();
  if (!batches.ok()) return batches.status();
  for (const auto& b : *batches) {
    if (b.id != id) continue;
    json out = BatchJson(b);
    out["state"] = b.complete ? "taken" : "in_intake";
    Json(res, out);
    return Status::OK();
  }
  if (ctx.inbox) {
    const InboxCounters c = ctx.inbox->counters();
    std::error_code ec;
    if (std::filesystem::is_directory(std::filesystem::path(ctx.inbox->dir()) / id, ec)) {
      Json(res, {{"id", id}, {"state", c.batch_in_hand == id ? "in_intake" : "waiting"}});
      return Status::OK();
    }
  }
  return Status::NotFound("no batch " + id);
}

Status ReconcileBatch(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return Answer(s.Reconcile(req.params.at("batch")), ReconciliationJson, res);
}

Status ListQuarantine(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return AnswerList(s.Quarantine(Query(req, "batch"), QueryFlag(req, "all")), QuarantineJson, res);
}

Status ShowQuarantined(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return QuarantineAnswer(s.ReadQuarantined(req.params.at("quarantine_id")), res);
}

// The kept bytes as they arrived: a page image, or the whole refused file.
Status QuarantinedContent(Session& s, const RouteContext&, const ApiRequest& req,
                          ApiResponse* res) {
  auto bytes = s.QuarantinedBytes(req.params.at("quarantine_id"));
  if (!bytes.ok()) return bytes.status();
  Bytes(res, std::move(bytes).value(), "application/octet-stream");
  return Status::OK();
}

// The kept bytes as a PNG a page can show: a page image, or a refused file's first page
// when it still decodes. A file that does not (a damaged one, a PDF) is Unsupported: the
// content route gives its bytes.
Status QuarantinedImage(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  auto bytes = s.QuarantinedBytes(req.params.at("quarantine_id"));
  if (!bytes.ok()) return bytes.status();
  auto image = DecodeImage(*bytes);
  if (!image.ok())
    return Status::Unsupported("the kept input cannot be shown as an image (" +
                               image.status().message() + "); its bytes are at .../content");
  auto png = EncodePng(ScaleToWidth(*image, 1400));
  if (!png.ok()) return png.status();
  Bytes(res, std::move(png).value(), "image/png");
  return Status::OK();
}

// What the mail room watches: the batch the server is taking in now, how fast, what
// waits in the inbox, and the batches not yet complete. Needs what listing batches needs.
Status IntakeStatus(Session& s, const RouteContext& ctx, const ApiRequest&, ApiResponse* res) {
  auto batches = s.Batches();
  if (!batches.ok()) return batches.status();
  json unfinished = json::array();
  for (const auto& b : *batches)
    if (!b.complete) unfinished.push_back(BatchJson(b));
  json out = {{"inbox", ctx.inbox != nullptr}, {"unfinished", unfinished}};
  if (ctx.inbox) {
    const InboxCounters c = ctx.inbox->counters();
    out["batch_in_hand"] = c.batch_in_hand;
    out["pages_in_hand"] = c.pages_in_hand;
    out["pages_per_second"] = c.pages_per_second;
    out["batches_waiting"] = c.batches_waiting;
    out["batches_taken"] = c.batches_taken;
    out["batches_refused"] = c.batches_refused;
    out["pages_taken"] = c.pages_taken;
  }
  Json(res, out);
  return Status::OK();
}

Status RetryQuarantined(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return QuarantineAnswer(s.RetryQuarantined(req.params.at("quarantine_id")), res);
}

Status ReleaseQuarantined(Session& s, const RouteContext&, const ApiRequest& req,
                          ApiResponse* res) {
  return QuarantineAnswer(
      s.ReleaseQuarantined(req.params.at("quarantine_id"), BodyText(req, "reason")), res);
}

}  // namespace postmottak::routes
