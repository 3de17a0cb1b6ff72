#!/bin/bash
# One-shot (the mongo-init service, after all three members are healthy): initiates the replica set
# and creates or updates the app's database user. Safe to run at every `docker compose up`.
#
# Never mount this folder on docker-entrypoint-initdb.d: the official image runs those scripts
# against a temporary mongod started without --replSet, so rs.initiate would fail there.
set -euo pipefail

for name in MONGO_REPLICA_SET MONGO_MEMBERS MONGO_ROOT_USERNAME MONGO_ROOT_PASSWORD \
  MONGO_APP_USERNAME MONGO_APP_PASSWORD MONGO_APP_DATABASE; do
  if [ -z "${!name:-}" ]; then
    echo "mongo-init: $name is not set (see .env.example)" >&2
    exit 1
  fi
done

# The passwords go into connection strings (MONGODB_URI is assembled in docker-compose.yml), so they
# must need no URL encoding. `openssl rand -hex 32` makes a good one.
for name in MONGO_ROOT_PASSWORD MONGO_APP_PASSWORD; do
  if [[ ! "${!name}" =~ ^[A-Za-z0-9._~-]{16,}$ ]]; then
    echo "mongo-init: $name must be at least 16 letters, digits or . _ ~ - (try: openssl rand -hex 32)" >&2
    exit 1
  fi
done

# Credentials reach mongosh through the environment, never its command line: `ps` on the Docker host
# lists the command lines of every container's processes.
exec mongosh --nodb --norc --quiet --file /mongo-init/init-replica-set.js
