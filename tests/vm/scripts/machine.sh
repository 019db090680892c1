# What a program finds in a VM with bantam as init, then a daemon for the drain, and an
# exit with 7. Each check prints `ok ...` on the console.
PATH=/bin
echo x >/dev/null && echo "ok /dev/null"
[ -r /proc/self/status ] && echo "ok /proc/self"
[ -d /sys/kernel ] && echo "ok /sys"
echo x >/run/file && echo "ok /run"
grep -q ' /dev/pts devpts ' /proc/mounts && echo "ok /dev/pts"
# An orphan: reparented to init when its parent exits, then it exits too. bantam must
# reap it, or /proc keeps its zombie (bounded wait: 10 s).
mkfifo /run/go
(sh -c 'read x </run/go' & echo $! >/run/orphan)
orphan=$(cat /run/orphan)
echo go >/run/go
i=0
while [ -e /proc/$orphan ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ -e /proc/$orphan ] || echo "ok orphan reaped"
# A daemon that says so on SIGTERM: `--drain` sends it when this program has exited.
mkfifo /run/ready
sh -c 'trap "echo drained daemon; exit 0" TERM; echo >/run/ready; sleep 600 & wait' &
read x </run/ready
exit 7
