# Started with fds 0-2 closed by the kernel: bantam opens the console for them, so this
# output still reaches it.
for fd in 0 1 2; do echo "ok fd $fd: $(/bin/readlink /proc/$$/fd/$fd)"; done
