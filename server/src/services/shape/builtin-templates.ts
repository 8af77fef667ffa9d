/**
 * The templates shipped in `domains/shape/*.json`, found from the
 * repository root as the built-in planning domains are; each is validated
 * once, on first use.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import type { Template } from './template-types.js';
import { validateTemplate } from './validate-template.js';

let dir: string | undefined;
const loaded = new Map<string, Template>();

/** `domains/shape` of the repository this module belongs to (source or dist/). */
function templatesDir(): string {
  if (dir !== undefined) return dir;
  let d = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(d, 'domains', 'shape');
    if (existsSync(join(d, 'package.json')) && existsSync(candidate)) return (dir = candidate);
    const up = dirname(d);
    if (up === d) throw new Error('cannot find domains/shape above this module');
    d = up;
  }
}

/** The names of the built-in templates, sorted. */
export function builtinTemplateNames(): string[] {
  return readdirSync(templatesDir()).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** A built-in template, validated; NotFoundError when there is no such name. */
export function builtinTemplate(name: string): Template {
  const hit = loaded.get(name);
  if (hit) return hit;
  if (!builtinTemplateNames().includes(name)) throw new NotFoundError(`no built-in template '${name}' (have: ${builtinTemplateNames().join(', ')})`);
  const t = validateTemplate(readFileSync(join(templatesDir(), `${name}.json`), 'utf8'));
  if (t.name !== name) throw new InvalidArgumentError('template.name', `built-in template file ${name}.json is named '${t.name}'`);
  loaded.set(name, t);
  return t;
}
