/** How `npm start` and the bench pick the allocator (scripts/allocator.mjs), decided from a described machine. */
import { JEMALLOC_CONF, allocatorPlan, findJemalloc } from '../../scripts/allocator.mjs';

const LIB = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';

describe('the allocator npm start runs the server with', () => {
  it('preloads jemalloc with our MALLOC_CONF where the machine has it', () => {
    const plan = allocatorPlan({ env: {}, platform: 'linux', library: LIB });
    expect(plan.preload).toBe(LIB);
    expect(plan.env).toEqual({ LD_PRELOAD: LIB, MALLOC_CONF: JEMALLOC_CONF });
    expect(plan.line).toContain('jemalloc');
  });

  it("keeps a MALLOC_CONF, an LD_PRELOAD or PHOTOBOOK_ALLOCATOR=system set outside", () => {
    expect(allocatorPlan({ env: { MALLOC_CONF: 'narenas:1' }, platform: 'linux', library: LIB }).env['MALLOC_CONF']).toBe('narenas:1');
    const outside = allocatorPlan({ env: { LD_PRELOAD: '/opt/libtcmalloc.so' }, platform: 'linux', library: LIB });
    expect([outside.preload, outside.env]).toEqual([null, {}]);
    expect(outside.line).toContain('the system allocator');
    expect(allocatorPlan({ env: { PHOTOBOOK_ALLOCATOR: 'system' }, platform: 'linux', library: LIB }).env).toEqual({});
  });

  it('runs as is, and says how to get jemalloc, where there is none or not Linux', () => {
    const none = allocatorPlan({ env: {}, platform: 'linux', library: null });
    expect([none.preload, none.env]).toEqual([null, {}]);
    expect(none.line).toContain('apt-get install libjemalloc2');
    expect(allocatorPlan({ env: {}, platform: 'darwin', library: LIB }).env).toEqual({});
  });

  it('finds the library in ldconfig -p, else in the usual folders', () => {
    const ldconfig = `\tlibjemalloc.so.2 (libc6,x86-64) => /lib/x86_64-linux-gnu/libjemalloc.so.2\n`;
    expect(findJemalloc({ ldconfig, exists: () => true })).toBe('/lib/x86_64-linux-gnu/libjemalloc.so.2');
    expect(findJemalloc({ ldconfig: '', exists: (p) => p === '/usr/local/lib/libjemalloc.so.2' })).toBe('/usr/local/lib/libjemalloc.so.2');
    expect(findJemalloc({ ldconfig: null, exists: () => false })).toBeNull();
  });
});
