import { findOnPath } from '../../scripts/chromium.cjs';
import { missingFerretDbVerdict } from '../../scripts/ferretdb.mjs';
import { planSetup, type SetupMachine } from '../../scripts/setup-plan.mjs';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n';
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=40\n';
/** Debian puts nginx in /usr/sbin, which the test PATH (like a non-root one) lacks. */
const DEPLOY = ['/usr/bin/docker-compose', '/usr/sbin/nginx'];
/** The photo book specs' PDF readers (both from poppler-utils). */
const POPPLER = ['/usr/bin/pdftoppm', '/usr/bin/pdftotext'];
const SERVERS = ['/usr/bin/redis-server', '/usr/bin/exiftool', ...DEPLOY, ...POPPLER];

/** A machine whose only executables are `files`; `which` is the real PATH walk over them. */
function machine(files: string[], over: Partial<SetupMachine> = {}): SetupMachine {
  const exists = (file: string) => files.includes(file);
  const env = over.env ?? { PATH: '/usr/local/bin:/usr/bin:/bin' };
  const platform = over.platform ?? 'linux';
  return {
    env,
    platform,
    exists,
    which: (name) => findOnPath(name, { env, platform, exists }),
    isRoot: true,
    canSudo: () => {
      throw new Error('asked about sudo without need');
    },
    osRelease: DEBIAN,
    ...over,
  };
}

describe('pretest: finding the browser', () => {
  it('is ready with Debian chromium on PATH, without asking about sudo', () => {
    expect(planSetup(machine(['/usr/bin/chromium', ...SERVERS]))).toEqual({ action: 'ready', browser: '/usr/bin/chromium' });
  });

  for (const name of ['chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge']) {
    it(`accepts ${name} on PATH`, () => {
      expect(planSetup(machine([`/usr/bin/${name}`, ...SERVERS]))).toEqual({ action: 'ready', browser: `/usr/bin/${name}` });
    });
  }

  it('prefers CHROME_BIN over anything on PATH', () => {
    const env = { PATH: '/usr/bin', CHROME_BIN: '/opt/chrome/chrome' };
    const plan = planSetup(machine(['/opt/chrome/chrome', '/usr/bin/chromium', ...SERVERS], { env }));
    expect(plan).toEqual({ action: 'ready', browser: '/opt/chrome/chrome' });
  });

  it('stops on a CHROME_BIN that is not there, rather than installing a browser Karma would ignore', () => {
    const env = { PATH: '/usr/bin', CHROME_BIN: '/opt/nothing' };
    const plan = planSetup(machine(['/usr/bin/chromium', ...SERVERS], { env }));
    expect(plan).toEqual({ action: 'stop', line: 'pretest: CHROME_BIN=/opt/nothing is not an executable file; fix it or unset it' });
  });

  it('finds Google Chrome in /Applications on macOS', () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    const mac = { platform: 'darwin', env: { PATH: '/usr/bin:/opt/homebrew/bin', HOME: '/Users/ann' } };
    const brew = ['redis-server', 'exiftool', 'docker-compose', 'nginx', 'pdftoppm', 'pdftotext'].map((name) => `/opt/homebrew/bin/${name}`);
    const plan = planSetup(machine([chrome, ...brew], mac));
    expect(plan).toEqual({ action: 'ready', browser: chrome });
  });

  it('finds Chromium in the user\'s own ~/Applications on macOS', () => {
    const chromium = '/Users/ann/Applications/Chromium.app/Contents/MacOS/Chromium';
    const mac = { platform: 'darwin', env: { PATH: '/usr/bin', HOME: '/Users/ann' } };
    expect(planSetup(machine([chromium, ...SERVERS], mac))).toEqual({ action: 'ready', browser: chromium });
  });

  it('finds Edge under Program Files (x86) and Chrome under LOCALAPPDATA on Windows', () => {
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    const chrome = 'C:\\Users\\ann\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
    const tools = ['redis-server', 'exiftool', 'docker-compose', 'nginx', 'pdftoppm', 'pdftotext'].map((name) => `C:\\tools\\${name}.exe`);
    const env = {
      PATH: 'C:\\Windows\\System32;C:\\tools',
      PATHEXT: '.COM;.EXE;.BAT',
      ProgramFiles: 'C:\\Program Files',
      'ProgramFiles(x86)': 'C:\\Program Files (x86)',
      LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local',
    };
    expect(planSetup(machine([edge, ...tools], { platform: 'win32', env }))).toEqual({ action: 'ready', browser: edge });
    expect(planSetup(machine([chrome, ...tools], { platform: 'win32', env }))).toEqual({ action: 'ready', browser: chrome });
  });
});

