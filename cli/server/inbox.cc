#include "cli/server/inbox.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "pipeline/vendor/opening.h"

namespace postmottak {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTaken = ".taken";
constexpr const char* kRefused = ".refused";
constexpr const char* kJobs = ".jobs";
constexpr const char* kUploads = ".uploads";

using Clock = fs::file_time_type::clock;

// The folder's last change: its own time and every entry's below it, and whether it
// holds any file at all. Entries vanishing meanwhile count as a change now.
struct FolderState {
  fs::file_time_type last_change;
  bool has_files = false;
  bool has_manifest = false;
  fs::file_time_type manifest_change;
};

FolderState StateOf(const fs::path& folder) {
  FolderState s;
  std::error_code ec;
  s.last_change = fs::last_write_time(folder, ec);
  if (ec) return {Clock::now(), false, false, {}};
  if (fs::is_regular_file(folder, ec)) {  // a vendor's delivery, dropped whole
    s.has_files = true;
    return s;
  }
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code e;
    const auto t = it->last_write_time(e);
    if (e) return {Clock::now(), false, false, {}};
    s.last_change = std::max(s.last_change, t);
    if (it->is_regular_file(e)) s.has_files = true;
  }
  if (ec) return {Clock::now(), false, false, {}};
  const fs::path manifest = folder / "manifest.json";
  if (fs::is_regular_file(manifest, ec)) {
    s.has_manifest = true;
    s.manifest_change = fs::last_write_time(manifest, ec);
  }
  return s;
}

// A free name under `dir` for `name`: itself, else "name-2", "name-3", ...
fs::path FreeName(const fs::path& dir, const std::string& name, const std::string& suffix = "") {
  fs::path p = dir / (name + suffix);
  std::error_code ec;
  for (int n = 2; fs::exists(p, ec); ++n) p = dir / (name + "-" + std::to_string(n) + suffix);
  return p;
}

void Say(const std::string& line) { std::cout << "inbox: " << line << std::endl; }

}  // namespace

Inbox::Inbox(Office* office, InboxOptions options)
    : office_(office), options_(std::move(options)) {}

Result<std::unique_ptr<Inbox>> Inbox::Open(Office* office, const InboxOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.dir, ec))
    return Status::InvalidArgument("inbox " + options.dir + " is not a folder");
  for (const char* own : {kTaken, kRefused, kJobs, kUploads}) {
    fs::create_directories(fs::path(options.dir) / own, ec);
    if (ec) return Status::IOError("inbox " + options.dir + ": cannot create " + own);
  }
  // Uploads cut off by a crash never reached the inbox and their client got no answer
  // that they had: nothing in them is owed.
  for (const auto& e : fs::directory_iterator(fs::path(options.dir) / kUploads, ec))
    fs::remove_all(e.path(), ec);
  return std::unique_ptr<Inbox>(new Inbox(office, options));
}

std::string Inbox::staging_dir() const { return (fs::path(options_.dir) / kUploads).string(); }

InboxCounters Inbox::counters() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counters_;
}

std::vector<std::string> Inbox::ReadyFolders(std::vector<std::string>* waiting) const {
  const auto now = Clock::now();
  const auto quiet = std::chrono::seconds(options_.quiet_seconds);
  std::multimap<fs::file_time_type, std::string> ready;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(options_.dir, ec)) {
    const std::string name = e.path().filename().string();
    std::error_code e2;
    if (name.empty() || name[0] == '.') continue;
    if (!e.is_directory(e2) && !(e.is_regular_file(e2) && IsDeliveryName(name))) continue;
    waiting->push_back(name);
    const FolderState s = StateOf(e.path());
    const bool by_manifest = s.has_manifest && now - s.manifest_change >= std::chrono::seconds(1);
    const bool by_quiet = s.has_files && now - s.last_change >= quiet;
    if (by_manifest || by_quiet) ready.emplace(s.last_change, name);
  }
  std::vector<std::string> out;
  for (auto& [unused, name] : ready) out.push_back(name);
  return out;
}

Inbox::Job Inbox::JobFor(const std::string& name) const {
  Job job{name, options_.principal, "inbox intake of " + name};
  std::ifstream in(fs::path(options_.dir) / kJobs / (name + ".json"));
  if (!in) return job;
  std::stringstream text;
  text << in.rdbuf();
  const auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_object() && j.value("principal", "") != "") {
    job.principal = j.value("principal", "");
    job.purpose = j.value("purpose", job.purpose);
  }
  return job;
}

std::optional<std::filesystem::path> Inbox::MoveAside(const std::string& name,
                                                      const std::string& to) {
  const fs::path dir = fs::path(options_.dir) / to;
  const fs::path target = FreeName(dir, name);
  std::error_code ec;
  fs::rename(fs::path(options_.dir) / name, target, ec);
  if (ec) {  // left in place with its job, so that a retake runs as the same principal
    Say("cannot move " + name + " to " + to + ": " + ec.message());
    return std::nullopt;
  }
  const fs::path job = fs::path(options_.dir) / kJobs / (name + ".json");
  if (fs::exists(job, ec)) fs::rename(job, dir / (target.filename().string() + ".job.json"), ec);
  return target;
}

