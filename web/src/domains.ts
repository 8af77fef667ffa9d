/**
 * The domain views: the list (ListDomains), one domain's source text
 * (GetDomain) and registering a domain from text (RegisterDomain), with a
 * syntax error shown at its line.
 */
import { call, describe } from './api.js';
import { busy, byId, el, showText } from './dom.js';
import { errorPosition, excerpt } from './error-position.js';

const PLANNER = 'aria.planner.v1.PlannerService';

interface DomainInfo {
  id: string;
  name: string;
  version: number;
  builtin: boolean;
}

/** Fetches the domain list and shows it; also fills the plan form's name suggestions. */
export async function loadDomains(): Promise<void> {
  showText('domains-error', '');
  const list = byId('domain-list');
  try {
    const res = await call<{ domains?: DomainInfo[] }>(PLANNER, 'ListDomains', {});
    const domains = res.domains ?? [];
    list.replaceChildren(...domains.map(domainItem));
    if (domains.length === 0) list.append(el('li', 'no domains yet', 'muted'));
    const names = [...new Set(domains.map((d) => d.name))];
    byId('domain-names').replaceChildren(...names.map((n) => Object.assign(el('option'), { value: n })));
  } catch (err) {
    showText('domains-error', `Could not list the domains: ${describe(err)}`);
  }
}

function domainItem(d: DomainInfo): HTMLLIElement {
  const li = el('li');
  const open = el('button', d.name, 'link');
  open.type = 'button';
  open.dataset.domain = d.name;
  open.addEventListener('click', () => void openDomain(`${d.name}@${d.version}`));
  li.append(open, el('span', ` v${d.version}${d.builtin ? ' · built in' : ''}`, 'muted'));
  return li;
}

/** Shows one domain's source text (or says it was registered as data). */
export async function openDomain(ref: string): Promise<void> {
  showText('domains-error', '');
  try {
    const res = await call<{ info?: DomainInfo; text?: string }>(PLANNER, 'GetDomain', { domain: ref });
    byId('domain-title').textContent = `${res.info?.name ?? ref} v${res.info?.version ?? '?'}`;
    byId('domain-text').textContent = res.text || '(registered as data: there is no source text to show)';
    byId('domain-view').hidden = false;
    byId('domain-view').scrollIntoView({ block: 'nearest' });
  } catch (err) {
    showText('domains-error', `Could not read ${ref}: ${describe(err)}`);
  }
}

/** Wires the register form: a success reloads the list; a failure shows the message and the lines around its position. */
export function wireRegister(): void {
  const form = byId<HTMLFormElement>('register-form');
  const textArea = byId<HTMLTextAreaElement>('register-text');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = textArea.value;
    showText('register-result', '');
    byId('register-error').hidden = true;
    void busy(form.querySelector('button')!, async () => {
      try {
        const res = await call<{ info?: DomainInfo; created?: boolean }>(PLANNER, 'RegisterDomain', { text, file: 'domain.aria' });
        const what = `${res.info?.name} v${res.info?.version}`;
        showText('register-result', res.created ? `Registered ${what}.` : `${what} was already registered with this text.`);
        await loadDomains();
      } catch (err) {
        showRegisterError(err, text, textArea);
      }
    });
  });
}

function showRegisterError(err: unknown, text: string, textArea: HTMLTextAreaElement): void {
  const message = describe(err);
  const pos = errorPosition(err instanceof Error ? err.message : '');
  byId('register-error-message').textContent = pos ? `Error at line ${pos.line}, column ${pos.column}: ${pos.message}` : `Could not register: ${message}`;
  const pre = byId('register-error-excerpt');
  pre.textContent = pos ? excerpt(text, pos) : '';
  pre.hidden = !pos;
  byId('register-error').hidden = false;
  if (pos) selectLine(textArea, text, pos.line);
}

/** Selects line `line` of the text area, so the cursor lands where the error is. */
function selectLine(area: HTMLTextAreaElement, text: string, line: number): void {
  const lines = text.split('\n');
  const n = Math.min(line, lines.length);
  const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
  area.setSelectionRange(start, start + (lines[n - 1]?.length ?? 0));
}
