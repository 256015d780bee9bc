#include "providers/safety/cluster_lock.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>

namespace hainfra::safety {
namespace {

// $1 lock name, $2 holder JSON, $3 attempts. Exit 0: taken; 2: held (stdout: the holder file); 3: error.
// A refused mkdir on an existing folder sends pmxcfs's unlock request (utime 0: an expired lock is
// removed, a live one keeps its time) and tries again, as Proxmox's cfs_lock does.
constexpr const char* kAcquireScript = R"sh(c=${CFS:-/etc/pve}; d=$c/priv/lock/$1; h=$c/priv/$1.holder; n=$3
mkdir -p "$c/priv/lock" 2>/dev/null
while :; do
  if err=$(mkdir "$d" 2>&1); then
    if printf '%s\n' "$2" >"$h.new" && mv -f "$h.new" "$h"; then exit 0; fi
    rmdir "$d"; echo "cannot write $h" >&2; exit 3
  fi
  [ -d "$d" ] || { echo "$err" >&2; exit 3; }
  n=$((n-1)); [ "$n" -gt 0 ] || break
  touch -m -d @0 "$d" 2>/dev/null
  sleep 0.2
done
cat "$h" 2>/dev/null; exit 2
)sh";

// $1 name, $2 our id. Exit 0 refreshed; 4: not ours any more.
constexpr const char* kRefreshScript = R"sh(c=${CFS:-/etc/pve}; d=$c/priv/lock/$1; h=$c/priv/$1.holder
grep -qF "$2" "$h" 2>/dev/null && [ -d "$d" ] || exit 4
touch -c "$d"
)sh";

// $1 name, $2 our id (empty: whoever holds it). Exit 0 released; 4: not ours / not held. stdout: holder.
constexpr const char* kReleaseScript = R"sh(c=${CFS:-/etc/pve}; d=$c/priv/lock/$1; h=$c/priv/$1.holder
[ -d "$d" ] || { cat "$h" 2>/dev/null; rm -f "$h"; exit 4; }
if [ -n "$2" ]; then grep -qF "$2" "$h" 2>/dev/null || exit 4; fi
cat "$h" 2>/dev/null; rm -f "$h"; rmdir "$d"
)sh";

constexpr const char* kReadScript = R"sh(c=${CFS:-/etc/pve}; d=$c/priv/lock/$1; h=$c/priv/$1.holder
[ -d "$d" ] || exit 4
cat "$h" 2>/dev/null; exit 0
)sh";

std::string RandomId() {
  std::random_device device;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", device(), device());
  return buf;
}

std::string NowIso() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The scripts read the /etc/pve root from CFS (another folder only in tests without pmxcfs).
Result<transport::CommandResult> RunScript(transport::SshClient& ssh, const std::string& node, const char* script,
                                           const std::vector<std::string>& args, const std::string& cfs) {
  std::vector<std::string> argv{"env", "CFS=" + cfs, "sh", "-c", script, "hainfra-lock"};
  argv.insert(argv.end(), args.begin(), args.end());
  return ssh.Run(node, argv);
}

LockHolder HolderFromText(const std::string& text) {
  try {
    return LockHolder::FromJson(Value::parse(text));
  } catch (const std::exception&) {  // nlohmann reports bad JSON by throwing
    LockHolder unknown;
    unknown.host = "(unreadable holder information)";
    return unknown;
  }
}

// A holder on this very host whose process is gone: an apply that was killed (SIGKILL, OOM, power loss of a
// CI runner's container) without releasing the lock. Only provable for our own host; a pid that was reused
// since keeps it looking alive, which errs on the safe side.
bool HolderIsGoneFromThisHost(const LockHolder& holder) {
  if (holder.pid <= 0 || holder.host.empty()) return false;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || holder.host != host) return false;
  return ::kill(static_cast<pid_t>(holder.pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

Value LockHolder::ToJson() const {
  return Value{{"id", id}, {"host", host}, {"user", user}, {"pid", pid}, {"since", since}, {"job_url", job_url}};
}

LockHolder LockHolder::FromJson(const Value& json) {
  LockHolder h;
  if (!json.is_object()) return h;
  h.id = json.value("id", "");
  h.host = json.value("host", "");
  h.user = json.value("user", "");
  h.pid = json.value("pid", int64_t{0});
  h.since = json.value("since", "");
  h.job_url = json.value("job_url", "");
  return h;
}

std::string LockHolder::Describe() const {
  if (host.empty() && user.empty()) return "an unknown holder (no holder information)";
  std::string out = user + "@" + host + " (pid " + std::to_string(pid) + ")";
  if (!since.empty()) out += " since " + since;
  if (!job_url.empty()) out += ", job " + job_url;
  return out;
}

LockHolder LockHolder::Current() {
  LockHolder h;
  h.id = RandomId();
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) h.host = host;
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr) h.user = pw->pw_name;
  h.pid = getpid();
  h.since = NowIso();
  for (const char* name : {"HAINFRA_CI_JOB_URL", "CI_JOB_URL"}) {
    if (const char* url = std::getenv(name); url != nullptr && *url != '\0') {
      h.job_url = url;
      break;
    }
  }
  return h;
}

