// Status and Result: how errors cross module borders in Postmottak.
//
// Every public function that can fail returns a Status (no value) or a Result<T>
// (a value or the Status that explains why there is none). Exceptions thrown by a
// library underneath (qpdf, nlohmann::json, std) are caught at the module border and
// turned into a Status; none escapes a public function.
//
// A Status message names what failed in terms an operator can act on: the file and
// page for input errors, the key for storage errors. It never holds an unmasked
// person id.
#ifndef POSTMOTTAK_STATUS_H_
#define POSTMOTTAK_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace postmottak {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,
    kInvalidArgument,  // bad input or configuration: the caller can fix it
    kCorruption,       // stored or submitted data is damaged
    kIOError,
    kUnsupported,
    kAlreadyExists,
    kFailedPrecondition,
    kPermissionDenied,  // the principal may not do this (need to know, role); audited
    kTimedOut,          // the work ran past its time bound and was stopped
    kUnauthenticated,   // no valid credentials: who is asking is not known
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(Code::kUnsupported, std::move(msg)); }
  static Status AlreadyExists(std::string msg) {
    return Status(Code::kAlreadyExists, std::move(msg));
  }
  static Status FailedPrecondition(std::string msg) {
    return Status(Code::kFailedPrecondition, std::move(msg));
  }
  static Status PermissionDenied(std::string msg) {
    return Status(Code::kPermissionDenied, std::move(msg));
  }

  static Status TimedOut(std::string msg) { return Status(Code::kTimedOut, std::move(msg)); }
  static Status Unauthenticated(std::string msg) {
    return Status(Code::kUnauthenticated, std::move(msg));
  }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsPermissionDenied() const { return code_ == Code::kPermissionDenied; }
  bool IsFailedPrecondition() const { return code_ == Code::kFailedPrecondition; }
  bool IsTimedOut() const { return code_ == Code::kTimedOut; }
  bool IsUnauthenticated() const { return code_ == Code::kUnauthenticated; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // Drops this status on purpose. Status is [[nodiscard]]: every dropped one is either a
  // bug or this call, with a comment saying why the error cannot matter there.
  void IgnoreError() const {}
  // "NotFound: case 2026-000001" style text for people.
  std::string ToString() const;
  // Returns a copy whose message is prefixed with context ("file a.tif page 3: ").
  Status WithContext(const std::string& context) const;
  // Returns a copy with the same code and another message.
  Status WithMessage(std::string message) const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value of type T, or the Status that says why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  // Precondition: !status.ok() (a Result with an OK status and no value would be a
  // value that is not there); an OK status becomes an Internal-looking Corruption.
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok())
      status_ = Status::Corruption("a result was made of an OK status and no value");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  void IgnoreError() const {}  // as Status::IgnoreError
  // Precondition: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace postmottak

#define PM_RETURN_IF_ERROR(expr)       \
  do {                                 \
    ::postmottak::Status _st = (expr); \
    if (!_st.ok()) return _st;         \
  } while (0)

#endif  // POSTMOTTAK_STATUS_H_
