#include "pipeline/distributed/jetstream.h"

#include <nats/nats.h>

#include <chrono>
#include <thread>

#include "codecs/sha256.h"

namespace postmottak {

namespace {

Status Failed(const std::string& what, natsStatus s, jsErrCode code = static_cast<jsErrCode>(0)) {
  std::string msg = "NATS: " + what + ": " + natsStatus_GetText(s);
  if (const char* last = nats_GetLastError(nullptr);
      last && *last && std::string(last) != natsStatus_GetText(s))
    msg += " (" + std::string(last) + ")";
  if (code != 0) msg += " [JetStream error " + std::to_string(static_cast<int>(code)) + "]";
  if (s == NATS_NOT_FOUND || code == JSStreamNotFoundErr || code == JSConsumerNotFoundErr)
    return Status::NotFound(msg);
  return Status::IOError(msg);
}

// Failures a cluster gets over by itself: no leader yet (a server was lost and the
// rest elect another), a server restarting, a reconnect under way.
bool Transient(natsStatus s, jsErrCode code) {
  switch (static_cast<int>(code)) {
    case JSClusterIncompleteErr:
    case JSClusterNoPeersErr:
    case JSClusterNotAssignedErr:
    case JSClusterNotAvailErr:
    case JSClusterNotLeaderErr:
    case JSStreamOfflineErr:
    case JSConsumerOfflineErr:
      return true;
    default:
      break;
  }
  return s == NATS_TIMEOUT || s == NATS_NO_RESPONDERS || s == NATS_CONNECTION_DISCONNECTED ||
         s == NATS_STALE_CONNECTION || s == NATS_NO_SERVER || s == NATS_NOT_YET_CONNECTED;
}

// Runs `op` until it succeeds, fails for good, or `budget_ms` has passed. `code` is
// where op leaves the JetStream error code, when it has one.
template <typename Op>
natsStatus Retrying(Op op, const jsErrCode* code = nullptr, int64_t budget_ms = 60'000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(budget_ms);
  int64_t pause_ms = 50;
  for (;;) {
    natsStatus s = op();
    const jsErrCode c = code ? *code : static_cast<jsErrCode>(0);
    if (s == NATS_OK || !Transient(s, c) || std::chrono::steady_clock::now() >= deadline) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    pause_ms = std::min<int64_t>(pause_ms * 2, 1000);
  }
}

constexpr const char* kChunks = "Postmottak-Chunks";
constexpr const char* kChunkSubject = "Postmottak-Chunk-Subject";
constexpr const char* kPayloadSize = "Postmottak-Size";
constexpr const char* kPayloadSha256 = "Postmottak-Sha256";

}  // namespace

JsMessage& JsMessage::operator=(JsMessage&& o) noexcept {
  if (this != &o) {
    natsMsg_Destroy(msg_);
    msg_ = o.msg_;
    o.msg_ = nullptr;
  }
  return *this;
}

JsMessage::~JsMessage() { natsMsg_Destroy(msg_); }

std::string JsMessage::subject() const { return natsMsg_GetSubject(msg_); }

std::string JsMessage::data() const {
  return std::string(natsMsg_GetData(msg_), static_cast<size_t>(natsMsg_GetDataLength(msg_)));
}

std::string JsMessage::header(const char* key) const {
  const char* value = nullptr;
  if (natsMsgHeader_Get(msg_, key, &value) != NATS_OK || !value) return "";
  return value;
}

bool JsMessage::chunked() const { return !header(kChunks).empty(); }

uint64_t JsMessage::delivered() const {
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, msg_) != NATS_OK) return 1;
  const uint64_t n = meta->NumDelivered;
  jsMsgMetaData_Destroy(meta);
  return n;
}

Status JsMessage::Ack() {
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = natsMsg_AckSync(msg_, nullptr, &code);
  return s == NATS_OK ? Status::OK() : Failed("acknowledge", s, code);
}