ClusterLock::ClusterLock(transport::SshClient& ssh, std::string node, LockOptions options, LockHolder holder)
    : ssh_(ssh), node_(std::move(node)), options_(std::move(options)), holder_(std::move(holder)) {}

Result<std::unique_ptr<ClusterLock>> ClusterLock::Acquire(transport::SshClient& ssh, const std::string& node,
                                                          LockOptions options, LockHolder holder) {
  const long attempts = std::max<long>(1, static_cast<long>(options.wait.count() / 200) + 1);
  auto r = RunScript(ssh, node, kAcquireScript, {options.name, holder.ToJson().dump(), std::to_string(attempts)}, options.cfs);
  if (!r) return Fail(WithContext(r.error(), "taking the cluster lock on " + node));
  if (r->exit_status == 2) {
    const LockHolder owner = HolderFromText(r->stdout_text);
    const std::string where = "the cluster lock " + options.cfs + "/priv/lock/" + options.name;
    if (HolderIsGoneFromThisHost(owner)) {
      return Fail(Code::kFailedPrecondition,
                  where + " is stale: it is held by " + owner.Describe() +
                      ", and that process no longer runs on this host (killed before it could release it); "
                      "see what it did with `hainfra plan`, then remove the lock with `hainfra unlock --force`, or "
                      "wait until pmxcfs expires it (120 s after its last refresh) — docs/faults.md");
    }
    return Fail(Code::kFailedPrecondition, where + " is held by " + owner.Describe() +
                                               "; wait for it to finish, or if it died, `hainfra unlock --force`");
  }
  if (!r->ok()) {
    return Fail(Code::kFailedPrecondition, "cannot take the cluster lock on " + node + ": " + r->stderr_text +
                                               " (exit " + std::to_string(r->exit_status) + ")");
  }
  std::unique_ptr<ClusterLock> lock(new ClusterLock(ssh, node, std::move(options), std::move(holder)));
  lock->refresher_ = std::thread([raw = lock.get()] { raw->RefreshLoop(); });
  return lock;
}

void ClusterLock::RefreshLoop() {
  std::unique_lock<std::mutex> guard(mutex_);
  while (!stop_) {
    if (wake_.wait_for(guard, options_.refresh, [this] { return stop_; })) break;
    guard.unlock();
    auto r = RunScript(ssh_, node_, kRefreshScript, {options_.name, holder_.id}, options_.cfs);
    // A lost connection is retried at the next tick; a lock gone or taken over is final.
    if (r && r->exit_status == 4) held_ = false;
    guard.lock();
  }
}

Status ClusterLock::Release() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (released_) return Ok();
    released_ = true;
    stop_ = true;
  }
  wake_.notify_all();
  if (refresher_.joinable()) refresher_.join();
  auto r = RunScript(ssh_, node_, kReleaseScript, {options_.name, holder_.id}, options_.cfs);
  if (!r) return Fail(WithContext(r.error(), "releasing the cluster lock"));
  if (r->exit_status == 4) {
    return Fail(Code::kFailedPrecondition, "the cluster lock was no longer ours when released (it expired or was "
                                           "forced); check that no other apply ran at the same time");
  }
  if (!r->ok()) return Fail(Code::kUnavailable, "releasing the cluster lock: " + r->stderr_text);
  return Ok();
}

ClusterLock::~ClusterLock() { (void)Release(); }

Result<LockHolder> ReadLockHolder(transport::SshClient& ssh, const std::string& node, const std::string& name,
                                  const std::string& cfs) {
  auto r = RunScript(ssh, node, kReadScript, {name}, cfs);
  if (!r) return Fail(r.error());
  if (r->exit_status == 4) return Fail(Code::kNotFound, "the cluster lock " + name + " is not held");
  if (!r->ok()) return Fail(Code::kUnavailable, "reading the cluster lock: " + r->stderr_text);
  return HolderFromText(r->stdout_text);
}

Result<LockHolder> ForceUnlock(transport::SshClient& ssh, const std::string& node, const std::string& name,
                               const std::string& cfs) {
  auto r = RunScript(ssh, node, kReleaseScript, {name, ""}, cfs);
  if (!r) return Fail(r.error());
  if (r->exit_status == 4) return Fail(Code::kNotFound, "the cluster lock " + name + " is not held");
  if (!r->ok()) return Fail(Code::kUnavailable, "removing the cluster lock: " + r->stderr_text);
  return HolderFromText(r->stdout_text);
}

}  // namespace hainfra::safety
