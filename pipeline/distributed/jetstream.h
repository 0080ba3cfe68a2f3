// JetStream: the one owner of a NATS connection and its JetStream context, with what
// distributed intake needs of NATS (the C client, libnats) and nothing more.
//
// * Streams, consumers and key-value buckets are made when missing and used as found
//   otherwise (their number of copies, and a consumer's ack wait, follow the spec).
// * Publish waits for the stream's acknowledgement: the message is stored (and
//   replicated, on a replicated stream) when it returns. It is retried while the
//   cluster has no leader; the message id lets the server drop a retried duplicate.
// * A payload above the server's message size limit travels as chunks in a data
//   stream; the message itself then names them (PublishLarge / ReadLarge).
// * Every failure is a Status naming the server's reason; nothing throws.
//
// The connection reconnects by itself (for a while: see Connect) and is safe to share
// between threads; a PullSubscription belongs to the thread that fetches from it.
#ifndef POSTMOTTAK_PIPELINE_DISTRIBUTED_JETSTREAM_H_
#define POSTMOTTAK_PIPELINE_DISTRIBUTED_JETSTREAM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "storage/status.h"

struct __natsConnection;
struct __jsCtx;
struct __natsMsg;
struct __natsSubscription;

namespace postmottak {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct StreamSpec {
  std::string name;
  std::vector<std::string> subjects;
  bool work_queue = false;  // a message leaves the stream when acknowledged
  int64_t max_age_ms = 0;   // 0: kept until acknowledged or purged
  int replicas = 1;
};

struct ConsumerSpec {
  std::string name;  // durable
  std::string filter_subject;
  int64_t ack_wait_ms = 60'000;  // redelivered when not acknowledged within this
  int64_t max_deliver = -1;      // -1: no limit
  int64_t max_ack_pending = 10'000;
  bool update = false;  // an existing consumer takes this ack wait and max deliver
};

struct StreamState {
  uint64_t messages = 0;
  uint64_t bytes = 0;
  int replicas = 1;
  std::string leader;                // empty when not clustered
  std::vector<std::string> lagging;  // replicas that are offline or behind
};

struct ConsumerState {
  uint64_t pending = 0;     // not yet delivered
  int64_t ack_pending = 0;  // delivered, not yet acknowledged (in progress)
  int64_t redelivered = 0;  // delivered more than once, not yet acknowledged
  int64_t waiting = 0;      // pull requests waiting: idle fetchers
  int64_t ack_wait_ms = 0;
  int64_t max_deliver = 0;
};

// A message taken from a pull subscription or read from a stream; owns it.
class JsMessage {
 public:
  explicit JsMessage(__natsMsg* msg) : msg_(msg) {}
  JsMessage(JsMessage&& o) noexcept : msg_(o.msg_) { o.msg_ = nullptr; }
  JsMessage& operator=(JsMessage&& o) noexcept;
  JsMessage(const JsMessage&) = delete;
  JsMessage& operator=(const JsMessage&) = delete;
  ~JsMessage();

  std::string subject() const;
  std::string data() const;
  // The header's value, or "" when absent.
  std::string header(const char* key) const;
  // True when its payload travels as chunks (JetStream::PublishLarge).
  bool chunked() const;
  // How many times this message has been delivered, this time included.
  uint64_t delivered() const;

  // Done: the stream may forget it. Waits for the server's confirmation, so that a
  // job is never both acknowledged here and redelivered there.
  Status Ack();
  // Not done: deliver again after `delay_ms`.
  Status Nak(int64_t delay_ms);
  // Still working on it: the ack wait starts again.
  Status InProgress();

 private:
  __natsMsg* msg_;
};

class PullSubscription {
 public:
  ~PullSubscription();
  // Up to `max` messages, waiting at most `timeout_ms` for the first; none on timeout.
  Result<std::vector<JsMessage>> Fetch(int max, int64_t timeout_ms);

 private:
  friend class JetStream;
  explicit PullSubscription(__natsSubscription* sub) : sub_(sub) {}
  __natsSubscription* sub_;
};

class JetStream {
 public:
  // `urls`: one or more server URLs, comma-separated (nats://host:4222,...). The client
  // reconnects to any of them for `reconnect_ms` before operations fail.
  static Result<std::unique_ptr<JetStream>> Connect(const std::string& urls,
                                                    const std::string& client_name,
                                                    int64_t reconnect_ms = 60'000);
  ~JetStream();
  JetStream(const JetStream&) = delete;
  JetStream& operator=(const JetStream&) = delete;

  // The largest message the server takes.
  int64_t max_payload() const;
  std::string connected_url() const;

  Status EnsureStream(const StreamSpec& spec);
  Status EnsureConsumer(const std::string& stream, const ConsumerSpec& spec);
  Status DeleteConsumer(const std::string& stream, const std::string& name);
  Result<std::vector<std::string>> ConsumerNames(const std::string& stream);
  // Removes the messages whose subject matches `filter` (wildcards allowed).
  Status Purge(const std::string& stream, const std::string& filter);
  Result<StreamState> StreamInfo(const std::string& stream);
  Result<ConsumerState> ConsumerInfo(const std::string& stream, const std::string& name);

  // Stored (and replicated) when it returns OK. `msg_id` de-duplicates a retry.
  Status Publish(const std::string& subject, const std::string& data, const Headers& headers,
                 const std::string& msg_id);
  // Publish, with a payload above the server's limit first stored as chunks under
  // `chunk_subject`.<i> (a subject of a data stream); the message then carries no data,
  // only headers naming the chunks, their count and the whole payload's SHA-256.
  Status PublishLarge(const std::string& subject, const std::string& payload, Headers headers,
                      const std::string& msg_id, const std::string& chunk_subject);
  // The payload a PublishLarge message carries, its chunks fetched and checked.
  Result<std::string> ReadLarge(const JsMessage& msg, const std::string& data_stream);

  // Binds to the durable consumer `consumer` of `stream`, which must exist.
  Result<std::unique_ptr<PullSubscription>> Subscribe(const std::string& stream,
                                                      const std::string& consumer,
                                                      const std::string& filter_subject);

  // Key-value buckets (a stream each): entries expire after `ttl_ms` (0: never).
  Status EnsureBucket(const std::string& bucket, int64_t ttl_ms, int replicas);
  Status Put(const std::string& bucket, const std::string& key, const std::string& value);
  Result<std::string> Get(const std::string& bucket, const std::string& key);  // NotFound
  Status Delete(const std::string& bucket, const std::string& key);
  Result<std::vector<std::string>> Keys(const std::string& bucket);

 private:
  JetStream() = default;
  __natsConnection* nc_ = nullptr;
  __jsCtx* js_ = nullptr;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_DISTRIBUTED_JETSTREAM_H_
