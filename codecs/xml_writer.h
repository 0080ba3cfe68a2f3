// XmlWriter: writes an XML file element by element through libxml2's text writer, so
// every name and value is escaped by the library and nothing is pasted together as a
// string. One writer owns one open file; Finish() closes it and says whether every
// write went through.
#ifndef POSTMOTTAK_CODECS_XML_WRITER_H_
#define POSTMOTTAK_CODECS_XML_WRITER_H_

#include <memory>
#include <string>

#include "storage/status.h"

namespace postmottak {

class XmlWriter {
 public:
  // Opens `path` for writing (UTF-8, indented). Check ok() before writing.
  explicit XmlWriter(const std::string& path);
  ~XmlWriter();
  XmlWriter(const XmlWriter&) = delete;
  XmlWriter& operator=(const XmlWriter&) = delete;

  bool ok() const { return ok_; }
  // The document's root element in `ns` (the default namespace of every element), with
  // xsi:schemaLocation pointing at `schema_file` (beside the document) when given.
  void Root(const std::string& name, const std::string& ns, const std::string& schema_file = "");
  void Start(const std::string& name);
  void Attribute(const std::string& name, const std::string& value);
  // <name>text</name>; nothing when `skip_empty` and `text` is empty.
  void Element(const std::string& name, const std::string& text, bool skip_empty = false);
  void End();
  // Closes every open element and the file.
  Status Finish();

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
  std::string path_;
  bool ok_ = true;
};

// libxml2's structured error handler that keeps the first error, with its line, in the
// std::string `out` points to.
void KeepFirstXmlError(void* out, struct _xmlError* error);

// Validates the XML file at `xml` against the schema at `xsd` (its imports found beside
// it), without network access and without entity expansion. InvalidArgument names the
// file, the line and what does not fit.
Status ValidateXmlFile(const std::string& xml, const std::string& xsd);

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_XML_WRITER_H_