Status JsMessage::Nak(int64_t delay_ms) {
  natsStatus s = natsMsg_NakWithDelay(msg_, delay_ms, nullptr);
  return s == NATS_OK ? Status::OK() : Failed("negative acknowledge", s);
}

Status JsMessage::InProgress() {
  natsStatus s = natsMsg_InProgress(msg_, nullptr);
  return s == NATS_OK ? Status::OK() : Failed("in-progress acknowledge", s);
}

PullSubscription::~PullSubscription() {
  natsSubscription_Unsubscribe(sub_);  // the durable consumer stays
  natsSubscription_Destroy(sub_);
}

Result<std::vector<JsMessage>> PullSubscription::Fetch(int max, int64_t timeout_ms) {
  natsMsgList list = {nullptr, 0};
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = natsSubscription_Fetch(&list, sub_, max, timeout_ms, &code);
  std::vector<JsMessage> out;
  if (s == NATS_TIMEOUT) return out;
  if (s != NATS_OK) return Failed("fetch", s, code);
  for (int i = 0; i < list.Count; ++i) {
    out.emplace_back(list.Msgs[i]);
    list.Msgs[i] = nullptr;  // owned by `out` now
  }
  natsMsgList_Destroy(&list);
  return out;
}

Result<std::unique_ptr<JetStream>> JetStream::Connect(const std::string& urls,
                                                      const std::string& client_name,
                                                      int64_t reconnect_ms) {
  // natsOptions_SetURL takes one URL; a list goes to SetServers.
  std::vector<std::string> servers;
  for (size_t at = 0; at <= urls.size();) {
    size_t end = urls.find(',', at);
    if (end == std::string::npos) end = urls.size();
    std::string url = urls.substr(at, end - at);
    url.erase(0, url.find_first_not_of(' '));
    url.erase(url.find_last_not_of(' ') + 1);
    if (!url.empty()) servers.push_back(url);
    at = end + 1;
  }
  if (servers.empty()) return Status::InvalidArgument("no NATS server URL given");
  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  constexpr int64_t kReconnectWaitMs = 250;
  std::vector<const char*> server_ptrs;
  for (const auto& url : servers) server_ptrs.push_back(url.c_str());
  if (s == NATS_OK)
    s = natsOptions_SetServers(opts, server_ptrs.data(), static_cast<int>(server_ptrs.size()));
  // Spread clients over the servers rather than all on the first.
  if (s == NATS_OK) s = natsOptions_SetNoRandomize(opts, false);
  if (s == NATS_OK) s = natsOptions_SetName(opts, client_name.c_str());
  if (s == NATS_OK) s = natsOptions_SetTimeout(opts, 5000);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, kReconnectWaitMs);
  if (s == NATS_OK)
    s = natsOptions_SetMaxReconnect(opts, static_cast<int>(reconnect_ms / kReconnectWaitMs) + 1);
  std::unique_ptr<JetStream> js(new JetStream());
  if (s == NATS_OK) s = natsConnection_Connect(&js->nc_, opts);
  natsOptions_Destroy(opts);
  if (s != NATS_OK) return Failed("cannot connect to " + urls, s);
  jsOptions jo;
  jsOptions_Init(&jo);
  jo.Wait = 5000;  // for the server's answer to an API request or a publish
  s = natsConnection_JetStream(&js->js_, js->nc_, &jo);
  if (s != NATS_OK) return Failed("JetStream context", s);
  return js;
}

JetStream::~JetStream() {
  jsCtx_Destroy(js_);
  if (nc_) {
    natsConnection_Drain(nc_);  // flushes pending acknowledgements
    natsConnection_Destroy(nc_);
  }
}

int64_t JetStream::max_payload() const { return natsConnection_GetMaxPayload(nc_); }

std::string JetStream::connected_url() const {
  char buf[256] = {0};
  if (natsConnection_GetConnectedUrl(nc_, buf, sizeof buf) != NATS_OK) return "";
  return buf;
}

