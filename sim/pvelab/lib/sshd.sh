# pvelab: OpenSSH on every node — the lab's client identity, each node's host key and the known_hosts file
# a strict client needs, the node's sshd_config (key-only root login), and starting sshd (stopping: lib/fault.sh).

# The client key pair (for root on every node) and one host key per node, made in parallel.
MakeSshKeys() {
  local i
  mkdir -p "$LAB_DIR/ssh"
  ssh-keygen -q -t ed25519 -N '' -C "pvelab-$LAB_ID" -f "$LAB_DIR/ssh/id_ed25519" &
  for i in $(seq 1 "$LAB_NODE_COUNT"); do
    mkdir -p "$(NodeDir "$i")/ssh"
    ssh-keygen -q -t ed25519 -N '' -C "root@$(NodeName "$i")" -f "$(NodeDir "$i")/ssh/ssh_host_ed25519_key" &
  done
  wait
  : >"$LAB_DIR/ssh/known_hosts"
  for i in $(seq 1 "$LAB_NODE_COUNT"); do
    # Both the address and the name, as `ssh` and libssh look up whichever the caller used.
    echo "$(NodeAddr "$i" mgmt),$(NodeName "$i") $(cut -d' ' -f1,2 "$(NodeDir "$i")/ssh/ssh_host_ed25519_key.pub")"
  done >>"$LAB_DIR/ssh/known_hosts"
}

# The node's /etc/ssh: its host key and an sshd_config that reads drop-ins first (as Debian's does, so a
# hardening drop-in in sshd_config.d/ takes effect), then allows key-only root login.
WriteSshdFiles() {
  local i=$1 etc_ssh=$2
  install -m 0600 "$(NodeDir "$i")/ssh/ssh_host_ed25519_key" "$etc_ssh/ssh_host_ed25519_key"
  install -m 0644 "$(NodeDir "$i")/ssh/ssh_host_ed25519_key.pub" "$etc_ssh/ssh_host_ed25519_key.pub"
  mkdir -p "$etc_ssh/sshd_config.d"
  cat >"$etc_ssh/sshd_config" <<EOF
# pvelab node $(NodeName "$i"): real OpenSSH, key-only root login.
Include /etc/ssh/sshd_config.d/*.conf
Port 22
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# Keys live under /etc/pve/priv as on Proxmox VE (root-owned 0600 file in a 0700 folder).
StrictModes no
UseDNS no
# Generous: tests and hainfra open many sessions at once.
MaxStartups 200:30:400
MaxSessions 200
LogLevel VERBOSE
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
EOF
}

StartSshd() {
  InNode "$1" /usr/sbin/sshd -E /var/log/sshd.log
}

# Waits until sshd of node INDEX accepts connections on its management address (bash's /dev/tcp).
WaitSshd() {
  local i=$1 addr
  addr=$(NodeAddr "$i" mgmt)
  for _ in $(seq 1 "$PVELAB_POLLS"); do
    if timeout 1 bash -c "exec 3<>/dev/tcp/$addr/22" 2>/dev/null; then return 0; fi
    sleep 0.01
  done
  Die "sshd of $(NodeName "$i") does not answer on $addr:22"
}
