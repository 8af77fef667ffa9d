/** Small DOM helpers: find by id (failing loudly), show and hide messages, build elements. */

/** The element with this id; a missing one is a bug in index.html, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el as T;
}

/** Shows `text` in the element (or hides it when text is empty). */
export function showText(id: string, text: string): void {
  const el = byId(id);
  el.textContent = text;
  el.hidden = text === '';
}

/** A new element with text content and an optional class. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', className = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text) e.textContent = text;
  if (className) e.className = className;
  return e;
}

/** Disables `button` while `work` runs, so a slow call is not sent twice. */
export async function busy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  button.disabled = true;
  try {
    return await work();
  } finally {
    button.disabled = false;
  }
}
