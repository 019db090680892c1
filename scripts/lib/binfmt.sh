# binfmt_misc handlers that let the kernel run other architectures' binaries in
# containers: Debian's static qemu-user (qemu-user-static, unpacked into a directory of the
# caller's, never installed) registered with the flags OPF. F makes the kernel open the
# emulator at registration, so it also serves inside a container's root file system, where
# the path does not exist. Source this file, then:
#   binfmt_register DIR QEMU...   unpacks qemu-user-static into DIR and registers each
#                                 qemu-user named (qemu-aarch64, ...) as bantam-QEMU
#   binfmt_unregister             removes those handlers, and unmounts binfmt_misc if
#                                 binfmt_register mounted it and nothing else is registered
# Needs scripts/lib/debs.sh sourced first.

BINFMT=/proc/sys/fs/binfmt_misc
binfmt_names=()
binfmt_mounted=

binfmt_register() {
    local dir=$1 qemu conf line
    shift
    debs_unpack "$(dpkg --print-architecture)" "$dir" qemu-user-static || return 1
    if [ ! -e "$BINFMT/register" ]; then
        mount -t binfmt_misc binfmt_misc "$BINFMT"
        binfmt_mounted=1
    fi
    for qemu in "$@"; do
        conf=$dir/usr/lib/binfmt.d/$qemu.conf
        [ -f "$conf" ] || continue # the host runs it natively (qemu-i386 on amd64)
        [ ! -e "$BINFMT/bantam-$qemu" ] || echo -1 >"$BINFMT/bantam-$qemu"
        # :name:type:offset:magic:mask:interpreter:flags, with our name, path and flags.
        IFS=: read -r _ _ type offset magic mask _ _ <"$conf"
        line=":bantam-$qemu:$type:$offset:$magic:$mask:$dir/usr/bin/$qemu-static:OPF"
        printf '%s' "$line" >"$BINFMT/register"
        binfmt_names+=("bantam-$qemu")
    done
}

binfmt_unregister() {
    local name
    for name in "${binfmt_names[@]}"; do
        [ ! -e "$BINFMT/$name" ] || echo -1 >"$BINFMT/$name"
    done
    binfmt_names=()
    if [ -n "$binfmt_mounted" ] && [ -z "$(ls "$BINFMT" | grep -vx -e register -e status)" ]; then
        umount "$BINFMT"
    fi
    binfmt_mounted=
}
