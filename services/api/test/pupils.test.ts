import { testUpn as upnWithSerial } from '@small-steps/domain/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeEachDatabase,
  officer,
  otherTenantOfficer,
  staffAt,
  startTestApp,
  type TestApp,
} from './fixtures/test-app.ts';

const sam = {
  upn: 'H801200001001',
  givenName: 'Sam',
  familyName: 'Taylor',
  dateOfBirth: '2017-03-14',
  yearGroup: '3',
  senProvision: 'E',
  needs: [
    { need: 'SEMH', rank: 1 },
    { need: 'ASD', rank: 2 },
  ],
  schoolUrn: '100001',
  admissionDate: '2025-09-03',
};

describeEachDatabase('pupils', (factory) => {
  let t: TestApp;
  const as = async (principal: typeof officer) => ({ authorization: `Bearer ${await t.token(principal)}` });
  const register = async (body: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/v1/pupils', headers: { ...(await as(officer)), ...headers }, payload: body });

  beforeAll(async () => {
    t = await startTestApp(factory);
  });
  afterAll(async () => t?.close());

  it('registers a pupil and reads them back', async () => {
    const created = await register(sam);
    expect(created.statusCode).toBe(201);
    const pupil = created.json();
    expect(pupil).toMatchObject({
      upn: 'H801200001001',
      primaryNeed: 'SEMH',
      schoolUrn: '100001',
      onRollAt: ['100001'],
      version: 2,
    });
    expect(created.headers.location).toBe(`/v1/pupils/${pupil.pupilId}`);
    expect(created.headers.etag).toBe('"2"');

    const read = await t.app.inject({ method: 'GET', url: `/v1/pupils/${pupil.pupilId}`, headers: await as(officer) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(pupil);
    expect(read.headers.etag).toBe('"2"');

    const revalidated = await t.app.inject({
      method: 'GET',
      url: `/v1/pupils/${pupil.pupilId}`,
      headers: { ...(await as(officer)), 'if-none-match': '"2"' },
    });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');
  });

  it('refuses a UPN with the wrong check letter, in the DfE words', async () => {
    const res = await register({ ...sam, upn: 'Z801200001001' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ type: 'https://small-steps.org.uk/problems/upn-valid', rule: 'upn-valid' });
    expect(res.json().detail).toMatch(/check letter/i);
  });

  it('refuses a second pupil with the same UPN in the LA', async () => {
    const upn = 'B801200005001';
    expect((await register({ ...sam, upn })).statusCode).toBe(201);
    const second = await register({ ...sam, upn, givenName: 'Alex' });
    expect(second.statusCode).toBe(422);
    expect(second.json()).toMatchObject({ rule: 'upn-unique', errors: [{ pointer: '/body/upn' }] });
  });

  it('refuses needs that share a rank', async () => {
    const res = await register({
      ...sam,
      upn: upnWithSerial(60),
      needs: [
        { need: 'SEMH', rank: 1 },
        { need: 'ASD', rank: 1 },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().rule).toBe('needs-ranked');
  });

  it("answers another LA's pupil with a 404", async () => {
    const created = (await register({ ...sam, upn: upnWithSerial(11) })).json();
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/pupils/${created.pupilId}`,
      headers: await as(otherTenantOfficer),
    });
    expect(res.statusCode).toBe(404);
    const correction = await t.app.inject({
      method: 'POST',
      url: `/v1/pupils/${created.pupilId}/corrections`,
      headers: await as(otherTenantOfficer),
      payload: { reason: 'typo', changes: { givenName: 'X' } },
    });
    expect(correction.statusCode).toBe(404);
  });

  it("shows school staff their own school's pupils only", async () => {
    const created = (await register({ ...sam, upn: upnWithSerial(12), schoolUrn: '100002' })).json();
    const mine = await t.app.inject({
      method: 'GET',
      url: `/v1/pupils/${created.pupilId}`,
      headers: await as(staffAt('100002')),
    });
    expect(mine.statusCode).toBe(200);
    const theirs = await t.app.inject({
      method: 'GET',
      url: `/v1/pupils/${created.pupilId}`,
      headers: await as(staffAt('100003')),
    });
    expect(theirs.statusCode).toBe(404);
    const list = await t.app.inject({ method: 'GET', url: '/v1/pupils', headers: await as(staffAt('100003')) });
    expect(list.json().items.map((p: { pupilId: string }) => p.pupilId)).not.toContain(created.pupilId);
  });

  it('pages through the pupils of a school with a cursor', async () => {
    for (let serial = 20; serial < 25; serial++)
      await register({ ...sam, upn: upnWithSerial(serial), schoolUrn: '100009' });
    const seen: string[] = [];
    let url = '/v1/pupils?schoolUrn=100009&limit=2';
    for (let pages = 0; pages < 10; pages++) {
      const page = (await t.app.inject({ method: 'GET', url, headers: await as(officer) })).json();
      seen.push(...page.items.map((p: { upn: string }) => p.upn));
      if (!page.next) break;
      url = `/v1/pupils?schoolUrn=100009&limit=2&cursor=${page.next}`;
    }
    expect(seen).toEqual([20, 21, 22, 23, 24].map((serial) => upnWithSerial(serial)));
  });

  it('finds pupils changed since an instant, and by UPN, filters that combine', async () => {
    const [a, b] = [
      (await register({ ...sam, upn: upnWithSerial(80), schoolUrn: '100010' })).json(),
      (await register({ ...sam, upn: upnWithSerial(81), schoolUrn: '100010' })).json(),
    ];
    const since = new Date(Date.now() + 1).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const corrected = await t.app.inject({
      method: 'POST',
      url: `/v1/pupils/${b.pupilId}/corrections`,
      headers: await as(officer),
      payload: { reason: 'Misspelt at registration', changes: { givenName: 'Samuel' } },
    });
    expect(corrected.statusCode).toBe(200);
    const list = async (query: string) =>
      (await t.app.inject({ method: 'GET', url: `/v1/pupils?${query}`, headers: await as(officer) }))
        .json()
        .items.map((p: { pupilId: string }) => p.pupilId);
    expect(await list(`schoolUrn=100010&updatedSince=${since}`)).toEqual([b.pupilId]);
    expect(await list(`schoolUrn=100010`)).toEqual([a.pupilId, b.pupilId]);
    expect(await list(`upn=${upnWithSerial(80)}`)).toEqual([a.pupilId]);
    expect(await list(`upn=${upnWithSerial(80)}&updatedSince=${since}`)).toEqual([]);
    expect(await list(`upn=${upnWithSerial(81)}&schoolUrn=100001`)).toEqual([]);
  });

  it('refuses a cursor it did not give out', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/pupils?cursor=bm9wZQ', headers: await as(officer) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/querystring/cursor');
    const past = Buffer.from('p:9999999999999999999').toString('base64url');
    const beyond = await t.app.inject({ method: 'GET', url: `/v1/pupils?cursor=${past}`, headers: await as(officer) });
    expect(beyond.statusCode).toBe(400);
  });

  it('answers a retried registration with the first response and registers once', async () => {
    const headers = { 'idempotency-key': 'register-retry-1' };
    const first = await register({ ...sam, upn: upnWithSerial(60) }, headers);
    const retry = await register({ ...sam, upn: upnWithSerial(60) }, headers);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const reused = await register({ ...sam, upn: upnWithSerial(61) }, headers);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().type).toBe('https://small-steps.org.uk/problems/idempotency-key-reused');
  });

  it('answers one key sent at once for two different records with one success and one 422, never a 500', async () => {
    const first = (await register({ ...sam, upn: upnWithSerial(70) })).json();
    const second = (await register({ ...sam, upn: upnWithSerial(71) })).json();
    const headers = { ...(await as(officer)), 'idempotency-key': 'one-key-two-records' };
    const correct = (pupilId: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/pupils/${pupilId}/corrections`,
        headers,
        payload: { reason: 'Misspelt', changes: { givenName: `Sam ${pupilId.slice(0, 4)}` } },
      });
    const answers = await Promise.all([correct(first.pupilId), correct(second.pupilId)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 422]);
    expect(answers.find((a) => a.statusCode === 422)!.json().type).toBe(
      'https://small-steps.org.uk/problems/idempotency-key-reused',
    );
  });

  it('corrects details with a reason, conditionally on If-Match', async () => {
    const created = (await register({ ...sam, upn: upnWithSerial(40) })).json();
    const url = `/v1/pupils/${created.pupilId}/corrections`;
    const payload = { reason: 'Misspelt at registration', changes: { familyName: 'Taylor-Reid' } };
    const stale = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...(await as(officer)), 'if-match': '"1"' },
      payload,
    });
    expect(stale.statusCode).toBe(412);
    const ok = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...(await as(officer)), 'if-match': '"2"' },
      payload,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ familyName: 'Taylor-Reid', version: 3 });
    expect(ok.headers.etag).toBe('"3"');
    const events = await t.store.readStream(`pupil-${created.pupilId}`);
    expect(events.at(-1)).toMatchObject({
      type: 'PupilDetailsCorrected',
      metadata: { reason: 'Misspelt at registration', actor: { id: 'officer-1', role: 'la_officer', tenant: '801' } },
    });
  });

  it('keeps names, dates of birth and UPNs out of the logs', async () => {
    await register({ ...sam, upn: upnWithSerial(50), givenName: 'Zebedee', familyName: 'Quantock' });
    await register({ ...sam, upn: 'Z801200001001', givenName: 'Zebedee', familyName: 'Quantock' });
    const text = t.logs.join('');
    expect(text).toContain('request');
    for (const secret of ['Zebedee', 'Quantock', '2017-03-14', upnWithSerial(50), 'Z801200001001', 'Bearer ']) {
      expect(text).not.toContain(secret);
    }
  });
});
