import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, officer, startTestApp, type TestApp } from './fixtures/test-app.ts';

const SCRAPER_TOKEN = 'scraper-token-of-at-least-thirty-two-characters';

/** The value of one sample line (`name{labels} value`) in a Prometheus text exposition, 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  let t: TestApp;
  const scrape = async (authorization?: string) =>
    t.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
  const asOfficer = async () => ({ authorization: `Bearer ${await t.token(officer)}` });
  const register = async (upn: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/pupils',
      headers: { ...(await asOfficer()), ...headers },
      payload: {
        upn,
        givenName: 'Sam',
        familyName: 'Taylor',
        dateOfBirth: '2017-03-14',
        yearGroup: '3',
        senProvision: 'N',
        needs: [],
        schoolUrn: '100001',
        admissionDate: '2025-09-03',
      },
    });

  beforeAll(async () => {
    t = await startTestApp(databases[0]!, { METRICS_TOKEN: SCRAPER_TOKEN, RUN_PROJECTIONS: 'true' });
  });
  afterAll(async () => t?.close());

  it("lets in the scraper's own token and admins, and no one else", async () => {
    expect((await scrape(`Bearer ${SCRAPER_TOKEN}`)).statusCode).toBe(200);
    const admin = await t.token({ id: 'ops-1', role: 'admin', tenant: '801' });
    expect((await scrape(`Bearer ${admin}`)).statusCode).toBe(200);
    expect((await scrape()).statusCode).toBe(401);
    expect((await scrape(`Bearer ${SCRAPER_TOKEN}x`)).statusCode).toBe(401);
    const refused = await scrape((await asOfficer()).authorization);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('counts events appended by type, refusals by rule and idempotent replays', async () => {
    const before = (await scrape(`Bearer ${SCRAPER_TOKEN}`)).body;
    const key = { 'idempotency-key': 'metrics-register-1' };
    expect((await register('H801200001001', key)).statusCode).toBe(201);
    expect((await register('H801200001001', key)).statusCode).toBe(201);
    expect((await register('Z801200001001')).statusCode).toBe(422);
    const after = (await scrape(`Bearer ${SCRAPER_TOKEN}`)).body;

    const grew = (series: string) => sample(after, series) - sample(before, series);
    expect(grew('small_steps_events_appended_total{type="PupilRegistered"}')).toBe(1);
    expect(grew('small_steps_commands_total{outcome="accepted"}')).toBe(1);
    expect(grew('small_steps_commands_total{outcome="replayed"}')).toBe(1);
    expect(grew('small_steps_idempotent_replays_total')).toBe(1);
    expect(grew('small_steps_command_rejections_total{rule="upn-valid"}')).toBe(1);
    expect(after).toContain('# TYPE small_steps_attendance_marks_ingested_total counter');
    expect(after).toContain('# TYPE small_steps_command_retries_total counter');
    expect(after).toMatch(
      /^http_request_duration_seconds_count\{method="POST",route="\/v1\/pupils",status="201"\} \d+/m,
    );
    // Where the api runs the projections (the embedded default), their lag is here too.
    expect(after).toMatch(/^small_steps_projection_lag_events\{projection="[a-z_]+"\} \d+/m);
    expect(after).not.toContain('H801200001001');
  });
});
