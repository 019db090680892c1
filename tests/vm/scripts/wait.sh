# Waits to be ended by a signal that bantam forwards.
echo "ready for a signal"
exec /bin/sleep 600