void Inbox::Refuse(const std::string& name, const std::string& reason) {
  const auto target = MoveAside(name, kRefused);
  if (!target) return;  // still in the inbox: refused again at the next look
  std::ofstream(target->string() + ".reason.txt") << reason << "\n";
  Say("refused " + name + ": " + reason + " (files kept in " + target->string() + ")");
  std::lock_guard<std::mutex> lock(mu_);
  ++counters_.batches_refused;
}

void Inbox::Take(const std::string& name, const std::atomic<bool>& stop) {
  const Job job = JobFor(name);
  auto session = office_->Begin(job.principal, job.purpose);
  if (!session.ok()) return Refuse(name, session.status().ToString());
  {
    std::lock_guard<std::mutex> lock(mu_);
    counters_.batch_in_hand = name;
    counters_.pages_in_hand = 0;
  }
  const auto start = std::chrono::steady_clock::now();
  IntakeControl control;
  control.stop = &stop;
  control.on_progress = [this, start](int done, int) {
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::lock_guard<std::mutex> lock(mu_);
    counters_.pages_in_hand = done;
    if (s > 0) counters_.pages_per_second = done / s;
  };
  Say("taking " + name);
  auto report = session->Intake({(fs::path(options_.dir) / name).string()}, control);
  {
    std::lock_guard<std::mutex> lock(mu_);
    counters_.batch_in_hand.clear();
    counters_.pages_in_hand = 0;
    if (report.ok()) {
      counters_.pages_taken += report->pages;
      counters_.quarantined += static_cast<int64_t>(report->quarantined.size());
      counters_.manual_journaling += report->manual;
      if (!report->interrupted) counters_.pages_per_second = report->pages_per_second;
    }
  }
  if (!report.ok()) {
    const Status& s = report.status();
    if (s.code() == Status::Code::kIOError || s.code() == Status::Code::kCorruption ||
        s.IsNotFound()) {  // the store, not the batch: try again later
      Say("could not take " + name + " (tried again later): " + s.ToString());
      return;
    }
    return Refuse(name, s.ToString());
  }
  if (report->interrupted) {
    Say("stopped in " + name + " after " + std::to_string(report->pages) +
        " pages; the next start goes on with it");
    return;
  }
  MoveAside(name, kTaken);
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++counters_.batches_taken;
  }
  Say("took " + name + " as batch " + report->batch + ": " + std::to_string(report->pages) +
      " pages, " + std::to_string(report->documents) + " documents (" +
      std::to_string(report->manual) + " for manual journaling), " +
      std::to_string(report->quarantined.size()) + " quarantined");
}

void Inbox::Run(const std::atomic<bool>& stop) {
  // A store error leaves the batch in place; it is tried again after a quiet period,
  // not in a tight loop.
  std::map<std::string, std::chrono::steady_clock::time_point> not_before;
  while (!stop.load()) {
    std::vector<std::string> waiting;
    const std::vector<std::string> ready = ReadyFolders(&waiting);
    {
      std::lock_guard<std::mutex> lock(mu_);
      counters_.batches_waiting = static_cast<int>(waiting.size());
    }
    for (auto it = not_before.begin(); it != not_before.end();)  // folders gone since
      it = std::count(waiting.begin(), waiting.end(), it->first) ? std::next(it)
                                                                 : not_before.erase(it);
    bool took = false;
    for (const std::string& name : ready) {
      if (stop.load()) break;
      const auto now = std::chrono::steady_clock::now();
      if (auto it = not_before.find(name); it != not_before.end() && now < it->second) continue;
      Take(name, stop);
      took = true;
      std::error_code ec;
      if (fs::exists(fs::path(options_.dir) / name, ec) && !stop.load())
        not_before[name] = now + std::chrono::seconds(options_.quiet_seconds);
      break;  // look again: a batch may have arrived meanwhile that is older
    }
    if (took) continue;
    for (int waited = 0; waited < options_.poll_milliseconds && !stop.load(); waited += 50)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Status Inbox::Deliver(const std::string& staged_folder, const std::string& name,
                      const std::string& principal, const std::string& purpose) {
  const fs::path target = fs::path(options_.dir) / name;
  std::error_code ec;
  if (fs::exists(target, ec) || fs::exists(fs::path(options_.dir) / kJobs / (name + ".json"), ec))
    return Status::AlreadyExists("the inbox already holds a batch named " + name);
  // The job first: a batch in the inbox without its job would be taken as the inbox's
  // own principal. The rename makes the batch appear whole.
  const fs::path job = fs::path(options_.dir) / kJobs / (name + ".json");
  {
    std::ofstream out(job);
    out << nlohmann::json{{"principal", principal}, {"purpose", purpose}}.dump() << "\n";
    if (!out) return Status::IOError("inbox: cannot write " + job.string());
  }
  fs::rename(staged_folder, target, ec);
  if (ec) {
    fs::remove(job, ec);
    return Status::IOError("inbox: cannot deliver " + name + ": " + ec.message());
  }
  return Status::OK();
}

}  // namespace postmottak
