#include "providers/safety/pause_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/planfile/atomic_write.h"

namespace hainfra::safety {
namespace {

// $1 the record's JSON. Temp file and rename, as the lock's holder file: pmxcfs shows the old record or
// the new one. Without quorum pmxcfs refuses the write (exit 3, its error on stderr).
constexpr const char* kPauseWriteScript = R"sh(c=${CFS:-/etc/pve}; f=$c/priv/hainfra-pause.json
mkdir -p "$c/priv" 2>/dev/null
printf '%s\n' "$1" >"$f.new" && mv -f "$f.new" "$f" || exit 3
)sh";

// Exit 0 with the record on stdout; 4: none.
constexpr const char* kPauseReadScript = R"sh(c=${CFS:-/etc/pve}; f=$c/priv/hainfra-pause.json
[ -f "$f" ] || exit 4
cat "$f"
)sh";

constexpr const char* kPauseClearScript = R"sh(c=${CFS:-/etc/pve}; f=$c/priv/hainfra-pause.json
rm -f "$f" || exit 3
)sh";

Result<std::optional<PauseRecord>> PauseFromText(const std::string& text, const std::string& where) {
  Value json;
  try {
    json = Value::parse(text);
  } catch (const std::exception& e) {  // nlohmann reports bad JSON by throwing
    return Fail(Code::kFailedPrecondition, where + ": not a pause record (" + e.what() +
                                               "); `hainfra resume` removes it");
  }
  Result<PauseRecord> record = PauseRecord::FromJson(json);
  if (!record) return Fail(WithContext(record.error(), where));
  return std::optional<PauseRecord>(std::move(*record));
}

class ClusterPauseStore : public PauseStore {
 public:
  ClusterPauseStore(transport::SshClient& ssh, std::string node, std::string cfs)
      : ssh_(ssh), node_(std::move(node)), cfs_(std::move(cfs)) {}

  Result<std::optional<PauseRecord>> Read() override {
    auto r = Script(kPauseReadScript, {});
    if (!r) return Fail(r.error());
    if (r->exit_status == 4) return std::optional<PauseRecord>();
    if (!r->ok()) return Fail(Code::kUnavailable, "reading " + Where() + ": " + r->stderr_text);
    return PauseFromText(r->stdout_text, Where());
  }

  Status Write(const PauseRecord& record) override {
    auto r = Script(kPauseWriteScript, {record.ToJson().dump()});
    if (!r) return Fail(r.error());
    if (!r->ok()) {
      return Fail(Code::kFailedPrecondition, "cannot write " + Where() + " (no quorum?): " + r->stderr_text);
    }
    return Ok();
  }

  Status Clear() override {
    auto r = Script(kPauseClearScript, {});
    if (!r) return Fail(r.error());
    if (!r->ok()) {
      return Fail(Code::kFailedPrecondition, "cannot remove " + Where() + " (no quorum?): " + r->stderr_text);
    }
    return Ok();
  }

  std::string Where() const override { return cfs_ + "/priv/" + kPauseFileName + " on " + node_; }
  bool ClusterWide() const override { return true; }

 private:
  Result<transport::CommandResult> Script(const char* script, const std::vector<std::string>& args) {
    std::vector<std::string> argv{"env", "CFS=" + cfs_, "sh", "-c", script, "hainfra-pause"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = ssh_.Run(node_, argv);
    if (!r) return Fail(WithContext(r.error(), "the pause record on " + node_));
    return r;
  }

  transport::SshClient& ssh_;
  std::string node_;
  std::string cfs_;
};

class LocalPauseStore : public PauseStore {
 public:
  explicit LocalPauseStore(std::string state_dir) : dir_(std::move(state_dir)) {}

  Result<std::optional<PauseRecord>> Read() override {
    std::ifstream in(Path());
    if (!in) return std::optional<PauseRecord>();
    std::ostringstream text;
    text << in.rdbuf();
    return PauseFromText(text.str(), Path());
  }

  Status Write(const PauseRecord& record) override {
    if (::mkdir(dir_.c_str(), 0755) != 0 && errno != EEXIST) {
      return Fail(Code::kFailedPrecondition, dir_ + ": cannot create the state folder: " + std::strerror(errno));
    }
    return planfile::WriteFileAtomically(Path(), record.ToJson().dump(2) + "\n");
  }

  Status Clear() override {
    if (std::remove(Path().c_str()) != 0 && errno != ENOENT) {
      return Fail(Code::kFailedPrecondition, Path() + ": cannot remove: " + std::strerror(errno));
    }
    return Ok();
  }

  std::string Where() const override { return Path() + " (this machine only)"; }
  bool ClusterWide() const override { return false; }

 private:
  std::string Path() const { return dir_ + "/pause.json"; }
  std::string dir_;
};

}  // namespace

Value PauseRecord::ToJson() const {
  return Value{{"reason", reason}, {"by", by}, {"since", since}, {"until", until}, {"job_url", job_url}};
}

Result<PauseRecord> PauseRecord::FromJson(const Value& json) {
  if (!json.is_object()) return Fail(Code::kInvalidArgument, "a pause record must be a JSON object");
  PauseRecord out;
  try {
    out.reason = json.value("reason", "");
    out.by = json.value("by", "");
    out.since = json.value("since", int64_t{0});
    out.until = json.value("until", int64_t{0});
    out.job_url = json.value("job_url", "");
  } catch (const std::exception& e) {  // nlohmann throws on a member of the wrong type
    return Fail(Code::kInvalidArgument, std::string("a pause record with a field of the wrong type: ") + e.what());
  }
  return out;
}

std::unique_ptr<PauseStore> MakeClusterPauseStore(transport::SshClient& ssh, std::string node, std::string cfs) {
  return std::make_unique<ClusterPauseStore>(ssh, std::move(node), std::move(cfs));
}

std::unique_ptr<PauseStore> MakeLocalPauseStore(std::string state_dir) {
  return std::make_unique<LocalPauseStore>(std::move(state_dir));
}

}  // namespace hainfra::safety