describe('pretest: installing from Debian', () => {
  it('installs every missing package in one apt-get call as root, with the one line that says why', () => {
    const plan = planSetup(machine(['/usr/bin/exiftool', ...DEPLOY, ...POPPLER]));
    expect(plan).toEqual({
      action: 'install',
      browser: null,
      packages: ['chromium', 'redis-server'],
      update: ['apt-get', 'update', '-qq'],
      command: ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium', 'redis-server'],
      line: 'pretest: installing chromium redis-server from Debian (needed by the browser and multi-replica specs)',
    });
  });

  it('names exiftool by its Debian package when only it is missing', () => {
    const plan = planSetup(machine(['/usr/bin/chromium', '/usr/bin/redis-server', ...DEPLOY, ...POPPLER]));
    expect(plan).toEqual(jasmine.objectContaining({
      action: 'install',
      browser: '/usr/bin/chromium',
      packages: ['libimage-exiftool-perl'],
      line: 'pretest: installing libimage-exiftool-perl from Debian (needed by the EXIF specs)',
    }));
  });

  it('goes through sudo -n, keeping DEBIAN_FRONTEND, when not root but sudo needs no password', () => {
    const plan = planSetup(machine(SERVERS, { isRoot: false, canSudo: () => true }));
    const sudo = ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive'];
    expect(plan).toEqual(jasmine.objectContaining({
      action: 'install',
      update: [...sudo, 'apt-get', 'update', '-qq'],
      command: [...sudo, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium'],
    }));
  });

  it('treats Ubuntu (ID_LIKE=debian) as Debian', () => {
    expect(planSetup(machine(SERVERS, { osRelease: UBUNTU })).action).toBe('install');
  });
});

describe('pretest: stopping with one line naming the command', () => {
  it('names apt-get and CHROME_BIN when not root and sudo asks for a password', () => {
    const plan = planSetup(machine(SERVERS, { isRoot: false, canSudo: () => false }));
    expect(plan).toEqual({
      action: 'stop',
      line: 'pretest: no Chromium, Chrome or Edge found; install one (sudo apt-get install chromium) or set CHROME_BIN',
    });
  });

  it('lists every missing tool and its package in the one line', () => {
    const plan = planSetup(machine([], { isRoot: false, canSudo: () => false }));
    expect(plan).toEqual({
      action: 'stop',
      line:
        'pretest: missing a Chromium, Chrome or Edge browser, redis-server, exiftool, docker-compose, nginx, pdftoppm and pdftotext; install them ' +
        '(sudo apt-get install chromium redis-server libimage-exiftool-perl docker-compose nginx poppler-utils), or set CHROME_BIN for the browser',
    });
  });

  it('does not run apt-get on a Linux that is not Debian, even as root', () => {
    const plan = planSetup(machine(['/usr/bin/chromium', '/usr/bin/exiftool', ...DEPLOY, ...POPPLER], { osRelease: FEDORA }));
    expect(plan).toEqual({ action: 'stop', line: 'pretest: missing redis-server; install it with your package manager' });
  });

  it('does not run apt-get without /etc/os-release', () => {
    expect(planSetup(machine(SERVERS, { osRelease: null })).action).toBe('stop');
  });

  it('names Homebrew on macOS', () => {
    const plan = planSetup(machine([], { platform: 'darwin', env: { PATH: '/usr/bin', HOME: '/Users/ann' } }));
    expect(plan).toEqual({
      action: 'stop',
      line:
        'pretest: missing a Chromium, Chrome or Edge browser, redis-server, exiftool, docker-compose, nginx, pdftoppm and pdftotext; install them ' +
        '(brew install --cask chromium; brew install redis exiftool docker-compose nginx poppler), or set CHROME_BIN for the browser',
    });
  });

  it('on Windows names the browsers and CHROME_BIN', () => {
    const env = { PATH: 'C:\\tools', PATHEXT: '.EXE' };
    const tools = ['redis-server', 'exiftool', 'docker-compose', 'nginx', 'pdftoppm', 'pdftotext'].map((name) => `C:\\tools\\${name}.exe`);
    const plan = planSetup(machine(tools, { platform: 'win32', env }));
    expect(plan).toEqual({ action: 'stop', line: 'pretest: no Chromium, Chrome or Edge found; install one or set CHROME_BIN' });
  });
});

describe('pretest: the deployment specs\' tools', () => {
  const BASICS = ['/usr/bin/chromium', '/usr/bin/redis-server', '/usr/bin/exiftool', ...POPPLER];

  it('finds nginx in /usr/sbin even when PATH lacks the sbin directories', () => {
    const env = { PATH: '/usr/bin:/bin' };
    expect(planSetup(machine([...BASICS, '/usr/bin/docker-compose', '/usr/sbin/nginx'], { env })).action).toBe('ready');
  });

  it('installs docker-compose and nginx from Debian, naming the deployment specs once', () => {
    expect(planSetup(machine(BASICS))).toEqual(jasmine.objectContaining({
      action: 'install',
      packages: ['docker-compose', 'nginx'],
      line: 'pretest: installing docker-compose nginx from Debian (needed by the deployment specs)',
    }));
  });

  it('installs nginx when it is in no sbin directory either', () => {
    expect(planSetup(machine([...BASICS, '/usr/bin/docker-compose']))).toEqual(jasmine.objectContaining({
      action: 'install',
      packages: ['nginx'],
    }));
  });
});

describe("pretest: the photo book specs' PDF tools", () => {
  it('installs poppler-utils once for both of its tools, naming the photo book specs', () => {
    expect(planSetup(machine(['/usr/bin/chromium', '/usr/bin/redis-server', '/usr/bin/exiftool', ...DEPLOY]))).toEqual(jasmine.objectContaining({
      action: 'install',
      packages: ['poppler-utils'],
      command: ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'poppler-utils'],
      line: 'pretest: installing poppler-utils from Debian (needed by the photo book specs)',
    }));
  });

  it('installs it when only pdftotext is missing', () => {
    const plan = planSetup(machine(['/usr/bin/chromium', '/usr/bin/redis-server', '/usr/bin/exiftool', ...DEPLOY, '/usr/bin/pdftoppm']));
    expect(plan).toEqual(jasmine.objectContaining({ action: 'install', packages: ['poppler-utils'] }));
  });
});

describe('pretest: without FerretDB for the MongoDB specs', () => {
  it('fails under CI=true with one line that says why', () => {
    expect(missingFerretDbVerdict('no Go', { CI: 'true' })).toEqual({
      fail: true,
      line: 'pretest: no FerretDB for the MongoDB specs, which CI must run: no Go',
    });
  });

  it('elsewhere warns loudly that the MongoDB suites will be skipped, and goes on', () => {
    expect(missingFerretDbVerdict('no Go', {})).toEqual({
      fail: false,
      line: 'pretest: WARNING: the MongoDB suites will be SKIPPED: no Go',
    });
  });
});
