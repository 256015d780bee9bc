// A Change is the plan's unit of data: one action on one object, with field-level before -> after.
// The `reason` is for display only; apply never decides anything from it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hainfra/resource.h"
#include "hainfra/value.h"

namespace hainfra {

enum class Action {
  kNoOp,
  kCreate,
  kUpdate,
  kReplace,  // delete, then create (a field that forces replacement changed)
  kDelete,
};

// Stable lower-case name ("no-op", "create", "update", "replace", "delete"), used in JSON output.
std::string_view ActionName(Action action);

struct FieldChange {
  std::string path;      // human path: "cores", "disks[scsi0].size", "nets[net1]"
  std::string pointer;   // JSON pointer into the desired body ("/disks/0/size"), for located diagnostics
  Value before;          // null when the field or entry is added
  Value after;           // null when the field or entry is removed
  bool force_new = false;
  bool reboot = false;   // takes effect after the guest restarts
  bool secret = false;   // before/after hold "(sensitive)" instead of the value
  std::string refused;   // set by a kind's Review: why this change is refused (planning then fails here)
};

struct Change {
  Address address;
  Action action = Action::kNoOp;
  Value before;   // normalized observed body (null for create); secret fields hold "(sensitive)"
  Value after;    // normalized desired body (null for delete); secret fields hold "(sensitive)".
                  // The executor hands kinds the real desired body (re-read from the spec), so a plan
                  // never holds a secret.
  std::vector<FieldChange> fields;
  std::string reason;        // "disk scsi0 grows 32G -> 64G", for display only
  bool destructive = false;  // loses data or a guest: needs --allow-destroy
  bool reboot = false;       // some changes wait for a guest restart
  std::string version;       // the observed version at plan time (stale-plan check)
  std::vector<std::string> ignored;  // paths of differences an `enforcement.ignore` rule dropped (never applied)
  // A difference the kind holds back this run, and why ("reboot pending …; withheld: outside the reboot
  // window …"): set by Review on a change it leaves without fields. Shown, never applied, not drift.
  std::string held;
};

}  // namespace hainfra
