#include "engine/planfile/plan_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/plan/fingerprint.h"
#include "engine/planfile/plan_json.h"

namespace hainfra::planfile {
namespace {

Error SystemError(const std::string& what, const std::string& path) {
  return Error{Code::kFailedPrecondition, path + ": cannot " + what + ": " + std::strerror(errno)};
}

}  // namespace

Status WritePlanFile(const Plan& plan, const std::string& path) {
  if (HasErrors(plan.diagnostics)) {
    return Fail(Code::kFailedPrecondition, path + ": not written: the plan has errors");
  }
  const std::string text = PlanToJson(plan).dump(2) + "\n";
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(SystemError("create", temp));
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = SystemError("write", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return Fail(e);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    Error e = SystemError("flush", temp);
    ::unlink(temp.c_str());
    return Fail(e);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Error e = SystemError("rename into place", path);
    ::unlink(temp.c_str());
    return Fail(e);
  }
  return Ok();
}

Result<Plan> ReadPlanFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Code::kNotFound, path + ": cannot open: " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  Value json = Value::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Fail(Code::kInvalidArgument, path + ": not valid JSON");
  Result<Plan> plan = PlanFromJson(json);
  if (!plan) return Fail(WithContext(plan.error(), path));
  return plan;
}

Status CheckFresh(const Plan& saved, const std::string& spec_hash, const std::vector<plan::KindState>& observed) {
  std::vector<std::string> problems;
  if (saved.spec_hash != spec_hash) problems.push_back("the spec changed since the plan was made");
  std::map<Address, std::string> now;
  for (const plan::KindState& kind : observed) {
    for (const Observed& o : kind.observed) now.emplace(o.address, plan::VersionOf(o));
  }
  std::vector<std::string> changed;
  for (const Step& step : saved.steps) {
    if (step.type != StepType::kChange) continue;
    const Change& c = step.change;
    auto it = now.find(c.address);
    if (c.action == Action::kCreate) {
      if (it != now.end()) changed.push_back(c.address.ToString() + " (now exists)");
    } else if (it == now.end()) {
      changed.push_back(c.address.ToString() + " (gone)");
    } else if (it->second != c.version) {
      changed.push_back(c.address.ToString() + " (version " + c.version + " -> " + it->second + ")");
    }
  }
  if (!changed.empty()) {
    std::string list;
    for (const std::string& c : changed) list += (list.empty() ? "" : ", ") + c;
    problems.push_back("objects changed in the cluster since the plan was made: " + list);
  }
  if (problems.empty()) return Ok();
  std::string message = "the saved plan is stale: ";
  for (size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
  return Fail(Code::kFailedPrecondition, message + ". Make a new plan.");
}

}  // namespace hainfra::planfile
