#!/usr/bin/env bash
# System test of the Ansible roles, as an operator would run them, on test hosts made on this
# machine: network namespaces on one bridge, each with its own address, host name and sshd.
#
#   sudo ansible/test/system-test.sh          (after `mvn package`: needs dist/target/drover-*.tar.gz)
#
#   1. Makes 4 hosts (drover-h1..h4, 10.200.240.11-14/24 on bridge br-drover; the root namespace
#      is 10.200.240.1) and a throwaway SSH key; traffic never leaves the machine. Each host has
#      its own /root (an empty dir mounted in its sshd's mount namespace), like a fresh machine.
#      Hardened like a CIS host: everything runs with umask 0027 (this script, sshd and so every
#      SSH session, sudo), and Ansible connects as a non-root user ($OPS_USER) that becomes root
#      with passwordless sudo (sshd refuses root).
#   2. site.yml over SSH: a 3-member ZooKeeper ensemble on h1-h3, coordinators on h1 and h2,
#      agents on h2 (pool=dc) and h3, h4 (group edge, pool=edge; h4 with its work dir outside
#      drover_root). Every host gets its own install dir under a temp dir. The tarball must hold
#      directory entries (0755); the installed release must be readable by the service user.
#   3. From the root namespace: a job of 200 Sleep shards x 100 ms plus reduce must succeed with
#      tasks on agents of different hosts, every shard run exactly once. Log rotation config in
#      place (every coordinator and agent logs to a size-capped rolling file, set in code by its
#      -Ddrover.log.* flags, with no logback.xml).
#   4. site.yml again: changed=0 on every host; beside it site.yml --check --diff: changed=0, and the
#      read-only probes (ZooKeeper srvr, coordinator answers, agents registered) really ran.
#   5. rolling-upgrade.yml to a repacked tarball (release <version>-rolling in its RELEASE file; no
#      directory entries, like an old tarball) while a job runs: ZooKeeper one member at a time
#      (the leader last), the coordinators (the leader last; a new one must lead after), then the
#      agents. The job must still run when the last batch is done and then succeed with no shard
#      lost or run twice; attempts per task are reported; every ZooKeeper member and coordinator
#      runs the new release; `drover agents` must show every agent on the new release (VERSION) and
#      `drover --version` of the new release must name it.
#   6. decommission.yml --limit drover-h4, twice: gone from `drover agents`, files and work dir
#      removed; the second run succeeds and changes nothing.
#   Prints a summary. Removes every namespace, process, file, user and sudoers entry it made, also
#   on failure. Needs root; installs ansible-core, openssh-server, iproute2, sudo with apt-get if
#   missing.
#   One run at a time (flock on $LOCK); a run first removes what a killed earlier run left
#   (namespaces drover-h*, links dvh*, bridge br-drover, /etc/netns/drover-h*, its temp dirs,
#   the service user drovertest and the SSH user droverops with its sudoers file - names reserved
#   for this test).
#
# Environment: DROVER_TEST_LOG_DIR (copy play outputs, task timings and service logs there),
# DROVER_TARBALL (default dist/target/drover-*.tar.gz), ZK_NODES (1 or 3, default 3),
# UPGRADE_SHARDS / UPGRADE_SHARD_MS (the job running across the upgrade, default 2000 x 2000 ms: room
# for an upgrade of ~16 min on 4 free slots, which a loaded machine needs (one took 7 min); once it is done, the shards not yet started run without
# sleeping),
# LOCK_WAIT (seconds to wait for another run's lock, default 900).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
ansible_dir="$repo/ansible"

NS_PREFIX=drover-h
HOSTS=4
BRIDGE=br-drover
SUBNET=10.200.240
ROOT_IP=$SUBNET.1
TEST_USER=drovertest
OPS_USER=droverops
SUDOERS=/etc/sudoers.d/drover-system-test
ZK_NODES=${ZK_NODES:-3}
LOCK=/run/lock/drover-ansible-system-test.lock
LOCK_WAIT=${LOCK_WAIT:-900}
TMP_PREFIX=${TMPDIR:-/tmp}/drover-ansible-test.
UPGRADE_SHARDS=${UPGRADE_SHARDS:-2000}
UPGRADE_SHARD_MS=${UPGRADE_SHARD_MS:-2000}

