#include "cli/server/metrics.h"

#include <sstream>

namespace postmottak {

namespace {

void Head(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

// One series without labels: its help, its type and its value.
template <typename V>
void Single(std::ostringstream& out, const char* name, const char* type, const char* help,
            V value) {
  Head(out, name, type, help);
  out << name << " " << value << "\n";
}

}  // namespace

void ServerMetrics::Observe(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = requests_[{route, status}];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++s.buckets[i];
      break;
    }
  ++s.count;
  s.sum += seconds;
}

std::string ServerMetrics::Render(const InboxCounters* inbox, const BacklogGauges& backlog) const {
  std::ostringstream out;
  const InboxCounters none;
  const InboxCounters& c = inbox ? *inbox : none;
  Single(out, "postmottak_pages_taken_total", "counter",
         "Pages read and accounted for by this server's intakes.", c.pages_taken + c.pages_in_hand);
  Single(out, "postmottak_intake_pages_per_second", "gauge",
         "Pages per second of the batch in hand, else of the last batch taken.",
         c.pages_per_second);
  Single(out, "postmottak_inbox_batches_waiting", "gauge",
         "Batch folders in the inbox (the queue), the one in hand included.", c.batches_waiting);
  Single(out, "postmottak_batches_taken_total", "counter", "Batches taken in whole.",
         c.batches_taken);
  Single(out, "postmottak_batches_refused_total", "counter",
         "Batches refused whole (moved to .refused with the reason).", c.batches_refused);
  Single(out, "postmottak_quarantined_total", "counter",
         "Inputs this server's intakes sent to quarantine.", c.quarantined);
  if (backlog.known) {
    Single(out, "postmottak_documents_awaiting_manual_journaling", "gauge",
           "Documents in the store waiting for a person to link them.", backlog.manual_journaling);
    Single(out, "postmottak_quarantine_held", "gauge",
           "Quarantine entries in the store neither retried nor released.",
           backlog.quarantine_held);
  }
  std::lock_guard<std::mutex> lock(mu_);
  Head(out, "postmottak_http_requests_total", "counter", "API requests by route and status.");
  for (const auto& [key, s] : requests_)
    out << "postmottak_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
        << "\"} " << s.count << "\n";
  Head(out, "postmottak_http_request_duration_seconds", "histogram",
       "Time from the request's arrival to its answer, by route and status.");
  for (const auto& [key, s] : requests_) {
    const std::string labels =
        "route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"";
    int64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += s.buckets[i];
      out << "postmottak_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
          << "\"} " << cumulative << "\n";
    }
    out << "postmottak_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} "
        << s.count << "\n";
    out << "postmottak_http_request_duration_seconds_sum{" << labels << "} " << s.sum << "\n";
    out << "postmottak_http_request_duration_seconds_count{" << labels << "} " << s.count << "\n";
  }
  return out.str();
}

}  // namespace postmottak
