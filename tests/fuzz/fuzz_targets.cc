#include "tests/fuzz/fuzz_targets.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "engine/enforce/calendar.h"
#include "engine/planfile/plan_json.h"
#include "engine/spec/loader.h"
#include "engine/spec/pve_calendar.h"
#include "engine/spec/sshd_keywords.h"
#include "providers/kinds/ct_config.h"
#include "providers/kinds/network_body.h"
#include "providers/kinds/vm_config.h"
#include "providers/node/sshd_config.h"
#include "providers/pve/apt_repositories.h"
#include "providers/pve/corosync_conf.h"
#include "providers/pve/network_interfaces.h"
#include "providers/pve/pending_changes.h"
#include "providers/pve/property_string.h"
#include "sim/pvesim/apt_sources.h"
#include "sim/pvesim/corosync_conf.h"
#include "sim/pvesim/interfaces_file.h"

namespace hainfra::fuzzing {
namespace {

// A broken invariant: said on stderr, then abort() so that libFuzzer keeps the input.
[[noreturn]] void Finding(const std::string& what) {
  std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
  std::abort();
}

// The input cut at NUL bytes (at most `max` parts; the last keeps the rest).
std::vector<std::string_view> Parts(std::string_view data, size_t max) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max) {
    const size_t nul = data.find('\0');
    if (nul == std::string_view::npos) break;
    parts.push_back(data.substr(0, nul));
    data = data.substr(nul + 1);
  }
  parts.push_back(data);
  return parts;
}

std::vector<std::string_view> Lines(std::string_view data) {
  std::vector<std::string_view> lines;
  size_t from = 0;
  while (from <= data.size()) {
    const size_t nl = data.find('\n', from);
    lines.push_back(data.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from));
    if (nl == std::string_view::npos) break;
    from = nl + 1;
  }
  return lines;
}

// JSON as nlohmann reads it, or null when it is not JSON (no exception).
Value ParseJson(std::string_view data) { return Value::parse(data.begin(), data.end(), nullptr, false); }

void SpecYaml(std::string_view data) { (void)spec::LoadSpecText(data, "fuzz.yaml"); }

// A spec folder: the parts of the input (cut at NUL bytes) are its files, read as `hainfra validate DIR` reads.
void SpecFolder(std::string_view data) {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("hainfra-fuzz-folder-" + std::to_string(::getpid()));
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir / "sub", ec);
  const std::vector<std::string_view> parts = Parts(data, 6);
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::filesystem::path file = (i % 2 == 0 ? dir : dir / "sub") / ("part" + std::to_string(i) + ".yaml");
    std::ofstream(file, std::ios::binary).write(parts[i].data(), static_cast<std::streamsize>(parts[i].size()));
  }
  (void)spec::LoadSpec({dir.string()});
}

// Each line a property string; what parses is written back and must read the same.
void PropertyString(std::string_view data) {
  for (std::string_view line : Lines(data)) {
    for (std::string_view default_key : {std::string_view(""), std::string_view("name")}) {
      Result<pve::PropertyString> parsed = pve::ParsePropertyString(line, default_key);
      if (!parsed) continue;
      const std::string written = pve::FormatPropertyString(*parsed, default_key);
      Result<pve::PropertyString> again = pve::ParsePropertyString(written, default_key);
      if (!again) Finding("`" + written + "` (written from `" + std::string(line) + "`) does not parse: " +
                          again.error().message);
      std::map<std::string, std::string> a(parsed->entries.begin(), parsed->entries.end());
      std::map<std::string, std::string> b(again->entries.begin(), again->entries.end());
      if (a != b) Finding("`" + std::string(line) + "` reads differently once written as `" + written + "`");
    }
  }
}

// A qemu or lxc config file, read as the observes read it.
void GuestConfig(std::string_view data) {
  Result<Value> config = providers::vm::ParseConfText(data);
  if (!config) return;
  (void)providers::vm::ConfigToBody(*config);
  (void)providers::ct::ConfigToBody(*config);
}

// corosync.conf: what parses is written back, parses again, and is then written the same (a fixed point).
void CorosyncConf(std::string_view data) {
  (void)pvesim::ParseCorosyncConf(std::string(data));
  Result<pve::CorosyncSection> tree = pve::ParseCorosyncConf(data);
  if (!tree) return;
  const std::string written = pve::FormatCorosyncConf(*tree);
  Result<pve::CorosyncSection> again = pve::ParseCorosyncConf(written);
  if (!again) Finding("corosync.conf written back does not parse: " + again.error().message);
  if (pve::FormatCorosyncConf(*again) != written) Finding("corosync.conf changes each time it is written");
}