Status JetStream::EnsureStream(const StreamSpec& spec) {
  jsStreamInfo* si = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = Retrying(
      [&] { return js_GetStreamInfo(&si, js_, spec.name.c_str(), nullptr, &code); }, &code);
  if (s == NATS_OK) {
    // Found: only its number of copies follows the spec (the server moves the data).
    if (si->Config->Replicas != spec.replicas) {
      si->Config->Replicas = spec.replicas;
      jsStreamInfo* updated = nullptr;
      s = Retrying([&] { return js_UpdateStream(&updated, js_, si->Config, nullptr, &code); },
                   &code);
      jsStreamInfo_Destroy(updated);
    }
    jsStreamInfo_Destroy(si);
    return s == NATS_OK ? Status::OK()
                        : Failed("cannot change the replicas of stream " + spec.name, s, code);
  }
  if (s != NATS_NOT_FOUND) return Failed("stream " + spec.name, s, code);
  std::vector<const char*> subjects;
  for (const auto& subject : spec.subjects) subjects.push_back(subject.c_str());
  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  cfg.Name = spec.name.c_str();
  cfg.Subjects = subjects.data();
  cfg.SubjectsLen = static_cast<int>(subjects.size());
  cfg.Retention = spec.work_queue ? js_WorkQueuePolicy : js_LimitsPolicy;
  cfg.Storage = js_FileStorage;
  cfg.Replicas = spec.replicas;
  cfg.MaxAge = spec.max_age_ms * 1'000'000;       // nanoseconds
  cfg.Duplicates = int64_t{120} * 1'000'000'000;  // de-duplication window for retried publishes
  s = Retrying([&] { return js_AddStream(&si, js_, &cfg, nullptr, &code); }, &code);
  if (s != NATS_OK) {
    // Another process may have made it in the meantime.
    if (js_GetStreamInfo(&si, js_, spec.name.c_str(), nullptr, nullptr) == NATS_OK) {
      jsStreamInfo_Destroy(si);
      return Status::OK();
    }
    return Failed("cannot create stream " + spec.name, s, code);
  }
  jsStreamInfo_Destroy(si);
  return Status::OK();
}

Status JetStream::EnsureConsumer(const std::string& stream, const ConsumerSpec& spec) {
  jsConsumerInfo* ci = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = Retrying(
      [&] {
        return js_GetConsumerInfo(&ci, js_, stream.c_str(), spec.name.c_str(), nullptr, &code);
      },
      &code);
  const bool exists = s == NATS_OK;
  const bool same = exists && ci->Config->AckWait == spec.ack_wait_ms * 1'000'000 &&
                    ci->Config->MaxDeliver == spec.max_deliver;
  jsConsumerInfo_Destroy(ci);
  ci = nullptr;
  if (exists && (same || !spec.update)) return Status::OK();
  if (!exists && s != NATS_NOT_FOUND) return Failed("consumer " + spec.name, s, code);
  jsConsumerConfig cfg;
  jsConsumerConfig_Init(&cfg);
  cfg.Durable = spec.name.c_str();
  cfg.FilterSubject = spec.filter_subject.c_str();
  cfg.AckPolicy = js_AckExplicit;
  cfg.DeliverPolicy = js_DeliverAll;
  cfg.AckWait = spec.ack_wait_ms * 1'000'000;  // nanoseconds
  cfg.MaxDeliver = spec.max_deliver;
  cfg.MaxAckPending = spec.max_ack_pending;
  cfg.MaxWaiting = 4096;  // pull requests: one per fetching thread of every worker
  if (exists) {
    s = Retrying([&] { return js_UpdateConsumer(&ci, js_, stream.c_str(), &cfg, nullptr, &code); },
                 &code);
    jsConsumerInfo_Destroy(ci);
    return s == NATS_OK ? Status::OK() : Failed("cannot update consumer " + spec.name, s, code);
  }
  s = Retrying([&] { return js_AddConsumer(&ci, js_, stream.c_str(), &cfg, nullptr, &code); },
               &code);
  if (s != NATS_OK) {
    if (js_GetConsumerInfo(&ci, js_, stream.c_str(), spec.name.c_str(), nullptr, nullptr) ==
        NATS_OK) {
      jsConsumerInfo_Destroy(ci);
      return Status::OK();
    }
    return Failed("cannot create consumer " + spec.name + " on " + stream, s, code);
  }
  jsConsumerInfo_Destroy(ci);
  return Status::OK();
}

