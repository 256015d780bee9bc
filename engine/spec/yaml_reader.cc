#include "engine/spec/yaml_reader.h"

#include <yaml.h>

#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "engine/spec/scalar.h"
#include "engine/spec/text_scan.h"

// libyaml's event parser is the one place that reads YAML: it reports every node with its position and
// style (plain or quoted), never resolves types (we do, by YAML 1.2), and gives one event at a time, so a
// hostile document is stopped as soon as it goes too deep. It is ~7x faster than yaml-cpp's scanner, which
// alone took longer than the whole budget for a 10,000-VM spec (tests/bench/bench_validate.cc).
namespace hainfra::spec {
namespace {

// Stops reading at our own limits; caught in ReadYaml, never escapes it.
struct StopParsing {
  Mark at;
  std::string message;
};

Mark ToMark(const yaml_mark_t& m) { return Mark{static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1}; }

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

std::string Text(const yaml_char_t* text) { return text == nullptr ? "" : reinterpret_cast<const char*>(text); }

// RAII owners of libyaml's parser and event structs.
struct ParserDeleter {
  void operator()(yaml_parser_t* p) const {
    yaml_parser_delete(p);
    delete p;
  }
};
using ParserPtr = std::unique_ptr<yaml_parser_t, ParserDeleter>;

class Event {
 public:
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event() { yaml_event_delete(&event_); }
  yaml_event_t* get() { return &event_; }
  const yaml_event_t& operator*() const { return event_; }

 private:
  yaml_event_t event_{};
};

// Builds the located tree from events.
class TreeBuilder {
 public:
  TreeBuilder(const std::string& file, YamlArena& arena, Diagnostics& out) : file_(file), arena_(arena), out_(out) {}

  YamlNodePtr root() const { return root_; }

  void Alias(Mark at, const std::string& anchor) {
    if (open_anchors_.count(anchor) != 0) throw StopParsing{at, "alias *" + anchor + " refers to the node that contains it (a cycle)"};
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw StopParsing{at, "alias *" + anchor + " names no anchor defined before it"};
    Add(it->second);
  }

  void Scalar(Mark at, const std::string& tag, const std::string& anchor, std::string value, bool plain) {
    YamlNode* node = New();
    node->at = at;
    node->plain = plain;
    if (!tag.empty() && tag != "tag:yaml.org,2002:str" && tag != "!") {
      Report(at, "YAML tag `" + Printable(tag) + "` is not supported: write the value without a tag");
      node->invalid = true;
    } else if (!tag.empty()) {
      node->plain = false;  // `!!str 123` is text
    }
    // A plain empty value, `~` or `null` is nothing; anything else is a scalar, typed later by its field.
    const bool null = node->plain && !node->invalid && ResolvePlain(value).type == ScalarType::kNull;
    node->kind = null ? YamlNode::Kind::kNull : YamlNode::Kind::kScalar;
    node->text = std::move(value);
    Remember(anchor, node);
    Add(node);
  }

  void Open(Mark at, const std::string& tag, const std::string& anchor, YamlNode::Kind kind) {
    if (static_cast<int>(stack_.size()) >= kMaxDepth) {
      throw StopParsing{at, "nesting deeper than " + std::to_string(kMaxDepth) + " levels"};
    }
    YamlNode* node = New();
    node->kind = kind;
    node->at = at;
    if (!tag.empty() && tag != "tag:yaml.org,2002:map" && tag != "tag:yaml.org,2002:seq") {
      Report(at, "YAML tag `" + Printable(tag) + "` is not supported: write the value without a tag");
      node->invalid = true;
    }
    Frame frame;
    frame.node = node;
    frame.anchor = anchor;
    if (!anchor.empty()) {
      anchors_[anchor] = node;
      open_anchors_.insert(anchor);
    }
    stack_.push_back(std::move(frame));
  }

