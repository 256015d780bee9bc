// A small plan with one change of every kind (create, update with a reboot field and a secret, replace,
// delete), a commit and a gate: the renderer and plan-file tests share it.
#pragma once

#include "hainfra/plan.h"

namespace hainfra::testing {

// The secret written in the sample's desired bodies; it must never appear in any output.
inline constexpr const char* kCanary = "canary-7f3a9c";

// Steps: create vm/100, update vm/101, replace vm/102, delete vm/103, commit network on pve-01,
// health gate after pve-01; one unchanged object (vm/104).
Plan SamplePlan();

}  // namespace hainfra::testing