// /etc/network/interfaces as pvesim reads and writes it, and a `diff -u` of it as hainfra reads pending changes.
void NetworkInterfaces(std::string_view data) {
  const std::string text(data);
  pvesim::InterfacesConfig config = pvesim::ParseInterfaces(text, {"eno1", "eno2", "enp1s0"});
  (void)pvesim::WriteInterfaces(config);
  (void)pve::ParsePendingChanges(data);
}

// sshd_config: the parts are the main file, hainfra's drop-in, another drop-in and `sshd -T`'s output.
void SshdConfig(std::string_view data) {
  const std::vector<std::string_view> parts = Parts(data, 4);
  node::SshdSnapshot snapshot;
  snapshot.main = std::string(parts[0]);
  if (parts.size() > 1) snapshot.files[std::string(node::kSshdDropIn)] = std::string(parts[1]);
  if (parts.size() > 2) snapshot.files["/etc/ssh/sshd_config.d/50-other.conf"] = std::string(parts[2]);
  if (parts.size() > 3) snapshot.effective = std::string(parts[3]);
  snapshot.effective_ok = true;
  const node::SshdAnalysis analysis = node::AnalyzeSshd(snapshot);
  Value desired = Value::object();
  for (const auto& [keyword, value] : analysis.drop_in) {
    (void)node::NormalizeSshdValue(keyword, value);
    (void)node::CheckSshdSetting(keyword, value);
    (void)spec::CheckSshdSetting(keyword, value);
    desired[keyword] = value;
  }
  (void)node::ObservedSshdSettings(desired, analysis);
  (void)node::ParseSshdSnapshot(data, "@@m@@");
}

// APT sources, one-line (.list) and deb822 (.sources), as proxmox-apt reads them; written back; and the
// GET .../apt/repositories answer built from them read as hainfra reads it.
void AptSources(std::string_view data) {
  const std::vector<std::string_view> parts = Parts(data, 2);
  std::map<std::string, std::string> files;
  files["/etc/apt/sources.list.d/fuzz.list"] = std::string(parts[0]);
  if (parts.size() > 1) files["/etc/apt/sources.list.d/fuzz.sources"] = std::string(parts[1]);
  for (const auto& [path, text] : files) (void)pvesim::WriteAptFile(pvesim::ParseAptFile(path, text));
  for (int release : {8, 9}) (void)pve::ParseAptRepositories(pvesim::RepositoriesJson(release, files));
}

// An API answer (JSON) given to each reader of answers the kinds' observes use.
void ApiJson(std::string_view data) {
  const Value json = ParseJson(data);
  if (json.is_discarded()) return;
  const Value payload = json.is_object() && json.contains("data") ? json["data"] : json;
  (void)providers::vm::ConfigToBody(payload);
  (void)providers::ct::ConfigToBody(payload);
  (void)pve::ParseAptRepositories(payload);
  if (payload.is_array()) {
    for (const Value& item : payload) {
      if (item.is_object()) (void)pve::InterfaceFromApi(item);
    }
  }
  (void)providers::ObservedNetworkBody("pve-01", json);
}

// A saved plan: what reads is written and must read again.
void PlanFile(std::string_view data) {
  const Value json = ParseJson(data);
  if (json.is_discarded()) return;
  Result<Plan> plan = planfile::PlanFromJson(json);
  if (!plan) return;
  Result<Plan> again = planfile::PlanFromJson(planfile::PlanToJson(*plan));
  if (!again) Finding("a plan written back does not read: " + again.error().message);
}

// Calendar events: job schedules as Proxmox parses them, enforcement windows.
void CalendarEvent(std::string_view data) {
  for (std::string_view line : Lines(data)) {
    (void)spec::CalendarEventProblem(line);
    (void)enforce::Calendar::Parse(std::string(line));
  }
}

}  // namespace

const std::vector<FuzzTarget>& FuzzTargets() {
  static const std::vector<FuzzTarget> targets = {
      {"spec_yaml", SpecYaml},
      {"spec_folder", SpecFolder},
      {"property_string", PropertyString},
      {"guest_config", GuestConfig},
      {"corosync_conf", CorosyncConf},
      {"network_interfaces", NetworkInterfaces},
      {"sshd_config", SshdConfig},
      {"apt_sources", AptSources},
      {"api_json", ApiJson},
      {"plan_file", PlanFile},
      {"calendar_event", CalendarEvent},
  };
  return targets;
}

const FuzzTarget* FindFuzzTarget(std::string_view name) {
  for (const FuzzTarget& t : FuzzTargets()) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

}  // namespace hainfra::fuzzing
