/**
 * ShapeService over gRPC on a real server (port 0): Generate and
 * ValidateTemplate with good and bad input, ListTemplates, the count
 * maximum, GenerateBatch, health, and the permissions each method needs.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { credentials, makeGenericClientConstructor, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import {
  GenerateBatchRequest,
  GenerateRequest,
  ShapeServiceClient,
  ValidateTemplateRequest,
  type GenerateBatchResponse,
  type GenerateResponse,
  type ListTemplatesResponse,
  type ValidateTemplateResponse,
} from '../../../gen/ts/aria/shape/v1/shape.js';
import { permissionFor, roleAllows } from '../../../server/src/services/auth/index.js';
import type { Permission } from '../../../server/src/services/auth/roles.js';
import { builtinTemplate, checkCharacter, type AttributeValue } from '../../../server/src/services/shape/index.js';
import { testServer } from '../../support/test-server.js';

const server = await testServer({ workers: 1 });
const client = new ShapeServiceClient(server.address, credentials.createInsecure());

type Unary = (req: unknown, cb: (e: ServiceError | null, r: unknown) => void) => unknown;
function call<Res>(method: 'generate' | 'generateBatch' | 'validateTemplate' | 'listTemplates', req: unknown): Promise<Res> {
  const fn = (client[method] as unknown as Unary).bind(client);
  return new Promise((resolve, reject) => fn(req, (e, r) => (e ? reject(e) : resolve(r as Res))));
}
async function refused(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (err) {
    return { code: (err as ServiceError).code, details: (err as ServiceError).details };
  }
  throw new Error('the call succeeded; a failure was expected');
}

/** A character message back in the service's JSON form. */
function fromMessage(c: GenerateResponse['characters'][number]) {
  const attributes: Record<string, AttributeValue> = {};
  for (const a of c.attributes) {
    const v = a.value!;
    attributes[a.name] = v.$case === 'list' ? v.list.values : v.$case === 'number' ? v.number : v.symbol;
  }
  return { attributes, traits: Object.fromEntries(c.traits.map((t) => [t.name, t.value])) };
}

test('Generate: a built-in template, valid characters, the same for the same seed', async () => {
  const req = GenerateRequest.fromPartial({ template: { $case: 'builtin', builtin: 'fantasy' }, seed: 7, count: 25, preset: 'forest_druid' });
  const r = await call<GenerateResponse>('generate', req);
  assert.is(r.characters.length, 25);
  assert.is(r.noCharacter, false);
  const t = builtinTemplate('fantasy');
  for (const c of r.characters) {
    const json = fromMessage(c);
    assert.equal(checkCharacter(t, json), []);
    assert.is(json.attributes.class, 'druid');
    assert.match(c.prompt, /A-pose, plain background$/);
    assert.equal(JSON.parse(c.stateJson).character.class, 'druid');
  }
  assert.equal(r.characters.map((c) => c.index), Array.from({ length: 25 }, (_, i) => i));
  assert.equal((await call<GenerateResponse>('generate', req)).characters, r.characters);
});

test('Generate: an inline template; one with no character says so', async () => {
  const tiny = { name: 'tiny', attributes: [{ name: 'a', values: { x: 1, y: 2 } }, { name: 'b', range: { min: 0, max: 3 } }], constraints: [{ requires: 'b >= 2', when: 'a = x' }] };
  const r = await call<GenerateResponse>('generate', GenerateRequest.fromPartial({ template: { $case: 'templateJson', templateJson: JSON.stringify(tiny) }, seed: 1, count: 0 }));
  assert.is(r.characters.length, 1, 'count 0 asks for one');
  const none = { ...tiny, constraints: [{ excludes: ['a = x', 'b >= 0'] }, { excludes: ['a = y', 'b <= 3'] }] };
  const n = await call<GenerateResponse>('generate', GenerateRequest.fromPartial({ template: { $case: 'templateJson', templateJson: JSON.stringify(none) } }));
  assert.is(n.noCharacter, true);
  assert.is(n.characters.length, 0);
  assert.is(n.message, 'no character exists: template tiny has constraints no combination of values satisfies');
});

test('Generate: bad input is INVALID_ARGUMENT (or NOT_FOUND for an unknown built-in) with the exact message', async () => {
  const gen = (partial: Partial<GenerateRequest>) => refused(call('generate', GenerateRequest.fromPartial(partial)));
  assert.equal(await gen({ template: { $case: 'builtin', builtin: 'cyber' }, count: 1001 }), { code: status.INVALID_ARGUMENT, details: 'count: must be an integer from 1 to 1000, got 1001' });
  assert.equal(await gen({ template: { $case: 'builtin', builtin: 'cyber' }, preset: 'pirate' }), { code: status.INVALID_ARGUMENT, details: "preset: unknown preset 'pirate' (template cyber has: netrunner, corpo_exec, street)" });
  assert.equal(await gen({}), { code: status.INVALID_ARGUMENT, details: 'template: give a built-in template name (builtin) or a template as JSON (template_json)' });
  assert.equal(await gen({ template: { $case: 'builtin', builtin: 'steampunk' } }), { code: status.NOT_FOUND, details: "no built-in template 'steampunk' (have: casual, cyber, fantasy)" });
  const bad = { name: 'bad', attributes: [{ name: 'a', values: { x: 'heavy' } }] };
  assert.equal(await gen({ template: { $case: 'templateJson', templateJson: JSON.stringify(bad) } }), { code: status.INVALID_ARGUMENT, details: 'template.attributes[0].values.x: weight must be a positive finite number, got "heavy"' });
});

