/bin/kill -USR1 $$