log() { printf '%s == %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '%s FAIL: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || die "run as root (creates network namespaces, a bridge and a service user)"
[ "$ZK_NODES" = 1 ] || [ "$ZK_NODES" = 3 ] || die "ZK_NODES must be 1 or 3"
# A hardened host's umask: files and directories made by anything below are not world-readable
# unless made so on purpose.
umask 0027

# ---------------------------------------------------------------- tools
missing=()
command -v ansible-playbook >/dev/null || missing+=(ansible-core)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ip >/dev/null || missing+=(iproute2)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v sudo >/dev/null || missing+=(sudo)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -q >/dev/null || log "apt-get update failed (another apt running?); installing from the cached lists"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
fi
command -v java >/dev/null || die "java is needed on the controller for the drover CLI"

# ---------------------------------------------------------------- tarball
if [ -n "${DROVER_TARBALL:-}" ]; then
  tarball=$DROVER_TARBALL
else
  shopt -s nullglob
  tarballs=("$repo"/dist/target/drover-*.tar.gz)
  shopt -u nullglob
  [ ${#tarballs[@]} = 1 ] || die "expected one dist/target/drover-*.tar.gz (run: mvn -B -DskipTests package), found ${#tarballs[@]}"
  tarball=${tarballs[0]}
fi
[ -f "$tarball" ] || die "no tarball at $tarball"
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
version=$(basename "$tarball" .tar.gz)
version=${version#drover-}
new_version="$version-rolling"

# ---------------------------------------------------------------- one run at a time; leftovers
mkdir -p "$(dirname "$LOCK")"
exec 9>"$LOCK"
if ! flock -n 9; then
  log "waiting up to $LOCK_WAIT s for another system test run (lock $LOCK)"
  flock -w "$LOCK_WAIT" 9 || die "another system test run holds $LOCK"
fi

# Our namespaces: NS_PREFIX plus a number.
our_namespaces() { ip netns list | awk -v p="$NS_PREFIX" '$1 ~ "^" p "[0-9]+$" { print $1 }'; }
# Stops every process in our namespaces (TERM, then KILL after 10 s) and removes the namespaces,
# their links, the bridge and /etc/netns entries. Used at start (a killed run's leftovers) and at the end.
remove_hosts() {
  local ns pids left
  for ns in $(our_namespaces); do
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] && kill -TERM $pids 2>/dev/null
  done
  for _ in $(seq 1 50); do
    left=""
    for ns in $(our_namespaces); do left="$left$(ip netns pids "$ns" 2>/dev/null)"; done
    [ -z "$left" ] && break
    sleep 0.2
  done
  for ns in $(our_namespaces); do
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
    ip netns del "$ns"
  done
  for link in $(ip -o link show | awk -F': ' '{ print $2 }' | sed 's/@.*//' | grep -E '^dvh[0-9]+$'); do
    ip link del "$link" 2>/dev/null
  done
  ip link del "$BRIDGE" 2>/dev/null
  rm -rf /etc/netns/"$NS_PREFIX"[0-9]*
  rmdir /etc/netns 2>/dev/null   # only when empty: other namespaces' entries stay
  return 0
}
remove_user() {
  local u
  rm -f "$SUDOERS"
  for u in "$TEST_USER" "$OPS_USER"; do
    if getent passwd "$u" >/dev/null; then userdel "$u"; fi
    if getent group "$u" >/dev/null; then groupdel "$u"; fi
  done
  return 0
}

leftovers=$(our_namespaces | paste -sd' ')
ip link show "$BRIDGE" >/dev/null 2>&1 && leftovers="$leftovers $BRIDGE"
getent passwd "$TEST_USER" >/dev/null && leftovers="$leftovers user:$TEST_USER"
getent passwd "$OPS_USER" >/dev/null && leftovers="$leftovers user:$OPS_USER"
[ -e "$SUDOERS" ] && leftovers="$leftovers $SUDOERS"
shopt -s nullglob
old_dirs=("$TMP_PREFIX"*)
shopt -u nullglob
[ ${#old_dirs[@]} -gt 0 ] && leftovers="$leftovers ${old_dirs[*]}"
if [ -n "${leftovers// /}" ]; then
  log "removing what an earlier run left: $leftovers"
  remove_hosts
  remove_user
  rm -rf "${old_dirs[@]}"
fi
! ip route show | grep -q "^$SUBNET\." || die "a route to $SUBNET.0/24 exists, not made by this test"

T=$(mktemp -d "${TMP_PREFIX}XXXXXX")
chmod 755 "$T"   # the service user must reach its install dirs below
started=$(now)
status=FAILED

# ---------------------------------------------------------------- cleanup (always)
show_logs() {
  for f in "$T"/hosts/*/opt/drover/*/log/*.log; do
    [ -f "$f" ] || continue
    echo "---- ${f#"$T"/hosts/} (last 15 lines)"
    tail -n 15 "$f"
  done
}
cleanup() {
  rc=$?
  set +e
  trap - EXIT INT TERM
  if [ $rc != 0 ]; then
    echo "---- service logs at failure" >&2
    show_logs >&2
  fi
  log "cleanup"
  if [ -n "${DROVER_TEST_LOG_DIR:-}" ]; then   # keep play outputs, task timings and service logs
    mkdir -p "$DROVER_TEST_LOG_DIR"
    cp -r "$T"/*.log "$T"/*.txt "$T/junit" "$DROVER_TEST_LOG_DIR"/ 2>/dev/null
    for f in "$T"/hosts/*/opt/drover/*/log/*.log; do
      [ -f "$f" ] && cp "$f" "$DROVER_TEST_LOG_DIR/$(echo "${f#"$T"/hosts/}" | tr / _)"
    done
  fi
  # SSH control masters of the Ansible controller.
  for sock in "$T"/cp/*; do
    [ -S "$sock" ] && ssh -o ControlPath="$sock" -O exit dummy >/dev/null 2>&1
  done
  remove_hosts
  remove_user
  rm -rf "$T"
  log "system test $status ($(secs "$started" "$(now)") s)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- hosts
log "hosts: $HOSTS network namespaces on $BRIDGE ($SUBNET.0/24), each with its own sshd"
mkdir -p "$T/ssh" "$T/cp" "$T/ansible-home" "$T/remote-tmp" "$T/ops-home" /run/sshd
ssh-keygen -q -t ed25519 -N '' -C drover-system-test -f "$T/ssh/id_ed25519"
cp "$T/ssh/id_ed25519.pub" "$T/ssh/authorized_keys"
: >"$T/ssh/known_hosts"
# The SSH user: no password ('*': not locked, so sshd lets it in by key), root through sudo.
useradd -U -M -d "$T/ops-home" -s /bin/bash "$OPS_USER"
usermod -p '*' "$OPS_USER"
chown "$OPS_USER:" "$T/ops-home" "$T/remote-tmp"
chmod 755 "$T/ssh"   # sshd reads authorized_keys as the user
chmod 644 "$T/ssh/authorized_keys"
printf '%s ALL=(ALL:ALL) NOPASSWD: ALL\n' "$OPS_USER" >"$SUDOERS.tmp"
chmod 440 "$SUDOERS.tmp"
visudo -cqf "$SUDOERS.tmp" || die "sudoers entry for $OPS_USER is not valid"
mv "$SUDOERS.tmp" "$SUDOERS"

ip link add "$BRIDGE" type bridge
ip addr add "$ROOT_IP/24" dev "$BRIDGE"
ip link set "$BRIDGE" up
for i in $(seq 1 $HOSTS); do
  ns=$NS_PREFIX$i
  addr=$SUBNET.$((10 + i))
  d=$T/hosts/h$i
  mkdir -p "$d/ssh" "$d/opt" "$d/root"
  chmod 700 "$d/root"
  chmod 755 "$T/hosts" "$d" "$d/opt"   # like / and /opt of a real host
  ip netns add "$ns"
  ip link add "dvh$i" type veth peer name eth0 netns "$ns"
  ip link set "dvh$i" master "$BRIDGE"
  ip link set "dvh$i" up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  # `ip netns exec` bind-mounts these over /etc/hosts and /etc/resolv.conf: the host's own name
  # resolves locally and no name lookup leaves the namespace.
  mkdir -p "/etc/netns/$ns"
  printf '127.0.0.1 localhost\n%s %s\n' "$addr" "$ns" >"/etc/netns/$ns/hosts"
  printf '# no name servers in the system test\n' >"/etc/netns/$ns/resolv.conf"
  chmod 755 /etc/netns "/etc/netns/$ns" && chmod 644 "/etc/netns/$ns/hosts" "/etc/netns/$ns/resolv.conf"   # as on a real host
  ssh-keygen -q -t ed25519 -N '' -f "$d/ssh/host_ed25519"
  cat >"$d/ssh/sshd_config" <<EOF
ListenAddress $addr:22
HostKey $d/ssh/host_ed25519
PidFile $d/ssh/sshd.pid
AuthorizedKeysFile $T/ssh/authorized_keys
PermitRootLogin no
AllowUsers $OPS_USER
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 100:30:200
MaxSessions 100
Subsystem sftp internal-sftp
EOF
  # Own UTS namespace: the host has its own name (agents report it in `drover agents`). Own /root,
  # mounted in the mount namespace `ip netns exec` made for sshd (and so for all it starts): this
  # machine's root dotfiles (a shell profile that takes seconds per SSH command) are not the host's.
  # fd 9 (the run lock) is not passed on to anything that outlives this run's cleanup.
  ip netns exec "$ns" unshare --uts sh -c \
    "hostname $ns && mount --bind $d/root /root && exec /usr/sbin/sshd -f $d/ssh/sshd_config -E $d/ssh/sshd.log" 9>&-
  echo "$addr $(cut -d' ' -f1-2 "$d/ssh/host_ed25519.pub")" >>"$T/ssh/known_hosts"
  [ "$(ip route get "$addr" | grep -o "dev [^ ]*")" = "dev $BRIDGE" ] || die "$addr does not route via $BRIDGE"
done
for i in $(seq 1 $HOSTS); do
  addr=$SUBNET.$((10 + i))
  for _ in $(seq 1 50); do
    ssh -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/ssh/id_ed25519" -o UserKnownHostsFile="$T/ssh/known_hosts" \
      -o StrictHostKeyChecking=yes -o ConnectTimeout=2 "$OPS_USER@$addr" sudo -n true 2>/dev/null && continue 2
    sleep 0.2
  done
  die "no ssh (and sudo) as $OPS_USER to $addr"
done

# ---------------------------------------------------------------- inventory
# h4's agent keeps its work dir outside drover_root (decommission must remove it too).
h4_work=$T/hosts/h4/srv/drover-work
agent_work() { if [ "$1" = 4 ]; then echo "$h4_work"; else echo "$T/hosts/h$1/opt/drover/agent/work"; fi; }
zk_hosts="$NS_PREFIX"1
[ "$ZK_NODES" = 3 ] && zk_hosts="${NS_PREFIX}1 ${NS_PREFIX}2 ${NS_PREFIX}3"
inv=$T/inventory.yml
{
  cat <<EOF
all:
  vars:
    ansible_user: $OPS_USER
    ansible_become: true
    ansible_ssh_private_key_file: $T/ssh/id_ed25519
    ansible_ssh_common_args: -o UserKnownHostsFile=$T/ssh/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes
    drover_tarball: $tarball
    drover_version: "$version"
    drover_user: $TEST_USER
    drover_group: $TEST_USER
    drover_user_home: $T/home
    drover_stop_timeout: 20
    drover_coordinator_java_opts: "-Xmx256m -XX:+UseSerialGC"
    drover_agent_java_opts: "-Xmx256m -XX:+UseSerialGC"
    zookeeper_java_opts: "-Xmx256m -XX:+UseSerialGC"
    # The plays' waits poll every second, not every 2 s, for as long in all (the test runs them dozens of times).
    zookeeper_check_delay: 1
    zookeeper_check_retries: 60
    drover_coordinator_check_delay: 1
    drover_coordinator_check_retries: 60
    drover_agent_check_delay: 1
    drover_agent_check_retries: 60
  hosts:
EOF
  for i in $(seq 1 $HOSTS); do
    echo "    $NS_PREFIX$i: { ansible_host: $SUBNET.$((10 + i)), drover_root: $T/hosts/h$i/opt/drover }"
  done
  echo "  children:"
  echo "    zookeeper:"
  echo "      hosts:"
  for h in $zk_hosts; do echo "        $h:"; done
  cat <<EOF
    coordinators:
      hosts:
        ${NS_PREFIX}1:
        ${NS_PREFIX}2:
    agents:
      vars:
        drover_agent_labels: { pool: dc }
        drover_agent_slots: 2
      hosts:
        ${NS_PREFIX}2:
      children:
        edge:
          vars:
            drover_agent_labels: { pool: edge, zone: test }
            drover_agent_slots: 2
          hosts:
            ${NS_PREFIX}3:
            ${NS_PREFIX}4: { drover_agent_work_dir: $h4_work }
EOF
} >"$inv"

export ANSIBLE_CONFIG="$ansible_dir/ansible.cfg"
export ANSIBLE_HOME="$T/ansible-home"
export ANSIBLE_LOCAL_TEMP="$T/ansible-home/tmp"
export ANSIBLE_REMOTE_TMP="$T/remote-tmp"
export ANSIBLE_SSH_CONTROL_PATH_DIR="$T/cp"
export ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=300s"
export ANSIBLE_NOCOLOR=1
export ANSIBLE_CALLBACKS_ENABLED=junit   # per-task durations in $T/junit (kept with DROVER_TEST_LOG_DIR)
export JUNIT_OUTPUT_DIR="$T/junit"
export ANSIBLE_FORCE_COLOR=0

declare -A play_secs
play() { # NAME LOGFILE ARGS...: runs ansible-playbook, times it, keeps its output
  local name=$1 out=$2 t0 rc
  shift 2
  log "play: $name"
  t0=$(now)
  set +e
  (cd "$ansible_dir" && ansible-playbook -i "$inv" "$@") >"$out" 2>&1 9>&-
  rc=$?
  set -e
  play_secs[$name]=$(secs "$t0" "$(now)")
  sed -n '/PLAY RECAP/,$p' "$out"
  if [ $rc != 0 ]; then
    echo "---- $name output (last 60 lines)" >&2
    tail -n 60 "$out" >&2
    die "$name failed (exit $rc)"
  fi
  log "play: $name took ${play_secs[$name]} s"
}

# ---------------------------------------------------------------- CLI in the root namespace
mkdir -p "$T/cli"
tar -xzf "$tarball" -C "$T/cli"
drover=$T/cli/drover-$version/bin/drover
jobs_jar=$T/cli/drover-$version/jobs/drover-job-examples.jar
export DROVER_COORDINATORS="$SUBNET.11:7420,$SUBNET.12:7420"
export DROVER_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m"
export DROVER_LOG_LEVEL=WARN

# Sleep job markers: one file <shard>-<attempt> per execution, on the shared filesystem.
markers() { mkdir -p "$1"; chmod 1777 "$1"; }
# Checks a finished Sleep+reduce job: SUCCEEDED, result = shard count, every shard ran once.
check_job() { # JOB SHARDS MARKERDIR LABEL
  local job=$1 shards=$2 dir=$3 label=$4 st execs distinct
  st=$("$drover" status "$job" --tasks --codec int64)
  echo "$st" >"$T/status-$label.txt"
  grep -q '^state *SUCCEEDED' <<<"$st" || { echo "$st" | head -20 >&2; die "$label: job $job did not succeed"; }
  grep -q "^result *$shards\$" <<<"$st" || { echo "$st" | grep '^result' >&2; die "$label: reduce result is not $shards"; }
  execs=$(find "$dir" -type f | wc -l)
  distinct=$(find "$dir" -type f -printf '%f\n' | cut -d- -f1 | sort -u | wc -l)
  [ "$distinct" = "$shards" ] || die "$label: $distinct of $shards shards ran (lost tasks)"
  [ "$execs" = "$shards" ] || die "$label: $execs executions for $shards shards (a task ran twice)"
  # ATTEMPTS per task (shards and the reduce task): histogram "attempts:count".
  attempts_hist=$(awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[A-Z]+$/ { n[$3]++ } END { for (a in n) { printf "%s%s attempt(s): %d tasks", sep, a, n[a]; sep = ", " } }' <<<"$st")
}

# The VERSION (last column) of an agent in a saved `drover agents` table.
agent_version() { # FILE AGENT
  awk -v a="$2" '$1 == a { print $NF }' "$1"
}
# COMPLETED per agent in a saved `drover agents` table, as "agent count" lines. The column is found
# by its header; in rows it is one field further right (HEARTBEAT is two words, "3s ago").
completed() { # FILE
  awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "COMPLETED") c = i + 1; next }
       /^$/ { exit } { print $1, $c }' "$1"
}
# Tasks each agent completed between two saved `drover agents` tables: "agent:count ..." (count > 0).
completed_between() { # BEFORE AFTER
  awk 'NR == FNR { before[$1] = $2; next } $2 - before[$1] > 0 { printf "%s:%d\n", $1, $2 - before[$1] }' \
    <(completed "$1") <(completed "$2") | sort | paste -sd' '
}

# Whether a process in namespace NS has a command line matching the regex.
ns_runs() { # NS REGEX
  local pid cmd
  for pid in $(ip netns pids "$1"); do
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
    [[ $cmd =~ $2 ]] && return 0
  done
  return 1
}

# Hosts with a STATUS line (ok, changed, skipping...) under the tasks whose TASK line contains TEXT.
task_hosts() { # LOG TEXT STATUS
  awk -v t="$2" -v st="$3" 'index($0, "TASK [") == 1 { inside = index($0, t) > 0; next }
       inside && index($0, st ": [") == 1 { h = substr($0, length(st) + 4); sub(/[] ].*/, "", h); print h }' "$1" \
    | sort -u | paste -sd' '
}
# Hosts with an ok or changed result in the plays whose PLAY line contains TEXT.
play_hosts() { # LOG TEXT
  awk -v t="$2" 'index($0, "PLAY [") == 1 { inside = index($0, t) > 0; next }
       inside && /^(ok|changed): \[/ { h = $2; gsub(/[][]/, "", h); print h }' "$1" | sort -u | paste -sd' '
}
# The ZooKeeper member that leads (srvr Mode leader, or standalone), asked from the root namespace.
zk_leader() {
  local i mode
  for i in $(seq 1 "$ZK_NODES"); do
    mode=$(java -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$T/cli/drover-$version/lib/*" \
      org.apache.zookeeper.client.FourLetterWordMain "$SUBNET.$((10 + i))" 2181 srvr 2>/dev/null | sed -n 's/^Mode: //p')
    if [ "$mode" = leader ] || [ "$mode" = standalone ]; then echo "$NS_PREFIX$i"; fi
  done
}
# The coordinator that leads: asked alone, a standby says "not the leader" (the CLI logs it at DEBUG).
coordinator_leader() {
  local i err
  for i in 1 2; do
    err=$(DROVER_LOG_LEVEL=DEBUG "$drover" jobs --limit 1 --coordinators "$SUBNET.$((10 + i)):7420" 2>&1 >/dev/null) || continue
    grep -q ' is not the leader ' <<<"$err" || echo "$NS_PREFIX$i"
  done
}

# ---------------------------------------------------------------- 1. install
# The tarball holds its directories with their modes: unpacked under any umask they are 0755.
listing=$(tar -tvzf "$tarball")
for dir in "" bin/ lib/ jobs/; do
  grep -Eq "^drwxr-xr-x .* drover-$version/$dir\$" <<<"$listing" \
    || die "the tarball has no 0755 directory entry drover-$version/$dir"
done
play site-1 "$T/site-1.log" site.yml
# Installed under umask 0027 by a sudo user: the release is readable by the service user.
for dir in "" /bin /lib /jobs; do
  m=$(stat -c %a "$T/hosts/h1/opt/drover/releases/drover-$version$dir")
  [ "$m" = 755 ] || die "release directory drover-$version$dir is $m, not 755"
done
# The grid runs with TLS and tokens: the root namespace's CLI trusts the cluster CA and uses the admin
# token that `drover ca init` made on the first coordinator (h1).
secrets=$T/hosts/h1/opt/drover/secrets
[ -f "$secrets/ca.pem" ] && [ -f "$secrets/admin.token" ] || die "no cluster CA or admin token in $secrets"
[ "$(stat -c %a "$secrets")" = 700 ] && [ "$(stat -c %a "$secrets/ca.key")" = 600 ] \
  || die "the secrets directory or the CA key is not private ($(stat -c %a "$secrets") / $(stat -c %a "$secrets/ca.key"))"
export DROVER_CA_FILE=$secrets/ca.pem DROVER_TOKEN_FILE=$secrets/admin.token
# Refusals: a plaintext client, and a client without a token.
if plain=$(DROVER_INSECURE=1 DROVER_CA_FILE= DROVER_TOKEN_FILE= "$drover" jobs --retry-deadline 3s 2>&1); then
  die "a plaintext client was served: $plain"
fi
grep -qi "tls" <<<"$plain" || die "a plaintext client's error does not mention TLS: $plain"
if anon=$(DROVER_TOKEN_FILE= "$drover" jobs 2>&1); then die "a client without a token was served: $anon"; fi
grep -qi "token" <<<"$anon" || die "a client without a token got an unclear error: $anon"
for i in 2 3 4; do
  [ -f "$(agent_work "$i")/identity/agent.pem" ] || die "agent on $NS_PREFIX$i holds no certificate"
done
log "drover agents (from the root namespace):"
"$drover" agents | tee "$T/agents-1.txt"
for i in 2 3 4; do
  grep -Eq "^$NS_PREFIX$i +$NS_PREFIX$i +ALIVE " "$T/agents-1.txt" || die "agent $NS_PREFIX$i not ALIVE on its own host"
  [ "$(agent_version "$T/agents-1.txt" "$NS_PREFIX$i")" = "$version" ] || die "agent $NS_PREFIX$i does not report release $version"
  ns_runs "$NS_PREFIX$i" "-XX:\+ExitOnOutOfMemoryError .*DroverCli agent " \
    || die "the agent on $NS_PREFIX$i does not run with -XX:+ExitOnOutOfMemoryError"
done
for i in 1 2; do
  ns_runs "$NS_PREFIX$i" "-XX:\+ExitOnOutOfMemoryError .*DroverCli coordinator " \
    || die "the coordinator on $NS_PREFIX$i does not run with -XX:+ExitOnOutOfMemoryError"
done

# ---------------------------------------------------------------- 2. a job across the hosts
log "job 1: 200 Sleep shards x 100 ms + reduce, submitted from the root namespace"
markers "$T/markers-1"
t0=$(now)
# Both jobs count executions (one marker file per run of a shard), so neither may run straggler backups:
# a backup is a second execution by design (JVM jobs have them on by default).
job1=$("$drover" submit --jar "$jobs_jar" --class io.drover.examples.Sleep --shards 200 --arg 100 --arg "$T/markers-1" --reduce \
  --backups off)
"$drover" watch "$job1" >/dev/null
job1_secs=$(secs "$t0" "$(now)")
check_job "$job1" 200 "$T/markers-1" job1
job1_attempts=$attempts_hist
"$drover" agents >"$T/agents-2.txt"
hosts_used=$(completed_between "$T/agents-1.txt" "$T/agents-2.txt")
[ "$(wc -w <<<"$hosts_used")" -ge 2 ] || die "job 1 ran on fewer than two agents ($hosts_used)"
log "job 1 $job1 SUCCEEDED in $job1_secs s; tasks completed per agent: $hosts_used; $job1_attempts"
# Log rotation (issue 11) still holds: every coordinator and agent logs to a rolling file, capped
# per file and in total, set up in code from its -Ddrover.log.* flags (no logback.xml, whose XML
# configurator cost an idle agent about 5 MB), and has written its app log there.
for svc in coordinator:1 coordinator:2 agent:2 agent:3 agent:4; do
  c=${svc%:*} i=${svc#*:}
  dir=$T/hosts/h$i/opt/drover/$c
  ns_runs "$NS_PREFIX$i" "-Ddrover.log.file=$dir/log/drover-$c-app.log -Ddrover.log.maxFileSize=50MB .*-Ddrover.log.totalSizeCap=500MB .*DroverCli $c " \
    || die "the $c on $NS_PREFIX$i does not run with its size-capped rolling log flags"
  ns_runs "$NS_PREFIX$i" "-Dlogback.configurationFile=.*DroverCli $c " && die "the $c on $NS_PREFIX$i still runs logback's XML configuration"
  [ ! -e "$dir/logback.xml" ] || die "the $c on $NS_PREFIX$i still has a logback.xml"
  [ -s "$dir/log/drover-$c-app.log" ] || die "the $c on $NS_PREFIX$i wrote no log/drover-$c-app.log"
done

# ---------------------------------------------------------------- 3. idempotence and check mode
# Both on the converged cluster at once: a second real run that changes nothing leaves check mode the same cluster
# to look at, and the two plays wait on their hosts more than on the CPU (together about 2 minutes less).
# Either reporting a change fails the test below.
(
  play check-mode "$T/check-mode.log" site.yml --check --diff
  echo "${play_secs[check-mode]}" >"$T/check-mode.secs"
) &
check_pid=$!
play site-2 "$T/site-2.log" site.yml
wait "$check_pid" || die "site.yml --check --diff failed (beside the second run)"
play_secs[check-mode]=$(cat "$T/check-mode.secs")
idem=$(awk '/PLAY RECAP/ { r = 1; next } r && /ok=/ { print }' "$T/site-2.log")
if grep -qv 'changed=0 ' <<<"$idem"; then
  grep -B3 -A12 '^changed:' "$T/site-2.log" | head -60 >&2
  die "second site.yml run changed something"
fi
idempotence="changed=0 on all $(wc -l <<<"$idem") hosts"
log "idempotence: $idempotence"

# Check mode on the converged cluster: no change, and the read-only probes ran (skipped ones pass
# without looking).
checked=$(awk '/PLAY RECAP/ { r = 1; next } r && /ok=/ { print }' "$T/check-mode.log")
if grep -qv 'changed=0 ' <<<"$checked"; then
  grep -B3 -A12 '^changed:' "$T/check-mode.log" | head -60 >&2
  die "site.yml --check --diff reports changes on a converged cluster"
fi
for probe in "zookeeper : Wait until the node serves|$zk_hosts" \
  "Wait until the cluster answers through this coordinator|${NS_PREFIX}1 ${NS_PREFIX}2" \
  "Wait until \`drover agents\` shows the agent ALIVE|${NS_PREFIX}2 ${NS_PREFIX}3 ${NS_PREFIX}4"; do
  ran=$(task_hosts "$T/check-mode.log" "${probe%|*}" ok)
  [ "$ran" = "${probe#*|}" ] || die "check mode: '${probe%|*}' ran on '$ran', not on every host (${probe#*|})"
done
check_mode="changed=0 on all $(wc -l <<<"$checked") hosts; ZooKeeper, coordinator and agent probes ran"
log "check mode: $check_mode"

# ---------------------------------------------------------------- 4. rolling upgrade during a job
log "upgrade tarball: drover-$new_version (this build repacked as release $new_version: top dir and RELEASE file)"
mkdir -p "$T/upgrade"
tar -xzf "$tarball" -C "$T/upgrade"
[ "$(cat "$T/upgrade/drover-$version/RELEASE")" = "$version" ] || die "the tarball's RELEASE file does not name $version"
mv "$T/upgrade/drover-$version" "$T/upgrade/drover-$new_version"
echo "$new_version" >"$T/upgrade/drover-$new_version/RELEASE"   # 0640 under umask 0027
# Files only, no directory entries (like tarballs before directory entries were added): unpacked
# under umask 0027 its directories are 0750 root until the roles set the modes.
(cd "$T/upgrade" && find "drover-$new_version" -type f | sort | tar -czf "$T/drover-$new_version.tar.gz" --no-recursion -T -)
rm -rf "$T/upgrade"
! grep -q '/$' <<<"$(tar -tzf "$T/drover-$new_version.tar.gz")" || die "the upgrade tarball has directory entries"
zk_leader_before=$(zk_leader)
coordinator_leader_before=$(coordinator_leader)
[ "$(wc -w <<<"$zk_leader_before")" = 1 ] || die "ZooKeeper leaders before the upgrade: '$zk_leader_before'"
[ "$(wc -w <<<"$coordinator_leader_before")" = 1 ] || die "coordinator leaders before the upgrade: '$coordinator_leader_before'"
log "leaders before the upgrade: ZooKeeper $zk_leader_before, coordinator $coordinator_leader_before"
# Leader terms the coordinators logged ("LEADER: <endpoint> leads epoch N"): how often the upgrade moved the lead.
leader_terms() { cat "$T"/hosts/h[12]/opt/drover/coordinator/log/drover-coordinator-app.log | grep -c 'LEADER: .* leads epoch' || true; }
terms_before=$(leader_terms)

log "job 2: $UPGRADE_SHARDS Sleep shards x $UPGRADE_SHARD_MS ms + reduce, running across the upgrade"
markers "$T/markers-2"
# Sleep reads each shard's milliseconds from this file when the shard starts: 0 once the upgrade is done.
echo "$UPGRADE_SHARD_MS" >"$T/pace"
chmod 644 "$T/pace"
t0=$(now)
job2=$("$drover" submit --jar "$jobs_jar" --class io.drover.examples.Sleep --shards "$UPGRADE_SHARDS" \
  --arg "file:$T/pace" --arg "$T/markers-2" --reduce --backups off)
for _ in $(seq 1 50); do
  "$drover" status "$job2" | grep -Eq '^tasks .* [1-9][0-9]* running' && break
  sleep 0.2
done
job2_before=$("$drover" status "$job2" | grep '^tasks')
play rolling-upgrade "$T/rolling-upgrade.log" rolling-upgrade.yml \
  -e "drover_version=$new_version" -e "drover_tarball=$T/drover-$new_version.tar.gz"
job2_after=$("$drover" status "$job2" | grep -E '^(state|tasks)' | paste -sd' ')
log "job 2 when the upgrade ended: $job2_after"
# The job ran across every batch: running before the first drain and still running after the last undrain.
grep -Eq '^tasks .* [1-9][0-9]* running' <<<"$job2_before" || die "job 2 ran no task when the upgrade started: $job2_before"
grep -q 'state *RUNNING' <<<"$job2_after" || die "job 2 ended before the upgrade did (raise UPGRADE_SHARDS)"
job2_during=$(awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "succeeded,") print $i }' <<<"$job2_after")
# ZooKeeper: followers first, the leader last; every member on the new release, serving.
zk_first=$(play_hosts "$T/rolling-upgrade.log" "ZooKeeper: the followers")
zk_last=$(play_hosts "$T/rolling-upgrade.log" "ZooKeeper: the leader, last")
[ "$zk_last" = "$zk_leader_before" ] || die "ZooKeeper: '$zk_last' was upgraded last, not the leader $zk_leader_before"
[ "$(wc -w <<<"$zk_first $zk_last")" = "$ZK_NODES" ] || die "ZooKeeper: upgraded '$zk_first' then '$zk_last', not all $ZK_NODES members"
for h in $zk_hosts; do
  i=${h#"$NS_PREFIX"}
  grep -q "DROVER_HOME=$T/hosts/h$i/opt/drover/releases/drover-$new_version\$" "$T/hosts/h$i/opt/drover/zookeeper/zookeeper.env" \
    || die "ZooKeeper on $h is not configured for drover-$new_version"
  ns_runs "$h" "drover-$new_version/lib/.*QuorumPeerMain" || die "no ZooKeeper of drover-$new_version runs on $h"
done
zk_leader_after=$(zk_leader)
[ "$(wc -w <<<"$zk_leader_after")" = 1 ] || die "ZooKeeper leaders after the upgrade: '$zk_leader_after'"
# Coordinators: the standbys first, the leader the play found last; a new leader serves after.
coordinator_found=$(grep -o '"drover-h[0-9]* leads; the standbys go first"' "$T/rolling-upgrade.log" | tr -d '"' | cut -d' ' -f1)
coordinator_first=$(play_hosts "$T/rolling-upgrade.log" "Coordinators: the standbys")
coordinator_last=$(play_hosts "$T/rolling-upgrade.log" "Coordinators: the leader, last")
[ -n "$coordinator_found" ] && [ "$coordinator_last" = "$coordinator_found" ] \
  || die "coordinators: '$coordinator_last' was upgraded last, not the leader '$coordinator_found'"
coordinator_leader_after=$(coordinator_leader)
[ "$(wc -w <<<"$coordinator_leader_after")" = 1 ] && [ "$coordinator_leader_after" != "$coordinator_last" ] \
  || die "coordinators: '$coordinator_leader_after' leads after the upgrade (expected one, not $coordinator_last)"
for i in 1 2; do
  grep -q "DROVER_HOME=$T/hosts/h$i/opt/drover/releases/drover-$new_version\$" "$T/hosts/h$i/opt/drover/coordinator/drover-coordinator.env" \
    || die "coordinator on $NS_PREFIX$i is not configured for drover-$new_version"
  ns_runs "$NS_PREFIX$i" "drover-$new_version/lib/drover.jar.* coordinator " \
    || die "no coordinator process of drover-$new_version runs on $NS_PREFIX$i"
done
upgrade_order="ZooKeeper ${zk_first// /,} then leader $zk_last (now $zk_leader_after); coordinators ${coordinator_first// /,} then leader $coordinator_last (now $coordinator_leader_after); $(($(leader_terms) - terms_before)) coordinator leader election(s)"
log "upgrade order: $upgrade_order"
echo 0 >"$T/pace"   # the shards not yet started run through
"$drover" watch "$job2" >/dev/null || true
job2_secs=$(secs "$t0" "$(now)")
check_job "$job2" "$UPGRADE_SHARDS" "$T/markers-2" job2
job2_attempts=$attempts_hist
"$drover" agents | tee "$T/agents-3.txt"
job2_agents=$(completed_between "$T/agents-2.txt" "$T/agents-3.txt")
new_cli_version=$("$T/hosts/h2/opt/drover/releases/drover-$new_version/bin/drover" --version)
[ "$new_cli_version" = "drover $new_version" ] || die "drover --version of the new release says '$new_cli_version'"
for i in 2 3 4; do
  grep -Eq "^$NS_PREFIX$i +$NS_PREFIX$i +ALIVE " "$T/agents-3.txt" || die "agent $NS_PREFIX$i not ALIVE after the upgrade"
  [ "$(agent_version "$T/agents-3.txt" "$NS_PREFIX$i")" = "$new_version" ] \
    || die "agent $NS_PREFIX$i reports release $(agent_version "$T/agents-3.txt" "$NS_PREFIX$i"), not $new_version"
  grep -q "DROVER_HOME=$T/hosts/h$i/opt/drover/releases/drover-$new_version\$" "$T/hosts/h$i/opt/drover/agent/drover-agent.env" \
    || die "agent on $NS_PREFIX$i is not configured for drover-$new_version"
  ns_runs "$NS_PREFIX$i" "drover-$new_version/lib/drover.jar.* agent " \
    || die "no agent process of drover-$new_version runs on $NS_PREFIX$i"
done
log "job 2 $job2 SUCCEEDED in $job2_secs s; every shard ran exactly once; $job2_attempts"

# ---------------------------------------------------------------- 5. decommission (twice)
# tasks/ is not listed: an attempt's directory is made by its first output file, and Sleep prints nothing.
for d in identity journal artifacts; do
  [ -d "$h4_work/$d" ] || die "${NS_PREFIX}4's work dir $h4_work has no $d/ before decommission"
done
play decommission "$T/decommission.log" decommission.yml --limit "${NS_PREFIX}4" \
  -e "drover_version=$new_version" -e "drover_tarball=$T/drover-$new_version.tar.gz"
"$drover" agents | tee "$T/agents-4.txt"
! grep -q "^${NS_PREFIX}4 " "$T/agents-4.txt" || die "${NS_PREFIX}4 still listed after decommission"
[ ! -e "$T/hosts/h4/opt/drover" ] || die "files left on ${NS_PREFIX}4 after decommission"
[ ! -e "$h4_work" ] || die "the work dir $h4_work is left on ${NS_PREFIX}4 after decommission"
! ns_runs "${NS_PREFIX}4" "DroverCli agent " || die "an agent process is left on ${NS_PREFIX}4"
for i in 2 3; do
  grep -Eq "^$NS_PREFIX$i +$NS_PREFIX$i +ALIVE " "$T/agents-4.txt" || die "agent $NS_PREFIX$i not ALIVE after decommissioning ${NS_PREFIX}4"
done
decommission="${NS_PREFIX}4 drained, stopped, removed (work dir too), forgotten"
play decommission-2 "$T/decommission-2.log" decommission.yml --limit "${NS_PREFIX}4" \
  -e "drover_version=$new_version" -e "drover_tarball=$T/drover-$new_version.tar.gz"
recap2=$(awk '/PLAY RECAP/ { r = 1; next } r && /ok=/ { print }' "$T/decommission-2.log")
grep -Eq "^${NS_PREFIX}4 .* changed=0 .* failed=0 " <<<"$recap2" || die "the second decommission run changed or failed: $recap2"
decommission="$decommission; a second run: changed=0"

# ---------------------------------------------------------------- summary
status=PASSED
tee "$T/summary.txt" <<EOF

==================== Ansible system test summary ====================
hosts        $HOSTS network namespaces with sshd ($SUBNET.11-$((10 + HOSTS))), Ansible over SSH from the root namespace
             as $OPS_USER with sudo (root login refused), umask 0027 everywhere
roles        zookeeper: $(echo $zk_hosts | tr ' ' ',')   drover_coordinator: ${NS_PREFIX}1,${NS_PREFIX}2
             drover_agent: ${NS_PREFIX}2 (pool=dc), ${NS_PREFIX}3,${NS_PREFIX}4 (edge, pool=edge); 2 slots each
service mode supervisor (no systemd as PID 1 here)
release      drover-$version -> drover-$new_version (rolling upgrade; every agent reports $new_version, drover --version: $new_cli_version)
plays        site.yml (install)         ${play_secs[site-1]} s
             site.yml (second run)      ${play_secs[site-2]} s
             site.yml --check --diff    ${play_secs[check-mode]} s
             rolling-upgrade.yml        ${play_secs[rolling-upgrade]} s ($ZK_NODES ZooKeeper, 2 coordinators, 3 agents; serial 1)
             decommission.yml           ${play_secs[decommission]} s
             decommission.yml (again)   ${play_secs[decommission-2]} s
idempotence  $idempotence
check mode   $check_mode
upgrade      $upgrade_order
job 1        $job1: 200 x 100 ms + reduce SUCCEEDED in $job1_secs s; tasks completed per agent: $hosts_used
             $job1_attempts
job 2        $job2: $UPGRADE_SHARDS Sleep shards + reduce across the rolling upgrade: SUCCEEDED in $job2_secs s
             $job2_during shards of $UPGRADE_SHARD_MS ms done when the last batch was back, the rest without sleeping
             before the upgrade: ${job2_before#tasks }
             when it ended:      $job2_after
             every shard executed exactly once (markers: 0 lost, 0 doubled); $job2_attempts
             tasks completed per agent: $job2_agents
decommission $decommission
total        $(secs "$started" "$(now)") s
=====================================================================
EOF
