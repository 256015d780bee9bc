#include "providers/pve/corosync_conf.h"
#include "providers/pve/text.h"

#include <charconv>

namespace hainfra::pve {
namespace {

std::optional<int> ToInt(std::string_view s) {
  int value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

void Format(const CorosyncSection& section, int depth, std::string& out) {
  const std::string indent(static_cast<size_t>(depth) * 2, ' ');
  for (const CorosyncItem& item : section.items) {
    switch (item.type) {
      case CorosyncItem::Type::kBlank:
        out += "\n";
        break;
      case CorosyncItem::Type::kComment:
        out += indent + item.text + "\n";
        break;
      case CorosyncItem::Type::kPair:
        out += indent + item.text + ": " + item.value + "\n";
        break;
      case CorosyncItem::Type::kSection:
        out += indent + item.section->name + " {\n";
        Format(*item.section, depth + 1, out);
        out += indent + "}\n";
        break;
    }
  }
}

}  // namespace

CorosyncItem::CorosyncItem(const CorosyncItem& other)
    : type(other.type),
      text(other.text),
      value(other.value),
      section(other.section ? std::make_shared<CorosyncSection>(*other.section) : nullptr) {}

CorosyncItem& CorosyncItem::operator=(const CorosyncItem& other) {
  if (this != &other) *this = CorosyncItem(other);
  return *this;
}

std::optional<std::string> CorosyncSection::Get(std::string_view key) const {
  for (const CorosyncItem& item : items) {
    if (item.type == CorosyncItem::Type::kPair && item.text == key) return item.value;
  }
  return std::nullopt;
}

void CorosyncSection::Set(std::string_view key, std::string value) {
  for (CorosyncItem& item : items) {
    if (item.type == CorosyncItem::Type::kPair && item.text == key) {
      item.value = std::move(value);
      return;
    }
  }
  // After the last pair, before child sections: where Proxmox puts keys.
  size_t at = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].type == CorosyncItem::Type::kPair) at = i + 1;
  }
  items.insert(items.begin() + static_cast<std::ptrdiff_t>(at),
               CorosyncItem{CorosyncItem::Type::kPair, std::string(key), std::move(value), nullptr});
}

bool CorosyncSection::Erase(std::string_view key) {
  const size_t before = items.size();
  std::erase_if(items, [&](const CorosyncItem& i) { return i.type == CorosyncItem::Type::kPair && i.text == key; });
  return items.size() != before;
}

std::vector<CorosyncSection*> CorosyncSection::Sections(std::string_view section_name) {
  std::vector<CorosyncSection*> out;
  for (CorosyncItem& item : items) {
    if (item.type == CorosyncItem::Type::kSection && item.section->name == section_name) out.push_back(item.section.get());
  }
  return out;
}

std::vector<const CorosyncSection*> CorosyncSection::Sections(std::string_view section_name) const {
  std::vector<const CorosyncSection*> out;
  for (const CorosyncItem& item : items) {
    if (item.type == CorosyncItem::Type::kSection && item.section->name == section_name) out.push_back(item.section.get());
  }
  return out;
}

CorosyncSection& CorosyncSection::Child(std::string_view section_name) {
  for (CorosyncSection* s : Sections(section_name)) return *s;
  auto child = std::make_shared<CorosyncSection>();
  child->name = std::string(section_name);
  items.push_back(CorosyncItem{CorosyncItem::Type::kSection, "", "", child});
  return *child;
}

Result<CorosyncSection> ParseCorosyncConf(std::string_view text, std::string_view file) {
  CorosyncSection root;
  std::vector<CorosyncSection*> stack{&root};
  int line_no = 0;
  auto where = [&] { return std::string(file) + ":" + std::to_string(line_no) + ": "; };
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    std::string_view line = pve::TrimBlanks(raw);
    CorosyncSection& current = *stack.back();
    if (line.empty()) {
      current.items.push_back({CorosyncItem::Type::kBlank, "", "", nullptr});
    } else if (line.front() == '#') {
      current.items.push_back({CorosyncItem::Type::kComment, std::string(line), "", nullptr});
    } else if (line == "}") {
      if (stack.size() == 1) return Fail(Code::kInvalidArgument, where() + "unmatched '}'");
      stack.pop_back();
    } else if (line.back() == '{') {
      std::string_view name = pve::TrimBlanks(line.substr(0, line.size() - 1));
      if (name.empty() || name.find_first_of(":{} \t") != std::string_view::npos) {
        return Fail(Code::kInvalidArgument, where() + "bad section header '" + std::string(line) + "'");
      }
      auto child = std::make_shared<CorosyncSection>();
      child->name = std::string(name);
      current.items.push_back({CorosyncItem::Type::kSection, "", "", child});
      stack.push_back(child.get());
    } else {
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        return Fail(Code::kInvalidArgument, where() + "expected 'key: value', a section or '}', got '" +
                                                std::string(line) + "'");
      }
      std::string_view key = pve::TrimBlanks(line.substr(0, colon));
      if (key.find_first_of(" \t{}") != std::string_view::npos) {
        return Fail(Code::kInvalidArgument, where() + "bad key '" + std::string(key) + "'");
      }
      current.items.push_back(
          {CorosyncItem::Type::kPair, std::string(key), std::string(pve::TrimBlanks(line.substr(colon + 1))), nullptr});
    }
  }
  if (stack.size() != 1) {
    return Fail(Code::kInvalidArgument, std::string(file) + ": section '" + stack.back()->name + "' is not closed");
  }
  return root;
}

