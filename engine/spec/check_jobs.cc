// Backup jobs (one way of choosing guests, storages that hold backups) and baselines (no contradictions, a
// reboot window that parses).
#include <set>

#include "engine/enforce/calendar.h"
#include "engine/enforce/time_zone.h"
#include "engine/spec/checks.h"
#include "engine/spec/pve_calendar.h"
#include "engine/spec/sshd_keywords.h"

namespace hainfra::spec {

void CheckBackupJobs(CheckContext& ctx) {
  for (const Resource* job : ctx.OfKind("backup_job")) {
    if (job->absent) continue;
    const Value& body = job->body;
    if (const std::string schedule = Str(body, "schedule"); !schedule.empty()) {
      if (const std::string problem = CalendarEventProblem(schedule); !problem.empty()) {
        ctx.Error(*job, "/schedule", "Proxmox refuses the schedule `" + schedule + "`: " + problem);
      }
    }
    const bool all = body.value("all", false);
    const int selections = (all ? 1 : 0) + (Has(body, "vms") ? 1 : 0) + (Has(body, "pool") ? 1 : 0);
    if (selections == 0) {
      ctx.Error(*job, "", "choose the guests to back up: all: true, vms: [...] or pool");
    } else if (selections > 1) {
      ctx.Error(*job, Has(body, "vms") ? "/vms" : "/pool", "all, vms and pool are alternatives: use one");
    }
    if (Has(body, "exclude") && !all) ctx.Error(*job, "/exclude", "exclude applies only with all: true");
    const Value& prune = ObjectAt(body, "prune");
    if (prune.value("keep_all", false) && prune.size() > 1) {
      ctx.Error(*job, "/prune/keep_all", "keep_all: true conflicts with the other keep_ settings");
    }
    const std::string storage = Str(body, "storage");
    const Resource* target = storage.empty() ? nullptr : ctx.Find("storage", storage);
    if (target != nullptr && Has(target->body, "content")) {
      bool holds_backups = false;
      for (const Value& c : target->body["content"]) holds_backups = holds_backups || c == "backup";
      if (!holds_backups) {
        ctx.Error(*job, "/storage", "storage `" + storage + "` does not hold backups (its content has no `backup`)");
      }
    }
    for (const char* key : {"protected", "notes_template"}) {
      if (Has(body, key) && storage.empty()) {
        ctx.Error(*job, std::string("/") + key, "`" + std::string(key) + "` needs `storage`");
      }
    }
  }
}

void CheckBaselines(CheckContext& ctx) {
  for (const Resource* baseline : ctx.OfKind("baseline")) {
    const Value& body = baseline->body;
    const Value& packages = ObjectAt(body, "packages");
    std::set<std::string> absent;
    for (const Value& p : ListAt(packages, "absent")) absent.insert(p.get<std::string>());
    const Value& present = ListAt(packages, "present");
    for (size_t i = 0; i < present.size(); ++i) {
      if (absent.count(present[i].get<std::string>()) != 0) {
        ctx.Error(*baseline, "/packages/present/" + std::to_string(i),
                  "package " + present[i].get<std::string>() + " is listed both present and absent");
      }
    }
    const Value& versions = ObjectAt(packages, "versions");
    for (auto it = versions.begin(); it != versions.end(); ++it) {
      if (absent.count(it.key()) != 0) {
        ctx.Error(*baseline, "/packages/versions/" + it.key(),
                  "package " + it.key() + " has a version but is listed absent");
      }
    }
    const Value& sshd = ObjectAt(body, "sshd");
    for (auto it = sshd.begin(); it != sshd.end(); ++it) {
      if (!it->is_string()) continue;  // reported by the typer
      const SshdVerdict verdict = CheckSshdSetting(it.key(), it->get_ref<const std::string&>());
      if (verdict.message.empty()) continue;
      if (verdict.error) {
        ctx.Error(*baseline, "/sshd/" + it.key(), verdict.message);
      } else {
        ctx.Warning(*baseline, "/sshd/" + it.key(), verdict.message);
      }
    }
    // `reboot.window` and `reboot.timezone`: the enforcement windows' calendar and zones (engine/enforce).
    const Value& reboot = ObjectAt(body, "reboot");
    if (reboot.contains("window") && reboot["window"].is_string()) {
      if (Result<enforce::Calendar> c = enforce::Calendar::Parse(reboot["window"].get<std::string>()); !c) {
        ctx.Error(*baseline, "/reboot/window", "reboot window: " + c.error().message);
      }
    }
    if (reboot.contains("timezone") && reboot["timezone"].is_string()) {
      if (Result<enforce::TimeZone> tz = enforce::TimeZone::Load(reboot["timezone"].get<std::string>()); !tz) {
        ctx.Error(*baseline, "/reboot/timezone", "reboot window: " + tz.error().message);
      }
    }
    const Value& apt = ObjectAt(body, "apt");
    std::set<std::string> enabled;
    for (const Value& r : ListAt(apt, "repositories")) enabled.insert(r.get<std::string>());
    const Value& disabled = ListAt(apt, "disable");
    for (size_t i = 0; i < disabled.size(); ++i) {
      if (enabled.count(disabled[i].get<std::string>()) != 0) {
        ctx.Error(*baseline, "/apt/disable/" + std::to_string(i),
                  "repository " + disabled[i].get<std::string>() + " is listed both enabled and disabled");
      }
    }
  }
}

}  // namespace hainfra::spec
