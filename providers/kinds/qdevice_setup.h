// Setting up, changing and removing the cluster's QDevice as `pvecm qdevice setup|remove` does (pve-cluster's
// PVE/CLI/pvecm.pm): all nodes online; the QNetd host's CA certificate on every node, a cluster certificate
// requested on one node, signed by the QNetd host's CA and imported (as PKCS#12) on every node; then
// corosync.conf's quorum.device (a new config_version, reloaded cluster-wide) and corosync-qdevice started and
// enabled on every node, verified connected. Files move between hosts through hainfra's SSH sessions.
#pragma once

#include <chrono>

#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

// `desired` is QdeviceDesiredBody's shape. HAINFRA_QDEVICE_VERIFY_S bounds each wait (default 60 s).
Status SetUpQdevice(KindDeps& deps, const Value& desired);
// Same QNetd host, other settings (algorithm, tls, votes, port): corosync.conf, then corosync-qdevice restarted.
Status ChangeQdevice(KindDeps& deps, const Value& desired);
// `pvecm qdevice remove`: the device section gone, corosync-qdevice stopped and disabled, its certificates removed.
Status RemoveQdevice(KindDeps& deps);

}  // namespace hainfra::providers
