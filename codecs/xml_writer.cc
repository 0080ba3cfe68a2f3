#include "codecs/xml_writer.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

namespace postmottak {

namespace {

const xmlChar* X(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }

}  // namespace

void KeepFirstXmlError(void* out, xmlErrorPtr error) {
  auto* first = static_cast<std::string*>(out);
  if (!first->empty() || !error || !error->message) return;
  std::string message = error->message;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  *first = "line " + std::to_string(error->line) + ": " + message;
}

struct XmlWriter::Rep {
  xmlTextWriterPtr writer = nullptr;
};

XmlWriter::XmlWriter(const std::string& path) : rep_(std::make_unique<Rep>()), path_(path) {
  xmlInitParser();
  rep_->writer = xmlNewTextWriterFilename(path.c_str(), 0);
  ok_ = rep_->writer != nullptr;
  if (!ok_) return;
  xmlTextWriterSetIndent(rep_->writer, 1);
  xmlTextWriterSetIndentString(rep_->writer, X("  "));
  ok_ = xmlTextWriterStartDocument(rep_->writer, nullptr, "UTF-8", nullptr) >= 0;
}

XmlWriter::~XmlWriter() {
  if (rep_->writer) xmlFreeTextWriter(rep_->writer);
}

void XmlWriter::Root(const std::string& name, const std::string& ns,
                     const std::string& schema_file) {
  if (ok_) ok_ = xmlTextWriterStartElementNS(rep_->writer, nullptr, X(name), X(ns)) >= 0;
  if (schema_file.empty()) return;
  Attribute("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
  Attribute("xsi:schemaLocation", ns + " " + schema_file);
}

void XmlWriter::Start(const std::string& name) {
  if (ok_) ok_ = xmlTextWriterStartElement(rep_->writer, X(name)) >= 0;
}

void XmlWriter::Attribute(const std::string& name, const std::string& value) {
  if (ok_) ok_ = xmlTextWriterWriteAttribute(rep_->writer, X(name), X(value)) >= 0;
}

void XmlWriter::Element(const std::string& name, const std::string& text, bool skip_empty) {
  if (skip_empty && text.empty()) return;
  if (ok_) ok_ = xmlTextWriterWriteElement(rep_->writer, X(name), X(text)) >= 0;
}

void XmlWriter::End() {
  if (ok_) ok_ = xmlTextWriterEndElement(rep_->writer) >= 0;
}

Status XmlWriter::Finish() {
  if (ok_) ok_ = xmlTextWriterEndDocument(rep_->writer) >= 0;
  xmlFreeTextWriter(rep_->writer);  // flushes and closes the file
  rep_->writer = nullptr;
  return ok_ ? Status::OK() : Status::IOError("cannot write " + path_);
}

Status ValidateXmlFile(const std::string& xml, const std::string& xsd) {
  xmlInitParser();
  std::string first;
  xmlSchemaParserCtxt* parser = xmlSchemaNewParserCtxt(xsd.c_str());
  if (!parser) return Status::IOError("schema " + xsd + " cannot be read");
  xmlSchemaSetParserStructuredErrors(parser, KeepFirstXmlError, &first);
  xmlSchema* schema = xmlSchemaParse(parser);
  xmlSchemaFreeParserCtxt(parser);
  if (!schema) return Status::InvalidArgument("schema " + xsd + " cannot be parsed: " + first);
  xmlDoc* doc =
      xmlReadFile(xml.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  Status result;
  if (!doc) {
    KeepFirstXmlError(&first, xmlGetLastError());  // where it stops being XML
    result = Status::InvalidArgument(xml + ": not well-formed XML: " + first);
  } else {
    xmlSchemaValidCtxt* valid = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidStructuredErrors(valid, KeepFirstXmlError, &first);
    if (xmlSchemaValidateDoc(valid, doc) != 0)
      result = Status::InvalidArgument(xml + ": does not fit " + xsd + ": " + first);
    xmlSchemaFreeValidCtxt(valid);
    xmlFreeDoc(doc);
  }
  xmlSchemaFree(schema);
  return result;
}

}  // namespace postmottak