std::string FormatCorosyncConf(const CorosyncSection& root) {
  std::string out;
  Format(root, 0, out);
  return out;
}

Result<CorosyncView> ReadCorosyncView(const CorosyncSection& root) {
  CorosyncView view;
  auto totems = root.Sections("totem");
  if (totems.empty()) return Fail(Code::kInvalidArgument, "corosync.conf: no totem section");
  const CorosyncSection& totem = *totems.front();
  view.cluster_name = totem.Get("cluster_name").value_or("");
  std::optional<int> version = ToInt(totem.Get("config_version").value_or(""));
  if (!version) return Fail(Code::kInvalidArgument, "corosync.conf: totem.config_version is missing or not a number");
  view.config_version = *version;
  for (const CorosyncItem& item : totem.items) {
    if (item.type == CorosyncItem::Type::kPair) view.totem[item.text] = item.value;
  }
  for (const CorosyncSection* iface : totem.Sections("interface")) {
    std::optional<int> link = ToInt(iface->Get("linknumber").value_or("0"));
    if (!link) return Fail(Code::kInvalidArgument, "corosync.conf: totem.interface.linknumber is not a number");
    auto& keys = view.interfaces[*link];
    for (const CorosyncItem& item : iface->items) {
      if (item.type == CorosyncItem::Type::kPair && item.text != "linknumber") keys[item.text] = item.value;
    }
  }
  for (const CorosyncSection* nodelist : root.Sections("nodelist")) {
    for (const CorosyncSection* node : nodelist->Sections("node")) {
      CorosyncNodeEntry entry;
      entry.name = node->Get("name").value_or("");
      if (entry.name.empty()) return Fail(Code::kInvalidArgument, "corosync.conf: a nodelist.node without a name");
      std::optional<int> nodeid = ToInt(node->Get("nodeid").value_or(""));
      if (!nodeid) return Fail(Code::kInvalidArgument, "corosync.conf: node '" + entry.name + "': bad nodeid");
      entry.nodeid = *nodeid;
      entry.quorum_votes = ToInt(node->Get("quorum_votes").value_or("1")).value_or(1);
      for (const CorosyncItem& item : node->items) {
        if (item.type != CorosyncItem::Type::kPair || !item.text.starts_with("ring") || !item.text.ends_with("_addr")) {
          continue;
        }
        std::optional<int> link = ToInt(std::string_view(item.text).substr(4, item.text.size() - 9));
        if (link) entry.links[*link] = item.value;
      }
      view.nodes.push_back(std::move(entry));
    }
  }
  return view;
}

Status SetLinkAddress(CorosyncSection& root, std::string_view name, int link, const std::string& address) {
  const std::string key = "ring" + std::to_string(link) + "_addr";
  for (CorosyncSection* nodelist : root.Sections("nodelist")) {
    for (CorosyncSection* node : nodelist->Sections("node")) {
      if (node->Get("name") != name) continue;
      if (address.empty()) {
        node->Erase(key);
      } else {
        node->Set(key, address);
      }
      return Ok();
    }
  }
  return Fail(Code::kNotFound, "corosync.conf: no node '" + std::string(name) + "' in the nodelist");
}

Status BumpConfigVersion(CorosyncSection& root) {
  auto totems = root.Sections("totem");
  if (totems.empty()) return Fail(Code::kInvalidArgument, "corosync.conf: no totem section");
  std::optional<int> version = ToInt(totems.front()->Get("config_version").value_or(""));
  if (!version) return Fail(Code::kInvalidArgument, "corosync.conf: totem.config_version is missing or not a number");
  totems.front()->Set("config_version", std::to_string(*version + 1));
  return Ok();
}

}  // namespace hainfra::pve
