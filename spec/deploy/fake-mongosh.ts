// Runs mongo-init/init-replica-set.js as mongosh would (a script with Mongo, print, sleep and quit as
// globals, synchronous-looking calls), against a scripted replica set, to check the script's decisions:
// when it initiates, with which config, how it treats a set that already exists, and which user it makes.
// A real mongod is not to be had on our machines; docs/scale-out.md lists what only one shows.
import vm from 'node:vm';
import { readRepoFile } from './deploy-tools';

export interface FakeMember {
  /** The set this member already belongs to; null before it is initiated. */
  readonly setName?: string | null;
  /** Does not answer at all. */
  readonly down?: boolean;
}

export interface FakeSet {
  readonly members: Readonly<Record<string, FakeMember>>;
  /** What replSetInitiate answers; { ok: 1 } unless given. */
  readonly initiateAnswer?: { ok: number; code?: number; errmsg?: string };
  readonly userExists?: boolean;
}

export interface Command {
  readonly uri: string;
  readonly name: string;
  readonly body: Record<string, unknown>;
}

export interface UserChange {
  readonly op: 'create' | 'update';
  readonly user: string;
  readonly pwd: unknown;
  readonly roles: unknown;
  readonly writeConcern: unknown;
}

export interface MongoshRun {
  /** quit()'s code, or 0 when the script ran to its end. */
  readonly exitCode: number;
  readonly printed: readonly string[];
  readonly commands: readonly Command[];
  readonly users: readonly UserChange[];
}

class Quit {
  constructor(readonly code: number) {}
}

const hostsOf = (uri: string) => uri.replace(/^mongodb:\/\/(?:[^@/]*@)?/, '').split('/')[0]!.split(',');

export function runInitScript(fake: FakeSet, env: Readonly<Record<string, string>>): MongoshRun {
  const printed: string[] = [];
  const commands: Command[] = [];
  const users: UserChange[] = [];
  let clock = 0;
  let initiated = Object.values(fake.members).some((m) => typeof m.setName === 'string');

  const unreachable = (host: string) => Object.assign(new Error(`Server selection timed out for ${host}`), { name: 'MongoServerSelectionError' });

  class FakeMongo {
    private readonly hosts: string[];
    private readonly direct: boolean;
    constructor(readonly uri: string) {
      this.hosts = hostsOf(uri);
      this.direct = uri.includes('directConnection=true');
      if (this.direct && fake.members[this.hosts[0]!]?.down) throw unreachable(this.hosts[0]!);
      if (!this.direct && !initiated) throw unreachable(this.hosts.join(','));
    }
    close(): void {}
    getDB(_name: string) {
      const uri = this.uri;
      const member = fake.members[this.hosts[0]!] ?? {};
      const direct = this.direct;
      return {
        runCommand(body: Record<string, unknown>): Record<string, unknown> {
          const name = Object.keys(body)[0]!;
          commands.push({ uri, name, body });
          if (name === 'hello') {
            if (!direct) return { ok: 1, isWritablePrimary: true, me: 'mongo1:27017', setName: 'rs0' };
            return { ok: 1, isWritablePrimary: false, ...(typeof member.setName === 'string' ? { setName: member.setName } : {}) };
          }
          if (name === 'replSetInitiate') {
            const answer = fake.initiateAnswer ?? { ok: 1 };
            if (answer.ok === 1 || answer.code === 23) initiated = true;
            return answer;
          }
          if (name === 'replSetGetStatus') return initiated ? { ok: 1 } : { ok: 0, code: 94, errmsg: 'no replset config has been received' };
          return { ok: 0, errmsg: `unexpected command ${name}` };
        },
        getUser: (user: string) => (fake.userExists ? { user } : null),
        createUser(doc: { user: string; pwd: string; roles: unknown }, writeConcern: unknown): void {
          users.push({ op: 'create', user: doc.user, pwd: doc.pwd, roles: doc.roles, writeConcern });
        },
        updateUser(user: string, doc: { pwd: string; roles: unknown }, writeConcern: unknown): void {
          users.push({ op: 'update', user, pwd: doc.pwd, roles: doc.roles, writeConcern });
        },
      };
    }
  }

  const sandbox = {
    Mongo: FakeMongo,
    print: (line: string) => printed.push(String(line)),
    sleep: (ms: number) => (clock += ms),
    quit: (code = 0) => {
      throw new Quit(code);
    },
    process: { env: { ...env } },
    Date: { now: () => clock },
  };
  let exitCode = 0;
  try {
    vm.runInNewContext(readRepoFile('mongo-init/init-replica-set.js'), sandbox, { filename: 'init-replica-set.js' });
  } catch (e) {
    if (!(e instanceof Quit)) throw e;
    exitCode = e.code;
  }
  return { exitCode, printed, commands, users };
}
