#!/bin/bash
# One-shot (the mongo-keyfile service): makes the replica set's shared key file once, in the named
# volume mounted at /keyfile. The members authenticate to each other with it (keyFile auth, which also
# turns on access control). Runs again at every `docker compose up` and keeps an existing key: a new
# key on one member only would cut it off from the others.
set -euo pipefail

key=/keyfile/mongo.key

if [ -s "$key" ]; then
  echo "mongo-keyfile: $key exists; keeping it"
else
  umask 077
  # 756 random bytes, base64: 1008 characters, within mongod's 6 to 1024 (whitespace is ignored).
  openssl rand -base64 756 > "$key.tmp"
  mv "$key.tmp" "$key"
  echo "mongo-keyfile: made a new $key"
fi

# mongod refuses a key file that group or others can read. 999:999 is the mongodb user of the
# official image, which the members run as.
chown 999:999 "$key"
chmod 400 "$key"