Status JetStream::DeleteConsumer(const std::string& stream, const std::string& name) {
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = Retrying(
      [&] { return js_DeleteConsumer(js_, stream.c_str(), name.c_str(), nullptr, &code); }, &code);
  if (s == NATS_OK || s == NATS_NOT_FOUND) return Status::OK();
  return Failed("delete consumer " + name, s, code);
}

Result<std::vector<std::string>> JetStream::ConsumerNames(const std::string& stream) {
  jsConsumerNamesList* list = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s =
      Retrying([&] { return js_ConsumerNames(&list, js_, stream.c_str(), nullptr, &code); }, &code);
  std::vector<std::string> names;
  if (s == NATS_NOT_FOUND) return names;
  if (s != NATS_OK) return Failed("consumers of " + stream, s, code);
  for (int i = 0; i < list->Count; ++i) names.push_back(list->List[i]);
  jsConsumerNamesList_Destroy(list);
  return names;
}

Status JetStream::Purge(const std::string& stream, const std::string& filter) {
  jsOptions o;
  jsOptions_Init(&o);
  o.Stream.Purge.Subject = filter.c_str();
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = Retrying([&] { return js_PurgeStream(js_, stream.c_str(), &o, &code); }, &code);
  return s == NATS_OK ? Status::OK() : Failed("purge " + filter + " from " + stream, s, code);
}

Result<StreamState> JetStream::StreamInfo(const std::string& stream) {
  jsStreamInfo* si = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&si, js_, stream.c_str(), nullptr, &code);
  if (s != NATS_OK) return Failed("stream " + stream, s, code);
  StreamState st;
  st.messages = si->State.Msgs;
  st.bytes = si->State.Bytes;
  st.replicas = static_cast<int>(si->Config->Replicas);
  if (si->Cluster) {
    if (si->Cluster->Leader) st.leader = si->Cluster->Leader;
    for (int i = 0; i < si->Cluster->ReplicasLen; ++i) {
      const jsPeerInfo* p = si->Cluster->Replicas[i];
      if (p->Offline || !p->Current) st.lagging.push_back(p->Name ? p->Name : "?");
    }
  }
  jsStreamInfo_Destroy(si);
  return st;
}

Result<ConsumerState> JetStream::ConsumerInfo(const std::string& stream, const std::string& name) {
  jsConsumerInfo* ci = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetConsumerInfo(&ci, js_, stream.c_str(), name.c_str(), nullptr, &code);
  if (s != NATS_OK) return Failed("consumer " + name + " of " + stream, s, code);
  ConsumerState st;
  st.pending = ci->NumPending;
  st.ack_pending = ci->NumAckPending;
  st.redelivered = ci->NumRedelivered;
  st.waiting = ci->NumWaiting;
  st.ack_wait_ms = ci->Config->AckWait / 1'000'000;
  st.max_deliver = ci->Config->MaxDeliver;
  jsConsumerInfo_Destroy(ci);
  return st;
}

