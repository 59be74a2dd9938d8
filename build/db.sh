#!/usr/bin/env bash
# Installs (when missing) and starts a local MariaDB for Scheduler, bound to 127.0.0.1.
#   build/db.sh          start it (idempotent, safe to run concurrently), create database and user
#   build/db.sh stop     stop it
# Environment: SCHEDULER_DB_DIR (data, default /var/lib/scheduler-mariadb), SCHEDULER_DB_PORT (default 3306).
set -euo pipefail

DB_DIR="${SCHEDULER_DB_DIR:-/var/lib/scheduler-mariadb}"
PORT="${SCHEDULER_DB_PORT:-3306}"
DATA="$DB_DIR/data"
SOCK="$DB_DIR/mysqld.sock"
CNF="$DB_DIR/my.cnf"
LOCK="${TMPDIR:-/tmp}/scheduler-db.lock"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

answers() { mariadb-admin --protocol=tcp -h127.0.0.1 -P"$PORT" -uscheduler -pscheduler ping >/dev/null 2>&1; }

root_sql() { mariadb --socket="$SOCK" -uroot -e "$1"; }

install_server() {
  command -v mariadbd >/dev/null 2>&1 && return 0
  echo "db: installing mariadb-server" >&2
  # Keep the package from starting its own service: this machine has no systemd.
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod +x "$policy"
    created=1
  fi
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq mariadb-server mariadb-client >/dev/null
  [ "$created" -eq 1 ] && as_root rm -f "$policy"
  # The package's own service may still have come up on the default socket; it is not ours.
  as_root pkill -x mariadbd 2>/dev/null || true
}

write_config() {
  # Each server keeps its temporary files in its own folder: a server starting up deletes the leftover temporary
  # tables it finds in its tmpdir, which must never be another server's live ones.
  as_root mkdir -p "$DB_DIR" "$DB_DIR/tmp"
  cat <<CONF | as_root tee "$CNF" >/dev/null
[mariadbd]
datadir=$DATA
socket=$SOCK
tmpdir=$DB_DIR/tmp
pid-file=$DB_DIR/mariadbd.pid
log-error=$DB_DIR/error.log
port=$PORT
bind-address=127.0.0.1
user=mysql
default-time-zone='+00:00'
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
innodb_buffer_pool_size=256M
innodb_flush_log_at_trx_commit=2
max_connections=500
skip-name-resolve
CONF
}

start() {
  if answers; then return 0; fi
  install_server
  write_config
  if [ ! -d "$DATA/mysql" ]; then
    as_root mkdir -p "$DATA"
    as_root chown -R mysql:mysql "$DB_DIR"
    as_root mariadb-install-db --defaults-file="$CNF" --user=mysql --auth-root-authentication-method=socket >/dev/null
  fi
  as_root chown -R mysql:mysql "$DB_DIR"
  if ! mariadb-admin --socket="$SOCK" -uroot ping >/dev/null 2>&1; then
    as_root setsid mariadbd --defaults-file="$CNF" </dev/null >/dev/null 2>&1 9>&- &
  fi
  for _ in $(seq 1 120); do
    mariadb-admin --socket="$SOCK" -uroot ping >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! mariadb-admin --socket="$SOCK" -uroot ping >/dev/null 2>&1; then
    echo "db: MariaDB did not start; see $DB_DIR/error.log" >&2
    tail -n 20 "$DB_DIR/error.log" >&2 || true
    exit 1
  fi
  root_sql "CREATE DATABASE IF NOT EXISTS scheduler CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER IF NOT EXISTS 'scheduler'@'127.0.0.1' IDENTIFIED BY 'scheduler';
    CREATE USER IF NOT EXISTS 'scheduler'@'localhost' IDENTIFIED BY 'scheduler';
    GRANT ALL PRIVILEGES ON \`scheduler\`.* TO 'scheduler'@'127.0.0.1', 'scheduler'@'localhost';
    GRANT ALL PRIVILEGES ON \`scheduler\\_%\`.* TO 'scheduler'@'127.0.0.1', 'scheduler'@'localhost';
    FLUSH PRIVILEGES;"
  answers || { echo "db: MariaDB is up but user scheduler cannot log in" >&2; exit 1; }
}

stop() {
  if [ -S "$SOCK" ]; then
    mariadb-admin --socket="$SOCK" -uroot shutdown 2>/dev/null || true
  fi
}

exec 9>"$LOCK"
flock 9
case "${1:-start}" in
  start) start; echo "db: MariaDB ready on 127.0.0.1:$PORT" >&2 ;;
  stop) stop; echo "db: stopped" >&2 ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
