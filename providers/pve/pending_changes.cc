#include "providers/pve/pending_changes.h"

#include <sstream>

namespace hainfra::pve {
namespace {

// "auto vmbr0 vmbr1", "allow-hotplug eno1" -> the names; "iface vmbr0 inet static" -> vmbr0.
bool StanzaHead(const std::string& line, std::set<std::string>& names, std::string& current) {
  std::istringstream words(line);
  std::string first;
  words >> first;
  if (first == "iface") {
    std::string name;
    words >> name;
    if (name.empty()) return false;
    names.insert(name);
    current = name;
    return true;
  }
  if (first == "auto" || first.rfind("allow-", 0) == 0) {
    for (std::string name; words >> name;) names.insert(name);
    return true;
  }
  return false;
}

}  // namespace

PendingChanges ParsePendingChanges(std::string_view diff) {
  PendingChanges out;
  std::istringstream in{std::string(diff)};
  // The stanza the current line belongs to: unknown at the start of a hunk (its first lines may sit in
  // the middle of a stanza), "" between stanzas (after a blank line), else the interface's name.
  std::string current;
  bool known = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("---", 0) == 0 || line.rfind("+++", 0) == 0) continue;
    if (line.rfind("@@", 0) == 0) {
      known = false;
      current.clear();
      continue;
    }
    if (line.empty()) continue;
    const char mark = line[0];
    if (mark != ' ' && mark != '-' && mark != '+') continue;  // "\ No newline at end of file" and the like
    const std::string content = line.substr(1);
    const bool changed = mark != ' ';
    std::set<std::string> heads;
    std::string head_iface = current;
    if (StanzaHead(content, heads, head_iface)) {
      if (!head_iface.empty() && head_iface != current) {
        current = head_iface;
        known = true;
      }
      if (changed) out.interfaces.insert(heads.begin(), heads.end());
      continue;
    }
    const bool blank = content.find_first_not_of(" \t\r") == std::string::npos;
    const bool indented = !content.empty() && (content[0] == ' ' || content[0] == '\t');
    if (blank) {
      current.clear();
      known = true;  // between stanzas
      continue;
    }
    if (indented || content[0] == '#') {
      // An option or a comment: it belongs to the stanza above it (Proxmox writes comments right after
      // the options), or to the file header when no stanza started yet.
      if (!changed) continue;
      if (known && !current.empty()) out.interfaces.insert(current);
      else out.unattributed = true;
      continue;
    }
    // A file-level line ("source /etc/network/interfaces.d/*").
    if (changed) out.unattributed = true;
    current.clear();
    known = true;
  }
  return out;
}

}  // namespace hainfra::pve
