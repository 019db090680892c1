# A private configuration for Podman, Buildah and Skopeo: storage, run root and temporary
# files under one directory of the caller's, so that nothing reads or writes the machine's
# /etc/containers or /var/lib/containers. Source this file, then:
#   containers_install                  installs podman, buildah, skopeo, runc when missing
#   containers_env DIR [HELPERS]        writes DIR/containers.conf and DIR/storage.conf and
#                                       exports CONTAINERS_CONF, CONTAINERS_STORAGE_CONF,
#                                       TMPDIR; HELPERS is searched first for helper binaries
#   containers_cleanup DIR              unmounts what is left under DIR, removes DIR and
#                                       the machine directories Podman made meanwhile
# Podman and the image library also create /run/containers (netavark's IPAM database),
# and /var/lib/containers (a blob cache) whatever the configuration says: those
# that did not exist before containers_env are removed again by containers_cleanup.
CONTAINERS_MACHINE_DIRS=(/run/containers /var/lib/containers)

containers_install() {
    local need=() c
    for c in podman buildah skopeo runc; do command -v "$c" >/dev/null || need+=("$c"); done
    ((${#need[@]})) || return 0
    echo "== installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${need[@]}" >/dev/null
}

containers_env() {
    local dir=$1 helpers=${2:-} nofile nproc d
    mkdir -p "$dir/tmp" "$dir/networks"
    for d in "${CONTAINERS_MACHINE_DIRS[@]}"; do [ -e "$d" ] || echo "$d"; done >"$dir/made-dirs"
    # Root may lack CAP_SYS_RESOURCE: limits above the current hard ones fail every run.
    nofile=$(ulimit -Hn) nproc=$(ulimit -Hu)
    [[ $nofile == unlimited || $nofile -gt 1048576 ]] && nofile=1048576
    [[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
    cat >"$dir/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
log_driver = "k8s-file"
netns = "none"
${helpers:+init_path = \"$helpers/catatonit\"}

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
runtime = "runc"
tmp_dir = "$dir/tmp"
helper_binaries_dir = [${helpers:+\"$helpers\", }"/usr/libexec/podman", "/usr/lib/podman"]

[network]
network_config_dir = "$dir/networks"
CONF
    # vfs: plain directories, no overlay mounts to leave behind.
    cat >"$dir/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$dir/storage"
runroot = "$dir/run"
CONF
    export CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf" TMPDIR="$dir/tmp"
}

containers_cleanup() {
    local dir=$1 m d
    [ -d "$dir" ] || return 0
    # Deepest first: what Podman mounted for containers (shm, secrets) under the run root.
    { findmnt -rn -o TARGET | grep -F "$dir/" || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
    [ ! -f "$dir/made-dirs" ] || while read -r d; do rm -rf "$d"; done <"$dir/made-dirs"
    rm -rf "$dir"
}
