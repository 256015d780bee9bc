#include "cli/commands.h"

#include <algorithm>

namespace hainfra::cli {
namespace {

constexpr CommandInfo kCommandList[] = {
    {"validate", "check the spec and report every problem with its location"},
    {"schema", "print the JSON Schema of the spec"},
    {"plan", "show what apply would change"},
    {"apply", "change the cluster to match the spec"},
    {"unlock", "show or (--force) remove the cluster lock of a dead apply"},
    {"drift", "report whether the cluster still matches the spec (exit 0/2/1)"},
    {"enforce", "correct drift unattended, once or --every INTERVAL (for a timer, CI schedule or CronJob)"},
    {"pause", "pause enforcement cluster-wide (--reason TEXT [--until TIME])"},
    {"resume", "resume paused enforcement"},
    {"report", "report packages: which nodes differ on which package version"},
    {"status", "the cluster's health: quorum, links, HA, Ceph, versions, pending reboots (exit 0/2/1)"},
    {"maintain", "HA-aware node maintenance: NODE --enter|--exit [--policy migrate|shutdown|leave]"},
    {"reboot", "rolling reboot, one node at a time in HA maintenance (default: nodes with a reboot pending)"},
    {"export", "write the live cluster as a spec that plans to no changes"},
    {"version", "print the version"},
    {"bootstrap-token", "create hainfra's least-privilege API token (role, user, token, ACLs) with a password login"},
    {"ha", "cluster-wide HA (PVE 9): disarm --mode freeze|ignore for whole-cluster work, then arm"},
};

}  // namespace

std::span<const CommandInfo> Commands() { return kCommandList; }

const CommandInfo* FindCommand(std::string_view name) {
  auto it = std::find_if(std::begin(kCommandList), std::end(kCommandList),
                         [&](const CommandInfo& c) { return c.name == name; });
  return it == std::end(kCommandList) ? nullptr : &*it;
}

}  // namespace hainfra::cli