  void Close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.node->kind == YamlNode::Kind::kMap) ResolveMerges(frame);
    uint64_t weight = 1;
    for (const YamlNodePtr& item : frame.node->items) weight = SaturatingAdd(weight, item->weight);
    for (const YamlEntry& e : frame.node->entries) weight = SaturatingAdd(weight, SaturatingAdd(1, e.value->weight));
    frame.node->weight = weight;
    if (weight > kMaxExpandedNodes) {
      throw StopParsing{frame.node->at, "the document expands to more than " + std::to_string(kMaxExpandedNodes) +
                                            " values through aliases"};
    }
    if (!frame.anchor.empty()) open_anchors_.erase(frame.anchor);
    Add(frame.node);
  }

 private:
  struct Frame {
    YamlNode* node = nullptr;
    std::string anchor;
    bool has_key = false;  // kMap: a key was read, its value comes next
    std::string key;
    Mark key_at;
    bool key_is_merge = false;
    bool skip_value = false;                         // the key was bad or a duplicate: drop its value
    std::vector<std::pair<std::string, Mark>> keys;  // keys written so far (small maps: a linear scan)
    std::unordered_map<std::string, Mark> index;     // the same, once the map grows large
    std::vector<YamlNodePtr> merges;                 // `<<` sources, in order

    // Records a key; the mark of its first occurrence when it was already there.
    const Mark* Insert(const std::string& name, Mark at) {
      constexpr size_t kSmall = 16;
      if (keys.size() < kSmall) {
        for (const auto& [k, m] : keys) {
          if (k == name) return &m;
        }
        keys.emplace_back(name, at);
        if (keys.size() == kSmall) index.insert(keys.begin(), keys.end());
        return nullptr;
      }
      auto [it, inserted] = index.emplace(name, at);
      return inserted ? nullptr : &it->second;
    }
  };

  YamlNode* New() { return arena_.New(); }

  void Report(Mark at, std::string message) {
    Diagnostic d;
    d.where = Location{file_, at.line, at.column};
    d.message = std::move(message);
    out_.push_back(std::move(d));
  }

  void Remember(const std::string& anchor, const YamlNodePtr& node) {
    if (!anchor.empty()) anchors_[anchor] = node;
  }

  // YAML merge keys: `<<: *defaults` (or a list of them) adds the keys not written explicitly; earlier
  // sources win over later ones.
  void ResolveMerges(Frame& frame) {
    for (const YamlNodePtr& source : frame.merges) {
      for (const YamlEntry& e : source->entries) {
        if (frame.Insert(e.key, e.key_at) == nullptr) frame.node->entries.push_back(e);
      }
    }
  }

  void Add(const YamlNodePtr& node) {
    if (stack_.empty()) {
      root_ = node;
      return;
    }
    Frame& top = stack_.back();
    YamlNode& parent = *top.node;
    if (parent.kind == YamlNode::Kind::kSequence) {
      parent.items.push_back(node);
      return;
    }
    if (!top.has_key) {
      ReadKey(top, node);
      return;
    }
    top.has_key = false;
    if (top.skip_value) return;
    if (top.key_is_merge) {
      AddMergeSource(top, node);
      return;
    }
    parent.entries.push_back(YamlEntry{top.key, top.key_at, node});
  }

  void ReadKey(Frame& top, const YamlNodePtr& node) {
    top.has_key = true;
    top.skip_value = false;
    top.key_is_merge = false;
    top.key_at = node->at;
    if (node->kind != YamlNode::Kind::kScalar || node->invalid) {
      if (!node->invalid) {
        Report(node->at, node->kind == YamlNode::Kind::kNull ? "a map key is empty"
                                                             : "a map key must be plain text, not a list or map");
      }
      top.skip_value = true;
      return;
    }
    top.key = node->text;
    if (node->plain && node->text == "<<") {
      top.key_is_merge = true;
      return;
    }
    if (const Mark* first = top.Insert(node->text, node->at)) {
      Report(node->at,
             "duplicate key `" + Printable(node->text) + "` (first written at line " + std::to_string(first->line) + ")");
      top.skip_value = true;
    }
  }

  void AddMergeSource(Frame& top, const YamlNodePtr& node) {
    if (node->kind == YamlNode::Kind::kMap) {
      top.merges.push_back(node);
      return;
    }
    if (node->kind == YamlNode::Kind::kSequence) {
      for (const YamlNodePtr& item : node->items) {
        if (item->kind == YamlNode::Kind::kMap) {
          top.merges.push_back(item);
        } else {
          Report(item->at, "a merge key `<<` takes maps only");
        }
      }
      return;
    }
    Report(node->at, "a merge key `<<` takes a map or a list of maps");
  }