Status JetStream::Publish(const std::string& subject, const std::string& data,
                          const Headers& headers, const std::string& msg_id) {
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = Retrying(
      [&] {
        natsMsg* msg = nullptr;
        natsStatus st = natsMsg_Create(&msg, subject.c_str(), nullptr, data.data(),
                                       static_cast<int>(data.size()));
        for (const auto& [k, v] : headers)
          if (st == NATS_OK) st = natsMsgHeader_Set(msg, k.c_str(), v.c_str());
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MsgId = msg_id.empty() ? nullptr : msg_id.c_str();
        jsPubAck* ack = nullptr;
        code = static_cast<jsErrCode>(0);
        if (st == NATS_OK) st = js_PublishMsg(&ack, js_, msg, &po, &code);
        jsPubAck_Destroy(ack);
        natsMsg_Destroy(msg);
        return st;
      },
      &code);
  return s == NATS_OK ? Status::OK() : Failed("publish to " + subject, s, code);
}

Status JetStream::PublishLarge(const std::string& subject, const std::string& payload,
                               Headers headers, const std::string& msg_id,
                               const std::string& chunk_subject) {
  // Room for the headers and the protocol's own framing.
  const int64_t limit = std::max<int64_t>(max_payload() - 8 * 1024, 1024);
  if (static_cast<int64_t>(payload.size()) <= limit)
    return Publish(subject, payload, headers, msg_id);
  const size_t chunk = static_cast<size_t>(limit);
  size_t n = 0;
  for (size_t at = 0; at < payload.size(); at += chunk, ++n) {
    const std::string part_subject = chunk_subject + "." + std::to_string(n);
    PM_RETURN_IF_ERROR(Publish(part_subject, payload.substr(at, chunk), {},
                               msg_id.empty() ? "" : msg_id + "." + std::to_string(n)));
  }
  headers.emplace_back(kChunks, std::to_string(n));
  headers.emplace_back(kChunkSubject, chunk_subject);
  headers.emplace_back(kPayloadSize, std::to_string(payload.size()));
  headers.emplace_back(kPayloadSha256, Sha256Hex(payload));
  return Publish(subject, "", headers, msg_id);
}