test('GenerateBatch: the best k of n, valid and diverse, the same for the same seed; bounds and weights refused exactly', async () => {
  const req = GenerateBatchRequest.fromPartial({
    template: { $case: 'builtin', builtin: 'fantasy' }, seed: 3, candidates: 3000, k: 6,
    preferences: [{ attribute: 'species', value: 'dwarf', weight: 5 }, { attribute: 'level', value: '20', weight: 1 }],
    style: [{ attribute: 'jewelry', value: 'amulet', weight: 0.5 }], diversityOption: { $case: 'diversity', diversity: 0.2 },
  });
  const r = await call<GenerateBatchResponse>('generateBatch', req);
  assert.is(r.characters.length, 6);
  assert.is(r.candidates, 3000);
  assert.ok(r.valid > 0 && r.valid <= 3000);
  const t = builtinTemplate('fantasy');
  for (const b of r.characters) assert.equal(checkCharacter(t, fromMessage(b.character!)), []);
  assert.is(fromMessage(r.characters[0].character!).attributes.species, 'dwarf');
  assert.is(r.characters[0].distance, 0);
  assert.ok(r.characters.slice(1).every((b) => b.distance > 0));
  assert.equal((await call<GenerateBatchResponse>('generateBatch', req)).characters, r.characters);
  const batch = (partial: Partial<GenerateBatchRequest>) => refused(call('generateBatch', GenerateBatchRequest.fromPartial({ template: { $case: 'builtin', builtin: 'fantasy' }, ...partial })));
  assert.equal(await batch({ candidates: 2_000_000 }), { code: status.INVALID_ARGUMENT, details: 'candidates: must be an integer from 1 to 1000000, got 2000000' });
  assert.equal(await batch({ candidates: 100, k: 101 }), { code: status.INVALID_ARGUMENT, details: 'k: must not exceed candidates (100), got 101' });
  assert.equal(await batch({ preferences: [{ attribute: 'species', value: 'elf', weight: 1 }, { attribute: 'species', value: 'elf', weight: 2 }] }), {
    code: status.INVALID_ARGUMENT, details: 'preferences[1]: "species" = "elf" is given twice',
  });
  assert.equal(await batch({ style: [{ attribute: 'wings', value: 'big', weight: 1 }] }), { code: status.INVALID_ARGUMENT, details: 'style.wings: template fantasy has no attribute "wings"' });
});

test('ValidateTemplate: a summary, or INVALID_ARGUMENT with the path', async () => {
  const good = { name: 'ok', description: 'd', attributes: [{ name: 'a', values: { x: 1 } }], traits: [{ name: 'grit', range: { min: 0, max: 1, step: 0.5 } }], presets: [{ name: 'p', pin: { a: 'x' } }] };
  const r = await call<ValidateTemplateResponse>('validateTemplate', ValidateTemplateRequest.fromPartial({ templateJson: JSON.stringify(good) }));
  assert.equal(r.summary, { name: 'ok', description: 'd', attributes: 1, traits: 1, constraints: 0, presets: ['p'] });
  const bad = { ...good, constraints: [{ requires: 'colour = red' }] };
  assert.equal(await refused(call('validateTemplate', ValidateTemplateRequest.fromPartial({ templateJson: JSON.stringify(bad) }))), {
    code: status.INVALID_ARGUMENT,
    details: "template.constraints[0].requires: unknown attribute 'colour'",
  });
  const e = await refused(call('validateTemplate', ValidateTemplateRequest.fromPartial({ templateJson: '{' })));
  assert.is(e.code, status.INVALID_ARGUMENT);
  assert.match(e.details, /^template: not valid JSON: /);
});

test('ListTemplates: the built-ins with their counts', async () => {
  const r = await call<ListTemplatesResponse>('listTemplates', {});
  assert.equal(r.templates.map((t) => t.name), ['casual', 'cyber', 'fantasy']);
  const fantasy = r.templates.find((t) => t.name === 'fantasy')!;
  assert.ok(fantasy.attributes >= 50 && fantasy.constraints >= 24, JSON.stringify(fantasy));
});

test('health reports the shape service SERVING; permissions: viewers read templates, Generate needs plan', async () => {
  type HealthClient = { check(req: { service: string }, md: Metadata, cb: (e: ServiceError | null, r: { status: string }) => void): void };
  const h = new (makeGenericClientConstructor(healthService, 'Health'))(server.address, credentials.createInsecure()) as unknown as HealthClient;
  const st = await new Promise<string>((resolve, reject) => h.check({ service: 'aria.shape.v1.ShapeService' }, new Metadata(), (e, r) => (e ? reject(e) : resolve(r.status))));
  assert.is(st, 'SERVING');
  (h as unknown as { close(): void }).close();
  const perm = (m: string) => permissionFor(`/aria.shape.v1.ShapeService/${m}`) as Permission;
  assert.is(perm('Generate'), 'plan');
  assert.is(perm('GenerateBatch'), 'plan');
  assert.ok(roleAllows('viewer', perm('ListTemplates')) && roleAllows('viewer', perm('ValidateTemplate')));
  assert.not.ok(roleAllows('viewer', perm('Generate')));
  assert.ok(roleAllows('planner', perm('Generate')));
});

test.after(async () => {
  client.close();
  await server.shutdown(1000);
});

test.run();