  const std::string& file_;
  YamlArena& arena_;
  Diagnostics& out_;
  std::vector<Frame> stack_;
  std::map<std::string, YamlNodePtr> anchors_;
  std::set<std::string> open_anchors_;
  YamlNodePtr root_ = nullptr;
};

// libyaml's description of a syntax error: "did not find expected ',' or '}' (while parsing a flow mapping
// that started at line 2)".
std::string SyntaxError(const yaml_parser_t& parser) {
  std::string message = "YAML syntax error: ";
  message += parser.problem != nullptr ? parser.problem : "malformed document";
  if (parser.context != nullptr) {
    message += std::string(" (") + parser.context;
    if (parser.context_mark.line != parser.problem_mark.line || parser.context_mark.column != parser.problem_mark.column) {
      message += " that started at line " + std::to_string(parser.context_mark.line + 1);
    }
    message += ")";
  }
  return message;
}

// Feeds every event of the first document to `builder`; refuses a second document.
void Parse(std::string_view text, TreeBuilder& builder) {
  ParserPtr parser(new yaml_parser_t);
  if (yaml_parser_initialize(parser.get()) == 0) {
    delete parser.release();
    throw StopParsing{Mark{1, 1}, "cannot start the YAML parser (out of memory)"};
  }
  yaml_parser_set_input_string(parser.get(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
  yaml_parser_set_encoding(parser.get(), YAML_UTF8_ENCODING);
  int documents = 0;
  while (true) {
    Event event;
    if (yaml_parser_parse(parser.get(), event.get()) == 0) {
      const yaml_mark_t& m = parser->problem_mark;
      throw StopParsing{ToMark(m), SyntaxError(*parser)};
    }
    const yaml_event_t& e = *event;
    const Mark at = ToMark(e.start_mark);
    switch (e.type) {
      case YAML_STREAM_END_EVENT: return;
      case YAML_DOCUMENT_START_EVENT:
        if (++documents > 1) {
          throw StopParsing{at, "a second YAML document (after `---`): put each document in its own file"};
        }
        break;
      case YAML_ALIAS_EVENT: builder.Alias(at, Text(e.data.alias.anchor)); break;
      case YAML_SCALAR_EVENT: {
        const auto& s = e.data.scalar;
        builder.Scalar(at, Text(s.tag), Text(s.anchor),
                       std::string(reinterpret_cast<const char*>(s.value), s.length),
                       s.style == YAML_PLAIN_SCALAR_STYLE || s.style == YAML_ANY_SCALAR_STYLE);
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
        builder.Open(at, Text(e.data.sequence_start.tag), Text(e.data.sequence_start.anchor),
                     YamlNode::Kind::kSequence);
        break;
      case YAML_MAPPING_START_EVENT:
        builder.Open(at, Text(e.data.mapping_start.tag), Text(e.data.mapping_start.anchor), YamlNode::Kind::kMap);
        break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: builder.Close(); break;
      default: break;  // stream start, document end
    }
  }
}

}  // namespace

YamlDocument ReadYaml(std::string_view text, const std::string& file) {
  YamlDocument doc;
  auto report = [&](Mark at, std::string message) {
    Diagnostic d;
    d.where = Location{file, at.line, at.column};
    d.message = std::move(message);
    doc.diagnostics.push_back(std::move(d));
  };
  if (text.size() > kMaxFileBytes) {
    report(Mark{1, 1}, "file is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB");
    return doc;
  }
  if (!ScanText(text, file, doc.diagnostics)) return doc;
  doc.nodes = std::make_unique<YamlArena>();
  TreeBuilder builder(file, *doc.nodes, doc.diagnostics);
  try {
    Parse(text, builder);
    doc.root = builder.root();
  } catch (const StopParsing& stop) {
    report(stop.at, stop.message);
    doc.root = nullptr;
  } catch (const std::exception& e) {
    report(Mark{1, 1}, std::string("cannot read the file: ") + e.what());
  }
  return doc;
}

}  // namespace hainfra::spec
