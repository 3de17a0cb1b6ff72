import { AdminHarness } from './testing/admin-harness';

/** The stats page says as much about the servers as the setup calls for: nothing for one laptop. */
describe('Stats panel', () => {
  let page: AdminHarness;
  const ids = () => Array.from(page.root.querySelectorAll('.card'), (card) => card.getAttribute('data-testid'));
  /** The label, value and note of one tile, each as the host reads it. */
  const tile = (id: string) =>
    Array.from(page.q(`stat-${id}`)!.querySelectorAll('dt, dd'), (el) => el.textContent!.replace(/\s+/g, ' ').trim());

  beforeEach(() => (page = new AdminHarness()));

  it('says nothing about servers when one server runs on its own (redis off)', async () => {
    page.server.cluster = { redis: 'off', replicas: 1, partial: false };
    await page.render('/admin/stats');
    expect(tile('walls')).toEqual(['Walls connected', '2']);
    expect(page.q('stat-cluster')).toBeNull();
    expect(page.root.querySelector('.stats')?.textContent).not.toMatch(/server/i);
  });

  it('tells how many servers share the event beside the walls while the link is up', async () => {
    page.server.cluster = { redis: 'up', replicas: 2, partial: false };
    page.server.walls = 5;
    await page.render('/admin/stats');
    expect(tile('walls')).toEqual(['Walls connected', '5', 'On 2 servers']);
    expect(page.q('stat-cluster')).toBeNull();
  });

  it('warns first thing, in plain words, when the link between servers is lost', async () => {
    page.server.cluster = { redis: 'down', replicas: 1, partial: false };
    await page.render('/admin/stats');
    const warning = page.q('stat-cluster')!;
    expect(ids()[0]).toBe('stat-cluster');
    expect(warning.getAttribute('data-tone')).toBe('bad');
    expect(tile('cluster')).toEqual([
      'Link between servers',
      'Lost',
      'Each server sends new photos live only to the walls and phones connected to it, so some show up late. ' +
        'Everything catches up when the link is back.',
    ]);
  });

  it('counts walls as "at least" when a server did not answer in time', async () => {
    page.server.cluster = { redis: 'up', replicas: 2, partial: true };
    page.server.walls = 3;
    await page.render('/admin/stats');
    expect(tile('walls')).toEqual(['Walls connected', 'at least 3', 'Only 2 servers answered in time']);
    expect(page.q('stat-walls')!.querySelector('.value .qualifier')?.textContent?.trim()).toBe('at least');
  });
});
