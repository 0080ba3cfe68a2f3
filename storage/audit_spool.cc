#include "storage/audit_spool.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace postmottak {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFinished = ".jsonl";
constexpr const char* kOpen = ".part";

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A .part file whose writer process no longer runs is finished too.
bool WriterGone(const std::string& name) {
  const long pid = std::strtol(name.c_str(), nullptr, 10);
  if (pid <= 0) return true;
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

void SyncDir(const std::string& dir) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  fsync(fd);
  close(fd);
}

}  // namespace

std::string AuditSpoolDir(const std::string& store_dir) {
  return (fs::path(store_dir) / "audit-spool").string();
}

AuditSpoolWriter::~AuditSpoolWriter() {
  if (!file_) return;
  std::fclose(file_);
  std::error_code ec;
  std::string done = path_.substr(0, path_.size() - std::string(kOpen).size()) + kFinished;
  fs::rename(path_, done, ec);  // if it fails, the writer takes it once this pid is gone
  SyncDir(AuditSpoolDir(store_dir_));
}

Status AuditSpoolWriter::Append(const std::vector<Event>& events) {
  if (events.empty()) return Status::OK();
  if (!file_) {
    const std::string dir = AuditSpoolDir(store_dir_);
    std::error_code ec;
    fs::create_directories(dir, ec);
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    path_ =
        (fs::path(dir) / (std::to_string(getpid()) + "-" + std::to_string(ns) + kOpen)).string();
    file_ = std::fopen(path_.c_str(), "a");
    if (!file_) return Status::IOError("cannot write the audit spool file " + path_);
    SyncDir(dir);
  }
  for (const auto& e : events) {
    const std::string line =
        nlohmann::json(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size())
      return Status::IOError("cannot write the audit spool file " + path_);
  }
  // The read's result goes out only once its audit entry is on disk.
  if (std::fflush(file_) != 0 || fsync(fileno(file_)) != 0)
    return Status::IOError("cannot sync the audit spool file " + path_);
  return Status::OK();
}

std::vector<std::string> SpoolFileNames(const std::string& store_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(AuditSpoolDir(store_dir), ec))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool SpoolFileFinished(const std::string& name) {
  return EndsWith(name, kFinished) || (EndsWith(name, kOpen) && WriterGone(name));
}

SpooledFile ReadSpoolFile(const std::string& store_dir, const std::string& name) {
  SpooledFile file;
  file.name = name;
  std::ifstream in(fs::path(AuditSpoolDir(store_dir)) / name);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    try {
      Event e = nlohmann::json::parse(line).get<Event>();
      e.seq = 0;  // chained anew by the writer
      e.prev.clear();
      e.hash.clear();
      file.events.push_back(std::move(e));
    } catch (const std::exception&) {
      ++file.damaged_lines;
    }
  }
  return file;
}

void OldestFirst(std::vector<SpooledFile>* files) {
  // Names start with the pid, so order by the entries' own times.
  std::sort(files->begin(), files->end(), [](const SpooledFile& a, const SpooledFile& b) {
    const std::string ta = a.events.empty() ? "" : a.events.front().time;
    const std::string tb = b.events.empty() ? "" : b.events.front().time;
    return ta != tb ? ta < tb : a.name < b.name;
  });
}

void RemoveSpoolFile(const std::string& store_dir, const std::string& name) {
  std::error_code ec;
  fs::remove(fs::path(AuditSpoolDir(store_dir)) / name, ec);
}

}  // namespace postmottak
