# Debian packages of another architecture (a guest kernel, a static busybox, a static
# qemu), fetched and unpacked without touching the machine's dpkg configuration: apt runs
# with package lists and a cache of bantam's own, and dpkg only unpacks (dpkg-deb -x).
# Source this file, then:
#   debs_apt ARCH apt-cache depends PKG      any apt command, for ARCH, on the private lists
#   debs_unpack ARCH DEST PKG...             downloads each PKG for ARCH, unpacks into DEST
#                                            (fails, saying so, when ARCH has no PKG)
# Packages stay cached in $BANTAM_DEBS (default /var/cache/bantam-debs) between runs.

BANTAM_DEBS=${BANTAM_DEBS:-/var/cache/bantam-debs}

debs_apt() {
    local arch=$1 dir="$BANTAM_DEBS/$1"
    shift
    mkdir -p "$dir/lists/partial" "$dir/archives/partial"
    "$@" -q -o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
        -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir" -o Dir::Cache::archives="$dir/archives" \
        -o Debug::NoLocking=1 -o APT::Sandbox::User=root
}

# Refreshes the private lists at most once per run of the calling script.
debs_update() {
    local arch=$1 stamp="$BANTAM_DEBS/$1/updated.$$"
    [ -e "$stamp" ] && return 0
    debs_apt "$arch" apt-get update -qq >/dev/null
    rm -f "$BANTAM_DEBS/$arch"/updated.*
    touch "$stamp"
}

debs_unpack() {
    local arch=$1 dest=$2 pkg deb
    shift 2
    mkdir -p "$dest"
    for pkg in "$@"; do
        deb=$(ls "$BANTAM_DEBS/$arch/pool/${pkg}_"*"_$arch.deb" "$BANTAM_DEBS/$arch/pool/${pkg}_"*"_all.deb" 2>/dev/null | head -n 1 || true)
        if [ -z "$deb" ]; then
            debs_update "$arch"
            mkdir -p "$BANTAM_DEBS/$arch/pool"
            (cd "$BANTAM_DEBS/$arch/pool" && debs_apt "$arch" apt-get download -qq "$pkg" >/dev/null 2>&1) || true
            deb=$(ls "$BANTAM_DEBS/$arch/pool/${pkg}_"*.deb 2>/dev/null | head -n 1 || true)
        fi
        if [ -z "$deb" ]; then
            echo "debs: Debian has no $pkg for $arch" >&2
            return 1
        fi
        dpkg-deb -x "$deb" "$dest"
    done
}