Result<std::string> JetStream::ReadLarge(const JsMessage& msg, const std::string& data_stream) {
  const std::string chunks = msg.header(kChunks);
  if (chunks.empty()) return msg.data();
  const std::string base = msg.header(kChunkSubject);
  const int n = std::atoi(chunks.c_str());
  if (n <= 0 || n > 100'000 || base.empty())
    return Status::Corruption("message on " + msg.subject() + " names no valid chunks");
  std::string payload;
  for (int i = 0; i < n; ++i) {
    const std::string part_subject = base + "." + std::to_string(i);
    natsMsg* part = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s = Retrying(
        [&] {
          return js_GetLastMsg(&part, js_, data_stream.c_str(), part_subject.c_str(), nullptr,
                               &code);
        },
        &code);
    if (s != NATS_OK) return Failed("chunk " + part_subject, s, code);
    payload.append(natsMsg_GetData(part), static_cast<size_t>(natsMsg_GetDataLength(part)));
    natsMsg_Destroy(part);
  }
  if (std::to_string(payload.size()) != msg.header(kPayloadSize) ||
      Sha256Hex(payload) != msg.header(kPayloadSha256))
    return Status::Corruption("the chunks of the message on " + msg.subject() +
                              " do not add up to what it names (size or SHA-256)");
  return payload;
}

Result<std::unique_ptr<PullSubscription>> JetStream::Subscribe(const std::string& stream,
                                                               const std::string& consumer,
                                                               const std::string& filter_subject) {
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = stream.c_str();
  so.Consumer = consumer.c_str();
  natsSubscription* sub = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = Retrying(
      [&] {
        return js_PullSubscribe(&sub, js_, filter_subject.c_str(), consumer.c_str(), nullptr, &so,
                                &code);
      },
      &code);
  if (s != NATS_OK) return Failed("subscribe to " + consumer + " of " + stream, s, code);
  return std::unique_ptr<PullSubscription>(new PullSubscription(sub));
}

namespace {

// Opens a bucket for one operation (the handle is cheap to make).
template <typename Fn>
natsStatus WithBucket(jsCtx* js, const std::string& bucket, Fn fn) {
  return Retrying([&] {
    kvStore* kv = nullptr;
    natsStatus s = js_KeyValue(&kv, js, bucket.c_str());
    if (s == NATS_OK) s = fn(kv);
    kvStore_Destroy(kv);
    return s;
  });
}

}  // namespace

Status JetStream::EnsureBucket(const std::string& bucket, int64_t ttl_ms, int replicas) {
  kvStore* kv = nullptr;
  natsStatus s = Retrying([&] { return js_KeyValue(&kv, js_, bucket.c_str()); });
  if (s == NATS_OK) {
    kvStore_Destroy(kv);
    // A bucket is the stream KV_<bucket>: scaled like any other.
    StreamSpec spec;
    spec.name = "KV_" + bucket;
    spec.replicas = replicas;
    return EnsureStream(spec);
  }
  kvConfig cfg;
  kvConfig_Init(&cfg);
  cfg.Bucket = bucket.c_str();
  cfg.History = 1;
  cfg.TTL = ttl_ms * 1'000'000;  // nanoseconds, as a stream's max age
  cfg.Replicas = replicas;
  cfg.StorageType = js_FileStorage;
  s = Retrying([&] { return js_CreateKeyValue(&kv, js_, &cfg); });
  kvStore_Destroy(kv);
  if (s != NATS_OK && js_KeyValue(&kv, js_, bucket.c_str()) == NATS_OK) {
    kvStore_Destroy(kv);
    return Status::OK();
  }
  return s == NATS_OK ? Status::OK() : Failed("cannot create bucket " + bucket, s);
}

Status JetStream::Put(const std::string& bucket, const std::string& key, const std::string& value) {
  natsStatus s = WithBucket(js_, bucket, [&](kvStore* kv) {
    uint64_t rev = 0;
    return kvStore_Put(&rev, kv, key.c_str(), value.data(), static_cast<int>(value.size()));
  });
  return s == NATS_OK ? Status::OK() : Failed("put " + bucket + "/" + key, s);
}

Result<std::string> JetStream::Get(const std::string& bucket, const std::string& key) {
  std::string value;
  natsStatus s = WithBucket(js_, bucket, [&](kvStore* kv) {
    kvEntry* e = nullptr;
    natsStatus st = kvStore_Get(&e, kv, key.c_str());
    if (st == NATS_OK)
      value.assign(static_cast<const char*>(kvEntry_Value(e)),
                   static_cast<size_t>(kvEntry_ValueLen(e)));
    kvEntry_Destroy(e);
    return st;
  });
  if (s != NATS_OK) return Failed("get " + bucket + "/" + key, s);
  return value;
}

Status JetStream::Delete(const std::string& bucket, const std::string& key) {
  natsStatus s =
      WithBucket(js_, bucket, [&](kvStore* kv) { return kvStore_Delete(kv, key.c_str()); });
  return s == NATS_OK || s == NATS_NOT_FOUND ? Status::OK()
                                             : Failed("delete " + bucket + "/" + key, s);
}

Result<std::vector<std::string>> JetStream::Keys(const std::string& bucket) {
  std::vector<std::string> keys;
  natsStatus s = WithBucket(js_, bucket, [&](kvStore* kv) {
    kvKeysList list = {nullptr, 0};
    natsStatus st = kvStore_Keys(&list, kv, nullptr);
    for (int i = 0; st == NATS_OK && i < list.Count; ++i) keys.push_back(list.Keys[i]);
    kvKeysList_Destroy(&list);
    return st == NATS_NOT_FOUND ? NATS_OK : st;  // an empty bucket
  });
  if (s != NATS_OK) return Failed("keys of " + bucket, s);
  return keys;
}

}  // namespace postmottak
