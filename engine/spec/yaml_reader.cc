#include "engine/spec/yaml_reader.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "engine/spec/text_scan.h"

namespace hainfra::spec {
namespace {

// Thrown by our own event handler to stop yaml-cpp early; caught in ReadYaml, never escapes it.
struct StopParsing {
  Mark at;
  std::string message;
};

Mark ToMark(const YAML::Mark& m) { return Mark{m.line + 1, m.column + 1}; }

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

// Builds the located tree from parser events. yaml-cpp reports scalars with tag "?" when plain and "!" when
// quoted or block, which is how we keep `"20"` (a string) apart from `20` (an integer).
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, Diagnostics& out) : file_(file), out_(out) {}

  YamlNodePtr root() const { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto node = std::make_shared<YamlNode>();
    node->at = ToMark(mark);
    Remember(anchor, node);
    Add(node);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (open_anchors_.count(anchor) != 0) {
      throw StopParsing{ToMark(mark), "alias refers to the node that contains it (a cycle)"};
    }
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw StopParsing{ToMark(mark), "alias to an unknown anchor"};
    Add(it->second);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    auto node = std::make_shared<YamlNode>();
    node->kind = YamlNode::Kind::kScalar;
    node->at = ToMark(mark);
    node->text = value;
    if (tag == "?") {
      node->plain = true;
    } else if (tag == "!" || tag == "tag:yaml.org,2002:str") {
      node->plain = false;
    } else {
      Report(node->at, "YAML tag `" + tag + "` is not supported: write the value without a tag");
      node->invalid = true;
    }
    Remember(anchor, node);
    Add(node);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, tag, anchor, YamlNode::Kind::kSequence);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, tag, anchor, YamlNode::Kind::kMap);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    std::shared_ptr<YamlNode> node;
    YAML::anchor_t anchor = 0;
    bool has_key = false;  // kMap: a key was read, its value comes next
    std::string key;
    Mark key_at;
    bool key_is_merge = false;
    bool skip_value = false;  // the key was bad or a duplicate: drop its value
    std::unordered_map<std::string, Mark> seen;  // explicit keys
    std::vector<YamlNodePtr> merges;             // `<<` sources, in order
  };

  void Report(Mark at, std::string message) {
    Diagnostic d;
    d.where = Location{file_, at.line, at.column};
    d.message = std::move(message);
    out_.push_back(std::move(d));
  }

  void Remember(YAML::anchor_t anchor, const YamlNodePtr& node) {
    if (anchor != 0) anchors_[anchor] = node;
  }

  void Open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, YamlNode::Kind kind) {
    if (static_cast<int>(stack_.size()) >= kMaxDepth) {
      throw StopParsing{ToMark(mark), "nesting deeper than " + std::to_string(kMaxDepth) + " levels"};
    }
    auto node = std::make_shared<YamlNode>();
    node->kind = kind;
    node->at = ToMark(mark);
    if (tag != "?" && tag != "!" && tag != "tag:yaml.org,2002:map" && tag != "tag:yaml.org,2002:seq") {
      Report(node->at, "YAML tag `" + tag + "` is not supported: write the value without a tag");
      node->invalid = true;
    }
    Frame frame;
    frame.node = node;
    frame.anchor = anchor;
    if (anchor != 0) {
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
    if (frame.anchor != 0) open_anchors_.erase(frame.anchor);
    Add(frame.node);
  }

  // YAML merge keys: `<<: *defaults` (or a list of them) adds the keys not written explicitly; earlier
  // sources win over later ones.
  void ResolveMerges(Frame& frame) {
    for (const YamlNodePtr& source : frame.merges) {
      for (const YamlEntry& e : source->entries) {
        if (frame.seen.emplace(e.key, e.key_at).second) frame.node->entries.push_back(e);
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
    if (node->kind != YamlNode::Kind::kScalar) {
      Report(node->at, node->kind == YamlNode::Kind::kNull ? "a map key is empty"
                                                           : "a map key must be plain text, not a list or map");
      top.skip_value = true;
      return;
    }
    top.key = node->text;
    if (node->plain && node->text == "<<") {
      top.key_is_merge = true;
      return;
    }
    auto [it, inserted] = top.seen.emplace(node->text, node->at);
    if (!inserted) {
      Report(node->at, "duplicate key `" + node->text + "` (first written at line " +
                           std::to_string(it->second.line) + ")");
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
  Diagnostics& out_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, YamlNodePtr> anchors_;
  std::set<YAML::anchor_t> open_anchors_;
  YamlNodePtr root_;
};

// Stops at the first event of a second document, which we refuse.
class SecondDocument : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { throw StopParsing{ToMark(mark), Message()}; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { throw StopParsing{ToMark(mark), Message()}; }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { throw StopParsing{ToMark(mark), Message()}; }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    throw StopParsing{ToMark(mark), Message()};
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    throw StopParsing{ToMark(mark), Message()};
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    throw StopParsing{ToMark(mark), Message()};
  }
  void OnMapEnd() override {}

 private:
  static std::string Message() {
    return "a second YAML document (after `---`): put each document in its own file";
  }
};

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

  std::istringstream in{std::string(text)};
  TreeBuilder builder(file, doc.diagnostics);
  try {
    YAML::Parser parser(in);
    if (parser.HandleNextDocument(builder)) {
      SecondDocument second;
      parser.HandleNextDocument(second);
    }
    doc.root = builder.root();
  } catch (const StopParsing& stop) {
    report(stop.at, stop.message);
  } catch (const YAML::Exception& e) {
    const Mark at = e.mark.is_null() ? Mark{1, 1} : ToMark(e.mark);
    report(at, "YAML syntax error: " + e.msg);
  } catch (const std::exception& e) {
    report(Mark{1, 1}, std::string("cannot read the file: ") + e.what());
  }
  return doc;
}

}  // namespace hainfra::spec
