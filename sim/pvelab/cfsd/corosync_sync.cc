#include "corosync_sync.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace pvelab {

namespace {

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

// Writes PATH through a temporary file in the same folder and a rename, so corosync never reads half a file.
bool WriteFileAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".pvelab-new";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out << text;
    out.flush();
    if (!out) return false;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace

std::uint64_t ConfigVersion(std::string_view text) {
  constexpr std::string_view kKey = "config_version:";
  std::size_t pos = 0;
  while ((pos = text.find(kKey, pos)) != std::string_view::npos) {
    // Only a key at the start of a line (after indentation) counts.
    std::size_t line_start = text.rfind('\n', pos);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    bool indented_only = text.substr(line_start, pos - line_start).find_first_not_of(" \t") == std::string_view::npos;
    pos += kKey.size();
    if (!indented_only) continue;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
    if (ec == std::errc()) return value;
  }
  return 0;
}

SyncOutcome SyncCorosyncConf(const std::string& cfs_conf, const std::string& node_conf) {
  SyncOutcome outcome;
  std::string fresh;
  if (!ReadFile(cfs_conf, fresh) || fresh.empty()) return outcome;
  std::uint64_t new_version = ConfigVersion(fresh);
  if (new_version == 0) {
    outcome.message = "unable to parse cluster config_version in " + cfs_conf;
    return outcome;
  }
  std::string old;
  std::uint64_t old_version = 0;
  if (ReadFile(node_conf, old) && !old.empty()) old_version = ConfigVersion(old);
  if (old == fresh) return outcome;
  if (new_version < old_version) {
    outcome.message = node_conf + ": local corosync.conf is newer (" + std::to_string(old_version) + " > " +
                      std::to_string(new_version) + "), left alone";
    return outcome;
  }
  if (!WriteFileAtomically(node_conf, fresh)) {
    outcome.message = "unable to write " + node_conf;
    return outcome;
  }
  outcome.changed = true;
  outcome.needs_reload = old_version != 0;
  outcome.message = "wrote new corosync config '" + node_conf + "' (version = " + std::to_string(new_version) + ")";
  return outcome;
}

}  // namespace pvelab
