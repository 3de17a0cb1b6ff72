// Run by mongosh (--nodb) from init-replica-set.sh in the one-shot mongo-init service; never from
// docker-entrypoint-initdb.d (those scripts run against a temporary mongod without --replSet).
//
// 1. Initiates the set, idempotently: if any member already belongs to a set, nothing is initiated
//    (initiating a member that merely lost its data would split the set in two); otherwise
//    replSetInitiate on the first member, where AlreadyInitialized falls back to rs.status().ok.
// 2. Waits for a writable primary.
// 3. Creates the app's user (readWrite on the app database only), or resets its password and roles
//    to the ones in .env: .env stays the source of truth, so changing a password there and running
//    `docker compose up -d` again applies it.
//
// Settings come from the environment (see docker-compose.yml); secrets never appear in a log line.

const TIMEOUT_MS = 120000;
const MAJORITY = { w: 'majority', wtimeout: 60000 };
// Server error codes this script expects.
const AUTHENTICATION_FAILED = 18;
const ALREADY_INITIALIZED = 23;
const USER_ALREADY_EXISTS = 51003;

function setting(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const SET = setting('MONGO_REPLICA_SET');
// host:port, comma-separated; the first is the preferred primary.
const MEMBERS = setting('MONGO_MEMBERS').split(',').map((m) => m.trim()).filter((m) => m.length > 0);
const ROOT_USER = setting('MONGO_ROOT_USERNAME');
const ROOT_PASSWORD = setting('MONGO_ROOT_PASSWORD');
const APP_USER = setting('MONGO_APP_USERNAME');
const APP_PASSWORD = setting('MONGO_APP_PASSWORD');
const APP_DB = setting('MONGO_APP_DATABASE');

function log(message) {
  print(`mongo-init: ${message}`);
}

const enc = encodeURIComponent;
const rootAuth = () => `${enc(ROOT_USER)}:${enc(ROOT_PASSWORD)}@`;

/** One member on its own (before the set exists there is no set to discover). */
function direct(host, withRoot) {
  const auth = withRoot ? rootAuth() : '';
  const options = 'directConnection=true&serverSelectionTimeoutMS=5000' + (withRoot ? '&authSource=admin' : '');
  return new Mongo(`mongodb://${auth}${host}/admin?${options}`);
}

/** The whole set, as the app connects: commands go to the primary. */
function wholeSet() {
  return new Mongo(
    `mongodb://${rootAuth()}${MEMBERS.join(',')}/admin?replicaSet=${enc(SET)}&authSource=admin&serverSelectionTimeoutMS=10000`,
  );
}

/** A command's result document; a thrown server error becomes one too, so callers read one shape. */
function command(conn, cmd) {
  try {
    return conn.getDB('admin').runCommand(cmd);
  } catch (e) {
    return { ok: 0, code: e.code, codeName: e.codeName, errmsg: e.message };
  }
}

/** hello needs no authentication: the set's name, or null before it is initiated; undefined if down. */
function setNameOf(host) {
  let conn;
  try {
    conn = direct(host, false);
    const hello = command(conn, { hello: 1 });
    if (hello.ok !== 1) return undefined;
    return hello.setName ?? null;
  } catch (e) {
    log(`${host} does not answer (${e.message})`);
    return undefined;
  } finally {
    conn?.close();
  }
}

function initiate() {
  const seen = MEMBERS.map((host) => ({ host, setName: setNameOf(host) }));
  const member = seen.find((s) => typeof s.setName === 'string');
  if (member) {
    if (member.setName !== SET) throw new Error(`${member.host} belongs to set "${member.setName}", not "${SET}"`);
    log(`replica set ${SET} exists (seen on ${member.host}); not initiating`);
    return;
  }
  const down = seen.filter((s) => s.setName === undefined).map((s) => s.host);
  if (down.length > 0) throw new Error(`cannot initiate while ${down.join(', ')} do not answer`);

  const config = {
    _id: SET,
    // Three data-bearing members and no arbiter: every write is acknowledged by a majority (2 of 3)
    // that holds the data. The first member is preferred as primary (priority 2): after it comes
    // back from a restart it takes over again, so the logs and backups have one usual place.
    members: MEMBERS.map((host, i) => ({ _id: i, host, priority: i === 0 ? 2 : 1 })),
  };
  const conn = direct(MEMBERS[0], true);
  try {
    const result = command(conn, { replSetInitiate: config });
    if (result.ok === 1) {
      log(`initiated replica set ${SET}: ${MEMBERS.join(', ')} (preferred primary ${MEMBERS[0]})`);
      return;
    }
    if (result.code !== ALREADY_INITIALIZED) throw new Error(`replSetInitiate failed: ${result.errmsg}`);
    // Someone initiated it in the meantime (another run of this service): rs.status() must agree.
    const status = command(conn, { replSetGetStatus: 1 });
    if (status.ok !== 1) throw new Error(`set reported as initiated, but rs.status() failed: ${status.errmsg}`);
    log(`replica set ${SET} was already initiated`);
  } finally {
    conn.close();
  }
}

function waitForPrimary() {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    let conn;
    try {
      conn = wholeSet();
      const hello = command(conn, { hello: 1 });
      if (hello.ok === 1 && hello.isWritablePrimary === true) {
        log(`primary is ${hello.me}`);
        return conn;
      }
      conn.close();
      conn = undefined;
      if (hello.code === AUTHENTICATION_FAILED) throw Object.assign(new Error(hello.errmsg), { code: hello.code });
    } catch (e) {
      conn?.close();
      if (e.code === AUTHENTICATION_FAILED) throw new Error(`${ROOT_USER} cannot sign in: ${e.message}`);
      log(`waiting for a primary (${e.message})`);
    }
    if (Date.now() > deadline) throw new Error(`no primary after ${TIMEOUT_MS / 1000} s`);
    sleep(1000);
  }
}

function upsertAppUser(conn) {
  // The user lives in admin (authSource=admin in MONGODB_URI) and may touch only the app's database.
  const admin = conn.getDB('admin');
  const roles = [{ role: 'readWrite', db: APP_DB }];
  if (admin.getUser(APP_USER) === null) {
    try {
      admin.createUser({ user: APP_USER, pwd: APP_PASSWORD, roles }, MAJORITY);
      log(`created user ${APP_USER} (readWrite on ${APP_DB})`);
      return;
    } catch (e) {
      if (e.code !== USER_ALREADY_EXISTS) throw e;
    }
  }
  admin.updateUser(APP_USER, { pwd: APP_PASSWORD, roles }, MAJORITY);
  log(`updated user ${APP_USER} (readWrite on ${APP_DB}; password from .env)`);
}

try {
  // Settings first: a mistake here must stop before anything changes.
  if (MEMBERS.length !== 3) throw new Error(`expected 3 members in MONGO_MEMBERS, got ${MEMBERS.length}`);
  if (APP_USER === ROOT_USER) throw new Error('MONGO_APP_USERNAME must differ from MONGO_ROOT_USERNAME');
  if (['admin', 'local', 'config'].includes(APP_DB)) throw new Error(`MONGO_APP_DATABASE cannot be ${APP_DB}`);
  initiate();
  const conn = waitForPrimary();
  try {
    upsertAppUser(conn);
  } finally {
    conn.close();
  }
  log('done');
} catch (e) {
  print(`mongo-init: FAILED: ${e.message}`);
  quit(1);
}
