// Small helpers shared by the resource kinds' end-to-end tests: the `cluster:` head of a test spec, a pvesim
// world file, and a plan's steps as "create storage/nfs" lines, so a test reads as the plan a user sees.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hainfra/plan.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {

// The `cluster:` section every test spec starts with (the transports take pvesim's HAINFRA_* settings).
std::string ClusterHead();

// The plan's change steps in order, each as "<action> <address>" ("update ha_rule/hpc-first").
std::vector<std::string> StepLines(const Plan& plan);

// The human paths of the fields one planned change touches ("content", "nodes[pve-01]").
std::vector<std::string> ChangedPaths(const Plan& plan, const std::string& address);

// A pvesim world of stopped guests (`vmids`, spread over pve-01..pve-03 in turn, each named guest<vmid> with
// 1 core and 512 MiB) on PVE `pve`: the guests HA resources and backup jobs name.
nlohmann::json GuestWorld(int pve, const std::vector<int>& vmids);

// The `nodes:` and `vms:` sections declaring pvesim's three nodes and exactly those guests as the world holds them.
std::string GuestYaml(const std::vector<int>& vmids);

// Writes `world` as JSON into `dir` and returns the `serve` flags that load it.
std::vector<std::string> WorldArgs(const TempDir& dir, const nlohmann::json& world);

}  // namespace hainfra::testing
