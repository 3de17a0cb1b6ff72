#!/bin/bash
# The mongo-backup service (profile "tools"): a consistent backup of the whole replica set into
# /backups (BACKUP_DIR on the host), or a restore from one.
#
#   docker compose run --rm mongo-backup dump
#   docker compose run --rm mongo-backup restore photobook-20260614-2315.archive.gz
#
# dump: mongodump --oplog, read from a secondary, gzip archive. --oplog makes the dump one point in
#   time, so a photo and its GridFS image chunks always agree. It is a dump of every database, the
#   users in admin included (mongodump allows --oplog only for a full dump).
# restore: mongorestore --drop --oplogReplay. Stop app1 and app2 first. It brings back the users of
#   the backup too: keep the .env of the deployment you backed up together with the archive.
set -euo pipefail

: "${MONGO_ROOT_USERNAME:?}" "${MONGO_ROOT_PASSWORD:?}" "${MONGO_REPLICA_SET:?}" "${MONGO_MEMBERS:?}"
if [[ ! "$MONGO_ROOT_PASSWORD" =~ ^[A-Za-z0-9._~-]+$ ]]; then
  echo "mongo-backup: MONGO_ROOT_PASSWORD must be letters, digits or . _ ~ - (see .env.example)" >&2
  exit 1
fi

# The connection string (with the password) goes into a config file that only this process can
# read, never onto a command line: `ps` on the Docker host shows every container's command lines.
config="$(mktemp)"
trap 'rm -f "$config"' EXIT
chmod 600 "$config"
uri="mongodb://${MONGO_ROOT_USERNAME}:${MONGO_ROOT_PASSWORD}@${MONGO_MEMBERS}/?replicaSet=${MONGO_REPLICA_SET}&authSource=admin"
printf "uri: '%s'\n" "$uri" > "$config"

case "${1:-}" in
  dump)
    name="photobook-$(date -u +%Y%m%d-%H%M%S).archive.gz"
    # Written under a temporary name first: a file with the final name is always a complete dump.
    mongodump --config="$config" --readPreference=secondaryPreferred --oplog --gzip --archive="/backups/$name.partial"
    mv "/backups/$name.partial" "/backups/$name"
    echo "mongo-backup: wrote $name ($(du -h "/backups/$name" | cut -f1)) into BACKUP_DIR"
    ;;
  restore)
    name="${2:?usage: restore FILE (a file in BACKUP_DIR)}"
    file="/backups/$(basename "$name")"
    [ -s "$file" ] || { echo "mongo-backup: $file not found in BACKUP_DIR" >&2; exit 1; }
    mongorestore --config="$config" --drop --oplogReplay --gzip --archive="$file"
    echo "mongo-backup: restored $(basename "$file"); start the app again: docker compose start app1 app2"
    ;;
  *)
    echo "usage: docker compose run --rm mongo-backup dump | restore FILE" >&2
    exit 2
    ;;
esac
